//! Viral potential in nine dimensions, each 0–100 with reasons, and their weighted overall score.

use super::quality::coefficient_of_variation;
use super::{Dimension, Prepared, ScoreRequest, VIRAL_WEIGHTS, Viral, hook_model};
use crate::cta::CtaType;
use crate::hooks::HookType;
use crate::lexicon::{Pattern, has_phrase};
use crate::text::padded_words;

/// Scores the nine dimensions; `hook_vector` is the hook line's embedding by `req.embedder`, when
/// there is one.
pub fn viral(p: &Prepared<'_>, req: &ScoreRequest<'_>, hook_vector: Option<&[f32]>) -> Viral {
    let wpm = req.style.map_or_else(
        || crate::language::default_wpm(p.lex.map_or("", |l| l.code)).wpm,
        |s| s.pace.wpm,
    );
    let dimensions = vec![
        hook_strength(p, req, hook_vector),
        curiosity_gap(p),
        emotional_intensity(p),
        specificity(p),
        relatability(p, req),
        value_density(p),
        pacing(p, wpm),
        cta_strength(p),
        trend_alignment(p, req.trends),
    ];
    let weights: Vec<f64> = match req.viral_weights {
        Some(w) if w.len() == VIRAL_WEIGHTS.len() => w.to_vec(),
        _ => VIRAL_WEIGHTS.iter().map(|(_, w)| *w).collect(),
    };
    let overall = dimensions
        .iter()
        .zip(&weights)
        .map(|(d, w)| d.score * w)
        .sum::<f64>();
    Viral {
        dimensions,
        weights: VIRAL_WEIGHTS
            .iter()
            .zip(&weights)
            .map(|((n, _), w)| ((*n).to_string(), *w))
            .collect(),
        overall: (overall * 10.0).round() / 10.0,
    }
}

fn per100(count: usize, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        100.0 * count as f64 / words as f64
    }
}

fn hook_strength(
    p: &Prepared<'_>,
    req: &ScoreRequest<'_>,
    hook_vector: Option<&[f32]>,
) -> Dimension {
    let hook = &p.analysis.hook;
    if hook.is_empty() {
        return Dimension::new(
            "hook_strength",
            0.0,
            vec!["no hook: the script is empty".into()],
        );
    }
    let model = hook_model::HookModel::default_model();
    // The semantic head was fitted on English headlines with one embedding model: it scores English
    // hooks when that model is at hand; otherwise the hand features and words do.
    let semantic = hook_vector
        .filter(|_| p.lex.is_some_and(|l| l.code == "en"))
        .filter(|_| {
            req.embedder.is_some_and(|e| {
                model
                    .semantic
                    .as_ref()
                    .is_some_and(|h| h.embedding_model == e.0.model())
            })
        })
        .and_then(|v| model.score_semantic(hook, p.lex, &p.analysis.hook_type, v));
    let scored = semantic.unwrap_or_else(|| model.score_with(hook, p.lex, &p.analysis.hook_type));
    let mut reasons = vec![format!(
        "“{hook}” — {} hook, {} words",
        p.analysis.hook_type.primary.label(),
        p.analysis.hook_words
    )];
    reasons.extend(scored.reasons);
    Dimension::new("hook_strength", scored.score, reasons)
}

fn curiosity_gap(p: &Prepared<'_>) -> Dimension {
    let mut score: f64 = 25.0;
    let mut reasons = Vec::new();
    let types = &p.analysis.hook_type.matched;
    if types.contains(&HookType::CuriosityGap) {
        score += 35.0;
        reasons.push("the hook withholds its payoff (curiosity-gap phrasing)".into());
    }
    if types.contains(&HookType::Question) {
        score += 15.0;
        reasons.push("the hook asks a question the script answers".into());
    }
    if let Some(lex) = p.lex {
        let loops = p.found(lex.open_loops);
        if !loops.is_empty() {
            score += (12.0 * loops.len() as f64).min(30.0);
            reasons.push(format!(
                "open loops keep viewers watching: {}",
                quoted(&loops)
            ));
        }
    }
    if reasons.is_empty() {
        reasons
            .push("nothing withheld: the hook gives the answer away or poses no question".into());
    }
    Dimension::new("curiosity_gap", score, reasons)
}

fn emotional_intensity(p: &Prepared<'_>) -> Dimension {
    let mut reasons = Vec::new();
    let (emotion, found) = match p.lex {
        Some(lex) => {
            let found = p.found(lex.emotion);
            (p.occurrences(lex.emotion), found)
        }
        None => (0, Vec::new()),
    };
    let rate = per100(emotion, p.words.len());
    let mut score = 20.0 + 25.0 * rate.min(3.0);
    if !found.is_empty() {
        reasons.push(format!(
            "{emotion} high-arousal words ({rate:.1} per 100): {}",
            quoted(&found)
        ));
    } else {
        reasons.push("no high-arousal words (fear, anger, awe, joy, surprise)".into());
    }
    let excl = p.analysis.exclamations;
    if excl > 0 {
        score += (5.0 * excl as f64).min(10.0);
        reasons.push(format!("{excl} exclamation(s)"));
    }
    Dimension::new("emotional_intensity", score, reasons)
}

