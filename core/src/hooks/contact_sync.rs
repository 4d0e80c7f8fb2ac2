//! Contact sync: WHMCS's `ClientEdit` hook (in the generated module's `hooks.php`) hands the
//! saved client profile here; every account that the client's services of this module own gets
//! the client's contact (name, e-mail, company, address, phone) when it differs from what the
//! Backup Server holds: one read and at most one PATCH `contact` per account.
//!
//! A hook must never hold up or break the profile page: the whole run is bounded by the client's
//! own timeouts (`sgwhmcs.timeout` in all, `sgwhmcs.connect_timeout` per connection), services
//! left when that time is used up are named in the Activity Log as skipped, nothing throws, and
//! every failure is one Activity Log line (the secrets of its connection masked).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::functions::ownership::{read_own, Own};
use crate::functions::provision::{explain, with_client};
use crate::server::api::reference::ThisService;
use crate::server::api::{Contact, Kind};
use crate::server::client::NetSettings;
use crate::server::endpoint::Endpoint;
use crate::server::limits::MAX_CONTACT_FIELD;
use crate::settings::naming;
use crate::settings::plan::{self, Problems, Scope};
use crate::settings::whmcs_tables::{product, server_fields, Product, ServerRecordError};
use crate::text::entities::decode_value;
use crate::whmcs::host::{api_ok, Host};
use crate::whmcs::params::decode_params;
use crate::whmcs::params::{scalar_text, Params};

/// The hook's name in logs.
const HOOK: &str = "ClientEdit";

/// The service statuses whose accounts exist and are kept in step.
const SYNCED_STATUSES: [&str; 2] = ["Active", "Suspended"];

/// How one service's account ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The contact was sent.
    Updated,
    /// The account already had the client's contact.
    Unchanged,
    /// Not tried: the time was used up.
    Skipped,
    /// Not sent: the account of that name is not this service's (whose it is, and what to do).
    NotOurs(String),
    /// Why it could not be updated.
    Failed(String),
}

/// The report of one run: each service of the module by id, with its outcome.
#[derive(Debug, Default)]
pub struct Report {
    pub services: Vec<(String, Outcome)>,
}

/// Runs the `ClientEdit` hook of module `module` for `vars`; answers what happened in one line
/// (also written to the Activity Log, unless nothing was to be done). Never panics on bad input.
pub fn client_edit(module: &str, vars: &Params, host: &mut dyn Host, net: &NetSettings) -> String {
    // Hook vars arrive HTML-encoded, as WHMCS stores them: decoded once here.
    let vars = decode_params(vars);
    let client_id = match vars.text("userid") {
        id if id.is_empty() => vars.text("client_id"),
        id => id,
    };
    if client_id.is_empty() {
        let line = format!("sgwhmcs {HOOK}: the hook gave no userid, so no contact was synced");
        host.log_activity(&line, "");
        return line;
    }
    // `olddata` is not consulted: a save of an unchanged profile is how the admin retries a
    // failed sync (the failure says so), and only the server's account tells whether the
    // contact is already there (one read per account; a PATCH only when it differs).
    let contact = naming::contact(&vars);
    if let Err(why) = fits(&contact) {
        let line = format!("sgwhmcs {HOOK}: the contact of client {client_id} was not synced to the Backup Server: {why}");
        host.log_activity(&line, &client_id);
        return line;
    }
    let report = match sync(module, &client_id, &contact, host, net) {
        Ok(report) => report,
        Err(why) => {
            let line = format!("sgwhmcs {HOOK}: the contact of client {client_id} was not synced to the Backup Server: {why}");
            host.log_activity(&line, &client_id);
            return line;
        }
    };
    let line = summary(&client_id, &report);
    if report
        .services
        .iter()
        .any(|(_, o)| *o != Outcome::Unchanged)
    {
        host.log_activity(&line, &client_id);
    }
    line
}

/// Every contact field within the Backup Server's length, checked before anything is sent.
fn fits(contact: &Contact) -> Result<(), String> {
    let value = serde_json::to_value(contact).unwrap_or_default();
    for (name, text) in value.as_object().into_iter().flatten() {
        let text = text.as_str().unwrap_or_default();
        if text.len() > MAX_CONTACT_FIELD && text.chars().count() > MAX_CONTACT_FIELD {
            return Err(format!(
                "contact.{name} is {} characters long where the Backup Server takes at most {MAX_CONTACT_FIELD}; nothing was sent",
                text.chars().count()
            ));
        }
    }
    Ok(())
}

