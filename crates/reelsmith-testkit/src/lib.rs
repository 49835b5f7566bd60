//! reelsmith's test models, in a crate of their own (`publish = false`) so that no product crate
//! compiles them: [`ScriptedLlm`] answers from a script, [`WriterLlm`] always writes to length (its
//! answers, [`written_answers`], are also the benchmarks' fake server's), and [`DirectRouter`] is
//! an in-memory [`ModelRouter`] over one of them.

pub mod fake_server;
pub mod hostile;
pub mod postgres;

use std::collections::VecDeque;
use std::sync::Mutex;

use std::sync::Arc;

use async_trait::async_trait;
use reelsmith_core::llm::{
    CallContext, Capabilities, Choice, FinishReason, Llm, LlmError, LlmErrorKind, LlmRequest,
    LlmResponse, ModelRouter, PromptStyle, Routed, Step, TokenSink, Usage,
};

/// What both test models support: JSON schemas and `n` choices, no grammars.
const CAPABILITIES: Capabilities = Capabilities {
    json_schema: true,
    n: true,
    grammar: false,
};

/// A test model that answers from a script: each call takes the next queued answer (a response's
/// choice texts, or an error). Records every request it saw. For pipeline tests only.
pub struct ScriptedLlm {
    style: PromptStyle,
    answers: Mutex<VecDeque<Result<Vec<String>, LlmError>>>,
    seen: Mutex<Vec<LlmRequest>>,
}

impl ScriptedLlm {
    /// A scripted model prompted as `style`.
    pub fn new(style: PromptStyle) -> Self {
        Self {
            style,
            answers: Mutex::new(VecDeque::new()),
            seen: Mutex::new(Vec::new()),
        }
    }

    /// Queues an answer with these choice texts.
    pub fn answer<S: Into<String>>(self, choices: impl IntoIterator<Item = S>) -> Self {
        if let Ok(mut q) = self.answers.lock() {
            q.push_back(Ok(choices.into_iter().map(Into::into).collect()));
        }
        self
    }

    /// Queues a failure.
    pub fn fail(self, kind: LlmErrorKind, detail: &str) -> Self {
        if let Ok(mut q) = self.answers.lock() {
            q.push_back(Err(LlmError::new(kind, "scripted", "scripted", detail)));
        }
        self
    }

