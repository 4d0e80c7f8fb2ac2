//! Adoption against a real sgsim: `module::call("CreateAccount")` makes one account per service,
//! tied to it by its reference; running it again, or after a lost answer, adopts that account
//! instead of making a second; an account of anyone else is never taken over. The server's own
//! request counters (`/_sim/stats`) prove what was sent.

mod common;

use common::{net, Recorder, Sim};
use serde_json::{json, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;
use sgwhmcs_core::whmcs::reference::INSTALL_SETTING;

fn create(sim: &Sim, host: &mut Recorder, extra: Value) -> Value {
    module::call(Function::CreateAccount, &sim.params(extra), host, &net())
}

/// The reference of service 7 in `host`'s install.
fn ours(host: &Recorder) -> String {
    let row = host
        .row("tblconfiguration", "setting", INSTALL_SETTING)
        .expect("the install id was stored");
    format!("whmcs:{}:service:7", row["value"].as_str().unwrap())
}

#[test]
fn a_create_makes_one_account_carrying_the_services_reference() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(sim.count("POST /customers"), 1);
    let mine = sim.with_reference("customers", &ours(&host));
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["name"], "Acme Widgets");
    assert_eq!(
        host.row("tblhosting", "id", "7").unwrap()["username"],
        "Acme Widgets",
        "the derived name is stored as the service's username"
    );
}

#[test]
fn running_create_again_adopts_instead_of_duplicating() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(sim.count("POST /customers"), 1, "one create only");
    assert_eq!(
        sim.count("GET /customers"),
        2,
        "each run searched by reference"
    );
    assert_eq!(sim.with_reference("customers", &ours(&host)).len(), 1);
}

#[test]
fn an_account_found_by_reference_is_adopted_under_the_name_it_has() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.insert(
        "tblconfiguration",
        json!({"setting": INSTALL_SETTING, "value": "prod-1"}),
    );
    sim.make(
        "customers",
        "Renamed By Hand",
        Some("whmcs:prod-1:service:7"),
    );
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(sim.count("POST /customers"), 1, "only the test's own make");
    assert_eq!(
        host.calls_of("UpdateClientProduct"),
        [json!({"serviceid": "7", "serviceusername": "Renamed By Hand"})]
    );
    assert!(sim.account("customers", "Acme Widgets").is_none());
}

#[test]
fn a_stored_install_id_is_the_one_used() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.insert(
        "tblconfiguration",
        json!({"setting": INSTALL_SETTING, "value": "prod-1"}),
    );
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    let account = sim.account("customers", "Acme Widgets").unwrap();
    assert_eq!(account["reference"], "whmcs:prod-1:service:7");
    assert_eq!(host.rows("tblconfiguration").len(), 1, "no second id");
}

#[test]
fn a_first_create_stores_a_new_install_id_once() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    create(&sim, &mut host, json!({}));
    create(&sim, &mut host, json!({}));
    let rows = host.rows("tblconfiguration");
    assert_eq!(rows.len(), 1);
    let id = rows[0]["value"].as_str().unwrap();
    assert_eq!(id.len(), 16);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
}

#[test]
fn a_derived_name_held_by_another_account_falls_back_to_the_service_id() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    sim.make("customers", "Acme Widgets", None);
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    let made = sim.account("customers", "Acme Widgets-7").unwrap();
    assert_eq!(made["reference"].as_str().unwrap(), ours(&host));
    let other = sim.account("customers", "Acme Widgets").unwrap();
    assert_eq!(other["reference"], Value::Null, "the other is untouched");
    assert_eq!(
        host.row("tblhosting", "id", "7").unwrap()["username"],
        "Acme Widgets-7"
    );
}

#[test]
fn another_installs_account_for_the_same_service_id_is_not_adopted() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    sim.make(
        "customers",
        "Acme Widgets",
        Some("whmcs:elsewhere:service:7"),
    );
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(
        sim.account("customers", "Acme Widgets").unwrap()["reference"],
        "whmcs:elsewhere:service:7"
    );
    assert!(sim.account("customers", "Acme Widgets-7").is_some());
}

#[test]
fn both_derived_names_taken_fails_without_a_create() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    sim.make("customers", "Acme Widgets", None);
    sim.make("customers", "Acme Widgets-7", Some("whmcs:x:service:7"));
    let answer = create(&sim, &mut host, json!({}));
    let text = answer.as_str().unwrap();
    assert!(
        text.contains("the name \"Acme Widgets-7\" is already taken"),
        "{text}"
    );
    assert!(
        text.contains("set the service's username to a free name"),
        "{text}"
    );
    assert_eq!(sim.count("POST /customers"), 2, "only the test's own makes");
    assert!(host.calls_of("UpdateClientProduct").is_empty());
}

