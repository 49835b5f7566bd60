//! The generation pipeline: N attempts in one request, each parsed and scored with the score card,
//! the best kept; then the duration guarantee — rewrites (up to [`MAX_REWRITES`]) until the script is
//! within ±10 % of the target, and as a last resort trimming at sentence boundaries, or a clear
//! error. It never returns an out-of-window script as if it fitted.

use reelsmith_core::llm::{
    LlmError, LlmErrorKind, Message, Prompt, PromptStyle, Role, Step, TokenSink,
};
use std::sync::Arc;

use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::progress::{FitStep, Progress, ProgressSink, emit};
use reelsmith_core::prompts::{Brief, draft_request, target_words, tone_guidance};
use reelsmith_core::score::{ScoreCard, ScoreRequest, WINDOW, score};
use reelsmith_core::script::{Draft, Section, parse_draft, sections, trim_to_words};

use crate::router::{CallContext, LlmRouter};

/// Rewrite rounds before the last resort.
pub const MAX_REWRITES: u32 = 2;
/// Body continuations a base model may add to reach the length (each up to the words missing).
pub const MAX_CONTINUATIONS: u32 = 6;

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

/// How the duration was made to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The winning attempt fitted as written.
    AsWritten,
    /// After this many rewrite rounds.
    Rewritten(u32),
    /// Trimmed at sentence boundaries after the rewrites.
    Trimmed,
}

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

fn card_for(persona: &PersonaVersion, text: &str, target_s: f64, trends: &[String]) -> ScoreCard {
    score(&ScoreRequest {
        text,
        target_s: Some(target_s),
        style: Some(&persona.style),
        profile: Some(&persona.profile),
        trends,
        language: Some(&persona.style.language.code),
        embedding: None,
    })
}

/// Distance from the target, seconds.
fn miss(card: &ScoreCard) -> f64 {
    (card.timing.estimated_s - card.timing.target_s).abs()
}

/// What to generate, for whom.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    /// The persona version written for.
    pub persona: &'a PersonaVersion,
    /// Indices of the persona's examples used as few-shot evidence, nearest to the topic first.
    pub examples: &'a [usize],
    /// Topic, length, type, tone, requirements.
    pub brief: Brief<'a>,
    /// The user's trend phrases (for the score card).
    pub trends: &'a [String],
    /// Attempts (choices) in the first request, 1–8.
    pub attempts: u32,
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
    router: &LlmRouter,
    ctx: CallContext,
    job: &Job<'_>,
    progress: Option<&ProgressSink>,
) -> Result<Generated, GenerateError> {
    let (persona, examples, brief, trends, attempts) = (
        job.persona,
        job.examples,
        &job.brief,
        job.trends,
        job.attempts,
    );
    let style = router.main_model(Step::Generation).await?.prompt_style();
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
    let mut call_ids = vec![routed.call_id];
    const NO_CTA: &str = "the answer has no CTA: line";
    let mut tried: Vec<Attempt> = routed
        .response
        .choices
        .iter()
        .map(|c| {
            let text = with_hook_label(style, &c.text);
            match parse_draft(&text) {
                Ok(d) => {
                    let card = card_for(persona, &d.text(), brief.duration_s, trends);
                    Attempt {
                        text,
                        draft: Some(d),
                        error: None,
                        card: Some(card),
                    }
                }
                Err(e) => Attempt {
                    text,
                    draft: None,
                    error: Some(e),
                    card: None,
                },
            }
        })
        .collect();
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
            call_ids.push(r.call_id);
            let cta = r
                .response
                .choices
                .first()
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default();
            let text = format!("{}\nCTA: {cta}", tried[i].text.trim_end());
            if let Ok(d) = parse_draft(&text) {
                let card = card_for(persona, &d.text(), brief.duration_s, trends);
                tried[i] = Attempt {
                    text,
                    draft: Some(d),
                    error: None,
                    card: Some(card),
                };
            }
        }
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
    let fitted = fit_length(
        router,
        ctx,
        job,
        (style, &provider, &model),
        (draft, card),
        &mut call_ids,
        progress,
    )
    .await;
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

