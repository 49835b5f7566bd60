//! Hook strength: a linear pairwise model over features of the hook line, fitted on real A/B tests of
//! headlines (the Upworthy Research Archive; see `reelsmith eval hooks --fit`) and shipped as
//! `hook_model.json`, so scoring needs no data at run time.
//!
//! The model gives P(this hook beats an average hook) = σ(w · (x − x̄)), where x̄ is the mean feature
//! vector of the training hooks; the hook-strength score is that probability × 100.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::analysis::HOOK_MAX_WORDS;
use crate::hooks::{HookClassification, HookType, classify_hook};
use crate::lexicon::{Lexicon, Pattern};
use crate::text::{fold, padded_words, words};

/// Feature names with the reason shown when a hook is above / below the training mean, in vector order.
pub const FEATURES: [(&str, &str, &str); 16] = [
    (
        "words_ln",
        "fuller hook (up to 12 words)",
        "very short hook",
    ),
    ("question", "asks a question", "no question"),
    ("digit", "has a number", "no number"),
    ("second_person", "talks to “you”", "little “you”"),
    ("first_person", "speaks as “I/we”", "no “I/we”"),
    ("emotion", "high-arousal words", "no high-arousal words"),
    ("curiosity", "curiosity-gap phrasing", "no curiosity gap"),
    ("negative", "negative framing", "no negative framing"),
    ("how_to", "how-to promise", "no how-to promise"),
    ("story", "story opener", "no story opener"),
    ("bold_claim", "bold claim", "no bold claim"),
    ("callout", "direct callout", "no direct callout"),
    (
        "demonstrative",
        "opens on this/here/what/why",
        "no this/here/what/why opening",
    ),
    ("word_length", "long words", "short words"),
    ("quote_colon", "quote or colon", "no quote or colon"),
    ("negation", "negations (not, never, no)", "no negations"),
];

/// Hook length counted by the length feature, words. Headlines grow stronger with length up to a point;
/// a spoken hook must land in about 3 seconds (8–12 words at 150–200 WPM), so length beyond this adds
/// nothing.
pub const LENGTH_CAP_WORDS: usize = 12;

/// Number of features.
pub const N_FEATURES: usize = FEATURES.len();

/// Feature vector of one hook line.
pub fn features(line: &str, lex: Option<&Lexicon>) -> [f64; N_FEATURES] {
    features_with(line, lex, &classify_hook(line, lex))
}

/// [`features`] with the line's hook classification already computed.
pub fn features_with(
    line: &str,
    lex: Option<&Lexicon>,
    class: &HookClassification,
) -> [f64; N_FEATURES] {
    let w = words(line);
    let n = w.len().clamp(1, HOOK_MAX_WORDS) as f64;
    let folded: Vec<String> = w.iter().map(|x| fold(x)).collect();
    let in_list =
        |list: &[&str]| folded.iter().filter(|f| list.contains(&f.as_str())).count() as f64;
    let has = |t: HookType| f64::from(u8::from(class.matched.contains(&t)));
    let padded = padded_words(line);
    let (second, first, emotion) = match lex {
        Some(l) => (
            in_list(l.second_person) / n,
            in_list(l.first_person) / n,
            in_list(l.emotion),
        ),
        None => (0.0, 0.0, 0.0),
    };
    let demonstrative = [
        "this", "these", "here's", "here", "what", "why", "how", "watch", "esto", "este", "esta",
        "asi", "mira",
    ]
    .iter()
    .any(|d| Pattern::Starts(d).matches(&padded));
    let negation = in_list(&[
        "not", "no", "never", "don't", "can't", "won't", "isn't", "nunca", "nada", "nadie", "ni",
    ]);
    let chars: usize = w.iter().map(|x| x.chars().count()).sum();
    [
        (w.len().min(LENGTH_CAP_WORDS) as f64 + 1.0).ln(),
        f64::from(u8::from(line.contains('?'))),
        f64::from(u8::from(line.chars().any(|c| c.is_ascii_digit()))),
        second,
        first,
        emotion,
        has(HookType::CuriosityGap),
        has(HookType::Negative),
        has(HookType::HowTo),
        has(HookType::StoryOpener),
        has(HookType::BoldClaim),
        has(HookType::DirectCallout),
        f64::from(u8::from(demonstrative)),
        chars as f64 / w.len().max(1) as f64,
        f64::from(u8::from(
            line.contains(':') || line.contains('"') || line.contains('“'),
        )),
        negation,
    ]
}

