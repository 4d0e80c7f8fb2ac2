//! The host port implemented with WHMCS's own PHP functions and `WHMCS\Database\Capsule`.

use ext_php_rs::convert::IntoZvalDyn;
use ext_php_rs::types::{ZendCallable, Zval};
use ext_php_rs::zend::ExecutorGlobals;
use serde_json::{json, Value};
use sgwhmcs_core::client::LogRecord;
use sgwhmcs_core::host::Host;

use crate::convert::{json_to_zval, zval_to_json};

/// WHMCS's query builder facade.
const CAPSULE: &str = "WHMCS\\Database\\Capsule";

/// Calls `logModuleCall`, `logActivity`, `localAPI` and Capsule of the running WHMCS.
pub struct PhpHost {
    /// The module name, the first argument of `logModuleCall`.
    pub module: String,
}

/// Calls a PHP callable (a function name or `Class::method`). A thrown exception is taken
/// back out of PHP (so it does not escape into WHMCS) and answered as its message.
pub fn try_php(name: &str, args: &[Zval]) -> Result<Zval, String> {
    let callable = ZendCallable::try_from_name(name).map_err(|e| format!("{name}: {e}"))?;
    let refs: Vec<&dyn IntoZvalDyn> = args.iter().map(|a| a as &dyn IntoZvalDyn).collect();
    callable
        .try_call(refs)
        .map_err(|e| caught(name, &e.to_string()))
}

/// Calls a method of a PHP object, with the same exception handling as [`try_php`].
fn try_method(object: &Zval, name: &str, args: &[Zval]) -> Result<Zval, String> {
    let refs: Vec<&dyn IntoZvalDyn> = args.iter().map(|a| a as &dyn IntoZvalDyn).collect();
    object
        .try_call_method(name, refs)
        .map_err(|e| caught(name, &e.to_string()))
}

fn caught(name: &str, fallback: &str) -> String {
    match ExecutorGlobals::take_exception() {
        Some(exception) => {
            let message = exception
                .try_call_method("getMessage", vec![])
                .ok()
                .and_then(|m| m.string())
                .unwrap_or_default();
            format!("{name} threw: {message}")
        }
        None => format!("{name} failed: {fallback}"),
    }
}

/// Calls a global PHP function when it exists; `None` when it does not or it failed.
pub fn call_php(name: &str, args: &[Zval]) -> Option<Zval> {
    if !exists("function_exists", name) {
        return None;
    }
    try_php(name, args).ok()
}

fn exists(check: &str, name: &str) -> bool {
    try_php(check, &[string(name)])
        .ok()
        .and_then(|v| v.bool())
        .unwrap_or(false)
}

/// A PHP string value.
pub fn string(text: &str) -> Zval {
    json_to_zval(&Value::String(text.to_string()))
}

/// `Capsule::table($table)`, when WHMCS's database layer is there.
fn table(name: &str) -> Result<Zval, String> {
    if !exists("class_exists", CAPSULE) {
        return Err("WHMCS's database layer (Capsule) is not available".into());
    }
    try_php(&format!("{CAPSULE}::table"), &[string(name)])
}

impl Host for PhpHost {
    fn log_module_call(&mut self, action: &str, record: &LogRecord, secrets: &[String]) {
        let secrets: Vec<Value> = secrets.iter().cloned().map(Value::String).collect();
        let _ = call_php(
            "logModuleCall",
            &[
                string(&self.module),
                string(action),
                json_to_zval(&record.request),
                string(&record.response),
                json_to_zval(&record.processed),
                json_to_zval(&Value::Array(secrets)),
            ],
        );
    }

    fn log_activity(&mut self, message: &str, client_id: &str) {
        let id = client_id.parse::<i64>().unwrap_or(0);
        let _ = call_php("logActivity", &[string(message), json_to_zval(&json!(id))]);
    }

    fn local_api(&mut self, command: &str, values: Value) -> Value {
        if !exists("function_exists", "localAPI") {
            return json!({"result": "error", "message": "localAPI is not available"});
        }
        match try_php("localAPI", &[string(command), json_to_zval(&values)]) {
            Ok(answer) => zval_to_json(&answer, 0),
            Err(e) => json!({"result": "error", "message": e}),
        }
    }

    fn db_value(
        &mut self,
        table_name: &str,
        conditions: &[(&str, Value)],
        column: &str,
    ) -> Result<Option<Value>, String> {
        let mut query = table(table_name)?;
        for (key, value) in conditions {
            query = try_method(&query, "where", &[string(key), json_to_zval(value)])?;
        }
        let value = zval_to_json(&try_method(&query, "value", &[string(column)])?, 0);
        Ok((!value.is_null()).then_some(value))
    }

    fn db_insert(&mut self, table_name: &str, row: Value) -> Result<i64, String> {
        let query = table(table_name)?;
        let id = try_method(&query, "insertGetId", &[json_to_zval(&row)])?;
        id.long()
            .or_else(|| id.string()?.parse().ok())
            .ok_or_else(|| format!("inserting into {table_name} gave no id"))
    }

    fn root_dir(&mut self) -> Option<String> {
        if !exists("defined", "ROOTDIR") {
            return None;
        }
        try_php("constant", &[string("ROOTDIR")]).ok()?.string()
    }

    fn decrypt(&mut self, value: &str) -> Result<String, String> {
        if !exists("function_exists", "decrypt") {
            return Err("WHMCS's decrypt() is not available".into());
        }
        try_php("decrypt", &[string(value)])?
            .string()
            .ok_or_else(|| "decrypt() gave no text".into())
    }
}
