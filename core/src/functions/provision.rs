//! Talking to the Backup Server for one WHMCS call: creating (or adopting) an account, reading its
//! pass key, and logging each request to the Module Log with secrets removed.

use serde_json::{json, Value};

use crate::functions::failure::Failure;
use crate::secrets::{scrub, Scrubber, Secrets};
use crate::server::api::{Account, Code, Contact, ErrorCode, NewAccount};
use crate::server::client::{
    not_api_text, redirected_text, Client, ClientError, LogRecord, NetSettings,
};
use crate::server::endpoint::Endpoint;
use crate::server::listing::Stopped;
use crate::settings::naming::AccountName;
use crate::settings::plan::Policy;
use crate::settings::terms::Terms;
use crate::whmcs::host::Host;
use crate::whmcs::passkey;

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
    // One scrubber for every record and the error: building one (each secret's derived forms)
    // costs more than scrubbing a record with it, so the last one is kept for the next call.
    let scrubber = Scrubber::cached(&secrets);
    for mut record in records {
        // The data itself must hold no secret either: WHMCS's own scrubbing is the second line.
        // Scrubbed in place: only what holds a secret is copied.
        scrubber.scrub_value_in_place(&mut record.request);
        scrubber.scrub_in_place(&mut record.response);
        scrubber.scrub_value_in_place(&mut record.processed);
        host.log_module_call(action, &record, &secrets);
    }
    // A server may echo what it was sent (a password in its error text): never pass that on.
    result.map_err(|e| scrubber.scrub(&e))
}

/// The advice in messages, which differs between a module call and a hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hints {
    /// A module call: an admin can edit the service and press Create again.
    ModuleCall,
    /// A hook: there is no service to edit, and re-adding a client makes another.
    Hook,
}

impl Hints {
    /// What to do when the account name is held by another client.
    pub fn taken(self) -> &'static str {
        match self {
            Hints::ModuleCall => "set the service's username to a free name and run Create again",
            Hints::Hook => "create the account by hand in the Backup Server's web console, or change the client's company name",
        }
    }

    /// What to do when the pass key could not be stored.
    pub fn passkey_retry(self) -> String {
        match self {
            Hints::ModuleCall => {
                "Run Create again to retry; the account is kept, not duplicated".to_string()
            }
            Hints::Hook => format!(
                "Copy it by hand from the Backup Server's web console into the client's {} field",
                passkey::FIELD_NAME
            ),
        }
    }
}

/// Advice for module calls.
pub const MODULE_HINTS: Hints = Hints::ModuleCall;

/// Advice for hooks.
pub const HOOK_HINTS: Hints = Hints::Hook;

/// Who and what a create is for, besides the product's policy.
pub struct Order {
    /// The advice its messages give.
    pub hints: &'static Hints,
    /// Where the connection's settings are edited, which its messages name.
    pub terms: Terms,
    /// The WHMCS function or hook, for the module log.
    pub action: &'static str,
    /// The client's contact details.
    pub contact: crate::server::api::Contact,
    /// The account's own web console password (may be empty).
    pub password: String,
    /// The external reference tying the account to its service (or, for hooks, its client):
    /// only an account carrying it is ever adopted.
    pub reference: String,
    /// The call's secrets: WHMCS must scrub them from the log.
    pub secrets: Secrets,
}

/// The account a create ended with.
pub struct Provisioned {
    /// Its name on the Backup Server.
    pub name: String,
    /// Its kind.
    pub noun: &'static str,
    /// The pass key, when the policy asks for it: read, or why not.
    pub passkey: Option<Result<String, ClientError>>,
}

/// Creates (or adopts) the account for `order` and reads its pass key when asked to.
pub fn provision(
    host: &mut dyn Host,
    net: &NetSettings,
    endpoint: &Endpoint,
    policy: &Policy,
    name: &AccountName,
    order: &Order,
) -> Result<Provisioned, Failure> {
    let noun = policy.kind.noun();
    with_client(host, order.action, endpoint, net, &order.secrets, |c| {
        let created = settle(c, policy, name, order)?;
        let passkey = policy.retrieve_passkey.then(|| c.passkey(&created));
        Ok(Provisioned {
            name: created,
            noun,
            passkey,
        })
    })
    .map_err(|why| Failure::Create { noun, why })
}

