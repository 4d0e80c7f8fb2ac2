//! Read access to WHMCS's `$params` (or a hook's `$vars`) as plain JSON values.
//!
//! WHMCS passes strings almost everywhere, but booleans, integers and nested arrays occur
//! (`server`, `serversecure`, `clientsdetails`, `configoptions`). These helpers read any of them as
//! the trimmed text an admin would have typed, so the rules below need not care.
//!
//! **Text that is not UTF-8.** Old WHMCS installs store data in their old default charset,
//! Windows-1252 (a superset of ISO-8859-1). The extension reads every PHP string and array key as
//! UTF-8 when it is valid UTF-8, and otherwise decodes the whole string as Windows-1252
//! ([`decode_text`]; the five bytes Windows-1252 leaves undefined map to the C1 control with the
//! same number, as the WHATWG Encoding Standard does). So `"M\xFCller GmbH"` reads as
//! `"Müller GmbH"`. Every value (or key) decoded that way is remembered by its path
//! ([`Params::with_transcoded`]): display text may use the decoded form, but a secret never does,
//! since a password changed by a guess about its charset is a password nobody was told
//! ([`Params::secret`] refuses it, naming the field).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::secrets::Secrets;

/// The arguments of one WHMCS call, converted once at the edge.
#[derive(Clone, Debug, Default)]
pub struct Params {
    map: Map<String, Value>,
    /// JSON pointers (`/clientsdetails/companyname`) of the members whose text (or key) was not
    /// UTF-8 and was decoded as Windows-1252.
    transcoded: BTreeSet<String>,
    /// The secrets among the members, gathered on the first ask ([`Params::secrets_once`]) and
    /// kept: the extension's panic guard and the call's plan read `$params` for them once.
    secrets: OnceLock<Secrets>,
}

/// Why a secret cannot be used as it was given.
pub const NOT_UTF8_SECRET: &str = "is not UTF-8 text (it was stored in another character set); a secret is never converted, so nothing was sent: enter it again as UTF-8";

/// A secret that was not UTF-8 ([`Params::secret`]); its words are [`NOT_UTF8_SECRET`], to be
/// put after the field's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", NOT_UTF8_SECRET)]
pub struct NotUtf8Secret;

impl Params {
    /// Wraps a JSON object; anything else becomes an empty set of parameters.
    pub fn new(value: Value) -> Self {
        Self::with_transcoded(value, BTreeSet::new())
    }

    /// Wraps a JSON object whose members at the JSON pointers `transcoded` were decoded from
    /// Windows-1252 (see the module's documentation).
    pub fn with_transcoded(value: Value, transcoded: BTreeSet<String>) -> Self {
        match value {
            Value::Object(map) => Params {
                map,
                transcoded,
                secrets: OnceLock::new(),
            },
            _ => Params::default(),
        }
    }

    /// These parameters with `members` added (replacing any of the same name), each as given.
    pub fn with_members(mut self, members: Map<String, Value>) -> Params {
        for (key, value) in members {
            self.transcoded.retain(|p| !is_within(p, &key));
            self.map.insert(key, value);
        }
        // Other members may hold other secrets: gathered again when asked.
        self.secrets = OnceLock::new();
        self
    }

    /// The secrets among these members as `gather` finds them: gathered on the first call and
    /// kept for the next ones, so every reader of one call's `$params` shares one read. Only
    /// `settings::call_secrets::of_params` gathers them (one rule, so the kept set is always
    /// its answer); the members never change under it ([`Params::with_members`] makes new
    /// parameters and gathers again).
    pub(crate) fn secrets_once(&self, gather: impl FnOnce(&Params) -> Secrets) -> &Secrets {
        self.secrets.get_or_init(|| gather(self))
    }

    /// The trimmed text of `key`; empty when absent, null or not a scalar.
    pub fn text(&self, key: &str) -> String {
        scalar_text(self.map.get(key))
    }

    /// The value of `configoptionN` (1-based), trimmed.
    pub fn setting(&self, n: usize) -> String {
        self.text(&format!("configoption{n}"))
    }

