//! Every account of a Backup Server, read through its paged lists (`GET /customers` and
//! `GET /resellers` with `?limit=1000&after=…`, see `docs/backup-server-api.md`): the one read
//! that UsageUpdate, ListAccounts and Usage Billing share, so 10,000 accounts cost about a dozen
//! requests instead of one per service.
//!
//! A server that lies must not make the module loop or trust what it says: pages are capped,
//! the cursor must advance, names must come in the documented order (case-insensitively
//! increasing, so no account is listed twice), and each item must be an account of the kind asked
//! for with a valid name. Any of these failing fails the whole listing, naming what was wrong:
//! nothing is written from half a list.

use serde::Deserialize;
use serde_json::Value;

use crate::api::{Contact, Kind};
use crate::client::{Client, ClientError};
use crate::limits::{MAX_NAME, PAGE_MAX_ITEMS};
use crate::value_rules::is_name_char;

/// The most pages one listing reads (1000 pages of 1000 accounts: a million accounts). A server
/// whose cursor keeps advancing past that is not believed.
pub const MAX_PAGES: usize = 1000;

/// One page of `GET /customers` or `GET /resellers` as the server answers it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageAnswer {
    /// The accounts of a customer list.
    pub customers: Option<Vec<Listed>>,
    /// The accounts of a reseller list.
    pub resellers: Option<Vec<Listed>>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<String>,
}

/// One account of a list, with its usage. Read leniently: absent or `null` members default.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Listed {
    /// The account's name (its WHMCS service username).
    pub name: String,
    /// Its kind: as the item said, else the list's (see [`checked`]).
    pub kind: Option<Kind>,
    /// The external reference, `None` when it has none.
    pub reference: Option<String>,
    /// Whether the account itself is active.
    pub active: Option<bool>,
    /// Whether it is active once its reseller is taken into account (customers).
    pub effective_active: Option<bool>,
    /// Contact details.
    pub contact: Option<Contact>,
    /// Storage allotted and used.
    pub storage: Option<StorageUse>,
    /// Licences allotted and used.
    pub mcal: Option<McalUse>,
    /// Backup clients (machines) of a customer.
    pub clients: Option<u64>,
    /// When the account was made, RFC 3339 UTC (`2026-11-29T15:02:03Z`).
    pub created_at: Option<String>,
}

/// `storage` of a listed account.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StorageUse {
    /// Bytes allotted.
    pub allotted_bytes: Option<u64>,
    /// Bytes used.
    pub used_bytes: Option<u64>,
}

/// `mcal` of a listed account.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct McalUse {
    /// Licences in use.
    pub used: Option<u64>,
}

impl Listed {
    /// Bytes used (0 when the server did not say).
    pub fn used_bytes(&self) -> u64 {
        self.storage
            .as_ref()
            .and_then(|s| s.used_bytes)
            .unwrap_or(0)
    }

    /// Bytes allotted (0 when the server did not say).
    pub fn allotted_bytes(&self) -> u64 {
        self.storage
            .as_ref()
            .and_then(|s| s.allotted_bytes)
            .unwrap_or(0)
    }

    /// Whether the account works: a customer under an inactive reseller does not.
    pub fn is_active(&self) -> bool {
        self.effective_active.or(self.active).unwrap_or(true)
    }
}

/// One page as a request answers it: its accounts and its `next` cursor.
pub type Page = (Vec<Listed>, Option<String>);

/// Every account of `kinds` on the server, in list order, each kind walked to its end.
pub fn all(client: &mut Client, kinds: &[Kind]) -> Result<Vec<Listed>, ClientError> {
    let mut out = Vec::new();
    for kind in kinds {
        walk(kind.to_owned(), &mut out, |after| {
            client.list_page(*kind, PAGE_MAX_ITEMS, after)
        })?;
    }
    Ok(out)
}

/// Walks the pages of one kind through `page` (a request for the page after a cursor), checking
/// each page and item; appends the accounts to `out`.
pub fn walk(
    kind: Kind,
    out: &mut Vec<Listed>,
    mut page: impl FnMut(Option<&str>) -> Result<Page, ClientError>,
) -> Result<(), ClientError> {
    let mut after: Option<String> = None;
    let mut last: Option<String> = None;
    for number in 1..=MAX_PAGES {
        let (items, next) = page(after.as_deref())?;
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
        for (i, item) in items.into_iter().enumerate() {
            let account =
                checked(kind, item).map_err(|why| lie(kind, number, format!("item {i} {why}")))?;
            if let Some(previous) = &last {
                if lowered(&account.name) <= lowered(previous) {
                    return Err(lie(
                        kind,
                        number,
                        format!(
                            "\"{}\" comes after \"{}\": the list is not in name order, so it may repeat or skip accounts",
                            shown(&account.name),
                            shown(previous)
                        ),
                    ));
                }
            }
            last = Some(account.name.clone());
            out.push(account);
        }
        let Some(next) = next else {
            return Ok(());
        };
        // The cursor is the page's last name: anything else would start the next page elsewhere.
        if last.as_deref() != Some(next.as_str()) || after.as_deref() == Some(next.as_str()) {
            return Err(lie(
                kind,
                number,
                format!(
                    "its next cursor \"{}\" is not the name of its last account, so following it could loop or skip accounts",
                    shown(&next)
                ),
            ));
        }
        after = Some(next);
    }
    Err(lie(
        kind,
        MAX_PAGES,
        format!("it still names a next page after {MAX_PAGES} pages; the listing was stopped"),
    ))
}

