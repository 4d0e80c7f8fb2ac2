//! The accounts the simulated server holds (resellers and customers, a customer's machines), the
//! agent downloads it publishes, the built-in accounts, and the JSON representation the API
//! answers with. The types the rest of the simulator builds on,
//! so they name no module above them.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Name of the built-in reseller; customers without a reseller land here.
pub const DEFAULT_RESELLER: &str = "Default Reseller";
/// Name of the built-in customer under the Default Reseller.
pub const DEFAULT_CUSTOMER: &str = "Default Customer";
/// Name of the built-in trial customer under the Default Reseller.
pub const TRIAL_CUSTOMER: &str = "Trial Customer";

/// The two kinds of account.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Owns customers.
    Reseller,
    /// Owns clients (machines); belongs to one reseller.
    Customer,
}

impl Kind {
    /// The word used in the API (`reseller` / `customer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reseller => "reseller",
            Kind::Customer => "customer",
        }
    }
}

/// Contact details; every field is optional free text.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Contact {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
}

/// When a throttle applies.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThrottleMode {
    /// All the time.
    #[default]
    Always,
    /// Only between `from` and `till` (the window may wrap midnight).
    Window,
}

/// An account's own bandwidth throttle (`null` in the API means the global configuration).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Throttle {
    /// Whether throttling is on.
    pub enabled: bool,
    /// `always` (default) or `window`.
    #[serde(default)]
    pub mode: ThrottleMode,
    /// Window start, `HHMM`.
    #[serde(default)]
    pub from: Option<String>,
    /// Window end, `HHMM`.
    #[serde(default)]
    pub till: Option<String>,
    /// The restricted rate in bytes per second.
    #[serde(default)]
    pub rate_bytes: Option<u64>,
}

/// A customer's consolidated report settings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConsolidatedReport {
    /// Whether reports are mailed.
    pub enabled: bool,
    /// Where they go (required and valid when enabled).
    #[serde(default)]
    pub emails: Vec<String>,
}

impl ConsolidatedReport {
    /// The report a customer has until it asks for one: off, to nobody.
    pub fn off() -> ConsolidatedReport {
        ConsolidatedReport {
            enabled: false,
            emails: vec![],
        }
    }
}

/// Storage quota and use.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Storage {
    /// Bytes allotted, 1 … 2^63−1.
    pub allotted_bytes: u64,
    /// Bytes in use (set through `/_sim/usage`).
    pub used_bytes: u64,
    /// Where the data lives; `None` lets the server pick.
    pub location: Option<String>,
}

/// Monthly client access licences.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Mcal {
    /// Drawn from the shared pool.
    pub auto: bool,
    /// A fixed number (required when `auto` is false).
    pub allotted: Option<u64>,
    /// Licences in use (set through `/_sim/usage`).
    pub used: u64,
}

/// How a machine's last backup ended.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BackupResult {
    /// Everything was backed up.
    Success,
    /// Done, with some files skipped.
    Warning,
    /// Nothing usable was stored.
    Failed,
}

/// One machine (a backup client) of a customer, as the API shows it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Machine {
    /// The machine's name, unique per customer (case-insensitively).
    pub name: String,
    /// Its operating system, free text (e.g. `Windows Server 2022`).
    #[serde(default)]
    pub os: String,
    /// When its last backup ended, RFC 3339 UTC; `None` when it never backed up.
    #[serde(default)]
    pub last_backup_at: Option<String>,
    /// How its last backup ended; `None` exactly when `last_backup_at` is.
    #[serde(default)]
    pub last_backup_result: Option<BackupResult>,
    /// When its last successful backup ended (RFC 3339 UTC), if ever.
    #[serde(default)]
    pub last_success_at: Option<String>,
}

/// One agent download link of `GET /server`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Download {
    /// The platform, e.g. `Windows`, `Linux (deb)`.
    pub os: String,
    /// An `https://` or `http://` URL.
    pub url: String,
}

/// One reseller or customer as the simulator keeps it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Account {
    /// The identity, unique per kind (case-insensitively).
    pub name: String,
    /// Reseller or customer.
    pub kind: Kind,
    /// The owning reseller's name (customers only).
    pub reseller: Option<String>,
    /// The external reference (`None`: none); older state files have none.
    #[serde(default)]
    pub reference: Option<String>,
    /// The account's own active flag.
    pub active: bool,
    /// Whether machines join without the pass key.
    pub auto_authorization: bool,
    /// Quota and use.
    pub storage: Storage,
    /// Customers only.
    pub consolidated_report: Option<ConsolidatedReport>,
    /// Licences.
    pub mcal: Mcal,
    /// `None` means the global configuration.
    pub throttle: Option<Throttle>,
    /// Contact details.
    pub contact: Contact,
    /// The customer's pass key (never part of the representation).
    pub passkey: Option<String>,
    /// Number of client machines (set through `/_sim/usage`).
    pub clients: u64,
    /// Marked through `/_sim/backup-running`; refuses deletes.
    pub backup_running: bool,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// Built-in accounts can be neither deleted nor deactivated.
    pub protected: bool,
    /// Customers only: its machines, seeded through `/_sim/machines` (older state files: none).
    #[serde(default)]
    pub machines: Vec<Machine>,
}

