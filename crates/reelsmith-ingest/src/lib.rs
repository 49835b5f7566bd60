//! Reads a creator's story and example scripts from files: plain text, Markdown, PDF, DOCX and
//! captions (SubRip `.srt`, WebVTT `.vtt`), a folder of them, or one file holding several scripts
//! separated by `---` lines. A caption file is one script, timed by its cues. Each script may open with
//! TOML front matter between `+++` lines (`title`, `duration_s`); a story may open with the creator
//! profile's fields.
//!
//! Nothing here writes anything: callers store the result only when every file was read, so bad input
//! never leaves a half-learned persona behind.

pub mod docx;
mod error;
pub mod formats;
pub mod pdf_guard;
pub mod performance;
pub mod sandbox;
pub mod split;
pub mod subtitles;

use std::path::{Path, PathBuf};

use reelsmith_core::persona::{CreatorProfile, ExampleScript};
use serde::Deserialize;

pub use error::{ErrorKind, IngestError};
pub use formats::Format;
pub use sandbox::{Limits, Reader};

/// Largest input file read, bytes (20 MiB): far above any script or story, small enough to refuse a
/// video file passed by mistake before reading it.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Front matter accepted on an example script.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ScriptFrontMatter {
    title: Option<String>,
    duration_s: Option<f64>,
}

/// Example scripts read from the given paths.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedExamples {
    /// The scripts, in path order (folders walked in file-name order).
    pub examples: Vec<ExampleScript>,
    /// Files inside folders that were skipped because their type is not supported.
    pub skipped: Vec<PathBuf>,
}

/// A creator's story with the profile fields from its front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Profile fields from the TOML front matter (all unset without front matter).
    pub profile: CreatorProfile,
    /// The story text.
    pub text: String,
}

impl Reader {
    /// Reads example scripts from files and folders.
    ///
    /// A named file must have a supported type; inside a folder (walked recursively, hidden entries
    /// skipped) unsupported files are skipped and reported in [`LoadedExamples::skipped`].
    ///
    /// # Errors
    /// The first path that is missing, unreadable, empty, corrupt, password-protected, of an
    /// unsupported type, a folder without scripts, has invalid front matter (a `duration_s` ≤ 0
    /// included), or that the isolated reader gave up on (too slow, too deep, too large unpacked).
    pub fn load_examples(&self, paths: &[PathBuf]) -> Result<LoadedExamples, IngestError> {
        let mut examples = Vec::new();
        let mut skipped = Vec::new();
        for path in paths {
            let files = if path.is_dir() {
                let (files, skip) = walk(path)?;
                skipped.extend(skip);
                files
            } else {
                vec![path.clone()]
            };
            for file in files {
                examples.extend(self.read_scripts(&file)?);
            }
        }
        Ok(LoadedExamples { examples, skipped })
    }

    /// Reads a creator's story as plain text (a leading Markdown heading dropped); TOML front
    /// matter sets the profile.
    ///
    /// # Errors
    /// As [`Reader::load_examples`], plus front matter that names an unknown field or has a wrong
    /// type.
    pub fn load_story(&self, path: &Path) -> Result<Story, IngestError> {
        let (format, text) = self.read_text(path).map_err(|e| match e.kind {
            ErrorKind::Empty => IngestError {
                path: e.path,
                kind: ErrorKind::EmptyStory,
            },
            _ => e,
        })?;
        let err = |kind| IngestError {
            path: path.to_path_buf(),
            kind,
        };
        let (profile, body): (CreatorProfile, String) = split::front_matter(&text)
            .map_err(|detail| err(ErrorKind::FrontMatter { script: 1, detail }))?;
        profile.validate().map_err(|e| {
            err(ErrorKind::FrontMatter {
                script: 1,
                detail: e.to_string(),
            })
        })?;
        let body = plain(format, &body).1;
        if body.is_empty() && profile == CreatorProfile::default() {
            return Err(err(ErrorKind::EmptyStory));
        }
        Ok(Story {
            profile,
            text: body,
        })
    }
}

