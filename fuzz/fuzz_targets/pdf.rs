//! The self-drawing-form check that runs before PDF text extraction (`pdf_guard`), on form graphs
//! read from the input: up to 12 form XObjects, each with or without resources of its own, naming
//! and drawing any of the others (cycles included), under up to four pages that own or inherit
//! their resources.
//!
//! PDF parsing itself is not fuzzed here. lopdf 0.42 (the version pdf-extract 0.12 pins) has crash
//! bugs that lopdf fixed in 0.44–0.47, among them a `vec!` sized by an xref stream's `/W` width
//! that aborts the process on allocation failure (this target's CI run found it). reelsmith
//! therefore only ever parses a PDF in the bounded child process (`reelsmith_ingest::sandbox`);
//! the CLI and server tests feed it that file and the other hostile PDFs (`reelsmith_testkit::hostile`).
#![no_main]

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

/// Forms in a graph; each byte mask below names a subset of them.
const FORMS: usize = 12;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = reelsmith_ingest::pdf_guard::check(&graph(data));
});

/// The document `data` describes, read a byte at a time (zeros once it runs out).
fn graph(data: &[u8]) -> Document {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next().unwrap_or(0);
    let mask = |next: &mut dyn FnMut() -> u8| u16::from_le_bytes([next(), next()]);
    let mut doc = Document::with_version("1.5");
    let forms: Vec<ObjectId> = (0..FORMS).map(|_| doc.new_object_id()).collect();
    let named = |m: u16| -> Dictionary {
        let mut d = Dictionary::new();
        for (k, id) in forms.iter().enumerate().filter(|(k, _)| m & (1 << k) != 0) {
            d.set(format!("X{k}"), *id);
        }
        d
    };
    let drawn = |m: u16| -> Vec<u8> {
        (0..FORMS)
            .filter(|k| m & (1 << k) != 0)
            .flat_map(|k| format!("q /X{k} Do Q\n").into_bytes())
            .collect()
    };
    for id in &forms {
        let flags = next();
        let names = mask(&mut next);
        let draws = mask(&mut next);
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
        };
        if flags & 1 != 0 {
            let resources = dictionary! { "XObject" => named(names) };
            if flags & 2 != 0 {
                let rid = doc.add_object(resources);
                dict.set("Resources", rid);
            } else {
                dict.set("Resources", resources);
            }
        }
        doc.objects
            .insert(*id, Object::Stream(Stream::new(dict, drawn(draws))));
    }
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for _ in 0..=next() % 4 {
        let flags = next();
        let names = mask(&mut next);
        let draws = mask(&mut next);
        let contents = doc.add_object(Stream::new(Dictionary::new(), drawn(draws)));
        let mut page = dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => contents };
        if flags & 1 != 0 {
            page.set("Resources", dictionary! { "XObject" => named(names) });
        }
        kids.push(Object::Reference(doc.add_object(page)));
    }
    let inherited = mask(&mut next);
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => dictionary! { "XObject" => named(inherited) },
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc
}
