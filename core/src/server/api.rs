//! The Backup Server's wire types (see `docs/backup-server-api.md`).
//!
//! Requests are written exactly; answers are read leniently (unknown fields ignored, optional
//! fields defaulted) so that a newer server does not break an older module.

use serde::{Deserialize, Serialize};

/// Which kind of account a call is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A reseller, owner of customers.
    Reseller,
    /// A customer, owner of backup clients.
    Customer,
}

impl Kind {
    /// The collection path segment, e.g. `resellers`.
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Reseller => "resellers",
            Kind::Customer => "customers",
        }
    }

    /// The word an admin reads, e.g. `reseller`.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Reseller => "reseller",
            Kind::Customer => "customer",
        }
    }
}

/// Contact details of an account, all optional. Read leniently: a server may answer `null` or
/// leave out any of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "ContactAnswer")]
pub struct Contact {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub company: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub city: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub country: String,
}

/// Contact details as a server may send them: any member absent or `null`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ContactAnswer {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    company: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postcode: Option<String>,
    country: Option<String>,
}

impl From<ContactAnswer> for Contact {
    fn from(a: ContactAnswer) -> Self {
        Contact {
            email: a.email.unwrap_or_default(),
            first_name: a.first_name.unwrap_or_default(),
            last_name: a.last_name.unwrap_or_default(),
            company: a.company.unwrap_or_default(),
            phone: a.phone.unwrap_or_default(),
            address: a.address.unwrap_or_default(),
            city: a.city.unwrap_or_default(),
            state: a.state.unwrap_or_default(),
            postcode: a.postcode.unwrap_or_default(),
            country: a.country.unwrap_or_default(),
        }
    }
}

/// Storage allotment of an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Storage {
    /// Bytes allotted.
    pub allotted_bytes: u64,
    /// Where backups go; `None` lets the server choose.
    pub location: Option<String>,
}

/// Consolidated report settings (customers only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Whether reports are sent.
    pub enabled: bool,
    /// Recipients.
    pub emails: Vec<String>,
}

/// Licence (MCAL) settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mcal {
    /// Draw from the shared pool.
    pub auto: bool,
    /// Fixed allotment when not `auto`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allotted: Option<u32>,
}

/// When throttling applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThrottleMode {
    /// All day.
    Always,
    /// Between `from` and `till`.
    Window,
}

/// An account's own throttling (absent: the global configuration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Throttle {
    pub enabled: bool,
    pub mode: ThrottleMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub till: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_bytes: Option<u64>,
}

/// The body of a create request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewAccount {
    pub name: String,
    /// The account's own web console password; never logged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The external reference tying the account to its WHMCS service (or, for hook-made
    /// accounts, its client): `whmcs:<install>:service:<id>`. Adoption trusts only this.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reference: String,
    pub contact: Contact,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reseller: Option<String>,
    pub active: bool,
    pub auto_authorization: bool,
    pub storage: Storage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consolidated_report: Option<Report>,
    pub mcal: Mcal,
    pub throttle: Option<Throttle>,
    pub send_mail: bool,
}

/// A reseller or customer as the server reports it (the fields the module reads).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Account {
    pub name: String,
    pub kind: Option<Kind>,
    /// The external reference, `None` when the account has none.
    pub reference: Option<String>,
    pub reseller: Option<String>,
    pub active: Option<bool>,
    pub effective_active: Option<bool>,
    pub contact: Option<Contact>,
    /// `storage` as answered (`allotted_bytes`, `used_bytes`, `location`), kept as JSON and read
    /// leniently by a change of package (`change.rs`), so an odd value breaks no other call.
    pub storage: Option<serde_json::Value>,
    /// `mcal` as answered (`auto`, `allotted`, `used`), read like `storage`.
    pub mcal: Option<serde_json::Value>,
    /// `throttle` as answered (`null`: the global configuration), read like `storage`.
    pub throttle: Option<serde_json::Value>,
    /// `consolidated_report` as answered (customers), read like `storage`.
    pub consolidated_report: Option<serde_json::Value>,
    /// `auto_authorization` as answered, read like `storage`.
    pub auto_authorization: Option<serde_json::Value>,
}

/// One page of `GET /customers` or `GET /resellers` as the server answers it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageAnswer {
    /// The accounts of a customer list.
    pub customers: Option<Vec<Listed>>,
    /// The accounts of a reseller list.
    pub resellers: Option<Vec<Listed>>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<String>,
}

/// One account of a list, with its usage. Read leniently: absent or `null` members default.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Listed {
    /// The account's name (its WHMCS service username).
    pub name: String,
    /// Its kind: as the item said, else the list's (see [`checked`]).
    pub kind: Option<Kind>,
    /// The external reference, `None` when it has none.
    pub reference: Option<String>,
    /// Whether the account itself is active.
    pub active: Option<bool>,
    /// Whether it is active once its reseller is taken into account (customers).
    pub effective_active: Option<bool>,
    /// Contact details.
    pub contact: Option<Contact>,
    /// Storage allotted and used.
    pub storage: Option<StorageUse>,
    /// Licences allotted and used.
    pub mcal: Option<McalUse>,
    /// Backup clients (machines) of a customer.
    pub clients: Option<u64>,
    /// When the account was made, RFC 3339 UTC (`2026-11-29T15:02:03Z`).
    pub created_at: Option<String>,
}

