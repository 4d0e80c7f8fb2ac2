//! WHMCS's own tables read as a module call's `$params` has them, for the calls WHMCS makes
//! without `$params`: a product's module settings (`tblproducts`: the daily usage update, Usage
//! Billing, the e-mail merge field, the `ClientEdit` contact sync) and a server record
//! (`tblservers`: the contact sync and the signup hooks' `$sgwhmcsServerId`). One adapter each,
//! so every caller reads the same values the same way (entities decoded, text that was not UTF-8
//! marked so a secret in it is refused rather than sent altered).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::server::api::Kind;
use crate::settings::options::{field, Action, OPTIONS};
use crate::text::entities::decode_entities;
use crate::whmcs::host::{Host, WhmcsError};
use crate::whmcs::params::{scalar_text, Params};

/// A product of this module, as usage needs it.
#[derive(Clone, Debug)]
pub struct Product {
    /// Its name (`tblproducts.name`), for log lines.
    pub name: String,
    /// The kind of account it creates.
    pub kind: Kind,
    /// Whether it carries its own connection fields (then no WHMCS server stands for it).
    pub own_connection: bool,
    /// Its module settings as `$params` would carry them (`configoption1` … `24`, decoded).
    pub settings: Params,
}

/// This module's products, by id.
pub fn products(host: &mut dyn Host, module: &str) -> Result<BTreeMap<i64, Product>, String> {
    if module.is_empty() {
        return Err("the module's name is unknown, so its products are too".into());
    }
    let rows = host
        .db_rows("tblproducts", &[("servertype", json!(module))], None)
        .map_err(|e| format!("WHMCS could not read the module's products ({e})"))?;
    let mut out = BTreeMap::new();
    for row in rows {
        if let Ok(id) = scalar_text(row.get("id")).parse::<i64>() {
            out.insert(id, product_of(&row));
        }
    }
    Ok(out)
}

/// A `tblproducts` row as the module reads it: its 24 settings as `configoptionN` (entities
/// decoded), the kind of account it makes, and whether it carries its own connection.
fn product_of(row: &Map<String, Value>) -> Product {
    let values: Map<String, Value> = (1..=OPTIONS.len())
        .map(|n| {
            let key = format!("configoption{n}");
            let value = decode_entities(&scalar_text(row.get(&key)));
            (key, Value::String(value))
        })
        .collect();
    // The host reads rows as JSON, where bytes that are not UTF-8 become U+FFFD: such a value
    // was changed, so a password or user name in it is refused (as from `$params`), never sent
    // altered.
    let transcoded = values
        .iter()
        .filter(|(_, v)| v.as_str().is_some_and(|t| t.contains('\u{FFFD}')))
        .map(|(k, _)| crate::whmcs::params::pointer(k))
        .collect();
    let settings = Params::with_transcoded(Value::Object(values), transcoded);
    let kind = match settings.setting(field::ACTION).as_str() {
        t if t == Action::SignupReseller.text() => Kind::Reseller,
        _ => Kind::Customer,
    };
    let own_connection = [field::HOST, field::USERNAME, field::PASSWORD]
        .iter()
        .any(|n| !settings.setting(*n).is_empty());
    Product {
        name: scalar_text(row.get("name")),
        kind,
        own_connection,
        settings,
    }
}

/// Product `id` when it is a product of `module` (WHMCS compares module names without case);
/// `None` when it is another module's, or cannot be read (then it is not known to be this
/// module's).
pub fn product(host: &mut dyn Host, module: &str, id: &str) -> Option<Product> {
    let id = id.parse::<i64>().ok()?;
    let rows = host
        .db_rows("tblproducts", &[("id", json!(id))], None)
        .ok()?;
    let row = rows.into_iter().next()?;
    if !scalar_text(row.get("servertype")).eq_ignore_ascii_case(module) {
        return None;
    }
    Some(product_of(&row))
}

/// Why a WHMCS server record could not be read (its words follow "the connection of a service":
/// "its WHMCS server 3 could not be read: …").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ServerRecordError {
    /// The server id is not a number.
    #[error("its server id is not a number")]
    NotANumber,
    /// `tblservers` could not be read: WHMCS's answer.
    #[error("its WHMCS server {server} could not be read: {why}")]
    Unreadable {
        /// The server id.
        server: String,
        /// WHMCS's answer.
        why: WhmcsError,
    },
    /// WHMCS's `decrypt()` failed on the server's password: WHMCS's answer.
    #[error("the password of its WHMCS server {server} could not be decrypted: {why}")]
    Undecryptable {
        /// The server id.
        server: String,
        /// WHMCS's answer.
        why: WhmcsError,
    },
}

/// The WHMCS server's fields as a module call's `$params` has them (`serverhostname`, …), read
/// from `tblservers`; its password is stored encrypted and is decrypted with WHMCS's `decrypt()`.
pub fn server_fields(
    host: &mut dyn Host,
    server: &str,
) -> Result<Map<String, Value>, ServerRecordError> {
    let id = json!(server
        .parse::<i64>()
        .map_err(|_| ServerRecordError::NotANumber)?);
    let mut read = |column: &str| -> Result<String, ServerRecordError> {
        let value = host
            .db_value("tblservers", &[("id", id.clone())], column)
            .map_err(|why| ServerRecordError::Unreadable {
                server: server.to_string(),
                why,
            })?;
        Ok(match value {
            Some(Value::String(s)) => s,
            other => scalar_text(other.as_ref()),
        })
    };
    let hostname = read("hostname")?;
    let ip = read("ipaddress")?;
    let user = read("username")?;
    let cipher = read("password")?;
    let access_hash = read("accesshash")?;
    let secure = read("secure")?;
    let port = read("port")?;
    let password = if cipher.is_empty() {
        String::new()
    } else {
        host.decrypt(&cipher)
            .map_err(|why| ServerRecordError::Undecryptable {
                server: server.to_string(),
                why,
            })?
    };
    let secure = crate::whmcs::params::is_yes(Some(&json!(secure)));
    let decoded = |text: String| crate::text::entities::decode_entities(&text);
    let mut fields = Map::new();
    fields.insert("server".into(), json!(true));
    fields.insert("serverhostname".into(), json!(decoded(hostname)));
    fields.insert("serverip".into(), json!(decoded(ip)));
    fields.insert("serverusername".into(), json!(decoded(user)));
    fields.insert("serverpassword".into(), json!(decoded(password)));
    fields.insert("serveraccesshash".into(), json!(decoded(access_hash)));
    fields.insert("serversecure".into(), json!(secure));
    fields.insert("serverport".into(), json!(port));
    fields.insert(
        "serverhttpprefix".into(),
        json!(if secure { "https" } else { "http" }),
    );
    Ok(fields)
}
