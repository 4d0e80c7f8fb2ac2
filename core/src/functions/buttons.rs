//! The admin's buttons on a service (`AdminCustomButtonArray`): Reset Pass Key, Store Pass Key
//! Again, Link Existing Account and Delete on Backup Server. Each is a module function of its own
//! (`<module>_<suffix>`, listed once in [`crate::functions::list`]) answering `"success"` or a message
//! that says what to do. Every refusal that the settings or the service's state decide is made
//! before a request is sent.

use serde_json::{json, Map, Value};

use crate::functions::failure::Failure;
use crate::functions::list::Function;
use crate::functions::ownership::{read_own, Own};
use crate::functions::provision::{explain, with_client};
use crate::secrets::{scrub, Secrets};
use crate::server::api::reference::{Ownership, ThisService};
use crate::server::api::{Code, ErrorCode, Kind};
use crate::server::client::{Client, ClientError, LogRecord, NetSettings};
use crate::settings::call_plan::{OnService, Service, Target};
use crate::settings::call_secrets::stored_pass_keys;
use crate::text::quote::shown as printable;
use crate::whmcs::host::Host;
use crate::whmcs::passkey;

/// The buttons in the order WHMCS shows them: label and the function the button calls.
pub const BUTTONS: [(&str, Function); 4] = [
    ("Reset Pass Key", Function::ResetPassKey),
    ("Store Pass Key Again", Function::StorePassKey),
    ("Link Existing Account", Function::LinkAccount),
    ("Delete on Backup Server", Function::DeleteOnServer),
];

/// The WHMCS service status after which an account may be deleted.
pub const TERMINATED: &str = "Terminated";

/// `AdminCustomButtonArray`: `[label => function suffix]`.
pub fn array() -> Value {
    let map: Map<String, Value> = BUTTONS
        .iter()
        .map(|(label, f)| (label.to_string(), Value::String(f.name().into())))
        .collect();
    Value::Object(map)
}

/// The button of `function`, for messages.
fn label(function: Function) -> &'static str {
    BUTTONS
        .iter()
        .find(|(_, f)| *f == function)
        .map_or("the button", |(label, _)| label)
}

/// What a button works from: the account (as for Suspend), the service and its client.
struct Plan {
    target: Target,
    service_id: String,
    client_id: String,
    /// Whose account the button may act on: this service's only.
    this: ThisService,
    secrets: Secrets,
}

impl Plan {
    fn new(target: Target, service: Service, host: &mut dyn Host) -> Result<Plan, Failure> {
        let this = ThisService::of(host, &target.ids.service, &target.ids.client)
            .map_err(|e| Failure::Whmcs(e.to_string()))?;
        let mut secrets = target.secrets.known.clone();
        secrets.extend(stored_pass_keys(&target.secrets.custom_fields, host));
        Ok(Plan {
            service_id: service.ids.service,
            client_id: service.ids.client,
            this,
            target,
            secrets,
        })
    }

    fn described(&self) -> String {
        format!(
            "{} \"{}\"",
            self.target.kind.noun(),
            printable(&self.target.username)
        )
    }
}

/// Runs button `function` on the planned service: `"success"` or what to do.
pub fn press(function: Function, plan: OnService, host: &mut dyn Host, net: &NetSettings) -> Value {
    Value::String(match run(function, plan, host, net) {
        Ok(()) => "success".into(),
        Err(why) => why.to_string(),
    })
}

