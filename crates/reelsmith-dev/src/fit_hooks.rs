//! `reelsmith-dev fit-hooks`: the committed, rerunnable procedure that fits the shipped hook model
//! (`crates/reelsmith-core/src/score/hook_model.json`) on Upworthy-format A/B tests: a pairwise
//! logistic regression (linfa-logistic), cross-validated by test week, then fitted on every pair.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use reelsmith::hook_eval::{baselines, embed_headlines, hook_inputs, read_rows};
use reelsmith_core::embed::Embedder;
use reelsmith_core::eval::{Pair, pairwise_accuracy, significant_pairs, week_folds};
use reelsmith_core::score::hook_fit::{HookInputs, forward_split, tfidf_accuracy};
use reelsmith_core::score::hook_model::{FEATURES, HookModel, N_FEATURES};

/// Arguments of `fit-hooks`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// CSV with columns clickability_test_id, headline, eyecatcher_id, impressions, clicks, test_week.
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Where to write the model (the shipped one is crates/reelsmith-core/src/score/hook_model.json).
    #[arg(long, value_name = "FILE.json")]
    pub out: Option<PathBuf>,
    /// Folds of consecutive weeks for cross-validation.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=20))]
    pub folds: u16,
    /// L2 regularisation strength of the logistic regression.
    #[arg(long, default_value_t = 10.0)]
    pub alpha: f64,
    /// A word joins the model's vocabulary when it appears in at least this many training headlines.
    #[arg(long, default_value_t = 5)]
    pub min_df: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Cross-validates, fits on every pair, writes the model to `--out` and prints the report.
///
/// # Errors
/// Unreadable data, no significant pairs, a fit that fails or an unwritable `--out`.
pub fn run(args: &FitArgs, loaded: &reelsmith::config::Loaded) -> Result<()> {
    let rows = read_rows(&args.data)?;
    let pairs = significant_pairs(&rows);
    if pairs.is_empty() {
        bail!(
            "{}: no significant pairs (same test and image, ≥100 impressions each, |z| ≥ 1.96) — nothing to fit",
            args.data.display()
        );
    }
    let (x, tokens) = hook_inputs(&rows);
    let data = Training {
        x: &x,
        tokens: &tokens,
        alpha: args.alpha,
        min_df: args.min_df,
    };
    let folds = week_folds(&pairs, usize::from(args.folds));
    let mut fold_accuracy = Vec::new();
    let mut right = 0.0;
    let mut n = 0usize;
    for test in folds.iter().filter(|f| !f.is_empty()) {
        let train: Vec<Pair> = (0..pairs.len())
            .filter(|i| !test.contains(i))
            .map(|i| pairs[i])
            .collect();
        let m = data.fit(&train)?;
        let held: Vec<Pair> = test.iter().map(|i| pairs[*i]).collect();
        let acc = pairwise_accuracy(&held, |i| m.raw(&x[i]) + m.vocabulary_score(&tokens[i]));
        right += acc * held.len() as f64;
        n += held.len();
        fold_accuracy.push(acc);
    }
    let (early, late) = forward_split(&pairs);
    let forward = {
        let m = data.fit(&early)?;
        pairwise_accuracy(&late, |i| m.raw(&x[i]) + m.vocabulary_score(&tokens[i]))
    };
    let cv = right / n.max(1) as f64;
    let mut model = data.fit(&pairs)?;
    model.source = format!(
        "pairwise logistic regression (linfa-logistic, L2 alpha {}) on hand features and words in ≥{} training headlines; {} significant pairs of {}; CV by test week, {} folds",
        args.alpha,
        args.min_df,
        pairs.len(),
        args.data
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
        args.folds
    );
    model.cv_accuracy = Some(cv);
    model.forward_accuracy = Some(forward);
    let embedder =
        crate::embedder(loaded).context("fit-hooks needs the sentence-embedding model")?;
    let embeddings = embed_headlines(&rows, &embedder)?;
    let inputs = HookInputs {
        x: &x,
        embeddings: &embeddings,
    };
    let early_head = inputs.fit(&early, embedder.model());
    let head_forward = inputs.head_accuracy(&early_head, &model.mean, &late);
    let mut head = inputs.fit(&pairs, embedder.model());
    head.forward_accuracy = Some(head_forward);
    let tfidf_forward = tfidf_accuracy(
        &rows.iter().map(|r| r.headline.clone()).collect::<Vec<_>>(),
        &early,
        &late,
    );
    let semantic_report = serde_json::json!({
        "embedding_model": embedder.model(),
        "forward_accuracy": head_forward,
        "forward_lambda": early_head.lambda,
        "tfidf_forward_accuracy": tfidf_forward,
        "lambda": head.lambda,
    });
    model.semantic = Some(head);
    if let Some(out) = &args.out {
        std::fs::write(out, serde_json::to_string_pretty(&model)? + "\n")
            .with_context(|| format!("writing the model to {}", out.display()))?;
        eprintln!("wrote the fitted model to {}", out.display());
    }
    let report = serde_json::json!({
        "pairs": pairs.len(),
        "cv_accuracy": cv,
        "fold_accuracy": fold_accuracy,
        "forward_accuracy": forward,
        "baselines": baselines(&rows, &pairs),
        "semantic": semantic_report,
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "base model (hand features + words): cross-validated by week {:.1} %, forward {:.1} %",
            cv * 100.0,
            forward * 100.0
        );
        println!(
            "semantic head (features + {}): fitted on the first 80 % of weeks, {:.1} % on the rest; TF-IDF word 1–2-gram baseline on the same split {:.1} %",
            embedder.model(),
            head_forward * 100.0,
            tfidf_forward * 100.0
        );
    }
    Ok(())
}

