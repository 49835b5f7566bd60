//! Post-performance exports: Instagram's JSON files, TikTok's user_data.json, instaloader's
//! `.json` / `.json.xz`, CSV and `.srt` subtitles. The first byte picks the reader; the rest is the
//! file.
#![no_main]

use reelsmith_ingest::performance::{instagram, instaloader, subtitles, table, tiktok};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 5 {
        0 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let _ = instagram::read("f.json", text);
            }
        }
        1 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let _ = tiktok::read("user_data.json", text, None);
            }
        }
        2 => {
            for name in ["p_UTC.json", "p_UTC.json.xz"] {
                if let Ok(text) = instaloader::text(name, rest) {
                    let _ = instaloader::read(name, &text);
                }
            }
        }
        3 => {
            for name in ["reel.srt", "reel.vtt"] {
                let _ = subtitles::text(name, rest);
            }
        }
        _ => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let map = table::parse_map(&["views=plays".to_string()]).unwrap_or_default();
                let _ = table::read("f.csv", text, &[], None);
                let _ = table::read("f.csv", text, &map, None);
            }
        }
    }
});
