//! Example retrieval: the persona's examples nearest a topic or a draft (embedding cosine, exact
//! top-k), for the prompt's few-shot evidence, for voice-match evidence and for the `similar`
//! lookups. Every caller takes k from here.

use reelsmith_core::embed::{Embedder, example_vectors, nearest_examples, top_k};
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

/// Indices of the persona's examples to show the model for `topic`, nearest first: by embedding
/// when a model is given and the examples were embedded by it, else the first stored ones.
pub fn few_shot(p: &PersonaVersion, topic: &str, embedder: Option<&dyn Embedder>) -> Vec<usize> {
    let first = || (0..p.examples.len().min(FEW_SHOT_EXAMPLES)).collect();
    let hits = embedder.map(|m| off_runtime(|| nearest_examples(p, m, topic, FEW_SHOT_EXAMPLES)));
    match hits {
        Some(Ok(hits)) if !hits.is_empty() => hits.into_iter().map(|(i, _)| i).collect(),
        _ => first(),
    }
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
