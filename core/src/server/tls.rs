//! TLS for the Backup Server client: the HTTPS agent, the certificate pin, and the admin-facing
//! explanation of a failed handshake.
//!
//! Certificate verification is always on; there is no "skip verification" switch. A server is
//! trusted in one of two ways ([`Trust`]):
//!
//! * **Roots**: the bundled Mozilla roots (webpki-roots), plus any CA certificates the admin names
//!   in a PEM file, with the usual chain, expiry and host-name checks.
//! * **Pinned**: exactly the leaf certificate whose DER has the pinned SHA-256. Backup Servers
//!   often run on a self-signed certificate reached by IP address, so in this mode the host name,
//!   chain and expiry are deliberately not checked: the admin vouched for this one certificate.
//!   The handshake signatures are still verified against that certificate's key, so replaying the
//!   certificate without its private key fails.
//!
//! ureq 3 cannot take a custom certificate verifier, so [`agent`] builds a ureq agent on our own
//! connector chain (TCP, then `TlsConnector` below), which mirrors ureq's `RustlsConnector` but
//! uses a rustls `ClientConfig` built once per agent from the [`Trust`].
//!
//! Fingerprints are treated as secrets (a project rule): no error text and no `Debug` output here
//! contains a pinned or an observed fingerprint.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, OtherError,
    RootCertStore, SignatureScheme, StreamOwned,
};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::time::{Duration as UreqDuration, Instant as UreqInstant};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, TcpConnector,
    Transport, TransportAdapter,
};

/// How the server's certificate is trusted.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Trust {
    /// Bundled Mozilla roots plus the CA certificates in this optional PEM file.
    Roots {
        /// A PEM file of extra CA certificates (a private CA), read when the agent is built.
        ca_file: Option<PathBuf>,
    },
    /// Exactly the leaf certificate with this SHA-256 (DER).
    Pinned([u8; 32]),
}

// By hand, because a derived Debug would print the pin, and fingerprints are secrets here.
impl fmt::Debug for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trust::Roots { ca_file } => f.debug_struct("Roots").field("ca_file", ca_file).finish(),
            Trust::Pinned(_) => f.write_str("Pinned(..)"),
        }
    }
}

/// Timeouts of one agent.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Timeouts {
    /// Resolving, connecting and the TLS handshake together.
    pub connect: Duration,
    /// The whole call, from resolving to the last byte of the response body.
    pub overall: Duration,
}

/// Why an agent could not be built (e.g. the CA file is unreadable or holds no certificate).
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    /// The CA file could not be read.
    #[error("the CA file {} could not be read: {source}", path.display())]
    CaFileUnreadable {
        /// The configured CA file.
        path: PathBuf,
        /// Why reading failed.
        #[source]
        source: io::Error,
    },
    /// The CA file is not a regular file (a FIFO, a device such as `/dev/zero`, a folder).
    #[error("the CA file {} is not a regular file; name a PEM file of CA certificates", path.display())]
    CaFileNotRegular {
        /// The configured CA file.
        path: PathBuf,
    },
    /// The CA file is larger than [`MAX_CA_FILE`].
    #[error("the CA file {} is larger than {} KiB, too large for a PEM file of CA certificates", path.display(), MAX_CA_FILE / 1024)]
    CaFileTooLarge {
        /// The configured CA file.
        path: PathBuf,
    },
    /// The CA file is not valid PEM.
    #[error("the CA file {} is not a valid PEM file: {reason}", path.display())]
    CaFileNotPem {
        /// The configured CA file.
        path: PathBuf,
        /// What the PEM parser said.
        reason: String,
    },
    /// The CA file holds no `CERTIFICATE` block.
    #[error(
        "the CA file {} holds no PEM certificate (expected one or more \
         \"-----BEGIN CERTIFICATE-----\" blocks)",
        path.display()
    )]
    CaFileEmpty {
        /// The configured CA file.
        path: PathBuf,
    },
    /// A certificate in the CA file cannot serve as a trust anchor.
    #[error(
        "certificate number {index} in the CA file {} is not a usable CA certificate: {reason}",
        path.display()
    )]
    CaFileBadCertificate {
        /// The configured CA file.
        path: PathBuf,
        /// 1-based position of the certificate in the file.
        index: usize,
        /// What rustls said.
        reason: String,
    },
    /// rustls refused the configuration (not expected with the bundled ring provider).
    #[error("the TLS configuration could not be built: {0}")]
    Config(rustls::Error),
}

