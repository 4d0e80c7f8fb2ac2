//! The derived forms of a secret searched for besides the secret itself: its base64 (and that of
//! the JSON that carried it, and of its own base64) and its hex, each as bytes.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;

use super::MIN_FORM;

/// The derived forms of `secret` at least [`MIN_FORM`] bytes long.
pub(super) fn derived(secret: &str) -> Vec<Vec<u8>> {
    let mut derived = Vec::new();
    // What is base64-encoded may be the secret, the JSON that carried it (a request
    // body), or its own base64 (an `Authorization` header inside a base64 dump).
    let escaped = serde_json::to_string(secret).unwrap_or_else(|_| "\"\"".into());
    let escaped = &escaped[1..escaped.len().max(2) - 1];
    let mut sources = vec![secret, escaped];
    let encoded = STANDARD.encode(secret);
    sources.push(&encoded);
    sources.dedup();
    for source in sources {
        derived.extend(base64_forms(source.as_bytes()));
    }
    // A hex dump of the secret (a proxy's debug output), in either case.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let hex: Vec<u8> = secret
        .bytes()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .collect();
    derived.push(hex.to_ascii_uppercase());
    derived.push(hex);
    derived
        .into_iter()
        .filter(|p| p.len() >= MIN_FORM)
        .collect()
}

/// The base64 forms of `secret` (standard and URL-safe alphabets): whole, padded and not; and
/// the fragments that appear whatever precedes it inside longer base64 text.
fn base64_forms(secret: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for engine in [&STANDARD, &URL_SAFE] {
        let whole = engine.encode(secret);
        out.push(whole.trim_end_matches('=').as_bytes().to_vec());
        out.push(whole.into_bytes());
        // Inside longer text the secret starts at byte 0, 1 or 2 of a 3-byte group: the
        // characters built from its bits alone are the same whatever surrounds it.
        for k in 0..3usize {
            let mut shifted = vec![0u8; k];
            shifted.extend_from_slice(secret);
            let encoded = engine.encode(&shifted);
            let first = (8 * k).div_ceil(6);
            let bits_end = 8 * (k + secret.len());
            if bits_end < 6 {
                continue;
            }
            let last = (bits_end - 6) / 6;
            if last + 1 >= first + MIN_FORM {
                out.push(encoded.as_bytes()[first..=last].to_vec());
            }
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rfc4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
        ];
        for (plain, b64) in vectors {
            assert_eq!(STANDARD.encode(plain), b64);
        }
        assert_eq!(URL_SAFE.encode([0xfb, 0xff]), "-_8=");
    }

    #[test]
    fn short_derived_forms_are_left_out() {
        let short = derived("ab");
        assert!(!short.contains(&b"6162".to_vec()) && !short.contains(&b"YWI=".to_vec()));
        assert!(derived("Winter").iter().all(|p| p.len() >= MIN_FORM));
        assert!(derived("Winter").contains(&b"V2ludGVy".to_vec()));
        assert!(derived("Winter").contains(&b"57696e746572".to_vec()));
    }
}
