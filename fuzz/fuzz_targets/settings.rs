//! Fuzzes how `$params` become plans: the product's connection (`plan::endpoint`), the WHMCS
//! server's connection (`plan::server_endpoint`), the account policy (`plan::policy`) and the
//! account name (`AccountName::from_params`).
//!
//! Input: a JSON document (any shape; WHMCS always sends an object), or else text whose lines are
//! the values of `configoption1` … `configoption24`, then `username`, `serverhostname`, the
//! configurable options `Storage GB` and `MCAL`, `serviceid`, the client's company and first
//! name, and the remaining server fields (see [`FIELDS`]).
//!
//! Invariants:
//! - nothing panics;
//! - every problem has a non-empty label and text, and its text is bounded;
//! - a plan is `Some` exactly when its own parse recorded no problem;
//! - a plan holds only values the rules accept (ports, hosts, ranges, names);
//! - secrets (Password, the certificate fingerprint, the server's password and access hash) are
//!   never echoed: a secret of 6 or more characters never appears in a message unless it does so
//!   as well when the secrets are replaced by other values the rules judge the same way (i.e.
//!   another input or the message's own wording holds it), and that replacement leaves every
//!   message unchanged.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use sgwhmcs_core::server::api::{Kind, ThrottleMode};
use sgwhmcs_core::settings::naming::AccountName;
use sgwhmcs_core::whmcs::params::Params;
use sgwhmcs_core::server::endpoint::{Endpoint, Scheme};
use sgwhmcs_core::settings::plan::{self, FieldError, Policy, Problems};
use sgwhmcs_core::settings::rules::{self, MAX_MCAL, MAX_RATE_EXCLUSIVE, MAX_STORAGE};

/// The longest single problem text, in characters (values are quoted cut to 80).
const MAX_PROBLEM_CHARS: usize = 1_000;

/// Where the lines of a non-JSON input go, in order.
const FIELDS: &[&str] = &[
    "username",
    "serverhostname",
    "configoptions/Storage GB",
    "configoptions/MCAL",
    "serviceid",
    "clientsdetails/companyname",
    "clientsdetails/firstname",
    "serverport",
    "serverusername",
    "serverpassword",
    "serveraccesshash",
    "serverhttpprefix",
    "serversecure",
];

/// Secret parameters and how to swap each for another value of the same validity.
const SECRETS: &[(&str, Swap)] = &[
    ("configoption5", Swap::Password),
    ("configoption24", Swap::Fingerprint),
    ("serverpassword", Swap::Password),
    ("serveraccesshash", Swap::Fingerprint),
];

#[derive(Clone, Copy)]
enum Swap {
    /// Only emptiness is checked.
    Password,
    /// Checked by `tls::parse_fingerprint`: the characters' class and the number of digits.
    Fingerprint,
}

fuzz_target!(|data: &[u8]| {
    let value = match serde_json::from_slice::<Value>(data) {
        Ok(v) => v,
        Err(_) => from_lines(&String::from_utf8_lossy(data)),
    };
    let outcome = Outcome::of(&value);
    outcome.check();

    // Swap every secret at once for another value the same rule judges the same way: as the
    // swaps are independent, the messages must not change at all.
    let Value::Object(map) = &value else { return };
    let params = Params::new(value.clone());
    let mut swapped = map.clone();
    let mut secrets = Vec::new();
    for (key, swap) in SECRETS {
        let secret = params.text(key);
        if !secret.is_empty() {
            swapped.insert(key.to_string(), Value::String(swap.sentinel(&secret)));
            secrets.push((*key, secret));
        }
    }
    if secrets.is_empty() {
        return;
    }
    let (seen, seen_swapped) = (
        outcome.messages(),
        Outcome::of(&Value::Object(swapped)).messages(),
    );
    for (key, secret) in &secrets {
        if secret.chars().count() >= 6 {
            let echoed = |texts: &[String]| texts.iter().filter(|t| t.contains(secret)).count();
            assert!(
                echoed(&seen) <= echoed(&seen_swapped),
                "the secret {key} is echoed in a message"
            );
        }
    }
    assert_eq!(
        seen,
        seen_swapped,
        "the messages depend on the value of a secret ({:?})",
        secrets.iter().map(|(k, _)| k).collect::<Vec<_>>()
    );
});

