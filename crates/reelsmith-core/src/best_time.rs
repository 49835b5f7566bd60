//! Best time to post, read only from the creator's own posts: each weekday × hour slot (in the
//! user's time zone) with its posts' outcome relative to the account's median, the evidence behind
//! it, the best slots with their uncertainty, and how many posts are still needed. No industry
//! defaults are invented: a slot without posts says "no data".
//!
//! A slot's outcome is the mean `log2` lift of its posts ([`crate::outcome`]), shrunk toward the
//! account's median (0) by `n / (n + PRIOR_POSTS)` so that one lucky post does not top the list;
//! its 95 % interval is Student's t over the posts' lifts (statrs), for slots with ≥ 3 posts.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Posts a slot needs for its evidence to be "ok" (fewer: "thin").
pub const OK_POSTS: usize = 3;
/// Pseudo-posts at the account's median that each slot's mean is shrunk with.
pub const PRIOR_POSTS: f64 = 2.0;
/// Slots with "ok" evidence wanted before the best ones are named.
pub const SLOTS_WANTED: usize = 3;
/// Best slots listed.
pub const TOP: usize = 3;

/// Weekday names, Monday first (ISO 8601 order).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// How much a slot's figure rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// No posts.
    NoData,
    /// 1–2 posts.
    Thin,
    /// 3 or more posts.
    Ok,
}

/// One weekday × hour slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: usize,
    /// Hour of day in the user's zone, 0–23.
    pub hour: u32,
    /// Posts in the slot.
    pub posts: usize,
    /// Shrunk mean `log2` lift (0: the account's median); `None` without posts.
    pub log_lift: Option<f64>,
    /// `2^log_lift`: the slot's typical post relative to the account's median (1.0 = median).
    pub lift: Option<f64>,
    /// 95 % interval of the lift (unshrunk, Student's t), from 3 posts.
    pub interval: Option<(f64, f64)>,
    /// The evidence.
    pub evidence: Evidence,
}

/// The best-time report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BestTime {
    /// Settled posts with a posting time.
    pub posts: usize,
    /// All 168 slots, Monday 0:00 first.
    pub slots: Vec<Slot>,
    /// The best slots with "ok" evidence, best first (empty when there are none).
    pub top: Vec<Slot>,
    /// Posts still needed before slots can be compared (0 when enough).
    pub posts_needed: usize,
    /// The verdict in words.
    pub message: String,
}

/// A slot label: "Tuesday 18:00".
pub fn label(weekday: usize, hour: u32) -> String {
    format!("{} {hour:02}:00", WEEKDAYS.get(weekday).unwrap_or(&"?"))
}

fn slot(weekday: usize, hour: u32, lifts: &[f64]) -> Slot {
    let n = lifts.len();
    let evidence = match n {
        0 => Evidence::NoData,
        n if n < OK_POSTS => Evidence::Thin,
        _ => Evidence::Ok,
    };
    let mean = (n > 0).then(|| lifts.iter().sum::<f64>() / n as f64);
    let shrunk = mean.map(|m| m * n as f64 / (n as f64 + PRIOR_POSTS));
    let interval = mean.filter(|_| n >= OK_POSTS).and_then(|m| {
        let var = lifts.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .ok()?
            .inverse_cdf(0.975);
        let half = t * (var / n as f64).sqrt();
        Some((2f64.powf(m - half), 2f64.powf(m + half)))
    });
    Slot {
        weekday,
        hour,
        posts: n,
        log_lift: shrunk,
        lift: shrunk.map(|v| 2f64.powf(v)),
        interval,
        evidence,
    }
}

