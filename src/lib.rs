//! The sgwhmcs PHP extension: thin glue between WHMCS and `sgwhmcs-core`.
//!
//! It exports `SgWhmcs\version()`, `SgWhmcs\module_functions()` and `SgWhmcs\module_call()`
//! (see `docs/extension-api.md`), converts Zend values once at the edge, and catches every panic
//! so that WHMCS always receives the function's normal failure shape.
#![cfg_attr(windows, feature(abi_vectorcall))]

mod convert;
mod host;
mod ini;

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::{IniEntryDef, ModuleEntry};
use serde_json::{Map, Value};
use sgwhmcs_core::api::Kind;
use sgwhmcs_core::functions::{shape_of, Shape, FUNCTIONS};
use sgwhmcs_core::params::Params;
use sgwhmcs_core::{email, hooks, module};

use crate::convert::{array_to_json, json_to_zval};
use crate::host::{call_php, string, PhpHost};

/// The extension's version; a generated module file only runs with the version it was made for.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

thread_local! {
    /// Where the last panic happened (never its message, which might hold a value).
    static PANIC_AT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The version of the loaded extension.
#[php_function]
#[php(name = "SgWhmcs\\version")]
pub fn version() -> String {
    VERSION.to_string()
}

/// The module functions the extension implements, each with its return shape
/// (`meta`, `options`, `status`, `result`), in declaration order.
#[php_function]
#[php(name = "SgWhmcs\\module_functions")]
pub fn module_functions() -> Zval {
    let map: Map<String, Value> = FUNCTIONS
        .iter()
        .map(|(name, shape)| (name.to_string(), Value::String(shape.name().into())))
        .collect();
    json_to_zval(&Value::Object(map))
}

/// Runs module function `$function` of module `$module` with WHMCS's `$params`; never throws.
#[php_function]
#[php(name = "SgWhmcs\\module_call")]
pub fn module_call(module: String, function: String, params: &ZendHashTable) -> Zval {
    let shape = shape_of(&function).unwrap_or(Shape::Status);
    let params = Params::new(array_to_json(params));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut host = PhpHost {
            module: module.clone(),
        };
        module::call(&function, &params, &mut host, &ini::net_settings())
    }));
    let answer = outcome.unwrap_or_else(|_| {
        let at = PANIC_AT.with(|p| p.borrow().clone());
        let _ = call_php(
            "error_log",
            &[string(&format!(
                "sgwhmcs: internal error in {module}_{function} at {at}"
            ))],
        );
        shape.failure("internal error in the sgwhmcs extension; details are in the PHP error log")
    });
    json_to_zval(&answer)
}

/// Runs the signup hook `SGSignup<Kind>` (`$kind` is `reseller` or `customer`) for a
/// `ClientAdd` or `AcceptOrder` hook's `$vars`, with the hooks file's `$config`. Never throws:
/// failures go to `whmcs_error.log` and the Activity Log. Answers what happened, in one line.
#[php_function]
#[php(name = "SgWhmcs\\hook_signup")]
pub fn hook_signup(kind: String, vars: &ZendHashTable, config: &ZendHashTable) -> String {
    let vars = Params::new(array_to_json(vars));
    let config = Params::new(array_to_json(config));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let kind = if kind.eq_ignore_ascii_case("reseller") {
            Kind::Reseller
        } else {
            Kind::Customer
        };
        let mut host = PhpHost {
            module: "sgwhmcs_hooks".into(),
        };
        hooks::signup(kind, &vars, &config, &mut host, &ini::net_settings())
    }));
    match outcome {
        Ok(Ok(done)) => done,
        Ok(Err(why)) => why,
        Err(_) => internal_error("hooks", "signup"),
    }
}

/// The merge fields `EmailPreSend` should add for `$vars` (`{$backup_pass_key}` on emails about
/// a service of module `$module`); an empty array otherwise. Never throws.
#[php_function]
#[php(name = "SgWhmcs\\email_merge_fields")]
pub fn email_merge_fields(module: String, vars: &ZendHashTable) -> Zval {
    let vars = Params::new(array_to_json(vars));
    let fields = catch_unwind(AssertUnwindSafe(|| {
        email::merge_fields(
            &module,
            &vars,
            &mut PhpHost {
                module: module.clone(),
            },
        )
    }));
    json_to_zval(&fields.unwrap_or_else(|_| {
        internal_error(&module, "EmailPreSend");
        Value::Object(Map::new())
    }))
}

/// Logs where a panic happened (never what it said) and answers the admin-facing text.
fn internal_error(module: &str, function: &str) -> String {
    let at = PANIC_AT.with(|p| p.borrow().clone());
    let _ = call_php(
        "error_log",
        &[string(&format!(
            "sgwhmcs: internal error in {module}_{function} at {at}"
        ))],
    );
    "internal error in the sgwhmcs extension; details are in the PHP error log".into()
}

fn startup(_ty: i32, module_number: i32) -> i32 {
    IniEntryDef::register(ini::INI_ENTRIES.as_slice(), module_number);
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
    ext_php_rs::info_table_end!();
}

/// The module entry PHP loads.
#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .info_function(info)
        .function(wrap_function!(version))
        .function(wrap_function!(module_functions))
        .function(wrap_function!(module_call))
        .function(wrap_function!(hook_signup))
        .function(wrap_function!(email_merge_fields))
}
