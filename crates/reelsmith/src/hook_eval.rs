//! Evaluating the hook model on Upworthy-format A/B test files (the Upworthy Research Archive's CSV
//! columns): reading them into the core's evaluation rows, the model's inputs, the reference
//! scorers computed on the same pairs, and the report — shared by `reelsmith eval hooks` and the
//! fitting procedure in `reelsmith-dev fit-hooks`.

use std::path::Path;

use anyhow::Result;
use reelsmith_core::embed::Embedder;
use reelsmith_core::eval::{AbRow, Pair, pairwise_accuracy};
use reelsmith_core::lexicon::lexicon;
use reelsmith_core::score::hook_fit::{HookInputs, tfidf_accuracy};
use reelsmith_core::score::hook_model::{HookModel, N_FEATURES, features, hook_tokens};
use serde::{Deserialize, Serialize};

use crate::exit::UserError;

#[derive(Debug, Deserialize)]
struct CsvRow {
    clickability_test_id: String,
    headline: String,
    eyecatcher_id: String,
    impressions: u64,
    clicks: u64,
    test_week: u32,
}

/// The rows of an Upworthy-format CSV (columns clickability_test_id, headline, eyecatcher_id,
/// impressions, clicks, test_week).
///
/// # Errors
/// [`UserError`] naming the file and the first row that does not fit the format.
pub fn read_rows(path: &Path) -> Result<Vec<AbRow>> {
    let rows: Vec<CsvRow> = read_upworthy(
        path,
        "clickability_test_id, headline, eyecatcher_id, impressions, clicks, test_week",
    )?;
    Ok(rows
        .into_iter()
        .map(|r| AbRow {
            test_id: r.clickability_test_id,
            headline: r.headline,
            eyecatcher_id: r.eyecatcher_id,
            impressions: r.impressions,
            clicks: r.clicks,
            week: r.test_week,
        })
        .collect())
}

/// Every row of an Upworthy-format CSV as `T` (extra columns are ignored); `columns` names the ones
/// `T` needs, for the error.
///
/// # Errors
/// [`UserError`] naming the file and the first row that does not fit the format.
pub fn read_upworthy<T: serde::de::DeserializeOwned>(path: &Path, columns: &str) -> Result<Vec<T>> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| UserError(format!("{}: cannot be read as CSV ({e})", path.display())))?;
    let mut rows = Vec::new();
    for (i, rec) in reader.deserialize::<T>().enumerate() {
        rows.push(rec.map_err(|e| {
            UserError(format!(
                "{}: row {} is not Upworthy-format ({e}) — expected columns {columns}",
                path.display(),
                i + 2
            ))
        })?);
    }
    Ok(rows)
}

/// The hook model's hand features and word tokens of every row's headline (English lexicon).
pub fn hook_inputs(rows: &[AbRow]) -> (Vec<[f64; N_FEATURES]>, Vec<Vec<String>>) {
    let lex = lexicon("en");
    let x = rows.iter().map(|r| features(&r.headline, lex)).collect();
    let tokens = rows.iter().map(|r| hook_tokens(&r.headline)).collect();
    (x, tokens)
}

/// What `eval hooks` reports: every scorer on the same held-out pairs.
#[derive(Debug, Serialize)]
pub struct HookEval {
    /// How the pairs were split.
    pub split: String,
    /// Significant pairs fitted on.
    pub train_pairs: usize,
    /// Significant pairs tested on.
    pub test_pairs: usize,
    /// First and last week tested (`YYYYWW`).
    pub test_weeks: (u32, u32),
    /// reelsmith's hook model (hand features and the hook's sentence embedding) fitted in this run
    /// on the training pairs: pairwise winner accuracy on the test pairs, 0–1.
    pub reelsmith: f64,
    /// The L2 strength its week-blocked cross-validation chose.
    pub lambda: f64,
    /// The TF-IDF word 1–2-gram pairwise logistic regression, fitted on the same pairs, 0–1.
    pub tfidf_baseline: f64,
    /// The shipped model as shipped (semantic head), 0–1; in-sample for weeks it was fitted on.
    pub shipped: f64,
    /// The shipped model without an embedding model (hand features and words), 0–1.
    pub shipped_without_embeddings: f64,
    /// Simple reference scorers on the test pairs.
    pub baselines: Vec<(String, f64)>,
    /// How to read the shipped figures.
    pub note: String,
}

