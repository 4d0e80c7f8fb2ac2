//! Decoded views of a text: each byte of a view remembers where in the text it came from, so a
//! secret found in a decoding (JSON/Rust escapes, URL encoding, HTML entities, and chains of
//! them) masks exactly the text it was encoded as.

/// At most this many decoded views of one text are searched (bounds time and memory).
const MAX_VIEWS: usize = 16;

/// Texts longer than this (bytes) get half as many views.
const LONG_TEXT: usize = 256 * 1024;

/// At most this many decodings are applied one over another (a password JSON-escaped in a
/// request body, quoted in a server's JSON error, shown in a JSON log record is three).
const MAX_DEPTH: usize = 3;

/// A decoding of the text: its bytes, and for each the offset in the original text of the
/// escape (or character) it was decoded from.
pub(super) struct View {
    pub(super) bytes: Vec<u8>,
    pub(super) origin: Vec<u32>,
}

impl View {
    /// Where in the original text what byte `i` was decoded from begins.
    pub(super) fn start(&self, i: usize) -> usize {
        self.origin[i] as usize
    }

    /// The end in the original text of what byte `i` was decoded from: where the next unit begins.
    pub(super) fn end(&self, i: usize, text_len: usize) -> usize {
        let here = self.origin[i];
        self.origin[i + 1..]
            .iter()
            .find(|&&o| o > here)
            .map_or(text_len, |&o| o as usize)
    }
}

/// A decoding applied to a view: JSON/Rust string escapes, URL encoding, HTML entities.
#[derive(Clone, Copy, PartialEq)]
enum Decoding {
    Json,
    Url,
    Html,
}

impl Decoding {
    /// Whether `bytes` could hold anything this decoding changes.
    fn applies(self, bytes: &[u8]) -> bool {
        bytes.iter().any(|&b| self.starts_unit(b))
    }

    /// Whether a unit this decoding changes can begin with `b`.
    const fn starts_unit(self, b: u8) -> bool {
        match self {
            Decoding::Json => b == b'\\',
            Decoding::Url => matches!(b, b'%' | b'+'),
            Decoding::Html => b == b'&',
        }
    }

    fn decode(self, view: &View) -> View {
        let bytes = &view.bytes;
        let mut out = View {
            bytes: Vec::with_capacity(bytes.len()),
            origin: Vec::with_capacity(bytes.len()),
        };
        let mut i = 0;
        while i < bytes.len() {
            // Runs without anything to decode are copied whole.
            let next = bytes[i..]
                .iter()
                .position(|&b| self.starts_unit(b))
                .map_or(bytes.len(), |p| i + p);
            out.bytes.extend_from_slice(&bytes[i..next]);
            out.origin.extend_from_slice(&view.origin[i..next]);
            i = next;
            if i == bytes.len() {
                break;
            }
            let unit = match self {
                Decoding::Json => json_escape(&bytes[i..]),
                Decoding::Url => url_escape(&bytes[i..]),
                Decoding::Html => html_entity(&bytes[i..]),
            };
            let (decoded, used) = unit.unwrap_or_else(|| (vec![bytes[i]], 1));
            out.origin
                .extend(std::iter::repeat_n(view.origin[i], decoded.len()));
            out.bytes.extend(decoded);
            i += used;
        }
        out
    }
}

/// Whether any decoding could change `bytes`: when none can, the text is its only view.
pub(super) fn decodable(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| DECODABLE[b as usize])
}

/// Bytes that begin a unit some decoding changes (one lookup per byte of every text scrubbed).
const DECODABLE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = Decoding::Json.starts_unit(byte)
            || Decoding::Url.starts_unit(byte)
            || Decoding::Html.starts_unit(byte);
        b += 1;
    }
    table
};

/// The text itself, then its decodings (each of a view that holds something to decode), breadth
/// first (so the common single decodings always come first), at most [`MAX_DEPTH`] deep and
/// [`MAX_VIEWS`] in all; a long text gets fewer views, so time and memory stay a small multiple
/// of its length. A decoding may follow itself (`%2522`, `&amp;quot;`, JSON in JSON).
pub(super) fn views(text: &str) -> Vec<View> {
    let root = View {
        bytes: text.as_bytes().to_vec(),
        origin: (0..text.len() as u32).collect(),
    };
    let max_views = if text.len() > LONG_TEXT {
        MAX_VIEWS / 2
    } else {
        MAX_VIEWS
    };
    let mut all: Vec<(View, usize)> = vec![(root, 0)];
    let mut next = 0;
    while next < all.len() && all.len() < max_views {
        let depth = all[next].1;
        for decoding in [Decoding::Json, Decoding::Url, Decoding::Html] {
            let view = &all[next].0;
            if depth >= MAX_DEPTH || all.len() >= max_views || !decoding.applies(&view.bytes) {
                continue;
            }
            let decoded = decoding.decode(view);
            if all.iter().all(|(v, ..)| v.bytes != decoded.bytes) {
                all.push((decoded, depth + 1));
            }
        }
        next += 1;
    }
    all.into_iter().map(|(v, ..)| v).collect()
}

