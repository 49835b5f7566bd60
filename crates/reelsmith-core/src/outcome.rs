//! How a post did against the creator's own baseline: the outcome that scores are calibrated on,
//! retrieval prefers and the best time to post is read from.
//!
//! **Lift.** A post's views divided by the median views of the same account's posts on the same
//! platform posted within [`WINDOW_DAYS`] days either side of it (a reach that grows or shrinks over
//! months moves the baseline with it). With fewer than [`MIN_BASELINE_POSTS`] posts in that window
//! the baseline is all of the account's posts on the platform. Posts without views use their
//! interactions (likes + comments + shares + saves) the same way. The outcome is `log2(lift)`: 0 at
//! the creator's median, +1 for twice it, −1 for half.
//!
//! **Engagement rate** = (likes + comments + shares + saves) ÷ reach, or ÷ views when the export has
//! no reach — "engagement rate by reach", as Iconosquare defines it
//! (support.iconosquare.com, "How are the Facebook Engagement/Reach Rates calculated?") and the
//! Instagram engagement-rate calculators use it with the saves counted.
//!
//! **Still growing.** A post younger than [`SETTLED_AGE_S`] at its latest snapshot has not had its
//! views yet; it gets an outcome but is left out of baselines, calibration and best-time slots.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::performance::{Metrics, StoredPost};
use crate::platform::Platform;

/// Half-width of the baseline window around a post, days (±45: a 90-day window, the span of
/// Instagram's insights export).
pub const WINDOW_DAYS: i64 = 45;

/// Posts a window needs before its median is the baseline; with fewer the baseline is all the
/// account's posts on the platform.
pub const MIN_BASELINE_POSTS: usize = 5;

/// Age below which a post is still growing, seconds (3 days: short-form videos get most of their
/// views in their first days).
pub const SETTLED_AGE_S: f64 = 3.0 * 86_400.0;

/// What a lift counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Plays or views.
    Views,
    /// Likes + comments + shares + saves (the export has no views).
    Interactions,
}

/// One post's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The post's id.
    pub post_id: i64,
    /// Its platform.
    pub platform: Platform,
    /// When it was posted.
    pub posted_at: Option<DateTime<Utc>>,
    /// What was counted.
    pub measure: Measure,
    /// The post's count.
    pub value: u64,
    /// The median count of its baseline posts.
    pub baseline: f64,
    /// Posts in the baseline.
    pub baseline_posts: usize,
    /// Whether the baseline is the ±[`WINDOW_DAYS`] window (`false`: all the platform's posts).
    pub windowed: bool,
    /// `value / baseline`.
    pub lift: f64,
    /// `log2(lift)`, the outcome calibration and retrieval use (a zero count is floored at half of
    /// one: `log2(0.5 / baseline)`).
    pub log_lift: f64,
    /// Engagement rate (fraction, 0–1 for most posts), when views or reach are known.
    pub engagement_rate: Option<f64>,
    /// Share of the account's settled posts on the platform with a lower lift, 0–100.
    pub percentile: f64,
    /// Whether the post was old enough at its latest snapshot ([`SETTLED_AGE_S`]).
    pub settled: bool,
}

/// Likes + comments + shares + saves, counting what the export has; `None` when it has none.
pub fn interactions(m: &Metrics) -> Option<u64> {
    let parts = [m.likes, m.comments, m.shares, m.saves];
    if parts.iter().all(Option::is_none) {
        return None;
    }
    Some(parts.iter().flatten().sum())
}

/// Engagement rate (see the module docs); `None` without interactions or a denominator.
pub fn engagement_rate(m: &Metrics) -> Option<f64> {
    let denominator = m.reach.or(m.views).filter(|&d| d > 0)?;
    Some(interactions(m)? as f64 / denominator as f64)
}

fn count(m: &Metrics, measure: Measure) -> Option<u64> {
    match measure {
        Measure::Views => m.views,
        Measure::Interactions => interactions(m),
    }
}

fn settled(p: &StoredPost) -> bool {
    p.age_s.is_none_or(|a| a >= SETTLED_AGE_S)
}

