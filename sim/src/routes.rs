//! The `/api/v1` routes of the contract, and the whole router (API, `/_sim/` controls, JSON
//! fallbacks for unknown paths and methods, the front-door middleware).

use crate::accounts::DeleteMode;
use crate::error::{
    json_response, json_text_response, ok, Answer, ApiError, JsonBody, NamePath, QueryMap,
};
use crate::front::{front, Door, API_BASE};
use crate::listing::PageQuery;
use crate::model::Kind;
use crate::state::Shared;
use crate::wire::NewAccount;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use serde_json::json;

/// The complete application: `/api/v1`, `/_sim`, fallbacks and the front door.
pub fn app(state: Shared) -> Router {
    let door = Door {
        app: state.clone(),
        templates: templates().into(),
    };
    Router::new()
        .nest(API_BASE, with_fallbacks(api()))
        .nest("/_sim", with_fallbacks(crate::sim_routes::router()))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(door, front))
        .with_state(state)
}

fn with_fallbacks(r: Router<Shared>) -> Router<Shared> {
    r.fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

/// The handlers of one route, made afresh for each router.
type Handlers = fn() -> MethodRouter<Shared>;

/// The contract's routes under `/api/v1`, written once: the router registers exactly these, and
/// the front door keys statistics and faults by the template a path matches ([`templates`],
/// handed to [`crate::front::route_key`]). `{name}` stands for one non-empty path segment.
pub const ROUTES: &[(&str, Handlers)] = &[
    ("/server", || get(server)),
    ("/resellers", || collection(Kind::Reseller)),
    ("/resellers/{name}", || account(Kind::Reseller)),
    ("/resellers/{name}/activate", || {
        activation(Kind::Reseller, true)
    }),
    ("/resellers/{name}/deactivate", || {
        activation(Kind::Reseller, false)
    }),
    ("/customers", || collection(Kind::Customer)),
    ("/customers/{name}", || account(Kind::Customer)),
    ("/customers/{name}/activate", || {
        activation(Kind::Customer, true)
    }),
    ("/customers/{name}/deactivate", || {
        activation(Kind::Customer, false)
    }),
    ("/customers/{name}/passkey", || {
        get(|s: State<Shared>, n: NamePath| passkey(s, n, false))
    }),
    ("/customers/{name}/passkey/reset", || {
        post(|s: State<Shared>, n: NamePath| passkey(s, n, true))
    }),
    ("/customers/{name}/clients", || get(machines)),
];

/// The templates of [`ROUTES`], in order: what the front door keys requests by.
pub fn templates() -> Vec<&'static str> {
    ROUTES.iter().map(|(template, _)| *template).collect()
}

fn api() -> Router<Shared> {
    ROUTES
        .iter()
        .fold(Router::new(), |r, (template, handlers)| {
            r.route(template, handlers())
        })
}

/// `GET` lists and `POST` creates accounts of `kind`.
fn collection(kind: Kind) -> MethodRouter<Shared> {
    get(move |s: State<Shared>, q: QueryMap| list(s, kind, q))
        .post(move |s: State<Shared>, b: JsonBody<NewAccount>| create(s, kind, b))
}

/// `GET`, `PATCH` and `DELETE` one account of `kind`.
fn account(kind: Kind) -> MethodRouter<Shared> {
    get(move |s: State<Shared>, n: NamePath| read(s, kind, n))
        .patch(move |s: State<Shared>, n: NamePath, b: JsonBody<NewAccount>| patch(s, kind, n, b))
        .delete(move |s: State<Shared>, n: NamePath, q: QueryMap| delete(s, kind, n, q))
}

/// `POST` (de)activates one account of `kind`.
fn activation(kind: Kind, on: bool) -> MethodRouter<Shared> {
    post(move |s: State<Shared>, n: NamePath| set_active(s, kind, n, on))
}

async fn server(State(app): State<Shared>) -> Answer {
    let mut info = json!({
        "product": "Backup Server (sgsim)",
        "version": env!("CARGO_PKG_VERSION"),
        "edition": "simulator",
        "downloads": app.lock().downloads,
    });
    // The identity a client requires before it takes this server for the API.
    info[crate::api_identity::API_MEMBER] = json!(crate::api_identity::API_IDENTITY);
    ok(info)
}

async fn list(State(app): State<Shared>, kind: Kind, QueryMap(q): QueryMap) -> Answer {
    let query = PageQuery::parse(kind, &q)?;
    let sim = app.lock();
    let body = crate::listing::page(&sim.accounts, kind, &query);
    Ok(json_text_response(StatusCode::OK, body))
}

async fn create(
    State(app): State<Shared>,
    kind: Kind,
    JsonBody(req): JsonBody<NewAccount>,
) -> Answer {
    let mut sim = app.lock();
    let v = sim.create(kind, req)?;
    app.save(&sim);
    Ok(json_response(StatusCode::CREATED, &v))
}

async fn read(State(app): State<Shared>, kind: Kind, NamePath(name): NamePath) -> Answer {
    let sim = app.lock();
    let i = sim.get_index(kind, &name)?;
    ok(sim.view_of(i))
}

async fn patch(
    State(app): State<Shared>,
    kind: Kind,
    NamePath(name): NamePath,
    JsonBody(req): JsonBody<NewAccount>,
) -> Answer {
    let mut sim = app.lock();
    let v = sim.patch(kind, &name, req)?;
    app.save(&sim);
    ok(v)
}

async fn set_active(
    State(app): State<Shared>,
    kind: Kind,
    NamePath(name): NamePath,
    on: bool,
) -> Answer {
    let mut sim = app.lock();
    let v = sim.set_active(kind, &name, on)?;
    app.save(&sim);
    ok(v)
}

async fn delete(
    State(app): State<Shared>,
    kind: Kind,
    NamePath(name): NamePath,
    QueryMap(q): QueryMap,
) -> Answer {
    let mode = match q.get("mode").map(String::as_str) {
        None | Some("retain") => DeleteMode::Retain,
        Some("purge") => DeleteMode::Purge,
        Some(other) => {
            return Err(ApiError::validation(
                "mode",
                format!("{other:?} is not \"retain\" or \"purge\""),
            ))
        }
    };
    let mut sim = app.lock();
    sim.delete(kind, &name, mode)?;
    app.save(&sim);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn passkey(State(app): State<Shared>, NamePath(name): NamePath, reset: bool) -> Answer {
    let mut sim = app.lock();
    let key = sim.passkey(&name, reset)?;
    if reset {
        app.save(&sim);
    }
    ok(json!({ "passkey": key }))
}

/// `GET /customers/{name}/clients`: one page of the customer's machines.
async fn machines(
    State(app): State<Shared>,
    NamePath(name): NamePath,
    QueryMap(q): QueryMap,
) -> Answer {
    let query = crate::machines::MachineQuery::parse(&q)?;
    let sim = app.lock();
    let i = sim.get_index(Kind::Customer, &name)?;
    ok(crate::machines::page(&sim.accounts[i].machines, &query))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::route_key;
    use axum::http::Method;

    /// Each route the router registers is counted under its own template, none twice.
    #[test]
    fn every_route_keys_to_its_template() {
        let templates = templates();
        for (i, t) in templates.iter().enumerate() {
            assert!(!templates[..i].contains(t), "{t} twice");
            let path = format!("{API_BASE}{}", t.replace("{name}", "Jane%20Doe"));
            assert_eq!(
                route_key(&Method::PUT, &path, &templates).unwrap(),
                format!("PUT {t}")
            );
        }
    }
}
