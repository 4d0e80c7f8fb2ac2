//! Identity by reference, never by name (issue 16): every function that reads, changes, deletes or
//! shows an account acts only on this service's (`whmcs:<install>:service:<id>`), against a real
//! sgsim whose state is read back through its own endpoints and request counters. The cases: a
//! name reused by another service after a delete, an account of another WHMCS install, a reseller
//! and a customer of one name, an account without a reference (refused until Link Existing
//! Account adopts it), an account the signup hooks made for a client, a huge reference, and two
//! presses at once.

mod common;

use common::{net, Recorder, Sim};
use serde_json::{json, Value};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;
use sgwhmcs_core::server::api::reference::{Ownership, Reference, ThisService};
use sgwhmcs_core::whmcs::params::Params;
use sgwhmcs_core::whmcs::reference::INSTALL_SETTING;

const INSTALL: &str = "core-install";
const NAME: &str = "Acme";
const THIRTEEN_PASSWORD: &str = "Thirteen-Pa55word!";

/// A WHMCS whose install id is [`INSTALL`].
fn whmcs() -> Recorder {
    let mut host = Recorder::with_service();
    host.insert(
        "tblconfiguration",
        json!({"setting": INSTALL_SETTING, "value": INSTALL}),
    );
    host
}

fn service_ref(id: u32) -> String {
    format!("whmcs:{INSTALL}:service:{id}")
}

/// Makes account `name` of `collection` directly on `sim`, with a reference (or none) and a web
/// console password.
fn make(sim: &Sim, collection: &str, name: &str, reference: Option<&str>, password: &str) {
    let mut body = json!({"name": name, "storage": {"allotted_bytes": 1_000_000},
                          "password": password});
    if let Some(r) = reference {
        body["reference"] = json!(r);
    }
    let (status, v) = sim.api("POST", &format!("/{collection}"), Some(&body));
    assert_eq!(status, 201, "{v}");
}

/// `$params` of service `service` (client 3) on `sim`, account `NAME`, with `extra` over them.
fn params(sim: &Sim, service: u32, extra: Value) -> Params {
    let mut all = json!({"serviceid": service.to_string(), "username": NAME, "status": "Active"});
    common::merge(&mut all, extra);
    sim.params(all)
}

/// Service 13's customer `NAME`: its reference, a password, two machines.
fn thirteens_account(sim: &Sim) {
    make(
        sim,
        "customers",
        NAME,
        Some(&service_ref(13)),
        THIRTEEN_PASSWORD,
    );
    sim.control(
        "POST",
        "/machines",
        Some(&json!({"customer": NAME, "machines": [
            {"name": "thirteen-web", "os": "Linux", "last_backup_result": "success",
             "last_backup_at": "2026-11-30T02:00:00Z", "last_success_at": "2026-11-30T02:00:00Z"},
            {"name": "thirteen-db", "os": "Linux"},
        ]})),
    );
}

/// Every request that changes something, counted by the server.
const CHANGES: [&str; 8] = [
    "POST /customers/{name}/deactivate",
    "POST /customers/{name}/activate",
    "PATCH /customers/{name}",
    "DELETE /customers/{name}",
    "POST /customers/{name}/passkey/reset",
    "POST /resellers/{name}/deactivate",
    "PATCH /resellers/{name}",
    "DELETE /resellers/{name}",
];

fn changes(sim: &Sim) -> u64 {
    CHANGES.iter().map(|route| sim.count(route)).sum()
}

/// Runs every account function of service `service` with `params`: (function, answer as text).
fn every_function(sim: &Sim, host: &mut Recorder, service: u32) -> Vec<(Function, String)> {
    let mut answers = Vec::new();
    for (function, extra) in [
        (Function::SuspendAccount, json!({})),
        (Function::UnsuspendAccount, json!({})),
        (Function::TerminateAccount, json!({})),
        (
            Function::ChangePackage,
            json!({"configoption10": "2147483648"}),
        ),
        (
            Function::ChangePassword,
            json!({"password": "Taken-Over-Pa55!"}),
        ),
        (Function::ResetPassKey, json!({})),
        (Function::StorePassKey, json!({})),
        (Function::LinkAccount, json!({})),
        (Function::DeleteOnServer, json!({"status": "Terminated"})),
    ] {
        let answer = module::call(function, &params(sim, service, extra), host, &net());
        answers.push((function, answer.as_str().unwrap_or_default().to_string()));
    }
    answers
}

