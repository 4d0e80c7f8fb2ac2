//! Talking to the Backup Server for one WHMCS call: creating (or adopting) an account, reading its
//! pass key, and logging each request to the Module Log with secrets removed.

use serde_json::{json, Value};

use crate::api::{Account, NewAccount};
use crate::client::{Client, ClientError, LogRecord, NetSettings};
use crate::host::Host;
use crate::naming::AccountName;
use crate::passkey;
use crate::plan::{Endpoint, Policy};
use crate::secrets::{scrub, scrub_value};

/// Runs `work` with a client for `endpoint`, then hands its requests to the module log.
pub fn with_client<R>(
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
    let mut all = order.secrets.clone();
    if let Some(Ok(key)) = &made.passkey {
        all.push(key.clone());
    }
    // The read's error came back through `with_client`'s success path, so it is not scrubbed
    // yet: a server may have echoed the request (its Authorization header) in it.
    let message = scrub(
        &format!(
            "The {} \"{}\" was created, but its pass key was not stored: {why}. {}",
            made.noun, made.name, hints.passkey_retry
        ),
        &all,
    );
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
pub fn explain(e: &ClientError) -> String {
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
