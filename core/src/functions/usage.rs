//! Disk usage into WHMCS: `<name>_UsageUpdate` (WHMCS's daily call, once per server of the
//! module, server params only) and the module's `DailyCronJob` hook (the services of products
//! that carry their own connection fields, which no WHMCS server stands for).
//!
//! Both read the server's accounts through the paged lists (`crate::server::listing`: about a dozen
//! requests for 10,000 accounts, never one per service) and write `tblhosting.diskusage`,
//! `disklimit` (MB) and `lastupdate` in batched queries, [`BATCH`] services per query.
//!
//! A service gets the usage of the account named by its username (case-insensitively, as the
//! server compares names) of the kind its product creates: a reseller service reads resellers
//! only, and only when the account is the service's by the one ownership rule (its reference is
//! this service's, `crate::whmcs::reference`). An account whose reference names another WHMCS install,
//! or another service or client of this one, is never written onto the service (two installs
//! sharing a server must not bill each other's accounts), nor one without a reference until an
//! admin adopts it with Link Existing Account. An account that does not say its used and allotted bytes is unknown,
//! not 0: nothing is written for its service (its `diskusage`, `disklimit` and `lastupdate` keep
//! their values), and the Activity Log names it. A name the server lists twice is treated the
//! same way (which copy is true is unknown).
//!
//! Only services WHMCS still bills are updated: `Active` and `Suspended` (as WHMCS's bundled
//! modules do). Pending, Terminated, Cancelled, Fraud and Completed services are neither matched
//! with the server's accounts nor named in the Activity Log (a terminated service has no account,
//! which is no news worth a daily line). `lastupdate` is WHMCS's local time
//! ([`crate::whmcs::host::whmcs_now`]), as WHMCS stores and shows it.
//!
//! The `DailyCronJob` pass runs only while Automation Settings › "Update Usage Statistics"
//! (`tblconfiguration` `UpdateStatsAuto`) is on, the setting WHMCS's own daily task checks before
//! it calls UsageUpdate ([`stats_auto`]).
//!
//! The `DailyCronJob` groups products by their whole connection (host, port, user, password and
//! pinned certificate), so a product with a stale password or pin fails alone: the other groups
//! are still written, and the Activity Log names the failing group's products.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::functions::failure::Failure;
use crate::functions::provision::{explain_stop, with_client};
use crate::secrets::Secrets;
use crate::server::api::reference::Reference;
use crate::server::api::Account;
use crate::server::api::Kind;
use crate::server::endpoint::Endpoint;
use crate::server::listing::{self, Repeated};
use crate::settings::call_plan::{Connection, ServerUsage};
use crate::settings::whmcs_tables::{products, Product};
use crate::whmcs::host::{Host, SetTo};
use crate::whmcs::params::scalar_text;

/// Services written per query: a `CASE` of 1000 ids is about 25 KB of SQL, far below MySQL's
/// `max_allowed_packet`, and 10,000 services take 10 queries.
pub const BATCH: usize = 1000;

/// One MB as WHMCS counts disk space (MiB, as the control panels WHMCS reads do).
pub const MB: u64 = 1 << 20;

/// The largest MB value written: `tblhosting.diskusage` and `disklimit` are signed 32-bit
/// integers in WHMCS's schema, so a larger allotment is written as this (2 PiB and more).
pub const MAX_MB: u64 = i32::MAX as u64;

/// A WHMCS service of this module, as usage needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// `tblhosting.id`.
    pub id: i64,
    /// `tblhosting.username`: the account's name.
    pub username: String,
    /// The kind of account its product creates.
    pub kind: Kind,
}

/// The services a run writes, held compactly: a million services take about 40 MB, as WHMCS's
/// services are read in pages of [`SERVICES_PAGE`] and never held as rows. Each is found by its
/// kind and username (case-insensitively, as the server compares names) and carries what the
/// listing said of its account ([`Mark`]).
#[derive(Debug, Default)]
pub struct Services {
    ids: Vec<i64>,
    /// Each service's key ([`key`]), one after another.
    keys: Vec<u8>,
    /// Where each service's key ends in `keys`.
    ends: Vec<u32>,
    /// The services' positions in key order, for lookups.
    order: Vec<u32>,
    marks: Vec<Mark>,
    kinds: [bool; 2],
}

/// What the listing said of a service's account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Not listed (yet).
    Missing,
    /// Its account, with its used and allotted MB.
    Usage(u32, u32),
    /// Listed, but not the service's (another install's, service's or client's, or unadopted).
    Foreign,
    /// Listed without its used or allotted bytes.
    Unknown,
    /// Its name was listed more than once.
    Repeated,
}

