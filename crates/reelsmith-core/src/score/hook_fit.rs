//! Fitting the hook model's semantic head and the TF-IDF reference on headline A/B pairs — one
//! procedure for `reelsmith eval hooks` (fit on the earliest 80 % of weeks, test on the rest) and
//! `reelsmith-dev fit-hooks` (fit on every pair, shipped in `hook_model.json`).
//!
//! The semantic head is a pairwise logistic regression ([`crate::logistic`]) on the winner's minus
//! the loser's [hand features (standardised) ; sentence embedding]; its L2 strength is chosen among
//! [`LAMBDAS`] by cross-validation over blocks of consecutive training weeks, never on the test weeks.

use rustc_hash::FxHashMap;

use super::hook_model::{N_FEATURES, SemanticHead};
use crate::attribution::vectors::{Grams, Vectorizer, count};
use crate::eval::{Pair, pairwise_accuracy, week_folds};
use crate::logistic::{Row, fit_pairwise};

/// L2 strengths tried (mean-loss form: 0.001 is scikit-learn's `C = 1/(0.001 · rows)`).
pub const LAMBDAS: [f64; 4] = [0.0003, 0.001, 0.003, 0.01];
/// Week blocks of the cross-validation that picks the L2 strength.
pub const CV_FOLDS: usize = 5;

/// The inputs of every row (headline): hand features and sentence embedding.
pub struct HookInputs<'a> {
    /// Hand features per row.
    pub x: &'a [[f64; N_FEATURES]],
    /// Embedding per row.
    pub embeddings: &'a [Vec<f32>],
}

impl HookInputs<'_> {
    fn scale(&self, pairs: &[Pair]) -> Vec<f64> {
        let mut rows: Vec<usize> = pairs.iter().flat_map(|p| [p.winner, p.loser]).collect();
        rows.sort_unstable();
        rows.dedup();
        let n = rows.len().max(1) as f64;
        (0..N_FEATURES)
            .map(|k| {
                let m = rows.iter().map(|r| self.x[*r][k]).sum::<f64>() / n;
                let v = rows
                    .iter()
                    .map(|r| (self.x[*r][k] - m).powi(2))
                    .sum::<f64>()
                    / n;
                v.sqrt().max(1e-6)
            })
            .collect()
    }

    fn diff(&self, p: &Pair, scale: &[f64]) -> Row {
        let mut d: Row = (0..N_FEATURES)
            .map(|k| {
                (
                    k as u32,
                    (self.x[p.winner][k] - self.x[p.loser][k]) / scale[k],
                )
            })
            .collect();
        let (ew, el) = (&self.embeddings[p.winner], &self.embeddings[p.loser]);
        d.extend(
            ew.iter()
                .zip(el)
                .enumerate()
                .map(|(j, (a, b))| ((N_FEATURES + j) as u32, f64::from(a - b))),
        );
        d
    }

    fn fit_lambda(&self, train: &[Pair], lambda: f64) -> (Vec<f64>, Vec<f64>) {
        let scale = self.scale(train);
        let dims = N_FEATURES + self.embeddings.first().map_or(0, Vec::len);
        let diffs: Vec<Row> = train.iter().map(|p| self.diff(p, &scale)).collect();
        (fit_pairwise(&diffs, dims, lambda), scale)
    }

    /// Fits the semantic head on `train`, choosing λ by week-blocked cross-validation within it.
    pub fn fit(&self, train: &[Pair], embedding_model: &str) -> SemanticHead {
        let folds = week_folds(train, CV_FOLDS);
        let cv = |lambda: f64| -> f64 {
            let mut right = 0.0;
            let mut n = 0.0;
            for test in folds.iter().filter(|f| !f.is_empty()) {
                let tr: Vec<Pair> = (0..train.len())
                    .filter(|i| !test.contains(i))
                    .map(|i| train[i])
                    .collect();
                let held: Vec<Pair> = test.iter().map(|i| train[*i]).collect();
                let (w, scale) = self.fit_lambda(&tr, lambda);
                right += self.accuracy(&w, &scale, &held) * held.len() as f64;
                n += held.len() as f64;
            }
            right / n.max(1.0)
        };
        let lambda = LAMBDAS
            .iter()
            .map(|l| (*l, cv(*l)))
            .fold((LAMBDAS[0], f64::NEG_INFINITY), |best, c| {
                if c.1 > best.1 { c } else { best }
            })
            .0;
        let (w, scale) = self.fit_lambda(train, lambda);
        let mut rows: Vec<usize> = train.iter().flat_map(|p| [p.winner, p.loser]).collect();
        rows.sort_unstable();
        rows.dedup();
        let dims = self.embeddings.first().map_or(0, Vec::len);
        let embedding_mean = (0..dims)
            .map(|j| {
                rows.iter()
                    .map(|r| f64::from(self.embeddings[*r][j]))
                    .sum::<f64>()
                    / rows.len().max(1) as f64
            })
            .collect();
        SemanticHead {
            embedding_model: embedding_model.to_string(),
            feature_weights: w[..N_FEATURES].to_vec(),
            scale,
            embedding_weights: w[N_FEATURES..].to_vec(),
            embedding_mean,
            lambda,
            forward_accuracy: None,
        }
    }

    /// Pairwise accuracy of weights `w` (over standardised features, then embedding dimensions):
    /// the model is linear, so a pair's score difference is the difference of its rows' scores.
    fn accuracy(&self, w: &[f64], scale: &[f64], pairs: &[Pair]) -> f64 {
        pairwise_accuracy(pairs, |i| {
            let f: f64 = (0..N_FEATURES)
                .map(|k| w[k] * self.x[i][k] / scale[k])
                .sum();
            let e: f64 = self.embeddings[i]
                .iter()
                .zip(&w[N_FEATURES..])
                .map(|(v, wj)| f64::from(*v) * wj)
                .sum();
            f + e
        })
    }

    /// Pairwise accuracy of a fitted head on `pairs`.
    pub fn head_accuracy(&self, head: &SemanticHead, mean: &[f64], pairs: &[Pair]) -> f64 {
        pairwise_accuracy(pairs, |i| head.logit(&self.x[i], mean, &self.embeddings[i]))
    }
}

