//! Shared helpers of the integration tests: start the built `sgsim` binary, read its JSON line,
//! and talk to it over HTTP with ureq (bounded timeouts everywhere, so no test can hang).

#![allow(dead_code)]

// The first-line reader is shared with the core's tests: one home.
#[path = "../../../core/tests/common/first_line.rs"]
mod first_line;

use first_line::first_line;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The longest any single HTTP exchange of a test may take.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// A running simulator, killed when dropped.
pub struct Sim {
    child: Child,
    /// The JSON line it printed.
    pub info: Value,
    /// e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// The admin user.
    pub user: String,
    /// The admin password.
    pub password: String,
    /// Bound port.
    pub port: u16,
    agent: ureq::Agent,
}

/// An agent that returns every status as a response and never waits long.
pub fn agent(tls: Option<ureq::tls::TlsConfig>) -> ureq::Agent {
    let mut b = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT));
    if let Some(t) = tls {
        b = b.tls_config(t);
    }
    b.build().into()
}

/// The TLS config that trusts exactly the certificate a test fetched (webpki treats the
/// self-signed leaf as its own root).
pub fn trust_only(cert_der: Vec<u8>) -> ureq::tls::TlsConfig {
    let cert = ureq::tls::Certificate::from_der(&cert_der).to_owned();
    ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]))
        .build()
}

impl Sim {
    /// Start `sgsim` with `args` and wait (bounded) for its JSON line.
    pub fn start(args: &[&str]) -> Sim {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sgsim"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sgsim starts");
        let line = first_line(&mut child);
        let info: Value = serde_json::from_str(&line).expect("the first line is JSON");
        let tls = if info["scheme"] == "https" {
            let cert = fetch_leaf(info["host"].as_str().unwrap(), port_of(&info));
            Some(trust_only(cert))
        } else {
            None
        };
        Sim {
            url: info["url"].as_str().unwrap().to_string(),
            user: info["user"].as_str().unwrap().to_string(),
            password: info["password"].as_str().unwrap().to_string(),
            port: port_of(&info),
            agent: agent(tls),
            info,
            child,
        }
    }

    /// Start with plain HTTP, the password `admin-pw-1234` and the state file `state` (see
    /// [`state_file`]), so a test can read the file or restart on it.
    pub fn with_state(state: &std::path::Path) -> Sim {
        Sim::start(&[
            "--password",
            "admin-pw-1234",
            "--state",
            state.to_str().unwrap(),
        ])
    }

    /// Start with plain HTTP and a fixed password.
    pub fn plain() -> Sim {
        Sim::start(&["--password", "test-password-123"])
    }

    /// `METHOD path` (relative to the base URL) with the admin credentials.
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, text) = self.raw(method, path, Some((&self.user, &self.password)), body);
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {path}: answer is not JSON ({e}): {text}"))
        };
        (status, value)
    }

    /// `METHOD /api/v1{path}` with the admin credentials.
    pub fn api(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.call(method, &format!("/api/v1{path}"), body)
    }

    /// `METHOD /_sim{path}` with the admin credentials; panics unless it is a 200.
    pub fn control(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, v) = self.call(method, &format!("/_sim{path}"), body);
        assert_eq!(status, 200, "{method} /_sim{path}: {v}");
        v
    }

    /// Any request; the answer's status and text. Panics on a transport error.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        auth: Option<(&str, &str)>,
        body: Option<&Value>,
    ) -> (u16, String) {
        let body = body.map(|v| v.to_string().into_bytes());
        self.try_raw(&self.agent, method, path, auth, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// A request whose body is exactly `text`, with the admin credentials.
    pub fn raw_text(&self, method: &str, path: &str, text: &str) -> (u16, String) {
        let auth = Some((self.user.as_str(), self.password.as_str()));
        self.try_raw(
            &self.agent,
            method,
            path,
            auth,
            Some(text.as_bytes().to_vec()),
        )
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// Any request through `agent`; a transport error is returned.
    pub fn try_raw(
        &self,
        agent: &ureq::Agent,
        method: &str,
        path: &str,
        auth: Option<(&str, &str)>,
        body: Option<Vec<u8>>,
    ) -> Result<(u16, String), ureq::Error> {
        let mut b = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url));
        if let Some((u, p)) = auth {
            b = b.header("Authorization", basic(u, p));
        }
        let mut resp = match body {
            Some(bytes) => agent.run(
                b.header("Content-Type", "application/json")
                    .body(bytes)
                    .unwrap(),
            )?,
            None => agent.run(b.body(()).unwrap())?,
        };
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string()?;
        Ok((status, text))
    }

    /// A fresh agent for this server (no pooled connections).
    pub fn fresh_agent(&self) -> ureq::Agent {
        let tls = (self.info["scheme"] == "https")
            .then(|| trust_only(fetch_leaf(self.info["host"].as_str().unwrap(), self.port)));
        agent(tls)
    }

    /// Create a customer with a given storage, returning its answer.
    pub fn create_customer(&self, name: &str, extra: Value) -> (u16, Value) {
        let mut body = serde_json::json!({"name": name, "storage": {"allotted_bytes": 1_000_000}});
        merge(&mut body, extra);
        self.api("POST", "/customers", Some(&body))
    }

    /// Create a reseller with a given storage, returning its answer.
    pub fn create_reseller(&self, name: &str, extra: Value) -> (u16, Value) {
        let mut body =
            serde_json::json!({"name": name, "storage": {"allotted_bytes": 1_000_000_000}});
        merge(&mut body, extra);
        self.api("POST", "/resellers", Some(&body))
    }

    /// Requests counted for `key` (`"POST /customers"`).
    pub fn count(&self, key: &str) -> u64 {
        self.control("GET", "/stats", None)["routes"][key]
            .as_u64()
            .unwrap_or(0)
    }

    /// Stop the process (SIGKILL) and return what it wrote to stderr.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }

    /// Send SIGTERM and wait (bounded) for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("sgsim did not exit within 5 s of SIGTERM");
    }

    /// A raw TCP connection to the server (plain HTTP only), with bounded timeouts.
    pub fn tcp(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        s.set_write_timeout(Some(TIMEOUT)).unwrap();
        s
    }

    /// Send one raw HTTP/1.1 request on a new connection and read until the server closes it
    /// or the read times out; returns the bytes and whether the read timed out.
    pub fn raw_tcp(&self, request: &str, read_timeout: Duration) -> (Vec<u8>, bool) {
        let mut s = self.tcp();
        s.set_read_timeout(Some(read_timeout)).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            match s.read(&mut buf) {
                Ok(0) => return (out, false),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return (out, true)
                }
                Err(_) => return (out, false), // reset by peer: closed
            }
        }
    }

    /// A raw request text with the admin credentials and `Connection: close`.
    pub fn request_text(&self, method: &str, path: &str, body: Option<&Value>) -> String {
        let body = body.map(Value::to_string).unwrap_or_default();
        format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            basic(&self.user, &self.password),
            body.len()
        )
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn port_of(info: &Value) -> u16 {
    info["port"].as_u64().expect("port is a number") as u16
}

