//! The `/api/v1` contract against the real binary: auth, both kinds' life cycle, duplicates,
//! built-in accounts, validation with `field`, allotments, pass keys, delete modes, mails, the
//! state file.

mod common;

use common::Sim;
use serde_json::{json, Value};

fn error_code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<no error code>")
}

fn error_field(v: &Value) -> &str {
    v["error"]["field"].as_str().unwrap_or("<no field>")
}

#[test]
fn server_answers_and_every_request_needs_auth() {
    let sim = Sim::plain();
    let (status, v) = sim.api("GET", "/server", None);
    assert_eq!(status, 200);
    assert_eq!(v["product"], "Backup Server (sgsim)");
    assert_eq!(v["edition"], "simulator");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    // The identity the module requires (docs/backup-server-api.md, core/src/api_identity.rs):
    // without it a client takes the server for something that is not the API.
    assert_eq!(v["api"], "backup-server/1");

    for auth in [
        None,
        Some(("admin", "wrong")),
        Some(("root", "test-password-123")),
    ] {
        let (status, text) = sim.raw("GET", "/api/v1/server", auth, None);
        assert_eq!(status, 401, "{auth:?}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(error_code(&v), "AUTH_FAILED");
        assert!(v["error"]["message"].is_string());
    }
    // The controls need the same credentials.
    let (status, text) = sim.raw("GET", "/_sim/stats", None, None);
    assert_eq!(status, 401);
    assert!(text.contains("AUTH_FAILED"));
    // Failed requests are counted too; /_sim requests are not.
    let stats = sim.control("GET", "/stats", None);
    assert_eq!(stats["total"], 4);
    assert_eq!(stats["routes"]["GET /server"], 4);
}

#[test]
fn builtins_exist_and_are_protected() {
    let sim = Sim::plain();
    let (_, v) = sim.api("GET", "/resellers", None);
    let resellers = v["resellers"].as_array().unwrap();
    assert_eq!(resellers.len(), 1);
    assert_eq!(resellers[0]["name"], "Default Reseller");
    assert_eq!(resellers[0]["customers"], 2);
    let (_, v) = sim.api("GET", "/customers", None);
    let names: Vec<&str> = v["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Default Customer", "Trial Customer"]);

    for (method, path) in [
        ("POST", "/customers/Default%20Customer/deactivate"),
        ("POST", "/customers/Trial%20Customer/deactivate"),
        ("POST", "/resellers/Default%20Reseller/deactivate"),
        ("DELETE", "/customers/Default%20Customer"),
        ("DELETE", "/customers/trial%20customer?mode=purge"),
        ("DELETE", "/resellers/Default%20Reseller"),
    ] {
        let (status, v) = sim.api(method, path, None);
        assert_eq!(status, 409, "{method} {path}: {v}");
        assert_eq!(error_code(&v), "PROTECTED_ACCOUNT");
    }
    let (status, v) = sim.api(
        "PATCH",
        "/customers/Default%20Customer",
        Some(&json!({"active": false})),
    );
    assert_eq!((status, error_code(&v)), (409, "PROTECTED_ACCOUNT"));
    // Activating is fine (idempotent), and so is changing other fields.
    let (status, v) = sim.api("POST", "/resellers/Default%20Reseller/activate", None);
    assert_eq!((status, &v["active"]), (200, &json!(true)));
    let (status, v) = sim.api(
        "PATCH",
        "/customers/Default%20Customer",
        Some(&json!({"auto_authorization": true})),
    );
    assert_eq!((status, &v["auto_authorization"]), (200, &json!(true)));
    let (_, v) = sim.api("GET", "/customers/Default%20Customer", None);
    assert_eq!(v["active"], true);
}