/// Stores a read pass key where `home` says (a service's account: the service's `Pass Key` field
/// and the client's; a hook's account: the client's); a failure leaves the account as it is, and
/// is logged and returned so the admin can run the create again (which adopts).
pub fn store_passkey<'a>(
    host: &mut dyn Host,
    order: &Order,
    made: &Provisioned,
    home: impl Into<passkey::Home<'a>>,
) -> Result<(), Failure> {
    let hints = order.hints;
    let home = home.into();
    let client_id = match home {
        passkey::Home::Client(client) | passkey::Home::Service { client, .. } => client,
    };
    let stored = match &made.passkey {
        None => return Ok(()),
        Some(Err(e)) => Err(format!(
            "it could not be read: {}",
            explain_in(e, order.terms)
        )),
        Some(Ok(key)) => passkey::store(host, home, key).map_err(|e| e.to_string()),
    };
    let Err(why) = stored else {
        return Ok(());
    };
    let mut all = order.secrets.clone();
    if let Some(Ok(key)) = &made.passkey {
        all.add(key.clone());
    }
    // The read's error came back through `with_client`'s success path, so it is not scrubbed
    // yet: a server may have echoed the request (its Authorization header) in it.
    let message = scrub(
        &format!(
            "The {} \"{}\" was created, but its pass key was not stored: {why}. {}",
            made.noun,
            made.name,
            hints.passkey_retry()
        ),
        &all,
    );
    let record = LogRecord {
        request: json!({"step": "store pass key", "client": client_id, "account": made.name}),
        response: message.clone(),
        processed: Value::String(message.clone()),
    };
    host.log_module_call(order.action, &record, &all);
    Err(Failure::PassKeyNotStored(message))
}

/// The name this order's account ends with: an account already carrying the order's reference is
/// adopted (derived names are searched for by reference first, under whatever name an earlier
/// attempt gave it); otherwise the first name is created, and a derived name that is taken, even
/// by a create racing this one, falls back to its `-<id>` form. An account with another
/// reference, or with none, is never taken over.
fn settle(
    c: &mut Client,
    policy: &Policy,
    name: &AccountName,
    order: &Order,
) -> Result<String, String> {
    let kind = policy.kind;
    // Every field fits before anything is sent (other names differ only in a bounded suffix).
    crate::settings::rules::request_lengths(&new_account(policy, name.first().to_string(), order))?;
    let mut candidates = vec![name.first().to_string()];
    if let AccountName::Derived { .. } = name {
        let mine = c
            .find_by_reference(kind, &order.reference)
            .map_err(|e| explain_in(&e, order.terms))?;
        if let Some(account) = mine.into_iter().next() {
            return adopt(c, policy, account, order.terms);
        }
        if let Some(alt) = name
            .alternative()
            .filter(|a| !a.eq_ignore_ascii_case(&candidates[0]))
        {
            candidates.push(alt);
        }
    }
    let derived = matches!(name, AccountName::Derived { .. });
    for candidate in &candidates {
        let account = new_account(policy, candidate.clone(), order);
        // A derived name is looked up first, so a name known to be taken costs no create.
        if derived {
            match c
                .find(kind, candidate)
                .map_err(|e| explain_in(&e, order.terms))?
            {
                Some(existing) if existing.has_reference(&order.reference) => {
                    return adopt(c, policy, existing, order.terms)
                }
                Some(_) => continue,
                None => {}
            }
        }
        match create_once(c, policy, &account, order.terms)? {
            Attempt::Made(made) => return Ok(made),
            Attempt::Adopt(existing) => return adopt(c, policy, *existing, order.terms),
            Attempt::Taken => continue,
        }
    }
    let last = candidates.last().map(String::as_str).unwrap_or_default();
    Err(format!(
        "the name \"{last}\" is already taken on the Backup Server by another account; {}",
        order.hints.taken()
    ))
}

fn new_account(policy: &Policy, name: String, order: &Order) -> NewAccount {
    NewAccount {
        reference: order.reference.clone(),
        password: (!order.password.is_empty()).then(|| order.password.clone()),
        contact: order.contact.clone(),
        send_mail: policy.send_mail,
        ..policy_account(policy, &name)
    }
}

