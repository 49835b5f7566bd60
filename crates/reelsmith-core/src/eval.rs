//! Validation on real outcomes: pairwise winner accuracy on headline A/B tests (Upworthy Research
//! Archive format), exactly as the data's README defines it.
//!
//! 1. Within one test, every pair of rows with the same image (`eyecatcher_id`) and different headlines,
//!    both with at least [`MIN_IMPRESSIONS`] impressions.
//! 2. Keep the pair when a two-proportion z-test on clicks/impressions (pooled standard error) gives
//!    |z| ≥ [`Z_CRITICAL`].
//! 3. The row with the higher click rate wins. A scorer is right when it scores the winner higher; a tie
//!    counts one half.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// Minimum impressions for a row to enter a pair.
pub const MIN_IMPRESSIONS: u64 = 100;
/// Two-sided 5 % critical value of the standard normal.
pub const Z_CRITICAL: f64 = 1.96;

/// One arm of a headline A/B test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbRow {
    /// The test this arm belongs to.
    pub test_id: String,
    /// The headline (the "hook").
    pub headline: String,
    /// The image shown with it; only arms with the same image are compared.
    pub eyecatcher_id: String,
    /// Times shown.
    pub impressions: u64,
    /// Times clicked.
    pub clicks: u64,
    /// Week of the test, `YYYYWW`.
    pub week: u32,
}

/// A significant pair: indices into the rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// The arm with the higher click rate.
    pub winner: usize,
    /// The other arm.
    pub loser: usize,
    /// The test's week.
    pub week: u32,
    /// |z| of the two-proportion test.
    pub z: f64,
}

/// Two-proportion z statistic with pooled standard error; 0 when undefined.
pub fn z_two_proportions(c1: u64, n1: u64, c2: u64, n2: u64) -> f64 {
    let (c1, n1, c2, n2) = (c1 as f64, n1 as f64, c2 as f64, n2 as f64);
    if n1 == 0.0 || n2 == 0.0 {
        return 0.0;
    }
    let pooled = (c1 + c2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (c1 / n1 - c2 / n2) / se
    }
}

/// The significant pairs of `rows`, in row order.
pub fn significant_pairs(rows: &[AbRow]) -> Vec<Pair> {
    let mut groups: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if r.impressions >= MIN_IMPRESSIONS {
            groups
                .entry((&r.test_id, &r.eyecatcher_id))
                .or_default()
                .push(i);
        }
    }
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort_unstable();
    let mut pairs = Vec::new();
    for key in keys {
        let idx = &groups[&key];
        for (a, &i) in idx.iter().enumerate() {
            for &j in &idx[a + 1..] {
                let (ri, rj) = (&rows[i], &rows[j]);
                if ri.headline == rj.headline {
                    continue;
                }
                let z = z_two_proportions(ri.clicks, ri.impressions, rj.clicks, rj.impressions);
                if z.abs() >= Z_CRITICAL {
                    let (winner, loser) = if z > 0.0 { (i, j) } else { (j, i) };
                    pairs.push(Pair {
                        winner,
                        loser,
                        week: ri.week,
                        z: z.abs(),
                    });
                }
            }
        }
    }
    pairs
}

/// Share of `pairs` where `score(winner) > score(loser)`, ties counting one half; 0 for no pairs.
pub fn pairwise_accuracy(pairs: &[Pair], score: impl Fn(usize) -> f64) -> f64 {
    if pairs.is_empty() {
        return 0.0;
    }
    let right: f64 = pairs
        .iter()
        .map(|p| {
            let (w, l) = (score(p.winner), score(p.loser));
            if w > l {
                1.0
            } else if w == l {
                0.5
            } else {
                0.0
            }
        })
        .sum();
    right / pairs.len() as f64
}

/// Splits pair indices into `k` folds of consecutive test weeks (blocked by week, never by row), each
/// fold holding about the same number of weeks. Folds may be empty when there are fewer weeks than `k`.
pub fn week_folds(pairs: &[Pair], k: usize) -> Vec<Vec<usize>> {
    let weeks: Vec<u32> = pairs
        .iter()
        .map(|p| p.week)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let k = k.max(1);
    let fold_of = |week: u32| {
        let pos = weeks.partition_point(|w| *w < week);
        pos * k / weeks.len().max(1)
    };
    let mut folds = vec![Vec::new(); k];
    for (i, p) in pairs.iter().enumerate() {
        folds[fold_of(p.week)].push(i);
    }
    folds
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(test: &str, headline: &str, img: &str, n: u64, c: u64, week: u32) -> AbRow {
        AbRow {
            test_id: test.into(),
            headline: headline.into(),
            eyecatcher_id: img.into(),
            impressions: n,
            clicks: c,
            week,
        }
    }

    #[test]
    fn z_matches_a_hand_computation() {
        // p1 = 0.1, p2 = 0.05, pooled 0.075, se = sqrt(0.075*0.925*(2/1000)) = 0.011779...
        let z = z_two_proportions(100, 1000, 50, 1000);
        assert!((z - 4.2447).abs() < 1e-3, "{z}");
        assert_eq!(z_two_proportions(0, 0, 1, 10), 0.0);
    }

    #[test]
    fn pairs_follow_the_definition() {
        let rows = vec![
            row("t1", "A", "img", 1000, 100, 201401),
            row("t1", "B", "img", 1000, 50, 201401),
            row("t1", "C", "other", 1000, 10, 201401), // different image: never paired with A or B
            row("t1", "A", "img", 1000, 52, 201401),   // same headline as row 0: not paired with it
            row("t1", "D", "img", 99, 0, 201401),      // too few impressions
            row("t2", "E", "img", 1000, 60, 201402),
            row("t2", "F", "img", 1000, 58, 201402), // not significant
        ];
        let pairs = significant_pairs(&rows);
        let got: Vec<(usize, usize)> = pairs.iter().map(|p| (p.winner, p.loser)).collect();
        assert_eq!(got, vec![(0, 1)]);
    }

    #[test]
    fn accuracy_counts_ties_as_half() {
        let pairs = [
            Pair {
                winner: 0,
                loser: 1,
                week: 1,
                z: 2.0,
            },
            Pair {
                winner: 2,
                loser: 3,
                week: 1,
                z: 2.0,
            },
        ];
        let scores = [2.0, 1.0, 5.0, 5.0];
        assert_eq!(pairwise_accuracy(&pairs, |i| scores[i]), 0.75);
        assert_eq!(pairwise_accuracy(&[], |_| 0.0), 0.0);
    }

    #[test]
    fn folds_never_split_a_week() {
        let pairs: Vec<Pair> = (0..20)
            .map(|i| Pair {
                winner: 0,
                loser: 1,
                week: 201400 + i / 2,
                z: 2.0,
            })
            .collect();
        let folds = week_folds(&pairs, 5);
        assert_eq!(folds.len(), 5);
        assert_eq!(folds.iter().map(Vec::len).sum::<usize>(), 20);
        for f in &folds {
            let weeks: BTreeSet<u32> = f.iter().map(|i| pairs[*i].week).collect();
            for other in folds.iter().filter(|o| *o != f) {
                assert!(other.iter().all(|i| !weeks.contains(&pairs[*i].week)));
            }
        }
    }
}
