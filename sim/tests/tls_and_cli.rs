//! The command line and HTTPS against the real binary: the JSON line, the random password, bad
//! arguments, clean exit on SIGTERM, the self-signed certificate and its printed fingerprint.

mod common;

use common::{fetch_leaf, sha256_hex, Sim};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_json_line_tells_how_to_connect() {
    let sim = Sim::start(&[]);
    let info = sim.info.as_object().unwrap();
    let mut keys: Vec<&str> = info.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["host", "password", "port", "scheme", "sha256", "url", "user"]
    );
    assert_eq!(info["scheme"], "http");
    assert_eq!(info["host"], "127.0.0.1");
    assert_eq!(info["user"], "admin");
    assert!(info["sha256"].is_null());
    assert_eq!(sim.url, format!("http://127.0.0.1:{}", sim.port));
    assert_ne!(sim.port, 0);
    let pw = &sim.password;
    assert_eq!(pw.len(), 20);
    assert!(pw.bytes().all(|b| b.is_ascii_alphanumeric()), "{pw}");
    assert_eq!(sim.api("GET", "/server", None).0, 200);

    let other = Sim::start(&["--user", "root", "--password", "pinned-pw"]);
    assert_ne!(other.port, sim.port);
    assert_eq!(
        (other.user.as_str(), other.password.as_str()),
        ("root", "pinned-pw")
    );
    assert_eq!(other.api("GET", "/server", None).0, 200);
    assert_ne!(Sim::start(&[]).password, sim.password, "random each time");
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for args in [vec!["--bogus"], vec!["--listen"], vec!["--user", "a:b"]] {
        let out = run_bounded(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("usage: sgsim"));
    }
    let out = run_bounded(&["--help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--cert-host"));
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = run_bounded(&["--listen", &addr]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[test]
fn sigterm_exits_cleanly() {
    let sim = Sim::plain();
    assert_eq!(sim.api("GET", "/server", None).0, 200);
    let status = sim.terminate();
    assert!(status.success(), "{status:?}");
}

#[test]
fn https_with_the_printed_fingerprint() {
    let sim = Sim::start(&["--tls", "--password", "tls-pw"]);
    assert_eq!(sim.info["scheme"], "https");
    assert!(sim.url.starts_with("https://127.0.0.1:"));
    let sha = sim.info["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(
        sha.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{sha}"
    );

    // The certificate the server presents is the one whose fingerprint it printed.
    let leaf = fetch_leaf("127.0.0.1", sim.port);
    assert_eq!(sha256_hex(&leaf), sha);

    // Trusting exactly that certificate, both 127.0.0.1 and localhost verify (SANs).
    let (status, text) = sim.raw("GET", "/api/v1/server", Some(("admin", "tls-pw")), None);
    assert_eq!(status, 200, "{text}");
    let agent = common::agent(Some(common::trust_only(leaf.clone())));
    let mut resp = agent
        .get(format!("https://localhost:{}/api/v1/server", sim.port))
        .header("Authorization", common::basic("admin", "tls-pw"))
        .call()
        .expect("localhost is in the certificate");
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.body_mut().read_to_string().unwrap().contains("sgsim"));

    // Without trusting it (the default web PKI roots) the handshake is refused.
    let default_agent = common::agent(None);
    let auth = Some(("admin", "tls-pw"));
    let err = sim
        .try_raw(&default_agent, "GET", "/api/v1/server", auth, None)
        .expect_err("a self-signed certificate is not trusted by default");
    assert!(err.to_string().to_lowercase().contains("cert"), "{err}");

    // A restart makes a new certificate.
    let again = Sim::start(&["--tls"]);
    assert_ne!(again.info["sha256"], sim.info["sha256"]);
}

#[test]
fn cert_host_is_added_to_the_certificate() {
    let sim = Sim::start(&["--tls", "--cert-host", "backup.sim.test"]);
    let leaf = fetch_leaf("127.0.0.1", sim.port);
    assert!(leaf.windows(15).any(|w| w == b"backup.sim.test"));
    assert!(leaf.windows(9).any(|w| w == b"localhost"));
    assert_eq!(sha256_hex(&leaf), sim.info["sha256"].as_str().unwrap());
    // Plain HTTP to the TLS port gets no answer that looks like our API.
    let plain = common::agent(None);
    let url = format!("http://127.0.0.1:{}/api/v1/server", sim.port);
    let r = plain.get(&url).call();
    assert!(r.is_err() || r.unwrap().status().as_u16() != 200);
}

/// Run `sgsim args` to completion within 20 s.
fn run_bounded(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sgsim"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("sgsim {args:?} did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}
