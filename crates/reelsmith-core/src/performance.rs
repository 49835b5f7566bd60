//! How posted scripts performed: the posts imported from platform exports, each post's metrics at
//! each import (a newer export adds a snapshot and keeps the earlier one, with the post's age at
//! each), and the identity that makes re-importing the same data change nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::platform::Platform;

/// What one post achieved, as far as the export says (`None`: the export does not have it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metrics {
    /// Plays or views.
    pub views: Option<u64>,
    /// Unique accounts reached.
    pub reach: Option<u64>,
    /// Likes.
    pub likes: Option<u64>,
    /// Comments.
    pub comments: Option<u64>,
    /// Shares.
    pub shares: Option<u64>,
    /// Saves.
    pub saves: Option<u64>,
    /// Profile visits from the post.
    pub profile_visits: Option<u64>,
    /// Follows from the post.
    pub follows: Option<u64>,
}

impl Metrics {
    /// Whether the export gave no metric at all.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// One post read from an export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedPost {
    /// When it was posted, UTC.
    pub posted_at: Option<DateTime<Utc>>,
    /// Its caption (the platform's title field), repaired of mojibake.
    pub caption: Option<String>,
    /// The media file's path inside the export.
    pub media_uri: Option<String>,
    /// The post's link.
    pub url: Option<String>,
    /// Video length, seconds.
    pub duration_s: Option<f64>,
    /// The spoken script, from the export's subtitles (`.srt`) for the post's video.
    pub transcript: Option<String>,
    /// Its metrics.
    pub metrics: Metrics,
    /// Where it was read: the file and the entry's position in it.
    pub source: String,
}

/// A post's identity on its platform, the same in every export that shows it:
/// - the video id or shortcode in its link (`…/video/7252455790680771845`, `…/p/DCm1aBcDeFg/`,
///   `…/reel/…`), so TikTok's own export and a scraper's CSV meet;
/// - else its posting time to the second (Instagram's posts, reels and insights files give the same
///   `creation_timestamp` for one post, and no link);
/// - else its media file, else its caption.
///
/// `None` when the post has none of these (it cannot be told apart from others, so it is skipped).
pub fn post_key(post: &ImportedPost) -> Option<String> {
    if let Some(url) = &post.url {
        let parts: Vec<&str> = url
            .split(['/', '?', '#'])
            .filter(|p| !p.is_empty())
            .collect();
        for (i, p) in parts.iter().enumerate() {
            if matches!(*p, "video" | "p" | "reel" | "reels" | "shorts")
                && let Some(id) = parts.get(i + 1)
            {
                return Some(format!("id:{id}"));
            }
        }
        return Some(format!("url:{url}"));
    }
    if let Some(t) = post.posted_at {
        return Some(format!("t:{}", t.timestamp()));
    }
    post.media_uri
        .as_ref()
        .map(|m| format!("media:{m}"))
        .or_else(|| post.caption.as_ref().map(|c| format!("caption:{c}")))
}

/// The platform a post's link points at, when it says.
pub fn platform_of(url: &str) -> Option<Platform> {
    let u = url.to_lowercase();
    if u.contains("tiktok.com") || u.contains("tiktokv.com") {
        Some(Platform::Tiktok)
    } else if u.contains("instagram.com") {
        Some(Platform::Reels)
    } else if u.contains("youtube.com") || u.contains("youtu.be") {
        Some(Platform::Shorts)
    } else if u.contains("facebook.com") || u.contains("fb.watch") {
        Some(Platform::Facebook)
    } else {
        None
    }
}

/// What an import did, post by post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    /// Posts read from the files.
    pub read: usize,
    /// Posts not stored before.
    pub new: usize,
    /// Posts stored before whose metrics or caption changed (a new metrics snapshot is kept next to
    /// the earlier ones).
    pub updated: usize,
    /// Posts stored before with the same metrics and caption: nothing written.
    pub unchanged: usize,
    /// Entries that were the same post as an earlier entry of this import (merged into it).
    pub merged: usize,
}

impl Metrics {
    /// Field by field, the larger count (counts only grow, so the larger is the later).
    pub fn merged(&self, other: &Metrics) -> Metrics {
        let max = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
        Metrics {
            views: max(self.views, other.views),
            reach: max(self.reach, other.reach),
            likes: max(self.likes, other.likes),
            comments: max(self.comments, other.comments),
            shares: max(self.shares, other.shares),
            saves: max(self.saves, other.saves),
            profile_visits: max(self.profile_visits, other.profile_visits),
            follows: max(self.follows, other.follows),
        }
    }
}

