//! External references: what ties an account on the Backup Server to the WHMCS service (or, for
//! hook-made accounts, the WHMCS client) it was made for. Adoption of an existing account trusts
//! only this: an e-mail address cannot tell "my own earlier attempt" from "this client's other
//! service".
//!
//! The form is `whmcs:<install>:service:<id>` or `whmcs:<install>:client:<id>`. `<install>` is a
//! random id made once per WHMCS install and kept in WHMCS's own settings table
//! (`tblconfiguration`, setting [`INSTALL_SETTING`]). Why not `ROOTDIR` or the System URL: two
//! installs on different hosts often share a path such as `/var/www/whmcs`, and a System URL
//! changes with a new domain; either would let one install take over the other's accounts, or
//! lose its own. The stored id survives moves and renames, and goes with the database.

use std::fmt;

use serde_json::{json, Value};

use crate::server::limits::is_reference_char;
use crate::whmcs::host::Host;

/// The `tblconfiguration` setting that holds this install's id.
pub const INSTALL_SETTING: &str = "SgWhmcsInstallId";

/// Length of a new install id (hexadecimal digits).
const ID_DIGITS: usize = 16;

/// The reference of the account made for WHMCS service `service_id`.
pub fn for_service(host: &mut dyn Host, service_id: &str) -> Result<String, String> {
    build(host, "service", service_id)
}

/// The reference of the account a hook made for WHMCS client `client_id` (one per kind).
pub fn for_client(host: &mut dyn Host, client_id: &str) -> Result<String, String> {
    build(host, "client", client_id)
}

fn build(host: &mut dyn Host, what: &str, id: &str) -> Result<String, String> {
    if !is_id(id) {
        return Err(format!(
            "WHMCS gave no usable {what} id, so the account could not be tied to its {what}; nothing was sent"
        ));
    }
    let install = install_id(host)?;
    let id = id.to_string();
    Ok(match what {
        "service" => Reference::Service { install, id },
        _ => Reference::Client { install, id },
    }
    .to_string())
}

/// Whether `id` is a WHMCS id as a reference holds it: digits only (at most 20).
pub fn is_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit())
}

/// An external reference of this module's form, read: whose account it says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    /// `whmcs:<install>:service:<id>`: made by a module call for a service.
    Service {
        /// The WHMCS install's id.
        install: String,
        /// The service id.
        id: String,
    },
    /// `whmcs:<install>:client:<id>`: made by a signup hook for a client.
    Client {
        /// The WHMCS install's id.
        install: String,
        /// The client id.
        id: String,
    },
}

impl Reference {
    /// The id of the WHMCS install that made it.
    pub fn install(&self) -> &str {
        match self {
            Reference::Service { install, .. } | Reference::Client { install, .. } => install,
        }
    }

    /// Reads `text`; `None` for anything not of this module's form (a foreign reference).
    pub fn parse(text: &str) -> Option<Reference> {
        let rest = text.strip_prefix("whmcs:")?;
        let mut parts = rest.split(':');
        let (install, what, id) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || !valid(install) || !is_id(id) {
            return None;
        }
        let (install, id) = (install.to_string(), id.to_string());
        match what {
            "service" => Some(Reference::Service { install, id }),
            "client" => Some(Reference::Client { install, id }),
            _ => None,
        }
    }
}

/// The id of this install's service that `reference` names (`whmcs:<install>:service:<id>`),
/// or `None` for any other reference or none: the lists (Server Sync, usage billing) judge
/// every account with this, through [`Reference::parse`].
pub fn service_of<'a>(reference: Option<&'a str>, install: &str) -> Option<&'a str> {
    let text = reference?;
    match Reference::parse(text)? {
        Reference::Service { install: said, .. } if said == install => text.rsplit(':').next(),
        _ => None,
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reference::Service { install, id } => write!(f, "whmcs:{install}:service:{id}"),
            Reference::Client { install, id } => write!(f, "whmcs:{install}:client:{id}"),
        }
    }
}

/// The service a call is on, as the one ownership rule needs it: this install, the service and
/// its client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThisService {
    /// This WHMCS install's id.
    pub install: String,
    /// The service id (digits).
    pub service: String,
    /// The service's client id (may be empty when WHMCS gave none).
    pub client: String,
}