/// The duration guarantee for the winning `draft`: base-model continuations while too short (after
/// the first draft, after each rewrite and after a trim), up to [`MAX_REWRITES`] rewrite rounds, then
/// trimming when too long; calls made are added to `call_ids`. Returns the fitted draft, its card and
/// how it was fitted.
///
/// # Errors
/// The router's error; [`LlmErrorKind::Unparseable`] when the script stays outside ±10 %.
async fn fit_length(
    router: &LlmRouter,
    ctx: CallContext,
    job: &Job<'_>,
    (style, provider, model): (PromptStyle, &str, &str),
    (draft, card): (Draft, ScoreCard),
    call_ids: &mut Vec<i64>,
    progress: Option<&ProgressSink>,
) -> Result<(Draft, ScoreCard, Fit), LlmError> {
    let (persona, examples, brief, trends, attempts) = (
        job.persona,
        job.examples,
        &job.brief,
        job.trends,
        job.attempts,
    );
    let mut best = Fitting {
        draft,
        card,
        fit: Fit::AsWritten,
    };
    let mut chunks = 0;
    let mut round = 0;
    loop {
        if style == PromptStyle::Base {
            continue_body(router, ctx, job, &mut best, &mut chunks, call_ids, progress).await?;
        }
        if best.card.timing.within_window || round == MAX_REWRITES {
            break;
        }
        round += 1;
        emit(progress, fitting(FitStep::Rewrite, round, &best.card));
        let req = rewrite_request(
            style,
            persona,
            examples,
            brief,
            &best.draft,
            &best.card,
            attempts,
        );
        let r = router.call(Step::Generation, ctx, &req, None).await?;
        call_ids.push(r.call_id);
        for c in &r.response.choices {
            let text = with_hook_label(style, &c.text);
            let Ok(d) = parse_draft(&text) else { continue };
            let c2 = card_for(persona, &d.text(), brief.duration_s, trends);
            if miss(&c2) < miss(&best.card) {
                best = Fitting {
                    draft: d,
                    card: c2,
                    fit: Fit::Rewritten(round),
                };
            }
        }
    }
    if best.card.timing.within_window {
        return Ok((best.draft, best.card, best.fit));
    }
    if best.card.timing.estimated_s < best.card.timing.target_s {
        return Err(LlmError::new(
            LlmErrorKind::Unparseable,
            provider,
            model,
            format!(
                "after {MAX_REWRITES} rewrites the script is {:.0} s for a {:.0} s target (±10 %) — try a larger model or a shorter duration",
                best.card.timing.estimated_s, brief.duration_s
            ),
        ));
    }
    emit(progress, fitting(FitStep::Trim, 1, &best.card));
    // The budget shrinks by any overshoot the card still measures (it counts words as trimming does,
    // so once is the rule; three tries bound it).
    let mut max_words = window_words(&best.card);
    let mut trimmed = None;
    for _ in 0..3 {
        let t = trim_to_words(&best.draft, max_words).ok_or_else(|| {
            LlmError::new(
                LlmErrorKind::Unparseable,
                provider,
                model,
                format!(
                    "the script is {:.0} s for a {:.0} s target and its hook and CTA alone are too long to trim — ask for a longer duration",
                    best.card.timing.estimated_s, brief.duration_s
                ),
            )
        })?;
        let c2 = card_for(persona, &t.text(), brief.duration_s, trends);
        let over = c2.words.saturating_sub(window_words(&c2));
        trimmed = Some(Fitting {
            draft: t,
            card: c2,
            fit: Fit::Trimmed,
        });
        if over == 0 {
            break;
        }
        max_words = max_words.saturating_sub(over);
    }
    let Some(mut best) = trimmed else {
        unreachable!("the trimming loop runs at least once")
    };
    // Trimming may leave a base model's script short (whole sentences dropped): continue its body.
    if style == PromptStyle::Base && !best.card.timing.within_window {
        chunks = 0;
        continue_body(router, ctx, job, &mut best, &mut chunks, call_ids, progress).await?;
        if best.card.timing.within_window {
            best.fit = Fit::Trimmed;
        }
    }
    if !best.card.timing.within_window {
        return Err(LlmError::new(
            LlmErrorKind::Unparseable,
            provider,
            model,
            format!(
                "trimming at sentence boundaries gives {:.1} s, outside ±10 % of {:.0} s",
                best.card.timing.estimated_s, brief.duration_s
            ),
        ));
    }
    Ok((best.draft, best.card, best.fit))
}

/// A draft being fitted, its card and how it got there.
struct Fitting {
    draft: Draft,
    card: ScoreCard,
    fit: Fit,
}

/// A base model's continuations of the body while the script is short of the window, up to
/// [`MAX_CONTINUATIONS`] (counted in `chunks`). Base models cannot follow "make it longer"; they
/// continue the body instead (a completion model's native skill), one sentence run at a time.
async fn continue_body(
    router: &LlmRouter,
    ctx: CallContext,
    job: &Job<'_>,
    best: &mut Fitting,
    chunks: &mut u32,
    call_ids: &mut Vec<i64>,
    progress: Option<&ProgressSink>,
) -> Result<(), LlmError> {
    let (persona, examples, brief, trends) = (job.persona, job.examples, &job.brief, job.trends);
    while !best.card.timing.within_window
        && best.card.timing.estimated_s < best.card.timing.target_s
        && *chunks < MAX_CONTINUATIONS
    {
        *chunks += 1;
        emit(
            progress,
            fitting(FitStep::Continuation, *chunks, &best.card),
        );
        let missing = target_words(persona, brief.duration_s).saturating_sub(best.card.words);
        let req = continuation_request(persona, examples, brief, &best.draft, missing);
        let r = router.call(Step::Generation, ctx, &req, None).await?;
        call_ids.push(r.call_id);
        let more = r
            .response
            .choices
            .first()
            .map(|c| c.text.lines().next().unwrap_or("").trim().to_string())
            .unwrap_or_default();
        if more.is_empty() {
            continue;
        }
        let mut longer = best.draft.clone();
        match longer.body.last_mut() {
            Some(last) => {
                last.push(' ');
                last.push_str(&more);
            }
            None => longer.body.push(more),
        }
        let c2 = card_for(persona, &longer.text(), brief.duration_s, trends);
        if c2.words > best.card.words {
            best.draft = longer;
            best.card = c2;
            if best.fit == Fit::AsWritten {
                best.fit = Fit::Rewritten(*chunks);
            }
        }
    }
    Ok(())
}

