//! The generation pipeline: N attempts in one request, each parsed and scored with the score card,
//! the best kept; then the duration guarantee — rewrites (up to [`MAX_REWRITES`]) until the script is
//! within ±10 % of the target, and as a last resort trimming at sentence boundaries, or a clear
//! error. It never returns an out-of-window script as if it fitted.

use reelsmith_core::embed::Embedder;
use reelsmith_core::llm::{
    CallContext, LlmError, LlmErrorKind, Message, ModelRouter, Prompt, PromptStyle, Role, Step,
    TokenSink,
};
use std::sync::Arc;

use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::progress::{Progress, ProgressSink, emit};
use reelsmith_core::prompts::{Brief, draft_request};
use reelsmith_core::score::ScoreCard;
use reelsmith_core::script::{Draft, Section, parse_draft, sections, trim_to_words};

pub use crate::fit::{MAX_CONTINUATIONS, MAX_REWRITES};
use crate::fit::{fit_length, window_words};

/// One attempt as the model wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The raw answer.
    pub text: String,
    /// The parsed draft, when it parsed.
    pub draft: Option<Draft>,
    /// Why it was dropped, when it did not parse.
    pub error: Option<String>,
    /// Its score card, when it parsed.
    pub card: Option<ScoreCard>,
}

pub use reelsmith_core::platform::Fit;

/// A finished generation.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Every attempt, in order.
    pub attempts: Vec<Attempt>,
    /// Index of the winning attempt.
    pub winner: usize,
    /// The final draft (the winner, rewritten or trimmed to fit).
    pub draft: Draft,
    /// Its score card.
    pub card: ScoreCard,
    /// Its timed sections.
    pub sections: Vec<Section>,
    /// How the duration was made to fit.
    pub fit: Fit,
    /// Ledger ids of the calls made.
    pub call_ids: Vec<i64>,
}

/// A generation that failed, with what the model had written by then: the attempts (parsed or
/// not) and the ledger ids of the calls made, so the failed generation can be stored whole.
#[derive(Debug)]
pub struct GenerateError {
    /// Why it failed.
    pub error: LlmError,
    /// The attempts written before the failure (empty when the first request failed).
    pub attempts: Vec<Attempt>,
    /// Ledger ids of the calls made.
    pub call_ids: Vec<i64>,
}

impl From<LlmError> for GenerateError {
    fn from(error: LlmError) -> Self {
        GenerateError {
            error,
            attempts: Vec::new(),
            call_ids: Vec::new(),
        }
    }
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// The score card of `text` for the job's persona at `target_s` seconds, in the persona's language:
/// the same card `reelsmith score` computes (voice match with the embedding evidence when the job
/// has the model).
pub(crate) fn card_for(job: &Job<'_>, text: &str, target_s: f64) -> ScoreCard {
    crate::score::card(
        job.against(),
        text,
        Some(target_s),
        None,
        Some(&job.persona.style.language.code),
    )
}

/// [`card_for`] with the embedding evidence already computed.
fn card_with(
    job: &Job<'_>,
    text: &str,
    target_s: f64,
    evidence: Option<reelsmith_core::score::EmbeddingEvidence>,
) -> ScoreCard {
    crate::score::card_with_evidence(
        job.against(),
        text,
        Some(target_s),
        None,
        Some(&job.persona.style.language.code),
        evidence.as_ref(),
    )
}

impl Job<'_> {
    /// What the job's drafts are scored against.
    pub fn against(&self) -> crate::score::Against<'_> {
        crate::score::Against {
            persona: Some((self.persona, self.voice)),
            trends: self.trends,
            embedder: self.embedder,
            closest_examples: crate::write::GENERATION_VOICE_EMBEDDINGS,
            topic: Some(self.brief.topic),
            requirements: self.brief.requirements,
            requested_language: self.language,
            viral_weights: self.viral_weights,
            platform: Some(self.brief.platform),
            content_type: Some(self.brief.content_type),
            likelihood: None,
        }
    }
}