/// The report from each settled post's local weekday (0 = Monday), hour (0–23) and `log2` lift.
pub fn best_time(posts: &[(usize, u32, f64)]) -> BestTime {
    let mut slots = Vec::with_capacity(168);
    for weekday in 0..7 {
        for hour in 0..24 {
            let lifts: Vec<f64> = posts
                .iter()
                .filter(|(d, h, _)| *d == weekday && *h == hour)
                .map(|(_, _, l)| *l)
                .collect();
            slots.push(slot(weekday, hour, &lifts));
        }
    }
    let mut ok: Vec<Slot> = slots
        .iter()
        .filter(|s| s.evidence == Evidence::Ok)
        .cloned()
        .collect();
    ok.sort_by(|a, b| {
        b.log_lift
            .unwrap_or(0.0)
            .total_cmp(&a.log_lift.unwrap_or(0.0))
    });
    // The posts that would give the busiest slots "ok" evidence.
    let mut busiest: Vec<usize> = slots.iter().map(|s| s.posts).collect();
    busiest.sort_unstable_by(|a, b| b.cmp(a));
    let posts_needed: usize = busiest
        .iter()
        .take(SLOTS_WANTED)
        .map(|&n| OK_POSTS.saturating_sub(n))
        .sum();
    let top: Vec<Slot> = if ok.len() >= 2 {
        ok.into_iter().take(TOP).collect()
    } else {
        Vec::new()
    };
    let message = if posts.is_empty() {
        format!(
            "no posts with a posting time and settled metrics yet: import at least {} posts",
            SLOTS_WANTED * OK_POSTS
        )
    } else if top.is_empty() {
        format!(
            "too little data to compare times: {} posts; post about {posts_needed} more in your usual slots so that {SLOTS_WANTED} slots have {OK_POSTS} posts each",
            posts.len()
        )
    } else {
        let best = &top[0];
        let mut m = format!(
            "best so far: {} ({} posts, typically {:.1}× your median",
            label(best.weekday, best.hour),
            best.posts,
            best.lift.unwrap_or(1.0)
        );
        if let Some((lo, hi)) = best.interval {
            m.push_str(&format!(", 95 % interval {lo:.1}× to {hi:.1}×"));
        }
        m.push(')');
        if best.interval.is_some_and(|(lo, _)| lo <= 1.0) {
            m.push_str("; the interval includes your median, so it is not yet clearly better");
        }
        m
    };
    BestTime {
        posts: posts.len(),
        slots,
        top,
        posts_needed,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_says_so_and_asks_for_posts() {
        let b = best_time(&[]);
        assert_eq!(b.slots.len(), 168);
        assert!(b.slots.iter().all(|s| s.evidence == Evidence::NoData));
        assert!(b.top.is_empty());
        assert_eq!(b.posts_needed, 9);
        assert!(b.message.contains("no posts"), "{}", b.message);
    }

    #[test]
    fn thin_slots_are_labelled_and_counted_toward_what_is_needed() {
        let b = best_time(&[(1, 18, 1.0), (1, 18, 0.5), (3, 9, -1.0)]);
        let tue = &b.slots[24 + 18];
        assert_eq!(tue.evidence, Evidence::Thin);
        assert_eq!(tue.posts, 2);
        assert!(tue.interval.is_none());
        // the three busiest slots hold 2, 1 and 0 posts: 1 + 2 + 3 more wanted
        assert_eq!(b.posts_needed, 6);
        assert!(b.top.is_empty());
    }

    #[test]
    fn the_better_slot_wins_with_an_interval() {
        let mut posts = vec![];
        for l in [1.2, 0.8, 1.0, 1.1] {
            posts.push((1, 18, l)); // Tuesday 18:00, about twice the median
        }
        for l in [-0.5, 0.1, -0.2] {
            posts.push((5, 9, l)); // Saturday 9:00, about the median
        }
        let b = best_time(&posts);
        assert_eq!(b.top.len(), 2);
        assert_eq!((b.top[0].weekday, b.top[0].hour), (1, 18));
        let (lo, hi) = b.top[0].interval.unwrap_or((0.0, 0.0));
        assert!(lo > 1.0 && hi > lo, "{lo} {hi}");
        // shrunk: mean 1.025 × 4/6
        assert!((b.top[0].log_lift.unwrap_or(0.0) - 1.025 * 4.0 / 6.0).abs() < 1e-9);
        assert!(
            b.message.starts_with("best so far: Tuesday 18:00"),
            "{}",
            b.message
        );
        assert_eq!(b.posts_needed, 3);
    }
}