/// The outcome of every post that has metrics (others are left out), in `posts` order.
pub fn outcomes(posts: &[StoredPost]) -> Vec<Outcome> {
    let mut out = Vec::new();
    for p in posts {
        let Some(m) = &p.metrics else { continue };
        let measure = if m.views.is_some() {
            Measure::Views
        } else {
            Measure::Interactions
        };
        let Some(value) = count(m, measure) else {
            continue;
        };
        let peers = |window: bool| -> Vec<f64> {
            posts
                .iter()
                .filter(|q| q.platform == p.platform && settled(q))
                .filter(|q| {
                    !window
                        || matches!((p.posted_at, q.posted_at), (Some(a), Some(b))
                            if (a - b).num_days().abs() <= WINDOW_DAYS)
                })
                .filter_map(|q| q.metrics.as_ref().and_then(|qm| count(qm, measure)))
                .map(|c| c as f64)
                .collect()
        };
        let mut windowed = true;
        let mut base = peers(true);
        if base.len() < MIN_BASELINE_POSTS {
            windowed = false;
            base = peers(false);
        }
        let baseline = crate::text::median(&base).unwrap_or(value as f64).max(1.0);
        let lift = value as f64 / baseline;
        out.push(Outcome {
            post_id: p.id,
            platform: p.platform,
            posted_at: p.posted_at,
            measure,
            value,
            baseline,
            baseline_posts: base.len(),
            windowed,
            lift,
            log_lift: (value as f64).max(0.5).log2() - baseline.log2(),
            engagement_rate: engagement_rate(m),
            percentile: 0.0,
            settled: settled(p),
        });
    }
    for i in 0..out.len() {
        // Mid-rank among the platform's other settled posts and itself: the best of five is at 90.
        let (mut below, mut ties, mut n) = (0.0, 0.0, 0.0);
        for (j, o) in out.iter().enumerate() {
            if j != i && o.platform == out[i].platform && o.settled {
                n += 1.0;
                if o.log_lift < out[i].log_lift {
                    below += 1.0;
                } else if o.log_lift == out[i].log_lift {
                    ties += 1.0;
                }
            }
        }
        out[i].percentile = 100.0 * (below + 0.5 * ties + 0.5) / (n + 1.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn post(id: i64, day: u32, views: Option<u64>, likes: u64) -> StoredPost {
        StoredPost {
            id,
            platform: Platform::Tiktok,
            key: format!("id:{id}"),
            url: None,
            caption: None,
            posted_at: Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0).single(),
            duration_s: None,
            transcript: None,
            link: None,
            metrics: Some(Metrics {
                views,
                likes: Some(likes),
                comments: Some(1),
                ..Metrics::default()
            }),
            age_s: Some(30.0 * 86_400.0),
            snapshots: 1,
        }
    }

    #[test]
    fn lift_is_against_the_median_of_the_window() {
        let posts: Vec<StoredPost> = (1..=5)
            .map(|d| post(i64::from(d), d, Some(1000 * u64::from(d)), 10))
            .collect();
        let o = outcomes(&posts);
        assert_eq!(o.len(), 5);
        // median of 1000..5000 is 3000
        assert_eq!(o[4].baseline, 3000.0);
        assert!((o[4].lift - 5000.0 / 3000.0).abs() < 1e-9);
        assert!((o[2].log_lift).abs() < 1e-9);
        assert!(o[4].windowed);
        assert!(o[4].percentile > o[0].percentile);
        assert_eq!(o[4].percentile, 90.0);
    }

    #[test]
    fn few_posts_fall_back_to_all_and_interactions_stand_in_for_views() {
        let posts = vec![post(1, 1, None, 9), post(2, 2, None, 19)];
        let o = outcomes(&posts);
        assert_eq!(o[0].measure, Measure::Interactions);
        assert!(!o[0].windowed);
        assert_eq!(o[0].baseline, 15.0); // median of 10 and 20
        assert_eq!(o[0].engagement_rate, None);
    }

    #[test]
    fn engagement_rate_prefers_reach() {
        let m = Metrics {
            views: Some(1000),
            reach: Some(500),
            likes: Some(40),
            comments: Some(5),
            shares: Some(3),
            saves: Some(2),
            ..Metrics::default()
        };
        assert_eq!(engagement_rate(&m), Some(0.1));
        let no_reach = Metrics { reach: None, ..m };
        assert_eq!(engagement_rate(&no_reach), Some(0.05));
    }

    #[test]
    fn a_young_post_is_not_in_the_baseline() {
        let mut posts: Vec<StoredPost> = (1..=6)
            .map(|d| post(i64::from(d), d, Some(100), 1))
            .collect();
        posts[5].metrics = Some(Metrics {
            views: Some(1_000_000),
            ..Metrics::default()
        });
        posts[5].age_s = Some(3600.0);
        let o = outcomes(&posts);
        assert_eq!(o[0].baseline, 100.0);
        assert!(!o[5].settled);
        assert!(o[5].log_lift > 13.0);
    }
}
