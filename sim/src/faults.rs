//! Injected faults (`POST /_sim/faults`): what a fault is, which request it hits, and how it
//! spoils the answer (a status, a delay, a dropped or truncated connection, a non-JSON or
//! oversized body, or no answer at all), or makes it lie or unreadable (members rewritten, a
//! non-UTF-8 byte, huge headers, a gzip body, cut JSON, the request echoed back).

use crate::error::{json_response, ApiError, JSON_CONTENT_TYPE};
use crate::server::ConnKill;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;

/// How long a `blackhole` holds a connection before closing it anyway.
const BLACKHOLE_HOLD: Duration = Duration::from_secs(600);
/// How long a truncated answer waits, after its partial body was sent, before closing.
const TRUNCATE_LINGER: Duration = Duration::from_millis(200);
/// Largest `oversize` body the simulator agrees to stream.
const MAX_OVERSIZE: u64 = 1 << 30;
/// Default size of a `bigheader` header: twice what common clients read (64 KiB).
const BIG_HEADER: u64 = 128 << 10;
/// Largest `bigheader` header.
const MAX_HEADER: u64 = 16 << 20;

/// The ways a fault spoils a request.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Answer `status` with `body`.
    Status,
    /// Wait `delay_ms`, then answer normally.
    Delay,
    /// Close the connection without an answer.
    Drop,
    /// Send headers whose Content-Length exceeds the body sent, then close.
    Truncate,
    /// `200` with a body that is not JSON.
    Garbage,
    /// `200` with a JSON-looking body of `size` bytes.
    Oversize,
    /// Never answer (the connection is held until the client gives up).
    Blackhole,
    /// The answer's JSON object with the members of `set` replaced (e.g. another `name`).
    Rewrite,
    /// The answer with one byte that is not UTF-8 (Latin-1 `é`, 0xE9) in its first string.
    Nonutf8,
    /// The answer with an extra header of `size` bytes.
    Bigheader,
    /// The answer gzip-encoded, labelled `Content-Encoding: gzip`.
    Gzip,
    /// The answer with its last byte cut off: JSON that does not parse, all else intact.
    Malformed,
    /// `status` with an error whose message quotes the request: line, headers, body.
    Echo,
}

/// The body of `POST /_sim/faults`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    kind: FaultKind,
    count: Option<u32>,
    route: Option<String>,
    status: Option<u16>,
    body: Option<String>,
    delay_ms: Option<u64>,
    size: Option<u64>,
    after: Option<bool>,
    set: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A pending fault.
#[derive(Serialize, Clone, Debug)]
pub struct Fault {
    /// What it does.
    pub kind: FaultKind,
    /// How many more requests it hits.
    pub count: u32,
    /// Only requests of this route key (`"POST /customers"`); `None`: any.
    pub route: Option<String>,
    /// For `status`.
    pub status: u16,
    /// For `status`; `None`: a JSON `INTERNAL` error.
    pub body: Option<String>,
    /// For `delay`.
    pub delay_ms: u64,
    /// For `oversize`.
    pub size: u64,
    /// Handle the request first, then spoil its answer.
    pub after: bool,
    /// For `rewrite`: the members to put into the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set: Option<serde_json::Map<String, serde_json::Value>>,
}

