//! TikTok's "Download your data" export, JSON format: `user_data.json` (or `user_data_tiktok.json`).
//! Posts sit under `Post → Posts → VideoList` (exports from 2024 on) or `Video → Videos → VideoList`
//! (older ones); each has `Date` ("2024-03-05 18:22:10", UTC), `Link`, `Likes` (a string) and `Title`
//! (the caption); the date has no zone: UTC unless a [`super::Zone`] is given. `"VideoList": null` is a valid export of an account that never posted. The
//! export has no views, comments or shares: TikTok's analytics CSVs or a CSV with `--map` add them.

use chrono::NaiveDateTime;
use serde_json::Value;

use super::numbers::parse_count;
use super::{ImportError, ImportedPost, Metrics, Zone, naive_to_utc};

/// Every post in `user_data.json`.
///
/// # Errors
/// [`ImportError`] when the text is not JSON, has no post list where TikTok puts it, or an entry's
/// date or likes cannot be read.
pub fn read(file: &str, json: &str, zone: Option<&Zone>) -> Result<Vec<ImportedPost>, ImportError> {
    let v: Value = serde_json::from_str(json).map_err(|e| {
        ImportError::new(
            file,
            format!("is not JSON ({e}) — choose the JSON format when requesting your TikTok data"),
        )
    })?;
    let list = [("Post", "Posts"), ("Video", "Videos")]
        .iter()
        .find_map(|(a, b)| v.get(a).and_then(|x| x.get(b)).and_then(|x| x.get("VideoList")))
        .ok_or_else(|| {
            ImportError::new(
                file,
                "has no Post → Posts → VideoList (nor Video → Videos → VideoList) — give the user_data.json of a TikTok data export",
            )
        })?;
    let Some(entries) = list.as_array() else {
        return if list.is_null() {
            Ok(Vec::new())
        } else {
            Err(ImportError::new(
                file,
                "VideoList is neither a list nor null",
            ))
        };
    };
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let bad = |d: String| ImportError::new(file, format!("entry {}: {d}", i + 1));
            let text = |k: &str| {
                e.get(k)
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            let posted_at = match text("Date") {
                Some(d) => Some(
                    NaiveDateTime::parse_from_str(&d, "%Y-%m-%d %H:%M:%S")
                        .ok()
                        .and_then(|n| naive_to_utc(n, zone))
                        .ok_or_else(|| bad(format!("Date “{d}” is not YYYY-MM-DD HH:MM:SS")))?,
                ),
                None => None,
            };
            let likes = match e.get("Likes") {
                Some(Value::String(s)) => {
                    Some(parse_count(s).ok_or_else(|| bad(format!("Likes “{s}” is not a count")))?)
                }
                Some(Value::Number(n)) => n.as_u64(),
                _ => None,
            };
            Ok(ImportedPost {
                posted_at,
                caption: text("Title"),
                media_uri: None,
                url: text("Link"),
                duration_s: None,
                transcript: None,
                metrics: Metrics {
                    likes,
                    ..Metrics::default()
                },
                source: format!("{file} #{}", i + 1),
            })
        })
        .collect()
}
