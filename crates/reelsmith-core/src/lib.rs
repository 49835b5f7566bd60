//! reelsmith's pure domain: personas and their style profiles, the hook and call-to-action taxonomies,
//! per-language lexicons and the storage trait. No I/O, no async runtime: backends live in other crates.

pub mod analysis;
pub mod attribution;
pub mod best_time;
pub mod calibration;
pub mod cta;
pub mod embed;
pub mod error;
pub mod eval;
pub mod experiment;
pub mod export;
pub mod formats;
pub mod generation;
pub mod hashtags;
pub mod hooks;
pub mod language;
pub mod lexicon;
pub mod linking;
pub mod llm;
pub mod logistic;
pub mod outcome;
pub mod performance;
pub mod persona;
pub mod persona_analysis;
pub mod phrases;
pub mod platform;
pub mod progress;
pub mod prompts;
pub mod request;
pub mod score;
pub mod script;
pub mod secret;
pub mod stats;
pub mod store;
pub mod structured;
pub mod style;
pub mod text;
pub mod trim;

pub use error::{Error, Result};
