//! The style profile: what a creator's example scripts have in common, learned deterministically and
//! with its evidence (hook lines, CTA phrases), so every figure can be explained.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::{ScriptAnalysis, analyze};
use crate::cta::CtaType;
use crate::hooks::HookType;
use crate::language::{LanguageInfo, Readability, default_wpm, detect_language, readability};
use crate::lexicon::lexicon;
use crate::persona::ExampleScript;
use crate::phrases::{SignaturePhrase, signature_phrases};
use crate::text::{mean, median, words};

/// Evidence lines kept per hook or CTA type.
pub const EVIDENCE_PER_TYPE: usize = 3;
/// Signature phrases kept.
pub const SIGNATURE_PHRASES: usize = 10;
/// Words in the MATTR window (Covington & McFall 2010 use 50 for short texts).
const MATTR_WINDOW: usize = 50;

/// Everything learned from a persona's examples. Rates are shares 0.0–1.0 unless named otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleProfile {
    /// Example scripts learned from.
    pub examples: usize,
    /// Language of the examples.
    pub language: LanguageInfo,
    /// Hook types with counts and example hook lines.
    pub hooks: Vec<TypeCount<HookType>>,
    /// Call-to-action types with counts and phrases; a script may use several types.
    pub ctas: Vec<TypeCount<CtaType>>,
    /// Examples with no call to action.
    pub no_cta: usize,
    /// Length and speaking rate.
    pub pace: Pace,
    /// Voice markers.
    pub voice: VoiceMarkers,
    /// Where the words go, averaged over examples.
    pub structure: Structure,
    /// Caveats about the examples that limit what the figures mean (empty when there are none).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Mean sentence length, words, above which examples are taken to be unpunctuated transcripts.
/// Spoken-style scripts average 8–15 words per sentence; 40 is far outside that.
pub const UNPUNCTUATED_SENTENCE_WORDS: f64 = 40.0;

/// How often one type (of hook or CTA) occurs, with evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeCount<T> {
    /// The type.
    #[serde(rename = "type")]
    pub kind: T,
    /// Examples using it.
    pub count: usize,
    /// `count` ÷ examples.
    pub share: f64,
    /// Up to [`EVIDENCE_PER_TYPE`] lines from the examples that show it.
    pub evidence: Vec<String>,
}

/// Length and speaking rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    /// Mean words per script.
    pub words_mean: f64,
    /// Median words per script.
    pub words_median: f64,
    /// Shortest script, words.
    pub words_min: usize,
    /// Longest script, words.
    pub words_max: usize,
    /// Mean sentences per script.
    pub sentences_mean: f64,
    /// Mean sentence length, words (all words ÷ all sentences).
    pub sentence_words_mean: f64,
    /// Speaking rate, words per minute.
    pub wpm: f64,
    /// Where `wpm` comes from.
    pub wpm_source: WpmSource,
    /// The median script's spoken length at `wpm`, seconds.
    pub typical_duration_s: f64,
}

/// Where a speaking rate comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WpmSource {
    /// Learned: words ÷ minutes over the examples whose duration is known.
    Learned {
        /// Examples with a duration.
        examples: usize,
        /// Their total duration, seconds.
        total_s: f64,
    },
    /// The language's default (see [`crate::language::default_wpm`]).
    LanguageDefault {
        /// The source of the figure.
        source: String,
    },
}

/// Voice markers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceMarkers {
    /// Second-person words ÷ words.
    pub second_person_rate: f64,
    /// First-person words ÷ words.
    pub first_person_rate: f64,
    /// Emoji per 100 words.
    pub emoji_per_100_words: f64,
    /// Sentences ending in `!` ÷ sentences.
    pub exclamation_rate: f64,
    /// Sentences holding a question mark ÷ sentences.
    pub question_rate: f64,
    /// Recurring phrases.
    pub signature_phrases: Vec<SignaturePhrase>,
    /// Vocabulary level; `None` for languages without a formula.
    pub readability: Option<Readability>,
    /// Moving-average type-token ratio over 50-word windows (0.0–1.0; higher is more varied vocabulary).
    pub lexical_diversity: f64,
}

