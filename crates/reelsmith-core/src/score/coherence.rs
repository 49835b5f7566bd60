//! Coherence and completeness: does the script hold together, and does it end? Four checks, each
//! with its evidence:
//! - **cut off**: the script ends without ending its sentence, in a script that otherwise punctuates;
//! - **fragment**: the last sentence ends on a word that cannot end a sentence (an article, a
//!   possessive, a conjunction: "…put your bag on a.");
//! - **repetition**: word 4-grams said more than once, or a sentence or run of sentences said again
//!   right after itself ("Boring? Yes. Boring? Yes.": a model looping on itself);
//! - **language switch**: the two halves detected (whatlang) as different languages;
//! - **topic shift**: a gap where the sentences before and after share almost no content words
//!   (two scripts spliced together) — TextTiling's block comparison (Hearst, "TextTiling:
//!   Segmenting Text into Multi-paragraph Subtopic Passages", Computational Linguistics 1997) with
//!   blocks of [`BLOCK`] sentences (a soft penalty, never a verdict on its own);
//! - **order**: how much more adjacent sentences share content words than sentences in general
//!   (lexical cohesion, Halliday & Hasan 1976), an opening that leans on what came before ("But",
//!   "And", "That's why"), and a call to action that is not at the end.
//!
//! English and Spanish have the word lists; other languages get the language-neutral checks.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::likelihood::Likelihoods;
use super::{Dimension, Prepared};
use crate::lexicon::Pattern;

/// Confidence (whatlang's, 0–1) each half of a script needs before the two halves' different
/// languages count as a switch: short halves of closely related languages are often unsure.
pub const SWITCH_CONFIDENCE: f64 = 0.5;
/// Points a language switch costs: as much as a cut-off's 60 less a little, since the text itself
/// is whole — enough that a script with one can never score high.
pub const SWITCH_POINTS: f64 = 50.0;

/// The language-switch check runs whatlang only when one half's share of the language's stop words
/// is below this fraction of the other's: a half in another language shares few of them (the
/// bundled English and Spanish scripts' halves hold 40–57 % stop words of their own language and
/// 0–18 % of the other's).
pub const SWITCH_STOP_RATIO: f64 = 0.5;

/// Sentences per block on each side of a gap in the topic-shift check.
pub const BLOCK: usize = 3;
/// Scale of the order check's logistic over the adjacent-minus-distant sentence cosine
/// (embeddings): 10 of its 20 points at a gap of 0 (a shuffle's median), 2.4 at 0.05.
pub const ORDER_SCALE: f64 = 0.025;
/// Mean pairwise sentence cosine (embeddings) below which the topic-consistency check takes points:
/// real transcripts' median is 0.17, spliced ones' 0.15 (voices corpus, speakers outside Go Time).
pub const CONSISTENT: f64 = 0.25;
/// With a language model: points the order check can take, in place of the embeddings' 20 (the
/// model's order evidence is the stronger: it ranks a real excerpt above its shuffle 96.7 % of the
/// time on 60 Go Time excerpts, the embeddings 90.4 %).
pub const LM_ORDER_POINTS: f64 = 40.0;
/// Context gain ([`super::likelihood::Likelihoods::context_gain`]) at which the order check takes
/// half its points: between real transcripts' median (0.19–0.21) and shuffled ones' (0.16–0.17)
/// — the 8 voices-corpus speakers outside Go Time, 20 excerpts, gemma-3-270m.
pub const LM_GAIN_MID: f64 = 0.18;
/// Scale of that logistic: wide, so that of two orders of the same sentences the one the model
/// finds likelier always scores higher (fitted on the same 20 excerpts: 0.02–0.03 ranked best).
pub const LM_GAIN_SCALE: f64 = 0.03;
/// A real script's typical context gain, quoted in the card's reason (the median above, rounded).
pub const LM_GAIN_TYPICAL: f64 = 0.20;
/// With a language model, the word-overlap topic-shift check keeps this share of its points: it
/// moves with the order too, and the model's order evidence already sees where two texts meet.
/// Chosen on the voices corpus' 8 fitting speakers (`eval coherence --turns --lm --sample 80`, 78
/// pairs, gemma-3-270m): at 0.25 the card ranks one-turn originals above their shuffles 82.1 % of
/// the time and above their splices 87.2 % (at 0.5 with the old opener list, 71.8 % and 87.2 %).
/// Recombining that run's recorded penalties: at 0.5, 76.9 % and 87.2 %; at 0, 84.6 % and 82.1 %
/// — the splices need some of the check.
pub const LEXICAL_SHIFT_WITH_LM: f64 = 0.25;

