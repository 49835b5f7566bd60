//! Any OpenAI-compatible chat-completions endpoint through `async-openai`, with reelsmith's own
//! reliability policy: connect and total timeouts; retries with exponential backoff and jitter
//! (`backon`) on 429, 5xx, timeouts, dropped connections and cut streams, honouring `Retry-After`;
//! no retry on 400/401/403/404, which become errors naming the provider, the model and the fix.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::HttpRequestFactory;
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    ChatCompletionStreamOptions, CreateChatCompletionRequest, CreateChatCompletionResponse,
    FinishReason as WireFinish, ResponseFormat, ResponseFormatJsonSchema, StopConfiguration,
};
use async_trait::async_trait;
use backon::{BackoffBuilder, ExponentialBuilder};
use futures_util::StreamExt;
use futures_util::future::join_all;
use reelsmith_core::llm::{
    Capabilities, Choice, FinishReason, Llm, LlmError, LlmErrorKind, LlmRequest, LlmResponse,
    Message, Prompt, PromptStyle, Role, TokenSink, Usage,
};

use crate::providers::ProviderSpec;

/// Longest wait honoured from a `Retry-After` header, seconds.
const MAX_RETRY_AFTER_S: u64 = 60;
/// Longest backoff delay, seconds.
const MAX_BACKOFF_S: u64 = 30;

/// Timeouts and retry policy for remote calls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub timeout: Duration,
    /// Retries after the first try.
    pub max_retries: u32,
    /// First backoff delay (doubled each retry, with jitter, capped at 30 s).
    pub backoff: Duration,
}

/// A model behind an OpenAI-compatible endpoint.
pub struct OpenAiCompatible {
    spec: ProviderSpec,
    policy: Policy,
    http: reqwest::Client,
    /// Set once the endpoint showed it does not stream; later calls with a sink are plain.
    no_stream: Arc<AtomicBool>,
}

