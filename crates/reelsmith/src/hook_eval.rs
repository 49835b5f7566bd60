//! Evaluating the hook model on Upworthy-format A/B test files (the Upworthy Research Archive's CSV
//! columns): reading them into the core's evaluation rows, the model's inputs, the reference
//! scorers computed on the same pairs, and the report — shared by `reelsmith eval hooks` and the
//! fitting procedure in `reelsmith-dev fit-hooks`.

use std::path::Path;

use anyhow::Result;
use reelsmith_core::eval::{AbRow, Pair, pairwise_accuracy};
use reelsmith_core::lexicon::lexicon;
use reelsmith_core::score::hook_model::{N_FEATURES, features, hook_tokens};
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
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| UserError(format!("{}: cannot be read as CSV ({e})", path.display())))?;
    let mut rows = Vec::new();
    for (i, rec) in reader.deserialize::<CsvRow>().enumerate() {
        let r = rec.map_err(|e| {
            UserError(format!(
                "{}: row {} is not Upworthy-format ({e}) — expected columns clickability_test_id, headline, eyecatcher_id, impressions, clicks, test_week",
                path.display(),
                i + 2
            ))
        })?;
        rows.push(AbRow {
            test_id: r.clickability_test_id,
            headline: r.headline,
            eyecatcher_id: r.eyecatcher_id,
            impressions: r.impressions,
            clicks: r.clicks,
            week: r.test_week,
        });
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

/// What `eval hooks` reports.
#[derive(Debug, Serialize)]
pub struct HookEval {
    /// Pairwise winner accuracy of the model evaluated, 0–1 (cross-validated when fitting).
    pub accuracy: f64,
    /// Significant pairs.
    pub pairs: usize,
    /// Tests (distinct test ids) in the file.
    pub tests: usize,
    /// Which model: `shipped` or `cross-validated fit`.
    pub model: String,
    /// Accuracy per fold (fitting only).
    pub fold_accuracy: Vec<f64>,
    /// Accuracy on the last 20 % of weeks after fitting on the first 80 % (fitting only).
    pub forward_accuracy: Option<f64>,
    /// Reference scorers on the same pairs.
    pub baselines: Vec<(String, f64)>,
    /// How to read `accuracy` (e.g. in-sample when the shipped model was fitted on this very file).
    pub note: Option<String>,
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
        "Pairwise winner accuracy: {:.1} % on {} significant pairs ({} tests)",
        r.accuracy * 100.0,
        r.pairs,
        r.tests
    );
    println!("Model: {}", r.model);
    if !r.fold_accuracy.is_empty() {
        let folds: Vec<String> = r
            .fold_accuracy
            .iter()
            .map(|a| format!("{:.1} %", a * 100.0))
            .collect();
        println!("Folds (consecutive weeks): {}", folds.join(", "));
    }
    if let Some(f) = r.forward_accuracy {
        println!(
            "Forward (fit on the first 80 % of weeks, test on the rest): {:.1} %",
            f * 100.0
        );
    }
    if let Some(note) = &r.note {
        println!("Note: {note}.");
    }
    println!("Baselines on the same pairs:");
    for (name, acc) in &r.baselines {
        println!("  {name:<24} {:.1} %", acc * 100.0);
    }
}
