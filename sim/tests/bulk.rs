//! The bulk controls against the real binary: usage for many accounts in one request (all or
//! nothing) and seeding (validated like creates, not counted in the statistics, written to the
//! state file once), and a seeded server of 10,000 customers read in pages.

mod common;

use common::Sim;
use serde_json::{json, Value};

fn error(v: &Value) -> (&str, &str) {
    (
        v["error"]["code"].as_str().unwrap_or("<none>"),
        v["error"]["field"].as_str().unwrap_or("<none>"),
    )
}

#[test]
fn bulk_usage_sets_many_accounts_or_none() {
    let sim = Sim::plain();
    sim.control(
        "POST",
        "/seed",
        Some(&json!({"kind": "customer", "prefix": "u-", "count": 3})),
    );
    let v = sim.control(
        "POST",
        "/usage",
        Some(&json!({"accounts": [
            {"kind": "customer", "name": "U-1", "used_bytes": 100, "mcal_used": 1, "clients": 2},
            {"kind": "customer", "name": "u-2", "used_bytes": 200},
            {"kind": "reseller", "name": "default reseller", "used_bytes": 300},
            {"kind": "customer", "name": "u-2", "clients": 9},
        ]})),
    );
    assert_eq!(v, json!({"updated": 4}));
    let read = |path: &str| sim.api("GET", path, None).1;
    let u1 = read("/customers/u-1");
    assert_eq!(
        (
            &u1["storage"]["used_bytes"],
            &u1["mcal"]["used"],
            &u1["clients"]
        ),
        (&json!(100), &json!(1), &json!(2))
    );
    let u2 = read("/customers/u-2");
    assert_eq!(
        (&u2["storage"]["used_bytes"], &u2["clients"]),
        (&json!(200), &json!(9))
    );
    assert_eq!(
        read("/resellers/Default%20Reseller")["storage"]["used_bytes"],
        300
    );

    // One unknown account: 404 naming it, and nothing changed.
    let before = sim.api("GET", "/customers", None).1;
    let (status, v) = sim.call(
        "POST",
        "/_sim/usage",
        Some(&json!({"accounts": [
            {"kind": "customer", "name": "u-3", "used_bytes": 1},
            {"kind": "customer", "name": "nobody", "used_bytes": 2},
            {"kind": "reseller", "name": "u-1", "used_bytes": 3},
        ]})),
    );
    assert_eq!(status, 404, "{v}");
    assert_eq!(error(&v).0, "NOT_FOUND");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"nobody\""),
        "{v}"
    );
    assert_eq!(
        sim.api("GET", "/customers", None).1,
        before,
        "all or nothing"
    );
    // A bad entry names its path; the single form still works and answers the account.
    let (status, v) = sim.call(
        "POST",
        "/_sim/usage",
        Some(&json!({"accounts": [{"kind": "customer", "name": "u-3", "used_bytes": -1}]})),
    );
    assert_eq!(status, 400, "{v}");
    assert_eq!(error(&v), ("VALIDATION_FAILED", "accounts[0].used_bytes"));
    let v = sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "customer", "name": "u-3", "clients": 5})),
    );
    assert_eq!((&v["name"], &v["clients"]), (&json!("u-3"), &json!(5)));
    // Controls are never counted: only the five reads above are.
    assert_eq!(sim.control("GET", "/stats", None)["total"], 5);
}

#[test]
fn bulk_usage_takes_100000_entries_in_one_request() {
    let sim = Sim::plain();
    sim.control(
        "POST",
        "/seed",
        Some(&json!({"kind": "customer", "prefix": "b", "count": 10_000})),
    );
    let entries: Vec<Value> = (0..100_000)
        .map(|n| json!({"kind": "customer", "name": format!("b{}", n % 10_000 + 1), "used_bytes": n}))
        .collect();
    let v = sim.control("POST", "/usage", Some(&json!({"accounts": entries})));
    assert_eq!(v["updated"], 100_000);
    // The last entry for each account wins.
    let (_, v) = sim.api("GET", "/customers/b1", None);
    assert_eq!(v["storage"]["used_bytes"], 90_000);
    let too_many: Vec<Value> = (0..100_001)
        .map(|_| json!({"kind": "customer", "name": "b1"}))
        .collect();
    let (status, v) = sim.call("POST", "/_sim/usage", Some(&json!({"accounts": too_many})));
    assert_eq!(status, 400, "{v}");
    assert_eq!(error(&v), ("VALIDATION_FAILED", "accounts"));
}