impl OpenAiCompatible {
    /// A client for `spec` with `policy`.
    ///
    /// # Errors
    /// [`LlmErrorKind::Config`] when the HTTP client cannot be built (TLS set-up).
    pub fn new(spec: ProviderSpec, policy: Policy) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.timeout)
            .build()
            .map_err(|e| {
                LlmError::new(
                    LlmErrorKind::Config,
                    &spec.name,
                    &spec.model,
                    format!("cannot build the HTTP client: {e}"),
                )
            })?;
        Ok(Self {
            spec,
            policy,
            http,
            no_stream: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The same client with another retry policy (e.g. none, for `reelsmith llm test`).
    pub fn with_policy(&self, policy: Policy) -> Self {
        Self {
            spec: self.spec.clone(),
            policy,
            http: self.http.clone(),
            no_stream: Arc::clone(&self.no_stream),
        }
    }

    /// The model ids the endpoint lists (`GET {base_url}/models`), or `None` when it does not list
    /// them (some compatible servers have no such route).
    pub async fn list_models(&self) -> Option<Vec<String>> {
        let mut req = self.http.get(format!("{}/models", self.spec.base_url));
        if let Some(key) = &self.spec.api_key {
            req = req.bearer_auth(&key.0);
        }
        let resp = req.send().await.ok()?;
        if !resp.status().is_success() {
            return None;
        }
        let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.ok()?).ok()?;
        Some(
            body["data"]
                .as_array()?
                .iter()
                .filter_map(|m| m["id"].as_str().map(str::to_string))
                .collect(),
        )
    }

    /// An async-openai client whose transport records the `Retry-After` of each response into
    /// `retry_after`, and does nothing else: the retry policy lives in [`Self::complete`].
    fn client(&self, retry_after: Arc<Mutex<Option<Duration>>>) -> Client<OpenAIConfig> {
        let mut config = OpenAIConfig::new().with_api_base(&self.spec.base_url);
        if let Some(key) = &self.spec.api_key {
            config = config.with_api_key(&key.0);
        }
        let http = self.http.clone();
        let service = tower::service_fn(move |factory: HttpRequestFactory| {
            let http = http.clone();
            let retry_after = Arc::clone(&retry_after);
            async move {
                let request = factory.build().await?;
                let response = http.execute(request).await.map_err(OpenAIError::Reqwest)?;
                let wait = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(|s| Duration::from_secs_f64(s.min(MAX_RETRY_AFTER_S as f64)));
                if let Ok(mut slot) = retry_after.lock() {
                    *slot = wait;
                }
                Ok::<_, OpenAIError>(response)
            }
        });
        Client::with_config(config).with_http_service(service)
    }

    fn wire_request(
        &self,
        request: &LlmRequest,
        n: u32,
        stream: bool,
    ) -> CreateChatCompletionRequest {
        let mut messages: Vec<Message> = match &request.prompt {
            Prompt::Chat(m) => m.clone(),
            Prompt::Completion(text) => vec![Message::new(Role::User, text.clone())],
        };
        let mut response_format = None;
        if let Some(schema) = &request.json_schema {
            if self.spec.capabilities.json_schema {
                response_format = Some(ResponseFormat::JsonSchema {
                    json_schema: ResponseFormatJsonSchema {
                        description: None,
                        name: schema.name.clone(),
                        schema: schema.schema.clone(),
                        strict: Some(false),
                    },
                });
            } else if let Some(last) = messages.iter_mut().rev().find(|m| m.role == Role::User) {
                last.content.push_str(&format!(
                    "\n\nAnswer with one JSON object following this JSON Schema, and nothing else:\n{}",
                    schema.schema
                ));
            }
        }
        let max = Some(request.max_tokens);
        let (max_tokens, max_completion_tokens) = if self.spec.max_completion_tokens {
            (None, max)
        } else {
            (max, None)
        };
        #[allow(deprecated)]
        CreateChatCompletionRequest {
            model: self.spec.model.clone(),
            messages: messages.into_iter().map(wire_message).collect(),
            temperature: Some(request.temperature),
            max_tokens,
            max_completion_tokens,
            n: (n > 1).then(|| u8::try_from(n).unwrap_or(u8::MAX)),
            stop: (!request.stop.is_empty()).then(|| {
                StopConfiguration::StringArray(request.stop.iter().take(4).cloned().collect())
            }),
            seed: request.seed.map(i64::from),
            response_format,
            stream: stream.then_some(true),
            stream_options: stream.then_some(ChatCompletionStreamOptions {
                include_usage: Some(true),
                include_obfuscation: None,
            }),
            ..Default::default()
        }
    }

    /// One plain (non-streamed) request.
    async fn plain(
        &self,
        client: &Client<OpenAIConfig>,
        request: &LlmRequest,
        n: u32,
    ) -> Result<LlmResponse, LlmError> {
        let wire = self.wire_request(request, n, false);
        let response = client
            .chat()
            .create(wire)
            .await
            .map_err(|e| self.error(e))?;
        self.normalize(response)
    }

    /// A plain request whose whole answers are then given to `sink`, one piece a choice.
    async fn plain_to_sink(
        &self,
        client: &Client<OpenAIConfig>,
        request: &LlmRequest,
        n: u32,
        sink: &TokenSink,
    ) -> Result<LlmResponse, LlmError> {
        let r = self.plain(client, request, n).await?;
        for (i, c) in r.choices.iter().enumerate() {
            sink(i, &c.text);
        }
        Ok(r)
    }

    /// The endpoint does not stream (it refused `stream: true`, or answered with plain JSON): from
    /// now on this client makes plain calls, and this one is made again without streaming.
    async fn stop_streaming(
        &self,
        client: &Client<OpenAIConfig>,
        request: &LlmRequest,
        n: u32,
        sink: &TokenSink,
        why: &LlmError,
    ) -> Result<LlmResponse, LlmError> {
        tracing::warn!(provider = %self.spec.name, model = %self.spec.model, error = %why.detail, "the endpoint does not stream; using plain calls");
        self.no_stream.store(true, Ordering::Relaxed);
        self.plain_to_sink(client, request, n, sink).await
    }

    /// One try: a plain request, or a stream when a sink is given (a plain request when the endpoint
    /// turned out not to stream).
    async fn once(
        &self,
        client: &Client<OpenAIConfig>,
        request: &LlmRequest,
        n: u32,
        sink: Option<&TokenSink>,
    ) -> Result<LlmResponse, LlmError> {
        let Some(sink) = sink else {
            return self.plain(client, request, n).await;
        };
        if self.no_stream.load(Ordering::Relaxed) {
            return self.plain_to_sink(client, request, n, sink).await;
        }
        let wire = self.wire_request(request, n, true);
        let mut stream = match client.chat().create_stream(wire).await {
            Ok(s) => s,
            Err(e) => {
                let e = self.error(e);
                if !refuses_streaming(&e) {
                    return Err(e);
                }
                return self.stop_streaming(client, request, n, sink, &e).await;
            }
        };
        let mut got_any = false;
        let mut texts: Vec<String> = vec![String::new(); n.max(1) as usize];
        let mut finishes: Vec<Option<FinishReason>> = vec![None; texts.len()];
        let mut usage = None;
        let mut model = self.spec.model.clone();
        while let Some(chunk) = stream.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    let e = self.error(e);
                    if got_any || !refuses_streaming(&e) {
                        return Err(e);
                    }
                    return self.stop_streaming(client, request, n, sink, &e).await;
                }
            };
            got_any = true;
            model = chunk.model;
            if let Some(u) = chunk.usage {
                usage = Some(u);
            }
            for c in chunk.choices {
                let i = c.index as usize;
                if i >= texts.len() {
                    texts.resize(i + 1, String::new());
                    finishes.resize(i + 1, None);
                }
                if let Some(piece) = c.delta.content.filter(|p| !p.is_empty()) {
                    sink(i, &piece);
                    texts[i].push_str(&piece);
                }
                if let Some(f) = c.finish_reason {
                    finishes[i] = Some(finish(f));
                }
            }
        }
        if !got_any {
            // No event at all: the endpoint answered with something that is not an event stream
            // (a plain completion), which the stream reader skips.
            let why = LlmError::new(
                LlmErrorKind::Malformed,
                &self.spec.name,
                &self.spec.model,
                "the answer to a streamed request held no events",
            );
            return self.stop_streaming(client, request, n, sink, &why).await;
        }
        if finishes.iter().any(Option::is_none) {
            return Err(LlmError::new(
                LlmErrorKind::StreamCut,
                &self.spec.name,
                &self.spec.model,
                "the stream ended before the model finished (no finish_reason)",
            ));
        }
        let completion: u64 = texts.iter().map(|t| t.len().div_ceil(4) as u64).sum();
        Ok(LlmResponse {
            choices: texts
                .into_iter()
                .zip(finishes)
                .map(|(text, f)| Choice {
                    text,
                    finish_reason: f.unwrap_or(FinishReason::Stop),
                })
                .collect(),
            usage: usage.map_or(
                Usage {
                    prompt_tokens: request.estimated_prompt_tokens(),
                    completion_tokens: completion,
                },
                |u| Usage {
                    prompt_tokens: u64::from(u.prompt_tokens),
                    completion_tokens: u64::from(u.completion_tokens),
                },
            ),
            model,
            retries: 0,
        })
    }

    fn normalize(&self, response: CreateChatCompletionResponse) -> Result<LlmResponse, LlmError> {
        if response.choices.is_empty() {
            return Err(LlmError::new(
                LlmErrorKind::Malformed,
                &self.spec.name,
                &self.spec.model,
                "the response has no choices",
            ));
        }
        let mut choices = response.choices;
        choices.sort_by_key(|c| c.index);
        Ok(LlmResponse {
            choices: choices
                .into_iter()
                .map(|c| Choice {
                    text: c.message.content.unwrap_or_default(),
                    finish_reason: c.finish_reason.map_or(FinishReason::Stop, finish),
                })
                .collect(),
            usage: response.usage.map_or(Usage::default(), |u| Usage {
                prompt_tokens: u64::from(u.prompt_tokens),
                completion_tokens: u64::from(u.completion_tokens),
            }),
            model: response.model,
            retries: 0,
        })
    }

    /// Maps an async-openai error to the taxonomy; never includes the key.
    fn error(&self, e: OpenAIError) -> LlmError {
        let (kind, detail) = match e {
            OpenAIError::ApiError(r) => {
                let status = r.status_code.as_u16();
                let kind = match status {
                    429 => LlmErrorKind::RateLimited,
                    500..=599 => LlmErrorKind::Server,
                    401 => LlmErrorKind::Unauthorized,
                    403 => LlmErrorKind::Forbidden,
                    404 => LlmErrorKind::NotFound,
                    _ => LlmErrorKind::BadRequest,
                };
                // 5xx bodies arrive raw; OpenAI's are still `{"error": {"message": ...}}`.
                let raw = r.api_error.message;
                let message = serde_json::from_str::<serde_json::Value>(&raw)
                    .ok()
                    .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
                    .unwrap_or(raw);
                let message: String = message
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(300)
                    .collect();
                (kind, format!("HTTP {status}: {message}"))
            }
            OpenAIError::Reqwest(e) if e.is_timeout() => {
                (LlmErrorKind::Timeout, format!("timed out: {e}"))
            }
            OpenAIError::Reqwest(e) if e.is_connect() => (
                LlmErrorKind::Unreachable,
                format!("cannot connect to {}: {e}", self.spec.base_url),
            ),
            OpenAIError::Reqwest(e) if e.is_body() || e.is_decode() => (
                LlmErrorKind::StreamCut,
                format!("the connection dropped mid-response: {e}"),
            ),
            OpenAIError::Reqwest(e) => (LlmErrorKind::Unreachable, format!("request failed: {e}")),
            OpenAIError::JSONDeserialize(e, _) => (
                LlmErrorKind::Malformed,
                format!("the response is not the JSON the API promises: {e}"),
            ),
            OpenAIError::StreamError(e) => {
                (LlmErrorKind::StreamCut, format!("the stream broke: {e}"))
            }
            other => (LlmErrorKind::BadRequest, other.to_string()),
        };
        LlmError::new(kind, &self.spec.name, &self.spec.model, detail)
    }

    /// One logical call with retries; `n` choices from one request.
    async fn with_retries(
        &self,
        request: &LlmRequest,
        n: u32,
        sink: Option<&TokenSink>,
    ) -> Result<LlmResponse, LlmError> {
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(self.policy.backoff)
            .with_max_delay(Duration::from_secs(MAX_BACKOFF_S))
            .with_jitter()
            .with_max_times(self.policy.max_retries as usize)
            .build();
        let mut retries = 0u32;
        loop {
            let retry_after = Arc::new(Mutex::new(None));
            let client = self.client(Arc::clone(&retry_after));
            match self.once(&client, request, n, sink).await {
                Ok(mut r) => {
                    r.retries = retries;
                    return Ok(r);
                }
                Err(mut e) => {
                    let backoff = delays.next();
                    match backoff {
                        Some(delay) if e.kind.is_transient() => {
                            let wait = retry_after.lock().ok().and_then(|s| *s).unwrap_or(delay);
                            tracing::warn!(provider = %self.spec.name, model = %self.spec.model, retry = retries + 1, wait_ms = wait.as_millis() as u64, error = %e.detail, "retrying LLM call");
                            tokio::time::sleep(wait).await;
                            retries += 1;
                        }
                        _ => {
                            e.retries = retries;
                            return Err(e);
                        }
                    }
                }
            }
        }
    }
}

