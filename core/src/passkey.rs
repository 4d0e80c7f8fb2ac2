//! Storing a customer's pass key in the WHMCS client custom field `Pass Key`, and reading it back
//! for the welcome email's `{$backup_pass_key}`.

use serde_json::{json, Value};

use crate::host::{api_ok, Host};

/// The client custom field the pass key goes into (the product documentation's name).
pub const FIELD_NAME: &str = "Pass Key";

/// The id of the client custom field `Pass Key`; created (admin-only, not on the order form)
/// when it does not exist yet.
pub fn field_id(host: &mut dyn Host, create: bool) -> Result<Option<i64>, String> {
    let found = host.db_value(
        "tblcustomfields",
        &[("type", json!("client")), ("fieldname", json!(FIELD_NAME))],
        "id",
    )?;
    if let Some(id) = found.as_ref().and_then(as_id) {
        return Ok(Some(id));
    }
    if !create {
        return Ok(None);
    }
    let row = json!({
        "type": "client", "relid": 0, "fieldname": FIELD_NAME, "fieldtype": "text",
        "description": "Backup Server pass key, filled in by sgwhmcs", "fieldoptions": "",
        "regexpr": "", "adminonly": "on", "required": "", "showorder": "", "showinvoice": "",
        "sortorder": 0,
    });
    host.db_insert("tblcustomfields", row).map(Some)
}

fn as_id(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str()?.trim().parse().ok())
}

/// Stores `passkey` in client `client_id`'s `Pass Key` field through `UpdateClient`.
pub fn store(host: &mut dyn Host, client_id: &str, passkey: &str) -> Result<(), String> {
    let id = field_id(host, true)?.ok_or("the Pass Key field could not be created")?;
    let fields = format!("a:1:{{i:{id};s:{}:\"{}\";}}", passkey.len(), passkey);
    let answer = host.local_api(
        "UpdateClient",
        json!({"clientid": client_id, "customfields": crate::client::base64(fields.as_bytes())}),
    );
    api_ok(&answer)
}

/// The pass key stored for client `client_id`, if any.
pub fn stored(host: &mut dyn Host, client_id: &str) -> Result<Option<String>, String> {
    let Some(id) = field_id(host, false)? else {
        return Ok(None);
    };
    let value = host.db_value(
        "tblcustomfieldsvalues",
        &[("fieldid", json!(id)), ("relid", json!(client_id))],
        "value",
    )?;
    Ok(value
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|v| !v.is_empty()))
}
