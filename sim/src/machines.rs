//! What the server does with a customer's machines (the backup clients) and the agent downloads it
//! publishes (both types are in `model.rs`): `GET /customers/{name}/clients` (paged like the
//! account lists), and their seeding through `POST /_sim/machines` and `POST /_sim/downloads`,
//! checked whole.

use crate::error::ApiError;
use crate::listing::by_name;
use crate::model::{BackupResult, Download, Machine};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// The most machines one customer may hold in the simulator (one seed request).
pub const MAX_MACHINES: usize = 10_000;
/// The most download links the server publishes.
pub const MAX_DOWNLOADS: usize = 32;
/// The longest machine name, in characters.
pub const MACHINE_NAME_MAX: usize = 128;
/// The longest OS text, in characters.
pub const OS_MAX: usize = 64;
/// The longest download URL, in characters.
pub const URL_MAX: usize = 2048;

/// The body of `POST /_sim/machines`: the customer's whole list, replacing what it had.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedMachines {
    /// The customer's name.
    pub customer: String,
    /// Its machines (0 … [`MAX_MACHINES`]).
    pub machines: Vec<Machine>,
}

/// The body of `POST /_sim/downloads`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedDownloads {
    /// The links `GET /server` answers from now on (0 … [`MAX_DOWNLOADS`]).
    pub downloads: Vec<Download>,
}

/// Text with no control characters, 1 … `max` characters (0 allowed when `may_be_empty`).
fn text(field: &str, value: &str, max: usize, may_be_empty: bool) -> Result<(), ApiError> {
    let n = value.chars().count();
    if (n == 0 && !may_be_empty) || n > max {
        let least = if may_be_empty { 0 } else { 1 };
        return Err(ApiError::validation(
            field,
            format!("must be {least} to {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ApiError::validation(
            field,
            "must not hold control characters",
        ));
    }
    Ok(())
}

/// Whether `t` is an RFC 3339 UTC time as the server writes them: `YYYY-MM-DDTHH:MM:SS` with
/// optional fractional seconds and `Z`, a real date and time (the `time` crate reads it; the
/// upper-case `T` and `Z` are the server's own spelling, which RFC 3339 leaves open).
pub fn is_utc_time(t: &str) -> bool {
    t.as_bytes().get(10) == Some(&b'T')
        && t.ends_with('Z')
        && time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).is_ok()
}

/// Checks a whole seed list: each machine's fields, and no name twice (case-insensitively).
/// Field paths name the entry, e.g. `machines[3].last_backup_at`.
pub fn check_machines(machines: &[Machine]) -> Result<(), ApiError> {
    if machines.len() > MAX_MACHINES {
        return Err(ApiError::validation(
            "machines",
            format!("at most {MAX_MACHINES} machines"),
        ));
    }
    let mut seen = HashSet::new();
    for (i, m) in machines.iter().enumerate() {
        let at = |f: &str| format!("machines[{i}].{f}");
        text(&at("name"), &m.name, MACHINE_NAME_MAX, false)?;
        text(&at("os"), &m.os, OS_MAX, true)?;
        for (field, time) in [
            ("last_backup_at", &m.last_backup_at),
            ("last_success_at", &m.last_success_at),
        ] {
            if let Some(t) = time {
                if !is_utc_time(t) {
                    return Err(ApiError::validation(
                        at(field),
                        "must be an RFC 3339 UTC time such as 2026-01-31T23:59:00Z",
                    ));
                }
            }
        }
        if m.last_backup_at.is_some() != m.last_backup_result.is_some() {
            return Err(ApiError::validation(
                at("last_backup_result"),
                "is given exactly when last_backup_at is",
            ));
        }
        if m.last_backup_result == Some(BackupResult::Success)
            && m.last_success_at != m.last_backup_at
        {
            return Err(ApiError::validation(
                at("last_success_at"),
                "equals last_backup_at when the last backup succeeded",
            ));
        }
        if !seen.insert(m.name.to_lowercase()) {
            return Err(ApiError::already_exists(format!(
                "machines[{i}].name is already in the list"
            )));
        }
    }
    Ok(())
}

