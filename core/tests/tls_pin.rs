//! The TLS agent against a real rustls server on 127.0.0.1: the pin, the CA file, the host-name
//! check, `explain`, and fingerprint parsing.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::{ServerConfig, ServerConnection, StreamOwned, SupportedProtocolVersion};
use sgwhmcs_core::server::tls::{self, Timeouts, Trust};
use sgwhmcs_core::settings::terms::Terms;

const BODY: &str = r#"{"ok":true}"#;

/// The TLS explanation of `err` as a module call words it (the pin's place in Module Settings).
fn explained(err: &ureq::Error) -> String {
    tls::explain(err)
        .expect("a TLS explanation")
        .text(&Terms::ModuleSettings.pin_place())
}

fn timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(5),
        overall: Duration::from_secs(10),
    }
}

/// A server certificate and the key the server signs its handshakes with.
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Identity {
    fn leaf(&self) -> &CertificateDer<'static> {
        &self.chain[0]
    }
}

fn pkcs8(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()))
}

fn self_signed(names: &[&str]) -> Identity {
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    let cert = params.self_signed(&key).unwrap();
    Identity {
        chain: vec![cert.der().clone()],
        key: pkcs8(&key),
    }
}

/// A test CA: its PEM, and an issuer that signs leaves.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

fn ca() -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "sgwhmcs test CA");
    let cert = params.self_signed(&key).unwrap();
    Ca {
        pem: cert.pem(),
        issuer: Issuer::new(params, key),
    }
}

fn signed_by(ca: &Ca, names: &[&str], edit: impl FnOnce(&mut CertificateParams)) -> Identity {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    edit(&mut params);
    let cert = params.signed_by(&key, &ca.issuer).unwrap();
    Identity {
        chain: vec![cert.der().clone()],
        key: pkcs8(&key),
    }
}

/// Writes `pem` to a fresh file under the target's temp dir and returns its path.
fn pem_file(name: &str, pem: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sgwhmcs-tls-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pem).unwrap();
    path
}

/// Starts a TLS server on 127.0.0.1 that answers every request on a connection with
/// `200 OK` and [`BODY`]. It presents `identity.chain` and signs with `identity.key`, whether or
/// not they belong together (to play a server that replays someone else's certificate).
/// Returns the port.
fn serve(identity: Identity, versions: &[&'static SupportedProtocolVersion]) -> u16 {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let signing_key = provider
        .key_provider
        .load_private_key(identity.key)
        .unwrap();
    let certified = CertifiedKey::new(identity.chain, signing_key);
    let config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(SingleCertAndKey::from(certified)));
    let config = Arc::new(config);

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let config = config.clone();
            thread::spawn(move || answer(stream, config));
        }
    });
    port
}

fn answer(stream: TcpStream, config: Arc<ServerConfig>) {
    // Bounded: a stuck client cannot keep this thread forever.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Ok(conn) = ServerConnection::new(config) else {
        return;
    };
    let mut tls = BufReader::new(StreamOwned::new(conn, stream));
    loop {
        // Read one request head; the client sends GETs without a body.
        let mut line = String::new();
        loop {
            line.clear();
            match tls.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {}
            }
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{BODY}",
            BODY.len()
        );
        let out = tls.get_mut();
        if out.write_all(response.as_bytes()).is_err() || out.flush().is_err() {
            return;
        }
    }
}

fn get(trust: &Trust, url: &str) -> Result<String, ureq::Error> {
    let agent = tls::agent(trust, timeouts()).expect("agent");
    let mut response = agent.get(url).call()?;
    assert_eq!(response.status(), 200);
    response.body_mut().read_to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Asserts that `text` shows neither fingerprint, in any hex spelling we might produce.
fn assert_no_fingerprint(text: &str, fingerprints: &[[u8; 32]]) {
    let lower = text.to_lowercase();
    for fp in fingerprints {
        let plain = hex(fp);
        let colons = fp
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":");
        assert!(!lower.contains(&plain), "fingerprint leaked: {text}");
        assert!(!lower.contains(&colons), "fingerprint leaked: {text}");
        // Even a prefix of the fingerprint would be a leak.
        assert!(!lower.contains(&plain[..16]), "fingerprint leaked: {text}");
    }
}

const TLS13: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13];
const TLS12: &[&SupportedProtocolVersion] = &[&rustls::version::TLS12];

