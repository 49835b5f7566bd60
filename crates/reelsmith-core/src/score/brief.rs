//! The brief: is the script about the requested topic, does it meet every requirement, is it in the
//! requested language, does it do what its content type asks and name only its platform's features
//! ([`super::purpose`])? Each answer comes with its evidence sentence.
//!
//! With a sentence-embedding model the topic and each requirement are compared by meaning with every
//! sentence (cosine of all-MiniLM-L6-v2 embeddings); without one, by shared content words.
//!
//! The topic constants are fitted on real texts and their titles: the ledes of the Upworthy
//! archive's articles against their own headline and another article's (`reelsmith-dev fit-topic`,
//! on the earliest 80 % of the shared file's test weeks, 807 ledes; `reelsmith eval topic` reports on
//! the later weeks). Relevance is σ((cos − [`TOPIC_MIDPOINT`]) / [`TOPIC_SCALE`]) × 100, the fitted
//! probability at even odds that the text is about the topic; a script whose best sentence is below
//! [`OFF_TOPIC_BELOW`] is off-topic — where the odds are 4 to 1 against its being about the topic.
//! Headlines are a hard case (many tease rather than name their topic): a descriptive topic sits
//! higher (the bundled example scripts' own titles: 0.57–0.83). The model is English-trained; for
//! other languages the figures are approximate and the card says so.

use serde::{Deserialize, Serialize};

use super::{Dimension, Prepared};
use crate::embed::{Embedder, cosine};
use crate::experiment::Pattern;
use crate::platform::{ContentType, Platform};

/// Best-sentence cosine at which topic relevance is 50 (fitted: 0.256, `reelsmith-dev fit-topic`).
pub const TOPIC_MIDPOINT: f64 = 0.26;
/// Cosine per e-fold of the relevance logistic (fitted: 0.058).
pub const TOPIC_SCALE: f64 = 0.058;
/// Best-sentence cosine below which the script is off-topic: where the relevance logistic gives 4
/// to 1 against its being about the topic, midpoint − scale × ln 4 (fitted: 0.176; below it on the
/// fitting weeks: 7.6 % of real texts' own titles, 63 % of other texts' titles).
pub const OFF_TOPIC_BELOW: f64 = 0.18;
/// Best-sentence cosine at which a requirement counts as met by meaning.
pub const REQUIREMENT_MET: f64 = 0.5;
/// Share of a requirement's content words the script must use to meet it by words (two of three).
pub const REQUIREMENT_WORDS: f64 = 0.66;
/// Share of a script's words that are stop words of the requested language at or above which it is
/// taken to be in that language without running whatlang: the bundled English and Spanish scripts'
/// halves hold 40–57 % stop words of their own language and 0–18 % of the other's.
pub const SURELY_REQUESTED_STOP_SHARE: f64 = 0.35;
/// Language-detection confidence above which a mismatch with the requested language counts.
pub const LANGUAGE_CONFIDENCE: f64 = 0.5;
/// How much larger the detected language's stop-word share must be than the requested one's for a
/// mismatch to count at lower confidence (running text is 40–50 % stop words in its own language).
pub const STOP_WORD_MARGIN: f64 = 0.15;

/// How the topic is covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicCheck {
    /// The requested topic.
    pub topic: String,
    /// Relevance 0–100.
    pub relevance: f64,
    /// Best sentence's similarity to the topic (cosine, or content-word share without a model), 0–1.
    pub similarity: f64,
    /// The sentence that covers it best.
    pub evidence: String,
    /// Whether the script is off-topic.
    pub off_topic: bool,
}

/// One requirement of the brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementCheck {
    /// The requirement as given.
    pub requirement: String,
    /// Whether the script meets it.
    pub met: bool,
    /// Best sentence's similarity to it, 0–1.
    pub similarity: f64,
    /// The sentence that meets it (or comes closest).
    pub evidence: String,
}

/// The brief's checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriefCheck {
    /// Topic coverage, when a topic was given.
    pub topic: Option<TopicCheck>,
    /// Each requirement.
    pub requirements: Vec<RequirementCheck>,
    /// The detected language when it differs from the requested one (with confidence ≥
    /// [`LANGUAGE_CONFIDENCE`]).
    pub wrong_language: Option<String>,
    /// Whether the comparison was by meaning (an embedding model) or by words.
    pub by_meaning: bool,
    /// The content type's check, when one was asked for; `None` on cards stored before it existed.
    #[serde(default)]
    pub content_type: Option<super::purpose::ContentTypeCheck>,
    /// Whether the script answers the question its topic asks ("why…", "how to…"), when it asks
    /// one; `None` on cards stored before it existed.
    #[serde(default)]
    pub answer: Option<super::purpose::AnswerCheck>,
    /// Features of other platforms the script names, when a platform was given.
    #[serde(default)]
    pub platform: Vec<super::purpose::PlatformMiss>,
    /// The brief dimension 0–100 with its reasons.
    pub dimension: Dimension,
}

