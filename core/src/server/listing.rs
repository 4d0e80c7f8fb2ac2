//! Every account of a Backup Server, read through its paged lists (`GET /customers` and
//! `GET /resellers` with `?limit=1000&after=…`, see `docs/backup-server-api.md`): the one read
//! that UsageUpdate, ListAccounts and Usage Billing share, so 10,000 accounts cost about a dozen
//! requests instead of one per service.
//!
//! A server that lies must not make the module loop or trust what it says: pages are capped,
//! each cursor must be its page's last name and new (a cursor seen before is a loop), each item
//! must be an account of the kind asked for with a valid name, and the names must come in an
//! order that SOME case-insensitive collation gives ([`out_of_order`]): the API documents a
//! byte-wise lowercase order, but a server backed by MySQL sorts `aab` before `a_b`
//! (`utf8mb4_general_ci`), and either is consistent. Any of these failing fails the whole
//! listing, naming what was wrong: nothing is written from half a list.
//!
//! A listing is walked page by page ([`each_page`]): the caller gets each page's accounts as they
//! come and keeps only what it needs, so memory is bounded by a page, not by the server (a
//! million accounts are 1000 pages; holding them all took close to a gigabyte).
//!
//! A name listed twice in one kind (case-insensitively) is not a reason to refuse the others:
//! all its copies are left out and the name is answered in [`Repeated`], so each caller treats
//! that one account as unknown and says so. Every collation lists equal names next to each
//! other, so the walk sees a repeat as the next account ([`Held`]); only a server whose order
//! mixes the collations' punctuation rules could list one elsewhere, and a caller that indexes
//! what it uses (services, tenants, offered accounts) sees that too ([`Repeated::add`]).

use std::collections::HashSet;

use crate::server::api::{Account, Kind, Page};
use crate::server::client::{Client, ClientError};
use crate::server::limits::{LIST_MAX_ACCOUNTS, MAX_NAME, PAGE_MAX_ITEMS};
use crate::server::value_rules::is_name_char;
use crate::text::cut::cut;

/// The names the server listed more than once in their kind: kind and name as first listed.
/// Every copy was left out (which copy is true is unknown).
#[derive(Debug, Default)]
pub struct Repeated {
    names: Vec<(Kind, String)>,
    /// The names noted so far, lowercased: a server that lies may repeat every name, so noting
    /// one must not search the list.
    seen: HashSet<(Kind, String)>,
}

impl Repeated {
    /// Notes `name` of `kind` as listed more than once (once, however often it is noted).
    pub fn add(&mut self, kind: Kind, name: &str) {
        if self.seen.insert((kind, name.to_ascii_lowercase())) {
            self.names.push((kind, name.to_string()));
        }
    }

    /// The repeated names: kind and name as first noted, in the order noted.
    pub fn names(&self) -> &[(Kind, String)] {
        &self.names
    }

    /// Whether no name was repeated.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The repeated names as `customer "acme", reseller "b"` (at most 20), for a log line.
    pub fn text(&self) -> String {
        let mut shown: Vec<String> = self
            .names
            .iter()
            .take(20)
            .map(|(kind, name)| format!("{} \"{}\"", kind.noun(), shown(name)))
            .collect();
        if self.names.len() > 20 {
            shown.push(format!("and {} more", self.names.len() - 20));
        }
        shown.join(", ")
    }
}

/// Why a walk stopped: the server (its answer or the request), or the caller's own work on a
/// page.
#[derive(Debug)]
pub enum Stopped<E> {
    /// The request failed or the server's answer is not usable.
    Server(ClientError),
    /// The caller's work on a page failed.
    Caller(E),
}

/// Walks every account of `kinds` (each kind to its end, in list order) and hands `visit` each
/// page's checked accounts, repeats left out; answers the repeated names.
pub fn each_page<E>(
    client: &mut Client,
    kinds: &[Kind],
    mut visit: impl FnMut(Vec<Account>) -> Result<(), E>,
) -> Result<Repeated, Stopped<E>> {
    let mut repeated = Repeated::default();
    for kind in kinds {
        walk(
            *kind,
            LIST_MAX_ACCOUNTS,
            &mut repeated,
            |after| client.list_page(*kind, PAGE_MAX_ITEMS, after),
            &mut visit,
        )?;
    }
    Ok(repeated)
}

/// The last account a walk read, held back until the next one shows whether the server
/// repeats its name.
struct Held {
    account: Account,
    lowered: String,
    repeated: bool,
}