#[test]
fn reseller_life_cycle() {
    let sim = Sim::plain();
    let (status, r) = sim.create_reseller(
        "acme-reseller",
        json!({"contact": {"email": "boss@acme.test", "company": "Acme"}, "mcal": {"auto": false, "allotted": 50},
               "throttle": {"enabled": true, "mode": "always", "rate_bytes": 1048576}, "password": "s3cret!"}),
    );
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["name"], "acme-reseller");
    assert_eq!(r["kind"], "reseller");
    assert_eq!(r["active"], true);
    assert_eq!(r["auto_authorization"], false);
    assert_eq!(r["customers"], 0);
    assert_eq!(
        r["storage"],
        json!({"allotted_bytes": 1_000_000_000u64, "used_bytes": 0, "location": null})
    );
    assert_eq!(r["mcal"], json!({"auto": false, "allotted": 50, "used": 0}));
    assert_eq!(r["throttle"]["rate_bytes"], 1048576);
    assert_eq!(r["contact"]["company"], "Acme");
    assert!(r["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(r.get("password").is_none() && r.get("passkey").is_none());
    assert!(!r.to_string().contains("s3cret"));
    assert!(r.get("reseller").is_none() && r.get("consolidated_report").is_none());

    let (status, got) = sim.api("GET", "/resellers/ACME-RESELLER", None);
    assert_eq!(status, 200);
    assert_eq!(got, r);

    sim.create_customer("acme-c1", json!({"reseller": "acme-reseller"}));
    for _ in 0..2 {
        let (status, v) = sim.api("POST", "/resellers/acme-reseller/deactivate", None);
        assert_eq!((status, &v["active"]), (200, &json!(false)));
    }
    let (_, c) = sim.api("GET", "/customers/acme-c1", None);
    assert_eq!(c["active"], true);
    assert_eq!(c["effective_active"], false);
    let (status, v) = sim.api("POST", "/resellers/acme-reseller/activate", None);
    assert_eq!(
        (status, &v["active"], &v["customers"]),
        (200, &json!(true), &json!(1))
    );
    let (_, c) = sim.api("GET", "/customers/acme-c1", None);
    assert_eq!(c["effective_active"], true);

    let (status, v) = sim.api(
        "PATCH",
        "/resellers/acme-reseller",
        Some(&json!({"storage": {"allotted_bytes": 5_000_000_000u64}, "throttle": null})),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["storage"]["allotted_bytes"], 5_000_000_000u64);
    assert_eq!(v["throttle"], Value::Null);
    assert_eq!(v["mcal"]["allotted"], 50, "untouched fields stay");
    let (status, v) = sim.api(
        "PATCH",
        "/resellers/acme-reseller",
        Some(&json!({"name": "other"})),
    );
    assert_eq!((status, error_field(&v)), (400, "name"));

    let (status, v) = sim.api("DELETE", "/resellers/acme-reseller", None);
    assert_eq!((status, v), (204, Value::Null));
    let (status, v) = sim.api("GET", "/resellers/acme-reseller", None);
    assert_eq!((status, error_code(&v)), (404, "NOT_FOUND"));
    let (status, _) = sim.api("DELETE", "/resellers/acme-reseller", None);
    assert_eq!(status, 404);
    for path in ["/resellers/nope/activate", "/resellers/nope/deactivate"] {
        let (status, v) = sim.api("POST", path, None);
        assert_eq!((status, error_code(&v)), (404, "NOT_FOUND"));
    }
}

#[test]
fn customer_life_cycle_with_the_contracts_example() {
    let sim = Sim::plain();
    sim.create_reseller(
        "Acme Reseller",
        json!({"mcal": {"auto": false, "allotted": 100}, "storage": {"allotted_bytes": 1u64 << 40}}),
    );
    let body = json!({
      "name": "acme-42",
      "password": "web console password",
      "contact": {"email": "jane@acme.test", "first_name": "Jane", "last_name": "Doe", "company": "Acme",
                  "phone": "+1.5550100", "address": "1 Main St", "city": "Springfield", "state": "IL",
                  "postcode": "62701", "country": "US"},
      "reseller": "acme reseller",
      "active": true,
      "auto_authorization": false,
      "storage": {"allotted_bytes": 107374182400u64, "location": null},
      "consolidated_report": {"enabled": true, "emails": ["reports@acme.test"]},
      "mcal": {"auto": false, "allotted": 24},
      "throttle": {"enabled": true, "mode": "window", "from": "2200", "till": "0600", "rate_bytes": 1048576},
      "send_mail": true
    });
    let (status, c) = sim.api("POST", "/customers", Some(&body));
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["kind"], "customer");
    assert_eq!(c["reseller"], "Acme Reseller", "canonical reseller name");
    assert_eq!(c["effective_active"], true);
    assert_eq!(c["clients"], 0);
    assert_eq!(c["consolidated_report"], body["consolidated_report"]);
    assert_eq!(c["throttle"], body["throttle"]);
    assert_eq!(c["contact"], body["contact"]);
    assert_eq!(c["mcal"], json!({"auto": false, "allotted": 24, "used": 0}));
    assert!(c.get("passkey").is_none() && c.get("password").is_none());

    let (_, r) = sim.api("GET", "/resellers/Acme%20Reseller", None);
    assert_eq!(r["customers"], 1);

    let (status, v) = sim.api("POST", "/customers/acme-42/deactivate", None);
    assert_eq!(
        (status, &v["active"], &v["effective_active"]),
        (200, &json!(false), &json!(false))
    );
    let (status, v) = sim.api("POST", "/customers/acme-42/deactivate", None);
    assert_eq!((status, &v["active"]), (200, &json!(false)));
    let (status, v) = sim.api("POST", "/customers/acme-42/activate", None);
    assert_eq!((status, &v["active"]), (200, &json!(true)));

    let (status, v) = sim.api(
        "PATCH",
        "/customers/acme-42",
        Some(&json!({"storage": {"allotted_bytes": 2048}, "contact": {"email": "new@acme.test"}})),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["storage"]["allotted_bytes"], 2048);
    assert_eq!(v["contact"]["email"], "new@acme.test");
    assert_eq!(
        v["contact"]["company"],
        Value::Null,
        "contact is replaced whole"
    );

    // Moving to another reseller.
    let (status, v) = sim.api(
        "PATCH",
        "/customers/acme-42",
        Some(&json!({"reseller": "Default Reseller"})),
    );
    assert_eq!((status, &v["reseller"]), (200, &json!("Default Reseller")));

    let (status, _) = sim.api("DELETE", "/customers/ACME-42?mode=purge", None);
    assert_eq!(status, 204);
    let (status, _) = sim.api("GET", "/customers/acme-42", None);
    assert_eq!(status, 404);
}

