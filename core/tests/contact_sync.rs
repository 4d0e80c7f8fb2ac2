//! Contact sync (`ClientEdit`) against a real sgsim, without PHP: each account of the client's
//! services of this module gets the new contact with one PATCH when it differs and none when it
//! does not; other modules' and pending services are left alone; a service on a WHMCS server is
//! reached with its decrypted password; the run is bounded in time and names what it skipped.

mod common;

use std::time::{Duration, Instant};

use common::{encrypted, net, Recorder, Sim, ADMIN_PASSWORD, MODULE};
use serde_json::{json, Value};
use sgwhmcs_core::hooks::contact_sync::client_edit;
use sgwhmcs_core::server::client::NetSettings;
use sgwhmcs_core::server::tls::Timeouts;
use sgwhmcs_core::whmcs::params::Params;

const PATCH: &str = "PATCH /customers/{name}";

/// Client 3's one Active service of product 2, on its account "acme-a".
const ACME_A: (u32, u32, u32, &str, &str) = (7, 2, 0, "acme-a", "Active");

/// A WHMCS whose client 3 has `services` (id, product, server, username, status); product 2 runs
/// this module with its own connection to `sim`, product 4 runs it through WHMCS server 9,
/// product 5 is another module's.
fn host(sim: &Sim, services: &[(u32, u32, u32, &str, &str)]) -> Recorder {
    let mut host = Recorder::new();
    let mut product = Value::Object(sim.product(json!({})));
    product["id"] = json!(2);
    product["servertype"] = json!(MODULE);
    host.insert("tblproducts", product);
    host.insert(
        "tblproducts",
        json!({"id": 4, "servertype": MODULE, "configoption6": "Signup Customer"}),
    );
    host.insert("tblproducts", json!({"id": 5, "servertype": "cpanel"}));
    host.insert(
        "tblservers",
        json!({"id": 9, "hostname": "127.0.0.1", "ipaddress": "", "username": sim.user,
               "password": encrypted(ADMIN_PASSWORD), "accesshash": "", "secure": "",
               "port": sim.port.to_string()}),
    );
    host.script("GetClientsProducts", products(services));
    host
}

/// `GetClientsProducts`' answer for client 3's `services` (id, product, server, username, status).
fn products(services: &[(u32, u32, u32, &str, &str)]) -> Value {
    let list: Vec<Value> = services
        .iter()
        .map(|(id, pid, server, username, status)| {
            json!({"id": id, "clientid": 3, "pid": pid, "serverid": server,
                   "username": username, "status": status})
        })
        .collect();
    json!({"result": "success", "products": {"product": list}})
}

/// Client 3's profile fields, HTML-encoded as WHMCS passes them.
fn profile(company: &str) -> Value {
    json!({
        "firstname": "Jane", "lastname": "Doe", "companyname": company,
        "email": "jane@acme.test", "address1": "1 Main St", "address2": "", "city": "Springfield",
        "state": "IL", "postcode": "62701", "country": "US", "phonenumber": "5550100",
    })
}

/// ClientEdit's vars for client 3 after a save that changed the company.
fn vars(company: &str) -> Params {
    let mut vars = profile(company);
    vars["userid"] = json!(3);
    vars["olddata"] = json!({"firstname": "Jane", "lastname": "Doe", "companyname": "Old Name",
                             "email": "jane@acme.test", "country": "US"});
    Params::new(vars)
}

/// Makes customer `name` on `sim` for service `service` of `host`'s WHMCS (its reference).
fn make_for(sim: &Sim, host: &mut Recorder, name: &str, service: &str) {
    let reference = sgwhmcs_core::whmcs::reference::for_service(host, service).unwrap();
    sim.make("customers", name, Some(&reference));
}

fn contact(sim: &Sim, name: &str) -> Value {
    sim.account("customers", name).unwrap()["contact"].clone()
}

