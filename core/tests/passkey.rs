//! The pass key: read from a real sgsim after a create when the product asks for it, stored in the
//! service's product custom field `Pass Key` through `UpdateClientProduct` and in the client's
//! `Pass Key` custom field through `UpdateClient` (encrypted when it is a password field), read
//! back by `passkey::stored_in`, and never shown in a log or a message.

mod common;

use common::{net, Recorder, Sim};
use serde_json::{json, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;
use sgwhmcs_core::whmcs::passkey::{self, FIELD_NAME};

const PASSKEY_ROUTE: &str = "GET /customers/{name}/passkey";

/// A create of service 7 by a product that retrieves the pass key.
fn create(sim: &Sim, host: &mut Recorder, extra: Value) -> Value {
    let mut all = json!({"configoption23": "on"});
    common::merge(&mut all, extra);
    module::call(Function::CreateAccount, &sim.params(all), host, &net())
}

#[test]
fn the_field_is_made_admin_only_and_holds_the_servers_key() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    let fields = host.rows("tblcustomfields");
    assert_eq!(fields.len(), 2, "{fields:?}");
    let of = |kind: &str| fields.iter().find(|f| f["type"] == kind).unwrap().clone();
    let (product, client) = (of("product"), of("client"));
    assert_eq!(product["fieldname"], FIELD_NAME);
    assert_eq!(product["relid"], 2, "the service's product");
    assert_eq!(product["adminonly"], "on");
    assert_eq!(product["fieldtype"], "password", "kept encrypted");
    assert_eq!(client["fieldname"], FIELD_NAME);
    assert_eq!(client["adminonly"], "on");
    assert_eq!(client["fieldtype"], "text");
    let key = sim.passkey("Acme Widgets");
    assert_eq!(host.stored_passkey("3").as_deref(), Some(key.as_str()));
    assert_eq!(
        host.stored_service_passkey("7"),
        Some(common::encrypted(&key))
    );
    let own = passkey::stored_in(&mut host, passkey::Owner::Product(2), "7").unwrap();
    assert_eq!(own, Some(key));
}

#[test]
fn it_is_stored_through_update_client_skipping_validation() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    create(&sim, &mut host, json!({}));
    let calls = host.calls_of("UpdateClient");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["clientid"], "3");
    assert_eq!(calls[0]["skipvalidation"], json!(true));
    let fields = common::decode_base64(calls[0]["customfields"].as_str().unwrap()).unwrap();
    let fields = common::parse_php_fields(&fields).unwrap();
    let client_field = host.row("tblcustomfields", "type", "client").unwrap();
    let id = client_field["id"].as_i64().unwrap();
    assert_eq!(fields, [(id, sim.passkey("Acme Widgets"))]);
    let service = host.calls_of("UpdateClientProduct");
    let service: Vec<&Value> = service
        .iter()
        .filter(|c| c.get("customfields").is_some())
        .collect();
    assert_eq!(
        service.len(),
        1,
        "the service's field, through UpdateClientProduct"
    );
    assert_eq!(service[0]["serviceid"], "7");
}

#[test]
fn a_password_field_keeps_it_encrypted_and_it_reads_back_plain() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.passkey_field("password");
    create(&sim, &mut host, json!({}));
    let key = sim.passkey("Acme Widgets");
    assert_eq!(host.stored_passkey("3"), Some(common::encrypted(&key)));
    assert_eq!(passkey::stored(&mut host, "3").unwrap(), Some(key));
    assert_eq!(host.decrypted, 1);
    assert_eq!(
        host.rows("tblcustomfields").len(),
        2,
        "no second client field, one product field"
    );
}

#[test]
fn the_key_is_in_no_log_and_no_message() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.passkey_field("password");
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    let key = sim.passkey("Acme Widgets");
    let logged = host.everything_logged();
    assert!(logged.contains("/passkey"), "the read is logged: {logged}");
    assert!(!logged.contains(&key), "{logged}");
    assert!(host.module_log.iter().any(|l| l.secrets.contains(&key)));
}

#[test]
fn a_field_that_cannot_hold_a_key_keeps_the_account_and_says_why() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.passkey_field("dropdown");
    let answer = create(&sim, &mut host, json!({}));
    let text = answer.as_str().unwrap();
    assert!(
        text.starts_with(
            "The customer \"Acme Widgets\" was created, but its pass key was not stored"
        ),
        "{text}"
    );
    assert!(text.contains("is a dropdown field"), "{text}");
    assert!(host.calls_of("UpdateClient").is_empty());
    let key = sim.passkey("Acme Widgets");
    assert!(!text.contains(&key));
    let last = host.module_log.last().unwrap();
    assert_eq!(last.record.request["step"], "store pass key");
    assert!(!host.everything_logged().contains(&key));
}

