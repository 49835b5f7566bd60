//! The language-model boundary: normalized request and response types, the [`Llm`] trait every
//! provider implements (remote OpenAI-compatible endpoints, the in-process GGUF model, the scripted
//! test model), the error taxonomy that drives retries and fallbacks, and the call-ledger record.
//! Provider wire types stay private to `reelsmith-llm`.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who says a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions framing the conversation.
    System,
    /// The request.
    User,
    /// A model turn (used for few-shot examples).
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: String,
}

impl Message {
    /// A message from `role`.
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
        }
    }
}

/// What the model is asked: chat messages (instruct models) or a raw text to continue (base models).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Prompt {
    /// Chat messages; a base model gets them flattened into one text.
    Chat(Vec<Message>),
    /// A text the model continues (completion-style few-shot prompting).
    Completion(String),
}

impl Prompt {
    /// The prompt as one text: a completion prompt as is; chat messages as `Role: content` lines
    /// ending with `Assistant:` — how a base model or a budget estimate sees a chat.
    pub fn flattened(&self) -> String {
        match self {
            Self::Completion(text) => text.clone(),
            Self::Chat(messages) => {
                let mut out = String::new();
                for m in messages {
                    let who = match m.role {
                        Role::System => "Instructions",
                        Role::User => "User",
                        Role::Assistant => "Assistant",
                    };
                    out.push_str(who);
                    out.push_str(": ");
                    out.push_str(&m.content);
                    out.push_str("\n\n");
                }
                out.push_str("Assistant:");
                out
            }
        }
    }
}

/// A JSON schema the answer must follow (OpenAI `response_format: json_schema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonSchema {
    /// Schema name, `[a-zA-Z0-9_-]{1,64}`.
    pub name: String,
    /// The JSON Schema document.
    pub schema: serde_json::Value,
}

/// A normalized completion request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmRequest {
    /// The prompt.
    pub prompt: Prompt,
    /// Sampling temperature, 0–2 (0: greedy).
    pub temperature: f32,
    /// Most tokens generated per choice.
    pub max_tokens: u32,
    /// Texts that end a choice (not included in the output).
    pub stop: Vec<String>,
    /// Independent choices wanted, 1–8.
    pub n: u32,
    /// Structured output: the schema sent as `response_format` where the provider supports it.
    pub json_schema: Option<JsonSchema>,
    /// A llama.cpp GBNF grammar constraining local sampling (ignored by remote providers).
    pub grammar: Option<String>,
    /// Sampling seed, for reproducible local runs.
    pub seed: Option<u32>,
}

impl LlmRequest {
    /// A request with one choice, no stop texts, no schema and no grammar.
    pub fn new(prompt: Prompt, temperature: f32, max_tokens: u32) -> Self {
        Self {
            prompt,
            temperature,
            max_tokens,
            stop: Vec::new(),
            n: 1,
            json_schema: None,
            grammar: None,
            seed: None,
        }
    }

    /// Prompt tokens estimated at 4 characters a token (OpenAI's rule of thumb for English,
    /// <https://help.openai.com/en/articles/4936856>), for budget checks before a call.
    pub fn estimated_prompt_tokens(&self) -> u64 {
        (self.prompt.flattened().chars().count() as u64).div_ceil(4)
    }
}

/// Why a choice ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// The model finished, or a stop text was met.
    Stop,
    /// `max_tokens` was reached: the text may be cut off.
    Length,
    /// The provider's content filter cut it.
    ContentFilter,
    /// Anything else the provider reported.
    Other(String),
}

/// One generated choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// The generated text.
    pub text: String,
    /// Why it ended.
    pub finish_reason: FinishReason,
}

/// Token counts of one call, as the provider (or the local tokenizer) reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt (input) tokens.
    pub prompt_tokens: u64,
    /// Generated (output) tokens, all choices together.
    pub completion_tokens: u64,
}

/// A normalized completion response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmResponse {
    /// The choices, in index order.
    pub choices: Vec<Choice>,
    /// Token counts.
    pub usage: Usage,
    /// The model that answered, as the provider names it.
    pub model: String,
    /// Retries spent inside the provider (rate limits, server errors, dropped connections).
    pub retries: u32,
}

/// How a model wants to be prompted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PromptStyle {
    /// A base model: completion-style few-shot prompts and simple line formats.
    Base,
    /// An instruct (chat) model: chat prompts and JSON answers.
    Instruct,
}

/// What a provider can do beyond plain completion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Honours `response_format: json_schema`.
    pub json_schema: bool,
    /// Returns `n` choices from one request.
    pub n: bool,
    /// Honours a GBNF grammar.
    pub grammar: bool,
}

/// A streamed piece of output: `(choice index, text)`.
pub type TokenSink = Arc<dyn Fn(usize, &str) + Send + Sync>;