/// A problem the coherence check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Ends mid-sentence.
    CutOff,
    /// Ends in a fragment.
    Fragment,
    /// Repeats itself.
    Repetition,
    /// Sentences out of order.
    Disorder,
    /// Its two halves are in different languages (two scripts spliced, or a model drifting into
    /// another language).
    LanguageSwitch,
}

impl Problem {
    /// Words for "not fit to post: …".
    pub fn label(self) -> &'static str {
        match self {
            Problem::CutOff => "cut off mid-sentence",
            Problem::Fragment => "ends in a fragment",
            Problem::Repetition => "repeats itself",
            Problem::Disorder => "sentences out of order",
            Problem::LanguageSwitch => "switches language mid-script",
        }
    }
}

/// The coherence dimension and the problems behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coherence {
    /// Score 0–100 with its reasons.
    pub dimension: Dimension,
    /// Problems serious enough to make the script unfit to post, worst first.
    pub problems: Vec<Problem>,
}

/// Words that cannot end a sentence: articles, possessive determiners, coordinating conjunctions
/// and, in Spanish, the prepositions that always take an object. Lower-cased, accents kept
/// (Spanish "si" is "if", "sí" is "yes").
///
/// English prepositions are not in the list: English strands them at a sentence's end in
/// questions, relative clauses and passives ("Where are you joining us from?", "Comment what
/// you're struggling with.", "It's paid for."; Huddleston & Pullum, *The Cambridge Grammar of the
/// English Language*, 2002, ch. 7 §4.1), so a final "from" or "with" is no sign of a cut. A Go
/// Time host's "Sebastian, where are you joining us from?" was called a fragment. Spanish does not
/// strand them.
pub(crate) fn never_final(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &[
            "a", "an", "the", "and", "or", "but", "nor", "your", "my", "our", "their", "its",
            "because", "if", "than", "very", "whose",
        ],
        "es" => &[
            "el", "la", "los", "las", "un", "una", "unos", "unas", "y", "e", "o", "u", "pero",
            "ni", "de", "del", "al", "con", "sin", "para", "tu", "tus", "mi", "mis", "su", "sus",
            "que", "porque", "si", "muy", "en", "cuyo", "cuya",
        ],
        _ => &[],
    }
}

/// Openers that lean on a previous sentence: a script's first sentence should not start with them.
/// Folded words (lower case, no diacritics), as the opener is compared folded.
///
/// Only connectives that continue or answer something said before ("But…", "And…", "That's
/// why…", "Because…"; "Pero…", "Además…", "Porque…"). Words that open many good hooks are not
/// on the list: "So I tried…", "This one habit…", "It took me three years…", "They told me…",
/// "These 3 mistakes…", "Entonces…", "Por qué…", "Así es como…"; nor does a what-if question
/// ("¿Y si…?", "And what if…?") count as a continuation. They used to be, costing such
/// openings 15 points, and the original of a shuffled excerpt lost to its shuffle whenever the
/// shuffle moved such an opener away (see [`LEXICAL_SHIFT_WITH_LM`] for the measurement).
fn leaning_openers(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &[
            "but",
            "and",
            "also",
            "then",
            "that's",
            "thats",
            "which",
            "because",
            "plus",
            "however",
            "therefore",
            "instead",
            "otherwise",
            "besides",
        ],
        "es" => &["pero", "y", "tambien", "ademas", "porque", "luego", "eso"],
        _ => &[],
    }
}

