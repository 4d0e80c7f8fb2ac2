//! Usage Billing (`<name>_MetricProvider`): the metrics the module offers and their values, as
//! plain arrays. The generated PHP class `WHMCS\Module\Server\<Name>\MetricProvider` (under the
//! module's `lib/`) turns them into WHMCS's `Metric` and `Usage` objects, so everything that
//! talks to the Backup Server stays here.
//!
//! - `usage()`: ONE paged listing per server (customers and resellers), keyed by tenant, the
//!   account name, which is the service username that MetaData names as
//!   `ListAccountsUniqueIdentifierField`. Accounts whose reference names another WHMCS install
//!   are left out: that install bills them.
//! - `tenantUsage($tenant)`: one read of that account (a reseller is read only when no customer
//!   has that name).
//!
//! A failure answers no values (WHMCS then bills nothing new) and says why in the Activity Log.

use serde_json::{json, Map, Value};

use crate::api::Kind;
use crate::call_plan::Connection;
use crate::client::NetSettings;
use crate::failure::Failure;
use crate::host::Host;
use crate::listing::{self, Listed};
use crate::params::Params;
use crate::plan::Problems;
use crate::provision::{explain, with_client};

/// A metric as WHMCS's `Metric` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetricDef {
    /// The system name, the key of `metrics()` and of each tenant's values.
    pub name: &'static str,
    /// What the admin and the client read.
    pub display: &'static str,
    /// The unit class under `WHMCS\UsageBilling\Metrics\Units\`.
    pub unit: &'static str,
    /// `Metric::TYPE_SNAPSHOT` (the value at collection time, not a sum over a period).
    pub snapshot: bool,
}

/// The metrics, in the order WHMCS lists them.
pub const METRICS: [MetricDef; 3] = [
    MetricDef {
        name: "storage_used",
        display: "Storage used",
        unit: "GigaBytes",
        snapshot: true,
    },
    MetricDef {
        name: "machines",
        display: "Machines",
        unit: "WholeNumber",
        snapshot: true,
    },
    MetricDef {
        name: "mcal_used",
        display: "MCAL used",
        unit: "WholeNumber",
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
    let definitions: Vec<Value> = METRICS
        .iter()
        .map(|m| json!({"name": m.name, "displayName": m.display, "unit": m.unit, "snapshot": m.snapshot}))
        .collect();
    // The plan is read once, here; `tenant` is checked with the server's fields.
    let outcome = match what {
        "metrics" => Ok(Value::Object(Map::new())),
        "usage" => Connection::read(params)
            .map_err(Failure::from)
            .and_then(|plan| usage(&plan, host, net)),
        "tenant" => {
            let mut problems = Problems::default();
            if let Err(e) = crate::rules::account_name(tenant) {
                problems.add("tenant", e);
            }
            Connection::read_after(params, problems)
                .map_err(Failure::from)
                .and_then(|plan| tenant_usage(&plan, tenant, host, net))
        }
        other => Err(Failure::NoMetricCall(crate::rules::printable(
            &other.chars().take(64).collect::<String>(),
        ))),
    };
    let (usage, error) = match outcome {
        Ok(usage) => (usage, String::new()),
        Err(e) => {
            let e = e.to_string();
            let line = format!("sgwhmcs usage billing: {e}");
            host.log_activity(&line, "");
            (Value::Object(Map::new()), e)
        }
    };
    json!({"metrics": definitions, "usage": usage, "error": error})
}

/// One account's values.
pub fn values(account: &Listed) -> Value {
    let gb = (account.used_bytes() as f64 / GB * 1000.0).round() / 1000.0;
    json!({
        "storage_used": gb,
        "machines": account.clients.unwrap_or(0),
        "mcal_used": account.mcal.as_ref().and_then(|m| m.used).unwrap_or(0),
    })
}

fn usage(plan: &Connection, host: &mut dyn Host, net: &NetSettings) -> Result<Value, Failure> {
    let (endpoint, secrets) = (&plan.endpoint, &plan.secrets);
    let install = crate::reference::install_id(host).map_err(Failure::Whmcs)?;
    let listed = with_client(host, "MetricProvider", endpoint, net, secrets, |c| {
        listing::all(c, &[Kind::Customer, Kind::Reseller]).map_err(|e| explain(&e))
    })
    .map_err(|why| Failure::ServerUsageNotRead {
        host: endpoint.host.clone(),
        why,
    })?;
    let mut out = Map::new();
    for account in &listed {
        if !ours(account.reference.as_deref(), &install) {
            continue;
        }
        // A customer and a reseller may share a name; the customer (what most services are) wins.
        out.entry(account.name.clone())
            .or_insert_with(|| values(account));
    }
    Ok(Value::Object(out))
}

fn tenant_usage(
    plan: &Connection,
    tenant: &str,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Value, Failure> {
    let (endpoint, secrets) = (&plan.endpoint, &plan.secrets);
    let install = crate::reference::install_id(host).map_err(Failure::Whmcs)?;
    let found = with_client(host, "MetricProvider", endpoint, net, secrets, |c| {
        for kind in [Kind::Customer, Kind::Reseller] {
            if let Some(item) = c.read_whole(kind, tenant).map_err(|e| explain(&e))? {
                let account = listing::item_account(kind, item)
                    .map_err(|why| format!("the Backup Server's answer {why}"))?;
                if !account.name.eq_ignore_ascii_case(tenant) {
                    return Err(format!(
                        "the Backup Server answered about \"{}\" where \"{}\" was asked for",
                        crate::rules::printable(&account.name),
                        crate::rules::printable(tenant)
                    ));
                }
                return Ok(Some(account));
            }
        }
        Ok(None)
    })
    .map_err(|why| Failure::TenantUsageNotRead {
        tenant: crate::rules::printable(tenant),
        why,
    })?;
    match found {
        Some(account) if ours(account.reference.as_deref(), &install) => Ok(values(&account)),
        Some(_) => Err(Failure::ForeignTenant(crate::rules::printable(tenant))),
        None => Err(Failure::NoTenant(crate::rules::printable(tenant))),
    }
}

/// Whether an account with `reference` is billed by this install: no reference, this install's
/// reference, or a reference of another system; not another WHMCS install's.
pub fn ours(reference: Option<&str>, install: &str) -> bool {
    match reference.and_then(|r| r.strip_prefix("whmcs:")) {
        Some(rest) => rest.split(':').next() == Some(install),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_gb_whole_machines_and_mcal() {
        let account: Listed = serde_json::from_value(json!({
            "name": "a", "storage": {"used_bytes": 3u64 << 29}, "mcal": {"used": 4}, "clients": 2
        }))
        .unwrap();
        assert_eq!(
            values(&account),
            json!({"storage_used": 1.5, "machines": 2, "mcal_used": 4})
        );
        let empty: Listed = serde_json::from_value(json!({"name": "b"})).unwrap();
        assert_eq!(
            values(&empty),
            json!({"storage_used": 0.0, "machines": 0, "mcal_used": 0})
        );
    }

    #[test]
    fn another_installs_accounts_are_not_billed() {
        assert!(ours(None, "i1"));
        assert!(ours(Some("whmcs:i1:service:4"), "i1"));
        assert!(!ours(Some("whmcs:i2:service:4"), "i1"));
        assert!(ours(Some("crm-77"), "i1"));
    }
}
