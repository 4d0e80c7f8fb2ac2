//! What the API does to accounts: create, change, (de)activate, delete, list, pass keys, and
//! the reseller allotment checks. Handlers in `routes.rs` call these under the state lock.

use crate::error::{ApiError, ErrorCode};
use crate::model::{view, Account, ConsolidatedReport, Kind, Mail, DEFAULT_RESELLER};
use crate::state::Sim;
use crate::store::Id;
use crate::util::passkey;
use crate::validate;
use crate::wire::NewAccount;
use serde_json::Value;

/// How a delete treats a reseller's customers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DeleteMode {
    /// Move them to the Default Reseller.
    Retain,
    /// Remove them too.
    Purge,
}

impl Sim {
    /// The account of `kind` named `name`, or `404`.
    pub fn get_index(&self, kind: Kind, name: &str) -> Result<Id, ApiError> {
        self.find(kind, name)
            .ok_or_else(|| ApiError::not_found(format!("no {} named {name:?}", kind.as_str())))
    }

    /// The representation of account `i`.
    pub fn view_of(&self, i: Id) -> Value {
        view(&self.accounts[i], &self.accounts)
    }

    /// `POST /resellers` and `POST /customers`.
    pub fn create(&mut self, kind: Kind, req: NewAccount) -> Result<Value, ApiError> {
        let name = req
            .name
            .clone()
            .ok_or_else(|| ApiError::validation("name", "is required"))?;
        validate::name("name", &name)?;
        request_rules(kind, &req)?;
        let reseller = match kind {
            Kind::Customer => Some(self.reseller_for(req.reseller.as_deref())?),
            Kind::Reseller => None,
        };
        let allotted_bytes = req
            .storage
            .as_ref()
            .and_then(|s| s.allotted_bytes)
            .ok_or_else(|| ApiError::validation("storage.allotted_bytes", "is required"))?;
        let passkey = (kind == Kind::Customer).then(passkey);
        let mut acc = Account::new(name, kind, reseller, allotted_bytes, passkey);
        apply(&mut acc, &req);
        validate::account(&acc)?;
        if self.find(kind, &acc.name).is_some() {
            return Err(ApiError::already_exists(format!(
                "a {} named {:?} already exists",
                kind.as_str(),
                acc.name
            )));
        }
        if kind == Kind::Customer {
            self.check_allotment(&acc, None)?;
        }
        if req.send_mail == Some(true) {
            self.mails.push(Mail {
                to: acc.contact.email.clone(),
                account: acc.name.clone(),
                kind,
                passkey: acc.passkey.clone(),
            });
        }
        // A name used before (then deleted) starts again without the old password.
        let key = crate::state::password_key(kind, &acc.name);
        match &req.password {
            Some(password) => self.passwords.insert(key, password.clone()),
            None => self.passwords.remove(&key),
        };
        let id = self.accounts.insert(acc);
        Ok(self.view_of(id))
    }

    /// `PATCH /{kind}s/{name}`: any NewAccount field but `name`.
    pub fn patch(&mut self, kind: Kind, name: &str, req: NewAccount) -> Result<Value, ApiError> {
        if req.name.is_some() {
            return Err(ApiError::validation(
                "name",
                "cannot be changed (names are the identity)",
            ));
        }
        request_rules(kind, &req)?;
        let i = self.get_index(kind, name)?;
        let mut cand = self.accounts[i].clone();
        if let Some(r) = req.reseller.as_deref() {
            cand.reseller = Some(self.reseller_for(Some(r))?);
        }
        apply(&mut cand, &req);
        validate::account(&cand)?;
        if cand.protected && !cand.active {
            return Err(protected(&cand, "deactivated"));
        }
        let storage_touched = req
            .storage
            .as_ref()
            .is_some_and(|s| s.allotted_bytes.is_some());
        let mcal_touched = req.mcal.is_some();
        if storage_touched || mcal_touched {
            below_used(&cand)?;
        }
        match kind {
            Kind::Customer if storage_touched || mcal_touched || req.reseller.is_some() => {
                self.check_allotment(&cand, Some(i))?;
            }
            Kind::Reseller if storage_touched || mcal_touched => self.check_holdings(&cand)?,
            _ => {}
        }
        if let Some(password) = &req.password {
            let key = crate::state::password_key(kind, &cand.name);
            self.passwords.insert(key, password.clone());
        }
        self.accounts.update(i, |a| *a = cand);
        Ok(self.view_of(i))
    }

    /// `POST …/activate` and `…/deactivate` (idempotent).
    pub fn set_active(&mut self, kind: Kind, name: &str, active: bool) -> Result<Value, ApiError> {
        let i = self.get_index(kind, name)?;
        if !active && self.accounts[i].protected {
            return Err(protected(&self.accounts[i], "deactivated"));
        }
        self.accounts.update(i, |a| a.active = active);
        Ok(self.view_of(i))
    }