/// What to generate, for whom.
#[derive(Clone)]
pub struct Job<'a> {
    /// The persona version written for.
    pub persona: &'a PersonaVersion,
    /// Its voice model (see [`crate::voice::voice_judge`]).
    pub voice: &'a crate::voice::VoiceJudge,
    /// The language the script is asked to be in (ISO 639-1), checked on the card.
    pub language: Option<&'a str>,
    /// Indices of the persona's examples used as few-shot evidence, nearest to the topic first.
    pub examples: &'a [usize],
    /// Topic, length, type, tone, requirements.
    pub brief: Brief<'a>,
    /// The user's trend phrases (for the score card).
    pub trends: &'a [String],
    /// The persona's calibrated viral weights, when fitted ones are in force (for the score card).
    pub viral_weights: Option<&'a [f64]>,
    /// Attempts (choices) in the first request, 1–8.
    pub attempts: u32,
    /// The embedding model for voice-match evidence; without it voice match uses the writing
    /// statistics alone.
    pub embedder: Option<&'a dyn Embedder>,
    /// Told the attempts once they are final, before the length is fitted (the store records them
    /// then, so a crash during fitting keeps them).
    pub checkpoint: Option<&'a dyn Checkpoint>,
}

/// Receives a generation's attempts as soon as they are final.
#[async_trait::async_trait]
pub trait Checkpoint: Send + Sync {
    /// The attempts of the first request, parsed and scored (a storage failure is the
    /// implementation's to report when the generation ends).
    async fn attempts(&self, attempts: &[Attempt]);
}

