//! `reelsmith-dev fit-voice`: the committed, rerunnable procedure that fits the voice-match weights
//! (`crates/reelsmith-core/src/attribution/voice_weights.json`).
//!
//! 1. Read the fitting speakers: by default every speaker of the voices corpus *outside* the eight Go
//!    Time speakers, so that `reelsmith eval voice --authors gotime` reports on speakers the weights
//!    never saw.
//! 2. Run the leave-one-out attribution of `reelsmith eval voice` on them, in both conditions
//!    (profiles from snippets, and from whole texts), collecting for every (snippet, speaker) pair
//!    the similarity, the typicality `z` and, among all speakers, the SVM margin and the
//!    language-model margin.
//! 3. Fit two binary logistic regressions (linfa-logistic, L2 `alpha`) of "this speaker said it":
//!    on similarity and `z` (a persona alone in its workspace), and on those and the two margins
//!    (among others).
//! 4. Correct each intercept for the 1-in-N positives (King & Zeng, "Logistic Regression in Rare
//!    Events Data", 2001: add ln(negatives ÷ positives)), so that a score of 50 means "as likely this
//!    persona as not" whatever the number of speakers fitted on.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use reelsmith::voice_eval::{GO_TIME, TEXT_CAP_WORDS, read_corpus, run_condition};
use reelsmith_core::attribution::FusionWeights;
use reelsmith_core::attribution::eval::{Fold, Profiles};

/// Arguments of `fit-voice`.
#[derive(Debug, Args)]
pub struct FitVoiceArgs {
    /// The voices corpus folder (one sub-folder of .txt files per speaker).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Speakers to fit on, comma-separated (default: every speaker outside the Go Time eight).
    #[arg(long, value_delimiter = ',')]
    pub authors: Vec<String>,
    /// Where to write the weights (the shipped ones are
    /// crates/reelsmith-core/src/attribution/voice_weights.json).
    #[arg(long, value_name = "FILE.json")]
    pub out: Option<PathBuf>,
    /// L2 regularisation strength of the logistic regressions.
    #[arg(long, default_value_t = 1.0)]
    pub alpha: f64,
}

/// Fits `label ~ features` and returns `[intercept, weights…]` with the rare-events intercept
/// correction.
fn fit(rows: &[(Vec<f64>, bool)], alpha: f64) -> Result<Vec<f64>> {
    let d = rows[0].0.len();
    let x = Array2::from_shape_fn((rows.len(), d), |(i, j)| rows[i].0[j]);
    let y: Array1<bool> = rows.iter().map(|r| r.1).collect();
    let m = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(1000)
        .fit(&Dataset::new(x, y))
        .context("fitting the voice-match logistic regression")?;
    // linfa predicts its own "positive" label; orient so that a positive logit means "same speaker".
    let sign = if m.labels().pos.class { 1.0 } else { -1.0 };
    let pos = rows.iter().filter(|r| r.1).count() as f64;
    let neg = rows.len() as f64 - pos;
    let mut out = vec![sign * m.intercept() + (neg / pos).ln()];
    out.extend(m.params().iter().map(|w| sign * w));
    Ok(out)
}

/// Runs the procedure, prints what it fitted and writes `--out`.
///
/// # Errors
/// Unreadable data, a failing fit or an unwritable `--out`.
pub fn run(args: &FitVoiceArgs) -> Result<()> {
    // The fitting corpus is the voices corpus' plain text: nothing to isolate.
    let reader = reelsmith_ingest::Reader::InProcess;
    let authors: Vec<String> = if args.authors.is_empty() {
        let all = read_corpus(&args.data, &[], &reader)?;
        all.authors
            .into_iter()
            .filter(|a| !GO_TIME.contains(&a.as_str()))
            .collect()
    } else {
        args.authors.clone()
    };
    let corpus = read_corpus(&args.data, &authors, &reader)?;
    let mut folds: Vec<Fold> = Vec::new();
    for profiles in [Profiles::Snippets, Profiles::Texts(TEXT_CAP_WORDS)] {
        let (c, f) = run_condition(&corpus, 150, profiles);
        eprintln!(
            "{}: reelsmith (current weights) {:.1} %, alone {:.1} %, baseline {:.1} % in {:.0} s",
            c.profiles,
            c.reelsmith * 100.0,
            c.alone * 100.0,
            c.baseline * 100.0,
            c.seconds
        );
        folds.extend(f);
    }
    let mut among = Vec::new();
    let mut alone = Vec::new();
    for f in &folds {
        for (k, (a, s)) in f.among.iter().zip(&f.alone).enumerate() {
            among.push((
                vec![
                    a.similarity,
                    a.typicality,
                    a.margin.unwrap_or(0.0),
                    a.lm_margin.unwrap_or(0.0),
                ],
                k == f.truth,
            ));
            alone.push((vec![s.similarity, s.typicality], k == f.truth));
        }
    }
    let w_among = fit(&among, args.alpha)?;
    let w_alone = fit(&alone, args.alpha)?;
    let weights = FusionWeights {
        alone: [w_alone[0], w_alone[1], w_alone[2]],
        among: [w_among[0], w_among[1], w_among[2], w_among[3], w_among[4]],
        fitted: format!(
            "reelsmith-dev fit-voice: logistic regressions (L2 alpha {}) on {} (snippet, speaker) pairs of {} voices-corpus speakers outside Go Time ({}), leave-one-out 150-word snippets, profiles from snippets and from whole texts; intercepts corrected for 1-in-{} positives",
            args.alpha,
            among.len(),
            corpus.authors.len(),
            corpus.authors.join(", "),
            corpus.authors.len()
        ),
    };
    let json = serde_json::to_string_pretty(&weights)?;
    println!("{json}");
    if let Some(out) = &args.out {
        std::fs::write(out, json + "\n").with_context(|| format!("writing {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