    /// `DELETE /{kind}s/{name}?mode=retain|purge`.
    pub fn delete(&mut self, kind: Kind, name: &str, mode: DeleteMode) -> Result<(), ApiError> {
        let i = self.get_index(kind, name)?;
        let acc = &self.accounts[i];
        if acc.protected {
            return Err(protected(acc, "deleted"));
        }
        if acc.backup_running {
            return Err(ApiError::backup_running(format!(
                "a backup of {} {:?} is running",
                kind.as_str(),
                acc.name
            )));
        }
        let owner = acc.name.clone();
        if kind == Kind::Reseller {
            let children: Vec<Id> = self.accounts.customers_of(&owner).map(|(j, _)| j).collect();
            if mode == DeleteMode::Purge {
                // The first running one in creation order (ids keep it) is the one named.
                if let Some(j) = children
                    .iter()
                    .copied()
                    .filter(|j| self.accounts[*j].backup_running)
                    .min()
                {
                    return Err(ApiError::backup_running(format!(
                        "a backup of customer {:?} of this reseller is running",
                        self.accounts[j].name
                    )));
                }
                for j in children {
                    self.accounts.remove(j);
                }
            } else {
                for j in children {
                    self.accounts
                        .update(j, |c| c.reseller = Some(DEFAULT_RESELLER.to_string()));
                }
            }
        }
        self.accounts.remove(i);
        Ok(())
    }

    /// The pass key of customer `name`; `reset` makes a new one first.
    pub fn passkey(&mut self, name: &str, reset: bool) -> Result<String, ApiError> {
        let i = self.get_index(Kind::Customer, name)?;
        let key = self.accounts.update(i, |acc| {
            if reset || acc.passkey.is_none() {
                acc.passkey = Some(passkey());
            }
            acc.passkey.clone().unwrap_or_default()
        });
        Ok(key)
    }

    /// The index of the reseller a customer asks for (`None` → Default Reseller); a bad or
    /// unknown name is a `400` on `reseller`.
    pub fn reseller_index(&self, requested: Option<&str>) -> Result<Id, ApiError> {
        let r = requested.unwrap_or(DEFAULT_RESELLER);
        validate::name("reseller", r)?;
        self.find(Kind::Reseller, r)
            .ok_or_else(|| ApiError::validation("reseller", format!("no reseller named {r:?}")))
    }

    /// The canonical name of the reseller a customer asks for, as [`Sim::reseller_index`] finds it.
    fn reseller_for(&self, requested: Option<&str>) -> Result<String, ApiError> {
        Ok(self.accounts[self.reseller_index(requested)?].name.clone())
    }