/// Checks the download list: each `os` 1 … 64 characters, each `url` an http(s) URL.
pub fn check_downloads(downloads: &[Download]) -> Result<(), ApiError> {
    if downloads.len() > MAX_DOWNLOADS {
        return Err(ApiError::validation(
            "downloads",
            format!("at most {MAX_DOWNLOADS} links"),
        ));
    }
    for (i, d) in downloads.iter().enumerate() {
        text(&format!("downloads[{i}].os"), &d.os, OS_MAX, false)?;
        let field = format!("downloads[{i}].url");
        text(&field, &d.url, URL_MAX, false)?;
        if !(d.url.starts_with("https://") || d.url.starts_with("http://")) || d.url.contains(' ') {
            return Err(ApiError::validation(
                field,
                "must be an http:// or https:// URL without spaces",
            ));
        }
    }
    Ok(())
}

/// The query of `GET /customers/{name}/clients`: `limit` (1 … 1000, default 1000) and `after`
/// (a machine name; the previous page's `next`).
pub struct MachineQuery {
    limit: usize,
    after: Option<String>,
}

impl MachineQuery {
    /// Reads the query; a bad `limit` or `after` is a `400` naming it.
    pub fn parse(q: &HashMap<String, String>) -> Result<MachineQuery, ApiError> {
        let limit = crate::listing::page_limit(q)?;
        let after = q.get("after").filter(|a| !a.is_empty()).cloned();
        if let Some(a) = &after {
            text("after", a, MACHINE_NAME_MAX, false)?;
        }
        Ok(MachineQuery { limit, after })
    }
}

/// One page of `machines`, sorted by name case-insensitively: `{"clients": [...], "next"}`,
/// `next` the page's last name when more follow, else `null`.
pub fn page(machines: &[Machine], q: &MachineQuery) -> Value {
    let mut sorted: Vec<&Machine> = machines
        .iter()
        .filter(|m| {
            q.after
                .as_deref()
                .is_none_or(|a| by_name(&m.name, a).is_gt())
        })
        .collect();
    sorted.sort_by(|a, b| by_name(&a.name, &b.name));
    let more = sorted.len() > q.limit;
    sorted.truncate(q.limit);
    let next = if more {
        sorted.last().map(|m| m.name.clone())
    } else {
        None
    };
    json!({ "clients": sorted, "next": next })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(name: &str) -> Machine {
        Machine {
            name: name.into(),
            os: "Linux".into(),
            last_backup_at: None,
            last_backup_result: None,
            last_success_at: None,
        }
    }

    #[test]
    fn utc_times_are_told_from_others() {
        for good in [
            "2026-01-31T23:59:00Z",
            "2026-11-30T01:02:03.456Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(is_utc_time(good), "{good}");
        }
        for bad in [
            "",
            "2026-01-31 23:59:00Z",
            "2026-01-31T23:59:00+01:00",
            "2026-13-01T00:00:00Z",
            "2026-01-31T24:00:00Z",
            "2026-01-31T23:59:00.Z",
            "2026-01-31t23:59:00z",
            "2026-02-30T00:00:00Z",
            "2026-01-31T23:59:00Z ",
            "yesterday",
        ] {
            assert!(!is_utc_time(bad), "{bad}");
        }
    }

    #[test]
    fn pages_follow_the_name_order_and_a_cursor() {
        let all: Vec<Machine> = ["b", "A", "c"].iter().map(|n| machine(n)).collect();
        let q = MachineQuery {
            limit: 2,
            after: None,
        };
        let first = page(&all, &q);
        assert_eq!(first["clients"][0]["name"], "A");
        assert_eq!(first["next"], "b");
        let q = MachineQuery {
            limit: 2,
            after: Some("b".into()),
        };
        let second = page(&all, &q);
        assert_eq!(second["clients"].as_array().unwrap().len(), 1);
        assert_eq!(second["next"], Value::Null);
    }

    #[test]
    fn a_seed_list_is_checked_whole() {
        let mut m = machine("pc");
        m.last_backup_at = Some("2026-01-01T00:00:00Z".into());
        let e = check_machines(&[m.clone()]).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "machines[0].last_backup_result");
        m.last_backup_result = Some(BackupResult::Failed);
        check_machines(&[m.clone()]).unwrap();
        let e = check_machines(&[m.clone(), machine("PC")]).unwrap_err();
        assert_eq!(e.body()["error"]["code"], "ALREADY_EXISTS");
        let e = check_machines(&[machine("a\u{7}b")]).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "machines[0].name");
    }
}
