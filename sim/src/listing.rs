//! Paged lists (`GET /customers`, `GET /resellers`): the query (`limit`, `after`, `reseller`,
//! `reference`), the stable order (lower-cased name), and the page body, bounded both in items
//! (`PAGE_MAX_ITEMS`) and in bytes (`PAGE_MAX_BYTES`).

use crate::error::ApiError;
use crate::limits::{PAGE_MAX_BYTES, PAGE_MAX_ITEMS};
use crate::model::{owned_by, view, Kind};
use crate::store::{Accounts, Set};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Room kept at the end of a page for `],"next":"<a name of at most 64 characters>"}` (names
/// need no JSON escaping), so the whole body stays within `PAGE_MAX_BYTES`.
const TAIL_RESERVE: usize = 128;

/// What one list request asks for.
pub struct PageQuery {
    /// Customers only: keep those of this reseller (case-insensitively).
    pub reseller: Option<String>,
    /// Keep only accounts whose reference is exactly this.
    pub reference: Option<String>,
    /// At most this many items (1 … `PAGE_MAX_ITEMS`).
    pub limit: usize,
    /// Start after the account with this name (case-insensitively), the previous page's `next`.
    pub after: Option<String>,
}

impl PageQuery {
    /// Read the query string; a bad `limit` or `after` is a `400` naming it.
    pub fn parse(kind: Kind, q: &HashMap<String, String>) -> Result<PageQuery, ApiError> {
        let limit = page_limit(q)?;
        let after = q.get("after").filter(|a| !a.is_empty()).cloned();
        if let Some(a) = &after {
            crate::validate::name("after", a)?;
        }
        Ok(PageQuery {
            reseller: q
                .get("reseller")
                .filter(|_| kind == Kind::Customer)
                .cloned(),
            reference: q.get("reference").cloned(),
            limit,
            after,
        })
    }
}

/// The `limit` of a paged list's query (1 … `PAGE_MAX_ITEMS`, default `PAGE_MAX_ITEMS`), shared by
/// the account lists and a customer's machine list; anything else is a `400` naming `limit`.
pub fn page_limit(q: &HashMap<String, String>) -> Result<usize, ApiError> {
    match q.get("limit") {
        None => Ok(PAGE_MAX_ITEMS),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=PAGE_MAX_ITEMS).contains(n))
            .ok_or_else(|| {
                ApiError::validation(
                    "limit",
                    format!("must be an integer from 1 to {PAGE_MAX_ITEMS}"),
                )
            }),
    }
}

/// The listing order: names compared case-insensitively (ASCII, which is all a name may hold).
/// Unique per kind, so the order is total and a name is a stable cursor.
pub fn by_name(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The JSON body of one page: `{"<kind>s": [...], "next": "<last name>" | null}`. `next` is set
/// exactly when matching accounts remain after this page; a page ends at `limit` items or
/// before its body would pass `PAGE_MAX_BYTES`, whichever comes first (never empty while
/// accounts remain). Walks the smallest index that holds the matches (a reference's accounts, a
/// reseller's customers, or all of the kind) from the cursor on: O(log n) to the first item and
/// O(1) per item after, so walking every page of n accounts is O(n log n) in all.
pub fn page(accounts: &Accounts, kind: Kind, q: &PageQuery) -> String {
    let set = match (&q.reference, &q.reseller) {
        (Some(r), _) => Set::Reference(kind, r),
        (None, Some(r)) => Set::CustomersOf(r),
        (None, None) => Set::All(kind),
    };
    let items = accounts
        .listing(set, q.after.as_deref())
        .filter(|a| a.kind == kind)
        .filter(|a| q.reseller.as_deref().is_none_or(|r| owned_by(a, r)));
    let collection = match kind {
        Kind::Reseller => "resellers",
        Kind::Customer => "customers",
    };
    let mut body = format!("{{\"{collection}\":[");
    let mut next: Option<&str> = None;
    let mut last: Option<&str> = None;
    for (count, acc) in items.enumerate() {
        if count == q.limit {
            next = last;
            break;
        }
        let item = view(acc, accounts).to_string();
        if count > 0 && body.len() + 1 + item.len() + TAIL_RESERVE > PAGE_MAX_BYTES {
            next = last;
            break;
        }
        if count > 0 {
            body.push(',');
        }
        body.push_str(&item);
        last = Some(&acc.name);
    }
    body.push_str("],\"next\":");
    body.push_str(&serde_json::Value::from(next).to_string());
    body.push('}');
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Account;

    fn accounts(n: usize, contact_field: &str) -> Accounts {
        let all = (0..n)
            .map(|i| {
                let mut a = Account::new(
                    format!("acc-{i:05}"),
                    Kind::Customer,
                    Some("Default Reseller".into()),
                    1,
                    None,
                );
                a.contact.address = Some(contact_field.into());
                a.contact.company = Some(contact_field.into());
                a
            })
            .collect();
        Accounts::of(all).unwrap()
    }

    fn query(limit: usize, after: Option<&str>) -> PageQuery {
        PageQuery {
            reseller: None,
            reference: None,
            limit,
            after: after.map(String::from),
        }
    }

    #[test]
    fn pages_stop_at_the_byte_bound_and_the_limit() {
        // Escaped control characters are six bytes each on the wire.
        let all = accounts(400, &"\u{1}".repeat(255));
        let body = page(&all, Kind::Customer, &query(PAGE_MAX_ITEMS, None));
        assert!(body.len() <= PAGE_MAX_BYTES, "{}", body.len());
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let n = v["customers"].as_array().unwrap().len();
        assert!(n > 100 && n < 400, "{n}");
        assert_eq!(v["next"], format!("acc-{:05}", n - 1));
        // At the limit: `next` only while more follow.
        let small = accounts(3, "x");
        let v: serde_json::Value =
            serde_json::from_str(&page(&small, Kind::Customer, &query(2, None))).unwrap();
        assert_eq!(v["next"], "acc-00001");
        let v: serde_json::Value =
            serde_json::from_str(&page(&small, Kind::Customer, &query(3, None))).unwrap();
        assert!(v["next"].is_null());
        let v: serde_json::Value =
            serde_json::from_str(&page(&small, Kind::Customer, &query(2, Some("ACC-00001"))))
                .unwrap();
        assert_eq!(v["customers"][0]["name"], "acc-00002");
        assert!(v["next"].is_null());
    }

    #[test]
    fn order_ignores_case() {
        assert_eq!(by_name("alpha", "Beta"), Ordering::Less);
        assert_eq!(by_name("ALPHA", "alpha"), Ordering::Equal);
        assert_eq!(by_name("bench-10", "bench-9"), Ordering::Less);
    }
}
