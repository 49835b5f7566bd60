//! DOCX text through `zip` and `quick-xml`, with every size bounded.
//!
//! This replaced `docx-rs` 0.4.22, whose element readers loop forever on truncated XML: each reader
//! matches the parser's repeated `EndDocument` event with `_ => {}` and asks for the next one (issue
//! 12). Text extraction needs only the paragraphs, runs, tabs and breaks of the main document part
//! (ECMA-376 Part 1, §17.3), which a streaming reader gets without building the whole document model
//! — and without recursion, so nesting cannot overflow the stack.

use std::io::Read;

use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::error::ErrorKind;

/// Largest decompressed XML part read, bytes (64 MiB): a 20 MiB DOCX of text holds far less; a ZIP
/// bomb expands to much more.
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// Deepest element nesting accepted. Word nests tables in tables, but not 256 levels deep.
pub const MAX_DEPTH: usize = 256;

/// Most entries a DOCX container may hold. A long Word document has a few dozen parts.
pub const MAX_ENTRIES: usize = 10_000;

/// Where the main document part is when `_rels/.rels` does not say (ECMA-376 Part 1, §11.3.10).
const DEFAULT_MAIN_PART: &str = "word/document.xml";

fn corrupt(detail: impl Into<String>) -> ErrorKind {
    ErrorKind::Corrupt {
        format: "DOCX",
        detail: detail.into(),
    }
}

/// The text of a DOCX file's main document part: one paragraph per block, blank lines between, a
/// paragraph styled as a heading or title prefixed `# ` so titles survive as Markdown-lite.
///
/// # Errors
/// [`ErrorKind::Corrupt`] for a container or XML that cannot be read (truncated, mismatched tags,
/// more than [`MAX_ENTRIES`] entries, nesting deeper than [`MAX_DEPTH`]);
/// [`ErrorKind::Expands`] when a part decompresses to more than [`MAX_XML_BYTES`].
pub fn text(bytes: &[u8]) -> Result<String, ErrorKind> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| corrupt(format!("its ZIP container cannot be read: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(corrupt(format!(
            "it holds {} parts, more than the {MAX_ENTRIES} a document has",
            zip.len()
        )));
    }
    let main = match part(&mut zip, "_rels/.rels") {
        Ok(Some(rels)) => main_part_name(&rels)?.unwrap_or_else(|| DEFAULT_MAIN_PART.into()),
        Ok(None) => DEFAULT_MAIN_PART.into(),
        Err(e) => return Err(e),
    };
    let xml = part(&mut zip, &main)?
        .ok_or_else(|| corrupt(format!("it has no main document part ({main})")))?;
    document_text(&xml)
}

/// One ZIP entry's bytes, read up to [`MAX_XML_BYTES`] whatever its header claims.
fn part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, ErrorKind> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(format!("{name} cannot be read: {e}"))),
    };
    let mut out = Vec::new();
    entry
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| corrupt(format!("{name} cannot be decompressed: {e}")))?;
    if out.len() as u64 > MAX_XML_BYTES {
        return Err(ErrorKind::Expands {
            limit_mib: MAX_XML_BYTES / (1024 * 1024),
        });
    }
    Ok(Some(out))
}

/// The target of the package's officeDocument relationship, without a leading `/`.
fn main_part_name(rels: &[u8]) -> Result<Option<String>, ErrorKind> {
    let mut reader = quick_xml::Reader::from_reader(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                let kind = attr(&e, b"Type").unwrap_or_default();
                if kind.ends_with("/officeDocument") {
                    return Ok(attr(&e, b"Target").map(|t| t.trim_start_matches('/').to_string()));
                }
            }
            Ok(Event::Eof) => return Ok(None),
            Ok(_) => {}
            Err(e) => return Err(corrupt(format!("_rels/.rels is not valid XML: {e}"))),
        }
    }
}

/// An attribute's value by local name (`w:val` and `val` alike), unescaped.
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// What a paragraph collects while it is read.
#[derive(Default)]
struct Paragraph {
    text: String,
    heading: bool,
}

