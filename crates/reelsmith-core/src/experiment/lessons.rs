//! What a won experiment teaches: the winning variant's pattern — its hook type, its call to action
//! or its length band — becomes a preference of the persona, with the experiments behind it.
//! Retrieval prefers examples that share a preferred pattern and the instruct prompt names it.
//!
//! A win teaches a pattern only when no losing variant shares it: if the model ignored "open with a
//! question" and both variants opened with a bold claim, the experiment compared two scripts, not
//! two hook types, and teaches nothing about hooks.

use serde::Serialize;

use crate::analysis::{ScriptAnalysis, analyze};
use crate::cta::CtaType;
use crate::hooks::HookType;
use crate::lexicon::Lexicon;

/// The hook types a hook experiment asks its variants for, in variant order (A, B, …), each with
/// the requirement its variant's request carries. A request with one of these requirements gets
/// examples that open that way first, and the card checks the hook's type rather than the
/// requirement's meaning.
pub const HOOK_INSTRUCTIONS: [(HookType, &str); 5] = [
    (HookType::Question, "open with a question"),
    (HookType::BoldClaim, "open with a bold claim"),
    (
        HookType::NumberStatistic,
        "open with a number or a statistic",
    ),
    (
        HookType::StoryOpener,
        "open with a short story from your own life",
    ),
    (
        HookType::Negative,
        "open by telling viewers to stop doing something",
    ),
];
/// The calls to action a CTA experiment asks its variants for; see [`HOOK_INSTRUCTIONS`].
pub const CTA_INSTRUCTIONS: [(CtaType, &str); 5] = [
    (CtaType::Follow, "end by asking viewers to follow"),
    (CtaType::Save, "end by asking viewers to save it"),
    (
        CtaType::Comment,
        "end by asking a question for the comments",
    ),
    (
        CtaType::Share,
        "end by asking viewers to share it with someone",
    ),
    (CtaType::LinkInBio, "end by pointing to the link in bio"),
];

use super::{Analysis, StoredExperiment, Vary, Verdict};

/// Spoken length bands of a length experiment, seconds. The bounds split the lengths reelsmith's
/// length experiments write from a 30 s base (`LENGTH_FACTORS` of the app: 18, 24, 30, 38, 45 s)
/// into three bands.
pub const SHORT_BELOW_S: f64 = 20.0;
/// See [`SHORT_BELOW_S`].
pub const LONG_ABOVE_S: f64 = 40.0;

/// A script's spoken length band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthBand {
    /// Under [`SHORT_BELOW_S`].
    Short,
    /// From [`SHORT_BELOW_S`] to [`LONG_ABOVE_S`].
    Medium,
    /// Over [`LONG_ABOVE_S`].
    Long,
}

impl LengthBand {
    /// The band of a spoken length in seconds.
    pub fn of(duration_s: f64) -> LengthBand {
        if duration_s < SHORT_BELOW_S {
            LengthBand::Short
        } else if duration_s > LONG_ABOVE_S {
            LengthBand::Long
        } else {
            LengthBand::Medium
        }
    }

    /// In words, e.g. `short (under 20 s)`.
    pub fn label(self) -> String {
        match self {
            LengthBand::Short => format!("short (under {SHORT_BELOW_S:.0} s)"),
            LengthBand::Medium => format!("medium ({SHORT_BELOW_S:.0}–{LONG_ABOVE_S:.0} s)"),
            LengthBand::Long => format!("long (over {LONG_ABOVE_S:.0} s)"),
        }
    }
}

/// What a variant does in the dimension its experiment varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Pattern {
    /// The hook's primary type.
    Hook(HookType),
    /// The call to action's first (most specific) type.
    Cta(CtaType),
    /// The spoken length band.
    Length(LengthBand),
}

impl Pattern {
    /// The pattern of a script in the dimension `vary`: `text` is the spoken script, `duration_s`
    /// its spoken length in seconds, `lexicon` its language's. `None` for a script with no call to
    /// action in a CTA experiment.
    pub fn of(vary: Vary, text: &str, duration_s: f64, lexicon: Option<&Lexicon>) -> Option<Self> {
        match vary {
            Vary::Hook => Some(Pattern::Hook(analyze(text, lexicon).hook_type.primary)),
            Vary::Cta => analyze(text, lexicon)
                .cta
                .types
                .first()
                .map(|t| Pattern::Cta(*t)),
            Vary::Length => Some(Pattern::Length(LengthBand::of(duration_s))),
        }
    }

