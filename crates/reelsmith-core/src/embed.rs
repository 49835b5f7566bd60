//! Sentence embeddings: the trait backends implement, and the exact top-k cosine retrieval over a
//! persona's stored vectors (kept in Rust so SQLite and PostgreSQL behave the same).

use crate::error::{Error, Result};
use crate::persona::PersonaVersion;

/// A sentence-embedding model.
pub trait Embedder: Send + Sync {
    /// One L2-normalised vector of [`Embedder::dimensions`] floats per text, in order.
    ///
    /// # Errors
    /// [`crate::Error::Model`] when the model fails.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;
    /// The model's name, stored with every vector (e.g. `all-MiniLM-L6-v2`).
    fn model(&self) -> &str;
    /// Vector length (384 for all-MiniLM-L6-v2).
    fn dimensions(&self) -> usize;
}

/// An [`Embedder`] that remembers every vector it has computed, by exact text, for one job. A
/// generation embeds the same texts again and again: the topic and each requirement for every
/// attempt's brief, the hook line beside the sentences it usually opens, a CTA the attempts share,
/// and every sentence a trim or repair left alone when the shortened draft is scored again. Each
/// forward pass costs about 10 ms a sentence on 2 cores (all-MiniLM-L6-v2), most of a generation's
/// CPU. Unbounded: make one per job and drop it with the job.
pub struct Memo<'a> {
    inner: &'a dyn Embedder,
    seen: std::sync::Mutex<rustc_hash::FxHashMap<String, Vec<f32>>>,
}

impl<'a> Memo<'a> {
    /// A memo in front of `inner`, empty.
    pub fn new(inner: &'a dyn Embedder) -> Memo<'a> {
        Memo {
            inner,
            seen: std::sync::Mutex::new(rustc_hash::FxHashMap::default()),
        }
    }
}

impl Embedder for Memo<'_> {
    /// As the inner model's, which is asked only for the texts not seen before (each once).
    ///
    /// # Errors
    /// The inner model's error (nothing is remembered then), or [`Error::Model`] when it answered
    /// with the wrong number of vectors.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let poisoned = |_| Error::Model(format!("{}: the memo's lock is poisoned", self.model()));
        let mut missing: Vec<&str> = Vec::new();
        {
            let seen = self.seen.lock().map_err(poisoned)?;
            for t in texts {
                if !seen.contains_key(*t) && !missing.contains(t) {
                    missing.push(t);
                }
            }
        }
        let vectors = if missing.is_empty() {
            Vec::new()
        } else {
            self.inner.embed(&missing)?
        };
        if vectors.len() != missing.len() {
            return Err(Error::Model(format!(
                "{} returned {} vectors for {} texts",
                self.inner.model(),
                vectors.len(),
                missing.len()
            )));
        }
        let mut seen = self.seen.lock().map_err(poisoned)?;
        for (t, v) in missing.iter().zip(vectors) {
            seen.insert((*t).to_string(), v);
        }
        Ok(texts.iter().filter_map(|t| seen.get(*t).cloned()).collect())
    }

    fn model(&self) -> &str {
        self.inner.model()
    }

    fn dimensions(&self) -> usize {
        self.inner.dimensions()
    }
}

/// Cosine similarity of two vectors, −1 to 1; 0 when either is all zeros or lengths differ.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

