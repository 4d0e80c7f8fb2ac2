//! The Backup Server's wire types (see `docs/backup-server-api.md`): the only place that knows
//! what the server says. One [`Account`] for every reader, the list [`Page`], the error codes
//! ([`ErrorCode`]), and in [`mod@reference`] the external reference with the one ownership rule.
//!
//! Requests are written exactly; answers are read leniently (unknown fields ignored, optional
//! fields defaulted) so that a newer server does not break an older module.

use serde::{Deserialize, Serialize};

pub use crate::server::error_codes::Code;

pub mod reference;

/// Which kind of account a call is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// A reseller or customer as the server answers it: the one model of an account, for every
/// reader (the functions, the lists, the admin's tab and the client area).
///
/// Read leniently where the screens need it and strictly where identity is at stake: an absent
/// or `null` member is `None` and an unknown one is ignored; the members that say which account
/// it is and whose (`name`, `kind`, `reference`, `reseller`, `active`, `effective_active`,
/// `contact`) must have their type, or the answer is no account; every other member is
/// [`Lenient`], so an odd value there breaks no call that does not read it. A reader that must
/// not guess (a list, a screen) refuses an answer whose [`Account::odd`] names a member.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Account {
    /// The account's name (its WHMCS service username).
    pub name: String,
    /// Its kind; `None` when the answer does not say (a list's items take the list's).
    pub kind: Option<Kind>,
    /// The external reference, `None` when the account has none.
    pub reference: Option<String>,
    /// A customer's reseller.
    pub reseller: Option<String>,
    /// Whether the account itself is active.
    pub active: Option<bool>,
    /// Whether it is active once its reseller is taken into account (customers).
    pub effective_active: Option<bool>,
    /// Contact details.
    pub contact: Option<Contact>,
    /// Storage allotted and used, and where backups go.
    pub storage: Option<Lenient<StorageUse>>,
    /// Licences (MCAL) allotted and used.
    pub mcal: Option<Lenient<McalUse>>,
    /// The account's own throttling (`None`, also for `null`: the global configuration).
    pub throttle: Option<Lenient<Throttle>>,
    /// Consolidated report settings (customers).
    pub consolidated_report: Option<Lenient<Report>>,
    /// Whether new machines are authorized automatically.
    pub auto_authorization: Option<Lenient<bool>>,
    /// Backup clients (machines) of a customer.
    pub clients: Option<Lenient<u64>>,
    /// Customers of a reseller.
    pub customers: Option<Lenient<u64>>,
    /// When the account was made, RFC 3339 UTC (`2026-11-29T15:02:03Z`).
    pub created_at: Option<Lenient<String>>,
}

/// A member of an answer read as `T` when it is one, and kept as sent when it is not, so that an
/// odd value of one member fails no reader that does not need it (see [`Account`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Lenient<T> {
    /// The member, of its type.
    Read(T),
    /// A value that is not of the member's type, as sent.
    Odd(serde_json::Value),
}

impl<T> Lenient<T> {
    /// The member when it is of its type.
    pub fn read(&self) -> Option<&T> {
        match self {
            Lenient::Read(t) => Some(t),
            Lenient::Odd(_) => None,
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(match T::deserialize(&value) {
            Ok(t) => Lenient::Read(t),
            Err(_) => Lenient::Odd(value),
        })
    }
}

/// The member `m` when it is present and of its type.
fn read<T>(m: &Option<Lenient<T>>) -> Option<&T> {
    m.as_ref().and_then(Lenient::read)
}

/// `storage` of an account as answered.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StorageUse {
    /// Bytes allotted.
    pub allotted_bytes: Option<u64>,
    /// Bytes used.
    pub used_bytes: Option<u64>,
    /// Where backups go (read leniently: only a change of package compares it).
    pub location: Option<Lenient<String>>,
}

/// `mcal` of an account as answered.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct McalUse {
    /// Drawn from the shared pool.
    pub auto: Option<bool>,
    /// The fixed allotment.
    pub allotted: Option<u64>,
    /// Licences in use.
    pub used: Option<u64>,
}

impl Account {
    /// Storage as answered, when it is readable.
    pub fn storage(&self) -> Option<&StorageUse> {
        read(&self.storage)
    }

    /// Licences as answered, when readable.
    pub fn mcal(&self) -> Option<&McalUse> {
        read(&self.mcal)
    }

    /// Bytes used; `None` when the server did not say (unknown, never 0).
    pub fn used_bytes(&self) -> Option<u64> {
        self.storage().and_then(|s| s.used_bytes)
    }

    /// Bytes allotted; `None` when the server did not say.
    pub fn allotted_bytes(&self) -> Option<u64> {
        self.storage().and_then(|s| s.allotted_bytes)
    }

    /// Licences in use; `None` when the server did not say.
    pub fn mcal_used(&self) -> Option<u64> {
        self.mcal().and_then(|m| m.used)
    }

    /// Machines of a customer; `None` when the server did not say.
    pub fn clients(&self) -> Option<u64> {
        read(&self.clients).copied()
    }