/// Concrete details: numbers, names (proper nouns) and unit signs.
fn details(p: &Prepared<'_>) -> (usize, usize, usize) {
    (
        p.numbers(),
        p.proper_nouns(),
        p.text.matches(['%', '$', '€', '£']).count(),
    )
}

/// Whether the script says nothing concrete: no number, name or unit sign, no sentence telling the
/// viewer what to do and no numbered step ("Hey, this is for you. I'll tell you how. Skip the
/// work."). `None` for a language without the imperative lexicon.
pub(crate) fn says_nothing(p: &Prepared<'_>) -> Option<bool> {
    let (numbers, names, units) = details(p);
    let (actionable, steps) = actions(p)?;
    Some(numbers + names + units + actionable + steps == 0)
}

fn specificity(p: &Prepared<'_>) -> Dimension {
    let (numbers, names, units) = details(p);
    let rate = per100(numbers + names + units, p.words.len());
    let score = 20.0 + 16.0 * rate;
    let mut reasons = vec![format!(
        "{numbers} number(s), {names} name(s) or proper noun(s), {units} unit sign(s): {rate:.1} concrete details per 100 words"
    )];
    if rate < 2.0 {
        reasons.push("add a number, a name or a concrete example".into());
    }
    Dimension::new("specificity", score, reasons)
}