    /// The text of the secret `key` exactly as given (never trimmed: spaces at either end are
    /// part of a password); empty when absent. `Err` (a problem to report under the field's
    /// label) when the value was not UTF-8, so it would have to be changed to be used.
    pub fn secret(&self, key: &str) -> Result<String, NotUtf8Secret> {
        if self.was_transcoded(key) {
            return Err(NotUtf8Secret);
        }
        Ok(match self.map.get(key) {
            Some(Value::String(s)) => s.clone(),
            other => scalar_text(other),
        })
    }

    /// Whether the value of `key` (or its key, or anything inside it) was decoded from
    /// Windows-1252.
    pub fn was_transcoded(&self, key: &str) -> bool {
        // Nearly always nothing was: no pointer to build then (this runs for every read secret).
        if self.transcoded.is_empty() {
            return false;
        }
        let path = pointer(key);
        let inside = format!("{path}/");
        self.transcoded.contains(&path)
            || self
                .transcoded
                .range(inside.clone()..)
                .next()
                .is_some_and(|p| p.starts_with(&inside))
    }

    /// Whether a yes/no value is ticked: `on`, `yes`, `1`, `true` (any case), or a PHP `true`.
    pub fn flag(&self, key: &str) -> bool {
        is_yes(self.map.get(key))
    }

    /// The member `key` as given, for a reader that only looks (nothing is copied, unlike
    /// [`Params::nested`]); `None` when absent.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    /// A nested array (`clientsdetails`, `configoptions`), empty when absent.
    pub fn nested(&self, key: &str) -> Params {
        match self.map.get(key) {
            Some(Value::Object(map)) => {
                let prefix = format!("{}/", pointer(key));
                let transcoded = self
                    .transcoded
                    .range(prefix.clone()..)
                    .take_while(|p| p.starts_with(&prefix))
                    .map(|p| p[prefix.len() - 1..].to_string())
                    .collect();
                Params {
                    map: map.clone(),
                    transcoded,
                    secrets: OnceLock::new(),
                }
            }
            _ => Params::default(),
        }
    }

    /// These parameters with every member's value passed through `f`; what was transcoded stays
    /// known, so a secret refused before is still refused after (e.g. after HTML decoding).
    pub fn map_values(&self, f: impl Fn(&Value) -> Value) -> Params {
        Params {
            map: self.map.iter().map(|(k, v)| (k.clone(), f(v))).collect(),
            transcoded: self.transcoded.clone(),
            secrets: OnceLock::new(),
        }
    }

    /// The members, in the order WHMCS passed them.
    pub fn entries(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.map.iter()
    }

    /// Whether `key` holds anything other than nothing.
    pub fn has(&self, key: &str) -> bool {
        !self.text(key).is_empty()
    }
}

/// Whether JSON pointer `pointer` is member `key` or inside it.
fn is_within(pointer: &str, key: &str) -> bool {
    let top = self::pointer(key);
    pointer == top || pointer.starts_with(&format!("{top}/"))
}

/// The JSON pointer of a member `key` (`~` and `/` escaped as RFC 6901 says).
pub fn pointer(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// A PHP string's bytes as text: UTF-8 when they are valid UTF-8, else decoded as Windows-1252.
/// The flag says whether they were decoded (so changed).
pub fn decode_text(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), false),
        Err(_) => (bytes.iter().map(|b| windows_1252(*b)).collect(), true),
    }
}

/// Windows-1252 bytes 0x80–0x9F (WHATWG's index); the undefined ones are the C1 controls.
const HIGH_CONTROLS: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// One Windows-1252 byte as a character: ASCII and 0xA0–0xFF are Latin-1 (their code point).
fn windows_1252(byte: u8) -> char {
    match byte {
        0x80..=0x9F => HIGH_CONTROLS[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The trimmed text of a scalar JSON value (a number as its digits, `true` as `1`); empty for
/// nothing, `false`, arrays and objects.
pub fn scalar_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(true)) => "1".to_string(),
        _ => String::new(),
    }
}

