//! A reel's subtitles (`.srt`, `.vtt`) as its spoken script. An export folder or `.zip` may hold a
//! caption file next to a video (Instagram's auto-captions saved by the creator, or a captioning
//! tool's output); a post whose video has the same file name gets the subtitles' text as its
//! transcript. Reading them is [`crate::subtitles`]'s.

use std::collections::HashMap;

use super::ImportedPost;
use crate::subtitles::Kind;

/// Whether `name` is a subtitles file.
pub fn is_subtitles(name: &str) -> bool {
    Kind::of_name(name).is_some()
}

/// The file name without folders and extension: what a video and its subtitles share.
fn stem(path: &str) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    file.rsplit_once('.')
        .map_or(file, |(s, _)| s)
        .to_lowercase()
}

/// The spoken text of the caption file `name`, cues joined in order; `Err` with the reason when it
/// is not UTF-8 caption text of its kind or holds no words (read as persona learning reads it,
/// [`crate::formats::extract`]).
pub fn text(name: &str, bytes: &[u8]) -> Result<String, String> {
    let kind = Kind::of_name(name).ok_or_else(|| "is not a .srt or .vtt file".to_string())?;
    crate::formats::extract(crate::formats::Format::Subtitles(kind), bytes)
        .map_err(|e| e.to_string())
}

/// Gives each post whose video shares a file name with one of `subtitles` (path, text) that text
/// as its transcript; returns how many posts got one.
pub fn attach(posts: &mut [ImportedPost], subtitles: &[(String, String)]) -> usize {
    let by_stem: HashMap<String, &str> = subtitles
        .iter()
        .map(|(path, text)| (stem(path), text.as_str()))
        .collect();
    let mut attached = 0;
    for post in posts.iter_mut() {
        let found = post
            .media_uri
            .as_deref()
            .and_then(|m| by_stem.get(&stem(m)));
        if let Some(t) = found {
            post.transcript = Some((*t).to_string());
            attached += 1;
        }
    }
    attached
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_are_joined_without_numbers_timings_or_markup() {
        let srt = "\u{feff}1\r\n00:00:00,000 --> 00:00:02,500\r\n<i>Stop</i> drinking coffee\r\n\r\n2\r\n00:00:02,500 --> 00:00:05,000\r\n{\\an8}the second your shift starts.\r\n";
        assert_eq!(
            text("reel.srt", srt.as_bytes()).as_deref(),
            Ok("Stop drinking coffee the second your shift starts.")
        );
        let vtt = "WEBVTT\n\n00:00.000 --> 00:02.500\n<v Maya>Stop drinking coffee</v>\n";
        assert_eq!(
            text("reel.VTT", vtt.as_bytes()).as_deref(),
            Ok("Stop drinking coffee")
        );
    }

    #[test]
    fn not_subtitles_is_an_error() {
        let err = text("a.srt", b"hello").err().unwrap_or_default();
        assert!(
            err.starts_with("is not a readable SubRip (.srt) file"),
            "{err}"
        );
        assert!(text("a.srt", b"").is_err());
        assert!(text("a.srt", b"1\n00:00:01,000 --> 00:00:02,000\n").is_err());
        assert!(text("a.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\n\xff\n").is_err());
    }

    #[test]
    fn a_post_gets_the_subtitles_of_its_video() {
        let mut posts = vec![ImportedPost {
            posted_at: None,
            caption: None,
            media_uri: Some("media/reels/202311/17999_n.mp4".into()),
            url: None,
            duration_s: None,
            transcript: None,
            metrics: Default::default(),
            source: "reels.json#1".into(),
        }];
        let n = attach(
            &mut posts,
            &[(
                "export/media/reels/202311/17999_n.srt".into(),
                "Hello there.".into(),
            )],
        );
        assert_eq!(n, 1);
        assert_eq!(posts[0].transcript.as_deref(), Some("Hello there."));
    }
}
