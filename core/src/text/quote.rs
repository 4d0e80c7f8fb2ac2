//! A value as a message or a screen quotes it: control and invisible characters made visible and
//! long values cut, so neither an admin's typing nor a server's words can disguise a message.

use crate::text::cut::cut;

/// The longest text of the server's a tab row quotes (names are 64, references 128 characters).
const MAX_SHOWN: usize = 160;

/// The longest value a message quotes whole.
const MAX_QUOTED: usize = 80;

/// A value as it may be quoted in a message: control characters escaped, long values cut.
pub fn printable(text: &str) -> String {
    escape_controls(&cut(text, MAX_QUOTED, "…"))
}

/// Escapes control characters and the invisible ones that reorder or hide text (bidi overrides,
/// zero-width marks), so a server's words cannot disguise a message. Quotes and backslashes stay
/// as they are.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let invisible = matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
        if c.is_control() || invisible {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A server's (or a service's) text as the admin screens show it: control characters made
/// visible, cut to [`MAX_SHOWN`] characters.
pub fn shown(text: &str) -> String {
    cut(&printable(text), MAX_SHOWN, "…")
}