/// Walks the pages of one kind through `page` (a request for the page after a cursor),
/// checking each page and item, and hands `visit` each page's accounts; notes repeated names
/// in `repeated`. A list longer than `max_accounts` is refused.
pub fn walk<E>(
    kind: Kind,
    max_accounts: usize,
    repeated: &mut Repeated,
    mut page: impl FnMut(Option<&str>) -> Result<Page, ClientError>,
    mut visit: impl FnMut(Vec<Account>) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let mut after: Option<String> = None;
    let mut cursors: HashSet<String> = HashSet::new();
    let mut held: Option<Held> = None;
    let mut last: Option<String> = None;
    let mut read = 0usize;
    // Every page but the last moves the cursor to a name not followed before, so each holds an
    // account and the account cap bounds the pages too.
    let mut number = 0usize;
    loop {
        number += 1;
        let (items, next) = page(after.as_deref()).map_err(Stopped::Server)?;
        read += items.len();
        if read > max_accounts {
            return Err(lie(
                kind,
                number,
                format!("the list goes on past {max_accounts} accounts; the listing was stopped"),
            ));
        }
        if items.len() > PAGE_MAX_ITEMS {
            return Err(lie(
                kind,
                number,
                format!(
                    "it holds {} accounts, more than the {PAGE_MAX_ITEMS} asked for",
                    items.len()
                ),
            ));
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let account =
                checked(kind, item).map_err(|why| lie(kind, number, format!("item {i} {why}")))?;
            let lowered = lowered(&account.name);
            last = Some(account.name.clone());
            if let Some(previous) = held.as_mut() {
                if previous.lowered == lowered {
                    previous.repeated = true;
                    continue;
                }
                if out_of_order(&previous.account.name, &account.name) {
                    return Err(lie(
                        kind,
                        number,
                        format!(
                            "\"{}\" comes after \"{}\": no case-insensitive order puts it there, so the list may repeat or skip accounts",
                            shown(&account.name),
                            shown(&previous.account.name)
                        ),
                    ));
                }
            }
            let fresh = Held {
                account,
                lowered,
                repeated: false,
            };
            if let Some(done) = held.replace(fresh) {
                release(kind, done, &mut out, repeated);
            }
        }
        let Some(next) = next else {
            if let Some(done) = held.take() {
                release(kind, done, &mut out, repeated);
            }
            if !out.is_empty() {
                visit(out).map_err(Stopped::Caller)?;
            }
            return Ok(());
        };
        if !out.is_empty() {
            visit(out).map_err(Stopped::Caller)?;
        }
        // The cursor is the page's last name: anything else would start the next page elsewhere;
        // and a cursor already followed would read the same pages again, forever.
        if last.as_deref() != Some(next.as_str()) || !cursors.insert(lowered(&next)) {
            return Err(lie(
                kind,
                number,
                format!(
                    "its next cursor \"{}\" is not the name of its last account or was followed before, so following it could loop or skip accounts",
                    shown(&next)
                ),
            ));
        }
        after = Some(next);
    }
}

/// Hands on a held account, or notes its name as repeated.
fn release(kind: Kind, held: Held, out: &mut Vec<Account>, repeated: &mut Repeated) {
    if held.repeated {
        repeated.add(kind, &held.account.name);
    } else {
        out.push(held.account);
    }
}

/// The positions of `items` whose names (`name`) are equal case-insensitively, as the server
/// and WHMCS compare names: one group per name shared by two or more, each group in list order,
/// the groups in the order of their first member. Sorting positions costs a few bytes each, so
/// a million names need no map of names.
pub fn same_names<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<Vec<usize>> {
    let lowered = |i: &usize| name(&items[*i]).bytes().map(|b| b.to_ascii_lowercase());
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| lowered(a).cmp(lowered(b)).then(a.cmp(b)));
    let mut groups: Vec<Vec<usize>> = order
        .chunk_by(|a, b| lowered(a).eq(lowered(b)))
        .filter(|group| group.len() > 1)
        .map(<[usize]>::to_vec)
        .collect();
    groups.sort();
    groups
}

