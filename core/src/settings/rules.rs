//! The value rules of the module settings, each a small function from the admin's text to a typed
//! value or to the problem in words. Messages never repeat a secret; they quote other values so the
//! admin sees what was read.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::server::api::NewAccount;

use crate::server::limits::{
    is_reference_char, MAX_CONTACT_FIELD, MAX_EMAIL, MAX_LOCATION, MAX_PASSWORD, MAX_REFERENCE,
    MAX_REPORT_EMAILS,
};
pub use crate::server::limits::{
    MAX_MCAL, MAX_NAME, MAX_RATE_EXCLUSIVE, MAX_STORAGE, MIN_RATE_EXCLUSIVE,
};
/// The accept/reject predicates shared with sgsim (`value_rules.rs`).
pub use crate::server::value_rules::{is_email, is_name_char};
use crate::text::quote::printable;

/// What is wrong with a value, in words. Whoever read the value puts its field's name before it
/// ([`Problems::check`](crate::settings::plan::Problems::check)), or passes the words on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Problem(String);

impl Problem {
    /// A problem in these words.
    pub fn new(words: impl Into<String>) -> Problem {
        Problem(words.into())
    }

    /// Its words.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Problem> for String {
    fn from(p: Problem) -> String {
        p.0
    }
}

impl PartialEq<&str> for Problem {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// `problem!("…{x}…")`: a [`Problem`] in formatted words.
macro_rules! problem {
    ($($words:tt)*) => {
        Problem(format!($($words)*))
    };
}

/// Checks an account name: 1–64 characters of `A-Z a-z 0-9 . _ @ -` and space.
pub fn account_name(text: &str) -> Result<String, Problem> {
    if text.is_empty() {
        return Err(Problem::new("is empty"));
    }
    if text.chars().count() > MAX_NAME {
        return Err(problem!("is longer than {MAX_NAME} characters"));
    }
    if let Some(bad) = text.chars().find(|c| !is_name_char(*c)) {
        return Err(problem!(
            "\"{}\" contains {:?}; only letters, digits, spaces and . _ @ - are allowed",
            printable(text),
            bad
        ));
    }
    Ok(text.to_string())
}

/// Checks every free-text field of a create request against the longest value the Backup Server
/// takes (`limits.rs`), before anything is sent: a 50 MB company name is refused naming its field,
/// instead of failing on the wire. The message names the field as the API does (`contact.company`)
/// and never quotes the value, which may be a password.
pub fn request_lengths(account: &NewAccount) -> Result<(), Problem> {
    let c = &account.contact;
    let mut fields: Vec<(&str, &str, usize)> = vec![
        ("name", &account.name, MAX_NAME),
        ("reference", &account.reference, MAX_REFERENCE),
        (
            "password",
            account.password.as_deref().unwrap_or(""),
            MAX_PASSWORD,
        ),
        ("contact.email", &c.email, MAX_CONTACT_FIELD),
        ("contact.first_name", &c.first_name, MAX_CONTACT_FIELD),
        ("contact.last_name", &c.last_name, MAX_CONTACT_FIELD),
        ("contact.company", &c.company, MAX_CONTACT_FIELD),
        ("contact.phone", &c.phone, MAX_CONTACT_FIELD),
        ("contact.address", &c.address, MAX_CONTACT_FIELD),
        ("contact.city", &c.city, MAX_CONTACT_FIELD),
        ("contact.state", &c.state, MAX_CONTACT_FIELD),
        ("contact.postcode", &c.postcode, MAX_CONTACT_FIELD),
        ("contact.country", &c.country, MAX_CONTACT_FIELD),
        (
            "reseller",
            account.reseller.as_deref().unwrap_or(""),
            MAX_NAME,
        ),
        (
            "storage.location",
            account.storage.location.as_deref().unwrap_or(""),
            MAX_LOCATION,
        ),
    ];
    let emails = account
        .consolidated_report
        .as_ref()
        .map(|r| r.emails.as_slice())
        .unwrap_or_default();
    if emails.len() > MAX_REPORT_EMAILS {
        return Err(problem!(
            "consolidated_report.emails holds {} addresses, more than the {MAX_REPORT_EMAILS} the Backup Server takes",
            emails.len()
        ));
    }
    fields.extend(
        emails
            .iter()
            .map(|e| ("consolidated_report.emails", e.as_str(), MAX_EMAIL)),
    );
    for (field, value, max) in fields {
        // Bytes first: a count of characters of a huge value is not needed to refuse it.
        if value.len() > max && value.chars().count() > max {
            return Err(problem!(
                "{field} is too large: {} characters where the Backup Server takes at most {max}; nothing was sent",
                value.chars().count()
            ));
        }
    }
    if let Some(bad) = account.reference.chars().find(|c| !is_reference_char(*c)) {
        return Err(problem!(
            "reference contains {bad:?}; only letters, digits and : . _ - are allowed"
        ));
    }
    Ok(())
}

/// Checks a host: a DNS name, an IPv4 or an IPv6 literal, without scheme, path, port or spaces.
/// Returns the host as it goes into a URL (IPv6 in brackets). Its advice names the fields where
/// the scheme and the port go as the caller calls them (`Terms::field`).
pub fn host(text: &str, scheme_field: &str, port_field: &str) -> Result<String, Problem> {
    let shown = printable(text);
    if text.contains("://") {
        return Err(problem!(
            "\"{shown}\" must be a host name or IP address only, without http:// or https:// (choose the scheme in {})",
            scheme_field
        ));
    }
    let bare = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    if let Ok(v6) = bare.parse::<Ipv6Addr>() {
        return Ok(format!("[{v6}]"));
    }
    if text.parse::<Ipv4Addr>().is_ok() {
        return Ok(text.to_string());
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(problem!("\"{shown}\" must not contain spaces"));
    }
    if text.contains(['/', '?', '#', '@']) {
        return Err(problem!(
            "\"{shown}\" must be a host name or IP address only, without a path"
        ));
    }
    if text.contains(':') {
        return Err(problem!(
            "\"{shown}\" must be a host name or IP address only; put the port in {}",
            port_field
        ));
    }
    let labels_ok = text.len() <= 253
        && text.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    // A name whose last label is all digits is a mistyped IPv4 address, not a host name.
    let numeric_tail = text
        .rsplit('.')
        .next()
        .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()));
    if labels_ok && numeric_tail {
        Err(problem!("\"{shown}\" is not a valid IPv4 address"))
    } else if labels_ok {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(problem!(
            "\"{shown}\" is not a valid host name or IP address"
        ))
    }
}