/// The account `policy` describes under `name`, with no reference, password or contact and no
/// welcome mail: what a create sends before the order's own fields, and what a change of package
/// checks its lengths against.
pub fn policy_account(policy: &Policy, name: &str) -> NewAccount {
    NewAccount {
        name: name.to_string(),
        password: None,
        reference: String::new(),
        contact: Contact::default(),
        reseller: policy.reseller.clone(),
        active: policy.active,
        auto_authorization: policy.auto_authorization,
        storage: policy.storage.clone(),
        consolidated_report: policy.report.clone(),
        mcal: policy.mcal.clone(),
        throttle: policy.throttle.clone(),
        send_mail: false,
    }
}

/// How one create attempt ended, when it did not fail.
#[derive(Debug, PartialEq)]
enum Attempt {
    /// This order's account exists under this name (made now, or adopted).
    Made(String),
    /// This order's account already exists (its reference says so): adopt it.
    Adopt(Box<Account>),
    /// The name belongs to another account.
    Taken,
}

/// Creates the account, never blindly twice: when the answer is lost or unreadable, or the name
/// exists, the account is read back and adopted only if it carries this order's reference.
fn create_once(
    c: &mut Client,
    policy: &Policy,
    account: &NewAccount,
    terms: Terms,
) -> Result<Attempt, String> {
    let explain = |e: &ClientError| explain_in(e, terms);
    let first = match c.create(policy.kind, account) {
        Ok(created) => return Ok(Attempt::Made(created.name)),
        Err(e) => e,
    };
    let taken = first.code() == Some(&ErrorCode::Known(Code::AlreadyExists));
    if !taken && !first.is_ambiguous() {
        return Err(explain(&first));
    }
    match c.find(policy.kind, &account.name) {
        Ok(Some(existing)) => Ok(judge(existing, &account.reference)),
        Ok(None) => Err(explain(&first)),
        Err(read) if matches!(read, ClientError::Mismatch(_)) => Err(format!(
            "{}; reading \"{}\" back then failed: {}",
            explain(&first),
            account.name,
            explain(&read)
        )),
        Err(_) => Err(format!(
            "{}; it may or may not have been created: running Create again is safe, it adopts the account instead of making a second one",
            explain(&first)
        )),
    }
}

/// Takes this order's existing account as it is, but for one thing: a product that makes
/// accounts active gets an active one. Create run again after Terminate (which deactivates)
/// would otherwise report success while the account stays switched off.
fn adopt(
    c: &mut Client,
    policy: &Policy,
    existing: Account,
    terms: Terms,
) -> Result<String, String> {
    // Not confirmed active (inactive, or the answer leaves `active` out): activate, which the
    // server must confirm.
    if policy.active && existing.active != Some(true) {
        c.set_active(policy.kind, &existing.name, true)
            .map_err(|e| explain_in(&e, terms))?;
    }
    Ok(existing.name)
}

/// An existing account of the name asked for is this order's only when it carries its reference.
fn judge(existing: Account, reference: &str) -> Attempt {
    if existing.has_reference(reference) {
        Attempt::Adopt(Box::new(existing))
    } else {
        Attempt::Taken
    }
}

/// Why a listing stopped, for an admin: the server's failure explained ([`explain`]), or the
/// caller's own message as it is.
pub fn explain_stop(stopped: Stopped<String>) -> String {
    match stopped {
        Stopped::Server(e) => explain(&e),
        Stopped::Caller(why) => why,
    }
}

/// An admin-facing explanation of a client error, naming the product's Module Settings.
pub fn explain(e: &ClientError) -> String {
    explain_in(e, Terms::ModuleSettings)
}

/// An admin-facing explanation of a client error; a setting that fixes it is named in `terms`.
pub fn explain_in(e: &ClientError, terms: Terms) -> String {
    match e {
        ClientError::Api { status: 401, .. } => format!(
            "the Backup Server rejected the user name or password (AUTH_FAILED); {}",
            terms.check_login()
        ),
        ClientError::Tls(refusal) => refusal.text(&terms.pin_place()),
        ClientError::NotApi { at, status, came } => {
            not_api_text(at, *status, came, &terms.check_address())
        }
        ClientError::Redirected(status) => {
            redirected_text(*status, &terms.check_address_and_scheme())
        }
        ClientError::Api {
            code,
            message,
            field: Some(f),
            ..
        } => {
            format!("the Backup Server refused it: {message} (field {f}, {code})")
        }
        ClientError::Api { code, message, .. } => {
            format!("the Backup Server refused it: {message} ({code})")
        }
        other => other.to_string(),
    }
}
