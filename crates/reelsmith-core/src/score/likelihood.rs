//! Language-model evidence for the coherence check: how much more predictable a script's sentences
//! are in their order, after what came before, than each on its own.
//!
//! The measure is the context gain — the pointwise mutual information between each sentence and the
//! sentences before it, summed and divided by the information the sentences carry alone:
//! `Σᵢ (log p(sᵢ | s₍<ᵢ₎) − log p(sᵢ)) / Σᵢ −log p(sᵢ)`. A shuffled script keeps its sentences, so it
//! carries the same information alone but gains less from its (wrong) context, and a script spliced
//! from two gains little where they meet. A fraction of the information saved, comparable across
//! scripts.
//!
//! Tried and left out: a continuity gain (what the first half adds to predicting the second beyond
//! the second's own sentences). Spliced excerpts score lower on it, but shuffled ones score higher
//! than their originals (their first half samples the whole text), and on the fitting speakers it
//! did not help the card.

/// Per-sentence log-probabilities of a script's sentences, in nats (≤ 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Likelihoods {
    /// `log p(sᵢ | s₍<ᵢ₎)`: each sentence after the ones before it.
    pub in_context: Vec<f64>,
    /// `log p(sᵢ)`: each sentence on its own.
    pub alone: Vec<f64>,
    /// The model that computed them.
    pub model: String,
}

impl Likelihoods {
    /// The context gain (see the module doc): about 0.17 for real podcast excerpts and 0.14 for the
    /// same excerpts shuffled (medians, voices corpus). `None` for fewer than two sentences or
    /// lengths that do not match.
    pub fn context_gain(&self) -> Option<f64> {
        let n = self.in_context.len();
        if n < 2 || self.alone.len() != n {
            return None;
        }
        let alone: f64 = -self.alone.iter().sum::<f64>();
        (alone > 0.0).then(|| {
            self.in_context
                .iter()
                .zip(&self.alone)
                .map(|(c, a)| c - a)
                .sum::<f64>()
                / alone
        })
    }
}

/// A language model that can read a script's sentences (the local GGUF model).
pub trait LikelihoodModel: Send + Sync {
    /// Its name, for the card's reasons.
    fn model(&self) -> &str;

    /// The log-probabilities of `sentences` (see [`Likelihoods`]).
    ///
    /// # Errors
    /// A message when the model fails or the text is too long for it.
    fn likelihoods(&self, sentences: &[&str]) -> Result<Likelihoods, String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gain_is_a_fraction_of_the_information_alone() {
        let l = Likelihoods {
            in_context: vec![-10.0, -5.0, -6.0, -4.0],
            alone: vec![-10.0, -10.0, -10.0, -10.0],
            model: "m".into(),
        };
        // (0 + 5 + 4 + 6) / 40
        assert!((l.context_gain().unwrap_or(0.0) - 0.375).abs() < 1e-9);
        let short = Likelihoods {
            in_context: vec![-1.0],
            alone: vec![-1.0],
            model: "m".into(),
        };
        assert_eq!(short.context_gain(), None);
    }

    /// A model that reads every sentence alone at −20 nats and in context at `−20 × (1 − gain)`.
    struct Fixed(Result<f64, String>);

    impl LikelihoodModel for Fixed {
        fn model(&self) -> &str {
            "fixed"
        }
        fn likelihoods(&self, sentences: &[&str]) -> Result<Likelihoods, String> {
            let gain = self.0.clone()?;
            let n = sentences.len();
            let mut in_context = vec![-20.0 * (1.0 - gain); n];
            in_context[0] = -20.0;
            Ok(Likelihoods {
                in_context,
                alone: vec![-20.0; n],
                model: "fixed".into(),
            })
        }
    }

    fn coherence_with(model: Option<&Fixed>) -> crate::score::ScoreCard {
        crate::score::score(&crate::score::ScoreRequest {
            text: "Coffee after 2 pm wrecks your sleep. Caffeine lasts about six hours in the body. \
                   A cup at 4 pm is still half there at 10 pm. Switch to decaf after lunch for a week. \
                   Then see how fast you fall asleep.",
            language: Some("en"),
            likelihood: model.map(|m| crate::score::LikelihoodRef(m as &dyn LikelihoodModel)),
            ..Default::default()
        })
    }

    fn coherence_score(card: &crate::score::ScoreCard) -> f64 {
        card.coherence.as_ref().map_or(-1.0, |c| c.dimension.score)
    }

    #[test]
    fn a_model_that_finds_no_gain_in_the_order_costs_coherence_and_says_why() {
        let likely = coherence_with(Some(&Fixed(Ok(0.3))));
        let unlikely = coherence_with(Some(&Fixed(Ok(0.0))));
        assert!(
            coherence_score(&likely) > coherence_score(&unlikely) + 20.0,
            "{likely:?} vs {unlikely:?}"
        );
        let reasons = unlikely
            .coherence
            .as_ref()
            .map(|c| c.dimension.reasons.join(" | "))
            .unwrap_or_default();
        assert!(
            reasons.contains("fixed finds its sentences only 0 %"),
            "{reasons}"
        );
    }

    #[test]
    fn a_failing_model_is_noted_and_the_card_falls_back_to_the_other_checks() {
        let failed = coherence_with(Some(&Fixed(Err("out of memory".into()))));
        let without = coherence_with(None);
        assert_eq!(coherence_score(&failed), coherence_score(&without));
        assert!(
            failed
                .notes
                .iter()
                .any(|n| n.contains("could not use fixed (out of memory)")),
            "{:?}",
            failed.notes
        );
    }
}