impl Services {
    /// Adds a service; [`Services::seal`] before looking services up.
    pub fn push(&mut self, service: &Service) {
        self.ids.push(service.id);
        self.keys.extend(key(service.kind, &service.username));
        self.ends
            .push(u32::try_from(self.keys.len()).unwrap_or(u32::MAX));
        self.marks.push(Mark::Missing);
        self.kinds[kind_slot(service.kind)] = true;
    }

    /// Orders the keys for lookups (after the last `push`) and gives back spare capacity.
    pub fn seal(&mut self) {
        let mut order: Vec<u32> = (0..self.ids.len() as u32).collect();
        order.sort_unstable_by(|a, b| self.key(*a as usize).cmp(self.key(*b as usize)));
        self.order = order;
        self.ids.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.marks.shrink_to_fit();
    }

    /// Whether there is no service.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The kinds the services need listed (customers first, as most services are).
    pub fn kinds(&self) -> Vec<Kind> {
        [Kind::Customer, Kind::Reseller]
            .into_iter()
            .filter(|k| self.kinds[kind_slot(*k)])
            .collect()
    }

    fn key(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.keys[start..self.ends[i] as usize]
    }

    /// The position of the service whose account is `name` of `kind`.
    fn find(&self, kind: Kind, name: &str) -> Option<usize> {
        self.order
            .binary_search_by(|i| self.key(*i as usize).iter().copied().cmp(key(kind, name)))
            .ok()
            .map(|at| self.order[at] as usize)
    }

    /// Notes what the listing says of `account`: its service's usage, or why it is not
    /// written. A second account for one service is a repeated name.
    pub fn see(&mut self, account: &Account, install: &str) {
        let Some(kind) = account.kind else { return };
        let Some(i) = self.find(kind, &account.name) else {
            return;
        };
        self.marks[i] = match self.marks[i] {
            Mark::Missing if !belongs(account.reference.as_deref(), install, self.ids[i]) => {
                Mark::Foreign
            }
            Mark::Missing => match (account.used_bytes(), account.allotted_bytes()) {
                (Some(used), Some(allotted)) => Mark::Usage(small_mb(used), small_mb(allotted)),
                _ => Mark::Unknown,
            },
            _ => Mark::Repeated,
        };
    }

    /// Marks the services of the names the server listed more than once.
    pub fn repeated(&mut self, repeated: &Repeated) {
        for (kind, name) in repeated.names() {
            if let Some(i) = self.find(*kind, name) {
                self.marks[i] = Mark::Repeated;
            }
        }
    }

    /// The rows to write, in id order.
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        self.ids
            .iter()
            .zip(&self.marks)
            .filter_map(|(id, mark)| match mark {
                Mark::Usage(used, limit) => Some(Row {
                    id: *id,
                    used_mb: u64::from(*used),
                    limit_mb: u64::from(*limit),
                }),
                _ => None,
            })
    }

    /// What the run found, for the Activity Log.
    pub fn outcome(&self) -> Outcome {
        let mut outcome = Outcome::default();
        for (id, mark) in self.ids.iter().zip(&self.marks) {
            match mark {
                Mark::Usage(..) => outcome.written += 1,
                Mark::Missing => outcome.missing.push(*id),
                Mark::Foreign => outcome.foreign.push(*id),
                Mark::Unknown => outcome.unknown.push(*id),
                Mark::Repeated => outcome.repeated.push(*id),
            }
        }
        outcome
    }
}

/// A service's lookup key, as bytes: its kind's letter, then the name with ASCII letters
/// lowercased (as the server compares names), made as it is compared, so a lookup allocates
/// nothing.
fn key(kind: Kind, name: &str) -> impl Iterator<Item = u8> + '_ {
    let letter = match kind {
        Kind::Customer => b'c',
        Kind::Reseller => b'r',
    };
    std::iter::once(letter).chain(name.bytes().map(|b| b.to_ascii_lowercase()))
}

/// [`mb`] in 32 bits, as [`Services`] holds it ([`MAX_MB`] fits).
fn small_mb(bytes: u64) -> u32 {
    u32::try_from(mb(bytes)).unwrap_or(u32::MAX)
}

fn kind_slot(kind: Kind) -> usize {
    match kind {
        Kind::Customer => 0,
        Kind::Reseller => 1,
    }
}

