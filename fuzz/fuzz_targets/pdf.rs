//! PDF loading (lopdf) and the self-drawing-form check that runs before text extraction. The text
//! extraction itself (pdf-extract) is known to panic and recurse on malformed content; it only ever
//! runs in the bounded child process, which the CLI and server tests feed hostile PDFs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = lopdf::Document::load_mem(data) {
        let _ = reelsmith_ingest::pdf_guard::check(&doc);
    }
});
