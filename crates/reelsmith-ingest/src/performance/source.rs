//! Where an import's files come from and what each one is: an export folder, its `.zip`, or one
//! file on its own (a `reels.json` saved elsewhere). Every file is recognised by its name and
//! content — so a renamed file still reads — and read by its reader; files that are not post data
//! (an export's followers, messages, media) are listed as skipped with the reason.

use std::io::Read as _;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::table::Field;
use super::{ImportError, ImportedPost, Zone, instagram, instaloader, subtitles, table, tiktok};

/// Largest single file read from a folder or a `.zip`, bytes (64 MiB: a years-long insights file is
/// a few MiB).
pub const MAX_EXPORT_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Most files looked at in one folder or `.zip` (Instagram exports hold a few thousand).
pub const MAX_EXPORT_FILES: usize = 50_000;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Instagram's "Download your information" JSON.
    InstagramExport,
    /// instaloader's per-post metadata.
    Instaloader,
    /// TikTok's "Download your data" JSON.
    TiktokExport,
    /// A CSV with a header row.
    Csv,
}

impl ExportFormat {
    /// Its name on the command line (`--format`).
    pub fn name(self) -> &'static str {
        match self {
            Self::InstagramExport => "instagram-export",
            Self::Instaloader => "instaloader",
            Self::TiktokExport => "tiktok-export",
            Self::Csv => "csv",
        }
    }

    /// The format named `s` (`auto` is `None`).
    ///
    /// # Errors
    /// A message listing the names.
    pub fn parse(s: &str) -> Result<Option<Self>, String> {
        let all = [
            Self::InstagramExport,
            Self::Instaloader,
            Self::TiktokExport,
            Self::Csv,
        ];
        if s.eq_ignore_ascii_case("auto") {
            return Ok(None);
        }
        all.into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .map(Some)
            .ok_or_else(|| {
                let names: Vec<&str> = all.iter().map(|f| f.name()).collect();
                format!("--format “{s}” is not auto, {}", names.join(", "))
            })
    }
}

/// What a file's name and first bytes say it is, or why it is not post data.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<ExportFormat, String> {
    let lower = name.to_lowercase();
    if lower.ends_with(".csv") {
        return Ok(ExportFormat::Csv);
    }
    if lower.ends_with(".json.xz") || lower.ends_with("_utc.json") {
        return Ok(ExportFormat::Instaloader);
    }
    if !lower.ends_with(".json") {
        return Err("not a .json, .json.xz or .csv file".into());
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|_| "not valid JSON".to_string())?;
    let has = |k: &str| v.get(k).is_some();
    // A bare array is Instagram's only when its entries carry a media list (`posts_1.json`); other
    // files of the export are bare arrays too (followers, likes).
    if instagram::shape(&v).is_some_and(|(entries, _)| {
        !v.is_array()
            || entries
                .first()
                .is_some_and(|e| e.get("media").is_some_and(Value::is_array))
    }) {
        return Ok(ExportFormat::InstagramExport);
    }
    if v.pointer("/Post/Posts").is_some() || v.pointer("/Video/Videos").is_some() {
        return Ok(ExportFormat::TiktokExport);
    }
    if has("node") && has("instaloader") {
        return Ok(ExportFormat::Instaloader);
    }
    Err(
        "holds no posts (not a posts, reels, insights, TikTok user_data or instaloader file)"
            .into(),
    )
}

/// One file's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRead {
    /// The file (its path inside the folder or `.zip`).
    pub file: String,
    /// Its format.
    pub format: ExportFormat,
    /// Its posts, or why none of them can be imported (a file is read whole or not at all).
    #[serde(skip)]
    pub posts: Result<Vec<ImportedPost>, ImportError>,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file.
    pub file: String,
    /// Why it was not read.
    pub reason: String,
}

/// Everything found under a path.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Found {
    /// The files read, in name order.
    pub files: Vec<FileRead>,
    /// The files passed over.
    pub skipped: Vec<Skipped>,
    /// Posts given their video's subtitles as transcript.
    pub transcripts: usize,
    /// Subtitles files read (path, spoken text), until they are attached.
    #[serde(skip)]
    subtitles: Vec<(String, String)>,
}

impl Found {
    /// Gives the posts read the subtitles found next to their videos.
    fn attach_subtitles(mut self) -> Found {
        let subtitles = std::mem::take(&mut self.subtitles);
        if !subtitles.is_empty() {
            for file in &mut self.files {
                if let Ok(posts) = &mut file.posts {
                    self.transcripts += subtitles::attach(posts, &subtitles);
                }
            }
        }
        self
    }
}

/// How to read the files: a forced format, CSV columns, the zone of times without an offset.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Read every file as this format (default: recognise each).
    pub format: Option<ExportFormat>,
    /// CSV columns named explicitly.
    pub map: Vec<(Field, String)>,
    /// The zone of times written without an offset (default UTC).
    pub zone: Option<Zone>,
}

