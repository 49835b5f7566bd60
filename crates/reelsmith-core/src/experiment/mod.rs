//! A/B tests with an honest winner: the statistics of comparing two or three versions of an idea
//! that a creator posted.
//!
//! **The unit is the post.** A variant posted three times has three observations, however many
//! views each got (pooling views into one binomial pretends to have millions of samples and names
//! false winners). Each post's observation is its outcome, `log2` of its views over the creator's
//! median ([`crate::outcome`]).
//!
//! **Model** (per post, hierarchical). `yᵢ ~ Normal(μ_arm, σ²)`, one σ shared by the arms;
//! `μ_arm = μ₀ + δ_arm` with the common level `μ₀ ~ Normal(0, PRIOR_SD²)` (centred on the creator's
//! median) and each variant's effect `δ_arm ~ Normal(0, TAU²)` (skeptical: variants of one idea
//! rarely differ by more than ×1.6); `σ²` scaled-inverse-χ² with [`PRIOR_SIGMA_DF`]
//! degrees of freedom around the creator's own spread of outcomes (when given, else
//! [`DEFAULT_SIGMA`]). The posterior is sampled ([`DRAWS`] draws, seeded): σ² from its
//! conditional given the arms' within-variant spread, then μ₀, then each μ_arm. From the draws: P(best) per variant, the
//! expected loss of choosing each (in relative terms), and the 95 % interval of each variant's
//! relative lift over the first.
//!
//! **Verdict.** A winner when its P(best) ≥ [`WINNER_P_BEST`] and its expected loss is below
//! [`MAX_EXPECTED_LOSS`]; otherwise, when each variant has the posts a two-sided Welch test would
//! need to detect a [`MIN_EFFECT`] lift with 80 % power, "no detectable difference"; otherwise
//! "need about k more posts per variant". The frequentist cross-check is Welch's t-test of the first
//! two (or best two) variants' outcomes (statrs' Student's t).

mod lessons;
mod posts;
mod simulate;
mod stored;

pub use lessons::{
    Analysed, CTA_INSTRUCTIONS, HOOK_INSTRUCTIONS, LONG_ABOVE_S, LengthBand, Pattern, Preference,
    SHORT_BELOW_S, Win, preferences,
};
pub use posts::{AGE_RATIO, SAME_HOUR_WINDOW, VariantPost, arms_of, confounders};
pub use simulate::{ImpressionArm, Simulation, analyze_impressions, simulate};
pub use stored::{NewExperiment, StoredExperiment, StoredVariant, Vary};

use rand_distr::{ChiSquared, Distribution, Normal};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Prior standard deviation of the arms' common level, log2 units (about ×1/8 to ×8 of the
/// creator's median).
pub const PRIOR_SD: f64 = 1.5;
/// Prior standard deviation of one variant's effect around the common level, log2 units: variants of
/// one idea usually differ by less than ×1.6 either way (95 %: ×0.62 to ×1.6). This skeptical prior
/// is what keeps A/A tests from naming winners: with 0.5, 7.5 % of simulated A/A tests of 10 posts
/// per arm named one; with 0.35, 3.3 % (`reelsmith eval experiments`).
pub const TAU: f64 = 0.35;
/// The σ assumed when the creator's own spread is unknown, log2 units (real short-form accounts
/// spread about one doubling either way; the engagement sample's within-account spread is larger).
pub const DEFAULT_SIGMA: f64 = 1.0;
/// Weight of the prior on σ, in pseudo-posts.
pub const PRIOR_SIGMA_DF: f64 = 4.0;
/// Posterior draws (seeded).
pub const DRAWS: usize = 4000;
/// The seed of every analysis, so the same data gives the same verdict.
pub const SEED: u64 = 0xab_2026;
/// P(best) a winner needs.
pub const WINNER_P_BEST: f64 = 0.95;
/// Expected loss (relative: 0.01 = 1 % of views given up) below which a winner may be named.
pub const MAX_EXPECTED_LOSS: f64 = 0.01;
/// The smallest lift the sample size is computed for: twice the views (+100 %). A creator's posts
/// spread about one doubling either way (σ ≈ 1 in log2 units), so a 25 % lift would need about 150
/// posts per variant — more than any creator posts of one idea; a doubling needs about 16.
pub const MIN_EFFECT: f64 = 1.0;
/// Power of the sample-size computation.
pub const POWER: f64 = 0.8;