/// Checks a TCP port, 1–65535.
pub fn port(text: &str) -> Result<u16, Problem> {
    match text.parse::<u32>() {
        Ok(p) if (1..=65535).contains(&p) => Ok(p as u16),
        _ => Err(problem!(
            "\"{}\" is not a port number (1-65535)",
            printable(text)
        )),
    }
}

/// Checks a whole number in `min..=max`, describing the range in `what`.
pub fn whole(text: &str, min: u64, max: u64, what: &str) -> Result<u64, Problem> {
    let digits = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
    match text.parse::<u64>() {
        Ok(n) if digits && (min..=max).contains(&n) => Ok(n),
        _ => Err(problem!("\"{}\" is not {what}", printable(text))),
    }
}

/// Checks a time of day in `HHMM` form, 0000–2359.
pub fn hhmm(text: &str) -> Result<String, Problem> {
    if crate::server::value_rules::is_hhmm(text) {
        Ok(text.to_string())
    } else {
        Err(problem!(
            "\"{}\" is not a time in HHMM form (0000-2359)",
            printable(text)
        ))
    }
}

/// Checks a comma-separated list of e-mail addresses; at least one.
pub fn emails(text: &str) -> Result<Vec<String>, Problem> {
    let list: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if list.is_empty() {
        return Err(Problem::new("needs at least one e-mail address"));
    }
    if let Some(bad) = list.iter().find(|e| !is_email(e)) {
        return Err(problem!(
            "\"{}\" is not a valid e-mail address",
            printable(bad)
        ));
    }
    Ok(list)
}

/// Checks free text that must not hold control characters.
pub fn plain_text(text: &str) -> Result<String, Problem> {
    if text.chars().any(char::is_control) {
        Err(Problem::new("must not contain control characters"))
    } else {
        Ok(text.to_string())
    }
}

