//! L2-regularised logistic regression without intercept, for pairwise models ("does A beat B?" from
//! the feature difference x_A − x_B; each pair enters once each way, so no intercept is needed and
//! the model is antisymmetric). Fitted by gradient descent with Nesterov momentum and the step
//! 1/L from the loss's Lipschitz bound L = max‖x‖²/4 + λ (Nesterov, "Introductory Lectures on Convex
//! Optimization", 2004, §2.2): convex, so it converges to the one optimum whatever the start.
//!
//! reelsmith fits its hook model with it in `reelsmith eval hooks` and `reelsmith-dev fit-hooks`, and
//! the TF-IDF baseline beside it, so the figures come from one procedure in one run.

/// A sparse row: `(feature index, value)`.
pub type Row = Vec<(u32, f64)>;

/// Iterations of gradient descent.
pub const ITERATIONS: usize = 1500;

/// The logistic function 1 / (1 + e^−z).
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn dot(x: &Row, w: &[f64]) -> f64 {
    x.iter().map(|(i, v)| v * w[*i as usize]).sum()
}

/// Fits weights over `dims` features minimising the mean log-loss of "`diffs[k]` is positive"
/// (each difference is also used negated with the opposite label) plus `lambda`/2 ‖w‖².
pub fn fit_pairwise(diffs: &[Row], dims: usize, lambda: f64) -> Vec<f64> {
    let mut w = vec![0.0; dims];
    if diffs.is_empty() {
        return w;
    }
    let max_sq = diffs
        .iter()
        .map(|x| x.iter().map(|(_, v)| v * v).sum::<f64>())
        .fold(0.0, f64::max);
    let step = 1.0 / (max_sq / 4.0 + lambda).max(1e-12);
    let n = diffs.len() as f64;
    let mut y = w.clone();
    let mut t = 1.0f64;
    let mut grad = vec![0.0; dims];
    for _ in 0..ITERATIONS {
        // Gradient at the look-ahead point y. The pair and its mirror give the same gradient term:
        // d/dw [log(1+e^{−w·x}) + log(1+e^{w·(−x)})]/2 = −(1 − σ(w·x)) x.
        grad.iter_mut().for_each(|g| *g = 0.0);
        for x in diffs {
            let coef = -(1.0 - sigmoid(dot(x, &y))) / n;
            for (i, v) in x {
                grad[*i as usize] += coef * v;
            }
        }
        let t_next = (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0;
        for j in 0..dims {
            let w_next = y[j] - step * (grad[j] + lambda * y[j]);
            y[j] = w_next + (t - 1.0) / t_next * (w_next - w[j]);
            w[j] = w_next;
        }
        t = t_next;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_the_direction_that_wins_and_shrinks_with_lambda() {
        // Feature 0 decides the winner; feature 1 is noise.
        let diffs: Vec<Row> = (0..200)
            .map(|k| {
                vec![
                    (0, 1.0 + (k % 3) as f64 * 0.1),
                    (1, if k % 2 == 0 { 0.5 } else { -0.5 }),
                ]
            })
            .collect();
        let w = fit_pairwise(&diffs, 2, 0.01);
        assert!(w[0] > 1.0, "{w:?}");
        assert!(w[1].abs() < 0.1, "{w:?}");
        let strong = fit_pairwise(&diffs, 2, 10.0);
        assert!(strong[0] < w[0] && strong[0] > 0.0, "{strong:?}");
        assert_eq!(fit_pairwise(&[], 3, 1.0), vec![0.0; 3]);
    }
}
