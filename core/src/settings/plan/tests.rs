//! Rules of `docs/settings.md`, one or more cases each.

use super::*;
use serde_json::{json, Value};

const PIN: &str = "AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89";

/// A valid customer product; `changes` override settings by position.
fn product(changes: &[(usize, &str)]) -> Params {
    let mut map = serde_json::Map::new();
    let base: [(usize, &str); 10] = [
        (1, "https"),
        (2, "backup.example.com"),
        (4, "admin"),
        (5, "pw"),
        (6, "Signup Customer"),
        (8, "on"),
        (10, "1073741824"),
        (14, "on"),
        (16, "Global Configuration"),
        (24, PIN),
    ];
    for (n, v) in base.iter().chain(changes.iter()) {
        map.insert(format!("configoption{n}"), Value::String(v.to_string()));
    }
    Params::new(Value::Object(map))
}

fn problems_of(params: &Params) -> Vec<String> {
    let mut problems = Problems::default();
    let e = endpoint(params, &mut problems);
    let p = policy(params, &mut problems);
    if problems.0.is_empty() {
        assert!(e.is_some() && p.is_some());
    }
    problems.0.iter().map(ToString::to_string).collect()
}

#[test]
fn valid_product_gives_a_plan() {
    let params = product(&[]);
    let mut problems = Problems::default();
    let e = endpoint(&params, &mut problems).unwrap();
    let p = policy(&params, &mut problems).unwrap();
    assert!(problems.0.is_empty());
    assert_eq!(e.base_url(), "https://backup.example.com:6061/api/v1");
    assert_eq!(e.pin.unwrap()[0], 0xab);
    assert_eq!(p.kind, Kind::Customer);
    assert_eq!(p.reseller.as_deref(), Some("Default Reseller"));
    assert_eq!(p.storage.allotted_bytes, 1 << 30);
    assert!(p.mcal.auto && p.active && p.throttle.is_none());
    assert_eq!(
        p.report,
        Some(Report {
            enabled: false,
            emails: vec![]
        })
    );
}

#[test]
fn every_failing_field_is_reported_together() {
    let found = problems_of(&product(&[
        (3, "70000"),
        (10, ""),
        (16, "New Configuration"),
        (17, "on"),
        (18, "Throttle only at specified time"),
        (19, "2460"),
        (20, "0600"),
    ]));
    assert!(
        found.contains(&"WebConsole Port: \"70000\" is not a port number (1-65535)".to_string()),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("Storage Allotted: is required")),
        "{found:?}"
    );
    assert!(
        found.contains(
            &"Throttle From: \"2460\" is not a time in HHMM form (0000-2359)".to_string()
        ),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("Restricted Rate: is required")),
        "{found:?}"
    );
    assert_eq!(found.len(), 4, "{found:?}");
}

#[test]
fn each_rule_names_its_field() {
    let cases: &[(&[(usize, &str)], &str)] = &[
        (&[(1, "ftp")], "Protocol: \"ftp\" is not one of"),
        (
            &[(2, "https://b.test")],
            "HostName or IP Address: \"https://b.test\" must be a host name",
        ),
        (&[(2, "b.test/x")], "without a path"),
        (&[(3, "0")], "WebConsole Port:"),
        (&[(6, "Sign up")], "Action: \"Sign up\" is not one of"),
        (&[(7, "bad/name")], "Reseller Name:"),
        (
            &[(10, "0")],
            "Storage Allotted: \"0\" is not a whole number of bytes",
        ),
        (&[(10, "9223372036854775808")], "Storage Allotted:"),
        (&[(10, "1.5")], "Storage Allotted:"),
        (
            &[(11, "a\u{7}b")],
            "Storage Location: must not contain control characters",
        ),
        (
            &[(12, "on")],
            "Consolidated Report Email: needs at least one",
        ),
        (
            &[(12, "on"), (13, "a@x.test, nope")],
            "Consolidated Report Email: \"nope\" is not a valid e-mail address",
        ),
        (
            &[(14, "")],
            "Allot MCAL: is required when Is Auto MCAL is off",
        ),
        (
            &[(14, ""), (15, "2147483648")],
            "Allot MCAL: \"2147483648\" is not a whole number",
        ),
        (&[(16, "Custom")], "Bandwidth Throttling:"),
        (
            &[(16, "New Configuration"), (18, "Sometimes")],
            "Throttle Settings:",
        ),
        (
            &[
                (16, "New Configuration"),
                (18, "Throttle only at specified time"),
                (19, "0130"),
            ],
            "Throttle Till: is required",
        ),
        (
            &[
                (16, "New Configuration"),
                (18, "Throttle only at specified time"),
                (19, "0130"),
                (20, "0130"),
            ],
            "Throttle Till: \"0130\" must differ from Throttle From",
        ),
        (
            &[(16, "New Configuration"), (17, "on"), (21, "1024")],
            "Restricted Rate: \"1024\" is not",
        ),
        (
            &[
                (16, "New Configuration"),
                (17, "on"),
                (21, "10736344498176"),
            ],
            "Restricted Rate:",
        ),
        (&[(24, "abc")], "Server Certificate SHA-256:"),
        (
            &[(1, "http")],
            "Server Certificate SHA-256: only applies to https",
        ),
        (&[(4, "")], "UserName: is required"),
    ];
    for (changes, expected) in cases {
        let found = problems_of(&product(changes));
        assert!(
            found.iter().any(|f| f.contains(expected)),
            "{changes:?}: expected {expected:?} in {found:?}"
        );
    }
}