#[test]
fn duplicates_are_refused_case_insensitively_per_kind() {
    let sim = Sim::plain();
    assert_eq!(sim.create_customer("Dup Name", json!({})).0, 201);
    for name in ["Dup Name", "dup name", "DUP NAME"] {
        let (status, v) = sim.create_customer(name, json!({}));
        assert_eq!((status, error_code(&v)), (409, "ALREADY_EXISTS"), "{name}");
    }
    assert_eq!(
        sim.create_reseller("dup name", json!({})).0,
        201,
        "kinds are separate"
    );
    let (status, v) = sim.create_reseller("Dup Name", json!({}));
    assert_eq!((status, error_code(&v)), (409, "ALREADY_EXISTS"));
    let (status, v) = sim.create_customer("default customer", json!({}));
    assert_eq!((status, error_code(&v)), (409, "ALREADY_EXISTS"));
    let (_, v) = sim.api("GET", "/customers", None);
    assert_eq!(v["customers"].as_array().unwrap().len(), 3);
}

#[test]
fn validation_errors_name_the_field() {
    let sim = Sim::plain();
    let s = |b: u64| json!({"allotted_bytes": b});
    let cases: Vec<(&str, Value, &str)> = vec![
        ("customers", json!({"storage": s(1)}), "name"),
        ("customers", json!({"name": "", "storage": s(1)}), "name"),
        ("customers", json!({"name": "a/b", "storage": s(1)}), "name"),
        (
            "customers",
            json!({"name": "x".repeat(65), "storage": s(1)}),
            "name",
        ),
        ("customers", json!({"name": "ok"}), "storage.allotted_bytes"),
        (
            "customers",
            json!({"name": "ok", "storage": {}}),
            "storage.allotted_bytes",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(0)}),
            "storage.allotted_bytes",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1u64 << 63)}),
            "storage.allotted_bytes",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": {"allotted_bytes": -1}}),
            "storage.allotted_bytes",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": {"allotted_bytes": "10"}}),
            "storage.allotted_bytes",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": {"allotted_bytes": 1, "location": "a\u{7}b"}}),
            "storage.location",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": {"allotted_bytes": 1, "where": "x"}}),
            "storage.where",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "mcal": {"auto": false}}),
            "mcal.allotted",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "mcal": {"auto": false, "allotted": 2147483648u64}}),
            "mcal.allotted",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "throttle": {"enabled": true}}),
            "throttle.rate_bytes",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "throttle": {"enabled": true, "rate_bytes": 1024}}),
            "throttle.rate_bytes",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "throttle": {"enabled": true, "rate_bytes": 9999u64 << 30}}),
            "throttle.rate_bytes",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "throttle": {"enabled": false, "mode": "window", "till": "0600"}}),
            "throttle.from",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "throttle": {"enabled": false, "mode": "window", "from": "2460", "till": "0600"}}),
            "throttle.from",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "throttle": {"enabled": false, "mode": "window", "from": "0600", "till": "0600"}}),
            "throttle.till",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "throttle": {"enabled": false, "mode": "sometimes"}}),
            "throttle.mode",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "reseller": "Default Reseller"}),
            "reseller",
        ),
        (
            "resellers",
            json!({"name": "ok", "storage": s(1), "consolidated_report": {"enabled": false}}),
            "consolidated_report",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "consolidated_report": {"enabled": true}}),
            "consolidated_report.emails",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "consolidated_report": {"enabled": true, "emails": ["a@b.test", "nope"]}}),
            "consolidated_report.emails",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "reseller": "No Such Reseller"}),
            "reseller",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "reseller": "bad/name"}),
            "reseller",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "kind": "customer"}),
            "kind",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "contact": {"fax": "1"}}),
            "contact.fax",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "active": "yes"}),
            "active",
        ),
        (
            "customers",
            json!({"name": "ok", "storage": s(1), "password": "a\nb"}),
            "password",
        ),
    ];
    for (kind, body, field) in &cases {
        let (status, v) = sim.api("POST", &format!("/{kind}"), Some(body));
        assert_eq!(status, 400, "POST /{kind} {body}: {v}");
        assert_eq!(error_code(&v), "VALIDATION_FAILED", "{body}");
        assert_eq!(error_field(&v), *field, "POST /{kind} {body}: {v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    // Nothing was created by any of them.
    let (_, v) = sim.api("GET", "/customers", None);
    assert_eq!(v["customers"].as_array().unwrap().len(), 2);
    let (_, v) = sim.api("GET", "/resellers", None);
    assert_eq!(v["resellers"].as_array().unwrap().len(), 1);

    // Rules that pass: window wrapping midnight, disabled throttle without a rate, edges.
    for (name, extra) in [
        (
            "w1",
            json!({"throttle": {"enabled": true, "mode": "window", "from": "2359", "till": "0000", "rate_bytes": 1025}}),
        ),
        (
            "w2",
            json!({"throttle": {"enabled": false, "mode": "always"}}),
        ),
        (
            "w3",
            json!({"mcal": {"auto": false, "allotted": 0}, "storage": {"allotted_bytes": 1, "location": "/srv/backup"}}),
        ),
        (
            "w4 with space@x.test_",
            json!({"throttle": null, "consolidated_report": {"enabled": false}}),
        ),
    ] {
        let (status, v) = sim.create_customer(name, extra);
        assert_eq!(status, 201, "{name}: {v}");
    }
    let (status, v) = sim.create_reseller("r-max", json!({"storage": {"allotted_bytes": i64::MAX}, "mcal": {"auto": false, "allotted": i32::MAX}}));
    assert_eq!(status, 201, "{v}");

    // Bodies that are not a JSON object at all.
    for text in ["", "not json", "[1,2]", "{\"name\": \"x\"} trailing"] {
        let (status, v) = sim.raw_text("POST", "/api/v1/customers", text);
        assert_eq!(status, 400, "{text:?}: {v}");
        assert!(v.contains("VALIDATION_FAILED"), "{v}");
    }
    // Oversized bodies are refused with the same error shape.
    let head = format!(
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        common::basic(&sim.user, &sim.password),
        2 << 20
    );
    let (bytes, _) = sim.raw_tcp(&head, std::time::Duration::from_secs(10));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("VALIDATION_FAILED"), "{text}");
    // PATCH checks the same rules on the merged account.
    let (status, v) = sim.api(
        "PATCH",
        "/customers/w2",
        Some(&json!({"throttle": {"enabled": true}})),
    );
    assert_eq!((status, error_field(&v)), (400, "throttle.rate_bytes"));
    let (status, v) = sim.api(
        "PATCH",
        "/customers/w3",
        Some(&json!({"mcal": {"allotted": null}})),
    );
    assert_eq!((status, error_field(&v)), (400, "mcal.allotted"));
    let (status, v) = sim.api(
        "PATCH",
        "/resellers/r-max",
        Some(&json!({"consolidated_report": {"enabled": false}})),
    );
    assert_eq!((status, error_field(&v)), (400, "consolidated_report"));
    let (status, v) = sim.api("DELETE", "/customers/w2?mode=later", None);
    assert_eq!((status, error_field(&v)), (400, "mode"));
}