/// Whether a failed stream means the endpoint does not stream at all (rather than a stream that
/// broke): a 400 refusing the request, or an answer that is not an event stream (plain JSON).
fn refuses_streaming(e: &LlmError) -> bool {
    match e.kind {
        LlmErrorKind::BadRequest | LlmErrorKind::Malformed => true,
        LlmErrorKind::StreamCut => {
            let d = e.detail.to_ascii_lowercase();
            d.contains("content-type") || d.contains("content type") || d.contains("invalid")
        }
        _ => false,
    }
}

fn wire_message(m: Message) -> ChatCompletionRequestMessage {
    match m.role {
        Role::System => ChatCompletionRequestMessage::System(
            ChatCompletionRequestSystemMessage::from(m.content.as_str()),
        ),
        Role::User => {
            ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage::from(m.content))
        }
        Role::Assistant => ChatCompletionRequestMessage::Assistant(
            ChatCompletionRequestAssistantMessage::from(m.content.as_str()),
        ),
    }
}

fn finish(f: WireFinish) -> FinishReason {
    match f {
        WireFinish::Stop => FinishReason::Stop,
        WireFinish::Length => FinishReason::Length,
        WireFinish::ContentFilter => FinishReason::ContentFilter,
        other => FinishReason::Other(format!("{other:?}").to_lowercase()),
    }
}

