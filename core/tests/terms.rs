//! Each message that names a connection setting is made once, in the words of where the admin
//! edits it: the product's Module Settings, or the variables at the top of the hooks file. The
//! fields and their hooks-file variables are read from the options table and `CONNECTION_KEYS`,
//! not listed here, so a new message or a new variable is covered without editing this test.

use serde_json::{json, Map, Value};
use sgwhmcs_core::functions::provision::explain_in;
use sgwhmcs_core::server::api::{Code, ErrorCode};
use sgwhmcs_core::server::client::ClientError;
use sgwhmcs_core::server::tls::TlsRefusal;
use sgwhmcs_core::settings::options::{field, OPTIONS};
use sgwhmcs_core::settings::plan::{endpoint, Problems};
use sgwhmcs_core::settings::terms::{no_hooks_connection, Terms, CONNECTION_KEYS};
use sgwhmcs_core::Params;

/// Whether `text` holds `word` standing alone (so "Password" is not found in "$loginPassword").
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let apart = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '$');
        apart(before) && apart(after)
    })
}

/// Every field the module's message names, the hooks file's message names by its variable, and
/// never by its label (when the hooks file has a variable for it).
fn same_fields_in_hook_words(module: &str, hooks: &str) -> usize {
    let mut named = 0;
    for (i, option) in OPTIONS.iter().enumerate() {
        let Some(key) = Terms::hook_variable(i + 1) else {
            continue;
        };
        let variable = format!("${key}");
        // A field is named by its label, or in a list by its label's short form.
        let short = Terms::ModuleSettings.short_field(i + 1);
        for name in [option.label, short.as_str()] {
            assert!(
                !names(hooks, name),
                "the hooks' message names \"{name}\" instead of {variable}: {hooks}"
            );
        }
        if names(module, option.label) || names(module, &short) {
            named += 1;
            assert!(
                hooks.contains(&variable),
                "the module's message names \"{}\", the hooks' lacks {variable}:\n  {module}\n  {hooks}",
                option.label
            );
        }
    }
    named
}

/// The connection settings with `n` set to `value` (the others valid).
fn connection(changes: &[(usize, &str)]) -> Params {
    let mut map = Map::new();
    for (n, value) in [
        (field::PROTOCOL, "https"),
        (field::HOST, "b.test"),
        (field::PORT, ""),
        (field::USERNAME, "admin"),
        (field::PASSWORD, "Pw-1"),
        (field::FINGERPRINT, ""),
    ] {
        map.insert(format!("configoption{n}"), Value::String(value.into()));
    }
    for (n, value) in changes {
        map.insert(format!("configoption{n}"), Value::String((*value).into()));
    }
    map.insert(
        format!("configoption{}", field::ACTION),
        json!("Signup Reseller"),
    );
    Params::new(Value::Object(map))
}

fn problems_in(terms: Terms, params: &Params) -> Vec<String> {
    let mut problems = Problems::in_terms(terms);
    endpoint(params, &mut problems);
    problems.0.iter().map(ToString::to_string).collect()
}

#[test]
fn the_variable_table_names_connection_settings_of_the_options_table() {
    for (key, n) in CONNECTION_KEYS {
        assert!((1..=OPTIONS.len()).contains(&n), "{key}");
        assert_eq!(Terms::HooksFile.field(n), format!("${key}"));
        assert_eq!(Terms::ModuleSettings.field(n), OPTIONS[n - 1].label);
    }
    // A setting the hooks file has no variable of keeps its label there.
    assert_eq!(Terms::HooksFile.field(field::ACTION), "Action");
}

