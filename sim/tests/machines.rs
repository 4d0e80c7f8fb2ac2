//! Machines and agent downloads against the real binary: `GET /customers/{name}/clients`
//! (paged, counted in the statistics), seeding through `/_sim/machines` (all or nothing, the
//! account's `clients` follows), and the `downloads` of `GET /server` (`/_sim/downloads`).

mod common;

use common::Sim;
use serde_json::{json, Value};

fn machine(name: &str) -> Value {
    json!({"name": name, "os": "Linux", "last_backup_at": "2026-11-29T02:00:00Z",
           "last_backup_result": "success", "last_success_at": "2026-11-29T02:00:00Z"})
}

fn code_and_field(v: &Value) -> (String, String) {
    (
        v["error"]["code"].as_str().unwrap_or("").to_string(),
        v["error"]["field"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn seeded_machines_are_listed_in_name_order_and_counted() {
    let sim = Sim::plain();
    assert_eq!(sim.create_customer("Acme", json!({})).0, 201);
    let v = sim.control(
        "POST",
        "/machines",
        Some(&json!({"customer": "acme", "machines": [
            machine("web-2"), machine("Web-1"),
            {"name": "new-pc", "os": ""},
        ]})),
    );
    assert_eq!(v, json!({"customer": "Acme", "clients": 3}));
    let (status, page) = sim.api("GET", "/customers/ACME/clients", None);
    assert_eq!(status, 200, "{page}");
    let names: Vec<&str> = page["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["new-pc", "Web-1", "web-2"]);
    assert_eq!(page["next"], Value::Null);
    assert_eq!(page["clients"][0]["last_backup_result"], Value::Null);
    assert_eq!(page["clients"][0]["last_backup_at"], Value::Null);
    assert_eq!(page["clients"][1]["last_backup_result"], "success");
    assert_eq!(
        sim.api("GET", "/customers/Acme", None).1["clients"],
        json!(3)
    );
    assert_eq!(sim.count("GET /customers/{name}/clients"), 1);
}

#[test]
fn pages_follow_the_cursor_and_limits_are_checked() {
    let sim = Sim::plain();
    sim.create_customer("Acme", json!({}));
    let all: Vec<Value> = (1..=5).map(|i| machine(&format!("m{i}"))).collect();
    sim.control(
        "POST",
        "/machines",
        Some(&json!({"customer": "Acme", "machines": all})),
    );
    let (_, first) = sim.api("GET", "/customers/Acme/clients?limit=2", None);
    assert_eq!(first["next"], "m2");
    let (_, rest) = sim.api("GET", "/customers/Acme/clients?limit=10&after=m2", None);
    assert_eq!(rest["clients"].as_array().unwrap().len(), 3);
    assert_eq!(rest["next"], Value::Null);
    for bad in ["0", "1001", "x", ""] {
        let (status, v) = sim.api("GET", &format!("/customers/Acme/clients?limit={bad}"), None);
        assert_eq!(status, 400, "{bad}");
        assert_eq!(code_and_field(&v).1, "limit");
    }
    let (status, v) = sim.api("GET", "/customers/Nobody/clients", None);
    assert_eq!((status, code_and_field(&v).0.as_str()), (404, "NOT_FOUND"));
    let (status, _) = sim.api("GET", "/resellers/Default%20Reseller/clients", None);
    assert_eq!(status, 404, "resellers have no machines");
}

#[test]
fn a_bad_seed_changes_nothing_and_names_its_field() {
    let sim = Sim::plain();
    sim.create_customer("Acme", json!({}));
    sim.control(
        "POST",
        "/machines",
        Some(&json!({"customer": "Acme", "machines": [machine("keep")]})),
    );
    let cases = [
        (json!([machine("a"), {"name": ""}]), "machines[1].name"),
        (json!([{"name": "a\nb"}]), "machines[0].name"),
        (json!([{"name": "x".repeat(129)}]), "machines[0].name"),
        (
            json!([{"name": "a", "last_backup_at": "yesterday", "last_backup_result": "failed"}]),
            "machines[0].last_backup_at",
        ),
        (
            json!([{"name": "a", "last_backup_at": "2026-11-29T02:00:00Z"}]),
            "machines[0].last_backup_result",
        ),
        (
            json!([{"name": "a", "last_backup_at": "2026-11-29T02:00:00Z",
                     "last_backup_result": "success"}]),
            "machines[0].last_success_at",
        ),
    ];
    for (machines, field) in cases {
        let (status, v) = sim.call(
            "POST",
            "/_sim/machines",
            Some(&json!({"customer": "Acme", "machines": machines})),
        );
        assert_eq!(status, 400, "{v}");
        assert_eq!(code_and_field(&v).1, field);
    }
    let (status, v) = sim.call(
        "POST",
        "/_sim/machines",
        Some(&json!({"customer": "Acme", "machines": [machine("a"), machine("A")]})),
    );
    assert_eq!(
        (status, code_and_field(&v).0.as_str()),
        (409, "ALREADY_EXISTS")
    );
    let (status, _) = sim.call(
        "POST",
        "/_sim/machines",
        Some(&json!({"customer": "Acme", "machines": [{"name": "a", "result": "x"}]})),
    );
    assert_eq!(status, 400, "unknown members are refused");
    let (status, _) = sim.call(
        "POST",
        "/_sim/machines",
        Some(&json!({"customer": "Nobody", "machines": []})),
    );
    assert_eq!(status, 404);
    let (_, page) = sim.api("GET", "/customers/Acme/clients", None);
    assert_eq!(page["clients"].as_array().unwrap().len(), 1);
    assert_eq!(page["clients"][0]["name"], "keep");
    assert_eq!(
        sim.api("GET", "/customers/Acme", None).1["clients"],
        json!(1)
    );
}

#[test]
fn the_server_publishes_the_agent_downloads_it_was_given() {
    let sim = Sim::plain();
    let (_, server) = sim.api("GET", "/server", None);
    assert_eq!(server["downloads"], json!([]));
    assert_eq!(server["product"], "Backup Server (sgsim)");
    let links = json!([
        {"os": "Windows", "url": "https://dl.example.test/agent.msi"},
        {"os": "Linux (deb)", "url": "http://dl.example.test/agent.deb"},
    ]);
    sim.control("POST", "/downloads", Some(&json!({"downloads": links})));
    assert_eq!(sim.api("GET", "/server", None).1["downloads"], links);
    for (bad, field) in [
        (
            json!([{"os": "x", "url": "javascript:alert(1)"}]),
            "downloads[0].url",
        ),
        (
            json!([{"os": "", "url": "https://a.test/"}]),
            "downloads[0].os",
        ),
        (
            json!([{"os": "x", "url": "https://a.test/ b"}]),
            "downloads[0].url",
        ),
    ] {
        let (status, v) = sim.call("POST", "/_sim/downloads", Some(&json!({"downloads": bad})));
        assert_eq!(status, 400);
        assert_eq!(code_and_field(&v).1, field);
    }
    assert_eq!(sim.api("GET", "/server", None).1["downloads"], links);
    sim.control("POST", "/reset", None);
    assert_eq!(sim.api("GET", "/server", None).1["downloads"], json!([]));
}