/// One service's usage, in MB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// `tblhosting.id`.
    pub id: i64,
    /// Used, MB.
    pub used_mb: u64,
    /// Allotted, MB.
    pub limit_mb: u64,
}

/// What one run did, for the Activity Log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Services written.
    pub written: usize,
    /// Services whose account the server does not list.
    pub missing: Vec<i64>,
    /// Services whose namesake account is not theirs: another install's, service's or client's,
    /// or one without a reference that no admin adopted.
    pub foreign: Vec<i64>,
    /// Services whose account does not say its used or allotted bytes: nothing written.
    pub unknown: Vec<i64>,
    /// Services whose account name the server listed more than once: nothing written.
    pub repeated: Vec<i64>,
}

/// `<name>_UsageUpdate`: every service of the planned server (whose product has no connection
/// fields of its own) gets its account's usage.
pub fn update_server(
    plan: &ServerUsage,
    host: &mut dyn Host,
    net: &crate::server::client::NetSettings,
) -> Result<(), Failure> {
    let (server_id, endpoint) = (&plan.server_id, &plan.connection.endpoint);
    let module = host.module_name();
    let products = products(host, &module).map_err(Failure::Whmcs)?;
    let served: Vec<Value> = products
        .iter()
        .filter(|(_, p)| !p.own_connection)
        .map(|(id, _)| json!(id))
        .collect();
    let services = services(host, &products, &served, Some(server_id)).map_err(Failure::Whmcs)?;
    let secrets = &plan.connection.secrets;
    let outcome = run(host, net, "UsageUpdate", endpoint, secrets, services).map_err(|why| {
        Failure::UsageNotUpdated {
            server: server_id.clone(),
            why,
        }
    })?;
    report(
        host,
        &format!("server {server_id} ({})", endpoint.host),
        &outcome,
    );
    Ok(())
}

/// The statuses of services whose usage is updated: the ones WHMCS still bills.
pub const UPDATED_STATUSES: [&str; 2] = ["Active", "Suspended"];

/// The `tblconfiguration` setting of Automation Settings › "Update Usage Statistics".
pub const STATS_SETTING: &str = "UpdateStatsAuto";

/// Whether "Update Usage Statistics" is on. WHMCS's daily task tests the stored value's PHP
/// truth (`if (!Setting::getValue('UpdateStatsAuto'))` skips the update), so '' and '0' are off,
/// and so is a missing row (the stricter reading: WHMCS reads a missing setting as ''); a fresh
/// install stores 'on'. `Err` when WHMCS could not be asked: the pass then does not run.
pub fn stats_auto(host: &mut dyn Host) -> Result<bool, String> {
    let value = host
        .db_value(
            "tblconfiguration",
            &[("setting", json!(STATS_SETTING))],
            "value",
        )
        .map_err(|e| format!("WHMCS could not read the setting {STATS_SETTING} ({e})"))?;
    let text = scalar_text(value.as_ref());
    Ok(!text.is_empty() && text != "0")
}

/// The `DailyCronJob` part: the services of this module's products that carry their own
/// connection fields, grouped by server (each server listed once). Runs only while "Update
/// Usage Statistics" is on ([`stats_auto`]). Never fails: answers one line per server saying
/// what happened, and writes failures to the Activity Log.
pub fn update_own_connections(
    host: &mut dyn Host,
    net: &crate::server::client::NetSettings,
) -> Vec<String> {
    match stats_auto(host) {
        Ok(true) => {}
        Ok(false) => {
            return vec![format!(
                "sgwhmcs usage update: not run, because Automation Settings › \"Update Usage Statistics\" ({STATS_SETTING}) is off"
            )]
        }
        Err(e) => return vec![logged(host, format!("sgwhmcs usage update: not run: {e}"))],
    }
    let module = host.module_name();
    let products = match products(host, &module) {
        Ok(p) => p,
        Err(e) => return vec![logged(host, format!("sgwhmcs usage update: {e}"))],
    };
    // One listing per connection: products with the same host, port, user, password and pin
    // share it. A product whose password or pin differs (a stale one) is its own group, so it
    // fails alone instead of spoiling the listing of every product on that server.
    let mut groups: Vec<(Endpoint, Secrets, Vec<Value>)> = Vec::new();
    let mut lines = Vec::new();
    for (id, product) in &products {
        if !product.own_connection {
            continue;
        }
        match Connection::of_product(&product.settings) {
            Ok(Connection { endpoint, secrets }) => {
                match groups.iter_mut().find(|(e, _, _)| *e == endpoint) {
                    Some(group) => group.2.push(json!(id)),
                    None => groups.push((endpoint, secrets, vec![json!(id)])),
                }
            }
            Err(why) => {
                lines.push(logged(
                    host,
                    format!("sgwhmcs usage update: product {id}: {why}"),
                ));
            }
        }
    }
    let several = groups.len() > 1;
    for (endpoint, secrets, ids) in groups {
        let outcome = services(host, &products, &ids, None)
            .and_then(|services| run(host, net, "UsageUpdate", &endpoint, &secrets, services));
        let named: Vec<String> = ids
            .iter()
            .filter_map(Value::as_i64)
            .map(|id| match products.get(&id).map(|p| p.name.as_str()) {
                Some(name) if !name.is_empty() => {
                    format!("{id} \"{}\"", crate::text::quote::printable(name))
                }
                _ => id.to_string(),
            })
            .collect();
        let place = format!(
            "{}:{} (product{} {})",
            endpoint.host,
            endpoint.port,
            if named.len() == 1 { "" } else { "s" },
            named.join(", ")
        );
        match outcome {
            Ok(outcome) => lines.push(report(host, &place, &outcome)),
            Err(e) => {
                let others = if several {
                    "; the other products' usage was still updated"
                } else {
                    ""
                };
                lines.push(logged(
                    host,
                    format!("sgwhmcs usage update of {place}: {e}{others}; check these products' connection settings (password, pinned certificate)"),
                ))
            }
        }
    }
    lines
}

