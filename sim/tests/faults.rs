//! The `/_sim/` fault injection and statistics against the real binary: every fault kind, the
//! `after` semantics (a lost answer after the account was made), route matching, order, clearing.

mod common;

use common::Sim;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn fault(sim: &Sim, spec: Value) -> Value {
    sim.control("POST", "/faults", Some(&spec))
}

/// Split a raw HTTP answer into its head (status line and headers) and body bytes.
fn split(raw: &[u8]) -> (String, &[u8]) {
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(raw)));
    (
        String::from_utf8_lossy(&raw[..at]).to_string(),
        &raw[at + 4..],
    )
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().unwrap())
        })
        .expect("a Content-Length header")
}

#[test]
fn status_faults_replace_answers_then_stop() {
    let sim = Sim::plain();
    fault(&sim, json!({"kind": "status", "status": 503, "count": 2}));
    for _ in 0..2 {
        let (status, v) = sim.api("GET", "/server", None);
        assert_eq!(status, 503);
        assert_eq!(v["error"]["code"], "INTERNAL");
    }
    assert_eq!(sim.api("GET", "/server", None).0, 200);

    fault(
        &sim,
        json!({"kind": "status", "status": 502, "body": "<html>Bad Gateway</html>"}),
    );
    let (status, text) = sim.raw(
        "GET",
        "/api/v1/server",
        Some((&sim.user, &sim.password)),
        None,
    );
    assert_eq!((status, text.as_str()), (502, "<html>Bad Gateway</html>"));

    fault(
        &sim,
        json!({"kind": "status", "status": 409, "body": "{\"error\":{\"code\":\"ALREADY_EXISTS\",\"message\":\"x\"}}"}),
    );
    let (status, v) = sim.create_customer("not-made", json!({}));
    assert_eq!(
        (status, &v["error"]["code"]),
        (409, &json!("ALREADY_EXISTS"))
    );
    assert_eq!(
        sim.api("GET", "/customers/not-made", None).0,
        404,
        "before: not handled"
    );

    // Even a request without credentials meets a pending fault (it sits in front of auth).
    fault(&sim, json!({"kind": "status", "status": 500}));
    let (status, _) = sim.raw("GET", "/api/v1/server", None, None);
    assert_eq!(status, 500);
}

#[test]
fn faults_match_their_route_and_go_in_order() {
    let sim = Sim::plain();
    fault(
        &sim,
        json!({"kind": "status", "status": 504, "route": "POST /customers"}),
    );
    fault(&sim, json!({"kind": "status", "status": 418}));
    let pending = sim.control("GET", "/faults", None);
    assert_eq!(pending["faults"].as_array().unwrap().len(), 2);
    // The first fault is for another route: the second one hits.
    assert_eq!(sim.api("GET", "/server", None).0, 418);
    assert_eq!(sim.api("GET", "/customers/Default%20Customer", None).0, 200);
    assert_eq!(sim.create_customer("c", json!({})).0, 504);
    assert_eq!(sim.create_customer("c", json!({})).0, 201);

    fault(&sim, json!({"kind": "status", "count": 5}));
    let cleared = sim.control("DELETE", "/faults", None);
    assert_eq!(cleared, json!({"faults": []}));
    assert_eq!(sim.api("GET", "/server", None).0, 200);

    for (spec, field) in [
        (json!({"kind": "melt"}), "kind"),
        (json!({"kind": "status", "count": 0}), "count"),
        (json!({"kind": "status", "status": 99}), "status"),
        (json!({"kind": "status", "route": "customers"}), "route"),
        (json!({"kind": "delay", "ms": 5}), "ms"),
        (json!({"count": 1}), "kind"),
    ] {
        let (status, v) = sim.call("POST", "/_sim/faults", Some(&spec));
        assert_eq!(status, 400, "{spec}");
        assert_eq!(v["error"]["field"], field, "{spec}: {v}");
    }
}

#[test]
fn delay_waits_then_answers_normally() {
    let sim = Sim::plain();
    fault(&sim, json!({"kind": "delay", "delay_ms": 800}));
    let t = Instant::now();
    let (status, v) = sim.api("GET", "/server", None);
    assert_eq!(status, 200, "{v}");
    assert!(
        t.elapsed() >= Duration::from_millis(800),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    assert_eq!(sim.api("GET", "/server", None).0, 200);
    assert!(t.elapsed() < Duration::from_millis(800));
    // A client with a shorter timeout gives up.
    fault(&sim, json!({"kind": "delay", "delay_ms": 3000}));
    let impatient: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(500)))
        .build()
        .into();
    let auth = Some((sim.user.as_str(), sim.password.as_str()));
    assert!(sim
        .try_raw(&impatient, "GET", "/api/v1/server", auth, None)
        .is_err());
}

