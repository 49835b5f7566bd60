//! Example retrieval: the persona's examples nearest a topic or a draft (embedding cosine, exact
//! top-k), for the prompt's few-shot evidence, for voice-match evidence and for the `similar`
//! lookups. Every caller takes k from here.

use reelsmith_core::embed::{Embedder, example_vectors, nearest_examples, top_k};
use reelsmith_core::experiment::Pattern;
use reelsmith_core::generation::FieldError;
use reelsmith_core::persona::{PersonaVersion, SimilarHit};
use reelsmith_core::score::EmbeddingEvidence;

/// Examples put in the prompt as few-shot evidence of the voice (top-k): three fit the local
/// model's context with room for the answer.
pub const FEW_SHOT_EXAMPLES: usize = 3;
/// Examples a draft is compared with for the embedding half of voice match.
pub const VOICE_EVIDENCE_EXAMPLES: usize = 3;
/// Examples a `similar` lookup returns when k is not given.
pub const DEFAULT_SIMILAR: usize = 3;
/// Most examples a `similar` lookup returns.
pub const MAX_SIMILAR: usize = 100;

/// Runs CPU-heavy `f` (an embedding forward pass: about 10–15 ms for a topic, seconds for a folder
/// of examples) without stalling the other tasks of an async worker: on a multi-threaded runtime the
/// worker hands its queue to another thread first (`block_in_place`); elsewhere `f` just runs.
pub fn off_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// How much a perfect performance record adds to an example's similarity to the topic when picking
/// few-shot examples: `PERFORMANCE_WEIGHT × (percentile/100 − 0.5) × decay`, so a fresh top post
/// gains up to +0.1 and a fresh flop loses up to 0.1 of cosine similarity (MiniLM puts examples on
/// the topic about 0.2–0.4 above those off it, so nearness still leads).
pub const PERFORMANCE_WEIGHT: f64 = 0.2;

/// Days after which a post's performance counts half as much in retrieval (audiences and the
/// platforms' ranking change; a hit from two years ago says less about now).
pub const RECENCY_HALF_LIFE_DAYS: f64 = 180.0;

/// How an example script did when it was posted.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExamplePerformance {
    /// Its post's percentile among the creator's posts on that platform, 0–100.
    pub percentile: f64,
    /// Its post's lift over the creator's median ([`reelsmith_core::outcome`]).
    pub lift: f64,
    /// The weight its performance gets now, 0–1 (halving every [`RECENCY_HALF_LIFE_DAYS`]).
    pub decay: f64,
}

/// The performance of each example script that was posted (linked to a post with settled
/// metrics), by example source.
pub fn example_performance(
    posts: &[reelsmith_core::performance::StoredPost],
    now: chrono::DateTime<chrono::Utc>,
) -> std::collections::HashMap<String, ExamplePerformance> {
    let outcomes = reelsmith_core::outcome::outcomes(posts);
    let mut out = std::collections::HashMap::new();
    for o in outcomes.iter().filter(|o| o.settled) {
        let Some(post) = posts.iter().find(|p| p.id == o.post_id) else {
            continue;
        };
        let Some(source) = post.link.as_ref().and_then(|l| l.example.clone()) else {
            continue;
        };
        let days = o
            .posted_at
            .map_or(0.0, |t| (now - t).num_seconds().max(0) as f64 / 86_400.0);
        out.insert(
            source,
            ExamplePerformance {
                percentile: o.percentile,
                lift: o.lift,
                decay: 0.5f64.powf(days / RECENCY_HALF_LIFE_DAYS),
            },
        );
    }
    out
}

fn performance_bonus(p: Option<&ExamplePerformance>) -> f64 {
    p.map_or(0.0, |e| {
        PERFORMANCE_WEIGHT * (e.percentile / 100.0 - 0.5) * e.decay
    })
}

/// How much sharing a pattern that won one of the persona's A/B tests (a hook type, a call to
/// action, a length band: [`reelsmith_core::experiment::Preference`]) adds to an example's
/// similarity when picking few-shot examples — as much as a fresh top post's
/// [`PERFORMANCE_WEIGHT`] bonus, since a won experiment is at least as strong evidence as one post.
pub const PATTERN_WEIGHT: f64 = 0.1;

/// How much having a pattern the request requires (a hook type or a call to action an experiment's
/// variant asks for: [`Pattern::of_requirement`]) adds to an example's similarity: more than any
/// cosine, so examples that open or close the asked way lead the few-shot evidence — the one way to
/// steer a base model, which reads no instructions.
pub const REQUIRED_PATTERN_WEIGHT: f64 = 1.0;

/// Whether example `i` of `p` shares one of the `preferred` patterns.
fn shares_pattern(p: &PersonaVersion, i: usize, preferred: &[Pattern]) -> bool {
    let Some(e) = p.examples.get(i) else {
        return false;
    };
    let lex = reelsmith_core::lexicon::lexicon(&p.style.language.code);
    let duration = e
        .example
        .duration_s
        .unwrap_or(e.words as f64 / p.style.pace.wpm.max(1.0) * 60.0);
    if preferred.is_empty() {
        return false;
    }
    let a = reelsmith_core::analysis::analyze(&e.example.text, lex);
    preferred.iter().any(|want| want.matched_by(&a, duration))
}

