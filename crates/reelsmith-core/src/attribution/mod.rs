//! Voice match as authorship attribution: does a draft sound like this persona — and more like it than
//! like the workspace's other personas?
//!
//! A [`VoiceModel`] is fitted on the whole text of every voice's examples, cut into
//! [`CHUNK_WORDS`]-word chunks (a short-form script's length, so one long transcript does not count
//! as one example). Each text becomes a TF-IDF vector of word 1–2-grams, punctuation included
//! ([`vectors`]). Two signals come out for a draft and a voice:
//! - **typicality** `z`: the draft's cosine similarity to the voice's centroid, in standard deviations
//!   from the similarity of the voice's own chunks to it (each left out of the centroid in turn) — how
//!   close the draft is compared with the persona's own scripts;
//! - **margin**, when there are other voices: a one-vs-rest linear SVM ([`svm`]) per voice, and the
//!   draft's decision value for this voice minus the best other voice's;
//! - **language-model margin**, when there are other voices: each voice's word trigram model
//!   ([`ngram`]), and the draft's mean log-probability per word under this voice minus under the
//!   best other voice — how much more predictable the draft's wording is in this voice.
//!
//! They are combined, with the similarity itself, by a logistic model into the probability that the persona wrote the draft, the
//! voice match 0–100. Its weights come from `voice_weights.json`, fitted by `reelsmith-dev fit-voice`
//! (the procedure is documented there) on speakers that the reported figures do not use.

pub mod curve;
pub mod eval;
pub mod ngram;
pub mod svm;
pub mod vectors;

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use vectors::{Counts, Grams, Sparse, Vectorizer, count};

/// Words per chunk: the middle of a short-form script's 40–250 words, and the snippet length of the
/// voices corpus' standard measure.
pub const CHUNK_WORDS: usize = 150;
/// A last chunk shorter than this joins the one before it, words.
pub const MIN_CHUNK_WORDS: usize = 50;
/// Most chunks taken from one voice (evenly spaced), bounding the fit's time: 400 chunks is about
/// 60,000 words, far more than a voice needs.
pub const MAX_CHUNKS_PER_VOICE: usize = 400;

/// Cuts `text` into chunks of [`CHUNK_WORDS`] words (whitespace-separated), the last one merged into
/// its predecessor when shorter than [`MIN_CHUNK_WORDS`].
pub fn chunks(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = words.chunks(CHUNK_WORDS).map(|c| c.join(" ")).collect();
    let tail = words.len() % CHUNK_WORDS;
    if out.len() > 1 && tail > 0 && tail < MIN_CHUNK_WORDS {
        let last = out.pop().unwrap_or_default();
        if let Some(prev) = out.last_mut() {
            prev.push(' ');
            prev.push_str(&last);
        }
    }
    out
}

/// The fitted weights of the logistic model from signals to probability.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FusionWeights {
    /// Weights when the persona is the only voice of its language: `[intercept, similarity, z]`.
    pub alone: [f64; 3],
    /// Weights when other voices compete: `[intercept, similarity, z, margin, language-model
    /// margin]`.
    pub among: [f64; 5],
    /// How and on what the weights were fitted.
    pub fitted: String,
}

/// The committed weights (see `reelsmith-dev fit-voice`).
pub fn weights() -> &'static FusionWeights {
    static W: std::sync::OnceLock<FusionWeights> = std::sync::OnceLock::new();
    W.get_or_init(|| {
        // A test checks the committed file parses; the fallback (typicality and margin alone,
        // unit weights) only guards a hand-edited file.
        serde_json::from_str(include_str!("voice_weights.json")).unwrap_or_else(|_| FusionWeights {
            alone: [0.0, 0.0, 1.0],
            among: [0.0, 0.0, 1.0, 1.0, 1.0],
            fitted: "voice_weights.json did not parse: unit weights".into(),
        })
    })
}

