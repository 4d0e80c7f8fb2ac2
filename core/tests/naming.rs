//! The account-name rule and the contact details, end to end: what `naming` derives from the
//! client is the name the account gets on a real sgsim and the username WHMCS stores; a given
//! username is used as it is, or refused before anything is sent.

mod common;

use common::{net, Recorder, Sim};
use serde_json::{json, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;
use sgwhmcs_core::settings::naming::{self, AccountName, USERNAME_LABEL};
use sgwhmcs_core::whmcs::params::Params;

fn create(sim: &Sim, host: &mut Recorder, extra: Value) -> Value {
    module::call(Function::CreateAccount, &sim.params(extra), host, &net())
}

/// Client 3 with only the members of `details`.
fn client(details: Value) -> Value {
    json!({"clientsdetails": details})
}

#[test]
fn a_given_username_is_used_as_it_is_and_not_stored_back() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    assert_eq!(
        create(&sim, &mut host, json!({"username": "acme-42"})),
        json!("success")
    );
    assert!(sim.account("customers", "acme-42").is_some());
    assert!(
        host.calls_of("UpdateClientProduct").is_empty(),
        "nothing to store"
    );
}

#[test]
fn a_given_username_that_is_not_a_name_is_refused_before_any_request() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let answer = create(&sim, &mut host, json!({"username": "acme/42"}));
    let text = answer.as_str().unwrap();
    assert!(
        text.starts_with(&format!("Module settings are invalid: {USERNAME_LABEL}:")),
        "{text}"
    );
    assert_eq!(sim.total(), 0);
}

#[test]
fn the_company_name_is_kept_to_the_characters_a_name_may_hold() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let extra = client(json!({"companyname": "Acme, Inc. (EU)", "firstname": "Jane"}));
    assert_eq!(create(&sim, &mut host, extra), json!("success"));
    assert!(sim.account("customers", "Acme Inc. EU").is_some());
    assert_eq!(
        host.row("tblhosting", "id", "7").unwrap()["username"],
        "Acme Inc. EU"
    );
}

#[test]
fn without_a_company_the_persons_name_is_used() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let extra = client(json!({"firstname": "Zoë", "lastname": "O'Neil", "email": "z@x.test"}));
    assert_eq!(create(&sim, &mut host, extra), json!("success"));
    assert!(sim.account("customers", "Zo ONeil").is_some());
}

#[test]
fn a_client_with_nothing_usable_gets_the_service_fallback() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let extra = client(json!({"firstname": "李", "lastname": "小龙"}));
    assert_eq!(create(&sim, &mut host, extra), json!("success"));
    assert!(sim.account("customers", "service-7").is_some());
}

#[test]
fn a_long_company_name_is_cut_to_fit_with_its_suffix() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let long = "A".repeat(100);
    sim.make("customers", &"A".repeat(64), None);
    let extra = client(json!({"companyname": long}));
    assert_eq!(create(&sim, &mut host, extra), json!("success"));
    let name = format!("{}-7", "A".repeat(62));
    assert_eq!(name.len(), 64);
    assert!(sim.account("customers", &name).is_some());
    assert_eq!(host.row("tblhosting", "id", "7").unwrap()["username"], name);
}

#[test]
fn the_contact_details_go_with_the_account() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    create(&sim, &mut host, json!({}));
    let contact = &sim.account("customers", "Acme Widgets").unwrap()["contact"];
    assert_eq!(contact["email"], "jane@acme.test");
    assert_eq!(contact["first_name"], "Jane");
    assert_eq!(contact["last_name"], "Doe");
    assert_eq!(contact["company"], "Acme Widgets");
    assert_eq!(contact["address"], "1 Main St, Suite 2");
    assert_eq!(contact["country"], "US");
}

#[test]
fn a_derived_name_whmcs_cannot_store_is_reported_with_the_name_to_set() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.script(
        "UpdateClientProduct",
        json!({"result": "error", "message": "Database error"}),
    );
    let answer = create(&sim, &mut host, json!({}));
    let text = answer.as_str().unwrap();
    assert!(
        text.contains("\"Acme Widgets\" was created, but WHMCS could not store it"),
        "{text}"
    );
    assert!(text.contains("Database error"), "{text}");
    assert_eq!(sim.count("POST /customers"), 1, "the account stays");
}

#[test]
fn hooks_derive_with_the_client_id_and_fall_back_to_client() {
    let named = AccountName::derived(&Params::new(json!({"companyname": "Acme"})), "3", "client");
    assert_eq!(named.first(), "Acme");
    assert_eq!(named.alternative().as_deref(), Some("Acme-3"));
    let nameless = AccountName::derived(&Params::new(json!({})), "3", "client");
    assert_eq!(nameless.first(), "client-3");
    assert_eq!(nameless.alternative().as_deref(), Some("client-3-3"));
}

#[test]
fn the_country_name_stands_in_when_there_is_no_country_code() {
    let contact = naming::contact(&Params::new(
        json!({"country": "Germany", "address2": "Hinterhaus", "email": " a@b.test "}),
    ));
    assert_eq!(contact.country, "Germany");
    assert_eq!(contact.address, "Hinterhaus", "no empty first line");
    assert_eq!(contact.email, "a@b.test", "trimmed");
}