/// Embeds every distinct headline once.
///
/// # Errors
/// The embedding model's error.
pub fn embed_headlines(rows: &[AbRow], embedder: &dyn Embedder) -> Result<Vec<Vec<f32>>> {
    let mut distinct: Vec<&str> = rows.iter().map(|r| r.headline.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut vectors = Vec::with_capacity(distinct.len());
    for chunk in distinct.chunks(256) {
        vectors.extend(embedder.embed(chunk)?);
    }
    Ok(rows
        .iter()
        .map(|r| {
            let i = distinct.binary_search(&r.headline.as_str()).unwrap_or(0);
            vectors[i].clone()
        })
        .collect())
}

/// Fits reelsmith's hook model and the TF-IDF baseline on `train`, and scores them, the shipped
/// model and the simple references on `test`. `separate_train` says the training pairs came from
/// another file (else from the earlier weeks of the same one).
///
/// # Errors
/// The embedding model's error.
pub fn evaluate_hooks(
    rows: &[AbRow],
    train: &[Pair],
    test: &[Pair],
    embedder: &dyn Embedder,
    separate_train: bool,
) -> Result<HookEval> {
    let (x, tokens) = hook_inputs(rows);
    let embeddings = embed_headlines(rows, embedder)?;
    let inputs = HookInputs {
        x: &x,
        embeddings: &embeddings,
    };
    let head = inputs.fit(train, embedder.model());
    let mean = HookModel::default_model().mean.clone();
    let shipped = HookModel::default_model();
    let headlines: Vec<String> = rows.iter().map(|r| r.headline.clone()).collect();
    let weeks = (
        test.iter().map(|p| p.week).min().unwrap_or(0),
        test.iter().map(|p| p.week).max().unwrap_or(0),
    );
    Ok(HookEval {
        split: if separate_train {
            "fitted on the --train file, tested on --data".into()
        } else {
            "fitted on the earliest 80 % of the file's weeks, tested on the rest".into()
        },
        train_pairs: train.len(),
        test_pairs: test.len(),
        test_weeks: weeks,
        reelsmith: inputs.head_accuracy(&head, &mean, test),
        lambda: head.lambda,
        tfidf_baseline: tfidf_accuracy(&headlines, train, test),
        shipped: shipped
            .semantic
            .as_ref()
            .map_or(0.5, |h| inputs.head_accuracy(h, &shipped.mean, test)),
        shipped_without_embeddings: pairwise_accuracy(test, |i| {
            shipped.raw(&x[i]) + shipped.vocabulary_score(&tokens[i])
        }),
        baselines: baselines(rows, test),
        note: format!(
            "the shipped model was fitted on every week of {}: on those weeks its figures are in-sample and overstate it; the model fitted in this run never saw the test weeks",
            shipped.source
        ),
    })
}

/// The reference scorers on `pairs`: a constant score, "longer headline wins" and "no question mark
/// wins", as `(name, pairwise accuracy 0–1)`.
pub fn baselines(rows: &[AbRow], pairs: &[Pair]) -> Vec<(String, f64)> {
    let chars = |i: usize| rows[i].headline.chars().count() as f64;
    vec![
        (
            "constant score".to_string(),
            pairwise_accuracy(pairs, |_| 0.0),
        ),
        (
            "longer headline wins".to_string(),
            pairwise_accuracy(pairs, chars),
        ),
        (
            "no question mark wins".to_string(),
            pairwise_accuracy(pairs, |i| {
                f64::from(u8::from(!rows[i].headline.contains('?')))
            }),
        ),
    ]
}

/// Distinct tests in `rows`.
pub fn test_count(rows: &[AbRow]) -> usize {
    rows.iter()
        .map(|r| r.test_id.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// Prints `r` as text.
pub fn print_report(r: &HookEval) {
    println!(
        "Hook model, pairwise winner accuracy on {} significant pairs of weeks {}–{} ({}; {} pairs fitted on)",
        r.test_pairs, r.test_weeks.0, r.test_weeks.1, r.split, r.train_pairs
    );
    println!(
        "  reelsmith hook model (features + sentence embedding, fitted in this run, λ {}) {:5.1} %",
        r.lambda,
        r.reelsmith * 100.0
    );
    println!(
        "  TF-IDF word 1–2-gram pairwise logistic regression (baseline, same split)    {:5.1} %",
        r.tfidf_baseline * 100.0
    );
    println!(
        "  shipped model                                                              {:5.1} %",
        r.shipped * 100.0
    );
    println!(
        "  shipped model without an embedding model (features + words)                {:5.1} %",
        r.shipped_without_embeddings * 100.0
    );
    for (name, acc) in &r.baselines {
        println!("  {name:<75}{:5.1} %", acc * 100.0);
    }
    println!("Note: {}.", r.note);
}
