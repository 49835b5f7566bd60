//! The API token check: when a token is configured, every API and UI request must carry it as
//! `Authorization: Bearer TOKEN`, or come from a browser signed in at `/login`, which sets a session
//! cookie — a random id, never the token — that expires after [`SESSION_TTL`] or at `/logout`.
//! Health and readiness stay open for load balancers; the login page is open so a browser can sign
//! in.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use crate::{ApiError, AppState};

/// The cookie holding a browser's session id.
pub const COOKIE: &str = "reelsmith_session";

/// A cookie scripts may read, present while signed in, so the page can offer "Sign out" (the
/// session cookie itself is `HttpOnly`).
pub const SIGNED_IN_COOKIE: &str = "reelsmith_signed_in";

/// How long a browser session lasts after sign-in: 12 hours (OWASP's session guidance asks for an
/// absolute timeout; a working day fits in it).
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// Most sessions kept at once; signing in beyond it drops the one closest to expiry.
pub const MAX_SESSIONS: usize = 1_000;

/// Paths served without a token.
const OPEN: [&str; 5] = [
    "/api/v1/health",
    "/api/v1/ready",
    "/login",
    "/logout",
    "/static/app.css",
];

/// Browser sessions, in memory: a restart signs every browser out. Only SHA-256 digests of the ids
/// are kept, so the map reveals no live cookie.
#[derive(Clone)]
pub struct Sessions {
    live: Arc<Mutex<HashMap<[u8; 32], Instant>>>,
    ttl: Duration,
}

impl Default for Sessions {
    fn default() -> Self {
        Self::with_ttl(SESSION_TTL)
    }
}

impl Sessions {
    /// Sessions lasting `ttl` (the server uses [`SESSION_TTL`]).
    pub fn with_ttl(ttl: Duration) -> Self {
        Sessions {
            live: Arc::default(),
            ttl,
        }
    }

    /// Starts a session; returns its id (64 hex digits of 32 random bytes from the OS), or `None`
    /// when the OS has no randomness to give.
    pub fn start(&self) -> Option<String> {
        let mut id = [0u8; 32];
        getrandom::fill(&mut id).ok()?;
        let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        if let Ok(mut m) = self.live.lock() {
            m.retain(|_, expires| *expires > now);
            if m.len() >= MAX_SESSIONS
                && let Some(first) = m.iter().min_by_key(|(_, e)| **e).map(|(k, _)| *k)
            {
                m.remove(&first);
            }
            m.insert(digest(&id), now + self.ttl);
        }
        Some(id)
    }

    /// Whether `id` is a live session (an expired one is removed).
    pub fn valid(&self, id: &str) -> bool {
        let key = digest(id);
        let Ok(mut m) = self.live.lock() else {
            return false;
        };
        match m.get(&key) {
            Some(expires) if *expires > Instant::now() => true,
            Some(_) => {
                m.remove(&key);
                false
            }
            None => false,
        }
    }

    /// Ends session `id`.
    pub fn end(&self, id: &str) {
        if let Ok(mut m) = self.live.lock() {
            m.remove(&digest(id));
        }
    }
}

fn digest(s: &str) -> [u8; 32] {
    Sha256::digest(s.as_bytes()).into()
}

/// The `Set-Cookie` values that sign a browser in with session `id`.
pub fn sign_in_cookies(id: &str) -> [String; 2] {
    let age = SESSION_TTL.as_secs();
    [
        format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}"),
        format!("{SIGNED_IN_COOKIE}=1; Path=/; SameSite=Strict; Max-Age={age}"),
    ]
}

/// The `Set-Cookie` values that sign a browser out.
pub fn sign_out_cookies() -> [String; 2] {
    [
        format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
        format!("{SIGNED_IN_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0"),
    ]
}

/// The session id a request's cookie carries.
pub fn session_of(req_headers: &axum::http::HeaderMap) -> Option<String> {
    req_headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The bearer token of a request's `Authorization` header.
fn bearer(req: &Request) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" works as "Bearer".
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(rest)
        })
        .map(|v| v.trim().to_string())
}

/// Whether `presented` is the token, in time independent of where they differ and of the token's
/// length: both are hashed (SHA-256) and the digests compared in constant time (`subtle`).
pub fn same(presented: &str, token: &str) -> bool {
    use subtle::ConstantTimeEq;
    let (a, b) = (
        Sha256::digest(presented.as_bytes()),
        Sha256::digest(token.as_bytes()),
    );
    a.as_slice().ct_eq(b.as_slice()).into()
}

/// Middleware: lets the request through when no token is configured, the path is open, the request
/// carries the token, or its session cookie is live; otherwise 401 for the API and a redirect to
/// `/login` for pages.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(token) = &state.token else {
        return next.run(req).await;
    };
    let allowed = OPEN.contains(&req.uri().path())
        || bearer(&req).is_some_and(|t| same(&t, token))
        || session_of(req.headers()).is_some_and(|id| state.sessions.valid(&id));
    if allowed {
        return next.run(req).await;
    }
    if req.uri().path().starts_with("/api/") {
        ApiError::unauthorized().into_response()
    } else {
        Redirect::to("/login").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_end_and_stay_bounded() {
        let sessions = Sessions::with_ttl(Duration::from_millis(50));
        let id = sessions.start().unwrap_or_default();
        assert_eq!(id.len(), 64);
        assert!(sessions.valid(&id));
        assert!(!sessions.valid("not-a-session"));
        std::thread::sleep(Duration::from_millis(80));
        assert!(!sessions.valid(&id), "expired");

        let sessions = Sessions::default();
        let first = sessions.start().unwrap_or_default();
        let second = sessions.start().unwrap_or_default();
        assert_ne!(first, second);
        sessions.end(&first);
        assert!(!sessions.valid(&first) && sessions.valid(&second));
        for _ in 0..MAX_SESSIONS + 10 {
            sessions.start();
        }
        assert!(sessions.live.lock().map(|m| m.len()).unwrap_or(0) <= MAX_SESSIONS);
    }
}