impl Account {
    /// A new account with the server's defaults, declared once for created and built-in
    /// accounts: active, no auto authorization, no storage in use and no location, auto MCAL, the
    /// global throttle, no contact, no report, no clients.
    pub fn new(
        name: String,
        kind: Kind,
        reseller: Option<String>,
        allotted_bytes: u64,
        passkey: Option<String>,
    ) -> Account {
        Account {
            name,
            kind,
            reseller,
            reference: None,
            active: true,
            auto_authorization: false,
            storage: Storage {
                allotted_bytes,
                used_bytes: 0,
                location: None,
            },
            consolidated_report: None,
            mcal: Mcal {
                auto: true,
                allotted: None,
                used: 0,
            },
            throttle: None,
            contact: Contact::default(),
            passkey,
            clients: 0,
            backup_running: false,
            created_at: crate::util::now_rfc3339(),
            protected: false,
            machines: Vec::new(),
        }
    }

    /// A built-in account: protected, and a customer's report is present but off.
    fn builtin(name: &str, kind: Kind, allotted_bytes: u64, passkey: Option<String>) -> Account {
        let reseller = (kind == Kind::Customer).then(|| DEFAULT_RESELLER.to_string());
        Account {
            consolidated_report: (kind == Kind::Customer).then(ConsolidatedReport::off),
            protected: true,
            ..Account::new(name.into(), kind, reseller, allotted_bytes, passkey)
        }
    }

    /// True when this account has the given kind and name (names compare case-insensitively).
    pub fn is(&self, kind: Kind, name: &str) -> bool {
        self.kind == kind && self.name.eq_ignore_ascii_case(name)
    }
}

/// The built-in accounts: `Default Reseller` (2^63−1 bytes, effectively unlimited), and under it
/// `Default Customer` and `Trial Customer` (1 TiB each).
pub fn builtins() -> Vec<Account> {
    const TIB: u64 = 1 << 40;
    vec![
        Account::builtin(DEFAULT_RESELLER, Kind::Reseller, i64::MAX as u64, None),
        Account::builtin(
            DEFAULT_CUSTOMER,
            Kind::Customer,
            TIB,
            Some(crate::util::passkey()),
        ),
        Account::builtin(
            TRIAL_CUSTOMER,
            Kind::Customer,
            TIB,
            Some(crate::util::passkey()),
        ),
    ]
}

/// A mail the server would have sent (`send_mail` on create).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Mail {
    /// The contact's address, if the account has one.
    pub to: Option<String>,
    /// The account's name.
    pub account: String,
    /// `reseller` or `customer`.
    pub kind: Kind,
    /// The customer's pass key.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub passkey: Option<String>,
}

/// What a representation needs to know beyond the account itself: a customer's reseller's
/// active flag, a reseller's customer count. The store answers both from its indexes
/// (`store.rs`), so a view costs the same however many accounts there are.
pub trait Neighbours {
    /// The `active` flag of the reseller named `reseller` (case-insensitively), if it exists.
    fn reseller_active(&self, reseller: &str) -> Option<bool>;
    /// How many customers the reseller named `reseller` (case-insensitively) owns.
    fn customer_count(&self, reseller: &str) -> usize;
}

/// The API representation of `acc`, its neighbours answered by `n`.
pub fn view(acc: &Account, n: &impl Neighbours) -> Value {
    let mut v = json!({
        "name": acc.name,
        "kind": acc.kind,
        "reference": acc.reference,
        "active": acc.active,
        "auto_authorization": acc.auto_authorization,
        "storage": acc.storage,
        "mcal": acc.mcal,
        "throttle": acc.throttle,
        "contact": acc.contact,
        "created_at": acc.created_at,
    });
    match acc.kind {
        Kind::Reseller => {
            v["customers"] = json!(n.customer_count(&acc.name));
        }
        Kind::Customer => {
            let reseller_active = acc
                .reseller
                .as_deref()
                .and_then(|r| n.reseller_active(r))
                .unwrap_or(true);
            v["reseller"] = json!(acc.reseller);
            v["effective_active"] = json!(acc.active && reseller_active);
            v["consolidated_report"] = json!(acc.consolidated_report);
            v["clients"] = json!(acc.clients);
        }
    }
    v
}

/// True when customer `c` belongs to the reseller named `reseller`.
pub fn owned_by(c: &Account, reseller: &str) -> bool {
    c.reseller
        .as_deref()
        .is_some_and(|r| r.eq_ignore_ascii_case(reseller))
}