/// One account as a read answers it (`GET /{kind}s/{name}`), checked as list items are.
pub fn item_account(kind: Kind, item: Value) -> Result<Listed, String> {
    let account: Listed = serde_json::from_value(item).map_err(|e| {
        let text = e.to_string();
        let cut: String = text.chars().take(200).collect();
        format!("is not an account ({cut})")
    })?;
    checked(kind, account)
}

/// One account of a page or read, checked: of `kind` (or saying none), with a valid name; `Err`
/// says what is wrong with it.
pub fn checked(kind: Kind, mut account: Listed) -> Result<Listed, String> {
    if account.kind.is_some_and(|said| said != kind) {
        return Err(format!(
            "is a {} in the list of {}",
            account.kind.map_or("", Kind::noun),
            kind.collection()
        ));
    }
    let chars = account.name.chars().count();
    if chars == 0 || chars > MAX_NAME || !account.name.chars().all(is_name_char) {
        return Err(format!(
            "has the name \"{}\", which is not a valid account name",
            shown(&account.name)
        ));
    }
    account.kind = Some(kind);
    Ok(account)
}

fn lie(kind: Kind, page: usize, why: String) -> ClientError {
    ClientError::BadAnswer(format!(
        "page {page} of the {} list is not usable: {why}",
        kind.noun()
    ))
}

fn lowered(name: &str) -> String {
    name.to_lowercase()
}

fn shown(text: &str) -> String {
    let cut: String = text.chars().take(64).collect();
    crate::rules::printable(&cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let mut out = Vec::new();
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
        let names: Vec<&str> = out.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["alpha", "Bravo", "charlie"]);
        assert_eq!(out[0].kind, Some(Kind::Customer));
    }

    #[test]
    fn a_repeating_cursor_stops_the_walk() {
        let mut out = Vec::new();
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
        let mut out = Vec::new();
        let mut n = 0u64;
        let e = walk(Kind::Reseller, &mut out, |_| {
            n += 1;
            let name = format!("r{n:08}");
            let item = Listed {
                name: name.clone(),
                ..Listed::default()
            };
            Ok((vec![item], Some(name)))
        })
        .unwrap_err();
        assert_eq!(n, MAX_PAGES as u64);
        assert!(e.to_string().contains("after 1000 pages"), "{e}");
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
        ] {
            let mut out = Vec::new();
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
        for item in [
            json!({"name": 5}),
            json!("a"),
            json!({"name": "a", "storage": {"used_bytes": -1}}),
            json!({"name": "a", "kind": "server"}),
        ] {
            let e = item_account(Kind::Customer, item.clone()).unwrap_err();
            assert!(e.starts_with("is not an account ("), "{item}: {e}");
            let page = format!(r#"{{"customers":[{item}],"next":null}}"#);
            assert!(
                crate::client::decode::<PageAnswer>(200, &page).is_err(),
                "{page}"
            );
        }
        let page: PageAnswer =
            crate::client::decode(200, r#"{"customers":[{"name":"a"}],"next":"a"}"#).unwrap();
        let items = page.customers.unwrap();
        assert_eq!((items.len(), page.next.as_deref()), (1, Some("a")));
    }

    #[test]
    fn out_of_order_or_repeated_names_fail() {
        let mut out = Vec::new();
        let e = walk(
            Kind::Customer,
            &mut out,
            pages(vec![
                (vec![json!({"name": "b"})], Some("b")),
                (vec![json!({"name": "B"})], None),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("not in name order"), "{e}");
    }

    #[test]
    fn usage_defaults_when_absent() {
        let a: Listed = serde_json::from_value(json!({"name": "a", "storage": null})).unwrap();
        assert_eq!((a.used_bytes(), a.allotted_bytes()), (0, 0));
        assert!(a.is_active());
        let b: Listed =
            serde_json::from_value(json!({"name": "b", "active": true, "effective_active": false}))
                .unwrap();
        assert!(!b.is_active());
    }
}
