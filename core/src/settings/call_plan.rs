//! `$params` read once per module call into the one typed plan its function works from: where the
//! Backup Server is, what to make or find, for whom, and the call's secrets. Every rule is
//! checked here and every problem collected into one [`SettingsError`]; past this point no
//! module function reads `$params` again.

use crate::secrets::Secrets;
use crate::server::api::{Contact, Kind};
use crate::server::endpoint::{Endpoint, Secret};
use crate::settings::call_secrets::{filled_custom_fields, secrets};
use crate::settings::naming::{self, AccountName, USERNAME_LABEL};
use crate::settings::plan::{self, Policy, Problems, Scope, SettingsError};
use crate::whmcs::params::Params;

/// The service and client a call is for, as WHMCS numbers them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ids {
    /// `serviceid`.
    pub service: String,
    /// `userid` (the client).
    pub client: String,
}

/// The secrets of a call and where a stored pass key may be (looked up only when needed).
#[derive(Clone, Debug, Default)]
pub struct CallSecrets {
    /// The secrets `$params` holds.
    pub known: Secrets,
    /// The client's filled custom fields, `(id, value)`: one may hold a stored pass key.
    pub custom_fields: Vec<(String, String)>,
}

fn call_secrets(params: &Params, endpoint: &Endpoint) -> CallSecrets {
    CallSecrets {
        known: secrets(params, endpoint),
        custom_fields: filled_custom_fields(params),
    }
}

/// Everything `CreateAccount` needs.
#[derive(Debug)]
pub struct Create {
    /// Where the Backup Server is.
    pub endpoint: Endpoint,
    /// What account to make.
    pub policy: Policy,
    /// Its name, given or to derive.
    pub name: AccountName,
    /// The service's password as WHMCS gave it (may be empty: one is generated then).
    pub password: Secret,
    /// The client's contact details.
    pub contact: Contact,
    /// The service and client.
    pub ids: Ids,
    /// The call's secrets.
    pub secrets: CallSecrets,
}

impl Create {
    /// Reads and checks the create plan.
    pub fn read(params: &Params) -> Result<Create, SettingsError> {
        let mut problems = Problems::default();
        let endpoint = plan::endpoint(params, &mut problems);
        let policy = plan::policy(params, &mut problems);
        let name = AccountName::from_params(params)
            .map_err(|p| problems.add(USERNAME_LABEL, p))
            .ok();
        let password = plan::service_password(params, &mut problems);
        let (endpoint, policy, name, password) =
            problems.finish(Scope::Module, zip4(endpoint, policy, name, password))?;
        Ok(Create {
            secrets: call_secrets(params, &endpoint),
            endpoint,
            policy,
            name,
            password,
            contact: naming::contact(&params.nested("clientsdetails")),
            ids: ids(params),
        })
    }
}

/// Everything Suspend, Unsuspend and Terminate need: the account to find.
#[derive(Debug)]
pub struct Target {
    /// Where the Backup Server is.
    pub endpoint: Endpoint,
    /// The account's kind.
    pub kind: Kind,
    /// The account's name (the service's username).
    pub username: String,
    /// The service (a valid service id) and its client: whose account it must be.
    pub ids: Ids,
    /// The call's secrets.
    pub secrets: CallSecrets,
}

impl Target {
    /// Reads and checks the plan of a state change.
    pub fn read(params: &Params) -> Result<Target, SettingsError> {
        let mut problems = Problems::default();
        let endpoint = plan::endpoint(params, &mut problems);
        let kind = plan::kind(params, &mut problems);
        // A name the API cannot hold (control characters, over 64 characters) names no account:
        // refused before any request, so nothing is looked up by a name the server never made.
        let username = account_username(params, &mut problems);
        let ids = service_ids(params, &mut problems);
        let (((endpoint, kind), username), ids) =
            problems.finish(Scope::Module, endpoint.zip(kind).zip(username).zip(ids))?;
        Ok(Target {
            secrets: call_secrets(params, &endpoint),
            endpoint,
            kind,
            username,
            ids,
        })
    }
}

