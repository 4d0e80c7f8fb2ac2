//! The Backup Server client: one method per endpoint the module uses, each request logged once
//! through the caller's sink with secrets masked, every failure turned into a [`ClientError`] an
//! admin can act on. Agents (and so their kept-alive connections) are pooled per trust and
//! timeouts, the only process-wide state, so php-fpm workers reuse TLS sessions across requests.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::{Account, ErrorBody, Kind, NewAccount, PassKey, ServerInfo};
use crate::plan::{Endpoint, Scheme};
use crate::tls::{self, Timeouts, Trust};

/// Answers larger than this are refused rather than read into memory.
pub const MAX_ANSWER_BYTES: u64 = 1 << 20;

/// Said in the module log and by Test Connection when the connection is plain http.
pub const PLAIN_HTTP_WARNING: &str =
    "Warning: plain http: the web console user name and password travel in clear; use https";

/// Process-wide network settings (from the extension's INI directives).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NetSettings {
    /// Connect and overall timeouts of each request.
    pub timeouts: Timeouts,
    /// Extra CA certificates (PEM) trusted besides the bundled Mozilla roots.
    pub ca_file: Option<PathBuf>,
}

impl Default for NetSettings {
    fn default() -> Self {
        NetSettings {
            timeouts: Timeouts {
                connect: Duration::from_secs(5),
                overall: Duration::from_secs(30),
            },
            ca_file: None,
        }
    }
}

/// One request as the module log shows it: secrets already masked.
#[derive(Clone, Debug)]
pub struct LogRecord {
    /// e.g. `POST https://backup.example:6061/api/v1/customers`.
    pub request: Value,
    /// The raw answer text (cut), or the transport failure.
    pub response: String,
    /// The decoded answer, or the error message.
    pub processed: Value,
}

/// Why a request did not give the answer asked for. Messages never hold a secret.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// TLS could not be set up (e.g. an unreadable CA file).
    #[error("TLS setup failed: {0}; fix or clear sgwhmcs.ca_file in the PHP ini")]
    Setup(String),
    /// The TLS handshake failed; the text says which setting fixes it.
    #[error("{0}")]
    Tls(String),
    /// No complete answer within the configured time.
    #[error("the Backup Server at {0} did not answer within {1} seconds")]
    Timeout(String, u64),
    /// The server could not be reached.
    #[error("could not connect to the Backup Server at {0}: {1}")]
    Connect(String, String),
    /// The connection broke before a complete answer arrived.
    #[error("the connection to the Backup Server at {0} broke before a complete answer arrived")]
    Dropped(String),
    /// The server answered with an error of its own.
    #[error("{message} ({code}, HTTP {status})")]
    Api {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// The answer could not be understood.
    #[error("the Backup Server's answer was not understood: {0}")]
    BadAnswer(String),
}

impl ClientError {
    /// Whether the request may have been carried out although no answer says so.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            ClientError::Timeout(..) | ClientError::Dropped(_) | ClientError::BadAnswer(_) => true,
            ClientError::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// The server's error code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// Where each request's record goes (the module log).
pub type LogSink<'a> = &'a mut dyn FnMut(LogRecord);

/// A client bound to one endpoint for the length of one WHMCS call.
pub struct Client<'a> {
    agent: ureq::Agent,
    base: String,
    authority: String,
    authorization: String,
    timeout_secs: u64,
    log: LogSink<'a>,
    learned: Vec<String>,
    deadline: Instant,
}

impl<'a> Client<'a> {
    /// A client for `endpoint`, reusing a pooled agent for its trust settings.
    pub fn new(
        endpoint: &Endpoint,
        net: &NetSettings,
        log: LogSink<'a>,
    ) -> Result<Self, ClientError> {
        let trust = match (endpoint.scheme, endpoint.pin) {
            (Scheme::Https, Some(pin)) => Trust::Pinned(pin),
            _ => Trust::Roots {
                ca_file: net.ca_file.clone(),
            },
        };
        Ok(Client {
            agent: pooled_agent(&trust, net.timeouts)?,
            base: endpoint.base_url(),
            authority: format!("{}:{}", endpoint.host, endpoint.port),
            authorization: basic_auth(&endpoint.user, &endpoint.password.0),
            timeout_secs: net.timeouts.overall.as_secs().max(1),
            log,
            learned: Vec::new(),
            deadline: Instant::now() + net.timeouts.overall,
        })
    }