/// Lists the server once and writes the usage of `services`. The listing is read page by page
/// into the services' marks; nothing is written unless the whole listing was read.
fn run(
    host: &mut dyn Host,
    net: &crate::server::client::NetSettings,
    action: &str,
    endpoint: &Endpoint,
    secrets: &[String],
    mut services: Services,
) -> Result<Outcome, String> {
    if services.is_empty() {
        return Ok(Outcome::default());
    }
    let install = crate::whmcs::reference::install_id(host).map_err(|e| e.to_string())?;
    let kinds = services.kinds();
    let repeated = with_client(host, action, endpoint, net, secrets, |c| {
        listing::each_page(c, &kinds, |page| {
            page.iter().for_each(|a| services.see(a, &install));
            Ok(())
        })
        .map_err(explain_stop)
    })?;
    services.repeated(&repeated);
    write(host, services.rows())?;
    Ok(services.outcome())
}

/// Whether an account with `reference` is this service's: the one ownership rule
/// (`crate::whmcs::reference`), so an account without a reference, or one a signup hook made for the
/// client, is written only after Link Existing Account adopted it, never by its name alone.
pub fn belongs(reference: Option<&str>, install: &str, service: i64) -> bool {
    Reference::service_of(reference, install) == Some(service)
}

/// Bytes as whole MB (rounded to the nearest), at most [`MAX_MB`].
pub fn mb(bytes: u64) -> u64 {
    (bytes / MB + u64::from(bytes % MB >= MB / 2)).min(MAX_MB)
}

/// `CASE id WHEN <id> THEN <value> … END` for `rows`: integers only.
pub fn case(rows: &[(i64, u64)]) -> String {
    let mut sql = String::with_capacity(16 + rows.len() * 28);
    sql.push_str("CASE id");
    for (id, value) in rows {
        sql.push_str(&format!(" WHEN {id} THEN {value}"));
    }
    sql.push_str(" END");
    sql
}

/// Writes `rows` in queries of [`BATCH`] services: `diskusage`, `disklimit`, `lastupdate`.
pub fn write(host: &mut dyn Host, rows: impl Iterator<Item = Row>) -> Result<(), String> {
    let now = crate::whmcs::host::whmcs_now(host);
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Row> = rows.by_ref().take(BATCH).collect();
        let ids: Vec<i64> = chunk.iter().map(|r| r.id).collect();
        let used: Vec<(i64, u64)> = chunk.iter().map(|r| (r.id, r.used_mb)).collect();
        let limit: Vec<(i64, u64)> = chunk.iter().map(|r| (r.id, r.limit_mb)).collect();
        host.db_update_in(
            "tblhosting",
            "id",
            &ids,
            &[
                ("diskusage", SetTo::Case(case(&used))),
                ("disklimit", SetTo::Case(case(&limit))),
                ("lastupdate", SetTo::Value(json!(now))),
            ],
        )
        .map_err(|e| format!("WHMCS could not store the usage in tblhosting ({e})"))?;
    }
    Ok(())
}