#[test]
fn a_refused_update_is_retried_by_running_create_again() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    host.script(
        "UpdateClient",
        json!({"result": "error", "message": "Database error"}),
    );
    let answer = create(&sim, &mut host, json!({}));
    let text = answer.as_str().unwrap();
    assert!(
        text.contains(
            "WHMCS could not store it in the client's \"Pass Key\" field: Database error"
        ),
        "{text}"
    );
    assert!(text.contains("Run Create again to retry"), "{text}");
    assert_eq!(host.stored_passkey("3"), None);
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(sim.count("POST /customers"), 1, "adopted, not duplicated");
    assert_eq!(host.stored_passkey("3"), Some(sim.passkey("Acme Widgets")));
}

#[test]
fn a_key_the_server_will_not_give_is_reported_and_fetched_on_the_next_run() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    sim.fault(json!({"kind": "status", "status": 503, "route": PASSKEY_ROUTE}));
    let answer = create(&sim, &mut host, json!({}));
    let text = answer.as_str().unwrap();
    assert!(
        text.contains("its pass key was not stored: it could not be read"),
        "{text}"
    );
    assert!(host.calls_of("UpdateClient").is_empty());
    assert_eq!(create(&sim, &mut host, json!({})), json!("success"));
    assert_eq!(sim.count(PASSKEY_ROUTE), 2);
    assert!(host.stored_passkey("3").is_some());
}

#[test]
fn without_the_setting_no_key_is_read_or_stored() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    assert_eq!(
        create(&sim, &mut host, json!({"configoption23": ""})),
        json!("success")
    );
    assert_eq!(sim.count(PASSKEY_ROUTE), 0);
    assert!(host.calls_of("UpdateClient").is_empty());
    assert!(host.rows("tblcustomfields").is_empty(), "no field made");
}

#[test]
fn a_reseller_never_has_its_key_read() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let answer = create(&sim, &mut host, json!({"configoption6": "Signup Reseller"}));
    assert_eq!(answer, json!("success"));
    assert_eq!(sim.total(), 3, "search, lookup, create: no pass key read");
    assert_eq!(sim.count(PASSKEY_ROUTE), 0);
    assert!(host.calls_of("UpdateClient").is_empty());
}

#[test]
fn looking_the_field_up_does_not_make_it_and_making_it_is_done_once() {
    let mut host = Recorder::new();
    assert_eq!(passkey::field_id(&mut host, false).unwrap(), None);
    assert!(host.rows("tblcustomfields").is_empty());
    let made = passkey::field_id(&mut host, true).unwrap().unwrap();
    assert_eq!(passkey::field_id(&mut host, true).unwrap(), Some(made));
    assert_eq!(host.rows("tblcustomfields").len(), 1);
}

#[test]
fn a_stored_key_is_trimmed_and_an_empty_one_is_none() {
    let mut host = Recorder::new();
    assert_eq!(passkey::stored(&mut host, "3").unwrap(), None, "no field");
    host.passkey_field("text");
    assert_eq!(passkey::stored(&mut host, "3").unwrap(), None, "no value");
    host.insert(
        "tblcustomfieldsvalues",
        json!({"fieldid": 41, "relid": 3, "value": "  KEY-123  "}),
    );
    assert_eq!(
        passkey::stored(&mut host, "3").unwrap().as_deref(),
        Some("KEY-123")
    );
    assert_eq!(
        passkey::stored(&mut host, "4").unwrap(),
        None,
        "another client's"
    );
}

#[test]
fn a_database_failure_is_an_error_not_an_empty_key() {
    let mut host = Recorder::new();
    host.db_error = Some("SQLSTATE[HY000] gone away".into());
    assert_eq!(
        passkey::stored(&mut host, "3").unwrap_err(),
        passkey::PassKeyError::Whmcs("SQLSTATE[HY000] gone away".into())
    );
    assert!(passkey::store(&mut host, passkey::Home::Client("3"), "KEY").is_err());
    assert!(host.calls_of("UpdateClient").is_empty());
}