/// Whether `next` cannot follow `previous` in ANY case-insensitive collation of account names.
/// Collations agree on letters (alphabetical, case folded), on digits (numerical), that digits
/// come before letters, and that a name comes before its longer names (`acme` < `acme2`); they
/// differ on where `. _ @ -` and the space sort (MySQL's `utf8mb4_general_ci` puts `_` after the
/// letters, a byte-wise lowercase order before them, Unicode's before the digits). So only a
/// difference the collations agree on is judged; equal names are repeats, not an order question.
pub fn out_of_order(previous: &str, next: &str) -> bool {
    let (p, n) = (lowered(previous), lowered(next));
    let mut a = p.chars();
    let mut b = n.chars();
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(x), Some(y)) => {
                let rank = |c: char| match c {
                    '0'..='9' => Some(0),
                    'a'..='z' => Some(1),
                    _ => None,
                };
                return match (rank(x), rank(y)) {
                    (Some(rx), Some(ry)) if rx == ry => y < x,
                    (Some(rx), Some(ry)) => ry < rx,
                    _ => false,
                };
            }
            // `next` is a beginning of `previous`: only padding spaces (which PAD SPACE
            // collations ignore) may make that an order.
            (Some(x), None) => return !std::iter::once(x).chain(a).all(|c| c == ' '),
            (None, _) => return false,
        }
    }
}

/// What makes an item of a list (or a read) no account of the kind asked for; said after the
/// item, e.g. `item 3 is a reseller in the list of customers`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAnAccount {
    /// A member is not of its type ([`Account::odd`]).
    #[error("is not an account (its \"{0}\" is not of the type the API gives it)")]
    Odd(&'static str),
    /// It says it is of the other kind.
    #[error("is a {} in the list of {}", .said.noun(), .asked.collection())]
    OtherKind {
        /// The kind the item says.
        said: Kind,
        /// The kind asked for.
        asked: Kind,
    },
    /// Its name (shown printable and cut) is no account name.
    #[error("has the name \"{0}\", which is not a valid account name")]
    BadName(String),
}

/// One account of a page or read, checked: of `kind` (or saying none), with a valid name and
/// every member of its type.
pub fn checked(kind: Kind, mut account: Account) -> Result<Account, NotAnAccount> {
    if let Some(member) = account.odd() {
        return Err(NotAnAccount::Odd(member));
    }
    if let Some(said) = account.kind.filter(|said| *said != kind) {
        return Err(NotAnAccount::OtherKind { said, asked: kind });
    }
    let chars = account.name.chars().count();
    if chars == 0 || chars > MAX_NAME || !account.name.chars().all(is_name_char) {
        return Err(NotAnAccount::BadName(shown(&account.name)));
    }
    account.kind = Some(kind);
    Ok(account)
}

fn lie<E>(kind: Kind, page: usize, why: String) -> Stopped<E> {
    Stopped::Server(ClientError::BadAnswer(format!(
        "page {page} of the {} list is not usable: {why}",
        kind.noun()
    )))
}

fn lowered(name: &str) -> String {
    name.to_lowercase()
}

