//! Trimming a script to a word budget, the last resort of the duration guarantee: the hook and the
//! CTA are kept and the budget filled with body sentences, cut at a clause or a run-on's word
//! boundary when needed. Words are counted as the score card counts them ([`words`]).

use crate::script::Draft;
use crate::text::{sentences, words};

/// Cuts `draft` to at most `max_words` (counted as the score card counts them), keeping the hook and
/// the CTA and filling the budget with body sentences in order: a sentence that would overflow is cut
/// at a clause (or, for a run-on, at a word boundary) when that leaves at least 4 words, else
/// skipped, and later shorter sentences still get their turn. When hook + CTA leave no room for a
/// body sentence, the hook is cut to its first sentence and the CTA to its last (where the ask
/// usually is), each at most [`TIGHT_PART_WORDS`] words, and the body is trimmed again. `None` when
/// even that is too long.
pub fn trim_to_words(draft: &Draft, max_words: usize) -> Option<Draft> {
    trim_body(draft, max_words).or_else(|| {
        let first = sentences(&draft.hook)
            .first()
            .map(|s| s.trim().to_string())?;
        let hook = clause_within(&first, TIGHT_PART_WORDS, true).unwrap_or(first);
        let last = sentences(&draft.cta).last().map(|s| s.trim().to_string())?;
        let cta = tail_within(&last, TIGHT_PART_WORDS);
        let tight = Draft {
            hook,
            body: draft.body.clone(),
            cta,
        };
        (tight != *draft)
            .then(|| trim_body(&tight, max_words))
            .flatten()
    })
}

/// The most words a hook or CTA keeps when a script is trimmed hard: about 6 s at 150 WPM. A spoken
/// hook should land in about 3 s (the hook model caps its length feature at 12 words) and a CTA is
/// one ask; 15 leaves a little room for a clause boundary.
pub const TIGHT_PART_WORDS: usize = 15;

fn trim_body(draft: &Draft, max_words: usize) -> Option<Draft> {
    let fixed = words(&draft.hook).len() + words(&draft.cta).len();
    let mut budget = max_words.checked_sub(fixed)?;
    let mut body = Vec::new();
    for beat in &draft.body {
        let all = sentences(beat);
        let mut kept: Vec<String> = Vec::new();
        for s in &all {
            let n = words(s).len();
            // A sentence may be cut at a word boundary when it is a run-on, or when nothing of the
            // body would be left otherwise.
            let last_chance = body.is_empty() && kept.is_empty() && budget >= 8;
            if n <= budget {
                budget -= n;
                kept.push(s.trim().to_string());
            } else if let Some(c) = clause_within(s, budget, last_chance) {
                budget -= words(&c).len();
                kept.push(c);
            }
        }
        if !kept.is_empty() {
            body.push(kept.join(" "));
        }
    }
    (!body.is_empty()).then(|| Draft {
        hook: draft.hook.clone(),
        body,
        cta: draft.cta.clone(),
    })
}

/// Sentences longer than this many words are run-ons (speech-to-text without punctuation), which
/// may be cut at a word boundary when trimming.
const RUN_ON_WORDS: usize = 25;

/// The longest start of `sentence` within `budget` words (as [`words`] counts them) that ends at a
/// comma (at least 4 words), or, for a run-on sentence (or when `force`d), the longest start within
/// `budget` (at least 4 words); closed with a full stop. `None` when the whole sentence fits already.
fn clause_within(sentence: &str, budget: usize, force: bool) -> Option<String> {
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    if budget < 4 || words(sentence).len() <= budget {
        return None;
    }
    // Word counts of each token prefix, so a hyphenated token ("9-to-5") counts as its words.
    let mut counts = Vec::with_capacity(tokens.len());
    let mut total = 0;
    for t in &tokens {
        total += words(t).len();
        counts.push(total);
    }
    let fits = |k: usize| counts[k - 1] <= budget && counts[k - 1] >= 4;
    let at_comma = (1..=tokens.len())
        .rev()
        .find(|&k| fits(k) && tokens[k - 1].ends_with(','));
    let run_on = force || counts.last().copied().unwrap_or(0) > RUN_ON_WORDS;
    let k = at_comma.or_else(|| {
        run_on
            .then(|| (1..=tokens.len()).rev().find(|&k| fits(k)))
            .flatten()
    })?;
    let text = tokens[..k].join(" ");
    Some(format!(
        "{}.",
        text.trim_end_matches([',', ';', ':', '.', '!', '?'])
    ))
}

