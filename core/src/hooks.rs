//! The action hooks of `whmcsHooks.php`: `SGSignupReseller` / `SGSignupCustomer` registered on
//! `ClientAdd` or `AcceptOrder`. The hooks file's configuration is mapped onto the module's
//! settings table, so it is checked by the same rules with the same messages. A hook never fails
//! WHMCS: every problem becomes one line in `whmcs_error.log` and the Activity Log.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use crate::api::Kind;
use crate::client::NetSettings;
use crate::host::{api_ok, Host};
use crate::module;
use crate::naming::{self, AccountName};
use crate::options::{field, OPTIONS};
use crate::params::{scalar_text, Params};
use crate::plan::{self, Problems};
use crate::provision::{self, Order};

/// Hooks-file variables for the connection, as the product documentation names them, and the
/// module setting each stands for.
pub const CONNECTION_KEYS: [(&str, usize); 6] = [
    ("protocal", field::PROTOCOL),
    ("serverName", field::HOST),
    ("port", field::PORT),
    ("userName", field::USERNAME),
    ("loginPassword", field::PASSWORD),
    ("certificateSha256", field::FINGERPRINT),
];

/// The file failures are appended to, in WHMCS's admin folder.
pub const ERROR_LOG: &str = "whmcs_error.log";

/// Runs a signup hook; answers what happened (also logged). Never panics on bad input.
pub fn signup(
    kind: Kind,
    vars: &Params,
    config: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<String, String> {
    let hook = if vars.has("orderid") && !vars.has("client_id") {
        "AcceptOrder"
    } else {
        "ClientAdd"
    };
    let secrets = secrets(vars, config);
    let mut client_id = vars.text("client_id");
    if client_id.is_empty() {
        client_id = vars.text("userid");
    }
    if client_id.is_empty() {
        client_id = vars.text("user_id");
    }
    let outcome = run(
        kind,
        hook,
        vars,
        config,
        host,
        net,
        &secrets,
        &mut client_id,
    );
    let line = match &outcome {
        Ok(done) => done.clone(),
        Err(why) => why.clone(),
    };
    let line = crate::secrets::scrub(&line, &secrets);
    match &outcome {
        Ok(_) => host.log_activity(&format!("sgwhmcs {hook}: {line}"), &client_id),
        Err(_) => {
            let written = error_log_path(host).map(|p| append_line(&p, hook, &client_id, &line));
            let note = match written {
                Some(Err(e)) => format!(" (and {ERROR_LOG} could not be written: {e})"),
                _ => String::new(),
            };
            host.log_activity(&format!("sgwhmcs {hook} failed: {line}{note}"), &client_id);
        }
    }
    outcome.map(|_| line.clone()).map_err(|_| line)
}

#[allow(clippy::too_many_arguments)]
fn run(
    kind: Kind,
    hook: &'static str,
    vars: &Params,
    config: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
    secrets: &[String],
    client_id: &mut String,
) -> Result<String, String> {
    let mut problems = Problems::default();
    let settings = settings(kind, config, &mut problems);
    let endpoint = if ["serverName", "userName", "loginPassword"]
        .iter()
        .all(|k| config.text(k).is_empty())
    {
        problems.add(
            "Connection",
            "set $serverName, $userName and $loginPassword at the top of whmcsHooks.php",
        );
        None
    } else {
        plan::endpoint(&settings, &mut problems)
    };
    let policy = plan::policy(&settings, &mut problems);
    if hook == "AcceptOrder" && !problems.0.is_empty() {
        // Name the order's client in the report of a configuration error too.
        if let Ok((id, _)) = order_client(host, &vars.text("orderid")) {
            *client_id = id;
        }
    }
    module::reject(problems).map_err(|e| {
        e.replace(
            "Module settings are invalid",
            "Hooks configuration is invalid",
        )
    })?;
    let (Some(endpoint), Some(policy)) = (endpoint, policy) else {
        return Err("Hooks configuration is invalid".into());
    };
    let (client, password) = if hook == "AcceptOrder" {
        let (id, details) = order_client(host, &vars.text("orderid"))?;
        *client_id = id;
        (details, String::new())
    } else {
        if client_id.is_empty() {
            return Err("ClientAdd gave no client_id; nothing was created".into());
        }
        (vars.clone(), vars.text("password"))
    };
    let name = AccountName::derived(&client, client_id, "client");
    let order = Order {
        hints: &provision::HOOK_HINTS,
        action: hook,
        contact: naming::contact(&client),
        password,
        reference: crate::reference::for_client(host, client_id)
            .map_err(|e| format!("Could not create {}: {e}", policy.kind.noun()))?,
        secrets: secrets.to_vec(),
    };
    let made = provision::provision(host, net, &endpoint, &policy, &name, &order)?;
    provision::store_passkey(host, &order, &made, client_id)?;
    let stored = if made.passkey.is_some() {
        "; pass key stored in the client's Pass Key field"
    } else {
        ""
    };
    Ok(format!(
        "{} \"{}\" is on the Backup Server{stored}",
        made.noun, made.name
    ))
}

/// Maps the hooks file's configuration onto the module's positional settings.
fn settings(kind: Kind, config: &Params, problems: &mut Problems) -> Params {
    let mut map = Map::new();
    let mut put = |n: usize, v: String| {
        map.insert(format!("configoption{n}"), Value::String(v));
    };
    for (key, n) in CONNECTION_KEYS {
        put(n, config.text(key));
    }
    let action = match kind {
        Kind::Reseller => "Signup Reseller",
        Kind::Customer => "Signup Customer",
    };
    put(field::ACTION, action.to_string());
    for (label, value) in config.nested("policy").entries() {
        let position = OPTIONS
            .iter()
            .position(|o| o.label == label.as_str())
            .map(|i| i + 1);
        match position {
            Some(n) if (field::RESELLER..=field::RETRIEVE_PASSKEY).contains(&n) => {
                let text = scalar_text(Some(value));
                let text = if matches!(value, Value::Bool(true)) { "on".to_string() } else { text };
                put(n, text);
            }
            Some(_) => problems.add(label, "is set at the top of the hooks file, not in its policy"),
            None => problems.add(
                label,
                "is not a setting name; use the labels of the module settings, e.g. \"Storage Allotted\"",
            ),
        }
    }
    Params::new(Value::Object(map))
}

/// The order's client id and details, through `GetOrders` then `GetClientsDetails`.
fn order_client(host: &mut dyn Host, order_id: &str) -> Result<(String, Params), String> {
    if order_id.is_empty() {
        return Err("AcceptOrder gave no orderid; nothing was created".into());
    }
    let orders = host.local_api("GetOrders", json!({"id": order_id}));
    api_ok(&orders).map_err(|e| format!("GetOrders for order {order_id} failed: {e}"))?;
    let client_id = orders
        .pointer("/orders/order/0/userid")
        .map(|v| scalar_text(Some(v)))
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("order {order_id} was not found, or has no client"))?;
    let details = host.local_api(
        "GetClientsDetails",
        json!({"clientid": client_id, "stats": false}),
    );
    api_ok(&details)
        .map_err(|e| format!("GetClientsDetails for client {client_id} failed: {e}"))?;
    let details = Params::new(details);
    // Newer WHMCS answers with the details both at the top and under "client".
    let client = match details.nested("client") {
        c if c.has("email") => c,
        _ => details,
    };
    Ok((client_id, client))
}

