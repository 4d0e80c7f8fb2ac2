//! The 24 module settings, declared once.
//!
//! WHMCS stores a product's settings positionally (`configoption1` … `configoption24`) in the order
//! `ConfigOptions()` returns them, so [`OPTIONS`] is a stored-data format: never reorder or insert.
//! `ConfigOptions()`, parsing and every validation message read this table.

use crate::settings::rules::Problem;

/// The kind of form control WHMCS renders for a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A one-line text box.
    Text,
    /// A text box whose value WHMCS masks.
    Password,
    /// A tick box; arrives as `'on'` or `''`.
    YesNo,
    /// A drop-down of fixed choices, the first being the default.
    Dropdown(&'static [&'static str]),
}

impl FieldType {
    /// The `Type` string WHMCS expects in `ConfigOptions()`.
    pub fn whmcs_name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Password => "password",
            FieldType::YesNo => "yesno",
            FieldType::Dropdown(_) => "dropdown",
        }
    }
}

/// One module setting: its label, control, default and help text.
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    /// The label shown to the admin and used in every message about the field.
    pub label: &'static str,
    /// The form control.
    pub kind: FieldType,
    /// The default value (`on` ticks a yes/no box).
    pub default: &'static str,
    /// The help text shown next to the field.
    pub description: &'static str,
    /// The width of a text box in characters.
    pub size: u8,
}

/// Positions (1-based, as in `configoptionN`) of the settings, named for the code that reads them.
pub mod field {
    pub const PROTOCOL: usize = 1;
    pub const HOST: usize = 2;
    pub const PORT: usize = 3;
    pub const USERNAME: usize = 4;
    pub const PASSWORD: usize = 5;
    pub const ACTION: usize = 6;
    pub const RESELLER: usize = 7;
    pub const ACTIVE: usize = 8;
    pub const AUTO_AUTHORIZATION: usize = 9;
    pub const STORAGE: usize = 10;
    pub const LOCATION: usize = 11;
    pub const REPORT_ENABLED: usize = 12;
    pub const REPORT_EMAILS: usize = 13;
    pub const MCAL_AUTO: usize = 14;
    pub const MCAL_ALLOTTED: usize = 15;
    pub const THROTTLING: usize = 16;
    pub const THROTTLE_ENABLED: usize = 17;
    pub const THROTTLE_MODE: usize = 18;
    pub const THROTTLE_FROM: usize = 19;
    pub const THROTTLE_TILL: usize = 20;
    pub const THROTTLE_RATE: usize = 21;
    pub const SEND_MAIL: usize = 22;
    pub const RETRIEVE_PASSKEY: usize = 23;
    pub const FINGERPRINT: usize = 24;
}

/// A drop-down setting read as an enum: its variants stand in the order of the choices in
/// [`OPTIONS`], so the parser never compares a choice's text and never types a default again.
pub trait Dropdown: Copy + 'static {
    /// The setting's position (1-based).
    const FIELD: usize;
    /// Every variant, in the order of the drop-down's choices.
    const ALL: &'static [Self];
}

/// Declares a drop-down's choices and the enum read from them, together, so that the text of a
/// choice and its variant cannot drift apart.
macro_rules! dropdown {
    ($(#[$doc:meta])* $name:ident at $field:expr, $choices:ident = { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                #[doc = concat!("\"", $text, "\"")]
                $variant,
            )+
        }

        #[doc = concat!("Choices of the ", stringify!($name), " drop-down, in the order of [`", stringify!($name), "`].")]
        pub const $choices: &[&str] = &[$($text),+];

        impl Dropdown for $name {
            const FIELD: usize = $field;
            const ALL: &'static [Self] = &[$($name::$variant),+];
        }

        impl $name {
            /// The choice's text as WHMCS stores it.
            pub const fn text(self) -> &'static str {
                $choices[self as usize]
            }
        }
    };
}

