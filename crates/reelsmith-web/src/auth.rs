//! The API token check: when a token is configured, every API and UI request must carry it as
//! `Authorization: Bearer TOKEN` or in the `reelsmith_token` cookie that `/login` sets. Health and
//! readiness stay open for load balancers; the login page is open so a browser can sign in.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::{ApiError, AppState};

/// The cookie holding the token in a browser.
pub const COOKIE: &str = "reelsmith_token";

/// Paths served without a token.
const OPEN: [&str; 4] = [
    "/api/v1/health",
    "/api/v1/ready",
    "/login",
    "/static/app.css",
];

fn presented(req: &Request) -> Option<String> {
    let headers = req.headers();
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" works as "Bearer".
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(rest)
        })
    {
        return Some(v.trim().to_string());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Whether `presented` is the token, in time independent of where they differ and of the token's
/// length: both are hashed (SHA-256) and the digests compared in constant time (`subtle`).
pub fn same(presented: &str, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let (a, b) = (
        Sha256::digest(presented.as_bytes()),
        Sha256::digest(token.as_bytes()),
    );
    a.as_slice().ct_eq(b.as_slice()).into()
}

/// Middleware: lets the request through when no token is configured, the path is open, or the
/// request carries the token; otherwise 401 for the API and a redirect to `/login` for pages.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(token) = &state.token else {
        return next.run(req).await;
    };
    if OPEN.contains(&req.uri().path()) || presented(&req).is_some_and(|t| same(&t, token)) {
        return next.run(req).await;
    }
    if req.uri().path().starts_with("/api/") {
        ApiError::unauthorized().into_response()
    } else {
        Redirect::to("/login").into_response()
    }
}
