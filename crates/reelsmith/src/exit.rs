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
//! | 141 | the reader of the output went away (`reelsmith posts list \| head`): 128 + SIGPIPE, as a shell reports a program the signal ended; nothing is printed |

/// The exit code when stdout's reader has gone (a closed pipe): 128 + SIGPIPE (13), the status a
/// shell gives a program ended by that signal.
pub const BROKEN_PIPE: i32 = 141;

use std::process::ExitCode;

use reelsmith_app::ServiceError;
use reelsmith_core::Error;
use reelsmith_core::generation::{FieldError, FieldErrors};
use reelsmith_ingest::IngestError;

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
        if cause.is::<IngestError>()
            || cause.is::<UserError>()
            || cause.is::<FieldErrors>()
            || cause.is::<FieldError>()
        {
            return ExitCode::from(2);
        }
    }
    ExitCode::from(1)
}

/// The error and its causes on one line, each said once: a cause whose text the line already holds
/// (a wrapped error that repeats its source) is left out.
pub fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// The exit code for a failure before any command ran.
pub fn code_for_internal() -> ExitCode {
    ExitCode::from(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_error_is_said_once() {
        let inner: ServiceError =
            FieldError::new("duration_s", "0 is out of range: use 15 to 90 seconds").into();
        let err = anyhow::Error::from(inner).context("writing the script");
        let m = message(&err);
        assert_eq!(m.matches("out of range").count(), 1, "{m}");
        assert!(
            m.starts_with("writing the script: duration_s: 0 is out of range"),
            "{m}"
        );
    }
}