impl FaultSpec {
    /// Check the spec and fill in the defaults.
    pub fn into_fault(self) -> Result<Fault, ApiError> {
        let count = self.count.unwrap_or(1);
        if count == 0 {
            return Err(ApiError::validation("count", "must be at least 1"));
        }
        let status = self.status.unwrap_or(500);
        if !(200..=599).contains(&status) {
            return Err(ApiError::validation("status", "must be from 200 to 599"));
        }
        let size = self.size.unwrap_or(match self.kind {
            FaultKind::Bigheader => BIG_HEADER,
            _ => 2 << 20,
        });
        if size > MAX_OVERSIZE || (self.kind == FaultKind::Bigheader && size > MAX_HEADER) {
            return Err(ApiError::validation(
                "size",
                format!("must be at most {MAX_OVERSIZE}"),
            ));
        }
        let route = match self.route {
            None => None,
            Some(r) => Some(normalize_route(&r).ok_or_else(|| {
                ApiError::validation("route", "must look like \"POST /customers\"")
            })?),
        };
        if self.kind == FaultKind::Rewrite && self.set.as_ref().is_none_or(|s| s.is_empty()) {
            return Err(ApiError::validation(
                "set",
                "rewrite needs the members to replace, e.g. {\"name\": \"other\"}",
            ));
        }
        if self.kind != FaultKind::Rewrite && self.set.is_some() {
            return Err(ApiError::validation("set", "is for rewrite only"));
        }
        // Faults that change a real answer handle the request first unless told otherwise.
        let after = self.after.unwrap_or(matches!(
            self.kind,
            FaultKind::Drop
                | FaultKind::Truncate
                | FaultKind::Rewrite
                | FaultKind::Nonutf8
                | FaultKind::Bigheader
                | FaultKind::Gzip
                | FaultKind::Malformed
        ));
        Ok(Fault {
            kind: self.kind,
            count,
            route,
            status,
            body: self.body,
            delay_ms: self.delay_ms.unwrap_or(1000).min(600_000),
            size,
            after,
            set: self.set,
        })
    }
}

/// `"post  /customers"` → `"POST /customers"`; `None` when it is not `METHOD /path`.
fn normalize_route(r: &str) -> Option<String> {
    let (method, path) = r.trim().split_once(char::is_whitespace)?;
    let path = path.trim();
    (!method.is_empty() && path.starts_with('/'))
        .then(|| format!("{} {path}", method.to_ascii_uppercase()))
}

/// Take the first pending fault that matches `route` (one use of it).
pub fn take(queue: &mut std::collections::VecDeque<Fault>, route: &str) -> Option<Fault> {
    let i = queue
        .iter()
        .position(|f| f.route.as_deref().is_none_or(|r| r == route))?;
    let f = &mut queue[i];
    f.count -= 1;
    let taken = f.clone();
    if f.count == 0 {
        queue.remove(i);
    }
    Some(taken)
}