/// Asserts that service 13's account is exactly as it was: same state, password, key, machines.
fn thirteen_unchanged(sim: &Sim, before: &Value, key: &str) {
    let now = sim
        .account("customers", NAME)
        .expect("service 13's account still exists");
    assert_eq!(&now, before, "service 13's account is unchanged");
    assert!(
        sim.login("customer", NAME, THIRTEEN_PASSWORD),
        "same password"
    );
    assert_eq!(sim.passkey(NAME), key, "same pass key");
    assert_eq!(now["clients"], json!(2), "its machines are still there");
    assert_eq!(now["reference"], json!(service_ref(13)));
}

#[test]
fn references_are_formatted_and_parsed_and_anything_else_is_foreign() {
    let r = Reference::parse("whmcs:abc-1:service:12").unwrap();
    assert_eq!(
        r,
        Reference::Service {
            install: "abc-1".into(),
            id: "12".into()
        }
    );
    assert_eq!(r.to_string(), "whmcs:abc-1:service:12");
    assert!(matches!(
        Reference::parse("whmcs:abc-1:client:3"),
        Some(Reference::Client { .. })
    ));
    for foreign in [
        "",
        "whmcs:abc:service:",
        "whmcs:abc:service:1x",
        "whmcs::service:1",
        "whmcs:abc:order:1",
        "whmcs:abc:service:1:2",
        "WHMCS:abc:service:1",
        "whmcs:a&amp;b:service:1",
        "other:thing",
    ] {
        assert_eq!(Reference::parse(foreign), None, "{foreign}");
    }
    assert_eq!(Reference::parse(&"x".repeat(1_000_000)), None);
}

#[test]
fn the_one_rule_says_whose_an_account_is() {
    let this = ThisService {
        install: INSTALL.into(),
        service: "12".into(),
        client: "3".into(),
    };
    assert_eq!(this.reference(), service_ref(12));
    assert_eq!(this.judge(Some(&service_ref(12))), Ownership::Ours);
    assert_eq!(
        this.judge(Some(&service_ref(13))),
        Ownership::OtherService("13".into())
    );
    assert_eq!(
        this.judge(Some("whmcs:elsewhere:service:12")),
        Ownership::OtherInstall("elsewhere".into())
    );
    assert_eq!(
        this.judge(Some(&format!("whmcs:{INSTALL}:client:3"))),
        Ownership::ClientAccount {
            client: "3".into(),
            same_client: true
        }
    );
    assert_eq!(
        this.judge(Some(&format!("whmcs:{INSTALL}:client:4"))),
        Ownership::ClientAccount {
            client: "4".into(),
            same_client: false
        }
    );
    assert_eq!(this.judge(None), Ownership::Unclaimed);
    assert_eq!(this.judge(Some("")), Ownership::Unclaimed);
    assert!(matches!(
        this.judge(Some("crm:acme")),
        Ownership::Foreign(_)
    ));
    // Each refusal says whose it is and what to do.
    let words = |o: Ownership| o.refusal();
    assert!(words(Ownership::OtherService("13".into())).contains("service #13 of this WHMCS"));
    assert!(words(Ownership::OtherInstall("elsewhere".into()))
        .contains("another WHMCS install (id \"elsewhere\")"));
    assert!(words(Ownership::Unclaimed).contains("press Link Existing Account to adopt it"));
    let huge = this.judge(Some(&"\u{202e}<b>".repeat(100_000)));
    let text = huge.refusal();
    assert!(text.len() < 1500, "a huge reference is cut: {}", text.len());
    assert!(
        !text.contains('\u{202e}'),
        "control characters made visible"
    );
}