/// Finds `text` among a drop-down's choices (case-insensitive) and answers its index; the
/// default for an empty value is the caller's, read from `OPTIONS` (`options::dropdown`).
pub fn choice(text: &str, choices: &[&str]) -> Result<usize, Problem> {
    choices
        .iter()
        .position(|c| c.eq_ignore_ascii_case(text))
        .ok_or_else(|| {
            problem!(
                "\"{}\" is not one of: {}",
                printable(text),
                choices.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module_host(text: &str) -> Result<String, Problem> {
        host(text, "Protocol", "WebConsole Port")
    }

    #[test]
    fn hosts() {
        assert_eq!(
            module_host("backup.example.com").unwrap(),
            "backup.example.com"
        );
        assert_eq!(module_host("10.0.0.1").unwrap(), "10.0.0.1");
        assert_eq!(module_host("::1").unwrap(), "[::1]");
        assert_eq!(module_host("[fe80::1]").unwrap(), "[fe80::1]");
        assert!(module_host("https://x.test")
            .unwrap_err()
            .to_string()
            .contains("without http://"));
        assert!(module_host("x.test/path")
            .unwrap_err()
            .to_string()
            .contains("without a path"));
        assert!(module_host("x .test")
            .unwrap_err()
            .to_string()
            .contains("spaces"));
        assert!(module_host("x.test:6061")
            .unwrap_err()
            .to_string()
            .contains("WebConsole Port"));
        assert!(module_host("-x.test").is_err());
        assert!(module_host("a..b").is_err());
        assert!(module_host("999.999.999.999")
            .unwrap_err()
            .to_string()
            .contains("not a valid IPv4 address"));
        assert!(module_host("10.0.0").is_err());
        assert_eq!(
            module_host("backup1.example.com").unwrap(),
            "backup1.example.com"
        );
        // The advice names the fields as the caller gives them.
        let hooks = host("x.test:6061", "$protocal", "$port")
            .unwrap_err()
            .to_string();
        assert!(hooks.ends_with("put the port in $port"), "{hooks}");
        let hooks = host("https://x.test", "$protocal", "$port")
            .unwrap_err()
            .to_string();
        assert!(
            hooks.ends_with("(choose the scheme in $protocal)"),
            "{hooks}"
        );
    }

    #[test]
    fn ports_and_numbers() {
        assert_eq!(port("6061").unwrap(), 6061);
        assert!(port("0").is_err() && port("65536").is_err() && port("x").is_err());
        assert_eq!(whole("5", 1, 9, "x").unwrap(), 5);
        assert!(whole("+5", 1, 9, "x").is_err());
        assert!(whole("0", 1, 9, "x").is_err());
        assert!(whole("9223372036854775808", 1, MAX_STORAGE, "x").is_err());
        assert_eq!(
            whole("9223372036854775807", 1, MAX_STORAGE, "x").unwrap(),
            MAX_STORAGE
        );
    }

    #[test]
    fn times() {
        assert!(hhmm("0000").is_ok() && hhmm("2359").is_ok() && hhmm("0130").is_ok());
        assert_eq!(
            hhmm("2460").unwrap_err().to_string(),
            "\"2460\" is not a time in HHMM form (0000-2359)"
        );
        for bad in ["2400", "1260", "130", "01:30", "abcd", ""] {
            assert!(hhmm(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_mails() {
        assert!(account_name("Acme Inc. backup_1@x-y").is_ok());
        assert!(account_name("a/b").unwrap_err().to_string().contains("'/'"));
        assert!(account_name(&"a".repeat(65)).is_err());
        assert_eq!(emails("a@x.test, b@y.test").unwrap().len(), 2);
        assert!(emails("a@x.test, nope")
            .unwrap_err()
            .to_string()
            .contains("\"nope\""));
        assert!(emails(" , ").is_err());
        // The drift of issue 9: sgsim refuses a no-break space, so the module must too.
        assert!(emails("a\u{a0}b@x.test").is_err());
    }

    #[test]
    fn printable_escapes_only_what_hides_text() {
        assert_eq!(printable("I'm \"ok\""), "I'm \"ok\"");
        assert_eq!(printable("a\nb"), "a\\nb");
        assert_eq!(printable("x\u{202E}y"), "x\\u{202e}y");
        assert!(printable(&"z".repeat(100)).ends_with('…'));
    }

    #[test]
    fn choices() {
        assert_eq!(choice("a", &["a", "b"]).unwrap(), 0);
        assert_eq!(choice("B", &["a", "b"]).unwrap(), 1);
        assert!(choice("c", &["a", "b"])
            .unwrap_err()
            .to_string()
            .contains("one of: a, b"));
        assert!(choice("", &["a", "b"]).is_err());
    }
}