/// Files under `dir` with a supported type, sorted by path, and the unsupported ones skipped.
fn walk(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), IngestError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !hidden(e))
    {
        let entry = entry.map_err(|e| IngestError {
            path: e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            kind: ErrorKind::Unreadable(e.into()),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let supported = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
            .is_some();
        if supported {
            files.push(entry.into_path());
        } else {
            skipped.push(entry.into_path());
        }
    }
    if files.is_empty() {
        return Err(IngestError {
            path: dir.to_path_buf(),
            kind: ErrorKind::NoScripts,
        });
    }
    Ok((files, skipped))
}

impl Reader {
    /// Reads a file's bytes and extracts its text, checking existence, size, type and emptiness.
    fn read_text(&self, path: &Path) -> Result<(Format, String), IngestError> {
        self.read_timed(path)
            .map(|(format, text, _)| (format, text))
    }

    /// [`Self::read_text`], with the spoken span in seconds where the format times its text.
    fn read_timed(&self, path: &Path) -> Result<(Format, String, Option<f64>), IngestError> {
        let err = |kind| IngestError {
            path: path.to_path_buf(),
            kind,
        };
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => err(ErrorKind::Missing),
            _ => err(ErrorKind::Unreadable(e)),
        })?;
        if meta.is_dir() {
            return Err(err(ErrorKind::Unsupported(
                "folder (pass it to --examples)".into(),
            )));
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        let format = Format::from_extension(ext).ok_or_else(|| {
            err(ErrorKind::Unsupported(if ext.is_empty() {
                "(no extension)".into()
            } else {
                format!(".{ext}")
            }))
        })?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(err(ErrorKind::TooLarge {
                size: meta.len(),
                max: MAX_FILE_BYTES,
            }));
        }
        let bytes = std::fs::read(path).map_err(|e| err(ErrorKind::Unreadable(e)))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(err(ErrorKind::Empty));
        }
        let (text, span) = if format.is_binary() {
            self.extract_binary(format, path, &bytes).map(|t| (t, None))
        } else {
            formats::extract_timed(format, &bytes)
        }
        .map_err(err)?;
        if text.trim().is_empty() {
            return Err(err(match format {
                Format::Pdf | Format::Docx => ErrorKind::NoText,
                Format::Text | Format::Markdown | Format::Subtitles(_) => ErrorKind::Empty,
            }));
        }
        Ok((format, text, span))
    }

    /// The text of one document as persona learning reads it — every format above; front matter,
    /// `---` separators and a Markdown title dropped; the scripts of a multi-script file joined by
    /// line breaks — for callers that take whole documents, such as the `eval` commands' corpora.
    ///
    /// # Errors
    /// As [`Reader::load_examples`] for one file.
    pub fn read_document(&self, path: &Path) -> Result<String, IngestError> {
        let scripts = self.read_scripts(path)?;
        Ok(scripts
            .into_iter()
            .map(|s| s.text)
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// Reads every script in one file.
    fn read_scripts(&self, path: &Path) -> Result<Vec<ExampleScript>, IngestError> {
        let (format, text, span) = self.read_timed(path)?;
        if let Format::Subtitles(_) = format {
            return Ok(vec![timed_script(path, text, span)]);
        }
        let parts = split::split_scripts(&text);
        let many = parts.len() > 1;
        let mut out = Vec::with_capacity(parts.len());
        for (i, part) in parts.iter().enumerate() {
            let fm_err = |detail: String| IngestError {
                path: path.to_path_buf(),
                kind: ErrorKind::FrontMatter {
                    script: i + 1,
                    detail,
                },
            };
            let (fm, body): (ScriptFrontMatter, String) =
                split::front_matter(part).map_err(fm_err)?;
            if let Some(d) = fm.duration_s
                && !(d.is_finite() && d > 0.0)
            {
                return Err(fm_err(format!(
                    "duration_s = {d} must be a positive number of seconds"
                )));
            }
            let (heading, body) = plain(format, &body);
            if body.is_empty() {
                continue;
            }
            out.push(ExampleScript {
                title: fm.title.or(heading),
                text: body,
                source: if many {
                    format!("{}#{}", path.display(), i + 1)
                } else {
                    path.display().to_string()
                },
                duration_s: fm.duration_s,
            });
        }
        if out.is_empty() {
            return Err(IngestError {
                path: path.to_path_buf(),
                kind: ErrorKind::Empty,
            });
        }
        Ok(out)
    }
}

/// A caption file as one example script, timed by its cues' span when that is a plausible spoken
/// length for its words (a long silent intro can stretch a span past any speaking rate; the script
/// is then kept untimed rather than refused — the timings were not the user's to fix).
fn timed_script(path: &Path, text: String, span_s: Option<f64>) -> ExampleScript {
    let mut script = ExampleScript {
        title: None,
        text,
        source: path.display().to_string(),
        duration_s: span_s,
    };
    if script.check_duration().is_err() {
        script.duration_s = None;
    }
    script
}

/// Plain text of one script body and the title of its leading heading (Markdown-like formats only).
/// Lines are trimmed and runs of blank lines collapsed to one.
fn plain(format: Format, body: &str) -> (Option<String>, String) {
    let (title, text) = if format.is_markdown() {
        formats::markdown_to_text(body)
    } else {
        (None, body.to_string())
    };
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    (title, out)
}