#[test]
fn a_reused_name_is_refused_by_every_function_of_the_old_service() {
    let sim = Sim::http();
    let mut host = whmcs();
    thirteens_account(&sim);
    let before = sim.account("customers", NAME).unwrap();
    let key = sim.passkey(NAME);

    let answers = every_function(&sim, &mut host, 12);

    for (function, answer) in &answers {
        assert!(
            answer.contains("service #13 of this WHMCS") && answer.contains("nothing was changed"),
            "{}: {answer}",
            function.name()
        );
    }
    assert_eq!(changes(&sim), 0, "nothing but reads was sent");
    thirteen_unchanged(&sim, &before, &key);
    assert!(!sim.login("customer", NAME, "Taken-Over-Pa55!"));
    assert_eq!(
        host.stored_passkey("3"),
        None,
        "no key stored in the client's field"
    );

    // The screens: the tab shows only whose it is, the client area nothing of it.
    let tab = module::call(
        Function::AdminServicesTabFields,
        &params(&sim, 12, json!({})),
        &mut host,
        &net(),
    );
    let line = tab["Backup Server"].as_str().unwrap();
    assert!(line.contains("service #13 of this WHMCS"), "{tab}");
    assert!(tab.get("Machines").is_none() && tab.get("Storage").is_none());
    let key_reads = sim.count("GET /customers/{name}/passkey");
    // RevealPassKey sends nothing; the ClientArea of its request (the module file's mark,
    // `sgwhmcs_reveal_passkey`) is refused like the plain one.
    let revealed = module::call(
        Function::RevealPassKey,
        &params(&sim, 12, json!({})),
        &mut host,
        &net(),
    );
    assert!(!revealed.to_string().contains(&key));
    for extra in [json!({}), json!({"sgwhmcs_reveal_passkey": "1"})] {
        let page = module::call(
            Function::ClientArea,
            &params(&sim, 12, extra),
            &mut host,
            &net(),
        );
        let vars = &page["vars"]["sgwhmcs"];
        assert_eq!(vars["error"], json!(true), "{page}");
        let shown = page.to_string();
        assert!(
            !shown.contains("thirteen-web") && !shown.contains(&key),
            "{shown}"
        );
    }
    assert_eq!(sim.count("GET /customers/{name}/clients"), 0);
    assert_eq!(
        sim.count("GET /customers/{name}/passkey"),
        key_reads,
        "its key was not read"
    );
    thirteen_unchanged(&sim, &before, &key);

    // Service 13 itself still works on its own account.
    let answer = module::call(
        Function::SuspendAccount,
        &params(&sim, 13, json!({})),
        &mut host,
        &net(),
    );
    assert_eq!(answer, json!("success"));
    assert_eq!(
        sim.account("customers", NAME).unwrap()["active"],
        json!(false)
    );
}

#[test]
fn delete_after_a_name_was_reused_deletes_nothing_of_the_new_owner() {
    // Issue 16, item 1: service 12 (terminated) had "Acme"; it was deleted; service 13 got the
    // freed name; Delete pressed again on service 12.
    let sim = Sim::http();
    let mut host = whmcs();
    let twelve = |extra: Value| params(&sim, 12, extra);
    let created = module::call(
        Function::CreateAccount,
        &twelve(json!({})),
        &mut host,
        &net(),
    );
    assert_eq!(created, json!("success"));
    assert_eq!(
        sim.account("customers", NAME).unwrap()["reference"],
        json!(service_ref(12))
    );
    let terminated = module::call(
        Function::TerminateAccount,
        &twelve(json!({})),
        &mut host,
        &net(),
    );
    assert_eq!(terminated, json!("success"));
    let terminated = json!({"status": "Terminated"});
    let deleted = module::call(
        Function::DeleteOnServer,
        &twelve(terminated.clone()),
        &mut host,
        &net(),
    );
    assert_eq!(deleted, json!("success"));
    assert!(sim.account("customers", NAME).is_none());

    let created = module::call(
        Function::CreateAccount,
        &params(&sim, 13, json!({"password": THIRTEEN_PASSWORD})),
        &mut host,
        &net(),
    );
    assert_eq!(created, json!("success"));
    sim.control(
        "POST",
        "/machines",
        Some(&json!({"customer": NAME, "machines": [{"name": "thirteen-web"}, {"name": "thirteen-db"}]})),
    );
    let before = sim.account("customers", NAME).unwrap();
    let key = sim.passkey(NAME);
    let deletes = sim.count("DELETE /customers/{name}");

    let again = module::call(
        Function::DeleteOnServer,
        &twelve(terminated),
        &mut host,
        &net(),
    );

    let again = again.as_str().unwrap();
    assert!(
        again.starts_with("Could not delete the customer \"Acme\": it is not this service's account: it belongs to service #13 of this WHMCS"),
        "{again}"
    );
    assert_eq!(
        sim.count("DELETE /customers/{name}"),
        deletes,
        "no DELETE sent"
    );
    thirteen_unchanged(&sim, &before, &key);
}