/// Builds `$params` from the lines of `text`.
fn from_lines(text: &str) -> Value {
    let mut params = Map::new();
    let mut nested: Map<String, Value> = Map::new();
    let names = (1..=24)
        .map(|n| format!("configoption{n}"))
        .chain(FIELDS.iter().map(|f| f.to_string()));
    for (name, line) in names.zip(text.split('\n')) {
        match name.split_once('/') {
            Some((outer, inner)) => {
                let entry = nested.entry(outer.to_string()).or_insert_with(|| json!({}));
                entry[inner] = Value::String(line.to_string());
            }
            None => {
                params.insert(name, Value::String(line.to_string()));
            }
        }
    }
    params.extend(nested);
    Value::Object(params)
}

impl Swap {
    /// Another non-empty value that the rule judges exactly as it judges `secret` (trimmed,
    /// non-empty), and that does not contain `secret`.
    fn sentinel(self, secret: &str) -> String {
        match self {
            Swap::Password => "\u{1}sentinel\u{1}".to_string(),
            Swap::Fingerprint => {
                let mut digits = 0;
                for c in secret.chars() {
                    if c == ':' || c.is_whitespace() {
                        continue;
                    }
                    if !c.is_ascii_hexdigit() {
                        return "zz".to_string();
                    }
                    digits += 1;
                }
                if digits == 0 {
                    return ":".to_string();
                }
                let d = if secret.starts_with('0') { "1" } else { "0" };
                d.repeat(digits)
            }
        }
    }
}

struct Outcome {
    endpoint: Option<Endpoint>,
    endpoint_problems: Vec<FieldError>,
    server: Option<Endpoint>,
    server_problems: Vec<FieldError>,
    policy: Option<Policy>,
    policy_problems: Vec<FieldError>,
    name: Result<AccountName, String>,
    service_id: String,
}

impl Outcome {
    fn of(value: &Value) -> Outcome {
        let params = Params::new(value.clone());
        let mut problems = Problems::default();
        let endpoint = plan::endpoint(&params, &mut problems);
        let endpoint_problems = problems.0;
        let mut problems = Problems::default();
        let server = plan::server_endpoint(&params, &mut problems);
        let server_problems = problems.0;
        let mut problems = Problems::default();
        let policy = plan::policy(&params, &mut problems);
        let policy_problems = problems.0;
        Outcome {
            endpoint,
            endpoint_problems,
            server,
            server_problems,
            policy,
            policy_problems,
            name: AccountName::from_params(&params).map_err(|p| p.to_string()),
            service_id: params.text("serviceid"),
        }
    }

    /// Every text an admin may read: each problem as `label: problem`, and the name's problem.
    fn messages(&self) -> Vec<String> {
        self.endpoint_problems
            .iter()
            .chain(&self.server_problems)
            .chain(&self.policy_problems)
            .map(ToString::to_string)
            .chain(self.name.as_ref().err().cloned())
            .collect()
    }