    /// Customers of a reseller; `None` when the server did not say.
    pub fn customers(&self) -> Option<u64> {
        read(&self.customers).copied()
    }

    /// When the account was made, as the server wrote it.
    pub fn created_at(&self) -> Option<&str> {
        read(&self.created_at).map(String::as_str)
    }

    /// Whether the account works: a customer under an inactive reseller does not.
    pub fn is_active(&self) -> bool {
        self.effective_active.or(self.active).unwrap_or(true)
    }

    /// The first member whose value is not of its type (e.g. `storage`), for the readers that
    /// refuse such an answer rather than show or bill a part of it.
    pub fn odd(&self) -> Option<&'static str> {
        fn is_odd<T>(m: &Option<Lenient<T>>) -> bool {
            matches!(m, Some(Lenient::Odd(_)))
        }
        [
            ("storage", is_odd(&self.storage)),
            ("mcal", is_odd(&self.mcal)),
            ("throttle", is_odd(&self.throttle)),
            ("consolidated_report", is_odd(&self.consolidated_report)),
            ("auto_authorization", is_odd(&self.auto_authorization)),
            ("clients", is_odd(&self.clients)),
            ("customers", is_odd(&self.customers)),
            ("created_at", is_odd(&self.created_at)),
        ]
        .into_iter()
        .find_map(|(name, odd)| odd.then_some(name))
    }
}

/// One page of `GET /customers` or `GET /resellers` as the server answers it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageAnswer {
    /// The accounts of a customer list.
    pub customers: Option<Vec<Account>>,
    /// The accounts of a reseller list.
    pub resellers: Option<Vec<Account>>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<String>,
}

/// One page as a request answers it: its accounts and its `next` cursor.
pub type Page = (Vec<Account>, Option<String>);

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

/// An error body's `code`: one the API documents ([`Code`], whose wire texts are written once in
/// `server/error_codes.rs`, shared with sgsim), a 5xx without the API's body, or an unknown code
/// kept as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A documented code.
    Known(Code),
    /// `HTTP_<status>`: a 5xx without the API's error body (a proxy's page, say).
    Http(u16),
    /// A code this module does not know, as sent (cut).
    Other(String),
}

impl ErrorCode {
    /// The code an error body's `code` member names.
    pub fn from_wire(text: &str) -> ErrorCode {
        Code::from_wire(text).map_or_else(|| ErrorCode::Other(text.to_string()), ErrorCode::Known)
    }
}

impl std::fmt::Display for ErrorCode {
    /// The wire text, e.g. `NOT_FOUND`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorCode::Known(code) => f.write_str(code.as_str()),
            ErrorCode::Http(status) => write!(f, "HTTP_{status}"),
            ErrorCode::Other(text) => f.write_str(text),
        }
    }
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
    fn error_codes_keep_their_wire_text() {
        // Each documented code reads back as itself, is written as the API document spells it,
        // and no two share a text.
        let doc = include_str!("../../../docs/backup-server-api.md");
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let wire = code.as_str();
            assert_eq!(ErrorCode::from_wire(wire), ErrorCode::Known(code));
            assert_eq!(ErrorCode::Known(code).to_string(), wire);
            assert!(
                doc.contains(&format!("`{wire}`")),
                "{wire} is not in the API document"
            );
            assert!(seen.insert(wire), "{wire} twice");
        }
        let unknown = ErrorCode::from_wire("MAINTENANCE");
        assert_eq!(unknown, ErrorCode::Other("MAINTENANCE".into()));
        assert_eq!(unknown.to_string(), "MAINTENANCE");
        assert_eq!(
            ErrorCode::from_wire("not_found"),
            ErrorCode::Other("not_found".into())
        );
        assert_eq!(ErrorCode::Http(502).to_string(), "HTTP_502");
    }

    #[test]
    fn one_account_model_lenient_beyond_identity() {
        // Identity members must have their type, or the answer is no account.
        for body in [
            r#"{"name":5}"#,
            r#"{"name":"a","reference":1}"#,
            r#"{"name":"a","active":"yes"}"#,
        ] {
            assert!(serde_json::from_str::<Account>(body).is_err(), "{body}");
        }
        // Others are kept as sent when odd; absent and null are None.
        let a: Account = serde_json::from_str(
            r#"{"name":"a","storage":{"used_bytes":-1},"clients":2,"mcal":null,"created_at":"x"}"#,
        )
        .unwrap();
        assert_eq!(a.odd(), Some("storage"));
        assert_eq!(
            (a.used_bytes(), a.clients(), a.mcal_used()),
            (None, Some(2), None)
        );
        assert_eq!(a.created_at(), Some("x"));
        let b: Account = serde_json::from_str(
            r#"{"name":"b","storage":{"allotted_bytes":5,"used_bytes":1,"location":7},"customers":3}"#,
        )
        .unwrap();
        assert_eq!(b.odd(), None, "an odd location is only a change's concern");
        assert_eq!((b.allotted_bytes(), b.customers()), (Some(5), Some(3)));
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
