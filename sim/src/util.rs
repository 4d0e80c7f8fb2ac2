//! Small helpers: random strings (pass keys, the admin password), the clock, hex.

use ring::rand::{SecureRandom, SystemRandom};

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` characters drawn uniformly from `alphabet` by the system's secure random source.
pub fn random_string(len: usize, alphabet: &[u8]) -> String {
    let rng = SystemRandom::new();
    // Reject bytes past the largest multiple of the alphabet size so that each pick is uniform.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        rng.fill(&mut buf).expect("the system random source failed");
        for &b in buf.iter().filter(|&&b| (b as usize) < limit) {
            if out.len() == len {
                break;
            }
            out.push(alphabet[b as usize % alphabet.len()] as char);
        }
    }
    out
}

/// A new customer pass key: 16 characters `A-Z0-9`.
pub fn passkey() -> String {
    random_string(16, UPPER_DIGITS)
}

/// A new admin password: 20 characters `A-Za-z0-9`.
pub fn password() -> String {
    random_string(20, ALNUM)
}

/// Now, as RFC 3339 in UTC with whole seconds.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_strings_have_the_promised_shape() {
        let k = passkey();
        assert_eq!(k.len(), 16);
        assert!(k
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        let p = password();
        assert_eq!(p.len(), 20);
        assert!(p.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(password(), password());
    }

    #[test]
    fn clock_is_rfc3339() {
        let t = now_rfc3339();
        assert!(t.ends_with('Z') && t.len() == 20, "{t}");
        assert_eq!(hex(&[0, 255, 16]), "00ff10");
    }
}