impl Fault {
    /// The spoiled answer in place of handling the request (`after` false; not `delay`).
    /// `request` is the request as received, for `echo`.
    pub async fn instead(&self, kill: Option<ConnKill>, request: &str) -> Response {
        match self.kind {
            FaultKind::Echo => self.echo(request),
            FaultKind::Rewrite
            | FaultKind::Nonutf8
            | FaultKind::Bigheader
            | FaultKind::Gzip
            | FaultKind::Malformed => {
                let mut resp = Response::new(Body::from(synthetic_body()));
                resp.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(JSON_CONTENT_TYPE),
                );
                self.transform(resp).await
            }
            FaultKind::Delay => {
                ApiError::internal("delay is applied around the handler").into_response()
            }
            FaultKind::Status => self.status_answer(),
            FaultKind::Garbage => garbage(),
            FaultKind::Oversize => oversize(self.size),
            FaultKind::Drop => drop_connection(kill).await,
            FaultKind::Truncate => truncated(StatusCode::OK, synthetic_body(), kill),
            FaultKind::Blackhole => blackhole(kill).await,
        }
    }

    /// Spoil the answer `resp` of a request that was handled (`after` true).
    pub async fn after(&self, resp: Response, kill: Option<ConnKill>, request: &str) -> Response {
        match self.kind {
            FaultKind::Rewrite
            | FaultKind::Nonutf8
            | FaultKind::Bigheader
            | FaultKind::Gzip
            | FaultKind::Malformed => self.transform(resp).await,
            FaultKind::Delay => {
                tokio::time::sleep(Duration::from_millis(self.delay_ms)).await;
                resp
            }
            FaultKind::Truncate => {
                let status = resp.status();
                let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                    .await
                    .unwrap_or_default();
                if bytes.len() < 2 {
                    truncated(StatusCode::OK, synthetic_body(), kill)
                } else {
                    truncated(status, bytes, kill)
                }
            }
            _ => self.instead(kill, request).await,
        }
    }

    /// The answer `resp` made to lie or unreadable; status and other headers are kept.
    async fn transform(&self, resp: Response) -> Response {
        let (mut parts, body) = resp.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default()
            .to_vec();
        let bytes = match self.kind {
            FaultKind::Rewrite => rewrite(&bytes, self.set.as_ref()),
            FaultKind::Nonutf8 => non_utf8(bytes),
            FaultKind::Gzip => {
                parts
                    .headers
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                gzip(&bytes)
            }
            FaultKind::Malformed => {
                let keep = bytes.len().saturating_sub(1);
                bytes[..keep].to_vec()
            }
            _ => bytes,
        };
        if self.kind == FaultKind::Bigheader {
            let padding = "x".repeat(self.size as usize);
            if let Ok(v) = HeaderValue::from_str(&padding) {
                parts.headers.insert("x-padding", v);
            }
        }
        parts.headers.remove(header::CONTENT_LENGTH);
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        Response::from_parts(parts, Body::from(bytes))
    }

    /// `status` with an `INTERNAL` error quoting `request` whole, as a careless server does.
    fn echo(&self, request: &str) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let e = ApiError::internal(format!("could not handle this request: {request}"));
        json_response(status, &e.body())
    }

    fn status_answer(&self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let Some(body) = &self.body else {
            let mut e = ApiError::internal("injected fault");
            e.status = status;
            return json_response(status, &e.body());
        };
        let is_json = serde_json::from_str::<serde_json::Value>(body).is_ok();
        let mut resp = Response::new(Body::from(body.clone()));
        *resp.status_mut() = status;
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(if is_json {
                JSON_CONTENT_TYPE
            } else {
                "text/plain; charset=utf-8"
            }),
        );
        resp
    }
}

/// A JSON object with the members of `set` put in; anything else is left as it is.
fn rewrite(bytes: &[u8], set: Option<&serde_json::Map<String, serde_json::Value>>) -> Vec<u8> {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice(bytes) else {
        return bytes.to_vec();
    };
    for (k, v) in set.into_iter().flatten() {
        map.insert(k.clone(), v.clone());
    }
    serde_json::to_vec(&map).unwrap_or_else(|_| bytes.to_vec())
}

/// Puts a Latin-1 `é` (0xE9, never valid alone in UTF-8) at the start of the first JSON string
/// value (after the first `":"`), or at the end when there is none.
fn non_utf8(mut bytes: Vec<u8>) -> Vec<u8> {
    let at = bytes
        .windows(3)
        .position(|w| w == b"\":\"")
        .map_or(bytes.len(), |i| i + 3);
    bytes.insert(at, 0xE9);
    bytes
}

/// A gzip member (RFC 1952) holding `data` in stored deflate blocks (RFC 1951): valid gzip that
/// any decoder reads, without a compression library.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut chunks = data.chunks(0xffff).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = u8::from(chunks.peek().is_none());
        let len = chunk.len() as u16;
        out.push(last);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// CRC-32 (IEEE 802.3, reflected), as gzip's trailer wants it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// `200`, labelled JSON, but an HTML error page.
fn garbage() -> Response {
    let mut resp = Response::new(Body::from(
        "<html><head><title>502 Bad Gateway</title></head><body>upstream sent garbage</body></html>\n",
    ));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    resp
}

