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

/// Made here because the install id is WHMCS's; the type and its rule are the api's.
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
}

/// This install's id: read from `tblconfiguration`, or made and stored there on first use. When
/// two processes make one at once, both read back the row that won, so they agree.
pub fn install_id(host: &mut dyn Host) -> Result<String, String> {
    if let Some(id) = stored(host)? {
        return Ok(id);
    }
    let now = crate::text::format::utc_now()
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
        Some(Value::String(id)) if is_install(&id) => Some(id),
        Some(Value::String(id)) if id.is_empty() => None,
        None | Some(Value::Null) => None,
        Some(_) => {
            return Err(format!(
                "the setting {INSTALL_SETTING} in tblconfiguration is not a valid install id (letters, digits, . _ - only, at most 64); fix or delete it"
            ))
        }
    })
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
