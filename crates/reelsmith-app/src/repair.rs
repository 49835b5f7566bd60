//! Repair: a winning draft the card calls not fit to post (off-topic, missing a requirement, in the
//! wrong language, cut off, ending in a fragment, repeating itself, its CTA before the end) gets one
//! more round before its length is fitted — instruct models rewrite it with the failures named, base
//! models draw as many new samples as the attempt budget. The better of the old and the new drafts
//! goes on (fewest failures, then the higher overall score); a draft still unfit says so on its card.

use reelsmith_core::llm::{CallContext, ModelRouter, PromptStyle};
use reelsmith_core::prompts::{draft_request, target_words, tone_guidance};
use reelsmith_core::score::ScoreCard;
use reelsmith_core::script::Draft;

use crate::generate::{Job, card_for};

/// What to tell the model for each failure the card names.
fn guidance(job: &Job<'_>, failure: &str) -> String {
    if failure.starts_with("off-topic") {
        format!("make every beat about “{}”", job.brief.topic)
    } else if let Some(r) = failure
        .strip_prefix("misses a requirement (“")
        .and_then(|r| r.strip_suffix("”)"))
    {
        format!("do this: {r}")
    } else if failure.starts_with("wrong language") {
        format!("write it in {}", job.brief.language)
    } else if failure.starts_with("cut off") || failure.starts_with("ends in a fragment") {
        "end every sentence and finish on the call to action".into()
    } else if failure.starts_with("repeats") {
        "say each thing once".into()
    } else {
        "put the call to action last".into()
    }
}

/// How a draft ranks: fewer failures first, then the higher overall.
fn rank(card: &ScoreCard) -> (std::cmp::Reverse<usize>, f64) {
    (std::cmp::Reverse(card.unfit.len()), card.overall)
}

/// One repair round for an unfit `draft` (see the module docs); the model calls are added to
/// `call_ids`. A failing repair call keeps the draft as it is: its card already says it is unfit.
pub(crate) async fn repair(
    router: &dyn ModelRouter,
    ctx: CallContext,
    job: &Job<'_>,
    style: PromptStyle,
    (draft, card): (Draft, ScoreCard),
    call_ids: &mut Vec<i64>,
) -> (Draft, ScoreCard) {
    if card.unfit.is_empty() {
        return (draft, card);
    }
    let fixes: Vec<String> = card.unfit.iter().map(|f| guidance(job, f)).collect();
    let req = crate::fit::follow_up(
        draft_request(style, job.persona, job.examples, &job.brief, job.attempts),
        &draft,
        format!(
            "That script is not fit to post: {}. Rewrite it: {}. Keep the voice and about {} words; tone: {}. Answer with the HOOK:, BODY:, CTA: lines only.",
            card.unfit.join("; "),
            fixes.join("; "),
            target_words(job.persona, job.brief.duration_s),
            tone_guidance(job.brief.tone)
        ),
    );
    let Ok(redrafted) = crate::fit::redrafts(router, ctx, style, &req, call_ids).await else {
        return (draft, card);
    };
    let mut best = (draft, card);
    for d in redrafted {
        let c2 = card_for(job, &d.text(), job.brief.duration_s);
        if rank(&c2) > rank(&best.1) {
            best = (d, c2);
        }
    }
    best
}