#[test]
fn customers_cannot_exceed_their_resellers_allotment() {
    let sim = Sim::plain();
    sim.create_reseller(
        "small",
        json!({"storage": {"allotted_bytes": 1000}, "mcal": {"auto": false, "allotted": 10}}),
    );
    let under = |name: &str, bytes: u64, mcal: Value| {
        sim.create_customer(
            name,
            json!({"reseller": "small", "storage": {"allotted_bytes": bytes}, "mcal": mcal}),
        )
    };
    assert_eq!(
        under("c1", 600, json!({"auto": false, "allotted": 6})).0,
        201
    );
    let (status, v) = under("c2", 401, json!({"auto": true}));
    assert_eq!((status, error_code(&v)), (422, "INSUFFICIENT_STORAGE"));
    assert_eq!(error_field(&v), "storage.allotted_bytes");
    let (status, v) = under("c2", 400, json!({"auto": false, "allotted": 5}));
    assert_eq!((status, error_code(&v)), (422, "INSUFFICIENT_MCAL"));
    assert_eq!(
        under("c2", 400, json!({"auto": false, "allotted": 4})).0,
        201
    );
    let (status, v) = sim.api(
        "PATCH",
        "/customers/c1",
        Some(&json!({"storage": {"allotted_bytes": 601}})),
    );
    assert_eq!((status, error_code(&v)), (422, "INSUFFICIENT_STORAGE"));
    let (status, _) = sim.api(
        "PATCH",
        "/customers/c1",
        Some(&json!({"storage": {"allotted_bytes": 500}})),
    );
    assert_eq!(status, 200);
    // Auto MCAL customers draw from the pool; the Default Reseller has (nearly) unlimited room.
    assert_eq!(under("c3", 100, json!({"auto": true})).0, 201);
    assert_eq!(
        sim.create_customer("big", json!({"storage": {"allotted_bytes": 1u64 << 62}}))
            .0,
        201
    );
    let (status, v) =
        sim.create_customer("too-big", json!({"storage": {"allotted_bytes": i64::MAX}}));
    assert_eq!((status, error_code(&v)), (422, "INSUFFICIENT_STORAGE"));
}

