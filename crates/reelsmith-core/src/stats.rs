//! The statistics of reelsmith's own evaluations of its scores against real outcomes: ranks,
//! Spearman's rank correlation, percentile-bootstrap intervals and ridge regression. Small and exact;
//! the resampling is seeded so a report is the same every time it is printed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Resamples of a bootstrap interval (Efron & Tibshirani 1993 suggest ≥ 1,000 for percentile
/// intervals).
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// The seed of every bootstrap, so the same data gives the same interval.
pub const BOOTSTRAP_SEED: u64 = 0x5eed_2026;

/// Ranks of `values`, 1-based, ties given their average rank (the convention of Spearman's rho).
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Pearson's correlation of two equal-length series; `None` with fewer than 3 pairs or when either
/// is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 3 || y.len() != n {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation rho (Pearson's correlation of the average ranks, so ties are
/// handled); `None` with fewer than 3 pairs or when either series is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// A statistic with its percentile-bootstrap 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Estimate {
    /// The statistic on the data.
    pub value: f64,
    /// 2.5th percentile of the bootstrap distribution.
    pub low: f64,
    /// 97.5th percentile of the bootstrap distribution.
    pub high: f64,
}

/// Spearman's rho of `x` and `y` with a percentile-bootstrap 95 % interval over resampled pairs
/// ([`BOOTSTRAP_RESAMPLES`], seeded by [`BOOTSTRAP_SEED`]); resamples where rho is undefined (all
/// one value) are left out. `None` when rho itself is undefined.
pub fn spearman_ci(x: &[f64], y: &[f64]) -> Option<Estimate> {
    let value = spearman(x, y)?;
    let n = x.len();
    let mut rng = StdRng::seed_from_u64(BOOTSTRAP_SEED);
    let mut draws = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    let (mut bx, mut by) = (vec![0.0; n], vec![0.0; n]);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        for k in 0..n {
            let i = rng.random_range(0..n);
            bx[k] = x[i];
            by[k] = y[i];
        }
        if let Some(r) = spearman(&bx, &by) {
            draws.push(r);
        }
    }
    percentile_interval(value, draws)
}

/// The difference of two scores' Spearman's rho with the same outcome, `rho(a, y) − rho(b, y)`, with
/// a paired percentile-bootstrap 95 % interval (each resample draws the same posts for both scores,
/// so what the two share cancels). `None` when either rho is undefined.
pub fn spearman_gain_ci(a: &[f64], b: &[f64], y: &[f64]) -> Option<Estimate> {
    let value = spearman(a, y)? - spearman(b, y)?;
    let n = y.len();
    if a.len() != n || b.len() != n {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(BOOTSTRAP_SEED);
    let mut draws = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    let (mut ba, mut bb, mut by) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        for k in 0..n {
            let i = rng.random_range(0..n);
            ba[k] = a[i];
            bb[k] = b[i];
            by[k] = y[i];
        }
        if let (Some(ra), Some(rb)) = (spearman(&ba, &by), spearman(&bb, &by)) {
            draws.push(ra - rb);
        }
    }
    percentile_interval(value, draws)
}

fn percentile_interval(value: f64, mut draws: Vec<f64>) -> Option<Estimate> {
    if draws.is_empty() {
        return None;
    }
    draws.sort_by(f64::total_cmp);
    let at = |q: f64| draws[((q * (draws.len() - 1) as f64).round() as usize).min(draws.len() - 1)];
    Some(Estimate {
        value,
        low: at(0.025),
        high: at(0.975),
    })
}

/// Percentile `q` (0–1) of `values` by linear interpolation between order statistics; `None` when
/// empty.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

/// Ridge regression without intercept on already-centred data: the `β` minimising
/// `‖y − Xβ‖² + λ‖β‖²`, solved from the normal equations `(XᵀX + λI)β = Xᵀy` by Gaussian
/// elimination with partial pivoting. `rows` are the observations (each of `dims` values). `None`
/// when the system is singular (only possible with `lambda` 0).
pub fn ridge(rows: &[Vec<f64>], y: &[f64], lambda: f64) -> Option<Vec<f64>> {
    let d = rows.first()?.len();
    let mut a = vec![vec![0.0; d + 1]; d];
    for (row, target) in rows.iter().zip(y) {
        for i in 0..d {
            for j in 0..d {
                a[i][j] += row[i] * row[j];
            }
            a[i][d] += row[i] * target;
        }
    }
    for (i, r) in a.iter_mut().enumerate() {
        r[i] += lambda;
    }
    for col in 0..d {
        let pivot = (col..d).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    Some((0..d).map(|i| a[i][d] / a[i][i]).collect())
}

/// Random source for simulations and resampling, seeded.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[10.0, 20.0, 10.0, 5.0]), vec![2.5, 4.0, 2.5, 1.0]);
    }

    #[test]
    fn spearman_of_monotone_series_is_one_and_of_reversed_minus_one() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 8.0, 27.0, 64.0, 125.0];
        assert!((spearman(&x, &y).unwrap_or(0.0) - 1.0).abs() < 1e-12);
        let rev: Vec<f64> = y.iter().rev().copied().collect();
        assert!((spearman(&x, &rev).unwrap_or(0.0) + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&x, &[3.0; 5]), None);
    }

    #[test]
    fn spearman_matches_a_worked_example() {
        // scipy.stats.spearmanr([86, 97, 99, 100, 101, 103, 106, 110, 112, 113],
        //                       [2, 20, 28, 27, 50, 29, 7, 17, 6, 12]) -> -0.17575757575757575
        let x = [
            86.0, 97.0, 99.0, 100.0, 101.0, 103.0, 106.0, 110.0, 112.0, 113.0,
        ];
        let y = [2.0, 20.0, 28.0, 27.0, 50.0, 29.0, 7.0, 17.0, 6.0, 12.0];
        assert!((spearman(&x, &y).unwrap_or(0.0) + 0.175_757_575_757_575_75).abs() < 1e-9);
    }

    #[test]
    fn bootstrap_interval_contains_the_estimate_and_narrows_with_data() {
        let mut r = rng(1);
        let series = |n: usize, r: &mut StdRng| {
            let x: Vec<f64> = (0..n).map(|_| r.random::<f64>()).collect();
            let y: Vec<f64> = x.iter().map(|v| v + r.random::<f64>()).collect();
            (x, y)
        };
        let (x, y) = series(20, &mut r);
        let small = spearman_ci(&x, &y).unwrap_or_else(|| unreachable!());
        assert!(small.low <= small.value && small.value <= small.high);
        let (x, y) = series(400, &mut r);
        let large = spearman_ci(&x, &y).unwrap_or_else(|| unreachable!());
        assert!(large.high - large.low < small.high - small.low);
        assert!(large.low > 0.4, "{large:?}");
    }

    #[test]
    fn quantile_interpolates() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn ridge_without_penalty_solves_least_squares_and_the_penalty_shrinks() {
        let rows = vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 1.0],
            vec![2.0, -1.0],
        ];
        let y: Vec<f64> = rows.iter().map(|r| 3.0 * r[0] - 2.0 * r[1]).collect();
        let b = ridge(&rows, &y, 0.0).unwrap_or_default();
        assert!(
            (b[0] - 3.0).abs() < 1e-9 && (b[1] + 2.0).abs() < 1e-9,
            "{b:?}"
        );
        let shrunk = ridge(&rows, &y, 10.0).unwrap_or_default();
        assert!(shrunk[0].abs() < 3.0 && shrunk[1].abs() < 2.0);
    }
}
