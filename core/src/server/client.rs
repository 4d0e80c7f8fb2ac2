//! The Backup Server client: one method per endpoint the module uses, each request logged once
//! through the caller's sink with secrets masked, every failure turned into a [`ClientError`] an
//! admin can act on. Agents (and so their kept-alive connections) are pooled per trust and
//! timeouts, the only process-wide state, so php-fpm workers reuse TLS sessions across requests.

use std::collections::HashMap;
use std::ffi::CStr;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::secrets::masked;
use crate::server::api::{
    Account, Code, Download, ErrorBody, ErrorCode, Kind, MachinePage, NewAccount, Page, PageAnswer,
    PassKey, ServerInfo,
};
use crate::server::endpoint::{Endpoint, Scheme};
use crate::server::tls::{self, Timeouts, TlsRefusal, Trust};
use crate::text::cut::cut;

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

/// The default connect timeout in seconds, as the text of the `sgwhmcs.connect_timeout` INI
/// directive (the extension registers these texts; [`NetSettings::default`] reads them).
pub const DEFAULT_CONNECT_TIMEOUT: &CStr = c"5";
/// The default whole-call timeout in seconds, as the text of `sgwhmcs.timeout`.
pub const DEFAULT_TIMEOUT: &CStr = c"30";
/// The default extra CA file, as the text of `sgwhmcs.ca_file`: none.
pub const DEFAULT_CA_FILE: &CStr = c"";

fn default_seconds(text: &CStr) -> Duration {
    Duration::from_secs(text.to_str().ok().and_then(|t| t.parse().ok()).unwrap_or(1))
}

impl Default for NetSettings {
    fn default() -> Self {
        let ca = DEFAULT_CA_FILE.to_string_lossy();
        NetSettings {
            timeouts: Timeouts {
                connect: default_seconds(DEFAULT_CONNECT_TIMEOUT),
                overall: default_seconds(DEFAULT_TIMEOUT),
            },
            ca_file: (!ca.is_empty()).then(|| PathBuf::from(ca.as_ref())),
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
    /// The TLS handshake failed; its words, made by the caller, say which setting fixes it.
    #[error("{0}")]
    Tls(TlsRefusal),
    /// No complete answer within the configured time.
    #[error("the Backup Server at {0} did not answer within {1} seconds (sgwhmcs.timeout)")]
    Timeout(String, u64),
    /// The connection (and, over https, the TLS handshake) was not set up within the connect
    /// timeout: nothing was sent.
    #[error("{}", connect_timeout_text(.0, *.1, *.2))]
    ConnectTimeout(String, u64, bool),
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
        code: ErrorCode,
        message: String,
        field: Option<String>,
    },
    /// The answer could not be understood.
    #[error("the Backup Server's answer was not understood: {0}")]
    BadAnswer(String),
    /// The server answered with a redirect (HTTP status), which is never followed.
    #[error("{}", redirected_text(*.0, CHECK_ADDRESS_AND_SCHEME))]
    Redirected(u16),
    /// An answer arrived but could not be read (not UTF-8, headers too large, compressed): the
    /// server may well have done the work.
    #[error("the Backup Server's answer could not be read: {0}")]
    Unreadable(String),
    /// The answer is about another account (another name, kind or reference) than the one asked
    /// for; nothing is taken from it.
    #[error(
        "the Backup Server answered about another account: {0}; nothing was taken from that answer"
    )]
    Mismatch(String),
    /// What answered is not the Backup Server API: a 4xx without the API's JSON error body (an
    /// HTML or plain-JSON 404, a stock console's login), a `2xx` HTML page, or a `GET /server`
    /// that does not identify itself as the API. `at` is host:port (empty when unknown), `came`
    /// what arrived instead, in words.
    #[error("{}", not_api_text(.at, *.status, .came, CHECK_ADDRESS))]
    NotApi {
        at: String,
        status: u16,
        came: String,
    },
}

/// The words of [`ClientError::NotApi`]: what answered, with what, and what to check (`check`,
/// naming the settings as the caller calls them; without a caller, [`CHECK_ADDRESS`]).
pub fn not_api_text(at: &str, status: u16, came: &str, check: &str) -> String {
    let who = if at.is_empty() {
        "the server".to_string()
    } else {
        format!("the server at {at}")
    };
    format!(
        "this is not a Backup Server API endpoint: {who} answered HTTP {status} with {came}; {check} (the Backup Server's web console listens on 6060 for http and 6061 for https) and that no other web server, stock console or proxy path answers in its place"
    )
}

