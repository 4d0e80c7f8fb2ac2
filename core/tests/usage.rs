//! UsageUpdate, ListAccounts and Usage Billing against a real sgsim, without PHP: the server is
//! seeded through `/_sim/seed` and `/_sim/usage`, WHMCS is the recording host's in-memory
//! database, and sgsim's request counters prove that every run reads paged lists (never one
//! request per service) and that bad settings send nothing.

mod common;

use common::{net, Recorder, Sim, ADMIN_PASSWORD, MODULE};
use serde_json::{json, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::{metrics, module, usage};
use sgwhmcs_core::whmcs::params::Params;
use sgwhmcs_core::whmcs::reference::INSTALL_SETTING;

const INSTALL: &str = "0a1b2c3d4e5f6a7b";
const MIB: u64 = 1 << 20;

/// A WHMCS with this install id, server 4 of the module, product 2 (customers, no connection
/// fields) and services 1..=`count` named `u-<i>` on server 4.
fn whmcs(count: i64) -> Recorder {
    let mut host = Recorder::new();
    host.insert(
        "tblconfiguration",
        json!({"setting": INSTALL_SETTING, "value": INSTALL}),
    );
    host.insert(
        "tblproducts",
        json!({"id": 2, "servertype": MODULE, "configoption6": "Signup Customer"}),
    );
    host.insert("tblproducts", json!({"id": 3, "servertype": "cpanel"}));
    for i in 1..=count {
        host.insert(
            "tblhosting",
            json!({"id": i, "userid": 3, "packageid": 2, "server": 4, "username": format!("u-{i}"), "domainstatus": "Active", "diskusage": 0, "disklimit": 0}),
        );
    }
    host
}

fn server_params(sim: &Sim) -> Params {
    Params::new(json!({
        "serverid": 4, "serverhostname": "127.0.0.1", "serverip": "", "serverport": sim.port.to_string(),
        "serverusername": sim.user, "serverpassword": ADMIN_PASSWORD,
        "serveraccesshash": sim.sha256.clone().unwrap_or_default(),
        "serversecure": sim.scheme == "https", "serverhttpprefix": sim.scheme,
    }))
}

fn seed(sim: &Sim, count: u64) {
    sim.control(
        "POST",
        "/seed",
        Some(&json!({"kind": "customer", "prefix": "u-", "count": count, "storage_bytes": 1u64 << 30,
                     "reference_prefix": format!("whmcs:{INSTALL}:service:"), "email_domain": "seed.example"})),
    );
    let accounts: Vec<Value> = (1..=count)
        .map(|i| json!({"kind": "customer", "name": format!("u-{i}"), "used_bytes": i * MIB, "clients": i % 5}))
        .collect();
    sim.control("POST", "/usage", Some(&json!({"accounts": accounts})));
}

fn column(host: &Recorder, id: i64, column: &str) -> Value {
    let row = host.row("tblhosting", "id", &id.to_string()).unwrap();
    row.get(column).cloned().unwrap_or(Value::Null)
}

#[test]
fn usage_update_reads_pages_and_writes_in_batches() {
    let sim = Sim::http();
    seed(&sim, 2500);
    let mut host = whmcs(2500);
    // A service of another module on the same server id is never touched.
    host.insert(
        "tblhosting",
        json!({"id": 9000, "packageid": 3, "server": 4, "username": "u-1", "domainstatus": "Active", "diskusage": 77}),
    );

    assert_eq!(
        module::call(
            Function::UsageUpdate,
            &server_params(&sim),
            &mut host,
            &net()
        ),
        json!("success")
    );

    assert_eq!(column(&host, 1, "diskusage"), json!(1));
    assert_eq!(column(&host, 2500, "diskusage"), json!(2500));
    assert_eq!(column(&host, 1234, "disklimit"), json!(1024));
    assert!(column(&host, 7, "lastupdate")
        .as_str()
        .is_some_and(|t| t.len() == 19));
    assert_eq!(column(&host, 9000, "diskusage"), json!(77));
    let updates = host
        .queries
        .iter()
        .filter(|q| *q == "update tblhosting")
        .count();
    assert_eq!(updates, 3, "2500 services in batches of {}", usage::BATCH);
    assert_eq!(
        sim.count("GET /customers"),
        3,
        "2500 accounts (+2 built-in) in pages of 1000"
    );
    assert_eq!(sim.count("GET /customers/{name}"), 0);
    assert_eq!(sim.count("GET /resellers"), 0, "no reseller product");
}

#[test]
fn bad_server_settings_are_named_and_nothing_is_sent() {
    let sim = Sim::http();
    let mut host = whmcs(1);
    let params = Params::new(
        json!({"serverid": "x", "serverhostname": "", "serverusername": "a\u{1}b",
                                    "serverpassword": "Pw-Secret-1"}),
    );
    let answer = module::call(Function::UsageUpdate, &params, &mut host, &net());
    let text = answer.as_str().unwrap();
    assert!(text.starts_with("Server settings are invalid"), "{text}");
    assert!(
        text.contains("serverid") && text.contains("Server Hostname"),
        "{text}"
    );
    assert!(!text.contains("Pw-Secret-1"));
    assert_eq!(sim.total(), 0);
    assert!(host.queries.is_empty());
}

#[test]
fn list_accounts_answers_whmcs_shape_for_every_account() {
    let sim = Sim::http();
    seed(&sim, 3);
    sim.call("POST", "/api/v1/customers/u-2/deactivate", None);
    let mut host = whmcs(0);

    let answer = module::call(
        Function::ListAccounts,
        &server_params(&sim),
        &mut host,
        &net(),
    );

    assert_eq!(answer["success"], json!(true));
    let accounts = answer["accounts"].as_array().unwrap();
    assert_eq!(
        accounts.len(),
        3,
        "the seeded accounts, never the built-in ones"
    );
    let u2 = accounts
        .iter()
        .find(|a| a["uniqueIdentifier"] == "u-2")
        .unwrap();
    assert_eq!(u2["status"], "Suspended");
    assert_eq!(u2["email"], "u-2@seed.example");
    assert_eq!(
        u2["product"],
        (1u64 << 30).to_string(),
        "the storage a product holds"
    );
    for a in accounts {
        for key in [
            "email",
            "username",
            "domain",
            "uniqueIdentifier",
            "product",
            "primaryip",
            "created",
            "status",
        ] {
            assert!(a[key].is_string(), "{key} of {a}");
        }
    }
    let log = host
        .module_log
        .iter()
        .map(|l| format!("{:?}", l.record))
        .collect::<String>();
    assert!(!log.contains(ADMIN_PASSWORD));
}

#[test]
fn usage_billing_lists_once_and_reads_one_tenant() {
    let sim = Sim::http();
    seed(&sim, 5);
    let mut host = whmcs(5);
    let params = server_params(&sim);

    let all = metrics::call("usage", &params, "", &mut host, &net());
    assert_eq!(all["error"], "");
    assert_eq!(
        all["usage"]["u-3"],
        json!({"storage_used": 0.003, "machines": 3, "mcal_used": 0})
    );
    assert_eq!(sim.count("GET /customers") + sim.count("GET /resellers"), 2);

    let before = sim.total();
    let one = metrics::call("tenant", &params, "U-4", &mut host, &net());
    assert_eq!(one["usage"]["machines"], json!(4));
    assert_eq!(
        sim.total(),
        before + 2,
        "the customer and the reseller of that name"
    );

    let names: Vec<&str> = all["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["storage_used", "machines", "mcal_used"]);
}

#[test]
fn only_this_installs_service_accounts_and_unclaimed_ones_are_listed_or_billed() {
    let sim = Sim::http();
    seed(&sim, 2);
    for (kind, prefix, reference) in [
        (
            "customer",
            "theirs-",
            Some("whmcs:ffffffffffffffff:service:"),
        ),
        (
            "customer",
            "hooked-",
            Some("whmcs:0a1b2c3d4e5f6a7b:client:"),
        ),
        ("customer", "legacy-", None),
        ("reseller", "U-", None),
    ] {
        let mut body = json!({"kind": kind, "prefix": prefix, "count": 1});
        if kind == "reseller" {
            // Another size than the customers', so the row shows which of the two was kept.
            body["storage_bytes"] = json!(5u64 << 30);
        }
        if let Some(r) = reference {
            body["reference_prefix"] = json!(r);
        }
        sim.control("POST", "/seed", Some(&body));
    }
    let mut host = whmcs(2);
    let params = server_params(&sim);

    let answer = module::call(Function::ListAccounts, &params, &mut host, &net());

    let ids: Vec<&str> = answer["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["uniqueIdentifier"].as_str().unwrap())
        .collect();
    // The reseller "U-1" clashes with this install's customer service "u-1": the owned one wins.
    assert_eq!(ids, ["legacy-1", "u-1", "u-2"]);
    assert_eq!(
        answer["accounts"][1]["product"],
        (1u64 << 30).to_string(),
        "the customer's storage"
    );

    let billed = metrics::call("usage", &params, "", &mut host, &net());
    let tenants: Vec<&String> = billed["usage"].as_object().unwrap().keys().collect();
    assert_eq!(tenants, ["u-1", "u-2"], "{billed}");
    let theirs = metrics::call("tenant", &params, "theirs-1", &mut host, &net());
    assert!(
        theirs["error"]
            .as_str()
            .unwrap()
            .contains("belongs to another WHMCS install"),
        "{theirs}"
    );
    assert_eq!(theirs["usage"], json!({}));
}

#[test]
fn bad_tenants_send_nothing() {
    let sim = Sim::http();
    let mut host = whmcs(0);
    for tenant in ["", "a/b", "x\u{0}y", &"n".repeat(10_000), "&lt;x&gt;"] {
        let answer = metrics::call("tenant", &server_params(&sim), tenant, &mut host, &net());
        assert!(
            answer["error"].as_str().unwrap().contains("tenant"),
            "{tenant:.20}: {answer}"
        );
        assert_eq!(answer["usage"], json!({}));
    }
    assert_eq!(sim.total(), 0);
}

#[test]
fn own_connection_products_are_listed_once_and_bad_ones_named() {
    let sim = Sim::http();
    seed(&sim, 3);
    let mut host = Recorder::new();
    host.insert(
        "tblconfiguration",
        json!({"setting": INSTALL_SETTING, "value": INSTALL}),
    );
    host.insert(
        "tblconfiguration",
        json!({"setting": usage::STATS_SETTING, "value": "on"}),
    );
    // Two products on the same server (one listing), one whose password was not UTF-8 in the
    // database (read as U+FFFD): refused with its field named, never sent altered.
    for (id, password) in [
        (5, ADMIN_PASSWORD.to_string()),
        (6, ADMIN_PASSWORD.to_string()),
        (7, "pw-\u{FFFD}".to_string()),
    ] {
        let mut product = Value::Object(sim.product(json!({"configoption5": password})));
        product["id"] = json!(id);
        product["servertype"] = json!(MODULE);
        host.insert("tblproducts", product);
    }
    for (id, product) in [(1, 5), (2, 6), (3, 7)] {
        host.insert(
            "tblhosting",
            json!({"id": id, "userid": 3, "packageid": product, "server": 0, "username": format!("u-{id}"), "domainstatus": "Active"}),
        );
    }

    let lines = usage::update_own_connections(&mut host, &net());

    assert_eq!(column(&host, 1, "diskusage"), json!(1));
    assert_eq!(column(&host, 2, "diskusage"), json!(2));
    assert_eq!(column(&host, 3, "diskusage"), Value::Null, "{lines:?}");
    assert_eq!(
        sim.count("GET /customers"),
        1,
        "one listing for both products"
    );
    let bad = lines
        .iter()
        .find(|l| l.contains("product 7"))
        .expect("product 7 named");
    assert!(bad.contains("Password"), "{bad}");
    assert!(host.activity.iter().any(|(l, _)| l == bad));
}

/// Only Active and Suspended services are updated: the others (whose accounts are gone or never
/// were) are neither matched nor named in the Activity Log, and a server with only such
/// services is not even listed.
#[test]
fn only_active_and_suspended_services_are_updated_and_the_others_never_named() {
    let sim = Sim::http();
    seed(&sim, 2);
    let mut host = whmcs(0);
    let statuses = [
        (1, "Active"),
        (2, "Suspended"),
        (3, "Terminated"),
        (4, "Cancelled"),
        (5, "Pending"),
        (6, "Fraud"),
        (7, "Completed"),
    ];
    for (id, status) in statuses {
        host.insert(
            "tblhosting",
            json!({"id": id, "userid": 3, "packageid": 2, "server": 4, "username": format!("u-{id}"), "domainstatus": status, "diskusage": 0}),
        );
    }

    let answer = module::call(
        Function::UsageUpdate,
        &server_params(&sim),
        &mut host,
        &net(),
    );

    assert_eq!(answer, json!("success"));
    assert_eq!(column(&host, 1, "diskusage"), json!(1));
    assert_eq!(column(&host, 2, "diskusage"), json!(2));
    for id in 3..=7 {
        assert_eq!(column(&host, id, "diskusage"), json!(0), "service {id}");
        assert_eq!(column(&host, id, "lastupdate"), Value::Null, "service {id}");
    }
    assert!(
        host.activity.is_empty(),
        "nothing to say: {:?}",
        host.activity
    );

    // A server whose services are all ended is not asked at all.
    let mut ended = whmcs(0);
    ended.insert(
        "tblhosting",
        json!({"id": 1, "userid": 3, "packageid": 2, "server": 4, "username": "gone", "domainstatus": "Terminated"}),
    );
    let before = sim.count("GET /customers");
    let answer = module::call(
        Function::UsageUpdate,
        &server_params(&sim),
        &mut ended,
        &net(),
    );
    assert_eq!(answer, json!("success"));
    assert_eq!(
        sim.count("GET /customers"),
        before,
        "no listing for ended services"
    );
    assert!(ended.activity.is_empty(), "{:?}", ended.activity);
}

/// The DailyCronJob pass honours Automation Settings › "Update Usage Statistics": off (''),
/// '0' or no row at all sends nothing and writes nothing; 'on' (a fresh install) runs.
#[test]
fn the_daily_pass_runs_only_while_update_usage_statistics_is_on() {
    let sim = Sim::http();
    seed(&sim, 1);
    for setting in [Some(""), Some("0"), None, Some("on")] {
        let mut host = Recorder::new();
        host.insert(
            "tblconfiguration",
            json!({"setting": INSTALL_SETTING, "value": INSTALL}),
        );
        if let Some(value) = setting {
            host.insert(
                "tblconfiguration",
                json!({"setting": usage::STATS_SETTING, "value": value}),
            );
        }
        let mut product = Value::Object(sim.product(json!({})));
        product["id"] = json!(5);
        product["servertype"] = json!(MODULE);
        host.insert("tblproducts", product);
        host.insert(
            "tblhosting",
            json!({"id": 1, "userid": 3, "packageid": 5, "server": 0, "username": "u-1", "domainstatus": "Active"}),
        );
        let before = sim.count("GET /customers");

        let lines = usage::update_own_connections(&mut host, &net());

        let listed = sim.count("GET /customers") - before;
        if setting == Some("on") {
            assert_eq!(listed, 1, "{lines:?}");
            assert_eq!(column(&host, 1, "diskusage"), json!(1));
        } else {
            assert_eq!(listed, 0, "{setting:?}: nothing sent");
            assert_eq!(column(&host, 1, "diskusage"), Value::Null, "{setting:?}");
            assert_eq!(lines.len(), 1);
            assert!(
                lines[0].contains("\"Update Usage Statistics\" (UpdateStatsAuto) is off"),
                "{lines:?}"
            );
            assert!(
                host.activity.is_empty(),
                "off is not a failure: {:?}",
                host.activity
            );
        }
    }
}
