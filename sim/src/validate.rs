//! The rules the server enforces on an account. Each failure is a `400 VALIDATION_FAILED` naming
//! the JSON field. The limits (`core/src/limits.rs`) and the value shapes (names, e-mails, times:
//! `core/src/value_rules.rs`) are the module's own files, included by path, so that sgsim refuses
//! exactly what the module refuses before sending; what is here is how the server applies them
//! to a whole account and words its answers.

use crate::error::ApiError;
use crate::limits::{
    is_reference_char, MAX_CONTACT_FIELD, MAX_EMAIL, MAX_LOCATION, MAX_MCAL, MAX_NAME,
    MAX_PASSWORD, MAX_RATE_EXCLUSIVE, MAX_REFERENCE, MAX_REPORT_EMAILS, MAX_STORAGE,
    MIN_RATE_EXCLUSIVE,
};
use crate::model::{Account, Kind, ThrottleMode};
use crate::value_rules::is_name_char;
pub use crate::value_rules::{is_email as email, is_hhmm as hhmm};
use crate::wire::NewAccount;

/// An account name: 1–64 characters of `A-Z a-z 0-9 . _ @ -` and space.
pub fn name(field: &str, value: &str) -> Result<(), ApiError> {
    let len = value.chars().count();
    if len == 0 || len > MAX_NAME {
        return Err(ApiError::validation(
            field,
            format!("must be 1-{MAX_NAME} characters long (got {len})"),
        ));
    }
    if let Some(bad) = value.chars().find(|c| !is_name_char(*c)) {
        return Err(ApiError::validation(
            field,
            format!("{bad:?} is not allowed in a name (only A-Z a-z 0-9 . _ @ - and space)"),
        ));
    }
    Ok(())
}

/// An external reference: 1-128 characters of `A-Z a-z 0-9 : . _ -` (an empty one means none).
pub fn reference(value: &str) -> Result<(), ApiError> {
    let len = value.chars().count();
    if len > MAX_REFERENCE {
        return Err(ApiError::validation(
            "reference",
            format!("must be at most {MAX_REFERENCE} characters long (got {len})"),
        ));
    }
    if let Some(bad) = value.chars().find(|c| !is_reference_char(*c)) {
        return Err(ApiError::validation(
            "reference",
            format!("{bad:?} is not allowed in a reference (only A-Z a-z 0-9 : . _ -)"),
        ));
    }
    Ok(())
}