fn relatability(p: &Prepared<'_>, req: &ScoreRequest<'_>) -> Dimension {
    let mut reasons = Vec::new();
    let you = per100(p.analysis.second_person, p.words.len());
    let mut score = 20.0 + (you * 12.0).min(60.0);
    reasons.push(format!("“you” words: {you:.1} per 100"));
    if p.analysis.first_person > 0 {
        score += 5.0;
        reasons.push("speaks from personal experience (first person)".into());
    }
    if let Some(profile) = req.profile {
        let hits: Vec<&String> = profile
            .pain_points
            .iter()
            .filter(|pp| mentions(p, pp))
            .collect();
        if !hits.is_empty() {
            score += (15.0 * hits.len() as f64).min(30.0);
            reasons.push(format!(
                "names the audience's pain: {}",
                hits.iter()
                    .map(|h| format!("“{h}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else if !profile.pain_points.is_empty() {
            reasons.push("touches none of the persona's audience pain points".into());
        }
    }
    Dimension::new("relatability", score, reasons)
}

/// Whether the script shares at least half of the content words (4+ letters) of `phrase`.
fn mentions(p: &Prepared<'_>, phrase: &str) -> bool {
    let padded = padded_words(phrase);
    let content: Vec<&str> = padded
        .split_whitespace()
        .filter(|w| w.chars().count() >= 4)
        .collect();
    if content.is_empty() {
        return false;
    }
    let hits = content
        .iter()
        .filter(|w| {
            p.folded
                .iter()
                .any(|f| f.starts_with(*w) || w.starts_with(f.as_str()) && f.len() >= 4)
        })
        .count();
    hits * 2 >= content.len()
}

/// Whether a sentence (folded and padded, [`Prepared::padded_sentences`]) tells the viewer what
/// to do: it opens with an imperative ("try", "stop"), or says "you can" / "you need to" other than
/// in a relative clause (after one of [`RELATIVES`]).
///
/// In a relative clause "you can" describes rather than instructs ("this is the place where you
/// can get your day off-kilter", from a generated script that the old rule, "you can" anywhere,
/// credited with a step to take); "If you work nights, you need to…" and "So you can…" still count.
pub(crate) fn tells_what_to_do(lex: &crate::lexicon::Lexicon, padded: &str) -> bool {
    // Imperatives are single words: compare the sentence's first word.
    let first = padded.split_whitespace().next().unwrap_or("");
    lex.imperatives.contains(&first)
        || [" you can ", " you need to "].iter().any(|phrase| {
            padded.match_indices(phrase).any(|(at, _)| {
                // The word before the phrase ("" at the sentence's start).
                let before = padded[..at].rsplit(' ').next().unwrap_or("");
                !RELATIVES.contains(&before)
            })
        })
}

/// Words that open a relative clause: "you can" after them describes a place, a thing or a way
/// rather than telling the viewer what to do.
const RELATIVES: [&str; 8] = [
    "where", "that", "which", "who", "whom", "whose", "wherever", "how",
];

/// Sentences that tell the viewer what to do, and numbered steps; `None` without the imperative
/// lexicon.
fn actions(p: &Prepared<'_>) -> Option<(usize, usize)> {
    let lex = p.lex?;
    let actionable = p
        .padded_sentences
        .iter()
        .filter(|s| tells_what_to_do(lex, s))
        .count();
    let steps = p
        .padded_sentences
        .iter()
        .filter(|s| {
            [
                "one", "two", "three", "first", "second", "step", "uno", "dos", "tres", "primero",
                "paso",
            ]
            .iter()
            .any(|w| Pattern::Starts(w).matches(s))
        })
        .count();
    Some((actionable, steps))
}

fn value_density(p: &Prepared<'_>) -> Dimension {
    let Some((actionable, steps)) = actions(p) else {
        return Dimension::new(
            "value_density",
            50.0,
            vec!["no imperative lexicon for this language: neutral 50".into()],
        );
    };
    let share = if p.sentences.is_empty() {
        0.0
    } else {
        actionable as f64 / p.sentences.len() as f64
    };
    let score = 20.0 + 160.0 * share.min(0.5) + 5.0 * steps.min(4) as f64;
    let mut reasons = vec![format!(
        "{actionable} of {} sentences tell the viewer what to do",
        p.sentences.len()
    )];
    if steps > 0 {
        reasons.push(format!("{steps} numbered step(s)"));
    }
    if actionable == 0 {
        reasons.push("give one concrete action the viewer can take today".into());
    }
    Dimension::new("value_density", score, reasons)
}

fn pacing(p: &Prepared<'_>, wpm: f64) -> Dimension {
    let mut reasons = Vec::new();
    let three_s_words = (wpm * 3.0 / 60.0).round() as usize;
    let hook_words = p.analysis.hook_words;
    let hook_pts = if hook_words == 0 {
        0.0
    } else if hook_words <= three_s_words {
        40.0
    } else {
        40.0 * (three_s_words as f64 / hook_words as f64)
    };
    reasons.push(format!(
        "hook: {hook_words} words; {three_s_words} fit in the first 3 seconds at {wpm:.0} WPM"
    ));
    let n = p.sentence_words.len().max(1) as f64;
    let mean = p.sentence_words.iter().sum::<usize>() as f64 / n;
    let len_pts = if (6.0..=14.0).contains(&mean) {
        30.0
    } else {
        30.0 * (1.0 - ((mean - 10.0).abs() - 4.0).max(0.0) / 16.0).max(0.0)
    };
    reasons.push(format!("{mean:.1} words per sentence (6–14 reads fast)"));
    let cv = coefficient_of_variation(&p.sentence_words);
    let cv_pts = if (0.3..=0.9).contains(&cv) {
        30.0
    } else {
        15.0
    };
    reasons.push(format!(
        "sentence-length variation {cv:.2} (0.3–0.9 keeps rhythm)"
    ));
    Dimension::new("pacing", hook_pts + len_pts + cv_pts, reasons)
}

fn cta_strength(p: &Prepared<'_>) -> Dimension {
    let cta = &p.analysis.cta;
    if p.lex.is_none() {
        return Dimension::new(
            "cta_strength",
            50.0,
            vec!["no CTA lexicon for this language: neutral 50".into()],
        );
    }
    let Some(text) = &cta.text else {
        return Dimension::new(
            "cta_strength",
            10.0,
            vec!["no call to action: tell viewers to save, share, comment or follow".into()],
        );
    };
    let best = cta.types.iter().map(|t| match t {
        CtaType::DmKeyword | CtaType::Save | CtaType::Share => 30.0,
        CtaType::Comment => 25.0,
        CtaType::LinkInBio => 20.0,
        CtaType::Follow => 15.0,
    });
    let mut score = 45.0 + best.fold(0.0, f64::max);
    let mut reasons = vec![format!(
        "“{text}” — {}",
        cta.types
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join(" + ")
    )];
    if cta.types.len() > 2 {
        score -= 10.0;
        reasons.push(format!(
            "{} different asks dilute each other: keep one or two",
            cta.types.len()
        ));
    }
    let last = p.sentences.last().copied().unwrap_or("");
    if text.contains(last) {
        score += 10.0;
        reasons.push("closes the script".into());
    }
    if [
        "for more", "so you", "para mas", "para que", "and i'll", "y te",
    ]
    .iter()
    .any(|w| Pattern::Has(w).matches(&padded_words(text)))
    {
        score += 10.0;
        reasons.push("gives a reason to act".into());
    }
    Dimension::new("cta_strength", score, reasons)
}

fn trend_alignment(p: &Prepared<'_>, trends: &[String]) -> Dimension {
    if trends.is_empty() {
        return Dimension::new(
            "trend_alignment",
            50.0,
            vec!["no trends listed: neutral 50 (add some with `reelsmith trends add`)".into()],
        );
    }
    let hits: Vec<&String> = trends
        .iter()
        .filter(|t| {
            let padded = padded_words(t);
            has_phrase(&p.padded, padded.trim())
        })
        .collect();
    if hits.is_empty() {
        return Dimension::new(
            "trend_alignment",
            20.0,
            vec![format!("touches none of your {} trends", trends.len())],
        );
    }
    Dimension::new(
        "trend_alignment",
        50.0 + 25.0 * hits.len() as f64,
        vec![format!(
            "rides {}: {}",
            if hits.len() == 1 { "a trend" } else { "trends" },
            hits.iter()
                .map(|h| format!("“{h}”"))
                .collect::<Vec<_>>()
                .join(", ")
        )],
    )
}

fn quoted(list: &[&str]) -> String {
    list.iter()
        .map(|x| format!("“{x}”"))
        .collect::<Vec<_>>()
        .join(", ")
}
