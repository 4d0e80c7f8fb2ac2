//! The simulator-only controls under `/_sim/` (never part of the product contract): stats, mails,
//! faults, usage, backup-running marks and reset.

use crate::error::{json_response, ApiError, JsonBody};
use crate::faults::FaultSpec;
use crate::model::Kind;
use crate::state::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

type Answer = Result<Response, ApiError>;

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
        .route("/backup-running", post(backup_running))
        .route("/reset", post(reset))
        .route("/login", post(login))
}

fn ok(value: serde_json::Value) -> Answer {
    Ok(json_response(StatusCode::OK, &value))
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

/// The body of `POST /_sim/usage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Usage {
    kind: Kind,
    name: String,
    used_bytes: Option<u64>,
    mcal_used: Option<u64>,
    clients: Option<u64>,
}

async fn usage(State(app): State<Shared>, JsonBody(u): JsonBody<Usage>) -> Answer {
    let mut sim = app.lock();
    let i = sim.get_index(u.kind, &u.name)?;
    let acc = &mut sim.accounts[i];
    if let Some(b) = u.used_bytes {
        acc.storage.used_bytes = b;
    }
    if let Some(m) = u.mcal_used {
        acc.mcal.used = m;
    }
    if let Some(c) = u.clients {
        acc.clients = c;
    }
    app.save(&sim);
    ok(sim.view_of(i))
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
    sim.accounts[i].backup_running = b.running;
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
    let ok = sim.passwords.get(&key).is_some_and(|p| *p == l.password);
    ok_json(ok)
}

fn ok_json(ok: bool) -> Answer {
    Ok(json_response(StatusCode::OK, &json!({ "ok": ok })))
}

async fn reset(State(app): State<Shared>) -> Answer {
    let mut sim = app.lock();
    sim.reset();
    app.save(&sim);
    ok(json!({"reset": true}))
}