dropdown! {
    /// The Protocol drop-down.
    Protocol at field::PROTOCOL, PROTOCOLS = { Https => "https", Http => "http" }
}
dropdown! {
    /// The Action drop-down: what kind of account a service makes.
    Action at field::ACTION, ACTIONS = {
        SignupCustomer => "Signup Customer",
        SignupReseller => "Signup Reseller",
    }
}
dropdown! {
    /// The Bandwidth Throttling drop-down.
    Throttling at field::THROTTLING, THROTTLINGS = {
        Global => "Global Configuration",
        New => "New Configuration",
    }
}
dropdown! {
    /// The Throttle Settings drop-down.
    ThrottleSetting at field::THROTTLE_MODE, THROTTLE_MODES = {
        Always => "Always Throttle",
        Window => "Throttle only at specified time",
    }
}

/// Reads drop-down `D` from the admin's text: a choice matched case-insensitively, or the
/// setting's default from [`OPTIONS`] when empty. The problem quotes the text and lists the
/// choices.
pub fn dropdown<D: Dropdown>(text: &str) -> Result<D, Problem> {
    let spec = &OPTIONS[D::FIELD - 1];
    let FieldType::Dropdown(choices) = spec.kind else {
        unreachable!("setting {} is not a drop-down", D::FIELD)
    };
    let wanted = if text.is_empty() { spec.default } else { text };
    crate::settings::rules::choice(wanted, choices).map(|i| D::ALL[i])
}

const fn opt(
    label: &'static str,
    kind: FieldType,
    default: &'static str,
    description: &'static str,
    size: u8,
) -> OptionSpec {
    OptionSpec {
        label,
        kind,
        default,
        description,
        size,
    }
}

/// The 24 settings in WHMCS's stored order.
pub const OPTIONS: [OptionSpec; 24] = [
    opt("Protocol", FieldType::Dropdown(PROTOCOLS), Protocol::Https.text(), "https (port 6061) or http (port 6060) to the Backup Server web console", 0),
    opt("HostName or IP Address", FieldType::Text, "", "Backup Server host name or IP address; leave empty to use the WHMCS server assigned to the product", 40),
    opt("WebConsole Port", FieldType::Text, "", "Empty for the default: 6061 for https, 6060 for http", 6),
    opt("UserName", FieldType::Text, "", "Web console admin user name", 25),
    opt("Password", FieldType::Password, "", "Web console admin password", 25),
    opt("Action", FieldType::Dropdown(ACTIONS), Action::SignupCustomer.text(), "Create a customer or a reseller for each service", 0),
    opt("Reseller Name", FieldType::Text, "", "Customers are created under this reseller (empty: Default Reseller); not used for resellers", 30),
    opt("Activation Status", FieldType::YesNo, "on", "Create the account active", 0),
    opt("Auto Authorization Status", FieldType::YesNo, "", "Machines naming the account join without its pass key", 0),
    opt("Storage Allotted", FieldType::Text, "", "Storage in bytes (a \"Storage GB\" configurable option overrides it)", 20),
    opt("Storage Location", FieldType::Text, "", "Backup storage location; empty lets the server choose", 40),
    opt("Enable Consolidated Report", FieldType::YesNo, "", "Send consolidated reports (customers only)", 0),
    opt("Consolidated Report Email", FieldType::Text, "", "Report recipients, separated by commas (customers only)", 40),
    opt("Is Auto MCAL", FieldType::YesNo, "on", "Draw MCALs from the shared pool", 0),
    opt("Allot MCAL", FieldType::Text, "", "Fixed number of MCALs when Is Auto MCAL is off", 10),
    opt("Bandwidth Throttling", FieldType::Dropdown(THROTTLINGS), Throttling::Global.text(), "Use the global throttling or a configuration of this account's own", 0),
    opt("Enable Throttle for new configuration", FieldType::YesNo, "", "Throttle this account (New Configuration only)", 0),
    opt("Throttle Settings", FieldType::Dropdown(THROTTLE_MODES), ThrottleSetting::Always.text(), "Throttle always or only in a time window", 0),
    opt("Throttle From", FieldType::Text, "", "Window start, HHMM (e.g. 2200)", 4),
    opt("Throttle Till", FieldType::Text, "", "Window end, HHMM (e.g. 0600); may wrap midnight", 4),
    opt("Restricted Rate", FieldType::Text, "", "Bytes per second, more than 1024 and less than 9999 GB", 20),
    opt("Send Mail", FieldType::YesNo, "", "Let the Backup Server send its account creation email", 0),
    opt("Retrieve Customer Pass Key", FieldType::YesNo, "", concat!("Store the new customer's pass key in the client field \"", crate::whmcs::passkey::field_name!(), "\" (customers only)"), 0),
    opt("Server Certificate SHA-256", FieldType::Text, "", "https only: trust exactly the certificate with this SHA-256 fingerprint (for self-signed servers)", 64),
];

