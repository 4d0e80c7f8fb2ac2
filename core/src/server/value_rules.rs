//! The shapes of values the Backup Server accepts, written once for both sides: the module
//! refuses a bad value before it sends anything (`rules.rs` wraps these in messages that name the
//! admin's field), and sgsim refuses the same values with `400 VALIDATION_FAILED`
//! (`sim/src/validate.rs`, which includes this file by path as it does `limits.rs`). Two copies
//! had drifted apart (an e-mail with a no-break space passed the module and was refused by the
//! simulator); one source keeps the module from sending what the server refuses. Plain `std` only,
//! so that it compiles on its own in either crate. Its tests run in both crates.

/// Whether `c` may appear in a reseller or customer name: `A-Z a-z 0-9 . _ @ -` and space.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-' | ' ')
}

/// A plain, practical e-mail check: `local@domain.tld`; no white space (a no-break space too) or
/// control characters anywhere, no `@ , < >` in the local part (at most 64 bytes), and a domain
/// of two or more non-empty labels of letters, digits and `-`.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !local.contains(['@', ',', '<', '>'])
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// A time of day in `HHMM` form, 0000–2359.
pub fn is_hhmm(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 4
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] - b'0') * 10 + (b[1] - b'0') < 24
        && b[2] < b'6'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The accept/reject cases both sides are held to (this file is compiled into both).
    const EMAILS: &[(&str, bool)] = &[
        ("reports@acme.test", true),
        ("a.b-c+d@mail.acme.test", true),
        ("jane@bücher.test", true),
        ("a", false),
        ("a@b", false),
        ("@b.c", false),
        ("a@b..c", false),
        ("a@.b.c", false),
        ("a@b.c.", false),
        ("a b@c.d", false),
        ("a\u{a0}b@c.d", false),
        ("a@b\u{a0}.c", false),
        ("a\tb@c.d", false),
        ("a,b@c.d", false),
        ("<a@c.d>", false),
        ("a@b@c.d", false),
        ("a@b_c.d", false),
    ];

    const TIMES: &[(&str, bool)] = &[
        ("0000", true),
        ("2359", true),
        ("0130", true),
        ("1740", true),
        ("2400", false),
        ("2460", false),
        ("1260", false),
        ("130", false),
        ("12:30", false),
        ("-100", false),
        ("abcd", false),
        ("", false),
    ];

    #[test]
    fn emails() {
        for (text, ok) in EMAILS {
            assert_eq!(is_email(text), *ok, "{text:?}");
        }
        assert!(is_email(&format!("{}@x.test", "l".repeat(64))));
        assert!(!is_email(&format!("{}@x.test", "l".repeat(65))));
    }

    #[test]
    fn times() {
        for (text, ok) in TIMES {
            assert_eq!(is_hhmm(text), *ok, "{text:?}");
        }
    }

    #[test]
    fn name_chars() {
        assert!("Acme Inc. backup_1@x-y".chars().all(is_name_char));
        for bad in ['/', 'é', '\u{a0}', '\t', ':'] {
            assert!(!is_name_char(bad), "{bad:?}");
        }
    }
}