/// The `k` candidates most similar to `query` by cosine, most similar first: `(index, similarity)`.
/// Exact search, O(n·d): the right algorithm for one persona's few thousand vectors.
pub fn top_k(query: &[f32], candidates: &[&[f32]], k: usize) -> Vec<(usize, f32)> {
    let mut scored: Vec<(usize, f32)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (i, cosine(query, c)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(k);
    scored
}

/// The version's example vectors made by `model`, in example order.
///
/// # Errors
/// [`Error::Model`] when any example has no vector from `model` (learned without it, or with
/// another model).
pub fn example_vectors<'p>(p: &'p PersonaVersion, model: &dyn Embedder) -> Result<Vec<&'p [f32]>> {
    let vectors: Vec<&[f32]> = p
        .examples
        .iter()
        .filter_map(|e| {
            e.embedding
                .as_ref()
                .filter(|(m, _)| m == model.model())
                .map(|(_, v)| v.as_slice())
        })
        .collect();
    if vectors.len() != p.examples.len() {
        return Err(Error::Model(format!(
            "{} v{} has no {} embeddings for its examples (learned without the model) — run `reelsmith persona learn --name {} --append` with the model installed to re-embed them",
            p.name,
            p.version,
            model.model(),
            p.name
        )));
    }
    Ok(vectors)
}

/// The persona version's examples closest to `query`: `(example index, cosine)`, most similar first.
///
/// # Errors
/// [`Error::Model`] when the version's examples have no vectors from `model` (learned without it, or
/// with another model), or when embedding the query fails.
pub fn nearest_examples(
    p: &PersonaVersion,
    model: &dyn Embedder,
    query: &str,
    k: usize,
) -> Result<Vec<(usize, f32)>> {
    let vectors = example_vectors(p, model)?;
    let q = model
        .embed(&[query])?
        .into_iter()
        .next()
        .unwrap_or_default();
    Ok(top_k(&q, &vectors, k))
}

/// A vector as little-endian `f32` bytes (how vectors are stored).
pub fn to_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A vector from little-endian `f32` bytes; `None` when the length is not a multiple of 4.
pub fn from_bytes(b: &[u8]) -> Option<Vec<f32>> {
    if !b.len().is_multiple_of(4) {
        return None;
    }
    Some(
        b.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_basics() {
        assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 1.0]).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[-1.0, -1.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[1.0], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn top_k_is_exact_and_ordered() {
        let c: Vec<Vec<f32>> = vec![
            vec![0.0, 1.0],
            vec![1.0, 0.1],
            vec![1.0, 0.0],
            vec![-1.0, 0.0],
        ];
        let refs: Vec<&[f32]> = c.iter().map(Vec::as_slice).collect();
        let got = top_k(&[1.0, 0.0], &refs, 2);
        assert_eq!(got.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![2, 1]);
        assert!(top_k(&[1.0, 0.0], &refs, 10).len() == 4);
    }

    /// Counts the texts it is asked to embed; the vector is the text's length.
    struct Counting(std::sync::Mutex<Vec<String>>);

    impl Embedder for Counting {
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
            let mut asked = self.0.lock().map_err(|e| Error::Model(e.to_string()))?;
            asked.extend(texts.iter().map(|t| (*t).to_string()));
            Ok(texts.iter().map(|t| vec![t.len() as f32]).collect())
        }
        fn model(&self) -> &str {
            "counting"
        }
        fn dimensions(&self) -> usize {
            1
        }
    }

    #[test]
    fn the_memo_asks_the_model_once_per_text_and_answers_in_order() {
        let model = Counting(std::sync::Mutex::new(Vec::new()));
        let memo = Memo::new(&model);
        let first = memo.embed(&["topic", "a sentence", "topic"]);
        assert_eq!(first.ok(), Some(vec![vec![5.0], vec![10.0], vec![5.0]]));
        let second = memo.embed(&["a sentence", "another one", "topic"]);
        assert_eq!(second.ok(), Some(vec![vec![10.0], vec![11.0], vec![5.0]]));
        let asked = model.0.lock().map(|a| a.clone()).unwrap_or_default();
        assert_eq!(asked, ["topic", "a sentence", "another one"]);
        assert_eq!((memo.model(), memo.dimensions()), ("counting", 1));
    }

    #[test]
    fn bytes_round_trip() {
        let v = vec![0.5f32, -1.25, 3.0e-8];
        assert_eq!(from_bytes(&to_bytes(&v)), Some(v));
        assert_eq!(from_bytes(&[1, 2, 3]), None);
    }
}
