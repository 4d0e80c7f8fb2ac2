//! The product's Module Settings as the product wizard shows them: the `Reseller Name` field gets
//! a WHMCS `Loader` that fills it with the server's resellers, and the fields a product needs are
//! marked `SimpleMode` (see `docs/settings.md`).
//!
//! A Loader is the one module function that must THROW on failure: WHMCS shows the exception's
//! message under the field. The core answers the message as a string; the generated module file
//! throws it (shape `loader`, `php/ModuleGenerator.php`).

use serde_json::{Map, Value};

use crate::functions::failure::Failure;
use crate::functions::list::Function;
use crate::functions::provision::{explain_stop, with_client};
use crate::server::api::Kind;
use crate::server::client::NetSettings;
use crate::settings::call_plan::Connection;
use crate::settings::options::{field, OPTIONS};
use crate::whmcs::host::Host;

/// The fields shown in Simple Mode (the product wizard): what the product sells. The connection
/// comes from the server assigned to the product, and every other field has a default that
/// works, so the advanced fields stay behind "Advanced Mode".
pub const SIMPLE_MODE: [usize; 6] = [
    field::ACTION,
    field::RESELLER,
    field::STORAGE,
    field::MCAL_AUTO,
    field::MCAL_ALLOTTED,
    field::RETRIEVE_PASSKEY,
];

/// The field the reseller Loader fills.
pub const LOADED_FIELD: usize = field::RESELLER;

/// The label of the Loader's first choice, the empty value: no reseller named, so customers are
/// made under the Default Reseller (`docs/settings.md`, Reseller Name). WHMCS's Loader drop-down
/// has no empty option of its own and preselects its first entry, which is saved when the admin
/// saves the wizard without choosing: that entry must be the empty value, or an untouched
/// product would move every new customer under the first reseller listed.
pub const NO_RESELLER: &str = "(none: Default Reseller)";

/// `ConfigOptions()`'s array with `SimpleMode` on [`SIMPLE_MODE`] and, when the module's name is
/// known, the `Loader` `<module>_LoadResellers` on `Reseller Name`.
pub fn decorate(mut options: Value, module: &str) -> Value {
    let Some(map) = options.as_object_mut() else {
        return options;
    };
    for position in SIMPLE_MODE {
        let label = OPTIONS[position - 1].label;
        if let Some(Value::Object(entry)) = map.get_mut(label) {
            entry.insert("SimpleMode".into(), Value::Bool(true));
        }
    }
    if !module.is_empty() {
        let label = OPTIONS[LOADED_FIELD - 1].label;
        if let Some(Value::Object(entry)) = map.get_mut(label) {
            entry.insert(
                "Loader".into(),
                Value::String(format!("{module}_{}", Function::LoadResellers.name())),
            );
        }
    }
    options
}

/// `LoadResellers`: `[name => name]` of every reseller on the planned connection (the product's
/// own, else the assigned server's, as for Create: [`Connection::of_product`]), or the message
/// the module file throws.
pub fn load_resellers(
    plan: Result<Connection, Failure>,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Value {
    match plan.and_then(|plan| resellers(&plan, host, net)) {
        Ok(names) => Value::Object(choices(names)),
        // Shown as HTML on the product's page: the server's words (a lying server's names may
        // hold markup) and the settings' own values (a host name, a field's text) alike.
        Err(e) => Value::String(crate::text::format::escape(&e.to_string())),
    }
}

/// The names of the resellers on the planned connection.
fn resellers(
    plan: &Connection,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Vec<String>, Failure> {
    with_client(
        host,
        Function::LoadResellers.name(),
        &plan.endpoint,
        net,
        &plan.secrets,
        |c| {
            let mut names = Vec::new();
            crate::server::listing::each_page(c, &[Kind::Reseller], |page| {
                names.extend(page.into_iter().map(|a| a.name));
                Ok(())
            })
            .map_err(explain_stop)?;
            Ok(names)
        },
    )
    .map_err(Failure::ResellersNotListed)
}

/// `[value => label]`: first `'' =>` [`NO_RESELLER`], then each of `names` once (the server's
/// names are unique case-insensitively), in the server's order. A name the account-name rule
/// refuses (only a server that lies sends one: markup, control characters) could not be saved
/// as the setting anyway, so it is left out rather than offered.
pub fn choices(names: Vec<String>) -> Map<String, Value> {
    let mut seen = std::collections::HashSet::new();
    let mut map = Map::new();
    map.insert(String::new(), Value::String(NO_RESELLER.into()));
    for name in names {
        if crate::settings::rules::account_name(&name).is_ok() && seen.insert(name.to_lowercase()) {
            map.insert(name.clone(), Value::String(name));
        }
    }
    map
}