/// Services read from `tblhosting` per query: a page of whole rows stays a few MB however many
/// services WHMCS has.
pub const SERVICES_PAGE: usize = 1000;

/// The services of `product_ids` (on `server` when given) that WHMCS still bills
/// ([`UPDATED_STATUSES`]), with their account kind; read in pages of [`SERVICES_PAGE`] by id.
pub fn services(
    host: &mut dyn Host,
    products: &BTreeMap<i64, Product>,
    product_ids: &[Value],
    server: Option<&str>,
) -> Result<Services, String> {
    let mut out = Services::default();
    if product_ids.is_empty() {
        return Ok(out);
    }
    let conditions: Vec<(&str, Value)> = server.map(|s| ("server", json!(s))).into_iter().collect();
    let mut after = 0;
    loop {
        let rows = host
            .db_rows_after(
                "tblhosting",
                &conditions,
                Some(("packageid", product_ids)),
                after,
                SERVICES_PAGE,
            )
            .map_err(|e| format!("WHMCS could not read the services ({e})"))?;
        let mut advanced = false;
        for row in &rows {
            let Some(id) = integer(row.get("id")).filter(|id| *id > after) else {
                continue;
            };
            (after, advanced) = (id, true);
            if let Some(service) = service(row, products, id) {
                out.push(&service);
            }
        }
        // A short page is the last; a page that does not move past `after` (a database that
        // ignores the bound) would be read forever.
        if rows.len() < SERVICES_PAGE || !advanced {
            break;
        }
    }
    out.seal();
    Ok(out)
}

/// The service of one `tblhosting` row, when WHMCS still bills it and it has a username.
fn service(
    row: &Map<String, Value>,
    products: &BTreeMap<i64, Product>,
    id: i64,
) -> Option<Service> {
    let status = scalar_text(row.get("domainstatus"));
    if !UPDATED_STATUSES.contains(&status.as_str()) {
        return None;
    }
    let product = products.get(&integer(row.get("packageid"))?)?;
    let username = scalar_text(row.get("username"));
    (!username.is_empty()).then_some(Service {
        id,
        username,
        kind: product.kind,
    })
}

fn integer(value: Option<&Value>) -> Option<i64> {
    scalar_text(value).parse().ok()
}

/// Says what a run did in the Activity Log when something was left out; answers the line.
fn report(host: &mut dyn Host, place: &str, outcome: &Outcome) -> String {
    let mut line = format!(
        "sgwhmcs usage update of {place}: {} services written",
        outcome.written
    );
    if !outcome.missing.is_empty() {
        line.push_str(&format!(
            "; {} without an account on the Backup Server (service ids {})",
            outcome.missing.len(),
            ids(&outcome.missing)
        ));
    }
    if !outcome.foreign.is_empty() {
        line.push_str(&format!(
            "; {} not written because the account of that name is not the service's: it belongs to another WHMCS install, service or client, or carries no reference (Link Existing Account adopts one that is the service's) (service ids {})",
            outcome.foreign.len(),
            ids(&outcome.foreign)
        ));
    }
    if !outcome.unknown.is_empty() {
        line.push_str(&format!(
            "; {} not written because the Backup Server did not say the account's used or allotted storage (unknown, not 0; the last figures stay) (service ids {})",
            outcome.unknown.len(),
            ids(&outcome.unknown)
        ));
    }
    if !outcome.repeated.is_empty() {
        line.push_str(&format!(
            "; {} not written because the Backup Server listed the account's name more than once (service ids {})",
            outcome.repeated.len(),
            ids(&outcome.repeated)
        ));
    }
    if outcome.missing.is_empty()
        && outcome.foreign.is_empty()
        && outcome.unknown.is_empty()
        && outcome.repeated.is_empty()
    {
        return line;
    }
    logged(host, line)
}

fn logged(host: &mut dyn Host, line: String) -> String {
    host.log_activity(&line, "");
    line
}

