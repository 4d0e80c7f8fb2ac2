//! The secrets of one call, gathered from its `$params`: the connection's password, the
//! certificate pin, the passwords WHMCS passes, and the pass keys stored in the service's custom
//! fields. What is done with them (masking) is `crate::secrets`.

use std::sync::LazyLock;

use serde_json::Value;

use crate::secrets::{basic_credential, Secrets};
use crate::server::endpoint::Endpoint;
use crate::settings::options::field;
use crate::whmcs::host::Host;
use crate::whmcs::params::Params;

/// The secret members of a module call's `$params` ([`secret_keys`]), each exactly as given
/// and trimmed (the form a message may quote). Gathered once per `Params` and kept in it: the
/// extension registers these for its panic reports before the core runs, and [`secrets`] starts
/// from the same set without reading `$params` again.
pub fn of_params(params: &Params) -> &Secrets {
    params.secrets_once(|params| {
        let mut out = Secrets::default();
        // Raw, untrimmed: spaces around a password are part of it. A transcoded value was
        // refused before anything was sent, so its absence here costs nothing.
        for key in secret_keys() {
            if let Ok(raw) = params.secret(key) {
                // `params.text(key)`, without looking the member up again.
                out.add(raw.trim());
                out.add(raw);
            }
        }
        out
    })
}

/// The secrets of a module call: those of its `$params` ([`of_params`]), and the connection's
/// password and Basic credential (so an echoed `Authorization` header is masked whole).
pub fn secrets(params: &Params, endpoint: &Endpoint) -> Secrets {
    let password = endpoint.password.expose();
    let mut out = of_params(params).clone();
    out.add(password);
    out.add(basic_credential(&endpoint.user, password));
    out
}

/// The members of a module call's `$params` that hold secrets (made once per process).
pub fn secret_keys() -> &'static [String] {
    static KEYS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let setting = |n: usize| format!("configoption{n}");
        ["password", "serverpassword", "serveraccesshash"]
            .map(String::from)
            .into_iter()
            .chain([setting(field::PASSWORD), setting(field::FINGERPRINT)])
            .collect()
    });
    &KEYS
}

/// The id [`filled_custom_fields`] gives the service's own `Pass Key` (a product custom field,
/// which `$params['customfields']` carries by name, not id): never a field id.
const SERVICE_PASS_KEY: &str = "service";

/// The filled custom fields of the client in `$params` (`clientsdetails.customfields`, a list
/// of `{id, value}`), as `(id, value)`, and the service's own `Pass Key` product field
/// (`customfields`, by name) as `("service", value)`: where a stored pass key may be.
pub fn filled_custom_fields(params: &Params) -> Vec<(String, String)> {
    // Read where they are: the client's details are not copied for this.
    let details = params.get("clientsdetails").and_then(Value::as_object);
    let mut out: Vec<(String, String)> = match details.and_then(|d| d.get("customfields")) {
        Some(Value::Array(fields)) => fields
            .iter()
            .filter_map(|f| {
                let value = f.get("value")?.as_str()?.to_string();
                let id = match f.get("id")? {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.trim().to_string(),
                    _ => return None,
                };
                (!value.is_empty()).then_some((id, value))
            })
            .collect(),
        _ => Vec::new(),
    };
    let service = params.get("customfields").and_then(Value::as_object);
    for (name, value) in service.into_iter().flatten() {
        if let Some(value) = value.as_str().filter(|v| !v.is_empty()) {
            if crate::whmcs::passkey::is_field_name(name) {
                out.push((SERVICE_PASS_KEY.into(), value.to_string()));
            }
        }
    }
    out
}

