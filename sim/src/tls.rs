//! The self-signed certificate made at start-up (rcgen) and the rustls server configuration
//! (ring provider) that serves it, with the SHA-256 fingerprint printed for pinning.

use crate::util::hex;
use std::sync::Arc;
use tokio_rustls::rustls::crypto::ring::default_provider;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// A TLS acceptor and the fingerprint of its certificate.
pub struct Tls {
    /// Hands out TLS streams for accepted TCP connections.
    pub acceptor: TlsAcceptor,
    /// SHA-256 of the leaf certificate (DER), 64 lowercase hex digits.
    pub sha256: String,
}

/// A fresh self-signed certificate for `localhost`, `127.0.0.1`, `::1` and `extra_host`.
pub fn self_signed(extra_host: Option<&str>) -> Result<Tls, String> {
    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    if let Some(h) = extra_host {
        let h = h.trim_start_matches('[').trim_end_matches(']');
        if !names.iter().any(|n| n.eq_ignore_ascii_case(h)) {
            names.push(h.to_string());
        }
    }
    let certified = rcgen::generate_simple_self_signed(names)
        .map_err(|e| format!("cannot make a certificate: {e}"))?;
    let der = certified.cert.der().clone();
    let digest = ring::digest::digest(&ring::digest::SHA256, &der);
    let key = PrivateKeyDer::from(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let mut config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![der], key)
        .map_err(|e| format!("TLS set-up failed: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        sha256: hex(digest.as_ref()),
    })
}