/// An agent that verifies per `trust`, with these timeouts; http_status_as_error(false) so callers
/// read 4xx/5xx bodies; max_redirects(0) (credentials never follow a redirect); no proxy from env;
/// a bounded response body is the caller's job. Keep-alive pooling as ureq does by default.
pub fn agent(trust: &Trust, timeouts: Timeouts) -> Result<ureq::Agent, TlsSetupError> {
    let tls = TlsConnector {
        config: client_config(trust)?,
    };
    let config = ureq::Agent::config_builder()
        .timeout_connect(Some(timeouts.connect))
        .timeout_global(Some(timeouts.overall))
        .http_status_as_error(false)
        .max_redirects(0)
        // ureq would otherwise pick up HTTP(S)_PROXY from the web server's environment.
        .proxy(None)
        .build();
    let connector = ().chain(TcpConnector::default()).chain(tls);
    Ok(ureq::Agent::with_parts(
        config,
        connector,
        LiteralResolver::default(),
    ))
}

/// Answers an IP literal at once and hands names to ureq's resolver. ureq's own resolver spawns a
/// thread for every lookup that has a timeout, even for `127.0.0.1`; Backup Servers are often
/// reached by address, and each WHMCS call would pay for a thread it does not need.
#[derive(Debug, Default)]
struct LiteralResolver(DefaultResolver);

impl Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.authority().and_then(|a| {
            let host = a.host().trim_start_matches('[').trim_end_matches(']');
            let ip = host.parse::<std::net::IpAddr>().ok()?;
            let port = a
                .port_u16()
                .unwrap_or(if uri.scheme_str() == Some("https") {
                    443
                } else {
                    80
                });
            Some(std::net::SocketAddr::new(ip, port))
        });
        match literal {
            Some(addr) => {
                let mut out = self.empty();
                out.push(addr);
                Ok(out)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

/// Parses an admin-entered fingerprint: 64 hex digits, colons and whitespace ignored, any case.
/// Err(String) says what is wrong WITHOUT echoing the input.
pub fn parse_fingerprint(text: &str) -> Result<[u8; 32], String> {
    let mut digits = Vec::with_capacity(64);
    for c in text.chars() {
        if c == ':' || c.is_whitespace() {
            continue;
        }
        match c.to_digit(16) {
            // to_digit(16) is < 16, so the cast is lossless.
            Some(d) => digits.push(d as u8),
            None => {
                return Err(
                    "the SHA-256 fingerprint may contain only hexadecimal digits \
                            (0-9, a-f), colons and spaces"
                        .to_string(),
                )
            }
        }
    }
    if digits.len() != 64 {
        return Err(format!(
            "a SHA-256 fingerprint has 64 hexadecimal digits, this one has {}",
            digits.len()
        ));
    }
    let mut pin = [0u8; 32];
    for (byte, pair) in pin.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (pair[0] << 4) | pair[1];
    }
    Ok(pin)
}

/// SHA-256 of DER bytes (used by tests and the simulator side).
pub fn sha256(der: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Why a TLS connection failed, kept as a kind until the message is made: its advice names where
/// a certificate pin is set, which only the caller knows (the product's setting, a WHMCS server's
/// Access Hash, or a variable of the hooks file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsRefusal {
    /// The certificate is not the pinned one.
    PinMismatch,
    /// Not issued by a trusted authority (self-signed, a private CA).
    UnknownIssuer,
    /// Expired.
    Expired,
    /// Not valid yet.
    NotValidYet,
    /// Not valid for the host name connected to.
    NotValidForName,
    /// Any other failure, in words that name no setting.
    Other(String),
}

impl TlsRefusal {
    /// The admin-facing explanation; `pin_place` says where a pin is set.
    pub fn text(&self, pin_place: &str) -> String {
        match self {
            TlsRefusal::PinMismatch => format!(
                "{PIN_MISMATCH}; if the server's certificate was replaced on purpose, \
                 pin the new certificate's fingerprint"
            ),
            TlsRefusal::UnknownIssuer => format!(
                "the server's certificate is not issued by a trusted certificate authority \
                 (it may be self-signed); if this is the right server, pin its SHA-256 fingerprint \
                 in {pin_place} or add its CA certificate with sgwhmcs.ca_file"
            ),
            TlsRefusal::Expired => format!(
                "the server's certificate has expired; renew it on the Backup Server, or pin its \
             SHA-256 fingerprint in {pin_place}; a pin does not check expiry"
            ),
            TlsRefusal::NotValidYet => format!(
                "the server's certificate is not valid yet (check the clocks of both machines); \
             pin its SHA-256 fingerprint in {pin_place} or renew it"
            ),
            TlsRefusal::NotValidForName => format!(
                "the server's certificate is not valid for the host name in the server settings; \
             use the host name written on the certificate, or pin its SHA-256 fingerprint in \
             {pin_place}"
            ),
            TlsRefusal::Other(text) => text.clone(),
        }
    }
}

/// Without the caller's words (a log line, a test): the pin's place is "the settings".
impl fmt::Display for TlsRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text("the settings"))
    }
}