/// `200` with `{"padding":"xxxx…"}` of exactly `size` bytes (spaces for tiny sizes), streamed.
fn oversize(size: u64) -> Response {
    const CHUNK: u64 = 64 * 1024;
    let (head, tail): (&[u8], &[u8]) = if size >= 14 {
        (b"{\"padding\":\"", b"\"}")
    } else {
        (b"", b"")
    };
    let fill = size - head.len() as u64 - tail.len() as u64;
    let chunks = std::iter::once(Bytes::from_static(head))
        .chain((0..fill.div_ceil(CHUNK)).map(move |i| {
            let n = CHUNK.min(fill - i * CHUNK) as usize;
            Bytes::from(vec![if head.is_empty() { b' ' } else { b'x' }; n])
        }))
        .chain(std::iter::once(Bytes::from_static(tail)))
        .filter(|b| !b.is_empty())
        .map(Ok::<_, std::io::Error>);
    let mut resp = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    resp
}

fn synthetic_body() -> Bytes {
    Bytes::from(format!(
        "{{\"product\":\"Backup Server (sgsim)\",\"padding\":\"{}\"}}",
        "x".repeat(200)
    ))
}

/// `status` with a Content-Length of all of `body`, of which only the first half is sent; then
/// the connection is closed.
fn truncated(status: StatusCode, body: Bytes, kill: Option<ConnKill>) -> Response {
    let full = body.len() as u64;
    let half = body.slice(..body.len() / 2);
    let end = async move {
        tokio::time::sleep(TRUNCATE_LINGER).await;
        if let Some(k) = kill {
            k.kill();
        }
        Err::<Bytes, _>(std::io::Error::other("truncated on purpose"))
    };
    let stream = futures_util::stream::iter([Ok(half)]).chain(futures_util::stream::once(end));
    let mut resp = Response::new(Body::from_stream(stream));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(full));
    resp
}

/// Close the connection without answering.
async fn drop_connection(kill: Option<ConnKill>) -> Response {
    match kill {
        Some(k) => {
            k.kill();
            std::future::pending().await
        }
        None => ApiError::internal("drop fault without a connection handle").into_response(),
    }
}

/// Hold the connection without answering (closing it after `BLACKHOLE_HOLD`).
async fn blackhole(kill: Option<ConnKill>) -> Response {
    tokio::time::sleep(BLACKHOLE_HOLD).await;
    drop_connection(kill).await
}

/// The pending faults as JSON.
pub fn list(queue: &std::collections::VecDeque<Fault>) -> serde_json::Value {
    json!({ "faults": queue })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    fn spec(body: &str) -> Result<Fault, ApiError> {
        crate::error::parse_json::<FaultSpec>(body.as_bytes())?.into_fault()
    }

    #[test]
    fn defaults_and_after() {
        let f = spec(r#"{"kind": "drop"}"#).unwrap();
        assert!(f.after && f.count == 1 && f.route.is_none());
        let f = spec(r#"{"kind": "status", "route": "post  /customers"}"#).unwrap();
        assert!(!f.after && f.status == 500);
        assert_eq!(f.route.as_deref(), Some("POST /customers"));
        assert!(
            !spec(r#"{"kind": "truncate", "after": false}"#)
                .unwrap()
                .after
        );
        assert!(spec(r#"{"kind": "nope"}"#).is_err());
        assert_eq!(
            spec(r#"{"kind": "delay", "ms": 3}"#)
                .unwrap_err()
                .field
                .as_deref(),
            Some("ms")
        );
        assert!(spec(r#"{"kind": "status", "route": "customers"}"#).is_err());
    }

    #[test]
    fn faults_are_taken_in_order_and_by_route() {
        let mut q: VecDeque<Fault> = VecDeque::new();
        q.push_back(spec(r#"{"kind": "garbage", "route": "GET /server"}"#).unwrap());
        q.push_back(spec(r#"{"kind": "status", "count": 2}"#).unwrap());
        assert_eq!(
            take(&mut q, "GET /resellers").unwrap().kind,
            FaultKind::Status
        );
        assert_eq!(
            take(&mut q, "GET /server").unwrap().kind,
            FaultKind::Garbage
        );
        assert_eq!(take(&mut q, "GET /server").unwrap().kind, FaultKind::Status);
        assert!(take(&mut q, "GET /server").is_none());
    }
}
