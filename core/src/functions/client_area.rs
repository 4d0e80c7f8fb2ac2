//! The client area of a service (`ClientArea`) and its one custom action (`RevealPassKey`): the
//! account's state, storage and MCAL, the customer's machines with the health of their backups,
//! how to connect a new machine, the pass key on request, and the agent downloads.
//!
//! `ClientArea` answers WHMCS's template shape, `['templatefile' => 'clientarea', 'vars' => [...]]`
//! (developers.whmcs.com/provisioning-modules/client-area-output). WHMCS HTML-decodes every
//! template variable of an APIVersion 1.1 module before Smarty sees it (`html_entity_decode(…,
//! ENT_QUOTES)`, observed in WHMCS 8.12), and its Smarty does not auto-escape: escaping here would
//! be undone, so the template (`php/templates/clientarea.tpl`) escapes every value it prints. A
//! text from the server is given as [`page_text`] makes it: its `&` written `&amp;`, so that
//! WHMCS's decode gives back exactly the server's text (an encoded `&lt;b&gt;` or `&#8238;` stays
//! text, never a tag or a bidi control), and the template's escape makes it safe. A download's URL
//! becomes a link only when it is an `http`/`https` URL with nothing that could leave an attribute.
//!
//! WHMCS calls `ClientArea` for a service in any status but shows its output only for an Active
//! one: any other status is answered at once, without a request. `RevealPassKey` is a custom
//! function: WHMCS runs it for the owner's Active service (after its own ownership and CSRF
//! checks), shows its `"success"` as the product page's success alert, and renders the same
//! product page, calling `ClientArea` in that same request. The generated module file marks that
//! request for that service (a PHP global, gone with the request) and passes [`REVEAL_PARAM`] to
//! that `ClientArea`, which then reads and shows the pass key within the page. The words a person
//! reads are not here: the module file loads them from the module's own `lang/` files and passes
//! them as `$sgwhmcs_lang` (WHMCS never reads a server module's `lang/` folder). Nothing here
//! throws: an unreachable server or a broken setting is `vars.sgwhmcs.error`, which the template
//! shows as one line.

use serde_json::{json, Map, Value};

use crate::functions::ownership::{read_own, Own};
use crate::functions::provision::{explain, with_client};
use crate::server::api::reference::ThisService;
use crate::server::api::{Account, Download, Kind, MachineAnswer};
use crate::server::client::NetSettings;
use crate::settings::call_plan::{OnService, Service, Target};
use crate::settings::call_secrets::stored_pass_keys;
use crate::text::cut::cut;
use crate::text::dates::{unix_time, utc_to_minute};
use crate::text::format::{self, visible};
use crate::whmcs::host::Host;
use crate::whmcs::params::Params;

/// The template file WHMCS renders, beside the module file (`clientarea.tpl`).
pub const TEMPLATE: &str = "clientarea";
/// The custom function that shows the pass key; the only one a client may call.
pub const REVEAL_FUNCTION: &str = "RevealPassKey";
/// The parameter the generated module file adds to `ClientArea`'s `$params` when, in the same
/// PHP request, `RevealPassKey` answered `"success"` for the same service (`"1"`). WHMCS never
/// sends a parameter of this name; the module file removes one before deciding.
pub const REVEAL_PARAM: &str = "sgwhmcs_reveal_passkey";
/// What `RevealPassKey` answers when the service is not Active (WHMCS shows it after its
/// "Action Failed" text; no markup, no value).
pub const REVEAL_NOT_ACTIVE: &str = "The pass key is shown only while the service is active.";
/// What `RevealPassKey` answers for a reseller service, which has no pass key.
pub const REVEAL_NO_PASSKEY: &str = "This service has no pass key.";
/// What `RevealPassKey` answers when the service's settings name no account.
pub const REVEAL_UNAVAILABLE: &str =
    "The pass key cannot be shown right now. Please try again later or contact support.";
/// A machine is flagged when its last successful backup is older than this (7 days).
pub const STALE_AFTER_SECS: i64 = 7 * 86_400;
/// The most machines one page shows (one request); more are counted, not listed.
pub const MACHINES_SHOWN: usize = 500;

/// What the client asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The service's page (`ClientArea`).
    Overview,
    /// The same page with the pass key shown (`RevealPassKey`).
    RevealPassKey,
}

