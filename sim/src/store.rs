//! The accounts the simulator holds, with the indexes that keep every request's cost flat as the
//! server fills (`docs/backup-server-api.md` § Lookups and lists): an account by kind and
//! case-insensitive name, the accounts carrying a reference, a reseller's customers and what they
//! hold, each in the listing order (lower-cased name), so a page starts where its cursor points
//! instead of filtering and sorting every account. Every change goes through [`Accounts`], which
//! keeps the indexes in step.

use crate::model::{Account, Kind, Neighbours};
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::Arc;

/// An account's place in the store. Ids grow with each account added and are never reused, so
/// their order is the creation order (what the `--state` file keeps).
pub type Id = u64;

/// A lower-cased name (names are ASCII), shared by the indexes of one account.
type Key = Arc<str>;

/// Accounts in the listing order: lower-cased name → id.
type Ordered = BTreeMap<Key, Id>;

/// The few accounts that carry one reference, sorted by lower-cased name: a vector, as most
/// references are carried by one account (a map per reference would cost a node each).
type Carriers = Vec<(Key, Id)>;

/// What a reseller's customers hold, kept as they change (the allotment checks read it instead
/// of summing the customers).
#[derive(Default)]
pub struct Holding {
    /// The customers, in the listing order.
    customers: Ordered,
    /// The sum of their `storage.allotted_bytes`.
    pub storage: u128,
    /// The sum of `mcal.allotted` of those with fixed (not auto) MCALs.
    pub fixed_mcal: u128,
}

impl Holding {
    /// How many customers the reseller has.
    pub fn count(&self) -> usize {
        self.customers.len()
    }
}

/// What an account contributes to the indexes; compared before and after a change so that only
/// a change of one of these costs a re-index.
#[derive(PartialEq)]
struct Shape {
    kind: Kind,
    name: String,
    reference: Option<String>,
    /// Customers only: the lower-cased reseller name.
    reseller: Option<String>,
    storage: u128,
    fixed_mcal: u128,
}

impl Shape {
    fn of(a: &Account) -> Shape {
        let customer = a.kind == Kind::Customer;
        Shape {
            kind: a.kind,
            name: a.name.to_ascii_lowercase(),
            reference: a.reference.clone(),
            reseller: a
                .reseller
                .as_deref()
                .filter(|_| customer)
                .map(str::to_ascii_lowercase),
            storage: a.storage.allotted_bytes as u128,
            fixed_mcal: if a.mcal.auto {
                0
            } else {
                a.mcal.allotted.unwrap_or(0) as u128
            },
        }
    }
}

/// Which accounts a listing walks, each set in the listing order.
pub enum Set<'q> {
    /// Every account of a kind.
    All(Kind),
    /// The accounts of a kind carrying exactly this reference.
    Reference(Kind, &'q str),
    /// The customers of the reseller of this name (case-insensitively).
    CustomersOf(&'q str),
}

/// The accounts, and their indexes.
#[derive(Default)]
pub struct Accounts {
    /// Every account by id (so in creation order).
    all: BTreeMap<Id, Account>,
    /// The id the next account gets.
    next: Id,
    /// Per kind ([`slot`]): every account, in the listing order.
    names: [Ordered; 2],
    /// Per kind: every account again, hashed: a lookup by name (every request makes one) costs a
    /// probe, not a walk down the ordered map with a string compared at each step.
    exact: [HashMap<Key, Id>; 2],
    /// Per kind: reference → the accounts carrying it.
    references: [HashMap<String, Carriers>; 2],
    /// Lower-cased reseller name → its customers.
    holdings: HashMap<String, Holding>,
}

/// The index of `kind` in the per-kind arrays.
fn slot(kind: Kind) -> usize {
    match kind {
        Kind::Reseller => 0,
        Kind::Customer => 1,
    }
}

/// The entries of `set` whose key sorts after `after` (case-insensitively), in order.
fn after<'a>(set: &'a Ordered, after: Option<&str>) -> impl Iterator<Item = Id> + 'a {
    let start = match after {
        Some(a) => Bound::Excluded(a.to_ascii_lowercase()),
        None => Bound::Unbounded,
    };
    set.range::<str, _>((start.as_ref().map(String::as_str), Bound::Unbounded))
        .map(|(_, id)| *id)
}

