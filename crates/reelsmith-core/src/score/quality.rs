//! Quality: is it a complete, clean, speakable script? Starts at 100 and loses points per problem, each
//! with its reason.

use rustc_hash::FxHashMap;

use super::{Dimension, Prepared};
use crate::language::readability_split;

/// Sentences above this many words are hard to say in one breath.
pub const LONG_SENTENCE_WORDS: usize = 25;

/// Scores structure, repetition, readability, AI clichés, filler and sentence rhythm.
pub fn quality(p: &Prepared<'_>) -> Dimension {
    if p.words.is_empty() {
        return Dimension::new("quality", 0.0, vec!["the script has no words".into()]);
    }
    let mut penalties: Vec<(f64, String)> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut penalty = |points: f64, reason: String| penalties.push((points, reason));

    // Structure: hook, body, call to action.
    if p.sentences.len() < 3 {
        penalty(
            15.0,
            format!(
                "only {} sentence(s): no room for hook, body and CTA",
                p.sentences.len()
            ),
        );
    }
    if p.lex.is_some() && p.analysis.cta.types.is_empty() {
        penalty(
            15.0,
            "no call to action at the end (follow, comment, save, share, link, DM)".into(),
        );
    }

    // Repetition: repeated word trigrams.
    // Trigrams keyed by their words' hashes (no string comparisons); the value keeps the first
    // occurrence's position so the worst repeat can be quoted.
    let tri: Vec<(u64, u64, u64)> = p.keys.windows(3).map(|k| (k[0], k[1], k[2])).collect();
    if !tri.is_empty() {
        let mut counts: FxHashMap<(u64, u64, u64), (usize, usize)> = FxHashMap::default();
        for (i, t) in tri.iter().enumerate() {
            counts.entry(*t).or_insert((i, 0)).1 += 1;
        }
        let repeats: usize = counts
            .values()
            .filter(|(_, c)| *c > 1)
            .map(|(_, c)| c - 1)
            .sum();
        let share = repeats as f64 / tri.len() as f64;
        if share > 0.05 {
            let worst = counts
                .values()
                .max_by_key(|(first, c)| (*c, std::cmp::Reverse(*first)))
                .map(|(first, _)| p.folded[*first..*first + 3].join(" "))
                .unwrap_or_default();
            penalty(
                (share * 100.0).min(20.0),
                format!(
                    "{:.0} % of three-word runs repeat (e.g. “{worst}”)",
                    share * 100.0
                ),
            );
        }
    }

    // Readability.
    if let Some(r) = readability_split(&p.words, p.sentences.len(), p.lex.map_or("", |l| l.code)) {
        if r.score < 60.0 {
            penalty(
                ((60.0 - r.score) / 2.0).min(20.0),
                format!(
                    "hard to follow when spoken: {:.0} {} ({})",
                    r.score, r.scale, r.band
                ),
            );
        } else {
            notes.push(format!("readable: {:.0} {} ({})", r.score, r.scale, r.band));
        }
    }

    if let Some(lex) = p.lex {
        let cliches = p.found(lex.cliches);
        if !cliches.is_empty() {
            penalty(
                (8.0 * cliches.len() as f64).min(30.0),
                format!(
                    "AI clichés: {}",
                    cliches
                        .iter()
                        .map(|c| format!("“{c}”"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let fillers = p.occurrences(lex.fillers);
        let per100 = 100.0 * fillers as f64 / p.words.len() as f64;
        if per100 > 2.0 {
            penalty(
                ((per100 - 2.0) * 2.0).min(20.0),
                format!("{fillers} filler words ({per100:.1} per 100 words)"),
            );
        }
    }

    // Rhythm: sentence lengths should vary, and none should run on.
    let long = p
        .sentence_words
        .iter()
        .filter(|n| **n > LONG_SENTENCE_WORDS)
        .count();
    if long > 0 {
        penalty(
            (5.0 * long as f64).min(15.0),
            format!("{long} sentence(s) over {LONG_SENTENCE_WORDS} words"),
        );
    }
    let cv = coefficient_of_variation(&p.sentence_words);
    if p.sentences.len() >= 4 && cv < 0.2 {
        penalty(
            10.0,
            format!("monotone rhythm: sentence lengths barely vary (CV {cv:.2})"),
        );
    }
    let score = 100.0 - penalties.iter().map(|(p, _)| p).sum::<f64>();
    let mut reasons: Vec<String> = penalties
        .into_iter()
        .map(|(p, r)| format!("−{p:.0}: {r}"))
        .collect();
    if reasons.is_empty() {
        reasons.push("complete and clean: hook, body and CTA, no clichés or filler".into());
    }
    reasons.extend(notes);
    Dimension::new("quality", score, reasons)
}

/// Standard deviation ÷ mean of `values`; 0 for fewer than two values or a zero mean.
pub fn coefficient_of_variation(values: &[usize]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<usize>() as f64 / n;
    if mean == 0.0 {
        return 0.0;
    }
    let var = values
        .iter()
        .map(|v| (*v as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    var.sqrt() / mean
}
