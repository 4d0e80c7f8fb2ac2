//! Secrets of one call (passwords, the certificate pin, a pass key) and their removal from any
//! text or JSON value before it reaches a log, a message or WHMCS.
//!
//! A server or a proxy may send a secret back in any form it was sent or stored in, so each one
//! is masked in all of them: as it is; JSON-escaped (serde_json's, PHP `json_encode`'s `\/` and
//! `\uXXXX`, Rust's `\u{..}`, hex in either case, quoted up to three times over); URL-encoded
//! (`%XX` in either case, `+` for a space); as HTML entities; and in base64 (standard or URL-safe,
//! padded or not, alone or inside longer base64 text such as an `Authorization: Basic` header,
//! of the secret, of the JSON that carried it, or of its own base64). The HTTP Basic credential
//! is masked whole because `user:password` is itself listed as a secret ([`basic_credential`]).
//! Where this project cut a text short (`…`), a secret's beginning left just before the cut is
//! masked too, since no whole form of it is there to be found.
//!
//! Rather than spelling every encoding of every secret (escaping is optional per character, so
//! the forms multiply), the text is decoded into a few *views*, each byte of which remembers where
//! in the text it came from, and every view is searched for the secret and its base64 forms.
//! The matches of all secrets in all views are united before anything is replaced, so a secret
//! inside a longer one (`Winter` and `Winter2026xyz!`) masks the longer one whole: no tail is
//! left, whatever the order of the list.
//!
//! Short secrets (one or two characters) are masked everywhere like the others, although that
//! makes text unreadable: WHMCS's own `$replaceVars` scrubbing of the Module Log does the same, a
//! secret shown in clear is worse than a garbled message, and the rules elsewhere decide whether
//! such a password is acceptable at all. Only their *derived* forms (base64, hex) shorter than
//! [`MIN_FORM`] characters are not searched for: they would hit ordinary text at random (the hex
//! of a one-letter password is in a port number), and they come from secrets of a few bytes,
//! which no masking can keep from being guessed.

use serde_json::{Map, Value};

mod cache;
mod forms;
mod views;

use views::{views, View};

/// What a secret is replaced by, whatever its length (a length would say something about it).
pub const MASK: &str = "********";

/// The one set of secret values of a call, built once from its plan: every message, log record
/// and exception text of the call is scrubbed with it (member names holding secrets are masked
/// by [`masked`] whatever their value). Empty values are never members.
#[derive(Clone, Default)]
pub struct Secrets(Vec<String>);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} values)", self.0.len())
    }
}

impl std::ops::Deref for Secrets {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.0
    }
}

impl Secrets {
    /// Adds one value (an empty one is no secret).
    pub fn add(&mut self, value: impl Into<String>) {
        let value = value.into();
        if !value.is_empty() && !self.0.contains(&value) {
            self.0.push(value);
        }
    }

    /// Adds each of `values`.
    pub fn extend<S: Into<String>>(&mut self, values: impl IntoIterator<Item = S>) {
        values.into_iter().for_each(|v| self.add(v));
    }

    /// `text` with every form of every member masked.
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, &self.0)
    }
}

/// Whether a JSON member of this name holds a secret: `password` or `passkey`, in any case and
/// with any separators (`Pass_Key`, `pass-key`).
pub fn is_secret_member(name: &str) -> bool {
    // Compared as it is folded, nothing allocated: this runs for every member of every record.
    let folded = name
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase());
    ["password", "passkey"]
        .iter()
        .any(|word| folded.clone().eq(word.bytes()))
}

/// A copy of a JSON value with every secret-bearing member masked by name, whatever its value
/// (what [`Secrets`] masks by value is on top of this).
pub fn masked(value: &Value) -> Value {
    let mut copy = value.clone();
    mask_members(&mut copy);
    copy
}

