//! The `reelsmith` binary's shared parts, also used by the developer tooling (`reelsmith-dev`):
//! configuration loading, exit codes, the wiring of the configured backends, and the `eval` commands' readers and
//! evaluations (Upworthy-format A/B tests, voices, topic relevance).

pub mod calibration_eval;
pub mod config;
pub mod exit;
pub mod experiment_eval;
pub mod hook_eval;
pub mod topic_eval;
pub mod voice_eval;
pub mod wiring;
