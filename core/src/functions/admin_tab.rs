//! What the admin sees of a service's account without logging into the web console: the service
//! tab (`AdminServicesTabFields`, one read of the account) and the server page's link to the web
//! console (`AdminLink`). The formatting is pure ([`rows`], [`console_link`]) so it is tested
//! without PHP; every value is HTML-escaped here, once, because WHMCS prints the strings as HTML.

use serde_json::{Map, Value};

use crate::functions::ownership::{read_own, Own};
use crate::functions::provision::{explain, with_client};
use crate::server::api::reference::ThisService;
use crate::server::api::{Account, Kind};
use crate::server::client::NetSettings;
use crate::settings::call_plan::{Connection, Target};
use crate::settings::call_secrets::stored_pass_keys;
use crate::settings::plan::SettingsError;
use crate::text::format::{self, escape};
use crate::text::quote::shown;
use crate::whmcs::host::Host;

/// The label of the tab's one line when the account cannot be shown.
pub const TAB_LABEL: &str = "Backup Server";

/// `bytes` in binary units, e.g. `1.5 GiB` (`512 B` below one KiB).
pub fn size(bytes: u64) -> String {
    // The tab drops a whole number's `.0` (`2 GiB`); the client area keeps it.
    format::bytes(bytes).replacen(".0 ", " ", 1)
}

/// The tab's rows for `account`, as plain text `(label, value)` in display order; what the
/// server did not say is shown as unknown.
pub fn rows(account: &Account) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let noun = account.kind.map_or("account", Kind::noun);
    rows.push(("Account", format!("{noun} \"{}\"", shown(&account.name))));
    let state = match (account.active, account.effective_active) {
        (Some(true), Some(false)) => {
            "Active, but effectively INACTIVE: its reseller is deactivated, so it cannot back up"
                .to_string()
        }
        (Some(true), _) => "Active".into(),
        (Some(false), _) => "Inactive (suspended): it cannot back up".into(),
        (None, _) => "unknown (the server did not say)".into(),
    };
    rows.push(("State", state));
    let storage = account.storage().cloned().unwrap_or_default();
    let used = storage.used_bytes.map_or("unknown".into(), size);
    rows.push((
        "Storage",
        match storage.allotted_bytes {
            Some(allotted) => match format::percent(storage.used_bytes.unwrap_or(0), allotted) {
                Some(p) if storage.used_bytes.is_some() => {
                    format!("{used} used of {} ({p}%)", size(allotted))
                }
                _ => format!("{used} used of {}", size(allotted)),
            },
            None => format!("{used} used; allotment unknown"),
        },
    ));
    let mcal = account.mcal().cloned().unwrap_or_default();
    let mcal_used = mcal.used.map_or("unknown".into(), |u| u.to_string());
    rows.push((
        "MCAL",
        match (mcal.auto, mcal.allotted) {
            (Some(true), _) => format!("{mcal_used} used, drawn from the shared pool (auto)"),
            (_, Some(allotted)) => format!("{mcal_used} used of {allotted}"),
            _ => format!("{mcal_used} used; allotment unknown"),
        },
    ));
    if account.kind == Some(Kind::Reseller) {
        rows.push((
            "Customers",
            account
                .customers()
                .map_or("unknown".into(), |n| n.to_string()),
        ));
    } else {
        rows.push((
            "Machines",
            account
                .clients()
                .map_or("unknown".into(), |n| n.to_string()),
        ));
        rows.push((
            "Reseller",
            account
                .reseller
                .as_deref()
                .map_or("unknown".into(), |r| format!("\"{}\"", shown(r))),
        ));
    }
    rows.push((
        "Created",
        account.created_at().map_or("unknown".into(), shown),
    ));
    rows.push((
        "External reference",
        match account.reference.as_deref() {
            Some(r) if !r.is_empty() => shown(r),
            _ => "none (an account made before this module: use Link Existing Account)".into(),
        },
    ));
    rows
}

/// `[label => html]` of `rows`, every value escaped.
pub fn as_fields(rows: &[(&str, String)]) -> Value {
    let map: Map<String, Value> = rows
        .iter()
        .map(|(label, text)| (escape(label), Value::String(escape(text))))
        .collect();
    Value::Object(map)
}

/// The tab's one line saying why nothing more can be shown.
fn one_line(text: &str) -> Value {
    as_fields(&[(TAB_LABEL, text.to_string())])
}

/// `AdminServicesTabFields`: one read of the planned account, or one line saying why not.
/// Never fails: every problem is a line of the tab.
pub fn fields(
    plan: Result<Target, SettingsError>,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Value {
    let plan = match plan {
        Ok(plan) => plan,
        Err(e) => return one_line(&format!("Nothing to show: {e}")),
    };
    let this = match ThisService::of(host, &plan.ids.service, &plan.ids.client) {
        Ok(this) => this,
        Err(why) => return one_line(&format!("Nothing to show: {why}")),
    };
    let mut secrets = plan.secrets.known.clone();
    secrets.extend(stored_pass_keys(&plan.secrets.custom_fields, host));
    let (kind, name) = (plan.kind, plan.username.clone());
    let read = with_client(
        host,
        "AdminServicesTabFields",
        &plan.endpoint,
        net,
        &secrets,
        |c| read_own(c, kind, &name, &this).map_err(|e| explain(&e)),
    );
    match read {
        // A member of another type than the API's is not shown as a guess.
        Ok(Own::Ours(account)) => match account.odd() {
            None => as_fields(&rows(&account)),
            Some(_) => one_line("The Backup Server's answer about the account was not understood"),
        },
        // Another service's account is not shown: only whose it is and what to do.
        Ok(Own::Theirs(whose)) => one_line(&format!(
            "The {} \"{}\" on the Backup Server is not shown: {}",
            kind.noun(),
            shown(&name),
            whose.refusal()
        )),
        Ok(Own::Gone) => one_line(&format!(
            "There is no {} \"{}\" on the Backup Server: check the service's username, or run Create",
            kind.noun(),
            shown(&name)
        )),
        Err(why) => one_line(&format!("The Backup Server could not be read: {why}")),
    }
}

/// The web console's address for `endpoint`'s scheme, host and port (no credentials).
pub fn console_url(endpoint: &crate::server::endpoint::Endpoint) -> String {
    format!(
        "{}://{}:{}/",
        endpoint.scheme.as_str(),
        endpoint.host,
        endpoint.port
    )
}

/// The server page's link that opens the web console at `url` in a new tab.
pub fn console_link(url: &str) -> String {
    format!(
        "<a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\" class=\"btn btn-default btn-sm\">Open the Backup Server web console</a>",
        escape(url)
    )
}

/// `AdminLink`: the link to the web console of the planned server record, or the reason there is
/// none (escaped). The address comes from the server's checked fields, so nothing but a host
/// name or address, and a port, reaches the `href`.
pub fn admin_link(plan: Result<Connection, SettingsError>) -> Value {
    Value::String(match plan {
        Ok(plan) => console_link(&console_url(&plan.endpoint)),
        Err(e) => escape(&format!("No web console link: {e}")),
    })
}