    /// The pattern a requirement asks for, when it is one of [`HOOK_INSTRUCTIONS`] or
    /// [`CTA_INSTRUCTIONS`] (case and surrounding space ignored).
    pub fn of_requirement(requirement: &str) -> Option<Self> {
        let r = requirement.trim().trim_end_matches('.').to_lowercase();
        HOOK_INSTRUCTIONS
            .iter()
            .find(|(_, i)| *i == r)
            .map(|(h, _)| Pattern::Hook(*h))
            .or_else(|| {
                CTA_INSTRUCTIONS
                    .iter()
                    .find(|(_, i)| *i == r)
                    .map(|(c, _)| Pattern::Cta(*c))
            })
    }

    /// Whether a script with analysis `a` and spoken length `duration_s` (seconds) has this
    /// pattern: its hook matches the type (primary or not: "Why do 73 % of nurses crash?" is a
    /// question and a number), its call to action includes the type, its length is in the band.
    pub fn matched_by(self, a: &ScriptAnalysis, duration_s: f64) -> bool {
        match self {
            Pattern::Hook(h) => a.hook_type.matched.contains(&h),
            Pattern::Cta(c) => a.cta.types.contains(&c),
            Pattern::Length(b) => LengthBand::of(duration_s) == b,
        }
    }

    /// [`Pattern::matched_by`] on `text` in the language of `lexicon`.
    pub fn matches(self, text: &str, duration_s: f64, lexicon: Option<&Lexicon>) -> bool {
        match self {
            Pattern::Length(b) => LengthBand::of(duration_s) == b,
            _ => self.matched_by(&analyze(text, lexicon), duration_s),
        }
    }

    /// A variant's pattern in the dimension `vary`: the pattern its request asked for
    /// (`requirements`) when the script has it, else the script's own ([`Pattern::of`]).
    pub fn of_variant(
        vary: Vary,
        requirements: &[String],
        text: &str,
        duration_s: f64,
        lexicon: Option<&Lexicon>,
    ) -> Option<Self> {
        requirements
            .iter()
            .filter_map(|r| Pattern::of_requirement(r))
            .find(|p| p.vary() == vary && p.matches(text, duration_s, lexicon))
            .or_else(|| Pattern::of(vary, text, duration_s, lexicon))
    }

    /// What the experiment varied.
    pub fn vary(self) -> Vary {
        match self {
            Pattern::Hook(_) => Vary::Hook,
            Pattern::Cta(_) => Vary::Cta,
            Pattern::Length(_) => Vary::Length,
        }
    }

    /// In words, e.g. `a question hook`, `a "save" call to action`, `a short (under 20 s) script`.
    pub fn label(self) -> String {
        match self {
            Pattern::Hook(h) => format!("a {} hook", h.label()),
            Pattern::Cta(c) => format!("a “{}” call to action", c.label()),
            Pattern::Length(b) => format!("a {} script", b.label()),
        }
    }
}

/// One won experiment behind a preference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Win {
    /// The experiment's id.
    pub experiment_id: i64,
    /// Its idea.
    pub topic: String,
    /// The winning variant's label.
    pub winner: String,
    /// The labels of the variants it beat.
    pub beat: Vec<String>,
    /// The winner's posterior probability of being the best, 0–1.
    pub p_best: f64,
    /// Posts of the winner with settled metrics.
    pub posts: usize,
}

/// A pattern that won at least one of the persona's experiments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preference {
    /// The pattern.
    pub pattern: Pattern,
    /// It in words (see [`Pattern::label`]).
    pub label: String,
    /// The experiments it won, newest first.
    pub wins: Vec<Win>,
}

