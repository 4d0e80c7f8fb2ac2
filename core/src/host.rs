//! The host port: what the core asks of WHMCS. The extension implements it with WHMCS's own
//! functions (`logModuleCall`, `localAPI`); core tests implement it with a recorder.

use serde_json::Value;

use crate::client::LogRecord;

/// The WHMCS functions a module operation may call.
pub trait Host {
    /// Records one Backup Server request in the Module Log. `secrets` are the values WHMCS must
    /// scrub (`$replaceVars`); the record itself already holds none of them.
    fn log_module_call(&mut self, action: &str, record: &LogRecord, secrets: &[String]);

    /// Calls WHMCS's internal API; answers its result array as JSON.
    fn local_api(&mut self, command: &str, values: Value) -> Value;
}

/// Whether a `localAPI` answer reports success; `Err` holds its message.
pub fn api_ok(answer: &Value) -> Result<(), String> {
    if answer.get("result").and_then(Value::as_str) == Some("success") {
        return Ok(());
    }
    Err(answer
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("no answer")
        .to_string())
}