/// One voice's fitted profile.
#[derive(Debug, Clone)]
struct Profile {
    centroid: Vec<f32>,
    centroid_norm: f32,
    /// Mean and standard deviation of the voice's own chunks' leave-one-out similarity.
    own: (f32, f32),
    classifier: Option<svm::Linear>,
    /// The voice's word trigram model, fitted along with the classifier (with other voices).
    lm: Option<ngram::WordLm>,
}

/// How well a text matches one voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// Probability ×100 that the voice wrote the text, 0–100.
    pub score: f64,
    /// Cosine similarity to the voice's centroid, 0–1.
    pub similarity: f64,
    /// Typical similarity of the voice's own chunks to the rest of them, 0–1.
    pub own_similarity: f64,
    /// `(similarity − own mean) / own standard deviation`.
    pub typicality: f64,
    /// This voice's SVM decision value minus the best other voice's; `None` alone.
    pub margin: Option<f64>,
    /// The text's mean log-probability per word under this voice's trigram model minus under the
    /// best other voice's, nats per word; `None` alone.
    #[serde(default)]
    pub lm_margin: Option<f64>,
    /// Other voices compared against.
    pub competitors: usize,
    /// The voice's characteristic words and phrases the text uses, strongest first (up to five).
    pub shared: Vec<String>,
    /// The voice's characteristic words and phrases the text lacks, strongest first (up to five).
    pub lacking: Vec<String>,
}

/// A fitted voice model over one or more voices.
#[derive(Debug, Clone)]
pub struct VoiceModel {
    grams: Grams,
    vectorizer: Vectorizer,
    names: Arc<FxHashMap<u64, String>>,
    profiles: Vec<Profile>,
}

/// Own-similarity statistics assumed for a voice with a single chunk, where there is nothing to
/// leave out: a prior (mean 0.25, sd 0.05), not a fitted figure — with one example a persona's
/// typicality is only a rough guide.
const FALLBACK_OWN: (f32, f32) = (0.25, 0.05);

impl VoiceModel {
    /// Fits a model of `voices`, each given as its texts (whole examples; they are cut into chunks
    /// here). With two voices or more each gets a one-vs-rest classifier. A voice with no words
    /// gets a profile that matches nothing.
    pub fn fit(voices: &[Vec<&str>]) -> VoiceModel {
        Self::fit_with(voices, Grams::Words, true)
    }

    /// [`VoiceModel::fit`] with the n-grams and classifiers chosen (the baseline uses character
    /// n-grams and centroids only).
    pub fn fit_with(voices: &[Vec<&str>], grams: Grams, classifiers: bool) -> VoiceModel {
        let mut names = FxHashMap::default();
        let counted: Vec<Vec<Counts>> = voices
            .iter()
            .map(|texts| {
                let all: Vec<String> = texts.iter().flat_map(|t| chunks(t)).collect();
                spread(all, MAX_CHUNKS_PER_VOICE)
                    .iter()
                    .map(|c| count(c, grams, &mut names))
                    .collect()
            })
            .collect();
        let refs: Vec<Vec<&Counts>> = counted.iter().map(|v| v.iter().collect()).collect();
        Self::from_counts(&refs, grams, classifiers, Arc::new(names))
    }

