//! Per-language lexicons: the phrases that mark each hook type and call to action, person markers and
//! number words. English and Spanish have full lexicons; other languages fall back to the
//! language-neutral features (question marks, digits, emoji, sentence rhythm).
//!
//! Patterns are written folded (lower case, no diacritics, ASCII apostrophes — see [`crate::text::fold`])
//! and match on word boundaries.

mod en;
mod es;

use crate::cta::{CtaType, Mechanic};
use crate::hooks::HookType;

/// One phrase pattern, matched on whole words of a folded sentence.
#[derive(Debug, Clone, Copy)]
pub enum Pattern {
    /// The sentence starts with these words.
    Starts(&'static str),
    /// The sentence contains these words anywhere.
    Has(&'static str),
}

impl Pattern {
    /// Whether the pattern matches `padded`, the output of [`crate::text::padded_words`].
    pub fn matches(&self, padded: &str) -> bool {
        match self {
            Pattern::Starts(p) => padded
                .strip_prefix(' ')
                .and_then(|rest| rest.strip_prefix(p))
                .is_some_and(|rest| rest.starts_with(' ')),
            Pattern::Has(p) => has_phrase(padded, p),
        }
    }
}

/// Whether `phrase` occurs in `padded` (folded words joined by single spaces, padded with a space at
/// each end) on word boundaries. Checks each word start directly: for script-length texts this beats
/// building a substring searcher per phrase.
pub fn has_phrase(padded: &str, phrase: &str) -> bool {
    count_phrase(padded, phrase) > 0
}

/// How many times `phrase` occurs in `padded` on word boundaries (see [`has_phrase`]).
pub fn count_phrase(padded: &str, phrase: &str) -> usize {
    let hay = padded.as_bytes();
    let needle = phrase.as_bytes();
    if needle.is_empty() {
        return 0;
    }
    let mut n = 0;
    for (i, b) in hay.iter().enumerate() {
        if *b == b' ' {
            let rest = &hay[i + 1..];
            if rest.len() > needle.len() && rest.starts_with(needle) && rest[needle.len()] == b' ' {
                n += 1;
            }
        }
    }
    n
}

/// Phrase data for one language.
#[derive(Debug)]
pub struct Lexicon {
    /// ISO 639-1 code, e.g. `en`.
    pub code: &'static str,
    /// Patterns that mark each hook type.
    pub hooks: &'static [(HookType, &'static [Pattern])],
    /// Patterns that mark each call-to-action type.
    pub ctas: &'static [(CtaType, &'static [Pattern])],
    /// Second-person words ("you", "your"...), folded.
    pub second_person: &'static [&'static str],
    /// First-person words ("I", "my", "we"...), folded.
    pub first_person: &'static [&'static str],
    /// Spelled-out numbers that make a hook a number/statistic hook.
    pub number_words: &'static [&'static str],
    /// Phrases that mark machine-written filler ("in today's fast-paced world", "let's dive in").
    pub cliches: &'static [&'static str],
    /// Spoken filler ("um", "basically", "literally").
    pub fillers: &'static [&'static str],
    /// High-arousal emotion words (fear, anger, awe, joy, surprise), folded.
    pub emotion: &'static [&'static str],
    /// Imperative verbs that open an actionable step ("try", "stop", "put"), folded.
    pub imperatives: &'static [&'static str],
    /// Words that announce a payoff still to come ("here's why", "but", "wait").
    pub open_loops: &'static [&'static str],
    /// Phrases that name an offer — buying, booking, signing up, a code, a discount, the creator's
    /// product ("sign up", "promo code", "my course"), folded: a promotional script names one.
    pub offers: &'static [&'static str],
    /// Phrases that tell something that happened — a past-tense first- or third-person event or a
    /// time marker ("i was", "she told", "last night"), folded: a story has them.
    pub narrative: &'static [&'static str],
    /// Topic patterns that ask why ("why…", "what causes…", "por qué…"): such a topic asks the
    /// script for a reason.
    pub asks_why: &'static [Pattern],
    /// Topic patterns that ask how ("how to…", "ways to…", "cómo…"): such a topic asks the script
    /// for a step to take.
    pub asks_how: &'static [Pattern],
    /// Phrases that give a reason or a cause ("because", "that's why", "due to", "porque"), folded.
    pub reasons: &'static [&'static str],
    /// Phrases that name a platform feature ("subscribe", "duet this", "swipe up"), folded.
    pub mechanics: &'static [(Mechanic, &'static [&'static str])],
}

/// The lexicon for an ISO 639-1 language code, if reelsmith has one.
pub fn lexicon(code: &str) -> Option<&'static Lexicon> {
    match code {
        "en" => Some(&en::LEXICON),
        "es" => Some(&es::LEXICON),
        _ => None,
    }
}

/// Language codes that have a full lexicon.
pub const SUPPORTED: &[&str] = &["en", "es"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::padded_words;

    #[test]
    fn patterns_match_whole_words_only() {
        let s = padded_words("Stop doing this, followers!");
        assert!(Pattern::Starts("stop").matches(&s));
        assert!(Pattern::Has("doing this").matches(&s));
        assert!(!Pattern::Has("follow").matches(&s));
        assert!(!Pattern::Starts("doing").matches(&s));
        assert!(!Pattern::Starts("sto").matches(&s));
    }

    #[test]
    fn lexicon_patterns_are_folded() {
        for code in SUPPORTED {
            let Some(lex) = lexicon(code) else {
                unreachable!("{code} is listed as supported")
            };
            let mut pats: Vec<&str> = lex
                .hooks
                .iter()
                .chain(
                    lex.ctas
                        .iter()
                        .map(|(_, p)| (HookType::Statement, *p))
                        .collect::<Vec<_>>()
                        .iter(),
                )
                .flat_map(|(_, p)| p.iter())
                .map(|p| match p {
                    Pattern::Starts(s) | Pattern::Has(s) => *s,
                })
                .collect();
            for list in [
                lex.cliches,
                lex.fillers,
                lex.emotion,
                lex.imperatives,
                lex.open_loops,
                lex.number_words,
                lex.offers,
                lex.narrative,
                lex.reasons,
            ] {
                pats.extend(list.iter().copied());
            }
            assert!(
                lex.imperatives.iter().all(|w| !w.contains(' ')),
                "imperatives are matched as a sentence's first word: keep them single words"
            );
            pats.extend(lex.mechanics.iter().flat_map(|(_, p)| p.iter().copied()));
            pats.extend(lex.asks_why.iter().chain(lex.asks_how).map(|p| match p {
                Pattern::Starts(s) | Pattern::Has(s) => *s,
            }));
            for p in pats {
                assert_eq!(
                    padded_words(p).trim(),
                    p,
                    "pattern {p:?} in {code} is not folded"
                );
            }
        }
    }
}
