//! Ingest errors: every one names the file and says what to do about it.

use std::path::PathBuf;

/// A file (or folder) could not be used as input. Displays as `PATH: reason — fix`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct IngestError {
    /// The offending file or folder.
    pub path: PathBuf,
    /// What was wrong.
    pub kind: ErrorKind,
}

/// What was wrong with an input file.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// No such file or folder.
    #[error("no such file or folder — check the path")]
    Missing,
    /// The OS refused to read it.
    #[error("cannot be read ({0}) — check its permissions")]
    Unreadable(std::io::Error),
    /// Zero bytes, or only whitespace and separators.
    #[error("is empty — it needs at least one script")]
    Empty,
    /// A story file with no story: no text and no front matter.
    #[error(
        "is empty — a story file holds the creator's story in their words, or TOML front matter with their profile (see examples/maya/story.md)"
    )]
    EmptyStory,
    /// A PDF or DOCX without text.
    #[error(
        "holds no text (a scanned PDF?) — export it with a text layer or paste the text into a .txt file"
    )]
    NoText,
    /// A text file in another encoding.
    #[error("is not UTF-8 text (first bad byte on line {line}) — save it as UTF-8")]
    NotUtf8 {
        /// Line of the first invalid byte, from 1.
        line: usize,
    },
    /// Not a valid file of its type.
    #[error("is not a readable {format} file ({detail}) — open it in its app and save it again")]
    Corrupt {
        /// `PDF`, `DOCX`, `SubRip (.srt)` or `WebVTT (.vtt)`.
        format: &'static str,
        /// The parser's reason.
        detail: String,
    },
    /// An encrypted PDF.
    #[error("is password-protected — save an unprotected copy and use that")]
    PasswordProtected,
    /// An OLE2 container named `.docx`: an encrypted Word file or an old `.doc`.
    #[error(
        "is password-protected or a legacy Word .doc — remove the password, or save it as .docx, and use that"
    )]
    PasswordProtectedOrLegacy,
    /// Not a supported extension.
    #[error("has an unsupported type '{0}' — use .txt, .md, .pdf, .docx, .srt or .vtt")]
    Unsupported(String),
    /// A folder without any supported file.
    #[error("holds no scripts — put .txt, .md, .pdf, .docx, .srt or .vtt files in it")]
    NoScripts,
    /// Larger than [`crate::MAX_FILE_BYTES`].
    #[error("is {size} bytes, over the {max}-byte limit — split it into several files")]
    TooLarge {
        /// File size, bytes.
        size: u64,
        /// The limit, bytes.
        max: u64,
    },
    /// Decompresses (a ZIP part, or the extracted text) to more than the limit.
    #[error(
        "expands to more than {limit_mib} MiB when unpacked, which no script needs — save its text as a .txt file and use that"
    )]
    Expands {
        /// The limit, MiB.
        limit_mib: u64,
    },
    /// The reader ran out of time (a text bomb, or a parser loop).
    #[error(
        "took longer than {seconds} s to read — save its text as a .txt file (or split it) and use that"
    )]
    TookTooLong {
        /// The limit, seconds.
        seconds: u64,
    },
    /// The reader overflowed its stack (a structure that refers to itself).
    #[error(
        "nests too deeply to read (part of it refers to itself) — open it in its app and export it again, or save its text as a .txt file"
    )]
    TooDeep,
    /// The reader hit its memory limit.
    #[error(
        "needs more than {limit_mib} MiB of memory to read — save its text as a .txt file and use that"
    )]
    NeedsTooMuchMemory {
        /// The limit, MiB.
        limit_mib: u64,
    },
    /// The document-reading child process could not be started.
    #[error("could not be read: the document reader did not start ({0}) — reinstall reelsmith")]
    ReaderUnavailable(std::io::Error),
    /// The document-reading child process failed in another way.
    #[error("could not be read ({0}) — open it in its app and save it again")]
    ReaderFailed(String),
    /// Invalid TOML front matter.
    #[error("has invalid front matter in script {script}: {detail}")]
    FrontMatter {
        /// Script number within the file, from 1.
        script: usize,
        /// What was wrong.
        detail: String,
    },
}