impl Preference {
    /// One line for a prompt or a report: `a question hook (won experiment 4: “caffeine on nights”,
    /// B beat A, P(best) 97 %)`.
    pub fn evidence(&self) -> String {
        let wins: Vec<String> = self
            .wins
            .iter()
            .map(|w| {
                format!(
                    "won experiment {}: “{}”, {} beat {}, P(best) {:.0} %",
                    w.experiment_id,
                    w.topic,
                    w.winner,
                    w.beat.join(" and "),
                    w.p_best * 100.0
                )
            })
            .collect();
        format!("{} ({})", self.label, wins.join("; "))
    }
}

/// One analysed experiment: the experiment, its analysis and each variant's pattern (in the order
/// of `experiment.variants`; `None` when unknown, e.g. a variant that is not a stored script).
#[derive(Debug, Clone)]
pub struct Analysed<'a> {
    /// The experiment.
    pub experiment: &'a StoredExperiment,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// Each variant's pattern.
    pub patterns: Vec<Option<Pattern>>,
}

/// The persona's preferences from its analysed experiments: each won experiment whose winner's
/// pattern no losing variant shares adds a win to that pattern. Most wins first, then newest.
pub fn preferences(analysed: &[Analysed<'_>]) -> Vec<Preference> {
    let mut out: Vec<Preference> = Vec::new();
    for a in analysed {
        let Verdict::Winner { label } = &a.analysis.verdict else {
            continue;
        };
        let variants = &a.experiment.variants;
        let Some(w) = variants.iter().position(|v| &v.label == label) else {
            continue;
        };
        let Some(Some(pattern)) = a.patterns.get(w).copied() else {
            continue;
        };
        let shared = a
            .patterns
            .iter()
            .enumerate()
            .any(|(i, p)| i != w && *p == Some(pattern));
        if shared {
            continue;
        }
        let arm = a.analysis.arms.iter().find(|r| &r.label == label);
        let win = Win {
            experiment_id: a.experiment.id,
            topic: a.experiment.topic.clone(),
            winner: label.clone(),
            beat: variants
                .iter()
                .filter(|v| &v.label != label)
                .map(|v| v.label.clone())
                .collect(),
            p_best: arm.map_or(0.0, |r| r.p_best),
            posts: arm.map_or(0, |r| r.posts),
        };
        match out.iter_mut().find(|p| p.pattern == pattern) {
            Some(p) => p.wins.push(win),
            None => out.push(Preference {
                pattern,
                label: pattern.label(),
                wins: vec![win],
            }),
        }
    }
    for p in &mut out {
        p.wins.sort_by_key(|w| std::cmp::Reverse(w.experiment_id));
    }
    out.sort_by(|a, b| {
        b.wins
            .len()
            .cmp(&a.wins.len())
            .then(b.wins[0].experiment_id.cmp(&a.wins[0].experiment_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Arm, StoredVariant, analyze as analyze_arms};
    use crate::lexicon::lexicon;

    fn experiment(id: i64, labels: &[&str]) -> StoredExperiment {
        StoredExperiment {
            id,
            persona: "maya".into(),
            topic: format!("idea {id}"),
            vary: Vary::Hook,
            created_at: chrono::Utc::now(),
            variants: labels
                .iter()
                .map(|l| StoredVariant {
                    label: (*l).into(),
                    generation_id: None,
                    post_ids: Vec::new(),
                })
                .collect(),
        }
    }

    fn arms(a: &[f64], b: &[f64]) -> Vec<Arm> {
        vec![
            Arm {
                label: "A".into(),
                outcomes: a.to_vec(),
            },
            Arm {
                label: "B".into(),
                outcomes: b.to_vec(),
            },
        ]
    }

    #[test]
    fn patterns_of_scripts() {
        let en = lexicon("en");
        let q = "Why do nurses crash at 4 am? Caffeine timing. Save this for your next shift.";
        let claim = "Coffee after 2 am ruins your sleep. Here is why. Follow for more.";
        assert_eq!(
            Pattern::of(Vary::Hook, q, 30.0, en),
            Some(Pattern::Hook(HookType::NumberStatistic))
        );
        assert_eq!(
            Pattern::of(Vary::Cta, q, 30.0, en),
            Some(Pattern::Cta(CtaType::Save))
        );
        assert_eq!(
            Pattern::of(Vary::Cta, claim, 30.0, en),
            Some(Pattern::Cta(CtaType::Follow))
        );
        assert_eq!(
            Pattern::of(Vary::Cta, "No call here. Just words.", 9.0, en),
            None
        );
        assert_eq!(
            Pattern::of(Vary::Length, q, 18.0, en),
            Some(Pattern::Length(LengthBand::Short))
        );
        assert_eq!(LengthBand::of(30.0), LengthBand::Medium);
        assert_eq!(LengthBand::of(45.0), LengthBand::Long);
        // Asked for a question, a hook that is a question and a number is the question asked for.
        let asked = vec!["Open with a question.".to_string()];
        assert_eq!(
            Pattern::of_requirement(&asked[0]),
            Some(Pattern::Hook(HookType::Question))
        );
        assert_eq!(
            Pattern::of_variant(Vary::Hook, &asked, q, 30.0, en),
            Some(Pattern::Hook(HookType::Question))
        );
        assert_eq!(
            Pattern::of_variant(Vary::Hook, &asked, claim, 30.0, en),
            Pattern::of(Vary::Hook, claim, 30.0, en),
            "not met: the script's own"
        );
        assert!(Pattern::Cta(CtaType::Save).matches(q, 30.0, en));
        assert!(!Pattern::Cta(CtaType::Save).matches(claim, 30.0, en));
        assert_eq!(Pattern::of_requirement("mention the free guide"), None);
        for (h, i) in HOOK_INSTRUCTIONS {
            assert_eq!(Pattern::of_requirement(i), Some(Pattern::Hook(h)));
        }
        for (c, i) in CTA_INSTRUCTIONS {
            assert_eq!(Pattern::of_requirement(i), Some(Pattern::Cta(c)));
        }
    }

    #[test]
    fn only_a_clear_win_with_a_distinct_pattern_teaches() {
        let strong = [1.6, 1.9, 2.1, 1.8, 2.0, 1.7, 2.2, 1.9];
        let flat = [0.0, -0.2, 0.1, 0.2, -0.1, 0.0, 0.1, -0.1];
        let won = analyze_arms(&arms(&flat, &strong), Some(0.3));
        assert!(matches!(&won.verdict, Verdict::Winner { label } if label == "B"));
        let unclear = analyze_arms(&arms(&flat[..2], &strong[..2]), None);
        assert!(!matches!(unclear.verdict, Verdict::Winner { .. }));
        let question = Some(Pattern::Hook(HookType::Question));
        let claim = Some(Pattern::Hook(HookType::BoldClaim));
        let (e1, e2, e3, e4) = (
            experiment(1, &["A", "B"]),
            experiment(2, &["A", "B"]),
            experiment(3, &["A", "B"]),
            experiment(4, &["A", "B"]),
        );
        let prefs = preferences(&[
            // Won by a question over a claim: teaches.
            Analysed {
                experiment: &e1,
                analysis: &won,
                patterns: vec![claim, question],
            },
            // Both variants opened with a question: no lesson about hooks.
            Analysed {
                experiment: &e2,
                analysis: &won,
                patterns: vec![question, question],
            },
            // No winner yet: no lesson.
            Analysed {
                experiment: &e3,
                analysis: &unclear,
                patterns: vec![claim, question],
            },
            // A second win for the question.
            Analysed {
                experiment: &e4,
                analysis: &won,
                patterns: vec![claim, question],
            },
        ]);
        assert_eq!(prefs.len(), 1, "{prefs:?}");
        assert_eq!(prefs[0].pattern, Pattern::Hook(HookType::Question));
        let ids: Vec<i64> = prefs[0].wins.iter().map(|w| w.experiment_id).collect();
        assert_eq!(ids, vec![4, 1]);
        assert_eq!(prefs[0].wins[0].beat, vec!["A".to_string()]);
        assert!(prefs[0].wins[0].p_best >= 0.95);
        let line = prefs[0].evidence();
        assert!(
            line.starts_with("a question hook (won experiment 4"),
            "{line}"
        );
    }
}
