//! The simulator's bulk controls for benches and tests: usage for many accounts in one request
//! (`POST /_sim/usage` with `accounts`), and seeding many accounts at once (`POST /_sim/seed`).
//! Both are all-or-nothing and cost O(m log n) for m entries among n accounts (the store's
//! indexes), never O(n) per request.

use crate::error::{ApiError, ErrorCode};
use crate::limits::{MAX_CONTACT_FIELD, MAX_EMAIL, MAX_STORAGE};
use crate::model::{Account, ConsolidatedReport, Kind};
use crate::state::Sim;
use crate::store::Id;
use crate::util::{now_rfc3339, passkey};
use crate::validate;
use serde::Deserialize;
use serde_json::{json, Value};

/// Most entries of one bulk usage update (its body stays within the controls' body bound).
pub const BULK_MAX: usize = 100_000;

/// Most accounts of one seed (its body is small whatever the count): the largest server the list
/// paths are documented for, in one request.
pub const SEED_MAX: usize = 1_000_000;

/// One account's usage (`POST /_sim/usage`, alone or as an entry of `accounts`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    /// Reseller or customer.
    pub kind: Kind,
    /// The account's name (case-insensitive).
    pub name: String,
    /// New `storage.used_bytes`.
    pub used_bytes: Option<u64>,
    /// New `mcal.used`.
    pub mcal_used: Option<u64>,
    /// New `clients` (customers).
    pub clients: Option<u64>,
}

/// `{"accounts": [Usage, …]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkUsage {
    /// The entries, applied in order (a later entry for the same account wins).
    pub accounts: Vec<Usage>,
}

/// The body of `POST /_sim/seed`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Reseller or customer.
    pub kind: Kind,
    /// Account `i` is named `prefix` + `i`.
    pub prefix: String,
    /// How many, 1 … `SEED_MAX`.
    pub count: usize,
    /// The first `i` (default 1).
    pub start: Option<u64>,
    /// Customers only: their reseller (default the Default Reseller).
    pub reseller: Option<String>,
    /// Each account's `storage.allotted_bytes` (default 1 GiB).
    pub storage_bytes: Option<u64>,
    /// Account `i` gets the reference `reference_prefix` + `i`.
    pub reference_prefix: Option<String>,
    /// Account `i` gets the contact e-mail `<name>@email_domain`.
    pub email_domain: Option<String>,
}

fn apply_usage(acc: &mut Account, u: &Usage) {
    if let Some(b) = u.used_bytes {
        acc.storage.used_bytes = b;
    }
    if let Some(m) = u.mcal_used {
        acc.mcal.used = m;
    }
    if let Some(c) = u.clients {
        acc.clients = c;
    }
}

impl Sim {
    /// Set one account's usage; its index, or `404`.
    pub fn set_usage(&mut self, u: &Usage) -> Result<Id, ApiError> {
        let i = self.get_index(u.kind, &u.name)?;
        self.accounts.update(i, |a| apply_usage(a, u));
        Ok(i)
    }

    /// Set the usage of many accounts: all of them, or (an unknown account, named with its
    /// entry) none.
    pub fn set_usage_many(&mut self, entries: &[Usage]) -> Result<usize, ApiError> {
        if entries.len() > BULK_MAX {
            return Err(ApiError::validation(
                "accounts",
                format!("at most {BULK_MAX} entries"),
            ));
        }
        let targets = entries
            .iter()
            .enumerate()
            .map(|(n, u)| {
                self.find(u.kind, &u.name).ok_or_else(|| {
                    ApiError::not_found(format!(
                        "no {} named {:?} (accounts[{n}]); nothing was changed",
                        u.kind.as_str(),
                        u.name
                    ))
                })
            })
            .collect::<Result<Vec<Id>, ApiError>>()?;
        for (u, i) in entries.iter().zip(targets) {
            self.accounts.update(i, |a| apply_usage(a, u));
        }
        Ok(entries.len())
    }