/// The most words that still fit the window: the target's exact word count (target seconds × the
/// card's WPM ÷ 60, unrounded) plus 10 %, rounded down.
fn window_words(card: &ScoreCard) -> usize {
    (card.timing.target_s * card.timing.wpm / 60.0 * (1.0 + WINDOW)).floor() as usize
}

fn fitting(how: FitStep, round: u32, card: &ScoreCard) -> Progress {
    Progress::Fitting {
        how,
        round,
        estimated_s: card.timing.estimated_s,
        target_s: card.timing.target_s,
    }
}

/// Base-model prompts end in `HOOK:`, so the answer starts after the label.
fn with_hook_label(style: PromptStyle, text: &str) -> String {
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

/// A base model's continuation of the body: the draft prompt with the script so far, ending inside
/// the body, stopped at the line's end.
fn continuation_request(
    persona: &PersonaVersion,
    examples: &[usize],
    brief: &Brief<'_>,
    draft: &Draft,
    missing_words: usize,
) -> reelsmith_core::llm::LlmRequest {
    let mut req = draft_request(PromptStyle::Base, persona, examples, brief, 1);
    if let Prompt::Completion(text) = &mut req.prompt {
        text.push_str(&format!(" {}\nBODY: {}", draft.hook, draft.body.join(" ")));
    }
    req.stop = vec!["\n".into(), "CTA:".into()];
    req.max_tokens = ((missing_words.max(8) as f64) * 2.2).ceil() as u32 + 8;
    // On the local engine a grammar keeps the model on the body's line for at least the missing
    // words (about 5 characters a word), instead of jumping to the CTA at once.
    let lo = (missing_words * 5).clamp(20, 600);
    req.grammar = Some(format!("root ::= [^\\n]{{{lo},{}}}", lo * 2));
    req
}

/// A rewrite: instruct models are told the word count to reach; base models draft again.
fn rewrite_request(
    style: PromptStyle,
    persona: &PersonaVersion,
    examples: &[usize],
    brief: &Brief<'_>,
    draft: &Draft,
    card: &ScoreCard,
    attempts: u32,
) -> reelsmith_core::llm::LlmRequest {
    let mut req = draft_request(style, persona, examples, brief, attempts);
    if let Prompt::Chat(messages) = &mut req.prompt {
        let words = target_words(persona, brief.duration_s);
        let now = card.words;
        let how = if now > words { "shorter" } else { "longer" };
        messages.push(Message::new(
            Role::Assistant,
            format!(
                "HOOK: {}\nBODY: {}\nCTA: {}",
                draft.hook,
                draft.body.join(" "),
                draft.cta
            ),
        ));
        messages.push(Message::new(
            Role::User,
            format!(
                "That is {now} words; make it {how}: about {words} words. Keep the voice, the hook's \
                 idea and the CTA; tone: {}. Answer with the HOOK:, BODY:, CTA: lines only.",
                tone_guidance(brief.tone)
            ),
        ));
        req.n = 1;
    }
    req
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
    /// Ledger id of the call.
    pub call_id: i64,
}

/// Rewrites section `index` (0 = hook, last = CTA) of `draft` following `instructions`, keeping the
/// rest, then checks the length as [`generate`] does (trimming a too-long result at sentence
/// boundaries).
///
/// # Errors
/// [`LlmErrorKind::Unparseable`] for an empty answer, an index out of range, or a result that cannot
/// be brought within ±10 % of the target.
pub async fn regenerate_section(
    router: &LlmRouter,
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
    let style = router.main_model(Step::Generation).await?.prompt_style();
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
    let mut card = card_for(job.persona, &revised.text(), target, job.trends);
    let mut trimmed = false;
    if !card.timing.within_window && card.timing.estimated_s > target {
        let max_words = window_words(&card);
        if let Some(t) = trim_to_words(&revised, max_words) {
            revised = t;
            card = card_for(job.persona, &revised.text(), target, job.trends);
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
        call_id: routed.call_id,
    })
}
