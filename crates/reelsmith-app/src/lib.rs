//! reelsmith's application layer: the use cases every front end (the CLI, the REST API and web UI,
//! and whatever comes next) calls, over the core's traits — [`reelsmith_core::llm::ModelRouter`],
//! [`reelsmith_core::embed::Embedder`] and the stores — never over a concrete backend.
//! - [`learn`]: learn a persona (or a new version of one);
//! - [`persona`]: delete a persona, refusing while approved scripts depend on it;
//! - [`write`]: write a script (the best of N, fitted to its length, stored as it runs), retry a
//!   failed or interrupted one, and revise a section;
//! - [`recovery`]: generations left running by a dead process marked interrupted;
//! - [`score`]: score any draft, against a persona or not;
//! - [`import`]: import how posted scripts performed, from platform exports;
//! - [`retrieve`]: the persona's examples nearest a topic, and what else a prompt draws on
//!   (`evidence`);
//! - [`experiments`]: A/B tests of variants of one idea, and what won experiments teach;
//! - [`request`]: a script request from what a user typed, with the one definition of its
//!   defaults and limits;
//! - [`generate`], [`fit`], [`analysis`]: the model-facing steps those use cases run.

pub mod analysis;
pub mod dataset;
pub mod error;
mod evidence;
pub mod experiments;
pub mod feedback;
pub mod fit;
pub mod generate;
pub mod history;
pub mod import;
pub mod insights;
pub mod learn;
pub mod persona;
pub mod recovery;
mod repair;
pub mod repurpose;
pub mod request;
pub mod retrieve;
pub mod score;
pub mod voice;
pub mod write;

pub use error::ServiceError;
pub use write::Models;
