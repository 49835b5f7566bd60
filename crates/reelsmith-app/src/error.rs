//! What can go wrong in a use case, mapped once to an exit code (the binary) and once to an HTTP
//! status (the web crate).

use reelsmith_core::generation::{FieldError, FieldErrors};
use reelsmith_core::llm::LlmError;

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Request fields are wrong, each named with the fix (HTTP 422, exit code 2). Nothing is stored.
    #[error(transparent)]
    Invalid(#[from] FieldErrors),
    /// Storage failed, or the persona / generation does not exist.
    #[error(transparent)]
    Store(#[from] reelsmith_core::Error),
    /// No model gave a usable script. The failure was stored as `generation_id` when there is one.
    #[error("{error}{}", generation_id.map(|id| format!(" (recorded as failed generation {id})")).unwrap_or_default())]
    Llm {
        /// The model's error (provider, model, reason).
        error: LlmError,
        /// The stored failed generation.
        generation_id: Option<i64>,
    },
}

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(e.into())
    }
}