/// Writes a script: `job.attempts` drafts, the best by overall score, then fitted to the target
/// length. With a `progress` sink, every step is reported: the first request's tokens as they
/// stream, each attempt's score, and each length-fitting round.
///
/// # Errors
/// A [`GenerateError`] carrying the attempts and calls made so far, with the router's error when no
/// model answers, or [`LlmErrorKind::Unparseable`] when no attempt parses (each attempt's reason is
/// named) or when the script cannot be brought within ±10 % of the target.
pub async fn generate(
    router: &dyn ModelRouter,
    ctx: CallContext,
    job: &Job<'_>,
    progress: Option<&ProgressSink>,
) -> Result<Generated, GenerateError> {
    let (persona, examples, brief, attempts) =
        (job.persona, job.examples, &job.brief, job.attempts);
    let style = router.prompt_style(Step::Generation).await?;
    let request = draft_request(style, persona, examples, brief, attempts);
    emit(progress, Progress::Started { attempts });
    let sink: Option<TokenSink> = progress.map(|p| {
        let p = Arc::clone(p);
        Arc::new(move |attempt: usize, piece: &str| {
            p(Progress::Token {
                attempt,
                text: piece.to_string(),
            });
        }) as TokenSink
    });
    let routed = router
        .call(Step::Generation, ctx, &request, sink.as_ref())
        .await?;
    let (provider, model) = (routed.provider.clone(), routed.model.clone());
    let mut call_ids = routed.call_ids();
    const NO_CTA: &str = "the answer has no CTA: line";
    let mut tried: Vec<Attempt> = routed
        .response
        .choices
        .iter()
        .map(|c| {
            let text = with_hook_label(style, &c.text);
            match parse_draft(&text) {
                Ok(d) => Attempt {
                    text,
                    draft: Some(d),
                    error: None,
                    card: None,
                },
                Err(e) => Attempt {
                    text,
                    draft: None,
                    error: Some(e),
                    card: None,
                },
            }
        })
        .collect();
    // Every parsed attempt is scored as `score` would score it; their embeddings in one batch.
    let texts: Vec<String> = tried
        .iter()
        .filter_map(|a| a.draft.as_ref().map(Draft::text))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut evidence = crate::retrieve::voice_evidence_all(
        persona,
        &refs,
        job.embedder
            .filter(|_| crate::write::GENERATION_VOICE_EMBEDDINGS),
    )
    .into_iter();
    for (a, text) in tried.iter_mut().filter(|a| a.draft.is_some()).zip(&texts) {
        a.card = Some(card_with(
            job,
            text,
            brief.duration_s,
            evidence.next().flatten(),
        ));
    }
    // A base model that ran out of tokens before its CTA gets the CTA line completed.
    if style == PromptStyle::Base {
        for i in 0..tried.len() {
            if tried[i].error.as_deref() != Some(NO_CTA) {
                continue;
            }
            let mut req = draft_request(style, persona, examples, brief, 1);
            if let Prompt::Completion(text) = &mut req.prompt {
                let a = &tried[i].text;
                let so_far = a.trim_start().strip_prefix("HOOK:").unwrap_or(a);
                text.push_str(so_far.trim_end());
                text.push_str("\nCTA:");
            }
            req.stop = vec!["\n".into()];
            req.max_tokens = 40;
            let r = match router.call(Step::Generation, ctx, &req, None).await {
                Ok(r) => r,
                Err(error) => {
                    return Err(GenerateError {
                        error,
                        attempts: tried,
                        call_ids,
                    });
                }
            };
            call_ids.extend(r.call_ids());
            let cta = r
                .response
                .choices
                .first()
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default();
            let text = format!("{}\nCTA: {cta}", tried[i].text.trim_end());
            if let Ok(d) = parse_draft(&text) {
                let card = card_for(job, &d.text(), brief.duration_s);
                tried[i] = Attempt {
                    text,
                    draft: Some(d),
                    error: None,
                    card: Some(card),
                };
            }
        }
    }
    if let Some(checkpoint) = job.checkpoint {
        checkpoint.attempts(&tried).await;
    }
    for (attempt, a) in tried.iter().enumerate() {
        emit(
            progress,
            Progress::Scored {
                attempt,
                overall: a.card.as_ref().map(|c| c.overall),
                estimated_s: a.card.as_ref().map(|c| c.timing.estimated_s),
                error: a.error.clone(),
            },
        );
    }
    let Some(winner) = best(&tried) else {
        let reasons: Vec<String> = tried.iter().filter_map(|a| a.error.clone()).collect();
        let error = LlmError::new(
            LlmErrorKind::Unparseable,
            provider,
            model,
            format!(
                "none of the {} attempts could be used: {}",
                tried.len(),
                reasons.join("; ")
            ),
        );
        return Err(GenerateError {
            error,
            attempts: tried,
            call_ids,
        });
    };
    let (Some(draft), Some(card)) = (tried[winner].draft.clone(), tried[winner].card.clone())
    else {
        unreachable!("the winner is chosen among parsed attempts, which have a draft and a card")
    };
    let (draft, card) =
        crate::repair::repair(router, ctx, job, style, (draft, card), &mut call_ids).await;
    // A text post has no spoken length to fit: a draft too long for its platform's limits gets a
    // rewrite, and the limits are kept when it is laid out ([`reelsmith_core::formats`]).
    let fitted = if brief.platform.format() == reelsmith_core::platform::Format::Video {
        fit_length(
            router,
            ctx,
            job,
            (style, &provider, &model),
            (draft, card),
            &mut call_ids,
            progress,
        )
        .await
    } else {
        Ok(crate::fit::fit_text(router, ctx, job, style, (draft, card), &mut call_ids).await)
    };
    let (draft, card, fit) = match fitted {
        Ok(f) => f,
        Err(error) => {
            return Err(GenerateError {
                error,
                attempts: tried,
                call_ids,
            });
        }
    };
    tried.shrink_to_fit();
    let secs = sections(&draft, persona.style.pace.wpm);
    Ok(Generated {
        attempts: tried,
        winner,
        draft,
        card,
        sections: secs,
        fit,
        call_ids,
    })
}

/// Base-model prompts end in `HOOK:`, so the answer starts after the label.
pub(crate) fn with_hook_label(style: PromptStyle, text: &str) -> String {
    match style {
        PromptStyle::Base if !text.trim_start().to_uppercase().starts_with("HOOK:") => {
            format!("HOOK:{text}")
        }
        _ => text.to_string(),
    }
}