/// How messages name the fields of the WHMCS server record (Setup › Products/Services ›
/// Servers) a connection is read from, and the service's own password.
pub mod server_label {
    pub const HOSTNAME: &str = "Server Hostname";
    pub const PORT: &str = "Server Port";
    pub const USERNAME: &str = "Server Username";
    pub const PASSWORD: &str = "Server Password";
    pub const ACCESS_HASH: &str = "Server Access Hash (certificate SHA-256)";
    pub const SERVICE_PASSWORD: &str = "Password (service)";
}

/// The label of setting `n` (1-based).
pub fn label(n: usize) -> &'static str {
    OPTIONS[n - 1].label
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ties each name in [`field`] to the setting it names: a renumbered or swapped constant
    /// fails here instead of reading the wrong `configoptionN`.
    #[test]
    fn each_field_constant_names_its_label() {
        let named = [
            (field::PROTOCOL, "Protocol"),
            (field::HOST, "HostName or IP Address"),
            (field::PORT, "WebConsole Port"),
            (field::USERNAME, "UserName"),
            (field::PASSWORD, "Password"),
            (field::ACTION, "Action"),
            (field::RESELLER, "Reseller Name"),
            (field::ACTIVE, "Activation Status"),
            (field::AUTO_AUTHORIZATION, "Auto Authorization Status"),
            (field::STORAGE, "Storage Allotted"),
            (field::LOCATION, "Storage Location"),
            (field::REPORT_ENABLED, "Enable Consolidated Report"),
            (field::REPORT_EMAILS, "Consolidated Report Email"),
            (field::MCAL_AUTO, "Is Auto MCAL"),
            (field::MCAL_ALLOTTED, "Allot MCAL"),
            (field::THROTTLING, "Bandwidth Throttling"),
            (
                field::THROTTLE_ENABLED,
                "Enable Throttle for new configuration",
            ),
            (field::THROTTLE_MODE, "Throttle Settings"),
            (field::THROTTLE_FROM, "Throttle From"),
            (field::THROTTLE_TILL, "Throttle Till"),
            (field::THROTTLE_RATE, "Restricted Rate"),
            (field::SEND_MAIL, "Send Mail"),
            (field::RETRIEVE_PASSKEY, "Retrieve Customer Pass Key"),
            (field::FINGERPRINT, "Server Certificate SHA-256"),
        ];
        assert_eq!(named.len(), OPTIONS.len(), "every setting has its constant");
        for (n, text) in named {
            assert_eq!(label(n), text, "field constant {n}");
        }
    }

    fn choices_of<D: Dropdown>() -> &'static [&'static str] {
        match OPTIONS[D::FIELD - 1].kind {
            FieldType::Dropdown(c) => c,
            other => panic!("setting {} is {other:?}", D::FIELD),
        }
    }

    /// Each drop-down enum sits on a drop-down setting, has one variant per choice, and its
    /// default is one of the choices.
    fn check<D: Dropdown + std::fmt::Debug + PartialEq>(text: fn(D) -> &'static str) {
        let choices = choices_of::<D>();
        assert_eq!(D::ALL.len(), choices.len());
        for (i, d) in D::ALL.iter().enumerate() {
            assert_eq!(text(*d), choices[i]);
            assert_eq!(dropdown::<D>(&choices[i].to_uppercase()).unwrap(), *d);
        }
        let default = OPTIONS[D::FIELD - 1].default;
        assert!(choices.contains(&default), "default {default:?}");
        assert_eq!(text(dropdown::<D>("").unwrap()), default);
    }

    #[test]
    fn drop_downs_resolve_through_options() {
        check::<Protocol>(Protocol::text);
        check::<Action>(Action::text);
        check::<Throttling>(Throttling::text);
        check::<ThrottleSetting>(ThrottleSetting::text);
        assert_eq!(
            dropdown::<Protocol>("ftp").unwrap_err(),
            "\"ftp\" is not one of: https, http"
        );
    }
}
