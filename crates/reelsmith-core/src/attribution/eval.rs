//! Leave-one-out authorship attribution, the voices corpus' standard measure (its README): take the
//! first 150 words of every text; for each snippet, build every speaker's profile from that speaker's
//! other snippets; attribute the snippet to the best-matching profile; accuracy = right ÷ snippets.
//! [`Profiles::Texts`] builds the profiles from the other texts in full instead, as a persona learns
//! from whole example scripts; [`Profiles::Examples`] from only a few of the other snippets, for the
//! learning curve (how attribution grows with the words of examples a persona has).

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::vectors::{Counts, Grams, count};
use super::{Judgement, VoiceModel, chunks};

/// A labelled corpus: texts by author.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Author names.
    pub authors: Vec<String>,
    /// `(author index, text)`.
    pub texts: Vec<(usize, String)>,
}

/// What each speaker's profile is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Profiles {
    /// The other texts' snippets (the standard measure).
    Snippets,
    /// The other texts, whole (each capped at this many words), cut into chunks.
    Texts(usize),
    /// The first this many of each author's other snippets (in corpus order), as a persona learned
    /// from that many example scripts of the snippet's length.
    Examples(usize),
}

impl Profiles {
    /// At most how many of an author's other texts a profile uses.
    pub fn limit(self) -> usize {
        match self {
            Profiles::Examples(k) => k,
            Profiles::Snippets | Profiles::Texts(_) => usize::MAX,
        }
    }
}

/// The first `words` words of `text`.
pub fn snippet(text: &str, words: usize) -> String {
    text.split_whitespace()
        .take(words)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One held-out snippet's result.
#[derive(Debug, Clone)]
pub struct Fold {
    /// The true author.
    pub truth: usize,
    /// reelsmith's judgement against every author, fitted together (one workspace).
    pub among: Vec<Judgement>,
    /// reelsmith's judgement against every author, each fitted on its own (one persona per
    /// workspace, or personas of different languages).
    pub alone: Vec<Judgement>,
    /// The baseline's cosine to every author's centroid (TF-IDF character 3–5-grams).
    pub baseline: Vec<f64>,
}

fn argmax(xs: impl Iterator<Item = f64>) -> usize {
    xs.enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (i, x)| {
            if x > best.1 { (i, x) } else { best }
        })
        .0
}

impl Fold {
    /// The author reelsmith attributes the snippet to (highest voice match).
    pub fn predicted(&self) -> usize {
        argmax(self.among.iter().map(|j| j.score))
    }

    /// The author reelsmith attributes the snippet to when each author was fitted alone.
    pub fn alone_predicted(&self) -> usize {
        argmax(self.alone.iter().map(|j| j.score))
    }

    /// The author the baseline attributes it to (nearest centroid).
    pub fn baseline_predicted(&self) -> usize {
        argmax(self.baseline.iter().copied())
    }
}

/// Runs leave-one-out over `corpus` with `words`-word snippets, on every available core.
pub fn leave_one_out(corpus: &Corpus, words: usize, profiles: Profiles) -> Vec<Fold> {
    let snippets: Vec<String> = corpus
        .texts
        .iter()
        .map(|(_, t)| snippet(t, words))
        .collect();
    // Training documents per text, counted once for every fold.
    let training: Vec<Vec<String>> = match profiles {
        Profiles::Snippets | Profiles::Examples(_) => {
            snippets.iter().map(|s| vec![s.clone()]).collect()
        }
        Profiles::Texts(cap) => corpus
            .texts
            .iter()
            .map(|(_, t)| chunks(&snippet(t, cap)))
            .collect(),
    };
    let mut names = FxHashMap::default();
    let mut count_all = |grams: Grams| -> (Vec<Counts>, Vec<Vec<Counts>>) {
        let tests = snippets
            .iter()
            .map(|s| count(s, grams, &mut names))
            .collect();
        let train = training
            .iter()
            .map(|docs| docs.iter().map(|d| count(d, grams, &mut names)).collect())
            .collect();
        (tests, train)
    };
    let ours = count_all(Grams::Words);
    let base = count_all(Grams::CharsOnly);
    let names = std::sync::Arc::new(names);
    let n = corpus.texts.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |p| p.get())
        .min(n.max(1));
    let fold = |i: usize| -> Fold {
        let voices = held_out(corpus, &ours.1, i, profiles.limit());
        let model = VoiceModel::from_counts(&voices, Grams::Words, true, names.clone());
        let alone = voices
            .iter()
            .map(|v| {
                VoiceModel::from_counts(std::slice::from_ref(v), Grams::Words, false, names.clone())
                    .judge_counts(&ours.0[i])
                    .remove(0)
            })
            .collect();
        let baseline = VoiceModel::from_counts(
            &held_out(corpus, &base.1, i, profiles.limit()),
            Grams::CharsOnly,
            false,
            Default::default(),
        );
        Fold {
            truth: corpus.texts[i].0,
            among: model.judge_counts(&ours.0[i]),
            alone,
            baseline: baseline.similarities(&base.0[i]),
        }
    };
    let mut out: Vec<Option<Fold>> = vec![None; n];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let fold = &fold;
                s.spawn(move || {
                    (t..n)
                        .step_by(threads)
                        .map(|i| (i, fold(i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            // A thread that panicked leaves its folds out; `accuracy` counts only the folds run.
            for (i, f) in h.join().unwrap_or_default() {
                out[i] = Some(f);
            }
        }
    });
    out.into_iter().flatten().collect()
}

/// Every author's training documents from at most `limit` of their texts, text `i` left out.
fn held_out<'a>(
    corpus: &Corpus,
    train: &'a [Vec<Counts>],
    i: usize,
    limit: usize,
) -> Vec<Vec<&'a Counts>> {
    (0..corpus.authors.len())
        .map(|a| {
            corpus
                .texts
                .iter()
                .enumerate()
                .filter(|(j, (author, _))| *j != i && *author == a)
                .take(limit)
                .flat_map(|(j, _)| train[j].iter())
                .collect()
        })
        .collect()
}

/// Top-1 accuracy over `folds` of an attribution, 0–1.
pub fn accuracy(folds: &[Fold], predicted: impl Fn(&Fold) -> usize) -> f64 {
    folds.iter().filter(|f| predicted(f) == f.truth).count() as f64 / folds.len().max(1) as f64
}