/// A fitted hook model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HookModel {
    /// Feature names, in order (must equal [`FEATURES`]).
    pub features: Vec<String>,
    /// One weight per feature (pairwise logistic regression).
    pub weights: Vec<f64>,
    /// Mean feature vector of the training hooks (x̄).
    pub mean: Vec<f64>,
    /// How the weights were obtained.
    pub source: String,
    /// Cross-validated pairwise winner accuracy (split by test week), 0–1, when fitted.
    pub cv_accuracy: Option<f64>,
    /// Pairwise winner accuracy on the last 20 % of the file's weeks of the same model fitted on
    /// the first 80 % (`reelsmith-dev fit-hooks`), 0–1: the honest figure, quoted on the card.
    #[serde(default)]
    pub forward_accuracy: Option<f64>,
    /// Significant pairs fitted on.
    pub pairs: usize,
    /// Word weights (folded unigrams, sorted by word): each word present in the hook adds its weight to
    /// w · x.
    #[serde(default)]
    pub vocabulary: Vec<(String, f64)>,
    /// Mean over the training hooks of the summed word weights (centres the vocabulary part).
    #[serde(default)]
    pub vocabulary_mean: f64,
    /// The model over the hand features and the hook's sentence embedding, used when an embedding
    /// model is at hand and the hook is in English (the A/B data's language).
    #[serde(default)]
    pub semantic: Option<SemanticHead>,
}

/// A pairwise logistic model over the standardised hand features and the hook's sentence embedding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SemanticHead {
    /// The embedding model the weights belong to (e.g. `all-MiniLM-L6-v2`).
    pub embedding_model: String,
    /// Weights of the hand features, standardised by [`SemanticHead::scale`] around the model's mean.
    pub feature_weights: Vec<f64>,
    /// Standard deviation of each hand feature over the training hooks.
    pub scale: Vec<f64>,
    /// One weight per embedding dimension.
    pub embedding_weights: Vec<f64>,
    /// Mean embedding of the training hooks (centres the embedding part).
    pub embedding_mean: Vec<f64>,
    /// L2 strength chosen by cross-validation over the training weeks.
    pub lambda: f64,
    /// Pairwise accuracy on the last 20 % of weeks when fitted on the first 80 %, 0–1.
    pub forward_accuracy: Option<f64>,
}

impl SemanticHead {
    /// The linear score of a hook with features `x` (raw) and embedding `e`, centred on the
    /// training hooks (`mean` is the hand features' mean).
    pub fn logit(&self, x: &[f64; N_FEATURES], mean: &[f64], e: &[f32]) -> f64 {
        let f: f64 = (0..N_FEATURES)
            .map(|i| self.feature_weights[i] * (x[i] - mean[i]) / self.scale[i].max(1e-9))
            .sum();
        let emb: f64 = self
            .embedding_weights
            .iter()
            .zip(e)
            .zip(&self.embedding_mean)
            .map(|((w, v), m)| w * (f64::from(*v) - m))
            .sum();
        f + emb
    }

    /// Whether its vectors fit the hand features and `dims`-dimensional embeddings.
    pub fn fits(&self, dims: usize) -> bool {
        self.feature_weights.len() == N_FEATURES
            && self.scale.len() == N_FEATURES
            && self.embedding_weights.len() == dims
            && self.embedding_mean.len() == dims
    }
}

