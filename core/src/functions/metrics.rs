//! Usage Billing (`<name>_MetricProvider`): the metrics the module offers and their values, as
//! plain arrays. The generated PHP class `WHMCS\Module\Server\<Name>\MetricProvider` (under the
//! module's `lib/`) turns them into WHMCS's `Metric` and `Usage` objects, so everything that
//! talks to the Backup Server stays here.
//!
//! Identity, never a name: a tenant is the SERVICE an account belongs to. Only an account whose
//! reference is a service reference of this install (`whmcs:<install>:service:<id>`) is billed,
//! and only when that service is of this module, its product makes that kind of account (a
//! reseller service is billed with the reseller's figures, never a customer's of the same name),
//! and its username is the account's name (case-insensitively). The tenant key is the service's
//! username, which MetaData names as `ListAccountsUniqueIdentifierField`. Unreferenced (legacy)
//! accounts are not billed until Link Existing Account ties them to their service (it writes the
//! reference); another install's accounts never are.
//!
//! - `usage()`: ONE paged listing per server (customers and resellers) and one read of the
//!   services those references name. WHMCS matches tenants to services case-insensitively, so
//!   two tenants equal but for case (a reseller service `bravo` and a customer service `BRAVO`)
//!   would bill one service twice: both are left out and the Activity Log names them.
//! - `tenantUsage($tenant)`: one read of each kind of that name; the account this install's
//!   service of that username owns answers, any other is refused with a message saying whose it
//!   is.
//!
//! A figure the server does not give is unknown: `null`, which the provider class leaves out of
//! the tenant's metrics (WHMCS keeps no usage for it), never 0. A failure answers no values
//! (WHMCS then bills nothing new) and says why in the Activity Log.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::functions::answer::{Answer, Items};
use crate::functions::failure::Failure;
use crate::functions::provision::{explain, explain_stop, with_client};
use crate::server::api::reference::Reference;
use crate::server::api::Account;
use crate::server::api::Kind;
use crate::server::client::NetSettings;
use crate::server::listing;
use crate::server::listing::Repeated;
use crate::settings::call_plan::Connection;
use crate::settings::plan::Problems;
use crate::whmcs::host::Host;
use crate::whmcs::params::Params;

/// A metric as WHMCS's `Metric` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetricDef {
    /// The system name, the key of `metrics()` and of each tenant's values.
    pub name: &'static str,
    /// What the admin and the client read.
    pub display: &'static str,
    /// The unit class under `WHMCS\UsageBilling\Metrics\Units\`.
    pub unit: &'static str,
    /// The unit's name and its words for one and for several units: the first three arguments
    /// of the unit's constructor (`AbstractUnit::__construct($name, $singlePerUnitName,
    /// $pluralPerUnitName)`). WHMCS's `WholeNumber` has no default name, so `new WholeNumber()`
    /// throws `ArgumentCountError` there: every unit is built with these.
    pub unit_words: [&'static str; 3],
    /// `Metric::TYPE_SNAPSHOT` (the value at collection time, not a sum over a period).
    pub snapshot: bool,
}

/// The metrics, in the order WHMCS lists them.
pub const METRICS: [MetricDef; 3] = [
    MetricDef {
        name: "storage_used",
        display: "Storage used",
        unit: "GigaBytes",
        unit_words: ["Gigabytes", "GB", "GB"],
        snapshot: true,
    },
    MetricDef {
        name: "machines",
        display: "Machines",
        unit: "WholeNumber",
        unit_words: ["Machines", "machine", "machines"],
        snapshot: true,
    },
    MetricDef {
        name: "mcal_used",
        display: "MCAL used",
        unit: "WholeNumber",
        unit_words: ["Licences", "licence", "licences"],
        snapshot: true,
    },
];

/// One GB as the metric counts it (GiB, as the Backup Server's web console shows storage).
const GB: f64 = (1u64 << 30) as f64;