/// Mean share of words in each part of a script (sums to 1.0 when there are words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    /// Hook (first sentence, at most [`crate::analysis::HOOK_MAX_WORDS`] words).
    pub hook_share: f64,
    /// Body (everything between).
    pub body_share: f64,
    /// Call to action (see [`crate::cta::detect_cta`]).
    pub cta_share: f64,
}

/// Learns the style profile of `examples`. `language_hint` (ISO code) overrides detection.
///
/// Works on any text, including empty or non-linguistic input (the profile then holds zeros), so it
/// never fails; callers reject empty example sets before calling it.
pub fn learn_style(examples: &[ExampleScript], language_hint: Option<&str>) -> StyleProfile {
    let joined: String = examples
        .iter()
        .map(|e| e.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let language = detect_language(&joined, language_hint);
    let lex = lexicon(&language.code);
    let analyses: Vec<ScriptAnalysis> = examples.iter().map(|e| analyze(&e.text, lex)).collect();
    let n = examples.len().max(1) as f64;

    let mut hooks: BTreeMap<HookType, TypeCount<HookType>> = BTreeMap::new();
    let mut ctas: BTreeMap<CtaType, TypeCount<CtaType>> = BTreeMap::new();
    for a in &analyses {
        if a.words == 0 {
            continue;
        }
        add(&mut hooks, a.hook_type.primary, &a.hook);
        for t in &a.cta.types {
            add(&mut ctas, *t, a.cta.text.as_deref().unwrap_or_default());
        }
    }
    let total_words: usize = analyses.iter().map(|a| a.words).sum();
    let total_sents: usize = analyses.iter().map(|a| a.sentences).sum();
    let per = |f: fn(&ScriptAnalysis) -> usize| analyses.iter().map(f).sum::<usize>() as f64;
    let rate = |num: f64, den: usize| if den == 0 { 0.0 } else { num / den as f64 };
    let word_counts: Vec<f64> = analyses.iter().map(|a| a.words as f64).collect();

    let (wpm, wpm_source) = learned_wpm(examples, &analyses).unwrap_or_else(|| {
        let d = default_wpm(&language.code);
        (d.wpm, WpmSource::LanguageDefault { source: d.source })
    });
    let words_median = median(&word_counts).unwrap_or(0.0);
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let sentence_words_mean = round2(rate(total_words as f64, total_sents));
    let mut notes = Vec::new();
    if sentence_words_mean > UNPUNCTUATED_SENTENCE_WORDS {
        notes.push(format!(
            "the examples average {sentence_words_mean:.0} words per sentence, so they look unpunctuated (speech-to-text?): sentence figures are approximate and each hook is cut at {} words",
            crate::analysis::HOOK_MAX_WORDS
        ));
    }
    notes.extend(crate::attribution::curve::thin_examples_note(total_words));
    if !language.has_lexicon {
        notes.push(format!(
            "no hook/CTA lexicon for {} yet: hooks use language-neutral signals only and calls to action are not detected",
            language.name
        ));
    }

    StyleProfile {
        notes,
        examples: examples.len(),
        hooks: finish(hooks, n),
        ctas: finish(ctas, n),
        no_cta: analyses.iter().filter(|a| a.cta.types.is_empty()).count(),
        pace: Pace {
            words_mean: round2(mean(&word_counts)),
            words_median,
            words_min: analyses.iter().map(|a| a.words).min().unwrap_or(0),
            words_max: analyses.iter().map(|a| a.words).max().unwrap_or(0),
            sentences_mean: round2(total_sents as f64 / n),
            sentence_words_mean,
            wpm: round2(wpm),
            wpm_source,
            typical_duration_s: round2(words_median / wpm * 60.0),
        },
        voice: VoiceMarkers {
            second_person_rate: round4(rate(per(|a| a.second_person), total_words)),
            first_person_rate: round4(rate(per(|a| a.first_person), total_words)),
            emoji_per_100_words: round2(rate(100.0 * per(|a| a.emoji), total_words)),
            exclamation_rate: round4(rate(per(|a| a.exclamations), total_sents)),
            question_rate: round4(rate(per(|a| a.questions), total_sents)),
            signature_phrases: signature_phrases(&texts, &language.code, SIGNATURE_PHRASES),
            readability: readability(&joined, &language.code),
            lexical_diversity: round4(mattr(&joined)),
        },
        structure: structure(&analyses),
        language,
    }
}

/// The counts of `m` with shares of `n` examples, most frequent first.
fn finish<T>(m: BTreeMap<T, TypeCount<T>>, n: f64) -> Vec<TypeCount<T>> {
    let mut v: Vec<_> = m
        .into_values()
        .map(|mut c| {
            c.share = round4(c.count as f64 / n);
            c
        })
        .collect();
    v.sort_by_key(|c| std::cmp::Reverse(c.count));
    v
}

fn add<T: Copy + Ord>(m: &mut BTreeMap<T, TypeCount<T>>, kind: T, evidence: &str) {
    let e = m.entry(kind).or_insert(TypeCount {
        kind,
        count: 0,
        share: 0.0,
        evidence: Vec::new(),
    });
    e.count += 1;
    if e.evidence.len() < EVIDENCE_PER_TYPE
        && !evidence.is_empty()
        && !e.evidence.iter().any(|x| x == evidence)
    {
        e.evidence.push(evidence.to_string());
    }
}

/// Words ÷ minutes over the examples with a positive duration; `None` when there are none.
fn learned_wpm(
    examples: &[ExampleScript],
    analyses: &[ScriptAnalysis],
) -> Option<(f64, WpmSource)> {
    let timed: Vec<(f64, usize)> = examples
        .iter()
        .zip(analyses)
        .filter_map(|(e, a)| {
            e.duration_s
                .filter(|d| *d > 0.0 && a.words > 0)
                .map(|d| (d, a.words))
        })
        .collect();
    if timed.is_empty() {
        return None;
    }
    let total_s: f64 = timed.iter().map(|(d, _)| d).sum();
    let total_w: usize = timed.iter().map(|(_, w)| w).sum();
    Some((
        total_w as f64 / total_s * 60.0,
        WpmSource::Learned {
            examples: timed.len(),
            total_s: round2(total_s),
        },
    ))
}

fn structure(analyses: &[ScriptAnalysis]) -> Structure {
    let with_words: Vec<&ScriptAnalysis> = analyses.iter().filter(|a| a.words > 0).collect();
    if with_words.is_empty() {
        return Structure {
            hook_share: 0.0,
            body_share: 0.0,
            cta_share: 0.0,
        };
    }
    let share = |f: &dyn Fn(&ScriptAnalysis) -> usize| {
        mean(
            &with_words
                .iter()
                .map(|a| f(a) as f64 / a.words as f64)
                .collect::<Vec<_>>(),
        )
    };
    let hook = share(&|a| a.hook_words);
    // The CTA never overlaps the hook (see analysis::analyze), but both are capped to the script.
    let cta = share(&|a| a.cta.words.min(a.words.saturating_sub(a.hook_words)));
    Structure {
        hook_share: round4(hook),
        body_share: round4((1.0 - hook - cta).max(0.0)),
        cta_share: round4(cta),
    }
}

/// Moving-average type-token ratio (Covington & McFall 2010); plain TTR for texts shorter than a window.
fn mattr(text: &str) -> f64 {
    let toks: Vec<String> = words(text).iter().map(|w| w.to_lowercase()).collect();
    if toks.is_empty() {
        return 0.0;
    }
    let ttr = |win: &[String]| {
        let set: std::collections::HashSet<&String> = win.iter().collect();
        set.len() as f64 / win.len() as f64
    };
    if toks.len() <= MATTR_WINDOW {
        return ttr(&toks);
    }
    mean(&toks.windows(MATTR_WINDOW).map(ttr).collect::<Vec<_>>())
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &str, duration_s: Option<f64>) -> ExampleScript {
        ExampleScript {
            title: None,
            text: text.into(),
            source: "test".into(),
            duration_s,
        }
    }

    fn sample() -> Vec<ExampleScript> {
        vec![
            ex(
                "Stop hitting snooze. Here's the thing: your brain resets. Follow for more.",
                None,
            ),
            ex(
                "Why are you tired at 3pm? Here's the thing: it's lunch. Save this.",
                None,
            ),
            ex(
                "Stop drinking coffee at 6am! Here's the thing: cortisol. Follow for more sleep tips.",
                None,
            ),
        ]
    }

    #[test]
    fn hooks_and_ctas_are_counted_with_evidence() {
        let p = learn_style(&sample(), None);
        assert_eq!(p.examples, 3);
        assert_eq!(p.language.code, "en");
        assert_eq!(p.hooks[0].kind, HookType::Negative);
        assert_eq!(p.hooks[0].count, 2);
        assert!((p.hooks[0].share - 0.6667).abs() < 1e-9);
        assert_eq!(
            p.hooks[0].evidence,
            vec!["Stop hitting snooze.", "Stop drinking coffee at 6am!"]
        );
        assert_eq!(p.ctas[0].kind, CtaType::Follow);
        assert_eq!(p.ctas[0].count, 2);
        assert_eq!(p.no_cta, 0);
        assert_eq!(p.voice.signature_phrases[0].text, "here's the thing");
    }

    #[test]
    fn pace_uses_language_default_without_durations() {
        let p = learn_style(&sample(), None);
        assert_eq!(p.pace.wpm, 150.0);
        assert!(matches!(
            p.pace.wpm_source,
            WpmSource::LanguageDefault { .. }
        ));
        assert_eq!((p.pace.words_min, p.pace.words_max), (12, 14));
    }

    #[test]
    fn pace_is_learned_from_durations() {
        let mut s = sample();
        s[0].duration_s = Some(6.0); // 12 words in 6 s = 120 WPM
        let p = learn_style(&s, None);
        assert_eq!(p.pace.wpm, 120.0);
        assert_eq!(
            p.pace.wpm_source,
            WpmSource::Learned {
                examples: 1,
                total_s: 6.0
            }
        );
    }

    #[test]
    fn structure_shares_sum_to_one() {
        let p = learn_style(&sample(), None);
        let s = &p.structure;
        assert!(
            (s.hook_share + s.body_share + s.cta_share - 1.0).abs() < 1e-3,
            "{s:?}"
        );
        assert!(s.hook_share > 0.1 && s.cta_share > 0.1);
    }

    #[test]
    fn voice_markers_are_rates() {
        let p = learn_style(&[ex("You you you! 🔥🔥 Me?", None)], Some("en"));
        assert!((p.voice.second_person_rate - 0.75).abs() < 1e-9);
        assert!((p.voice.emoji_per_100_words - 50.0).abs() < 1e-9);
        assert!((p.voice.exclamation_rate - 0.5).abs() < 1e-9);
        assert!((p.voice.question_rate - 0.5).abs() < 1e-9);
    }

    #[test]
    fn unpunctuated_transcripts_and_unknown_languages_get_notes() {
        let transcript = "so um basically you know the thing is ".repeat(20);
        let p = learn_style(&[ex(&transcript, None)], Some("en"));
        assert!(
            p.notes.iter().any(|n| n.contains("unpunctuated")),
            "{:?}",
            p.notes
        );
        // A few short examples get the learning curve's note, and only it; enough words, none.
        let notes = learn_style(&sample(), None).notes;
        assert!(
            notes.len() == 1 && notes[0].contains("add example scripts"),
            "{notes:?}"
        );
        let long = "Here is one more thing I tried on a night shift. ".repeat(900);
        assert!(learn_style(&[ex(&long, None)], None).notes.is_empty());
        let p = learn_style(
            &[ex("Hallo zusammen. Heute geht es um Schlaf.", None)],
            Some("de"),
        );
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("no hook/CTA lexicon for German")),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn spanish_examples_get_spanish_figures() {
        let p = learn_style(
            &[
                ex(
                    "Deja de pagar comisiones al banco. Te explico por qué es tan importante y qué hacer hoy mismo. Guárdalo.",
                    None,
                ),
                ex(
                    "¿Sabías que tu banco gana dinero con tu nómina cada mes? Yo tampoco lo sabía hasta el año pasado. Sígueme para más.",
                    None,
                ),
            ],
            None,
        );
        assert_eq!(p.language.code, "es");
        assert_eq!(p.pace.wpm, 143.0);
        assert_eq!(
            p.voice.readability.as_ref().map(|r| r.scale.as_str()),
            Some("Fernández Huerta")
        );
        assert_eq!(p.ctas.len(), 2);
    }
}
