//! The `[llm]` settings: which provider and model each step uses, fallbacks, timeouts, retries,
//! spending caps, the local model and per-provider overrides.

use std::collections::BTreeMap;
use std::path::PathBuf;

use reelsmith_core::llm::PromptStyle;
use reelsmith_core::secret::Secret;
use serde::{Deserialize, Serialize};

/// `[llm]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmConfig {
    /// Provider for every step unless a step says otherwise: a name from the built-in table
    /// (`reelsmith llm providers`) or from `[llm.providers.NAME]`. Default `local`.
    pub provider: String,
    /// Model for that provider; unset: the provider's default model.
    pub model: Option<String>,
    /// Providers tried in order when the main one fails, e.g. `["openai", "local"]`.
    pub fallback: Vec<String>,
    /// Total time allowed for one HTTP request, seconds.
    pub timeout_s: f64,
    /// Time allowed to connect, seconds.
    pub connect_timeout_s: f64,
    /// Retries on 429, 5xx, timeouts and dropped connections (exponential backoff with jitter,
    /// honouring `Retry-After`).
    pub max_retries: u32,
    /// First backoff delay, milliseconds (doubles each retry, capped at 30 s).
    pub backoff_ms: u64,
    /// Whether `persona learn` asks the analysis model for the semantic persona fields.
    pub analyze_persona: bool,
    /// OTLP/HTTP traces endpoint (e.g. `http://localhost:4318/v1/traces`); unset: no export.
    pub otlp_endpoint: Option<String>,
    /// Spending caps.
    pub budget: BudgetConfig,
    /// The in-process GGUF model.
    pub local: LocalConfig,
    /// Per-provider overrides and custom providers.
    pub providers: BTreeMap<String, ProviderConfig>,
    /// Per-step choices: keys `analysis`, `generation`, `judging`.
    pub steps: BTreeMap<String, StepConfig>,
}

impl Default for LlmConfig {
    fn default() -> Self {
        Self {
            provider: "local".into(),
            model: None,
            fallback: Vec::new(),
            timeout_s: 120.0,
            connect_timeout_s: 10.0,
            max_retries: 3,
            backoff_ms: 500,
            analyze_persona: true,
            otlp_endpoint: None,
            budget: BudgetConfig::default(),
            local: LocalConfig::default(),
            providers: BTreeMap::new(),
            steps: BTreeMap::new(),
        }
    }
}

/// `[llm.budget]`: caps on spending, USD, summed from the call ledger (UTC day and month).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetConfig {
    /// Most USD spent per UTC day.
    pub daily_usd: Option<f64>,
    /// Most USD spent per UTC month.
    pub monthly_usd: Option<f64>,
}

/// `[llm.local]`: the in-process GGUF model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocalConfig {
    /// The GGUF file; unset: found automatically (see [`crate::local::locate_gguf`]).
    pub model_path: Option<PathBuf>,
    /// `base` or `instruct`; unset: `instruct` when the file name says `-it`, `instruct` or
    /// `chat`, else `base`.
    pub style: Option<PromptStyle>,
    /// Context window, tokens (prompt plus all choices' output).
    pub context_tokens: u32,
    /// CPU threads; unset: all cores.
    pub threads: Option<u32>,
}

impl Default for LocalConfig {
    fn default() -> Self {
        Self {
            model_path: None,
            style: None,
            context_tokens: 4096,
            threads: None,
        }
    }
}

/// `[llm.providers.NAME]`: overrides a built-in provider or defines a new OpenAI-compatible one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderConfig {
    /// Base URL ending in `/v1` (or the server's equivalent).
    pub base_url: Option<String>,
    /// Environment variable holding the API key.
    pub api_key_env: Option<String>,
    /// The API key itself (prefer `api_key_env`; never printed).
    pub api_key: Option<Secret>,
    /// Default model.
    pub model: Option<String>,
    /// Price per million input tokens, USD.
    pub price_input_per_mtok: Option<f64>,
    /// Price per million output tokens, USD.
    pub price_output_per_mtok: Option<f64>,
    /// Whether the server honours `response_format: json_schema`.
    pub json_schema: Option<bool>,
    /// Whether the server returns `n` choices from one request.
    pub n: Option<bool>,
    /// `base` or `instruct` (default `instruct` for remote models).
    pub style: Option<PromptStyle>,
}

/// `[llm.steps.NAME]`: one step's provider, model and fallbacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StepConfig {
    /// Provider; unset: `llm.provider`.
    pub provider: Option<String>,
    /// Model; unset: `llm.model` when the provider is the same, else the provider's default.
    pub model: Option<String>,
    /// Fallbacks; unset: `llm.fallback`.
    pub fallback: Option<Vec<String>>,
}