    /// `GET /server`: who the server is (and whether the credentials work).
    pub fn server_info(&mut self) -> Result<ServerInfo, ClientError> {
        let info: ServerInfo = self.call("GET", "/server", None)?;
        // Read leniently, `{}` would pass: an answer that does not say what it is is not one.
        if info.product.trim().is_empty() {
            return Err(ClientError::BadAnswer(
                "it does not say which product it is (no \"product\"); is this the Backup Server's web console?".into(),
            ));
        }
        Ok(info)
    }

    /// `GET /{kind}s/{name}`; `Ok(None)` when there is no such account.
    pub fn find(&mut self, kind: Kind, name: &str) -> Result<Option<Account>, ClientError> {
        let path = format!("/{}/{}", kind.collection(), segment(name));
        match self.call("GET", &path, None) {
            Ok(account) => named(account).map(Some),
            Err(ClientError::Api { code, .. }) if code == "NOT_FOUND" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `POST /{kind}s`: creates an account.
    pub fn create(&mut self, kind: Kind, account: &NewAccount) -> Result<Account, ClientError> {
        let body =
            serde_json::to_value(account).map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        self.call("POST", &format!("/{}", kind.collection()), Some(body))
            .and_then(named)
    }

    /// `POST /{kind}s/{name}/activate` or `…/deactivate` (both idempotent on the server).
    pub fn set_active(
        &mut self,
        kind: Kind,
        name: &str,
        active: bool,
    ) -> Result<Account, ClientError> {
        let verb = if active { "activate" } else { "deactivate" };
        let path = format!("/{}/{}/{verb}", kind.collection(), segment(name));
        self.call("POST", &path, None).and_then(named)
    }

    /// `GET /customers/{name}/passkey`: the customer's pass key (a secret).
    pub fn passkey(&mut self, name: &str) -> Result<String, ClientError> {
        let path = format!("/customers/{}/passkey", segment(name));
        let key = self.call::<PassKey>("GET", &path, None)?.passkey;
        self.learned.push(key.clone());
        Ok(key)
    }

    /// Secrets the server sent during this client's life (pass keys), for `$replaceVars`.
    pub fn learned_secrets(&self) -> &[String] {
        &self.learned
    }

    fn call<T: DeserializeOwned>(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<T, ClientError> {
        let url = format!("{}{}", self.base, path);
        let mut outcome = self.send(method, &url, body.as_ref());
        // A read may be retried once when the connection broke: it cannot change anything.
        if method == "GET" && matches!(outcome, Err(ClientError::Dropped(_))) {
            outcome = self.send(method, &url, body.as_ref());
        }
        let (status, text) = outcome?;
        decode(status, &text)
    }

    /// Sends one request and logs it; answers the status and the body text.
    fn send(
        &mut self,
        method: &str,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(u16, String), ClientError> {
        let result = self.exchange(method, url, body);
        let request = serde_json::json!({
            "method": method,
            "url": url,
            "body": body.map(masked).unwrap_or(Value::Null),
        });
        let (response, processed) = match &result {
            Ok((status, text)) => (
                // The raw text could hold a pass key: log the masked JSON when it is JSON.
                match serde_json::from_str::<Value>(text) {
                    Ok(v) => format!("HTTP {status}\n{}", masked(&v)),
                    Err(_) => format!("HTTP {status}\n{}", cut(text, 4096)),
                },
                match decode::<Value>(*status, text) {
                    Ok(v) => masked(&v),
                    Err(e) => Value::String(e.to_string()),
                },
            ),
            Err(e) => (e.to_string(), Value::String(e.to_string())),
        };
        let response = if self.base.starts_with("http://") {
            format!("{PLAIN_HTTP_WARNING}\n{response}")
        } else {
            response
        };
        (self.log)(LogRecord {
            request,
            response,
            processed,
        });
        result
    }

    fn exchange(
        &mut self,
        method: &str,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(u16, String), ClientError> {
        // One deadline for the whole WHMCS call, so a follow-up read after a timeout cannot
        // double the time an admin (or the cron) waits.
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(20) {
            return Err(ClientError::Timeout(
                self.authority.clone(),
                self.timeout_secs,
            ));
        }
        let bytes = match body {
            Some(json) => {
                Some(serde_json::to_vec(json).map_err(|e| ClientError::BadAnswer(e.to_string()))?)
            }
            None => None,
        };
        let sent = match (method, bytes) {
            ("GET", _) => self
                .agent
                .get(url)
                .header("Authorization", &self.authorization)
                .header("Accept", "application/json")
                .config()
                .timeout_global(Some(left))
                .build()
                .call(),
            (_, body) => {
                let builder = match method {
                    "PATCH" => self.agent.patch(url),
                    "PUT" => self.agent.put(url),
                    _ => self.agent.post(url),
                };
                let builder = builder
                    .header("Authorization", &self.authorization)
                    .header("Accept", "application/json")
                    .config()
                    .timeout_global(Some(left))
                    .build();
                match body {
                    Some(bytes) => builder
                        .header("Content-Type", "application/json; charset=utf-8")
                        .send(&bytes[..]),
                    None => builder.send_empty(),
                }
            }
        };
        let mut response = sent.map_err(|e| self.failure(e))?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            return Err(ClientError::BadAnswer(format!(
                "it redirected (HTTP {status}); redirects are not followed so that credentials never go elsewhere: check HostName, Protocol and Port"
            )));
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(|e| self.failure(e))?;
        Ok((status, text))
    }

    fn failure(&self, err: ureq::Error) -> ClientError {
        if let Some(text) = tls::explain(&err) {
            return ClientError::Tls(text);
        }
        let at = self.authority.clone();
        match err {
            ureq::Error::Timeout(_) => ClientError::Timeout(at, self.timeout_secs),
            ureq::Error::BodyExceedsLimit(_) => {
                ClientError::BadAnswer(format!("it is larger than {} KiB", MAX_ANSWER_BYTES / 1024))
            }
            ureq::Error::HostNotFound => ClientError::Connect(at, "host name not found".into()),
            ureq::Error::ConnectionFailed => ClientError::Connect(at, "connection failed".into()),
            ureq::Error::Io(io) => match io.kind() {
                ErrorKind::ConnectionRefused => ClientError::Connect(
                    at,
                    "connection refused (is the web console running on this port?)".into(),
                ),
                ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                    ClientError::Timeout(at, self.timeout_secs)
                }
                ErrorKind::UnexpectedEof
                | ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe => ClientError::Dropped(at),
                _ => ClientError::Connect(at, io.to_string()),
            },
            ureq::Error::Protocol(_) => ClientError::Dropped(at),
            other => ClientError::Connect(at, other.to_string()),
        }
    }
}

/// An account answer must name the account: read leniently, `{}` or `[]` would otherwise pass
/// for one (and a create would report success for an account that was never made).
fn named(account: Account) -> Result<Account, ClientError> {
    if account.name.is_empty() {
        return Err(ClientError::BadAnswer(
            "it does not name the account (no \"name\"), so it is not the account asked for".into(),
        ));
    }
    Ok(account)
}

/// Reads an answer: the resource on 2xx, the server's own error otherwise.
pub fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ClientError> {
    if (200..300).contains(&status) {
        // serde's message may quote a whole (unbounded) string of the answer: cut it.
        return serde_json::from_str(text).map_err(|e| {
            ClientError::BadAnswer(format!(
                "HTTP {status} with a body that is not the expected JSON ({})",
                cut(&e.to_string(), 300)
            ))
        });
    }
    match serde_json::from_str::<ErrorBody>(text) {
        // The server's own words, bounded: an admin reads them and WHMCS stores them.
        Ok(body) => Err(ClientError::Api {
            status,
            code: cut(&body.error.code, 64),
            message: crate::rules::escape_controls(&cut(&body.error.message, 500)),
            field: body.error.field,
        }),
        Err(_) => Err(ClientError::Api {
            status,
            code: match status {
                401 => "AUTH_FAILED".into(),
                404 => "NOT_FOUND".into(),
                _ => format!("HTTP_{status}"),
            },
            message: match text.trim() {
                "" => format!("HTTP {status} without an explanation"),
                t => format!("HTTP {status}: {}", crate::rules::printable(t)),
            },
            field: None,
        }),
    }
}

const MASK: &str = "********";

/// Whether a JSON member of this name holds a secret: `password` or `passkey`, in any case and
/// with any separators (`Pass_Key`, `pass-key`).
pub fn is_secret_member(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(folded.as_str(), "password" | "passkey")
}

/// A copy of a JSON value with every secret-bearing member masked.
pub fn masked(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let secret = is_secret_member(k);
                    (
                        k.clone(),
                        if secret {
                            Value::String(MASK.into())
                        } else {
                            masked(v)
                        },
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(masked).collect()),
        other => other.clone(),
    }
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}… ({} bytes in all)", &text[..i], text.len()),
        None => text.to_string(),
    }
}

/// Percent-encodes a name as one path segment.
pub fn segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn basic_auth(user: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
}

/// Standard base64 (RFC 4648) with padding.
pub fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn pooled_agent(trust: &Trust, timeouts: Timeouts) -> Result<ureq::Agent, ClientError> {
    static POOL: OnceLock<Mutex<HashMap<(Trust, Timeouts), ureq::Agent>>> = OnceLock::new();
    let pool = POOL.get_or_init(Default::default);
    let mut agents = pool.lock().unwrap_or_else(|p| p.into_inner());
    let key = (trust.clone(), timeouts);
    if let Some(agent) = agents.get(&key) {
        return Ok(agent.clone());
    }
    let agent = tls::agent(trust, timeouts).map_err(|e| ClientError::Setup(e.to_string()))?;
    // Bounded: a process serving many pinned servers must not grow without end.
    if agents.len() >= 64 {
        agents.clear();
    }
    agents.insert(key, agent.clone());
    Ok(agent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"admin:s3cret!"), "YWRtaW46czNjcmV0IQ==");
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(segment("Acme Inc@x"), "Acme%20Inc%40x");
        assert_eq!(segment("a/b"), "a%2Fb");
    }

    #[test]
    fn masks_nested_secrets() {
        let v = masked(
            &json!({"name": "a", "password": "p", "x": [{"passkey": "k", "Pass_Key": "k"}]}),
        );
        assert_eq!(
            v,
            json!({"name": "a", "password": MASK, "x": [{"passkey": MASK, "Pass_Key": MASK}]})
        );
    }

    #[test]
    fn decodes_errors() {
        let e = decode::<Value>(
            409,
            r#"{"error":{"code":"ALREADY_EXISTS","message":"taken"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Some("ALREADY_EXISTS"));
        assert!(!e.is_ambiguous());
        let e = decode::<Value>(503, "<html>down</html>").unwrap_err();
        assert!(e.is_ambiguous());
        assert!(e.to_string().contains("HTTP 503: <html>down</html>"));
        let e = decode::<Account>(200, "not json").unwrap_err();
        assert!(matches!(e, ClientError::BadAnswer(_)));
    }

    #[test]
    fn error_messages_are_bounded() {
        // Found by fuzz/decode_answer: the server's text was quoted whole.
        let long = "x".repeat(100_000);
        let bodies = [
            (
                500,
                format!(r#"{{"error":{{"code":"{long}","message":"{long}"}}}}"#),
            ),
            (200, format!(r#"{{"kind":"{long}"}}"#)),
            (200, format!(r#"{{"active":"{long}"}}"#)),
        ];
        for (status, body) in bodies {
            let e = decode::<Account>(status, &body).unwrap_err();
            assert!(e.to_string().chars().count() <= 2_000, "HTTP {status}");
        }
    }

    #[test]
    fn an_account_answer_without_a_name_is_not_an_account() {
        for body in ["{}", "[]", r#"{"hello":"world"}"#] {
            let account = decode::<Account>(201, body).unwrap();
            let e = named(account).unwrap_err();
            assert!(matches!(e, ClientError::BadAnswer(_)), "{body}");
            assert!(e.is_ambiguous(), "a create is then read back: {body}");
        }
        assert!(named(decode::<Account>(200, r#"{"name":"a"}"#).unwrap()).is_ok());
    }
}
