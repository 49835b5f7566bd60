//! The server as a web citizen: a request must name a host the server answers to (an allow-list,
//! localhost by default — a foreign `Host` is how DNS rebinding reaches a local server), and a
//! state-changing request from a browser must come from the server's own pages (its `Origin`, or
//! `Sec-Fetch-Site`, says so) — with or without a token, so no other site the user visits can post
//! the UI's forms. Every answer carries security headers: a Content-Security-Policy that allows
//! only the server's own script and style, no framing, `nosniff`, and no referrer sent to other
//! sites.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{ApiError, AppState};

/// Host names every server answers to: the loopback names.
pub const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The Content-Security-Policy of every answer: the UI's one script and stylesheet are served by the
/// server itself; `style-src` allows inline `style` attributes (the timing bar's widths); nothing
/// may frame the UI.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The host name of a `Host` header or an origin's authority, lower-case, without port or brackets.
fn host_name(authority: &str) -> String {
    let a = authority.trim().to_ascii_lowercase();
    let name = if let Some(rest) = a.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default().to_string()
    } else {
        a.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(a.clone(), |(h, _)| h.to_string())
    };
    name.trim_end_matches('.').to_string()
}

/// The authority (`host:port`) of an `Origin` header; `None` for `null` or a malformed one.
fn origin_authority(origin: &str) -> Option<String> {
    let rest = origin.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    (!authority.is_empty()).then(|| authority.to_ascii_lowercase())
}

/// Why a request is refused, if it is.
fn refusal(method: &Method, headers: &HeaderMap, hosts: &[String]) -> Option<String> {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let name = host_name(host);
    if !hosts.contains(&name) {
        return Some(format!(
            "this server does not answer to host '{name}' — add it to [server] allowed_hosts if it is yours"
        ));
    }
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method {
        return None;
    }
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // A browser hides the origin ("null") under some referrer policies and sandboxes; its
        // Fetch Metadata still tells a page's own form from another site's.
        Some("null") if fetch_site == Some("same-origin") => None,
        Some(origin) => {
            let same = origin_authority(origin).is_some_and(|a| a == host.to_ascii_lowercase());
            (!same).then(|| {
                format!(
                    "a request from another site ({origin}) may not change anything here — use reelsmith's own pages or the API without a browser"
                )
            })
        }
        None => fetch_site
            .filter(|s| *s == "cross-site" || *s == "same-site")
            .map(|s| format!("a {s} browser request may not change anything here")),
    }
}

/// Middleware: refuses foreign hosts and cross-site changes (403), and adds the security headers.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = match refusal(req.method(), req.headers(), &state.hosts) {
        Some(why) => ApiError::forbidden(why).into_response(),
        None => next.run(req).await,
    };
    let h = resp.headers_mut();
    for (name, value) in [
        ("content-security-policy", CSP),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        // Same-origin: the server's own forms keep their Origin header; other sites learn nothing.
        ("referrer-policy", "same-origin"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    resp
}

/// The allow-list for a server bound to `bind`: the loopback names, the bound address when it is a
/// specific one, and `extra` (the configured `[server] allowed_hosts`).
pub fn allowed_hosts(bind: &std::net::SocketAddr, extra: &[String]) -> Vec<String> {
    let mut hosts: Vec<String> = LOOPBACK_HOSTS.iter().map(|h| (*h).to_string()).collect();
    if !bind.ip().is_unspecified() {
        hosts.push(bind.ip().to_string());
    }
    hosts.extend(extra.iter().map(|h| host_name(h)));
    hosts.sort();
    hosts.dedup();
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.insert(*k, v);
            }
        }
        h
    }

    #[test]
    fn hosts_and_origins_are_checked() {
        let hosts = allowed_hosts(
            &"127.0.0.1:8505"
                .parse()
                .unwrap_or_else(|e| unreachable!("{e}")),
            &["reels.example.com".into()],
        );
        let ok = |m: Method, h: &[(&'static str, &str)]| refusal(&m, &headers(h), &hosts).is_none();
        assert!(ok(Method::GET, &[("host", "127.0.0.1:8505")]));
        assert!(ok(Method::GET, &[("host", "LOCALHOST:8505")]));
        assert!(ok(Method::GET, &[("host", "[::1]:8505")]));
        assert!(ok(Method::GET, &[("host", "reels.example.com")]));
        assert!(!ok(Method::GET, &[("host", "attacker.example:8505")]));
        assert!(!ok(Method::GET, &[]));
        assert!(ok(
            Method::POST,
            &[
                ("host", "127.0.0.1:8505"),
                ("origin", "http://127.0.0.1:8505")
            ]
        ));
        assert!(!ok(
            Method::POST,
            &[
                ("host", "127.0.0.1:8505"),
                ("origin", "http://evil.example")
            ]
        ));
        assert!(!ok(
            Method::POST,
            &[("host", "127.0.0.1:8505"), ("origin", "null")]
        ));
        assert!(ok(
            Method::POST,
            &[
                ("host", "127.0.0.1:8505"),
                ("origin", "null"),
                ("sec-fetch-site", "same-origin")
            ]
        ));
        assert!(!ok(
            Method::DELETE,
            &[("host", "127.0.0.1:8505"), ("sec-fetch-site", "cross-site")]
        ));
        assert!(ok(
            Method::POST,
            &[
                ("host", "127.0.0.1:8505"),
                ("sec-fetch-site", "same-origin")
            ]
        ));
        assert!(
            ok(Method::POST, &[("host", "127.0.0.1:8505")]),
            "non-browser clients send no Origin"
        );
    }
}