/// Everything `ChangePackage` needs: the connection, the (new) product's policy and the account.
#[derive(Debug)]
pub struct Change {
    /// Where the Backup Server is.
    pub endpoint: Endpoint,
    /// What the account should become.
    pub policy: Policy,
    /// The account's name (the service's username, a valid name).
    pub username: String,
    /// The service (a valid service id) and its client: whose account it must be.
    pub ids: Ids,
    /// The call's secrets.
    pub secrets: CallSecrets,
}

impl Change {
    /// Reads and checks the plan of a change of package.
    pub fn read(params: &Params) -> Result<Change, SettingsError> {
        let mut problems = Problems::default();
        let endpoint = plan::endpoint(params, &mut problems);
        let policy = plan::policy(params, &mut problems);
        let username = account_username(params, &mut problems);
        let ids = service_ids(params, &mut problems);
        let (((endpoint, policy), username), ids) =
            problems.finish(Scope::Module, endpoint.zip(policy).zip(username).zip(ids))?;
        Ok(Change {
            secrets: call_secrets(params, &endpoint),
            endpoint,
            policy,
            username,
            ids,
        })
    }
}

/// Everything `ChangePassword` needs: the account and its new password, checked.
#[derive(Debug)]
pub struct NewPassword {
    /// Where the Backup Server is.
    pub endpoint: Endpoint,
    /// The account's kind.
    pub kind: Kind,
    /// The account's name (the service's username, a valid name).
    pub username: String,
    /// The service's new password.
    pub password: Secret,
    /// The service (a valid service id) and its client: whose account it must be.
    pub ids: Ids,
    /// The call's secrets.
    pub secrets: CallSecrets,
}

impl NewPassword {
    /// Reads and checks the plan of a password change; `check` words what is wrong with the new
    /// password (reported under `label`).
    pub fn read(
        params: &Params,
        label: &str,
        check: impl Fn(&str) -> Option<String>,
    ) -> Result<NewPassword, SettingsError> {
        let mut problems = Problems::default();
        let endpoint = plan::endpoint(params, &mut problems);
        let kind = plan::kind(params, &mut problems);
        let username = account_username(params, &mut problems);
        let password = plan::service_password(params, &mut problems);
        if let Some(why) = password.as_ref().and_then(|p| check(p.expose())) {
            problems.add(label, why);
        }
        let ids = service_ids(params, &mut problems);
        let ((((endpoint, kind), username), password), ids) = problems.finish(
            Scope::Module,
            endpoint.zip(kind).zip(username).zip(password).zip(ids),
        )?;
        Ok(NewPassword {
            secrets: call_secrets(params, &endpoint),
            endpoint,
            kind,
            username,
            password,
            ids,
        })
    }
}

/// The service's ids, when `serviceid` is a WHMCS service id: without one, this service's account
/// cannot be told apart from another service's (the one ownership rule needs it), so nothing is
/// sent.
fn service_ids(params: &Params, problems: &mut Problems) -> Option<Ids> {
    let ids = ids(params);
    if crate::server::api::reference::is_id(&ids.service) && ids.service != "0" {
        return Some(ids);
    }
    problems.add(
        SERVICE_ID_LABEL,
        "is not a WHMCS service id, so this service's account cannot be told apart from another service's; nothing was sent",
    );
    None
}

/// The label a missing or invalid service id is reported under.
pub const SERVICE_ID_LABEL: &str = "serviceid";

/// The service's username, the account's name: required (there is nothing to change without
/// it) and a valid name.
fn account_username(params: &Params, problems: &mut Problems) -> Option<String> {
    let username = params.text("username");
    if username.is_empty() {
        problems.add(
            USERNAME_LABEL,
            "is empty, so the account on the Backup Server is unknown; run Create first or set the username",
        );
        return None;
    }
    problems.check(
        USERNAME_LABEL,
        crate::settings::rules::account_name(&username),
    )
}

