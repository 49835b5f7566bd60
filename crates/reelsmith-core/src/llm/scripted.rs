//! The scripted test model, for pipeline tests (feature `test-utils`).

use std::collections::VecDeque;
use std::sync::Mutex;

use super::*;

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
        Capabilities {
            json_schema: true,
            n: true,
            grammar: false,
        }
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
        let completion_tokens = texts
            .iter()
            .map(|t| t.split_whitespace().count() as u64)
            .sum();
        Ok(LlmResponse {
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
            model: "scripted".into(),
            retries: 0,
        })
    }
}
