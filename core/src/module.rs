//! The WHMCS module functions: each reads `$params` into plans, talks to the Backup Server, and
//! answers the shape WHMCS expects. Every failure becomes that shape's error; nothing throws.

use serde_json::{json, Map, Value};

use crate::api::{Account, NewAccount};
use crate::client::{Client, ClientError, LogRecord, NetSettings, PLAIN_HTTP_WARNING};
use crate::functions::{shape_of, Shape};
use crate::host::{api_ok, Host};
use crate::naming::{self, AccountName, USERNAME_LABEL};
use crate::options::{field, FieldType, OPTIONS};
use crate::params::Params;
use crate::passkey;
use crate::plan::{self, Endpoint, Policy, Problems, Scheme};

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
fn scrub_value(value: &Value, secrets: &[String]) -> Value {
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

/// Runs `work` with a client for `endpoint`, then hands its requests to the module log.
fn with_client<R>(
    host: &mut dyn Host,
    action: &str,
    endpoint: &Endpoint,
    net: &NetSettings,
    secrets: &[String],
    work: impl FnOnce(&mut Client) -> Result<R, String>,
) -> Result<R, String> {
    let mut records: Vec<LogRecord> = Vec::new();
    let mut secrets = secrets.to_vec();
    let result = {
        let mut sink = |r: LogRecord| records.push(r);
        match Client::new(endpoint, net, &mut sink) {
            Ok(mut client) => {
                let result = work(&mut client);
                secrets.extend_from_slice(client.learned_secrets());
                result
            }
            Err(e) => Err(explain(&e)),
        }
    };
    for record in &records {
        // The data itself must hold no secret either: WHMCS's own scrubbing is the second line.
        let record = LogRecord {
            request: scrub_value(&record.request, &secrets),
            response: scrub(&record.response, &secrets),
            processed: scrub_value(&record.processed, &secrets),
        };
        host.log_module_call(action, &record, &secrets);
    }
    // A server may echo what it was sent (a password in its error text): never pass that on.
    result.map_err(|e| scrub(&e, &secrets))
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
    reject(problems)?;
    let (Some(endpoint), Some(policy), Some(name)) = (endpoint, policy, name) else {
        return Err("Module settings are invalid".into());
    };
    let order = Order {
        hints: &MODULE_HINTS,
        action: "CreateAccount",
        contact: naming::contact(&params.nested("clientsdetails")),
        password: params.text("password"),
        secrets: secrets(params, &endpoint),
    };
    let noun = policy.kind.noun();
    let made = provision(host, net, &endpoint, &policy, &name, &order)?;
    if matches!(name, AccountName::Derived { .. }) {
        let answer = host.local_api(
            "UpdateClientProduct",
            json!({"serviceid": params.text("serviceid"), "serviceusername": made.name}),
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
    Ok("success".into())
}

/// The advice in messages, which differs between a module call and a hook.
pub struct Hints {
    /// What to do when the account name is held by another client.
    pub taken: &'static str,
    /// What to do when the pass key could not be stored.
    pub passkey_retry: &'static str,
}

/// Advice for module calls (an admin can edit the service and press Create again).
pub const MODULE_HINTS: Hints = Hints {
    taken: "set the service's username to a free name and run Create again",
    passkey_retry: "Run Create again to retry; the account is kept, not duplicated",
};

/// Advice for hooks (there is no service to edit, and re-adding a client makes another).
pub const HOOK_HINTS: Hints = Hints {
    taken: "create the account by hand in the Backup Server's web console, or change the client's company name",
    passkey_retry: "Copy it by hand from the Backup Server's web console into the client's Pass Key field",
};

/// Who and what a create is for, besides the product's policy.
pub struct Order {
    /// The advice its messages give.
    pub hints: &'static Hints,
    /// The WHMCS function or hook, for the module log.
    pub action: &'static str,
    /// The client's contact details.
    pub contact: crate::api::Contact,
    /// The account's own web console password (may be empty).
    pub password: String,
    /// Values WHMCS must scrub from the log.
    pub secrets: Vec<String>,
}

/// The account a create ended with.
pub struct Provisioned {
    /// Its name on the Backup Server.
    pub name: String,
    /// Its kind.
    pub noun: &'static str,
    /// The pass key, when the policy asks for it: read, or why not.
    pub passkey: Option<Result<String, String>>,
}

/// Creates (or adopts) the account for `order` and reads its pass key when asked to.
pub fn provision(
    host: &mut dyn Host,
    net: &NetSettings,
    endpoint: &Endpoint,
    policy: &Policy,
    name: &AccountName,
    order: &Order,
) -> Result<Provisioned, String> {
    let noun = policy.kind.noun();
    with_client(host, order.action, endpoint, net, &order.secrets, |c| {
        let chosen = choose_name(c, policy, name, &order.contact.email, order.hints)?;
        let created = match chosen.adopted {
            Some(existing) => existing.name,
            None => {
                let account =
                    new_account(policy, chosen.name, order.contact.clone(), &order.password);
                create_once(c, policy, &account, order.hints)?
            }
        };
        let passkey = policy
            .retrieve_passkey
            .then(|| c.passkey(&created).map_err(|e| explain(&e)));
        Ok(Provisioned {
            name: created,
            noun,
            passkey,
        })
    })
    .map_err(|e| format!("Could not create {noun}: {e}"))
}

/// Stores a read pass key in the client's `Pass Key` field; a failure leaves the account as it
/// is, and is logged and returned so the admin can run the create again (which adopts).
pub fn store_passkey(
    host: &mut dyn Host,
    order: &Order,
    made: &Provisioned,
    client_id: &str,
) -> Result<(), String> {
    let hints = order.hints;
    let stored = match &made.passkey {
        None => return Ok(()),
        Some(Err(e)) => Err(format!("it could not be read: {e}")),
        Some(Ok(key)) => passkey::store(host, client_id, key).map_err(|e| {
            format!(
                "WHMCS could not store it in the client's \"{}\" field: {e}",
                passkey::FIELD_NAME
            )
        }),
    };
    let Err(why) = stored else {
        return Ok(());
    };
    let message = format!(
        "The {} \"{}\" was created, but its pass key was not stored: {why}. {}",
        made.noun, made.name, hints.passkey_retry
    );
    let mut all = order.secrets.clone();
    if let Some(Ok(key)) = &made.passkey {
        all.push(key.clone());
    }
    let record = LogRecord {
        request: json!({"step": "store pass key", "client": client_id, "account": made.name}),
        response: message.clone(),
        processed: Value::String(message.clone()),
    };
    host.log_module_call(order.action, &record, &all);
    Err(message)
}

struct Chosen {
    name: String,
    adopted: Option<Account>,
}

/// Whether `account` belongs to the client with this e-mail address.
fn belongs_to(account: &Account, email: &str) -> bool {
    !email.is_empty()
        && account
            .contact
            .as_ref()
            .is_some_and(|c| c.email.eq_ignore_ascii_case(email))
}

/// Picks the name to create: a given name as it is; a derived name, or its `-<serviceid>` form
/// when another client holds it. An account that already belongs to this client is adopted.
fn choose_name(
    c: &mut Client,
    policy: &Policy,
    name: &AccountName,
    email: &str,
    hints: &Hints,
) -> Result<Chosen, String> {
    if let AccountName::Given(given) = name {
        return Ok(Chosen {
            name: given.clone(),
            adopted: None,
        });
    }
    let mut candidate = name.first().to_string();
    loop {
        match c.find(policy.kind, &candidate).map_err(|e| explain(&e))? {
            None => return Ok(Chosen { name: candidate, adopted: None }),
            Some(acc) if belongs_to(&acc, email) => return Ok(Chosen { name: candidate, adopted: Some(acc) }),
            Some(_) => match name.alternative() {
                Some(alt) if alt != candidate => candidate = alt,
                _ => {
                    return Err(format!(
                        "the name \"{candidate}\" is already taken on the Backup Server by another account; {}",
                        hints.taken
                    ))
                }
            },
        }
    }
}

fn new_account(
    policy: &Policy,
    name: String,
    contact: crate::api::Contact,
    password: &str,
) -> NewAccount {
    NewAccount {
        name,
        password: (!password.is_empty()).then(|| password.to_string()),
        contact,
        reseller: policy.reseller.clone(),
        active: policy.active,
        auto_authorization: policy.auto_authorization,
        storage: policy.storage.clone(),
        consolidated_report: policy.report.clone(),
        mcal: policy.mcal.clone(),
        throttle: policy.throttle.clone(),
        send_mail: policy.send_mail,
    }
}

/// Creates the account, never blindly twice: when the answer is lost or the name exists, the
/// account is read back and adopted if it belongs to this client.
fn create_once(
    c: &mut Client,
    policy: &Policy,
    account: &NewAccount,
    hints: &Hints,
) -> Result<String, String> {
    let first = match c.create(policy.kind, account) {
        Ok(created) => return Ok(created.name),
        Err(e) => e,
    };
    let taken = first.code() == Some("ALREADY_EXISTS");
    if !taken && !first.is_ambiguous() {
        return Err(explain(&first));
    }
    match c.find(policy.kind, &account.name) {
        Ok(Some(existing)) if belongs_to(&existing, &account.contact.email) => Ok(existing.name),
        Ok(Some(_)) if taken => Err(format!(
            "the name \"{}\" is already taken on the Backup Server by another account; {}",
            account.name, hints.taken
        )),
        Ok(None) => Err(explain(&first)),
        _ => Err(format!(
            "{}; it may or may not have been created: running Create again is safe, it adopts the account instead of making a second one",
            explain(&first)
        )),
    }
}

/// An admin-facing explanation of a client error.
fn explain(e: &ClientError) -> String {
    match e {
        ClientError::Api { status: 401, .. } => {
            "the Backup Server rejected the user name or password (AUTH_FAILED); check UserName and Password".into()
        }
        ClientError::Api { code, message, field: Some(f), .. } => {
            format!("the Backup Server refused it: {message} (field {f}, {code})")
        }
        ClientError::Api { code, message, .. } => format!("the Backup Server refused it: {message} ({code})"),
        other => other.to_string(),
    }
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
    let secrets = secrets(params, &endpoint);
    let verb = if active { "activate" } else { "deactivate" };
    let outcome = with_client(host, action, &endpoint, net, &secrets, |c| {
        match c.set_active(kind, &username, active) {
            Ok(_) => Ok("success".into()),
            // Terminating wants the account inactive; one that no longer exists already is.
            Err(ClientError::Api { code, .. })
                if code == "NOT_FOUND" && action == "TerminateAccount" =>
            {
                Ok("success".into())
            }
            Err(ClientError::Api { code, .. }) if code == "NOT_FOUND" => {
                Err("it does not exist on the Backup Server".into())
            }
            Err(e) => Err(explain(&e)),
        }
    });
    outcome.map_err(|e| format!("Could not {verb} {} \"{username}\": {e}", kind.noun()))
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
    with_client(host, "TestConnection", &endpoint, net, &secrets, |c| {
        c.server_info()
            .map(|_| endpoint.scheme)
            .map_err(|e| explain(&e))
    })
    .map_err(|e| format!("Connection failed: {e}"))
}