/// The reference scorer the issue measured: TF-IDF word 1–2-grams (sublinear tf, min_df 2, fitted on
/// the training headlines) in a pairwise logistic regression (λ = 1 / rows, scikit-learn's `C = 1`),
/// fitted on `train` and scored on `test`.
pub fn tfidf_accuracy(headlines: &[String], train: &[Pair], test: &[Pair]) -> f64 {
    let mut names = FxHashMap::default();
    let counts: Vec<_> = headlines
        .iter()
        .map(|h| count(h, Grams::Words, &mut names))
        .collect();
    let mut rows: Vec<usize> = train.iter().flat_map(|p| [p.winner, p.loser]).collect();
    rows.sort_unstable();
    rows.dedup();
    let v = Vectorizer::fit(&rows.iter().map(|r| &counts[*r]).collect::<Vec<_>>());
    let vec_of = |i: usize| -> FxHashMap<u32, f64> {
        v.transform(&counts[i])
            .into_iter()
            .map(|(k, x)| (k, f64::from(x)))
            .collect()
    };
    let diff = |p: &Pair| -> Row {
        let (mut a, b) = (vec_of(p.winner), vec_of(p.loser));
        for (k, x) in b {
            *a.entry(k).or_default() -= x;
        }
        let mut r: Row = a.into_iter().collect();
        r.sort_unstable_by_key(|e| e.0);
        r
    };
    let diffs: Vec<Row> = train.iter().map(diff).collect();
    let w = fit_pairwise(&diffs, v.len(), 1.0 / (2.0 * train.len().max(1) as f64));
    let score = |i: usize| -> f64 { vec_of(i).into_iter().map(|(k, x)| x * w[k as usize]).sum() };
    pairwise_accuracy(test, score)
}

/// Splits `pairs` by week: the earliest 80 % of weeks, then the rest.
pub fn forward_split(pairs: &[Pair]) -> (Vec<Pair>, Vec<Pair>) {
    match forward_cut(pairs.iter().map(|p| p.week)) {
        Some(cut) => pairs.iter().partition(|p| p.week < cut),
        None => (pairs.to_vec(), Vec::new()),
    }
}

/// The first week of the latest 20 % of the distinct `weeks` (everything before it is fitted on,
/// everything from it tested); `None` when there are no weeks.
pub fn forward_cut(weeks: impl IntoIterator<Item = u32>) -> Option<u32> {
    let mut weeks: Vec<u32> = weeks.into_iter().collect();
    weeks.sort_unstable();
    weeks.dedup();
    weeks.get(weeks.len() * 4 / 5).copied()
}
