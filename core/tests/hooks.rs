//! The signup hooks (`hooks::signup`) against a real sgsim: `ClientAdd` and `AcceptOrder` make
//! one account per client and kind, tied to the client by its reference; the hooks file's
//! configuration is checked before anything is sent; a failure never escapes, it becomes an
//! Activity Log line and a `whmcs_error.log` line that holds ids and the reason, no personal data.

mod common;

use common::{net, Recorder, Sim, ADMIN_PASSWORD};
use serde_json::{json, Value};
use sgwhmcs_core::hooks::signup::signup;
use sgwhmcs_core::server::api::Kind;
use sgwhmcs_core::whmcs::params::Params;
use sgwhmcs_core::whmcs::reference::INSTALL_SETTING;

const CLIENT_PASSWORD: &str = "Client-Pa55word!";

/// `ClientAdd`'s `$vars` for client 3, with `extra` set over them.
fn client_add(extra: Value) -> Params {
    let mut vars = common::client_details();
    common::merge(
        &mut vars,
        json!({"client_id": 3, "password": CLIENT_PASSWORD}),
    );
    common::merge(&mut vars, extra);
    Params::new(vars)
}

/// Runs the customer hook with `vars` and the policy `policy`.
fn run(sim: &Sim, host: &mut Recorder, vars: &Params, policy: Value) -> Result<String, String> {
    signup(
        Kind::Customer,
        vars,
        &sim.hooks_config(policy),
        host,
        &net(),
    )
}

/// The policy of the shipped `whmcsHooks.php` (1 GiB, no pass key), with `extra` set over it.
fn policy(extra: Value) -> Value {
    let mut p = json!({
        "Reseller Name": "", "Activation Status": "on", "Auto Authorization Status": "",
        "Storage Allotted": "1073741824", "Storage Location": "", "Enable Consolidated Report": "",
        "Consolidated Report Email": "", "Is Auto MCAL": "on", "Allot MCAL": "",
        "Bandwidth Throttling": "Global Configuration", "Enable Throttle for new configuration": "",
        "Throttle Settings": "Always Throttle", "Throttle From": "", "Throttle Till": "",
        "Restricted Rate": "", "Send Mail": "", "Retrieve Customer Pass Key": "",
    });
    common::merge(&mut p, extra);
    p
}

fn storage() -> Value {
    policy(json!({}))
}

/// The reference of client 3's accounts in `host`'s install.
fn ours(host: &Recorder) -> String {
    let row = host
        .row("tblconfiguration", "setting", INSTALL_SETTING)
        .unwrap();
    format!("whmcs:{}:client:3", row["value"].as_str().unwrap())
}

/// What a hook over plain http did, without the warning it adds (which is checked to be there).
fn over_http(done: &str) -> &str {
    let (head, tail) = done
        .split_once("; sgwhmcs ")
        .unwrap_or_else(|| panic!("no plain-http warning in {done}"));
    assert!(
        tail.contains(sgwhmcs_core::server::client::PLAIN_HTTP_WARNING),
        "{done}"
    );
    head
}

#[test]
fn client_add_makes_a_customer_tied_to_the_client() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let done = run(&sim, &mut host, &client_add(json!({})), storage()).unwrap();
    assert_eq!(
        over_http(&done),
        "customer \"Acme Widgets\" is on the Backup Server"
    );
    let mine = sim.with_reference("customers", &ours(&host));
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["name"], "Acme Widgets");
    assert_eq!(mine[0]["contact"]["email"], "jane@acme.test");
    assert!(sim.login("customer", "Acme Widgets", CLIENT_PASSWORD));
    assert_eq!(
        host.activity,
        [(format!("sgwhmcs ClientAdd: {done}"), "3".to_string())]
    );
    assert_eq!(host.error_log(), "", "nothing failed");
}

#[test]
fn client_add_run_again_adopts_the_clients_account() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let vars = client_add(json!({}));
    run(&sim, &mut host, &vars, storage()).unwrap();
    run(&sim, &mut host, &vars, storage()).unwrap();
    assert_eq!(sim.count("POST /customers"), 1);
    assert_eq!(sim.with_reference("customers", &ours(&host)).len(), 1);
}