/// Text of the main document part's XML.
fn document_text(xml: &[u8]) -> Result<String, ErrorKind> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = String::new();
    // Paragraphs nest (a text box inside a run): the innermost one collects.
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut depth = 0usize;
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            corrupt(format!(
                "its XML is broken near byte {}: {e}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(corrupt(format!(
                        "its XML nests more than {MAX_DEPTH} elements deep"
                    )));
                }
                match e.local_name().as_ref() {
                    b"p" => paragraphs.push(Paragraph::default()),
                    b"t" => in_text = true,
                    _ => element(&e, &mut paragraphs),
                }
            }
            Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => out.push_str("\n\n"),
                _ => element(&e, &mut paragraphs),
            },
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"p" => {
                        if let Some(p) = paragraphs.pop() {
                            if p.heading && !p.text.trim().is_empty() {
                                out.push_str("# ");
                            }
                            out.push_str(&p.text);
                            out.push_str("\n\n");
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let s = t
                    .decode()
                    .map_err(|e| corrupt(format!("its text is not valid: {e}")))?;
                push(&mut paragraphs, &s);
            }
            Event::CData(t) if in_text => {
                push(&mut paragraphs, &String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if in_text => push(&mut paragraphs, &entity(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        return Err(corrupt(
            "its XML ends before the document does (truncated?)",
        ));
    }
    Ok(out)
}

/// Adds text to the innermost open paragraph (text outside any paragraph is not document text).
fn push(paragraphs: &mut [Paragraph], s: &str) {
    if let Some(p) = paragraphs.last_mut() {
        p.text.push_str(s);
    }
}

/// A tab, a break or a paragraph style inside the innermost paragraph.
fn element(e: &BytesStart<'_>, paragraphs: &mut [Paragraph]) {
    let Some(p) = paragraphs.last_mut() else {
        return;
    };
    match e.local_name().as_ref() {
        b"tab" => p.text.push(' '),
        b"br" | b"cr" => p.text.push('\n'),
        b"pStyle" => {
            let style = attr(e, b"val").unwrap_or_default().to_ascii_lowercase();
            p.heading = style.starts_with("heading") || style == "title";
        }
        _ => {}
    }
}

/// The text of an entity reference: the XML predefined ones and character references; anything
/// else (a DOCX has no DTD to define it) is kept as written.
fn entity(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = String::from_utf8_lossy(r);
    quick_xml::escape::resolve_predefined_entity(&name)
        .map_or_else(|| format!("&{name};"), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> String {
        format!("<w:document {W}><w:body>{body}</w:body></w:document>")
    }

    #[test]
    fn paragraphs_runs_tabs_breaks_and_headings() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Coffee</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">Stop </w:t></w:r><w:r><w:t>now</w:t><w:tab/><w:t>Q&amp;A &#233;</w:t><w:br/><w:t>next</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:delText>gone</w:delText></w:r></w:p>"#,
        ));
        let text = document_text(xml.as_bytes()).unwrap_or_default();
        assert_eq!(text, "# Coffee\n\nStop now Q&A é\nnext\n\n\n\n");
    }

    #[test]
    fn truncated_xml_is_an_error_not_a_loop() {
        let xml = doc(r#"<w:p><w:r><w:t>cut here</w:t></w:r></w:p>"#);
        let cut = &xml.as_bytes()[..xml.len() - 30];
        let err = document_text(cut);
        assert!(matches!(err, Err(ErrorKind::Corrupt { .. })), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        let err = document_text(xml.as_bytes());
        assert!(
            matches!(&err, Err(ErrorKind::Corrupt { detail, .. }) if detail.contains("deep")),
            "{err:?}"
        );
    }

    #[test]
    fn the_main_part_comes_from_the_package_relationships() {
        let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
        assert_eq!(
            main_part_name(rels).ok().flatten().as_deref(),
            Some("word/document2.xml")
        );
    }
}