/// `state.json` in a fresh folder of the temp dir named after `tag` and this process (remove
/// the folder with `remove_dir_all(state.parent())` at the end).
pub fn state_file(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sgsim-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("state.json")
}

/// `Basic base64(user:password)`.
pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", b64(format!("{user}:{password}").as_bytes()))
}

fn b64(data: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Shallow-merge the keys of `extra` (an object) into `body`.
pub fn merge(body: &mut Value, extra: Value) {
    if let Value::Object(map) = extra {
        for (k, v) in map {
            body[k] = v;
        }
    }
}

/// Connect with rustls, accepting any certificate, and return the server's leaf certificate
/// (DER). Tests then check it against the printed fingerprint and trust exactly it.
pub fn fetch_leaf(host: &str, port: u16) -> Vec<u8> {
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use std::sync::{Arc, Mutex};

    #[derive(Debug)]
    struct Capture(Mutex<Option<Vec<u8>>>, Arc<rustls::crypto::CryptoProvider>);
    impl ServerCertVerifier for Capture {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            *self.0.lock().unwrap() = Some(end_entity.to_vec());
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            m: &[u8],
            c: &CertificateDer<'_>,
            d: &rustls::DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                m,
                c,
                d,
                &self.1.signature_verification_algorithms,
            )
        }
        fn verify_tls13_signature(
            &self,
            m: &[u8],
            c: &CertificateDer<'_>,
            d: &rustls::DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                m,
                c,
                d,
                &self.1.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            self.1.signature_verification_algorithms.supported_schemes()
        }
    }

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let capture = Arc::new(Capture(Mutex::new(None), provider.clone()));
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(capture.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_string()).unwrap();
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut sock = TcpStream::connect((host, port)).unwrap();
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    sock.set_write_timeout(Some(TIMEOUT)).unwrap();
    while conn.is_handshaking() {
        conn.complete_io(&mut sock).expect("TLS handshake");
    }
    let leaf = capture.0.lock().unwrap().take();
    leaf.expect("the server sent a certificate")
}

/// SHA-256 of `data` as lowercase hex (ring, as the module computes it).
pub fn sha256_hex(data: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