/// How a machine's backups stand at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    /// A successful backup within the last 7 days.
    Healthy,
    /// The last successful backup ended more than 7 days ago (`days` whole days ago).
    Stale { days: i64 },
    /// No successful backup is known.
    Never,
}

/// The health of machine `m` at unix time `now`: the 7-day rule. The last success is
/// `last_success_at`, or `last_backup_at` when that backup succeeded and the server leaves
/// `last_success_at` out; a time that cannot be read counts as unknown.
pub fn health(m: &MachineAnswer, now: i64) -> Health {
    let success = m
        .last_success_at
        .as_deref()
        .and_then(unix_time)
        .or_else(|| {
            (m.last_backup_result.as_deref() == Some("success"))
                .then(|| m.last_backup_at.as_deref().and_then(unix_time))
                .flatten()
        });
    match success {
        None => Health::Never,
        Some(at) if now - at > STALE_AFTER_SECS => Health::Stale {
            days: (now - at) / 86_400,
        },
        Some(_) => Health::Healthy,
    }
}

/// A text for a template variable: control characters and bidi controls made visible
/// ([`format::visible`]) and `&` written `&amp;`, so that WHMCS's `html_entity_decode` of the
/// variable gives back exactly this text (an encoded `&lt;b&gt;` or `&#8238;` from the server
/// stays as sent). Not HTML-safe on purpose: the template escapes every value it prints.
pub fn page_text(text: &str) -> String {
    visible(text).replace('&', "&amp;")
}

/// Text from the server, cut (a lying server's huge names) and made a template variable
/// ([`page_text`]).
fn shown(text: &str, max: usize) -> Value {
    Value::String(page_text(&cut(text, max, "…")))
}

/// Whether WHMCS shows the client area of a service in `status` (only an Active one).
fn shows(service: &Service) -> bool {
    service.status.eq_ignore_ascii_case("Active")
}

/// `ClientAreaAllowedFunctions()`: the custom functions a client may call (WHMCS refuses the
/// others, and runs these only for the logged-in client's own service).
pub fn allowed_functions() -> Value {
    json!([REVEAL_FUNCTION])
}

/// `ClientArea($params)` at unix time `now`: the page, with the pass key when the module file
/// passed [`REVEAL_PARAM`] (a successful `RevealPassKey` in this request, for this service).
pub fn client_area(params: &Params, host: &mut dyn Host, net: &NetSettings, now: i64) -> Value {
    let view = if params.text(REVEAL_PARAM) == "1" {
        View::RevealPassKey
    } else {
        View::Overview
    };
    page(OnService::read(params), host, net, view, now)
}

/// The page of the planned service at unix time `now`: the template and its variables, never an
/// error. A service that is not Active is answered at once without a request (WHMCS discards its
/// output).
pub fn page(
    plan: OnService,
    host: &mut dyn Host,
    net: &NetSettings,
    view: View,
    now: i64,
) -> Value {
    let OnService { service, target } = plan;
    if !shows(&service) {
        return json!({"templatefile": TEMPLATE, "vars": {"sgwhmcs": {
            "error": false,
            "inactive": true,
            "serviceid": page_text(&service.ids.service),
        }}});
    }
    let vars = match target
        .map_err(|e| Unavailable(e.to_string()))
        .and_then(|t| build(&t, &service, host, net, view, now))
    {
        Ok(vars) => vars,
        // The client sees the one neutral line, never why (another client's account, say).
        Err(Unavailable(_)) => unavailable(&service),
    };
    json!({"templatefile": TEMPLATE, "vars": {"sgwhmcs": vars}})
}

/// `RevealPassKey($params)`: `"success"` when the same request's `ClientArea` may show the pass
/// key (an Active customer service whose settings name its account), else the reason. No request:
/// `ClientArea` reads the key, after its identity check.
pub fn reveal(plan: &OnService) -> Value {
    let answer = match &plan.target {
        _ if !shows(&plan.service) => REVEAL_NOT_ACTIVE,
        Err(_) => REVEAL_UNAVAILABLE,
        Ok(target) if target.kind != Kind::Customer => REVEAL_NO_PASSKEY,
        Ok(_) => "success",
    };
    Value::String(answer.into())
}

/// Why the page shows its one line instead of the account: said to no client (it may be about
/// another client's account), kept so that the reason is not lost on the way.
#[derive(Debug)]
pub struct Unavailable(pub String);

