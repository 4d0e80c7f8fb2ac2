//! Request bodies of the API: `NewAccount` (create, and PATCH with any field but `name`).
//! Every struct rejects unknown fields; `Option<Option<T>>` tells "absent" (keep) from `null`.

use crate::model::{ConsolidatedReport, Contact, Throttle};
use serde::{Deserialize, Deserializer};

/// The body of `POST /resellers`, `POST /customers` and both PATCHes. (No `Debug`: it may
/// hold a password.)
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The account's name (create only).
    pub name: Option<String>,
    /// The external reference tying the account to a record of the caller (e.g. a WHMCS
    /// service); searchable with `?reference=`.
    #[serde(default, deserialize_with = "present")]
    pub reference: Option<Option<String>>,
    /// Web console password of the account; checked, never stored nor echoed.
    pub password: Option<String>,
    /// Contact details (replaces the whole object on PATCH).
    pub contact: Option<Contact>,
    /// The owning reseller (customers only; default `Default Reseller`).
    pub reseller: Option<String>,
    /// Default true.
    pub active: Option<bool>,
    /// Default false.
    pub auto_authorization: Option<bool>,
    /// Quota (`allotted_bytes` required on create).
    pub storage: Option<StorageIn>,
    /// Customers only (replaces on PATCH).
    pub consolidated_report: Option<ConsolidatedReport>,
    /// Licences (default auto).
    pub mcal: Option<McalIn>,
    /// `null` = global configuration; absent = unchanged (create: global).
    #[serde(default, deserialize_with = "present")]
    pub throttle: Option<Option<Throttle>>,
    /// Record a welcome mail (create only; ignored on PATCH).
    pub send_mail: Option<bool>,
}

/// The `storage` object of a request.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct StorageIn {
    /// 1 … 2^63−1.
    pub allotted_bytes: Option<u64>,
    /// `null` or empty: the server picks.
    #[serde(default, deserialize_with = "present")]
    pub location: Option<Option<String>>,
}

/// The `mcal` object of a request.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct McalIn {
    /// Drawn from the shared pool.
    pub auto: Option<bool>,
    /// 0 … 2^31−1; required when `auto` is false.
    #[serde(default, deserialize_with = "present")]
    pub allotted: Option<Option<u64>>,
}

/// Deserialize a field that is present (possibly `null`) as `Some(value)`; with
/// `#[serde(default)]` an absent field stays `None`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::parse_json;

    #[test]
    fn absent_and_null_differ() {
        let a: NewAccount = parse_json(br#"{"throttle": null}"#).unwrap();
        assert_eq!(a.throttle, Some(None));
        let b: NewAccount = parse_json(br#"{}"#).unwrap();
        assert_eq!(b.throttle, None);
        let c: NewAccount = parse_json(br#"{"storage": {"location": null}}"#).unwrap();
        assert_eq!(c.storage.unwrap().location, Some(None));
    }

    #[test]
    fn unknown_fields_are_named() {
        let field = |body: &str| {
            parse_json::<NewAccount>(body.as_bytes())
                .err()
                .unwrap()
                .field
        };
        assert_eq!(
            field(r#"{"mcal": {"auto": true, "pool": 3}}"#).as_deref(),
            Some("mcal.pool")
        );
        assert_eq!(
            field(r#"{"throttle": {"enabled": true, "x": 1}}"#).as_deref(),
            Some("throttle.x")
        );
        assert_eq!(field(r#"{"kind": "customer"}"#).as_deref(), Some("kind"));
        assert_eq!(
            field(r#"{"contact": {"fax": "1"}}"#).as_deref(),
            Some("contact.fax")
        );
    }
}
