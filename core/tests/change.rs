//! ChangePackage and ChangePassword against a real sgsim, without PHP: the module's answer, the
//! account as the server then holds it, and the server's request counters (`/_sim/stats`) proving
//! "one PATCH", "no PATCH" and "nothing sent".

mod common;

use common::{net, Recorder, Sim, ADMIN_PASSWORD};
use serde_json::{json, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;

const GIB: u64 = 1 << 30;
const PATCH: &str = "PATCH /customers/{name}";

fn call(sim: &Sim, host: &mut Recorder, function: &str, extra: Value) -> Value {
    let function = Function::parse(function).expect("a listed function");
    module::call(function, &sim.params(extra), host, &net())
}

/// A customer `acme-7` made by CreateAccount with 100 GiB and 5 fixed MCALs.
fn created(sim: &Sim, host: &mut Recorder) {
    let made = call(sim, host, "CreateAccount", plan(100, 5));
    assert_eq!(made, json!("success"));
}

fn plan(gib: u64, mcal: u32) -> Value {
    json!({
        "username": "acme-7",
        "configoption10": (gib * GIB).to_string(),
        "configoption14": "",
        "configoption15": mcal.to_string(),
    })
}

fn customer(sim: &Sim) -> Value {
    sim.account("customers", "acme-7")
        .expect("the account exists")
}

#[test]
fn an_upgrade_is_one_patch_and_running_it_again_sends_none() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    created(&sim, &mut host);

    assert_eq!(
        call(&sim, &mut host, "ChangePackage", plan(300, 9)),
        json!("success")
    );
    assert_eq!(sim.count(PATCH), 1);
    let account = customer(&sim);
    assert_eq!(account["storage"]["allotted_bytes"], json!(300 * GIB));
    assert_eq!(account["mcal"]["allotted"], json!(9));

    assert_eq!(
        call(&sim, &mut host, "ChangePackage", plan(300, 9)),
        json!("success")
    );
    assert_eq!(sim.count(PATCH), 1, "nothing differs: no second PATCH");
}

#[test]
fn a_refused_downgrade_leaves_the_account_and_says_what_to_choose() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    created(&sim, &mut host);
    sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "customer", "name": "acme-7", "used_bytes": 80 * GIB + 1})),
    );
    let before = customer(&sim);

    let answer = call(&sim, &mut host, "ChangePackage", plan(50, 2));

    let text = answer.as_str().unwrap();
    assert!(
        text.contains("the customer already uses 81 GB") && text.contains("choose at least 81 GB"),
        "{text}"
    );
    assert!(text.contains("left as it was"), "{text}");
    let mut after = customer(&sim);
    after["storage"]["used_bytes"] = before["storage"]["used_bytes"].clone();
    assert_eq!(after, before);
    assert!(!host.everything_logged().contains(ADMIN_PASSWORD));
}

#[test]
fn a_kind_switch_is_refused_without_a_change() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    created(&sim, &mut host);
    let mut reseller = plan(100, 5);
    reseller["configoption6"] = json!("Signup Reseller");

    let answer = call(&sim, &mut host, "ChangePackage", reseller);

    let text = answer.as_str().unwrap();
    assert!(
        text.contains("is a customer on the Backup Server, but the product now makes resellers"),
        "{text}"
    );
    assert_eq!(sim.count("PATCH /resellers/{name}") + sim.count(PATCH), 0);
    assert_eq!(sim.count("POST /resellers"), 0);
}

#[test]
fn a_bad_setting_sends_nothing() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let mut bad = plan(100, 5);
    bad["configoptions"] = json!({"MCAL": "-1"});

    let answer = call(&sim, &mut host, "ChangePackage", bad);

    assert!(answer
        .as_str()
        .unwrap()
        .starts_with("Module settings are invalid: MCAL (configurable option): "));
    assert_eq!(sim.total(), 0);
}

#[test]
fn a_new_password_logs_in_and_is_never_logged() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    created(&sim, &mut host);
    assert!(sim.login("customer", "acme-7", "Svc-Pa55word!"));

    let new = "N3w-Console-Pa55";
    let answer = call(
        &sim,
        &mut host,
        "ChangePassword",
        json!({"username": "acme-7", "password": new}),
    );

    assert_eq!(answer, json!("success"));
    assert!(sim.login("customer", "acme-7", new));
    assert_eq!(sim.count(PATCH), 1);
    let logged = host.everything_logged();
    assert!(!logged.contains(new) && !logged.contains(ADMIN_PASSWORD));
    let entry = host.module_log.last().unwrap();
    assert!(
        entry.secrets.iter().any(|s| s == new),
        "WHMCS scrubs it too"
    );
}

#[test]
fn a_password_with_a_control_character_is_refused_with_nothing_sent() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    for bad in ["line\nbreak", "", "\u{7f}del"] {
        let answer = call(
            &sim,
            &mut host,
            "ChangePassword",
            json!({"username": "acme-7", "password": bad}),
        );
        let text = answer.as_str().unwrap();
        assert!(
            text.starts_with("Module settings are invalid: Password (service): "),
            "{text}"
        );
    }
    assert_eq!(sim.total(), 0);
}

#[test]
fn a_password_change_answered_about_another_account_is_not_success() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    created(&sim, &mut host);
    sim.fault(json!({"kind": "rewrite", "route": PATCH, "set": {"name": "someone-else"}}));

    let answer = call(
        &sim,
        &mut host,
        "ChangePassword",
        json!({"username": "acme-7", "password": "Other-Pa55"}),
    );

    let text = answer.as_str().unwrap();
    assert!(
        text.contains("answered about another account") && !text.contains("Other-Pa55"),
        "{text}"
    );
}

#[test]
fn a_package_change_answered_about_another_account_is_not_success() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    created(&sim, &mut host);
    sim.fault(json!({"kind": "rewrite", "route": PATCH, "set": {"kind": "reseller"}}));

    let answer = call(&sim, &mut host, "ChangePackage", plan(200, 5));

    let text = answer.as_str().unwrap();
    assert!(
        text.starts_with("Could not change the customer \"acme-7\": "),
        "{text}"
    );
    assert!(text.contains("answered about another account"), "{text}");
}
