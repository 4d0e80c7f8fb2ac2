//! The host port implemented with WHMCS's own PHP functions.

use ext_php_rs::types::{ZendCallable, Zval};
use serde_json::{json, Value};
use sgwhmcs_core::client::LogRecord;
use sgwhmcs_core::host::Host;

use crate::convert::{json_to_zval, zval_to_json};

/// Calls `logModuleCall` and `localAPI` of the running WHMCS.
pub struct PhpHost {
    /// The module name, the first argument of `logModuleCall`.
    pub module: String,
}

/// Calls a global PHP function when it exists; `None` when it does not or it threw.
pub fn call_php(name: &str, args: &[Zval]) -> Option<Zval> {
    let exists = ZendCallable::try_from_name("function_exists")
        .ok()?
        .try_call(vec![&string(name)])
        .ok()?
        .bool()?;
    if !exists {
        return None;
    }
    let callable = ZendCallable::try_from_name(name).ok()?;
    let refs: Vec<&dyn ext_php_rs::convert::IntoZvalDyn> = args
        .iter()
        .map(|a| a as &dyn ext_php_rs::convert::IntoZvalDyn)
        .collect();
    callable.try_call(refs).ok()
}

/// A PHP string value.
pub fn string(text: &str) -> Zval {
    json_to_zval(&Value::String(text.to_string()))
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

    fn local_api(&mut self, command: &str, values: Value) -> Value {
        match call_php("localAPI", &[string(command), json_to_zval(&values)]) {
            Some(answer) => zval_to_json(&answer, 0),
            None => json!({"result": "error", "message": "localAPI is not available"}),
        }
    }
}
