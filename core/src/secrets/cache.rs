//! The scrubber last built in this thread, kept for the next call with the same secrets.
//!
//! Building a [`Scrubber`] (every derived form of every secret) cost more than the rest of the
//! extension's own work on a TestConnection, and a php-fpm worker calls the same server with the
//! same credentials on every request: one entry, keyed by the secret list itself (compared whole,
//! so no collision can ever hand out another set's scrubber), makes that a comparison of a few
//! strings.
//!
//! The derived forms of each secret are kept too, for the last [`KEPT_FORMS`] secrets: a service's
//! lifecycle calls bring its own password beside the server's unchanged secrets, so only the new
//! secret's forms are made.
//!
//! Keeping them is no new exposure: the secrets are in this process already (WHMCS decrypts the
//! server's password into `$params` on every call, and neither PHP nor Rust clears freed memory),
//! the entry lives in no shared memory, dies with the process or thread, is never written
//! anywhere, and is replaced, not added to, when the secrets change.

use std::cell::RefCell;
use std::rc::Rc;

use super::Scrubber;

thread_local! {
    /// The secrets of the last scrubber built in this thread, and that scrubber.
    static LAST: RefCell<Option<(Vec<String>, Rc<Scrubber>)>> = const { RefCell::new(None) };
    /// The derived forms of the secrets of the last few scrubbers built, most recent first.
    static FORMS: RefCell<Vec<(String, Forms)>> = const { RefCell::new(Vec::new()) };
}

/// One secret's derived forms, shared by the scrubbers built with it.
type Forms = Rc<Vec<Vec<u8>>>;

/// How many secrets' derived forms are kept: the few of one server (password, Basic credential,
/// pin) and of the last services called, so the lifecycle calls of one service (each with its
/// own password among the server's secrets, so each a new list for [`scrubber`]) derive only
/// what is new.
const KEPT_FORMS: usize = 16;

/// The derived forms of `secret` (`forms::derived`): kept from a recent scrubber when that had
/// this secret (compared whole), else made and kept, the least recent one let go.
pub(super) fn derived(secret: &str) -> Forms {
    FORMS.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some(at) = kept.iter().position(|(key, _)| key == secret) {
            let entry = kept.remove(at);
            let forms = Rc::clone(&entry.1);
            kept.insert(0, entry);
            return forms;
        }
        let forms = Rc::new(super::forms::derived(secret));
        kept.insert(0, (secret.to_string(), Rc::clone(&forms)));
        kept.truncate(KEPT_FORMS);
        forms
    })
}

/// A scrubber for `secrets`: the last one built in this thread when it was built from exactly
/// this list, else a new one, which then becomes the kept one.
pub(super) fn scrubber(secrets: &[String]) -> Rc<Scrubber> {
    LAST.with(|last| {
        if let Some((key, kept)) = last.borrow().as_ref() {
            if key.as_slice() == secrets {
                return Rc::clone(kept);
            }
        }
        // Built outside any borrow of the entry, so nothing here can find it borrowed.
        let built = Rc::new(Scrubber::new(secrets));
        *last.borrow_mut() = Some((secrets.to_vec(), Rc::clone(&built)));
        built
    })
}

#[cfg(test)]
mod tests {
    use super::super::{scrub, MASK};
    use super::*;

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|x| x.to_string()).collect()
    }

    /// Texts holding each secret of the tests below in several of its forms.
    fn texts() -> Vec<String> {
        let mut out = Vec::new();
        for secret in ["Winter2026!", "s3cret/pass", "admin:Winter2026!"] {
            let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, secret);
            let hex: String = secret.bytes().map(|b| format!("{b:02X}")).collect();
            let json = serde_json::to_string(secret).unwrap();
            out.push(format!("plain {secret} end"));
            out.push(format!("Authorization: Basic {b64}"));
            out.push(format!("0000: {hex}"));
            out.push(format!("{{\"p\":{json}}}"));
            out.push(format!(
                "q={}",
                secret.replace('/', "%2F").replace('!', "%21")
            ));
            out.push(format!("cut {}…", &secret[..4]));
        }
        out.push("nothing secret here".into());
        out
    }

    #[test]
    fn kept_forms_are_the_forms_and_only_the_recent_ones_are_kept() {
        let first = derived("Winter2026!");
        assert_eq!(*first, crate::secrets::forms::derived("Winter2026!"));
        assert!(
            Rc::ptr_eq(&first, &derived("Winter2026!")),
            "a kept secret is not derived again"
        );
        for n in 0..KEPT_FORMS {
            derived(&format!("other secret {n}"));
        }
        assert!(
            !Rc::ptr_eq(&first, &derived("Winter2026!")),
            "the least recent is let go"
        );
        assert_eq!(FORMS.with(|k| k.borrow().len()), KEPT_FORMS);
    }

    #[test]
    fn a_hit_masks_exactly_what_a_new_scrubber_masks() {
        let secrets = s(&["Winter2026!", "admin:Winter2026!"]);
        let first = scrubber(&secrets);
        let hit = scrubber(&secrets);
        assert!(
            Rc::ptr_eq(&first, &hit),
            "the same list must be served from the cache"
        );
        let fresh = Scrubber::new(&secrets);
        for text in texts() {
            assert_eq!(hit.scrub(&text), fresh.scrub(&text), "{text}");
            assert_eq!(scrub(&text, &secrets), fresh.scrub(&text), "{text}");
        }
        assert_eq!(
            hit.scrub("plain Winter2026! end"),
            format!("plain {MASK} end")
        );
    }

    #[test]
    fn another_secret_list_never_gets_the_kept_scrubber() {
        let a = s(&["Winter2026!"]);
        let b = s(&["s3cret/pass"]);
        let for_a = scrubber(&a);
        let for_b = scrubber(&b);
        assert!(!Rc::ptr_eq(&for_a, &for_b));
        // B's scrubber masks B's secret and leaves A's alone (it holds none of A's forms)...
        assert_eq!(for_b.scrub("s3cret/pass"), MASK);
        assert_eq!(
            for_b.scrub("Winter2026! V2ludGVyMjAyNiE="),
            "Winter2026! V2ludGVyMjAyNiE="
        );
        // ...and back on A, A's are masked and B's not.
        let again = scrubber(&a);
        assert_eq!(
            again.scrub("Winter2026! V2ludGVyMjAyNiE="),
            format!("{MASK} {MASK}")
        );
        assert_eq!(again.scrub("s3cret/pass"), "s3cret/pass");
        // A list that only starts like the kept one, or holds one more, is another list.
        let more = s(&["Winter2026!", "s3cret/pass"]);
        assert_eq!(scrubber(&more).scrub("s3cret/pass"), MASK);
        let fewer: Vec<String> = Vec::new();
        assert_eq!(scrubber(&fewer).scrub("Winter2026!"), "Winter2026!");
        for text in texts() {
            assert_eq!(
                scrubber(&b).scrub(&text),
                Scrubber::new(&b).scrub(&text),
                "{text}"
            );
        }
    }
}