#[test]
fn each_account_of_the_module_gets_the_contact_once() {
    let sim = Sim::http();
    let mut host = host(
        &sim,
        &[
            (7, 2, 0, "acme-a", "Active"),
            (8, 4, 9, "acme-b", "Suspended"),
            (10, 5, 0, "other", "Active"),
            (11, 2, 0, "other", "Pending"),
        ],
    );
    make_for(&sim, &mut host, "acme-a", "7");
    make_for(&sim, &mut host, "acme-b", "8");
    make_for(&sim, &mut host, "other", "11");

    let line = client_edit(MODULE, &vars("Smith &amp; Sons"), &mut host, &net());

    assert_eq!(
        line,
        "sgwhmcs ClientEdit: contact of client 3: updated for service #7, #8"
    );
    assert_eq!(sim.count(PATCH), 2);
    for name in ["acme-a", "acme-b"] {
        let c = contact(&sim, name);
        assert_eq!(c["company"], json!("Smith & Sons"), "decoded once: {c}");
        assert_eq!(c["email"], json!("jane@acme.test"));
        assert_eq!(c["address"], json!("1 Main St"));
    }
    assert_eq!(contact(&sim, "other")["company"], Value::Null);
    assert_eq!(host.activity.len(), 1);
    assert!(!host.everything_logged().contains(ADMIN_PASSWORD));

    // Saved again with the same contact: the server already has it, nothing is sent.
    host.script(
        "GetClientsProducts",
        json!({"result": "success", "products": {"product": [
            {"id": 7, "clientid": 3, "pid": 2, "serverid": 0, "username": "acme-a", "status": "Active"}]}}),
    );
    let line = client_edit(MODULE, &vars("Smith &amp; Sons"), &mut host, &net());
    assert!(
        line.ends_with("already up to date on the Backup Server"),
        "{line}"
    );
    assert_eq!(sim.count(PATCH), 2);
}

/// ClientEdit's vars for client 3 after a save that changed nothing: `olddata` equals the
/// profile (how an admin retries a failed sync, as its message tells them to).
fn unchanged(company: &str) -> Params {
    let mut vars = profile(company);
    vars["olddata"] = vars.clone();
    vars["userid"] = json!(3);
    Params::new(vars)
}

#[test]
fn an_unchanged_profile_is_compared_with_the_server_not_with_olddata() {
    let sim = Sim::http();
    let mut host = host(&sim, &[ACME_A]);
    make_for(&sim, &mut host, "acme-a", "7");

    // The server's account lacks the contact (e.g. an earlier sync failed): it is sent.
    let line = client_edit(MODULE, &unchanged("Acme"), &mut host, &net());
    assert_eq!(
        line,
        "sgwhmcs ClientEdit: contact of client 3: updated for service #7"
    );
    assert_eq!(sim.count(PATCH), 1);
    assert_eq!(contact(&sim, "acme-a")["company"], json!("Acme"));

    // Saved once more: one read, and nothing sent, since the server already has it; nothing
    // for the Activity Log either.
    let reads = sim.count("GET /customers/{name}");
    host.script("GetClientsProducts", products(&[ACME_A]));
    let line = client_edit(MODULE, &unchanged("Acme"), &mut host, &net());
    assert!(
        line.ends_with("already up to date on the Backup Server"),
        "{line}"
    );
    assert_eq!(sim.count("GET /customers/{name}"), reads + 1);
    assert_eq!(sim.count(PATCH), 1);
    assert_eq!(host.activity.len(), 1);
}

#[test]
fn saving_the_unchanged_profile_again_retries_a_failed_sync() {
    let sim = Sim::http();
    let mut host = host(&sim, &[ACME_A]);
    make_for(&sim, &mut host, "acme-a", "7");
    sim.fault(json!({"kind": "status", "status": 500, "route": PATCH}));

    let line = client_edit(MODULE, &vars("Acme"), &mut host, &net());
    assert!(
        line.contains("service #7 failed: customer \"acme-a\": ")
            && line.ends_with(
                "whether the contact was changed is unknown: saving the profile again retries it"
            ),
        "{line}"
    );
    assert_eq!(contact(&sim, "acme-a")["company"], Value::Null);

    // As told: the same profile saved again (nothing changed in WHMCS) sends the contact.
    host.script("GetClientsProducts", products(&[ACME_A]));
    let line = client_edit(MODULE, &unchanged("Acme"), &mut host, &net());
    assert_eq!(
        line,
        "sgwhmcs ClientEdit: contact of client 3: updated for service #7"
    );
    assert_eq!(sim.count(PATCH), 2);
    assert_eq!(contact(&sim, "acme-a")["company"], json!("Acme"));
    assert_eq!(contact(&sim, "acme-a")["email"], json!("jane@acme.test"));
}

