//! Post performance from platform exports — the first step of the feedback loop: what each posted
//! script achieved, read from the files creators can download.
//!
//! Each reader takes one file's text and returns every post in it, or an [`ImportError`] naming the
//! file, the entry and what was wrong: a file is read whole or not at all, so a bad entry never
//! leaves half an import behind. Nothing here touches the store.
//!
//! - [`instagram`]: the "Download your information" JSON export — `content/posts_1.json`,
//!   `reels.json`, and for professional accounts `past_instagram_insights/reels.json` and
//!   `posts.json` — with its traps: labels in the account's language and in varying case, numbers
//!   as locale-formatted strings, mojibake text, entries without a thumbnail.
//! - [`tiktok`]: TikTok's `user_data.json` (`VideoList` may be null).
//! - [`instaloader`]: instaloader's per-post `.json` / `.json.xz` metadata.
//! - [`table`]: any CSV, columns found by name or mapped with `FIELD=COLUMN`.
//! - [`source`]: a folder, a `.zip` or one file, each file recognised by its name and content.
//! - [`numbers`]: locale-formatted counts ("40.210", "1,234", "12.5K").
//! - [`mojibake`]: UTF-8 text that was escaped byte by byte as `\u00XX` (Instagram's exports).
//! - [`subtitles`]: a video's `.srt` or `.vtt` as its post's spoken script.

pub mod instagram;
pub mod instaloader;
pub mod mojibake;
pub mod numbers;
pub mod source;
pub mod subtitles;
pub mod table;
pub mod tiktok;

pub use reelsmith_core::performance::{ImportedPost, Metrics};

use chrono::{DateTime, NaiveDateTime, Utc};

/// A metric an export reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Plays or views.
    Views,
    /// Accounts reached.
    Reach,
    /// Likes.
    Likes,
    /// Comments.
    Comments,
    /// Shares.
    Shares,
    /// Saves.
    Saves,
    /// Profile visits.
    ProfileVisits,
    /// Follows.
    Follows,
}

impl Metric {
    /// Its place in `m`.
    pub fn slot(self, m: &mut Metrics) -> &mut Option<u64> {
        match self {
            Metric::Views => &mut m.views,
            Metric::Reach => &mut m.reach,
            Metric::Likes => &mut m.likes,
            Metric::Comments => &mut m.comments,
            Metric::Shares => &mut m.shares,
            Metric::Saves => &mut m.saves,
            Metric::ProfileVisits => &mut m.profile_visits,
            Metric::Follows => &mut m.follows,
        }
    }
}

/// The time zone an export's times without an offset were written in (TikTok's `Date`, most CSVs):
/// an IANA name resolved with jiff's time-zone database (the system's, else the one jiff bundles).
#[derive(Debug, Clone)]
pub struct Zone(jiff::tz::TimeZone);

impl Zone {
    /// The zone named `name` (e.g. `Europe/Madrid`).
    ///
    /// # Errors
    /// A message naming the zone and giving examples.
    pub fn parse(name: &str) -> Result<Zone, String> {
        jiff::tz::TimeZone::get(name.trim()).map(Zone).map_err(|_| {
            format!(
                "--tz “{}” is not a time zone name — use an IANA name such as Europe/Madrid, America/New_York or UTC",
                name.trim()
            )
        })
    }

    /// `local` (a wall-clock time in this zone) in UTC; the earlier instant when the clock went back,
    /// the later when it skipped ahead (jiff's "compatible" rule, as RFC 5545 and most calendars do).
    pub fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        use chrono::{Datelike, Timelike};
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            i8::try_from(local.month()).ok()?,
            i8::try_from(local.day()).ok()?,
            i8::try_from(local.hour()).ok()?,
            i8::try_from(local.minute()).ok()?,
            i8::try_from(local.second()).ok()?,
            0,
        )
        .ok()?;
        let ts = civil.to_zoned(self.0.clone()).ok()?.timestamp();
        DateTime::from_timestamp(ts.as_second(), 0)
    }

    /// The weekday (0 = Monday) and hour (0–23) of instant `t` on this zone's clocks.
    pub fn weekday_hour(&self, t: DateTime<Utc>) -> Option<(usize, u32)> {
        let local = jiff::Timestamp::from_second(t.timestamp())
            .ok()?
            .to_zoned(self.0.clone());
        let weekday = usize::try_from(local.weekday().to_monday_zero_offset()).ok()?;
        Some((weekday, u32::try_from(local.hour()).ok()?))
    }

    /// UTC.
    pub fn utc() -> Zone {
        Zone(jiff::tz::TimeZone::UTC)
    }
}

/// `local` in UTC: in `zone` when one is given, else read as UTC.
pub(crate) fn naive_to_utc(local: NaiveDateTime, zone: Option<&Zone>) -> Option<DateTime<Utc>> {
    match zone {
        Some(z) => z.to_utc(local),
        None => Some(local.and_utc()),
    }
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {detail}")]
pub struct ImportError {
    /// The file.
    pub file: String,
    /// What was wrong, naming the entry, and how to fix it.
    pub detail: String,
}

impl ImportError {
    pub(crate) fn new(file: &str, detail: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            detail: detail.into(),
        }
    }
}
