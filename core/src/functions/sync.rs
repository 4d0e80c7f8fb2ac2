//! `<name>_ListAccounts` (WHMCS's Server Sync): the accounts of a server that this install may
//! import or match, in WHMCS's documented shape
//! (<https://developers.whmcs.com/provisioning-modules/server-sync>).
//!
//! Which accounts: those whose reference is a service reference of THIS install
//! (`whmcs:<install>:service:<id>`, the accounts its services own) and unclaimed ones (no
//! reference, made by hand or before references). Never another install's accounts, never
//! hook-made client accounts (`…:client:<id>`), never accounts another system claims, and
//! never the server's three built-in accounts (`Default Reseller`, `Default Customer`,
//! `Trial Customer`), which are no client's service.
//!
//! The unique identifier is the account name, which is the service username (MetaData
//! `ListAccountsUniqueIdentifierField` = `username`). WHMCS matches it to services
//! case-insensitively and regardless of kind, so each identifier is offered once: when a
//! reseller and a customer (or a lying server's two spellings) share a name, the one a service
//! of this install owns is kept; when that does not decide, all of them are left out and the
//! Activity Log names them, rather than failing the whole sync or guessing. A name the server
//! lists twice in one kind is left out the same way (see `crate::server::listing`).
//!
//! Which product an import lands on: WHMCS offers no choice; it takes the first product (lowest
//! id) of the module whose `ListAccountsProductField` column equals the account's `product`,
//! else it creates a hidden free product. The field is [`PRODUCT_FIELD`], the Storage Allotted
//! setting, and `product` is the account's allotted bytes written as that setting holds them
//! ([`product_value`]), so an account lands on the product of its own size and a later Change
//! Package keeps its storage. WHMCS compares one column only: a reseller product and a
//! customer product of the same storage are one match, and the first wins
//! (`docs/whmcs.md`, Server Sync, says what the admin does then).
//!
//! An account's row shows as an exact match only when `primaryip` is the service's (the
//! server's IP, `$params['serverip']`) and `created` is WHMCS's local time, as WHMCS stores a
//! service's registration date.

use serde_json::{json, Value};

use crate::functions::answer::{Answer, Items};
use crate::functions::failure::Failure;
use crate::functions::provision::{explain_stop, with_client};
use crate::server::api::reference::Reference;
use crate::server::api::Account;
use crate::server::api::Kind;
use crate::server::client::NetSettings;
use crate::server::limits::MAX_EMAIL;
use crate::server::listing::{self, Repeated};
use crate::server::value_rules::is_email;
use crate::settings::call_plan::Connection;
use crate::settings::options::field;
use crate::text::dates::unix_time;
use crate::whmcs::host::{whmcs_time_of, Host};

/// The server's built-in accounts (`docs/backup-server-api.md`, "What the server holds").
pub const BUILT_IN: [(Kind, &str); 3] = [
    (Kind::Reseller, "Default Reseller"),
    (Kind::Customer, "Default Customer"),
    (Kind::Customer, "Trial Customer"),
];

/// Shown as `created` when the server gave no creation time or one that is not RFC 3339: the
/// start of Unix time, WHMCS's way of showing "unknown" in a `Y-m-d H:i:s` column.
pub const UNKNOWN_TIME: &str = "1970-01-01 00:00:00";

/// The product setting (position in `OPTIONS`) that MetaData names as `ListAccountsProductField`
/// and whose value [`product_value`] writes: Storage Allotted.
pub const PRODUCT_FIELD: usize = field::STORAGE;

/// MetaData's `ListAccountsProductField`: the column of [`PRODUCT_FIELD`].
pub fn product_field() -> String {
    format!("configoption{PRODUCT_FIELD}")
}

/// An account's `product`: its allotted bytes as [`PRODUCT_FIELD`] holds them (a whole number
/// of bytes in decimal, no spaces or separators, `docs/settings.md`), so WHMCS finds the
/// product of that storage. Empty when the server did not say: no product is found by it, and
/// WHMCS's auto-created product takes the account.
pub fn product_value(listed: &Account) -> String {
    listed
        .allotted_bytes()
        .map(|bytes| bytes.to_string())
        .unwrap_or_default()
}