impl BriefCheck {
    /// Why the script fails the brief, for "not fit to post".
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.topic.as_ref().is_some_and(|t| t.off_topic) {
            out.push("off-topic".to_string());
        }
        if let Some(l) = &self.wrong_language {
            out.push(format!("wrong language ({l})"));
        }
        for r in self.requirements.iter().filter(|r| !r.met) {
            out.push(format!("misses a requirement (“{}”)", r.requirement));
        }
        out
    }
}

/// A requirement that asks for a hook type or a call to action ([`Pattern::of_requirement`]: the
/// variants of an experiment) is checked on the script's structure — its hook's types, its call to
/// action's — not by meaning ("Why do you crash?" is a question whatever its words); `None` for any
/// other requirement. A miss costs 40 points of `score` like any other; its reason goes to `reasons`.
fn structural(
    p: &Prepared<'_>,
    r: &str,
    score: &mut f64,
    reasons: &mut Vec<String>,
) -> Option<RequirementCheck> {
    let pattern = Pattern::of_requirement(r)?;
    let a = &p.analysis;
    let (met, evidence, has) = match pattern {
        Pattern::Hook(_) => (
            pattern.matched_by(a, 0.0),
            a.hook.clone(),
            format!("its hook is a {}", a.hook_type.primary.label()),
        ),
        Pattern::Cta(_) => (
            pattern.matched_by(a, 0.0),
            a.cta
                .text
                .clone()
                .or_else(|| p.sentences.last().map(|s| (*s).to_string()))
                .unwrap_or_default(),
            match a.cta.types.first() {
                Some(t) => format!("its call to action is “{}”", t.label()),
                None => "it has no call to action".to_string(),
            },
        ),
        Pattern::Length(_) => return None,
    };
    let quoted = crate::text::truncate_chars(&evidence, 60);
    reasons.push(if met {
        format!("meets “{r}”: “{quoted}”")
    } else {
        *score -= 40.0;
        format!("does not meet “{r}”: {has} (“{quoted}”)")
    });
    Some(RequirementCheck {
        requirement: r.to_string(),
        met,
        similarity: if met { 1.0 } else { 0.0 },
        evidence,
    })
}

/// What a script is checked against: the topic, the requirements, the language asked for (ISO
/// 639-1), the content type and the platform.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    /// The requested topic.
    pub topic: Option<&'a str>,
    /// The requirements.
    pub requirements: &'a [String],
    /// The language asked for.
    pub language: Option<&'a str>,
    /// The content type asked for.
    pub content_type: Option<ContentType>,
    /// The platform the script is for.
    pub platform: Option<Platform>,
}

