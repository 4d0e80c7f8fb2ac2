//! The simulator-only controls under `/_sim/` (never part of the product contract): stats, mails,
//! faults, usage (one account or many), seeding many accounts, backup-running marks and reset.

use crate::bulk::{BulkUsage, Seed, Usage};
use crate::error::{ok, parse_json, Answer, JsonBody};
use crate::faults::FaultSpec;
use crate::model::Kind;
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::Router;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

/// The `/_sim` router (nested by `routes::app`).
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/stats", get(stats))
        .route("/mails", get(mails))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/usage", post(usage))
        .route("/seed", post(seed))
        .route("/backup-running", post(backup_running))
        .route("/machines", post(machines))
        .route("/downloads", post(downloads))
        .route("/reset", post(reset))
        .route("/login", post(login))
        // The front door bounds every body already (`SIM_MAX_BODY` here).
        .layer(DefaultBodyLimit::max(crate::front::SIM_MAX_BODY))
}

async fn stats(State(app): State<Shared>) -> Answer {
    ok(serde_json::to_value(&app.lock().stats).unwrap_or_default())
}

async fn mails(State(app): State<Shared>) -> Answer {
    ok(json!({ "mails": app.lock().mails }))
}

async fn list_faults(State(app): State<Shared>) -> Answer {
    ok(crate::faults::list(&app.lock().faults))
}

async fn add_fault(State(app): State<Shared>, JsonBody(spec): JsonBody<FaultSpec>) -> Answer {
    let fault = spec.into_fault()?;
    let mut sim = app.lock();
    sim.faults.push_back(fault);
    ok(crate::faults::list(&sim.faults))
}

async fn clear_faults(State(app): State<Shared>) -> Answer {
    let mut sim = app.lock();
    sim.faults.clear();
    ok(crate::faults::list(&sim.faults))
}

/// `POST /_sim/usage`: one account's usage (answers the account), or `{"accounts": [...]}`
/// for many in one request (answers `{"updated": N}`; all or nothing).
async fn usage(State(app): State<Shared>, body: Bytes) -> Answer {
    let probe: HashMap<String, IgnoredAny> = parse_json(&body)?;
    let mut sim = app.lock();
    let answer = if probe.contains_key("accounts") {
        let bulk: BulkUsage = parse_json(&body)?;
        let n = sim.set_usage_many(&bulk.accounts)?;
        json!({ "updated": n })
    } else {
        let one: Usage = parse_json(&body)?;
        let i = sim.set_usage(&one)?;
        sim.view_of(i)
    };
    app.save(&sim);
    ok(answer)
}

/// `POST /_sim/seed`: many accounts in one request, written to the state file once.
async fn seed(State(app): State<Shared>, JsonBody(s): JsonBody<Seed>) -> Answer {
    let mut sim = app.lock();
    let answer = sim.seed(&s)?;
    app.save(&sim);
    ok(answer)
}

/// The body of `POST /_sim/backup-running`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupRunning {
    kind: Kind,
    name: String,
    running: bool,
}

async fn backup_running(State(app): State<Shared>, JsonBody(b): JsonBody<BackupRunning>) -> Answer {
    let mut sim = app.lock();
    let i = sim.get_index(b.kind, &b.name)?;
    sim.accounts.update(i, |a| a.backup_running = b.running);
    app.save(&sim);
    ok(json!({"kind": b.kind, "name": sim.accounts[i].name, "running": b.running}))
}

/// The body of `POST /_sim/login`: would this web console login succeed?
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    kind: Kind,
    name: String,
    password: String,
}

/// Answers `{"ok": bool}`: whether account `name` exists and has exactly `password` as its web
/// console password (an account made without one never logs in).
async fn login(State(app): State<Shared>, JsonBody(l): JsonBody<Login>) -> Answer {
    let sim = app.lock();
    let i = sim.get_index(l.kind, &l.name)?;
    let key = crate::state::password_key(l.kind, &sim.accounts[i].name);
    let matches = sim.passwords.get(&key).is_some_and(|p| *p == l.password);
    ok(json!({ "ok": matches }))
}

async fn reset(State(app): State<Shared>) -> Answer {
    let mut sim = app.lock();
    sim.reset();
    app.save(&sim);
    ok(json!({"reset": true}))
}

/// `POST /_sim/machines`: replaces a customer's machines (all or nothing); its `clients` count
/// follows. Answers `{"customer", "clients": N}`.
async fn machines(
    State(app): State<Shared>,
    JsonBody(seed): JsonBody<crate::machines::SeedMachines>,
) -> Answer {
    crate::machines::check_machines(&seed.machines)?;
    let mut sim = app.lock();
    let i = sim.get_index(Kind::Customer, &seed.customer)?;
    let answer = sim.accounts.update(i, |account| {
        account.clients = seed.machines.len() as u64;
        account.machines = seed.machines;
        json!({"customer": account.name, "clients": account.clients})
    });
    app.save(&sim);
    ok(answer)
}

/// `POST /_sim/downloads`: the agent download links `GET /server` publishes from now on.
async fn downloads(
    State(app): State<Shared>,
    JsonBody(seed): JsonBody<crate::machines::SeedDownloads>,
) -> Answer {
    crate::machines::check_downloads(&seed.downloads)?;
    let mut sim = app.lock();
    sim.downloads = seed.downloads;
    ok(json!({ "downloads": sim.downloads }))
}
