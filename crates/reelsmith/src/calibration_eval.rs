//! `reelsmith eval calibration`: the per-creator re-weighting of the viral dimensions
//! ([`reelsmith_core::calibration`]) on simulated creators whose outcome is a known weighting of the
//! dimensions plus noise — how often the fitted weights are adopted, how close they come to the
//! truth, and their held-out Spearman's rho next to the default weights' on the same posts — and on
//! pure-noise creators, how often weights are adopted that should not be.

use reelsmith_core::calibration::{DIMENSIONS, decide, fit, simulate};
use reelsmith_core::text::median;
use serde::Serialize;

/// The simulated creators' true weights: three of the nine dimensions matter (hook strength 0.4,
/// specificity 0.3, CTA strength 0.3).
pub const TRUTH: [f64; DIMENSIONS] = [0.4, 0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.3, 0.0];
/// Noise standard deviation of the outcome (the signal's is about 1.2: as much noise as signal).
pub const NOISE: f64 = 1.0;
/// Posts per creator in each row.
pub const SIZES: [usize; 4] = [20, 50, 100, 300];

/// One row: creators of `posts` posts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Posts per creator.
    pub posts: usize,
    /// Whether the outcome depends on the dimensions (`false`: pure noise).
    pub signal: bool,
    /// Creators simulated.
    pub creators: usize,
    /// Creators whose fitted weights were adopted.
    pub adopted: usize,
    /// Median over creators of the largest |fitted − true| weight (signal rows only).
    pub median_max_error: Option<f64>,
    /// Median held-out Spearman's rho of the fitted candidate.
    pub held_out_fitted: Option<f64>,
    /// Median held-out Spearman's rho of the default weights (the baseline).
    pub held_out_default: Option<f64>,
}

/// Simulates `creators` creators for each size, with and without signal.
pub fn run(creators: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for signal in [true, false] {
        for &posts in &SIZES {
            let truth = if signal { TRUTH } else { [0.0; DIMENSIONS] };
            let (mut adopted, mut errors, mut fitted, mut default) = (0, vec![], vec![], vec![]);
            for seed in 0..creators as u64 {
                let obs = simulate(seed, posts, &truth, NOISE);
                let d = decide(&obs);
                adopted += usize::from(d.fitted);
                if signal && let Some(w) = fit(&obs) {
                    errors.push(
                        w.iter()
                            .zip(TRUTH)
                            .map(|(a, b)| (a - b).abs())
                            .fold(0.0, f64::max),
                    );
                }
                if let Some(f) = d.held_out_fitted {
                    fitted.push(f.value);
                }
                if let Some(r) = d.held_out_default {
                    default.push(r);
                }
            }
            rows.push(Row {
                posts,
                signal,
                creators,
                adopted,
                median_max_error: median(&errors),
                held_out_fitted: median(&fitted),
                held_out_default: median(&default),
            });
        }
    }
    rows
}