/// What kind of failure an [`LlmError`] is; it decides retries and fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LlmErrorKind {
    /// No connection could be made (DNS, refused, TLS).
    Unreachable,
    /// The connect or total timeout passed.
    Timeout,
    /// HTTP 429 after every retry.
    RateLimited,
    /// HTTP 5xx after every retry.
    Server,
    /// HTTP 401: the key is missing or wrong.
    Unauthorized,
    /// HTTP 403: the key may not use this model or endpoint.
    Forbidden,
    /// HTTP 404: unknown model or wrong base URL.
    NotFound,
    /// HTTP 400 or another 4xx: the request was refused.
    BadRequest,
    /// The response was not the JSON the API promises.
    Malformed,
    /// A stream ended before the model finished.
    StreamCut,
    /// The call would pass a configured spending cap.
    Budget,
    /// The local model is missing or failed.
    Local,
    /// The provider is not configured correctly (no key, unknown provider).
    Config,
    /// The answer could not be parsed into what was asked for.
    Unparseable,
}

impl LlmErrorKind {
    /// Whether retrying the same request may help: 429, 5xx, timeouts, dropped connections, and a
    /// body that is not the promised JSON (a proxy's error page or a truncated answer is as passing
    /// as a 5xx; in a run with 30 % injected faults every failure was one of these, unretried).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            Self::Unreachable
                | Self::Timeout
                | Self::RateLimited
                | Self::Server
                | Self::StreamCut
                | Self::Malformed
        )
    }

    /// The fix to suggest.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Unreachable => "check the provider's base_url and your network",
            Self::Timeout => "raise llm.timeout_s or choose a faster model",
            Self::RateLimited => "wait, lower the number of attempts, or add a fallback provider",
            Self::Server => "the provider is failing; try again later or add a fallback provider",
            Self::Unauthorized => {
                "the API key is missing or wrong: set the provider's key variable"
            }
            Self::Forbidden => "the key may not use this model: check the account's access",
            Self::NotFound => {
                "unknown model or wrong base_url: check llm.model and the provider's model list"
            }
            Self::BadRequest => "the provider refused the request; the message above says why",
            Self::Malformed | Self::StreamCut => {
                "the provider sent a broken response; try again or use another provider"
            }
            Self::Budget => "raise llm.budget.daily_usd / monthly_usd or use a free provider",
            Self::Local => "check llm.local.model_path (`reelsmith llm test` tells what is wrong)",
            Self::Config => "see `reelsmith config default` for the [llm] settings",
            Self::Unparseable => "try again, raise the temperature a little, or use a larger model",
        }
    }
}

/// A failed model call, naming the provider, the model and the fix. Never carries an API key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmError {
    /// What kind of failure.
    pub kind: LlmErrorKind,
    /// Provider name from the table or config (`openai`, `local`...).
    pub provider: String,
    /// The model asked for.
    pub model: String,
    /// What the provider or engine said.
    pub detail: String,
    /// Retries spent before giving up.
    pub retries: u32,
    /// Ledger ids of the calls this error sums up (every provider tried), so that a failed
    /// generation can be linked to them; empty for errors that were not ledgered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call_ids: Vec<i64>,
}

impl LlmError {
    /// An error of `kind` for `provider`/`model`; any URL password in `detail` is hidden
    /// ([`crate::secret::redact_credentials`]), since the error is shown, logged and stored.
    pub fn new(
        kind: LlmErrorKind,
        provider: impl Into<String>,
        model: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            provider: provider.into(),
            model: model.into(),
            detail: crate::secret::redact_credentials(&detail.into()),
            retries: 0,
            call_ids: Vec::new(),
        }
    }
}

impl fmt::Display for LlmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.provider, self.model, self.detail)?;
        if self.retries > 0 {
            write!(f, " (after {} retries)", self.retries)?;
        }
        write!(f, " — {}", self.kind.hint())
    }
}

impl std::error::Error for LlmError {}

impl From<LlmError> for crate::Error {
    fn from(e: LlmError) -> Self {
        crate::Error::Model(e.to_string())
    }
}

/// A language model behind one provider.
#[async_trait]
pub trait Llm: Send + Sync {
    /// The provider's name (`openai`, `local`, `scripted`...).
    fn provider(&self) -> &str;
    /// The model's name.
    fn model(&self) -> &str;
    /// How to prompt it.
    fn prompt_style(&self) -> PromptStyle;
    /// What it supports.
    fn capabilities(&self) -> Capabilities;
    /// Runs one request. With a `sink`, text is streamed to it as it arrives.
    ///
    /// # Errors
    /// [`LlmError`] after the provider's own retries.
    async fn complete(
        &self,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<LlmResponse, LlmError>;
}

/// What a call served, for the ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallContext {
    /// The workspace the call is billed to.
    pub workspace: crate::store::Workspace,
    /// The generation served, if any.
    pub generation_id: Option<i64>,
    /// The persona version served, if any.
    pub persona_version_id: Option<i64>,
}

impl CallContext {
    /// A call for `workspace`, not yet linked to a generation or persona version.
    pub fn new(workspace: crate::store::Workspace) -> Self {
        Self {
            workspace,
            ..Self::default()
        }
    }
}

