//! Adoption and consistency against a scripted Backup Server: each test lists the answers the
//! server gives, in order, and checks both the outcome of `provision` and the requests it sent.
//! Only an account carrying the order's reference is adopted; answers about another account are
//! failures; a derived name taken (even by a racing create) falls back to `-<id>`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};
use sgwhmcs_core::functions::provision::{provision, Order, MODULE_HINTS};
use sgwhmcs_core::server::api::{Contact, Kind, Mcal, Storage};
use sgwhmcs_core::server::client::{LogRecord, NetSettings};
use sgwhmcs_core::server::endpoint::{Endpoint, Scheme, Secret};
use sgwhmcs_core::server::tls::Timeouts;
use sgwhmcs_core::settings::naming::AccountName;
use sgwhmcs_core::settings::plan::Policy;
use sgwhmcs_core::whmcs::host::{Host, WhmcsError};

const OURS: &str = "whmcs:test:service:7";

/// One scripted answer: status and raw body bytes.
type Answer = (u16, Vec<u8>);

fn answer(status: u16, body: Value) -> Answer {
    (status, body.to_string().into_bytes())
}

fn customer(name: &str, reference: Option<&str>) -> Value {
    json!({"name": name, "kind": "customer", "reference": reference, "active": true})
}

fn not_found() -> Answer {
    answer(
        404,
        json!({"error": {"code": "NOT_FOUND", "message": "no such customer"}}),
    )
}

fn taken() -> Answer {
    answer(
        409,
        json!({"error": {"code": "ALREADY_EXISTS", "message": "exists", "field": "name"}}),
    )
}

/// Serves `script` one answer per request (each on its own connection); answers the request
/// lines and bodies received.
fn serve(script: Vec<Answer>) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    thread::spawn(move || {
        for (status, body) in script {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = header.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap();
                    }
                }
            }
            let mut request_body = vec![0; length];
            reader.read_exact(&mut request_body).unwrap();
            log.lock().unwrap().push(format!(
                "{} {}",
                line.split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" "),
                String::from_utf8_lossy(&request_body)
            ));
            let mut out = stream;
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            out.write_all(head.as_bytes()).unwrap();
            out.write_all(&body).unwrap();
        }
    });
    (port, seen)
}

struct Quiet;

impl Host for Quiet {
    fn log_module_call(&mut self, _: &str, _: &LogRecord, _: &[String]) {}
    fn log_activity(&mut self, _: &str, _: &str) {}
    fn local_api(&mut self, _: &str, _: Value) -> Value {
        Value::Null
    }
    fn db_value(
        &mut self,
        _: &str,
        _: &[(&str, Value)],
        _: &str,
    ) -> Result<Option<Value>, WhmcsError> {
        Ok(None)
    }
    fn db_insert(&mut self, _: &str, _: Value) -> Result<i64, WhmcsError> {
        Ok(0)
    }
    fn root_dir(&mut self) -> Option<String> {
        None
    }
    fn decrypt(&mut self, _: &str) -> Result<String, WhmcsError> {
        Err("no encrypted values here".into())
    }
}

/// Runs a create of a customer named `name` against `script`; answers the outcome and requests.
fn run(name: AccountName, script: Vec<Answer>) -> (Result<String, String>, Vec<String>) {
    let (port, seen) = serve(script);
    let endpoint = Endpoint {
        scheme: Scheme::Http,
        host: "127.0.0.1".into(),
        port,
        user: "admin".into(),
        password: Secret::new("pw"),
        pin: None,
    };
    let policy = Policy {
        kind: Kind::Customer,
        reseller: None,
        active: true,
        auto_authorization: false,
        storage: Storage {
            allotted_bytes: 5,
            location: None,
        },
        report: None,
        mcal: Mcal {
            auto: true,
            allotted: None,
        },
        throttle: None,
        send_mail: false,
        retrieve_passkey: false,
    };
    let order = Order {
        hints: &MODULE_HINTS,
        terms: Default::default(),
        action: "CreateAccount",
        contact: Contact::default(),
        password: String::new(),
        reference: OURS.into(),
        secrets: Default::default(),
    };
    let net = NetSettings {
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            overall: Duration::from_secs(5),
        },
        ca_file: None,
    };
    let outcome = provision(&mut Quiet, &net, &endpoint, &policy, &name, &order)
        .map(|p| p.name)
        .map_err(|e| e.to_string());
    let requests = seen.lock().unwrap().clone();
    (outcome, requests)
}

fn derived() -> AccountName {
    AccountName::Derived {
        base: "Acme".into(),
        suffix: "7".into(),
    }
}