/// Training data for the pairwise model.
struct Training<'a> {
    x: &'a [[f64; N_FEATURES]],
    tokens: &'a [Vec<String>],
    alpha: f64,
    min_df: usize,
}

impl Training<'_> {
    /// Fits on `pairs` only: the vocabulary is the words in at least `min_df` distinct headlines of these
    /// pairs, so held-out weeks never shape it. Each pair gives (z_winner − z_loser, 1) and the reverse
    /// with label 0, where z is the hand features followed by word indicators; no intercept, so the
    /// model is symmetric.
    fn fit(&self, pairs: &[Pair]) -> Result<HookModel> {
        let mut rows: Vec<usize> = pairs.iter().flat_map(|p| [p.winner, p.loser]).collect();
        rows.sort_unstable();
        rows.dedup();
        let mut df: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rows {
            for t in &self.tokens[*r] {
                *df.entry(t.as_str()).or_default() += 1;
            }
        }
        let vocab: Vec<&str> = df
            .into_iter()
            .filter(|(_, n)| *n >= self.min_df)
            .map(|(w, _)| w)
            .collect();
        let dim = N_FEATURES + vocab.len();
        let row_vec = |i: usize| -> Vec<f64> {
            let mut z = self.x[i].to_vec();
            z.extend(vocab.iter().map(|w| {
                f64::from(u8::from(
                    self.tokens[i]
                        .binary_search_by(|t| t.as_str().cmp(w))
                        .is_ok(),
                ))
            }));
            z
        };
        let mut records = Array2::<f64>::zeros((pairs.len() * 2, dim));
        let mut targets = Array1::<usize>::zeros(pairs.len() * 2);
        for (k, p) in pairs.iter().enumerate() {
            let (zw, zl) = (row_vec(p.winner), row_vec(p.loser));
            for f in 0..dim {
                records[[2 * k, f]] = zw[f] - zl[f];
                records[[2 * k + 1, f]] = zl[f] - zw[f];
            }
            targets[2 * k] = 1;
        }
        let fitted = LogisticRegression::default()
            .alpha(self.alpha)
            .with_intercept(false)
            .max_iterations(500)
            .fit(&Dataset::new(records.clone(), targets))
            .context("fitting the pairwise logistic regression")?;
        let mut w = fitted.params().clone();
        // linfa orders the classes itself: orient w so that "winner minus loser" scores positive.
        let winners_side: f64 = (0..pairs.len()).map(|k| records.row(2 * k).dot(&w)).sum();
        if winners_side < 0.0 {
            w = -w;
        }
        let n = rows.len() as f64;
        let mean: Vec<f64> = (0..N_FEATURES)
            .map(|k| rows.iter().map(|i| self.x[*i][k]).sum::<f64>() / n)
            .collect();
        let vocabulary: Vec<(String, f64)> = vocab
            .iter()
            .enumerate()
            .map(|(j, word)| ((*word).to_string(), w[N_FEATURES + j]))
            .filter(|(_, v)| v.abs() > 1e-6)
            .collect();
        let mut model = HookModel {
            features: FEATURES.iter().map(|(f, _, _)| (*f).to_string()).collect(),
            weights: w.iter().take(N_FEATURES).copied().collect(),
            mean,
            source: String::new(),
            cv_accuracy: None,
            forward_accuracy: None,
            pairs: pairs.len(),
            vocabulary,
            vocabulary_mean: 0.0,
            semantic: None,
        };
        model.vocabulary_mean = rows
            .iter()
            .map(|i| model.vocabulary_score(&self.tokens[*i]))
            .sum::<f64>()
            / n;
        Ok(model)
    }
}