/// The service a call is on, read whatever its settings: its ids and its WHMCS status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Service {
    /// The service and client.
    pub ids: Ids,
    /// `status` (`Active`, `Suspended`, `Terminated`, …), empty when WHMCS gave none.
    pub status: String,
}

/// Everything a call on one service's account needs (the admin buttons, the client area): the
/// service, always, and the account's [`Target`] when the settings allow one.
#[derive(Debug)]
pub struct OnService {
    /// The service.
    pub service: Service,
    /// The account, or why the settings name none.
    pub target: Result<Target, SettingsError>,
}

impl OnService {
    /// Reads the service and its target.
    pub fn read(params: &Params) -> OnService {
        OnService {
            service: Service {
                ids: ids(params),
                status: params.text("status"),
            },
            target: Target::read(params),
        }
    }
}

/// Everything `TestConnection` needs: the WHMCS server record's connection.
#[derive(Debug)]
pub struct Connection {
    /// Where the Backup Server is.
    pub endpoint: Endpoint,
    /// The call's secrets.
    pub secrets: Secrets,
}

impl Connection {
    /// Reads and checks the server record.
    pub fn read(params: &Params) -> Result<Connection, SettingsError> {
        Connection::read_after(params, Problems::default())
    }

    /// Reads and checks the server record; `before` holds the problems of the call's other
    /// inputs (a MetricProvider tenant), reported with the server's in one error.
    pub fn read_after(params: &Params, mut before: Problems) -> Result<Connection, SettingsError> {
        let endpoint = plan::server_endpoint(params, &mut before);
        let endpoint = before.finish(Scope::Server, endpoint)?;
        Ok(Connection {
            secrets: secrets(params, &endpoint),
            endpoint,
        })
    }

    /// The connection a product's own call uses (`LoadResellers`): the product's connection
    /// fields, else its server's, under the module scope (as for Create).
    pub fn of_product(params: &Params) -> Result<Connection, SettingsError> {
        let mut problems = Problems::default();
        let endpoint = plan::endpoint(params, &mut problems);
        let endpoint = problems.finish(Scope::Module, endpoint)?;
        Ok(Connection {
            secrets: secrets(params, &endpoint),
            endpoint,
        })
    }
}

/// Everything `UsageUpdate` needs: the WHMCS server's id (its services are the ones updated) and
/// its connection.
#[derive(Debug)]
pub struct ServerUsage {
    /// `serverid`: digits, never `0`.
    pub server_id: String,
    /// The server record's connection.
    pub connection: Connection,
}

impl ServerUsage {
    /// Reads and checks the server id and record; both are named in one error.
    pub fn read(params: &Params) -> Result<ServerUsage, SettingsError> {
        let server_id = params.text("serverid");
        let mut problems = Problems::default();
        if !server_id.chars().all(|c| c.is_ascii_digit())
            || server_id.is_empty()
            || server_id == "0"
        {
            problems.add(
                "serverid",
                "is not a WHMCS server id, so its services are unknown",
            );
        }
        Ok(ServerUsage {
            connection: Connection::read_after(params, problems)?,
            server_id,
        })
    }
}

fn ids(params: &Params) -> Ids {
    Ids {
        service: params.text("serviceid"),
        client: params.text("userid"),
    }
}

