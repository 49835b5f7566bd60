//! The `reelsmith` binary's shared parts, also used by the developer tooling (`reelsmith-dev`):
//! configuration loading, exit codes, the wiring of the configured backends, and the reader of
//! Upworthy-format A/B test files.

pub mod config;
pub mod exit;
pub mod hook_eval;
pub mod voice_eval;
pub mod wiring;
