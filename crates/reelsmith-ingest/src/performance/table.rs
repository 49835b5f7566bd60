//! Post performance from any CSV: a header row, one post per row. Columns are found by their name
//! (case and punctuation folded; the aliases in [`ALIASES`] cover reelsmith's own names, TikTok
//! Studio and Instagram exports in English, and Apify's TikTok scraper: `createTimeISO`,
//! `playCount`, `diggCount`, `commentCount`, `shareCount`, `text`, `webVideoUrl`), or named
//! explicitly with `FIELD=COLUMN` pairs ([`parse_map`]). Times are ISO 8601 / RFC 3339, `YYYY-MM-DD
//! HH:MM[:SS]` or `YYYY-MM-DD` (in the given [`super::Zone`], else UTC, unless they carry an
//! offset) or Unix seconds; counts may be
//! locale-formatted ([`super::numbers`]).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::instagram::fold;
use super::numbers::parse_count;
use super::{ImportError, ImportedPost, Metric, Metrics, Zone, naive_to_utc};

/// A field a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// When it was posted.
    PostedAt,
    /// The caption or transcript.
    Caption,
    /// The post's link.
    Url,
    /// A count.
    Metric(Metric),
    /// Video length, seconds.
    Duration,
}

/// Each field's name in `--map` and the column names it is found under.
pub const ALIASES: &[(Field, &str, &[&str])] = &[
    (
        Field::PostedAt,
        "posted_at",
        &[
            "posted at",
            "posted_at",
            "date",
            "time",
            "timestamp",
            "create time",
            "createtime",
            "createtimeiso",
            "publish time",
            "post time",
            "taken at",
        ],
    ),
    (
        Field::Caption,
        "caption",
        &[
            "caption",
            "text",
            "title",
            "description",
            "video title",
            "transcript",
            "script",
        ],
    ),
    (
        Field::Url,
        "url",
        &[
            "url",
            "link",
            "permalink",
            "post link",
            "video link",
            "webvideourl",
        ],
    ),
    (
        Field::Metric(Metric::Views),
        "views",
        &[
            "views",
            "plays",
            "video views",
            "playcount",
            "play count",
            "total play",
        ],
    ),
    (
        Field::Metric(Metric::Reach),
        "reach",
        &["reach", "accounts reached"],
    ),
    (
        Field::Metric(Metric::Likes),
        "likes",
        &[
            "likes",
            "diggcount",
            "digg count",
            "hearts",
            "like count",
            "total likes",
        ],
    ),
    (
        Field::Metric(Metric::Comments),
        "comments",
        &[
            "comments",
            "commentcount",
            "comment count",
            "total comments",
        ],
    ),
    (
        Field::Metric(Metric::Shares),
        "shares",
        &["shares", "sharecount", "share count", "total shares"],
    ),
    (
        Field::Metric(Metric::Saves),
        "saves",
        &[
            "saves",
            "collectcount",
            "collect count",
            "favorites",
            "total saves",
        ],
    ),
    (
        Field::Duration,
        "duration",
        &["duration", "duration s", "video duration", "length"],
    ),
];

/// `FIELD=COLUMN` pairs (e.g. `views=Plays,posted_at=Created`) as fields and column names.
///
/// # Errors
/// A message naming the pair that is malformed or the field that does not exist.
pub fn parse_map(pairs: &[String]) -> Result<Vec<(Field, String)>, String> {
    pairs
        .iter()
        .map(|p| {
            let (f, col) = p
                .split_once('=')
                .filter(|(f, c)| !f.trim().is_empty() && !c.trim().is_empty())
                .ok_or_else(|| format!("--map “{p}” is not FIELD=COLUMN (e.g. views=Plays)"))?;
            let field = ALIASES
                .iter()
                .find(|(_, name, _)| name.eq_ignore_ascii_case(f.trim()))
                .map(|(field, _, _)| *field)
                .ok_or_else(|| {
                    let names: Vec<&str> = ALIASES.iter().map(|(_, n, _)| *n).collect();
                    format!(
                        "--map field “{}” is not one of {}",
                        f.trim(),
                        names.join(", ")
                    )
                })?;
            Ok((field, col.trim().to_string()))
        })
        .collect()
}