/// Tells a TLS failure from a ureq error, or None if it is not a TLS problem. Distinguishes: pin
/// mismatch, unknown issuer / self-signed without a pin (pin it, or add its CA with
/// sgwhmcs.ca_file), expired / not yet valid (pinning or renewing fixes it), wrong host name (use
/// the name on the certificate or pin it).
pub fn explain(err: &ureq::Error) -> Option<TlsRefusal> {
    match err {
        ureq::Error::Rustls(e) => Some(refusal(e)),
        ureq::Error::Io(e) => rustls_error_in(e).map(refusal),
        // ureq's own TLS-level refusals, e.g. a host that is not a valid TLS server name.
        ureq::Error::Tls(what) => Some(TlsRefusal::Other(format!("TLS setup failed: {what}"))),
        ureq::Error::Pem(e) => Some(TlsRefusal::Other(format!(
            "a PEM file could not be read: {e}"
        ))),
        _ => None,
    }
}

/// The text of a pin mismatch; `explain` recognises the error by type, not by this text.
const PIN_MISMATCH: &str =
    "the server's certificate does not match the SHA-256 fingerprint pinned in the settings";

fn refusal(e: &rustls::Error) -> TlsRefusal {
    let rustls::Error::InvalidCertificate(cert) = e else {
        return TlsRefusal::Other(match e {
            rustls::Error::AlertReceived(alert) => format!(
                "the TLS handshake with the Backup Server failed: the server sent the alert {alert:?}"
            ),
            other => format!("the TLS connection to the Backup Server failed: {other}"),
        });
    };
    match cert {
        CertificateError::Other(OtherError(inner))
            if inner.downcast_ref::<PinMismatch>().is_some() =>
        {
            TlsRefusal::PinMismatch
        }
        CertificateError::UnknownIssuer => TlsRefusal::UnknownIssuer,
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => TlsRefusal::Expired,
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            TlsRefusal::NotValidYet
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            TlsRefusal::NotValidForName
        }
        CertificateError::Revoked => {
            TlsRefusal::Other("the server's certificate has been revoked".to_string())
        }
        // With a pin this is what a server sending the pinned certificate without holding its
        // private key gets: the handshake signature does not verify.
        CertificateError::BadSignature => TlsRefusal::Other(
            "a signature in the server's certificate or TLS handshake is invalid; the server \
             may not hold the private key of the certificate it presents"
                .to_string(),
        ),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            TlsRefusal::Other("the server's certificate is not meant for a TLS server".to_string())
        }
        other => TlsRefusal::Other(format!("the server's certificate was rejected: {other}")),
    }
}

