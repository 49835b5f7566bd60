//! The server-rendered web UI (maud templates, a small vendored script, no build step).

use axum::Router;

use crate::AppState;

/// The UI's routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
