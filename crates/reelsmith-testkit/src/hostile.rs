//! Hostile documents, made here rather than downloaded: each reproduces one attack measured in
//! issue 12 (a stack overflow, a parser loop, a decompression bomb, a CPU bomb). The CLI and server
//! tests feed them to the isolated reader; `hostile_cases` lists them with what the user must be told.

use std::io::Write;

use lopdf::{Document, Object, Stream, dictionary};

/// A one-page PDF whose page draws form XObject `/X1`, which draws itself: a naive content-stream
/// interpreter recurses until the stack overflows. About 1 KB.
pub fn self_drawing_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let form_id = doc.new_object_id();
    let xobjects = dictionary! { "X1" => form_id };
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "Resources" => dictionary! { "XObject" => xobjects.clone() },
        },
        b"/X1 Do".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    one_page(doc, b"/X1 Do".to_vec(), xobjects)
}

/// A one-page PDF whose page draws form `/X1`, which has no resources of its own and so draws `/X1`
/// from the page's resources: itself, through inheritance.
pub fn self_drawing_inherited_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
        },
        b"/X1 Do".to_vec(),
    );
    let form_id = doc.add_object(Object::Stream(form));
    one_page(doc, b"/X1 Do".to_vec(), dictionary! { "X1" => form_id })
}

/// A one-page PDF drawing a chain of `depth` nested forms, each with its own resources, the
/// innermost showing `text`: an ordinary document when shallow.
pub fn nested_forms_pdf(depth: usize, text: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut inner = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        },
        format!("BT /F1 12 Tf 10 10 Td ({text}) Tj ET").into_bytes(),
    );
    for _ in 0..depth.saturating_sub(1) {
        let id = doc.add_object(Object::Stream(inner));
        inner = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "X1" => id } },
            },
            b"/X1 Do".to_vec(),
        );
    }
    let outer = doc.add_object(Object::Stream(inner));
    one_page(doc, b"/X1 Do".to_vec(), dictionary! { "X1" => outer })
}

/// A PDF whose one page shows the letter `a` `operators` times in a single compressed content
/// stream (5 million: over 20 s of CPU in the unbounded reader). Under 200 KB.
pub fn text_bomb_pdf(operators: usize) -> Vec<u8> {
    let mut content = b"BT /F1 12 Tf 10 10 Td ".to_vec();
    for _ in 0..operators {
        content.extend_from_slice(b"(a) Tj ");
    }
    content.extend_from_slice(b"ET");
    one_page(Document::with_version("1.5"), content, dictionary! {})
}

/// A DOCX whose `word/document.xml` is cut off mid-element: `docx-rs` 0.4.22 looped forever on it.
pub fn truncated_docx() -> Vec<u8> {
    let xml = document_xml("This paragraph is cut off before its end");
    let cut = xml.len() - 40;
    docx_with(&xml.as_bytes()[..cut])
}

/// A DOCX whose one paragraph holds `expanded_bytes` of `a`: a ZIP bomb, compressed about 1000:1.
pub fn bomb_docx(expanded_bytes: usize) -> Vec<u8> {
    let head = document_xml("");
    let (open, close) = head.split_at(head.find("</w:t>").unwrap_or(head.len()));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(expanded_bytes > u32::MAX as usize / 2);
    let chunk = vec![b'a'; 1 << 20];
    let written = zip.start_file("word/document.xml", opts).and_then(|()| {
        zip.write_all(open.as_bytes())?;
        let mut left = expanded_bytes;
        while left > 0 {
            let n = left.min(chunk.len());
            zip.write_all(&chunk[..n])?;
            left -= n;
        }
        zip.write_all(close.as_bytes())?;
        Ok(())
    });
    finish(zip, written)
}

/// A one-paragraph DOCX, well formed: the control for the hostile ones.
pub fn plain_docx(text: &str) -> Vec<u8> {
    docx_with(document_xml(text).as_bytes())
}

fn document_xml(text: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    )
}

fn docx_with(document: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let written = zip
        .start_file("word/document.xml", opts)
        .and_then(|()| Ok(zip.write_all(document)?));
    finish(zip, written)
}

fn finish(
    zip: zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
    written: zip::result::ZipResult<()>,
) -> Vec<u8> {
    match written.and_then(|()| zip.finish()) {
        Ok(cursor) => cursor.into_inner(),
        Err(e) => unreachable!("writing a ZIP to memory cannot fail: {e}"),
    }
}

/// A one-page document around `content`, with Helvetica as `/F1` and `xobjects` as resources.
fn one_page(mut doc: Document, content: Vec<u8>, xobjects: lopdf::Dictionary) -> Vec<u8> {
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut stream = Stream::new(dictionary! {}, content);
    let _ = stream.compress();
    let content_id = doc.add_object(stream);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! {
            "Font" => dictionary! { "F1" => font_id },
            "XObject" => xobjects,
        },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    match doc.save_to(&mut out) {
        Ok(()) => out,
        Err(e) => unreachable!("writing a PDF to memory cannot fail: {e}"),
    }
}

/// A 1 KB PDF whose cross-reference stream declares a field 3.5 × 10^17 bytes wide (`/W [1 4
/// 000…3507803709763019]`): lopdf 0.42, which pdf-extract 0.12 pins, sizes a buffer by it and the
/// process aborts on the failed allocation (lopdf 0.45 bounds the width at 8). The fuzzer found it
/// (December 2026); only the bounded child process may parse it.
pub fn xref_width_pdf() -> Vec<u8> {
    include_bytes!("files/xref-width.pdf").to_vec()
}

/// One hostile file: its name, its bytes, and a phrase the error shown to the user must contain.
pub struct HostileCase {
    /// File name, with the extension that picks the parser.
    pub name: &'static str,
    /// The file.
    pub bytes: Vec<u8>,
    /// The message the user gets contains one of these.
    pub expect: &'static [&'static str],
}

/// Every attack of issue 12 on the document readers, and the fuzzer's finds since, with the message
/// each must end in.
pub fn hostile_cases() -> Vec<HostileCase> {
    vec![
        HostileCase {
            name: "self-drawing.pdf",
            bytes: self_drawing_pdf(),
            expect: &["nests too deeply"],
        },
        HostileCase {
            name: "self-drawing-inherited.pdf",
            bytes: self_drawing_inherited_pdf(),
            expect: &["nests too deeply"],
        },
        HostileCase {
            name: "text-bomb.pdf",
            bytes: text_bomb_pdf(5_000_000),
            // Which limit it hits first depends on the build: a debug build runs out of memory.
            expect: &[
                "took longer than 10 s",
                "needs more than 1024 MiB of memory",
            ],
        },
        HostileCase {
            name: "xref-width.pdf",
            bytes: xref_width_pdf(),
            expect: &["declares a part of 350780370976301965 bytes"],
        },
        HostileCase {
            name: "truncated.docx",
            bytes: truncated_docx(),
            expect: &["ends before the document does"],
        },
        HostileCase {
            name: "bomb.docx",
            bytes: bomb_docx(256 * 1024 * 1024),
            expect: &["expands to more than 64 MiB"],
        },
    ]
}