    /// Create `count` accounts at once, checked as creates would be: names, references and
    /// e-mail addresses valid, no name taken, a customer's reseller existing and with room.
    pub fn seed(&mut self, s: &Seed) -> Result<Value, ApiError> {
        if s.count == 0 || s.count > SEED_MAX {
            return Err(ApiError::validation(
                "count",
                format!("must be an integer from 1 to {SEED_MAX}"),
            ));
        }
        let start = s.start.unwrap_or(1);
        let last = start
            .checked_add(s.count as u64 - 1)
            .ok_or_else(|| ApiError::validation("start", "start + count overflows"))?;
        // The characters are the same for every i and the lengths grow with i: checking the
        // first and the last covers them all.
        let ends = [start, last];
        for i in ends {
            validate::name("prefix", &format!("{}{i}", s.prefix))?;
            if let Some(r) = &s.reference_prefix {
                validate::reference(&format!("{r}{i}")).map_err(|mut e| {
                    e.field = Some("reference_prefix".into());
                    e
                })?;
            }
            if let Some(d) = &s.email_domain {
                let email = format!("{}{i}@{d}", s.prefix);
                let len = email.chars().count();
                if len > MAX_EMAIL.min(MAX_CONTACT_FIELD) || !validate::email(&email) {
                    return Err(ApiError::validation(
                        "email_domain",
                        format!("{email:?} is not a valid e-mail address"),
                    ));
                }
            }
        }
        let bytes = s.storage_bytes.unwrap_or(1 << 30);
        if bytes == 0 || bytes > MAX_STORAGE {
            return Err(ApiError::validation(
                "storage_bytes",
                format!("must be an integer from 1 to {MAX_STORAGE}"),
            ));
        }
        let reseller = match (s.kind, &s.reseller) {
            (Kind::Reseller, Some(_)) => {
                return Err(ApiError::validation("reseller", "is for customers only"))
            }
            (Kind::Reseller, None) => None,
            (Kind::Customer, r) => Some(self.seed_reseller(r.as_deref(), bytes, s.count)?),
        };
        if let Some(i) = (start..=last).find(|i| {
            self.accounts
                .find(s.kind, &format!("{}{i}", s.prefix))
                .is_some()
        }) {
            return Err(ApiError::already_exists(format!(
                "a {} named {:?} already exists; nothing was created",
                s.kind.as_str(),
                format!("{}{i}", s.prefix)
            )));
        }
        let created_at = now_rfc3339();
        for i in start..=last {
            let name = format!("{}{i}", s.prefix);
            let key = (s.kind == Kind::Customer).then(passkey);
            let mut acc = Account::new(name, s.kind, reseller.clone(), bytes, key);
            acc.created_at.clone_from(&created_at);
            acc.reference = s.reference_prefix.as_ref().map(|r| format!("{r}{i}"));
            acc.contact.email = s.email_domain.as_ref().map(|d| format!("{}@{d}", acc.name));
            if s.kind == Kind::Customer {
                acc.consolidated_report = Some(ConsolidatedReport::off());
            }
            self.passwords
                .remove(&crate::state::password_key(s.kind, &acc.name));
            self.accounts.insert(acc);
        }
        Ok(json!({
            "created": s.count,
            "kind": s.kind,
            "first": format!("{}{start}", s.prefix),
            "last": format!("{}{last}", s.prefix),
        }))
    }

    /// The canonical name of the reseller seeded customers go under, checked for room for
    /// `count` more customers of `bytes` each.
    fn seed_reseller(
        &self,
        requested: Option<&str>,
        bytes: u64,
        count: usize,
    ) -> Result<String, ApiError> {
        let r = &self.accounts[self.reseller_index(requested)?];
        let held = self.accounts.holding(&r.name).map_or(0, |h| h.storage);
        let left = (r.storage.allotted_bytes as u128).saturating_sub(held);
        let asked = bytes as u128 * count as u128;
        if asked > left {
            return Err(ApiError::insufficient(
                ErrorCode::InsufficientStorage,
                "storage_bytes",
                format!("reseller {:?} has {left} bytes left; {asked} asked", r.name),
            ));
        }
        Ok(r.name.clone())
    }
}