/// A successful routed call.
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    /// The response.
    pub response: LlmResponse,
    /// The provider that answered.
    pub provider: String,
    /// Its model.
    pub model: String,
    /// Cost, USD.
    pub cost_usd: f64,
    /// Wall time of the answering call, milliseconds.
    pub latency_ms: u64,
    /// The ledger row's id.
    pub call_id: i64,
    /// The provider this answer fell back from, when the main one failed.
    pub fallback_from: Option<String>,
    /// Ledger ids of the tries that failed before this answer (fallbacks).
    pub failed_call_ids: Vec<i64>,
}

impl Routed {
    /// Ledger ids of every call this answer took: the failed tries, then the answering call.
    pub fn call_ids(&self) -> Vec<i64> {
        let mut ids = self.failed_call_ids.clone();
        ids.push(self.call_id);
        ids
    }

    /// The first choice's text (empty when the model gave none).
    pub fn first_text(&self) -> String {
        self.response
            .choices
            .first()
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }
}

/// What the use cases need from the model layer: how a step's main model wants to be prompted, and
/// one call routed through the step's provider chain (fallbacks, budget, ledger). `reelsmith-llm`'s
/// `LlmRouter` is the product's implementation; tests use an in-memory one over a test model.
#[async_trait]
pub trait ModelRouter: Send + Sync {
    /// The prompt style of `step`'s main model.
    ///
    /// # Errors
    /// The provider's configuration or loading error.
    async fn prompt_style(&self, step: Step) -> Result<PromptStyle, LlmError>;

    /// Runs `request` for `step`; with a `sink`, text is streamed to it as it arrives.
    ///
    /// # Errors
    /// [`LlmError`] when every provider of the chain failed.
    async fn call(
        &self,
        step: Step,
        ctx: CallContext,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<Routed, LlmError>;
}

/// The step of the pipeline a call serves; each step can use its own provider and model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// Learning a persona's semantic fields.
    Analysis,
    /// Writing scripts.
    Generation,
    /// Judging and rewriting scripts.
    Judging,
    /// `reelsmith llm test`.
    Test,
}

impl Step {
    /// Every step.
    pub const ALL: [Step; 4] = [Self::Analysis, Self::Generation, Self::Judging, Self::Test];

    /// Lower-case name, as stored in the ledger and used in `[llm.steps.NAME]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Analysis => "analysis",
            Self::Generation => "generation",
            Self::Judging => "judging",
            Self::Test => "test",
        }
    }
}

/// How a ledgered call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// The call answered.
    Ok,
    /// The call failed (see the error).
    Error,
    /// The call was refused before it was made (budget).
    Refused,
}

impl CallOutcome {
    /// Lower-case name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Error => "error",
            Self::Refused => "refused",
        }
    }
}

/// One row of the call ledger (table `llm_calls`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmCallRecord {
    /// The workspace the call is billed to.
    pub workspace: crate::store::Workspace,
    /// The generation the call served, if any.
    pub generation_id: Option<i64>,
    /// The persona version the call served (persona analysis), if any.
    pub persona_version_id: Option<i64>,
    /// The step.
    pub step: Step,
    /// Provider name.
    pub provider: String,
    /// Model name.
    pub model: String,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// Cost in USD from the provider's price table (0 for local models and unknown prices).
    pub cost_usd: f64,
    /// Wall time of the call including retries, milliseconds.
    pub latency_ms: u64,
    /// Retries spent.
    pub retries: u32,
    /// How it ended.
    pub outcome: CallOutcome,
    /// The error, when it failed (never holds a key).
    pub error: Option<String>,
    /// The provider this call fell back from, if it was a fallback.
    pub fallback_from: Option<String>,
    /// When the call started.
    pub created_at: DateTime<Utc>,
}

/// Usage totals for one day, step, provider and model (`reelsmith usage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageRow {
    /// UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// Step name.
    pub step: String,
    /// Provider name.
    pub provider: String,
    /// Model name.
    pub model: String,
    /// Calls made.
    pub calls: u64,
    /// Calls that failed or were refused.
    pub failed: u64,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// Cost, USD.
    pub cost_usd: f64,
    /// Mean latency, milliseconds.
    pub mean_latency_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_flattens_for_base_models() {
        let p = Prompt::Chat(vec![
            Message::new(Role::System, "Be brief."),
            Message::new(Role::User, "Hi"),
        ]);
        assert_eq!(
            p.flattened(),
            "Instructions: Be brief.\n\nUser: Hi\n\nAssistant:"
        );
    }

    #[test]
    fn errors_name_provider_model_and_fix() {
        let mut e = LlmError::new(
            LlmErrorKind::Unauthorized,
            "openai",
            "gpt-4o-mini",
            "HTTP 401",
        );
        e.retries = 0;
        let s = e.to_string();
        assert!(s.starts_with("openai (gpt-4o-mini): HTTP 401 — the API key"));
        assert!(!LlmErrorKind::Unauthorized.is_transient());
        assert!(LlmErrorKind::RateLimited.is_transient());
    }
}