fn run(
    function: Function,
    plan: OnService,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<(), Failure> {
    let OnService { service, target } = plan;
    // Decided by the service's state alone: refused before anything else is read or sent.
    if function == Function::DeleteOnServer && service.status != TERMINATED {
        let status = &service.status;
        return Err(Failure::NotTerminated(if status.is_empty() {
            "of unknown status".into()
        } else {
            format!("\"{}\"", printable(status))
        }));
    }
    let plan = Plan::new(target?, service, host)?;
    match function {
        Function::ResetPassKey | Function::StorePassKey => pass_key(function, &plan, host, net),
        Function::LinkAccount => link(&plan, host, net),
        Function::DeleteOnServer => delete(&plan, host, net),
        other => Err(Failure::NotAButton(other.name())),
    }
}

/// Reset Pass Key (the server makes a new one) or Store Pass Key Again (the current one is
/// read); either way the key goes into the service's and the client's Pass Key fields, and is read
/// back from the server until what was stored is the server's current key (a press racing this
/// one may have reset it meanwhile: see [`passkey::store_current`]).
fn pass_key(
    function: Function,
    plan: &Plan,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<(), Failure> {
    let button = label(function);
    if plan.target.kind != Kind::Customer {
        return Err(Failure::NoPassKey {
            button,
            account: plan.described(),
        });
    }
    let reset = function == Function::ResetPassKey;
    let name = plan.target.username.clone();
    let key = with_client(
        host,
        function.name(),
        &plan.target.endpoint,
        net,
        &plan.secrets,
        |c| {
            // Identity first: another client's key is never reset, read or stored here.
            match read_own(c, Kind::Customer, &name, &plan.this).map_err(|e| explain(&e))? {
                Own::Ours(..) => {}
                Own::Gone => return Err(format!("there is no customer \"{}\" on the Backup Server: check the service's username, or run Create", printable(&name))),
                Own::Theirs(whose) => return Err(whose.refusal()),
            }
            let key = if reset {
                c.reset_passkey(&name)
            } else {
                c.passkey(&name)
            };
            key.map_err(|e| explain(&e))
        },
    )
    .map_err(|why| Failure::PassKeyNotRead {
        verb: if reset { "reset" } else { "read" },
        account: plan.described(),
        why,
    })?;
    // Every key met (the one answered, any newer one read back) is scrubbed from every log and
    // message of this press.
    let mut secrets = plan.secrets.clone();
    secrets.add(key.clone());
    let home = passkey::Home::Service {
        service: &plan.service_id,
        client: &plan.client_id,
    };
    let mut read_back = |host: &mut dyn Host| {
        let now = with_client(
            host,
            function.name(),
            &plan.target.endpoint,
            net,
            &secrets,
            |c| c.passkey(&name).map_err(|e| explain(&e)),
        );
        if let Ok(now) = &now {
            secrets.add(now.clone());
        }
        now
    };
    let stored = passkey::store_current(host, home, &key, &mut read_back);
    let what = if reset { "reset" } else { "stored again" };
    let Err(unsettled) = stored else {
        host.log_activity(
            &format!(
                "sgwhmcs: the pass key of the {} was {what} in the service's and the client's \"{}\" fields, and read back as the Backup Server's current key (service #{})",
                plan.described(),
                passkey::FIELD_NAME,
                plan.service_id
            ),
            &plan.client_id,
        );
        return Ok(());
    };
    let made = if reset {
        "A new pass key was made (the old one no longer works)"
    } else {
        "The pass key was read"
    };
    let account = plan.described();
    let message = match unsettled {
        passkey::Unsettled::NotStored(why) => format!(
            "{made} for the {account}, but {why}. Press Store Pass Key Again to read it from the Backup Server and store it, or copy it from the Backup Server's web console"
        ),
        passkey::Unsettled::NotConfirmed(why) => format!(
            "{made} for the {account} and stored in the service's and the client's \"{}\" fields, but reading it back to confirm it is still the Backup Server's current key failed: {why}. Press Store Pass Key Again to store the key the Backup Server holds",
            passkey::FIELD_NAME
        ),
        passkey::Unsettled::StillChanging => format!(
            "{made} for the {account}, but each time it was read back after storing, the Backup Server held yet another key (pass key resets of this account are running at the same moment), so the stored key may be out of date: press Store Pass Key Again once they have ended"
        ),
    };
    let message = scrub(&message, &secrets);
    let record = LogRecord {
        request: json!({"step": "store pass key", "client": plan.client_id, "account": name}),
        response: message.clone(),
        processed: Value::String(message.clone()),
    };
    host.log_module_call(function.name(), &record, &secrets);
    Err(Failure::PassKeyNotStored(message))
}

/// Link Existing Account: the account named by the service's username becomes this service's,
/// unless it carries another reference.
fn link(plan: &Plan, host: &mut dyn Host, net: &NetSettings) -> Result<(), Failure> {
    let not_linked = |why| Failure::NotLinked {
        account: plan.described(),
        why,
    };
    let reference = plan.this.reference();
    let (kind, name) = (plan.target.kind, plan.target.username.clone());
    let done = with_client(
        host,
        Function::LinkAccount.name(),
        &plan.target.endpoint,
        net,
        &plan.secrets,
        |c| adopt(c, kind, &name, &plan.this),
    )
    .map_err(not_linked)?;
    host.log_activity(
        &format!(
            "sgwhmcs: the {} {done} service #{} (reference {reference})",
            plan.described(),
            plan.service_id
        ),
        &plan.client_id,
    );
    Ok(())
}

/// Reads the account and ties it to this service when that is an explicit adoption the rule
/// allows: an account with no reference, or one the signup hooks made for this service's own
/// client (the AcceptOrder/ClientAdd account of the same client, now given to its service).
/// Another service's, another install's, another client's or a foreign reference is refused.
/// Answers what was done.
fn adopt(c: &mut Client, kind: Kind, name: &str, this: &ThisService) -> Result<String, String> {
    let account = match c.find(kind, name) {
        Ok(Some(account)) => account,
        Ok(None) => {
            return Err(format!(
                "there is no {} \"{}\" on the Backup Server: set the service's username to the account's exact name and press Link Existing Account again",
                kind.noun(),
                printable(name)
            ))
        }
        Err(e) => return Err(explain(&e)),
    };
    match this.judge(account.reference.as_deref()) {
        Ownership::Ours => return Ok("was already linked to".into()),
        Ownership::Unclaimed
        | Ownership::ClientAccount {
            same_client: true, ..
        } => {}
        whose => {
            return Err(format!(
                "{} (Link Existing Account adopts only an account without a reference, or one the signup hooks made for this service's client)",
                whose.refusal()
            ))
        }
    }
    c.set_reference(kind, &account.name, &this.reference())
        .map_err(|e| explain(&e))?;
    Ok("is now linked to".into())
}

/// Delete on Backup Server, for a Terminated service: only this service's account (read first,
/// every press: after an unclear answer a repeat judges the account again before anything is
/// sent); one that is gone is already deleted. A reseller's customers are retained.
fn delete(plan: &Plan, host: &mut dyn Host, net: &NetSettings) -> Result<(), Failure> {
    let (kind, name) = (plan.target.kind, plan.target.username.clone());
    let this = &plan.this;
    let deleted = with_client(
        host,
        Function::DeleteOnServer.name(),
        &plan.target.endpoint,
        net,
        &plan.secrets,
        |c| {
            match read_own(c, kind, &name, this) {
                Ok(Own::Ours(..)) => {}
                // Already gone is what was wanted; nothing is sent.
                Ok(Own::Gone) => return Ok(false),
                Ok(Own::Theirs(whose)) => return Err(whose.refusal()),
                Err(e) => {
                    return Err(format!(
                        "{}; whose account it is could not be read, so nothing was deleted: pressing the button again is safe (it reads the account first)",
                        explain(&e)
                    ))
                }
            }
            match c.delete_retaining(kind, &name) {
                Ok(()) => Ok(true),
                // Deleted meanwhile (another press): already gone.
                Err(ClientError::Api {
                    code: ErrorCode::Known(Code::NotFound),
                    ..
                }) => Ok(false),
                Err(ClientError::Api {
                    code: ErrorCode::Known(Code::BackupRunning),
                    ..
                }) => Err(
                    "a backup of it is running, and the Backup Server does not delete an account while one runs: press Delete on Backup Server again when the backup has ended".to_string(),
                ),
                // The server may have deleted it: whether this service's account is still there
                // decides.
                Err(e) if e.is_ambiguous() => match read_own(c, kind, &name, this) {
                    Ok(Own::Gone) => Ok(true),
                    Ok(Own::Ours(..)) => Err(format!("{}; read back, it still exists: press the button again", explain(&e))),
                    Ok(Own::Theirs(whose)) => Err(format!("{}; read back, {}", explain(&e), whose.refusal())),
                    Err(read) => Err(format!(
                        "{}; reading it back failed too ({}), so whether it was deleted is unknown: pressing the button again is safe (it reads the account first, and deletes only this service's)",
                        explain(&e),
                        explain(&read)
                    )),
                },
                Err(e) => Err(explain(&e)),
            }
        },
    )
    .map_err(|why| Failure::NotDeleted {
        account: plan.described(),
        why,
    })?;
    if !deleted {
        host.log_activity(
            &format!(
                "sgwhmcs: the {} was already deleted on the Backup Server (service #{}); nothing was sent",
                plan.described(),
                plan.service_id
            ),
            &plan.client_id,
        );
        return Ok(());
    }
    let kept = if kind == Kind::Reseller {
        "; its customers were kept, under the Default Reseller"
    } else {
        ""
    };
    host.log_activity(
        &format!(
            "sgwhmcs: the {} was deleted on the Backup Server (service #{}){kept}",
            plan.described(),
            plan.service_id
        ),
        &plan.client_id,
    );
    Ok(())
}