/// `posts` with entries of the same platform and key merged into their first occurrence: fields
/// the first lacks come from the later ones, counts are the larger ([`Metrics::merged`]). Returns
/// the merged list and how many entries were folded in. (One export can list a post twice — a
/// captions file and an insights file, or a scraper's repeated rows.)
pub fn merge_duplicates<P: Clone + Eq + std::hash::Hash>(
    posts: &[(P, String, ImportedPost)],
) -> (Vec<(P, String, ImportedPost)>, usize) {
    let mut out: Vec<(P, String, ImportedPost)> = Vec::with_capacity(posts.len());
    let mut index: std::collections::HashMap<(P, &str), usize> = std::collections::HashMap::new();
    for (platform, key, post) in posts {
        match index.get(&(platform.clone(), key.as_str())) {
            Some(&i) => {
                let first = &mut out[i].2;
                first.posted_at = first.posted_at.or(post.posted_at);
                first.caption = first.caption.take().or_else(|| post.caption.clone());
                first.media_uri = first.media_uri.take().or_else(|| post.media_uri.clone());
                first.url = first.url.take().or_else(|| post.url.clone());
                first.duration_s = first.duration_s.or(post.duration_s);
                first.transcript = first.transcript.take().or_else(|| post.transcript.clone());
                first.metrics = first.metrics.merged(&post.metrics);
            }
            None => {
                index.insert((platform.clone(), key.as_str()), out.len());
                out.push((platform.clone(), key.clone(), post.clone()));
            }
        }
    }
    let folded = posts.len() - out.len();
    (out, folded)
}

/// A stored post with its latest metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredPost {
    /// Its id.
    pub id: i64,
    /// Its platform.
    pub platform: Platform,
    /// Its identity ([`post_key`]).
    pub key: String,
    /// Link, caption, time and length as last imported.
    pub url: Option<String>,
    /// Caption.
    pub caption: Option<String>,
    /// When it was posted.
    pub posted_at: Option<DateTime<Utc>>,
    /// Video length, seconds.
    pub duration_s: Option<f64>,
    /// The spoken script from the export's subtitles, when it had them.
    pub transcript: Option<String>,
    /// What the post was made from, when known.
    pub link: Option<PostLink>,
    /// The latest metrics snapshot, if any.
    pub metrics: Option<Metrics>,
    /// How old the post was at that snapshot, seconds.
    pub age_s: Option<f64>,
    /// Snapshots kept.
    pub snapshots: usize,
}

impl StoredPost {
    /// The post's words as spoken or written: its subtitles, else its caption.
    pub fn text(&self) -> Option<&str> {
        self.transcript
            .as_deref()
            .or(self.caption.as_deref())
            .filter(|t| !t.trim().is_empty())
    }
}

/// What a post was made from: a stored generation or one of the persona's example scripts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostLink {
    /// The generation, when it came from one.
    pub generation_id: Option<i64>,
    /// The example script's source ([`crate::persona::ExampleScript::source`]), when it is one.
    pub example: Option<String>,
    /// Similarity of the post's text to it, 0–1, when found by matching.
    pub similarity: Option<f64>,
    /// Whether the user gave or confirmed it (`false`: suggested by matching).
    pub confirmed: bool,
    /// Why it was linked: the matching words or sentence.
    pub evidence: Option<String>,
}

impl PostLink {
    /// What the post is linked to, in words: "generation 12" or "example scripts/01.md".
    pub fn target(&self) -> String {
        match (self.generation_id, &self.example) {
            (Some(id), _) => format!("generation {id}"),
            (None, Some(src)) => format!("example {src}"),
            (None, None) => "nothing".into(),
        }
    }
}

/// The example source given to a post added to the persona's examples: `post:PLATFORM:KEY`.
pub fn example_source(platform: Platform, key: &str) -> String {
    format!("post:{}:{key}", crate::platform::Named::as_str(platform))
}

/// A post's score as last computed, and what it was computed from (see
/// `reelsmith_app::insights`): reused while the key is the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedScore {
    /// The post.
    pub post_id: i64,
    /// What the score was computed from (persona version, text, model), opaque.
    pub key: String,
    /// The overall score, 0–100.
    pub overall: f64,
    /// The nine viral dimensions, 0–100.
    pub viral: Vec<f64>,
}
