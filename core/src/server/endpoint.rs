//! Where the Backup Server is and how to log in to it, as the settings made it
//! (`settings::plan::endpoint` reads it from `$params`).

use std::fmt;

/// A secret string (password, pass key): its `Debug` never shows it, and [`Secret::expose`] is
/// the only way to read it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for sending it or scrubbing it: every read is a visible call.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(********)")
    }
}

/// http or https.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn parse(text: &str) -> Scheme {
        if text.eq_ignore_ascii_case("http") {
            Scheme::Http
        } else {
            Scheme::Https
        }
    }

    /// The scheme's URL name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The web console's default port for this scheme.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 6060,
            Scheme::Https => 6061,
        }
    }
}

/// Where the Backup Server is and how to log in to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub scheme: Scheme,
    /// The host as it goes into a URL (IPv6 bracketed).
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Secret,
    /// SHA-256 of the exact certificate to trust (https only).
    pub pin: Option<[u8; 32]>,
}

impl Endpoint {
    /// `scheme://host:port/api/v1`.
    pub fn base_url(&self) -> String {
        format!(
            "{}://{}:{}/api/v1",
            self.scheme.as_str(),
            self.host,
            self.port
        )
    }
}
