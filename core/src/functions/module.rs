//! The WHMCS module functions: each reads `$params` into plans, talks to the Backup Server, and
//! answers the shape WHMCS expects. Every failure becomes that shape's error; nothing throws.

use serde_json::{json, Map, Value};

use crate::functions::answer::Answer;
use crate::functions::change::{password_problem, PASSWORD_LABEL};
use crate::functions::client_area::{self, now};
use crate::functions::failure::Failure;
use crate::functions::list::{Function, Shape};
use crate::functions::ownership::{read_own, Own};
use crate::functions::provision::{
    explain, provision, store_passkey, with_client, Order, MODULE_HINTS,
};
use crate::server::api::reference::ThisService;
use crate::server::api::{Code, ErrorCode};
use crate::server::client::{ClientError, NetSettings, PLAIN_HTTP_WARNING};
use crate::server::endpoint::Scheme;
use crate::settings::call_plan::{
    Change, Connection, Create, NewPassword, OnService, ServerUsage, Target,
};
use crate::settings::call_secrets::stored_pass_keys;
use crate::settings::naming::AccountName;
use crate::settings::options::{FieldType, OPTIONS};
use crate::settings::terms::Terms;
use crate::whmcs::host::{api_ok, Host};
use crate::whmcs::params::Params;
use crate::whmcs::password;

/// The module's display name in WHMCS.
pub const DISPLAY_NAME: &str = "Backup Server (sgwhmcs)";

/// Runs module function `function` with `params`; answers its WHMCS return value whole (the
/// extension takes [`answer`], whose long lists are made item by item).
pub fn call(function: Function, params: &Params, host: &mut dyn Host, net: &NetSettings) -> Value {
    answer(function, params, host, net).into_value()
}

/// Runs module function `function` with `params`; answers its WHMCS return value. Each function
/// reads `params` once into its plan ([`crate::settings::call_plan`]) and works from that.
pub fn answer(
    function: Function,
    params: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Answer {
    let value = match function {
        Function::MetaData => meta_data(),
        Function::ConfigOptions => {
            crate::functions::loader::decorate(config_options(), &host.module_name())
        }
        Function::CreateAccount => status(create_account(params, host, net)),
        Function::SuspendAccount => status(set_active(params, host, net, Transition::Suspend)),
        Function::UnsuspendAccount => status(set_active(params, host, net, Transition::Unsuspend)),
        Function::TerminateAccount => status(set_active(params, host, net, Transition::Terminate)),
        Function::TestConnection => match test_connection(params, host, net) {
            Ok(Scheme::Http) => json!({"success": true, "error": PLAIN_HTTP_WARNING}),
            Ok(Scheme::Https) => json!({"success": true, "error": ""}),
            Err(e) => json!({"success": false, "error": e.to_string()}),
        },
        Function::ChangePackage => status(
            Change::read(params)
                .map_err(Failure::from)
                .and_then(|plan| crate::functions::change::change_package(plan, host, net)),
        ),
        Function::ChangePassword => status(
            NewPassword::read(params, PASSWORD_LABEL, password_problem)
                .map_err(Failure::from)
                .and_then(|plan| crate::functions::change::change_password(plan, host, net)),
        ),
        Function::UsageUpdate => status(
            ServerUsage::read(params)
                .map_err(Failure::from)
                .and_then(|plan| crate::functions::usage::update_server(&plan, host, net)),
        ),
        Function::ListAccounts => {
            let server_ip = params.text("serverip");
            return crate::functions::sync::list_accounts(
                Connection::read(params).map_err(Failure::from),
                &server_ip,
                host,
                net,
            );
        }
        // WHMCS needs an object, which the generated module file makes itself (kind `provider`).
        Function::MetricProvider => Shape::Provider.failure("made by the generated module file"),
        Function::AdminServicesTabFields => {
            crate::functions::admin_tab::fields(Target::read(params), host, net)
        }
        Function::AdminCustomButtonArray => crate::functions::buttons::array(),
        Function::ResetPassKey
        | Function::StorePassKey
        | Function::LinkAccount
        | Function::DeleteOnServer => {
            crate::functions::buttons::press(function, OnService::read(params), host, net)
        }
        Function::AdminLink => crate::functions::admin_tab::admin_link(Connection::read(params)),
        Function::LoadResellers => crate::functions::loader::load_resellers(
            Connection::of_product(params).map_err(Failure::ResellersSettings),
            host,
            net,
        ),
        Function::ClientArea => client_area::client_area(params, host, net, now()),
        Function::ClientAreaAllowedFunctions => client_area::allowed_functions(),
        Function::RevealPassKey => client_area::reveal(&OnService::read(params)),
    };
    value.into()
}

/// A change of an account's state, and what each one means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// `SuspendAccount`: make it inactive.
    Suspend,
    /// `UnsuspendAccount`: make it active.
    Unsuspend,
    /// `TerminateAccount`: make it inactive; an account that no longer exists already is.
    Terminate,
}