fn zip4<A, B, C, D>(
    a: Option<A>,
    b: Option<B>,
    c: Option<C>,
    d: Option<D>,
) -> Option<(A, B, C, D)> {
    Some((a?, b?, c?, d?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A valid customer product over https with a service; `extra` members override.
    fn params(extra: Value) -> Params {
        let mut all = json!({
            "configoption1": "https", "configoption2": "backup.example.test",
            "configoption4": "admin", "configoption5": " S3cret-pw ",
            "configoption6": "Signup Customer", "configoption10": "1073741824",
            "configoption14": "on", "configoption16": "Global Configuration",
            "serviceid": "5", "userid": "3", "username": "", "password": "Svc-Pa55",
            "clientsdetails": {"firstname": "Jane", "lastname": "Doe", "companyname": "Acme",
                "email": "jane@acme.test", "customfields": [{"id": "9", "value": "stored-key"}]},
        });
        for (k, v) in extra.as_object().unwrap() {
            all[k] = v.clone();
        }
        Params::new(all)
    }

    #[test]
    fn a_create_plan_holds_everything_the_create_needs() {
        let plan = Create::read(&params(json!({}))).unwrap();
        assert_eq!(plan.endpoint.host, "backup.example.test");
        assert_eq!(plan.policy.kind, Kind::Customer);
        assert!(matches!(plan.name, AccountName::Derived { ref suffix, .. } if suffix == "5"));
        assert_eq!(plan.password.expose(), "Svc-Pa55");
        assert_eq!(plan.contact.email, "jane@acme.test");
        assert_eq!(
            plan.ids,
            Ids {
                service: "5".into(),
                client: "3".into()
            }
        );
        // The password exactly as given, and trimmed, and the Basic credential.
        for secret in [" S3cret-pw ", "S3cret-pw", "Svc-Pa55", "admin: S3cret-pw "] {
            assert!(plan.secrets.known.contains(&secret.to_string()), "{secret}");
        }
        assert_eq!(
            plan.secrets.custom_fields,
            vec![("9".to_string(), "stored-key".to_string())]
        );
    }

    #[test]
    fn a_create_plan_collects_every_problem_under_the_module_scope() {
        let e = Create::read(&params(json!({
            "configoption1": "ftp", "configoption10": "lots", "username": "bad name!",
        })))
        .unwrap_err();
        assert_eq!(e.scope, Scope::Module);
        assert_eq!(e.problems.len(), 3, "{e}");
        let text = e.to_string();
        assert!(text.starts_with("Module settings are invalid: "), "{text}");
        assert!(text.contains(USERNAME_LABEL), "{text}");
        assert!(!text.contains("S3cret"), "{text}");
    }

    #[test]
    fn a_state_change_needs_the_username() {
        let e = Target::read(&params(json!({}))).unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].label, USERNAME_LABEL);
        let plan = Target::read(&params(json!({"username": "acme"}))).unwrap();
        assert_eq!(
            (plan.kind, plan.username.as_str()),
            (Kind::Customer, "acme")
        );
        // Suspend needs no valid policy: a broken storage setting does not stop it.
        let broken = params(json!({"username": "acme", "configoption10": "lots"}));
        assert!(Target::read(&broken).is_ok());
    }

    #[test]
    fn every_plan_on_an_existing_account_needs_the_service_id() {
        for bad in ["", "0", "5a", "-5", "&#53;"] {
            let p = params(json!({"username": "acme", "serviceid": bad, "password": "N3w-Pa55"}));
            let target = Target::read(&p).unwrap_err();
            let change = Change::read(&p).unwrap_err();
            let password = NewPassword::read(&p, "Password", |_| None).unwrap_err();
            for e in [target, change, password] {
                assert_eq!(e.problems.len(), 1, "{bad:?}: {e}");
                assert_eq!(e.problems[0].label, SERVICE_ID_LABEL);
                assert!(e.to_string().contains("nothing was sent"), "{e}");
            }
        }
        let plan = Target::read(&params(json!({"username": "acme"}))).unwrap();
        assert_eq!(
            (plan.ids.service.as_str(), plan.ids.client.as_str()),
            ("5", "3")
        );
    }

    #[test]
    fn test_connection_reads_the_server_record_under_the_server_scope() {
        let e = Connection::read(&Params::new(json!({"serverhostname": "b.test"}))).unwrap_err();
        assert_eq!(e.scope, Scope::Server);
        assert!(
            e.to_string().starts_with("Server settings are invalid: "),
            "{e}"
        );
        let plan = Connection::read(&Params::new(json!({
            "serverhostname": "b.test", "serverusername": "admin", "serverpassword": "pw",
            "serversecure": "on",
        })))
        .unwrap();
        assert_eq!(plan.endpoint.base_url(), "https://b.test:6061/api/v1");
        assert!(plan.secrets.contains(&"admin:pw".to_string()));
    }
}
