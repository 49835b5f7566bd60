//! Repair: a winning draft the card calls not fit to post (off-topic, missing a requirement, in the
//! wrong language, cut off, ending in a fragment, repeating itself, out of order, switching
//! language, saying nothing concrete) gets one more round before its length is fitted — instruct models rewrite it with the failures named, base
//! models draw as many new samples as the attempt budget. The better of the old and the new drafts
//! goes on (fewest failures, then the higher overall score); a draft still unfit says so on its card.

use reelsmith_core::llm::{CallContext, ModelRouter, PromptStyle};
use reelsmith_core::prompts::{draft_request, target_words, tone_guidance};
use reelsmith_core::score::coherence::Problem;
use reelsmith_core::score::{SAYS_NOTHING, ScoreCard};
use reelsmith_core::script::Draft;

use crate::generate::{Job, card_for};

/// What to tell the model for each failure the card names ([`ScoreCard::unfit`]: the brief's
/// failures, the coherence problems' labels and [`SAYS_NOTHING`]); a failure this does not know is
/// named as it is.
fn guidance(topic: &str, language: &str, failure: &str) -> String {
    let is = |p: Problem| failure == p.label();
    if failure.starts_with("off-topic") {
        format!("make every beat about “{topic}”")
    } else if let Some(r) = failure
        .strip_prefix("misses a requirement (“")
        .and_then(|r| r.strip_suffix("”)"))
    {
        format!("do this: {r}")
    } else if failure.starts_with("wrong language") || is(Problem::LanguageSwitch) {
        format!("write all of it in {language}")
    } else if is(Problem::CutOff) || is(Problem::Fragment) {
        "end every sentence and finish on the call to action".into()
    } else if is(Problem::Repetition) {
        "say each thing once".into()
    } else if is(Problem::Disorder) {
        "order the beats so each follows from the one before it".into()
    } else if failure == SAYS_NOTHING {
        "give the viewer something concrete: a number, a name, an example or a step to take".into()
    } else {
        format!("fix this: {failure}")
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
    let fixes: Vec<String> = card
        .unfit
        .iter()
        .map(|f| guidance(job.brief.topic, job.brief.language, f))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every failure the card can name gets its own instruction, not another failure's (a
    /// catch-all once told a script that said nothing concrete to "put the call to action last").
    #[test]
    fn each_failure_gets_its_own_fix() {
        let fix = |f: &str| guidance("caffeine on nights", "es", f);
        let failures = [
            "off-topic".to_string(),
            "misses a requirement (“mention the guide”)".into(),
            "wrong language (detected English, asked for es)".into(),
            Problem::CutOff.label().into(),
            Problem::Fragment.label().into(),
            Problem::Repetition.label().into(),
            Problem::Disorder.label().into(),
            Problem::LanguageSwitch.label().into(),
            SAYS_NOTHING.into(),
        ];
        for f in &failures {
            assert!(!fix(f).starts_with("fix this"), "{f}: {}", fix(f));
        }
        assert_eq!(
            fix("off-topic"),
            "make every beat about “caffeine on nights”"
        );
        assert_eq!(fix(&failures[1]), "do this: mention the guide");
        assert_eq!(
            fix(Problem::LanguageSwitch.label()),
            "write all of it in es"
        );
        assert!(fix(SAYS_NOTHING).contains("something concrete"));
        assert!(fix(Problem::Disorder.label()).contains("order the beats"));
        assert_eq!(fix("a new failure"), "fix this: a new failure");
    }
}