fn read_one(name: &str, bytes: &[u8], opts: &ReadOptions, found: &mut Found) {
    if subtitles::is_subtitles(name) {
        match subtitles::text(name, bytes) {
            Ok(t) => found.subtitles.push((name.to_string(), t)),
            Err(reason) => found.skipped.push(Skipped {
                file: name.to_string(),
                reason,
            }),
        }
        return;
    }
    let forced = opts.format;
    let format = match forced.map_or_else(|| sniff(name, bytes), Ok) {
        Ok(f) => f,
        Err(reason) => {
            found.skipped.push(Skipped {
                file: name.to_string(),
                reason,
            });
            return;
        }
    };
    let text = || match format {
        ExportFormat::Instaloader => instaloader::text(name, bytes),
        _ => String::from_utf8(bytes.to_vec())
            .map_err(|_| ImportError::new(name, "is not UTF-8 text — save it as UTF-8")),
    };
    let posts = text().and_then(|t| match format {
        ExportFormat::InstagramExport => instagram::read(name, &t),
        ExportFormat::TiktokExport => tiktok::read(name, &t, opts.zone.as_ref()),
        ExportFormat::Instaloader => instaloader::read(name, &t).map(|p| vec![p]),
        ExportFormat::Csv => table::read(name, &t, &opts.map, opts.zone.as_ref()),
    });
    found.files.push(FileRead {
        file: name.to_string(),
        format,
        posts,
    });
}

/// Reads every export file under `path`: a folder (walked in name order), a `.zip` (entries in
/// name order) or one file, as `opts` says.
///
/// # Errors
/// [`ImportError`] when `path` cannot be read, a `.zip` is broken or holds more than
/// [`MAX_EXPORT_FILES`] entries, or a file is larger than [`MAX_EXPORT_FILE_BYTES`].
pub fn read_path(path: &Path, opts: &ReadOptions) -> Result<Found, ImportError> {
    let shown = path.display().to_string();
    let too_big = |name: &str| {
        ImportError::new(
            name,
            format!(
                "is larger than {} MiB — not an export file",
                MAX_EXPORT_FILE_BYTES / (1024 * 1024)
            ),
        )
    };
    let mut found = Found::default();
    if path.is_dir() {
        let mut entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .take(MAX_EXPORT_FILES + 1)
            .collect();
        if entries.len() > MAX_EXPORT_FILES {
            return Err(ImportError::new(
                &shown,
                format!(
                    "holds more than {MAX_EXPORT_FILES} files — point at the export folder itself"
                ),
            ));
        }
        entries.sort_by(|a, b| a.path().cmp(b.path()));
        for e in entries {
            let rel = e
                .path()
                .strip_prefix(path)
                .unwrap_or(e.path())
                .display()
                .to_string();
            if e.metadata().map_or(0, |m| m.len()) > MAX_EXPORT_FILE_BYTES {
                found.skipped.push(Skipped {
                    file: rel,
                    reason: too_big("").detail,
                });
                continue;
            }
            let bytes = std::fs::read(e.path())
                .map_err(|err| ImportError::new(&rel, format!("cannot be read ({err})")))?;
            read_one(&rel, &bytes, opts, &mut found);
        }
        return Ok(found.attach_subtitles());
    }
    let meta = std::fs::metadata(path)
        .map_err(|e| ImportError::new(&shown, format!("cannot be read ({e})")))?;
    if meta.len() > MAX_EXPORT_FILE_BYTES && !shown.to_lowercase().ends_with(".zip") {
        return Err(too_big(&shown));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| ImportError::new(&shown, format!("cannot be read ({e})")))?;
    if shown.to_lowercase().ends_with(".zip") {
        let mut zip = zip::ZipArchive::new(file)
            .map_err(|e| ImportError::new(&shown, format!("is not a readable .zip ({e})")))?;
        if zip.len() > MAX_EXPORT_FILES {
            return Err(ImportError::new(
                &shown,
                format!("holds more than {MAX_EXPORT_FILES} files"),
            ));
        }
        let mut names: Vec<(String, usize)> = (0..zip.len())
            .filter_map(|i| {
                let f = zip.by_index(i).ok()?;
                let name = f.name().ok()?.to_string();
                f.is_file().then_some((name, i))
            })
            .collect();
        names.sort();
        for (name, i) in names {
            let entry = zip.by_index(i).map_err(|e| {
                ImportError::new(&name, format!("cannot be read from the .zip ({e})"))
            })?;
            let mut bytes = Vec::new();
            entry
                .take(MAX_EXPORT_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| {
                    ImportError::new(&name, format!("cannot be read from the .zip ({e})"))
                })?;
            if bytes.len() as u64 > MAX_EXPORT_FILE_BYTES {
                found.skipped.push(Skipped {
                    file: name,
                    reason: too_big("").detail,
                });
                continue;
            }
            read_one(&name, &bytes, opts, &mut found);
        }
        return Ok(found.attach_subtitles());
    }
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::new(&shown, format!("cannot be read ({e})")))?;
    let name = path
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    read_one(&name, &bytes, opts, &mut found);
    if let Some(s) = found.skipped.first() {
        // One file given on its own: not being post data is an error, not a skip.
        return Err(ImportError::new(
            &shown,
            format!(
                "{} — give an export folder, its .zip, or one of its post files",
                s.reason
            ),
        ));
    }
    Ok(found)
}
