//! What to fix first: the card's weak points in a few lines, for where the card is shown without
//! its details (after `generate`, in `show`).

use super::{Dimension, ScoreCard};

/// Most lines [`ScoreCard::to_improve`] gives.
pub const TO_IMPROVE_LINES: usize = 4;
/// A viral dimension below this score is among the weak points [`ScoreCard::to_improve`] names.
pub const WEAK_DIMENSION: f64 = 40.0;

impl ScoreCard {
    /// What to fix first, in words, for a card shown without its details (after `generate`, in
    /// `show`): the brief's misses that are not failures (a topic barely touched, judged by meaning;
    /// an unanswered why or how; a content type not delivered; another platform's words), a coherence doubt, the
    /// quality penalties, then the viral dimensions below [`WEAK_DIMENSION`], weakest first — at
    /// most [`TO_IMPROVE_LINES`]. Failures that make the script unfit are not repeated: the card's
    /// `unfit` says them first.
    pub fn to_improve(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if let Some(b) = &self.brief {
            out.extend(
                b.dimension
                    .reasons
                    .iter()
                    // Shared words alone are too weak a judge of the topic to name as a fix.
                    .filter(|r| b.by_meaning && r.starts_with("barely touches"))
                    .cloned(),
            );
            out.extend(b.answer.iter().filter(|a| !a.met).map(|a| a.reason.clone()));
            out.extend(
                b.content_type
                    .iter()
                    .filter(|c| c.met == Some(false))
                    .map(|c| c.reason.clone()),
            );
            if let Some(p) = b.platform.first() {
                out.push(format!("“{}”: say {} instead", p.phrase, p.instead));
            }
        }
        if let Some(c) = self
            .coherence
            .as_ref()
            .filter(|c| c.problems.is_empty() && c.dimension.score < 100.0)
        {
            out.extend(
                c.dimension
                    .reasons
                    .first()
                    .map(|r| format!("coherence {:.0}: {r}", c.dimension.score)),
            );
        }
        let penalty = |r: &String| {
            r.strip_prefix('−')
                .or_else(|| r.strip_prefix('-'))
                .and_then(|rest| rest.split_once(": "))
                .map(|(_, what)| what.to_string())
        };
        out.extend(
            self.quality
                .reasons
                .iter()
                // "not fit to post: …" has no "−N: " prefix, so it is not read as a penalty.
                .filter_map(penalty)
                .map(|what| format!("quality: {what}")),
        );
        let mut weak: Vec<&Dimension> = self
            .viral
            .dimensions
            .iter()
            .filter(|d| d.score < WEAK_DIMENSION)
            .collect();
        weak.sort_by(|a, b| a.score.total_cmp(&b.score));
        out.extend(weak.into_iter().map(|d| {
            let first = d.reasons.first().cloned().unwrap_or_default();
            let why = d.reasons.iter().skip(1).find_map(penalty);
            format!(
                "{} {:.0}: {first}{}",
                d.name.replace('_', " "),
                d.score,
                why.map(|w| format!("; {w}")).unwrap_or_default()
            )
        }));
        out.truncate(TO_IMPROVE_LINES);
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::score::{ScoreRequest, score};

    /// `to_improve` of `text` scored in English against `topic`.
    fn fixes(text: &str, topic: &str) -> Vec<String> {
        score(&ScoreRequest {
            text,
            language: Some("en"),
            target_s: Some(30.0),
            topic: Some(topic),
            ..Default::default()
        })
        .to_improve()
    }

    #[test]
    fn the_demo_script_is_told_first_that_it_never_says_why() {
        let demo = "Hey, sleep. Here's how to make it work for you. Your morning routine is a set of rules your body and mind will enforce with regularity. These are not just ways to keep your day going smoothly. You need them. If you don't have any sleep, this is the place where you can get your day off-kilter. Put this in your desk. Let me know if I can help you with it.";
        let fixes = fixes(demo, "why your morning routine fails after a night shift");
        assert_eq!(fixes.len(), super::TO_IMPROVE_LINES, "{fixes:?}");
        assert!(fixes[0].starts_with("the topic asks why"), "{fixes:?}");
        assert!(fixes[1].starts_with("coherence"), "{fixes:?}");
        assert!(
            fixes.iter().any(|f| f.starts_with("specificity 20")),
            "{fixes:?}"
        );
    }

    #[test]
    fn a_script_that_gives_its_reason_is_not_told_to() {
        let sound = "Why do you crash at 4am on nights? Because your cortisol hits its lowest point between 3 and 5am. Eat 20 grams of protein at 2am, not sugar. Walk for 5 minutes under the brightest light on your unit. Save this for your next run of nights.";
        let fixes = fixes(sound, "why you crash at 4am on night shifts");
        assert!(fixes.iter().all(|f| !f.contains("asks why")), "{fixes:?}");
    }
}