#[test]
fn an_account_of_another_install_is_never_touched() {
    let sim = Sim::http();
    let mut host = whmcs();
    // The same service id, on another WHMCS.
    make(
        &sim,
        "customers",
        NAME,
        Some("whmcs:elsewhere:service:12"),
        THIRTEEN_PASSWORD,
    );
    let before = sim.account("customers", NAME).unwrap();
    let key = sim.passkey(NAME);

    for (function, answer) in every_function(&sim, &mut host, 12) {
        assert!(
            answer.contains("belongs to another WHMCS install (id \"elsewhere\")"),
            "{}: {answer}",
            function.name()
        );
    }
    assert_eq!(changes(&sim), 0);
    assert_eq!(sim.account("customers", NAME).unwrap(), before);
    assert!(sim.login("customer", NAME, THIRTEEN_PASSWORD));
    assert_eq!(sim.passkey(NAME), key);
}

#[test]
fn a_reseller_and_a_customer_of_one_name_are_two_accounts() {
    let sim = Sim::http();
    let mut host = whmcs();
    make(
        &sim,
        "customers",
        NAME,
        Some(&service_ref(7)),
        "Cust-Pa55word!",
    );
    make(
        &sim,
        "resellers",
        NAME,
        Some(&service_ref(8)),
        "Resl-Pa55word!",
    );
    let reseller_before = sim.account("resellers", NAME).unwrap();
    let reseller = json!({"configoption6": "Signup Reseller", "configoption10": "5368709120"});

    // Service 7's product switched from customer to reseller: the reseller of that name is
    // service 8's, so nothing is changed.
    let switched = module::call(
        Function::ChangePackage,
        &params(&sim, 7, reseller.clone()),
        &mut host,
        &net(),
    );
    let switched = switched.as_str().unwrap();
    assert!(
        switched.contains("a change of package cannot turn a customer into a reseller")
            && switched.contains("service #8 of this WHMCS"),
        "{switched}"
    );
    assert_eq!(sim.account("resellers", NAME).unwrap(), reseller_before);
    assert_eq!(changes(&sim), 0);

    // Each service's functions act on its own kind only.
    let suspended = module::call(
        Function::SuspendAccount,
        &params(&sim, 8, reseller.clone()),
        &mut host,
        &net(),
    );
    assert_eq!(suspended, json!("success"));
    assert_eq!(
        sim.account("resellers", NAME).unwrap()["active"],
        json!(false)
    );
    assert_eq!(
        sim.account("customers", NAME).unwrap()["active"],
        json!(true)
    );
    // Service 8 (reseller) asked with the customer product: the customer is service 7's.
    let crossed = module::call(
        Function::ChangePassword,
        &params(&sim, 8, json!({"password": "Crossed-Pa55!"})),
        &mut host,
        &net(),
    );
    assert!(
        crossed
            .as_str()
            .unwrap()
            .contains("service #7 of this WHMCS"),
        "{crossed}"
    );
    assert!(sim.login("customer", NAME, "Cust-Pa55word!"));
}

#[test]
fn an_account_without_a_reference_is_refused_until_link_adopts_it() {
    let sim = Sim::http();
    let mut host = whmcs();
    make(&sim, "customers", NAME, None, "Bare-Pa55word!");

    let refused = module::call(
        Function::SuspendAccount,
        &params(&sim, 12, json!({})),
        &mut host,
        &net(),
    );
    let refused = refused.as_str().unwrap();
    assert!(
        refused.contains("carries no external reference")
            && refused.contains("press Link Existing Account to adopt it"),
        "{refused}"
    );
    assert_eq!(changes(&sim), 0);

    let linked = module::call(
        Function::LinkAccount,
        &params(&sim, 12, json!({})),
        &mut host,
        &net(),
    );
    assert_eq!(linked, json!("success"));
    assert_eq!(
        sim.account("customers", NAME).unwrap()["reference"],
        json!(service_ref(12))
    );
    let suspended = module::call(
        Function::SuspendAccount,
        &params(&sim, 12, json!({})),
        &mut host,
        &net(),
    );
    assert_eq!(suspended, json!("success"));
    assert_eq!(
        sim.account("customers", NAME).unwrap()["active"],
        json!(false)
    );
    // Now service 13 of the same name is refused.
    let other = module::call(
        Function::UnsuspendAccount,
        &params(&sim, 13, json!({})),
        &mut host,
        &net(),
    );
    assert!(other
        .as_str()
        .unwrap()
        .contains("service #12 of this WHMCS"));
}