#[test]
fn settings_problems_name_the_hook_variables_in_hook_words() {
    let pin = "ab".repeat(32);
    let cases: Vec<Vec<(usize, &str)>> = vec![
        vec![(field::HOST, "b.test:6061")],
        vec![(field::HOST, "https://b.test")],
        vec![(field::HOST, "")],
        vec![(field::USERNAME, "")],
        vec![(field::PASSWORD, "")],
        vec![(field::PORT, "70000")],
        vec![(field::PROTOCOL, "ftp")],
        vec![(field::FINGERPRINT, "zz")],
        vec![(field::PROTOCOL, "http"), (field::FINGERPRINT, &pin)],
    ];
    let mut named = 0;
    for case in cases {
        let params = connection(&case);
        let module = problems_in(Terms::ModuleSettings, &params);
        let hooks = problems_in(Terms::HooksFile, &params);
        assert!(!module.is_empty(), "{case:?} is refused");
        assert_eq!(module.len(), hooks.len(), "{case:?}");
        for (m, h) in module.iter().zip(&hooks) {
            named += same_fields_in_hook_words(m, h);
        }
    }
    assert!(named >= 12, "the cases name fields ({named})");
    // The words of each case as the hooks file's admin reads them.
    let hooks = problems_in(
        Terms::HooksFile,
        &connection(&[(field::HOST, "b.test:6061")]),
    );
    assert_eq!(
        hooks,
        ["$serverName: \"b.test:6061\" must be a host name or IP address only; put the port in $port"]
    );
}

#[test]
fn server_answers_name_the_hook_variables_in_hook_words() {
    let rejected = ClientError::Api {
        status: 401,
        code: ErrorCode::Known(Code::AuthFailed),
        message: "bad credentials".into(),
        field: None,
    };
    let refusals = [
        TlsRefusal::PinMismatch,
        TlsRefusal::UnknownIssuer,
        TlsRefusal::Expired,
        TlsRefusal::NotValidYet,
        TlsRefusal::NotValidForName,
    ];
    let not_api = ClientError::NotApi {
        at: "b.test:6061".into(),
        status: 404,
        came: "an HTML page".into(),
    };
    let errors: Vec<ClientError> = std::iter::once(rejected)
        .chain(refusals.into_iter().map(ClientError::Tls))
        .chain([not_api, ClientError::Redirected(302)])
        .collect();
    let mut named = 0;
    for e in &errors {
        named += same_fields_in_hook_words(
            &explain_in(e, Terms::ModuleSettings),
            &explain_in(e, Terms::HooksFile),
        );
    }
    assert!(named >= 11, "the messages name fields ({named})");
    assert_eq!(
        explain_in(&errors[0], Terms::HooksFile),
        "the Backup Server rejected the user name or password (AUTH_FAILED); check $userName and $loginPassword at the top of whmcsHooks.php"
    );
    assert!(explain_in(&errors[2], Terms::HooksFile)
        .contains("in $certificateSha256 at the top of whmcsHooks.php"));
    assert!(explain_in(&errors[6], Terms::HooksFile)
        .contains("; check $serverName and $port at the top of whmcsHooks.php (the Backup"));
    assert!(explain_in(&errors[7], Terms::HooksFile)
        .ends_with(": check $serverName, $protocal and $port at the top of whmcsHooks.php"));
    // The module's words, as the PHPUnit suite asserts them.
    assert!(explain_in(&errors[6], Terms::ModuleSettings)
        .contains("; check HostName and Port (the Backup"));
    assert!(explain_in(&errors[7], Terms::ModuleSettings).ends_with(
        "it redirected (HTTP 302); redirects are not followed so that credentials never go elsewhere: check HostName, Protocol and Port"
    ));
    assert!(explain_in(&errors[2], Terms::ModuleSettings).contains(
        "in \"Server Certificate SHA-256\" (or the Access Hash of the WHMCS server) or add"
    ));
}

#[test]
fn the_hooks_own_advice_names_its_variables() {
    let text = no_hooks_connection();
    assert_eq!(
        text,
        "set $sgwhmcsServerId to the id of a WHMCS server of the module (recommended: WHMCS keeps its password encrypted), or $serverName, $userName and $loginPassword, at the top of whmcsHooks.php"
    );
    same_fields_in_hook_words(&text, &text);
}