impl Transition {
    /// The module function it is.
    pub fn function(self) -> Function {
        match self {
            Transition::Suspend => Function::SuspendAccount,
            Transition::Unsuspend => Function::UnsuspendAccount,
            Transition::Terminate => Function::TerminateAccount,
        }
    }

    /// Whether the account ends active.
    pub fn active(self) -> bool {
        self == Transition::Unsuspend
    }

    /// Whether an account that does not exist counts as done.
    pub fn gone_is_done(self) -> bool {
        self == Transition::Terminate
    }
}

/// The edge: a failure's text is rendered here, once.
fn status(result: Result<(), Failure>) -> Value {
    Value::String(match result {
        Ok(()) => "success".into(),
        Err(e) => e.to_string(),
    })
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
        // Server Sync imports an account into the first product of its storage (core/src/functions/sync.rs).
        "ListAccountsProductField": crate::functions::sync::product_field(),
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

fn create_account(params: &Params, host: &mut dyn Host, net: &NetSettings) -> Result<(), Failure> {
    let plan = Create::read(params)?;
    let service_id = &plan.ids.service;
    let password = ensure_password(plan.password.expose().to_string(), host, service_id)?;
    let mut secrets = plan.secrets.known.clone();
    secrets.add(password.clone());
    secrets.extend(stored_pass_keys(&plan.secrets.custom_fields, host));
    let noun = plan.policy.kind.noun();
    let order = Order {
        hints: &MODULE_HINTS,
        terms: Terms::ModuleSettings,
        action: Function::CreateAccount.name(),
        contact: plan.contact.clone(),
        password,
        reference: crate::whmcs::reference::for_service(host, service_id).map_err(|why| {
            Failure::Create {
                noun,
                why: why.to_string(),
            }
        })?,
        secrets,
    };
    let made = provision(host, net, &plan.endpoint, &plan.policy, &plan.name, &order)?;
    if matches!(plan.name, AccountName::Derived { .. }) {
        let answer = host.local_api(
            "UpdateClientProduct",
            json!({"serviceid": service_id, "serviceusername": made.name}),
        );
        api_ok(&answer).map_err(|why| Failure::UsernameNotStored {
            noun,
            name: made.name.clone(),
            why,
        })?;
    }
    let client_id = &plan.ids.client;
    let home = crate::whmcs::passkey::Home::Service {
        service: service_id,
        client: client_id,
    };
    store_passkey(host, &order, &made, home)?;
    if let Some(warning) = plain_http_warning(&plan.endpoint, "CreateAccount") {
        // WHMCS shows "success" and nothing else, and the Module Log is off by default; a product
        // with its own http fields has no Test Connection button: the Activity Log is the place.
        host.log_activity(&warning, client_id);
    }
    Ok(())
}

/// The Activity Log line that tells the admin a successful `action` went over plain http, or
/// `None` over https.
pub fn plain_http_warning(
    endpoint: &crate::server::endpoint::Endpoint,
    action: &str,
) -> Option<String> {
    // Built by hand, not by format!: every http TestConnection makes it.
    (endpoint.scheme == Scheme::Http).then(|| {
        [
            "sgwhmcs ",
            action,
            " to ",
            &endpoint.host,
            ":",
            &endpoint.port.to_string(),
            " succeeded. ",
            PLAIN_HTTP_WARNING,
        ]
        .concat()
    })
}

/// The service's web console password; when WHMCS gives none, a generated one, stored as the
/// service's password BEFORE the account is made, so that a Create run again (which adopts the
/// account) sends the same one and WHMCS always holds the account's password.
fn ensure_password(
    given: String,
    host: &mut dyn Host,
    service_id: &str,
) -> Result<String, Failure> {
    if !given.is_empty() {
        return Ok(given);
    }
    let made = password::generate().map_err(Failure::NoPassword)?;
    let answer = host.local_api(
        "UpdateClientProduct",
        json!({"serviceid": service_id, "servicepassword": made}),
    );
    api_ok(&answer).map_err(|e| {
        Failure::PasswordNotStored(crate::secrets::scrub(&e, std::slice::from_ref(&made)))
    })?;
    Ok(made)
}

fn set_active(
    params: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
    transition: Transition,
) -> Result<(), Failure> {
    let plan = Target::read(params)?;
    let (kind, username) = (plan.kind, &plan.username);
    let active = transition.active();
    let verb = if active { "activate" } else { "deactivate" };
    let failed = |why| Failure::SetActive {
        verb,
        noun: kind.noun(),
        name: username.clone(),
        why,
    };
    let this = ThisService::of(host, &plan.ids.service, &plan.ids.client)
        .map_err(|e| failed(e.to_string()))?;
    let mut secrets = plan.secrets.known.clone();
    secrets.extend(stored_pass_keys(&plan.secrets.custom_fields, host));
    let action = transition.function().name();
    let outcome = with_client(host, action, &plan.endpoint, net, &secrets, |c| {
        // Identity first: the account of this name is changed only when it is this service's.
        match read_own(c, kind, username, &this) {
            Ok(Own::Ours(..)) => {}
            // Terminating wants the account inactive; one that no longer exists already is.
            Ok(Own::Gone) if transition.gone_is_done() => return Ok("success".into()),
            Ok(Own::Gone) => return Err("it does not exist on the Backup Server".into()),
            Ok(Own::Theirs(whose)) => return Err(whose.refusal()),
            Err(e) => {
                return Err(format!(
                    "{}; whose account it is could not be read, so nothing was changed: running it again is safe",
                    explain(&e)
                ))
            }
        }
        match c.set_active(kind, username, active) {
            Ok(_) => Ok("success".into()),
            Err(ClientError::Api {
                code: ErrorCode::Known(Code::NotFound),
                ..
            }) if transition.gone_is_done() => Ok("success".into()),
            Err(ClientError::Api {
                code: ErrorCode::Known(Code::NotFound),
                ..
            }) => Err("it does not exist on the Backup Server".into()),
            // The server may have done it: its state, read back, decides.
            Err(e) if e.is_ambiguous() => confirm(c, kind, username, transition, &e, &this),
            Err(e) => Err(explain(&e)),
        }
    });
    outcome.map(drop).map_err(failed)
}

/// After an answer that does not say whether a state change happened, reads the account back
/// (still judged by its reference): success when this service's account is in the state wanted,
/// otherwise the first failure and what the read showed.
fn confirm(
    c: &mut crate::server::client::Client,
    kind: crate::server::api::Kind,
    name: &str,
    transition: Transition,
    first: &ClientError,
    this: &ThisService,
) -> Result<String, String> {
    let active = transition.active();
    let wanted = if active { "active" } else { "inactive" };
    let other = if active { "inactive" } else { "active" };
    match read_own(c, kind, name, this) {
        Ok(Own::Ours(account)) if account.active == Some(active) => Ok("success".into()),
        // An answer that leaves `active` out confirms nothing, either way.
        Ok(Own::Ours(account)) if account.active.is_none() => Err(format!(
            "{}; read back, the Backup Server does not say whether it is {wanted}: running it again is safe",
            explain(first)
        )),
        Ok(Own::Ours(..)) => Err(format!(
            "{}; read back, it is still {other}",
            explain(first)
        )),
        Ok(Own::Gone) if transition.gone_is_done() => Ok("success".into()),
        Ok(Own::Gone) => Err(format!(
            "{}; read back, it does not exist on the Backup Server",
            explain(first)
        )),
        Ok(Own::Theirs(whose)) => Err(format!("{}; read back, {}", explain(first), whose.refusal())),
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
) -> Result<Scheme, Failure> {
    let plan = Connection::read(params)?;
    let (endpoint, secrets) = (&plan.endpoint, &plan.secrets);
    let scheme = with_client(host, "TestConnection", endpoint, net, secrets, |c| {
        c.server_info()
            .map(|_| endpoint.scheme)
            .map_err(|e| explain(&e))
    })
    .map_err(Failure::Connection)?;
    if let Some(warning) = plain_http_warning(endpoint, "Test Connection") {
        // WHMCS shows only "successful" after a successful test and throws `error` away: the
        // Activity Log is where the admin sees the warning (the Module Log has it on each request).
        host.log_activity(&warning, "");
    }
    Ok(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whmcs::host::fake::FakeHost;

    #[test]
    fn the_plain_http_warning_names_the_action_and_server_and_no_secret() {
        let endpoint = |prefix: &str| {
            let params = Params::new(json!({
                "serverhttpprefix": prefix, "serverhostname": "backup.example.test",
                "serverport": "6060", "serverusername": "admin", "serverpassword": "S3cret-pw",
            }));
            crate::settings::plan::server_endpoint(
                &params,
                &mut crate::settings::plan::Problems::default(),
            )
            .unwrap()
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
    fn each_transition_is_its_function_and_knows_its_end_state() {
        let all = [
            Transition::Suspend,
            Transition::Unsuspend,
            Transition::Terminate,
        ];
        let names: Vec<&str> = all.iter().map(|t| t.function().name()).collect();
        assert_eq!(
            names,
            ["SuspendAccount", "UnsuspendAccount", "TerminateAccount"]
        );
        let active: Vec<bool> = all.iter().map(|t| t.active()).collect();
        assert_eq!(active, [false, true, false]);
        let gone: Vec<bool> = all.iter().map(|t| t.gone_is_done()).collect();
        assert_eq!(gone, [false, false, true]);
    }

    #[test]
    fn settings_problems_are_answered_in_the_functions_shape_and_nothing_is_sent() {
        let mut host = FakeHost::default();
        let net = NetSettings::default();
        let broken = Params::new(json!({"serverhostname": "b.test"}));
        let answer = call(Function::TestConnection, &broken, &mut host, &net);
        assert_eq!(answer["success"], json!(false));
        assert!(answer["error"]
            .as_str()
            .unwrap()
            .starts_with("Server settings are invalid: "));
        let answer = call(Function::SuspendAccount, &broken, &mut host, &net);
        assert!(answer
            .as_str()
            .unwrap()
            .starts_with("Module settings are invalid: "));
        assert!(host.activity.is_empty() && host.api_calls.is_empty());
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
        let e = e.to_string();
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