#[test]
fn html_encoded_input_is_decoded_once() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let vars = client_add(json!({"companyname": "Smith &amp; Sons &amp;lt;UK&amp;gt;"}));
    let done = run(&sim, &mut host, &vars, storage()).unwrap();
    assert_eq!(
        over_http(&done),
        "customer \"Smith Sons ltUKgt\" is on the Backup Server"
    );
    let account = sim.account("customers", "Smith Sons ltUKgt").unwrap();
    assert_eq!(account["contact"]["company"], "Smith & Sons &lt;UK&gt;");
}

#[test]
fn client_add_without_a_password_sets_a_generated_one_and_says_so() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let done = run(
        &sim,
        &mut host,
        &client_add(json!({"password": ""})),
        storage(),
    )
    .unwrap();
    assert!(
        over_http(&done).ends_with("WHMCS gave no password, so a strong random web console password was set (reset it in the web console to hand one to the client)"),
        "{done}"
    );
    assert!(!sim.login("customer", "Acme Widgets", ""));
}

#[test]
fn client_add_without_a_client_id_sends_nothing() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let vars = client_add(json!({"client_id": "", "userid": ""}));
    let e = run(&sim, &mut host, &vars, storage()).unwrap_err();
    assert_eq!(e, "ClientAdd gave no client_id; nothing was created");
    assert_eq!(sim.total(), 0);
    assert!(host
        .error_log()
        .ends_with(&format!("ClientAdd client : {e}\n")));
}

#[test]
fn accept_order_finds_the_orders_client_through_local_api() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    host.insert("tblorders", json!({"id": 5, "userid": 3}));
    let vars = Params::new(json!({"orderid": "5", "ordernumber": "123"}));
    let done = run(&sim, &mut host, &vars, storage()).unwrap();
    assert!(
        done.starts_with(
            "customer \"Acme Widgets\" is on the Backup Server; WHMCS gave no password"
        ),
        "an order carries no password: {done}"
    );
    let commands: Vec<&str> = host.api_calls.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(commands, ["GetOrders", "GetClientsDetails"]);
    assert_eq!(host.api_calls[0].1, json!({"id": "5"}));
    assert_eq!(sim.with_reference("customers", &ours(&host)).len(), 1);
    assert_eq!(host.activity[0].1, "3", "logged for the order's client");
}

#[test]
fn accept_order_decodes_what_whmcs_stored_html_encoded() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    host.tables.get_mut("tblclients").unwrap()[0]
        .insert("companyname".into(), json!("Smith &amp; Sons"));
    host.insert("tblorders", json!({"id": 5, "userid": 3}));
    run(
        &sim,
        &mut host,
        &Params::new(json!({"orderid": "5"})),
        storage(),
    )
    .unwrap();
    let account = sim.account("customers", "Smith Sons").unwrap();
    assert_eq!(account["contact"]["company"], "Smith & Sons");
}

#[test]
fn accept_order_for_an_unknown_order_sends_nothing_and_logs_the_failure() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let vars = Params::new(json!({"orderid": "5"}));
    let e = run(&sim, &mut host, &vars, storage()).unwrap_err();
    assert_eq!(e, "order 5 was not found, or has no client");
    assert_eq!(sim.total(), 0);
    let log = host.error_log();
    assert!(
        log.ends_with(&format!(" AcceptOrder client : {e}\n")),
        "{log}"
    );
    assert_eq!(
        host.activity[0].0,
        format!("sgwhmcs AcceptOrder failed: {e}")
    );
}

#[test]
fn accept_order_when_whmcs_refuses_the_client_lookup_says_so() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    host.insert("tblorders", json!({"id": 5, "userid": 3}));
    host.script(
        "GetClientsDetails",
        json!({"result": "error", "message": "Client Not Found"}),
    );
    let vars = Params::new(json!({"orderid": "5"}));
    let e = run(&sim, &mut host, &vars, storage()).unwrap_err();
    assert_eq!(e, "GetClientsDetails for client 3 failed: Client Not Found");
    assert_eq!(sim.total(), 0);
}

