//! Where a reference's install id comes from, and the references this install makes: the pure
//! rule (the form `whmcs:<install>:service:<id>`, its reading and whose an account is) is
//! `crate::server::api::reference`; this file adds what needs WHMCS.
//!
//! `<install>` is a random id made once per WHMCS install and kept in WHMCS's own settings table
//! (`tblconfiguration`, setting [`INSTALL_SETTING`]). Why not `ROOTDIR` or the System URL: two
//! installs on different hosts often share a path such as `/var/www/whmcs`, and a System URL
//! changes with a new domain; either would let one install take over the other's accounts, or
//! lose its own. The stored id survives moves and renames, and goes with the database.

use serde_json::{json, Value};

use crate::server::api::reference::{is_id, is_install, Reference, ThisService};
use crate::whmcs::host::{Host, WhmcsError};

/// The `tblconfiguration` setting that holds this install's id.
pub const INSTALL_SETTING: &str = "SgWhmcsInstallId";

/// Length of a new install id (hexadecimal digits).
const ID_DIGITS: usize = 16;

/// Why no reference (or no [`ThisService`]) could be made: WHMCS gave no usable id, or its
/// settings table did not give or keep this install's id. Each says that nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// WHMCS gave no usable id of a service or client (`service`, `client`) to make a reference of.
    #[error("WHMCS gave no usable {0} id, so the account could not be tied to its {0}; nothing was sent")]
    NoId(&'static str),
    /// WHMCS gave no usable service id for the ownership rule.
    #[error("WHMCS gave no usable service id, so the account cannot be told apart from another service's; nothing was sent")]
    NoServiceId,
    /// `tblconfiguration` could not be read (WHMCS's words).
    #[error(
        "WHMCS could not read this install's id from tblconfiguration ({0}); nothing was sent"
    )]
    NotRead(WhmcsError),
    /// A new id could not be written (WHMCS's words).
    #[error("WHMCS could not store this install's id in tblconfiguration ({0}); nothing was sent")]
    NotStored(WhmcsError),
    /// A new id was written but not read back.
    #[error("WHMCS did not keep this install's id in tblconfiguration; nothing was sent")]
    NotKept,
    /// The stored id is not one ([`is_install`]).
    #[error("the setting {INSTALL_SETTING} in tblconfiguration is not a valid install id (letters, digits, . _ - only, at most 64); fix or delete it")]
    Invalid,
    /// The system gave no random numbers for a new id.
    #[error("no random numbers for this install's id")]
    NoRandom,
}

/// The reference of the account made for WHMCS service `service_id`.
pub fn for_service(host: &mut dyn Host, service_id: &str) -> Result<String, ReferenceError> {
    build(host, "service", service_id)
}

/// The reference of the account a hook made for WHMCS client `client_id` (one per kind).
pub fn for_client(host: &mut dyn Host, client_id: &str) -> Result<String, ReferenceError> {
    build(host, "client", client_id)
}

fn build(host: &mut dyn Host, what: &'static str, id: &str) -> Result<String, ReferenceError> {
    if !is_id(id) {
        return Err(ReferenceError::NoId(what));
    }
    let install = install_id(host)?;
    let id = id.to_string();
    Ok(match what {
        "service" => Reference::Service { install, id },
        _ => Reference::Client { install, id },
    }
    .to_string())
}

/// Made here because the install id is WHMCS's; the type and its rule are the api's.
impl ThisService {
    /// The service `service` of client `client` on this install (its id read, or made once).
    pub fn of(
        host: &mut dyn Host,
        service: &str,
        client: &str,
    ) -> Result<ThisService, ReferenceError> {
        if !is_id(service) {
            return Err(ReferenceError::NoServiceId);
        }
        Ok(ThisService {
            install: install_id(host)?,
            service: service.to_string(),
            client: client.to_string(),
        })
    }
}

/// This install's id: read from `tblconfiguration`, or made and stored there on first use. When
/// two processes make one at once, both read back the row that won, so they agree.
pub fn install_id(host: &mut dyn Host) -> Result<String, ReferenceError> {
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
    .map_err(ReferenceError::NotStored)?;
    stored(host)?.ok_or(ReferenceError::NotKept)
}

fn stored(host: &mut dyn Host) -> Result<Option<String>, ReferenceError> {
    let value = host
        .db_value(
            "tblconfiguration",
            &[("setting", json!(INSTALL_SETTING))],
            "value",
        )
        .map_err(ReferenceError::NotRead)?;
    Ok(match value {
        Some(Value::String(id)) if is_install(&id) => Some(id),
        Some(Value::String(id)) if id.is_empty() => None,
        None | Some(Value::Null) => None,
        Some(_) => return Err(ReferenceError::Invalid),
    })
}

fn random_id() -> Result<String, ReferenceError> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; ID_DIGITS / 2];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| ReferenceError::NoRandom)?;
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
        ) -> Result<Option<Value>, WhmcsError> {
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
        fn db_insert(&mut self, table: &str, row: Value) -> Result<i64, WhmcsError> {
            assert_eq!(table, "tblconfiguration");
            let setting = row["setting"].as_str().unwrap().to_string();
            self.rows.push((setting, row["value"].clone()));
            Ok(0)
        }
        fn root_dir(&mut self) -> Option<String> {
            None
        }
        fn decrypt(&mut self, _: &str) -> Result<String, WhmcsError> {
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
        assert_eq!(install_id(&mut host), Err(ReferenceError::Invalid));
        assert!(install_id(&mut host)
            .unwrap_err()
            .to_string()
            .contains(INSTALL_SETTING));
        host.fail = true;
        assert!(install_id(&mut host)
            .unwrap_err()
            .to_string()
            .ends_with("(SQLSTATE[HY000] gone away); nothing was sent"));
    }

    #[test]
    fn ids_must_be_numbers() {
        let mut host = Config::default();
        assert_eq!(
            for_service(&mut host, "").unwrap_err().to_string(),
            "WHMCS gave no usable service id, so the account could not be tied to its service; nothing was sent"
        );
        assert!(for_service(&mut host, "1:2").is_err());
        assert_eq!(
            for_client(&mut host, "007"),
            Err(ReferenceError::NoId("client"))
        );
        assert!(host.rows.is_empty(), "nothing stored for a refused id");
    }
}