/// Runs `what` (`metrics`, `usage` or `tenant`) for the server in `params`: answers
/// `{metrics: [...], usage: {...}, error: ""}`. `usage` is `{tenant: {metric: value}}` for
/// `usage`, `{metric: value}` for `tenant`, and empty on failure (with `error` set).
pub fn call(
    what: &str,
    params: &Params,
    tenant: &str,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Value {
    answer(what, params, tenant, host, net).into_value()
}

/// [`call`] as the extension takes it: every tenant's values of `usage` are made one by one as
/// they become PHP ([`Answer`]).
pub fn answer(
    what: &str,
    params: &Params,
    tenant: &str,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Answer {
    let definitions: Vec<Value> = METRICS
        .iter()
        .map(|m| {
            json!({
                "name": m.name,
                "displayName": m.display,
                "unit": m.unit,
                "unitName": m.unit_words[0],
                "unitSingle": m.unit_words[1],
                "unitPlural": m.unit_words[2],
                "snapshot": m.snapshot,
            })
        })
        .collect();
    // The plan is read once, here; `tenant` is checked with the server's fields.
    let outcome = match what {
        "metrics" => Ok(Usage::One(Value::Object(Map::new()))),
        "usage" => Connection::read(params)
            .map_err(Failure::from)
            .and_then(|plan| usage(&plan, host, net))
            .map(Usage::Tenants),
        "tenant" => {
            let mut problems = Problems::default();
            if let Err(e) = crate::settings::rules::account_name(tenant) {
                problems.add("tenant", e);
            }
            Connection::read_after(params, problems)
                .map_err(Failure::from)
                .and_then(|plan| tenant_usage(&plan, tenant, host, net))
                .map(Usage::One)
        }
        other => Err(Failure::NoMetricCall(crate::text::quote::printable(
            &crate::text::cut::cut(other, 64, ""),
        ))),
    };
    match outcome {
        Ok(Usage::One(usage)) => {
            json!({"metrics": definitions, "usage": usage, "error": ""}).into()
        }
        Ok(Usage::Tenants(tenants)) => Answer::streaming(
            json!({"metrics": definitions, "usage": null, "error": ""}),
            "usage",
            Items::Keyed(Box::new(
                tenants
                    .into_iter()
                    .map(|(tenant, figures)| (tenant, figures.values())),
            )),
        ),
        Err(e) => {
            let e = e.to_string();
            let line = format!("sgwhmcs usage billing: {e}");
            host.log_activity(&line, "");
            json!({"metrics": definitions, "usage": {}, "error": e}).into()
        }
    }
}

/// What a metric call answers in `usage`.
enum Usage {
    /// One value: no metrics' values, or one tenant's.
    One(Value),
    /// Every tenant's figures.
    Tenants(Vec<(String, Figures)>),
}

/// An account as Usage Billing needs it: its kind, name and figures, a fraction of the whole
/// account (a million billed accounts are held until their services are read).
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// Its kind.
    pub kind: Option<Kind>,
    /// Its name.
    pub name: String,
    /// Bytes used, when said.
    pub used_bytes: Option<u64>,
    /// Machines, when said.
    pub machines: Option<u64>,
    /// MCAL used, when said.
    pub mcal_used: Option<u64>,
}

impl Figures {
    /// What Usage Billing needs of `account`.
    pub fn of(account: &Account) -> Figures {
        Figures {
            kind: account.kind,
            name: account.name.clone(),
            used_bytes: account.used_bytes(),
            machines: account.clients(),
            mcal_used: account.mcal_used(),
        }
    }

    /// The values: `null` where the server gave no figure (unknown, not 0).
    pub fn values(&self) -> Value {
        let gb = self
            .used_bytes
            .map(|b| (b as f64 / GB * 1000.0).round() / 1000.0);
        json!({
            "storage_used": gb,
            "machines": self.machines,
            "mcal_used": self.mcal_used,
        })
    }
}

/// A service of this module that a reference names: its username and the kind its product
/// makes.
#[derive(Clone, Debug, PartialEq)]
pub struct Owner {
    /// `tblhosting.username`: the tenant key.
    pub username: String,
    /// The kind of account its product makes.
    pub kind: Kind,
}

/// The services of this module among `ids`, by id (ids of other modules' services, or of
/// none, are absent).
fn owners(host: &mut dyn Host, ids: &[i64]) -> Result<HashMap<i64, Owner>, Failure> {
    let module = host.module_name();
    let products =
        crate::settings::whmcs_tables::products(host, &module).map_err(Failure::Whmcs)?;
    let mut out = HashMap::new();
    for chunk in ids.chunks(crate::functions::usage::BATCH) {
        let within: Vec<Value> = chunk.iter().map(|id| json!(id)).collect();
        let rows = host
            .db_rows("tblhosting", &[], Some(("id", &within)))
            .map_err(|e| Failure::Whmcs(format!("WHMCS could not read the services ({e})")))?;
        for row in rows {
            let number = |key: &str| {
                crate::whmcs::params::scalar_text(row.get(key))
                    .parse::<i64>()
                    .ok()
            };
            let (Some(id), Some(product)) = (number("id"), number("packageid")) else {
                continue;
            };
            if let Some(product) = products.get(&product) {
                let username = crate::whmcs::params::scalar_text(row.get("username"));
                out.insert(
                    id,
                    Owner {
                        username,
                        kind: product.kind,
                    },
                );
            }
        }
    }
    Ok(out)
}

/// Why `account` is not billed as the service `owner` (with id `id`), or `None` when it is.
pub fn mismatch(account: &Figures, id: i64, owner: Option<&Owner>) -> Option<String> {
    let noun = account.kind.map_or("account", Kind::noun);
    let name = crate::text::quote::printable(&account.name);
    match owner {
        None => Some(format!(
            "the {noun} \"{name}\" names service {id}, which is not a service of this module"
        )),
        Some(o) if Some(o.kind) != account.kind => Some(format!(
            "the {noun} \"{name}\" names service {id}, whose product makes {}",
            o.kind.collection()
        )),
        Some(o) if !o.username.eq_ignore_ascii_case(&account.name) => Some(format!(
            "the {noun} \"{name}\" names service {id}, whose username is \"{}\"",
            crate::text::quote::printable(&o.username)
        )),
        Some(_) => None,
    }
}

fn usage(
    plan: &Connection,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Vec<(String, Figures)>, Failure> {
    let (endpoint, secrets) = (&plan.endpoint, &plan.secrets);
    let install =
        crate::whmcs::reference::install_id(host).map_err(|e| Failure::Whmcs(e.to_string()))?;
    // Only this install's service accounts are kept, and only their figures, as pages come.
    let mut owned: Vec<(Figures, i64)> = Vec::new();
    let repeated = with_client(host, "MetricProvider", endpoint, net, secrets, |c| {
        listing::each_page(c, &[Kind::Customer, Kind::Reseller], |page| {
            owned.extend(page.iter().filter_map(|a| {
                Reference::service_of(a.reference.as_deref(), &install)
                    .map(|id| (Figures::of(a), id))
            }));
            Ok(())
        })
        .map_err(explain_stop)
    })
    .map_err(|why| Failure::ServerUsageNotRead {
        host: endpoint.host.clone(),
        why,
    })?;
    // The services are read a batch at a time, so their rows are never all held.
    let mut left_out = Vec::new();
    let mut judged = Vec::with_capacity(owned.len());
    let mut owned = owned.into_iter().peekable();
    while owned.peek().is_some() {
        let batch: Vec<(Figures, i64)> = owned
            .by_ref()
            .take(crate::functions::usage::BATCH)
            .collect();
        let ids: Vec<i64> = batch.iter().map(|(_, id)| *id).collect();
        let owners = owners(host, &ids)?;
        judged.extend(judge(batch, &owners, &mut left_out));
    }
    let tenants = distinct(judged, &mut left_out, repeated);
    if !left_out.is_empty() {
        let shown: Vec<String> = left_out.iter().take(20).cloned().collect();
        let more = left_out.len().saturating_sub(20);
        let line = format!(
            "sgwhmcs usage billing of {}: not billed: {}{}",
            endpoint.host,
            shown.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        );
        host.log_activity(&line, "");
    }
    Ok(tenants)
}

/// The tenants of `owned` (accounts with the service id their reference names), keyed by their
/// service's username, each at most once case-insensitively; and what was left out, described.
pub fn tenants(
    owned: Vec<(Figures, i64)>,
    owners: &HashMap<i64, Owner>,
) -> (Vec<(String, Figures)>, Vec<String>) {
    let mut left_out = Vec::new();
    let judged = judge(owned, owners, &mut left_out);
    let tenants = distinct(judged, &mut left_out, Repeated::default());
    (tenants, left_out)
}

/// The accounts of `owned` whose service bills them, with its username; the others are
/// described in `left_out`.
fn judge(
    owned: Vec<(Figures, i64)>,
    owners: &HashMap<i64, Owner>,
    left_out: &mut Vec<String>,
) -> Vec<(String, Figures)> {
    let mut out = Vec::with_capacity(owned.len());
    for (account, id) in owned {
        let owner = owners.get(&id);
        if let Some(why) = mismatch(&account, id, owner) {
            left_out.push(why);
            continue;
        }
        if let Some(owner) = owner {
            out.push((owner.username.clone(), account));
        }
    }
    out
}

/// `judged` in list order, without the tenants WHMCS would take for one (usernames equal but
/// for case) and the names the server listed more than once; both described in `left_out`.
fn distinct(
    judged: Vec<(String, Figures)>,
    left_out: &mut Vec<String>,
    repeated: Repeated,
) -> Vec<(String, Figures)> {
    let groups = listing::same_names(&judged, |(tenant, _)| tenant);
    let mut keep = vec![true; judged.len()];
    for group in groups {
        group.iter().for_each(|i| keep[*i] = false);
        let named: Vec<String> = group
            .iter()
            .map(|i| {
                let (tenant, account) = &judged[*i];
                format!(
                    "{} \"{}\"",
                    account.kind.map_or("account", Kind::noun),
                    crate::text::quote::printable(tenant)
                )
            })
            .collect();
        left_out.push(format!(
            "{}: WHMCS would match these services to one tenant (it compares usernames case-insensitively); give one of them another username",
            named.join(" and ")
        ));
    }
    if !repeated.is_empty() {
        left_out.push(format!(
            "the Backup Server listed {} more than once, so which copy is true is unknown",
            repeated.text()
        ));
    }
    judged
        .into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect()
}

fn tenant_usage(
    plan: &Connection,
    tenant: &str,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Value, Failure> {
    let (endpoint, secrets) = (&plan.endpoint, &plan.secrets);
    let install =
        crate::whmcs::reference::install_id(host).map_err(|e| Failure::Whmcs(e.to_string()))?;
    let found = with_client(host, "MetricProvider", endpoint, net, secrets, |c| {
        let mut found = Vec::new();
        for kind in [Kind::Customer, Kind::Reseller] {
            if let Some(account) = c.find(kind, tenant).map_err(|e| explain(&e))? {
                let account = listing::checked(kind, account)
                    .map_err(|why| format!("the Backup Server's answer {why}"))?;
                if !account.name.eq_ignore_ascii_case(tenant) {
                    return Err(format!(
                        "the Backup Server answered about \"{}\" where \"{}\" was asked for",
                        crate::text::quote::printable(&account.name),
                        crate::text::quote::printable(tenant)
                    ));
                }
                found.push(account);
            }
        }
        Ok(found)
    })
    .map_err(|why| Failure::TenantUsageNotRead {
        tenant: crate::text::quote::printable(tenant),
        why,
    })?;
    let shown = crate::text::quote::printable(tenant);
    if found.is_empty() {
        return Err(Failure::NoTenant(shown));
    }
    let owned: Vec<(Figures, i64)> = found
        .iter()
        .filter_map(|a| {
            Reference::service_of(a.reference.as_deref(), &install).map(|id| (Figures::of(a), id))
        })
        .collect();
    let ids: Vec<i64> = owned.iter().map(|(_, id)| *id).collect();
    let owners = if ids.is_empty() {
        HashMap::new()
    } else {
        owners(host, &ids)?
    };
    let (tenants, left_out) = tenants(owned, &owners);
    if let [(_, figures)] = tenants.as_slice() {
        return Ok(figures.values());
    }
    if !left_out.is_empty() {
        return Err(Failure::TenantNotBilled {
            tenant: shown,
            why: left_out.join("; "),
        });
    }
    let whose: Vec<String> = found.iter().map(|a| whose(a, &install)).collect();
    if found
        .iter()
        .all(|a| Reference::of_other_install(a.reference.as_deref(), &install))
    {
        return Err(Failure::ForeignTenant(shown));
    }
    Err(Failure::TenantNotBilled {
        tenant: shown,
        why: whose.join("; "),
    })
}

/// Whose `account` is, for a refusal: another install's, a client's, another system's, or
/// nobody's yet.
fn whose(account: &Account, install: &str) -> String {
    let noun = account.kind.map_or("account", Kind::noun);
    let name = crate::text::quote::printable(&account.name);
    let reference = account.reference.as_deref().filter(|r| !r.is_empty());
    match reference {
        None => format!(
            "the {noun} \"{name}\" has no reference, so no service owns it yet: link it to its service with Link Existing Account to bill it"
        ),
        Some(r) if Reference::of_other_install(Some(r), install) => {
            format!("the {noun} \"{name}\" belongs to another WHMCS install, which bills it")
        }
        Some(r) => format!(
            "the {noun} \"{name}\" carries the reference \"{}\", not a service's of this install",
            crate::text::quote::printable(&crate::text::cut::cut(r, 80, ""))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_names_its_unit() {
        for m in METRICS {
            assert!(m.unit_words.iter().all(|w| !w.is_empty()), "{}", m.name);
        }
        let answer = call(
            "metrics",
            &Params::default(),
            "",
            &mut crate::whmcs::host::fake::FakeHost::default(),
            &NetSettings::default(),
        );
        assert_eq!(answer["metrics"][1]["unitName"], json!("Machines"));
        assert_eq!(answer["metrics"][1]["unitSingle"], json!("machine"));
        assert_eq!(answer["metrics"][2]["unitPlural"], json!("licences"));
    }

    #[test]
    fn values_are_gb_whole_machines_and_mcal_and_unknown_is_null() {
        let account: Account = serde_json::from_value(json!({
            "name": "a", "storage": {"used_bytes": 3u64 << 29}, "mcal": {"used": 4}, "clients": 2
        }))
        .unwrap();
        assert_eq!(
            Figures::of(&account).values(),
            json!({"storage_used": 1.5, "machines": 2, "mcal_used": 4})
        );
        let empty: Account = serde_json::from_value(json!({"name": "b"})).unwrap();
        assert_eq!(
            Figures::of(&empty).values(),
            json!({"storage_used": null, "machines": null, "mcal_used": null})
        );
        let zero: Account =
            serde_json::from_value(json!({"name": "c", "storage": {"used_bytes": 0}})).unwrap();
        assert_eq!(Figures::of(&zero).values()["storage_used"], json!(0.0));
    }

    fn account(kind: Kind, name: &str, used: u64) -> Account {
        Account {
            name: name.into(),
            kind: Some(kind),
            storage: Some(crate::server::api::Lenient::Read(
                crate::server::api::StorageUse {
                    used_bytes: Some(used << 30),
                    ..Default::default()
                },
            )),
            ..Account::default()
        }
    }

    fn owner(kind: Kind, username: &str) -> Owner {
        Owner {
            username: username.into(),
            kind,
        }
    }

    #[test]
    fn tenants_are_services_by_kind_and_never_two_for_one_name() {
        let reseller = account(Kind::Reseller, "bravo", 7);
        let customer = account(Kind::Customer, "bravo", 1);
        let wrong_kind = account(Kind::Customer, "charlie", 2);
        let renamed = account(Kind::Customer, "delta", 3);
        let clash_a = account(Kind::Reseller, "echo", 4);
        let clash_b = account(Kind::Customer, "ECHO", 5);
        let owners = HashMap::from([
            (1, owner(Kind::Reseller, "Bravo")),
            (2, owner(Kind::Customer, "bravo-c")),
            (3, owner(Kind::Reseller, "charlie")),
            (4, owner(Kind::Customer, "other")),
            (5, owner(Kind::Reseller, "echo")),
            (6, owner(Kind::Customer, "Echo")),
        ]);
        let owned = [
            (&reseller, 1),
            (&customer, 1),
            (&wrong_kind, 3),
            (&renamed, 4),
            (&clash_a, 5),
            (&clash_b, 6),
            (&customer, 99),
        ]
        .map(|(a, id)| (Figures::of(a), id))
        .to_vec();
        let (tenants, left_out) = tenants(owned, &owners);
        let tenants: Map<String, Value> =
            tenants.into_iter().map(|(t, f)| (t, f.values())).collect();
        assert_eq!(
            Value::Object(tenants),
            json!({"Bravo": {"storage_used": 7.0, "machines": null, "mcal_used": null}})
        );
        assert_eq!(left_out.len(), 5, "{left_out:?}");
        assert!(
            left_out[0].contains("whose product makes resellers"),
            "{left_out:?}"
        );
        assert!(left_out
            .iter()
            .any(|l| l.contains("whose username is \"other\"")));
        assert!(left_out
            .iter()
            .any(|l| l.contains("not a service of this module")));
        assert!(left_out
            .iter()
            .any(|l| l.starts_with("reseller \"echo\" and customer \"Echo\"")));
    }

    #[test]
    fn whose_an_account_is_is_said() {
        let mut a = account(Kind::Customer, "x", 1);
        assert!(whose(&a, "i1").contains("Link Existing Account"));
        a.reference = Some("whmcs:i2:service:4".into());
        assert!(whose(&a, "i1").contains("another WHMCS install"));
        a.reference = Some("whmcs:i1:client:4".into());
        assert!(whose(&a, "i1").contains("\"whmcs:i1:client:4\""));
    }
}
