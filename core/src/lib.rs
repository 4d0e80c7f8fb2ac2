//! sgwhmcs-core: everything the WHMCS module does, in plain Rust types.
//!
//! The PHP extension converts WHMCS's `$params` into a [`Params`] once, calls [`call`] with a
//! [`Host`] that reaches WHMCS, and converts the answer back. Nothing here knows a Zend type.
//!
//! The rooms, each using only those above it in this list (`tools/check-module-graph.py`, run
//! by `make lint`, fails on an arrow back up or a cycle):
//!
//! | room | holds |
//! |---|---|
//! | [`text`] | escaping, quoting, cutting, sizes, percentages, dates |
//! | [`secrets`] | a call's secrets and their masking in any text |
//! | [`server`] | the Backup Server: wire types, the HTTP client, TLS, listing |
//! | [`whmcs`] | `$params`, the host port, the error log, pass key fields, references |
//! | [`settings`] | the 24 options, their rules, the typed plans, naming |
//! | [`functions`] | the module functions, one file each, and the entry [`call`] |
//! | [`hooks`] | the action hooks: signup, contact sync, the e-mail merge field |
//!
//! ```
//! use sgwhmcs_core::settings::plan::{endpoint, Problems};
//! use sgwhmcs_core::Params;
//!
//! // WHMCS's `$params`, read once; a rule that fails names the field and sends nothing.
//! let params = Params::new(serde_json::json!({
//!     "serverhostname": "https://backup.example.com",
//!     "serverusername": "admin",
//!     "serverpassword": "S3cret-pw",
//! }));
//! let mut problems = Problems::default();
//! assert!(endpoint(&params, &mut problems).is_none());
//! assert!(problems.0[0].problem.contains("without http://"));
//! ```

pub mod functions;
pub mod hooks;
pub mod secrets;
pub mod server;
pub mod settings;
pub mod text;
pub mod whmcs;

pub use functions::module::call;
pub use whmcs::host::Host;
pub use whmcs::params::Params;

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
