//! `reelsmith eval experiments`: the A/B engine ([`reelsmith_core::experiment`]) validated, not
//! asserted — seeded simulations of creators' tests (false winners in A/A tests, power to find a
//! doubling, coverage of the lift intervals) for 2–10 posts per arm, and on real headline tests
//! (the Upworthy archive, where the impression is the unit) the engine's per-impression verdicts
//! against the archive's two-proportion z-tests.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use reelsmith_core::eval::{AbRow, MIN_IMPRESSIONS, Z_CRITICAL, z_two_proportions};
use reelsmith_core::experiment::{ImpressionArm, Simulation, analyze_impressions, simulate};
use serde::Serialize;

/// Posts per arm simulated.
pub const POSTS: std::ops::RangeInclusive<usize> = 2..=10;

/// The simulations, one row per posts-per-arm count.
pub fn simulations(runs: usize) -> Vec<Simulation> {
    POSTS.map(|n| simulate(n, runs, 7 + n as u64)).collect()
}

/// The engine against the archive's z-tests on every same-image pair of headlines (both arms with
/// at least 100 impressions).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Agreement {
    /// Pairs the z-test calls significant (|z| ≥ 1.96).
    pub significant: usize,
    /// Of those, the engine names the same winner.
    pub same_winner: usize,
    /// Of those, the engine names the other arm.
    pub other_winner: usize,
    /// Pairs the z-test does not call significant.
    pub not_significant: usize,
    /// Of those, the engine still names a winner.
    pub engine_winner: usize,
}

/// Compares the engine with the z-test on `rows`.
pub fn upworthy(rows: &[AbRow]) -> Agreement {
    let mut groups: HashMap<(&str, &str), Vec<&AbRow>> = HashMap::new();
    for r in rows.iter().filter(|r| r.impressions >= MIN_IMPRESSIONS) {
        groups
            .entry((r.test_id.as_str(), r.eyecatcher_id.as_str()))
            .or_default()
            .push(r);
    }
    let mut a = Agreement::default();
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let arms = &groups[&key];
        for i in 0..arms.len() {
            for j in i + 1..arms.len() {
                let (x, y) = (arms[i], arms[j]);
                if x.headline == y.headline {
                    continue;
                }
                let z = z_two_proportions(x.clicks, x.impressions, y.clicks, y.impressions);
                let arm = |r: &AbRow, l: &str| ImpressionArm {
                    label: l.into(),
                    clicks: r.clicks,
                    impressions: r.impressions,
                };
                let (_, winner) = analyze_impressions(&[arm(x, "x"), arm(y, "y")]);
                if z.abs() >= Z_CRITICAL {
                    a.significant += 1;
                    let z_winner = if z > 0.0 { 0 } else { 1 };
                    match winner {
                        Some(w) if w == z_winner => a.same_winner += 1,
                        Some(_) => a.other_winner += 1,
                        None => {}
                    }
                } else {
                    a.not_significant += 1;
                    a.engine_winner += usize::from(winner.is_some());
                }
            }
        }
    }
    a
}

/// Everything `eval experiments` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Simulations per posts-per-arm count.
    pub simulations: Vec<Simulation>,
    /// The Upworthy comparison, when data was given.
    pub upworthy: Option<Agreement>,
}

/// Runs the evaluation (the Upworthy part when `data` is given).
pub fn run(runs: usize, data: Option<&Path>) -> Result<Report> {
    let upworthy = match data {
        Some(p) => Some(upworthy(&crate::hook_eval::read_rows(p)?)),
        None => None,
    };
    Ok(Report {
        simulations: simulations(runs),
        upworthy,
    })
}