#[test]
fn pinned_right_fingerprint_succeeds_over_tls13_and_tls12() {
    for versions in [TLS13, TLS12] {
        let identity = self_signed(&["backup.invalid"]);
        let pin = tls::sha256(identity.leaf());
        let port = serve(identity, versions);
        // Host name and chain are not checked with a pin: an IP literal and a name the
        // certificate does not carry both work.
        let body = get(&Trust::Pinned(pin), &format!("https://127.0.0.1:{port}/")).unwrap();
        assert_eq!(body, BODY);
    }
}

#[test]
fn pinned_agent_reuses_its_connection_for_several_requests() {
    let identity = self_signed(&["localhost"]);
    let pin = tls::sha256(identity.leaf());
    let port = serve(identity, TLS13);
    let agent = tls::agent(&Trust::Pinned(pin), timeouts()).unwrap();
    for _ in 0..3 {
        let mut response = agent
            .get(&format!("https://localhost:{port}/x"))
            .call()
            .unwrap();
        assert_eq!(response.body_mut().read_to_string().unwrap(), BODY);
    }
}

#[test]
fn pinned_wrong_fingerprint_fails_with_the_mismatch_text_and_no_fingerprint() {
    let identity = self_signed(&["127.0.0.1"]);
    let actual = tls::sha256(identity.leaf());
    let mut wrong = actual;
    wrong[31] ^= 1;
    let port = serve(identity, TLS13);

    let err = get(&Trust::Pinned(wrong), &format!("https://127.0.0.1:{port}/")).unwrap_err();
    let text = explained(&err);
    assert!(
        text.contains(
            "the server's certificate does not match the SHA-256 fingerprint pinned in the settings"
        ),
        "{text}"
    );
    assert_no_fingerprint(&text, &[actual, wrong]);
    // The raw error's text must not show them either.
    assert_no_fingerprint(&err.to_string(), &[actual, wrong]);
    assert_no_fingerprint(&format!("{err:?}"), &[actual, wrong]);
}

#[test]
fn pinned_certificate_without_its_key_fails_the_handshake_signature() {
    // A man in the middle can replay the pinned certificate but cannot sign with its key.
    for versions in [TLS13, TLS12] {
        let real = self_signed(&["127.0.0.1"]);
        let impostor = self_signed(&["127.0.0.1"]);
        let pin = tls::sha256(real.leaf());
        let port = serve(
            Identity {
                chain: real.chain,
                key: impostor.key,
            },
            versions,
        );
        let err = get(&Trust::Pinned(pin), &format!("https://127.0.0.1:{port}/")).unwrap_err();
        let text = explained(&err);
        assert!(text.contains("signature"), "{text}");
        assert!(!text.contains("does not match the SHA-256"), "{text}");
    }
}

#[test]
fn roots_reject_a_self_signed_server_and_suggest_the_pin_or_ca_file() {
    let identity = self_signed(&["127.0.0.1", "localhost"]);
    let port = serve(identity, TLS13);
    let err = get(
        &Trust::Roots { ca_file: None },
        &format!("https://127.0.0.1:{port}/"),
    )
    .unwrap_err();
    let text = explained(&err);
    assert!(text.contains("Server Certificate SHA-256"), "{text}");
    assert!(text.contains("sgwhmcs.ca_file"), "{text}");
}

#[test]
fn roots_with_the_ca_file_accept_a_leaf_the_ca_signed() {
    let ca = ca();
    let identity = signed_by(&ca, &["127.0.0.1", "localhost"], |_| {});
    let port = serve(identity, TLS13);
    let trust = Trust::Roots {
        ca_file: Some(pem_file("ca-ok.pem", &ca.pem)),
    };
    assert_eq!(
        get(&trust, &format!("https://127.0.0.1:{port}/")).unwrap(),
        BODY
    );
    // By name too (SNI is sent for a DNS name).
    assert_eq!(
        get(&trust, &format!("https://localhost:{port}/")).unwrap(),
        BODY
    );
}

