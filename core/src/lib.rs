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