/// Finds a rustls error inside an I/O error: rustls hands its errors to `Read`/`Write` callers
/// as `io::Error`s, and ureq may wrap those again in its own error inside another `io::Error`.
fn rustls_error_in(e: &io::Error) -> Option<&rustls::Error> {
    let inner = e.get_ref()?;
    if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    if let Some(io) = inner.downcast_ref::<io::Error>() {
        return rustls_error_in(io);
    }
    match inner.downcast_ref::<ureq::Error>()? {
        ureq::Error::Rustls(tls) => Some(tls),
        ureq::Error::Io(io) => rustls_error_in(io),
        _ => None,
    }
}

/// The rustls client configuration for one agent.
fn client_config(trust: &Trust) -> Result<Arc<ClientConfig>, TlsSetupError> {
    // Always ring, never a process-wide default someone else installed in the PHP process.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(TlsSetupError::Config)?;
    let config = match trust {
        Trust::Roots { ca_file } => {
            let mut roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            if let Some(path) = ca_file {
                add_ca_file(&mut roots, path)?;
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        Trust::Pinned(pin) => builder
            // "dangerous" is rustls's name for any custom verifier; PinVerifier still verifies.
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinVerifier {
                pin: *pin,
                algorithms: provider.signature_verification_algorithms,
            }))
            .with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

/// Adds every certificate of a PEM file to `roots`. A certificate rustls cannot use is an error
/// rather than skipped: the admin should learn that the file does not do what they meant.
fn add_ca_file(roots: &mut RootCertStore, path: &Path) -> Result<(), TlsSetupError> {
    let pem = read_ca_file(path)?;
    let mut added = 0;
    for item in ureq::tls::parse_pem(&pem) {
        let item = item.map_err(|e| TlsSetupError::CaFileNotPem {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        // Keys and other blocks are not trust anchors; only certificates count.
        let ureq::tls::PemItem::Certificate(cert) = item else {
            continue;
        };
        added += 1;
        roots
            .add(CertificateDer::from(cert.der().to_vec()))
            .map_err(|e| TlsSetupError::CaFileBadCertificate {
                path: path.to_path_buf(),
                index: added,
                reason: e.to_string(),
            })?;
    }
    if added == 0 {
        return Err(TlsSetupError::CaFileEmpty {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The largest CA file read: a bundle of every public root is about 200 KiB.
pub const MAX_CA_FILE: u64 = 1 << 20;

/// `O_NONBLOCK` where its value is known: opening a FIFO for reading then returns at once instead
/// of waiting for a writer (the file is refused right after, as not regular).
#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
))]
const OPEN_NONBLOCK: i32 = 0o4000;
#[cfg(not(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
)))]
const OPEN_NONBLOCK: i32 = 0;

/// Reads the CA file, bounded: only a regular file of at most [`MAX_CA_FILE`] bytes. A FIFO would
/// block the call past every timeout, and `/dev/zero` would be read until memory runs out. The
/// type is checked before opening (opening a FIFO blocks) and again on the opened file (the path
/// may have been swapped in between), and the read stops one byte past the limit.
fn read_ca_file(path: &Path) -> Result<Vec<u8>, TlsSetupError> {
    let unreadable = |source| TlsSetupError::CaFileUnreadable {
        path: path.to_path_buf(),
        source,
    };
    let not_regular = || TlsSetupError::CaFileNotRegular {
        path: path.to_path_buf(),
    };
    let too_large = || TlsSetupError::CaFileTooLarge {
        path: path.to_path_buf(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > MAX_CA_FILE {
        return Err(too_large());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(OPEN_NONBLOCK);
    }
    let file = options.open(path).map_err(unreadable)?;
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(not_regular());
    }
    let mut pem = Vec::new();
    file.take(MAX_CA_FILE + 1)
        .read_to_end(&mut pem)
        .map_err(unreadable)?;
    if pem.len() as u64 > MAX_CA_FILE {
        return Err(too_large());
    }
    Ok(pem)
}

/// The error a pin mismatch carries inside `CertificateError::Other`, so `explain` can tell it
/// apart by type. It holds neither fingerprint.
#[derive(Debug)]
struct PinMismatch;

impl fmt::Display for PinMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PIN_MISMATCH)
    }
}

impl std::error::Error for PinMismatch {}