fn shown(text: &str) -> String {
    crate::text::quote::printable(&cut(text, 64, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::api::PageAnswer;
    use serde_json::{json, Value};

    /// The account cap of the tests' walks.
    const MAX: usize = 2500;

    /// What a walk handed on, page by page, and what it found repeated.
    #[derive(Default)]
    struct Listing {
        accounts: Vec<Account>,
        pages: usize,
        repeated: Repeated,
    }

    fn walk(
        kind: Kind,
        out: &mut Listing,
        page: impl FnMut(Option<&str>) -> Result<Page, ClientError>,
    ) -> Result<(), ClientError> {
        let (accounts, pages) = (&mut out.accounts, &mut out.pages);
        super::walk::<()>(kind, MAX, &mut out.repeated, page, |items| {
            *pages += 1;
            accounts.extend(items);
            Ok(())
        })
        .map_err(|stopped| match stopped {
            Stopped::Server(e) => e,
            Stopped::Caller(()) => unreachable!("the test's visit never fails"),
        })
    }

    fn pages(
        answers: Vec<(Vec<Value>, Option<&'static str>)>,
    ) -> impl FnMut(Option<&str>) -> Result<Page, ClientError> {
        let mut answers = answers.into_iter();
        move |_| {
            let (items, next) = answers.next().expect("no more pages scripted");
            let items = items
                .into_iter()
                .map(|i| serde_json::from_value(i).unwrap())
                .collect();
            Ok((items, next.map(str::to_string)))
        }
    }

    #[test]
    fn pages_are_followed_to_the_end() {
        let mut out = Listing::default();
        walk(
            Kind::Customer,
            &mut out,
            pages(vec![
                (
                    vec![json!({"name": "alpha"}), json!({"name": "Bravo"})],
                    Some("Bravo"),
                ),
                (vec![json!({"name": "charlie", "kind": "customer"})], None),
            ]),
        )
        .unwrap();
        let names: Vec<&str> = out.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["alpha", "Bravo", "charlie"]);
        assert_eq!(out.accounts[0].kind, Some(Kind::Customer));
        assert!(out.repeated.is_empty());
    }

    #[test]
    fn a_repeating_cursor_stops_the_walk() {
        let mut out = Listing::default();
        let mut calls = 0;
        let e = walk(Kind::Customer, &mut out, |_| {
            calls += 1;
            Ok((vec![], Some("a".to_string())))
        })
        .unwrap_err();
        assert_eq!(calls, 1);
        assert!(e.to_string().contains("next cursor \"a\""), "{e}");
    }

    #[test]
    fn a_cursor_that_advances_forever_is_capped() {
        let mut out = Listing::default();
        let mut n = 0u64;
        let e = walk(Kind::Reseller, &mut out, |_| {
            n += 1;
            let name = format!("r{n:08}");
            let item = Account {
                name: name.clone(),
                ..Account::default()
            };
            Ok((vec![item], Some(name)))
        })
        .unwrap_err();
        assert_eq!(n, MAX as u64 + 1, "one account per page: the cap stops it");
        assert!(e.to_string().contains("past 2500 accounts"), "{e}");
    }

    #[test]
    fn bad_items_fail_the_listing() {
        for (item, says) in [
            (json!({"name": ""}), "not a valid account name"),
            (json!({"name": "a/b"}), "not a valid account name"),
            (json!({"name": "x".repeat(65)}), "not a valid account name"),
            (
                json!({"name": "a", "kind": "reseller"}),
                "is a reseller in the list of customers",
            ),
            // An account whose usage is not of its type: refused, naming the member.
            (
                json!({"name": "a", "storage": {"used_bytes": -1}}),
                "item 0 is not an account (its \"storage\" is not",
            ),
            (
                json!({"name": "a", "storage": "lots"}),
                "item 0 is not an account (its \"storage\" is not",
            ),
            (
                json!({"name": "a", "mcal": {"used": 1.5}}),
                "item 0 is not an account (its \"mcal\" is not",
            ),
            (
                json!({"name": "a", "clients": "2"}),
                "item 0 is not an account (its \"clients\" is not",
            ),
            (
                json!({"name": "a", "created_at": 5}),
                "item 0 is not an account (its \"created_at\" is not",
            ),
        ] {
            let mut out = Listing::default();
            let e = walk(
                Kind::Customer,
                &mut out,
                pages(vec![(vec![item.clone()], None)]),
            )
            .unwrap_err();
            assert!(e.to_string().contains(says), "{item}: {e}");
            assert!(matches!(e, ClientError::BadAnswer(_)));
        }
    }

    #[test]
    fn malformed_items_are_not_accounts() {
        // Not even an account's shape: the page itself is not understood.
        for item in [
            json!({"name": 5}),
            json!("a"),
            json!({"name": "a", "kind": "server"}),
        ] {
            let page = format!(r#"{{"customers":[{item}],"next":null}}"#);
            assert!(
                crate::server::client::decode::<PageAnswer>(200, &page).is_err(),
                "{page}"
            );
        }
        let page: PageAnswer =
            crate::server::client::decode(200, r#"{"customers":[{"name":"a"}],"next":"a"}"#)
                .unwrap();
        let items = page.customers.unwrap();
        assert_eq!((items.len(), page.next.as_deref()), (1, Some("a")));
    }

    #[test]
    fn out_of_order_pages_fail() {
        let mut out = Listing::default();
        let e = walk(
            Kind::Customer,
            &mut out,
            pages(vec![
                (vec![json!({"name": "m"})], Some("m")),
                (vec![json!({"name": "c"})], None),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no case-insensitive order"), "{e}");
    }

    #[test]
    fn a_repeated_name_is_left_out_and_named_and_pages_are_handed_on_one_at_a_time() {
        // "b" ends page 1 and is repeated twice on page 2: held back until page 2 shows it.
        let mut out = Listing::default();
        walk(
            Kind::Customer,
            &mut out,
            pages(vec![
                (vec![json!({"name": "a"}), json!({"name": "b"})], Some("b")),
                (
                    vec![
                        json!({"name": "B"}),
                        json!({"name": "b"}),
                        json!({"name": "c"}),
                    ],
                    Some("c"),
                ),
                (vec![json!({"name": "d"})], None),
            ]),
        )
        .unwrap();
        let names: Vec<&str> = out.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a", "c", "d"]);
        // Page 1 hands on "a"; page 2 only ends the repeat (its "c" is held for page 3).
        assert_eq!(
            out.pages, 2,
            "each page is handed on as it comes, never all at the end"
        );
        assert_eq!(out.repeated.names(), [(Kind::Customer, "b".to_string())]);
        assert_eq!(out.repeated.text(), "customer \"b\"");
    }

    #[test]
    fn a_repeated_name_is_noted_once_whatever_its_case() {
        let mut repeated = Repeated::default();
        repeated.add(Kind::Customer, "Acme");
        repeated.add(Kind::Customer, "ACME");
        repeated.add(Kind::Reseller, "acme");
        assert_eq!(
            repeated.names(),
            [
                (Kind::Customer, "Acme".to_string()),
                (Kind::Reseller, "acme".to_string())
            ]
        );
    }

    #[test]
    fn the_callers_failure_stops_the_walk_at_that_page() {
        let mut requests = 0;
        let mut script = pages(vec![
            (vec![json!({"name": "a"}), json!({"name": "b"})], Some("b")),
            (vec![json!({"name": "c"})], None),
        ]);
        let stopped = super::walk(
            Kind::Customer,
            MAX,
            &mut Repeated::default(),
            |after| {
                requests += 1;
                script(after)
            },
            |_| Err("the database is gone"),
        )
        .unwrap_err();
        assert!(matches!(stopped, Stopped::Caller("the database is gone")));
        assert_eq!(requests, 1, "no page is read after the caller failed");
    }

    #[test]
    fn same_names_are_grouped_in_list_order() {
        let names = ["b", "A", "c", "a", "B", "a "];
        let groups = same_names(&names, |n| n);
        assert_eq!(groups, [vec![0, 4], vec![1, 3]]);
        assert!(same_names(&["x", "y"], |n| n).is_empty());
    }

    #[test]
    fn a_cursor_followed_before_is_a_loop() {
        let mut out = Listing::default();
        let e = walk(
            Kind::Customer,
            &mut out,
            pages(vec![
                (vec![json!({"name": "a"}), json!({"name": "b"})], Some("b")),
                (vec![json!({"name": "B"})], Some("B")),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("followed before"), "{e}");
    }

    #[test]
    fn any_consistent_case_insensitive_collation_is_accepted() {
        // MySQL utf8mb4_general_ci: `_` after the letters; byte-wise lowercase: before them;
        // Unicode (utf8mb4_0900_ai_ci): punctuation before digits.
        for order in [
            ["aab", "a_b", "B", "c1"],
            ["a_b", "aab", "b", "C1"],
            ["a-b", "a1", "A2", "ab"],
            ["a1", "a-b", "ab", "b"],
            ["a", "a b", "a.c", "AB"],
        ] {
            let mut out = Listing::default();
            let items = order.iter().map(|n| json!({"name": n})).collect();
            walk(Kind::Reseller, &mut out, pages(vec![(items, None)])).unwrap();
            assert_eq!(out.accounts.len(), 4, "{order:?}");
        }
        for (previous, next) in [
            ("b", "a"),
            ("a2", "a1"),
            ("ab", "a"),
            ("a", "1"),
            ("Zed", "alpha"),
        ] {
            assert!(out_of_order(previous, next), "{previous} {next}");
        }
        assert!(!out_of_order("a ", "a"));
        assert!(
            !out_of_order("a", "A"),
            "equal names are repeats, not an order question"
        );
    }

    #[test]
    fn absent_usage_is_unknown_not_zero() {
        let a: Account = serde_json::from_value(json!({"name": "a", "storage": null})).unwrap();
        assert_eq!(
            (a.used_bytes(), a.allotted_bytes(), a.mcal_used()),
            (None, None, None)
        );
        let z: Account =
            serde_json::from_value(json!({"name": "z", "storage": {"used_bytes": 0}})).unwrap();
        assert_eq!((z.used_bytes(), z.allotted_bytes()), (Some(0), None));
        assert!(a.is_active());
        let b: Account =
            serde_json::from_value(json!({"name": "b", "active": true, "effective_active": false}))
                .unwrap();
        assert!(!b.is_active());
    }
}
