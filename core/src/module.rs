//! The WHMCS module functions: each reads `$params` into plans, talks to the Backup Server, and
//! answers the shape WHMCS expects. Every failure becomes that shape's error; nothing throws.

use serde_json::{json, Map, Value};

use crate::client::{ClientError, NetSettings, PLAIN_HTTP_WARNING};
use crate::functions::{shape_of, Shape};
use crate::host::{api_ok, Host};
use crate::naming::{self, AccountName, USERNAME_LABEL};
use crate::options::{FieldType, OPTIONS};
use crate::params::Params;
use crate::password;
use crate::plan::{self, Problems, Scheme};
use crate::provision::{explain, provision, store_passkey, with_client, Order, MODULE_HINTS};
use crate::secrets::secrets;

/// The module's display name in WHMCS.
pub const DISPLAY_NAME: &str = "Backup Server (sgwhmcs)";

/// Runs module function `function` with `params`; answers its WHMCS return value.
pub fn call(function: &str, params: &Params, host: &mut dyn Host, net: &NetSettings) -> Value {
    let Some(shape) = shape_of(function) else {
        return Shape::Status.failure(&format!("sgwhmcs has no module function {function}"));
    };
    match function {
        "MetaData" => meta_data(),
        "ConfigOptions" => config_options(),
        "CreateAccount" => status(create_account(params, host, net)),
        "SuspendAccount" => status(set_active(params, host, net, "SuspendAccount", false)),
        "UnsuspendAccount" => status(set_active(params, host, net, "UnsuspendAccount", true)),
        "TerminateAccount" => status(set_active(params, host, net, "TerminateAccount", false)),
        "TestConnection" => match test_connection(params, host, net) {
            Ok(Scheme::Http) => json!({"success": true, "error": PLAIN_HTTP_WARNING}),
            Ok(Scheme::Https) => json!({"success": true, "error": ""}),
            Err(e) => json!({"success": false, "error": e}),
        },
        "ChangePackage" => status(crate::change::change_package(params, host, net)),
        "ChangePassword" => status(crate::change::change_password(params, host, net)),
        _ => shape.failure(&format!("sgwhmcs has no module function {function}")),
    }
}

fn status(result: Result<String, String>) -> Value {
    Value::String(result.unwrap_or_else(|e| e))
}

/// `MetaData()`.
pub fn meta_data() -> Value {
    json!({
        "DisplayName": DISPLAY_NAME,
        "APIVersion": "1.1",
        "RequiresServer": true,
        "DefaultNonSSLPort": "6060",
        "DefaultSSLPort": "6061",
        "ListAccountsUniqueIdentifierField": "username",
        "ListAccountsUniqueIdentifierDisplayName": "Account name",
        // WHMCS would otherwise fill in a random or domain-based username and its own password
        // before CreateAccount, and the account-name rule of the product would never run.
        "AutoGenerateUsernameAndPassword": false,
    })
}

/// `ConfigOptions()`: the settings table in WHMCS's format and stored order.
pub fn config_options() -> Value {
    let mut out = Map::new();
    for spec in OPTIONS.iter() {
        let mut entry = Map::new();
        entry.insert("FriendlyName".into(), spec.label.into());
        entry.insert("Type".into(), spec.kind.whmcs_name().into());
        if let FieldType::Dropdown(choices) = spec.kind {
            entry.insert("Options".into(), choices.join(",").into());
        }
        if spec.size > 0 {
            entry.insert("Size".into(), spec.size.to_string().into());
        }
        entry.insert("Default".into(), spec.default.into());
        entry.insert("Description".into(), spec.description.into());
        out.insert(spec.label.into(), Value::Object(entry));
    }
    Value::Object(out)
}

/// Reports all collected problems as one message, or nothing.
pub fn reject(problems: Problems) -> Result<(), String> {
    if problems.0.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    Err(format!("Module settings are invalid: {}", list.join("; ")))
}

