//! External references: what ties an account on the Backup Server to the WHMCS service (or, for
//! hook-made accounts, the WHMCS client) it was made for, and the one ownership rule read from
//! them. Adoption of an existing account trusts only this: an e-mail address cannot tell "my own
//! earlier attempt" from "this client's other service".
//!
//! The form is `whmcs:<install>:service:<id>` or `whmcs:<install>:client:<id>`, `<id>` a WHMCS id
//! as WHMCS writes one ([`is_id`]). This file is the pure rule (format, parse, whose an account
//! is); where `<install>` comes from (WHMCS's own settings table) is `crate::whmcs::reference`.

use std::fmt;

use crate::server::limits::is_reference_char;

/// Whether `id` is a WHMCS id as a reference holds it: a positive whole number written as WHMCS
/// writes ids (digits, no leading zero, within a signed 64-bit number). One spelling per id, so
/// that every reader of a reference (the ownership rule, Server Sync, usage and usage billing)
/// names the same service: `007` is no id, rather than service 7 to one reader and another
/// service to the next.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('0')
        && id.bytes().all(|b| b.is_ascii_digit())
        && id.parse::<i64>().is_ok()
}

/// Whether `id` may stand for an install in a reference.
pub fn is_install(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c != ':' && is_reference_char(c))
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
        if parts.next().is_some() || !is_install(install) || !is_id(id) {
            return None;
        }
        let (install, id) = (install.to_string(), id.to_string());
        match what {
            "service" => Some(Reference::Service { install, id }),
            "client" => Some(Reference::Client { install, id }),
            _ => None,
        }
    }

    /// The id of the service of install `install` that `reference` names
    /// (`whmcs:<install>:service:<id>`), or `None` for any other reference or none: the lists
    /// (Server Sync, usage, usage billing) judge every account with this.
    pub fn service_of(reference: Option<&str>, install: &str) -> Option<i64> {
        match Reference::parse(reference?)? {
            Reference::Service { install: said, id } if said == install => id.parse().ok(),
            _ => None,
        }
    }

    /// Whether `reference` is a reference of another install than `install`.
    pub fn of_other_install(reference: Option<&str>, install: &str) -> bool {
        reference
            .and_then(Reference::parse)
            .is_some_and(|r| r.install() != install)
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
/// its client. Made from WHMCS by `ThisService::of` (`crate::whmcs::reference`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThisService {
    /// This WHMCS install's id.
    pub install: String,
    /// The service id ([`is_id`]).
    pub service: String,
    /// The service's client id (may be empty when WHMCS gave none).
    pub client: String,
}

impl ThisService {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_spelling_per_id_for_every_reader() {
        for id in ["1", "12", "9223372036854775807"] {
            assert!(is_id(id), "{id}");
        }
        for id in [
            "",
            "0",
            "007",
            "1x",
            "-1",
            "+1",
            "9223372036854775808",
            " 1",
        ] {
            assert!(!is_id(id), "{id}");
        }
        assert_eq!(
            Reference::service_of(Some("whmcs:i1:service:12"), "i1"),
            Some(12)
        );
        for other in [
            "whmcs:i1:service:007",
            "whmcs:i2:service:12",
            "whmcs:i1:client:12",
            "whmcs:i1:service:99999999999999999999",
        ] {
            assert_eq!(Reference::service_of(Some(other), "i1"), None, "{other}");
        }
        let this = ThisService {
            install: "i1".into(),
            service: "7".into(),
            client: "3".into(),
        };
        assert!(matches!(
            this.judge(Some("whmcs:i1:service:007")),
            Ownership::Foreign(_)
        ));
        assert!(Reference::of_other_install(Some("whmcs:i2:client:1"), "i1"));
        assert!(!Reference::of_other_install(
            Some("whmcs:i1:client:1"),
            "i1"
        ));
        assert!(!Reference::of_other_install(Some("crm:1"), "i1"));
    }
}