/// One line for the Activity Log: what was updated, what failed and why, what was skipped.
pub fn summary(client_id: &str, report: &Report) -> String {
    let ids = |wanted: fn(&Outcome) -> bool| -> Vec<String> {
        report
            .services
            .iter()
            .filter(|(_, o)| wanted(o))
            .map(|(id, _)| format!("#{id}"))
            .collect()
    };
    let mut parts = Vec::new();
    let updated = ids(|o| *o == Outcome::Updated);
    if !updated.is_empty() {
        parts.push(format!("updated for service {}", updated.join(", ")));
    }
    for (id, outcome) in &report.services {
        if let Outcome::Failed(why) = outcome {
            parts.push(format!("service #{id} failed: {why}"));
        }
    }
    for (id, outcome) in &report.services {
        if let Outcome::NotOurs(why) = outcome {
            parts.push(format!("service #{id} skipped: {why}"));
        }
    }
    let skipped = ids(|o| *o == Outcome::Skipped);
    if !skipped.is_empty() {
        parts.push(format!(
            "service {} skipped: the hook's time (sgwhmcs.timeout) was used up; save the profile again to sync them",
            skipped.join(", ")
        ));
    }
    if parts.is_empty() {
        parts.push("already up to date on the Backup Server".into());
    }
    format!(
        "sgwhmcs {HOOK}: contact of client {client_id}: {}",
        parts.join("; ")
    )
}

/// One service of the client: its id, product, server and account name.
struct Service {
    id: String,
    product: String,
    server: String,
    username: String,
}