    /// The requests seen so far.
    pub fn requests(&self) -> Vec<LlmRequest> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl Llm for ScriptedLlm {
    fn provider(&self) -> &str {
        "scripted"
    }
    fn model(&self) -> &str {
        "scripted"
    }
    fn prompt_style(&self) -> PromptStyle {
        self.style
    }
    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }
    async fn complete(
        &self,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<LlmResponse, LlmError> {
        if let Ok(mut s) = self.seen.lock() {
            s.push(request.clone());
        }
        let next = self.answers.lock().ok().and_then(|mut q| q.pop_front());
        let texts = match next {
            Some(Ok(texts)) => texts,
            Some(Err(e)) => return Err(e),
            None => {
                return Err(LlmError::new(
                    LlmErrorKind::Config,
                    "scripted",
                    "scripted",
                    "the script has no more answers",
                ));
            }
        };
        if let Some(sink) = sink {
            for (i, t) in texts.iter().enumerate() {
                sink(i, t);
            }
        }
        Ok(response(request, texts, "scripted"))
    }
}

/// A finished response with these choice texts (one completion token a word).
fn response(request: &LlmRequest, texts: Vec<String>, model: &str) -> LlmResponse {
    let completion_tokens = texts
        .iter()
        .map(|t| t.split_whitespace().count() as u64)
        .sum();
    LlmResponse {
        choices: texts
            .into_iter()
            .map(|text| Choice {
                text,
                finish_reason: FinishReason::Stop,
            })
            .collect(),
        usage: Usage {
            prompt_tokens: request.estimated_prompt_tokens(),
            completion_tokens,
        },
        model: model.into(),
        retries: 0,
    }
}

/// A test model that always writes to length: a draft request ("about N spoken words") gets `n`
/// well-formed HOOK/BODY/CTA scripts of exactly N words, and a section rewrite ("Keep about N
/// words") gets N words of new text; after an optional fixed latency. For server tests, UI tests
/// and benchmarks, where the answer must fit whatever the request asks.
pub struct WriterLlm {
    latency: std::time::Duration,
    calls: std::sync::atomic::AtomicUsize,
}

impl WriterLlm {
    /// A writer answering after `latency`.
    pub fn new(latency: std::time::Duration) -> Self {
        Self {
            latency,
            calls: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Calls answered so far.
    pub fn calls(&self) -> usize {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The first number right after `marker` in `text` ("about 75 spoken words" → 75); occurrences
/// followed by a word ("about night shifts") are skipped.
fn number_after(text: &str, marker: &str) -> Option<usize> {
    text.match_indices(marker).find_map(|(i, _)| {
        text[i + marker.len()..]
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    })
}

/// Exactly `words` words of plain sentences, varied by `seed`.
fn filler(words: usize, seed: usize) -> String {
    const POOL: [&str; 4] = [
        "Your body keeps a clock that light sets every single morning",
        "Most people fight that clock and then blame their own willpower",
        "Try one small change tonight and watch how tomorrow feels different",
        "Write down what worked so the habit sticks after this week",
    ];
    // Words that cannot end a sentence (the score card calls such an ending a fragment).
    const NOT_LAST: [&str; 5] = ["a", "and", "their", "the", "your"];
    let pool: Vec<&str> = POOL.iter().flat_map(|s| s.split(' ')).collect();
    let n = pool.len();
    // Each pass over the pool visits it with a different stride coprime with its length, so no
    // four-word phrase repeats (the card calls a repeating script unfit to post).
    let strides: Vec<usize> = (1..n).filter(|s| gcd(*s, n) == 1).collect();
    let mut out = String::new();
    for i in 0..words {
        let stride = strides[(i / n) % strides.len()];
        let mut k = (i % n * stride + seed * 7) % n;
        let end = (i + 1) % 11 == 0 || i + 1 == words;
        if end && NOT_LAST.contains(&pool[k].to_lowercase().as_str()) {
            k = (k + 1) % n;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(pool[k]);
        if end {
            out.push('.');
        }
    }
    reelsmith_core::text::capitalize_first(&out)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// What [`WriterLlm`] answers to `prompt` (the request's prompt, flattened): `n` HOOK/BODY/CTA
/// scripts of exactly N words for a draft ("about N spoken words"), or one text of N words for a
/// section rewrite ("Keep about N words" in the last paragraph). Shared with the benchmarks' fake
/// OpenAI-compatible server, so that every request gets an answer that fits.
pub fn written_answers(prompt: &str, n: usize) -> Vec<String> {
    let last = prompt.rsplit("\n\n").next().unwrap_or(prompt);
    if let Some(words) = number_after(last, "Keep about ") {
        return vec![filler(words.max(3), 3)];
    }
    let words = number_after(prompt, "about ").unwrap_or(60).max(12);
    // The topic opens the body, so the drafts are on topic (it replaces filler words: the count
    // stays exact).
    let topic: Vec<&str> = prompt
        .split_once("about: ")
        .map(|(_, rest)| rest.lines().next().unwrap_or(""))
        .unwrap_or("")
        .split_whitespace()
        .take(8)
        .collect();
    (0..n.max(1))
        .map(|i| {
            let hook = "Stop scrolling, your mornings are not the problem.";
            let cta = "Follow for more fixes like this.";
            let body_words = words - 14;
            let body = if !topic.is_empty() && body_words > topic.len() + 11 {
                let t = topic.join(" ");
                let t = t.trim_end_matches(|c: char| !c.is_alphanumeric());
                format!(
                    "{}. {}",
                    reelsmith_core::text::capitalize_first(t),
                    filler(body_words - topic.len(), i)
                )
            } else {
                filler(body_words, i)
            };
            format!("HOOK: {hook}\nBODY: {body}\nCTA: {cta}")
        })
        .collect()
}

#[async_trait]
impl Llm for WriterLlm {
    fn provider(&self) -> &str {
        "scripted"
    }
    fn model(&self) -> &str {
        "writer"
    }
    fn prompt_style(&self) -> PromptStyle {
        PromptStyle::Instruct
    }
    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }
    async fn complete(
        &self,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<LlmResponse, LlmError> {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let texts = written_answers(&request.prompt.flattened(), request.n.max(1) as usize);
        if let Some(sink) = sink {
            for (i, t) in texts.iter().enumerate() {
                for piece in t.split_inclusive(' ') {
                    sink(i, piece);
                }
            }
        }
        Ok(response(request, texts, "writer"))
    }
}

/// An in-memory [`ModelRouter`] over one test model: every step goes to it, call ids count up from
/// 1, nothing is ledgered. For use-case tests that need no store.
pub struct DirectRouter {
    model: Arc<dyn Llm>,
    calls: std::sync::atomic::AtomicI64,
}

impl DirectRouter {
    /// A router sending every call to `model`.
    pub fn new(model: Arc<dyn Llm>) -> Self {
        Self {
            model,
            calls: std::sync::atomic::AtomicI64::new(0),
        }
    }

    /// Calls made so far.
    pub fn calls(&self) -> i64 {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[async_trait]
impl ModelRouter for DirectRouter {
    async fn prompt_style(&self, _step: Step) -> Result<PromptStyle, LlmError> {
        Ok(self.model.prompt_style())
    }

    async fn call(
        &self,
        _step: Step,
        _ctx: CallContext,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<Routed, LlmError> {
        let call_id = self
            .calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let response = self.model.complete(request, sink).await?;
        Ok(Routed {
            provider: self.model.provider().to_string(),
            model: response.model.clone(),
            response,
            cost_usd: 0.0,
            latency_ms: 0,
            call_id,
            fallback_from: None,
            failed_call_ids: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reelsmith_core::llm::Prompt;

    #[tokio::test]
    async fn scripted_model_answers_in_order_then_fails() {
        let m = ScriptedLlm::new(PromptStyle::Instruct)
            .answer(["a", "b"])
            .fail(LlmErrorKind::Server, "boom");
        let req = LlmRequest::new(Prompt::Completion("x".into()), 0.0, 5);
        let r = m.complete(&req, None).await;
        assert_eq!(r.map(|r| r.choices.len()).ok(), Some(2));
        let e = m.complete(&req, None).await.err().map(|e| e.kind);
        assert_eq!(e, Some(LlmErrorKind::Server));
        assert_eq!(m.requests().len(), 2);
    }
}