/// [`masked`] in place, for a value that is not needed unmasked afterwards.
pub fn mask_members(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (name, member) in map.iter_mut() {
                if is_secret_member(name) {
                    *member = Value::String(MASK.into());
                } else {
                    mask_members(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_members),
        _ => {}
    }
}

/// `user:password`, whose base64 is the HTTP Basic credential sent with every request: listed as
/// a secret of its own so that an echoed `Authorization` header is masked whole. Empty (so no
/// secret) without a password.
pub fn basic_credential(user: &str, password: &str) -> String {
    if password.is_empty() {
        String::new()
    } else {
        [user, ":", password].concat()
    }
}

/// `text` with every form of every secret replaced by [`MASK`].
pub fn scrub(text: &str, secrets: &[String]) -> String {
    Scrubber::cached(secrets).scrub(text)
}

/// A JSON value with every form of every secret inside its strings (and member names) masked.
pub fn scrub_value(value: &Value, secrets: &[String]) -> Value {
    Scrubber::cached(secrets).scrub_value(value)
}

/// Derived forms (base64, hex) shorter than this are not searched for (they would match text
/// at random); a secret itself is, whatever its length.
pub const MIN_FORM: usize = 6;

/// The byte patterns of a list of secrets, ready to search many texts.
pub struct Scrubber {
    patterns: Vec<Vec<u8>>,
    /// Pattern indexes by first byte.
    by_first: Vec<Vec<usize>>,
    /// Bit `a * 256 + b` is set when some pattern starts with bytes `a b` (or is just `a`):
    /// most positions of a text are rejected by one lookup.
    starts: Vec<u64>,
    /// The length of the shortest pattern: no decoding makes a text longer (every escape,
    /// `%XX` and entity is at least as long as what it stands for), so a shorter text without a
    /// cut holds no match in any view and is returned as it is without decoding it.
    shortest: usize,
}

impl Scrubber {
    /// Patterns for every non-empty secret: the secret itself and its base64 forms.
    pub fn new(secrets: &[String]) -> Self {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            patterns.push(secret.as_bytes().to_vec());
            patterns.extend(cache::derived(secret).iter().cloned());
        }
        patterns.sort();
        patterns.dedup();
        let mut by_first = vec![Vec::new(); 256];
        let mut starts = vec![0u64; 65_536 / 64];
        for (i, p) in patterns.iter().enumerate() {
            by_first[p[0] as usize].push(i);
            let seconds: Vec<usize> = match p.get(1) {
                Some(b) => vec![*b as usize],
                None => (0..256).collect(),
            };
            for b in seconds {
                let bit = (p[0] as usize) * 256 + b;
                starts[bit / 64] |= 1 << (bit % 64);
            }
        }
        let shortest = patterns.iter().map(Vec::len).min().unwrap_or(0);
        Scrubber {
            patterns,
            by_first,
            starts,
            shortest,
        }
    }

    /// The same as [`Scrubber::new`], but the one built last in this thread when it was built
    /// from exactly `secrets` (a worker calls one server with the same credentials every
    /// request; see `secrets/cache.rs` for why keeping it exposes nothing new).
    pub fn cached(secrets: &[String]) -> std::rc::Rc<Scrubber> {
        cache::scrubber(secrets)
    }

    /// `text` with every match in any of its views replaced by [`MASK`].
    pub fn scrub(&self, text: &str) -> String {
        self.scrub_as(text, MASK)
    }

    /// `text` with every match in any of its views replaced by `with` (e.g. the hooks'
    /// `[client data]` for personal data in a web-served log).
    pub fn scrub_as(&self, text: &str, with: &str) -> String {
        mask(text, self.spans(text), with)
    }

    /// `text` with every match replaced by [`MASK`], in place: left as it is, nothing copied,
    /// when nothing matched (nearly every text of a log record).
    pub fn scrub_in_place(&self, text: &mut String) {
        let spans = self.spans(text);
        if !spans.is_empty() {
            *text = mask(text, spans, MASK);
        }
    }

    /// The spans of `text` (byte ranges, maybe overlapping) that hold a form of a secret.
    fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        if self.patterns.is_empty()
            || text.is_empty()
            || (text.len() < self.shortest && !text.contains(CUT))
        {
            return spans;
        }
        let cut_begins = CUT.as_bytes()[0];
        if !text.as_bytes().contains(&cut_begins) && !views::decodable(text.as_bytes()) {
            // No cut, and the text is its only view: searched as it is, nothing copied (most
            // log texts).
            self.find_in(text.as_bytes(), |i, len| spans.push((i, i + len)));
            return spans;
        }
        let cuts: Vec<usize> = text.match_indices(CUT).map(|(i, _)| i).collect();
        for view in views(text) {
            self.find(&view, text.len(), &mut spans);
            if !cuts.is_empty() {
                self.find_cut_tails(&view, &cuts, &mut spans);
            }
        }
        spans
    }

    /// A copy of `value` with every string and member name scrubbed.
    pub fn scrub_value(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.scrub(text)),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.scrub_value(v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.scrub(k), self.scrub_value(v)))
                    .collect::<Map<String, Value>>(),
            ),
            other => other.clone(),
        }
    }

    /// `value` scrubbed as [`Scrubber::scrub_value`] would, in place: only what holds a secret
    /// is rewritten (an object whose member name holds one is rebuilt, as `scrub_value` builds
    /// it).
    pub fn scrub_value_in_place(&self, value: &mut Value) {
        match value {
            Value::String(text) => self.scrub_in_place(text),
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_value_in_place(v)),
            Value::Object(map) if map.keys().any(|k| !self.spans(k).is_empty()) => {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, mut v)| {
                        self.scrub_value_in_place(&mut v);
                        (self.scrub(&k), v)
                    })
                    .collect();
            }
            Value::Object(map) => map.values_mut().for_each(|v| self.scrub_value_in_place(v)),
            _ => {}
        }
    }

    /// Adds the original-text span of every pattern found in `view`.
    fn find(&self, view: &View, text_len: usize, spans: &mut Vec<(usize, usize)>) {
        self.find_in(&view.bytes, |i, len| {
            spans.push((view.start(i), view.end(i + len - 1, text_len)));
        });
    }

    /// Calls `found(at, length)` for every pattern found in `bytes`.
    fn find_in(&self, bytes: &[u8], mut found: impl FnMut(usize, usize)) {
        for (i, &first) in bytes.iter().enumerate() {
            // The pair at i rules most positions out; the last byte has no pair, so it is tried.
            if let Some(&second) = bytes.get(i + 1) {
                let bit = usize::from(first) * 256 + usize::from(second);
                if self.starts[bit / 64] & (1 << (bit % 64)) == 0 {
                    continue;
                }
            }
            for &p in &self.by_first[usize::from(first)] {
                let pattern = &self.patterns[p];
                if bytes[i..].starts_with(pattern) {
                    found(i, pattern.len());
                }
            }
        }
    }
}