/// What to check about the address, in words that name no setting (the caller's words name it).
pub const CHECK_ADDRESS: &str = "check the server's host name and port";

/// What to check after a redirect, in words that name no setting.
pub const CHECK_ADDRESS_AND_SCHEME: &str = "check the server's host name, protocol and port";

/// The words of [`ClientError::Redirected`]; `check` as for [`not_api_text`].
pub fn redirected_text(status: u16, check: &str) -> String {
    format!(
        "the Backup Server's answer was not understood: it redirected (HTTP {status}); redirects are not followed so that credentials never go elsewhere: {check}"
    )
}

/// What a body that is not the API's is, in words, with its beginning quoted: `expected` is
/// what the API would have sent (`JSON error`, `JSON`).
fn came(text: &str, expected: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return format!("an empty body instead of the API's {expected}");
    }
    let what = if t.starts_with('<') {
        format!("an HTML page instead of the API's {expected}")
    } else if serde_json::from_str::<Value>(t).is_ok() {
        format!("JSON that is not the API's {expected}")
    } else {
        format!("plain text instead of the API's {expected}")
    };
    format!("{what}: {}", crate::text::quote::printable(t))
}

fn connect_timeout_text(at: &str, secs: u64, tls: bool) -> String {
    let what = if tls {
        "the connection and TLS handshake with"
    } else {
        "the connection to"
    };
    format!(
        "{what} the Backup Server at {at} did not complete within {secs} seconds (sgwhmcs.connect_timeout); nothing was sent"
    )
}