#[test]
fn a_hooks_file_without_a_connection_sends_nothing() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let config = Params::new(json!({"policy": storage()}));
    let e = signup(
        Kind::Customer,
        &client_add(json!({})),
        &config,
        &mut host,
        &net(),
    )
    .unwrap_err();
    assert!(
        e.starts_with("Hooks configuration is invalid: Connection: set $sgwhmcsServerId to the id of a WHMCS server"),
        "{e}"
    );
    assert!(
        e.contains("or $serverName, $userName and $loginPassword"),
        "{e}"
    );
    assert_eq!(sim.total(), 0);
    assert!(host.error_log().contains(&e));
}

#[test]
fn a_configuration_error_on_accept_order_names_the_orders_client() {
    let mut host = Recorder::new();
    host.insert("tblorders", json!({"id": 5, "userid": 3}));
    let config = Params::new(json!({"policy": storage()}));
    let vars = Params::new(json!({"orderid": "5"}));
    signup(Kind::Customer, &vars, &config, &mut host, &net()).unwrap_err();
    assert_eq!(host.activity[0].1, "3");
    assert!(host
        .error_log()
        .contains(" AcceptOrder client 3: Hooks configuration is invalid"));
}

#[test]
fn a_policy_label_that_is_not_a_setting_sends_nothing() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let policy = policy(json!({"Storage Alloted": "5"}));
    let e = run(&sim, &mut host, &client_add(json!({})), policy).unwrap_err();
    assert!(e.contains("Storage Alloted: is not a setting name"), "{e}");
    assert_eq!(sim.total(), 0);
}

#[test]
fn the_policy_is_read_by_the_module_settings_labels() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let policy =
        policy(json!({"Storage Allotted": "2048", "Activation Status": "", "Send Mail": true}));
    run(&sim, &mut host, &client_add(json!({})), policy).unwrap();
    let account = sim.account("customers", "Acme Widgets").unwrap();
    assert_eq!(account["storage"]["allotted_bytes"], 2048);
    assert_eq!(account["active"], false);
    let mails = sim.control("GET", "/mails", None);
    assert_eq!(mails["mails"][0]["to"], "jane@acme.test");
}

#[test]
fn the_reseller_hook_makes_a_reseller() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let config = sim.hooks_config(storage());
    let done = signup(
        Kind::Reseller,
        &client_add(json!({})),
        &config,
        &mut host,
        &net(),
    )
    .unwrap();
    assert_eq!(
        over_http(&done),
        "reseller \"Acme Widgets\" is on the Backup Server"
    );
    assert_eq!(sim.count("POST /resellers"), 1);
    assert_eq!(sim.count("POST /customers"), 0);
}

#[test]
fn the_hook_stores_the_pass_key_when_asked() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let policy = policy(json!({"Retrieve Customer Pass Key": true}));
    let done = run(&sim, &mut host, &client_add(json!({})), policy).unwrap();
    assert!(
        over_http(&done).ends_with("; pass key stored in the client's Pass Key field"),
        "{done}"
    );
    let key = sim.passkey("Acme Widgets");
    assert_eq!(host.stored_passkey("3"), Some(key.clone()));
    assert!(!host.everything_logged().contains(&key));
}

#[test]
fn the_error_log_keeps_ids_and_the_reason_but_no_personal_data() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    sim.make("customers", "Acme Widgets", None);
    sim.make("customers", "Acme Widgets-3", None);
    let e = run(&sim, &mut host, &client_add(json!({})), storage()).unwrap_err();
    assert!(e.contains("\"Acme Widgets-3\" is already taken"), "{e}");
    assert!(
        e.contains("create the account by hand"),
        "hooks' advice: {e}"
    );
    assert!(
        host.activity[0].0.contains("Acme Widgets-3"),
        "admins see it"
    );
    let log = host.error_log();
    assert!(log.contains(" ClientAdd client 3: Could not create customer: the name \"[client data]\" is already taken"), "{log}");
    for personal in ["Acme", "Jane", "jane@acme.test", "Springfield"] {
        assert!(!log.contains(personal), "{personal} in {log}");
    }
}

