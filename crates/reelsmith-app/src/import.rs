//! Importing post performance: read an export (a folder, its `.zip` or one file; see
//! [`reelsmith_ingest::performance`]) and store its posts for a persona, idempotently.
//!
//! Each file is all or nothing: a file with a bad entry contributes no post, and the report names
//! the entry and the reason; the good files are stored in one transaction. A post's platform comes
//! from its format (Instagram's export and instaloader: Reels; TikTok's export: TikTok), else its
//! link, else `platform`. Then the persona's new posts are linked to what they were made from or
//! added as examples ([`crate::feedback`]).

use std::path::{Path, PathBuf};

use reelsmith_core::embed::Embedder;
use reelsmith_core::generation::FieldError;
use reelsmith_core::performance::{ImportCounts, ImportedPost, platform_of, post_key};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::Workspace;
use reelsmith_ingest::performance::Zone;
use reelsmith_ingest::performance::source::{ExportFormat, ReadOptions, Skipped, read_path};
use reelsmith_ingest::performance::table::Field;
use serde::Serialize;

use crate::ServiceError;
use crate::feedback::{Feedback, FeedbackStore, link_and_learn};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The persona the posts belong to.
    pub persona: String,
    /// Read every file as this format (default: recognise each).
    pub format: Option<ExportFormat>,
    /// CSV columns named explicitly.
    pub map: Vec<(Field, String)>,
    /// The platform of posts whose format and link do not say.
    pub platform: Option<Platform>,
    /// The zone of times written without an offset (TikTok's export, most CSVs); default UTC.
    pub zone: Option<Zone>,
    /// Count what would change, store nothing.
    pub dry_run: bool,
}

/// One file's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileReport {
    /// The file.
    pub file: String,
    /// Its format.
    pub format: ExportFormat,
    /// Posts read from it (0 when it failed).
    pub posts: usize,
    /// Why none of its posts were imported.
    pub error: Option<String>,
}

/// A post read but not stored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedPost {
    /// Where it was read.
    pub source: String,
    /// Why it was skipped.
    pub reason: String,
}

/// What an import read and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The persona.
    pub persona: String,
    /// Nothing was stored.
    pub dry_run: bool,
    /// Every file read, in name order.
    pub files: Vec<FileReport>,
    /// Files passed over (not post data).
    pub skipped_files: Vec<Skipped>,
    /// Posts read but not stored.
    pub skipped_posts: Vec<SkippedPost>,
    /// What happened to the stored posts.
    pub counts: ImportCounts,
    /// Posts given their video's subtitles as spoken script.
    pub transcripts: usize,
    /// Posts linked to generations or examples, and posts added as examples (nothing on a dry run).
    pub feedback: Feedback,
}

impl ImportReport {
    /// Whether any file failed.
    pub fn failed_files(&self) -> usize {
        self.files.iter().filter(|f| f.error.is_some()).count()
    }
}

fn platform_for(
    format: ExportFormat,
    post: &ImportedPost,
    fallback: Option<Platform>,
) -> Option<Platform> {
    match format {
        ExportFormat::InstagramExport | ExportFormat::Instaloader => Some(Platform::Reels),
        ExportFormat::TiktokExport => Some(Platform::Tiktok),
        ExportFormat::Csv => post.url.as_deref().and_then(platform_of).or(fallback),
    }
}

/// Reads `path` and stores its posts for the persona.
///
/// # Errors
/// [`ServiceError::Invalid`] when `path` cannot be read as an export (a missing path, a broken
/// `.zip`, one file that is not post data) or holds no export file; [`ServiceError::Store`] for an
/// unknown persona or a storage failure (nothing stored).
pub async fn import_path<S: FeedbackStore>(
    store: &S,
    ws: Workspace,
    embedder: Option<&dyn Embedder>,
    path: &Path,
    options: ImportOptions,
) -> Result<ImportReport, ServiceError> {
    let owned: PathBuf = path.to_path_buf();
    let read = ReadOptions {
        format: options.format,
        map: options.map.clone(),
        zone: options.zone.clone(),
    };
    let found = tokio::task::spawn_blocking(move || read_path(&owned, &read))
        .await
        .map_err(|e| FieldError::new("path", format!("reading it stopped: {e}")))?
        .map_err(|e| FieldError::new("path", e.to_string()))?;
    if found.files.is_empty() {
        let why = found
            .skipped
            .first()
            .map(|s| {
                format!(
                    " ({} files passed over, e.g. {}: {})",
                    found.skipped.len(),
                    s.file,
                    s.reason
                )
            })
            .unwrap_or_default();
        return Err(FieldError::new(
            "path",
            format!(
                "{} holds no post data{why} — give an Instagram or TikTok export (folder or .zip), instaloader's .json files or a CSV",
                path.display()
            ),
        )
        .into());
    }
    let mut files = Vec::new();
    let mut posts = Vec::new();
    let mut skipped_posts = Vec::new();
    for f in found.files {
        match f.posts {
            Ok(list) => {
                let n = list.len();
                let placed: Vec<(Option<Platform>, ImportedPost)> = list
                    .into_iter()
                    .map(|p| (platform_for(f.format, &p, options.platform), p))
                    .collect();
                if let Some((_, p)) = placed.iter().find(|(platform, _)| platform.is_none()) {
                    files.push(FileReport {
                        file: f.file,
                        format: f.format,
                        posts: 0,
                        error: Some(format!(
                            "{}: its link does not say which platform the post is on — add --platform (reels, tiktok, shorts or facebook)",
                            p.source
                        )),
                    });
                    continue;
                }
                for (platform, p) in placed {
                    match (platform, post_key(&p)) {
                        (Some(platform), Some(key)) => posts.push((platform, key, p)),
                        _ => skipped_posts.push(SkippedPost {
                            source: p.source.clone(),
                            reason:
                                "no link, posting time, media file or caption to know the post by"
                                    .into(),
                        }),
                    }
                }
                files.push(FileReport {
                    file: f.file,
                    format: f.format,
                    posts: n,
                    error: None,
                });
            }
            Err(e) => files.push(FileReport {
                file: f.file,
                format: f.format,
                posts: 0,
                error: Some(e.detail),
            }),
        }
    }
    let counts = store
        .import_posts(ws, &options.persona, &posts, options.dry_run)
        .await?;
    let feedback = if options.dry_run {
        Feedback::default()
    } else {
        link_and_learn(store, ws, &options.persona, embedder).await?
    };
    Ok(ImportReport {
        persona: options.persona.trim().to_string(),
        dry_run: options.dry_run,
        files,
        skipped_files: found.skipped,
        skipped_posts,
        counts,
        transcripts: found.transcripts,
        feedback,
    })
}
