//! The settings table of `docs/settings.md` is generated from `OPTIONS` (through the
//! `ConfigOptions()` answer WHMCS receives), so the document cannot drift from the code.
//!
//! When a setting's label, type, default or help text changes, regenerate the table with
//! `SGWHMCS_WRITE_DOCS=1 cargo test -p sgwhmcs-core --test settings_doc` and commit the file.

use std::path::PathBuf;

use serde_json::Value;
use sgwhmcs_core::functions::module::config_options;

const BEGIN: &str = "<!-- BEGIN settings table: generated from core/src/settings/options.rs by core/tests/settings_doc.rs; do not edit -->";
const END: &str = "<!-- END settings table -->";

fn doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/settings.md")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The Markdown table of the 24 settings, in WHMCS's stored order.
fn table() -> String {
    let Value::Object(options) = config_options() else {
        panic!("ConfigOptions() is not an object");
    };
    let mut out = String::from(
        "| # | Label | Type | Default | Help text shown to the admin |\n|---|---|---|---|---|\n",
    );
    for (n, entry) in options.values().enumerate() {
        let text = |key: &str| entry[key].as_str().unwrap_or("").to_string();
        let kind = match text("Options") {
            choices if choices.is_empty() => format!("`{}`", text("Type")),
            choices => {
                let listed: Vec<String> = choices.split(',').map(|c| format!("`{c}`")).collect();
                format!("`{}`: {}", text("Type"), listed.join(", "))
            }
        };
        let default = match (text("Type").as_str(), text("Default").as_str()) {
            ("yesno", "on") => "ticked".to_string(),
            ("yesno", _) => "not ticked".to_string(),
            (_, "") => "(empty)".to_string(),
            (_, d) => format!("`{d}`"),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            n + 1,
            cell(&text("FriendlyName")),
            kind,
            default,
            cell(&text("Description")),
        ));
    }
    out
}

#[test]
fn the_committed_settings_table_matches_options() {
    let path = doc_path();
    let doc = std::fs::read_to_string(&path).expect("docs/settings.md is readable");
    let (head, rest) = doc
        .split_once(BEGIN)
        .expect("docs/settings.md has the BEGIN marker");
    let (_, tail) = rest
        .split_once(END)
        .expect("docs/settings.md has the END marker");
    let fresh = format!("{head}{BEGIN}\n{}{END}{tail}", table());
    if std::env::var_os("SGWHMCS_WRITE_DOCS").is_some() {
        std::fs::write(&path, &fresh).expect("docs/settings.md is writable");
        return;
    }
    assert!(
        doc == fresh,
        "docs/settings.md's table differs from OPTIONS: run \
         SGWHMCS_WRITE_DOCS=1 cargo test -p sgwhmcs-core --test settings_doc and commit it"
    );
}

#[test]
fn the_table_has_one_row_per_setting_in_stored_order() {
    let rows: Vec<String> = table().lines().skip(2).map(str::to_string).collect();
    assert_eq!(rows.len(), sgwhmcs_core::settings::options::OPTIONS.len());
    assert!(rows[0].starts_with("| 1 | Protocol | `dropdown`: `https`, `http` | `https` |"));
    assert!(rows[23].starts_with("| 24 | Server Certificate SHA-256 | `text` | (empty) |"));
}