/// The carriers whose key sorts after `after` (case-insensitively), in order.
fn carriers_after<'a>(set: &'a Carriers, after: Option<&str>) -> impl Iterator<Item = Id> + 'a {
    let from = after.map_or(0, |a| {
        let a = a.to_ascii_lowercase();
        set.partition_point(|(key, _)| **key <= *a)
    });
    set[from..].iter().map(|(_, id)| *id)
}

impl Accounts {
    /// The store of `accounts`, in that (creation) order; two accounts of one kind and name
    /// (case-insensitively) are refused, naming the second.
    pub fn of(accounts: Vec<Account>) -> Result<Accounts, String> {
        let mut store = Accounts::default();
        for a in accounts {
            if store.find(a.kind, &a.name).is_some() {
                return Err(format!("two {}s are named {:?}", a.kind.as_str(), a.name));
            }
            store.insert(a);
        }
        Ok(store)
    }

    /// Every account, in creation order.
    pub fn iter(&self) -> impl Iterator<Item = &Account> {
        self.all.values()
    }

    /// The account of `kind` named `name` (case-insensitively).
    pub fn find(&self, kind: Kind, name: &str) -> Option<Id> {
        self.exact[slot(kind)]
            .get(name.to_ascii_lowercase().as_str())
            .copied()
    }

    /// Adds `account`, whose name the caller checked is free ([`Accounts::find`]).
    pub fn insert(&mut self, account: Account) -> Id {
        let id = self.next;
        self.next += 1;
        self.index(id, Shape::of(&account));
        self.all.insert(id, account);
        id
    }

    /// Removes account `id`.
    pub fn remove(&mut self, id: Id) -> Option<Account> {
        let account = self.all.remove(&id)?;
        self.unindex(&Shape::of(&account));
        Some(account)
    }

    /// Changes account `id` with `change`; the indexes follow what changed.
    ///
    /// # Panics
    /// When there is no account `id` (ids come from [`Accounts::find`] under the same lock).
    pub fn update<R>(&mut self, id: Id, change: impl FnOnce(&mut Account) -> R) -> R {
        let account = self.all.get_mut(&id).expect("an id from this store");
        let before = Shape::of(account);
        let result = change(account);
        let after = Shape::of(account);
        if before != after {
            self.unindex(&before);
            self.index(id, after);
        }
        result
    }

    /// The customers of the reseller named `reseller` (case-insensitively), and what they hold;
    /// `None` when it has none.
    pub fn holding(&self, reseller: &str) -> Option<&Holding> {
        self.holdings.get(&reseller.to_ascii_lowercase())
    }

    /// The customers of the reseller named `reseller` (case-insensitively), in the listing order.
    pub fn customers_of<'a>(
        &'a self,
        reseller: &str,
    ) -> impl Iterator<Item = (Id, &'a Account)> + 'a {
        self.holding(reseller)
            .into_iter()
            .flat_map(|h| h.customers.values())
            .map(|id| (*id, &self.all[id]))
    }

    /// The accounts of `set` whose name sorts after `cursor` (case-insensitively), in the
    /// listing order: O(log n) to the first, O(1) (amortised) each next.
    pub fn listing<'a>(
        &'a self,
        set: Set<'_>,
        cursor: Option<&str>,
    ) -> Box<dyn Iterator<Item = &'a Account> + 'a> {
        let ids: Box<dyn Iterator<Item = Id> + 'a> = match set {
            Set::All(kind) => Box::new(after(&self.names[slot(kind)], cursor)),
            Set::Reference(kind, r) => match self.references[slot(kind)].get(r) {
                Some(carriers) => Box::new(carriers_after(carriers, cursor)),
                None => Box::new(std::iter::empty()),
            },
            Set::CustomersOf(r) => match self.holding(r) {
                Some(h) => Box::new(after(&h.customers, cursor)),
                None => Box::new(std::iter::empty()),
            },
        };
        Box::new(ids.map(|id| &self.all[&id]))
    }

    fn index(&mut self, id: Id, s: Shape) {
        let key: Key = Arc::from(s.name);
        let k = slot(s.kind);
        self.names[k].insert(key.clone(), id);
        self.exact[k].insert(key.clone(), id);
        if let Some(r) = s.reference {
            let carriers = self.references[k].entry(r).or_default();
            let at = carriers.partition_point(|(other, _)| *other < key);
            carriers.insert(at, (key.clone(), id));
        }
        if let Some(r) = s.reseller {
            let h = self.holdings.entry(r).or_default();
            h.customers.insert(key, id);
            h.storage += s.storage;
            h.fixed_mcal += s.fixed_mcal;
        }
    }

    fn unindex(&mut self, s: &Shape) {
        let k = slot(s.kind);
        self.names[k].remove(s.name.as_str());
        self.exact[k].remove(s.name.as_str());
        if let Some(r) = &s.reference {
            if let Some(set) = self.references[k].get_mut(r) {
                set.retain(|(key, _)| **key != *s.name);
                if set.is_empty() {
                    self.references[k].remove(r);
                }
            }
        }
        if let Some(r) = &s.reseller {
            if let Some(h) = self.holdings.get_mut(r) {
                h.customers.remove(s.name.as_str());
                h.storage -= s.storage;
                h.fixed_mcal -= s.fixed_mcal;
                if h.customers.is_empty() {
                    self.holdings.remove(r);
                }
            }
        }
    }
}

