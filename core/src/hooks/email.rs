//! The `EmailPreSend` merge field `{$backup_pass_key}`: offered to the emails of services that
//! run this module, the key of the service the e-mail is about (see `pass_key_for`), so admins
//! need not count custom-field positions (`{$client_custom_fields.N}` keeps working for the
//! client field).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::server::api::Kind;
use crate::whmcs::host::Host;
use crate::whmcs::params::{scalar_text, Params};
use crate::whmcs::passkey::{self, Owner};

/// The merge field's name, used in templates as `{$backup_pass_key}`.
pub const MERGE_FIELD: &str = "backup_pass_key";

/// The merge fields to add to an email about service `relid`; empty for any other email.
/// Never fails: an email must go out even when the key cannot be read.
pub fn merge_fields(module: &str, vars: &Params, host: &mut dyn Host) -> Value {
    // `relid` is a service id only in product emails (a client id in general ones, an invoice id
    // in invoice ones…): anything else could show another client's pass key.
    let found = match is_product_email(&vars.text("messagename"), host) {
        Ok(true) => match pass_key_for(module, &vars.text("relid"), host) {
            Ok(found) => found,
            Err(e) => {
                // The email still goes out; the admin learns why the key is missing from it.
                host.log_activity(
                    &format!(
                        "sgwhmcs: {{${MERGE_FIELD}}} is empty in the email \"{}\" for service {}: {e}",
                        vars.text("messagename"),
                        vars.text("relid")
                    ),
                    "",
                );
                None
            }
        },
        _ => None,
    };
    let mut out = Map::new();
    if let Some(key) = found {
        out.insert(MERGE_FIELD.into(), Value::String(key));
    }
    Value::Object(out)
}

/// Whether email template `name` is about a service (`tblemailtemplates.type` = `product`).
fn is_product_email(name: &str, host: &mut dyn Host) -> Result<bool, String> {
    if name.is_empty() {
        return Ok(false);
    }
    let kind = host.db_value("tblemailtemplates", &[("name", json!(name))], "type")?;
    Ok(kind.as_ref().and_then(Value::as_str) == Some("product"))
}

/// The key of service `service_id` when it is a customer service of `module`: the service's own
/// `Pass Key` field; when that holds none, the client's `Pass Key` field, but only while the
/// client has no other customer service of the module (that field holds the client's most recently created or reset key,
/// which may be another service's). Never another service's key: `Err` says why it is empty.
fn pass_key_for(
    module: &str,
    service_id: &str,
    host: &mut dyn Host,
) -> Result<Option<String>, String> {
    if service_id.is_empty() || module.is_empty() {
        return Ok(None);
    }
    let service = [("id", json!(service_id))];
    let Some(product) = host.db_value("tblhosting", &service, "packageid")? else {
        return Ok(None);
    };
    // The module's products and the kind each makes, read as the usage update reads them.
    let products = crate::settings::whmcs_tables::products(host, module)?;
    let makes_customers =
        |product: &Value| product_kind(&products, product) == Some(Kind::Customer);
    if !makes_customers(&product) {
        // Another module's service, or a reseller's: resellers have no pass key.
        return Ok(None);
    }
    let Some(client) = host.db_value("tblhosting", &service, "userid")? else {
        return Ok(None);
    };
    let client = scalar_text(Some(&client));
    let product = scalar_text(Some(&product)).parse().unwrap_or(0);
    if let Some(own) =
        passkey::stored_in(host, Owner::Product(product), service_id).map_err(|e| e.to_string())?
    {
        return Ok(Some(own));
    }
    let Some(clients) = passkey::stored(host, &client).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let rows = host.db_rows("tblhosting", &[("userid", json!(client))], None)?;
    let services = rows
        .iter()
        .filter(|r| r.get("packageid").is_some_and(makes_customers))
        .count();
    if services <= 1 {
        return Ok(Some(clients));
    }
    Err(format!(
        "service {service_id} has no pass key in its own \"{FIELD}\" field, and client {client} has {services} customer services of this module, so the client's \"{FIELD}\" field may hold another service's key; press Store Pass Key Again on service {service_id} to store its own",
        FIELD = passkey::FIELD_NAME
    ))
}

/// The kind of account product `product` (a `tblhosting.packageid`) makes, when it is one of
/// `products` (this module's).
fn product_kind(
    products: &BTreeMap<i64, crate::settings::whmcs_tables::Product>,
    product: &Value,
) -> Option<Kind> {
    let id = scalar_text(Some(product)).trim().parse::<i64>().ok()?;
    products.get(&id).map(|p| p.kind)
}