/// One arm's observations: each post's outcome (`log2` lift).
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// The variant's label ("A", "B", …).
    pub label: String,
    /// Outcomes of its posts.
    pub outcomes: Vec<f64>,
}

/// One variant's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmResult {
    /// Its label.
    pub label: String,
    /// Posts.
    pub posts: usize,
    /// Mean outcome (`log2` lift), when it has posts.
    pub mean: Option<f64>,
    /// Posterior probability that it is the best variant.
    pub p_best: f64,
    /// Expected loss of choosing it: the relative views given up against the best, averaged over
    /// the posterior.
    pub expected_loss: f64,
    /// Relative lift over the first variant (0.2 = 20 % more views) and its 95 % credible interval;
    /// `None` for the first.
    pub lift: Option<(f64, f64, f64)>,
}

/// The verdict in three states.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Verdict {
    /// A variant wins.
    Winner {
        /// Its label.
        label: String,
    },
    /// Enough posts to see a [`MIN_EFFECT`] lift, and none shows.
    NoDetectableDifference,
    /// Too few posts yet.
    NeedMorePosts {
        /// Posts still needed per variant.
        per_variant: usize,
    },
}

/// An analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Each variant.
    pub arms: Vec<ArmResult>,
    /// σ used for the sample size (the posterior median), log2 units.
    pub sigma: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// Welch's t-test of the two best variants' outcomes: (t, degrees of freedom, two-sided p).
    pub welch: Option<(f64, f64, f64)>,
    /// The verdict in words.
    pub message: String,
}

/// Posts per variant a two-sided Welch test at α = 0.05 needs to detect `effect` (relative lift)
/// with [`POWER`] when outcomes spread `sigma` (log2 units): `2 (z₀.₉₇₅ + z_power)² σ² / δ²`, δ the
/// effect in log2 units, rounded up, at least 2.
pub fn posts_needed(sigma: f64, effect: f64) -> usize {
    let delta = (1.0 + effect).log2();
    let z = 1.959_963_984_540_054 + 0.841_621_233_572_914_3; // z(0.975) + z(0.80)
    ((2.0 * z * z * sigma * sigma / (delta * delta)).ceil() as usize).max(2)
}

/// Welch's t-test of two samples: (t, df, two-sided p); `None` with fewer than 2 in either or no
/// spread.
pub fn welch(a: &[f64], b: &[f64]) -> Option<(f64, f64, f64)> {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let var =
        |x: &[f64], m: f64| x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64;
    let (ma, mb) = (mean(a), mean(b));
    let (va, vb) = (var(a, ma) / na, var(b, mb) / nb);
    if va + vb <= 0.0 {
        return None;
    }
    let t = (mb - ma) / (va + vb).sqrt();
    let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some((t, df, 2.0 * (1.0 - dist.cdf(t.abs()))))
}