/// `storage` of a listed account.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StorageUse {
    /// Bytes allotted.
    pub allotted_bytes: Option<u64>,
    /// Bytes used.
    pub used_bytes: Option<u64>,
}

/// `mcal` of a listed account.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct McalUse {
    /// Licences in use.
    pub used: Option<u64>,
}

impl Listed {
    /// Bytes used; `None` when the server did not say (unknown, never 0).
    pub fn used_bytes(&self) -> Option<u64> {
        self.storage.as_ref().and_then(|s| s.used_bytes)
    }

    /// Bytes allotted; `None` when the server did not say.
    pub fn allotted_bytes(&self) -> Option<u64> {
        self.storage.as_ref().and_then(|s| s.allotted_bytes)
    }

    /// Licences in use; `None` when the server did not say.
    pub fn mcal_used(&self) -> Option<u64> {
        self.mcal.as_ref().and_then(|m| m.used)
    }

    /// Whether the account works: a customer under an inactive reseller does not.
    pub fn is_active(&self) -> bool {
        self.effective_active.or(self.active).unwrap_or(true)
    }
}

/// One page as a request answers it: its accounts and its `next` cursor.
pub type Page = (Vec<Listed>, Option<String>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_read_leniently() {
        let a: Account = serde_json::from_str(
            r#"{"name":"x","active":null,"contact":{"email":"a@b.test","company":null},"extra":1}"#,
        )
        .unwrap();
        assert_eq!(a.contact.unwrap().email, "a@b.test");
        let a: Account = serde_json::from_str(r#"{"name":"y","contact":null}"#).unwrap();
        assert!(a.contact.is_none());
        assert!(a.reference.is_none());
    }

    #[test]
    fn an_answer_is_about_one_account() {
        let a: Account = serde_json::from_str(
            r#"{"name":"Acme","kind":"customer","reference":"whmcs:x:service:1"}"#,
        )
        .unwrap();
        assert!(a.is(Kind::Customer, "acme"));
        assert!(!a.is(Kind::Reseller, "Acme"));
        assert!(!a.is(Kind::Customer, "Acme-1"));
        assert!(a.has_reference("whmcs:x:service:1"));
        assert!(!a.has_reference("whmcs:x:service:2"));
        assert!(!a.has_reference(""));
        let b: Account = serde_json::from_str(r#"{"name":"Acme"}"#).unwrap();
        assert!(b.is(Kind::Reseller, "Acme"), "no kind: read leniently");
        assert!(!b.has_reference("whmcs:x:service:1"));
    }
}

impl Account {
    /// Whether this answer is about the account of `kind` named `name` (names compare
    /// case-insensitively, as on the server; an answer without `kind` is read leniently).
    pub fn is(&self, kind: Kind, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) && self.kind.is_none_or(|k| k == kind)
    }

    /// How the answer names its account, e.g. `customer "acme"`, for messages.
    pub fn described(&self) -> String {
        let noun = self.kind.map_or("account", Kind::noun);
        format!("{noun} \"{}\"", crate::text::quote::printable(&self.name))
    }

    /// Whether the account carries exactly this external reference.
    pub fn has_reference(&self, reference: &str) -> bool {
        !reference.is_empty() && self.reference.as_deref() == Some(reference)
    }
}

/// The answer of `GET /server`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ServerInfo {
    /// Which API the server speaks ([`crate::server::api_identity::API_IDENTITY`]); empty when absent,
    /// which no Backup Server API answers.
    pub api: String,
    pub product: String,
    pub version: String,
    pub edition: String,
}

/// The answer of the pass key endpoints.
#[derive(Clone, Deserialize)]
pub struct PassKey {
    /// The secret itself; never logged.
    pub passkey: String,
}

/// The error body every failing request carries.
#[derive(Clone, Debug, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, in the server's words.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

/// An account's state and usage as `GET /{kind}s/{name}` reports it, for the client area. Read
/// leniently: anything absent or `null` is `None` and shown as unknown.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AccountUsage {
    pub name: String,
    pub kind: Option<Kind>,
    pub active: Option<bool>,
    pub effective_active: Option<bool>,
    pub storage: Option<StorageUsage>,
    pub mcal: Option<McalUsage>,
    /// How many machines the customer has.
    pub clients: Option<u64>,
}

/// `storage` of [`AccountUsage`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StorageUsage {
    pub allotted_bytes: Option<u64>,
    pub used_bytes: Option<u64>,
}

/// `mcal` of [`AccountUsage`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct McalUsage {
    pub auto: Option<bool>,
    pub allotted: Option<u64>,
    pub used: Option<u64>,
}

/// One machine of `GET /customers/{name}/clients`, read leniently: times stay text until the
/// client area reads them, and an unknown result is kept as it came.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct MachineAnswer {
    pub name: String,
    pub os: Option<String>,
    /// RFC 3339, when the last backup ended.
    pub last_backup_at: Option<String>,
    /// `success`, `warning` or `failed`; `None` when it never backed up.
    pub last_backup_result: Option<String>,
    /// RFC 3339, when the last successful backup ended.
    pub last_success_at: Option<String>,
}

/// One page of `GET /customers/{name}/clients`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct MachinePage {
    pub clients: Vec<MachineAnswer>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<String>,
}

/// One agent download link of `GET /server`'s `downloads`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Download {
    pub os: String,
    pub url: String,
}
