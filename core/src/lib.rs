//! sgwhmcs-core: everything the WHMCS module does, in plain Rust types.
//!
//! The PHP extension converts WHMCS's `$params` into [`params::Params`] once, calls
//! [`module::call`] with a [`host::Host`] that reaches WHMCS, and converts the answer back.
//! Nothing here knows a Zend type.

pub mod admin_tab;
pub mod api;
pub mod api_identity;
pub mod base64;
pub mod buttons;
pub mod call_plan;
pub mod change;
pub mod client;
pub mod client_area;
pub mod contact_sync;
pub mod email;
pub mod error_log;
pub mod failure;
pub mod format;
pub mod functions;
pub mod hooks;
pub mod host;
pub mod limits;
pub mod listing;
pub mod loader;
pub mod metrics;
pub mod module;
pub mod naming;
pub mod options;
pub mod ownership;
pub mod params;
pub mod passkey;
pub mod password;
pub mod plan;
pub mod provision;
pub mod reference;
pub mod rules;
pub mod secrets;
pub mod sync;
pub mod tls;
pub mod usage;
pub mod value_rules;

/// The module interface: the number of the contract between the files the generator writes
/// (`modules/servers/<name>/`: module file, hooks file, MetricProvider, client-area template,
/// words, whmcs.json) and the extension they call. A generated module runs with any extension
/// that exports the same number, whatever its version, so an upgrade of the extension alone
/// never stops a module; with another number every call answers "regenerate the module".
///
/// It changes only when the generated files must change, and then it must: the PHPUnit test
/// `tests/Generator/ModuleInterfaceTest.php` renders every generated file for a fixed name and
/// compares their fingerprint with the one recorded for this number in `php/module-interface.txt`.
pub const MODULE_INTERFACE: u32 = 1;
