//! Turns `$params` into typed plans: where the Backup Server is ([`Endpoint`]) and what account to
//! make ([`Policy`]). Every rule of `docs/settings.md` is checked here, all failures collected, so
//! that nothing past this point can hold an invalid value and nothing is sent while one fails.

use std::fmt;

use crate::server::api::{Kind, Mcal, Report, Storage, Throttle, ThrottleMode};
use crate::server::endpoint::{Endpoint, Scheme, Secret};
use crate::server::tls;
use crate::settings::options::{
    self, field, label, server_label, Action, Protocol, ThrottleSetting, Throttling,
};
use crate::settings::rules::{self, MAX_MCAL, MAX_RATE_EXCLUSIVE, MAX_STORAGE, MIN_RATE_EXCLUSIVE};
use crate::settings::terms::{no_connection, Terms};
use crate::whmcs::params::Params;

/// One failed rule: the field's label and what is wrong with its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's label as the admin sees it.
    pub label: String,
    /// What is wrong, in words.
    pub problem: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label, self.problem)
    }
}

/// Whose settings a [`SettingsError`] is about: the heading its message starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The product's Module Settings (and the assigned server) for a module function.
    Module,
    /// The WHMCS server record alone (Test Connection).
    Server,
    /// The variables at the top of `whmcsHooks.php`.
    Hooks,
}

impl Scope {
    fn heading(self) -> &'static str {
        match self {
            Scope::Module => "Module settings are invalid",
            Scope::Server => "Server settings are invalid",
            Scope::Hooks => "Hooks configuration is invalid",
        }
    }
}

/// Every problem found in one set of settings; its `Display` is the one place the answer text
/// (`Module settings are invalid: Label: problem; …`) is made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", .scope.heading(), listed(.problems))]
pub struct SettingsError {
    /// Whose settings they are.
    pub scope: Scope,
    /// Each failed rule, in the order the settings were read.
    pub problems: Vec<FieldError>,
}

fn listed(problems: &[FieldError]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    format!(": {}", list.join("; "))
}

/// Collects field errors while a plan is parsed, and names fields in its [`Terms`] (module
/// settings by default).
#[derive(Default)]
pub struct Problems(pub Vec<FieldError>, Terms);

impl Problems {
    /// No problems yet; fields are named in `terms`.
    pub fn in_terms(terms: Terms) -> Problems {
        Problems(Vec::new(), terms)
    }

    /// Whose words these problems use.
    pub fn terms(&self) -> Terms {
        self.1
    }

    /// The name of setting `n` in these problems' terms.
    pub fn field(&self, n: usize) -> String {
        self.1.field(n)
    }

    /// Records a problem of a field.
    pub fn add(&mut self, label: &str, problem: impl Into<String>) {
        self.0.push(FieldError {
            label: label.to_string(),
            problem: problem.into(),
        });
    }

    /// The plan read, when no rule failed; otherwise every problem under `scope`. (A part is
    /// `None` only after its problem was recorded, so `value` is `Some` when there is none.)
    pub fn finish<T>(self, scope: Scope, value: Option<T>) -> Result<T, SettingsError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(SettingsError {
                scope,
                problems: self.0,
            }),
        }
    }

    /// Keeps the value of a check, recording its problem under `label`.
    pub fn check<T, E: fmt::Display>(&mut self, label: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|p| self.add(label, p.to_string())).ok()
    }
}

/// The label under which a missing connection is reported (it is no one field).
pub const NO_CONNECTION_LABEL: &str = "No Backup Server connection";

/// Reads the connection from the product's own fields, else from the assigned WHMCS server.
pub fn endpoint(params: &Params, problems: &mut Problems) -> Option<Endpoint> {
    let own = [field::HOST, field::USERNAME, field::PASSWORD];
    if own.iter().any(|n| !params.setting(*n).is_empty()) {
        return product_endpoint(params, problems);
    }
    if server_assigned(params) {
        return server_endpoint(params, problems);
    }
    problems.add(NO_CONNECTION_LABEL, no_connection());
    None
}

/// Whether `$params` carries a WHMCS server record.
pub fn server_assigned(params: &Params) -> bool {
    params.flag("server") || params.has("serverhostname") || params.has("serverip")
}