/// What few-shot retrieval prefers besides nearness to the topic: how each example did when posted
/// and the patterns that won the persona's A/B tests.
#[derive(Debug, Clone, Default)]
pub struct Preferred<'a> {
    /// Each posted example's performance, by example source ([`example_performance`]).
    pub performance: std::collections::HashMap<String, ExamplePerformance>,
    /// Patterns that won experiments.
    pub patterns: &'a [Pattern],
    /// Patterns the request requires ([`REQUIRED_PATTERN_WEIGHT`]).
    pub required: &'a [Pattern],
}

/// Indices of the persona's examples to show the model for `topic`, best first: by embedding
/// similarity to the topic plus each example's performance bonus ([`PERFORMANCE_WEIGHT`]) and
/// pattern bonuses ([`PATTERN_WEIGHT`], [`REQUIRED_PATTERN_WEIGHT`]) when a model is given and the examples were embedded by it;
/// else by the bonuses alone, then stored order (examples never posted count as the creator's
/// median).
pub fn few_shot(
    p: &PersonaVersion,
    topic: &str,
    embedder: Option<&dyn Embedder>,
    preferred: &Preferred<'_>,
) -> Vec<usize> {
    let bonus = |i: usize| {
        performance_bonus(preferred.performance.get(&p.examples[i].example.source))
            + if shares_pattern(p, i, preferred.patterns) {
                PATTERN_WEIGHT
            } else {
                0.0
            }
            + if shares_pattern(p, i, preferred.required) {
                REQUIRED_PATTERN_WEIGHT
            } else {
                0.0
            }
    };
    let similarity: Option<Vec<f64>> = embedder.and_then(|m| {
        off_runtime(|| {
            let vectors = example_vectors(p, m).ok()?;
            let q = m.embed(&[topic]).ok()?.into_iter().next()?;
            Some(
                vectors
                    .iter()
                    .map(|v| f64::from(reelsmith_core::embed::cosine(&q, v)))
                    .collect(),
            )
        })
    });
    let mut ranked: Vec<(usize, f64)> = (0..p.examples.len())
        .map(|i| {
            let sim = similarity
                .as_ref()
                .and_then(|s| s.get(i))
                .copied()
                .unwrap_or(0.0);
            (i, sim + bonus(i))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(FEW_SHOT_EXAMPLES)
        .map(|(i, _)| i)
        .collect()
}

/// The embedding evidence for voice match of `text`: its nearest examples and their similarity.
/// `None` without a model, or when the persona was learned without it (the card then says so and
/// uses the writing statistics alone).
pub fn voice_evidence(
    p: &PersonaVersion,
    text: &str,
    embedder: Option<&dyn Embedder>,
) -> Option<EmbeddingEvidence> {
    let m = embedder?;
    let hits = off_runtime(|| nearest_examples(p, m, text, VOICE_EVIDENCE_EXAMPLES)).ok()?;
    Some(EmbeddingEvidence::from_hits(p, &hits))
}

/// [`voice_evidence`] of several texts with one batched embedding call (a generation's attempts):
/// one entry per text, all `None` without a model or without the persona's vectors.
pub fn voice_evidence_all(
    p: &PersonaVersion,
    texts: &[&str],
    embedder: Option<&dyn Embedder>,
) -> Vec<Option<EmbeddingEvidence>> {
    let none = || vec![None; texts.len()];
    let Some(m) = embedder else { return none() };
    let Ok(vectors) = example_vectors(p, m) else {
        return none();
    };
    match off_runtime(|| m.embed(texts)) {
        Ok(queries) if queries.len() == texts.len() => queries
            .iter()
            .map(|q| {
                let hits = top_k(q, &vectors, VOICE_EVIDENCE_EXAMPLES);
                Some(EmbeddingEvidence::from_hits(p, &hits))
            })
            .collect(),
        _ => none(),
    }
}

/// The `k` examples closest in meaning to `topic` (default [`DEFAULT_SIMILAR`]), most similar
/// first, with their cosine similarity.
///
/// # Errors
/// [`FieldError`] on `k` outside 1–[`MAX_SIMILAR`] or an empty `topic`;
/// [`reelsmith_core::Error::Model`] without an embedding model, or when the persona's examples
/// were not embedded by it.
pub fn similar(
    p: &PersonaVersion,
    topic: &str,
    k: Option<usize>,
    embedder: Option<&dyn Embedder>,
) -> Result<Vec<SimilarHit>, crate::ServiceError> {
    let k = k.unwrap_or(DEFAULT_SIMILAR);
    if !(1..=MAX_SIMILAR).contains(&k) {
        return Err(
            FieldError::new("k", format!("{k} is out of range: use 1 to {MAX_SIMILAR}")).into(),
        );
    }
    if topic.trim().is_empty() {
        return Err(FieldError::new("topic", "is empty: say what to look for").into());
    }
    let model = embedder.ok_or_else(|| {
        reelsmith_core::Error::Model(
            "no sentence-embedding model is installed: run scripts/install-deps.sh".into(),
        )
    })?;
    let hits = off_runtime(|| nearest_examples(p, model, topic, k))?;
    Ok(hits
        .into_iter()
        .enumerate()
        .map(|(rank, (index, similarity))| SimilarHit {
            rank: rank + 1,
            index,
            similarity,
        })
        .collect())
}
