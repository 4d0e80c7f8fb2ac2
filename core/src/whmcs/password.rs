//! Web console passwords the module makes itself: an account never gets an empty one, so when
//! WHMCS provides none (its MetaData opt-out, or a client added without a password) the module
//! generates one from the operating system's randomness.

use ring::rand::{SecureRandom, SystemRandom};

/// How long a generated password is.
pub const LENGTH: usize = 20;

/// The characters a generated password is drawn from: letters, digits and symbols the Backup
/// Server accepts. `& < > " '` are left out on purpose: WHMCS HTML-encodes what `localAPI`
/// stores, so the password stored back into the service would differ from the account's.
pub const ALPHABET: &[u8] =
    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*+-=?@^_~";

/// The operating system gave no random bytes, so no password could be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the operating system gave no random bytes")]
pub struct NoRandomness;

/// A new password of [`LENGTH`] characters from [`ALPHABET`], uniformly chosen, with at least
/// one lowercase letter, one uppercase letter, one digit and one symbol (password policies of
/// web consoles commonly ask for all four). `Err` when the OS has no randomness to give.
pub fn generate() -> Result<String, NoRandomness> {
    let random = SystemRandom::new();
    loop {
        let candidate = draw(&random, LENGTH)?;
        if strong(&candidate) {
            return Ok(candidate);
        }
    }
}

/// `length` characters of [`ALPHABET`], each uniformly chosen (bytes past the largest whole
/// multiple of the alphabet's size are thrown away, so no character is favoured).
fn draw(random: &dyn SecureRandom, length: usize) -> Result<String, NoRandomness> {
    let limit = 256 - 256 % ALPHABET.len();
    let mut out = String::with_capacity(length);
    let mut buffer = [0u8; 64];
    while out.len() < length {
        random.fill(&mut buffer).map_err(|_| NoRandomness)?;
        for byte in buffer {
            if usize::from(byte) < limit && out.len() < length {
                out.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// Whether `password` holds a lowercase and an uppercase letter, a digit and a symbol.
pub fn strong(password: &str) -> bool {
    let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c));
    has(char::is_ascii_lowercase)
        && has(char::is_ascii_uppercase)
        && has(char::is_ascii_digit)
        && has(|c| !c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generated_passwords_are_long_strong_and_from_the_alphabet() {
        let mut seen = HashSet::new();
        for _ in 0..200 {
            let p = generate().unwrap();
            assert_eq!(p.len(), LENGTH);
            assert!(strong(&p), "{p}");
            assert!(p.bytes().all(|b| ALPHABET.contains(&b)), "{p}");
            assert!(!p.contains(['&', '<', '>', '"', '\'', ' ', '\\']));
            seen.insert(p);
        }
        assert_eq!(seen.len(), 200, "every password differs");
    }

    #[test]
    fn strength_needs_all_four_kinds() {
        assert!(strong("aB3!"));
        assert!(!strong("ab3!"));
        assert!(!strong("AB3!"));
        assert!(!strong("aBc!"));
        assert!(!strong("aB3c"));
    }
}
