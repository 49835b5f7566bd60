//! The parsers of a model's answers: a draft's HOOK/BODY/CTA lines, JSON found in free text, and
//! `key: value` lines.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = reelsmith_core::script::parse_draft(text);
    let _ = reelsmith_core::structured::extract_json(text);
    let _ = reelsmith_core::structured::parse_lines(text, &["hook", "cta", "audience"]);
});
