//! Whose words a message uses for the connection settings: the product's Module Settings (the
//! labels of [`OPTIONS`](crate::settings::options::OPTIONS)) or the variables at the top of the
//! hooks file. A message that names a field is built once, with [`Terms::field`], so rewording it
//! can never leave the hooks' version behind.

use crate::settings::options::{field, label};

/// The hooks file the generator writes next to the module; its variables configure the hooks.
pub const HOOKS_FILE: &str = "whmcsHooks.php";

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

/// The hooks-file variable (`$sgwhmcsServerId`) naming a WHMCS server of the module (Setup ›
/// Products/Services › Servers) to take the connection from: host, port, https, user name, the
/// password (which WHMCS keeps encrypted and the hook reads through `decrypt()`) and the Access
/// Hash as the certificate pin, read the way a module call reads an assigned server. When it is
/// set, the connection variables of [`CONNECTION_KEYS`] are ignored (and a report says so when
/// they hold anything).
pub const SERVER_ID_KEY: &str = "sgwhmcsServerId";

/// The short names of settings whose label is long, as a list of fields to check names them
/// ("check HostName and Port"); each is a word of its label.
const SHORT_LABELS: [(usize, &str); 2] = [(field::HOST, "HostName"), (field::PORT, "Port")];

/// Where the admin sets what a message asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Terms {
    /// The product's Module Settings (or the WHMCS server assigned to it): a module call, or a
    /// hook whose connection comes from a WHMCS server record.
    #[default]
    ModuleSettings,
    /// The variables at the top of the hooks file: a hook configured there.
    HooksFile,
}

impl Terms {
    /// The hooks-file variable standing for setting `n`, when it has one.
    pub fn hook_variable(n: usize) -> Option<&'static str> {
        CONNECTION_KEYS
            .iter()
            .find(|(_, field)| *field == n)
            .map(|(key, _)| *key)
    }

    /// The name of setting `n` (1-based): its label, or in the hooks file `$variable` (settings
    /// the hooks file has no variable of keep their label).
    pub fn field(self, n: usize) -> String {
        match (self, Terms::hook_variable(n)) {
            (Terms::HooksFile, Some(key)) => format!("${key}"),
            _ => label(n).to_string(),
        }
    }

    /// [`Terms::field`], or in module settings the label's short form when it has one.
    pub fn short_field(self, n: usize) -> String {
        match SHORT_LABELS.iter().find(|(field, _)| *field == n) {
            Some((_, short)) if self == Terms::ModuleSettings => short.to_string(),
            _ => self.field(n),
        }
    }

    /// `check <fields>`, and in the hooks file where they are.
    fn check(self, fields: String) -> String {
        match self {
            Terms::ModuleSettings => format!("check {fields}"),
            Terms::HooksFile => format!("check {fields} at the top of {HOOKS_FILE}"),
        }
    }

    /// What to check when something other than the Backup Server API answered.
    pub fn check_address(self) -> String {
        let (host, port) = (self.short_field(field::HOST), self.short_field(field::PORT));
        self.check(format!("{host} and {port}"))
    }

    /// What to check when the server redirected: the address and the scheme.
    pub fn check_address_and_scheme(self) -> String {
        let (host, port) = (self.short_field(field::HOST), self.short_field(field::PORT));
        let protocol = self.short_field(field::PROTOCOL);
        self.check(format!("{host}, {protocol} and {port}"))
    }

    /// What to check when the Backup Server rejects the login.
    pub fn check_login(self) -> String {
        let (user, password) = (self.field(field::USERNAME), self.field(field::PASSWORD));
        self.check(format!("{user} and {password}"))
    }

    /// Where a certificate pin is set. For module settings both places are named (the product's
    /// setting, or the Access Hash of a WHMCS server), since a message cannot tell which one the
    /// connection came from.
    pub fn pin_place(self) -> String {
        let pin = self.field(field::FINGERPRINT);
        match self {
            Terms::ModuleSettings => format!("\"{pin}\" (or the Access Hash of the WHMCS server)"),
            Terms::HooksFile => format!("{pin} at the top of {HOOKS_FILE}"),
        }
    }

    /// Why a connection field left empty is needed while the others are set, and the way out.
    pub fn connection_required(self) -> String {
        let fields = format!(
            "{}, {} and {}",
            self.short_field(field::HOST),
            self.field(field::USERNAME),
            self.field(field::PASSWORD)
        );
        match self {
            Terms::ModuleSettings => format!(
                "is required (or leave {fields} all empty to use the WHMCS server assigned to the product)"
            ),
            Terms::HooksFile => format!(
                "is required (or leave {fields} all empty and set ${SERVER_ID_KEY} to the id of a WHMCS server of the module)"
            ),
        }
    }
}

/// What to do when neither connection source of a module call is configured.
pub fn no_connection() -> String {
    format!(
        "fill in {}, {} and {} in the product's Module Settings, or assign a WHMCS server to the product",
        label(field::HOST),
        label(field::USERNAME),
        label(field::PASSWORD)
    )
}

/// What to set when the hooks file names no connection at all.
pub fn no_hooks_connection() -> String {
    let t = Terms::HooksFile;
    format!(
        "set ${SERVER_ID_KEY} to the id of a WHMCS server of the module (recommended: WHMCS keeps its password encrypted), or {}, {} and {}, at the top of {HOOKS_FILE}",
        t.field(field::HOST),
        t.field(field::USERNAME),
        t.field(field::PASSWORD)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_name_is_a_word_of_its_label() {
        for (n, short) in SHORT_LABELS {
            assert!(label(n).split(' ').any(|w| w == short), "{short}");
            assert_eq!(Terms::HooksFile.short_field(n), Terms::HooksFile.field(n));
        }
        assert_eq!(
            Terms::ModuleSettings.check_address(),
            "check HostName and Port"
        );
        assert_eq!(
            Terms::HooksFile.check_address_and_scheme(),
            "check $serverName, $protocal and $port at the top of whmcsHooks.php"
        );
    }
}