#[test]
fn a_refused_login_shows_no_password_anywhere() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let wrong = "Wrong-Admin-Pa55";
    let config = sim.hooks_config_with(storage(), json!({"loginPassword": wrong}));
    let e = signup(
        Kind::Customer,
        &client_add(json!({})),
        &config,
        &mut host,
        &net(),
    )
    .unwrap_err();
    assert!(e.contains("AUTH_FAILED"), "{e}");
    let logged = host.everything_logged();
    for secret in [wrong, ADMIN_PASSWORD, CLIENT_PASSWORD] {
        assert!(!logged.contains(secret), "{secret} in {logged}");
    }
    assert!(host.module_log.iter().all(|l| l.action == "ClientAdd"));
}

#[test]
fn a_custom_admin_folder_receives_the_error_log() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    std::fs::write(
        host.root().join("configuration.php"),
        "<?php\n$customadminpath = 'secret-admin';\n",
    )
    .unwrap();
    std::fs::create_dir(host.root().join("secret-admin")).unwrap();
    let vars = client_add(json!({"client_id": "", "userid": ""}));
    run(&sim, &mut host, &vars, storage()).unwrap_err();
    assert!(host
        .error_log_in("secret-admin")
        .contains("ClientAdd gave no client_id"));
    assert_eq!(host.error_log(), "");
}

#[test]
fn an_unwritable_error_log_is_named_in_the_activity_log() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    std::fs::remove_dir(host.root().join("admin")).unwrap();
    let vars = client_add(json!({"client_id": "", "userid": ""}));
    run(&sim, &mut host, &vars, storage()).unwrap_err();
    let line = &host.activity[0].0;
    assert!(
        line.contains("(and whmcs_error.log could not be written:"),
        "{line}"
    );
}

#[test]
fn the_hooks_trust_exactly_the_pinned_certificate() {
    let sim = Sim::https();
    let mut host = Recorder::new();
    run(&sim, &mut host, &client_add(json!({})), storage()).unwrap();
    assert_eq!(sim.count("POST /customers"), 1);
    let config = sim.hooks_config_with(storage(), json!({"certificateSha256": "ab".repeat(32)}));
    let vars = client_add(json!({"client_id": 4}));
    let e = signup(Kind::Customer, &vars, &config, &mut host, &net()).unwrap_err();
    assert!(e.starts_with("Could not create customer"), "{e}");
    assert_eq!(
        sim.count("POST /customers"),
        1,
        "nothing reached the server"
    );
}

/// A hook's messages name the variables at the top of the hooks file, made in its terms once
/// (no rewording of module-settings sentences): a refused login, and a host with a port.
#[test]
fn a_hooks_failure_names_the_hooks_file_variables() {
    let sim = Sim::http();
    let mut host = Recorder::new();
    let config = sim.hooks_config_with(storage(), json!({"loginPassword": "Wrong-Admin-Pa55"}));
    let e = signup(
        Kind::Customer,
        &client_add(json!({})),
        &config,
        &mut host,
        &net(),
    )
    .unwrap_err();
    assert!(
        e.contains(
            "(AUTH_FAILED); check $userName and $loginPassword at the top of whmcsHooks.php"
        ),
        "{e}"
    );
    let before = sim.total();
    let config = sim.hooks_config_with(storage(), json!({"serverName": "b.test:6061"}));
    let e = signup(
        Kind::Customer,
        &client_add(json!({})),
        &config,
        &mut host,
        &net(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        "Hooks configuration is invalid: $serverName: \"b.test:6061\" must be a host name or IP address only; put the port in $port"
    );
    assert_eq!(sim.total(), before, "nothing sent");
}
