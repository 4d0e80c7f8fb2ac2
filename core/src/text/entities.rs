//! HTML entities as WHMCS writes them into `$params` and `$vars`, decoded back to the text typed.

use serde_json::Value;

/// PHP's `html_entity_decode($text, ENT_QUOTES)` for what WHMCS encodes: `&amp; &lt; &gt;
/// &quot; &#039; &#39; &apos;` and numeric entities (`&#233;`, `&#xE9;`), in one pass, so that
/// `&amp;lt;` becomes `&lt;` and not `<`. Anything else is left as it is.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 12).and_then(|end| {
            let c = entity(&rest[1..end])?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity's name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()?
                }
                Some(_) => return None,
                None if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) => {
                    number.parse().ok()?
                }
                None => return None,
            };
            // PHP leaves NUL and non-characters encoded; so does this.
            char::from_u32(code).filter(|&c| c != '\0')
        }
    }
}

/// A JSON value with every string (not the keys) HTML-decoded once.
pub fn decode_value(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(decode_entities(text)),
        Value::Array(items) => Value::Array(items.iter().map(decode_value).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), decode_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_whmcs_encodes_once() {
        assert_eq!(decode_entities("Smith &amp; Sons"), "Smith & Sons");
        assert_eq!(
            decode_entities("O&#039;Neil &#39;x&#39; &apos;y&apos; &quot;z&quot; &lt;b&gt;"),
            "O'Neil 'x' 'y' \"z\" <b>"
        );
        assert_eq!(decode_entities("Zo&#235; &#xE9;&#XE9;"), "Zoë éé");
        // Once: an encoded entity stays an entity.
        assert_eq!(decode_entities("A &amp;amp; B &amp;lt;"), "A &amp; B &lt;");
        // Not entities: left alone.
        for text in [
            "AT&T",
            "a & b",
            "&unknown;",
            "&#;",
            "&#x;",
            "&#12a;",
            "&#0;",
            "&#1114112;",
            "x &amp",
            "&",
        ] {
            assert_eq!(decode_entities(text), text);
        }
        assert_eq!(decode_entities("€ &amp; 李"), "€ & 李");
    }
}