/// Syncs `contact` to the account of every service of `module` owned by `client_id`.
fn sync(
    module: &str,
    client_id: &str,
    contact: &Contact,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<Report, String> {
    let deadline = Instant::now() + net.timeouts.overall;
    let services = services(host, client_id)?;
    let mut products: HashMap<String, Option<Product>> = HashMap::new();
    let mut servers: HashMap<String, Result<Map<String, Value>, ServerRecordError>> =
        HashMap::new();
    let mut report = Report::default();
    for service in services {
        if !products.contains_key(&service.product) {
            let found = product(host, module, &service.product);
            products.insert(service.product.clone(), found);
        }
        // A service of another module (or of a product gone since) is not this hook's.
        let Some(Some(found)) = products.get(&service.product) else {
            continue;
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left < net.timeouts.connect.min(Duration::from_secs(1)) {
            report.services.push((service.id, Outcome::Skipped));
            continue;
        }
        let mut params = found.settings.clone();
        if !found.own_connection && !matches!(service.server.as_str(), "" | "0") {
            let server = servers
                .entry(service.server.clone())
                .or_insert_with(|| server_fields(host, &service.server));
            match server {
                Ok(fields) => params = params.with_members(fields.clone()),
                Err(why) => {
                    report
                        .services
                        .push((service.id, Outcome::Failed(why.to_string())));
                    continue;
                }
            }
        }
        let net = NetSettings {
            timeouts: crate::server::tls::Timeouts {
                connect: net.timeouts.connect.min(left),
                overall: left,
            },
            ca_file: net.ca_file.clone(),
        };
        let outcome = one(&params, &service, client_id, contact, host, &net);
        report.services.push((service.id, outcome));
    }
    Ok(report)
}

/// The client's services with an account (Active or Suspended, with a username), through
/// `GetClientsProducts`.
fn services(host: &mut dyn Host, client_id: &str) -> Result<Vec<Service>, String> {
    // localAPI answers carry WHMCS's HTML-encoded stored values: decoded once here.
    let answer = decode_value(&host.local_api(
        "GetClientsProducts",
        json!({"clientid": client_id, "limitnum": 10000}),
    ));
    api_ok(&answer).map_err(|e| format!("GetClientsProducts failed: {e}"))?;
    let items = match answer.pointer("/products/product") {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let text = |item: &Value, key: &str| scalar_text(item.get(key));
    Ok(items
        .iter()
        .filter(|item| text(item, "clientid").is_empty() || text(item, "clientid") == client_id)
        .filter(|item| SYNCED_STATUSES.contains(&text(item, "status").as_str()))
        .filter(|item| !text(item, "username").is_empty())
        .map(|item| Service {
            id: text(item, "id"),
            product: text(item, "pid"),
            server: text(item, "serverid"),
            username: text(item, "username"),
        })
        .collect())
}

/// Reads the service's account and sends the contact when it differs and the account is this
/// service's (an account of that name that is another's is skipped and reported).
fn one(
    params: &Params,
    service: &Service,
    client_id: &str,
    contact: &Contact,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Outcome {
    let mut problems = Problems::default();
    let endpoint = plan::endpoint(params, &mut problems);
    let kind = plan::kind(params, &mut problems);
    let username = &service.username;
    let name = problems.check(
        naming::USERNAME_LABEL,
        crate::settings::rules::account_name(username),
    );
    let ((endpoint, kind), name) =
        match problems.finish(Scope::Module, endpoint.zip(kind).zip(name)) {
            Ok(plan) => plan,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
    let this = match ThisService::of(host, &service.id, client_id) {
        Ok(this) => this,
        Err(why) => return Outcome::Failed(why.to_string()),
    };
    let secrets = crate::settings::call_secrets::secrets(params, &endpoint);
    let described = format!("{} \"{}\"", kind.noun(), crate::text::quote::shown(&name));
    match update(host, &endpoint, net, &secrets, kind, &name, contact, &this) {
        Ok(Sent::Yes) => Outcome::Updated,
        Ok(Sent::Unchanged) => Outcome::Unchanged,
        Ok(Sent::NotOurs(why)) => Outcome::NotOurs(format!("the {described}: {why}")),
        Err(e) => Outcome::Failed(format!("{described}: {e}")),
    }
}

/// What one account's sync did.
enum Sent {
    Yes,
    Unchanged,
    NotOurs(String),
}

#[allow(clippy::too_many_arguments)]
fn update(
    host: &mut dyn Host,
    endpoint: &Endpoint,
    net: &NetSettings,
    secrets: &[String],
    kind: Kind,
    name: &str,
    contact: &Contact,
    this: &ThisService,
) -> Result<Sent, String> {
    with_client(host, HOOK, endpoint, net, secrets, |c| {
        let account = match read_own(c, kind, name, this).map_err(|e| explain(&e))? {
            Own::Ours(account) => account,
            Own::Gone => return Err("it does not exist on the Backup Server".into()),
            Own::Theirs(whose) => return Ok(Sent::NotOurs(whose.refusal())),
        };
        if account.contact.clone().unwrap_or_default() == *contact {
            return Ok(Sent::Unchanged);
        }
        match c.patch(kind, name, json!({ "contact": contact })) {
            Ok(after) if after.contact.clone().unwrap_or_default() == *contact => Ok(Sent::Yes),
            Ok(_) => Err("the Backup Server answered the change with another contact than the one sent; saving the profile again retries it".into()),
            // Only an answer that may hide a done change leaves it unknown; any other error
            // (a refusal, a server that is not the API, no connection) changed nothing.
            Err(e) if !e.is_ambiguous() => Err(explain(&e)),
            Err(e) => Err(format!(
                "{}; whether the contact was changed is unknown: saving the profile again retries it",
                explain(&e)
            )),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_each_outcome() {
        let report = Report {
            services: vec![
                ("1".into(), Outcome::Updated),
                ("2".into(), Outcome::Unchanged),
                ("3".into(), Outcome::Failed("boom".into())),
                ("4".into(), Outcome::Skipped),
                ("5".into(), Outcome::Updated),
            ],
        };
        assert_eq!(
            summary("7", &report),
            "sgwhmcs ClientEdit: contact of client 7: updated for service #1, #5; service #3 failed: boom; service #4 skipped: the hook's time (sgwhmcs.timeout) was used up; save the profile again to sync them"
        );
        assert_eq!(
            summary("7", &Report::default()),
            "sgwhmcs ClientEdit: contact of client 7: already up to date on the Backup Server"
        );
    }

    #[test]
    fn a_contact_too_long_is_refused_naming_its_field() {
        let mut contact = Contact {
            company: "é".repeat(MAX_CONTACT_FIELD),
            ..Contact::default()
        };
        assert!(fits(&contact).is_ok());
        contact.city = "x".repeat(MAX_CONTACT_FIELD + 1);
        let why = fits(&contact).unwrap_err();
        assert!(why.starts_with("contact.city is 256 characters"), "{why}");
    }
}