impl Scrubber {
    /// Text this project shortens ends where it was cut with [`CUT`] (`cut`, `printable`), and a
    /// secret cut there shows only its beginning, which no whole match finds. Whatever right
    /// before a cut begins a pattern (at least [`MIN_TAIL`] bytes of it) is masked, also when an
    /// escape was cut in half (`\u00`, `%C`, `&am` stay undecoded, so it is looked for before them).
    fn find_cut_tails(&self, view: &View, cuts: &[usize], spans: &mut Vec<(usize, usize)>) {
        for (j, &origin) in view.origin.iter().enumerate() {
            let first_byte = j == 0 || view.origin[j - 1] != origin;
            if view.bytes[j] != CUT.as_bytes()[0]
                || !first_byte
                || cuts.binary_search(&(origin as usize)).is_err()
            {
                continue;
            }
            let mut ends = vec![j];
            if let Some(d) =
                (1..=6.min(j)).find(|&d| matches!(view.bytes[j - d], b'\\' | b'%' | b'&'))
            {
                ends.push(j - d);
            }
            for end in ends {
                if let Some(len) = self.longest_beginning(&view.bytes[..end]) {
                    spans.push((view.start(end - len), origin as usize));
                }
            }
        }
    }

    /// The length of the longest end of `before` that is the beginning of some pattern.
    fn longest_beginning(&self, before: &[u8]) -> Option<usize> {
        self.patterns
            .iter()
            .filter_map(|p| {
                (MIN_TAIL..=p.len().min(before.len()))
                    .rev()
                    .find(|&n| before.ends_with(&p[..n]))
            })
            .max()
    }
}

/// The mark of text cut short (`text::cut::cut`'s markers begin with it: `…`, `… (N bytes in all)`).
const CUT: &str = "…";