/// A content word's key: the hash of its first six folded characters (a crude stem:
/// "caffeine" and "caffeinated" share "caffei"), computed without allocating.
fn stem(w: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for c in w.chars().take(6) {
        h.write_u32(c as u32);
    }
    h.finish()
}

fn is_cta(lex: &crate::lexicon::Lexicon, padded: &str) -> bool {
    lex.ctas
        .iter()
        .any(|(_, patterns)| patterns.iter().any(|pat| pat.matches(padded)))
}

/// Words that may come before a call to action at a clause's start ("So follow for more", "Y
/// comenta…"), folded.
const CTA_OPENERS: [&str; 11] = [
    "so", "now", "then", "just", "please", "also", "y", "ahora", "entonces", "tambien", "solo",
];

/// Whether `sentence` asks the viewer to act: one of its clauses (split at , ; : and dashes)
/// opens with a call to action's words, after at most one of [`CTA_OPENERS`] ("If this helped,
/// follow for more"). Stricter than the CTA lexicon's "anywhere in the sentence", which the order
/// check cannot use mid-script: "If you follow me on Twitter you know my love for Vim" and "his
/// bio says…" name no action for the viewer, and on Go Time transcripts such lines made real
/// excerpts "not fit to post".
fn asks_for_action(lex: &crate::lexicon::Lexicon, sentence: &str) -> bool {
    sentence
        .split([',', ';', ':', '—', '–'])
        .flat_map(|c| c.split(" - "))
        .any(|clause| {
            let padded = crate::text::padded_words(clause);
            // " so follow for more " → " follow for more ": the opener and its leading space off.
            let rest = match padded.split_whitespace().next() {
                Some(w) if CTA_OPENERS.contains(&w) => &padded[1 + w.len()..],
                _ => padded.as_str(),
            };
            lex.ctas
                .iter()
                .flat_map(|(_, patterns)| *patterns)
                .any(|pat| {
                    let (Pattern::Has(phrase) | Pattern::Starts(phrase)) = *pat;
                    Pattern::Starts(phrase).matches(rest)
                })
        })
}

type Bag = FxHashMap<u64, f64>;

fn cosine(a: &Bag, b: &Bag) -> f64 {
    let dot: f64 = a.iter().filter_map(|(k, v)| b.get(k).map(|w| v * w)).sum();
    let na: f64 = a.values().map(|v| v * v).sum::<f64>().sqrt();
    let nb: f64 = b.values().map(|v| v * v).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

fn merged<'b>(bags: impl Iterator<Item = &'b Bag>) -> Bag {
    let mut out = Bag::default();
    for b in bags {
        for (k, v) in b {
            *out.entry(*k).or_default() += v;
        }
    }
    out
}