#[test]
fn fingerprint_never_appears_in_its_message() {
    let bad = "zz".repeat(32);
    let found = problems_of(&product(&[(24, &bad)]));
    assert_eq!(found.len(), 1);
    assert!(!found[0].contains(&bad));
}

#[test]
fn throttle_window_and_rate_are_read() {
    let params = product(&[
        (16, "New Configuration"),
        (17, "on"),
        (18, "Throttle only at specified time"),
        (19, "2200"),
        (20, "0600"),
        (21, "1048576"),
    ]);
    let mut problems = Problems::default();
    let p = policy(&params, &mut problems).unwrap();
    let t = p.throttle.unwrap();
    assert!(t.enabled);
    assert_eq!(t.mode, ThrottleMode::Window);
    assert_eq!(
        (t.from.as_deref(), t.till.as_deref(), t.rate_bytes),
        (Some("2200"), Some("0600"), Some(1048576))
    );
}

#[test]
fn resellers_ignore_customer_only_fields() {
    let params = product(&[
        (6, "Signup Reseller"),
        (7, "bad/name"),
        (12, "on"),
        (23, "on"),
    ]);
    let mut problems = Problems::default();
    let p = policy(&params, &mut problems).unwrap();
    assert!(problems.0.is_empty());
    assert_eq!(p.kind, Kind::Reseller);
    assert!(p.reseller.is_none() && p.report.is_none() && !p.retrieve_passkey);
}

#[test]
fn configurable_options_override_storage_and_mcal() {
    let mut map = serde_json::Map::new();
    for n in 1..=24 {
        map.insert(
            format!("configoption{n}"),
            Value::String(product(&[(10, "")]).setting(n)),
        );
    }
    map.insert(
        "configoptions".into(),
        json!({"Storage GB": "50", "MCAL": "7"}),
    );
    let params = Params::new(Value::Object(map));
    let mut problems = Problems::default();
    let p = policy(&params, &mut problems).unwrap();
    assert!(problems.0.is_empty(), "{:?}", problems.0);
    assert_eq!(p.storage.allotted_bytes, 50 << 30);
    assert_eq!(
        p.mcal,
        Mcal {
            auto: false,
            allotted: Some(7)
        }
    );
}

#[test]
fn server_record_is_the_fallback_connection() {
    let params = Params::new(json!({
        "configoption6": "Signup Reseller", "configoption10": "1", "configoption14": "on",
        "server": true, "serverhostname": "", "serverip": "192.0.2.5", "serverport": "",
        "serversecure": "on", "serverusername": "admin", "serverpassword": "pw", "serveraccesshash": PIN,
    }));
    let mut problems = Problems::default();
    let e = endpoint(&params, &mut problems).unwrap();
    assert!(problems.0.is_empty(), "{:?}", problems.0);
    assert_eq!(e.base_url(), "https://192.0.2.5:6061/api/v1");
    assert!(e.pin.is_some());
}

#[test]
fn no_connection_names_both_ways() {
    let found = problems_of(&Params::new(
        json!({"configoption10": "1", "configoption14": "on"}),
    ));
    assert_eq!(
        found,
        vec![format!(
            "{NO_CONNECTION_LABEL}: {}",
            crate::settings::terms::no_connection()
        )]
    );
}

#[test]
fn partial_product_connection_is_not_mixed_with_the_server() {
    let params = Params::new(json!({
        "configoption2": "b.test", "configoption10": "1", "configoption14": "on",
        "server": true, "serverhostname": "s.test", "serverusername": "u", "serverpassword": "p",
    }));
    let found = problems_of(&params);
    assert!(found.iter().any(|f| f.starts_with("UserName: is required")));
    assert!(found.iter().any(|f| f.starts_with("Password: is required")));
}

/// `product` with the members at `transcoded` marked as decoded from Windows-1252.
fn transcoded(params: Params, keys: &[&str]) -> Params {
    let map: serde_json::Map<String, Value> = params
        .entries()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let paths = keys
        .iter()
        .map(|k| crate::whmcs::params::pointer(k))
        .collect();
    Params::with_transcoded(Value::Object(map), paths)
}