/// The end of `sentence` in at most `max` words: after its last comma that leaves 4 to `max` words,
/// else its last `max` words, capitalised. The whole sentence when it fits.
fn tail_within(sentence: &str, max: usize) -> String {
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    if words(sentence).len() <= max {
        return sentence.to_string();
    }
    let from_end = |k: usize| words(&tokens[k..].join(" ")).len();
    let after_comma = (1..tokens.len())
        .find(|&k| tokens[k - 1].ends_with(',') && (4..=max).contains(&from_end(k)));
    let start = after_comma.unwrap_or_else(|| {
        (0..tokens.len())
            .find(|&k| from_end(k) <= max)
            .unwrap_or(tokens.len() - 1)
    });
    let tail = tokens[start..].join(" ");
    crate::text::capitalize_first(&tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_hook_and_cta_are_cut_to_one_sentence_each_when_nothing_else_fits() {
        let d = Draft {
            hook: "Stop scrolling right now. I have something about sleep that nobody on this app tells you, and it matters more than your coffee.".into(),
            body: vec!["Light sets your clock. Dark glasses on the drive home help a lot. Keep the room cold.".into()],
            cta: "I post every single day about shift work and sleep and energy. Follow for more.".into(),
        };
        let t = trim_to_words(&d, 20).unwrap_or_default();
        assert_eq!(t.hook, "Stop scrolling right now.");
        assert_eq!(t.cta, "Follow for more.");
        assert!(t.word_count() <= 20 && !t.body.is_empty(), "{t:?}");
        assert!(trim_to_words(&d, 7).is_none());
    }

    #[test]
    fn a_sentence_that_does_not_fit_is_cut_at_a_clause() {
        let d = Draft {
            hook: "Stop scrolling.".into(),
            body: vec!["Light sets your clock. When you drive home after a night shift, wear dark glasses and keep the car cool.".into()],
            cta: "Follow for more.".into(),
        };
        let t = trim_to_words(&d, 20).unwrap_or_default();
        assert_eq!(
            t.body,
            vec!["Light sets your clock. When you drive home after a night shift.".to_string()]
        );
        assert!(t.word_count() <= 20);
    }

    #[test]
    fn trimming_fills_the_budget_past_a_sentence_that_does_not_fit() {
        let d = Draft {
            hook: "Stop scrolling.".into(),
            body: vec![
                "Light sets your clock. Most people who work nights never see the morning sun on their days off at all and wonder why they feel off. Keep the room cold. Eat before you sleep.".into(),
            ],
            cta: "Follow for more.".into(),
        };
        let t = trim_to_words(&d, 20).unwrap_or_default();
        assert_eq!(
            t.body,
            vec!["Light sets your clock. Keep the room cold. Eat before you sleep.".to_string()]
        );
    }

    #[test]
    fn a_run_on_cut_counts_hyphenated_words_as_the_score_card_does() {
        // Speech-to-text run-on with hyphenated tokens: 3 whitespace tokens, 7 words.
        let run_on = (0..30)
            .map(|i| {
                if i % 3 == 0 {
                    "nine-to-five-ish".to_string()
                } else {
                    format!("w{i}")
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        let d = Draft {
            hook: "Stop scrolling.".into(),
            body: vec![run_on],
            cta: "Follow for more.".into(),
        };
        for max in [20, 27, 33] {
            let t = trim_to_words(&d, max).unwrap_or_default();
            let n = words(&t.text()).len();
            assert!(
                n <= max && n + 4 >= max,
                "{n} words for at most {max}: {}",
                t.text()
            );
        }
    }

    #[test]
    fn a_run_on_hook_and_cta_are_cut_to_their_strongest_words() {
        let d = Draft {
            hook: "so basically today I want to talk to you guys about something that happened to me on the ward last week".into(),
            body: vec!["Light sets your clock. Keep the room cold.".into()],
            cta: "and yeah that is pretty much it for today so if you got something out of this make sure you follow me for more".into(),
        };
        let t = trim_to_words(&d, 34).unwrap_or_default();
        assert!(words(&t.hook).len() <= TIGHT_PART_WORDS, "{}", t.hook);
        assert!(t.hook.starts_with("so basically today"), "{}", t.hook);
        assert_eq!(
            t.cta,
            "So if you got something out of this make sure you follow me for more"
        );
        assert!(t.word_count() <= 34 && !t.body.is_empty(), "{t:?}");
    }
}