fn create_account(
    params: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<String, String> {
    let mut problems = Problems::default();
    let endpoint = plan::endpoint(params, &mut problems);
    let policy = plan::policy(params, &mut problems);
    let name = AccountName::from_params(params)
        .map_err(|p| problems.add(USERNAME_LABEL, p))
        .ok();
    let given = plan::service_password(params, &mut problems);
    reject(problems)?;
    let (Some(endpoint), Some(policy), Some(name), Some(given)) = (endpoint, policy, name, given)
    else {
        return Err("Module settings are invalid".into());
    };
    let service_id = params.text("serviceid");
    let password = ensure_password(given.0, host, &service_id)?;
    let mut secrets = secrets(params, &endpoint);
    secrets.push(password.clone());
    secrets.extend(crate::secrets::stored_pass_keys(params, host));
    let order = Order {
        hints: &MODULE_HINTS,
        action: "CreateAccount",
        contact: naming::contact(&params.nested("clientsdetails")),
        password,
        reference: crate::reference::for_service(host, &service_id)
            .map_err(|e| format!("Could not create {}: {e}", policy.kind.noun()))?,
        secrets,
    };
    let noun = policy.kind.noun();
    let made = provision(host, net, &endpoint, &policy, &name, &order)?;
    if matches!(name, AccountName::Derived { .. }) {
        let answer = host.local_api(
            "UpdateClientProduct",
            json!({"serviceid": service_id, "serviceusername": made.name}),
        );
        if let Err(e) = api_ok(&answer) {
            return Err(format!(
                "The {noun} \"{}\" was created, but WHMCS could not store it as the service's username ({e}); set the username to \"{}\" by hand so that suspend and terminate find it",
                made.name, made.name
            ));
        }
    }
    let client_id = params.text("userid");
    store_passkey(host, &order, &made, &client_id)?;
    if let Some(warning) = plain_http_warning(&endpoint, "CreateAccount") {
        // WHMCS shows "success" and nothing else, and the Module Log is off by default; a product
        // with its own http fields has no Test Connection button: the Activity Log is the place.
        host.log_activity(&warning, &client_id);
    }
    Ok("success".into())
}

/// The Activity Log line that tells the admin a successful `action` went over plain http, or
/// `None` over https.
pub fn plain_http_warning(endpoint: &plan::Endpoint, action: &str) -> Option<String> {
    (endpoint.scheme == Scheme::Http).then(|| {
        format!(
            "sgwhmcs {action} to {}:{} succeeded. {PLAIN_HTTP_WARNING}",
            endpoint.host, endpoint.port
        )
    })
}

/// The service's web console password; when WHMCS gives none, a generated one, stored as the
/// service's password BEFORE the account is made, so that a Create run again (which adopts the
/// account) sends the same one and WHMCS always holds the account's password.
fn ensure_password(given: String, host: &mut dyn Host, service_id: &str) -> Result<String, String> {
    if !given.is_empty() {
        return Ok(given);
    }
    let made = password::generate().map_err(|e| {
        format!("No web console password could be generated: {e}; nothing was created")
    })?;
    let answer = host.local_api(
        "UpdateClientProduct",
        json!({"serviceid": service_id, "servicepassword": made}),
    );
    api_ok(&answer).map_err(|e| {
        let e = crate::secrets::scrub(&e, std::slice::from_ref(&made));
        format!("The service has no password and WHMCS could not store a generated one ({e}); nothing was created: set a password on the service and run Create again")
    })?;
    Ok(made)
}

fn set_active(
    params: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
    action: &str,
    active: bool,
) -> Result<String, String> {
    let mut problems = Problems::default();
    let endpoint = plan::endpoint(params, &mut problems);
    let kind = plan::kind(params, &mut problems);
    let username = params.text("username");
    if username.is_empty() {
        problems.add(USERNAME_LABEL, "is empty, so the account on the Backup Server is unknown; run Create first or set the username");
    }
    reject(problems)?;
    let (Some(endpoint), Some(kind)) = (endpoint, kind) else {
        return Err("Module settings are invalid".into());
    };
    let mut secrets = secrets(params, &endpoint);
    secrets.extend(crate::secrets::stored_pass_keys(params, host));
    let verb = if active { "activate" } else { "deactivate" };
    let outcome = with_client(host, action, &endpoint, net, &secrets, |c| {
        let terminating = action == "TerminateAccount";
        match c.set_active(kind, &username, active) {
            Ok(_) => Ok("success".into()),
            // Terminating wants the account inactive; one that no longer exists already is.
            Err(ClientError::Api { code, .. }) if code == "NOT_FOUND" && terminating => {
                Ok("success".into())
            }
            Err(ClientError::Api { code, .. }) if code == "NOT_FOUND" => {
                Err("it does not exist on the Backup Server".into())
            }
            // The server may have done it: its state, read back, decides.
            Err(e) if e.is_ambiguous() => confirm(c, kind, &username, active, terminating, &e),
            Err(e) => Err(explain(&e)),
        }
    });
    outcome.map_err(|e| format!("Could not {verb} {} \"{username}\": {e}", kind.noun()))
}

/// After an answer that does not say whether a state change happened, reads the account back:
/// success when it is in the state wanted, otherwise the first failure and what the read showed.
fn confirm(
    c: &mut crate::client::Client,
    kind: crate::api::Kind,
    name: &str,
    active: bool,
    terminating: bool,
    first: &ClientError,
) -> Result<String, String> {
    let wanted = if active { "active" } else { "inactive" };
    let other = if active { "inactive" } else { "active" };
    match c.find(kind, name) {
        Ok(Some(account)) if account.active == Some(active) => Ok("success".into()),
        Ok(Some(_)) => Err(format!(
            "{}; read back, it is still {other}",
            explain(first)
        )),
        Ok(None) if terminating => Ok("success".into()),
        Ok(None) => Err(format!(
            "{}; read back, it does not exist on the Backup Server",
            explain(first)
        )),
        Err(read) => Err(format!(
            "{}; reading its state back failed too ({}), so whether it is {wanted} is unknown: running it again is safe",
            explain(first),
            explain(&read)
        )),
    }
}

/// Answers the scheme that worked, so an http success can carry a warning.
fn test_connection(
    params: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Scheme, String> {
    let mut problems = Problems::default();
    let endpoint = plan::server_endpoint(params, &mut problems);
    reject(problems)
        .map_err(|e| e.replace("Module settings are invalid", "Server settings are invalid"))?;
    let Some(endpoint) = endpoint else {
        return Err("Server settings are invalid".into());
    };
    let secrets = secrets(params, &endpoint);
    let scheme = with_client(host, "TestConnection", &endpoint, net, &secrets, |c| {
        c.server_info()
            .map(|_| endpoint.scheme)
            .map_err(|e| explain(&e))
    })
    .map_err(|e| format!("Connection failed: {e}"))?;
    if let Some(warning) = plain_http_warning(&endpoint, "Test Connection") {
        // WHMCS shows only "successful" after a successful test and throws `error` away: the
        // Activity Log is where the admin sees the warning (the Module Log has it on each request).
        host.log_activity(&warning, "");
    }
    Ok(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::fake::FakeHost;

    #[test]
    fn the_plain_http_warning_names_the_action_and_server_and_no_secret() {
        let endpoint = |prefix: &str| {
            let params = Params::new(json!({
                "serverhttpprefix": prefix, "serverhostname": "backup.example.test",
                "serverport": "6060", "serverusername": "admin", "serverpassword": "S3cret-pw",
            }));
            plan::server_endpoint(&params, &mut Problems::default()).unwrap()
        };
        let line = plain_http_warning(&endpoint("http"), "CreateAccount").unwrap();
        assert!(line.starts_with("sgwhmcs CreateAccount to backup.example.test:6060 succeeded."));
        assert!(line.ends_with(PLAIN_HTTP_WARNING), "{line}");
        assert!(!line.contains("S3cret-pw"));
        assert_eq!(
            plain_http_warning(&endpoint("https"), "CreateAccount"),
            None
        );
    }

    #[test]
    fn metadata_opts_out_of_whmcs_generated_credentials() {
        assert_eq!(meta_data()["AutoGenerateUsernameAndPassword"], json!(false));
    }

    #[test]
    fn a_given_password_is_used_as_it_is_and_not_stored_again() {
        let mut host = FakeHost::default();
        assert_eq!(
            ensure_password("Given-Pa55".into(), &mut host, "5").unwrap(),
            "Given-Pa55"
        );
        assert!(host.api_calls.is_empty());
    }

    #[test]
    fn a_missing_password_is_generated_and_stored_first() {
        let mut host = FakeHost::default();
        let made = ensure_password(String::new(), &mut host, "5").unwrap();
        assert!(password::strong(&made) && made.len() >= 16, "{made}");
        let (command, values) = &host.api_calls[0];
        assert_eq!(command, "UpdateClientProduct");
        assert_eq!(values, &json!({"serviceid": "5", "servicepassword": made}));
    }

    #[test]
    fn a_password_whmcs_cannot_store_stops_the_create_without_showing_it() {
        let mut host = FakeHost::default();
        host.api_answers.insert(
            "UpdateClientProduct".into(),
            json!({"result": "error", "message": "Database error"}),
        );
        let e = ensure_password(String::new(), &mut host, "5").unwrap_err();
        assert!(
            e.contains("Database error") && e.contains("nothing was created"),
            "{e}"
        );
        let sent = host.api_calls[0].1["servicepassword"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!e.contains(&sent));
    }
}