#[test]
fn seed_creates_accounts_as_creates_would() {
    let sim = Sim::plain();
    assert_eq!(
        sim.create_reseller("seller", json!({"storage": {"allotted_bytes": 10_000}}))
            .0,
        201
    );
    let v = sim.control(
        "POST",
        "/seed",
        Some(
            &json!({"kind": "customer", "prefix": "s-", "count": 5, "start": 7,
                     "reseller": "SELLER", "storage_bytes": 2000,
                     "reference_prefix": "whmcs:abc:service:", "email_domain": "seed.test"}),
        ),
    );
    assert_eq!(
        v,
        json!({"created": 5, "kind": "customer", "first": "s-7", "last": "s-11"})
    );
    let (_, c) = sim.api("GET", "/customers/s-9", None);
    assert_eq!(c["reseller"], "seller");
    assert_eq!(c["reference"], "whmcs:abc:service:9");
    assert_eq!(c["contact"]["email"], "s-9@seed.test");
    assert_eq!(c["storage"]["allotted_bytes"], 2000);
    assert_eq!(
        c["consolidated_report"],
        json!({"enabled": false, "emails": []})
    );
    let (_, key) = sim.api("GET", "/customers/s-9/passkey", None);
    assert_eq!(key["passkey"].as_str().unwrap().len(), 16);
    let (_, list) = sim.api("GET", "/customers?reference=whmcs:abc:service:11", None);
    assert_eq!(list["customers"][0]["name"], "s-11");
    let (_, r) = sim.api("GET", "/resellers/seller", None);
    assert_eq!(r["customers"], 5);
    let v = sim.control(
        "POST",
        "/seed",
        Some(&json!({"kind": "reseller", "prefix": "r", "count": 2})),
    );
    assert_eq!(v["last"], "r2");
    assert_eq!(sim.api("GET", "/resellers/r2", None).0, 200);

    // Refusals name the field, and a refused seed creates nothing.
    let before = sim.api("GET", "/customers", None).1;
    for (body, status, code, field) in [
        (
            json!({"kind": "customer", "prefix": "x", "count": 0}),
            400,
            "VALIDATION_FAILED",
            "count",
        ),
        (
            json!({"kind": "customer", "prefix": "x", "count": 1_000_001}),
            400,
            "VALIDATION_FAILED",
            "count",
        ),
        (
            json!({"kind": "customer", "prefix": "a/b", "count": 1}),
            400,
            "VALIDATION_FAILED",
            "prefix",
        ),
        (
            json!({"kind": "customer", "prefix": "x".repeat(63), "count": 10}),
            400,
            "VALIDATION_FAILED",
            "prefix",
        ),
        (
            json!({"kind": "customer", "prefix": "x", "count": 1, "reference_prefix": "a b"}),
            400,
            "VALIDATION_FAILED",
            "reference_prefix",
        ),
        (
            json!({"kind": "customer", "prefix": "x", "count": 1, "email_domain": "nodot"}),
            400,
            "VALIDATION_FAILED",
            "email_domain",
        ),
        (
            json!({"kind": "customer", "prefix": "x", "count": 1, "storage_bytes": 0}),
            400,
            "VALIDATION_FAILED",
            "storage_bytes",
        ),
        (
            json!({"kind": "customer", "prefix": "x", "count": 1, "reseller": "ghost"}),
            400,
            "VALIDATION_FAILED",
            "reseller",
        ),
        (
            json!({"kind": "reseller", "prefix": "x", "count": 1, "reseller": "seller"}),
            400,
            "VALIDATION_FAILED",
            "reseller",
        ),
        (
            json!({"kind": "customer", "prefix": "x", "count": 1, "colour": "red"}),
            400,
            "VALIDATION_FAILED",
            "colour",
        ),
        (
            json!({"kind": "customer", "prefix": "s-", "count": 10}),
            409,
            "ALREADY_EXISTS",
            "name",
        ),
        (
            json!({"kind": "customer", "prefix": "y", "count": 2, "reseller": "seller", "storage_bytes": 1000}),
            422,
            "INSUFFICIENT_STORAGE",
            "storage_bytes",
        ),
    ] {
        let (got, v) = sim.call("POST", "/_sim/seed", Some(&body));
        assert_eq!(got, status, "{body}: {v}");
        assert_eq!(error(&v), (code, field), "{body}");
    }
    assert_eq!(sim.api("GET", "/customers", None).1, before);
    // Exactly the room left fits.
    assert_eq!(
        sim.create_reseller("roomy", json!({"storage": {"allotted_bytes": 3000}}))
            .0,
        201
    );
    let v = sim.control(
        "POST",
        "/seed",
        Some(&json!({"kind": "customer", "prefix": "z", "count": 3, "reseller": "roomy", "storage_bytes": 1000})),
    );
    assert_eq!(v["created"], 3);
    // Seeds are controls: only the two real creates of resellers were counted.
    let stats = sim.control("GET", "/stats", None);
    assert_eq!(stats["routes"]["POST /resellers"], 2, "{stats}");
    assert_eq!(
        sim.count("POST /customers"),
        0,
        "seeding is not a create request"
    );
}

