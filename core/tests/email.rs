//! The `{$backup_pass_key}` merge field (`email::merge_fields`): given to product emails about a
//! service of this module, the service's own key (its product field `Pass Key`), the client's
//! field only for a client with one service of the module; any other email gets nothing, so no
//! id that is not a service's can show someone's key; an email always goes out.

mod common;

use common::{net, Recorder, Sim, MODULE};
use serde_json::{json, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;
use sgwhmcs_core::hooks::email::{merge_fields, MERGE_FIELD};
use sgwhmcs_core::whmcs::params::Params;

const WELCOME: &str = "Backup Welcome";
const SIGNUP: &str = "Client Signup Email";

/// Service 7 of client 3 with a welcome (product) and a signup (general) email template.
fn whmcs() -> Recorder {
    let mut host = Recorder::with_service();
    host.insert(
        "tblemailtemplates",
        json!({"name": WELCOME, "type": "product"}),
    );
    host.insert(
        "tblemailtemplates",
        json!({"name": SIGNUP, "type": "general"}),
    );
    host
}

/// Client 3's key `KEY-3`, stored in a text field.
fn with_key() -> Recorder {
    let mut host = whmcs();
    host.passkey_field("text");
    host.insert(
        "tblcustomfieldsvalues",
        json!({"fieldid": 41, "relid": 3, "value": "KEY-3"}),
    );
    host
}

fn merge(host: &mut Recorder, message: &str, relid: Value) -> Value {
    let vars = Params::new(json!({"messagename": message, "relid": relid}));
    merge_fields(MODULE, &vars, host)
}

#[test]
fn the_welcome_email_gets_the_key_the_server_gave() {
    let sim = Sim::http();
    let mut host = whmcs();
    host.passkey_field("password");
    let params = sim.params(json!({"configoption23": "on"}));
    assert_eq!(
        module::call(Function::CreateAccount, &params, &mut host, &net()),
        json!("success")
    );
    let key = sim.passkey("Acme Widgets");
    assert_eq!(
        merge(&mut host, WELCOME, json!("7")),
        json!({MERGE_FIELD: key})
    );
}

#[test]
fn a_stored_text_key_is_given_as_it_is() {
    let mut host = with_key();
    assert_eq!(
        merge(&mut host, WELCOME, json!(7)),
        json!({"backup_pass_key": "KEY-3"})
    );
    assert_eq!(host.decrypted, 0);
    assert!(host.activity.is_empty());
}

#[test]
fn a_general_email_gets_nothing_even_when_its_id_is_a_service() {
    let mut host = with_key();
    assert_eq!(merge(&mut host, SIGNUP, json!("7")), json!({}));
}

#[test]
fn a_service_of_another_module_gets_nothing() {
    let mut host = with_key();
    host.tables.get_mut("tblproducts").unwrap()[0].insert("servertype".into(), json!("cpanel"));
    assert_eq!(merge(&mut host, WELCOME, json!("7")), json!({}));
}

#[test]
fn an_unknown_template_or_none_gets_nothing() {
    let mut host = with_key();
    assert_eq!(merge(&mut host, "Made Up", json!("7")), json!({}));
    assert_eq!(merge(&mut host, "", json!("7")), json!({}));
}

#[test]
fn a_missing_service_or_id_gets_nothing() {
    let mut host = with_key();
    assert_eq!(merge(&mut host, WELCOME, json!("99")), json!({}));
    assert_eq!(merge(&mut host, WELCOME, json!("")), json!({}));
    assert!(host.activity.is_empty(), "nothing wrong to report");
}

#[test]
fn a_client_without_a_key_gets_nothing_and_no_field_is_made() {
    let mut host = whmcs();
    assert_eq!(merge(&mut host, WELCOME, json!("7")), json!({}));
    assert!(host.rows("tblcustomfields").is_empty());
    host.passkey_field("text");
    assert_eq!(merge(&mut host, WELCOME, json!("7")), json!({}));
}

#[test]
fn a_key_that_cannot_be_decrypted_leaves_the_field_empty_and_says_why() {
    let mut host = whmcs();
    host.passkey_field("password");
    host.insert(
        "tblcustomfieldsvalues",
        json!({"fieldid": 41, "relid": 3, "value": "not-cipher-XYZ"}),
    );
    assert_eq!(merge(&mut host, WELCOME, json!("7")), json!({}));
    let (line, client) = &host.activity[0];
    assert!(
        line.starts_with(&format!(
            "sgwhmcs: {{${MERGE_FIELD}}} is empty in the email \"{WELCOME}\" for service 7:"
        )),
        "{line}"
    );
    assert!(line.contains("could not be decrypted"), "{line}");
    assert!(!line.contains("not-cipher-XYZ"), "{line}");
    assert_eq!(client, "");
}

#[test]
fn a_pass_key_field_of_the_wrong_type_is_reported_once_per_email() {
    let mut host = whmcs();
    host.passkey_field("tickbox");
    assert_eq!(merge(&mut host, WELCOME, json!("7")), json!({}));
    assert_eq!(host.activity.len(), 1);
    assert!(host.activity[0].0.contains("is a tickbox field"));
}

#[test]
fn a_database_failure_still_lets_the_email_go_out() {
    let mut host = with_key();
    host.db_error = Some("SQLSTATE[HY000] gone away".into());
    assert_eq!(merge(&mut host, WELCOME, json!("7")), json!({}));
    assert!(host.api_calls.is_empty());
}

/// Client 3 with service 7 (key `OWN-7` in its product field) and service 8 of the same
/// product (nothing in its own field); the client field holds `KEY-3`.
fn two_services() -> Recorder {
    let mut host = with_key();
    host.insert(
        "tblhosting",
        json!({"id": 8, "userid": 3, "packageid": 2, "username": "", "password": ""}),
    );
    host.insert(
        "tblcustomfields",
        json!({"id": 60, "type": "product", "relid": 2, "fieldname": "Pass Key", "fieldtype": "text"}),
    );
    host.insert(
        "tblcustomfieldsvalues",
        json!({"fieldid": 60, "relid": 7, "value": "OWN-7"}),
    );
    host
}

#[test]
fn a_service_gets_its_own_key_before_the_clients() {
    let mut host = two_services();
    assert_eq!(
        merge(&mut host, WELCOME, json!(7)),
        json!({MERGE_FIELD: "OWN-7"})
    );
}

#[test]
fn with_several_services_one_without_its_own_key_gets_none_and_the_log_says_why() {
    let mut host = two_services();
    assert_eq!(merge(&mut host, WELCOME, json!(8)), json!({}));
    let logged = host.everything_logged();
    assert!(
        logged.contains("service 8 has no pass key in its own \"Pass Key\" field"),
        "{logged}"
    );
    assert!(
        logged.contains("client 3 has 2 customer services of this module"),
        "{logged}"
    );
    assert!(
        !logged.contains("KEY-3") && !logged.contains("OWN-7"),
        "{logged}"
    );
}

#[test]
fn a_service_of_another_module_does_not_count() {
    let mut host = two_services();
    host.insert("tblproducts", json!({"id": 5, "servertype": "cpanel"}));
    host.tables
        .get_mut("tblhosting")
        .unwrap()
        .iter_mut()
        .filter(|r| r["id"] == 7)
        .for_each(|r| {
            r.insert("packageid".into(), json!(5));
        });
    // Service 8 is now the client's only service of this module: the client field is its key.
    assert_eq!(
        merge(&mut host, WELCOME, json!(8)),
        json!({MERGE_FIELD: "KEY-3"})
    );
}

#[test]
fn a_reseller_service_gets_no_key_and_does_not_count() {
    let mut host = two_services();
    host.insert(
        "tblproducts",
        json!({"id": 6, "servertype": MODULE, "configoption6": "Signup Reseller"}),
    );
    host.tables
        .get_mut("tblhosting")
        .unwrap()
        .iter_mut()
        .filter(|r| r["id"] == 7)
        .for_each(|r| {
            r.insert("packageid".into(), json!(6));
        });
    assert_eq!(
        merge(&mut host, WELCOME, json!(7)),
        json!({}),
        "a reseller's"
    );
    assert!(host.activity.is_empty(), "nothing to say about a reseller");
    // Service 8 is the client's only customer service: the client field is its key.
    assert_eq!(
        merge(&mut host, WELCOME, json!(8)),
        json!({MERGE_FIELD: "KEY-3"})
    );
}