#[test]
fn secrets_are_read_untrimmed() {
    let params = product(&[(5, "  pass word  ")]);
    let mut problems = Problems::default();
    let e = endpoint(&params, &mut problems).unwrap();
    assert!(problems.0.is_empty());
    assert_eq!(e.password.expose(), "  pass word  ");
    // A fingerprint may still be written with spaces around it.
    let spaced_pin = format!(" {PIN} ");
    let params = product(&[(24, spaced_pin.as_str())]);
    assert!(problems_of(&params).is_empty());
}

#[test]
fn a_transcoded_secret_is_a_problem_of_its_field_and_nothing_else() {
    for (n, label) in [(5, "Password"), (24, "Server Certificate SHA-256")] {
        let params = transcoded(product(&[]), &[&format!("configoption{n}")]);
        let problems = problems_of(&params);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with(&format!("{label}: is not UTF-8")));
        let mut p = Problems::default();
        assert!(endpoint(&params, &mut p).is_none());
    }
    // Display text decoded the same way is no problem (here the storage location); the login
    // user name travels in the Basic credential, so it is refused like a secret.
    let params = transcoded(product(&[(11, "r\u{e9}seau")]), &["configoption11"]);
    assert!(problems_of(&params).is_empty());
    let params = transcoded(product(&[(4, "r\u{e9}seau")]), &["configoption4"]);
    assert_eq!(problems_of(&params), [format!("UserName: {NOT_UTF8_USER}")]);
}

#[test]
fn transcoded_server_secrets_and_service_password_are_refused_by_name() {
    let params = Params::with_transcoded(
        json!({"serverhostname": "b.test", "serverusername": "admin", "serverpassword": "s\u{e9}cr\u{e8}t",
               "serveraccesshash": "\u{ab}", "password": "K\u{e4}se"}),
        ["/serverpassword", "/serveraccesshash", "/password"]
            .map(String::from)
            .into_iter()
            .collect(),
    );
    let mut problems = Problems::default();
    assert!(server_endpoint(&params, &mut problems).is_none());
    assert!(service_password(&params, &mut problems).is_none());
    let labels: Vec<&str> = problems.0.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Server Password",
            "Server Access Hash (certificate SHA-256)",
            "Password (service)"
        ]
    );
    assert!(problems
        .0
        .iter()
        .all(|p| p.problem == crate::whmcs::params::NOT_UTF8_SECRET));
    let plain = Params::new(json!({"password": " K\u{e4}se "}));
    let mut problems = Problems::default();
    assert_eq!(
        service_password(&plain, &mut problems),
        Some(Secret::new(" K\u{e4}se "))
    );
    assert!(crate::settings::call_secrets::secret_keys().contains(&"configoption24".to_string()));
}

#[test]
fn a_login_user_name_that_is_not_utf8_is_a_problem_never_converted() {
    let transcoded = ["/configoption4".to_string(), "/serverusername".to_string()];
    let params = Params::with_transcoded(
        json!({"configoption4": "adm\u{ed}n", "serverusername": "r\u{f6}ot"}),
        transcoded.into_iter().collect(),
    );
    let mut problems = Problems::default();
    assert_eq!(
        login_user(&params, "configoption4", "UserName", &mut problems),
        "adm\u{ed}n"
    );
    login_user(&params, "serverusername", "Server Username", &mut problems);
    let labels: Vec<&str> = problems.0.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["UserName", "Server Username"]);
    assert!(problems.0.iter().all(|p| p.problem == NOT_UTF8_USER));
    // UTF-8 as given: no problem, trimmed like every other setting.
    let mut problems = Problems::default();
    let plain = Params::new(json!({"configoption4": " admin "}));
    assert_eq!(
        login_user(&plain, "configoption4", "UserName", &mut problems),
        "admin"
    );
    assert!(problems.0.is_empty());
}

#[test]
fn a_settings_error_says_its_scope_and_every_problem_once() {
    let mut problems = Problems::default();
    problems.add("HostName or IP Address", "is empty");
    problems.add("Port", "is not a number");
    let e = problems.finish::<()>(Scope::Hooks, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Hooks configuration is invalid: HostName or IP Address: is empty; Port: is not a number"
    );
    let one = |scope| {
        let mut p = Problems::default();
        p.add("Port", "is not a number");
        p.finish(scope, Some(1)).unwrap_err().to_string()
    };
    assert_eq!(
        one(Scope::Module),
        "Module settings are invalid: Port: is not a number"
    );
    assert_eq!(
        one(Scope::Server),
        "Server settings are invalid: Port: is not a number"
    );
    assert_eq!(Problems::default().finish(Scope::Module, Some(7)), Ok(7));
}