#[test]
fn pass_keys_are_readable_resettable_and_never_in_the_account() {
    let sim = Sim::plain();
    let (_, c) = sim.create_customer("pk", json!({}));
    let (status, v) = sim.api("GET", "/customers/pk/passkey", None);
    assert_eq!(status, 200);
    let key = v["passkey"].as_str().unwrap().to_string();
    assert_eq!(key.len(), 16);
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "{key}"
    );
    assert!(!c.to_string().contains(&key));
    let (_, again) = sim.api("GET", "/customers/PK/passkey", None);
    assert_eq!(again["passkey"], key.as_str());
    let (status, reset) = sim.api("POST", "/customers/pk/passkey/reset", None);
    assert_eq!(status, 200);
    let new_key = reset["passkey"].as_str().unwrap();
    assert_ne!(new_key, key);
    let (_, v) = sim.api("GET", "/customers/pk/passkey", None);
    assert_eq!(v["passkey"], new_key);
    let (_, all) = sim.api("GET", "/customers", None);
    assert!(!all.to_string().contains(new_key));
    let (status, v) = sim.api("GET", "/customers/nobody/passkey", None);
    assert_eq!((status, error_code(&v)), (404, "NOT_FOUND"));
    let (status, v) = sim.api("GET", "/resellers/Default%20Reseller/passkey", None);
    assert_eq!((status, error_code(&v)), (404, "NOT_FOUND"));
}

