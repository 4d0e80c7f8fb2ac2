//! Secrets of one call (passwords, the certificate pin, a pass key) and their removal from any
//! text or JSON value before it reaches a log, a message or WHMCS.

use serde_json::Value;

use crate::options::field;
use crate::params::Params;
use crate::plan::Endpoint;

/// The values WHMCS must scrub from this call's log entries.
pub fn secrets(params: &Params, endpoint: &Endpoint) -> Vec<String> {
    let mut out = vec![endpoint.password.0.clone()];
    for key in ["password", "serverpassword", "serveraccesshash"] {
        out.push(params.text(key));
    }
    out.push(params.setting(field::PASSWORD));
    out.push(params.setting(field::FINGERPRINT));
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

/// `text` with every secret replaced by asterisks.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_string(), |t, s| t.replace(s.as_str(), "********"))
}

/// A JSON value with every secret inside its strings replaced by asterisks.
pub fn scrub_value(value: &Value, secrets: &[String]) -> Value {
    match value {
        Value::String(text) => Value::String(scrub(text, secrets)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| scrub_value(v, secrets)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), scrub_value(v, secrets)))
                .collect(),
        ),
        other => other.clone(),
    }
}