/// Reads a yes/no value the way WHMCS products store it.
pub fn is_yes(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "on" | "yes" | "1" | "true"
        ),
        _ => false,
    }
}

/// Hook `$vars` with every string HTML-decoded once.
pub fn decode_params(vars: &Params) -> Params {
    vars.map_values(crate::text::entities::decode_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_nested_values_but_not_keys() {
        let v = serde_json::json!({"a&amp;b": ["x &amp; y", 3, {"c": "&lt;"}], "n": null});
        assert_eq!(
            crate::text::entities::decode_value(&v),
            serde_json::json!({"a&amp;b": ["x & y", 3, {"c": "<"}], "n": null})
        );
        let p = decode_params(&Params::new(
            serde_json::json!({"companyname": "Smith &amp; Sons", "client_id": 4}),
        ));
        assert_eq!(p.text("companyname"), "Smith & Sons");
        assert_eq!(p.text("client_id"), "4");
    }
    use serde_json::json;

    #[test]
    fn reads_text_numbers_and_flags() {
        let p =
            Params::new(json!({"a": " x ", "n": 42, "on": "ON", "t": true, "off": "", "z": null}));
        assert_eq!(p.text("a"), "x");
        assert_eq!(p.text("n"), "42");
        assert!(p.flag("on") && p.flag("t"));
        assert!(!p.flag("off") && !p.flag("z") && !p.flag("missing"));
        assert_eq!(p.text("z"), "");
    }

    #[test]
    fn utf8_is_kept_and_anything_else_is_windows_1252() {
        assert_eq!(decode_text("Müller".as_bytes()), ("Müller".into(), false));
        assert_eq!(decode_text(b"M\xFCller GmbH"), ("Müller GmbH".into(), true));
        assert_eq!(
            decode_text(b"Speichergr\xF6\xDFe"),
            ("Speichergröße".into(), true)
        );
        // The 0x80-0x9F block is Windows-1252's, the five undefined bytes are C1 controls.
        assert_eq!(decode_text(b"\x80\x81\x8A\x9F"), ("€\u{81}ŠŸ".into(), true));
        // One invalid byte makes the whole string Windows-1252, valid sequences included.
        assert_eq!(decode_text(b"\xC3\xBC\xFF"), ("Ã¼ÿ".into(), true));
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode_text(&all).0.chars().count(), 256);
    }

    #[test]
    fn secrets_are_raw_and_refused_when_transcoded() {
        let transcoded = [
            "/password".to_string(),
            "/clientsdetails/companyname".to_string(),
            "/configoptions/Gr\u{f6}\u{df}e".to_string(),
        ];
        let p = Params::with_transcoded(
            json!({"password": "p\u{e4}ss", "password2": " a b ", "password-x": "x",
                   "clientsdetails": {"companyname": "Müller GmbH", "email": "a@b.c"},
                   "configoptions": {"Größe": "5"}, "n": 7}),
            transcoded.into_iter().collect(),
        );
        assert_eq!(p.secret("password"), Err(NotUtf8Secret));
        assert_eq!(NotUtf8Secret.to_string(), NOT_UTF8_SECRET);
        assert_eq!(p.secret("password2").as_deref(), Ok(" a b "));
        assert_eq!(p.text("password2"), "a b");
        assert_eq!(p.secret("password-x").as_deref(), Ok("x"));
        assert_eq!(p.secret("n").as_deref(), Ok("7"));
        assert_eq!(p.secret("missing").as_deref(), Ok(""));
        assert!(p.was_transcoded("clientsdetails") && p.was_transcoded("configoptions"));
        let client = p.nested("clientsdetails");
        assert!(client.was_transcoded("companyname") && !client.was_transcoded("email"));
        assert_eq!(client.text("companyname"), "Müller GmbH");
        assert!(client.secret("companyname").is_err());
        assert!(!p.nested("configoptions").was_transcoded("Gr"));
    }

    #[test]
    fn non_object_is_empty() {
        assert_eq!(Params::new(json!([1, 2])).text("0"), "");
    }
}