/// Analyses `arms` (two or more). `creator_sigma` is the spread (sd, log2 units) of the creator's
/// own post outcomes, when known.
pub fn analyze(arms: &[Arm], creator_sigma: Option<f64>) -> Analysis {
    let k = arms.len();
    let s0 = creator_sigma
        .filter(|s| s.is_finite() && *s > 0.05)
        .unwrap_or(DEFAULT_SIGMA);
    // Within-arm sum of squares and its degrees of freedom.
    let (mut ss, mut df) = (0.0, 0.0);
    for a in arms {
        let n = a.outcomes.len();
        if n > 1 {
            let m = a.outcomes.iter().sum::<f64>() / n as f64;
            ss += a.outcomes.iter().map(|v| (v - m).powi(2)).sum::<f64>();
            df += (n - 1) as f64;
        }
    }
    let post_df = PRIOR_SIGMA_DF + df;
    let post_scale = (PRIOR_SIGMA_DF * s0 * s0 + ss) / post_df;
    let mut rng = crate::stats::rng(SEED);
    let chi = ChiSquared::new(post_df).ok();
    let std_normal = Normal::new(0.0, 1.0).ok();
    let mut wins = vec![0usize; k];
    let mut loss = vec![0.0; k];
    let mut lifts: Vec<Vec<f64>> = vec![Vec::with_capacity(DRAWS); k];
    let mut sigmas = Vec::with_capacity(DRAWS);
    let mut mu = vec![0.0; k];
    for _ in 0..DRAWS {
        let sigma2 = match chi.as_ref() {
            Some(c) => post_df * post_scale / c.sample(&mut rng).max(1e-9),
            None => post_scale,
        };
        sigmas.push(sigma2.sqrt());
        // The arms' common level μ₀ given σ² (each arm's mean is μ₀ plus its own effect plus
        // noise), then each arm's mean given μ₀: exact draws from the hierarchical normal model.
        let (mut p0, mut s0w) = (1.0 / (PRIOR_SD * PRIOR_SD), 0.0);
        for a in arms {
            let n = a.outcomes.len() as f64;
            if n > 0.0 {
                let v = TAU * TAU + sigma2 / n;
                p0 += 1.0 / v;
                s0w += a.outcomes.iter().sum::<f64>() / n / v;
            }
        }
        let z0: f64 = std_normal.map_or(0.0, |d| d.sample(&mut rng));
        let mu0 = s0w / p0 + z0 / p0.sqrt();
        for (j, a) in arms.iter().enumerate() {
            let n = a.outcomes.len() as f64;
            let sum: f64 = a.outcomes.iter().sum();
            let precision = 1.0 / (TAU * TAU) + n / sigma2;
            let m = (mu0 / (TAU * TAU) + sum / sigma2) / precision;
            let z: f64 = std_normal.map_or(0.0, |d| d.sample(&mut rng));
            mu[j] = m + z / precision.sqrt();
        }
        let best = (0..k).max_by(|&a, &b| mu[a].total_cmp(&mu[b])).unwrap_or(0);
        wins[best] += 1;
        for j in 0..k {
            // Relative views given up by choosing j: 1 − 2^(μ_j − μ_best).
            loss[j] += 1.0 - 2f64.powf(mu[j] - mu[best]);
            if j > 0 {
                lifts[j].push(2f64.powf(mu[j] - mu[0]) - 1.0);
            }
        }
    }
    let results: Vec<ArmResult> = arms
        .iter()
        .enumerate()
        .map(|(j, a)| {
            let n = a.outcomes.len();
            let lift = (j > 0).then(|| {
                let q = |p| crate::stats::quantile(&lifts[j], p).unwrap_or(0.0);
                (q(0.5), q(0.025), q(0.975))
            });
            ArmResult {
                label: a.label.clone(),
                posts: n,
                mean: (n > 0).then(|| a.outcomes.iter().sum::<f64>() / n as f64),
                p_best: wins[j] as f64 / DRAWS as f64,
                expected_loss: loss[j] / DRAWS as f64,
                lift,
            }
        })
        .collect();
    let sigma = crate::stats::quantile(&sigmas, 0.5).unwrap_or(s0);
    let needed = posts_needed(sigma, MIN_EFFECT);
    let fewest = arms.iter().map(|a| a.outcomes.len()).min().unwrap_or(0);
    let leader = results.iter().max_by(|a, b| a.p_best.total_cmp(&b.p_best));
    let verdict = match leader {
        Some(l) if l.p_best >= WINNER_P_BEST && l.expected_loss < MAX_EXPECTED_LOSS => {
            Verdict::Winner {
                label: l.label.clone(),
            }
        }
        _ if fewest >= needed => Verdict::NoDetectableDifference,
        _ => Verdict::NeedMorePosts {
            per_variant: needed - fewest,
        },
    };
    // Welch on the two variants with the highest P(best).
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| results[b].p_best.total_cmp(&results[a].p_best));
    let welch = (k >= 2)
        .then(|| welch(&arms[order[1]].outcomes, &arms[order[0]].outcomes))
        .flatten();
    let message = match &verdict {
        Verdict::Winner { label } => {
            let r = results.iter().find(|r| &r.label == label);
            format!(
                "{label} wins: P(best) {:.0} %, expected loss of choosing it {:.1} % of views",
                r.map_or(0.0, |r| r.p_best * 100.0),
                r.map_or(0.0, |r| r.expected_loss * 100.0)
            )
        }
        Verdict::NoDetectableDifference => format!(
            "no detectable difference: with {fewest} posts per variant a {:.0} % lift would show, and none does",
            MIN_EFFECT * 100.0
        ),
        Verdict::NeedMorePosts { per_variant } => format!(
            "no winner yet: post each variant about {per_variant} more time(s) to tell a {:.0} % lift from chance",
            MIN_EFFECT * 100.0
        ),
    };
    Analysis {
        arms: results,
        sigma,
        verdict,
        welch,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(label: &str, outcomes: &[f64]) -> Arm {
        Arm {
            label: label.into(),
            outcomes: outcomes.to_vec(),
        }
    }

    #[test]
    fn a_clear_difference_names_a_winner() {
        let a = analyze(
            &[
                arm("A", &[-0.2, 0.1, 0.0, -0.1, 0.2, 0.0]),
                arm("B", &[1.9, 2.1, 2.0, 1.8, 2.2, 2.0]),
            ],
            Some(0.3),
        );
        assert_eq!(a.verdict, Verdict::Winner { label: "B".into() });
        let (mid, lo, hi) = a.arms[1].lift.unwrap_or_default();
        assert!(lo > 2.0 && mid > 2.5 && hi < 4.0, "{lo} {mid} {hi}");
        let (_, _, p) = a.welch.unwrap_or_default();
        assert!(p < 0.001);
    }

    #[test]
    fn one_post_each_is_never_a_winner() {
        let a = analyze(&[arm("A", &[0.0]), arm("B", &[3.0])], None);
        assert!(
            matches!(a.verdict, Verdict::NeedMorePosts { .. }),
            "{:?}",
            a.verdict
        );
        assert!(a.message.contains("more time"), "{}", a.message);
        assert_eq!(a.welch, None);
    }

    #[test]
    fn posts_needed_follows_the_normal_approximation() {
        // 2 (1.96 + 0.84)² / log2(1.25)² = 15.70 / 0.1036 → 152 for σ = 1; a doubling: 16
        assert_eq!(posts_needed(1.0, 0.25), 152);
        assert_eq!(posts_needed(1.0, 1.0), 16);
        assert!(posts_needed(0.5, 0.25) < posts_needed(1.0, 0.25));
        assert_eq!(posts_needed(0.01, 3.0), 2);
    }

    #[test]
    fn welch_matches_a_worked_example() {
        // scipy.stats.ttest_ind([1,2,3,4], [2,4,6,8,10], equal_var=False)
        //   -> statistic -2.0, pvalue 0.09... (t = (3.0-... ) computed below by hand)
        let (t, df, p) =
            welch(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0, 10.0]).unwrap_or_default();
        // means 2.5 and 6; variances 1.6667/4 and 10/5: se = sqrt(0.41667 + 2) = 1.5546
        assert!((t - 3.5 / 1.554_563).abs() < 1e-4, "{t}");
        assert!(df > 4.0 && df < 6.0, "{df}");
        assert!(p > 0.05 && p < 0.12, "{p}");
    }
}
