//! The connection loop, with timeouts. `axum::serve` gives hyper no timer, so hyper's header
//! timeout never ran: 60 slow or idle connections were all still open after 90 s (issue 12). Here
//! each connection is served by hyper's HTTP/1 server with a timer, so a client must send a request's
//! line and headers within [`HEADER_TIMEOUT`] of the connection opening or of its previous response
//! (which also closes idle keep-alive connections), and [`crate::app`] bounds the time to send a body
//! ([`BODY_TIMEOUT`]). Responses are not timed: a generation on a local model may take minutes, and
//! its event stream sends keep-alive comments meanwhile.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt;

/// Time to send a request's line and headers, and how long an idle keep-alive connection stays
/// open: 10 s (a browser sends headers in one packet; nginx's `client_header_timeout` is 60 s).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Time to send a whole request body: 60 s (a 16 MiB upload at 2.2 Mbit/s).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting and lets every open
/// connection finish its request (hyper's graceful shutdown), resolving when all are closed.
///
/// # Errors
/// None today: a failed accept (too many open files) is retried after 50 ms.
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let service = app
                    .clone()
                    .map_request(|r: axum::http::Request<Incoming>| r.map(Body::new));
                let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
