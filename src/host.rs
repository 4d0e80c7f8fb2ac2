//! The host port implemented with WHMCS's own PHP functions and `WHMCS\Database\Capsule`.

use std::cell::RefCell;

use ext_php_rs::convert::IntoZvalDyn;
use ext_php_rs::types::{ZendCallable, ZendHashTable, Zval};
use ext_php_rs::zend::ExecutorGlobals;
use serde_json::{json, Map, Value};
use sgwhmcs_core::secrets;
use sgwhmcs_core::server::client::LogRecord;
use sgwhmcs_core::text::cut::cut;
use sgwhmcs_core::whmcs::host::{Host, SetTo, WhmcsError};

use crate::convert::{json_to_zval, zval_text, zval_to_json};

/// `json_encode` flags: replace invalid UTF-8, and never fail on one bad value.
const JSON_INVALID_UTF8_SUBSTITUTE: i64 = 0x200000;
const JSON_PARTIAL_OUTPUT_ON_ERROR: i64 = 512;

/// WHMCS's query builder facade.
const CAPSULE: &str = "WHMCS\\Database\\Capsule";

/// Calls `logModuleCall`, `logActivity`, `localAPI` and Capsule of the running WHMCS.
pub struct PhpHost {
    /// The module name, the first argument of `logModuleCall`.
    pub module: String,
}

