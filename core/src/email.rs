//! The `EmailPreSend` merge field `{$backup_pass_key}`: offered to the emails of services that
//! run this module, from the client's stored `Pass Key`, so admins need not count custom-field
//! positions (`{$client_custom_fields.N}` keeps working too).

use serde_json::{json, Map, Value};

use crate::host::Host;
use crate::params::{scalar_text, Params};
use crate::passkey;

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
    let module_of = host.db_value("tblproducts", &[("id", product)], "servertype")?;
    if module_of.as_ref().and_then(Value::as_str) != Some(module) {
        return Ok(None);
    }
    let Some(client) = host.db_value("tblhosting", &service, "userid")? else {
        return Ok(None);
    };
    let client = scalar_text(Some(&client));
    passkey::stored(host, &client)
}