/// A secret's beginning shorter than this before a cut is left (one character says little, and
/// masking it would hit ordinary text before every cut).
const MIN_TAIL: usize = 2;

/// Replaces the united spans of `text` by one `with` each.
fn mask(text: &str, mut spans: Vec<(usize, usize)>, with: &str) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut i = 0;
    while i < spans.len() {
        let (mut start, mut end) = spans[i];
        i += 1;
        // Touching or overlapping spans become one, so no piece of either shows.
        while i < spans.len() && spans[i].0 <= end {
            end = end.max(spans[i].1);
            i += 1;
        }
        start = start.max(done);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        out.push_str(&text[done..start.max(done)]);
        if end > done {
            out.push_str(with);
            done = end;
        }
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    use base64::Engine as _;
    use std::time::Instant;

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|x| x.to_string()).collect()
    }

    /// PHP's `json_encode` of a string, by its documented rules: `/` as `\/`, non-ASCII as
    /// lowercase `\uXXXX` (surrogate pairs above U+FFFF), controls as `\b \f \n \r \t` or `\u00XX`.
    fn php_json(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '/' => out.push_str("\\/"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 || !c.is_ascii() => {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{:04x}", u));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// `\u00e9` as `\u00E9`, the rest as it is.
    fn upper_hex_escapes(json: &str) -> String {
        let mut out = String::new();
        let mut rest = json;
        while let Some(at) = rest.find("\\u") {
            out.push_str(&rest[..at + 2]);
            out.push_str(&rest[at + 2..at + 6].to_uppercase());
            rest = &rest[at + 6..];
        }
        out.push_str(rest);
        out
    }

    fn url(text: &str, plus: bool, upper: bool) -> String {
        let mut out = String::new();
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else if b == b' ' && plus {
                out.push('+');
            } else if upper {
                out.push_str(&format!("%{b:02X}"));
            } else {
                out.push_str(&format!("%{b:02x}"));
            }
        }
        out
    }

    /// Asserts that `text` keeps no form of `secret` once scrubbed, and keeps `context`.
    #[test]
    fn masks_nested_secrets() {
        let v = masked(
            &serde_json::json!({"name": "a", "password": "p", "x": [{"passkey": "k", "Pass_Key": "k"}]}),
        );
        assert_eq!(
            v,
            serde_json::json!({"name": "a", "password": MASK, "x": [{"passkey": MASK, "Pass_Key": MASK}]})
        );
        // Any case and separators, nothing else: not a longer word, not a non-ASCII look-alike.
        for name in [
            "PASSWORD",
            "pass-key",
            "Pass Key",
            "pass_word",
            "ü-passkey-ü",
        ] {
            assert!(is_secret_member(name), "{name}");
        }
        for name in ["passwords", "passke", "pаssword", "password2", "", "key"] {
            assert!(!is_secret_member(name), "{name}");
        }
        let mut in_place = serde_json::json!({"a": [{"Password": {"x": 1}}], "b": "password"});
        mask_members(&mut in_place);
        assert_eq!(
            in_place,
            serde_json::json!({"a": [{"Password": MASK}], "b": "password"})
        );
    }

    fn assert_masked(text: &str, secrets: &[String], secret: &str, context: &str) {
        let out = scrub(text, secrets);
        assert!(out.contains(MASK), "nothing masked in {text:?} → {out:?}");
        assert!(out.contains(context), "context lost: {text:?} → {out:?}");
        for form in every_form(secret) {
            assert!(!out.contains(&form), "{form:?} left in {out:?}");
        }
    }

    /// Every encoded form the tests know of (the scrubber must not need this list).
    fn every_form(secret: &str) -> Vec<String> {
        let serde = serde_json::to_string(secret).unwrap();
        let mut forms = vec![
            secret.to_string(),
            serde[1..serde.len() - 1].to_string(),
            php_json(secret).trim_matches('"').to_string(),
            url(secret, true, true),
            url(secret, false, false),
            STANDARD.encode(secret),
            URL_SAFE.encode(secret),
        ];
        forms.retain(|f| f.len() >= 3);
        forms
    }

    const NASTY: &str = "p\"a\\ss/wörd\t€😀";

    #[test]
    fn masks_the_raw_secret() {
        let out = scrub("login admin / hunter22 failed", &s(&["hunter22"]));
        assert_eq!(out, "login admin / ******** failed");
    }

    #[test]
    fn masks_serde_json_escaped_forms() {
        let body = serde_json::to_string(&serde_json::json!({"password": NASTY})).unwrap();
        let text = format!("bad request body: {body}");
        assert_masked(
            &text,
            &s(&[NASTY]),
            NASTY,
            "bad request body: {\"password\":",
        );
    }

    #[test]
    fn masks_php_json_encode_forms_in_either_hex_case() {
        let php = php_json(NASTY);
        assert!(php.contains("\\/") && php.contains("\\u00f6") && php.contains("\\ud83d\\ude00"));
        for form in [php.clone(), upper_hex_escapes(&php)] {
            let text = format!("{{\"error\":{{\"message\":{form}}}}}");
            let out = scrub(&text, &s(&[NASTY]));
            assert_eq!(out, "{\"error\":{\"message\":\"********\"}}", "{form}");
        }
    }

    #[test]
    fn masks_json_escaped_twice_and_three_times() {
        let once = serde_json::to_string(&serde_json::json!({"password": NASTY})).unwrap();
        let twice =
            serde_json::to_string(&serde_json::json!({"message": format!("bad: {once}")})).unwrap();
        let thrice = serde_json::to_string(&twice).unwrap();
        for text in [twice, thrice] {
            let out = scrub(&text, &s(&[NASTY]));
            assert!(out.contains(MASK), "{out}");
            assert!(
                !out.contains("wörd") && !out.contains("w\\u00f6rd"),
                "{out}"
            );
        }
    }

    #[test]
    fn masks_rust_debug_escapes() {
        let secret = "tab\there\u{1b}x";
        let text = format!("server said {:?}", secret);
        assert!(text.contains("\\u{1b}"));
        assert_eq!(scrub(&text, &s(&[secret])), "server said \"********\"");
    }

    #[test]
    fn masks_url_encoded_forms() {
        let secret = "p w+d/\"ä%";
        for (plus, upper) in [(true, true), (true, false), (false, true), (false, false)] {
            let text = format!("user=admin&password={}&x=1", url(secret, plus, upper));
            assert_eq!(
                scrub(&text, &s(&[secret])),
                "user=admin&password=********&x=1",
                "{text}"
            );
        }
    }

    #[test]
    fn masks_forms_encoded_twice_over() {
        let secret = "p w\"&ä";
        let twice_url = url(&url(secret, false, true), false, true);
        assert!(twice_url.contains("%2522"));
        assert_eq!(
            scrub(&format!("q={twice_url}"), &s(&[secret])),
            "q=********"
        );
        let twice_html = "&amp;quot;";
        let out = scrub(&format!("p w{twice_html}&amp;amp;ä"), &s(&[secret]));
        assert_eq!(out, "********");
    }

    #[test]
    fn masks_a_hex_dump_in_either_case() {
        let secret = "Winter2026xyz!";
        let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
        for form in [hex.clone(), hex.to_uppercase()] {
            assert_eq!(
                scrub(&format!("0000: {form}"), &s(&[secret])),
                "0000: ********"
            );
        }
    }

    #[test]
    fn masks_html_entities() {
        let text = "<p>bad password &quot;p&amp;w&lt;&#39;d&#x22;</p>";
        assert_eq!(
            scrub(text, &s(&["\"p&w<'d\""])),
            "<p>bad password ********</p>"
        );
    }

    #[test]
    fn masks_base64_in_both_alphabets_with_and_without_padding() {
        // Chosen so the standard and URL-safe forms differ (`/` against `_`) and are padded.
        let secret = "Zürich>?~";
        let std = STANDARD.encode(secret);
        let safe = URL_SAFE.encode(secret);
        assert_ne!(std, safe);
        for form in [
            std.clone(),
            std.trim_end_matches('=').to_string(),
            safe.clone(),
        ] {
            let out = scrub(&format!("token {form} end"), &s(&[secret]));
            assert_eq!(out, "token ******** end", "{form}");
        }
    }

    #[test]
    fn masks_a_secret_inside_longer_base64_at_every_offset() {
        let secret = "Winter2026xyz!";
        for prefix in ["", "a", "ab", "abc", "some:user:"] {
            for suffix in ["", "z", "zz", "::more"] {
                let payload = format!("{prefix}{secret}{suffix}");
                let encoded = STANDARD.encode(&payload);
                let out = scrub(&encoded, &s(&[secret]));
                assert!(out.contains(MASK), "{payload}: {out}");
                // At most the two characters on each side that mix in other bits remain.
                let visible = out.replace(MASK, "");
                assert!(
                    visible.len() <= encoded.len() - 4 * secret.len() / 3 + 4,
                    "{payload}: {out}"
                );
            }
        }
    }

    #[test]
    fn masks_base64_of_the_json_that_carried_a_secret_and_of_its_own_base64() {
        let secret = "p\"a\\ss/wörd";
        let body =
            serde_json::to_string(&serde_json::json!({"name": "x", "password": secret})).unwrap();
        let header = format!(
            "Authorization: Basic {}",
            STANDARD.encode(format!("admin:{secret}"))
        );
        let secrets = s(&[secret, &basic_credential("admin", secret)]);
        for prefix in ["", "x", "xy"] {
            let dump = STANDARD.encode(format!("{prefix}{header}\n{body}"));
            let out = scrub(&format!("dump {dump}"), &secrets);
            // What is left is pieces too short to hold more than a few bits of the secret.
            assert!(out.matches(MASK).count() >= 2, "{prefix:?}: {out}");
            for piece in out.split(MASK) {
                assert!(
                    piece.len() < 48,
                    "{prefix:?}: a long piece is left: {piece}"
                );
            }
        }
    }

    #[test]
    fn masks_html_escaped_json() {
        let secret = "p\"w<&>";
        let body = serde_json::to_string(&serde_json::json!({"password": secret})).unwrap();
        let html = body
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert_eq!(
            scrub(&format!("<p>{html}</p>"), &s(&[secret])),
            "<p>{&quot;password&quot;:&quot;********&quot;}</p>"
        );
    }

    #[test]
    fn masks_the_basic_credential_of_user_and_password() {
        let credential = basic_credential("admin", "s3cret!");
        assert_eq!(credential, "admin:s3cret!");
        let header = format!("Authorization: Basic {}", STANDARD.encode(&credential));
        let secrets = s(&["s3cret!", &credential]);
        assert_eq!(scrub(&header, &secrets), "Authorization: Basic ********");
        // Without the user name's part the password's base64 is still masked.
        let out = scrub(&header, &s(&["s3cret!"]));
        assert!(
            out.starts_with("Authorization: Basic YWRtaW46") && out.contains(MASK),
            "{out}"
        );
        assert_eq!(basic_credential("admin", ""), "");
    }

    #[test]
    fn overlapping_secrets_leave_no_tail_in_any_order() {
        let text = "admin Winter, service Winter2026xyz!, again Winter2026xyz!.";
        for order in [["Winter", "Winter2026xyz!"], ["Winter2026xyz!", "Winter"]] {
            let out = scrub(text, &s(&order));
            assert_eq!(out, "admin ********, service ********, again ********.");
        }
        // Overlapping in the middle, and touching: one mask, nothing between.
        assert_eq!(scrub("xxABCDEyy", &s(&["ABC", "CDE"])), "xx********yy");
        assert_eq!(scrub("xxABCDEyy", &s(&["AB", "CDE"])), "xx********yy");
        // JSON-escaped forms of overlapping secrets.
        let json = serde_json::to_string("Win\"ter and Win\"ter2026\\x").unwrap();
        let out = scrub(&json, &s(&["Win\"ter", "Win\"ter2026\\x"]));
        assert_eq!(out, "\"******** and ********\"");
    }

    #[test]
    fn a_secret_cut_short_by_this_project_is_masked_up_to_the_cut() {
        let secret = "Winter2026xyz!";
        let body = format!("{{\"name\":\"acme\",\"password\":\"{secret}\"}}");
        for keep in 2..secret.len() {
            let cut_at = body.find(secret).unwrap() + keep;
            let text = format!("HTTP 400: {}… (HTTP_400)", &body[..cut_at]);
            let out = scrub(&text, &s(&[secret]));
            assert!(
                out.ends_with("\"password\":\"********… (HTTP_400)"),
                "{keep}: {out}"
            );
        }
        // An escape cut in half: `\u00` of `\u00e9` and `%C` of `%C3%A9`.
        let secret = "sécurité";
        let json = php_json(secret);
        let cut_at = json.rfind("\\u00e9").unwrap() + 4;
        let out = scrub(
            &format!("{}… (9 bytes in all)", &json[..cut_at]),
            &s(&[secret]),
        );
        assert_eq!(out, "\"********… (9 bytes in all)");
        let encoded = url(secret, true, true);
        let out = scrub(&format!("x={}…", &encoded[..5]), &s(&[secret]));
        assert_eq!(out, "x=********…");
        // Text that was not cut keeps a secret's beginning (it is not the secret).
        assert_eq!(scrub("Win… and Wi", &s(&["Winter"])), "********… and Wi");
        assert_eq!(scrub("W… x", &s(&["Winter"])), "W… x");
    }

    #[test]
    fn short_secrets_are_masked_everywhere() {
        assert_eq!(scrub("a1b1c", &s(&["1"])), "a********b********c");
        assert_eq!(scrub("xyxyz", &s(&["xy"])), "********z");
        // Their short derived forms are not searched: `61` (hex of `a`) is in the port 6061.
        assert_eq!(scrub("port 6061, YQ== ", &s(&["a"])), "port 6061, YQ== ");
        assert_eq!(scrub("nothing", &s(&[""])), "nothing");
        assert_eq!(scrub("nothing", &[]), "nothing");
    }

    #[test]
    fn text_without_secrets_is_kept_byte_for_byte() {
        let text = "Grüße \\u00e9 %41 &amp; \\\" YWRt 😀 \\ud800 %zz &bogus; \\u{zz";
        assert_eq!(scrub(text, &s(&["hunter22", "Winter2026xyz!"])), text);
    }

    #[test]
    fn masks_secrets_in_values_and_member_names() {
        let value = serde_json::json!({
            "a": ["x hunter22 y", {"hunter22": 1, "n": 2}],
            "b": "aHVudGVyMjI=",
            "c": true,
        });
        let out = scrub_value(&value, &s(&["hunter22"]));
        assert_eq!(
            out,
            serde_json::json!({
                "a": ["x ******** y", {"********": 1, "n": 2}],
                "b": "********",
                "c": true,
            })
        );
    }

    #[test]
    fn scrubbing_in_place_masks_what_a_copy_masks_and_copies_nothing_else() {
        let secrets = s(&["hunter22", "Winter2026!"]);
        let scrubber = Scrubber::new(&secrets);
        let value = serde_json::json!({
            "a": ["x hunter22 y", {"hunter22": 1, "n": "V2ludGVyMjAyNiE="}],
            "hunter22": "first", "********": "second",
            "b": "cut Winte…", "c": {"d": "p%3Dhunter22&amp;", "e": null, "f": 2.5},
            "g": "nothing here",
        });
        let mut in_place = value.clone();
        scrubber.scrub_value_in_place(&mut in_place);
        let copy = scrubber.scrub_value(&value);
        assert_eq!(in_place, copy);
        assert_eq!(
            serde_json::to_string(&in_place).unwrap(),
            serde_json::to_string(&copy).unwrap(),
            "the members' order"
        );
        assert_eq!(in_place["a"][1], serde_json::json!({MASK: 1, "n": MASK}));
        assert_eq!(in_place["b"], format!("cut {MASK}…"));
        // A text without a secret keeps its buffer; one with a secret is masked.
        let mut clean = String::from("HTTP 200\n{\"product\":\"Backup Server\"}");
        let buffer = clean.as_ptr();
        scrubber.scrub_in_place(&mut clean);
        assert_eq!(clean.as_ptr(), buffer);
        let mut echoed = String::from("HTTP 400\n{\"password\":\"Winter2026!\"}");
        scrubber.scrub_in_place(&mut echoed);
        assert_eq!(echoed, format!("HTTP 400\n{{\"password\":\"{MASK}\"}}"));
    }

    #[test]
    fn non_ascii_text_is_cut_only_at_character_boundaries() {
        let secret = "é";
        assert_eq!(scrub("aébé", &s(&[secret])), "a********b********");
        assert_eq!(scrub("%C3%A9x", &s(&[secret])), "********x");
        assert_eq!(scrub("\\u00e9€", &s(&[secret])), "********€");
    }

    #[test]
    fn random_text_never_panics_and_never_keeps_a_secret() {
        // Pieces that start, end or cut escapes of every kind (no `*`: the mask is made of it).
        const PIECES: [&str; 24] = [
            "\\", "u", "u{", "}", "00", "e9", "D83D", "%", "2", "C3", "+", "&", "#", "x", ";",
            "amp", "quot", "…", "é", "😀", "\"", "a", "Z", "=",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut piece_string =
                |len: usize| -> String { (0..len).map(|_| PIECES[next(PIECES.len())]).collect() };
            let secrets: Vec<String> = (0..3).map(|_| piece_string(4)).collect();
            let text = piece_string(40);
            let out = scrub(&text, &secrets);
            for secret in &secrets {
                let json = serde_json::to_string(secret).unwrap();
                for form in [
                    secret.as_str(),
                    &json[1..json.len() - 1],
                    &url(secret, true, true),
                ] {
                    assert!(!out.contains(form), "{form:?} in {out:?} from {text:?}");
                }
            }
        }
    }

    #[test]
    fn a_typical_log_record_takes_microseconds() {
        // A call's secrets (admin password, Basic credential, service password, pin) and a
        // module log response of a few KiB with escapes, as with_client scrubs three times per request.
        let secrets = s(&[
            "Adm\"in\\pa/ss",
            "admin:Adm\"in\\pa/ss",
            "Svc-pa55word",
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        ]);
        let mut text = String::from("HTTP 400\n");
        while text.len() < 4096 {
            text.push_str(r#"{"error":{"message":"bad \"x\" %20 &amp; aGVsbG8="}} "#);
        }
        let scrubber = Scrubber::new(&secrets);
        let runs = 200;
        let started = Instant::now();
        for _ in 0..runs {
            assert_eq!(scrubber.scrub(&text), text);
        }
        let each = started.elapsed() / runs;
        eprintln!("scrub: 4 secrets, 4 KiB record: {each:?} each");
        assert!(each.as_millis() < 50, "{each:?}");
    }

    #[test]
    fn texts_shorter_than_every_pattern_are_skipped_only_when_nothing_can_match() {
        // The shortest pattern of `Winter2026!` is a derived form of MIN_FORM bytes: shorter
        // texts are returned as they are, but a cut one still has its secret's beginning masked.
        let long = s(&["Winter2026!"]);
        assert_eq!(scrub("Win…", &long), format!("{MASK}…"));
        assert_eq!(scrub("GET", &long), "GET");
        // A short secret is its own shortest pattern: texts as short as it are still searched,
        // in every view.
        let short = s(&["ab"]);
        assert_eq!(scrub("ab", &short), MASK);
        assert_eq!(scrub("%61b", &short), MASK);
        assert_eq!(scrub("xaby", &short), format!("x{MASK}y"));
        assert_eq!(scrub("a", &short), "a");
    }

    #[test]
    fn many_secrets_and_long_text_stay_fast() {
        let secrets: Vec<String> = (0..200).map(|i| format!("Secret-{i:04}-\"\\/ü")).collect();
        let mut text = String::new();
        while text.len() < 256 * 1024 {
            text.push_str("{\"message\":\"nothing here \\\" %41 &amp; YWJj\",\"n\":12345} ");
        }
        text.push_str(&serde_json::to_string(&secrets[199]).unwrap());
        let started = Instant::now();
        let out = scrub(&text, &secrets);
        let took = started.elapsed();
        assert!(
            out.ends_with(&format!("\"{MASK}\"")),
            "{}",
            &out[out.len() - 40..]
        );
        eprintln!("scrub: 200 secrets, {} KiB: {took:?}", text.len() / 1024);
        // Generous for an unoptimised build on a shared machine; the release build is ~10x faster.
        assert!(took.as_secs_f64() < 5.0, "{took:?}");
    }
}
