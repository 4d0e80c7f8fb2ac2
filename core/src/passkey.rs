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

/// How a field of WHMCS custom field type `kind` holds a pass key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holding {
    /// As text (`text`, `textarea`), readable as it is stored.
    Plain,
    /// Encrypted by WHMCS (`password`): read back through WHMCS's `decrypt()`.
    Encrypted,
}

/// How a `Pass Key` field of type `kind` (`tblcustomfields.fieldtype`) holds the key, or why it
/// cannot: a dropdown, tick box or link field cannot hold a free value.
pub fn holding(kind: &str) -> Result<Holding, String> {
    match kind.trim().to_ascii_lowercase().as_str() {
        "" | "text" | "textarea" => Ok(Holding::Plain),
        "password" => Ok(Holding::Encrypted),
        other => Err(format!(
            "the client custom field \"{FIELD_NAME}\" is a {other} field, which cannot hold a pass key; in Setup > Custom Client Fields change its Field Type to Password (kept encrypted) or Text Box"
        )),
    }
}

/// The `Pass Key` field's id and how it holds the key.
fn field(host: &mut dyn Host, create: bool) -> Result<Option<(i64, Holding)>, String> {
    let Some(id) = field_id(host, create)? else {
        return Ok(None);
    };
    let kind = host.db_value("tblcustomfields", &[("id", json!(id))], "fieldtype")?;
    let kind = kind.as_ref().and_then(Value::as_str).unwrap_or("");
    Ok(Some((id, holding(kind)?)))
}

/// Stores `passkey` in client `client_id`'s `Pass Key` field through `UpdateClient`, which
/// encrypts it when the field is a password field. `skipvalidation`: without it WHMCS refuses the
/// call on any site with a required or regex-checked client field the client has not filled in.
pub fn store(host: &mut dyn Host, client_id: &str, passkey: &str) -> Result<(), String> {
    let (id, _) = field(host, true)?.ok_or("the Pass Key field could not be created")?;
    let fields = format!("a:1:{{i:{id};s:{}:\"{}\";}}", passkey.len(), passkey);
    let answer = host.local_api(
        "UpdateClient",
        json!({
            "clientid": client_id,
            "customfields": crate::client::base64(fields.as_bytes()),
            "skipvalidation": true,
        }),
    );
    api_ok(&answer)
}

/// The pass key stored for client `client_id`, if any; a password field's value is decrypted.
/// `Err` when the field cannot hold a pass key or the value cannot be read.
pub fn stored(host: &mut dyn Host, client_id: &str) -> Result<Option<String>, String> {
    let Some((id, holding)) = field(host, false)? else {
        return Ok(None);
    };
    let value = host.db_value(
        "tblcustomfieldsvalues",
        &[("fieldid", json!(id)), ("relid", json!(client_id))],
        "value",
    )?;
    let Some(raw) = value
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|v| !v.is_empty())
    else {
        return Ok(None);
    };
    let key = match holding {
        Holding::Plain => raw,
        Holding::Encrypted => host.decrypt(&raw).map_err(|e| {
            format!("the client's \"{FIELD_NAME}\" password field could not be decrypted: {e}")
        })?,
    };
    Ok(Some(key.trim().to_string()).filter(|k| !k.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::fake::FakeHost;

    fn host_with_field(kind: &str, value: &str) -> FakeHost {
        let mut host = FakeHost::default();
        host.db.insert("tblcustomfields.id".into(), json!(7));
        host.db
            .insert("tblcustomfields.fieldtype".into(), json!(kind));
        host.db
            .insert("tblcustomfieldsvalues.value".into(), json!(value));
        host
    }

    #[test]
    fn storing_skips_whmcs_validation_of_other_fields() {
        let mut host = host_with_field("password", "");
        store(&mut host, "12", "ABCD1234").unwrap();
        let (command, values) = &host.api_calls[0];
        assert_eq!(command, "UpdateClient");
        assert_eq!(values["skipvalidation"], json!(true));
        assert_eq!(values["clientid"], json!("12"));
        let fields = crate::client::base64(b"a:1:{i:7;s:8:\"ABCD1234\";}");
        assert_eq!(values["customfields"], json!(fields));
    }

    #[test]
    fn a_password_field_is_decrypted_and_a_text_field_read_as_it_is() {
        let mut host = host_with_field("password", "enc:ABCD1234");
        assert_eq!(
            stored(&mut host, "12").unwrap().as_deref(),
            Some("ABCD1234")
        );
        let mut host = host_with_field("password", "garbage");
        assert!(stored(&mut host, "12")
            .unwrap_err()
            .contains("could not be decrypted"));
        let mut host = host_with_field("text", "ABCD1234");
        assert_eq!(
            stored(&mut host, "12").unwrap().as_deref(),
            Some("ABCD1234")
        );
        let mut host = host_with_field("text", "");
        assert_eq!(stored(&mut host, "12").unwrap(), None);
    }

    #[test]
    fn a_field_that_cannot_hold_a_key_is_refused_before_anything_is_written() {
        let mut host = host_with_field("tickbox", "");
        let e = store(&mut host, "12", "ABCD1234").unwrap_err();
        assert!(e.contains("is a tickbox field"), "{e}");
        assert!(host.api_calls.is_empty());
    }

    #[test]
    fn field_types_that_hold_a_key() {
        assert_eq!(holding("text"), Ok(Holding::Plain));
        assert_eq!(holding("textarea"), Ok(Holding::Plain));
        assert_eq!(holding("Password"), Ok(Holding::Encrypted));
        for kind in ["dropdown", "tickbox", "link"] {
            let e = holding(kind).unwrap_err();
            assert!(e.contains(&format!("is a {kind} field")), "{e}");
            assert!(e.contains("change its Field Type to Password"), "{e}");
        }
    }
}