#[test]
fn roots_with_the_ca_file_reject_a_leaf_for_another_host() {
    let ca = ca();
    let identity = signed_by(&ca, &["backup.example.com"], |_| {});
    let port = serve(identity, TLS13);
    let trust = Trust::Roots {
        ca_file: Some(pem_file("ca-host.pem", &ca.pem)),
    };
    let err = get(&trust, &format!("https://127.0.0.1:{port}/")).unwrap_err();
    let text = explained(&err);
    assert!(text.contains("not valid for the host name"), "{text}");
    assert!(text.contains("Server Certificate SHA-256"), "{text}");
}

#[test]
fn roots_with_the_ca_file_reject_an_expired_leaf() {
    let ca = ca();
    let identity = signed_by(&ca, &["127.0.0.1"], |params| {
        params.not_before = rcgen::date_time_ymd(2001, 1, 1);
        params.not_after = rcgen::date_time_ymd(2002, 1, 1);
    });
    let port = serve(identity, TLS13);
    let trust = Trust::Roots {
        ca_file: Some(pem_file("ca-expired.pem", &ca.pem)),
    };
    let err = get(&trust, &format!("https://127.0.0.1:{port}/")).unwrap_err();
    let text = explained(&err);
    assert!(text.contains("expired"), "{text}");
    assert!(text.contains("renew"), "{text}");
}

#[test]
fn a_ca_file_that_is_missing_or_holds_no_certificate_is_a_setup_error_naming_the_path() {
    let missing = std::env::temp_dir().join("sgwhmcs-no-such-ca-file.pem");
    let err = tls::agent(
        &Trust::Roots {
            ca_file: Some(missing.clone()),
        },
        timeouts(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );

    let empty = pem_file("empty.pem", "just some text\n");
    let err = tls::agent(
        &Trust::Roots {
            ca_file: Some(empty.clone()),
        },
        timeouts(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&empty.display().to_string()), "{text}");
    assert!(text.contains("no PEM certificate"), "{text}");
}

#[test]
fn explain_finds_a_rustls_error_wrapped_in_an_io_error() {
    // How rustls reports through `Read`/`Write`, should another transport pass it on that way.
    let io = std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
    );
    let text = explained(&ureq::Error::Io(io));
    assert!(text.contains("sgwhmcs.ca_file"), "{text}");
}

#[test]
fn explain_ignores_errors_that_are_not_tls() {
    assert_eq!(tls::explain(&ureq::Error::HostNotFound), None);
    assert_eq!(tls::explain(&ureq::Error::StatusCode(500)), None);
    let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    assert_eq!(tls::explain(&ureq::Error::Io(refused)), None);
}

#[test]
fn parse_fingerprint_accepts_colons_case_and_spaces() {
    let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(5));
    let plain = hex(&bytes);
    assert_eq!(tls::parse_fingerprint(&plain).unwrap(), bytes);
    assert_eq!(
        tls::parse_fingerprint(&plain.to_uppercase()).unwrap(),
        bytes
    );
    let colons = bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    assert_eq!(tls::parse_fingerprint(&colons).unwrap(), bytes);
    let spaced = format!("  {}\n\t{} ", &plain[..30], &plain[30..]);
    assert_eq!(tls::parse_fingerprint(&spaced).unwrap(), bytes);
}

#[test]
fn parse_fingerprint_rejects_wrong_length_and_non_hex_without_echoing() {
    let plain = hex(&[0xab; 32]);
    for bad in [
        plain[..63].to_string(),
        format!("{plain}0"),
        format!("{}zz", &plain[..62]),
        String::new(),
        "sha256:".to_string() + &plain,
    ] {
        let err = tls::parse_fingerprint(&bad).unwrap_err();
        if !bad.is_empty() {
            assert!(!err.contains(&bad), "{err}");
            assert!(!err.to_lowercase().contains("abab"), "{err}");
        }
    }
    assert!(tls::parse_fingerprint(&plain[..63])
        .unwrap_err()
        .contains("63"));
}

#[test]
fn debug_of_a_pinned_trust_hides_the_pin() {
    let pin = [0x5a; 32];
    let debug = format!("{:?}", Trust::Pinned(pin));
    assert_eq!(debug, "Pinned(..)");
    assert_no_fingerprint(&debug, &[pin]);
    let debug = format!("{:#?}", Trust::Pinned(pin));
    assert!(!debug.to_lowercase().contains("5a5a"), "{debug}");
}

#[test]
fn sha256_matches_a_known_vector() {
    assert_eq!(
        hex(&tls::sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