#[test]
fn delete_modes_and_running_backups() {
    let sim = Sim::plain();
    for r in ["keep-r", "purge-r"] {
        sim.create_reseller(r, json!({}));
        for i in 0..2 {
            assert_eq!(
                sim.create_customer(&format!("{r}-c{i}"), json!({"reseller": r}))
                    .0,
                201
            );
        }
    }
    let (status, _) = sim.api("DELETE", "/resellers/keep-r?mode=retain", None);
    assert_eq!(status, 204);
    let (_, c) = sim.api("GET", "/customers/keep-r-c0", None);
    assert_eq!(c["reseller"], "Default Reseller");
    let (_, v) = sim.api("GET", "/customers?reseller=Default%20Reseller", None);
    assert_eq!(v["customers"].as_array().unwrap().len(), 4);

    // A running backup refuses the delete, of the account itself or (purge) of its customers.
    sim.control(
        "POST",
        "/backup-running",
        Some(&json!({"kind": "customer", "name": "purge-r-c1", "running": true})),
    );
    let (status, v) = sim.api("DELETE", "/resellers/purge-r?mode=purge", None);
    assert_eq!((status, error_code(&v)), (409, "BACKUP_RUNNING"));
    let (status, v) = sim.api("DELETE", "/customers/purge-r-c1", None);
    assert_eq!((status, error_code(&v)), (409, "BACKUP_RUNNING"));
    sim.control(
        "POST",
        "/backup-running",
        Some(&json!({"kind": "customer", "name": "purge-r-c1", "running": false})),
    );
    sim.control(
        "POST",
        "/backup-running",
        Some(&json!({"kind": "reseller", "name": "purge-r", "running": true})),
    );
    let (status, v) = sim.api("DELETE", "/resellers/purge-r?mode=purge", None);
    assert_eq!((status, error_code(&v)), (409, "BACKUP_RUNNING"));
    sim.control(
        "POST",
        "/backup-running",
        Some(&json!({"kind": "reseller", "name": "purge-r", "running": false})),
    );

    let (_, v) = sim.api("GET", "/customers?reseller=purge-r", None);
    assert_eq!(v["customers"].as_array().unwrap().len(), 2);
    let (status, _) = sim.api("DELETE", "/resellers/purge-r?mode=purge", None);
    assert_eq!(status, 204);
    for c in ["purge-r-c0", "purge-r-c1"] {
        assert_eq!(sim.api("GET", &format!("/customers/{c}"), None).0, 404);
    }
    let (_, v) = sim.api("GET", "/customers?reseller=purge-r", None);
    assert_eq!(v["customers"], json!([]));
    let (status, _) = sim.call(
        "POST",
        "/_sim/backup-running",
        Some(&json!({"kind": "customer", "name": "ghost", "running": true})),
    );
    assert_eq!(status, 404);
}

#[test]
fn names_with_spaces_and_at_signs_are_percent_decoded() {
    let sim = Sim::plain();
    let name = "Jane Doe@acme.test";
    assert_eq!(sim.create_customer(name, json!({})).0, 201);
    for path in [
        "/customers/Jane%20Doe%40acme.test",
        "/customers/jane%20doe@ACME.test",
    ] {
        let (status, v) = sim.api("GET", path, None);
        assert_eq!((status, &v["name"]), (200, &json!(name)), "{path}");
    }
    assert_eq!(
        sim.api("GET", "/customers/Jane%20Doe%40acme.test/passkey", None)
            .0,
        200
    );
    assert_eq!(sim.count("GET /customers/{name}"), 2);
    assert_eq!(sim.count("GET /customers/{name}/passkey"), 1);
}

