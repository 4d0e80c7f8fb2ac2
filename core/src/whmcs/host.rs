//! The host port: what the core asks of WHMCS. The extension implements it with WHMCS's own
//! functions (`logModuleCall`, `logActivity`, `localAPI`, `WHMCS\Database\Capsule`). Tests
//! implement it with recorders: `fake::FakeHost` (`cfg(test)`) for the unit tests, and `Recorder` in
//! `core/tests/common/mod.rs` (a small WHMCS over an in-memory database, next to a real sgsim)
//! for the integration tests, which cannot see `cfg(test)` items.

use serde_json::{Map, Value};

use crate::server::client::LogRecord;

/// Why WHMCS could not do what the core asked of it (a database read or write, `decrypt()`), in
/// WHMCS's own words: kept apart from the core's messages, which quote it after saying what was
/// being done ("WHMCS could not read the module's products (…)").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WhmcsError(pub String);

impl From<String> for WhmcsError {
    fn from(text: String) -> Self {
        WhmcsError(text)
    }
}

impl From<WhmcsError> for String {
    /// For the core's messages that carry WHMCS's words on as text.
    fn from(error: WhmcsError) -> Self {
        error.0
    }
}

impl From<&str> for WhmcsError {
    fn from(text: &str) -> Self {
        WhmcsError(text.to_string())
    }
}

/// The WHMCS functions a module operation or hook may call.
pub trait Host {
    /// Records one Backup Server request in the Module Log. `secrets` are the values WHMCS must
    /// scrub (`$replaceVars`); the record itself already holds none of them.
    fn log_module_call(&mut self, action: &str, record: &LogRecord, secrets: &[String]);

    /// Writes a line to the Activity Log, for `client_id` when not empty.
    fn log_activity(&mut self, message: &str, client_id: &str);

    /// Calls WHMCS's internal API; answers its result array as JSON.
    fn local_api(&mut self, command: &str, values: Value) -> Value;

    /// `Capsule::table($table)->where(k, v)…->value($column)`: one column of the first match.
    fn db_value(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        column: &str,
    ) -> Result<Option<Value>, WhmcsError>;

    /// `Capsule::table($table)->insertGetId($row)`: adds a row, answers its id.
    fn db_insert(&mut self, table: &str, row: Value) -> Result<i64, WhmcsError>;

    /// WHMCS's root folder (`ROOTDIR`), when known.
    fn root_dir(&mut self) -> Option<String>;

    /// WHMCS's `decrypt($value)`: the plain text of a value WHMCS stored encrypted (a password
    /// custom field). `Err` says why not, without the value.
    fn decrypt(&mut self, value: &str) -> Result<String, WhmcsError>;

    /// Unix second `unix` as WHMCS stores and shows dates: `Y-m-d H:i:s` in WHMCS's local time
    /// (PHP's `date()` in its default time zone; WHMCS writes `now()` / `Carbon::now()` and
    /// shows what it stored without conversion). `None` when the host cannot say; see
    /// [`whmcs_time_of`] for the fallback.
    fn local_time(&mut self, unix: i64) -> Option<String> {
        let _ = unix;
        None
    }

    /// The running module's name (`modules/servers/<name>`): which products are this module's.
    /// Empty when unknown.
    fn module_name(&self) -> String {
        String::new()
    }

    /// `Capsule::table($table)->where(k, v)…[->whereIn(col, values)]->get()`: every matching row,
    /// as JSON objects. Hosts without a database answer `Err`.
    fn db_rows(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        within: Option<(&str, &[Value])>,
    ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
        let _ = (table, conditions, within);
        Err("this host has no database".into())
    }

    /// [`Host::db_rows`] one page at a time: `…->where('id', '>', $after)->orderBy('id')
    /// ->limit($limit)->get()`, the rows after id `after` in id order, at most `limit`; so a big
    /// table is read in bounded pieces, each found through its primary key. Hosts whose
    /// database cannot page answer from [`Host::db_rows`].
    fn db_rows_after(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        within: Option<(&str, &[Value])>,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
        let id = |row: &Map<String, Value>| {
            crate::whmcs::params::scalar_text(row.get("id"))
                .parse::<i64>()
                .ok()
        };
        let mut rows: Vec<(i64, Map<String, Value>)> = self
            .db_rows(table, conditions, within)?
            .into_iter()
            .filter_map(|row| id(&row).filter(|id| *id > after).map(|id| (id, row)))
            .collect();
        rows.sort_by_key(|(id, _)| *id);
        Ok(rows.into_iter().take(limit).map(|(_, row)| row).collect())
    }