/// The variables when nothing can be shown: the template's one line.
pub fn unavailable(service: &Service) -> Value {
    json!({"error": true, "serviceid": page_text(&service.ids.service)})
}

/// The failure answer of `ClientArea` after a panic: the template's one line; `reason`, for the
/// admin reading the page's variables, is never printed.
pub fn failure(reason: &str) -> Value {
    json!({"templatefile": TEMPLATE, "vars": {"sgwhmcs": {"error": true, "reason": reason}}})
}

fn build(
    plan: &Target,
    service: &Service,
    host: &mut dyn Host,
    net: &NetSettings,
    view: View,
    now: i64,
) -> Result<Value, Unavailable> {
    let active = shows(service);
    let mut secrets = plan.secrets.known.clone();
    secrets.extend(stored_pass_keys(&plan.secrets.custom_fields, host));
    // The pass key is shown only for an active customer service.
    let reveal = view == View::RevealPassKey && plan.kind == Kind::Customer && active;
    let name = plan.username.clone();
    let action = match view {
        View::Overview => "ClientArea",
        View::RevealPassKey => REVEAL_FUNCTION,
    };
    let this = ThisService::of(host, &plan.ids.service, &plan.ids.client)
        .map_err(|e| Unavailable(e.to_string()))?;
    let fetched = with_client(host, action, &plan.endpoint, net, &secrets, |c| {
        // Identity first: the account of this name is shown only when it is this service's; the
        // client sees the neutral line otherwise, nothing of another client's account.
        let usage = match read_own(c, plan.kind, &name, &this).map_err(|e| explain(&e))? {
            Own::Ours(account) => account,
            Own::Gone => return Err("it does not exist on the Backup Server".into()),
            Own::Theirs(whose) => return Err(whose.refusal()),
        };
        if usage.odd().is_some() {
            return Err("the account's answer was not understood".to_string());
        }
        let machines = match plan.kind {
            Kind::Customer => Some(c.machines(&name, MACHINES_SHOWN).map_err(|e| explain(&e))?),
            Kind::Reseller => None,
        };
        let downloads = c.downloads().map_err(|e| explain(&e))?;
        let passkey = if reveal {
            Some(c.passkey(&name).map_err(|e| explain(&e))?)
        } else {
            None
        };
        Ok((usage, machines, downloads, passkey))
    });
    let (usage, machines, downloads, passkey) = fetched.map_err(Unavailable)?;
    let mut vars = Map::new();
    vars.insert("error".into(), json!(false));
    vars.insert("serviceid".into(), json!(page_text(&service.ids.service)));
    vars.insert("kind".into(), json!(plan.kind.noun()));
    vars.insert("account".into(), shown(&name, 64));
    status_vars(&usage, &mut vars);
    storage_vars(&usage, &mut vars);
    mcal_vars(&usage, &mut vars);
    if let Some(page) = machines {
        machine_vars(
            &page.clients,
            usage.clients(),
            page.next.is_some(),
            now,
            &mut vars,
        );
        vars.insert("server_host".into(), shown(&plan.endpoint.host, 255));
        vars.insert("server_port".into(), json!(plan.endpoint.port));
        vars.insert("reveal_function".into(), json!(REVEAL_FUNCTION));
        vars.insert("can_reveal".into(), json!(active));
    }
    vars.insert("passkey_shown".into(), json!(passkey.is_some()));
    vars.insert(
        "passkey".into(),
        json!(passkey.as_deref().map(page_text).unwrap_or_default()),
    );
    vars.insert("downloads".into(), download_vars(&downloads));
    Ok(Value::Object(vars))
}

fn status_vars(usage: &Account, vars: &mut Map<String, Value>) {
    let (key, class) = match (usage.active, usage.effective_active) {
        (Some(true), Some(false)) => ("status_reseller_inactive", "warning"),
        (Some(true), _) => ("status_active", "success"),
        (Some(false), _) => ("status_inactive", "danger"),
        (None, _) => ("status_unknown", "secondary"),
    };
    vars.insert("status_key".into(), json!(key));
    vars.insert("status_class".into(), json!(class));
}

