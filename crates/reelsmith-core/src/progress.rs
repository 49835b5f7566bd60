//! Progress of a generation while it runs: what a terminal progress bar or a server-sent event
//! stream shows (attempt k of N, tokens so far, scores, length fitting).

use std::sync::Arc;

use serde::Serialize;

/// How the winner is being brought to the target length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitStep {
    /// A base model continues the body (one more run of sentences).
    Continuation,
    /// The model rewrites the script shorter or longer.
    Rewrite,
    /// The last resort: cut at sentence boundaries.
    Trim,
}

/// One step of a generation in progress. Serialized with an `event` tag, e.g.
/// `{"event":"scored","attempt":0,"overall":71.2,"estimated_s":29.5,"error":null}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Progress {
    /// The first request went out: `attempts` drafts are being written.
    Started {
        /// Attempts requested.
        attempts: u32,
    },
    /// A piece of an attempt's text arrived.
    Token {
        /// 0-based attempt.
        attempt: usize,
        /// The text piece (one token or a few).
        text: String,
    },
    /// An attempt was parsed and scored, or dropped.
    Scored {
        /// 0-based attempt.
        attempt: usize,
        /// Its overall score, 0–100 (None when it did not parse).
        overall: Option<f64>,
        /// Its spoken length, seconds (None when it did not parse).
        estimated_s: Option<f64>,
        /// Why it was dropped.
        error: Option<String>,
    },
    /// The winner is being fitted to the target length.
    Fitting {
        /// What is being done.
        how: FitStep,
        /// Round of this kind, from 1.
        round: u32,
        /// The winner's spoken length before this round, seconds.
        estimated_s: f64,
        /// The target, seconds.
        target_s: f64,
    },
}

/// Receives progress; called from the generating task, so it must be quick (update a bar, send on
/// a channel).
pub type ProgressSink = Arc<dyn Fn(Progress) + Send + Sync>;

/// Calls `sink` when there is one.
pub fn emit(sink: Option<&ProgressSink>, event: Progress) {
    if let Some(s) = sink {
        s(event);
    }
}