    /// Fits from chunks already counted with [`vectors::count`] (the evaluation counts each
    /// snippet once for all its folds).
    pub fn from_counts(
        voices: &[Vec<&Counts>],
        grams: Grams,
        classifiers: bool,
        names: Arc<FxHashMap<u64, String>>,
    ) -> VoiceModel {
        let all: Vec<&Counts> = voices.iter().flatten().copied().collect();
        let vectorizer = Vectorizer::fit(&all);
        let xs: Vec<Vec<Sparse>> = voices
            .iter()
            .map(|v| v.iter().map(|c| vectorizer.transform(c)).collect())
            .collect();
        let dims = vectorizer.len();
        let flat: Vec<&Sparse> = xs.iter().flatten().collect();
        let owner: Vec<usize> = xs
            .iter()
            .enumerate()
            .flat_map(|(k, v)| std::iter::repeat_n(k, v.len()))
            .collect();
        let with_svm = classifiers && voices.len() > 1;
        let profiles = xs
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let mut centroid = vec![0f32; dims];
                for x in v {
                    for (i, val) in x {
                        centroid[*i as usize] += val;
                    }
                }
                let centroid_norm = norm(&centroid);
                let own = own_similarity(v, &centroid);
                let classifier = with_svm.then(|| {
                    let positive: Vec<bool> = owner.iter().map(|o| *o == k).collect();
                    svm::fit(&flat, &positive, dims)
                });
                let lm = with_svm.then(|| {
                    let docs: Vec<&[u64]> = voices[k].iter().map(|c| c.tokens.as_slice()).collect();
                    ngram::WordLm::fit(&docs)
                });
                Profile {
                    centroid,
                    centroid_norm,
                    own,
                    classifier,
                    lm,
                }
            })
            .collect();
        VoiceModel {
            grams,
            vectorizer,
            names,
            profiles,
        }
    }

    /// Number of voices.
    pub fn voices(&self) -> usize {
        self.profiles.len()
    }

    /// Counts `text` for this model.
    pub fn counts(&self, text: &str) -> Counts {
        count(text, self.grams, &mut FxHashMap::default())
    }

    /// Cosine similarity of `text` to each voice's centroid (the baseline's measure).
    pub fn similarities(&self, c: &Counts) -> Vec<f64> {
        let x = self.vectorizer.transform(c);
        self.profiles
            .iter()
            .map(|p| f64::from(cosine(&x, p)))
            .collect()
    }

    /// Judges `text` against every voice, in the order they were given.
    pub fn judge_all(&self, text: &str) -> Vec<Judgement> {
        self.judge_counts(&self.counts(text))
    }

    /// [`VoiceModel::judge_all`] of counted text.
    pub fn judge_counts(&self, c: &Counts) -> Vec<Judgement> {
        let x = self.vectorizer.transform(c);
        let decisions = self.decisions(&x);
        let predictability = self.predictability(c);
        (0..self.profiles.len())
            .map(|k| self.judgement(&x, &decisions, &predictability, k))
            .collect()
    }

    /// The judgement of `text` against voice `index` alone (the others still enter its margin);
    /// `None` for an index the model does not have.
    pub fn judge(&self, text: &str, index: usize) -> Option<Judgement> {
        (index < self.profiles.len()).then(|| {
            let c = self.counts(text);
            let x = self.vectorizer.transform(&c);
            self.judgement(&x, &self.decisions(&x), &self.predictability(&c), index)
        })
    }

    /// Every voice's language-model mean log-probability per word of `c` (`None` without
    /// classifiers, or for a text without words).
    fn predictability(&self, c: &Counts) -> Vec<Option<f64>> {
        self.profiles
            .iter()
            .map(|p| p.lm.as_ref().and_then(|m| m.mean_log_prob(&c.tokens)))
            .collect()
    }

    /// Every voice's SVM decision value for `x` (`None` without classifiers).
    fn decisions(&self, x: &Sparse) -> Vec<Option<f64>> {
        self.profiles
            .iter()
            .map(|p| p.classifier.as_ref().map(|m| f64::from(m.decision(x))))
            .collect()
    }

    fn judgement(
        &self,
        x: &Sparse,
        decisions: &[Option<f64>],
        predictability: &[Option<f64>],
        k: usize,
    ) -> Judgement {
        let p = &self.profiles[k];
        let w = weights();
        let similarity = cosine(x, p);
        let typicality = f64::from((similarity - p.own.0) / p.own.1.max(1e-3));
        let margin = lead(decisions, k);
        let lm_margin = lead(predictability, k);
        let sim = f64::from(similarity);
        let logit = match margin {
            Some(m) => {
                w.among[0]
                    + w.among[1] * sim
                    + w.among[2] * typicality
                    + w.among[3] * m
                    + w.among[4] * lm_margin.unwrap_or(0.0)
            }
            None => w.alone[0] + w.alone[1] * sim + w.alone[2] * typicality,
        };
        let (shared, lacking) = self.habits(x, p);
        Judgement {
            score: (1000.0 * crate::logistic::sigmoid(logit)).round() / 10.0,
            similarity: sim,
            own_similarity: f64::from(p.own.0),
            typicality,
            margin,
            lm_margin,
            competitors: self.profiles.len() - 1,
            shared,
            lacking,
        }
    }

    /// The voice's characteristic word n-grams (the classifier's strongest positive weights, or the
    /// centroid's largest values alone) that `x` uses and lacks.
    fn habits(&self, x: &Sparse, p: &Profile) -> (Vec<String>, Vec<String>) {
        let signature = p.classifier.as_ref().map_or(&p.centroid, |c| &c.w);
        let named = |i: u32| self.names.get(&self.vectorizer.key(i));
        let mut present: Vec<(f32, &String)> = x
            .iter()
            .filter_map(|(i, v)| Some((v * signature[*i as usize], named(*i)?)))
            .filter(|(s, _)| *s > 0.0)
            .collect();
        present.sort_by(|a, b| b.0.total_cmp(&a.0));
        let used: rustc_hash::FxHashSet<u32> = x.iter().map(|(i, _)| *i).collect();
        let mut top: Vec<(f32, u32)> = signature
            .iter()
            .enumerate()
            .filter(|(i, s)| **s > 0.0 && !used.contains(&(*i as u32)))
            .map(|(i, s)| (*s, i as u32))
            .collect();
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
        let lacking = top
            .iter()
            .filter_map(|(_, i)| named(*i).cloned())
            .take(5)
            .collect();
        (
            present
                .into_iter()
                .take(5)
                .map(|(_, n)| n.clone())
                .collect(),
            lacking,
        )
    }
}