#[async_trait]
impl Llm for OpenAiCompatible {
    fn provider(&self) -> &str {
        &self.spec.name
    }
    fn model(&self) -> &str {
        &self.spec.model
    }
    fn prompt_style(&self) -> PromptStyle {
        self.spec.style
    }
    fn capabilities(&self) -> Capabilities {
        self.spec.capabilities
    }

    /// `n` > 1 is one request where the provider supports `n`, else `n` concurrent requests whose
    /// choices, usage and retries are merged.
    async fn complete(
        &self,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<LlmResponse, LlmError> {
        let n = request.n.clamp(1, 8);
        if n == 1 || self.spec.capabilities.n {
            return self.with_retries(request, n, sink).await;
        }
        let sinks: Vec<Option<TokenSink>> = (0..n as usize)
            .map(|i| {
                sink.map(|s| {
                    let s = Arc::clone(s);
                    Arc::new(move |_: usize, piece: &str| s(i, piece)) as TokenSink
                })
            })
            .collect();
        let results = join_all(
            sinks
                .iter()
                .map(|s| self.with_retries(request, 1, s.as_ref())),
        )
        .await;
        let mut merged = LlmResponse {
            choices: Vec::new(),
            usage: Usage::default(),
            model: self.spec.model.clone(),
            retries: 0,
        };
        for r in results {
            let r = r?;
            merged.usage.prompt_tokens += r.usage.prompt_tokens;
            merged.usage.completion_tokens += r.usage.completion_tokens;
            merged.retries += r.retries;
            merged.model = r.model;
            merged.choices.extend(r.choices);
        }
        Ok(merged)
    }
}