fn product_endpoint(params: &Params, problems: &mut Problems) -> Option<Endpoint> {
    let protocol = params.setting(field::PROTOCOL);
    let scheme = problems
        .check(
            &problems.field(field::PROTOCOL),
            options::dropdown(&protocol),
        )
        .map(|p| match p {
            Protocol::Https => Scheme::Https,
            Protocol::Http => Scheme::Http,
        });
    let host_text = params.setting(field::HOST);
    let user_key = format!("configoption{}", field::USERNAME);
    let terms = problems.terms();
    let user = login_user(params, &user_key, &terms.field(field::USERNAME), problems);
    let password = secret_setting(params, field::PASSWORD, problems);
    let missing = terms.connection_required();
    let host = if host_text.is_empty() {
        problems.add(&terms.field(field::HOST), &missing);
        None
    } else {
        problems.check(
            &terms.field(field::HOST),
            rules::host(
                &host_text,
                &terms.field(field::PROTOCOL),
                &terms.field(field::PORT),
            ),
        )
    };
    if user.is_empty() {
        problems.add(&terms.field(field::USERNAME), &missing);
    }
    if password.as_ref().is_some_and(|p| p.expose().is_empty()) {
        problems.add(&terms.field(field::PASSWORD), missing);
    }
    let port_text = params.setting(field::PORT);
    let port = if port_text.is_empty() {
        scheme.map(Scheme::default_port)
    } else {
        problems.check(&terms.field(field::PORT), rules::port(&port_text))
    };
    let fingerprint = secret_setting(params, field::FINGERPRINT, problems);
    let pin = pin(
        scheme,
        fingerprint?.expose(),
        &terms.field(field::FINGERPRINT),
        problems,
    );
    Some(Endpoint {
        scheme: scheme?,
        host: host?,
        port: port?,
        user: non_empty(user)?,
        password: password.filter(|p| !p.expose().is_empty())?,
        pin: pin?,
    })
}

/// Reads the connection from the WHMCS server fields only (TestConnection, UsageUpdate).
pub fn server_endpoint(params: &Params, problems: &mut Problems) -> Option<Endpoint> {
    let prefix = params.text("serverhttpprefix");
    let scheme = if !prefix.is_empty() {
        Scheme::parse(&prefix)
    } else if params.flag("serversecure") {
        Scheme::Https
    } else {
        Scheme::Http
    };
    let host_text = match params.text("serverhostname") {
        h if h.is_empty() => params.text("serverip"),
        h => h,
    };
    let host = if host_text.is_empty() {
        problems.add(server_label::HOSTNAME, "is required (or its IP Address)");
        None
    } else {
        // The server record's fields have WHMCS's own names, whoever reads them.
        problems.check(
            server_label::HOSTNAME,
            rules::host(&host_text, label(field::PROTOCOL), label(field::PORT)),
        )
    };
    let port = match params.text("serverport").as_str() {
        "" | "0" => Some(scheme.default_port()),
        p => problems.check(server_label::PORT, rules::port(p)),
    };
    let user = login_user(params, "serverusername", server_label::USERNAME, problems);
    let password = secret(params, "serverpassword", server_label::PASSWORD, problems);
    if user.is_empty() {
        problems.add(server_label::USERNAME, "is required");
    }
    if password.as_ref().is_some_and(|p| p.expose().is_empty()) {
        problems.add(server_label::PASSWORD, "is required");
    }
    let hash_label = server_label::ACCESS_HASH;
    let access_hash = secret(params, "serveraccesshash", hash_label, problems);
    let pin = pin(Some(scheme), access_hash?.expose(), hash_label, problems);
    Some(Endpoint {
        scheme,
        host: host?,
        port: port?,
        user: non_empty(user)?,
        password: password.filter(|p| !p.expose().is_empty())?,
        pin: pin?,
    })
}

/// Reads secret `key` exactly as given (see [`Params::secret`]); a value that is not UTF-8 is a
/// problem of `label` and answers `None`, so nothing is sent with a changed secret.
pub fn secret(params: &Params, key: &str, label: &str, problems: &mut Problems) -> Option<Secret> {
    problems.check(label, params.secret(key)).map(Secret::new)
}

/// Why a login user name cannot be used as it was given.
pub const NOT_UTF8_USER: &str = "is not UTF-8 text (it was stored in another character set); the user name is part of the login, so it is never converted and nothing was sent: enter it again as UTF-8";

/// The trimmed login user name `key`. It travels in the Basic credential, so, like a password,
/// a value that is not UTF-8 is a problem of `label` rather than sent converted (the server would
/// see another user and answer a misleading "user name or password rejected").
pub fn login_user(params: &Params, key: &str, label: &str, problems: &mut Problems) -> String {
    if params.was_transcoded(key) {
        problems.add(label, NOT_UTF8_USER);
    }
    params.text(key)
}