    /// A customer may not take more storage or fixed MCALs than its reseller has left
    /// (the allotments of the reseller's other customers subtracted).
    fn check_allotment(&self, cust: &Account, skip: Option<Id>) -> Result<(), ApiError> {
        let rname = cust.reseller.as_deref().unwrap_or(DEFAULT_RESELLER);
        let Some(ri) = self.find(Kind::Reseller, rname) else {
            return Ok(());
        };
        let r = &self.accounts[ri];
        // What the reseller's other customers hold: all of them, less the one being changed
        // when it is one of them.
        let (mut storage, mut fixed) = self
            .accounts
            .holding(&r.name)
            .map_or((0, 0), |h| (h.storage, h.fixed_mcal));
        if let Some(old) = skip.map(|j| &self.accounts[j]) {
            if old
                .reseller
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(&r.name))
            {
                storage -= old.storage.allotted_bytes as u128;
                if !old.mcal.auto {
                    fixed -= old.mcal.allotted.unwrap_or(0) as u128;
                }
            }
        }
        let left = (r.storage.allotted_bytes as u128).saturating_sub(storage);
        if cust.storage.allotted_bytes as u128 > left {
            return Err(ApiError::insufficient(
                ErrorCode::InsufficientStorage,
                "storage.allotted_bytes",
                format!(
                    "reseller {:?} has {left} bytes left; {} asked",
                    r.name, cust.storage.allotted_bytes
                ),
            ));
        }
        if !cust.mcal.auto && !r.mcal.auto {
            let left = (r.mcal.allotted.unwrap_or(0) as u128).saturating_sub(fixed);
            let asked = cust.mcal.allotted.unwrap_or(0);
            if asked as u128 > left {
                return Err(ApiError::insufficient(
                    ErrorCode::InsufficientMcal,
                    "mcal.allotted",
                    format!("reseller {:?} has {left} MCALs left; {asked} asked", r.name),
                ));
            }
        }
        Ok(())
    }

    /// A reseller may not be lowered below what its customers hold: the sum of their storage
    /// allotments and, when the reseller has fixed MCALs, the sum of its fixed-MCAL customers'.
    fn check_holdings(&self, r: &Account) -> Result<(), ApiError> {
        let (held, held_mcal) = self
            .accounts
            .holding(&r.name)
            .map_or((0, 0), |h| (h.storage, h.fixed_mcal));
        if (r.storage.allotted_bytes as u128) < held {
            return Err(ApiError::insufficient(
                ErrorCode::InsufficientStorage,
                "storage.allotted_bytes",
                format!(
                    "the customers of reseller {:?} hold {held} bytes; {} asked",
                    r.name, r.storage.allotted_bytes
                ),
            ));
        }
        if !r.mcal.auto {
            let held = held_mcal;
            let asked = r.mcal.allotted.unwrap_or(0);
            if (asked as u128) < held {
                return Err(ApiError::insufficient(
                    ErrorCode::InsufficientMcal,
                    "mcal.allotted",
                    format!(
                        "the fixed-MCAL customers of reseller {:?} hold {held} MCALs; {asked} asked",
                        r.name
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// An allotment may not go below what the account already uses: storage below
/// `storage.used_bytes`, or a fixed MCAL count below `mcal.used`.
fn below_used(acc: &Account) -> Result<(), ApiError> {
    if acc.storage.allotted_bytes < acc.storage.used_bytes {
        return Err(ApiError::insufficient(
            ErrorCode::StorageBelowUsed,
            "storage.allotted_bytes",
            format!(
                "{} {:?} already uses {} bytes; {} asked",
                acc.kind.as_str(),
                acc.name,
                acc.storage.used_bytes,
                acc.storage.allotted_bytes
            ),
        ));
    }
    let fixed = acc.mcal.allotted.unwrap_or(0);
    if !acc.mcal.auto && fixed < acc.mcal.used {
        return Err(ApiError::insufficient(
            ErrorCode::McalBelowUsed,
            "mcal.allotted",
            format!(
                "{} {:?} already uses {} MCALs; {fixed} asked",
                acc.kind.as_str(),
                acc.name,
                acc.mcal.used
            ),
        ));
    }
    Ok(())
}

/// Rules on the request itself: `reseller` and `consolidated_report` belong to customers only;
/// a password holds no control characters.
fn request_rules(kind: Kind, req: &NewAccount) -> Result<(), ApiError> {
    validate::lengths(req)?;
    if let Some(Some(r)) = &req.reference {
        validate::reference(r)?;
    }
    if req
        .password
        .as_deref()
        .is_some_and(|p| p.chars().any(char::is_control))
    {
        return Err(ApiError::validation(
            "password",
            "must not contain control characters",
        ));
    }
    if kind == Kind::Reseller {
        if req.reseller.is_some() {
            return Err(ApiError::validation("reseller", "is for customers only"));
        }
        if req.consolidated_report.is_some() {
            return Err(ApiError::validation(
                "consolidated_report",
                "is for customers only",
            ));
        }
    }
    Ok(())
}

/// Copy the fields present in `req` onto `acc` (objects `contact`, `consolidated_report` and
/// `throttle` are replaced whole; `storage` and `mcal` field by field).
fn apply(acc: &mut Account, req: &NewAccount) {
    if let Some(r) = &req.reference {
        acc.reference = r.clone().filter(|r| !r.is_empty());
    }
    if let Some(v) = req.active {
        acc.active = v;
    }
    if let Some(v) = req.auto_authorization {
        acc.auto_authorization = v;
    }
    if let Some(s) = &req.storage {
        if let Some(b) = s.allotted_bytes {
            acc.storage.allotted_bytes = b;
        }
        if let Some(loc) = &s.location {
            acc.storage.location = loc.clone().filter(|l| !l.trim().is_empty());
        }
    }
    if let Some(m) = &req.mcal {
        if let Some(auto) = m.auto {
            acc.mcal.auto = auto;
        }
        if let Some(n) = m.allotted {
            acc.mcal.allotted = n;
        }
    }
    if let Some(t) = &req.throttle {
        acc.throttle = t.clone();
    }
    if let Some(c) = &req.contact {
        acc.contact = c.clone();
    }
    if let Some(r) = &req.consolidated_report {
        acc.consolidated_report = Some(r.clone());
    }
    if acc.kind == Kind::Customer && acc.consolidated_report.is_none() {
        acc.consolidated_report = Some(ConsolidatedReport::off());
    }
}

fn protected(acc: &Account, what: &str) -> ApiError {
    ApiError::protected(format!(
        "{} {:?} is built in and cannot be {what}",
        acc.kind.as_str(),
        acc.name
    ))
}
