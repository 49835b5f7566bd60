//! reelsmith's models, all behind the core's traits:
//! - [`embed`]: the in-process sentence-embedding model (all-MiniLM-L6-v2 on candle);
//! - [`openai`]: any OpenAI-compatible chat-completions endpoint, with retries and backoff;
//! - [`local`]: an in-process GGUF model through llama.cpp (`llama-cpp-2`), the offline default;
//! - [`providers`]: the built-in provider table with prices;
//! - [`router`]: per-step provider choice, fallback chains, spending caps and the call ledger.

pub mod config;
pub mod embed;
pub mod likelihood;
pub mod local;
pub mod openai;
pub mod providers;
pub mod router;

pub use config::LlmConfig;
pub use embed::{
    BertEmbedder, MAX_TOKENS, MINILM, MINILM_DIMENSIONS, PYPI_PACKAGES, locate_minilm,
};
pub use reelsmith_core::llm::{CallContext, Routed};
pub use router::LlmRouter;
