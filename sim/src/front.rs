//! The front door every request passes: HTTP Basic authentication, request statistics keyed by
//! route template, and the injected faults (before or after the request is handled).

use crate::error::ApiError;
use crate::faults;
use crate::server::ConnKill;
use crate::state::{Credentials, Shared};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq as _;

/// The largest request body accepted (bytes).
pub const MAX_BODY: usize = 1 << 20;
/// The largest body of a `/_sim/` control (bytes): a bulk usage update of 100,000 accounts is
/// about 9 MB of JSON.
pub const SIM_MAX_BODY: usize = 16 << 20;

/// The API's base path.
pub const API_BASE: &str = "/api/v1";

/// What the front door holds: the application, and the route templates under [`API_BASE`] it keys
/// statistics and faults by. The router hands the templates in (`routes::ROUTES`, declared
/// once beside their handlers), so the door, which every route passes, names no route.
#[derive(Clone)]
pub struct Door {
    /// The application (credentials, statistics, pending faults).
    pub app: Shared,
    /// The templates of the contract's routes, relative to [`API_BASE`] (`/customers/{name}`).
    pub templates: Arc<[&'static str]>,
}

/// The middleware: requests under `/api/v1` are counted, may meet a fault, and are
/// authenticated; any other (`/_sim/…`, unknown paths) is only authenticated.
pub async fn front(State(door): State<Door>, req: Request, next: Next) -> Response {
    let app = &door.app;
    let Some(key) = route_key(req.method(), req.uri().path(), &door.templates) else {
        let limit = if req.uri().path().starts_with("/_sim/") {
            SIM_MAX_BODY
        } else {
            MAX_BODY
        };
        let req = match read_body(req, limit).await {
            Ok(req) => req,
            Err(resp) => return resp,
        };
        return if authorized(req.headers(), &app.creds) {
            next.run(req).await
        } else {
            ApiError::auth().into_response()
        };
    };
    let fault = {
        let mut sim = app.lock();
        sim.stats.total += 1;
        *sim.stats.routes.entry(key.clone()).or_default() += 1;
        faults::take(&mut sim.faults, &key)
    };
    let req = match read_body(req, MAX_BODY).await {
        Ok(req) => req,
        Err(resp) => return resp,
    };
    let kill = req.extensions().get::<ConnKill>().cloned();
    let (req, request) = match fault.as_ref().filter(|f| f.kind == faults::FaultKind::Echo) {
        Some(_) => described(req).await,
        None => (req, String::new()),
    };
    if let Some(f) = fault.as_ref().filter(|f| !f.after) {
        if f.kind == faults::FaultKind::Delay {
            tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
        } else {
            return f.instead(kill, &request).await;
        }
    }
    let resp = if authorized(req.headers(), &app.creds) {
        next.run(req).await
    } else {
        ApiError::auth().into_response()
    };
    match fault.filter(|f| f.after) {
        Some(f) => f.after(resp, kill, &request).await,
        None => resp,
    }
}

/// Read the whole body first, even where no handler wants it: hyper can keep a connection alive
/// only when the request was read to its end (a bodiless POST may still come chunked). A body
/// over `limit` is a `413`.
async fn read_body(req: Request, limit: usize) -> Result<Request, Response> {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let read = match declared {
        Some(n) if n > limit as u64 => None,
        _ => axum::body::to_bytes(body, limit).await.ok(),
    };
    let bytes = match read {
        Some(b) => b,
        None => {
            let mut e = ApiError::validation(
                "",
                format!("the request body is unreadable or over {limit} bytes"),
            );
            e.status = StatusCode::PAYLOAD_TOO_LARGE;
            return Err(e.into_response());
        }
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    Ok(req)
}

/// The request as an `echo` fault quotes it: request line, every header (credentials too), body.
async fn described(req: Request) -> (Request, String) {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let mut text = format!("{} {}", parts.method, parts.uri);
    for (name, value) in &parts.headers {
        text.push_str(&format!(
            "\n{name}: {}",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    text.push_str("\n\n");
    text.push_str(&String::from_utf8_lossy(&bytes));
    (Request::from_parts(parts, Body::from(bytes)), text)
}

/// True when the request carries the admin's HTTP Basic credentials.
fn authorized(headers: &HeaderMap, creds: &Credentials) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, encoded)) = value.trim().split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return false;
    };
    let Some((user, password)) = text.split_once(':') else {
        return false;
    };
    // Compare everything, in constant time, so the time taken does not tell which part was wrong.
    let user_ok = user.as_bytes().ct_eq(creds.user.as_bytes());
    let pass_ok = password.as_bytes().ct_eq(creds.password.as_bytes());
    (user_ok & pass_ok).into()
}

/// The statistics and fault key of a request under `/api/v1`: `METHOD /template` relative to
/// `/api/v1` (`{name}` for the account segment) when the path matches one of `templates`, or
/// `METHOD /literal/path` (relative, as received) for a path that is no route. `None` for a path
/// outside `/api/v1`.
pub fn route_key(method: &Method, path: &str, templates: &[&str]) -> Option<String> {
    let rest = path
        .strip_prefix(API_BASE)
        .filter(|r| r.is_empty() || r.starts_with('/'))?;
    let template = template_of(rest, templates);
    let literal = if rest.is_empty() { "/" } else { rest };
    Some(format!("{method} {}", template.unwrap_or(literal)))
}

/// The template of `templates` that `path` (relative to `/api/v1`) matches, whatever the method:
/// a `{name}` segment matches any one non-empty segment.
fn template_of<'t>(path: &str, templates: &[&'t str]) -> Option<&'t str> {
    let segs: Vec<&str> = path.split('/').collect();
    templates.iter().copied().find(|t| {
        let parts: Vec<&str> = t.split('/').collect();
        parts.len() == segs.len()
            && parts.iter().zip(&segs).all(|(p, s)| {
                if *p == "{name}" {
                    !s.is_empty()
                } else {
                    p == s
                }
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_keys() {
        let templates = crate::routes::templates();
        let k = |m: &str, p: &str| {
            route_key(&Method::from_bytes(m.as_bytes()).unwrap(), p, &templates)
                .unwrap_or_else(|| "outside".into())
        };
        assert_eq!(k("GET", "/api/v1/server"), "GET /server");
        assert_eq!(k("POST", "/api/v1/customers"), "POST /customers");
        assert_eq!(
            k("GET", "/api/v1/customers/Jane%20Doe"),
            "GET /customers/{name}"
        );
        assert_eq!(
            k("POST", "/api/v1/resellers/x/deactivate"),
            "POST /resellers/{name}/deactivate"
        );
        assert_eq!(
            k("POST", "/api/v1/customers/x/passkey/reset"),
            "POST /customers/{name}/passkey/reset"
        );
        assert_eq!(
            k("GET", "/api/v1/resellers/x/passkey"),
            "GET /resellers/x/passkey"
        );
        assert_eq!(k("GET", "/api/v1/nope"), "GET /nope");
        assert_eq!(k("GET", "/api/v1"), "GET /");
        assert_eq!(k("GET", "/api/v1/customers/"), "GET /customers/");
        assert_eq!(k("GET", "/favicon.ico"), "outside");
        assert_eq!(k("GET", "/_sim/stats"), "outside");
        assert_eq!(k("GET", "/api/v1x"), "outside");
    }

    #[test]
    fn basic_auth() {
        let creds = Credentials {
            user: "admin".into(),
            password: "pw:with:colons".into(),
        };
        let mut h = HeaderMap::new();
        assert!(!authorized(&h, &creds));
        let enc = base64::engine::general_purpose::STANDARD.encode("admin:pw:with:colons");
        h.insert(
            header::AUTHORIZATION,
            format!("basic {enc}").parse().unwrap(),
        );
        assert!(authorized(&h, &creds));
        let bad = base64::engine::general_purpose::STANDARD.encode("admin:pw");
        h.insert(
            header::AUTHORIZATION,
            format!("Basic {bad}").parse().unwrap(),
        );
        assert!(!authorized(&h, &creds));
    }
}