/// The parsed attempt with the highest overall score.
fn best(attempts: &[Attempt]) -> Option<usize> {
    attempts
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.card.as_ref().map(|c| (i, c.overall)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// A rewritten section.
#[derive(Debug, Clone, PartialEq)]
pub struct Revised {
    /// The model's raw answer.
    pub raw: String,
    /// The new draft.
    pub draft: Draft,
    /// Its score card.
    pub card: ScoreCard,
    /// Its timed sections.
    pub sections: Vec<Section>,
    /// Whether it had to be trimmed to fit.
    pub trimmed: bool,
    /// Ledger ids of the calls it took.
    pub call_ids: Vec<i64>,
}

/// Rewrites section `index` (0 = hook, last = CTA) of `draft` following `instructions`, keeping the
/// rest, then checks the length as [`generate`] does (trimming a too-long result at sentence
/// boundaries).
///
/// # Errors
/// [`LlmErrorKind::Unparseable`] for an empty answer, an index out of range, or a result that cannot
/// be brought within ±10 % of the target.
pub async fn regenerate_section(
    router: &dyn ModelRouter,
    ctx: CallContext,
    job: &Job<'_>,
    draft: &Draft,
    index: usize,
    instructions: &str,
) -> Result<Revised, LlmError> {
    let mut parts: Vec<String> = vec![draft.hook.clone()];
    parts.extend(draft.body.iter().cloned());
    parts.push(draft.cta.clone());
    let err = |d: String| LlmError::new(LlmErrorKind::Unparseable, "", "", d);
    let Some(old) = parts.get(index).cloned() else {
        return Err(err(format!(
            "there is no section {} — the script has {} (1 is the hook, {} the CTA)",
            index + 1,
            parts.len(),
            parts.len()
        )));
    };
    let style = router.prompt_style(Step::Generation).await?;
    let words_now = reelsmith_core::text::words(&old).len();
    let mut req = draft_request(style, job.persona, job.examples, &job.brief, 1);
    match &mut req.prompt {
        Prompt::Chat(messages) => {
            messages.push(Message::new(
                Role::User,
                format!(
                    "Here is the script:\n{}\n\nRewrite only this part: \"{old}\" — {instructions}. \
                     Keep about {words_now} words and the same voice. Answer with the new text only.",
                    draft.text()
                ),
            ));
        }
        Prompt::Completion(text) => {
            *text = format!(
                "Lines rewritten as asked, same length.\n\nOriginal: Sleep is important for everyone.\n\
                 Rewritten (more energetic): Sleep is your secret weapon, so guard it!\n\n\
                 Original: {old}\nRewritten ({instructions}):"
            );
            req.stop = vec!["\n".into()];
        }
    }
    req.max_tokens = ((words_now.max(8) as f64) * 2.5).ceil() as u32 + 16;
    let routed = router.call(Step::Generation, ctx, &req, None).await?;
    let raw = routed
        .response
        .choices
        .first()
        .map(|c| c.text.clone())
        .unwrap_or_default();
    let new_text = raw
        .trim()
        .trim_start_matches(|c: char| c == '"' || c.is_whitespace())
        .trim_end_matches('"')
        .trim()
        .to_string();
    if reelsmith_core::text::words(&new_text).is_empty() {
        return Err(LlmError::new(
            LlmErrorKind::Unparseable,
            routed.provider,
            routed.model,
            "the model returned no text for the section",
        ));
    }
    parts[index] = new_text;
    let last = parts.len() - 1;
    let mut revised = Draft {
        hook: parts[0].clone(),
        body: parts[1..last].to_vec(),
        cta: parts[last].clone(),
    };
    let target = job.brief.duration_s;
    let mut card = card_for(job, &revised.text(), target);
    let mut trimmed = false;
    if !card.timing.within_window && card.timing.estimated_s > target {
        let max_words = window_words(&card);
        if let Some(t) = trim_to_words(&revised, max_words) {
            revised = t;
            card = card_for(job, &revised.text(), target);
            trimmed = true;
        }
    }
    if !card.timing.within_window {
        return Err(LlmError::new(
            LlmErrorKind::Unparseable,
            routed.provider,
            routed.model,
            format!(
                "with the rewritten section the script is {:.0} s for a {target:.0} s target (±10 %) — try other instructions",
                card.timing.estimated_s
            ),
        ));
    }
    Ok(Revised {
        raw,
        sections: sections(&revised, job.persona.style.pace.wpm),
        draft: revised,
        card,
        trimmed,
        call_ids: routed.call_ids(),
    })
}