impl std::ops::Index<Id> for Accounts {
    type Output = Account;

    fn index(&self, id: Id) -> &Account {
        &self.all[&id]
    }
}

impl Neighbours for Accounts {
    fn reseller_active(&self, reseller: &str) -> Option<bool> {
        self.find(Kind::Reseller, reseller)
            .map(|id| self.all[&id].active)
    }

    fn customer_count(&self, reseller: &str) -> usize {
        self.holding(reseller).map_or(0, Holding::count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(name: &str, reseller: &str, bytes: u64, reference: Option<&str>) -> Account {
        let mut a = Account::new(
            name.into(),
            Kind::Customer,
            Some(reseller.into()),
            bytes,
            None,
        );
        a.reference = reference.map(String::from);
        a
    }

    fn names<'a>(it: impl Iterator<Item = &'a Account>) -> Vec<String> {
        it.map(|a| a.name.clone()).collect()
    }

    /// Every index follows inserts, changes of reference, reseller and allotments, and removals.
    #[test]
    fn indexes_follow_every_change() {
        let mut s = Accounts::default();
        let r = s.insert(Account::new("R1".into(), Kind::Reseller, None, 100, None));
        let a = s.insert(customer("b-cust", "r1", 10, Some("ref:1")));
        let b = s.insert(customer("A-cust", "R1", 20, Some("ref:1")));
        assert_eq!(s.find(Kind::Customer, "B-CUST"), Some(a));
        assert_eq!(s.find(Kind::Reseller, "b-cust"), None);
        assert_eq!(s.find(Kind::Reseller, "r1"), Some(r));
        let list = |s: &Accounts, set| names(s.listing(set, None));
        assert_eq!(
            list(&s, Set::Reference(Kind::Customer, "ref:1")),
            ["A-cust", "b-cust"]
        );
        assert_eq!(list(&s, Set::Reference(Kind::Reseller, "ref:1")), [""; 0]);
        assert_eq!(
            names(s.listing(Set::CustomersOf("R1"), Some("a-CUST"))),
            ["b-cust"]
        );
        assert_eq!(
            names(s.listing(Set::Reference(Kind::Customer, "ref:1"), Some("A-CUST"))),
            ["b-cust"]
        );
        assert_eq!(
            s.holding("r1").map(|h| (h.count(), h.storage)),
            Some((2, 30))
        );
        s.update(a, |c| {
            c.reference = None;
            c.reseller = Some("Other".into());
            c.storage.allotted_bytes = 5;
            c.mcal.auto = false;
            c.mcal.allotted = Some(3);
        });
        assert_eq!(
            list(&s, Set::Reference(Kind::Customer, "ref:1")),
            ["A-cust"]
        );
        assert_eq!(
            s.holding("R1").map(|h| (h.count(), h.storage)),
            Some((1, 20))
        );
        let other = s.holding("other").unwrap();
        assert_eq!((other.count(), other.storage, other.fixed_mcal), (1, 5, 3));
        assert_eq!(s.customer_count("r1"), 1);
        assert_eq!(s.reseller_active("R1"), Some(true));
        s.remove(b);
        assert!(s.holding("r1").is_none());
        assert!(s.references[1].is_empty());
        assert_eq!(names(s.iter()), ["R1", "b-cust"]);
        let twice = Accounts::of(vec![
            customer("x", "r", 1, None),
            customer("X", "r", 1, None),
        ]);
        assert_eq!(twice.err().unwrap(), "two customers are named \"X\"");
    }

    /// After a long run of random inserts, changes and removals, every index answers what a scan
    /// of all accounts answers: the name lookups, each listing from each cursor, each reseller's
    /// count and sums.
    #[test]
    fn indexes_agree_with_a_scan() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut rand = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut s = Accounts::default();
        let resellers = ["R0", "r1", "R2"];
        for r in resellers {
            s.insert(Account::new(r.into(), Kind::Reseller, None, 1 << 40, None));
        }
        for _ in 0..3000 {
            let name = format!("C{}", rand(400));
            let found = s.find(Kind::Customer, &name);
            match (rand(4), found) {
                (0, Some(id)) => {
                    s.remove(id);
                }
                (_, Some(id)) => {
                    let (r, refs, bytes, fixed) = (rand(3), rand(5), rand(100), rand(3));
                    s.update(id, |a| {
                        a.reseller = Some(resellers[r as usize].to_lowercase());
                        a.reference = (refs > 0).then(|| format!("ref:{refs}"));
                        a.storage.allotted_bytes = bytes;
                        a.mcal.auto = fixed == 0;
                        a.mcal.allotted = Some(fixed);
                    });
                }
                (_, None) => {
                    let r = resellers[rand(3) as usize];
                    let reference = format!("ref:{}", rand(5));
                    s.insert(customer(
                        &name.to_lowercase(),
                        r,
                        rand(100),
                        Some(&reference),
                    ));
                }
            }
        }
        let scan: Vec<&Account> = s.iter().collect();
        let mut sorted = scan.clone();
        sorted.sort_by_key(|a| a.name.to_ascii_lowercase());
        let expected = |keep: &dyn Fn(&Account) -> bool, after: Option<&str>| -> Vec<String> {
            sorted
                .iter()
                .filter(|a| keep(a))
                .filter(|a| after.is_none_or(|c| a.name.to_ascii_lowercase() > c.to_lowercase()))
                .map(|a| a.name.clone())
                .collect()
        };
        for cursor in [None, Some("C1"), Some("c250"), Some("C399"), Some("zz")] {
            let customers = |a: &Account| a.kind == Kind::Customer;
            assert_eq!(
                names(s.listing(Set::All(Kind::Customer), cursor)),
                expected(&customers, cursor)
            );
            for r in 0..5 {
                let reference = format!("ref:{r}");
                let carries =
                    |a: &Account| customers(a) && a.reference.as_deref() == Some(&reference);
                assert_eq!(
                    names(s.listing(Set::Reference(Kind::Customer, &reference), cursor)),
                    expected(&carries, cursor)
                );
            }
            for r in resellers {
                let owned = |a: &Account| {
                    customers(a)
                        && a.reseller
                            .as_deref()
                            .is_some_and(|o| o.eq_ignore_ascii_case(r))
                };
                assert_eq!(
                    names(s.listing(Set::CustomersOf(&r.to_uppercase()), cursor)),
                    expected(&owned, cursor)
                );
                let mine: Vec<&&Account> = scan.iter().filter(|a| owned(a)).collect();
                let storage: u128 = mine.iter().map(|a| a.storage.allotted_bytes as u128).sum();
                let fixed: u128 = mine
                    .iter()
                    .filter(|a| !a.mcal.auto)
                    .map(|a| a.mcal.allotted.unwrap_or(0) as u128)
                    .sum();
                let h = s.holding(r);
                assert_eq!(
                    h.map_or((0, 0, 0), |h| (h.count(), h.storage, h.fixed_mcal)),
                    (mine.len(), storage, fixed)
                );
                assert_eq!(s.customer_count(r), mine.len());
            }
        }
        for a in &scan {
            assert!(s.find(a.kind, &a.name.to_uppercase()).is_some());
        }
    }
}