/// Scores coherence and completeness of `p` in language `lang` (ISO 639-1); `vectors` are its
/// sentences' embeddings, when an embedding model is at hand (the order and topic checks then
/// compare meaning, not only shared words); `lm` is a language model's reading of its sentences,
/// when one is loaded (the order check then uses the model's context gain).
pub fn coherence(
    p: &Prepared<'_>,
    lang: &str,
    vectors: Option<&[Vec<f32>]>,
    lm: Option<&Likelihoods>,
) -> Coherence {
    let lm = lm.filter(|l| l.in_context.len() == p.sentences.len());
    let mut penalty = 0.0;
    let mut reasons: Vec<(f64, String)> = Vec::new();
    let mut problems = Vec::new();
    let text = p.text.trim_end();
    if p.words.is_empty() {
        return Coherence {
            dimension: Dimension::new("coherence", 0.0, vec!["the script has no words".into()]),
            problems: vec![Problem::CutOff],
        };
    }

    // Completeness.
    let terminal = |s: &str| {
        s.trim_end_matches(|c: char| "\"'”’»)]*_".contains(c))
            .chars()
            .last()
            .is_some_and(|c| {
                ".!?…。！？".contains(c) || crate::text::emoji_count(&c.to_string()) > 0
            })
    };
    let punctuated = p.sentences.iter().filter(|s| terminal(s)).count();
    if !terminal(text) && p.sentences.len() > 1 && punctuated * 2 >= p.sentences.len() - 1 {
        let tail: Vec<&str> = p.words.iter().rev().take(5).rev().copied().collect();
        penalty += 60.0;
        problems.push(Problem::CutOff);
        reasons.push((60.0, format!("ends mid-sentence: “…{}”", tail.join(" "))));
    }
    let last_word = p
        .sentence_lists
        .last()
        .and_then(|l| l.last())
        .map(|w| w.to_lowercase());
    if let Some(w) = last_word.filter(|w| never_final(lang).contains(&w.as_str())) {
        let tail: Vec<&str> = p.words.iter().rev().take(5).rev().copied().collect();
        penalty += 50.0;
        problems.push(Problem::Fragment);
        reasons.push((
            50.0,
            format!(
                "the last sentence ends on “{w}”, which cannot end a sentence: “…{}”",
                tail.join(" ")
            ),
        ));
    }

    // Repetition: word 4-grams said again.
    let n4 = p.keys.len().saturating_sub(3);
    if n4 > 0 {
        let mut seen: FxHashMap<[u64; 4], usize> = FxHashMap::default();
        let mut repeats = 0usize;
        let mut first_repeat = None;
        for i in 0..n4 {
            let g = [p.keys[i], p.keys[i + 1], p.keys[i + 2], p.keys[i + 3]];
            if seen.insert(g, i).is_some() {
                repeats += 1;
                first_repeat.get_or_insert(i);
            }
        }
        let share = repeats as f64 / n4 as f64;
        if repeats > 0 {
            let points = (share * 200.0).min(60.0);
            penalty += points;
            if share >= 0.08 {
                problems.push(Problem::Repetition);
            }
            let at = first_repeat.unwrap_or(0);
            reasons.push((
                points,
                format!(
                    "{:.0} % of its 4-word phrases are said again (e.g. “{}”)",
                    share * 100.0,
                    p.words[at..at + 4].join(" ")
                ),
            ));
        }
    }

    // Sentences said twice (short ones too: "Stop now. Stop now.").
    let mut said: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let twice: Vec<&str> = p
        .padded_sentences
        .iter()
        .zip(&p.sentences)
        .filter(|(padded, _)| {
            padded.split_whitespace().count() >= 2 && !said.insert(padded.as_str())
        })
        .map(|(_, s)| *s)
        .collect();
    // A run of one to three sentences said again right after itself, short ones included
    // ("Boring? Yes. Boring? Yes."), when the run has at least two words.
    let ns = p.padded_sentences.len();
    let echo = (1..=3).find_map(|len| {
        (0..(ns + 1).saturating_sub(2 * len))
            .find(|&i| {
                p.padded_sentences[i..i + len] == p.padded_sentences[i + len..i + 2 * len]
                    && p.padded_sentences[i..i + len]
                        .iter()
                        .map(|s| s.split_whitespace().count())
                        .sum::<usize>()
                        >= 2
            })
            .map(|i| (i, len))
    });
    let twice: Vec<&str> = match echo {
        Some((i, len)) if twice.is_empty() => vec![p.sentences[i + len]; len],
        _ => twice,
    };
    if let Some(first) = twice.first() {
        let points = (15.0 * twice.len() as f64).min(45.0);
        penalty += points;
        if twice.iter().any(|t| t.split_whitespace().count() >= 6)
            && !problems.contains(&Problem::Repetition)
        {
            problems.push(Problem::Repetition);
        }
        reasons.push((
            points,
            format!(
                "says {} sentence(s) twice (e.g. “{}”)",
                twice.len(),
                crate::text::truncate_chars(first, 40)
            ),
        ));
    }

    // Language switch: the halves in different languages, each confidently detected. whatlang
    // would halve the card's speed, so it runs only when the halves' shares of the language's stop
    // words differ by half or more (a language without a stop list is always checked).
    let n_s = p.sentences.len();
    let stops = crate::phrases::stop_words_cached(lang);
    let split = p.sentence_lists[..n_s / 2]
        .iter()
        .map(Vec::len)
        .sum::<usize>();
    let (first, second) = p.folded.split_at(split.min(p.folded.len()));
    let (sa, sb) = (
        crate::phrases::stop_share(first, stops),
        crate::phrases::stop_share(second, stops),
    );
    let suspect = stops.is_empty() || sa.min(sb) < SWITCH_STOP_RATIO * sa.max(sb);
    if n_s >= 4 && suspect {
        let half = |r: &[&str]| crate::language::detect_language(&r.join(" "), None);
        let (a, b) = (half(&p.sentences[..n_s / 2]), half(&p.sentences[n_s / 2..]));
        if a.code != b.code
            && a.confidence >= SWITCH_CONFIDENCE
            && b.confidence >= SWITCH_CONFIDENCE
        {
            penalty += SWITCH_POINTS;
            problems.push(Problem::LanguageSwitch);
            reasons.push((
                SWITCH_POINTS,
                format!(
                    "starts in {} and switches to {} at “{}”",
                    a.name,
                    b.name,
                    crate::text::truncate_chars(p.sentences[n_s / 2], 40)
                ),
            ));
        }
    }

    // Lexical cohesion over content words.
    let mut start = 0;
    let bags: Vec<Bag> = p
        .sentence_lists
        .iter()
        .map(|l| {
            let mut bag = Bag::default();
            for w in &p.folded[start..start + l.len()] {
                if w.chars().count() >= 3 && !stops.contains(w) {
                    *bag.entry(stem(w)).or_default() += 1.0;
                }
            }
            start += l.len();
            bag
        })
        .collect();
    let n = bags.len();
    if n >= 5 {
        // Topic shift: the weakest gap between blocks of BLOCK sentences, and the two halves.
        let (mut weakest, mut at) = (f64::INFINITY, 0);
        for gap in 2..=n - 2 {
            let left = merged(bags[gap.saturating_sub(BLOCK)..gap].iter());
            let right = merged(bags[gap..(gap + BLOCK).min(n)].iter());
            let c = cosine(&left, &right);
            if c < weakest {
                weakest = c;
                at = gap;
            }
        }
        let halves = cosine(&merged(bags[..n / 2].iter()), &merged(bags[n / 2..].iter()));
        // A soft penalty: short scripts share few words between any two parts, so lexical overlap
        // alone cannot call a script spliced (see the README's `eval coherence` figures).
        let points = (15.0 * (1.0 - (weakest / 0.15).min(1.0))
            + 10.0 * (1.0 - (halves / 0.2).min(1.0)))
            * if lm.is_some() {
                LEXICAL_SHIFT_WITH_LM
            } else {
                1.0
            };
        penalty += points;
        if points >= 10.0 {
            reasons.push((
                points,
                format!(
                    "the sentences before and after “{}” share {:.0} % of their content words: a change of topic?",
                    crate::text::truncate_chars(p.sentences[at], 40),
                    // `abs` turns a rounded −0 into 0 ("share -0 %").
                    (weakest * 100.0).max(0.0).abs()
                ),
            ));
        }
    }
    if n >= 3 {
        // Order: adjacent sentences share more than sentences in general — by meaning with the
        // embeddings, else by content words.
        let sim = |i: usize, j: usize| match vectors {
            Some(v) => f64::from(crate::embed::cosine(&v[i], &v[j])),
            None => cosine(&bags[i], &bags[j]),
        };
        let adjacent: f64 = (0..n - 1).map(|i| sim(i, i + 1)).sum::<f64>() / (n - 1) as f64;
        let mut all = 0.0;
        let mut pairs = 0.0;
        for i in 0..n {
            for j in i + 2..n {
                all += sim(i, j);
                pairs += 1.0;
            }
        }
        let distant = if pairs > 0.0 { all / pairs } else { adjacent };
        // Embeddings: real transcripts' adjacent − distant cosine has median 0.067, shuffled ones
        // −0.001 (voices corpus, the 8 speakers outside Go Time). A logistic, not a clamp: half
        // the points at a gap of 0, 1.3 points at the real median — so of two orders of the same
        // sentences the more cohesive always scores higher, rather than both scoring 100.
        let gain = lm.and_then(Likelihoods::context_gain);
        let points = match (gain, vectors) {
            (Some(g), _) => LM_ORDER_POINTS / (1.0 + ((g - LM_GAIN_MID) / LM_GAIN_SCALE).exp()),
            (None, Some(_)) => 20.0 / (1.0 + ((adjacent - distant) / ORDER_SCALE).exp()),
            (None, None) => (20.0 * (distant - adjacent) / 0.1).clamp(0.0, 20.0),
        };
        penalty += points;
        if let (Some(g), Some(l)) = (gain, lm) {
            if points >= LM_ORDER_POINTS / 2.0 {
                reasons.push((
                    points,
                    format!(
                        "{} finds its sentences only {:.0} % more predictable after one another than alone (real scripts: about {:.0} %): the order may be off",
                        l.model,
                        g * 100.0,
                        LM_GAIN_TYPICAL * 100.0
                    ),
                ));
            }
        } else if points >= 10.0 {
            reasons.push((
                points,
                format!(
                    "neighbouring sentences are no closer ({:.0} %) than distant ones ({:.0} %): the order may be off",
                    adjacent * 100.0,
                    distant * 100.0
                ),
            ));
        }
        if let Some(v) = vectors {
            // Topic consistency by meaning: the mean similarity of every sentence pair.
            let mut total = 0.0;
            let mut count = 0.0;
            for i in 0..n {
                for j in i + 1..n {
                    total += f64::from(crate::embed::cosine(&v[i], &v[j]));
                    count += 1.0;
                }
            }
            let mean = total / count;
            let points = (10.0 * (CONSISTENT - mean) / 0.15).clamp(0.0, 10.0);
            penalty += points;
            if points >= 5.0 {
                reasons.push((
                    points,
                    format!("its sentences are far apart in meaning (mean similarity {mean:.2}): more than one topic?"),
                ));
            }
        }
        // The first sentence's words, folded (its words come first in `p.folded`).
        let first = &p.folded[..p.sentence_lists[0].len()];
        let word = |i: usize| first.get(i).map_or("", String::as_str);
        let opener = word(0);
        // "¿Y si…?", "And what if…?": a what-if question opening a hook, not a continuation ("And
        // if you do that, …" still leans).
        let what_if = p.sentences[0].trim_end().ends_with('?')
            && matches!((opener, word(1)), ("y", "si") | ("and", "what"));
        if leaning_openers(lang).contains(&opener) && !what_if {
            penalty += 15.0;
            reasons.push((
                15.0,
                format!(
                    "opens with “{}”, which leans on a sentence before it",
                    p.sentence_lists[0][0].to_lowercase()
                ),
            ));
        }
        if let Some(lex) = p.lex {
            // The lexicon's cheap match first: only a sentence with a CTA's words is split.
            let cta_before_end = (0..n - 1).find(|&i| {
                is_cta(lex, &p.padded_sentences[i]) && asks_for_action(lex, p.sentences[i])
            });
            let cta_at_end = is_cta(lex, &p.padded_sentences[n - 1]);
            if let (Some(i), false) = (cta_before_end, cta_at_end) {
                penalty += 20.0;
                problems.push(Problem::Disorder);
                reasons.push((
                    20.0,
                    format!(
                        "the call to action (“{}”) comes before the end",
                        crate::text::truncate_chars(p.sentences[i], 40)
                    ),
                ));
            }
        }
    }
    reasons.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut reasons: Vec<String> = reasons.into_iter().map(|(_, r)| r).collect();
    if reasons.is_empty() {
        reasons.push("ends on a complete sentence, stays on one topic, no repeats".into());
    }
    if never_final(lang).is_empty() {
        reasons.push(format!(
            "no word lists for language “{lang}”: the fragment and opener checks are off"
        ));
    }
    Coherence {
        dimension: Dimension::new("coherence", 100.0 - penalty, reasons),
        problems,
    }
}