#[test]
fn a_product_field_that_cannot_hold_a_key_is_refused_and_left_as_it_is() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let field = json!({"id": 50, "type": "product", "relid": 2, "fieldname": "Pass&#x20;Key",
        "fieldtype": "dropdown", "fieldoptions": "Yes,No"});
    host.insert("tblcustomfields", field.clone());
    let answer = create(&sim, &mut host, json!({}));
    let text = answer.as_str().unwrap();
    assert!(text.contains("its pass key was not stored"), "{text}");
    assert!(
        text.contains("the custom field \"Pass Key\" of product #2 is a dropdown field"),
        "{text}"
    );
    assert!(text.contains("Custom Fields tab of product #2"), "{text}");
    assert!(!text.contains(&sim.passkey("Acme Widgets")));
    assert!(host.calls_of("UpdateClient").is_empty(), "nothing written");
    assert!(host
        .calls_of("UpdateClientProduct")
        .iter()
        .all(|c| c.get("customfields").is_none()));
    let rows = host.rows("tblcustomfields");
    let product: Vec<_> = rows.iter().filter(|r| r["type"] == "product").collect();
    assert_eq!(product.len(), 1, "no second product field");
    assert_eq!(Value::Object(product[0].clone()), field, "not overwritten");
}

/// A host on which another create (another PHP process) makes the product's `Pass Key` field
/// at a chosen moment of this one's: `before` our insert (it wins the lowest id) or right
/// after it (ours keeps the lowest). No timing: the interleaving is played out exactly.
struct Race {
    inner: Recorder,
    rival_before: bool,
    done: bool,
}

impl Race {
    fn rival(&mut self) {
        if !self.done {
            self.done = true;
            self.inner.insert(
                "tblcustomfields",
                json!({"type": "product", "relid": 2, "fieldname": "Pass Key", "fieldtype": "password", "adminonly": "on"}),
            );
        }
    }
}

use sgwhmcs_core::whmcs::host::{Host, WhmcsError};

impl Host for Race {
    fn log_module_call(
        &mut self,
        action: &str,
        record: &sgwhmcs_core::server::client::LogRecord,
        secrets: &[String],
    ) {
        self.inner.log_module_call(action, record, secrets)
    }
    fn log_activity(&mut self, message: &str, client_id: &str) {
        self.inner.log_activity(message, client_id)
    }
    fn local_api(&mut self, command: &str, values: Value) -> Value {
        self.inner.local_api(command, values)
    }
    fn db_value(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        column: &str,
    ) -> Result<Option<Value>, WhmcsError> {
        self.inner.db_value(table, conditions, column)
    }
    fn db_insert(&mut self, table: &str, row: Value) -> Result<i64, WhmcsError> {
        let product_field = table == "tblcustomfields" && row["type"] == "product";
        if product_field && self.rival_before {
            self.rival();
        }
        let id = self.inner.db_insert(table, row);
        if product_field && !self.rival_before {
            self.rival();
        }
        id
    }
    fn root_dir(&mut self) -> Option<String> {
        self.inner.root_dir()
    }
    fn decrypt(&mut self, value: &str) -> Result<String, WhmcsError> {
        self.inner.decrypt(value)
    }
    fn module_name(&self) -> String {
        self.inner.module_name()
    }
    fn db_rows(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        within: Option<(&str, &[Value])>,
    ) -> Result<Vec<serde_json::Map<String, Value>>, WhmcsError> {
        self.inner.db_rows(table, conditions, within)
    }
    fn db_delete(&mut self, table: &str, id: i64) -> Result<(), WhmcsError> {
        self.inner.db_delete(table, id)
    }
}

#[test]
fn two_creates_making_the_product_field_at_once_leave_one_field_and_use_it() {
    for rival_before in [true, false] {
        let sim = Sim::http();
        let mut host = Race {
            inner: Recorder::with_service(),
            rival_before,
            done: false,
        };
        let params = sim.params(json!({"configoption23": "on"}));
        let answer = module::call(Function::CreateAccount, &params, &mut host, &net());
        assert_eq!(answer, json!("success"), "rival before: {rival_before}");
        let ids: Vec<i64> = host
            .inner
            .rows("tblcustomfields")
            .into_iter()
            .filter(|r| r["type"] == "product")
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        let key = sim.passkey("Acme Widgets");
        let own = passkey::stored_in(&mut host.inner, passkey::Owner::Product(2), "7").unwrap();
        assert_eq!(
            own,
            Some(key),
            "the key is in the first field (rival before: {rival_before})"
        );
        if rival_before {
            // The rival's field came first: ours was removed again, the key went into theirs.
            assert_eq!(ids.len(), 1, "{ids:?}");
        } else {
            // Ours came first and stays; the rival (its own run of this code) removes its own.
            assert_eq!(ids.len(), 2, "{ids:?}");
            assert_eq!(
                host.inner
                    .queries
                    .iter()
                    .filter(|q| q.starts_with("delete"))
                    .count(),
                0
            );
        }
    }
}