#[test]
fn a_change_that_surely_failed_is_not_called_unknown() {
    // Answers that say nothing was done: a server that is not the API (an HTML 404 of a web
    // server in its place), and the API's own refusal.
    let cases = [
        (
            json!({"kind": "status", "status": 404, "route": PATCH,
                   "body": "<html><body>404 Not Found</body></html>"}),
            "this is not a Backup Server API endpoint",
        ),
        (
            json!({"kind": "status", "status": 409, "route": PATCH,
                   "body": r#"{"error": {"code": "CONFLICT", "message": "busy"}}"#}),
            "the Backup Server refused it: busy (CONFLICT)",
        ),
    ];
    for (fault, words) in cases {
        let sim = Sim::http();
        let mut host = host(&sim, &[ACME_A]);
        make_for(&sim, &mut host, "acme-a", "7");
        sim.fault(fault);

        let line = client_edit(MODULE, &vars("Acme"), &mut host, &net());

        assert!(
            line.contains(&format!("service #7 failed: customer \"acme-a\": {words}")),
            "{line}"
        );
        assert!(!line.contains("unknown"), "{line}");
        assert_eq!(sim.count(PATCH), 1);
        assert_eq!(contact(&sim, "acme-a")["company"], Value::Null);
        assert_eq!(host.activity.len(), 1);
    }
}

#[test]
fn failures_go_to_the_activity_log_and_never_stop_the_others() {
    let sim = Sim::http();
    let mut host = host(
        &sim,
        &[(7, 2, 0, "gone", "Active"), (8, 2, 0, "acme-b", "Active")],
    );
    make_for(&sim, &mut host, "acme-b", "8");

    let line = client_edit(MODULE, &vars("Acme"), &mut host, &net());

    assert!(line.contains("updated for service #8"), "{line}");
    assert!(
        line.contains("service #7 failed: customer \"gone\": it does not exist"),
        "{line}"
    );
    assert_eq!(host.activity[0].0, line);
    assert_eq!(host.activity[0].1, "3");
}

#[test]
fn a_contact_too_long_is_refused_with_nothing_sent() {
    let sim = Sim::http();
    let mut host = host(&sim, &[(7, 2, 0, "acme-a", "Active")]);

    let line = client_edit(MODULE, &vars(&"x".repeat(300)), &mut host, &net());

    assert!(line.contains("contact.company is 300 characters"), "{line}");
    assert_eq!(sim.total(), 0);
}

#[test]
fn the_run_is_bounded_and_names_what_it_skipped() {
    let sim = Sim::http();
    let mut host = host(
        &sim,
        &[(7, 2, 0, "acme-a", "Active"), (8, 2, 0, "acme-b", "Active")],
    );
    make_for(&sim, &mut host, "acme-a", "7");
    make_for(&sim, &mut host, "acme-b", "8");
    sim.fault(json!({"kind": "blackhole", "route": "GET /customers/{name}"}));
    let short = NetSettings {
        timeouts: Timeouts {
            connect: Duration::from_secs(1),
            overall: Duration::from_secs(2),
        },
        ca_file: None,
    };

    let started = Instant::now();
    let line = client_edit(MODULE, &vars("Acme"), &mut host, &short);

    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(line.contains("service #7 failed"), "{line}");
    assert!(
        line.contains("service #8 skipped: the hook's time"),
        "{line}"
    );
    assert_eq!(sim.count(PATCH), 0);
}

#[test]
fn no_userid_and_a_failing_whmcs_are_logged_not_thrown() {
    let sim = Sim::http();
    let mut host = host(&sim, &[]);
    let line = client_edit(
        MODULE,
        &Params::new(json!({"email": "x@y.test"})),
        &mut host,
        &net(),
    );
    assert!(line.contains("gave no userid"), "{line}");

    host.scripted.clear();
    host.script(
        "GetClientsProducts",
        json!({"result": "error", "message": "Database error"}),
    );
    let line = client_edit(MODULE, &vars("Acme"), &mut host, &net());
    assert!(
        line.ends_with("GetClientsProducts failed: Database error"),
        "{line}"
    );
    assert_eq!(sim.total(), 0);
}

#[test]
fn a_server_that_answers_another_contact_is_not_believed() {
    let sim = Sim::http();
    sim.fault(
        json!({"kind": "rewrite", "route": PATCH, "set": {"contact": {"company": "Someone Else"}}}),
    );
    let mut host = host(&sim, &[(7, 2, 0, "acme-a", "Active")]);
    make_for(&sim, &mut host, "acme-a", "7");

    let line = client_edit(MODULE, &vars("Acme"), &mut host, &net());

    assert!(
        line.contains("service #7 failed: customer \"acme-a\": the Backup Server answered the change with another contact"),
        "{line}"
    );
}

#[test]
fn a_server_that_answers_about_another_account_is_not_believed() {
    let sim = Sim::http();
    sim.fault(json!({"kind": "rewrite", "route": PATCH, "set": {"name": "someone-else"}}));
    let mut host = host(&sim, &[(7, 2, 0, "acme-a", "Active")]);
    make_for(&sim, &mut host, "acme-a", "7");

    let line = client_edit(MODULE, &vars("Acme"), &mut host, &net());

    assert!(line.contains("answered about another account"), "{line}");
}
