//! `reelsmith-dev fit-topic`: the committed, rerunnable procedure behind the topic-relevance
//! constants in `crates/reelsmith-core/src/score/brief.rs`.
//!
//! 1. Read the Upworthy-format file's ledes with their headlines (`reelsmith eval topic`'s reader)
//!    and keep the earliest 80 % of test weeks; `eval topic` reports on the rest.
//! 2. Score each lede against its own headline and another article's (best-sentence cosine of
//!    all-MiniLM-L6-v2 embeddings, as the card does).
//! 3. Relevance: a logistic regression (linfa-logistic) of "its own title" on the similarity, over
//!    balanced classes (one own and one other title per lede): relevance = σ((cos − midpoint) /
//!    scale) × 100 is then the probability, at even odds, that the text is about the title.
//! 4. Off-topic: the similarity at which that probability is 1 in 1 + [`ODDS_AGAINST`] (4 to 1
//!    against the text being about the topic): midpoint − scale × ln([`ODDS_AGAINST`]). It prints
//!    how many own titles fall below it (false alarms) and how many other titles do (detections).
//!
//! It prints the fitted constants next to the shipped ones; update `brief.rs` by hand.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use reelsmith::config::Loaded;
use reelsmith::topic_eval::{forward_split, judge, read_titled};
use reelsmith_core::score::brief::{OFF_TOPIC_BELOW, TOPIC_MIDPOINT, TOPIC_SCALE};

/// Odds against being about the topic at which a script is called off-topic.
pub const ODDS_AGAINST: f64 = 4.0;

/// Arguments of `fit-topic`.
#[derive(Debug, Args)]
pub struct FitTopicArgs {
    /// Upworthy-format CSV (clickability_test_id, headline, lede, test_week).
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
}

/// Runs the procedure and prints the fitted constants next to the shipped ones.
///
/// # Errors
/// Unreadable data, a missing embedding model or a failing fit.
pub fn run(args: &FitTopicArgs, loaded: &Loaded) -> Result<()> {
    let (train, _) = forward_split(&read_titled(&args.data)?);
    anyhow::ensure!(
        train.len() >= 20,
        "{}: {} ledes in the fitting weeks — too few to fit on",
        args.data.display(),
        train.len()
    );
    let embedder = super::embedder(loaded)?;
    let judged = judge(&train, Some(&embedder));
    let x = Array2::from_shape_fn((judged.len() * 2, 1), |(i, _)| {
        let j = &judged[i / 2];
        if i % 2 == 0 { j.own } else { j.other }
    });
    let y: Array1<bool> = (0..judged.len() * 2).map(|i| i % 2 == 0).collect();
    let m = LogisticRegression::default()
        .alpha(0.0)
        .max_iterations(1000)
        .fit(&Dataset::new(x, y))
        .context("fitting the topic-relevance logistic regression")?;
    // linfa predicts its own "positive" label; orient so that a positive logit means "own title".
    let sign = if m.labels().pos.class { 1.0 } else { -1.0 };
    let (slope, intercept) = (sign * m.params()[0], sign * m.intercept());
    let (midpoint, scale) = (-intercept / slope, 1.0 / slope);
    let threshold = midpoint - scale * ODDS_AGAINST.ln();
    let below = |f: fn(&reelsmith::topic_eval::Judged) -> f64| {
        judged.iter().filter(|j| f(j) < threshold).count() as f64 / judged.len() as f64 * 100.0
    };
    println!(
        "fitted on {} ledes of weeks {}–{}",
        train.len(),
        train.iter().map(|t| t.week).min().unwrap_or_default(),
        train.iter().map(|t| t.week).max().unwrap_or_default()
    );
    println!("{:<18} {:>8} {:>8}", "constant", "fitted", "shipped");
    println!(
        "{:<18} {:>8.3} {:>8.3}",
        "TOPIC_MIDPOINT", midpoint, TOPIC_MIDPOINT
    );
    println!("{:<18} {:>8.3} {:>8.3}", "TOPIC_SCALE", scale, TOPIC_SCALE);
    println!(
        "{:<18} {:>8.3} {:>8.3}   (below it: own titles {:.1} %, other titles {:.1} %)",
        "OFF_TOPIC_BELOW",
        threshold,
        OFF_TOPIC_BELOW,
        below(|j| j.own),
        below(|j| j.other)
    );
    Ok(())
}