/// The service's own password (`$params['password']`), exactly as given.
pub fn service_password(params: &Params, problems: &mut Problems) -> Option<Secret> {
    secret(params, "password", server_label::SERVICE_PASSWORD, problems)
}

/// [`secret`] for the product setting `n` (1-based), reported under its label.
fn secret_setting(params: &Params, n: usize, problems: &mut Problems) -> Option<Secret> {
    let label = problems.field(n);
    secret(params, &format!("configoption{n}"), &label, problems)
}

/// `Some(None)` when no pin is set, `Some(Some(pin))` when valid, `None` after a problem.
fn pin(
    scheme: Option<Scheme>,
    text: &str,
    label: &str,
    problems: &mut Problems,
) -> Option<Option<[u8; 32]>> {
    if text.trim().is_empty() {
        return Some(None);
    }
    if scheme == Some(Scheme::Http) {
        problems.add(
            label,
            "only applies to https; choose https or clear the fingerprint",
        );
        return None;
    }
    problems
        .check(label, tls::parse_fingerprint(text))
        .map(Some)
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// What kind of account the product makes and with which settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub kind: Kind,
    /// The reseller a customer goes under (customers only).
    pub reseller: Option<String>,
    pub active: bool,
    pub auto_authorization: bool,
    pub storage: Storage,
    /// Consolidated report (customers only).
    pub report: Option<Report>,
    pub mcal: Mcal,
    /// `None`: the global configuration.
    pub throttle: Option<Throttle>,
    pub send_mail: bool,
    /// Store the pass key in the client's `Pass Key` field (customers only).
    pub retrieve_passkey: bool,
}

/// The kind of account (field 6) alone, for calls that only need to find the account.
pub fn kind(params: &Params, problems: &mut Problems) -> Option<Kind> {
    let action = params.setting(field::ACTION);
    problems
        .check(label(field::ACTION), options::dropdown(&action))
        .map(|a| match a {
            Action::SignupCustomer => Kind::Customer,
            Action::SignupReseller => Kind::Reseller,
        })
}

/// Reads and checks fields 6–23 and the configurable options.
pub fn policy(params: &Params, problems: &mut Problems) -> Option<Policy> {
    let kind = kind(params, problems);
    let is_customer = kind == Some(Kind::Customer);
    let yes = |n: usize| params.flag(&format!("configoption{n}"));

    let reseller = if is_customer {
        match params.setting(field::RESELLER) {
            r if r.is_empty() => Some(Some("Default Reseller".to_string())),
            r => problems
                .check(label(field::RESELLER), rules::account_name(&r))
                .map(Some),
        }
    } else {
        Some(None)
    };

    let storage = storage(params, problems);
    let location = problems
        .check(
            label(field::LOCATION),
            rules::plain_text(&params.setting(field::LOCATION)),
        )
        .map(non_empty);

    let report = if !is_customer {
        Some(None)
    } else if yes(field::REPORT_ENABLED) {
        problems
            .check(
                label(field::REPORT_EMAILS),
                rules::emails(&params.setting(field::REPORT_EMAILS)),
            )
            .map(|emails| {
                Some(Report {
                    enabled: true,
                    emails,
                })
            })
    } else {
        Some(Some(Report {
            enabled: false,
            emails: Vec::new(),
        }))
    };

    let mcal = mcal(params, problems);
    let throttle = throttle(params, problems);

    Some(Policy {
        kind: kind?,
        reseller: reseller?,
        active: yes(field::ACTIVE),
        auto_authorization: yes(field::AUTO_AUTHORIZATION),
        storage: Storage {
            allotted_bytes: storage?,
            location: location?,
        },
        report: report?,
        mcal: mcal?,
        throttle: throttle?,
        send_mail: yes(field::SEND_MAIL),
        retrieve_passkey: is_customer && yes(field::RETRIEVE_PASSKEY),
    })
}

/// The configurable option that overrides field 10, in GiB.
pub const STORAGE_GB_OPTION: &str = "Storage GB";
/// The configurable option that overrides fields 14/15.
pub const MCAL_OPTION: &str = "MCAL";

/// A configurable option's whole number; `Some(None)` when absent or zero.
fn configurable(
    params: &Params,
    name: &str,
    max: u64,
    problems: &mut Problems,
) -> Option<Option<u64>> {
    let text = params.nested("configoptions").text(name);
    if text.is_empty() {
        return Some(None);
    }
    let what = format!("a whole number from 0 to {max}");
    problems
        .check(
            &format!("{name} (configurable option)"),
            rules::whole(&text, 0, max, &what),
        )
        .map(|n| (n != 0).then_some(n))
}