fn lines(requests: &[String]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn an_account_found_by_reference_is_adopted_under_its_name() {
    let (outcome, requests) = run(
        derived(),
        vec![answer(
            200,
            json!({"customers": [customer("Acme-7", Some(OURS))]}),
        )],
    );
    assert_eq!(outcome.unwrap(), "Acme-7");
    assert_eq!(
        lines(&requests),
        ["GET /api/v1/customers?reference=whmcs%3Atest%3Aservice%3A7"]
    );
}

#[test]
fn a_search_the_server_ignores_adopts_nothing() {
    let (outcome, requests) = run(
        derived(),
        vec![
            answer(
                200,
                json!({"customers": [customer("Acme", Some("whmcs:test:service:8")), customer("Other", None)]}),
            ),
            not_found(),
            answer(201, customer("Acme", Some(OURS))),
        ],
    );
    assert_eq!(outcome.unwrap(), "Acme");
    assert_eq!(lines(&requests)[2], "POST /api/v1/customers");
    assert!(
        requests[2].contains(&format!("\"reference\":\"{OURS}\"")),
        "sent"
    );
}

#[test]
fn a_derived_name_held_by_another_service_falls_back_to_the_id() {
    let (outcome, requests) = run(
        derived(),
        vec![
            answer(200, json!({"customers": []})),
            answer(200, customer("Acme", Some("whmcs:test:service:8"))),
            not_found(),
            answer(201, customer("Acme-7", Some(OURS))),
        ],
    );
    assert_eq!(outcome.unwrap(), "Acme-7");
    assert_eq!(
        lines(&requests)[1..],
        [
            "GET /api/v1/customers/Acme",
            "GET /api/v1/customers/Acme-7",
            "POST /api/v1/customers"
        ]
    );
}

#[test]
fn a_derived_name_lost_in_a_race_falls_back_to_the_id() {
    let (outcome, requests) = run(
        derived(),
        vec![
            answer(200, json!({"customers": []})),
            not_found(),
            taken(),
            answer(200, customer("Acme", Some("whmcs:test:service:8"))),
            not_found(),
            answer(201, customer("Acme-7", Some(OURS))),
        ],
    );
    assert_eq!(outcome.unwrap(), "Acme-7");
    assert_eq!(requests.len(), 6);
}

#[test]
fn a_conflict_with_this_orders_own_account_adopts_it() {
    let (outcome, _) = run(
        AccountName::Given("acme-1".into()),
        vec![taken(), answer(200, customer("ACME-1", Some(OURS)))],
    );
    assert_eq!(
        outcome.unwrap(),
        "ACME-1",
        "names compare case-insensitively"
    );
}

#[test]
fn accounts_without_this_reference_are_never_taken_over() {
    for other in [
        None,
        Some("whmcs:test:service:8"),
        Some("whmcs:elsewhere:service:7"),
    ] {
        let (outcome, requests) = run(
            AccountName::Given("acme-1".into()),
            vec![taken(), answer(200, customer("acme-1", other))],
        );
        let e = outcome.unwrap_err();
        assert!(e.contains("\"acme-1\" is already taken"), "{other:?}: {e}");
        assert_eq!(requests.len(), 2);
    }
}

#[test]
fn a_create_answer_about_another_account_is_a_failure() {
    for (lie, says) in [
        (
            customer("Someone", Some(OURS)),
            "it names the customer \"Someone\"",
        ),
        (
            json!({"name": "acme-1", "kind": "reseller", "reference": OURS}),
            "it names the reseller \"acme-1\"",
        ),
        (
            customer("acme-1", Some("whmcs:x:service:1")),
            "carries the reference",
        ),
        (customer("acme-1", None), "carries the reference none"),
    ] {
        let (outcome, requests) = run(AccountName::Given("acme-1".into()), vec![answer(201, lie)]);
        let e = outcome.unwrap_err();
        assert!(e.contains("answered about another account"), "{e}");
        assert!(e.contains(says), "{e}");
        assert_eq!(
            requests.len(),
            1,
            "no read-back: the answer is a plain failure"
        );
    }
}

#[test]
fn a_conflict_read_back_as_another_account_is_not_adopted() {
    let (outcome, _) = run(
        AccountName::Given("acme-1".into()),
        vec![taken(), answer(200, customer("acme-2", Some(OURS)))],
    );
    let e = outcome.unwrap_err();
    assert!(e.contains("reading \"acme-1\" back then failed"), "{e}");
    assert!(e.contains("it names the customer \"acme-2\""), "{e}");
}

#[test]
fn an_unreadable_create_answer_is_read_back_and_adopted() {
    let mut body = customer("acme-1", Some(OURS)).to_string().into_bytes();
    body.insert(10, 0xE9);
    let (outcome, requests) = run(
        AccountName::Given("acme-1".into()),
        vec![(201, body), answer(200, customer("acme-1", Some(OURS)))],
    );
    assert_eq!(outcome.unwrap(), "acme-1");
    assert_eq!(lines(&requests)[1], "GET /api/v1/customers/acme-1");
}

#[test]
fn a_field_too_long_is_refused_before_any_request() {
    let order_contact = Contact {
        company: "x".repeat(256),
        ..Contact::default()
    };
    let account = sgwhmcs_core::server::api::NewAccount {
        name: "a".into(),
        reference: OURS.into(),
        password: None,
        contact: order_contact,
        reseller: None,
        active: true,
        auto_authorization: false,
        storage: Storage {
            allotted_bytes: 1,
            location: None,
        },
        consolidated_report: None,
        mcal: Mcal {
            auto: true,
            allotted: None,
        },
        throttle: None,
        send_mail: false,
    };
    let e = sgwhmcs_core::settings::rules::request_lengths(&account).unwrap_err();
    assert_eq!(
        e,
        "contact.company is too large: 256 characters where the Backup Server takes at most 255; nothing was sent"
    );
}