fn secrets(vars: &Params, config: &Params) -> Vec<String> {
    let mut out: Vec<String> = ["loginPassword", "certificateSha256"]
        .iter()
        .map(|k| config.text(k))
        .collect();
    out.push(vars.text("password"));
    out.retain(|s| !s.is_empty());
    out
}

/// `<ROOTDIR>/<admin folder>/whmcs_error.log`, honouring `$customadminpath`.
fn error_log_path(host: &mut dyn Host) -> Option<PathBuf> {
    let root = PathBuf::from(host.root_dir()?);
    let admin = admin_folder(&root);
    Some(root.join(admin).join(ERROR_LOG))
}

/// The admin folder's name: `$customadminpath` from `configuration.php`, else `admin`.
pub fn admin_folder(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("configuration.php")).unwrap_or_default();
    // The last assignment wins, as in PHP.
    text.lines()
        .rev()
        .filter_map(|line| line.trim().strip_prefix("$customadminpath"))
        .filter_map(|rest| {
            let value = rest
                .trim_start()
                .strip_prefix('=')?
                .trim()
                .trim_end_matches(';')
                .trim();
            let inner = value
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')))?;
            let safe = !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && inner != "."
                && inner != "..";
            safe.then(|| inner.to_string())
        })
        .next()
        .unwrap_or_else(|| "admin".to_string())
}

fn append_line(path: &Path, hook: &str, client_id: &str, message: &str) -> std::io::Result<()> {
    let one_line = message.replace(['\r', '\n'], " ");
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(file, "{} {hook} client {client_id}: {one_line}", utc_now())
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    utc(secs)
}

/// Formats seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian calendar).
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_910_399), "2026-11-28T23:59:59Z");
    }

    #[test]
    fn reads_custom_admin_path() {
        let dir = std::env::temp_dir().join(format!("sgwhmcs-admin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(admin_folder(&dir), "admin");
        std::fs::write(
            dir.join("configuration.php"),
            "<?php\n$db_host = 'x';\n$customadminpath = 'secret-admin';\n",
        )
        .unwrap();
        assert_eq!(admin_folder(&dir), "secret-admin");
        std::fs::write(
            dir.join("configuration.php"),
            "<?php\n$customadminpath = '../etc';\n",
        )
        .unwrap();
        assert_eq!(admin_folder(&dir), "admin");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn hooks_config_maps_onto_module_settings() {
        let config = Params::new(json!({
            "protocal": "https", "serverName": "b.test", "port": "", "userName": "admin", "loginPassword": "pw",
            "policy": {"Storage Allotted": "1024", "Is Auto MCAL": true, "Bogus": "1", "Action": "x"},
        }));
        let mut problems = Problems::default();
        let s = settings(Kind::Reseller, &config, &mut problems);
        assert_eq!(s.setting(field::HOST), "b.test");
        assert_eq!(s.setting(field::ACTION), "Signup Reseller");
        assert_eq!(s.setting(field::STORAGE), "1024");
        assert_eq!(s.setting(field::MCAL_AUTO), "on");
        let found: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("Bogus: is not a setting name"));
        assert!(found[1].starts_with("Action: is set at the top"));
    }
}
