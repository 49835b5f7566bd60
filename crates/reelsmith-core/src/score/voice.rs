//! Voice match: how much a script sounds like the persona, from stylometry against the style profile and,
//! when the caller has an embedder, cosine similarity to the persona's example scripts.

use serde::{Deserialize, Serialize};

use super::{Prepared, VoiceContext, VoiceMatch};
use crate::lexicon::has_phrase;
use crate::persona::PersonaVersion;
use crate::style::StyleProfile;

/// One of the persona's examples close to the script in embedding space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosestExample {
    /// Stored example id.
    pub example_id: i64,
    /// Its title, if any.
    pub title: Option<String>,
    /// Where it came from.
    pub source: String,
    /// Cosine similarity, −1 to 1.
    pub similarity: f64,
}

/// Embedding evidence computed by a caller with an embedder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingEvidence {
    /// Mean cosine similarity of the closest examples, −1 to 1.
    pub similarity: f64,
    /// The closest examples, most similar first (up to three).
    pub closest: Vec<ClosestExample>,
}

/// Similarity 0–1 of using a hook or CTA type that `share` of the persona's examples use: 0.2 for a type
/// the persona never uses, rising from 0.5 to 1.0 as the share reaches 25 % (a type used in a quarter of
/// the examples is a habit).
fn type_similarity(share: f64) -> f64 {
    if share > 0.0 {
        0.5 + 0.5 * (share / 0.25).min(1.0)
    } else {
        0.2
    }
}

impl EmbeddingEvidence {
    /// Evidence from retrieval hits (see [`crate::embed::nearest_examples`]): the hit examples, and
    /// their mean cosine as the similarity.
    pub fn from_hits(p: &PersonaVersion, hits: &[(usize, f32)]) -> EmbeddingEvidence {
        let closest: Vec<ClosestExample> = hits
            .iter()
            .filter_map(|(i, sim)| p.examples.get(*i).map(|e| (e, sim)))
            .map(|(e, sim)| ClosestExample {
                example_id: e.id,
                title: e.example.title.clone(),
                source: e.example.source.clone(),
                similarity: f64::from(*sim),
            })
            .collect();
        let similarity =
            closest.iter().map(|c| c.similarity).sum::<f64>() / closest.len().max(1) as f64;
        EmbeddingEvidence {
            similarity,
            closest,
        }
    }
}

/// The attribution judgement in words, most important first.
fn attribution_reasons(j: &crate::attribution::Judgement, competitors: &[String]) -> Vec<String> {
    let mut out = vec![format!(
        "{:.0}/100 — similarity {:.2} to the persona's examples, where their own scripts are typically {:.2} ({:+.1} standard deviations)",
        j.score, j.similarity, j.own_similarity, j.typicality
    )];
    match (j.margin, competitors.is_empty()) {
        (Some(m), false) => out.push(format!(
            "{} the workspace's other personas in its language ({}): margin {m:+.2}",
            if m > 0.0 { "sounds more like this persona than" } else { "sounds less like this persona than one of" },
            competitors.join(", ")
        )),
        _ => out.push(
            "no other persona in this language to compare with: judged against the persona's own scripts only"
                .into(),
        ),
    }
    if let Some(l) = j.lm_margin {
        // exp of the mean log-probability difference: the per-word probability ratio.
        out.push(format!(
            "word by word, its phrasing is {:.2}× as likely in this persona's scripts as in the closest other persona's (word trigram models)",
            l.exp()
        ));
    }
    if !j.shared.is_empty() {
        out.push(format!(
            "shares the persona's habits: {}",
            quoted(&j.shared)
        ));
    }
    if !j.lacking.is_empty() {
        out.push(format!(
            "lacks the persona's habits: {}",
            quoted(&j.lacking)
        ));
    }
    out
}