/// The first ids of a list, for a bounded log line.
fn ids(list: &[i64]) -> String {
    let mut shown: Vec<String> = list.iter().take(20).map(i64::to_string).collect();
    if list.len() > 20 {
        shown.push(format!("and {} more", list.len() - 20));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(id: i64, name: &str) -> Service {
        Service {
            id,
            username: name.into(),
            kind: Kind::Customer,
        }
    }

    /// What a run finds for `services` from a listing of `accounts` with `repeated` names.
    fn matched(
        services: &[Service],
        accounts: &[Account],
        repeated: Repeated,
        install: &str,
    ) -> (Vec<Row>, Outcome) {
        let mut index = Services::default();
        services.iter().for_each(|s| index.push(s));
        index.seal();
        accounts.iter().for_each(|a| index.see(a, install));
        index.repeated(&repeated);
        (index.rows().collect(), index.outcome())
    }

    fn account(name: &str, reference: Option<&str>, used: u64) -> Account {
        Account {
            name: name.into(),
            kind: Some(Kind::Customer),
            reference: reference.map(str::to_string),
            storage: Some(crate::server::api::Lenient::Read(
                crate::server::api::StorageUse {
                    allotted_bytes: Some(10 * MB),
                    used_bytes: Some(used),
                    location: None,
                },
            )),
            ..Account::default()
        }
    }

    #[test]
    fn mb_rounds_and_is_bounded() {
        assert_eq!(mb(0), 0);
        assert_eq!(mb(MB / 2 - 1), 0);
        assert_eq!(mb(MB / 2), 1);
        assert_eq!(mb(3 * MB), 3);
        assert_eq!(mb(u64::MAX), MAX_MB);
        assert_eq!(mb(i64::MAX as u64), MAX_MB);
    }

    #[test]
    fn case_is_integers_only() {
        assert_eq!(
            case(&[(1, 5), (22, 0)]),
            "CASE id WHEN 1 THEN 5 WHEN 22 THEN 0 END"
        );
    }

    #[test]
    fn names_match_case_insensitively_and_references_decide() {
        let services = [
            service(7, "Acme"),
            service(8, "other"),
            service(9, "gone"),
            service(10, "byclient"),
        ];
        let accounts = [
            account("acme", Some("whmcs:inst1:service:7"), 5 * MB),
            account("other", Some("whmcs:inst2:service:8"), MB),
            account("byclient", Some("whmcs:inst1:client:3"), 2 * MB),
            account("gone", None, 2 * MB),
        ];
        let (rows, outcome) = matched(&services, &accounts, Repeated::default(), "inst1");
        assert_eq!(
            rows,
            [Row {
                id: 7,
                used_mb: 5,
                limit_mb: 10
            },]
        );
        assert!(outcome.missing.is_empty());
        assert_eq!(
            outcome.foreign,
            [8, 9, 10],
            "another install, no reference, a client's"
        );
    }

    #[test]
    fn only_this_services_reference_belongs() {
        let s = service(7, "a");
        let s = s.id;
        assert!(!belongs(None, "i", s), "not adopted");
        assert!(!belongs(Some(""), "i", s), "not adopted");
        assert!(belongs(Some("whmcs:i:service:7"), "i", s));
        assert!(
            !belongs(Some("whmcs:i:client:3"), "i", s),
            "a hook's client account"
        );
        assert!(!belongs(Some("whmcs:i:service:70"), "i", s));
        assert!(!belongs(Some("whmcs:j:service:7"), "i", s));
        assert!(!belongs(Some("billing:7"), "i", s));
    }

    #[test]
    fn unknown_usage_and_repeated_names_write_nothing_and_kinds_never_mix() {
        let mut reseller = service(11, "Bravo");
        reseller.kind = Kind::Reseller;
        let services = [
            service(7, "blank"),
            service(8, "half"),
            service(9, "twice"),
            reseller,
            service(12, "bravo"),
        ];
        let mut blank = account("blank", Some("whmcs:i:service:7"), 0);
        blank.storage = None;
        let mut half = account("half", Some("whmcs:i:service:8"), 0);
        half.storage = Some(crate::server::api::Lenient::Read(
            crate::server::api::StorageUse {
                allotted_bytes: Some(MB),
                ..Default::default()
            },
        ));
        let mut bravo_reseller = account("BRAVO", Some("whmcs:i:service:11"), 9 * MB);
        bravo_reseller.kind = Some(Kind::Reseller);
        let accounts = [
            blank,
            half,
            bravo_reseller,
            account("bravo", Some("whmcs:i:service:12"), MB),
        ];
        let mut repeated = Repeated::default();
        repeated.add(Kind::Customer, "Twice");
        let (rows, outcome) = matched(&services, &accounts, repeated, "i");
        assert_eq!(
            rows,
            [
                Row {
                    id: 11,
                    used_mb: 9,
                    limit_mb: 10
                },
                Row {
                    id: 12,
                    used_mb: 1,
                    limit_mb: 10
                }
            ]
        );
        assert_eq!(outcome.unknown, [7, 8]);
        assert_eq!(outcome.repeated, [9]);
        assert!(outcome.missing.is_empty());
    }
}