/// A time as CSV exports write it; times without an offset are in `zone` (default UTC).
pub fn parse_time(s: &str, zone: Option<&Zone>) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return naive_to_utc(n, zone);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).and_then(|n| naive_to_utc(n, zone));
    }
    s.parse::<i64>()
        .ok()
        .filter(|t| *t > 0)
        .and_then(|t| DateTime::from_timestamp(t, 0))
}

/// Every row of the CSV `text` as a post, columns found by `map` first, then by [`ALIASES`].
///
/// # Errors
/// [`ImportError`] when the CSV cannot be parsed, no column holds a metric (the headers are listed
/// with the `--map` hint), or a cell is not what its column needs (naming the row and column).
pub fn read(
    file: &str,
    text: &str,
    map: &[(Field, String)],
    zone: Option<&Zone>,
) -> Result<Vec<ImportedPost>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::new(file, format!("is not CSV ({e})")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut columns: Vec<(Field, usize)> = Vec::new();
    for (field, name) in map {
        let i = headers
            .iter()
            .position(|h| fold(h) == fold(name))
            .ok_or_else(|| {
                ImportError::new(
                    file,
                    format!(
                        "has no column “{name}” (its columns: {})",
                        headers.join(", ")
                    ),
                )
            })?;
        columns.push((*field, i));
    }
    for (field, _, aliases) in ALIASES {
        if columns.iter().any(|(f, _)| f == field) {
            continue;
        }
        if let Some(i) = headers
            .iter()
            .position(|h| aliases.iter().any(|a| fold(a) == fold(h)))
            .filter(|i| !columns.iter().any(|(_, c)| c == i))
        {
            columns.push((*field, i));
        }
    }
    if !columns.iter().any(|(f, _)| matches!(f, Field::Metric(_))) {
        return Err(ImportError::new(
            file,
            format!(
                "has no column reelsmith recognises as a metric (its columns: {}) — name them with --map, e.g. --map views=Plays,likes=Hearts",
                headers.join(", ")
            ),
        ));
    }
    let mut posts = Vec::new();
    for (r, rec) in reader.records().enumerate() {
        let row = r + 2;
        let rec = rec.map_err(|e| ImportError::new(file, format!("row {row}: {e}")))?;
        let mut post = ImportedPost {
            posted_at: None,
            caption: None,
            media_uri: None,
            url: None,
            duration_s: None,
            transcript: None,
            metrics: Metrics::default(),
            source: format!("{file} row {row}"),
        };
        for (field, i) in &columns {
            let cell = rec.get(*i).unwrap_or("").trim();
            if cell.is_empty() {
                continue;
            }
            let bad = |what: &str| {
                ImportError::new(
                    file,
                    format!(
                        "row {row}: column “{}” is “{cell}”, not {what}",
                        headers[*i]
                    ),
                )
            };
            let n = || parse_count(cell).ok_or_else(|| bad("a count"));
            match field {
                Field::PostedAt => {
                    post.posted_at =
                        Some(parse_time(cell, zone).ok_or_else(|| bad("a date and time"))?)
                }
                Field::Caption => post.caption = Some(cell.to_string()),
                Field::Url => post.url = Some(cell.to_string()),
                Field::Duration => {
                    post.duration_s = Some(
                        cell.replace(',', ".")
                            .parse::<f64>()
                            .ok()
                            .filter(|d| d.is_finite() && *d >= 0.0)
                            .ok_or_else(|| bad("a length in seconds"))?,
                    )
                }
                Field::Metric(m) => *m.slot(&mut post.metrics) = Some(n()?),
            }
        }
        posts.push(post);
    }
    Ok(posts)
}