#[test]
fn a_hook_made_account_is_adopted_only_by_its_own_clients_service() {
    let sim = Sim::http();
    let mut host = whmcs();
    let client_ref = format!("whmcs:{INSTALL}:client:3");
    make(&sim, "customers", NAME, Some(&client_ref), "Hook-Pa55word!");

    let refused = module::call(
        Function::ChangePassword,
        &params(&sim, 12, json!({"password": "Other-Pa55!"})),
        &mut host,
        &net(),
    );
    assert!(
        refused
            .as_str()
            .unwrap()
            .contains("the signup hooks made it for this service's client #3"),
        "{refused}"
    );
    assert!(sim.login("customer", NAME, "Hook-Pa55word!"));

    // A service of another client cannot take it.
    let stranger = module::call(
        Function::LinkAccount,
        &params(&sim, 14, json!({"userid": "4"})),
        &mut host,
        &net(),
    );
    assert!(
        stranger
            .as_str()
            .unwrap()
            .contains("made it for client #3, not for this service's client"),
        "{stranger}"
    );
    assert_eq!(
        sim.account("customers", NAME).unwrap()["reference"],
        json!(client_ref)
    );

    // Its own client's service adopts it explicitly, then acts on it.
    let linked = module::call(
        Function::LinkAccount,
        &params(&sim, 12, json!({})),
        &mut host,
        &net(),
    );
    assert_eq!(linked, json!("success"));
    let changed = module::call(
        Function::ChangePassword,
        &params(&sim, 12, json!({"password": "Mine-Now-Pa55!"})),
        &mut host,
        &net(),
    );
    assert_eq!(changed, json!("success"));
    assert!(sim.login("customer", NAME, "Mine-Now-Pa55!"));
}

#[test]
fn a_huge_or_foreign_reference_on_the_server_is_refused_in_few_words() {
    let sim = Sim::http();
    let mut host = whmcs();
    make(
        &sim,
        "customers",
        NAME,
        Some(&service_ref(12)),
        "Mine-Pa55word!",
    );
    sim.fault(
        json!({"kind": "rewrite", "route": "GET /customers/{name}", "count": 3,
                     "set": {"reference": format!("{}<script>", "&amp;".repeat(200_000))}}),
    );

    for function in [
        Function::SuspendAccount,
        Function::ChangePassword,
        Function::ResetPassKey,
    ] {
        let answer = module::call(
            function,
            &params(&sim, 12, json!({"password": "Lying-Pa55!"})),
            &mut host,
            &net(),
        );
        let answer = answer.as_str().unwrap();
        assert!(
            answer.contains("which is not this module's") && answer.len() < 2000,
            "{}: {} chars",
            function.name(),
            answer.len()
        );
    }
    assert_eq!(changes(&sim), 0);
    assert!(sim.login("customer", NAME, "Mine-Pa55word!"));
}

#[test]
fn the_contact_sync_skips_and_reports_an_account_that_is_not_its_services() {
    let sim = Sim::http();
    let mut host = whmcs();
    let mut product = Value::Object(sim.product(json!({})));
    product["id"] = json!(2);
    product["servertype"] = json!(common::MODULE);
    host.tables.get_mut("tblproducts").unwrap().clear();
    host.insert("tblproducts", product);
    thirteens_account(&sim);
    host.script(
        "GetClientsProducts",
        json!({"result": "success", "products": {"product": [
            {"id": 12, "clientid": 3, "pid": 2, "serverid": 0, "username": NAME, "status": "Active"}]}}),
    );
    let vars = Params::new(json!({
        "userid": 3, "firstname": "Mallory", "lastname": "Doe", "companyname": "Takeover Ltd",
        "email": "mallory@evil.test", "olddata": {"companyname": "Old"},
    }));

    let line =
        sgwhmcs_core::hooks::contact_sync::client_edit(common::MODULE, &vars, &mut host, &net());

    assert!(
        line.contains("service #12 skipped: the customer \"Acme\": it is not this service's account: it belongs to service #13"),
        "{line}"
    );
    assert_eq!(changes(&sim), 0);
    assert_ne!(
        sim.account("customers", NAME).unwrap()["contact"]["email"],
        json!("mallory@evil.test")
    );
}

