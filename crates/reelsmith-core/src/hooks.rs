//! The hook taxonomy: what kind of opening line a script uses, classified deterministically.

use serde::{Deserialize, Serialize};

use crate::lexicon::{Lexicon, Pattern};
use crate::text::padded_words;

/// The kinds of hook (a script's opening line) reelsmith recognises.
///
/// When a line matches several, [`HookType::PRIORITY`] picks the primary one: the more specific
/// rhetorical device wins over the generic ones (a question mark alone says little).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookType {
    /// "POV: you just…" — the viewer placed in a relatable scene.
    Pov,
    /// "If you're a nurse…" — names the audience directly.
    DirectCallout,
    /// "Stop doing X", "the biggest mistake…" — a warning.
    Negative,
    /// "How to…", "here's how I…" — promises a method.
    HowTo,
    /// "When I was 22…" — opens a personal story.
    StoryOpener,
    /// "Nobody tells you this…" — withholds the payoff.
    CuriosityGap,
    /// "73 % of people…", "three habits…" — leads with a number.
    NumberStatistic,
    /// "Why do you…?" — asks the viewer.
    Question,
    /// "Morning routines are overrated." — a strong claim.
    BoldClaim,
    /// None of the above: a plain statement.
    Statement,
}

impl HookType {
    /// Primary-type order, most specific first.
    pub const PRIORITY: [HookType; 10] = [
        HookType::Pov,
        HookType::DirectCallout,
        HookType::Negative,
        HookType::HowTo,
        HookType::StoryOpener,
        HookType::CuriosityGap,
        HookType::NumberStatistic,
        HookType::Question,
        HookType::BoldClaim,
        HookType::Statement,
    ];

    /// Human-readable label, e.g. `curiosity gap`.
    pub fn label(self) -> &'static str {
        match self {
            HookType::Pov => "POV / relatable",
            HookType::DirectCallout => "direct callout",
            HookType::Negative => "negative / stop doing X",
            HookType::HowTo => "how-to promise",
            HookType::StoryOpener => "story opener",
            HookType::CuriosityGap => "curiosity gap",
            HookType::NumberStatistic => "number or statistic",
            HookType::Question => "question",
            HookType::BoldClaim => "bold claim",
            HookType::Statement => "plain statement",
        }
    }
}

/// The result of classifying one hook line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookClassification {
    /// The primary type (first of `matched` in [`HookType::PRIORITY`] order).
    pub primary: HookType,
    /// Every type the line matched, in priority order; `[Statement]` when none did.
    pub matched: Vec<HookType>,
}

/// Classifies a hook line. Language-neutral signals (a `?`, a digit or `%`) work for every language;
/// the lexicon's phrases add the rest when the language has one.
pub fn classify_hook(line: &str, lexicon: Option<&Lexicon>) -> HookClassification {
    let padded = padded_words(line);
    let mut matched: Vec<HookType> = Vec::new();
    let has = |pats: &[Pattern]| pats.iter().any(|p| p.matches(&padded));
    if let Some(lex) = lexicon {
        for (ty, pats) in lex.hooks {
            if has(pats) {
                matched.push(*ty);
            }
        }
        if lex
            .number_words
            .iter()
            .any(|w| Pattern::Has(w).matches(&padded))
        {
            matched.push(HookType::NumberStatistic);
        }
    }
    if line.chars().any(|c| c.is_ascii_digit() || c == '%') {
        matched.push(HookType::NumberStatistic);
    }
    if line.contains('?') || line.contains('¿') || line.contains('？') {
        matched.push(HookType::Question);
    }
    matched.sort_by_key(|t| HookType::PRIORITY.iter().position(|p| p == t));
    matched.dedup();
    if matched.is_empty() {
        matched.push(HookType::Statement);
    }
    HookClassification {
        primary: matched[0],
        matched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::lexicon;

    fn primary(line: &str, lang: &str) -> HookType {
        classify_hook(line, lexicon(lang)).primary
    }

    #[test]
    fn english_hooks_land_in_their_types() {
        assert_eq!(
            primary("POV: your alarm goes off at 5am", "en"),
            HookType::Pov
        );
        assert_eq!(
            primary("If you work night shifts, listen up.", "en"),
            HookType::DirectCallout
        );
        assert_eq!(
            primary("Stop drinking coffee the second you wake up.", "en"),
            HookType::Negative
        );
        assert_eq!(
            primary("How to fall asleep in ten minutes", "en"),
            HookType::HowTo
        );
        assert_eq!(
            primary("When I was 24 I fainted in a supply closet.", "en"),
            HookType::StoryOpener
        );
        assert_eq!(
            primary("Nobody tells you this about naps.", "en"),
            HookType::CuriosityGap
        );
        assert_eq!(
            primary("73% of nurses sleep under six hours.", "en"),
            HookType::NumberStatistic
        );
        assert_eq!(
            primary("Why are you always tired after lunch?", "en"),
            HookType::Question
        );
        assert_eq!(
            primary("Morning routines are overrated.", "en"),
            HookType::BoldClaim
        );
        assert_eq!(
            primary("My kitchen has a yellow kettle.", "en"),
            HookType::Statement
        );
    }

    #[test]
    fn spanish_hooks_match_with_or_without_accents() {
        assert_eq!(
            primary("¿Cómo ahorrar 200 euros al mes?", "es"),
            HookType::HowTo
        );
        assert_eq!(
            primary("como ahorrar sin darte cuenta", "es"),
            HookType::HowTo
        );
        assert_eq!(
            primary("Deja de pagar comisiones al banco.", "es"),
            HookType::Negative
        );
        assert_eq!(
            primary("Nadie te dice esto de la hipoteca.", "es"),
            HookType::CuriosityGap
        );
        assert_eq!(
            primary("¿Por qué nunca llegas a fin de mes?", "es"),
            HookType::Question
        );
        assert_eq!(
            primary("¿Sabías que tu banco gana con tu nómina?", "es"),
            HookType::Question
        );
    }

    #[test]
    fn unknown_languages_still_get_neutral_signals() {
        let c = classify_hook("Warum bist du immer müde?", None);
        assert_eq!(c.primary, HookType::Question);
        let c = classify_hook("5 Fehler beim Sparen", None);
        assert_eq!(c.primary, HookType::NumberStatistic);
        assert_eq!(
            classify_hook("Guten Morgen", None).matched,
            vec![HookType::Statement]
        );
    }

    #[test]
    fn all_matches_are_reported_in_priority_order() {
        let c = classify_hook("Why does nobody talk about the 3 mistakes?", lexicon("en"));
        assert_eq!(c.primary, HookType::Negative);
        assert!(c.matched.contains(&HookType::CuriosityGap));
        assert!(c.matched.contains(&HookType::NumberStatistic));
        assert!(c.matched.contains(&HookType::Question));
    }
}