/// Trusts exactly the leaf certificate with the pinned SHA-256 and still verifies that the
/// server holds that certificate's private key (the handshake signatures).
struct PinVerifier {
    pin: [u8; 32],
    algorithms: WebPkiSupportedAlgorithms,
}

// By hand: no pin in Debug output.
impl fmt::Debug for PinVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PinVerifier(..)")
    }
}

impl ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // Host name, chain and validity period are not checked on purpose: see the module header.
        if same_bytes(&sha256(end_entity), &self.pin) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(PinMismatch)),
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Compares without an early exit, so the time taken says nothing about the pin.
fn same_bytes(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Wraps the TCP transport in TLS for `https` URLs, like ureq's `RustlsConnector`, but with the
/// agent's own rustls configuration.
struct TlsConnector {
    config: Arc<ClientConfig>,
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TlsConnector")
    }
}

impl<In: Transport> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        // No transport means the TCP connector made no connection; nothing to wrap.
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }

        let host = details
            .uri
            .authority()
            .ok_or(ureq::Error::Tls("the URL has no host"))?
            .host();
        // An IPv6 literal comes bracketed in the URL; rustls wants the bare address.
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        // A DNS name is sent as SNI; an IP literal becomes ServerName::IpAddress (no SNI).
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| ureq::Error::Tls("the host is not a valid TLS server name"))?;

        let mut conn = ClientConnection::new(self.config.clone(), name)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        // The handshake spends what is left of the connect budget, which started at details.now.
        sock.set_timeout(remaining(details));
        conn.complete_io(&mut sock).map_err(io_to_ureq)?;

        Ok(Some(Either::B(TlsTransport {
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            stream: StreamOwned { conn, sock },
        })))
    }
}

/// The connect timeout minus the time already spent connecting.
fn remaining(details: &ConnectionDetails) -> NextTimeout {
    let mut timeout = details.timeout;
    if let (UreqInstant::Exact(now), UreqInstant::Exact(start), UreqDuration::Exact(after)) =
        ((details.current_time)(), details.now, timeout.after)
    {
        timeout.after =
            UreqDuration::Exact(after.saturating_sub(now.saturating_duration_since(start)));
    }
    timeout
}

/// Surfaces a rustls error as `ureq::Error::Rustls` rather than buried in `Error::Io`, so callers
/// (and `explain`) see it directly; anything else converts as ureq converts it.
fn io_to_ureq(e: io::Error) -> ureq::Error {
    if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) {
        if let Some(inner) = e.into_inner() {
            if let Ok(tls) = inner.downcast::<rustls::Error>() {
                return ureq::Error::Rustls(*tls);
            }
        }
        // Unreachable: the check above saw a rustls error inside.
        return ureq::Error::Tls("TLS error");
    }
    ureq::Error::from(e)
}

/// A TLS connection over the chained transport, as ureq's own `RustlsTransport`.
struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTransport")
            .field("chained", &self.stream.sock.inner())
            .finish()
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output).map_err(io_to_ureq)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input).map_err(io_to_ureq)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod ca_file_tests {
    use super::*;

    #[test]
    fn only_a_regular_file_of_bounded_size_is_read() {
        let dir = std::env::temp_dir().join(format!("sgwhmcs-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let small = dir.join("small.pem");
        std::fs::write(&small, b"pem").unwrap();
        assert_eq!(read_ca_file(&small).unwrap(), b"pem");
        let large = dir.join("large.pem");
        std::fs::write(&large, vec![b'#'; MAX_CA_FILE as usize + 1]).unwrap();
        assert!(matches!(
            read_ca_file(&large),
            Err(TlsSetupError::CaFileTooLarge { .. })
        ));
        // A FIFO without a writer: opening it for reading would block for ever.
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_ca_file(&fifo),
                Err(TlsSetupError::CaFileNotRegular { .. })
            ));
        }
        for endless in ["/dev/zero", "/dev/urandom"] {
            assert!(matches!(
                read_ca_file(Path::new(endless)),
                Err(TlsSetupError::CaFileNotRegular { .. })
            ));
        }
        assert!(matches!(
            read_ca_file(&dir),
            Err(TlsSetupError::CaFileNotRegular { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