#[test]
fn a_missing_or_invalid_service_id_sends_nothing() {
    let sim = Sim::http();
    let mut host = whmcs();
    thirteens_account(&sim);
    let before = sim.total();
    for id in ["", "0", "12a", "1 2", "&#49;"] {
        for function in [
            Function::SuspendAccount,
            Function::ChangePackage,
            Function::ChangePassword,
            Function::DeleteOnServer,
        ] {
            let answer = module::call(
                function,
                &sim.params(
                    json!({"serviceid": id, "username": NAME, "status": "Terminated",
                                   "password": "New-Pa55word!"}),
                ),
                &mut host,
                &net(),
            );
            let answer = answer.as_str().unwrap();
            assert!(
                answer.contains("serviceid") && answer.contains("nothing was sent"),
                "{id:?} {}: {answer}",
                function.name()
            );
        }
    }
    assert_eq!(sim.total(), before, "nothing was sent");
}

#[test]
fn two_presses_of_delete_at_once_delete_this_services_account_once_and_nothing_else() {
    let sim = Sim::http();
    make(
        &sim,
        "customers",
        NAME,
        Some(&service_ref(12)),
        "Mine-Pa55word!",
    );
    make(
        &sim,
        "customers",
        "Acme Two",
        Some(&service_ref(13)),
        THIRTEEN_PASSWORD,
    );
    let terminated = json!({"status": "Terminated"});
    let answers: Vec<Value> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let sim = &sim;
                let extra = terminated.clone();
                scope.spawn(move || {
                    let mut host = whmcs();
                    let function = if i % 2 == 0 {
                        Function::DeleteOnServer
                    } else {
                        Function::SuspendAccount
                    };
                    module::call(function, &params(sim, 12, extra), &mut host, &net())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Each Delete succeeds (deleted, or already deleted); each Suspend succeeds or finds the
    // account gone — never anything about another account.
    for (i, answer) in answers.iter().enumerate() {
        let text = answer.as_str().unwrap();
        if i % 2 == 0 {
            assert_eq!(text, "success");
        } else {
            assert!(
                text == "success" || text.ends_with("it does not exist on the Backup Server"),
                "{text}"
            );
        }
    }
    assert!(sim.account("customers", NAME).is_none());
    assert!(sim.count("DELETE /customers/{name}") <= 2);
    let two = sim.account("customers", "Acme Two").unwrap();
    assert_eq!(two["active"], json!(true));
    assert!(sim.login("customer", "Acme Two", THIRTEEN_PASSWORD));
}

#[test]
fn delete_after_an_unclear_answer_judges_the_account_again_before_sending() {
    let sim = Sim::http();
    let mut host = whmcs();
    make(
        &sim,
        "customers",
        NAME,
        Some(&service_ref(12)),
        "Mine-Pa55word!",
    );
    let terminated = json!({"status": "Terminated"});
    sim.fault(
        json!({"kind": "status", "status": 503, "route": "DELETE /customers/{name}",
                     "body": "upstream busy"}),
    );

    let first = module::call(
        Function::DeleteOnServer,
        &params(&sim, 12, terminated.clone()),
        &mut host,
        &net(),
    );
    let first = first.as_str().unwrap();
    assert!(
        first.contains("read back, it still exists: press the button again"),
        "{first}"
    );
    // Meanwhile the account became another service's (its name reused, say).
    let (status, v) = sim.api(
        "PATCH",
        "/customers/Acme",
        Some(&json!({"reference": service_ref(13), "password": THIRTEEN_PASSWORD})),
    );
    assert_eq!(status, 200, "{v}");
    let deletes = sim.count("DELETE /customers/{name}");

    let again = module::call(
        Function::DeleteOnServer,
        &params(&sim, 12, terminated),
        &mut host,
        &net(),
    );

    assert!(
        again
            .as_str()
            .unwrap()
            .contains("service #13 of this WHMCS"),
        "{again}"
    );
    assert_eq!(sim.count("DELETE /customers/{name}"), deletes, "no DELETE");
    assert!(sim.login("customer", NAME, THIRTEEN_PASSWORD));
}
