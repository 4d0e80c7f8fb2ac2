//! `POST /_sim/login`: whether an account's web console password is exactly the one given, as set
//! by create and change; an account made without one never logs in.

mod common;

use common::Sim;
use serde_json::{json, Value};

fn login(sim: &Sim, kind: &str, name: &str, password: &str) -> bool {
    let body = json!({"kind": kind, "name": name, "password": password});
    sim.control("POST", "/login", Some(&body))["ok"] == Value::Bool(true)
}

#[test]
fn login_checks_the_password_set_by_create_and_change() {
    let sim = Sim::plain();
    let account = |name: &str, password: Option<&str>| {
        let mut body = json!({"name": name, "storage": {"allotted_bytes": 1024}});
        if let Some(p) = password {
            body["password"] = json!(p);
        }
        body
    };
    let (status, _) = sim.api(
        "POST",
        "/customers",
        Some(&account("Acme", Some("S3cret!x"))),
    );
    assert_eq!(status, 201);
    assert!(login(&sim, "customer", "Acme", "S3cret!x"));
    assert!(
        login(&sim, "customer", "acme", "S3cret!x"),
        "names are case-insensitive"
    );
    assert!(!login(&sim, "customer", "Acme", "S3cret!"));
    assert!(!login(&sim, "reseller", "Default Reseller", ""));

    let change = json!({"password": "N3w-one"});
    let (status, _) = sim.api("PATCH", "/customers/Acme", Some(&change));
    assert_eq!(status, 200);
    assert!(login(&sim, "customer", "Acme", "N3w-one"));
    assert!(!login(&sim, "customer", "Acme", "S3cret!x"));

    let (status, _) = sim.api("POST", "/resellers", Some(&account("NoPass", None)));
    assert_eq!(status, 201);
    assert!(!login(&sim, "reseller", "NoPass", ""));

    let (status, v) = sim.call(
        "POST",
        "/_sim/login",
        Some(&json!({"kind": "customer", "name": "Nobody", "password": "x"})),
    );
    assert_eq!(status, 404, "{v}");
}
