//! The admin screens without PHP: the service tab's formatting and escaping, the buttons, the
//! reseller Loader and SimpleMode marks in `ConfigOptions`, and the web console link; then the
//! tab, a button and the Loader through `module::call` against a real sgsim with a recording host.

mod common;

use common::{net, Recorder, Sim};
use serde_json::{json, Value};
use sgwhmcs_core::functions::admin_tab;
use sgwhmcs_core::functions::list::{Function, Shape};
use sgwhmcs_core::functions::{buttons, loader, module};
use sgwhmcs_core::server::api::Account;
use sgwhmcs_core::text::format::percent;
use sgwhmcs_core::whmcs::params::Params;

fn view(json: Value) -> Account {
    serde_json::from_value(json).unwrap()
}

fn row<'a>(rows: &'a [(&str, String)], label: &str) -> &'a str {
    rows.iter()
        .find(|(l, _)| *l == label)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no row {label}"))
}

#[test]
fn sizes_are_binary_units_and_percentages_are_the_shared_ones() {
    assert_eq!(admin_tab::size(0), "0 B");
    assert_eq!(admin_tab::size(1023), "1023 B");
    assert_eq!(admin_tab::size(1024), "1 KiB");
    assert_eq!(admin_tab::size(1536), "1.5 KiB");
    assert_eq!(admin_tab::size(10 << 30), "10 GiB");
    assert_eq!(admin_tab::size(u64::MAX), "16 EiB");
    assert_eq!(percent(1, 3), Some(33));
    assert_eq!(percent(2, 3), Some(67), "rounded as the client area rounds");
    assert_eq!(percent(5, 0), None);
    assert_eq!(percent(u64::MAX, 1), Some(u128::from(u64::MAX) * 100));
}

#[test]
fn a_customers_rows_say_state_usage_machines_reseller_time_and_reference() {
    let rows = admin_tab::rows(&view(json!({
        "name": "acme", "kind": "customer", "reference": "whmcs:abc:service:7",
        "reseller": "Default Reseller", "active": true, "effective_active": true,
        "storage": {"allotted_bytes": 4u64 << 30, "used_bytes": 1u64 << 30},
        "mcal": {"auto": false, "allotted": 10, "used": 2}, "clients": 3,
        "created_at": "2026-11-29T15:02:03Z",
    })));
    let labels: Vec<&str> = rows.iter().map(|(l, _)| *l).collect();
    assert_eq!(
        labels,
        [
            "Account",
            "State",
            "Storage",
            "MCAL",
            "Machines",
            "Reseller",
            "Created",
            "External reference"
        ]
    );
    assert_eq!(row(&rows, "State"), "Active");
    assert_eq!(row(&rows, "Storage"), "1 GiB used of 4 GiB (25%)");
    assert_eq!(row(&rows, "MCAL"), "2 used of 10");
    assert_eq!(row(&rows, "Machines"), "3");
    assert_eq!(row(&rows, "Reseller"), "\"Default Reseller\"");
    assert_eq!(row(&rows, "Created"), "2026-11-29T15:02:03Z");
    assert_eq!(row(&rows, "External reference"), "whmcs:abc:service:7");
}

#[test]
fn inactive_under_its_reseller_is_said_and_auto_mcal_is_the_pool() {
    let rows = admin_tab::rows(&view(json!({
        "name": "acme", "kind": "customer", "active": true, "effective_active": false,
        "mcal": {"auto": true, "used": 5},
    })));
    assert!(row(&rows, "State").contains("effectively INACTIVE"));
    assert_eq!(
        row(&rows, "MCAL"),
        "5 used, drawn from the shared pool (auto)"
    );
    assert!(row(&rows, "External reference").contains("Link Existing Account"));
    assert_eq!(row(&rows, "Storage"), "unknown used; allotment unknown");
    let suspended = admin_tab::rows(&view(json!({"name": "a", "active": false})));
    assert!(row(&suspended, "State").starts_with("Inactive"));
}

