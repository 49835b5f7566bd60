//! What a text, Markdown or caption file becomes: scripts split at `---` lines, TOML front matter,
//! Markdown reduced to plain text; the same bytes read as SubRip and as WebVTT captions.
#![no_main]

use reelsmith_ingest::formats::{Format, extract, markdown_to_text};
use reelsmith_ingest::split::{front_matter, split_scripts};
use reelsmith_ingest::subtitles::Kind;

#[derive(Default, serde::Deserialize)]
struct AnyFrontMatter {
    #[allow(dead_code)]
    title: Option<String>,
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for kind in [Kind::SubRip, Kind::WebVtt] {
        let _ = extract(Format::Subtitles(kind), data);
    }
    let Ok(text) = extract(Format::Markdown, data) else {
        return;
    };
    for part in split_scripts(&text) {
        let _ = front_matter::<AnyFrontMatter>(&part);
        let _ = markdown_to_text(&part);
    }
});