#[test]
fn mails_usage_and_reset() {
    let sim = Sim::plain();
    sim.create_customer(
        "mailed",
        json!({"send_mail": true, "contact": {"email": "m@acme.test"}}),
    );
    sim.create_customer("quiet", json!({"send_mail": false}));
    sim.create_reseller("mailed-r", json!({"send_mail": true}));
    let key = sim.api("GET", "/customers/mailed/passkey", None).1["passkey"].clone();
    let mails = sim.control("GET", "/mails", None);
    assert_eq!(
        mails,
        json!({"mails": [
            {"to": "m@acme.test", "account": "mailed", "kind": "customer", "passkey": key},
            {"to": null, "account": "mailed-r", "kind": "reseller"},
        ]})
    );

    let v = sim.control("POST", "/usage", Some(&json!({"kind": "customer", "name": "mailed", "used_bytes": 4096, "mcal_used": 3, "clients": 2})));
    assert_eq!(v["storage"]["used_bytes"], 4096);
    let (_, c) = sim.api("GET", "/customers/mailed", None);
    assert_eq!(
        (
            &c["storage"]["used_bytes"],
            &c["mcal"]["used"],
            &c["clients"]
        ),
        (&json!(4096), &json!(3), &json!(2))
    );
    let (status, v) = sim.call(
        "POST",
        "/_sim/usage",
        Some(&json!({"kind": "customer", "name": "mailed", "bytes": 1})),
    );
    assert_eq!((status, error_field(&v)), (400, "bytes"));

    sim.control("POST", "/reset", None);
    assert_eq!(sim.api("GET", "/customers/mailed", None).0, 404);
    assert_eq!(sim.control("GET", "/mails", None), json!({"mails": []}));
    let stats = sim.control("GET", "/stats", None);
    assert_eq!(stats["total"], 1, "only the GET after the reset: {stats}");
    let (_, v) = sim.api("GET", "/customers", None);
    assert_eq!(v["customers"].as_array().unwrap().len(), 2);
}

#[test]
fn unknown_paths_and_methods_answer_json() {
    let sim = Sim::plain();
    for (method, path, status, code) in [
        ("GET", "/api/v1/nope", 404, "NOT_FOUND"),
        ("GET", "/api/v1/customers/a/b/c/d", 404, "NOT_FOUND"),
        ("GET", "/elsewhere", 404, "NOT_FOUND"),
        ("GET", "/_sim/nope", 404, "NOT_FOUND"),
        ("PUT", "/api/v1/customers", 405, "METHOD_NOT_ALLOWED"),
        (
            "GET",
            "/api/v1/customers/x/activate",
            405,
            "METHOD_NOT_ALLOWED",
        ),
    ] {
        let (got, v) = sim.call(method, path, None);
        assert_eq!((got, error_code(&v)), (status, code), "{method} {path}");
    }
    let stats = sim.control("GET", "/stats", None);
    assert_eq!(stats["routes"]["GET /nope"], 1);
    assert_eq!(stats["routes"]["PUT /customers"], 1);
    assert_eq!(stats["routes"]["GET /customers/{name}/activate"], 1);
    assert_eq!(stats["total"], 4, "only /api/v1 requests count: {stats}");
}