#[test]
fn a_reseller_shows_customers_not_machines() {
    let rows = admin_tab::rows(&view(
        json!({"name": "R", "kind": "reseller", "customers": 12}),
    ));
    assert_eq!(row(&rows, "Customers"), "12");
    assert!(rows
        .iter()
        .all(|(l, _)| *l != "Machines" && *l != "Reseller"));
}

#[test]
fn every_value_is_escaped_and_long_text_is_cut() {
    let rows = admin_tab::rows(&view(json!({
        "name": "<b>x</b>", "kind": "customer", "reseller": "Smith & \"Sons\" 'Ltd'",
        "reference": "r".repeat(100_000), "created_at": "a\u{1b}[31m",
    })));
    let fields = admin_tab::as_fields(&rows);
    assert_eq!(
        fields["Account"],
        "customer &quot;&lt;b&gt;x&lt;/b&gt;&quot;"
    );
    assert_eq!(
        fields["Reseller"],
        "&quot;Smith &amp; &quot;Sons&quot; &#039;Ltd&#039;&quot;"
    );
    assert!(
        fields["External reference"]
            .as_str()
            .unwrap()
            .chars()
            .count()
            <= 161
    );
    assert!(!fields["Created"].as_str().unwrap().contains('\u{1b}'));
    for (_, value) in fields.as_object().unwrap() {
        let v = value.as_str().unwrap();
        assert!(
            !v.contains('<') && !v.contains('"') && !v.contains('\''),
            "{v}"
        );
    }
}

#[test]
fn the_failure_shapes_of_the_new_functions() {
    assert_eq!(
        Shape::Fields.failure("a <b> & c"),
        json!({"Backup Server": "a &lt;b&gt; &amp; c"})
    );
    assert_eq!(Shape::Buttons.failure("x"), json!({}));
    assert_eq!(Shape::Html.failure("<x>"), json!("&lt;x&gt;"));
    assert_eq!(Shape::Loader.failure("why"), json!("why"));
    assert_eq!(Function::AdminCustomButtonArray.shape(), Shape::Buttons);
    assert_eq!(Function::LoadResellers.shape(), Shape::Loader);
}

#[test]
fn the_buttons_name_functions_that_answer_a_status() {
    let array = buttons::array();
    let map = array.as_object().unwrap();
    assert_eq!(map.len(), 4);
    for (label, suffix) in map {
        let f = Function::parse(suffix.as_str().unwrap()).unwrap_or_else(|| panic!("{label}"));
        assert_eq!(f.shape(), Shape::Status, "{label}");
    }
    assert_eq!(map["Delete on Backup Server"], "DeleteOnServer");
}

#[test]
fn config_options_mark_simple_mode_and_name_the_loader_of_the_module() {
    let options = loader::decorate(module::config_options(), "sgbackup");
    assert_eq!(options["Reseller Name"]["Loader"], "sgbackup_LoadResellers");
    let simple: Vec<&String> = options
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, f)| f["SimpleMode"] == json!(true))
        .map(|(label, _)| label)
        .collect();
    assert_eq!(
        simple,
        [
            "Action",
            "Reseller Name",
            "Storage Allotted",
            "Is Auto MCAL",
            "Allot MCAL",
            "Retrieve Customer Pass Key"
        ]
    );
    // Without the module's name there is no function to name: no Loader, never a wrong one.
    let unnamed = loader::decorate(module::config_options(), "");
    assert!(unnamed["Reseller Name"].get("Loader").is_none());
}

#[test]
fn loader_choices_keep_valid_names_once_after_the_empty_choice() {
    let map = loader::choices(vec![
        "Alpha".into(),
        "ALPHA".into(),
        "<b>".into(),
        String::new(),
        "Beta Co@x.y".into(),
    ]);
    // WHMCS preselects and saves the first entry: it must be the empty value.
    assert_eq!(
        map.keys().map(String::as_str).collect::<Vec<_>>(),
        ["", "Alpha", "Beta Co@x.y"]
    );
    assert_eq!(
        Value::Object(map),
        json!({"": loader::NO_RESELLER, "Alpha": "Alpha", "Beta Co@x.y": "Beta Co@x.y"})
    );
}