/// Checks `p` against the brief `asked`. `sentence_vectors` are the embeddings of `p`'s sentences
/// by `embedder`, when there is one.
pub fn brief(
    p: &Prepared<'_>,
    lang: &str,
    asked: Asked<'_>,
    embedder: Option<&dyn Embedder>,
    sentence_vectors: Option<&[Vec<f32>]>,
) -> BriefCheck {
    let Asked {
        topic,
        requirements,
        language: requested,
        ..
    } = asked;
    let sentences: &[&str] = &p.sentences;
    let queries: Vec<&str> = topic
        .into_iter()
        .chain(requirements.iter().map(String::as_str))
        .collect();
    // Similarity of each query to each sentence: by meaning when the model answers, else by words.
    // `v` holds the queries' vectors, then the sentences'.
    let by_meaning: Option<Vec<Vec<f32>>> = embedder.zip(sentence_vectors).and_then(|(e, sv)| {
        let mut v = if queries.is_empty() {
            Vec::new()
        } else {
            e.embed(&queries).ok()?
        };
        if v.len() != queries.len() {
            return None;
        }
        v.extend(sv.iter().cloned());
        Some(v)
    });
    let stops = crate::phrases::stop_words_cached(lang);
    let best = |qi: usize, q: &str| -> (f64, String) {
        let sims: Vec<f64> = match &by_meaning {
            Some(v) => (0..sentences.len())
                .map(|si| f64::from(cosine(&v[qi], &v[queries.len() + si])))
                .collect(),
            None => {
                let qw = crate::text::content_stems(q, stops);
                sentences
                    .iter()
                    .map(|s| {
                        let sw = crate::text::content_stems(s, stops);
                        let hit = qw.iter().filter(|w| sw.contains(w)).count();
                        hit as f64 / qw.len().max(1) as f64
                    })
                    .collect()
            }
        };
        sims.iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or((0.0, String::new()), |(i, s)| {
                (*s, sentences[i].to_string())
            })
    };
    let mut reasons = Vec::new();
    let mut score: f64 = 100.0;
    let topic_check = topic.map(|t| {
        let (sim, evidence) = best(0, t);
        let (relevance, off_topic) = if by_meaning.is_some() {
            (
                100.0 * crate::logistic::sigmoid((sim - TOPIC_MIDPOINT) / TOPIC_SCALE),
                sim < OFF_TOPIC_BELOW,
            )
        } else {
            // Shared words are weak evidence: a script can stay on topic in other words, so without
            // the model relevance is reported but never called off-topic.
            (100.0 * sim, false)
        };
        reasons.push(if off_topic {
            format!(
                "off-topic: no sentence is about “{t}” (closest: “{}”, {sim:.2})",
                crate::text::truncate_chars(&evidence, 60)
            )
        } else if relevance < 50.0 {
            format!(
                "barely touches “{t}”: its closest sentence is “{}” ({sim:.2}, relevance {relevance:.0})",
                crate::text::truncate_chars(&evidence, 60)
            )
        } else {
            format!(
                "covers “{t}”: “{}” ({sim:.2})",
                crate::text::truncate_chars(&evidence, 60)
            )
        });
        score = score.min(relevance);
        TopicCheck {
            topic: t.to_string(),
            relevance: (relevance * 10.0).round() / 10.0,
            similarity: sim,
            evidence,
            off_topic,
        }
    });
    let offset = usize::from(topic.is_some());
    let requirement_checks: Vec<RequirementCheck> = requirements
        .iter()
        .enumerate()
        .map(|(k, r)| {
            if let Some(check) = structural(p, r, &mut score, &mut reasons) {
                return check;
            }
            let (sim, evidence) = best(offset + k, r);
            let words = {
                let rw = crate::text::content_stems(r, stops);
                let all = crate::text::content_stems(p.text, stops);
                rw.iter().filter(|w| all.contains(w)).count() as f64 / rw.len().max(1) as f64
            };
            let met =
                words >= REQUIREMENT_WORDS || (by_meaning.is_some() && sim >= REQUIREMENT_MET);
            reasons.push(if met {
                format!(
                    "meets “{r}”: “{}”",
                    crate::text::truncate_chars(&evidence, 60)
                )
            } else {
                score -= 40.0;
                format!(
                    "does not meet “{r}” (closest: “{}”, {sim:.2})",
                    crate::text::truncate_chars(&evidence, 60)
                )
            });
            RequirementCheck {
                requirement: r.clone(),
                met,
                similarity: sim,
                evidence,
            }
        })
        .collect();
    // whatlang's confidence is low on a script's few dozen words even when it is right, so a
    // mismatch also counts when the detected language's stop words clearly outnumber the requested
    // one's (NLTK lists, the `stop-words` crate).
    let stop_share =
        |code: &str| crate::phrases::stop_share(&p.folded, crate::phrases::stop_words_cached(code));
    // whatlang runs only when the requested language's stop words are scarce: on every card it
    // took 14 % of `reelsmith bench score`'s time (perf).
    let wrong_language = requested
        .filter(|code| {
            crate::phrases::stop_words_cached(code).is_empty()
                || stop_share(code) < SURELY_REQUESTED_STOP_SHARE
        })
        .and_then(|code| {
            let detected = crate::language::detect_language(p.text, None);
            (code != detected.code
                && (detected.confidence >= LANGUAGE_CONFIDENCE
                    || stop_share(&detected.code) > stop_share(code) + STOP_WORD_MARGIN))
                .then(|| format!("detected {}, asked for {code}", detected.name))
        });
    let answer = topic.and_then(|t| super::purpose::answer(p, t));
    if let Some(a) = &answer {
        if !a.met {
            score -= super::purpose::ANSWER_MISS;
        }
        reasons.push(a.reason.clone());
    }
    let content_type = asked.content_type.map(|kind| {
        let check = super::purpose::content_type(p, kind);
        if check.met == Some(false) {
            score -= super::purpose::CONTENT_TYPE_MISS;
        }
        reasons.push(check.reason.clone());
        check
    });
    let platform = asked.platform.map_or_else(Vec::new, |platform| {
        let misses = super::purpose::platform_misses(p, platform);
        for m in &misses {
            score -= super::purpose::PLATFORM_MISS;
            reasons.push(super::purpose::platform_reason(m, platform));
        }
        misses
    });
    if let Some(w) = &wrong_language {
        score = 0.0;
        reasons.insert(0, format!("wrong language: {w}"));
    }
    if by_meaning.is_none() && !queries.is_empty() {
        reasons.push(
            "no embedding model: topic and requirements compared by shared words only".into(),
        );
    } else if by_meaning.is_some() && lang != "en" && !queries.is_empty() {
        reasons.push(format!(
            "the embedding model is English-trained: figures for “{lang}” are approximate"
        ));
    }
    if reasons.is_empty() {
        reasons.push("no topic or requirements given".into());
    }
    BriefCheck {
        topic: topic_check,
        requirements: requirement_checks,
        wrong_language,
        by_meaning: by_meaning.is_some(),
        answer,
        content_type,
        platform,
        dimension: Dimension::new("brief", score.max(0.0), reasons),
    }
}