impl ThisService {
    /// The service `service` of client `client` on this install (its id read, or made once).
    pub fn of(host: &mut dyn Host, service: &str, client: &str) -> Result<ThisService, String> {
        if !is_id(service) {
            return Err(
                "WHMCS gave no usable service id, so the account cannot be told apart from another service's; nothing was sent"
                    .into(),
            );
        }
        Ok(ThisService {
            install: install_id(host)?,
            service: service.to_string(),
            client: client.to_string(),
        })
    }

    /// This service's reference, `whmcs:<install>:service:<id>`.
    pub fn reference(&self) -> String {
        Reference::Service {
            install: self.install.clone(),
            id: self.service.clone(),
        }
        .to_string()
    }

    /// THE rule: an account is this service's only when its reference is this service's (this
    /// install, this service id). Every other reference, and none, says whose it is instead.
    pub fn judge(&self, reference: Option<&str>) -> Ownership {
        let text = match reference {
            None | Some("") => return Ownership::Unclaimed,
            Some(t) => t,
        };
        match Reference::parse(text) {
            None => Ownership::Foreign(crate::text::quote::shown(text)),
            Some(r) if r.install() != self.install => Ownership::OtherInstall(r.install().into()),
            Some(Reference::Service { id, .. }) if id == self.service => Ownership::Ours,
            Some(Reference::Service { id, .. }) => Ownership::OtherService(id),
            Some(Reference::Client { id, .. }) => Ownership::ClientAccount {
                same_client: !self.client.is_empty() && id == self.client,
                client: id,
            },
        }
    }
}

/// Whose an account is, judged from its reference against this service ([`ThisService::judge`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ownership {
    /// It carries this service's reference: the only case any function acts on it.
    Ours,
    /// It carries the reference of another service (this id) of this install.
    OtherService(String),
    /// It carries a reference of another WHMCS install (this install id).
    OtherInstall(String),
    /// A signup hook of this install made it for a client (this id), not for a service.
    ClientAccount {
        /// The client id in the reference.
        client: String,
        /// Whether that client is this service's client.
        same_client: bool,
    },
    /// It carries no reference (made by hand, or before this module).
    Unclaimed,
    /// It carries a text that is not this module's reference (shown printable and cut).
    Foreign(String),
}

impl Ownership {
    /// Whether the account is this service's.
    pub fn is_ours(&self) -> bool {
        *self == Ownership::Ours
    }

    /// The one wording of "this account is not this service's" for an admin: whose it is and
    /// what the admin can do. Ends by saying nothing was changed.
    pub fn refusal(&self) -> String {
        let whose = match self {
            Ownership::Ours => return "it is this service's account".into(),
            Ownership::OtherService(id) => format!(
                "it belongs to service #{id} of this WHMCS (its external reference says so; the name may have been given to that service after this service's account was deleted); check this service's username"
            ),
            Ownership::OtherInstall(install) => format!(
                "it belongs to another WHMCS install (id \"{install}\"), which this WHMCS must not change; check this service's username and server"
            ),
            Ownership::ClientAccount { client, same_client: true } => format!(
                "the signup hooks made it for this service's client #{client}, not for a service; if it is this service's account, press Link Existing Account to tie it to this service"
            ),
            Ownership::ClientAccount { client, .. } => format!(
                "the signup hooks of this WHMCS made it for client #{client}, not for this service's client; check this service's username"
            ),
            Ownership::Unclaimed => "it carries no external reference (made by hand, or before this module); if it is this service's account, press Link Existing Account to adopt it".into(),
            Ownership::Foreign(text) => format!(
                "it carries the external reference \"{text}\", which is not this module's; if it really is this service's account, clear its reference in the web console and press Link Existing Account"
            ),
        };
        format!("it is not this service's account: {whose}; nothing was changed")
    }
}

/// This install's id: read from `tblconfiguration`, or made and stored there on first use. When
/// two processes make one at once, both read back the row that won, so they agree.
pub fn install_id(host: &mut dyn Host) -> Result<String, String> {
    if let Some(id) = stored(host)? {
        return Ok(id);
    }
    let now = crate::text::dates::utc_now()
        .replace('T', " ")
        .replace('Z', "");
    host.db_insert(
        "tblconfiguration",
        json!({"setting": INSTALL_SETTING, "value": random_id()?, "created_at": now, "updated_at": now}),
    )
    .map_err(|e| format!("WHMCS could not store this install's id in tblconfiguration ({e}); nothing was sent"))?;
    stored(host)?.ok_or_else(|| {
        "WHMCS did not keep this install's id in tblconfiguration; nothing was sent".to_string()
    })
}

