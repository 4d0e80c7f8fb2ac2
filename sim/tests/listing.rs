//! Paged lists against the real binary: the stable order, the cursor across inserts and deletes,
//! `limit` validation, filters combined with paging, and the byte bound with maximum-length
//! contacts.

mod common;

use common::Sim;
use serde_json::{json, Value};

/// The names of a page's items.
fn names(page: &Value, collection: &str) -> Vec<String> {
    page[collection]
        .as_array()
        .unwrap_or_else(|| panic!("no {collection} array: {page}"))
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}

/// Every page of `path` (which already carries its query) at `limit`, following `next`.
fn all_pages(sim: &Sim, path: &str, collection: &str, limit: usize) -> Vec<Vec<String>> {
    let mut pages = vec![];
    let mut after: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut url = format!("{path}{sep}limit={limit}");
        if let Some(a) = &after {
            url.push_str(&format!("&after={}", a.replace(' ', "%20")));
        }
        let (status, v) = sim.api("GET", &url, None);
        assert_eq!(status, 200, "{url}: {v}");
        pages.push(names(&v, collection));
        match v["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => {
                assert!(v["next"].is_null(), "{v}");
                return pages;
            }
        }
        assert!(pages.len() < 1000, "paging does not end");
    }
}

#[test]
fn lists_are_ordered_by_name_case_insensitively_and_paged() {
    let sim = Sim::plain();
    for name in ["delta", "Alpha", "charlie", "Bravo", "echo"] {
        let (status, v) = sim.create_customer(name, json!({}));
        assert_eq!(status, 201, "{v}");
    }
    // Without `limit` a list is one page of at most 1000, with `next` null at the end.
    let (status, v) = sim.api("GET", "/customers", None);
    assert_eq!(status, 200);
    assert_eq!(
        names(&v, "customers"),
        [
            "Alpha",
            "Bravo",
            "charlie",
            "Default Customer",
            "delta",
            "echo",
            "Trial Customer"
        ]
    );
    assert!(v["next"].is_null(), "{v}");
    // Pages of two follow each other without gap or repeat; the cursor is the last name.
    let pages = all_pages(&sim, "/customers", "customers", 2);
    assert_eq!(
        pages,
        [
            vec!["Alpha", "Bravo"],
            vec!["charlie", "Default Customer"],
            vec!["delta", "echo"],
            vec!["Trial Customer"],
        ]
    );
    // A page that ends exactly at the last account says so.
    let (_, v) = sim.api("GET", "/customers?limit=7", None);
    assert_eq!(names(&v, "customers").len(), 7);
    assert!(v["next"].is_null(), "{v}");
    let (_, v) = sim.api("GET", "/customers?limit=6", None);
    assert_eq!(v["next"], "echo");
    // The cursor compares case-insensitively; after the last name the page is empty.
    let (_, v) = sim.api("GET", "/customers?limit=2&after=BRAVO", None);
    assert_eq!(names(&v, "customers"), ["charlie", "Default Customer"]);
    let (_, v) = sim.api("GET", "/customers?after=trial%20customer", None);
    assert_eq!(names(&v, "customers"), Vec::<String>::new());
    assert!(v["next"].is_null());
    // An empty `after` is the first page.
    let (_, v) = sim.api("GET", "/customers?limit=1&after=", None);
    assert_eq!(names(&v, "customers"), ["Alpha"]);
    // Resellers page the same way.
    for name in ["r-b", "R-A"] {
        assert_eq!(sim.create_reseller(name, json!({})).0, 201);
    }
    let pages = all_pages(&sim, "/resellers", "resellers", 1);
    assert_eq!(pages, [vec!["Default Reseller"], vec!["R-A"], vec!["r-b"]]);
}

#[test]
fn items_carry_the_full_account_with_its_usage() {
    let sim = Sim::plain();
    let (status, _) = sim.create_customer(
        "used",
        json!({"reference": "whmcs:abc:service:7", "contact": {"email": "u@acme.test"}}),
    );
    assert_eq!(status, 201);
    sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "customer", "name": "used", "used_bytes": 12345, "mcal_used": 3, "clients": 2})),
    );
    let (_, v) = sim.api("GET", "/customers?reference=whmcs:abc:service:7", None);
    let item = &v["customers"][0];
    let (_, read) = sim.api("GET", "/customers/used", None);
    assert_eq!(
        item, &read,
        "a list item is the account as a read answers it"
    );
    assert_eq!(item["storage"]["used_bytes"], 12345);
    assert_eq!(item["mcal"]["used"], 3);
    assert_eq!(item["clients"], 2);
    assert_eq!(item["effective_active"], true);
    assert_eq!(item["contact"]["email"], "u@acme.test");
    assert!(item["created_at"].is_string());
    let (_, v) = sim.api("GET", "/resellers", None);
    assert_eq!(v["resellers"][0]["customers"], 3, "{v}");
}