fn storage_vars(usage: &Account, vars: &mut Map<String, Value>) {
    let storage = usage.storage().cloned().unwrap_or_default();
    let known = storage.allotted_bytes.is_some() && storage.used_bytes.is_some();
    vars.insert("storage_known".into(), json!(known));
    if !known {
        return;
    }
    let (used, allotted) = (
        storage.used_bytes.unwrap_or(0),
        storage.allotted_bytes.unwrap_or(0),
    );
    // The bar is full at most: over the allotment (or any use of none) shows 100.
    let p = format::percent(used, allotted).map_or(if used == 0 { 0 } else { 100 }, |p| p.min(100))
        as u64;
    vars.insert("storage_used".into(), json!(format::bytes(used)));
    vars.insert("storage_allotted".into(), json!(format::bytes(allotted)));
    vars.insert("storage_percent".into(), json!(p));
    let class = match p {
        0..=79 => "success",
        80..=94 => "warning",
        _ => "danger",
    };
    vars.insert("storage_class".into(), json!(class));
}

fn mcal_vars(usage: &Account, vars: &mut Map<String, Value>) {
    let mcal = usage.mcal().cloned().unwrap_or_default();
    vars.insert("mcal_known".into(), json!(mcal.used.is_some()));
    vars.insert("mcal_used".into(), json!(mcal.used.unwrap_or(0)));
    vars.insert("mcal_auto".into(), json!(mcal.auto.unwrap_or(true)));
    vars.insert(
        "mcal_allotted".into(),
        json!(mcal.allotted.map(|n| n.to_string()).unwrap_or_default()),
    );
}

fn machine_vars(
    machines: &[MachineAnswer],
    count: Option<u64>,
    more_pages: bool,
    now: i64,
    vars: &mut Map<String, Value>,
) {
    let mut stale = 0;
    let list: Vec<Value> = machines
        .iter()
        .take(MACHINES_SHOWN)
        .map(|m| {
            let health = health(m, now);
            let (health_key, flagged, days) = match health {
                Health::Healthy => ("health_ok", false, 0),
                Health::Stale { days } => ("health_stale", true, days),
                Health::Never => ("health_never", true, 0),
            };
            stale += usize::from(flagged);
            let result = m.last_backup_result.as_deref().unwrap_or("");
            let (result_key, result_class) = match result {
                "success" => ("result_success", "success"),
                "warning" => ("result_warning", "warning"),
                "failed" => ("result_failed", "danger"),
                "" => ("result_never", "secondary"),
                _ => ("result_unknown", "secondary"),
            };
            let last = m.last_backup_at.as_deref().and_then(unix_time);
            json!({
                "name": shown(&m.name, 128),
                "os": shown(m.os.as_deref().unwrap_or(""), 64),
                "last_backup": last.map(utc_to_minute).unwrap_or_default(),
                "result_key": result_key,
                "result_class": result_class,
                "health_key": health_key,
                "flagged": flagged,
                "stale_days": days,
            })
        })
        .collect();
    let shown_count = list.len() as u64;
    let total = count.unwrap_or(shown_count).max(shown_count);
    vars.insert("machines".into(), Value::Array(list));
    vars.insert("machine_count".into(), json!(total));
    vars.insert(
        "machines_more".into(),
        json!(more_pages || total > shown_count),
    );
    vars.insert("machines_shown".into(), json!(shown_count));
    vars.insert("stale_count".into(), json!(stale));
}

fn download_vars(downloads: &[Download]) -> Value {
    Value::Array(
        downloads
            .iter()
            .filter(|d| link_url(&d.url) && !d.os.trim().is_empty())
            .take(32)
            .map(|d| json!({"os": shown(&d.os, 64), "url": shown(&d.url, 2048)}))
            .collect(),
    )
}

/// Whether `url` may become a download link: `http://` or `https://` (any case) followed by a
/// host, at most 2048 bytes, and none of the characters that could end an attribute or hide what
/// the link is (`"`, `'`, `<`, `>`, `` ` ``, `\`, white space, control and bidi characters). Any
/// other URL (`javascript:`, `data:`, relative, …) is left out rather than shown.
pub fn link_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let bad = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || format::is_bidi_control(c)
            || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    };
    url.len() <= 2048
        && !rest.is_empty()
        && !rest.starts_with(['/', '?', '#', '@', ':'])
        && !url.chars().any(bad)
}

/// The current unix time (the module's clock; tests pass a fixed one to [`page`]).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
