//! Text extraction per file format: `pdf-extract` (on `lopdf`) for PDF, [`crate::docx`] (on `zip` and
//! `quick-xml`) for DOCX, `pulldown-cmark` for Markdown, [`crate::subtitles`] (on `fasrt`) for SubRip
//! and WebVTT captions. PDF and DOCX are hostile-file territory: read
//! them through [`crate::Reader`], which isolates them in a bounded child process.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::ErrorKind;

/// Supported formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain UTF-8 text (`.txt`).
    Text,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// PDF with a text layer (`.pdf`).
    Pdf,
    /// Word 2007+ document (`.docx`).
    Docx,
    /// Captions, SubRip (`.srt`) or WebVTT (`.vtt`): the spoken text, timed.
    Subtitles(crate::subtitles::Kind),
}

impl Format {
    /// The format for a file extension (case-insensitive), or `None` when unsupported.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            other => crate::subtitles::Kind::of_extension(other).map(Format::Subtitles),
        }
    }

    /// The format's name in messages: `text`, `Markdown`, `PDF`, `DOCX`, `SubRip (.srt)` or
    /// `WebVTT (.vtt)`.
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Subtitles(kind) => kind.label(),
        }
    }

    /// Whether PDF or DOCX: a container whose parsing must be isolated.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Pdf | Format::Docx)
    }

    /// Whether the extracted text is Markdown (so a leading heading is a title).
    pub fn is_markdown(self) -> bool {
        matches!(self, Format::Markdown | Format::Docx)
    }
}

/// Extracts the text of a file's bytes. DOCX comes back as Markdown-lite (heading paragraphs as `# …`),
/// so titles survive; PDF and text come back as plain text; captions as their spoken text, one
/// paragraph.
pub fn extract(format: Format, bytes: &[u8]) -> Result<String, ErrorKind> {
    extract_timed(format, bytes).map(|(text, _)| text)
}

/// [`extract`], with the spoken span in seconds where the format times its text (captions: first
/// cue's start to last cue's end).
pub fn extract_timed(format: Format, bytes: &[u8]) -> Result<(String, Option<f64>), ErrorKind> {
    let (text, span) = match format {
        Format::Text | Format::Markdown => (decode_utf8(bytes)?, None),
        Format::Pdf => (pdf_text(bytes)?, None),
        Format::Docx => (docx_text(bytes)?, None),
        Format::Subtitles(kind) => {
            let t = crate::subtitles::read(kind, &decode_utf8(bytes)?).map_err(|detail| {
                ErrorKind::Corrupt {
                    format: kind.label(),
                    detail,
                }
            })?;
            (t.text, t.span_s)
        }
    };
    Ok((text.replace("\r\n", "\n").replace('\r', "\n"), span))
}

fn decode_utf8(bytes: &[u8]) -> Result<String, ErrorKind> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
        ErrorKind::NotUtf8 { line }
    })
}

fn pdf_text(bytes: &[u8]) -> Result<String, ErrorKind> {
    let corrupt = |detail: String| ErrorKind::Corrupt {
        format: "PDF",
        detail,
    };
    if !bytes.starts_with(b"%PDF") {
        return Err(corrupt("it does not start with a PDF header".into()));
    }
    let mut doc = match lopdf::Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_)) | Err(lopdf::Error::InvalidPassword) => {
            return Err(ErrorKind::PasswordProtected);
        }
        Err(e) => return Err(corrupt(e.to_string())),
    };
    // A PDF with only an owner password opens with the empty user password; one with a user password
    // cannot be read without it.
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ErrorKind::PasswordProtected);
    }
    crate::pdf_guard::check(&doc)?;
    let mut out = String::new();
    // pdf-extract panics on some malformed content streams; a bad file must be an error, not a crash.
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut dev = pdf_extract::PlainTextOutput::new(&mut out);
        pdf_extract::output_doc(&doc, &mut dev)
    }));
    match result {
        Ok(Ok(())) => Ok(out),
        Ok(Err(e)) => Err(corrupt(e.to_string())),
        Err(_) => Err(corrupt("its page content could not be parsed".into())),
    }
}

/// Magic bytes of an OLE2 compound file: what an encrypted OOXML (and a legacy `.doc`) is.
const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn docx_text(bytes: &[u8]) -> Result<String, ErrorKind> {
    if bytes.starts_with(OLE2_MAGIC) {
        return Err(ErrorKind::PasswordProtectedOrLegacy);
    }
    if !bytes.starts_with(b"PK") {
        return Err(ErrorKind::Corrupt {
            format: "DOCX",
            detail: "it is not a ZIP container".into(),
        });
    }
    crate::docx::text(bytes)
}

/// Markdown to plain text: formatting marks removed, one line per source line, blank line between
/// blocks. Returns the text of a leading heading separately as the title.
pub fn markdown_to_text(md: &str) -> (Option<String>, String) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut title: Option<String> = None;
    let mut out = String::new();
    let mut in_heading = false;
    let mut heading = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                let h = heading.trim().to_string();
                if title.is_none() && out.trim().is_empty() {
                    title = Some(h);
                } else {
                    out.push_str(&h);
                    out.push_str("\n\n");
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading {
                    heading.push_str(&t);
                } else {
                    out.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::CodeBlock,
            ) => out.push_str("\n\n"),
            _ => {}
        }
    }
    (title.filter(|t| !t.is_empty()), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_loses_marks_and_keeps_lines() {
        let (title, text) = markdown_to_text(
            "# Coffee\n\n**Stop** drinking _coffee_.\nHere's why.\n\n- one\n- two\n",
        );
        assert_eq!(title.as_deref(), Some("Coffee"));
        assert_eq!(
            text.trim(),
            "Stop drinking coffee.\nHere's why.\n\none\n\ntwo"
        );
    }

    #[test]
    fn later_headings_stay_in_the_text() {
        let (title, text) = markdown_to_text("Intro line.\n\n## Part two\n\nBody.");
        assert_eq!(title, None);
        assert!(text.contains("Part two"));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = extract(Format::Text, b"ok\nline two \xFF\n");
        assert!(
            matches!(err, Err(ErrorKind::NotUtf8 { line: 2 })),
            "{err:?}"
        );
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(
            extract(Format::Text, b"\xEF\xBB\xBFa\r\nb\rc")
                .ok()
                .as_deref(),
            Some("a\nb\nc")
        );
    }

    #[test]
    fn extensions_map_to_formats() {
        assert_eq!(Format::from_extension("PDF"), Some(Format::Pdf));
        assert_eq!(Format::from_extension("markdown"), Some(Format::Markdown));
        assert_eq!(Format::from_extension("doc"), None);
    }
}
