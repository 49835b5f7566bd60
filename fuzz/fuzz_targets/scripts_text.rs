//! What a text or Markdown file becomes: scripts split at `---` lines, TOML front matter, Markdown
//! reduced to plain text.
#![no_main]

use reelsmith_ingest::formats::{Format, extract, markdown_to_text};
use reelsmith_ingest::split::{front_matter, split_scripts};

#[derive(Default, serde::Deserialize)]
struct AnyFrontMatter {
    #[allow(dead_code)]
    title: Option<String>,
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = extract(Format::Markdown, data) else {
        return;
    };
    for part in split_scripts(&text) {
        let _ = front_matter::<AnyFrontMatter>(&part);
        let _ = markdown_to_text(&part);
    }
});
