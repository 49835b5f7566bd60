//! `reelsmith serve`: one axum server for the REST API under `/api/v1` (documented by the OpenAPI
//! 3.1 document at `/api/openapi.json` and a readable page at `/api/docs`) and the server-rendered
//! web UI at `/`. Generations stream progress as server-sent events; shutdown is graceful (in-flight
//! generations finish, or are recorded as interrupted after the grace period).

pub mod api;
pub mod auth;
pub mod documents;
pub mod error;
pub mod guard;
pub mod inflight;
pub mod listen;
pub mod request_log;
pub mod ui;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use reelsmith_app::Models;
use reelsmith_core::embed::Embedder;
use reelsmith_core::llm::ModelRouter;
use reelsmith_core::store::Workspace;
use reelsmith_store::Store;
use tower_http::limit::RequestBodyLimitLayer;

pub use documents::Documents;
pub use error::{ApiError, ApiResult};
pub use inflight::Inflight;

/// Largest request body, bytes (uploads of a story and example documents included): 16 MiB.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    /// The store (SQLite or PostgreSQL).
    pub store: Store,
    /// Routes every LLM call (generation, judging, persona analysis).
    pub router: Arc<dyn ModelRouter>,
    /// Ranks examples for retrieval and embeds new ones; None when the model is not installed.
    pub embedder: Option<Arc<dyn Embedder>>,
    /// Whether `persona` creation asks the analysis model for the fields left empty.
    pub analyze_persona: bool,
    /// The API token every request must carry; None on localhost without one.
    pub token: Option<Arc<str>>,
    /// Generations in progress (for graceful shutdown).
    pub inflight: Inflight,
    /// The workspace every request works in (the local default until accounts exist).
    pub workspace: Workspace,
    /// Host names the server answers to (see [`guard::allowed_hosts`]).
    pub hosts: Arc<[String]>,
    /// Reads uploaded story and example documents.
    pub documents: Documents,
    /// Signed-in browsers.
    pub sessions: auth::Sessions,
}

impl AppState {
    /// The models a generation uses.
    pub fn models(&self) -> Models<'_> {
        Models {
            router: self.router.as_ref(),
            embedder: self.embedder.as_deref(),
        }
    }
}

/// The whole application: API, OpenAPI document, docs page and UI, behind the token check and the
/// body size limit.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi = Arc::new(openapi);
    Router::new()
        .nest("/api/v1", api)
        .merge(api::docs_router(openapi))
        .merge(ui::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ))
        // Before the token check: a foreign host or a cross-site change is refused either way.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            listen::BODY_TIMEOUT,
        ))
        .layer(panic_guard())
        // Outermost, so refused requests (401, 413) are logged too.
        .layer(axum::middleware::from_fn(request_log::log_request))
        .with_state(state)
}

/// The response to a panicking handler.
type OnPanic = fn(Box<dyn std::any::Any + Send>) -> axum::response::Response;

/// A handler that panics answers 500 with a plain message ([`ApiError::internal`]), the connection
/// and the server carry on, and the panic message is logged (without a backtrace).
pub fn panic_guard() -> tower_http::catch_panic::CatchPanicLayer<OnPanic> {
    fn answer(panic: Box<dyn std::any::Any + Send>) -> axum::response::Response {
        let what = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        tracing::error!(panic = what, "a request handler panicked");
        axum::response::IntoResponse::into_response(ApiError::internal())
    }
    tower_http::catch_panic::CatchPanicLayer::custom(answer as OnPanic)
}

/// Whether `addr` is a loopback address (binding elsewhere needs a token).
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Serves `state` on `listener` until `shutdown` resolves; then stops accepting and refuses new
/// generations (503), lets requests finish, waits up to `grace` for generations still running, marks
/// the rest `interrupted` and answers their clients 503 naming them (allowing
/// [`ANSWER_AFTER_INTERRUPT`] for that), then stops.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let inflight = state.inflight.clone();
    let store = state.store.clone();
    let app = app(state);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let served = listen::run(listener, app, async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let mut stop = stop_rx.clone();
    // In its own task so that the server ending (its last connection answered) cannot drop it
    // halfway through marking generations interrupted.
    let mut cut_off = tokio::spawn(async move {
        let _ = stop.wait_for(|s| *s).await;
        inflight.finish(&store, grace).await
    });
    tokio::pin!(served);
    tokio::select! {
        result = &mut served => {
            if result.is_err() {
                cut_off.abort();
            }
            // Generations whose client went away are still waited for (up to the grace period).
            let _ = cut_off.await;
            result
        }
        _ = &mut cut_off => {
            // The cut-off clients get their 503; connections still open after that are dropped.
            tokio::time::timeout(ANSWER_AFTER_INTERRUPT, &mut served)
                .await
                .unwrap_or(Ok(()))
        }
    }
}

/// How long the server keeps running after marking generations interrupted, so their clients get
/// the 503 that names them (2 s).
pub const ANSWER_AFTER_INTERRUPT: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_without_internals() {
        #[allow(clippy::panic)]
        async fn boom() -> &'static str {
            panic!("secret internals")
        }
        let app = axum::Router::new()
            .route("/boom", axum::routing::get(boom))
            .layer(super::panic_guard());
        let req = axum::http::Request::get("/boom")
            .body(axum::body::Body::empty())
            .unwrap_or_default();
        let resp = app.oneshot(req).await.unwrap_or_else(|e| match e {});
        assert_eq!(resp.status().as_u16(), 500);
        let body = axum::body::to_bytes(resp.into_body(), 4096)
            .await
            .unwrap_or_default();
        let body = String::from_utf8_lossy(&body);
        assert!(
            body.contains("\"internal\"") && !body.contains("secret"),
            "{body}"
        );
    }
}
