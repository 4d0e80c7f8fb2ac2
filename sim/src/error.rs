//! The one error shape of the API, `{"error": {"code", "message", "field"?}}`, and the extractors
//! (JSON body, `{name}` path segment, query string) that turn every framework rejection into it,
//! so no client ever sees a plain-text error from the simulator.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::collections::HashMap;

/// The contract's error codes, spelled once for both sides in the module's
/// `core/src/server/error_codes.rs` (included by path in `main.rs`): [`ErrorCode::as_str`] is
/// the text of `error.code` on the wire.
pub use crate::error_codes::Code as ErrorCode;

/// A failed request: the HTTP status, the contract's error code, a human message and, for
/// validation failures, the JSON path of the offending field.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The contract's error code, e.g. [`ErrorCode::ValidationFailed`].
    pub code: ErrorCode,
    /// Text for a human; never holds a secret.
    pub message: String,
    /// The JSON path of the field that broke a rule, when one did.
    pub field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// `400 VALIDATION_FAILED` naming `field` (an empty field name leaves `field` out).
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::ValidationFailed,
            message,
        );
        e.field = (!field.is_empty()).then_some(field);
        e
    }

    /// `401 AUTH_FAILED`.
    pub fn auth() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::AuthFailed,
            "missing or wrong credentials (HTTP Basic authentication is required)",
        )
    }

    /// `404 NOT_FOUND` with a free message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// `405 METHOD_NOT_ALLOWED` (a known path with a method it does not serve).
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            "this path does not serve that method",
        )
    }

    /// `409 ALREADY_EXISTS` for the name.
    pub fn already_exists(message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::CONFLICT, ErrorCode::AlreadyExists, message);
        e.field = Some("name".into());
        e
    }

    /// `409 PROTECTED_ACCOUNT`.
    pub fn protected(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::ProtectedAccount, message)
    }

    /// `409 BACKUP_RUNNING`.
    pub fn backup_running(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::BackupRunning, message)
    }

    /// A `422`: `INSUFFICIENT_STORAGE`, `INSUFFICIENT_MCAL`, `STORAGE_BELOW_USED` or
    /// `MCAL_BELOW_USED`, naming the field asked for.
    pub fn insufficient(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
        e.field = Some(field.into());
        e
    }

    /// `500 INTERNAL`.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            message,
        )
    }

    /// The JSON body of this error.
    pub fn body(&self) -> serde_json::Value {
        let mut inner = json!({"code": self.code.as_str(), "message": self.message});
        if let Some(f) = &self.field {
            inner["field"] = json!(f);
        }
        json!({ "error": inner })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = json_response(self.status, &self.body());
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"sgsim\", charset=\"UTF-8\""),
            );
        }
        resp
    }
}

/// The content type of every JSON answer (and of the faults that pose as one).
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// What a handler returns: its answer, or the error shape.
pub type Answer = Result<Response, ApiError>;

/// `200` with `value`.
pub fn ok(value: serde_json::Value) -> Answer {
    Ok(json_response(StatusCode::OK, &value))
}

/// A JSON answer with the contract's content type.
pub fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    json_text_response(status, value.to_string())
}

/// A JSON answer whose body is already serialized (a list page, built piece by piece).
pub fn json_text_response(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    resp
}

/// A request body parsed as JSON into `T`; any failure is a `400 VALIDATION_FAILED` naming the
/// field (unknown fields included, given `#[serde(deny_unknown_fields)]` on `T`).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            let mut e = ApiError::validation("", r.body_text());
            e.status = r.status();
            e
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Parse `bytes` as one JSON value of type `T`, mapping serde's error to the API error shape.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::validation("", "a JSON object body is required"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        ApiError::validation(field_of(&path, &message), message)
    })?;
    de.end().map_err(|e| {
        ApiError::validation("", format!("trailing characters after the JSON value: {e}"))
    })?;
    Ok(value)
}

/// The JSON path a serde error is about: the path where it happened (an unknown key included),
/// plus the named field for "missing field `x`" (which serde reports on the enclosing object).
fn field_of(path: &str, message: &str) -> String {
    let base = if path == "." { "" } else { path };
    let named = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match named {
        Some(name) if base.is_empty() => name.to_string(),
        Some(name) => format!("{base}.{name}"),
        None => base.to_string(),
    }
}

/// The percent-decoded `{name}` path segment of an account route.
pub struct NamePath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for NamePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(name)| NamePath(name))
            .map_err(|r| ApiError::validation("name", r.body_text()))
    }
}

/// The query string as a map (later duplicates win); a malformed query is a `400`.
pub struct QueryMap(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for QueryMap {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Query(map)| QueryMap(map))
            .map_err(|r| ApiError::validation("", r.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        a: u64,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Option<Inner>,
        n: Option<u32>,
    }

    fn field(body: &str) -> Option<String> {
        parse_json::<Outer>(body.as_bytes()).unwrap_err().field
    }

    #[test]
    fn serde_errors_name_the_field() {
        assert_eq!(field(r#"{"zz": 1}"#).as_deref(), Some("zz"));
        assert_eq!(
            field(r#"{"inner": {"a": 1, "b": 2}}"#).as_deref(),
            Some("inner.b")
        );
        assert_eq!(field(r#"{"inner": {}}"#).as_deref(), Some("inner.a"));
        assert_eq!(
            field(r#"{"inner": {"a": "x"}}"#).as_deref(),
            Some("inner.a")
        );
        assert_eq!(field(r#"{"n": -1}"#).as_deref(), Some("n"));
        assert!(parse_json::<Outer>(b"[1]").is_err());
        assert!(parse_json::<Outer>(b"").is_err());
        assert!(parse_json::<Outer>(b"{} x").is_err());
        assert!(parse_json::<Outer>(br#"{"n": 3}"#).is_ok());
    }
}