/// The distinct folded words of a hook line, sorted (the vocabulary part's input).
pub fn hook_tokens(line: &str) -> Vec<String> {
    let mut t: Vec<String> = words(line).iter().map(|w| fold(w)).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// A scored hook.
#[derive(Debug, Clone, PartialEq)]
pub struct HookScore {
    /// P(beats an average hook) × 100.
    pub score: f64,
    /// The features that moved the score most, with their signed effect in points.
    pub reasons: Vec<String>,
}

static DEFAULT: OnceLock<HookModel> = OnceLock::new();

impl HookModel {
    /// The model shipped in the repository (`hook_model.json`).
    pub fn default_model() -> &'static HookModel {
        DEFAULT.get_or_init(|| {
            serde_json::from_str::<HookModel>(include_str!("hook_model.json"))
                .ok()
                .filter(HookModel::is_valid)
                .unwrap_or_else(HookModel::neutral)
        })
    }

    /// A model that scores every hook 50 (used only if the shipped file were unreadable; a unit test
    /// guarantees it is not).
    pub fn neutral() -> HookModel {
        HookModel {
            features: FEATURES.iter().map(|(n, _, _)| (*n).to_string()).collect(),
            weights: vec![0.0; N_FEATURES],
            mean: vec![0.0; N_FEATURES],
            source: "neutral (no fitted model)".into(),
            cv_accuracy: None,
            forward_accuracy: None,
            pairs: 0,
            vocabulary: Vec::new(),
            vocabulary_mean: 0.0,
            semantic: None,
        }
    }

    /// Scores a hook line with the semantic head, given the line's embedding by
    /// [`SemanticHead::embedding_model`]; `None` when the model has no semantic head or the
    /// embedding does not fit it.
    pub fn score_semantic(
        &self,
        line: &str,
        lex: Option<&Lexicon>,
        class: &HookClassification,
        embedding: &[f32],
    ) -> Option<HookScore> {
        let head = self.semantic.as_ref().filter(|h| h.fits(embedding.len()))?;
        let x = features_with(line, lex, class);
        let logit = head.logit(&x, &self.mean, embedding);
        let mut reasons = self.score_with(line, lex, class).reasons;
        // The hand-feature reasons stay; the word-choice line (the base model's vocabulary, not
        // used here) and the line naming the model go.
        reasons.pop();
        if !self.vocabulary.is_empty() {
            reasons.pop();
        }
        reasons.push(format!(
            "scored with the meaning of the hook (sentence embedding, {}) and its features; picks the winner of real headline A/B tests {} on later weeks",
            head.embedding_model,
            head.forward_accuracy
                .map_or_else(|| "an unmeasured share of the time".to_string(), |a| format!("{:.1} % of the time", a * 100.0))
        ));
        Some(HookScore {
            score: 100.0 / (1.0 + (-logit).exp()),
            reasons,
        })
    }

    /// Sum of the vocabulary weights of the words in `tokens` (sorted, distinct: see [`hook_tokens`]).
    pub fn vocabulary_score(&self, tokens: &[String]) -> f64 {
        self.vocabulary_hits(tokens).map(|(_, v)| v).sum()
    }

    /// The vocabulary entries of the words in `tokens`.
    fn vocabulary_hits<'m>(
        &'m self,
        tokens: &'m [String],
    ) -> impl Iterator<Item = &'m (String, f64)> + 'm {
        tokens.iter().filter_map(|t| {
            self.vocabulary
                .binary_search_by(|(w, _)| w.as_str().cmp(t))
                .ok()
                .map(|i| &self.vocabulary[i])
        })
    }

    /// The full linear score of a hook line: w · x plus its word weights (for pairwise comparisons).
    pub fn raw_line(&self, line: &str, lex: Option<&Lexicon>) -> f64 {
        self.raw(&features(line, lex)) + self.vocabulary_score(&hook_tokens(line))
    }

    /// Whether the model has one weight and one mean per known feature, in order, and a vocabulary
    /// sorted by word.
    pub fn is_valid(&self) -> bool {
        self.vocabulary.is_sorted_by(|a, b| a.0 < b.0)
            && self.weights.len() == N_FEATURES
            && self.mean.len() == N_FEATURES
            && self
                .features
                .iter()
                .map(String::as_str)
                .eq(FEATURES.iter().map(|(n, _, _)| *n))
    }

    /// The linear score w · x for a feature vector (used for pairwise comparisons).
    pub fn raw(&self, x: &[f64; N_FEATURES]) -> f64 {
        self.weights.iter().zip(x).map(|(w, v)| w * v).sum()
    }

    /// Scores a hook line with reasons.
    pub fn score(&self, line: &str, lex: Option<&Lexicon>) -> HookScore {
        self.score_with(line, lex, &classify_hook(line, lex))
    }

    /// [`HookModel::score`] with the line's hook classification already computed.
    pub fn score_with(
        &self,
        line: &str,
        lex: Option<&Lexicon>,
        class: &HookClassification,
    ) -> HookScore {
        let x = features_with(line, lex, class);
        let contrib: Vec<f64> = (0..N_FEATURES)
            .map(|i| self.weights[i] * (x[i] - self.mean[i]))
            .collect();
        let tokens = hook_tokens(line);
        let words_part = self.vocabulary_score(&tokens) - self.vocabulary_mean;
        let logit: f64 = contrib.iter().sum::<f64>() + words_part;
        let p = 1.0 / (1.0 + (-logit).exp());
        let mut order: Vec<usize> = (0..N_FEATURES)
            .filter(|i| contrib[*i].abs() > 1e-3)
            .collect();
        order.sort_by(|a, b| contrib[*b].abs().total_cmp(&contrib[*a].abs()));
        let mut reasons: Vec<String> = order
            .iter()
            .take(3)
            .map(|i| {
                // Effect in points: how far this feature alone moves P away from 50.
                let pts = 100.0 / (1.0 + (-contrib[*i]).exp()) - 50.0;
                let (_, high, low) = FEATURES[*i];
                format!(
                    "{:+.0}: {}",
                    pts,
                    if x[*i] > self.mean[*i] { high } else { low }
                )
            })
            .collect();
        if !self.vocabulary.is_empty() {
            let mut hits: Vec<&(String, f64)> = self.vocabulary_hits(&tokens).collect();
            hits.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            let pts = 100.0 / (1.0 + (-words_part).exp()) - 50.0;
            if hits.is_empty() {
                reasons.push(format!(
                    "{pts:+.0}: no words the A/B data favours or penalises"
                ));
            } else {
                let named: Vec<String> = hits
                    .iter()
                    .take(3)
                    .map(|(w, v)| format!("“{w}” {v:+.2}"))
                    .collect();
                reasons.push(format!("{pts:+.0}: word choice ({})", named.join(", ")));
            }
        }
        reasons.push(match (self.forward_accuracy, self.cv_accuracy) {
            (Some(acc), _) => format!(
                "words-and-features model fitted on {} real headline A/B pairs; fitted on the earlier 80 % of their weeks, it picked the winner {:.1} % of the time on the later ones",
                self.pairs,
                acc * 100.0
            ),
            (None, Some(acc)) => format!(
                "words-and-features model fitted on {} real headline A/B pairs; picks the winner {:.1} % of the time cross-validated by week",
                self.pairs,
                acc * 100.0
            ),
            (None, None) => format!("model: {}", self.source),
        });
        HookScore {
            score: p * 100.0,
            reasons,
        }
    }
}
