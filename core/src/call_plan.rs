//! `$params` read once per module call into the one typed plan its function works from: where the
//! Backup Server is, what to make or find, for whom, and the call's secrets. Every rule is
//! checked here and every problem collected into one [`SettingsError`]; past this point no
//! module function reads `$params` again.

use crate::api::{Contact, Kind};
use crate::naming::{self, AccountName, USERNAME_LABEL};
use crate::params::Params;
use crate::plan::{self, Endpoint, Policy, Problems, Scope, Secret, SettingsError};
use crate::secrets::{filled_custom_fields, secrets, Secrets};

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
    /// The call's secrets.
    pub secrets: CallSecrets,
}

impl Target {
    /// Reads and checks the plan of a state change.
    pub fn read(params: &Params) -> Result<Target, SettingsError> {
        let mut problems = Problems::default();
        let endpoint = plan::endpoint(params, &mut problems);
        let kind = plan::kind(params, &mut problems);
        let username = params.text("username");
        if username.is_empty() {
            problems.add(USERNAME_LABEL, "is empty, so the account on the Backup Server is unknown; run Create first or set the username");
        }
        let (endpoint, kind) = problems.finish(Scope::Module, endpoint.zip(kind))?;
        Ok(Target {
            secrets: call_secrets(params, &endpoint),
            endpoint,
            kind,
            username,
        })
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
        let mut problems = Problems::default();
        let endpoint = plan::server_endpoint(params, &mut problems);
        let endpoint = problems.finish(Scope::Server, endpoint)?;
        Ok(Connection {
            secrets: secrets(params, &endpoint),
            endpoint,
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