/// `ListAccounts`: `{success: true, accounts: [...]}` or `{success: false, error}` for the
/// planned server. `server_ip` is the server's IP address (`$params['serverip']`): every
/// account's `primaryip`, as WHMCS compares it with a service without a dedicated IP. The
/// accounts are made one by one as the extension turns them into PHP ([`Answer`]).
pub fn list_accounts(
    plan: Result<Connection, Failure>,
    server_ip: &str,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Answer {
    match plan.and_then(|plan| accounts(&plan, host, net)) {
        Ok(rows) => {
            let server_ip = server_ip.to_string();
            let items = rows
                .into_iter()
                .map(move |(candidate, created)| candidate.item(&server_ip, created));
            Answer::streaming(
                json!({"success": true, "accounts": null}),
                "accounts",
                Items::List(Box::new(items)),
            )
        }
        Err(e) => json!({"success": false, "error": e.to_string()}).into(),
    }
}

/// The offered accounts, each with its `created` time as WHMCS shows it.
fn accounts(
    plan: &Connection,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Vec<(Candidate, String)>, Failure> {
    let (endpoint, secrets) = (&plan.endpoint, &plan.secrets);
    let install =
        crate::whmcs::reference::install_id(host).map_err(|e| Failure::Whmcs(e.to_string()))?;
    // Only candidates are kept, compactly, as pages come: which are offered depends on the
    // whole list (a reseller listed last may share the first customer's name).
    let mut candidates = Vec::new();
    let mut repeated = with_client(host, "ListAccounts", endpoint, net, secrets, |c| {
        listing::each_page(c, &[Kind::Customer, Kind::Reseller], |page| {
            candidates.extend(page.iter().filter_map(|a| Candidate::of(a, &install)));
            Ok(())
        })
        .map_err(explain_stop)
    })
    .map_err(Failure::AccountsNotListed)?;
    let (offered, clashes) = offered(candidates, &mut repeated);
    let mut left_out = Vec::new();
    if !repeated.is_empty() {
        left_out.push(format!(
            "the Backup Server listed {} more than once, so which copy is true is unknown",
            repeated.text()
        ));
    }
    if !clashes.is_empty() {
        left_out.push(format!(
            "WHMCS would match these to one service (it compares identifiers case-insensitively, resellers and customers alike) and no service of this install owns exactly one of them: {}; link the right one with Link Existing Account or rename the other on the Backup Server",
            clashes.join("; ")
        ));
    }
    if !left_out.is_empty() {
        let line = format!(
            "sgwhmcs Server Sync of {}: left out of the list: {}",
            endpoint.host,
            left_out.join(". Also ")
        );
        host.log_activity(&line, "");
    }
    Ok(offered
        .into_iter()
        .map(|candidate| {
            let created = candidate.created_text(host);
            (candidate, created)
        })
        .collect())
}

/// Whether `account` is one of the server's built-in accounts.
pub fn built_in(account: &Account) -> bool {
    BUILT_IN
        .iter()
        .any(|(kind, name)| account.kind == Some(*kind) && account.name.eq_ignore_ascii_case(name))
}

/// An account Server Sync may offer, held until the whole list is read: only what WHMCS's row
/// needs, a fraction of that row's size in PHP.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Its kind.
    pub kind: Kind,
    /// Its name: the unique identifier and the username.
    pub name: String,
    /// The service of this install its reference names; `None`: unclaimed.
    pub service: Option<i64>,
    /// Its contact e-mail when it is one ([`email`]), else empty.
    pub email: String,
    /// Its `product` ([`product_value`]).
    pub product: String,
    /// Its creation in Unix seconds, when the server said a readable time.
    pub created: Option<i64>,
    /// Whether it is active.
    pub active: bool,
}

impl Candidate {
    /// `account` as a candidate; `None` when Server Sync never offers it: a built-in account,
    /// another install's, a hook's client account, one another system claims.
    pub fn of(account: &Account, install: &str) -> Option<Candidate> {
        let reference = account.reference.as_deref();
        let service = Reference::service_of(reference, install);
        if built_in(account) || (service.is_none() && !reference.is_none_or(str::is_empty)) {
            return None;
        }
        Some(Candidate {
            kind: account.kind?,
            name: account.name.clone(),
            service,
            email: email(account),
            product: product_value(account),
            created: account.created_at().and_then(unix_time),
            active: account.is_active(),
        })
    }

    /// Its `created` as WHMCS shows it: WHMCS's local time (through `host`). No time said: the
    /// account is older than the server's bookkeeping of it; a time that cannot be read is
    /// unknown for that one account, never a failure of the whole list.
    pub fn created_text(&self, host: &mut dyn Host) -> String {
        self.created
            .map_or_else(|| UNKNOWN_TIME.into(), |unix| whmcs_time_of(host, unix))
    }

    /// Its row in WHMCS's shape; every value a string. `primaryip` is the server's IP.
    pub fn item(&self, server_ip: &str, created: String) -> Value {
        json!({
            "email": self.email,
            "username": self.name,
            "domain": "",
            "uniqueIdentifier": self.name,
            "product": self.product,
            "primaryip": server_ip,
            "created": created,
            "status": if self.active { "Active" } else { "Suspended" },
        })
    }
}

/// The candidates offered to WHMCS, in list order, each identifier once case-insensitively;
/// and the clashes left out, described. Copies of one name in one kind that the walk could not
/// see (listed apart) are repeats: left out and noted in `repeated`.
pub fn offered(
    candidates: Vec<Candidate>,
    repeated: &mut Repeated,
) -> (Vec<Candidate>, Vec<String>) {
    let groups = listing::same_names(&candidates, |c| &c.name);
    let mut keep = vec![true; candidates.len()];
    let mut clashes = Vec::new();
    for group in groups {
        for kind in [Kind::Customer, Kind::Reseller] {
            let same: Vec<usize> = group
                .iter()
                .copied()
                .filter(|i| candidates[*i].kind == kind)
                .collect();
            if same.len() > 1 {
                repeated.add(kind, &candidates[same[0]].name);
                same.iter().for_each(|i| keep[*i] = false);
            }
        }
        let rest: Vec<usize> = group.iter().copied().filter(|i| keep[*i]).collect();
        if rest.len() < 2 {
            continue;
        }
        let owned: Vec<usize> = rest
            .iter()
            .copied()
            .filter(|i| candidates[*i].service.is_some())
            .collect();
        if let [owner] = owned.as_slice() {
            rest.iter()
                .filter(|i| *i != owner)
                .for_each(|i| keep[*i] = false);
            continue;
        }
        rest.iter().for_each(|i| keep[*i] = false);
        let named: Vec<String> = rest
            .iter()
            .map(|i| {
                let c = &candidates[*i];
                let whose = match c.service {
                    Some(id) => format!("service {id}'s"),
                    None => "unclaimed".into(),
                };
                format!(
                    "{} \"{}\" ({whose})",
                    c.kind.noun(),
                    crate::text::quote::printable(&c.name)
                )
            })
            .collect();
        clashes.push(named.join(" and "));
    }
    let offered = candidates
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect();
    (offered, clashes)
}

/// The account's contact e-mail when it is one (`value_rules::is_email`, at most
/// [`MAX_EMAIL`] bytes), else empty: WHMCS looks the importing client up by it and shows it on
/// the Sync page, so a lying server's markup, control characters or 100,000 bytes are not passed
/// on. Entity text (`&lt;`) is an e-mail's characters like any other, passed as it is, never
/// decoded.
pub fn email(listed: &Account) -> String {
    listed
        .contact
        .as_ref()
        .map(|c| c.email.as_str())
        .filter(|e| e.len() <= MAX_EMAIL && is_email(e))
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whmcs::host::fake::FakeHost;

    /// The time as a host without PHP shows it (UTC).
    fn whmcs_time(rfc3339: &str) -> Option<String> {
        unix_time(rfc3339).map(|unix| whmcs_time_of(&mut FakeHost::default(), unix))
    }

    #[test]
    fn times_become_utc_whmcs_times() {
        for (time, want) in [
            ("2026-11-29T15:02:03Z", "2026-11-29 15:02:03"),
            ("2026-11-29T15:02:03.25+00:00", "2026-11-29 15:02:03"),
            ("2016-12-31T23:59:60Z", "2016-12-31 23:59:59"),
            ("2026-11-29T15:02:03+01:00", "2026-11-29 14:02:03"),
            ("2026-11-29T00:30:00+01:00", "2026-11-28 23:30:00"),
            ("2026-12-31T20:00:00-05:30", "2027-01-01 01:30:00"),
            ("2024-02-29t10:00:00.123456789z", "2024-02-29 10:00:00"),
            ("2026-03-01 00:00:00-00:01", "2026-03-01 00:01:00"),
        ] {
            assert_eq!(whmcs_time(time).as_deref(), Some(want), "{time}");
        }
        for bad in [
            "",
            "2026-11-29",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-11-29T25:00:00Z",
            "2026-11-29T15:02:61Z",
            "2026-11-29T15:02:03",
            "2026-11-29T15:02:03+0100",
            "2026-11-29T15:02:03+24:00",
            "2026-11-29T15:02:03.Z",
            "2026-11-29T15:02:03Zjunk",
            "0001-01-01T00:00:00+01:00",
            "２０２６-11-29T15:02:03Z",
        ] {
            assert_eq!(whmcs_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_unreadable_time_is_unknown_for_that_account_only() {
        let listed = Account {
            name: "late".into(),
            kind: Some(Kind::Customer),
            created_at: Some(crate::server::api::Lenient::Read("yesterday".into())),
            ..Account::default()
        };
        assert_eq!(row(&listed, "")["created"], UNKNOWN_TIME);
    }

    #[test]
    fn an_inactive_customer_is_suspended_and_the_product_is_its_storage() {
        let customer: Account = serde_json::from_value(json!({
            "name": "acme", "active": true, "effective_active": false,
            "contact": {"email": "a@b.test"}, "created_at": "2026-01-02T03:04:05Z",
            "storage": {"allotted_bytes": 10_737_418_240_u64, "used_bytes": 5}
        }))
        .unwrap();
        let v = row(
            &Account {
                kind: Some(Kind::Customer),
                ..customer
            },
            "192.0.2.7",
        );
        assert_eq!(v["status"], "Suspended");
        assert_eq!(v["created"], "2026-01-02 03:04:05");
        assert_eq!(v["email"], "a@b.test");
        assert_eq!(v["product"], "10737418240");
        assert_eq!(v["primaryip"], "192.0.2.7");
        let reseller = Account {
            name: "R".into(),
            kind: Some(Kind::Reseller),
            active: Some(true),
            ..Account::default()
        };
        let v = row(&reseller, "");
        assert_eq!(
            (v["status"].as_str(), v["product"].as_str()),
            (Some("Active"), Some("")),
            "no storage said: no product matches it"
        );
        assert_eq!(product_field(), "configoption10");
    }

    #[test]
    fn only_an_email_address_is_passed_on() {
        let with = |email: &str| Account {
            contact: Some(crate::server::api::Contact {
                email: email.into(),
                ..Default::default()
            }),
            ..Account::default()
        };
        for good in ["a@b.test", "&lt;b&gt;@b.test", "o'brien@b.test"] {
            assert_eq!(email(&with(good)), good);
        }
        let huge = format!("{}@b.test", "x".repeat(300));
        for bad in [
            "<b>@b.test",
            "a\u{0}@b.test",
            "no-at",
            "a b@c.test",
            huge.as_str(),
        ] {
            assert_eq!(email(&with(bad)), "", "{bad}");
        }
    }

    /// An account's row as ListAccounts answers it (times in UTC, as a host without PHP).
    fn row(listed: &Account, server_ip: &str) -> Value {
        let candidate = Candidate::of(listed, "i").expect("an unclaimed account is offered");
        let created = candidate.created_text(&mut FakeHost::default());
        candidate.item(server_ip, created)
    }

    /// Which of `accounts` are offered to install `install`, and the clashes and repeats.
    fn offered_of(accounts: &[Account], install: &str) -> (Vec<Candidate>, Vec<String>, Repeated) {
        let candidates = accounts
            .iter()
            .filter_map(|a| Candidate::of(a, install))
            .collect();
        let mut repeated = Repeated::default();
        let (offered, clashes) = offered(candidates, &mut repeated);
        (offered, clashes, repeated)
    }

    fn listed(kind: Kind, name: &str, reference: Option<&str>) -> Account {
        Account {
            name: name.into(),
            kind: Some(kind),
            reference: reference.map(str::to_string),
            ..Account::default()
        }
    }

    #[test]
    fn only_this_installs_service_accounts_and_unclaimed_ones_are_offered() {
        let accounts = [
            listed(Kind::Reseller, "Default Reseller", None),
            listed(Kind::Customer, "default customer", None),
            listed(Kind::Customer, "Trial Customer", None),
            listed(Kind::Reseller, "Default Customer", None),
            listed(Kind::Customer, "mine", Some("whmcs:i1:service:4")),
            listed(Kind::Customer, "legacy", None),
            listed(Kind::Customer, "blank", Some("")),
            listed(Kind::Customer, "theirs", Some("whmcs:i2:service:4")),
            listed(Kind::Customer, "hooked", Some("whmcs:i1:client:4")),
            listed(Kind::Customer, "crm", Some("crm-77")),
            listed(Kind::Customer, "odd", Some("whmcs:i1:service:4x")),
        ];
        let (offered, clashes, repeated) = offered_of(&accounts, "i1");
        let names: Vec<&str> = offered.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Default Customer", "mine", "legacy", "blank"]);
        assert!(clashes.is_empty() && repeated.is_empty());
    }

    #[test]
    fn one_identifier_per_name_the_owned_account_wins_else_none() {
        let accounts = [
            listed(Kind::Customer, "acme", None),
            listed(Kind::Customer, "bravo", Some("whmcs:i1:service:9")),
            listed(Kind::Reseller, "ACME", Some("whmcs:i1:service:5")),
            listed(Kind::Reseller, "Bravo", Some("whmcs:i1:service:8")),
            listed(Kind::Reseller, "delta", None),
            listed(Kind::Customer, "Delta", None),
            listed(Kind::Customer, "echo", Some("whmcs:i2:service:1")),
            listed(Kind::Reseller, "Echo", None),
        ];
        let (offered, clashes, _) = offered_of(&accounts, "i1");
        let names: Vec<(&str, Kind)> = offered.iter().map(|a| (a.name.as_str(), a.kind)).collect();
        assert_eq!(names, [("ACME", Kind::Reseller), ("Echo", Kind::Reseller)]);
        assert_eq!(
            clashes,
            [
                "customer \"bravo\" (service 9's) and reseller \"Bravo\" (service 8's)",
                "reseller \"delta\" (unclaimed) and customer \"Delta\" (unclaimed)"
            ]
        );
    }

    #[test]
    fn copies_of_a_name_listed_apart_are_repeats_and_the_other_kind_stays() {
        // A server mixing collations could list "a_b" twice with "aab" between: the walk sees
        // no repeat, the offer does.
        let accounts = [
            listed(Kind::Customer, "a_b", None),
            listed(Kind::Customer, "aab", None),
            listed(Kind::Customer, "A_B", Some("whmcs:i1:service:3")),
            listed(Kind::Reseller, "a_B", None),
        ];
        let (offered, clashes, repeated) = offered_of(&accounts, "i1");
        let names: Vec<(&str, Kind)> = offered.iter().map(|a| (a.name.as_str(), a.kind)).collect();
        assert_eq!(names, [("aab", Kind::Customer), ("a_B", Kind::Reseller)]);
        assert!(clashes.is_empty());
        assert_eq!(repeated.names(), [(Kind::Customer, "a_b".to_string())]);
    }

    #[test]
    fn service_references_are_parsed_strictly() {
        assert_eq!(
            Reference::service_of(Some("whmcs:i1:service:12"), "i1"),
            Some(12)
        );
        for other in [
            "whmcs:i1:service:",
            "whmcs:i1:service:1:2",
            "whmcs:i1:client:12",
            "whmcs:i2:service:12",
            "whmcs:i1x:service:12",
            "WHMCS:i1:service:12",
        ] {
            assert_eq!(Reference::service_of(Some(other), "i1"), None, "{other}");
        }
        assert_eq!(Reference::service_of(None, "i1"), None);
    }
}