/// The longest values of a request (the module checks the same numbers before sending).
pub fn lengths(req: &NewAccount) -> Result<(), ApiError> {
    let too_long = |field: &str, value: &str, max: usize| {
        let len = value.chars().count();
        (len > max).then(|| {
            ApiError::validation(
                field,
                format!("must be at most {max} characters long (got {len})"),
            )
        })
    };
    let mut checks: Vec<(String, &str, usize)> = Vec::new();
    if let Some(p) = &req.password {
        checks.push(("password".into(), p, MAX_PASSWORD));
    }
    if let Some(c) = &req.contact {
        for (f, v) in [
            ("email", &c.email),
            ("first_name", &c.first_name),
            ("last_name", &c.last_name),
            ("company", &c.company),
            ("phone", &c.phone),
            ("address", &c.address),
            ("city", &c.city),
            ("state", &c.state),
            ("postcode", &c.postcode),
            ("country", &c.country),
        ] {
            if let Some(v) = v {
                checks.push((format!("contact.{f}"), v, MAX_CONTACT_FIELD));
            }
        }
    }
    if let Some(Some(loc)) = req.storage.as_ref().and_then(|s| s.location.as_ref()) {
        checks.push(("storage.location".into(), loc, MAX_LOCATION));
    }
    if let Some(r) = &req.consolidated_report {
        if r.emails.len() > MAX_REPORT_EMAILS {
            return Err(ApiError::validation(
                "consolidated_report.emails",
                format!("at most {MAX_REPORT_EMAILS} addresses"),
            ));
        }
        for e in &r.emails {
            checks.push(("consolidated_report.emails".into(), e, MAX_EMAIL));
        }
    }
    match checks
        .into_iter()
        .find_map(|(f, v, max)| too_long(&f, v, max))
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Check every rule on a complete (created or patched) account.
pub fn account(acc: &Account) -> Result<(), ApiError> {
    let st = &acc.storage;
    if st.allotted_bytes == 0 || st.allotted_bytes > MAX_STORAGE {
        return Err(ApiError::validation(
            "storage.allotted_bytes",
            format!("must be an integer from 1 to {MAX_STORAGE}"),
        ));
    }
    if let Some(loc) = &st.location {
        if loc.chars().any(char::is_control) {
            return Err(ApiError::validation(
                "storage.location",
                "must not contain control characters",
            ));
        }
    }
    if !acc.mcal.auto {
        match acc.mcal.allotted {
            None => {
                return Err(ApiError::validation(
                    "mcal.allotted",
                    "is required when mcal.auto is false",
                ))
            }
            Some(n) if n > MAX_MCAL => {
                return Err(ApiError::validation(
                    "mcal.allotted",
                    format!("must be an integer from 0 to {MAX_MCAL}"),
                ))
            }
            Some(_) => {}
        }
    }
    throttle(acc)?;
    if let Some(report) = &acc.consolidated_report {
        if acc.kind == Kind::Reseller {
            return Err(ApiError::validation(
                "consolidated_report",
                "is for customers only",
            ));
        }
        if report.enabled {
            if report.emails.is_empty() {
                return Err(ApiError::validation(
                    "consolidated_report.emails",
                    "at least one address is required when the report is enabled",
                ));
            }
            if let Some(bad) = report.emails.iter().find(|e| !email(e)) {
                return Err(ApiError::validation(
                    "consolidated_report.emails",
                    format!("{bad:?} is not a valid e-mail address"),
                ));
            }
        }
    }
    Ok(())
}

fn throttle(acc: &Account) -> Result<(), ApiError> {
    let Some(t) = &acc.throttle else {
        return Ok(());
    };
    if t.mode == ThrottleMode::Window {
        for (field, value) in [("throttle.from", &t.from), ("throttle.till", &t.till)] {
            match value {
                None => {
                    return Err(ApiError::validation(
                        field,
                        "is required when throttle.mode is \"window\"",
                    ))
                }
                Some(v) if !hhmm(v) => {
                    return Err(ApiError::validation(
                        field,
                        format!("{v:?} is not a time in HHMM form (0000-2359)"),
                    ))
                }
                Some(_) => {}
            }
        }
        if t.from == t.till {
            return Err(ApiError::validation(
                "throttle.till",
                "must differ from throttle.from",
            ));
        }
    }
    if t.enabled {
        match t.rate_bytes {
            None => {
                return Err(ApiError::validation(
                    "throttle.rate_bytes",
                    "is required when throttle.enabled is true",
                ))
            }
            Some(r) if r <= MIN_RATE_EXCLUSIVE || r >= MAX_RATE_EXCLUSIVE => {
                return Err(ApiError::validation(
                    "throttle.rate_bytes",
                    format!(
                        "must be an integer with {MIN_RATE_EXCLUSIVE} < rate < {MAX_RATE_EXCLUSIVE}"
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(name("name", "acme-42").is_ok());
        assert!(name("name", "Jane Doe@acme.test_1").is_ok());
        assert!(name("name", &"a".repeat(64)).is_ok());
        assert!(name("name", &"a".repeat(65)).is_err());
        assert!(name("name", "").is_err());
        assert!(name("name", "a/b").is_err());
        assert!(name("name", "é").is_err());
    }

    #[test]
    fn times_and_emails() {
        for ok in ["0000", "2359", "0130", "1740"] {
            assert!(hhmm(ok), "{ok}");
        }
        for bad in ["2400", "2460", "130", "12:30", "-100", "abcd"] {
            assert!(!hhmm(bad), "{bad}");
        }
        assert!(email("reports@acme.test"));
        for bad in [
            "a",
            "a@b",
            "@b.c",
            "a@b..c",
            "a b@c.d",
            "a@b.c.",
            "a\u{a0}b@c.d",
        ] {
            assert!(!email(bad), "{bad}");
        }
    }
}