#[test]
fn drop_after_create_loses_the_answer_but_not_the_account() {
    let sim = Sim::plain();
    fault(&sim, json!({"kind": "drop", "route": "POST /customers"}));
    let body = json!({"name": "lost-answer", "storage": {"allotted_bytes": 1000}});
    let (bytes, timed_out) = sim.raw_tcp(
        &sim.request_text("POST", "/api/v1/customers", Some(&body)),
        Duration::from_secs(10),
    );
    assert!(!timed_out, "the connection was closed, not held");
    assert!(
        bytes.is_empty(),
        "no answer at all: {:?}",
        String::from_utf8_lossy(&bytes)
    );
    // The action happened: a retry must see the duplicate, not make a second account.
    let (status, v) = sim.api("GET", "/customers/lost-answer", None);
    assert_eq!(status, 200, "{v}");
    let (status, v) = sim.api("POST", "/customers", Some(&body));
    assert_eq!(
        (status, &v["error"]["code"]),
        (409, &json!("ALREADY_EXISTS"))
    );
    assert_eq!(sim.count("POST /customers"), 2);

    // With a real client the request fails with a transport error; the server lives on.
    fault(&sim, json!({"kind": "drop"}));
    let auth = Some((sim.user.as_str(), sim.password.as_str()));
    assert!(sim
        .try_raw(&sim.fresh_agent(), "GET", "/api/v1/server", auth, None)
        .is_err());
    assert_eq!(sim.api("GET", "/server", None).0, 200);
}

#[test]
fn drop_before_loses_the_request() {
    let sim = Sim::plain();
    fault(&sim, json!({"kind": "drop", "after": false}));
    let body = json!({"name": "never-made", "storage": {"allotted_bytes": 1000}});
    let (bytes, timed_out) = sim.raw_tcp(
        &sim.request_text("POST", "/api/v1/customers", Some(&body)),
        Duration::from_secs(10),
    );
    assert!(bytes.is_empty() && !timed_out);
    assert_eq!(sim.api("GET", "/customers/never-made", None).0, 404);
}

#[test]
fn truncate_sends_less_than_content_length_then_closes() {
    let sim = Sim::plain();
    fault(
        &sim,
        json!({"kind": "truncate", "route": "POST /customers"}),
    );
    let body = json!({"name": "half-answer", "storage": {"allotted_bytes": 1000}});
    let (bytes, timed_out) = sim.raw_tcp(
        &sim.request_text("POST", "/api/v1/customers", Some(&body)),
        Duration::from_secs(10),
    );
    assert!(!timed_out, "closed after the partial body");
    let (head, got) = split(&bytes);
    assert!(head.starts_with("HTTP/1.1 201"), "{head}");
    let promised = content_length(&head);
    assert!(
        !got.is_empty() && got.len() < promised,
        "{} of {promised}",
        got.len()
    );
    assert!(serde_json::from_slice::<Value>(got).is_err());
    assert_eq!(
        sim.api("GET", "/customers/half-answer", None).0,
        200,
        "after: created"
    );

    fault(&sim, json!({"kind": "truncate", "after": false}));
    let (bytes, _) = sim.raw_tcp(
        &sim.request_text("GET", "/api/v1/server", None),
        Duration::from_secs(10),
    );
    let (head, got) = split(&bytes);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(got.len() < content_length(&head));

    fault(&sim, json!({"kind": "truncate"}));
    let auth = Some((sim.user.as_str(), sim.password.as_str()));
    assert!(sim
        .try_raw(&sim.fresh_agent(), "GET", "/api/v1/server", auth, None)
        .is_err());
    assert_eq!(sim.api("GET", "/server", None).0, 200);
}

#[test]
fn garbage_is_a_200_that_is_not_json() {
    let sim = Sim::plain();
    fault(&sim, json!({"kind": "garbage"}));
    let (status, text) = sim.raw(
        "GET",
        "/api/v1/resellers",
        Some((&sim.user, &sim.password)),
        None,
    );
    assert_eq!(status, 200);
    assert!(!text.is_empty());
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert_eq!(sim.api("GET", "/resellers", None).0, 200);
}