/// One escape at the start of `b` (`\"`, `\n`, `\/`, `\u00e9`, a surrogate pair, `\u{1b}`…):
/// its UTF-8 bytes and how many bytes it spans.
fn json_escape(b: &[u8]) -> Option<(Vec<u8>, usize)> {
    if b.first() != Some(&b'\\') {
        return None;
    }
    let simple = match *b.get(1)? {
        c @ (b'"' | b'\\' | b'/' | b'\'') => c,
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'0' => 0,
        b'u' => return unicode_escape(b),
        b'x' => {
            let value = hex(b.get(2..4)?)?;
            return Some((utf8(char::from_u32(value)?), 4));
        }
        _ => return None,
    };
    Some((vec![simple], 2))
}

/// `\uXXXX` (a surrogate pair as two) or Rust's `\u{X…}`.
fn unicode_escape(b: &[u8]) -> Option<(Vec<u8>, usize)> {
    if b.get(2) == Some(&b'{') {
        let close = b.iter().take(12).position(|&c| c == b'}')?;
        let value = hex(&b[3..close])?;
        return Some((utf8(char::from_u32(value)?), close + 1));
    }
    let high = hex(b.get(2..6)?)?;
    if let Some(c) = char::from_u32(high) {
        return Some((utf8(c), 6));
    }
    // A high surrogate must be followed by a low one; a lone one is left as it is.
    if !(0xD800..0xDC00).contains(&high) || b.get(6..8)? != b"\\u" {
        return None;
    }
    let low = hex(b.get(8..12)?)?;
    if !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?;
    Some((utf8(c), 12))
}

/// `%XX` (either case) as its byte, `+` as a space.
fn url_escape(b: &[u8]) -> Option<(Vec<u8>, usize)> {
    match b.first()? {
        b'+' => Some((vec![b' '], 1)),
        b'%' => Some((vec![hex(b.get(1..3)?)? as u8], 3)),
        _ => None,
    }
}

/// `&quot;`, `&amp;`, `&lt;`, `&gt;`, `&apos;`, `&nbsp;`, `&#NN;`, `&#xHH;`.
fn html_entity(b: &[u8]) -> Option<(Vec<u8>, usize)> {
    if b.first() != Some(&b'&') {
        return None;
    }
    let close = b.iter().take(12).position(|&c| c == b';')?;
    let name = &b[1..close];
    let c = match name {
        b"quot" => '"',
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"apos" => '\'',
        b"nbsp" => '\u{a0}',
        [b'#', b'x' | b'X', digits @ ..] => char::from_u32(hex(digits)?)?,
        [b'#', digits @ ..] if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) => {
            char::from_u32(std::str::from_utf8(digits).ok()?.parse().ok()?)?
        }
        _ => return None,
    };
    Some((utf8(c), close + 1))
}

/// The value of 1 to 8 hex digits (either case).
fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &d| {
        let v = (d as char).to_digit(16)?;
        Some(n << 4 | v)
    })
}

fn utf8(c: char) -> Vec<u8> {
    c.to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Vec<String> {
        views(text)
            .iter()
            .map(|v| String::from_utf8_lossy(&v.bytes).into_owned())
            .collect()
    }

    #[test]
    fn each_decoding_and_their_chains_are_views() {
        assert_eq!(decoded("plain"), ["plain"]);
        assert_eq!(decoded(r#"a\"b\u00e9"#), [r#"a\"b\u00e9"#, "a\"bé"]);
        assert_eq!(decoded("a%22+b"), ["a%22+b", "a\" b"]);
        assert_eq!(decoded("&amp;quot;"), ["&amp;quot;", "&quot;", "\""]);
        // Escapes that are not escapes are kept as they are.
        assert_eq!(
            decoded(r"\q \ud800 %zz &bogus;"),
            [r"\q \ud800 %zz &bogus;"]
        );
    }

    #[test]
    fn each_decoded_byte_knows_its_escape() {
        let text = r"x\u00e9%41";
        let all = views(text);
        let json = &all[1];
        assert_eq!(json.bytes, "xé%41".as_bytes());
        // `é` (two bytes) came from the six bytes of `\u00e9`; `%` from offset 7.
        assert_eq!((json.start(1), json.end(1, text.len())), (1, 7));
        assert_eq!((json.start(2), json.end(2, text.len())), (1, 7));
        assert_eq!((json.start(3), json.end(3, text.len())), (7, 8));
    }

    #[test]
    fn no_view_is_longer_than_its_text() {
        // The scrubber returns a text shorter than its shortest pattern undecoded: that is only
        // right while no decoding lengthens a text. The escapes that decode to the most bytes
        // for their length, alone, doubled and nested:
        let units = [
            r"\u00e9",
            r"\ud83d\ude00",
            r"\u{1b}",
            r"\u{10FFFF}",
            r"\x41",
            r"\n",
            "%41",
            "+",
            "&#0;",
            "&#9;",
            "&#65536;",
            "&#x1F600;",
            "&#xFFFF;",
            "&nbsp;",
            "&lt;",
            "&amp;amp;",
            "%2541",
            r"\\u00e9",
            "&amp;#x1F600;",
            "&#x5C;u00e9",
            "%5Cu{10FFFF}",
        ];
        for a in units {
            for b in units {
                let text = format!("{a}{b}");
                for view in views(&text) {
                    assert!(view.bytes.len() <= text.len(), "{text}");
                }
            }
        }
    }
}