thread_local! {
    /// The secrets of the exported call that is running, scrubbed from every exception message.
    static CALL_SECRETS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Sets the secrets of the exported call that is running (cleared when the guard is dropped).
pub struct SecretsGuard;

impl SecretsGuard {
    /// Scrubs `secrets` from exception messages until the guard is dropped.
    pub fn set(secrets: Vec<String>) -> SecretsGuard {
        CALL_SECRETS.with(|s| *s.borrow_mut() = secrets);
        SecretsGuard
    }
}

impl Drop for SecretsGuard {
    fn drop(&mut self) {
        CALL_SECRETS.with(|s| s.borrow_mut().clear());
    }
}

/// The longest exception message kept (a message can quote a whole query or payload).
const MAX_MESSAGE: usize = 1000;

/// Calls a PHP callable (a function name or `Class::method`). A thrown exception is taken back
/// out of PHP (so it never escapes into WHMCS, nor is left for the next call to trip over) and
/// answered as its class and message, secrets scrubbed.
pub fn try_php(name: &str, args: &[Zval]) -> Result<Zval, String> {
    checked(name, || {
        let callable = ZendCallable::try_from_name(name).map_err(|e| e.to_string())?;
        let refs: Vec<&dyn IntoZvalDyn> = args.iter().map(|a| a as &dyn IntoZvalDyn).collect();
        callable.try_call(refs).map_err(|e| e.to_string())
    })
}

/// Calls a method of a PHP object, with the same exception handling as [`try_php`].
fn try_method(object: &Zval, name: &str, args: &[Zval]) -> Result<Zval, String> {
    checked(name, || {
        let refs: Vec<&dyn IntoZvalDyn> = args.iter().map(|a| a as &dyn IntoZvalDyn).collect();
        // ext-php-rs answers Ok even when the method threw: `checked` looks for the exception.
        object
            .try_call_method(name, refs)
            .map_err(|e| e.to_string())
    })
}

/// Runs one call into PHP and checks the boundary on both sides: an exception left pending
/// before it (which would make PHP skip the call) and one thrown by it are taken and cleared.
fn checked(name: &str, call: impl FnOnce() -> Result<Zval, String>) -> Result<Zval, String> {
    if let Some(earlier) = take_exception() {
        log_line(&format!(
            "sgwhmcs: an exception was left pending before {name}: {earlier}"
        ));
    }
    let outcome = call();
    match take_exception() {
        Some(thrown) => Err(format!("{name} threw {thrown}")),
        None => outcome.map_err(|e| format!("{name} failed: {}", scrub(&e))),
    }
}

/// Takes the pending exception, if any, out of PHP: answers `Class: message` (scrubbed, cut).
pub fn take_exception() -> Option<String> {
    let exception = ExecutorGlobals::take_exception()?;
    let class = exception
        .get_class_name()
        .unwrap_or_else(|_| "exception".into());
    let message = exception
        .try_call_method("getMessage", vec![])
        .ok()
        .and_then(|m| zval_text(&m))
        .unwrap_or_default();
    drop(exception);
    // getMessage or a destructor may throw in turn; such an exception says nothing more.
    for _ in 0..8 {
        if ExecutorGlobals::take_exception().is_none() {
            break;
        }
    }
    let message = cut(&scrub(&message), MAX_MESSAGE, "…");
    Some(format!("{class}: {message}"))
}

/// `text` without the running call's secrets.
pub fn scrub(text: &str) -> String {
    CALL_SECRETS.with(|s| secrets::scrub(text, &s.borrow()))
}

/// Writes one line to PHP's error log (best effort: it is where a failing log goes).
pub fn log_line(line: &str) {
    let _ = call_php("error_log", &[string(line)]);
}

/// Calls a global PHP function when it exists; `None` when it does not or it failed.
pub fn call_php(name: &str, args: &[Zval]) -> Option<Zval> {
    if !function_exists(name) {
        return None;
    }
    try_php(name, args).ok()
}

/// Calls a WHMCS logging function; when it is missing or fails, says so in PHP's error log
/// (the entry is lost, but not silently, and the call goes on).
fn call_logged(name: &str, args: &[Zval]) {
    if !function_exists(name) {
        return;
    }
    if let Err(e) = try_php(name, args) {
        log_line(&format!("sgwhmcs: {e}"));
    }
}

/// What PHP's `function_exists($name)` answers, read from the engine's function table (keys are
/// lowercase names without a leading backslash) instead of calling into PHP: the module log is
/// written on every request, and this check came with each entry.
fn function_exists(name: &str) -> bool {
    let key = name.trim_start_matches('\\').to_ascii_lowercase();
    ExecutorGlobals::get()
        .function_table()
        .is_some_and(|table| table.get(key.as_str()).is_some())
}

/// `$check($name)` in PHP, for the checks that must run PHP's own code (`class_exists`
/// autoloads, `defined`).
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
/// `Capsule::table($table)->where(k, v)…[->whereIn(col, values)]`.
fn selection(
    table_name: &str,
    conditions: &[(&str, Value)],
    within: Option<(&str, &[Value])>,
) -> Result<Zval, WhmcsError> {
    let mut query = table(table_name)?;
    for (key, value) in conditions {
        query = try_method(&query, "where", &[string(key), json_to_zval(value)])?;
    }
    if let Some((column, values)) = within {
        let list = json_to_zval(&Value::Array(values.to_vec()));
        query = try_method(&query, "whereIn", &[string(column), list])?;
    }
    Ok(query)
}

/// The rows `query` gets, as JSON objects.
fn rows(table_name: &str, query: Zval) -> Result<Vec<Map<String, Value>>, WhmcsError> {
    let rows = try_method(&query, "get", &[])?;
    // Rows are objects (a Collection of stdClass in WHMCS): json_encode reads them without
    // running their code, and text that is not UTF-8 is replaced rather than failing.
    let flags = json!(JSON_INVALID_UTF8_SUBSTITUTE | JSON_PARTIAL_OUTPUT_ON_ERROR);
    let text = try_php("json_encode", &[rows, json_to_zval(&flags)])?
        .string()
        .ok_or_else(|| format!("the rows of {table_name} could not be read"))?;
    serde_json::from_str(&text)
        .map_err(|_| WhmcsError::from(format!("the rows of {table_name} are not a list of rows")))
}

fn table(name: &str) -> Result<Zval, String> {
    if !exists("class_exists", CAPSULE) {
        return Err("WHMCS's database layer (Capsule) is not available".into());
    }
    try_php(&format!("{CAPSULE}::table"), &[string(name)])
}

impl Host for PhpHost {
    fn log_module_call(&mut self, action: &str, record: &LogRecord, secrets: &[String]) {
        let secrets: Vec<Value> = secrets.iter().cloned().map(Value::String).collect();
        call_logged(
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
        call_logged("logActivity", &[string(message), json_to_zval(&json!(id))]);
    }

    fn local_api(&mut self, command: &str, values: Value) -> Value {
        if !function_exists("localAPI") {
            return json!({"result": "error", "message": "localAPI is not available"});
        }
        match try_php("localAPI", &[string(command), json_to_zval(&values)]) {
            Ok(answer) => zval_to_json(&answer),
            Err(e) => json!({"result": "error", "message": e}),
        }
    }

    fn db_value(
        &mut self,
        table_name: &str,
        conditions: &[(&str, Value)],
        column: &str,
    ) -> Result<Option<Value>, WhmcsError> {
        let mut query = table(table_name)?;
        for (key, value) in conditions {
            query = try_method(&query, "where", &[string(key), json_to_zval(value)])?;
        }
        let value = zval_to_json(&try_method(&query, "value", &[string(column)])?);
        Ok((!value.is_null()).then_some(value))
    }

    fn db_insert(&mut self, table_name: &str, row: Value) -> Result<i64, WhmcsError> {
        let query = table(table_name)?;
        // A database error may quote the row (a pass key among it): never pass that on.
        let written: Vec<String> = row
            .as_object()
            .into_iter()
            .flat_map(|r| r.values())
            .filter_map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_string))
            .collect();
        let id = try_method(&query, "insertGetId", &[json_to_zval(&row)])
            .map_err(|e| secrets::scrub(&e, &written))?;
        id.long()
            .or_else(|| id.string()?.parse().ok())
            .ok_or_else(|| format!("inserting into {table_name} gave no id").into())
    }

    fn root_dir(&mut self) -> Option<String> {
        if !exists("defined", "ROOTDIR") {
            return None;
        }
        try_php("constant", &[string("ROOTDIR")]).ok()?.string()
    }

    fn decrypt(&mut self, value: &str) -> Result<String, WhmcsError> {
        if !function_exists("decrypt") {
            return Err("WHMCS's decrypt() is not available".into());
        }
        try_php("decrypt", &[string(value)])?
            .string()
            .ok_or_else(|| "decrypt() gave no text".into())
    }

    fn local_time(&mut self, unix: i64) -> Option<String> {
        // PHP's date() in its default time zone: the clock WHMCS stores and shows.
        try_php("date", &[string("Y-m-d H:i:s"), json_to_zval(&json!(unix))])
            .ok()?
            .string()
            .filter(|t| t.len() == 19)
    }

    fn module_name(&self) -> String {
        self.module.clone()
    }

    fn db_rows(
        &mut self,
        table_name: &str,
        conditions: &[(&str, Value)],
        within: Option<(&str, &[Value])>,
    ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
        let query = selection(table_name, conditions, within)?;
        rows(table_name, query)
    }

    fn db_rows_after(
        &mut self,
        table_name: &str,
        conditions: &[(&str, Value)],
        within: Option<(&str, &[Value])>,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
        let mut query = selection(table_name, conditions, within)?;
        let after = [string("id"), string(">"), json_to_zval(&json!(after))];
        query = try_method(&query, "where", &after)?;
        query = try_method(&query, "orderBy", &[string("id"), string("asc")])?;
        query = try_method(&query, "limit", &[json_to_zval(&json!(limit))])?;
        rows(table_name, query)
    }

    fn db_delete(&mut self, table_name: &str, id: i64) -> Result<(), WhmcsError> {
        let query = table(table_name)?;
        let query = try_method(&query, "where", &[string("id"), json_to_zval(&json!(id))])?;
        try_method(&query, "delete", &[])?;
        Ok(())
    }

    fn db_update_in(
        &mut self,
        table_name: &str,
        key: &str,
        ids: &[i64],
        set: &[(&str, SetTo)],
    ) -> Result<(), WhmcsError> {
        let query = table(table_name)?;
        let ids = json_to_zval(&json!(ids));
        let query = try_method(&query, "whereIn", &[string(key), ids])?;
        let mut values = ZendHashTable::new();
        for (column, value) in set {
            let zval = match value {
                SetTo::Value(v) => json_to_zval(v),
                SetTo::Case(sql) => try_php(&format!("{CAPSULE}::raw"), &[string(sql)])?,
            };
            values
                .insert(*column, zval)
                .map_err(|e| format!("the update of {table_name} could not be built: {e}"))?;
        }
        let mut array = Zval::new();
        array.set_hashtable(values);
        try_method(&query, "update", &[array])?;
        Ok(())
    }
}