#[test]
fn state_file_keeps_accounts_across_restarts() {
    let dir = std::env::temp_dir().join(format!("sgsim-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();

    let sim = Sim::start(&["--state", path]);
    sim.create_reseller("kept-r", json!({}));
    sim.create_customer("kept", json!({"reseller": "kept-r", "send_mail": true}));
    sim.api("POST", "/resellers/kept-r/deactivate", None);
    let key = sim.api("GET", "/customers/kept/passkey", None).1["passkey"].clone();
    drop(sim);
    assert!(file.exists());

    let sim = Sim::start(&["--state", path]);
    let (status, c) = sim.api("GET", "/customers/kept", None);
    assert_eq!(status, 200);
    assert_eq!(
        (&c["reseller"], &c["effective_active"]),
        (&json!("kept-r"), &json!(false))
    );
    assert_eq!(
        sim.api("GET", "/customers/kept/passkey", None).1["passkey"],
        key
    );
    assert_eq!(
        sim.control("GET", "/mails", None)["mails"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(sim.api("GET", "/customers/Default%20Customer", None).0, 200);
    drop(sim);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn nothing_secret_reaches_stderr() {
    let sim = Sim::plain();
    let password = sim.password.clone();
    sim.create_customer("secretive", json!({"password": "customer-pw-xyz"}));
    let key = sim.api("GET", "/customers/secretive/passkey", None).1["passkey"]
        .as_str()
        .unwrap()
        .to_string();
    sim.raw(
        "GET",
        "/api/v1/server",
        Some(("admin", "wrong-pw-abc")),
        None,
    );
    let stderr = sim.stop();
    for secret in [
        password.as_str(),
        "customer-pw-xyz",
        key.as_str(),
        "wrong-pw-abc",
    ] {
        assert!(!stderr.contains(secret), "stderr holds a secret: {stderr}");
    }
}

#[test]
fn references_are_stored_returned_searchable_and_validated() {
    let sim = Sim::plain();
    let (status, v) = sim.create_customer("ref-a", json!({"reference": "whmcs:abc123:service:7"}));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["reference"], "whmcs:abc123:service:7");
    sim.create_customer("ref-b", json!({"reference": "whmcs:abc123:service:8"}));
    sim.create_customer("ref-none", json!({}));
    let (_, v) = sim.api("GET", "/customers/ref-none", None);
    assert_eq!(v["reference"], Value::Null, "none: null");
    let (_, v) = sim.api(
        "GET",
        "/customers?reference=whmcs%3Aabc123%3Aservice%3A7",
        None,
    );
    let names: Vec<&str> = v["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ref-a"], "exact match only");
    let (_, v) = sim.api("GET", "/customers?reference=whmcs:abc123:service", None);
    assert_eq!(v["customers"], json!([]), "no prefix match");
    let (_, v) = sim.api("GET", "/resellers?reference=whmcs:abc123:service:7", None);
    assert_eq!(v["resellers"], json!([]), "per kind");
    // Changed by PATCH; an empty one means none.
    let (status, v) = sim.api("PATCH", "/customers/ref-b", Some(&json!({"reference": ""})));
    assert_eq!((status, &v["reference"]), (200, &Value::Null));
    for (bad, why) in [
        (json!("a b"), "space"),
        (json!("x/y"), "slash"),
        (json!("é"), "not ASCII"),
        (json!("r".repeat(129)), "too long"),
        (json!(7), "not a string"),
    ] {
        let (status, v) = sim.create_customer("ref-bad", json!({ "reference": bad }));
        assert_eq!(
            (status, &v["error"]["field"]),
            (400, &json!("reference")),
            "{why}: {v}"
        );
    }
}

#[test]
fn field_lengths_are_limited() {
    let sim = Sim::plain();
    let (status, v) = sim.create_customer(
        "long-company",
        json!({"contact": {"company": "c".repeat(256)}}),
    );
    assert_eq!(
        (status, &v["error"]["field"]),
        (400, &json!("contact.company")),
        "{v}"
    );
    let (status, _) = sim.create_customer(
        "ok-company",
        json!({"contact": {"company": "c".repeat(255)}}),
    );
    assert_eq!(status, 201);
    let (status, v) = sim.create_customer("long-pw", json!({"password": "p".repeat(257)}));
    assert_eq!(
        (status, &v["error"]["field"]),
        (400, &json!("password")),
        "{v}"
    );
    let (status, v) = sim.create_customer(
        "long-loc",
        json!({"storage": {"allotted_bytes": 5, "location": "l".repeat(1025)}}),
    );
    assert_eq!(
        (status, &v["error"]["field"]),
        (400, &json!("storage.location")),
        "{v}"
    );
}