fn stored(host: &mut dyn Host) -> Result<Option<String>, String> {
    let value = host
        .db_value("tblconfiguration", &[("setting", json!(INSTALL_SETTING))], "value")
        .map_err(|e| format!("WHMCS could not read this install's id from tblconfiguration ({e}); nothing was sent"))?;
    Ok(match value {
        Some(Value::String(id)) if valid(&id) => Some(id),
        Some(Value::String(id)) if id.is_empty() => None,
        None | Some(Value::Null) => None,
        Some(_) => {
            return Err(format!(
                "the setting {INSTALL_SETTING} in tblconfiguration is not a valid install id (letters, digits, . _ - only, at most 64); fix or delete it"
            ))
        }
    })
}

/// Whether `id` may stand for an install in a reference.
pub fn valid(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c != ':' && is_reference_char(c))
}

fn random_id() -> Result<String, String> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; ID_DIGITS / 2];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| "no random numbers for this install's id".to_string())?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::client::LogRecord;

    /// A WHMCS whose tblconfiguration is a list of (setting, value) rows.
    #[derive(Default)]
    struct Config {
        rows: Vec<(String, Value)>,
        fail: bool,
    }

    impl Host for Config {
        fn log_module_call(&mut self, _: &str, _: &LogRecord, _: &[String]) {}
        fn log_activity(&mut self, _: &str, _: &str) {}
        fn local_api(&mut self, _: &str, _: Value) -> Value {
            Value::Null
        }
        fn db_value(
            &mut self,
            table: &str,
            conditions: &[(&str, Value)],
            column: &str,
        ) -> Result<Option<Value>, String> {
            assert_eq!((table, column), ("tblconfiguration", "value"));
            if self.fail {
                return Err("SQLSTATE[HY000] gone away".into());
            }
            let wanted = conditions[0].1.as_str().unwrap().to_string();
            Ok(self
                .rows
                .iter()
                .find(|(k, _)| *k == wanted)
                .map(|(_, v)| v.clone()))
        }
        fn db_insert(&mut self, table: &str, row: Value) -> Result<i64, String> {
            assert_eq!(table, "tblconfiguration");
            let setting = row["setting"].as_str().unwrap().to_string();
            self.rows.push((setting, row["value"].clone()));
            Ok(0)
        }
        fn root_dir(&mut self) -> Option<String> {
            None
        }
        fn decrypt(&mut self, _: &str) -> Result<String, String> {
            Err("no encrypted values here".into())
        }
    }

    #[test]
    fn an_install_id_is_made_once_and_kept() {
        let mut host = Config::default();
        let first = for_service(&mut host, "7").unwrap();
        let id = install_id(&mut host).unwrap();
        assert_eq!(first, format!("whmcs:{id}:service:7"));
        assert_eq!(id.len(), ID_DIGITS);
        assert_eq!(host.rows.len(), 1, "stored once");
        assert_eq!(
            for_client(&mut host, "3").unwrap(),
            format!("whmcs:{id}:client:3")
        );
    }

    #[test]
    fn a_stored_id_wins_and_a_bad_one_is_refused() {
        let mut host = Config::default();
        host.rows.push((INSTALL_SETTING.into(), json!("prod-1")));
        assert_eq!(
            for_service(&mut host, "12").unwrap(),
            "whmcs:prod-1:service:12"
        );
        host.rows[0].1 = json!("a:b");
        assert!(install_id(&mut host).unwrap_err().contains(INSTALL_SETTING));
        host.fail = true;
        assert!(install_id(&mut host).unwrap_err().contains("gone away"));
    }

    #[test]
    fn ids_must_be_numbers() {
        let mut host = Config::default();
        assert!(for_service(&mut host, "").is_err());
        assert!(for_service(&mut host, "1:2").is_err());
        assert!(host.rows.is_empty(), "nothing stored for a refused id");
    }
}