#[test]
fn ten_thousand_seeded_customers_read_in_eleven_pages_and_persist() {
    let state = common::state_file("seed");
    let sim = Sim::with_state(&state);
    sim.control(
        "POST",
        "/seed",
        Some(
            &json!({"kind": "customer", "prefix": "bench-", "count": 10_000,
                     "reference_prefix": "whmcs:3f9c2a7b1d0e4c55:service:",
                     "email_domain": "bench.example"}),
        ),
    );
    let mut seen = Vec::new();
    let mut after = String::new();
    let mut pages = 0;
    loop {
        let (status, text) = sim.raw(
            "GET",
            &format!("/api/v1/customers?after={}", after.replace(' ', "%20")),
            Some((&sim.user, &sim.password)),
            None,
        );
        assert_eq!(status, 200);
        assert!(text.len() <= 768 * 1024);
        pages += 1;
        let v: Value = serde_json::from_str(&text).unwrap();
        for c in v["customers"].as_array().unwrap() {
            seen.push(c["name"].as_str().unwrap().to_string());
        }
        match v["next"].as_str() {
            Some(n) => after = n.to_string(),
            None => break,
        }
    }
    let total = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!((total, seen.len()), (10_002, 10_002), "each once");
    assert!(pages <= 11, "{pages} pages for 10,002 customers");
    assert_eq!(sim.count("GET /customers"), pages);
    // The state file holds them all, and a restart serves them.
    drop(sim);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["accounts"].as_array().unwrap().len(), 10_003);
    let sim = Sim::with_state(&state);
    let (_, v) = sim.api("GET", "/customers/bench-10000", None);
    assert_eq!(v["reference"], "whmcs:3f9c2a7b1d0e4c55:service:10000");
    drop(sim);
    let _ = std::fs::remove_dir_all(state.parent().unwrap());
}

#[test]
fn control_bodies_are_bounded_at_16_mib() {
    let sim = Sim::plain();
    let head = |path: &str, len: usize| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\n\
             Content-Length: {len}\r\nConnection: close\r\n\r\n",
            common::basic(&sim.user, &sim.password),
        )
    };
    for (path, len) in [
        ("/_sim/usage", (16 << 20) + 1),
        ("/api/v1/customers", (1 << 20) + 1),
    ] {
        let (bytes, _) = sim.raw_tcp(&head(path, len), std::time::Duration::from_secs(10));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("HTTP/1.1 413"), "{path}: {text}");
        assert!(text.contains("VALIDATION_FAILED"), "{text}");
    }
}