impl ClientError {
    /// Whether the request may have been carried out although no answer says so.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            ClientError::Timeout(..)
            | ClientError::Dropped(_)
            | ClientError::BadAnswer(_)
            | ClientError::Redirected(_)
            | ClientError::Unreadable(_) => true,
            ClientError::Api { status, .. } => *status >= 500,
            // Not the API answered, so nothing reached it that could have been done: a web
            // server on the wrong port, a stock console or a proxy's own page never forwards a
            // request it answers itself with a 4xx or an HTML page. Reading back would ask the
            // same server again; the admin must fix the connection instead. (A proxy's 5xx page
            // is different: it is an `Api` error, ambiguous, as the API behind it may have
            // done the work.)
            ClientError::NotApi { .. } => false,
            _ => false,
        }
    }

    /// The server's error code, when it sent one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// The HTTP methods the Backup Server API is called with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    /// A read: safe to retry once after a broken connection.
    Get,
    /// A create or a state change.
    Post,
    /// A change of some fields (admin buttons: the reference).
    Patch,
    /// A delete (admin button: Delete on Backup Server).
    Delete,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
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
    connect_secs: u64,
    log: LogSink<'a>,
    learned: Vec<String>,
    deadline: Instant,
    /// Set while a list page is read: its answer (up to 768 KiB of accounts) is logged by size,
    /// not in full, so eleven pages do not put 8 MB through secret scrubbing and the Module Log.
    brief_log: bool,
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
            authorization: basic_auth(&endpoint.user, endpoint.password.expose()),
            timeout_secs: net.timeouts.overall.as_secs().max(1),
            connect_secs: net.timeouts.connect.as_secs().max(1),
            log,
            learned: Vec::new(),
            deadline: Instant::now() + net.timeouts.overall,
            brief_log: false,
        })
    }

    /// `GET /server`: who the server is (and whether the credentials work). Only an answer
    /// that identifies itself as the API (`"api": "backup-server/1"`) is the Backup Server's;
    /// any other is [`ClientError::NotApi`].
    pub fn server_info(&mut self) -> Result<ServerInfo, ClientError> {
        let info = self.server_answer()?;
        serde_json::from_value(info).map_err(|e| {
            ClientError::BadAnswer(format!(
                "GET /server identifies itself as the API but a member has the wrong type ({})",
                bounded(&e.to_string(), 300)
            ))
        })
    }

    /// `GET /server` as JSON, refused unless it identifies itself as the Backup Server API
    /// (`crate::server::api_identity`): a web server that answers every path with a page or some JSON
    /// is not taken for it.
    fn server_answer(&mut self) -> Result<Value, ClientError> {
        use crate::server::api_identity::{API_FAMILY, API_IDENTITY, API_MEMBER};
        let (status, text) = self.fetch(Method::Get, "/server", None, false)?;
        if !(200..300).contains(&status) {
            return decode_from(&self.authority, status, &text);
        }
        let not_api = |came: String| ClientError::NotApi {
            at: self.authority.clone(),
            status,
            came,
        };
        let info = match serde_json::from_str::<Value>(&text) {
            Ok(info @ Value::Object(_)) => info,
            _ => return Err(not_api(came(&text, "JSON"))),
        };
        match info.get(API_MEMBER).and_then(Value::as_str) {
            Some(API_IDENTITY) => Ok(info),
            Some(other) if other.starts_with(API_FAMILY) => Err(ClientError::BadAnswer(format!(
                "it speaks \"{}\" while this module speaks \"{API_IDENTITY}\": install a module release made for that server",
                crate::text::quote::printable(other)
            ))),
            _ => Err(not_api(format!(
                "JSON that does not identify itself as the Backup Server API (no \"{API_MEMBER}\": \"{API_IDENTITY}\"): {}",
                crate::text::quote::printable(text.trim())
            ))),
        }
    }

    /// `GET /{kind}s/{name}`; `Ok(None)` when there is no such account. An answer about another
    /// account is a [`ClientError::Mismatch`].
    pub fn find(&mut self, kind: Kind, name: &str) -> Result<Option<Account>, ClientError> {
        let path = format!("/{}/{}", kind.collection(), segment(name));
        match self.call(Method::Get, &path, None, false) {
            Ok(account) => named(account).and_then(|a| about(a, kind, name)).map(Some),
            Err(ClientError::Api {
                code: ErrorCode::Known(Code::NotFound),
                ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /{kind}s?reference=…`: the accounts of `kind` carrying exactly `reference`. Answers
    /// are filtered again here, so a server that ignores the search adopts nothing by mistake.
    pub fn find_by_reference(
        &mut self,
        kind: Kind,
        reference: &str,
    ) -> Result<Vec<Account>, ClientError> {
        let path = format!("/{}?reference={}", kind.collection(), segment(reference));
        let mut list: serde_json::Map<String, Value> =
            self.call(Method::Get, &path, None, false)?;
        let items = match list.remove(kind.collection()) {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(ClientError::BadAnswer(format!(
                    "the list has no \"{}\" array",
                    kind.collection()
                )))
            }
        };
        Ok(items
            .into_iter()
            .filter_map(|item| serde_json::from_value::<Account>(item).ok())
            .filter(|a| !a.name.is_empty() && a.kind.is_none_or(|k| k == kind))
            .filter(|a| a.has_reference(reference))
            .collect())
    }

    /// `POST /{kind}s`: creates an account. The answer must be about that account: its name, its
    /// kind and its reference; any other answer is a [`ClientError::Mismatch`].
    pub fn create(&mut self, kind: Kind, account: &NewAccount) -> Result<Account, ClientError> {
        let body =
            serde_json::to_value(account).map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        let made = self
            .call(
                Method::Post,
                &format!("/{}", kind.collection()),
                Some(body),
                false,
            )
            .and_then(named)
            .and_then(|a| about(a, kind, &account.name))?;
        if !account.reference.is_empty() && !made.has_reference(&account.reference) {
            return Err(ClientError::Mismatch(format!(
                "the {} it made carries the reference {} instead of {}",
                made.described(),
                shown_reference(made.reference.as_deref()),
                shown_reference(Some(&account.reference)),
            )));
        }
        Ok(made)
    }

    /// `POST /{kind}s/{name}/activate` or `…/deactivate` (both idempotent on the server). The
    /// answer must be about that account and show the state asked for.
    pub fn set_active(
        &mut self,
        kind: Kind,
        name: &str,
        active: bool,
    ) -> Result<Account, ClientError> {
        let verb = if active { "activate" } else { "deactivate" };
        let path = format!("/{}/{}/{verb}", kind.collection(), segment(name));
        let account = self
            .call(Method::Post, &path, None, false)
            .and_then(named)
            .and_then(|a| about(a, kind, name))?;
        match account.active {
            Some(now) if now == active => Ok(account),
            Some(_) => Err(ClientError::Mismatch(format!(
                "it says the {} is {} after it was asked to {verb} it",
                account.described(),
                if active { "inactive" } else { "active" }
            ))),
            // Only the state in the answer confirms the change; without it the change is
            // unconfirmed (ambiguous), and the caller reads the account back.
            None => Err(ClientError::BadAnswer(format!(
                "it does not say whether the {} is active (no \"active\") after it was asked to {verb} it",
                account.described()
            ))),
        }
    }

    /// `GET /customers/{name}/passkey`: the customer's pass key (a secret). The answer is masked
    /// in the module log from the start, whatever its shape.
    pub fn passkey(&mut self, name: &str) -> Result<String, ClientError> {
        let path = format!("/customers/{}/passkey", segment(name));
        self.pass_key_answer(Method::Get, &path)
    }

    /// The pass key that `method` on `path` answers (read or reset): masked in the module log from
    /// the start, refused when empty, and learned so that later errors can scrub it.
    fn pass_key_answer(&mut self, method: Method, path: &str) -> Result<String, ClientError> {
        let key = self.call::<PassKey>(method, path, None, true)?.passkey;
        if key.trim().is_empty() {
            return Err(ClientError::BadAnswer(
                "the pass key answer holds an empty pass key".into(),
            ));
        }
        self.learned.push(key.clone());
        Ok(key)
    }

    /// `PATCH /{kind}s/{name}` with `body` (only the members to change): answers the account as
    /// changed, which must be about that account (else [`ClientError::Mismatch`]).
    pub fn patch(&mut self, kind: Kind, name: &str, body: Value) -> Result<Account, ClientError> {
        let path = format!("/{}/{}", kind.collection(), segment(name));
        self.call(Method::Patch, &path, Some(body), false)
            .and_then(named)
            .and_then(|a| about(a, kind, name))
    }

    /// `GET /{kind}s?limit=N[&after=CURSOR]`: one page of a list, as its raw items and its
    /// `next` cursor (see `crate::server::listing`, which walks the pages and checks every item).
    pub fn list_page(
        &mut self,
        kind: Kind,
        limit: usize,
        after: Option<&str>,
    ) -> Result<Page, ClientError> {
        let mut path = format!("/{}?limit={limit}", kind.collection());
        if let Some(after) = after {
            path.push_str(&format!("&after={}", segment(after)));
        }
        self.brief_log = true;
        // Read straight into accounts (no intermediate JSON tree): 1000 accounts per page.
        let page = self.call::<PageAnswer>(Method::Get, &path, None, false);
        self.brief_log = false;
        let page = page?;
        let items = match kind {
            Kind::Customer => page.customers,
            Kind::Reseller => page.resellers,
        };
        match items {
            Some(items) => Ok((items, page.next)),
            None => Err(ClientError::BadAnswer(format!(
                "the list has no \"{}\" array",
                kind.collection()
            ))),
        }
    }

    /// Secrets the server sent during this client's life (pass keys), for `$replaceVars`.
    pub fn learned_secrets(&self) -> &[String] {
        &self.learned
    }

    /// `GET /customers/{name}/clients?limit=N`: the first page of the customer's machines.
    pub fn machines(&mut self, name: &str, limit: usize) -> Result<MachinePage, ClientError> {
        let path = format!("/customers/{}/clients?limit={limit}", segment(name));
        self.call(Method::Get, &path, None, false)
    }

    /// The agent download links `GET /server` publishes; entries that are not `{os, url}`
    /// objects are left out, and none at all is an empty list.
    pub fn downloads(&mut self) -> Result<Vec<Download>, ClientError> {
        let info = self.server_answer()?;
        let list = info.get("downloads").and_then(Value::as_array);
        Ok(list
            .into_iter()
            .flatten()
            .filter_map(|d| serde_json::from_value(d.clone()).ok())
            .collect())
    }

    /// One request and its decoded answer. `secret` marks an answer that holds a secret (the
    /// pass key): the module log then never shows its raw text, and a malformed one is not quoted.
    fn call<T: DeserializeOwned>(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Value>,
        secret: bool,
    ) -> Result<T, ClientError> {
        let (status, text) = self.fetch(method, path, body, secret)?;
        if secret && (200..300).contains(&status) {
            // serde's message may quote the value it choked on: the key itself.
            return serde_json::from_str(&text).map_err(|_| {
                ClientError::BadAnswer(format!(
                    "HTTP {status} with a pass key answer that is not the expected JSON ({} bytes, not shown)",
                    text.len()
                ))
            });
        }
        decode_from(&self.authority, status, &text)
    }

    /// One request to `path`: its status and body text. A read is retried once when the
    /// connection broke: it cannot change anything.
    fn fetch(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Value>,
        secret: bool,
    ) -> Result<(u16, String), ClientError> {
        let url = format!("{}{}", self.base, path);
        let mut outcome = self.send(method, &url, body.as_ref(), secret);
        if method == Method::Get && matches!(outcome, Err(ClientError::Dropped(_))) {
            outcome = self.send(method, &url, body.as_ref(), secret);
        }
        outcome
    }

    /// Sends one request and logs it; answers the status and the body text. A request that is
    /// not sent at all (the call's time is used up) is not logged: the log shows only what went
    /// over the wire.
    fn send(
        &mut self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        secret: bool,
    ) -> Result<(u16, String), ClientError> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(20) {
            return Err(ClientError::Timeout(
                self.authority.clone(),
                self.timeout_secs,
            ));
        }
        let result = self.exchange(method, url, body, left, secret);
        let request = serde_json::json!({
            "method": method.name(),
            "url": url,
            "body": body.map(masked).unwrap_or(Value::Null),
        });
        let (response, processed) = match &result {
            // A page that is not even JSON is logged as any answer: the log says what was wrong.
            Ok((status, text))
                if self.brief_log
                    && (200..300).contains(status)
                    && text.trim_start().starts_with('{')
                    // A page that is not whole JSON (cut short, say) is logged as any answer, so
                    // the entry names the parse error; checking costs one pass, no tree built.
                    && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() =>
            {
                let shown = format!(
                    "HTTP {status}\n(a page of a list, {} bytes, not shown)",
                    text.len()
                );
                (shown.clone(), Value::String(shown))
            }
            Ok((status, text)) => match serde_json::from_str::<Value>(text) {
                // The raw text could hold a pass key: log the masked JSON when it is JSON. A 2xx
                // answer decodes to exactly what was just parsed (`decode_from`), so it is
                // neither parsed nor masked a second time: per request, that was a third of
                // a lifecycle call's instructions.
                Ok(v) => {
                    let shown = masked(&v);
                    let response = format!("HTTP {status}\n{shown}");
                    let processed = if (200..300).contains(status) {
                        shown
                    } else {
                        match decode_from::<Value>(&self.authority, *status, text) {
                            Ok(v) => masked(&v),
                            Err(e) => Value::String(e.to_string()),
                        }
                    };
                    (response, processed)
                }
                Err(_) if secret => {
                    let shown = format!(
                        "HTTP {status}\n(a pass key answer that is not JSON: {} bytes, not shown)",
                        text.len()
                    );
                    (shown.clone(), Value::String(shown))
                }
                Err(_) => (
                    format!("HTTP {status}\n{}", bounded(text, 4096)),
                    match decode_from::<Value>(&self.authority, *status, text) {
                        Ok(v) => masked(&v),
                        Err(e) => Value::String(e.to_string()),
                    },
                ),
            },
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
        method: Method,
        url: &str,
        body: Option<&Value>,
        left: Duration,
        secret: bool,
    ) -> Result<(u16, String), ClientError> {
        let bytes = match body {
            Some(json) => {
                Some(serde_json::to_vec(json).map_err(|e| ClientError::BadAnswer(e.to_string()))?)
            }
            None => None,
        };
        let sent = match method {
            Method::Get | Method::Delete => {
                let builder = if method == Method::Get {
                    self.agent.get(url)
                } else {
                    self.agent.delete(url)
                };
                builder
                    .header("Authorization", &self.authorization)
                    .header("Accept", "application/json")
                    .config()
                    .timeout_global(Some(left))
                    .build()
                    .call()
            }
            Method::Post | Method::Patch => {
                let builder = if method == Method::Post {
                    self.agent.post(url)
                } else {
                    self.agent.patch(url)
                };
                let builder = builder
                    .header("Authorization", &self.authorization)
                    .header("Accept", "application/json")
                    .config()
                    .timeout_global(Some(left))
                    .build();
                match bytes {
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
            return Err(ClientError::Redirected(status));
        }
        // The module asks for no encoding; a compressed body cannot be read as JSON.
        if let Some(encoding) = response
            .headers()
            .get("content-encoding")
            .map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .trim()
                    .to_ascii_lowercase()
            })
            .filter(|e| !e.is_empty() && e != "identity")
        {
            return Err(ClientError::Unreadable(format!(
                "HTTP {status} with a body encoded as \"{}\" (Content-Encoding), which the module did not ask for and does not decode",
                crate::text::quote::printable(&encoding)
            )));
        }
        // The API labels every answer JSON: a success labelled as an HTML page is a web server's
        // or a console's page, never the API's answer (a 204 carries no body to label).
        let html = (200..300).contains(&status)
            && status != 204
            && response.headers().get("content-type").is_some_and(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .to_ascii_lowercase()
                    .contains("html")
            });
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| self.failure(e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            ClientError::Unreadable(format!(
                "HTTP {status} with a body that is not UTF-8 text (byte 0x{:02X} at offset {})",
                e.as_bytes()[e.utf8_error().valid_up_to()],
                e.utf8_error().valid_up_to()
            ))
        })?;
        if html {
            return Err(ClientError::NotApi {
                at: self.authority.clone(),
                status,
                // A page where a pass key was asked for may hold the key: never quoted.
                came: if secret {
                    format!(
                        "an HTML page instead of the API's JSON ({} bytes, not shown)",
                        text.len()
                    )
                } else {
                    came(&text, "JSON")
                },
            });
        }
        Ok((status, text))
    }

    fn failure(&self, err: ureq::Error) -> ClientError {
        if let Some(refusal) = tls::explain(&err) {
            return ClientError::Tls(refusal);
        }
        let at = self.authority.clone();
        let tls = self.base.starts_with("https://");
        match err {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
                ClientError::ConnectTimeout(at, self.connect_secs, tls)
            }
            ureq::Error::Timeout(_) => ClientError::Timeout(at, self.timeout_secs),
            ureq::Error::BodyExceedsLimit(_) => {
                ClientError::BadAnswer(format!("it is larger than {} KiB", MAX_ANSWER_BYTES / 1024))
            }
            ureq::Error::LargeResponseHeader(got, max) => ClientError::Unreadable(format!(
                "its headers are too large ({got} bytes or more, at most {max} are read)"
            )),
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
                ErrorKind::InvalidData => ClientError::Unreadable(io.to_string()),
                _ => ClientError::Connect(at, io.to_string()),
            },
            // An answer came whose head is malformed: unreadable, not a broken connection.
            ureq::Error::Protocol(e) => ClientError::Unreadable(format!(
                "its status line or headers are malformed ({})",
                crate::text::quote::printable(&e.to_string())
            )),
            other => ClientError::Connect(at, other.to_string()),
        }
    }

    // ---- the admin screens (issue 11): the account as it is, buttons, the reseller picker ----

    /// `POST /customers/{name}/passkey/reset`: the server makes a new pass key and answers it
    /// (a secret, masked in the module log from the start).
    pub fn reset_passkey(&mut self, name: &str) -> Result<String, ClientError> {
        let path = format!("/customers/{}/passkey/reset", segment(name));
        self.pass_key_answer(Method::Post, &path)
    }

    /// `PATCH /{kind}s/{name}` with `{"reference": …}`: ties the account to a service. The
    /// answer must be about that account and carry the reference asked for.
    pub fn set_reference(
        &mut self,
        kind: Kind,
        name: &str,
        reference: &str,
    ) -> Result<Account, ClientError> {
        let path = format!("/{}/{}", kind.collection(), segment(name));
        let body = serde_json::json!({ "reference": reference });
        let account = self
            .call(Method::Patch, &path, Some(body), false)
            .and_then(named)
            .and_then(|a| about(a, kind, name))?;
        if !account.has_reference(reference) {
            return Err(ClientError::Mismatch(format!(
                "the {} carries the reference {} after it was asked to carry {}",
                account.described(),
                shown_reference(account.reference.as_deref()),
                shown_reference(Some(reference)),
            )));
        }
        Ok(account)
    }

    /// `DELETE /{kind}s/{name}?mode=retain`: deletes the account; a reseller's customers are
    /// kept (moved to the Default Reseller). Success is `204` and nothing else.
    pub fn delete_retaining(&mut self, kind: Kind, name: &str) -> Result<(), ClientError> {
        let url = format!(
            "{}/{}/{}?mode=retain",
            self.base,
            kind.collection(),
            segment(name)
        );
        let (status, text) = self.send(Method::Delete, &url, None, false)?;
        match status {
            204 => Ok(()),
            // A delete answers 204 with no body: another success is not the server's (a proxy's
            // page, say), so whether it was deleted is not known from it.
            200..=299 => Err(ClientError::BadAnswer(format!(
                "HTTP {status} where a delete answers 204 without a body"
            ))),
            _ => decode_from::<Value>(&self.authority, status, &text).map(drop),
        }
    }
}

/// A reference as messages show it.
fn shown_reference(reference: Option<&str>) -> String {
    match reference {
        Some(r) if !r.is_empty() => format!("\"{}\"", crate::text::quote::printable(r)),
        _ => "none".into(),
    }
}

/// An answer must be about the account asked for: same name (case-insensitively) and kind.
fn about(account: Account, kind: Kind, name: &str) -> Result<Account, ClientError> {
    if account.is(kind, name) {
        return Ok(account);
    }
    Err(ClientError::Mismatch(format!(
        "it names the {} where the {} \"{}\" was asked for",
        account.described(),
        kind.noun(),
        crate::text::quote::printable(name)
    )))
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

/// Reads an answer from a server whose host:port is not known: as [`decode_from`].
pub fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ClientError> {
    decode_from("", status, text)
}

/// Reads an answer of the server at `at` (host:port): the resource on 2xx; otherwise the API's
/// own error when the body is the API's error JSON (`{"error": {"code": …}}`). A 4xx without it
/// (an HTML or other JSON 404, a stock console's 401) is [`ClientError::NotApi`]: only the API's
/// own words say "not found" or "wrong credentials". A 5xx without it stays an `Api` error
/// (ambiguous): a proxy's error page in front of a reachable API, which may have done the work.
pub fn decode_from<T: DeserializeOwned>(
    at: &str,
    status: u16,
    text: &str,
) -> Result<T, ClientError> {
    if (200..300).contains(&status) {
        // serde's message may quote a whole (unbounded) string of the answer: cut it.
        return serde_json::from_str(text).map_err(|e| {
            ClientError::BadAnswer(format!(
                "HTTP {status} with a body that is not the expected JSON ({})",
                bounded(&e.to_string(), 300)
            ))
        });
    }
    match serde_json::from_str::<ErrorBody>(text) {
        // The server's own words, bounded: an admin reads them and WHMCS stores them.
        Ok(body) if !body.error.code.trim().is_empty() => Err(ClientError::Api {
            status,
            code: ErrorCode::from_wire(&bounded(&body.error.code, 64)),
            message: crate::text::quote::escape_controls(&bounded(&body.error.message, 500)),
            field: body.error.field,
        }),
        _ if (400..500).contains(&status) => Err(ClientError::NotApi {
            at: at.to_string(),
            status,
            came: came(text, "JSON error"),
        }),
        _ => Err(ClientError::Api {
            status,
            code: ErrorCode::Http(status),
            message: match text.trim() {
                "" => format!("HTTP {status} without an explanation"),
                t => format!("HTTP {status}: {}", crate::text::quote::printable(t)),
            },
            field: None,
        }),
    }
}

/// At most `max` characters of a text for the log or an error, saying how long the whole was.
fn bounded(text: &str, max: usize) -> String {
    cut(text, max, &format!("… ({} bytes in all)", text.len()))
}

/// Every byte but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is escaped in a path
/// segment.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a name as one path segment (`%XX`, upper-case hex, of each UTF-8 byte).
pub fn segment(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, SEGMENT).to_string()
}

fn basic_auth(user: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
}

/// Standard base64 (RFC 4648) with padding.
pub fn base64(input: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, input)
}

/// The pooled agent for these trust settings, built when missing. Building one may read
/// `sgwhmcs.ca_file`, which is done outside the pool's lock, so a slow file never holds up the
/// other calls of the process.
fn pooled_agent(trust: &Trust, timeouts: Timeouts) -> Result<ureq::Agent, ClientError> {
    static POOL: OnceLock<Mutex<HashMap<(Trust, Timeouts), ureq::Agent>>> = OnceLock::new();
    let pool = POOL.get_or_init(Default::default);
    let key = (trust.clone(), timeouts);
    let cached = pool
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        .cloned();
    if let Some(agent) = cached {
        return Ok(agent);
    }
    let agent = tls::agent(trust, timeouts).map_err(|e| ClientError::Setup(e.to_string()))?;
    let mut agents = pool.lock().unwrap_or_else(|p| p.into_inner());
    // Another call may have built one meanwhile: keep the first, so connections are shared.
    if let Some(existing) = agents.get(&key) {
        return Ok(existing.clone());
    }
    // Bounded: a process serving many pinned servers must not grow without end.
    if agents.len() >= 64 {
        agents.clear();
    }
    agents.insert(key, agent.clone());
    Ok(agent)
}

#[cfg(test)]
mod tests {

    #[test]
    fn defaults_are_the_ini_texts() {
        let d = NetSettings::default();
        assert_eq!(d.timeouts.connect, Duration::from_secs(5));
        assert_eq!(d.timeouts.overall, Duration::from_secs(30));
        assert_eq!(d.ca_file, None);
    }

    use super::*;

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
        assert_eq!(segment("Zoë-1.x_~%"), "Zo%C3%AB-1.x_~%25");
    }

    #[test]
    fn decodes_errors() {
        let e = decode::<Value>(
            409,
            r#"{"error":{"code":"ALREADY_EXISTS","message":"taken"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Some(&ErrorCode::Known(Code::AlreadyExists)));
        assert!(!e.is_ambiguous());
        let e = decode::<Value>(503, "<html>down</html>").unwrap_err();
        assert!(e.is_ambiguous());
        assert!(e.to_string().contains("HTTP 503: <html>down</html>"));
        let e = decode::<Account>(200, "not json").unwrap_err();
        assert!(matches!(e, ClientError::BadAnswer(_)));
    }

    #[test]
    fn not_found_and_auth_failed_come_only_from_the_apis_own_error_body() {
        let api = r#"{"error":{"code":"NOT_FOUND","message":"no customer named \"a\""}}"#;
        let e = decode_from::<Value>("h:6061", 404, api).unwrap_err();
        assert_eq!(e.code(), Some(&ErrorCode::Known(Code::NotFound)));
        let e = decode_from::<Value>(
            "h:6061",
            401,
            r#"{"error":{"code":"AUTH_FAILED","message":"no"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Some(&ErrorCode::Known(Code::AuthFailed)));
        // Anything else a 4xx brings is not the API's word: never "not found", never ambiguous.
        let others = [
            (
                404,
                "<html><head><title>404 Not Found</title></head></html>",
                "an HTML page",
            ),
            (
                404,
                r#"{"detail":"Not Found"}"#,
                "JSON that is not the API's JSON error",
            ),
            (
                404,
                r#"{"error":"not found"}"#,
                "JSON that is not the API's JSON error",
            ),
            (
                404,
                r#"{"error":{"message":"no code"}}"#,
                "JSON that is not the API's JSON error",
            ),
            (404, "404 page not found", "plain text"),
            (404, "", "an empty body"),
            (401, "<!DOCTYPE html><title>Login</title>", "an HTML page"),
            (401, "", "an empty body"),
            (403, "Forbidden", "plain text"),
            (418, "", "an empty body"),
        ];
        for (status, body, came) in others {
            let e = decode_from::<Value>("backup.example:8080", status, body).unwrap_err();
            assert!(
                matches!(e, ClientError::NotApi { .. }),
                "{status} {body}: {e:?}"
            );
            assert_eq!(e.code(), None, "{status} {body}");
            assert!(!e.is_ambiguous(), "{status} {body}");
            let text = e.to_string();
            assert!(
                text.starts_with(&format!(
                    "this is not a Backup Server API endpoint: the server at backup.example:8080 answered HTTP {status} with {came}"
                )),
                "{text}"
            );
            assert!(text.contains("6060 for http and 6061 for https"), "{text}");
            assert!(text.contains("proxy path"), "{text}");
        }
        // A 5xx without the API's body is a proxy's page in front of a reachable API: ambiguous.
        let e = decode_from::<Value>("h:1", 502, "<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(e, ClientError::Api { status: 502, .. }));
        assert!(e.is_ambiguous());
        assert_eq!(e.code(), Some(&ErrorCode::Http(502)));
        assert!(e.to_string().ends_with("(HTTP_502, HTTP 502)"), "{e}");
        // Without a known host the text still says what it is.
        let e = decode::<Value>(404, "<html></html>").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("this is not a Backup Server API endpoint: the server answered HTTP 404"));
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
    fn unreadable_answers_are_ambiguous_and_mismatches_are_not() {
        let e = ClientError::Unreadable("not UTF-8".into());
        assert!(e.is_ambiguous(), "the server may have done the work");
        assert!(e
            .to_string()
            .starts_with("the Backup Server's answer could not be read: "));
        let e = ClientError::Mismatch("it names the customer \"b\"".into());
        assert!(!e.is_ambiguous());
        assert!(e.to_string().contains("answered about another account"));
        let e = ClientError::ConnectTimeout("h:1".into(), 2, true);
        assert!(!e.is_ambiguous(), "nothing was sent");
        assert_eq!(
            e.to_string(),
            "the connection and TLS handshake with the Backup Server at h:1 did not complete within 2 seconds (sgwhmcs.connect_timeout); nothing was sent"
        );
    }

    #[test]
    fn answers_must_be_about_the_account_asked_for() {
        let a = decode::<Account>(200, r#"{"name":"Acme","kind":"customer"}"#).unwrap();
        assert!(about(a.clone(), Kind::Customer, "acme").is_ok());
        let e = about(a.clone(), Kind::Customer, "acme-2").unwrap_err();
        assert!(matches!(e, ClientError::Mismatch(_)));
        assert!(e.to_string().contains(
            "it names the customer \"Acme\" where the customer \"acme-2\" was asked for"
        ));
        assert!(about(a, Kind::Reseller, "Acme").is_err());
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
