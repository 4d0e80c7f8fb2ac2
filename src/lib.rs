//! The sgwhmcs PHP extension: thin glue between WHMCS and `sgwhmcs-core`.
//!
//! It exports `SgWhmcs\version()`, `module_interface()`, `module_functions()`, `module_call()`,
//! `hook_signup()` and `email_merge_fields()` (see `docs/extension-api.md`), converts Zend values once at the edge,
//! and runs each export inside `guarded()`, so that WHMCS always receives the function's normal
//! failure shape, never a panic or an exception.
#![cfg_attr(windows, feature(abi_vectorcall))]

mod convert;
mod host;
mod ini;

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use ext_php_rs::binary::Binary;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ModuleEntry;
use serde_json::{Map, Value};
use sgwhmcs_core::functions::list::{unknown_function, Function, Shape};

use sgwhmcs_core::functions::module::answer;
use sgwhmcs_core::hooks::{email, signup as hooks};
use sgwhmcs_core::server::api::Kind;
use sgwhmcs_core::settings::call_secrets;
use sgwhmcs_core::text::cut::cut;
use sgwhmcs_core::whmcs::params::decode_text;
use sgwhmcs_core::Host;

use crate::convert::{answer_to_table, answer_to_zval, json_to_table, json_to_zval, read_array};
use crate::host::{log_line, take_exception, PhpHost, SecretsGuard};

/// The extension's version, for display (whmcs.json, the module's DisplayName, phpinfo). A
/// generated module does not compare it: it checks [`MODULE_INTERFACE`].
///
/// `SGWHMCS_VERSION_OVERRIDE` at compile time replaces it; only `tests/Upgrade/run.sh` sets it,
/// to build a "next version" of this same tree.
pub const VERSION: &str = match option_env!("SGWHMCS_VERSION_OVERRIDE") {
    Some(version) => version,
    None => env!("CARGO_PKG_VERSION"),
};

/// The module interface the extension speaks: [`sgwhmcs_core::MODULE_INTERFACE`].
///
/// `SGWHMCS_MODULE_INTERFACE_OVERRIDE` (digits) at compile time replaces it; only
/// `tests/Upgrade/run.sh` sets it, to build an extension whose interface was bumped.
pub const MODULE_INTERFACE: u32 = match option_env!("SGWHMCS_MODULE_INTERFACE_OVERRIDE") {
    Some(digits) => parse_u32(digits),
    None => sgwhmcs_core::MODULE_INTERFACE,
};

