//! The one way this project shortens a text: at most so many characters (never bytes, so a
//! character is never split), and a marker saying it was cut.

/// At most `limit` characters of `text`, followed by `marker` when anything was left out (`…`
/// for a quoted value; `""` where the text is only bounded; the error body's `… (N bytes in
/// all)`). A text of `limit` characters or fewer is returned whole, without the marker.
pub fn cut(text: &str, limit: usize, marker: &str) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}{marker}", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_characters_and_marks_only_a_cut() {
        assert_eq!(cut("abcdef", 3, "…"), "abc…");
        assert_eq!(cut("abc", 3, "…"), "abc", "not cut: no marker");
        assert_eq!(cut("ééé€", 2, ""), "éé", "characters, not bytes");
        assert_eq!(cut("", 0, "…"), "");
        assert_eq!(cut("a", 0, "…"), "…");
    }
}
