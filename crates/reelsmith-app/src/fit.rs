//! The duration guarantee: a winning draft outside ±10 % of the target is brought inside —
//! base-model body continuations while short, up to [`MAX_REWRITES`] rewrite rounds, and as a last
//! resort trimming (see `reelsmith_core::trim`) — or a clear error. Never an out-of-window script
//! passed off as fitting.

use reelsmith_core::llm::{
    CallContext, LlmError, LlmErrorKind, Message, ModelRouter, Prompt, PromptStyle, Role, Step,
};
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::progress::{FitStep, Progress, ProgressSink, emit};
use reelsmith_core::prompts::{Brief, draft_lines, draft_request, target_words, tone_guidance};
use reelsmith_core::score::{ScoreCard, WINDOW};
use reelsmith_core::script::{Draft, parse_draft, trim_to_words};

use crate::generate::{Fit, Job, card_for, with_hook_label};

/// Rewrite rounds before the last resort.
pub const MAX_REWRITES: u32 = 2;
/// Body continuations a base model may add to reach the length (each up to the words missing).
pub const MAX_CONTINUATIONS: u32 = 6;

/// Distance from the target, seconds.
fn miss(card: &ScoreCard) -> f64 {
    (card.timing.estimated_s - card.timing.target_s).abs()
}