#[test]
fn a_given_username_held_by_another_account_is_refused_and_left_alone() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    sim.make("customers", "acme-1", Some("whmcs:x:service:9"));
    let answer = create(&sim, &mut host, json!({"username": "acme-1"}));
    assert!(
        answer
            .as_str()
            .unwrap()
            .contains("\"acme-1\" is already taken"),
        "{answer}"
    );
    assert_eq!(
        sim.account("customers", "acme-1").unwrap()["reference"],
        "whmcs:x:service:9"
    );
}

#[test]
fn a_given_username_already_carrying_the_reference_is_adopted() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.insert(
        "tblconfiguration",
        json!({"setting": INSTALL_SETTING, "value": "prod-1"}),
    );
    sim.make("customers", "acme-1", Some("whmcs:prod-1:service:7"));
    let answer = create(&sim, &mut host, json!({"username": "acme-1"}));
    assert_eq!(answer, json!("success"));
    assert_eq!(
        sim.count("POST /customers"),
        2,
        "the make, and one refused create"
    );
    assert_eq!(sim.count("GET /customers/{name}"), 1, "read back once");
}

#[test]
fn a_create_whose_answer_is_lost_is_read_back_and_adopted() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    sim.fault(json!({"kind": "drop", "route": "POST /customers", "after": true}));
    let answer = create(&sim, &mut host, json!({"username": "acme-1"}));
    assert_eq!(answer, json!("success"));
    assert_eq!(sim.count("POST /customers"), 1, "never sent twice");
    assert_eq!(sim.with_reference("customers", &ours(&host)).len(), 1);
}

#[test]
fn a_reseller_product_makes_a_reseller_with_the_reference() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let answer = create(&sim, &mut host, json!({"configoption6": "Signup Reseller"}));
    assert_eq!(answer, json!("success"));
    assert_eq!(sim.count("POST /resellers"), 1);
    assert_eq!(sim.count("POST /customers"), 0);
    assert_eq!(sim.with_reference("resellers", &ours(&host)).len(), 1);
}

#[test]
fn invalid_settings_send_nothing_and_name_the_field() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let answer = create(&sim, &mut host, json!({"configoption10": "lots"}));
    let text = answer.as_str().unwrap();
    assert!(
        text.starts_with("Module settings are invalid: Storage Allotted:"),
        "{text}"
    );
    assert_eq!(sim.total(), 0, "no request");
    assert!(host.rows("tblconfiguration").is_empty(), "nothing stored");
}

#[test]
fn every_request_is_in_the_module_log_without_the_admin_password() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    create(&sim, &mut host, json!({}));
    assert_eq!(host.module_log.len() as u64, sim.total());
    assert!(host.module_log.iter().all(|l| l.action == "CreateAccount"));
    let logged = host.everything_logged();
    assert!(!logged.contains(common::ADMIN_PASSWORD), "{logged}");
    assert!(!logged.contains("Svc-Pa55word!"), "{logged}");
    assert!(host.module_log[0]
        .secrets
        .contains(&common::ADMIN_PASSWORD.to_string()));
}

#[test]
fn the_services_password_becomes_the_web_console_password() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    create(&sim, &mut host, json!({}));
    assert!(sim.login("customer", "Acme Widgets", "Svc-Pa55word!"));
    assert!(!sim.login("customer", "Acme Widgets", "wrong"));
}

#[test]
fn a_service_without_password_gets_a_generated_one_stored_first() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    assert_eq!(
        create(&sim, &mut host, json!({"password": ""})),
        json!("success")
    );
    let calls = host.calls_of("UpdateClientProduct");
    let made = calls[0]["servicepassword"].as_str().unwrap().to_string();
    assert!(made.len() >= 16, "{made}");
    assert_eq!(
        host.row("tblhosting", "id", "7").unwrap()["password"],
        json!(common::encrypted(&made))
    );
    assert!(sim.login("customer", "Acme Widgets", &made));
    assert!(!host.everything_logged().contains(&made));
}

#[test]
fn the_pinned_certificate_of_an_https_server_is_trusted() {
    let sim = Sim::https();
    let mut host = Recorder::with_service();
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(sim.count("POST /customers"), 1);
    let wrong = "00".repeat(32);
    let answer = create(&sim, &mut host, json!({"configoption24": wrong}));
    assert!(
        answer
            .as_str()
            .unwrap()
            .starts_with("Could not create customer"),
        "{answer}"
    );
    assert_eq!(
        sim.count("POST /customers"),
        1,
        "nothing sent to an unpinned server"
    );
}
