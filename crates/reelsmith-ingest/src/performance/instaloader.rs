//! instaloader's per-post metadata: `{date}_UTC.json`, or `.json.xz` with `--compress-json` (its
//! default), holding `{"node": {...}, "instaloader": {...}}`. From the node: the caption in
//! `edge_media_to_caption.edges[0].node.text`, likes `edge_media_preview_like.count` (or
//! `edge_liked_by.count`), comments `edge_media_to_comment.count` (or
//! `edge_media_to_parent_comment.count`), views `video_view_count` (or `video_play_count`), length
//! `video_duration`, time `taken_at_timestamp`, link from `shortcode`.

use std::io::Read;

use chrono::DateTime;
use serde_json::Value;

use super::{ImportError, ImportedPost, Metrics};

/// Largest decompressed `.json.xz`, bytes: a post's metadata is a few kilobytes to a few hundred.
pub const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;

/// Most memory the xz decoder may take, bytes. xz's own table (xz(1), "Memory usage") gives
/// 65 MiB to decompress its largest preset, `-9`; instaloader writes Python's default, `-6`
/// (9 MiB). A file that asks for more is refused rather than allocated.
pub const MAX_XZ_MEMORY: u64 = 70 * 1024 * 1024;

/// The JSON text of an instaloader file: `bytes` as they are, or xz-decompressed (one stream,
/// by the reference liblzma) when `file` ends in `.xz`.
///
/// # Errors
/// [`ImportError`] when the xz stream is broken or truncated, needs more than [`MAX_XZ_MEMORY`]
/// to decode, decompresses past [`MAX_JSON_BYTES`], or the text is not UTF-8.
pub fn text(file: &str, bytes: &[u8]) -> Result<String, ImportError> {
    let raw = if file.ends_with(".xz") {
        let unreadable = |e: &dyn std::fmt::Display| {
            ImportError::new(
                file,
                format!(
                    "is not a readable .xz file ({e}); give the file instaloader wrote, unchanged"
                ),
            )
        };
        let stream = liblzma::stream::Stream::new_stream_decoder(MAX_XZ_MEMORY, 0)
            .map_err(|e| unreadable(&e))?;
        let mut out = Vec::new();
        liblzma::read::XzDecoder::new_stream(bytes, stream)
            .take(MAX_JSON_BYTES as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| unreadable(&e))?;
        if out.len() > MAX_JSON_BYTES {
            return Err(ImportError::new(
                file,
                format!(
                    "unpacks past {MAX_JSON_BYTES} bytes, far more than a post's metadata; give instaloader's per-post .json.xz files"
                ),
            ));
        }
        out
    } else {
        bytes.to_vec()
    };
    String::from_utf8(raw).map_err(|_| ImportError::new(file, "is not UTF-8 text"))
}

fn count(node: &Value, paths: &[&str]) -> Option<u64> {
    paths
        .iter()
        .find_map(|p| node.pointer(p).and_then(Value::as_u64))
}

/// The post in one instaloader metadata file.
///
/// # Errors
/// [`ImportError`] when the text is not JSON or has no `node`.
pub fn read(file: &str, json: &str) -> Result<ImportedPost, ImportError> {
    let v: Value = serde_json::from_str(json)
        .map_err(|e| ImportError::new(file, format!("is not JSON ({e})")))?;
    let node = v.get("node").ok_or_else(|| {
        ImportError::new(
            file,
            "has no \"node\" — give instaloader's per-post {date}_UTC.json or .json.xz files",
        )
    })?;
    let caption = node
        .pointer("/edge_media_to_caption/edges/0/node/text")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    Ok(ImportedPost {
        posted_at: node
            .get("taken_at_timestamp")
            .and_then(Value::as_i64)
            .and_then(|t| DateTime::from_timestamp(t, 0)),
        caption,
        media_uri: None,
        url: node
            .get("shortcode")
            .and_then(Value::as_str)
            .map(|s| format!("https://www.instagram.com/p/{s}/")),
        duration_s: node.get("video_duration").and_then(Value::as_f64),
        transcript: None,
        metrics: Metrics {
            views: count(node, &["/video_view_count", "/video_play_count"]),
            likes: count(
                node,
                &["/edge_media_preview_like/count", "/edge_liked_by/count"],
            ),
            comments: count(
                node,
                &[
                    "/edge_media_to_comment/count",
                    "/edge_media_to_parent_comment/count",
                ],
            ),
            ..Metrics::default()
        },
        source: file.to_string(),
    })
}