/// The pass keys stored earlier, among `filled` (see [`filled_custom_fields`]): the service's own
/// and the client field's, each as given and, for a Password field, decrypted: a server that
/// echoes one in a later answer (suspend, terminate) must not put it into a log or a message.
/// Costs one look-up of the client field's id, only when the client has a custom field value; a
/// failed look-up (its exception already taken by the host) leaves the client's out.
pub fn stored_pass_keys(filled: &[(String, String)], host: &mut dyn Host) -> Vec<String> {
    let client_values = filled.iter().any(|(i, _)| i != SERVICE_PASS_KEY);
    let client_field = client_values
        .then(|| crate::whmcs::passkey::field_id(host, false).ok().flatten())
        .flatten()
        .map(|id| id.to_string());
    let mut out = Vec::new();
    for (_, value) in filled
        .iter()
        .filter(|(i, _)| i == SERVICE_PASS_KEY || client_field.as_ref() == Some(i))
    {
        if let Ok(plain) = host.decrypt(value) {
            out.push(plain);
        }
        out.push(value.clone());
    }
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn the_secrets_of_params_are_read_once_and_again_only_for_other_members() {
        let params = Params::new(serde_json::json!({
            "serverusername": "admin", "serverpassword": " Adm1n-pw ", "password": "Svc-Pa55",
            "configoption5": "", "serveraccesshash": "", "username": "not-a-secret",
            "serverhostname": "b.test", "serversecure": "on", "configoption24": 7,
        }));
        let first = of_params(&params);
        assert_eq!(**first, s(&["Svc-Pa55", "Adm1n-pw", " Adm1n-pw ", "7"])[..]);
        // The guard's read is the plan's: the same set, not gathered again.
        assert!(std::ptr::eq(first, of_params(&params)));
        let mut problems = crate::settings::plan::Problems::default();
        let endpoint = crate::settings::plan::server_endpoint(&params, &mut problems);
        let endpoint = endpoint.unwrap_or_else(|| panic!("{:?}", problems.0));
        let all = secrets(&params, &endpoint);
        assert_eq!(
            *all,
            s(&[
                "Svc-Pa55",
                "Adm1n-pw",
                " Adm1n-pw ",
                "7",
                "admin: Adm1n-pw "
            ])[..]
        );
        // Other members may hold other secrets: parameters made with them gather again, and
        // keep nothing of the secret they replaced.
        let changed = params.with_members(
            serde_json::json!({"serverpassword": "N3w-pw"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(**of_params(&changed), s(&["Svc-Pa55", "N3w-pw", "7"])[..]);
    }

    #[test]
    fn the_stored_pass_key_is_found_by_its_fields_id_and_decrypted() {
        let mut host = crate::whmcs::host::fake::FakeHost::default();
        host.rows.insert(
            "tblcustomfields".into(),
            vec![serde_json::json!({"id": 7, "type": "client", "fieldname": crate::whmcs::passkey::FIELD_NAME})],
        );
        let params = Params::new(serde_json::json!({"clientsdetails": {"customfields": [
            {"id": 3, "value": "not a key"},
            {"id": "7", "value": "enc:K7Q2SECRET"},
        ]}}));
        assert_eq!(
            stored_pass_keys(&filled_custom_fields(&params), &mut host),
            s(&["K7Q2SECRET", "enc:K7Q2SECRET"])
        );
        // The service's own, from `customfields` by name (as WHMCS shows it), needs no look-up.
        let own = Params::new(
            serde_json::json!({"customfields": {crate::whmcs::passkey::FIELD_NAME: "OWNKEY7", "Notes": "x"}}),
        );
        let mut none = crate::whmcs::host::fake::FakeHost::default();
        assert_eq!(
            stored_pass_keys(&filled_custom_fields(&own), &mut none),
            s(&["OWNKEY7"])
        );
        // No field values, no look-up; no Pass Key field, nothing.
        let empty = Params::new(serde_json::json!({"clientsdetails": {"customfields": []}}));
        assert!(stored_pass_keys(&filled_custom_fields(&empty), &mut host).is_empty());
        let mut none = crate::whmcs::host::fake::FakeHost::default();
        assert!(stored_pass_keys(&filled_custom_fields(&params), &mut none).is_empty());
    }
}
