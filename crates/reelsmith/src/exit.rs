//! Exit codes, decided in one place from the error's kind.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | internal or unexpected error |
//! | 2 | invalid input: bad flags, files, names or values (clap's usage errors use 2 as well) |
//! | 3 | not found: no persona (or version) by that name |
//! | 4 | storage: the database could not be opened, migrated or written |
//! | 5 | model: a model (embedding, LLM) is missing or failed |

use std::process::ExitCode;

use reelsmith_core::Error;
use reelsmith_ingest::IngestError;
use reelsmith_llm::service::ServiceError;

/// Marks an error as the user's input (exit code 2) when it has no typed cause.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// The exit code for an error, from the first typed cause in its chain.
pub fn code(err: &anyhow::Error) -> ExitCode {
    let of = |e: &Error| match e {
        Error::InvalidInput(_) => 2,
        Error::NotFound { .. } => 3,
        Error::Storage(_) => 4,
        Error::Model(_) => 5,
    };
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return ExitCode::from(of(e));
        }
        if let Some(e) = cause.downcast_ref::<ServiceError>() {
            return ExitCode::from(match e {
                ServiceError::Invalid(_) => 2,
                ServiceError::Store(e) => of(e),
                ServiceError::Llm { .. } => 5,
            });
        }
        if cause.is::<reelsmith_core::llm::LlmError>() {
            return ExitCode::from(5);
        }
        if cause.is::<IngestError>() || cause.is::<UserError>() {
            return ExitCode::from(2);
        }
    }
    ExitCode::from(1)
}

/// The exit code for a failure before any command ran.
pub fn code_for_internal() -> ExitCode {
    ExitCode::from(1)
}