#[test]
fn the_console_link_has_no_credentials_and_escapes() {
    let link = module::call(
        Function::AdminLink,
        &Params::new(json!({
            "serverhostname": "backup.example.test", "serverusername": "admin",
            "serverpassword": "S3cret\"pw", "serversecure": true, "serverport": "6061",
        })),
        &mut Recorder::new(),
        &net(),
    );
    let link = link.as_str().unwrap();
    assert!(
        link.starts_with("<a href=\"https://backup.example.test:6061/\""),
        "{link}"
    );
    assert!(
        !link.contains("S3cret") && !link.contains("admin@"),
        "{link}"
    );
    assert!(admin_tab::console_link("x\"y").contains("x&quot;y"));
}

#[test]
fn the_tab_reads_the_account_once_from_sgsim() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let reference = sgwhmcs_core::whmcs::reference::for_service(&mut host, "7").unwrap();
    sim.make("customers", "Acme Tab", Some(&reference));
    let before = sim.total();
    let tab = module::call(
        Function::AdminServicesTabFields,
        &sim.params(json!({"username": "Acme Tab"})),
        &mut host,
        &net(),
    );
    assert_eq!(sim.total() - before, 1);
    assert_eq!(tab["Account"], "customer &quot;Acme Tab&quot;");
    assert_eq!(tab["External reference"], json!(reference));
    assert_eq!(host.module_log.len(), 1, "the read is in the Module Log");
}

#[test]
fn a_pass_key_reset_stores_the_new_key_and_logs_it_nowhere() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let reference = sgwhmcs_core::whmcs::reference::for_service(&mut host, "7").unwrap();
    sim.make("customers", "Acme Keys", Some(&reference));
    let old = sim.passkey("Acme Keys");
    let answer = module::call(
        Function::ResetPassKey,
        &sim.params(json!({"username": "Acme Keys"})),
        &mut host,
        &net(),
    );
    assert_eq!(answer, json!("success"));
    let new = sim.passkey("Acme Keys");
    assert_ne!(old, new);
    assert_eq!(host.stored_passkey("3").as_deref(), Some(new.as_str()));
    for entry in &host.module_log {
        assert!(!entry.text().contains(&new), "{}", entry.text());
    }
    assert!(host.activity.iter().all(|(line, _)| !line.contains(&new)));
}

#[test]
fn the_loader_lists_the_resellers_of_sgsim() {
    let sim = Sim::http();
    sim.make("resellers", "Loader Resellers", None);
    let loaded = module::call(
        Function::LoadResellers,
        &sim.params(json!({})),
        &mut Recorder::new(),
        &net(),
    );
    assert_eq!(loaded["Loader Resellers"], "Loader Resellers");
    assert_eq!(loaded["Default Reseller"], "Default Reseller");
    let broken = module::call(
        Function::LoadResellers,
        &Params::new(json!({})),
        &mut Recorder::new(),
        &net(),
    );
    assert!(broken
        .as_str()
        .unwrap()
        .starts_with("Could not list the resellers: Module settings are invalid"));
}

#[test]
fn docs_settings_name_exactly_the_simple_mode_fields() {
    let doc = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/settings.md"),
    )
    .unwrap();
    let line = doc
        .lines()
        .skip_while(|l| !l.starts_with("- Simple Mode: "))
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let documented: Vec<&str> = line.split("**").skip(1).step_by(2).collect();
    let declared: Vec<&str> = loader::SIMPLE_MODE
        .iter()
        .map(|n| sgwhmcs_core::settings::options::OPTIONS[n - 1].label)
        .collect();
    assert_eq!(documented, declared);
}