fn storage(params: &Params, problems: &mut Problems) -> Option<u64> {
    let gib = configurable(params, STORAGE_GB_OPTION, MAX_STORAGE >> 30, problems)?;
    if let Some(gib) = gib {
        return Some(gib << 30);
    }
    let text = params.setting(field::STORAGE);
    if text.is_empty() {
        problems.add(
            label(field::STORAGE),
            "is required (bytes, e.g. 107374182400 for 100 GiB)",
        );
        return None;
    }
    problems.check(
        label(field::STORAGE),
        rules::whole(
            &text,
            1,
            MAX_STORAGE,
            &format!("a whole number of bytes from 1 to {MAX_STORAGE}"),
        ),
    )
}

fn mcal(params: &Params, problems: &mut Problems) -> Option<Mcal> {
    if let Some(n) = configurable(params, MCAL_OPTION, MAX_MCAL, problems)? {
        return Some(Mcal {
            auto: false,
            allotted: Some(n as u32),
        });
    }
    if params.flag(&format!("configoption{}", field::MCAL_AUTO)) {
        return Some(Mcal {
            auto: true,
            allotted: None,
        });
    }
    let text = params.setting(field::MCAL_ALLOTTED);
    if text.is_empty() {
        problems.add(
            label(field::MCAL_ALLOTTED),
            format!("is required when {} is off", label(field::MCAL_AUTO)),
        );
        return None;
    }
    problems
        .check(
            label(field::MCAL_ALLOTTED),
            rules::whole(
                &text,
                0,
                MAX_MCAL,
                &format!("a whole number from 0 to {MAX_MCAL}"),
            ),
        )
        .map(|n| Mcal {
            auto: false,
            allotted: Some(n as u32),
        })
}

fn throttle(params: &Params, problems: &mut Problems) -> Option<Option<Throttle>> {
    let which = problems.check(
        label(field::THROTTLING),
        options::dropdown::<Throttling>(&params.setting(field::THROTTLING)),
    )?;
    if let Throttling::Global = which {
        return Some(None);
    }
    let enabled = params.flag(&format!("configoption{}", field::THROTTLE_ENABLED));
    let mode = problems
        .check(
            label(field::THROTTLE_MODE),
            options::dropdown(&params.setting(field::THROTTLE_MODE)),
        )
        .map(|m| match m {
            ThrottleSetting::Always => ThrottleMode::Always,
            ThrottleSetting::Window => ThrottleMode::Window,
        });
    let window = if mode == Some(ThrottleMode::Window) {
        window(params, problems)
    } else {
        Some((None, None))
    };
    let rate_text = params.setting(field::THROTTLE_RATE);
    let rate = if rate_text.is_empty() {
        if enabled {
            problems.add(
                label(field::THROTTLE_RATE),
                "is required when throttling is enabled",
            );
            None
        } else {
            Some(None)
        }
    } else {
        problems
            .check(
                label(field::THROTTLE_RATE),
                rules::whole(
                    &rate_text,
                    MIN_RATE_EXCLUSIVE + 1,
                    MAX_RATE_EXCLUSIVE - 1,
                    &format!(
                        "a whole number of bytes greater than {MIN_RATE_EXCLUSIVE} and less than {} GB ({MAX_RATE_EXCLUSIVE})",
                        MAX_RATE_EXCLUSIVE >> 30
                    ),
                ),
            )
            .map(Some)
    };
    let ((from, till), rate_bytes) = (window?, rate?);
    Some(Some(Throttle {
        enabled,
        mode: mode?,
        from,
        till,
        rate_bytes,
    }))
}

type Window = (Option<String>, Option<String>);

fn window(params: &Params, problems: &mut Problems) -> Option<Window> {
    let mut read = |n: usize| {
        let text = params.setting(n);
        if text.is_empty() {
            problems.add(
                label(n),
                "is required when throttling only at specified times",
            );
            None
        } else {
            problems.check(label(n), rules::hhmm(&text))
        }
    };
    let from = read(field::THROTTLE_FROM);
    let till = read(field::THROTTLE_TILL);
    let (from, till) = (from?, till?);
    if from == till {
        problems.add(
            label(field::THROTTLE_TILL),
            format!(
                "\"{till}\" must differ from {}",
                label(field::THROTTLE_FROM)
            ),
        );
        return None;
    }
    Some((Some(from), Some(till)))
}

#[cfg(test)]
mod tests;
