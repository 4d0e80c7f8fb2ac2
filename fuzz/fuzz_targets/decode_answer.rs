//! Fuzzes how the client reads a Backup Server answer.
//!
//! Input: two bytes giving the HTTP status (big-endian, modulo 1000), then the body (read as
//! lossy UTF-8, as ureq's `read_to_string` would never hand over invalid UTF-8 either).
//!
//! Invariants:
//! - `decode` never panics, whatever the status and body;
//! - a non-2xx status is the server's error (`ClientError::Api`) or, for a 4xx without the API's
//!   JSON error body, `NotApi` (never ambiguous); a 2xx one is the resource or `BadAnswer`;
//! - an error's message is bounded (the admin reads it, WHMCS stores it), however long the
//!   server's text;
//! - `masked` leaves no secret member (`password`/`passkey`, any case or separator) unmasked, at any depth, and keeps every
//!   other member.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sgwhmcs_core::server::api::{Account, ServerInfo};
use sgwhmcs_core::server::client::{decode, ClientError};
use sgwhmcs_core::secrets::{is_secret_member, masked};

/// The longest error message an answer may produce, in characters.
const MAX_MESSAGE_CHARS: usize = 2_000;
const MASK: &str = "********";

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]) % 1000, rest),
        _ => (200, data),
    };
    let text = String::from_utf8_lossy(body);

    check(status, decode::<Account>(status, &text));
    check(status, decode::<ServerInfo>(status, &text));
    if let Some(value) = check(status, decode::<Value>(status, &text)) {
        check_masked(&value, &masked(&value));
    }
    // Whatever the status, a body that is JSON is logged masked.
    if let Ok(value) = serde_json::from_str::<Value>(&text) {
        check_masked(&value, &masked(&value));
    }
});

fn check<T>(status: u16, result: Result<T, ClientError>) -> Option<T> {
    let ok_status = (200..300).contains(&status);
    match &result {
        Ok(_) => assert!(ok_status, "HTTP {status} decoded as a resource"),
        Err(e) => {
            match e {
                ClientError::Api { status: s, .. } => {
                    assert!(!ok_status, "HTTP {status} decoded as an error");
                    assert_eq!(*s, status);
                }
                ClientError::NotApi { status: s, .. } => {
                    assert!((400..500).contains(&status), "HTTP {status}: NotApi");
                    assert_eq!(*s, status);
                    assert!(!e.is_ambiguous());
                }
                ClientError::BadAnswer(_) => assert!(ok_status, "HTTP {status}: BadAnswer"),
                other => panic!("decode made a transport error: {other:?}"),
            }
            let message = e.to_string();
            let chars = message.chars().count();
            assert!(
                chars <= MAX_MESSAGE_CHARS,
                "error message of {chars} characters: {:?}…",
                message.chars().take(200).collect::<String>()
            );
            let _ = e.is_ambiguous();
        }
    }
    result.ok()
}

/// `masked` must hide every secret member and keep everything else as it was.
fn check_masked(original: &Value, masked: &Value) {
    match (original, masked) {
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.len(), b.len(), "masking changed the members");
            for ((ka, va), (kb, vb)) in a.iter().zip(b.iter()) {
                assert_eq!(ka, kb, "masking changed a member's name or order");
                // The plain names are secrets whatever the folding rule says.
                assert!(
                    !matches!(ka.as_str(), "password" | "passkey") || is_secret_member(ka),
                    "{ka} not treated as a secret"
                );
                if is_secret_member(ka) {
                    assert_eq!(vb, &Value::String(MASK.into()), "{ka} not masked");
                } else {
                    check_masked(va, vb);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "masking changed an array");
            for (va, vb) in a.iter().zip(b) {
                check_masked(va, vb);
            }
        }
        (a, b) => assert_eq!(a, b, "masking changed a non-secret value"),
    }
}