/// DIGITS as a number, at compile time (anything else stops the build).
const fn parse_u32(digits: &str) -> u32 {
    let bytes = digits.as_bytes();
    assert!(
        !bytes.is_empty(),
        "SGWHMCS_MODULE_INTERFACE_OVERRIDE is empty"
    );
    let mut number: u32 = 0;
    let mut i = 0;
    while i < bytes.len() {
        assert!(
            bytes[i].is_ascii_digit(),
            "SGWHMCS_MODULE_INTERFACE_OVERRIDE is not a number"
        );
        number = number * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    number
}

thread_local! {
    /// Where the last panic happened (never its message, which might hold a value).
    static PANIC_AT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The version of the loaded extension.
#[php_function]
#[php(name = "SgWhmcs\\version")]
pub fn version() -> String {
    // An empty version is the safe failure: a generated module file then refuses to run.
    guarded(
        "sgwhmcs",
        "version",
        || VERSION.to_string(),
        |_| String::new(),
    )
}

/// The module interface of the loaded extension: a generated module runs when it equals the
/// number the module was generated for (see `docs/extension-api.md`); 0 when it cannot be told.
#[php_function]
#[php(name = "SgWhmcs\\module_interface")]
pub fn module_interface() -> i64 {
    // 0 is the safe failure: no generated module is made for it, so every module refuses to run.
    guarded(
        "sgwhmcs",
        "module_interface",
        || i64::from(MODULE_INTERFACE),
        |_| 0,
    )
}

/// The module functions the extension implements, each with its return shape
/// (`meta`, `options`, `status`, `result`, `page`, `names`), in declaration order.
#[php_function]
#[php(name = "SgWhmcs\\module_functions")]
pub fn module_functions() -> ZBox<ZendHashTable> {
    guarded(
        "sgwhmcs",
        "module_functions",
        || {
            let map: Map<String, Value> = Function::ALL
                .iter()
                .map(|f| (f.name().to_string(), Value::String(f.shape().name().into())))
                .collect();
            json_to_table(&Value::Object(map))
        },
        |_| ZendHashTable::new(),
    )
}

/// Runs module function `$function` of module `$module` with WHMCS's `$params`; never throws.
/// Answers what WHMCS expects of that function: an array for `MetaData`, `ConfigOptions` and
/// `TestConnection`, a string (`"success"` or the error) for the others, so it is `mixed`.
#[php_function]
#[php(name = "SgWhmcs\\module_call")]
pub fn module_call(module: Binary<u8>, function: Binary<u8>, params: &ZendHashTable) -> Zval {
    // Decoded before the barrier: they name the call in the log, and pick the failure's shape.
    let (module, function) = (text(&module), text(&function));
    let parsed = Function::parse(&function);
    let shape = parsed.map(Function::shape);
    guarded(
        &module,
        &function,
        || {
            let answer = match parsed {
                None => Shape::Status.failure(&unknown_function(&function)).into(),
                Some(parsed) => match read_array(params, "$params") {
                    Err(too_large) => parsed.shape().failure(&too_large).into(),
                    Ok(converted) => {
                        let params = converted.into_params();
                        let _secrets = SecretsGuard::set(call_secrets::of_params(&params).to_vec());
                        let mut host = PhpHost {
                            module: module.clone(),
                        };
                        answer(parsed, &params, &mut host, &ini::net_settings())
                    }
                },
            };
            answer_to_zval(answer)
        },
        |why| json_to_zval(&shape.unwrap_or(Shape::Status).failure(&why)),
    )
}

/// Runs the signup hook `SGSignup<Kind>` (`$kind` is `reseller` or `customer`, any case; another
/// kind is refused) for a `ClientAdd` or `AcceptOrder` hook's `$vars`, with the hooks file's
/// `$config`. Never throws: failures go to `whmcs_error.log` and the Activity Log. Answers what
/// happened, in one line.
#[php_function]
#[php(name = "SgWhmcs\\hook_signup")]
pub fn hook_signup(kind: Binary<u8>, vars: &ZendHashTable, config: &ZendHashTable) -> String {
    let kind = text(&kind);
    guarded(
        "hooks",
        "signup",
        || {
            let mut host = PhpHost {
                module: "sgwhmcs_hooks".into(),
            };
            // Refused before the hook runs: said in PHP's error log and the Activity Log.
            let mut refuse = |why: String, client_id: &str| {
                let refused = format!("sgwhmcs hooks: no account was created: {why}");
                log_line(&refused);
                host.log_activity(&refused, client_id);
                refused
            };
            let (vars, config) = match (read_array(vars, "$vars"), read_array(config, "$config")) {
                (Ok(vars), Ok(config)) => (vars.into_params(), config.into_params()),
                (Err(too_large), _) | (_, Err(too_large)) => return refuse(too_large, ""),
            };
            let kind = if kind.eq_ignore_ascii_case("reseller") {
                Kind::Reseller
            } else if kind.eq_ignore_ascii_case("customer") {
                Kind::Customer
            } else {
                let why = format!(
                    "the kind \"{}\" is neither \"reseller\" nor \"customer\"",
                    cut(&kind, MAX_QUOTED, "…")
                );
                return refuse(why, &vars.text("client_id"));
            };
            let _secrets = SecretsGuard::set(hooks::secrets(&vars, &config).to_vec());
            match hooks::signup(kind, &vars, &config, &mut host, &ini::net_settings()) {
                Ok(done) => done,
                Err(why) => why,
            }
        },
        |why| why,
    )
}

/// The merge fields `EmailPreSend` should add for `$vars` (`{$backup_pass_key}` on emails about
/// a service of module `$module`); an empty array otherwise. Never throws.
#[php_function]
#[php(name = "SgWhmcs\\email_merge_fields")]
pub fn email_merge_fields(module: Binary<u8>, vars: &ZendHashTable) -> ZBox<ZendHashTable> {
    let module = text(&module);
    guarded(
        &module,
        "EmailPreSend",
        || {
            let vars = match read_array(vars, "$vars") {
                Ok(converted) => converted.into_params(),
                Err(too_large) => {
                    log_line(&format!(
                        "sgwhmcs: EmailPreSend of {}: {too_large}",
                        cut(&module, MAX_QUOTED, "…")
                    ));
                    return ZendHashTable::new();
                }
            };
            let mut host = PhpHost {
                module: module.clone(),
            };
            json_to_table(&email::merge_fields(&module, &vars, &mut host))
        },
        |_| ZendHashTable::new(),
    )
}

/// The `ClientEdit` hook of module `$module` (the generated `hooks.php`): the saved client's
/// contact goes to the account of each of its services of that module, when it differs. Bounded
/// by the INI timeouts; never throws; failures go to the Activity Log. Answers what happened.
#[php_function]
#[php(name = "SgWhmcs\\contact_sync")]
pub fn contact_sync(module: Binary<u8>, vars: &ZendHashTable) -> String {
    let module = text(&module);
    guarded(
        &module,
        "ClientEdit",
        || {
            let mut host = PhpHost {
                module: module.clone(),
            };
            match read_array(vars, "$vars") {
                Ok(converted) => sgwhmcs_core::hooks::contact_sync::client_edit(
                    &module,
                    &converted.into_params(),
                    &mut host,
                    &ini::net_settings(),
                ),
                Err(too_large) => {
                    let line = format!("sgwhmcs ClientEdit: no contact was synced: {too_large}");
                    host.log_activity(&line, "");
                    line
                }
            }
        },
        |why| why,
    )
}

/// Usage Billing for the generated `MetricProvider` class of module `$module`: `$what` is
/// `metrics`, `usage` (every tenant of the server in `$params`) or `tenant` (`$tenant` only).
/// Answers `['metrics' => [...], 'usage' => [...], 'error' => '']` of plain values (see
/// `sgwhmcs_core::functions::metrics`); never throws.
#[php_function]
#[php(name = "SgWhmcs\\metric_call")]
pub fn metric_call(
    module: Binary<u8>,
    what: Binary<u8>,
    params: &ZendHashTable,
    tenant: Binary<u8>,
) -> ZBox<ZendHashTable> {
    let (module, what, tenant) = (text(&module), text(&what), text(&tenant));
    let failure =
        |why: &str| json_to_table(&serde_json::json!({"metrics": [], "usage": {}, "error": why}));
    guarded(
        &module,
        "MetricProvider",
        || match read_array(params, "$params") {
            Err(too_large) => failure(&too_large),
            Ok(converted) => {
                let params = converted.into_params();
                let _secrets = SecretsGuard::set(call_secrets::of_params(&params).to_vec());
                let mut host = PhpHost {
                    module: module.clone(),
                };
                answer_to_table(sgwhmcs_core::functions::metrics::answer(
                    &what,
                    &params,
                    &tenant,
                    &mut host,
                    &ini::net_settings(),
                ))
            }
        },
        |why| failure(&why),
    )
}

/// The usage update of module `$module`'s products that carry their own connection fields (no
/// WHMCS server stands for them, so WHMCS's UsageUpdate never reaches them), for its
/// `DailyCronJob` hook. Answers one line per Backup Server; never throws.
#[php_function]
#[php(name = "SgWhmcs\\hook_usage_update")]
pub fn hook_usage_update(module: Binary<u8>) -> Vec<String> {
    let module = text(&module);
    guarded(
        &module,
        "DailyCronJob",
        || {
            let mut host = PhpHost {
                module: module.clone(),
            };
            sgwhmcs_core::functions::usage::update_own_connections(&mut host, &ini::net_settings())
        },
        |why| vec![why],
    )
}

/// Runs export `function` of `module` (names for the log) with all its work inside one panic
/// barrier: reading the arguments, the call, building the PHP answer. A panic is logged with
/// where it happened (never what it said) and answered by `failure` with the admin-facing text,
/// in the export's normal failure shape; an exception still pending in PHP afterwards is taken
/// and logged. So WHMCS never sees a panic, nor an exception, from an export.
fn guarded<T>(
    module: &str,
    function: &str,
    body: impl FnOnce() -> T,
    failure: impl FnOnce(String) -> T,
) -> T {
    let answer = catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|_| failure(internal_error(module, function)));
    settle(module, function);
    answer
}

/// Makes sure no exception leaves an exported function: one still pending is taken and logged.
fn settle(module: &str, function: &str) {
    if let Some(left) = take_exception() {
        log_line(&format!(
            "sgwhmcs: {}_{} left an exception, taken: {left}",
            cut(module, MAX_QUOTED, "…"),
            cut(function, MAX_QUOTED, "…")
        ));
    }
}

/// A string argument's text by the rule of `$params` (UTF-8, else Windows-1252): taking the raw
/// bytes means a string that is not UTF-8 cannot make the call throw before it starts.
fn text(bytes: &[u8]) -> String {
    decode_text(bytes).0
}

/// The longest start of a caller-given name a message quotes (a name may be megabytes long).
const MAX_QUOTED: usize = 64;

/// Logs where a panic happened (never what it said) and answers the admin-facing text.
fn internal_error(module: &str, function: &str) -> String {
    let at = PANIC_AT.with(|p| p.borrow().clone());
    log_line(&format!(
        "sgwhmcs: internal error in {}_{} at {at}",
        cut(module, MAX_QUOTED, "…"),
        cut(function, MAX_QUOTED, "…")
    ));
    "internal error in the sgwhmcs extension; details are in the PHP error log".into()
}

fn startup(_ty: i32, module_number: i32) -> i32 {
    ini::register(module_number);
    // The default hook prints the panic message, which could quote a value; keep only the place.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        PANIC_AT.with(|p| *p.borrow_mut() = at);
    }));
    0
}

extern "C" fn info(_module: *mut ModuleEntry) {
    ext_php_rs::info_table_start!();
    ext_php_rs::info_table_row!("sgwhmcs support", "enabled");
    ext_php_rs::info_table_row!("version", VERSION);
    ext_php_rs::info_table_row!("module interface", MODULE_INTERFACE.to_string());
    ext_php_rs::info_table_end!();
    ini::display();
}

/// The module entry PHP loads.
#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .info_function(info)
        .function(wrap_function!(version))
        .function(wrap_function!(module_interface))
        .function(wrap_function!(module_functions))
        .function(wrap_function!(module_call))
        .function(wrap_function!(hook_signup))
        .function(wrap_function!(email_merge_fields))
        .function(wrap_function!(contact_sync))
        .function(wrap_function!(metric_call))
        .function(wrap_function!(hook_usage_update))
}