fn quoted(xs: &[String]) -> String {
    xs.iter()
        .map(|x| format!("“{x}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `exp(-|a-b|/scale)`: 1 when equal, 0.37 at one `scale` apart.
fn near(a: f64, b: f64, scale: f64) -> f64 {
    (-(a - b).abs() / scale).exp()
}

/// Scores `p` against `style`: with a voice model, the authorship-attribution probability, with
/// the writing statistics and the embedding evidence as reasons; without one, the writing statistics
/// averaged with the embedding similarity when present.
pub fn voice_match(
    p: &Prepared<'_>,
    style: &StyleProfile,
    embedding: Option<&EmbeddingEvidence>,
    voice: Option<VoiceContext<'_>>,
) -> VoiceMatch {
    let a = &p.analysis;
    let words = a.words.max(1) as f64;
    let sents = a.sentences.max(1) as f64;
    let mut parts: Vec<(f64, f64, String)> = Vec::new(); // (weight, similarity 0–1, reason)

    let sl = a.words as f64 / sents;
    let psl = style.pace.sentence_words_mean.max(1.0);
    let sim = (1.0 - ((sl.max(1.0) / psl).ln().abs() / std::f64::consts::LN_2)).max(0.0);
    parts.push((
        2.0,
        sim,
        format!("{sl:.1} words per sentence vs the persona's {psl:.1}"),
    ));

    let you = a.second_person as f64 / words;
    parts.push((
        1.5,
        near(you, style.voice.second_person_rate, 0.03),
        format!(
            "second person {:.1} % vs {:.1} %",
            you * 100.0,
            style.voice.second_person_rate * 100.0
        ),
    ));

    let emoji = 100.0 * a.emoji as f64 / words;
    parts.push((
        1.0,
        near(emoji, style.voice.emoji_per_100_words, 2.0),
        format!(
            "emoji {emoji:.1} vs {:.1} per 100 words",
            style.voice.emoji_per_100_words
        ),
    ));

    let excl = a.exclamations as f64 / sents;
    parts.push((
        0.5,
        near(excl, style.voice.exclamation_rate, 0.15),
        format!(
            "exclamations {:.0} % vs {:.0} % of sentences",
            excl * 100.0,
            style.voice.exclamation_rate * 100.0
        ),
    ));

    if !style.voice.signature_phrases.is_empty() {
        let used: Vec<&str> = style
            .voice
            .signature_phrases
            .iter()
            .filter(|ph| has_phrase(&p.padded, &ph.text))
            .map(|ph| ph.text.as_str())
            .collect();
        parts.push((
            2.0,
            (used.len() as f64 / 2.0).min(1.0),
            if used.is_empty() {
                format!(
                    "uses none of the signature phrases (e.g. “{}”)",
                    style.voice.signature_phrases[0].text
                )
            } else {
                format!(
                    "uses signature phrases: {}",
                    used.iter()
                        .map(|u| format!("“{u}”"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        ));
    }

    let hook = a.hook_type.primary;
    let hook_share = style
        .hooks
        .iter()
        .find(|h| h.kind == hook)
        .map_or(0.0, |h| h.share);
    parts.push((
        1.5,
        type_similarity(hook_share),
        format!(
            "{} hook: {:.0} % of the persona's examples open this way",
            hook.label(),
            hook_share * 100.0
        ),
    ));

    if let Some(t) = a.cta.types.first() {
        let share = style
            .ctas
            .iter()
            .find(|c| c.kind == *t)
            .map_or(0.0, |c| c.share);
        parts.push((
            1.0,
            type_similarity(share),
            format!(
                "{} CTA: used in {:.0} % of the persona's examples",
                t.label(),
                share * 100.0
            ),
        ));
    }

    let total_w: f64 = parts.iter().map(|(w, _, _)| w).sum();
    let stylometric = 100.0 * parts.iter().map(|(w, s, _)| w * s).sum::<f64>() / total_w;
    let mut reasons: Vec<String> = parts
        .into_iter()
        .map(|(_, s, r)| format!("{:.0}/100 — {r}", s * 100.0))
        .collect();
    let emb = embedding.map(|e| (100.0 * e.similarity).clamp(0.0, 100.0));
    let mut score = match emb {
        Some(e) => {
            reasons.push(format!(
                "embedding similarity to the closest examples: {e:.0}/100"
            ));
            (stylometric + e) / 2.0
        }
        None => {
            reasons.push("no embeddings available (model missing, or the persona was learned without it): the closest examples are not shown".into());
            stylometric
        }
    };
    let attribution = voice.and_then(|v| {
        let j = v.model.judge(p.text, v.index)?;
        score = j.score;
        let mut first = attribution_reasons(&j, v.competitors);
        first.append(&mut reasons);
        reasons = first;
        Some(j)
    });
    // How far to trust it: the learning curve at the words the persona was learned from, second
    // in line (after the score's own reason) so it is read with the score.
    let example_words = (style.pace.words_mean * style.examples as f64).round() as usize;
    if let Some(note) = crate::attribution::curve::thin_examples_note(example_words) {
        reasons.insert(1.min(reasons.len()), note);
    }
    VoiceMatch {
        score: (score * 10.0).round() / 10.0,
        attribution,
        competitors: voice.map(|v| v.competitors.to_vec()).unwrap_or_default(),
        stylometric: (stylometric * 10.0).round() / 10.0,
        embedding: emb.map(|e| (e * 10.0).round() / 10.0),
        reasons,
        closest: embedding.map(|e| e.closest.clone()).unwrap_or_default(),
    }
}