#[test]
fn the_cursor_survives_inserts_and_deletes_between_pages() {
    let sim = Sim::plain();
    assert_eq!(sim.create_reseller("pager", json!({})).0, 201);
    for name in ["c1", "c2", "c3", "c4", "c5", "c6"] {
        let (status, v) = sim.create_customer(name, json!({"reseller": "pager"}));
        assert_eq!(status, 201, "{v}");
    }
    let (_, first) = sim.api("GET", "/customers?reseller=pager&limit=3", None);
    assert_eq!(names(&first, "customers"), ["c1", "c2", "c3"]);
    assert_eq!(first["next"], "c3");
    // Between pages: the cursor's own account and one after it go, one lands before the cursor
    // (not seen: already passed) and one after it (seen).
    assert_eq!(sim.api("DELETE", "/customers/c3", None).0, 204);
    assert_eq!(sim.api("DELETE", "/customers/c4", None).0, 204);
    for name in ["c0", "c45"] {
        assert_eq!(
            sim.create_customer(name, json!({"reseller": "pager"})).0,
            201
        );
    }
    let (_, second) = sim.api("GET", "/customers?reseller=pager&limit=3&after=c3", None);
    assert_eq!(names(&second, "customers"), ["c45", "c5", "c6"]);
    assert!(second["next"].is_null(), "{second}");
    // Filters combine with paging: the reseller's customers only, then one reference.
    sim.api(
        "PATCH",
        "/customers/c5",
        Some(&json!({"reference": "whmcs:i:service:5"})),
    );
    let (_, v) = sim.api(
        "GET",
        "/customers?reseller=PAGER&reference=whmcs:i:service:5&limit=1",
        None,
    );
    assert_eq!(names(&v, "customers"), ["c5"]);
    assert!(v["next"].is_null());
    let (_, v) = sim.api(
        "GET",
        "/customers?reseller=Default%20Reseller&reference=whmcs:i:service:5",
        None,
    );
    assert_eq!(names(&v, "customers"), Vec::<String>::new());
}

#[test]
fn limit_and_after_are_validated() {
    let sim = Sim::plain();
    for bad in ["0", "1001", "-1", "x", "", "1.5", "99999999999999999999999"] {
        for path in ["/customers", "/resellers"] {
            let (status, v) = sim.api("GET", &format!("{path}?limit={bad}"), None);
            assert_eq!(status, 400, "{path} limit={bad:?}: {v}");
            assert_eq!(v["error"]["code"], "VALIDATION_FAILED");
            assert_eq!(v["error"]["field"], "limit");
        }
    }
    for ok in ["1", "1000"] {
        assert_eq!(
            sim.api("GET", &format!("/customers?limit={ok}"), None).0,
            200
        );
    }
    let (status, v) = sim.api("GET", "/customers?after=a%2Fb", None);
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["error"]["field"], "after");
}

#[test]
fn a_page_ends_before_768_kib_even_with_maximum_length_contacts() {
    let sim = Sim::plain();
    // 255 control characters are 1530 bytes of JSON escapes: the largest a contact field can
    // grow on the wire.
    let field = "\u{1}".repeat(255);
    let contact: serde_json::Map<String, Value> = [
        "email",
        "first_name",
        "last_name",
        "company",
        "phone",
        "address",
        "city",
        "state",
        "postcode",
        "country",
    ]
    .iter()
    .map(|k| (k.to_string(), json!(field)))
    .collect();
    let made = 60;
    for i in 0..made {
        let (status, v) = sim.create_customer(
            &format!("big-{i:02}"),
            json!({"contact": contact, "reference": "r".repeat(128)}),
        );
        assert_eq!(status, 201, "{v}");
    }
    let (status, text) = sim.raw(
        "GET",
        "/api/v1/customers",
        Some((&sim.user, &sim.password)),
        None,
    );
    assert_eq!(status, 200);
    assert!(text.len() <= 768 * 1024, "{} bytes", text.len());
    let v: Value = serde_json::from_str(&text).unwrap();
    let first = names(&v, "customers");
    assert!(
        first.len() < made + 2,
        "the byte bound ended the page early"
    );
    assert!(
        first.len() > 20,
        "but not much earlier than needed: {}",
        first.len()
    );
    assert_eq!(v["next"].as_str(), first.last().map(String::as_str));
    // Following `next` yields every account exactly once.
    let pages = all_pages(&sim, "/customers", "customers", 1000);
    assert!(pages.len() >= 2);
    let all: Vec<String> = pages.concat();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(all.len(), made + 2);
    assert_eq!(unique.len(), made + 2);
}
