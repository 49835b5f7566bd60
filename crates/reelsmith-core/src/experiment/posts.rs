//! An experiment's posts: the arms they make, and what besides the variants may explain a
//! difference (confounders).

use super::Arm;

/// A posted variant's post as the experiment sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantPost {
    /// The variant's label.
    pub label: String,
    /// The post's outcome, when it has settled metrics.
    pub outcome: Option<crate::outcome::Outcome>,
    /// Its platform.
    pub platform: crate::platform::Platform,
    /// Local weekday (0 = Monday) and hour it was posted, when known.
    pub slot: Option<(usize, u32)>,
    /// Its age at the latest metrics snapshot, seconds.
    pub age_s: Option<f64>,
}

/// Hours apart two posting times may be and still count as the same time of day.
pub const SAME_HOUR_WINDOW: u32 = 2;
/// Ratio of metric ages (older ÷ younger) above which metrics are flagged as taken at different
/// ages.
pub const AGE_RATIO: f64 = 2.0;

fn of_label<'a>(posts: &'a [VariantPost], label: &'a str) -> impl Iterator<Item = &'a VariantPost> {
    posts.iter().filter(move |p| p.label == label)
}

/// What may explain a difference besides the variants: different weekdays or hours, different
/// platforms, metrics taken at different ages — each in words.
pub fn confounders(posts: &[VariantPost]) -> Vec<String> {
    let mut out = Vec::new();
    let labels: Vec<&str> = {
        let mut l: Vec<&str> = posts.iter().map(|p| p.label.as_str()).collect();
        l.sort_unstable();
        l.dedup();
        l
    };
    let platforms: std::collections::BTreeSet<&str> = posts
        .iter()
        .map(|p| crate::platform::Named::as_str(p.platform))
        .collect();
    let per_variant_platforms: Vec<std::collections::BTreeSet<&str>> = labels
        .iter()
        .map(|l| {
            of_label(posts, l)
                .map(|p| crate::platform::Named::as_str(p.platform))
                .collect()
        })
        .collect();
    if platforms.len() > 1 && per_variant_platforms.windows(2).any(|w| w[0] != w[1]) {
        out.push(format!(
            "different platforms ({}): each platform's audience differs, compare variants on the same one",
            platforms.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let weekdays: Vec<std::collections::BTreeSet<usize>> = labels
        .iter()
        .map(|l| {
            of_label(posts, l)
                .filter_map(|p| p.slot.map(|s| s.0))
                .collect()
        })
        .collect();
    if weekdays.iter().all(|w| !w.is_empty())
        && weekdays.windows(2).any(|w| w[0].is_disjoint(&w[1]))
    {
        out.push("posted on different weekdays: the day may explain the difference".into());
    }
    let mean_hour = |l: &str| {
        let hours: Vec<f64> = of_label(posts, l)
            .filter_map(|p| p.slot.map(|s| f64::from(s.1)))
            .collect();
        (!hours.is_empty()).then(|| hours.iter().sum::<f64>() / hours.len() as f64)
    };
    let hours: Vec<f64> = labels.iter().filter_map(|l| mean_hour(l)).collect();
    if hours.len() == labels.len() && hours.len() > 1 {
        let (lo, hi) = hours
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), h| (a.min(*h), b.max(*h)));
        if hi - lo > f64::from(SAME_HOUR_WINDOW) {
            out.push(format!(
                "posted at different hours (on average {lo:.0}:00 to {hi:.0}:00): the hour may explain the difference"
            ));
        }
    }
    let ages: Vec<f64> = posts
        .iter()
        .filter_map(|p| p.age_s)
        .filter(|a| *a > 0.0)
        .collect();
    if ages.len() > 1 {
        let (lo, hi) = ages
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
        if hi / lo > AGE_RATIO {
            out.push(format!(
                "metrics taken at different ages ({:.0} to {:.0} days after posting): older posts had longer to gather views; import a newer export",
                lo / 86_400.0,
                hi / 86_400.0
            ));
        }
    }
    out
}

/// The arms of an experiment from its posts (labels in order of first appearance; posts without a
/// settled outcome are left out) and the spread of the creator's settled outcomes (for the σ
/// prior).
pub fn arms_of(
    posts: &[VariantPost],
    creator: &[crate::outcome::Outcome],
) -> (Vec<Arm>, Option<f64>) {
    let mut arms: Vec<Arm> = Vec::new();
    for p in posts {
        let i = match arms.iter().position(|a| a.label == p.label) {
            Some(i) => i,
            None => {
                arms.push(Arm {
                    label: p.label.clone(),
                    outcomes: Vec::new(),
                });
                arms.len() - 1
            }
        };
        if let Some(o) = p.outcome.as_ref().filter(|o| o.settled) {
            arms[i].outcomes.push(o.log_lift);
        }
    }
    let lifts: Vec<f64> = creator
        .iter()
        .filter(|o| o.settled)
        .map(|o| o.log_lift)
        .collect();
    let sigma = (lifts.len() >= 5).then(|| {
        let m = lifts.iter().sum::<f64>() / lifts.len() as f64;
        (lifts.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (lifts.len() - 1) as f64).sqrt()
    });
    (arms, sigma)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vp(
        label: &str,
        platform: crate::platform::Platform,
        slot: (usize, u32),
        age_days: f64,
    ) -> VariantPost {
        VariantPost {
            label: label.into(),
            outcome: None,
            platform,
            slot: Some(slot),
            age_s: Some(age_days * 86_400.0),
        }
    }

    #[test]
    fn confounders_are_flagged_in_words() {
        use crate::platform::Platform::{Reels, Tiktok};
        let fair = [vp("A", Reels, (1, 18), 10.0), vp("B", Reels, (1, 19), 12.0)];
        assert!(confounders(&fair).is_empty(), "{:?}", confounders(&fair));
        let unfair = [vp("A", Reels, (1, 9), 2.0), vp("B", Tiktok, (5, 21), 30.0)];
        let flags = confounders(&unfair);
        assert_eq!(flags.len(), 4, "{flags:?}");
        assert!(
            flags[0].starts_with("different platforms (reels, tiktok)"),
            "{flags:?}"
        );
        assert!(flags.iter().any(|f| f.contains("different weekdays")));
        assert!(flags.iter().any(|f| f.contains("9:00 to 21:00")));
        assert!(flags.iter().any(|f| f.contains("2 to 30 days")));
    }

    fn outcome(log_lift: f64, settled: bool) -> crate::outcome::Outcome {
        crate::outcome::Outcome {
            post_id: 0,
            platform: crate::platform::Platform::Reels,
            posted_at: None,
            measure: crate::outcome::Measure::Views,
            value: 1,
            baseline: 1.0,
            baseline_posts: 1,
            windowed: false,
            lift: 2f64.powf(log_lift),
            log_lift,
            engagement_rate: None,
            percentile: 50.0,
            settled,
        }
    }

    #[test]
    fn arms_keep_their_order_and_only_settled_outcomes() {
        let post = |label: &str, o: Option<crate::outcome::Outcome>| VariantPost {
            outcome: o,
            ..vp(label, crate::platform::Platform::Reels, (1, 18), 10.0)
        };
        let posts = [
            post("B", Some(outcome(1.0, true))),
            post("A", Some(outcome(0.0, true))),
            post("B", Some(outcome(5.0, false))),
            post("A", None),
        ];
        let creator: Vec<_> = [0.0, 1.0, -1.0, 2.0, -2.0]
            .iter()
            .map(|&v| outcome(v, true))
            .collect();
        let (arms, sigma) = arms_of(&posts, &creator);
        assert_eq!(
            arms.iter().map(|a| a.label.as_str()).collect::<Vec<_>>(),
            ["B", "A"]
        );
        assert_eq!(arms[0].outcomes, vec![1.0]);
        assert_eq!(arms[1].outcomes, vec![0.0]);
        // sample sd of 0, ±1, ±2 = sqrt(10 / 4)
        assert!((sigma.unwrap_or(0.0) - 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(arms_of(&posts, &creator[..4]).1, None);
    }
}
