//! One structured log event per request: method, route (the matched pattern, so ids do not explode
//! the cardinality), status, latency in milliseconds and a request id — the client's
//! `x-request-id` when it sent a sane one, else a new one — echoed in the response's
//! `x-request-id` header so a user's report can be found in the log. Events go to `tracing`
//! (target `reelsmith::http`); the binary chooses text or JSON output (`serve --log-format`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The request-id header, read and written.
pub const REQUEST_ID: &str = "x-request-id";

/// Longest client-given request id kept, characters (longer ones are replaced).
const MAX_ID_CHARS: usize = 64;

/// A new id: the process's start time and a counter, unique for the process's life.
fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = START.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    format!("{start:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The client's id when it is short and printable ASCII (it goes into logs), else a new one.
fn request_id(req: &Request) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| {
            !v.is_empty() && v.len() <= MAX_ID_CHARS && v.chars().all(|c| c.is_ascii_graphic())
        })
        .map_or_else(new_id, str::to_string)
}

/// The middleware: times the request, logs it once it is answered, and sets `x-request-id`.
pub async fn log_request(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_string(), |m| m.as_str().to_string());
    let mut resp = next.run(req).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1e3;
    let status = resp.status().as_u16();
    tracing::info!(
        target: "reelsmith::http",
        method = %method,
        route = %route,
        status,
        latency_ms = (latency_ms * 10.0).round() / 10.0,
        request_id = %id,
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    resp
}