    /// `Capsule::table($table)->where('id', $id)->delete()`: removes the one row with id `id`.
    /// Hosts without a database answer `Err`.
    fn db_delete(&mut self, table: &str, id: i64) -> Result<(), WhmcsError> {
        let _ = (table, id);
        Err("this host has no database".into())
    }

    /// `Capsule::table($table)->whereIn($key, $ids)->update($set)`: ONE query writing many rows;
    /// a [`SetTo::Case`] value becomes `Capsule::raw(...)`. Hosts without a database answer `Err`.
    fn db_update_in(
        &mut self,
        table: &str,
        key: &str,
        ids: &[i64],
        set: &[(&str, SetTo)],
    ) -> Result<(), WhmcsError> {
        let _ = (table, key, ids, set);
        Err("this host has no database".into())
    }
}

/// Unix second `unix` in WHMCS's local time (`Y-m-d H:i:s`, [`Host::local_time`]); in UTC when
/// the host cannot say (a host without PHP's `date()`: the core's tests).
pub fn whmcs_time_of(host: &mut dyn Host, unix: i64) -> String {
    host.local_time(unix).unwrap_or_else(|| {
        let utc = crate::text::dates::utc(unix.max(0));
        utc.trim_end_matches('Z').replacen('T', " ", 1)
    })
}

/// The current time in WHMCS's local time (`Y-m-d H:i:s`): what `lastupdate` and every other
/// date the module writes into WHMCS's tables holds.
pub fn whmcs_now(host: &mut dyn Host) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    whmcs_time_of(host, now)
}

/// A column's new value in a batched update.
#[derive(Clone, Debug, PartialEq)]
pub enum SetTo {
    /// The same value for every row.
    Value(Value),
    /// `CASE <key> WHEN <id> THEN <n> … [ELSE <column>] END`, built by the core from integers
    /// only (see `crate::functions::usage::case`), so no text of a server or a user reaches SQL.
    Case(String),
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

/// A recording host for the core's unit tests: answers `localAPI` from a table of canned
/// answers, `db_value` from a table of rows, and `decrypt` by stripping an `enc:` prefix.
#[cfg(test)]
pub mod fake {
    use super::*;
    use std::collections::HashMap;

    /// What a test host was asked, and what it answers.
    #[derive(Default)]
    pub struct FakeHost {
        /// `localAPI` calls: command and values, in order.
        pub api_calls: Vec<(String, Value)>,
        /// Canned `localAPI` answers by command; a command without one answers success.
        pub api_answers: HashMap<String, Value>,
        /// `db_value` answers by `table.column`.
        pub db: HashMap<String, Value>,
        /// Activity Log lines.
        pub activity: Vec<String>,
        /// `db_rows` answers by table: the rows whose columns match the conditions.
        pub rows: HashMap<String, Vec<Value>>,
    }

    impl Host for FakeHost {
        fn log_module_call(&mut self, _action: &str, _record: &LogRecord, _secrets: &[String]) {}

        fn log_activity(&mut self, message: &str, _client_id: &str) {
            self.activity.push(message.to_string());
        }

        fn local_api(&mut self, command: &str, values: Value) -> Value {
            self.api_calls.push((command.to_string(), values));
            self.api_answers
                .get(command)
                .cloned()
                .unwrap_or_else(|| serde_json::json!({"result": "success"}))
        }

        fn db_value(
            &mut self,
            table: &str,
            _conditions: &[(&str, Value)],
            column: &str,
        ) -> Result<Option<Value>, WhmcsError> {
            Ok(self.db.get(&format!("{table}.{column}")).cloned())
        }

        fn db_insert(&mut self, _table: &str, _row: Value) -> Result<i64, WhmcsError> {
            Ok(99)
        }

        fn root_dir(&mut self) -> Option<String> {
            None
        }

        fn db_rows(
            &mut self,
            table: &str,
            conditions: &[(&str, Value)],
            _within: Option<(&str, &[Value])>,
        ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
            let text = |v: Option<&Value>| match v {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            Ok(self
                .rows
                .get(table)
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_object().cloned())
                .filter(|r| {
                    conditions
                        .iter()
                        .all(|(k, v)| text(r.get(*k)) == text(Some(v)))
                })
                .collect())
        }

        fn decrypt(&mut self, value: &str) -> Result<String, WhmcsError> {
            value
                .strip_prefix("enc:")
                .map(str::to_string)
                .ok_or_else(|| "not ciphertext".into())
        }
    }
}