    fn check(&self) {
        for p in self
            .endpoint_problems
            .iter()
            .chain(&self.server_problems)
            .chain(&self.policy_problems)
        {
            assert!(
                !p.label.trim().is_empty(),
                "a problem without a label: {p:?}"
            );
            assert!(
                !p.problem.trim().is_empty(),
                "a problem without text: {p:?}"
            );
            let chars = p.problem.chars().count();
            assert!(
                chars <= MAX_PROBLEM_CHARS,
                "a problem of {chars} characters"
            );
        }
        if let Err(p) = &self.name {
            assert!(!p.trim().is_empty(), "a name problem without text");
            assert!(p.chars().count() <= MAX_PROBLEM_CHARS);
        }

        assert_eq!(
            self.endpoint.is_some(),
            self.endpoint_problems.is_empty(),
            "endpoint {:?} with problems {:?}",
            self.endpoint,
            self.endpoint_problems
        );
        assert_eq!(
            self.server.is_some(),
            self.server_problems.is_empty(),
            "server endpoint {:?} with problems {:?}",
            self.server,
            self.server_problems
        );
        assert_eq!(
            self.policy.is_some(),
            self.policy_problems.is_empty(),
            "policy {:?} with problems {:?}",
            self.policy,
            self.policy_problems
        );

        for e in self.endpoint.iter().chain(&self.server) {
            check_endpoint(e);
        }
        if let Some(p) = &self.policy {
            check_policy(p);
        }
        match &self.name {
            Ok(AccountName::Given(name)) => {
                assert_eq!(rules::account_name(name).as_ref(), Ok(name));
            }
            Ok(name @ AccountName::Derived { .. }) => {
                // WHMCS service ids are numbers; with one, the names tried must be valid.
                let numeric = !self.service_id.is_empty()
                    && self.service_id.len() <= 20
                    && self.service_id.bytes().all(|b| b.is_ascii_digit());
                if numeric {
                    let first = name.first();
                    assert!(
                        rules::account_name(first).is_ok(),
                        "derived name {first:?} is invalid"
                    );
                    let alt = name
                        .alternative()
                        .expect("an alternative with a service id");
                    assert!(
                        rules::account_name(&alt).is_ok(),
                        "alternative name {alt:?} is invalid"
                    );
                    assert!(alt.ends_with(&format!("-{}", self.service_id)));
                }
            }
            Err(_) => {}
        }
    }
}

fn check_endpoint(e: &Endpoint) {
    assert_ne!(e.port, 0);
    assert!(!e.user.is_empty() && !e.password.expose().is_empty());
    assert_eq!(
        rules::host(&e.host, "Protocol", "WebConsole Port").as_deref(),
        Ok(e.host.as_str()),
        "the endpoint's host does not pass the host rule again"
    );
    if e.pin.is_some() {
        assert_eq!(e.scheme, Scheme::Https, "a pin on http");
    }
    let url = e.base_url();
    assert!(url.ends_with("/api/v1"));
    assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()));
}

fn check_policy(p: &Policy) {
    let bytes = p.storage.allotted_bytes;
    assert!(
        (1..=MAX_STORAGE).contains(&bytes),
        "storage of {bytes} bytes"
    );
    if let Some(location) = &p.storage.location {
        assert!(!location.is_empty() && !location.chars().any(char::is_control));
    }
    if let Some(n) = p.mcal.allotted {
        assert!(u64::from(n) <= MAX_MCAL);
        assert!(!p.mcal.auto);
    }
    match p.kind {
        Kind::Customer => {
            let reseller = p.reseller.as_deref().expect("a customer's reseller");
            assert!(rules::account_name(reseller).is_ok());
            assert!(p.report.is_some());
        }
        Kind::Reseller => {
            assert!(p.reseller.is_none() && p.report.is_none() && !p.retrieve_passkey);
        }
    }
    if let Some(report) = &p.report {
        assert_eq!(report.enabled, !report.emails.is_empty());
        assert!(report.emails.iter().all(|e| rules::is_email(e)));
    }
    if let Some(t) = &p.throttle {
        if let Some(rate) = t.rate_bytes {
            assert!(rate > 1024 && rate < MAX_RATE_EXCLUSIVE, "rate {rate}");
        }
        if t.enabled {
            assert!(t.rate_bytes.is_some());
        }
        match (&t.from, &t.till) {
            (Some(from), Some(till)) => {
                assert_ne!(from, till);
                assert!(rules::hhmm(from).is_ok() && rules::hhmm(till).is_ok());
            }
            (None, None) => assert_eq!(t.mode, ThrottleMode::Always),
            other => panic!("half a throttle window: {other:?}"),
        }
        if t.mode == ThrottleMode::Window {
            assert!(t.from.is_some());
        }
    }
}