/// `values[k]` minus the largest other value: how far voice `k` leads (or trails) the best other
/// voice on one signal; `None` when voice `k` has no value or no other voice has one.
fn lead(values: &[Option<f64>], k: usize) -> Option<f64> {
    let best_other = values
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != k)
        .filter_map(|(_, o)| *o)
        .fold(f64::NEG_INFINITY, f64::max);
    Some(values[k]? - best_other).filter(|d| d.is_finite())
}

/// Up to `max` items of `all`, evenly spaced.
fn spread<T: Clone>(all: Vec<T>, max: usize) -> Vec<T> {
    if all.len() <= max {
        return all;
    }
    (0..max).map(|i| all[i * all.len() / max].clone()).collect()
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

fn cosine(x: &Sparse, p: &Profile) -> f32 {
    if p.centroid_norm == 0.0 {
        return 0.0;
    }
    vectors::dot(x, &p.centroid) / p.centroid_norm
}

/// Mean and standard deviation of each chunk's cosine to the centroid of the others.
fn own_similarity(v: &[Sparse], centroid: &[f32]) -> (f32, f32) {
    if v.len() < 2 {
        return FALLBACK_OWN;
    }
    let total_sq: f32 = centroid.iter().map(|c| c * c).sum();
    let sims: Vec<f32> = v
        .iter()
        .map(|x| {
            // |c − x|² = |c|² − 2 c·x + |x|² (|x| = 1); (c − x)·x = c·x − 1.
            let cx = vectors::dot(x, centroid);
            let rest_norm = (total_sq - 2.0 * cx + 1.0).max(1e-12).sqrt();
            (cx - 1.0) / rest_norm
        })
        .collect();
    let n = sims.len() as f32;
    let mean = sims.iter().sum::<f32>() / n;
    let sd = (sims.iter().map(|s| (s - mean).powi(2)).sum::<f32>() / (n - 1.0)).sqrt();
    (mean, sd.max(0.01))
}

#[cfg(test)]
mod tests;