/// The duration guarantee for the winning `draft`: base-model continuations while too short (after
/// the first draft, after each rewrite and after a trim), up to [`MAX_REWRITES`] rewrite rounds, then
/// trimming when too long; calls made are added to `call_ids`. Returns the fitted draft, its card and
/// how it was fitted.
///
/// # Errors
/// The router's error; [`LlmErrorKind::Unparseable`] when the script stays outside ±10 %.
pub(crate) async fn fit_length(
    router: &dyn ModelRouter,
    ctx: CallContext,
    job: &Job<'_>,
    (style, provider, model): (PromptStyle, &str, &str),
    (draft, card): (Draft, ScoreCard),
    call_ids: &mut Vec<i64>,
    progress: Option<&ProgressSink>,
) -> Result<(Draft, ScoreCard, Fit), LlmError> {
    let (persona, examples, brief, attempts) =
        (job.persona, job.examples, &job.brief, job.attempts);
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
        for d in redrafts(router, ctx, style, &req, call_ids).await? {
            let c2 = card_for(job, &d.text(), brief.duration_s);
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
    // Aim at the target's word count first (a trim lands at or just under its budget); when that
    // falls short of the window, at the window's top. The budget shrinks by any overshoot the card
    // still measures (it counts words as trimming does, so once is the rule; three tries bound it).
    let mut trimmed: Option<Fitting> = None;
    for start in [
        target_words(persona, brief.duration_s),
        window_words(&best.card),
    ] {
        let mut max_words = start;
        for _ in 0..3 {
            let Some(t) = trim_to_words(&best.draft, max_words) else {
                break;
            };
            let c2 = card_for(job, &t.text(), brief.duration_s);
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
        if trimmed
            .as_ref()
            .is_some_and(|t| t.card.timing.within_window)
        {
            break;
        }
    }
    let Some(mut best) = trimmed else {
        return Err(LlmError::new(
            LlmErrorKind::Unparseable,
            provider,
            model,
            format!(
                "the script is {:.0} s for a {:.0} s target and its hook and CTA alone are too long to trim — ask for a longer duration",
                best.card.timing.estimated_s, brief.duration_s
            ),
        ));
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
    router: &dyn ModelRouter,
    ctx: CallContext,
    job: &Job<'_>,
    best: &mut Fitting,
    chunks: &mut u32,
    call_ids: &mut Vec<i64>,
    progress: Option<&ProgressSink>,
) -> Result<(), LlmError> {
    let (persona, examples, brief) = (job.persona, job.examples, &job.brief);
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
        call_ids.extend(r.call_ids());
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
        let c2 = card_for(job, &longer.text(), brief.duration_s);
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
pub(crate) fn window_words(card: &ScoreCard) -> usize {
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
    let words = target_words(persona, brief.duration_s);
    let now = card.words;
    let how = if now > words { "shorter" } else { "longer" };
    follow_up(
        draft_request(style, persona, examples, brief, attempts),
        draft,
        format!(
            "That is {now} words; make it {how}: about {words} words. Keep the voice, the hook's \
             idea and the CTA; tone: {}. Answer with the HOOK:, BODY:, CTA: lines only.",
            tone_guidance(brief.tone)
        ),
    )
}

/// `req` (a draft request) continued as a conversation for an instruct model: the model's `draft`,
/// then the user's `instruction`, one answer. A base model's completion prompt is left as it is
/// (it draws fresh samples instead).
pub(crate) fn follow_up(
    mut req: reelsmith_core::llm::LlmRequest,
    draft: &Draft,
    instruction: String,
) -> reelsmith_core::llm::LlmRequest {
    if let Prompt::Chat(messages) = &mut req.prompt {
        messages.push(Message::new(Role::Assistant, draft_lines(draft)));
        messages.push(Message::new(Role::User, instruction));
        req.n = 1;
    }
    req
}

/// Sends `req` (a follow-up: [`follow_up`]) and parses each answer into a draft, dropping the ones
/// that do not parse; the calls made are added to `call_ids`. The rewrite rounds of length fitting,
/// repair and text layout share it.
///
/// # Errors
/// The router's error.
pub(crate) async fn redrafts(
    router: &dyn ModelRouter,
    ctx: CallContext,
    style: PromptStyle,
    req: &reelsmith_core::llm::LlmRequest,
    call_ids: &mut Vec<i64>,
) -> Result<Vec<Draft>, LlmError> {
    let r = router.call(Step::Generation, ctx, req, None).await?;
    call_ids.extend(r.call_ids());
    Ok(r.response
        .choices
        .iter()
        .filter_map(|c| parse_draft(&with_hook_label(style, &c.text)).ok())
        .collect())
}

/// Words of `draft` its platform's layout would lose to keep the hard limits (a thread past
/// [`reelsmith_core::formats::MAX_THREAD_POSTS`], a LinkedIn post past 3,000 characters); 0 for a
/// video platform or a draft that fits.
pub(crate) fn layout_cuts(platform: reelsmith_core::platform::Platform, draft: &Draft) -> usize {
    use reelsmith_core::formats::{linkedin_post, thread, without_layout};
    use reelsmith_core::platform::Format as Form;
    let laid_out = match platform.format() {
        Form::Video => return 0,
        Form::Thread => thread(draft, &[]).value.join("\n"),
        Form::Post => linkedin_post(draft, &[]).value,
    };
    let kept = without_layout(&laid_out).split_whitespace().count();
    draft.text().split_whitespace().count().saturating_sub(kept)
}

/// The limits guarantee for a text post: a winning draft that its layout would have to cut
/// ([`layout_cuts`]) gets one rewrite round asking for the format's length (instruct models are told
/// why; base models draw a fresh sample); the draft that loses fewer words goes on. Whatever still
/// does not fit is cut by the layout, which says so.
pub(crate) async fn fit_text(
    router: &dyn ModelRouter,
    ctx: CallContext,
    job: &Job<'_>,
    style: PromptStyle,
    (draft, card): (Draft, ScoreCard),
    call_ids: &mut Vec<i64>,
) -> (Draft, ScoreCard, Fit) {
    let platform = job.brief.platform;
    let lost = layout_cuts(platform, &draft);
    if lost == 0 {
        return (draft, card, Fit::AsWritten);
    }
    let target = reelsmith_core::formats::target_words(platform).unwrap_or(150);
    let req = follow_up(
        draft_request(style, job.persona, job.examples, &job.brief, 1),
        &draft,
        format!(
            "That is too long for a {} on {}: {} words would be cut. Rewrite it in about {target} words; keep the voice and the hook. Answer with the HOOK:, BODY:, CTA: lines only.",
            platform.format().label(),
            reelsmith_core::platform::Named::as_str(platform),
            lost
        ),
    );
    let Ok(redrafted) = redrafts(router, ctx, style, &req, call_ids).await else {
        return (draft, card, Fit::AsWritten);
    };
    let mut best = (draft, card, Fit::AsWritten, lost);
    for d in redrafted {
        let cut = layout_cuts(platform, &d);
        if cut < best.3 {
            let c2 = card_for(job, &d.text(), job.brief.duration_s);
            best = (d, c2, Fit::Rewritten(1), cut);
        }
    }
    (best.0, best.1, best.2)
}
