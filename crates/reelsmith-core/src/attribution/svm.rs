//! A linear support vector machine: L2-regularised, squared hinge loss, solved in the dual by
//! coordinate descent — Hsieh et al., "A Dual Coordinate Descent Method for Large-scale Linear SVM"
//! (ICML 2008), the solver liblinear and scikit-learn's `LinearSVC` use by default. Linear SVMs over
//! character and word n-grams are the standard strong method for authorship attribution (Stamatatos,
//! "A survey of modern authorship attribution methods", JASIST 2009).

use super::vectors::Sparse;

/// Regularisation constant C (scikit-learn's default).
pub const C: f32 = 1.0;
/// Stopping tolerance on the projected gradient's spread (liblinear's default for this solver).
const EPS: f32 = 0.1;
/// Most passes over the data (scikit-learn's `max_iter`).
const MAX_PASSES: usize = 1000;

/// A fitted linear classifier: `w·x + bias`.
#[derive(Debug, Clone)]
pub struct Linear {
    /// Weights, one per feature.
    pub w: Vec<f32>,
    /// Intercept (learned as the weight of a constant feature 1, as liblinear does).
    pub bias: f32,
}

impl Linear {
    /// The decision value of `x`: positive for the positive class.
    pub fn decision(&self, x: &Sparse) -> f32 {
        super::vectors::dot(x, &self.w) + self.bias
    }
}

/// Fits `positive[i] ? +1 : −1` on `xs` (vectors over `dims` features). Deterministic: the visiting
/// order is shuffled by a fixed-seed generator.
pub fn fit(xs: &[&Sparse], positive: &[bool], dims: usize) -> Linear {
    let n = xs.len();
    let d_ii = 1.0 / (2.0 * C);
    let mut w = vec![0f32; dims];
    let mut bias = 0f32;
    let mut alpha = vec![0f32; n];
    let y: Vec<f32> = positive
        .iter()
        .map(|p| if *p { 1.0 } else { -1.0 })
        .collect();
    let q: Vec<f32> = xs
        .iter()
        .map(|x| x.iter().map(|(_, v)| v * v).sum::<f32>() + 1.0 + d_ii)
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..MAX_PASSES {
        // Fisher–Yates with a xorshift generator: reproducible across runs and platforms.
        for i in (1..n).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let (mut max_pg, mut min_pg) = (f32::NEG_INFINITY, f32::INFINITY);
        for &i in &order {
            let x = xs[i];
            let g = y[i] * (super::vectors::dot(x, &w) + bias) - 1.0 + d_ii * alpha[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            max_pg = max_pg.max(pg);
            min_pg = min_pg.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (alpha[i] - g / q[i]).max(0.0);
                let step = (alpha[i] - old) * y[i];
                for (j, v) in x {
                    w[*j as usize] += step * v;
                }
                bias += step;
            }
        }
        if max_pg - min_pg < EPS {
            break;
        }
    }
    Linear { w, bias }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_separable_points_and_ranks_by_margin() {
        let xs: Vec<Sparse> = vec![
            vec![(0, 1.0)],
            vec![(0, 0.9), (1, 0.1)],
            vec![(1, 1.0)],
            vec![(0, 0.1), (1, 0.9)],
        ];
        let refs: Vec<&Sparse> = xs.iter().collect();
        let m = fit(&refs, &[true, true, false, false], 2);
        assert!(m.decision(&xs[0]) > 0.0 && m.decision(&xs[1]) > 0.0);
        assert!(m.decision(&xs[2]) < 0.0 && m.decision(&xs[3]) < 0.0);
        assert!(m.decision(&vec![(0, 1.0)]) > m.decision(&vec![(0, 0.5), (1, 0.5)]));
    }
}
