//! DOCX text extraction (zip + quick-xml): any bytes end in text or an error, within the size and
//! depth bounds — never a panic, a loop or an unbounded allocation.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = reelsmith_ingest::docx::text(data);
});
