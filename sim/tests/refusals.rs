//! The refusals a change of package must be able to explain (`422` with a code and the field),
//! each leaving the account exactly as it was, and the web console password change.

mod common;

use common::Sim;
use serde_json::{json, Value};

/// PATCH `path` with `body`, expect `422 code` on `field`, and prove nothing changed: the read
/// before and after are equal, and so is the password that logs in.
fn refused(sim: &Sim, path: &str, body: Value, code: &str, field: &str) {
    let (_, before) = sim.api("GET", path, None);
    let (status, v) = sim.api("PATCH", path, Some(&body));
    assert_eq!(status, 422, "{path} {body}: {v}");
    assert_eq!(v["error"]["code"], code, "{v}");
    assert_eq!(v["error"]["field"], field, "{v}");
    assert!(v["error"]["message"].as_str().unwrap().len() > 10);
    let (_, after) = sim.api("GET", path, None);
    assert_eq!(before, after, "a refused PATCH changes nothing");
}

fn login(sim: &Sim, kind: &str, name: &str, password: &str) -> bool {
    sim.control(
        "POST",
        "/login",
        Some(&json!({"kind": kind, "name": name, "password": password})),
    )["ok"]
        .as_bool()
        .unwrap()
}

#[test]
fn allotments_cannot_go_below_what_is_used() {
    let sim = Sim::plain();
    let (status, _) = sim.create_customer(
        "user",
        json!({"storage": {"allotted_bytes": 1000}, "mcal": {"auto": false, "allotted": 10},
               "password": "old-password-1"}),
    );
    assert_eq!(status, 201);
    sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "customer", "name": "user", "used_bytes": 600, "mcal_used": 4})),
    );
    refused(
        &sim,
        "/customers/user",
        json!({"storage": {"allotted_bytes": 599}, "password": "new-password-1",
               "contact": {"email": "x@y.test"}}),
        "STORAGE_BELOW_USED",
        "storage.allotted_bytes",
    );
    assert!(
        login(&sim, "customer", "user", "old-password-1"),
        "password kept"
    );
    refused(
        &sim,
        "/customers/user",
        json!({"mcal": {"allotted": 3}, "auto_authorization": true}),
        "MCAL_BELOW_USED",
        "mcal.allotted",
    );
    // Exactly what is used is allowed, and so is a change that does not touch the allotments
    // while usage is above them.
    let (status, v) = sim.api(
        "PATCH",
        "/customers/user",
        Some(&json!({"storage": {"allotted_bytes": 600}, "mcal": {"allotted": 4}})),
    );
    assert_eq!(status, 200, "{v}");
    sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "customer", "name": "user", "used_bytes": 900})),
    );
    let (status, v) = sim.api("PATCH", "/customers/user", Some(&json!({"active": false})));
    assert_eq!(status, 200, "{v}");
    // Auto MCAL has no fixed count to fall below.
    let (status, v) = sim.api(
        "PATCH",
        "/customers/user",
        Some(&json!({"storage": {"allotted_bytes": 900}, "mcal": {"auto": true}})),
    );
    assert_eq!(status, 200, "{v}");
    // Resellers too.
    assert_eq!(sim.create_reseller("r", json!({})).0, 201);
    sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "reseller", "name": "r", "used_bytes": 5000})),
    );
    refused(
        &sim,
        "/resellers/r",
        json!({"storage": {"allotted_bytes": 4999}}),
        "STORAGE_BELOW_USED",
        "storage.allotted_bytes",
    );
}

#[test]
fn a_reseller_cannot_go_below_what_its_customers_hold() {
    let sim = Sim::plain();
    let (status, _) = sim.create_reseller(
        "holder",
        json!({"storage": {"allotted_bytes": 10_000}, "mcal": {"auto": false, "allotted": 20}}),
    );
    assert_eq!(status, 201);
    for (name, bytes, mcal) in [
        ("h1", 3000, json!({"auto": false, "allotted": 5})),
        ("h2", 4000, json!({"auto": false, "allotted": 7})),
        ("h3", 1000, json!({"auto": true})),
    ] {
        let (status, v) = sim.create_customer(
            name,
            json!({"reseller": "holder", "storage": {"allotted_bytes": bytes}, "mcal": mcal}),
        );
        assert_eq!(status, 201, "{v}");
    }
    refused(
        &sim,
        "/resellers/holder",
        json!({"storage": {"allotted_bytes": 7999}}),
        "INSUFFICIENT_STORAGE",
        "storage.allotted_bytes",
    );
    refused(
        &sim,
        "/resellers/holder",
        json!({"mcal": {"allotted": 11}}),
        "INSUFFICIENT_MCAL",
        "mcal.allotted",
    );
    // Exactly what they hold is fine (the auto-MCAL customer holds no fixed MCALs).
    let (status, v) = sim.api(
        "PATCH",
        "/resellers/holder",
        Some(&json!({"storage": {"allotted_bytes": 8000}, "mcal": {"allotted": 12}})),
    );
    assert_eq!(status, 200, "{v}");
    // The existing checks under a reseller stay: a customer cannot grow past what is left.
    refused(
        &sim,
        "/customers/h1",
        json!({"storage": {"allotted_bytes": 3001}}),
        "INSUFFICIENT_STORAGE",
        "storage.allotted_bytes",
    );
    refused(
        &sim,
        "/customers/h2",
        json!({"mcal": {"allotted": 8}}),
        "INSUFFICIENT_MCAL",
        "mcal.allotted",
    );
    // Below-used comes first when both apply.
    sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "customer", "name": "h1", "used_bytes": 2000})),
    );
    refused(
        &sim,
        "/customers/h1",
        json!({"storage": {"allotted_bytes": 1999}}),
        "STORAGE_BELOW_USED",
        "storage.allotted_bytes",
    );
}

#[test]
fn a_password_change_is_never_echoed_stored_or_mailed() {
    let state = common::state_file("pw");
    let sim = Sim::with_state(&state);
    let (status, _) = sim.create_customer(
        "pw",
        json!({"password": "First-Secret-1", "send_mail": true, "contact": {"email": "p@w.test"}}),
    );
    assert_eq!(status, 201);
    let (status, text) = sim.raw(
        "PATCH",
        "/api/v1/customers/pw",
        Some((&sim.user, &sim.password)),
        Some(&json!({"password": "Second-Secret-2"})),
    );
    assert_eq!(status, 200, "{text}");
    assert!(
        !text.contains("Second-Secret-2") && !text.contains("password"),
        "{text}"
    );
    assert!(login(&sim, "customer", "pw", "Second-Secret-2"));
    assert!(!login(&sim, "customer", "pw", "First-Secret-1"));
    let mails = sim.control("GET", "/mails", None).to_string();
    let saved = std::fs::read_to_string(&state).unwrap();
    let (_, list) = sim.raw(
        "GET",
        "/api/v1/customers",
        Some((&sim.user, &sim.password)),
        None,
    );
    for (what, text) in [("mails", &mails), ("state file", &saved), ("list", &list)] {
        for secret in ["First-Secret-1", "Second-Secret-2"] {
            assert!(!text.contains(secret), "{secret} in the {what}");
        }
    }
    let stderr = sim.stop();
    assert!(!stderr.contains("Secret"), "{stderr}");
    let _ = std::fs::remove_dir_all(state.parent().unwrap());
}
