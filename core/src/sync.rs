//! `<name>_ListAccounts` (WHMCS's Server Sync): every account of a server in WHMCS's documented
//! shape (https://developers.whmcs.com/provisioning-modules/server-sync), so an admin can import
//! accounts that exist only on the Backup Server or see services the server lacks.
//!
//! The unique identifier is the account name, which is the service username (MetaData
//! `ListAccountsUniqueIdentifierField` = `username`); `product` is the kind as the product's
//! Action setting says it (`Signup Customer` / `Signup Reseller`, MetaData
//! `ListAccountsProductField` = that setting), so an import picks a product making that kind.

use serde_json::{json, Value};

use crate::api::Kind;
use crate::call_plan::Connection;
use crate::client::NetSettings;
use crate::failure::Failure;
use crate::host::Host;
use crate::listing::{self, Listed};
use crate::options::Action;
use crate::provision::{explain, with_client};

/// `ListAccounts`: `{success: true, accounts: [...]}` or `{success: false, error}` for the
/// planned server.
pub fn list_accounts(
    plan: Result<Connection, Failure>,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Value {
    match plan.and_then(|plan| accounts(&plan, host, net)) {
        Ok(accounts) => json!({"success": true, "accounts": accounts}),
        Err(e) => json!({"success": false, "error": e.to_string()}),
    }
}

fn accounts(
    plan: &Connection,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Vec<Value>, Failure> {
    let (endpoint, secrets) = (&plan.endpoint, &plan.secrets);
    let listed = with_client(host, "ListAccounts", endpoint, net, secrets, |c| {
        listing::all(c, &[Kind::Customer, Kind::Reseller]).map_err(|e| explain(&e))
    })
    .map_err(Failure::AccountsNotListed)?;
    listed.iter().map(account).collect()
}

/// One account in WHMCS's shape; every value a string.
pub fn account(listed: &Listed) -> Result<Value, Failure> {
    let kind = listed.kind.unwrap_or(Kind::Customer);
    let created = match listed.created_at.as_deref().map(whmcs_time) {
        Some(Some(time)) => time,
        Some(None) => {
            return Err(Failure::BadCreationTime {
                noun: kind.noun(),
                name: crate::rules::printable(&listed.name),
            })
        }
        // No time said: the account is older than the server's bookkeeping of it.
        None => "1970-01-01 00:00:00".into(),
    };
    let product = match kind {
        Kind::Customer => Action::SignupCustomer.text(),
        Kind::Reseller => Action::SignupReseller.text(),
    };
    Ok(json!({
        "email": listed.contact.as_ref().map(|c| c.email.clone()).unwrap_or_default(),
        "username": listed.name,
        "domain": "",
        "uniqueIdentifier": listed.name,
        "product": product,
        "primaryip": "",
        "created": created,
        "status": if listed.is_active() { "Active" } else { "Suspended" },
    }))
}

/// `2026-11-29T15:02:03Z` (fractions and a `+00:00` offset allowed) as WHMCS's `Y-m-d H:i:s`.
pub fn whmcs_time(rfc3339: &str) -> Option<String> {
    let b = rfc3339.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        range
            .clone()
            .all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    let shaped = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !shaped {
        return None;
    }
    let rest = &rfc3339[19..];
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => fraction.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    if !matches!(rest, "Z" | "z" | "+00:00") {
        return None;
    }
    let number = |r: std::ops::Range<usize>| rfc3339[r].parse::<u32>().unwrap_or(99);
    let (month, day, hour, minute, second) = (
        number(5..7),
        number(8..10),
        number(11..13),
        number(14..16),
        number(17..19),
    );
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some(format!("{} {}", &rfc3339[..10], &rfc3339[11..19]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_become_whmcs_times() {
        assert_eq!(
            whmcs_time("2026-11-29T15:02:03Z").as_deref(),
            Some("2026-11-29 15:02:03")
        );
        assert_eq!(
            whmcs_time("2026-11-29T15:02:03.25+00:00").as_deref(),
            Some("2026-11-29 15:02:03")
        );
        for bad in [
            "",
            "2026-11-29",
            "2026-13-01T00:00:00Z",
            "2026-11-29T15:02:03+02:00",
            "2026-11-29T25:00:00Z",
            "２０２６-11-29T15:02:03Z",
        ] {
            assert_eq!(whmcs_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_inactive_customer_is_suspended_and_a_reseller_names_its_product() {
        let customer: Listed = serde_json::from_value(json!({
            "name": "acme", "active": true, "effective_active": false,
            "contact": {"email": "a@b.test"}, "created_at": "2026-01-02T03:04:05Z"
        }))
        .unwrap();
        let v = account(&Listed {
            kind: Some(Kind::Customer),
            ..customer
        })
        .unwrap();
        assert_eq!(v["status"], "Suspended");
        assert_eq!(v["created"], "2026-01-02 03:04:05");
        assert_eq!(v["email"], "a@b.test");
        assert_eq!(v["product"], "Signup Customer");
        let reseller = Listed {
            name: "R".into(),
            kind: Some(Kind::Reseller),
            active: Some(true),
            ..Listed::default()
        };
        let v = account(&reseller).unwrap();
        assert_eq!(
            (v["status"].as_str(), v["product"].as_str()),
            (Some("Active"), Some("Signup Reseller"))
        );
    }
}
