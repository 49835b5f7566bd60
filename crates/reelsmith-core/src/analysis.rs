//! Deterministic analysis of one script: the per-script facts the style profile aggregates and the
//! scorer reuses (words, sentences, hook, CTA, person markers, emoji).

use serde::{Deserialize, Serialize};

use crate::cta::{CtaDetection, detect_cta};
use crate::hooks::{HookClassification, classify_hook};
use crate::lexicon::Lexicon;
use crate::text::{emoji_count, fold, sentences, truncate_chars, words};

/// At most this many words of the first sentence count as the hook, so an unpunctuated transcript
/// does not count wholly as hook. 25 words is about ten seconds of speech at 150 WPM — longer than
/// any hook that works.
pub const HOOK_MAX_WORDS: usize = 25;

/// Facts about one script. Counts are words or sentences; rates are shares 0.0–1.0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptAnalysis {
    /// Words (UAX #29).
    pub words: usize,
    /// Sentences (UAX #29; a line break ends one).
    pub sentences: usize,
    /// The hook: the first sentence, cut to [`HOOK_MAX_WORDS`] words.
    pub hook: String,
    /// Words in the hook.
    pub hook_words: usize,
    /// The hook's type.
    pub hook_type: HookClassification,
    /// The call to action at the end.
    pub cta: CtaDetection,
    /// Second-person words ("you", "tu"...).
    pub second_person: usize,
    /// First-person words ("I", "yo"...).
    pub first_person: usize,
    /// Emoji (grapheme clusters).
    pub emoji: usize,
    /// Sentences ending in `!`.
    pub exclamations: usize,
    /// Sentences holding a question mark.
    pub questions: usize,
}

/// Analyses one script. `lexicon` is the language's lexicon (see [`crate::lexicon::lexicon`]); without
/// one, person markers and CTA types are not counted and hooks get only neutral signals.
pub fn analyze(text: &str, lexicon: Option<&Lexicon>) -> ScriptAnalysis {
    let all_words = words(text);
    let folded: Vec<String> = all_words.iter().map(|w| fold(w)).collect();
    analyze_split(text, &sentences(text), &all_words, &folded, lexicon)
}

/// [`analyze`] on text already split into `sents` ([`sentences`]), `all_words` ([`words`]) and their
/// folded forms ([`fold`]), so a caller that needs them too segments and folds the text only once.
pub fn analyze_split(
    text: &str,
    sents: &[&str],
    all_words: &[&str],
    folded: &[String],
    lexicon: Option<&Lexicon>,
) -> ScriptAnalysis {
    let first = sents.first().copied().unwrap_or("");
    let first_words = words(first);
    let hook = if first_words.len() > HOOK_MAX_WORDS {
        first_words[..HOOK_MAX_WORDS].join(" ")
    } else {
        first.to_string()
    };
    // Segmenting one sentence can find more words than segmenting the whole text (UAX #29 looks at
    // neighbours across the cut), so the hook is capped by the script's own count too.
    let hook_words = first_words.len().min(HOOK_MAX_WORDS).min(all_words.len());
    // Count each distinct word once, then probe per list entry: far fewer comparisons than scanning
    // every list for every word.
    let mut counts: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    if lexicon.is_some() {
        for w in folded {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let count_in = |list: &[&str]| {
        list.iter()
            .map(|w| counts.get(w).copied().unwrap_or(0))
            .sum::<usize>()
    };
    let (second_person, first_person) = match lexicon {
        Some(l) => (count_in(l.second_person), count_in(l.first_person)),
        None => (0, 0),
    };
    // A one-sentence script is all hook: don't also count its end as CTA.
    let cta = if sents.len() > 1 {
        detect_cta(&sents[1..], lexicon)
    } else {
        CtaDetection::default()
    };
    ScriptAnalysis {
        words: all_words.len(),
        sentences: sents.len(),
        hook_type: classify_hook(&hook, lexicon),
        hook: truncate_chars(&hook, 200),
        hook_words,
        cta,
        second_person,
        first_person,
        emoji: emoji_count(text),
        exclamations: sents.iter().filter(|s| s.trim_end().ends_with('!')).count(),
        questions: sents
            .iter()
            .filter(|s| s.contains('?') || s.contains('¿'))
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cta::CtaType;
    use crate::hooks::HookType;
    use crate::lexicon::lexicon;

    #[test]
    fn analyses_a_short_script() {
        let a = analyze(
            "Stop hitting snooze! Your brain hates it. You lose focus 😴\nSave this and follow for more.",
            lexicon("en"),
        );
        assert_eq!(a.words, 16);
        assert_eq!(a.sentences, 4);
        assert_eq!(a.hook, "Stop hitting snooze!");
        assert_eq!(a.hook_words, 3);
        assert_eq!(a.hook_type.primary, HookType::Negative);
        assert_eq!(a.cta.types, vec![CtaType::Save, CtaType::Follow]);
        assert_eq!((a.second_person, a.first_person), (2, 0));
        assert_eq!((a.emoji, a.exclamations, a.questions), (1, 1, 0));
    }

    #[test]
    fn transcripts_without_punctuation_get_bounded_hook() {
        let text = "so um basically ".repeat(30);
        let a = analyze(&text, lexicon("en"));
        assert_eq!(a.hook_words, HOOK_MAX_WORDS);
        assert_eq!(a.sentences, 1);
        assert!(a.cta.types.is_empty());
    }

    #[test]
    fn empty_text_is_harmless() {
        let a = analyze("", None);
        assert_eq!((a.words, a.sentences, a.hook.as_str()), (0, 0, ""));
        assert_eq!(a.hook_type.primary, HookType::Statement);
    }
}
