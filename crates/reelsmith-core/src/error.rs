//! The core error type: what can go wrong at the domain boundary, independent of any backend.

/// Errors from domain validation and from any [`crate::store::PersonaStore`] backend.
///
/// The binary maps each variant to one exit code and the web layer to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input was wrong; the message says what and how to fix it.
    #[error("{0}")]
    InvalidInput(String),
    /// Nothing is stored under that key.
    #[error("no {kind} named '{key}'{hint}")]
    NotFound {
        /// What was looked for, e.g. `persona`.
        kind: &'static str,
        /// The key looked up.
        key: String,
        /// A hint on how to find valid keys (may be empty).
        hint: String,
    },
    /// The storage backend failed (connection, migration, query).
    #[error("storage error: {0}")]
    Storage(String),
    /// A model (embedding or LLM) is missing or failed; the message says which and how to fix it.
    #[error("{0}")]
    Model(String),
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
