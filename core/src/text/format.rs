//! Texts for people, made in one place for every page the module fills: HTML escaping (the admin
//! tab, the client area, the Loader's message), byte sizes and the percentage used.

/// `text` safe inside HTML text and quoted attributes: `& < > " '` become entities (`'` as
/// `&#039;`, as PHP's `htmlspecialchars(ENT_QUOTES)` writes it), and the rest as [`visible`]
/// leaves it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in visible(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a person should see it, whoever escapes it later: control characters become U+FFFD
/// so a server's bytes cannot break the page's layout, and the bidirectional controls
/// ([`is_bidi_control`]) are shown as visible text such as `\u{202E}`: raw, a right-to-left
/// override in a machine name (`invoice\u{202E}fdp.exe`) would make the page show a different
/// name than the server holds, and the text after it would run backwards. Visible rather than
/// removed, so the admin or client sees that the name holds one.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() => out.push('\u{FFFD}'),
            c if is_bidi_control(c) => out.push_str(&format!("\\u{{{:04X}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// The Unicode bidirectional formatting characters: embeddings and overrides (U+202A–U+202E),
/// isolates (U+2066–U+2069) and the marks U+200E, U+200F and U+061C.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Bytes in binary units with one decimal, e.g. `1.5 GiB`, `2.0 GiB` (`512 B` below one KiB).
pub fn bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `used` as a whole percentage of `allotted`, for the admin tab and the client area alike:
/// rounded to the nearest, as the sizes shown beside it are (8.7 GiB of 10.0 GiB is 87 %), but
/// never 100 while some is left (99.6 % shows 99); 100 when all is used, more when the server says
/// more than the allotment is used. `None` without an allotment.
pub fn percent(used: u64, allotted: u64) -> Option<u128> {
    if allotted == 0 {
        return None;
    }
    let (used, allotted) = (u128::from(used), u128::from(allotted));
    let rounded = (used * 100 + allotted / 2) / allotted;
    Some(if used < allotted {
        rounded.min(99)
    } else {
        rounded
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            escape("<a href='x'>\"&\u{7}"),
            "&lt;a href=&#039;x&#039;&gt;&quot;&amp;\u{FFFD}"
        );
    }

    #[test]
    fn bidi_controls_are_shown_never_raw() {
        assert_eq!(escape("pc\u{202E}exe.txt"), "pc\\u{202E}exe.txt");
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            let shown = escape(&format!("a{c}b"));
            assert!(!shown.contains(c), "{:04X}", u32::from(c));
            assert_eq!(shown, format!("a\\u{{{:04X}}}b", u32::from(c)));
        }
        assert_eq!(
            escape("\u{200D}é"),
            "\u{200D}é",
            "other format characters stay"
        );
    }

    #[test]
    fn percentages_round_to_the_nearest_and_are_full_only_when_full() {
        assert_eq!(percent(1, 4), Some(25));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(3_435_973_836, 10_737_418_240), Some(32));
        assert_eq!(percent(9_341_553_868, 10_737_418_240), Some(87));
        assert_eq!(
            percent(999, 1000),
            Some(99),
            "never full while some is left"
        );
        assert_eq!(percent(1, u64::MAX), Some(0));
        assert_eq!(percent(u64::MAX, u64::MAX), Some(100));
        assert_eq!(percent(5, 4), Some(125), "over the allotment says so");
        assert_eq!(percent(u64::MAX, 1), Some(u128::from(u64::MAX) * 100));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(5, 0), None);
    }

    #[test]
    fn sizes_in_binary_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(2 << 30), "2.0 GiB");
    }
}