#[test]
fn oversize_sends_exactly_the_asked_size() {
    let sim = Sim::plain();
    let size = 3 * 1024 * 1024 + 7;
    fault(&sim, json!({"kind": "oversize", "size": size}));
    let (status, text) = sim.raw(
        "GET",
        "/api/v1/server",
        Some((&sim.user, &sim.password)),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(text.len(), size);
    assert!(text.starts_with("{\"padding\":\"xxx"));
    let v: Value = serde_json::from_str(&text).expect("JSON-ish and in fact JSON");
    assert!(v["padding"].is_string());

    // A client with a body limit refuses it.
    fault(&sim, json!({"kind": "oversize"}));
    let agent = sim.fresh_agent();
    let mut resp = agent
        .get(format!("{}/api/v1/server", sim.url))
        .header("Authorization", common::basic(&sim.user, &sim.password))
        .call()
        .unwrap();
    assert_eq!(
        resp.headers().get("content-length").unwrap(),
        &(2 * 1024 * 1024).to_string()
    );
    assert!(resp
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .is_err());
}

#[test]
fn blackhole_never_answers_but_the_server_lives_on() {
    let sim = Sim::plain();
    fault(&sim, json!({"kind": "blackhole"}));
    let t = Instant::now();
    let (bytes, timed_out) = sim.raw_tcp(
        &sim.request_text("GET", "/api/v1/server", None),
        Duration::from_millis(1500),
    );
    assert!(timed_out, "the connection is held open");
    assert!(bytes.is_empty());
    assert!(t.elapsed() >= Duration::from_millis(1400));
    assert_eq!(sim.api("GET", "/server", None).0, 200);
    assert_eq!(sim.count("GET /server"), 2);
}

#[test]
fn stats_count_every_route_by_template() {
    let sim = Sim::plain();
    sim.create_reseller("r", json!({}));
    sim.create_customer("c", json!({"reseller": "r"}));
    let calls = [
        ("GET", "/server"),
        ("GET", "/resellers"),
        ("GET", "/resellers/r"),
        ("PATCH", "/resellers/r"),
        ("POST", "/resellers/r/activate"),
        ("POST", "/resellers/r/deactivate"),
        ("GET", "/customers"),
        ("GET", "/customers/c"),
        ("PATCH", "/customers/c"),
        ("POST", "/customers/c/activate"),
        ("POST", "/customers/c/deactivate"),
        ("GET", "/customers/c/passkey"),
        ("POST", "/customers/c/passkey/reset"),
        ("DELETE", "/customers/c"),
        ("DELETE", "/resellers/r"),
        ("GET", "/no/such/thing"),
    ];
    for (method, path) in calls {
        let body = (method == "PATCH").then(|| json!({"auto_authorization": true}));
        sim.api(method, path, body.as_ref());
    }
    sim.control("GET", "/mails", None);
    let stats = sim.control("GET", "/stats", None);
    let mut expected = serde_json::Map::new();
    expected.insert("POST /resellers".into(), json!(1));
    expected.insert("POST /customers".into(), json!(1));
    for (method, path) in calls {
        let key = format!(
            "{method} {}",
            path.replace("/r/", "/{name}/").replace("/c/", "/{name}/")
        );
        let key = match key.as_str() {
            k if k.ends_with("/r") || k.ends_with("/c") => format!("{}{{name}}", &k[..k.len() - 1]),
            _ => key,
        };
        expected.insert(key, json!(1));
    }
    assert_eq!(stats["routes"], Value::Object(expected), "{stats}");
    assert_eq!(stats["total"], 18);
}

#[test]
fn a_bodiless_chunked_post_keeps_the_connection_alive() {
    use std::io::{Read, Write};
    let sim = Sim::plain();
    let auth = common::basic(&sim.user, &sim.password);
    let mut s = sim.tcp();
    // As ureq sends a POST without a body: chunked, the final chunk possibly in a later packet.
    write!(
        s,
        "POST /api/v1/customers/Default%20Customer/activate HTTP/1.1\r\nHost: x\r\n\
         Authorization: {auth}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    s.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.write_all(b"0\r\n\r\n").unwrap();
    write!(
        s,
        "GET /api/v1/server HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 2, "{text}");
    assert!(text.contains("Backup Server (sgsim)"));
}

#[test]
fn rewrite_makes_an_answer_name_another_account_after_the_work_is_done() {
    let sim = Sim::plain();
    fault(
        &sim,
        json!({"kind": "rewrite", "route": "POST /customers", "set": {"name": "someone-else", "kind": "reseller"}}),
    );
    let (status, v) = sim.create_customer("asked-for", json!({}));
    assert_eq!(status, 201, "the real status is kept");
    assert_eq!(
        (&v["name"], &v["kind"]),
        (&json!("someone-else"), &json!("reseller"))
    );
    assert_eq!(
        sim.api("GET", "/customers/asked-for", None).0,
        200,
        "made under its own name"
    );
    assert_eq!(sim.api("GET", "/customers/someone-else", None).0, 404);
    // A read-back can lie as well: a 409, then a read of a differently named account.
    fault(
        &sim,
        json!({"kind": "rewrite", "route": "GET /customers/{name}", "set": {"name": "not-it"}}),
    );
    assert_eq!(
        sim.api("GET", "/customers/asked-for", None).1["name"],
        "not-it"
    );
    assert_eq!(
        sim.api("GET", "/customers/asked-for", None).1["name"],
        "asked-for"
    );
    // A rewrite needs something to write, and `set` is for rewrite only.
    let (status, _) = sim.call("POST", "/_sim/faults", Some(&json!({"kind": "rewrite"})));
    assert_eq!(status, 400);
    let (status, _) = sim.call(
        "POST",
        "/_sim/faults",
        Some(&json!({"kind": "drop", "set": {"a": 1}})),
    );
    assert_eq!(status, 400);
}

#[test]
fn unreadable_answers_nonutf8_gzip_bigheader_malformed() {
    let sim = Sim::plain();
    let get = |sim: &Sim| {
        let (bytes, timed_out) = sim.raw_tcp(
            &sim.request_text("GET", "/api/v1/customers/Default%20Customer", None),
            Duration::from_secs(10),
        );
        assert!(!timed_out);
        let (head, body) = split(&bytes);
        (head, body.to_vec())
    };
    let (_, plain) = get(&sim);

    fault(&sim, json!({"kind": "nonutf8"}));
    let (head, body) = get(&sim);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(std::str::from_utf8(&body).is_err(), "one byte is not UTF-8");
    assert_eq!(body.len(), plain.len() + 1);
    assert_eq!(content_length(&head), body.len());
    let without: Vec<u8> = body.iter().copied().filter(|b| *b != 0xE9).collect();
    assert_eq!(without, plain, "only that byte was added");

    fault(&sim, json!({"kind": "gzip"}));
    let (head, body) = get(&sim);
    assert!(
        head.to_ascii_lowercase().contains("content-encoding: gzip"),
        "{head}"
    );
    assert_eq!(&body[..2], &[0x1f, 0x8b], "a gzip member");
    assert_eq!(&body[body.len() - 4..], &(plain.len() as u32).to_le_bytes());
    assert!(
        body.windows(plain.len()).any(|w| w == plain.as_slice()),
        "stored blocks"
    );

    fault(&sim, json!({"kind": "bigheader", "size": 100000}));
    let (head, body) = get(&sim);
    assert!(head.len() > 100_000, "the header is there");
    assert_eq!(body, plain, "the body is untouched");

    fault(
        &sim,
        json!({"kind": "malformed", "route": "GET /customers/{name}/passkey"}),
    );
    let (bytes, _) = sim.raw_tcp(
        &sim.request_text("GET", "/api/v1/customers/Default%20Customer/passkey", None),
        Duration::from_secs(10),
    );
    let (_, body) = split(&bytes);
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(
        text.starts_with("{\"passkey\":\"") && !text.ends_with('}'),
        "{text}"
    );
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[test]
fn echo_quotes_the_request_with_its_credentials() {
    let sim = Sim::plain();
    fault(
        &sim,
        json!({"kind": "echo", "status": 400, "route": "POST /customers"}),
    );
    let (status, v) = sim.create_customer("echoed", json!({"password": "pa\"ss\\word"}));
    assert_eq!(status, 400);
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.contains("POST /api/v1/customers"), "{message}");
    assert!(
        message
            .to_ascii_lowercase()
            .contains("authorization: basic "),
        "{message}"
    );
    assert!(
        message.contains(r#""password":"pa\"ss\\word""#),
        "{message}"
    );
    assert_eq!(
        sim.api("GET", "/customers/echoed", None).0,
        404,
        "not handled"
    );
    // after: handled first, then the echo.
    fault(
        &sim,
        json!({"kind": "echo", "after": true, "route": "POST /customers"}),
    );
    let (status, _) = sim.create_customer("echoed", json!({}));
    assert_eq!(status, 500);
    assert_eq!(sim.api("GET", "/customers/echoed", None).0, 200);
}
