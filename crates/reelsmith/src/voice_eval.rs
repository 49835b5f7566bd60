//! Evaluating voice match as authorship attribution on a folder of texts by author (the layout of
//! `../shared/data/voices`: `DIR/<author>/<text>.txt`; every format persona learning reads —
//! .txt, .md, .pdf, .docx and .srt/.vtt captions): reading it, and the report — shared by
//! `reelsmith eval voice` and the weight fitting in `reelsmith-dev fit-voice`. Also reading real
//! scripts for `reelsmith eval coherence`.

use std::path::Path;

use anyhow::Result;
use reelsmith_core::attribution::eval::{Corpus, Fold, Profiles, accuracy, leave_one_out};
use serde::Serialize;

use crate::exit::UserError;

/// The eight Go Time speakers, the corpus README's topic-controlled set (same show, same topic: the
/// fair test of voice rather than topic).
pub const GO_TIME: [&str; 8] = [
    "brian-ketelsen",
    "carlisia-thompson",
    "erik-st-martin",
    "johnny-boursiquot",
    "jon-calhoun",
    "kris-brandow",
    "mat-ryer",
    "natalie-pistunovich",
];

/// Words of the whole-text profiles kept per text (the first ones): enough chunks per text for a
/// profile while keeping the leave-one-out run to minutes.
pub const TEXT_CAP_WORDS: usize = 1500;

/// Reads `DIR/<author>/*` for the given authors (every sub-folder when `authors` is empty), in
/// file-name order: each file of a type persona learning reads (`.txt`, `.md`, `.pdf`, `.docx`,
/// `.srt`, `.vtt`) is one text, read by `reader` as `persona learn` reads it. A file the reader
/// rejects (empty, corrupt, not UTF-8…) is skipped with a warning on stderr naming it and why, so
/// one bad transcript does not void a corpus; files of other types are ignored.
///
/// # Errors
/// [`UserError`] when the folder or an author's folder cannot be read, or fewer than two authors
/// have texts.
pub fn read_corpus(
    dir: &Path,
    authors: &[String],
    reader: &reelsmith_ingest::Reader,
) -> Result<Corpus> {
    let unreadable = |p: &Path, e: std::io::Error| {
        UserError(format!(
            "{}: cannot be read ({e}) — give a folder holding one sub-folder of texts (.txt, .md, .pdf, .docx, .srt, .vtt) per author",
            p.display()
        ))
    };
    let mut names: Vec<String> = if authors.is_empty() {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| unreadable(dir, e))?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    } else {
        authors.to_vec()
    };
    names.dedup();
    let mut corpus = Corpus::default();
    for name in names {
        let folder = dir.join(&name);
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .map_err(|e| unreadable(&folder, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file() && readable_type(p))
            .collect();
        files.sort();
        let texts: Vec<String> = files
            .iter()
            .filter_map(|f| skip_unreadable(reader.read_document(f)))
            .collect();
        if texts.is_empty() {
            continue;
        }
        let a = corpus.authors.len();
        corpus.authors.push(name);
        corpus.texts.extend(texts.into_iter().map(|t| (a, t)));
    }
    if corpus.authors.len() < 2 {
        return Err(UserError(format!(
            "{}: fewer than two authors with readable texts — attribution needs at least two",
            dir.display()
        ))
        .into());
    }
    Ok(corpus)
}

/// Whether `path` has a type persona learning reads, and is not a README (a corpus' description).
fn readable_type(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .and_then(reelsmith_ingest::Format::from_extension)
        .is_some()
        && !path
            .file_stem()
            .is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case("readme"))
}

/// The value, or `None` after a warning on stderr naming the file and what was wrong with it.
fn skip_unreadable<T>(read: Result<T, reelsmith_ingest::IngestError>) -> Option<T> {
    read.map_err(|e| eprintln!("warning: skipped {e}")).ok()
}

/// Example scripts per voice on `eval voice --curve`'s learning curve (the first k of each
/// speaker's other snippets); the standard measure's profiles (every other snippet) and the
/// whole-text profiles are its last two points.
pub const CURVE_EXAMPLES: [usize; 5] = [3, 6, 12, 24, 40];

/// One condition's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    /// What the profiles were built from.
    pub profiles: String,
    /// Words a voice's profile holds, the median over the authors (each author's texts as the
    /// profiles take them, one text fewer in each fold), words.
    pub profile_words: usize,
    /// Snippets attributed.
    pub snippets: usize,
    /// reelsmith's top-1 accuracy, 0–1.
    pub reelsmith: f64,
    /// Top-1 accuracy when each author's model is fitted alone (no other persona to compare with), 0–1.
    pub alone: f64,
    /// The TF-IDF character 3–5-gram nearest-centroid baseline's top-1 accuracy on the same folds, 0–1.
    pub baseline: f64,
    /// reelsmith's recall per author, 0–1.
    pub per_author: Vec<(String, f64)>,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// Runs one condition and summarises it; also returns the folds (for fitting).
pub fn run_condition(corpus: &Corpus, words: usize, profiles: Profiles) -> (Condition, Vec<Fold>) {
    let start = std::time::Instant::now();
    let folds = leave_one_out(corpus, words, profiles);
    let ours = accuracy(&folds, Fold::predicted);
    let alone = accuracy(&folds, Fold::alone_predicted);
    let base = accuracy(&folds, Fold::baseline_predicted);
    let per_author = corpus
        .authors
        .iter()
        .enumerate()
        .map(|(a, name)| {
            let mine: Vec<&Fold> = folds.iter().filter(|f| f.truth == a).collect();
            let right = mine.iter().filter(|f| f.predicted() == a).count();
            (name.clone(), right as f64 / mine.len().max(1) as f64)
        })
        .collect();
    let label = match profiles {
        Profiles::Snippets => {
            "the other texts' snippets (the corpus README's standard measure)".into()
        }
        Profiles::Texts(cap) => {
            format!(
                "the other texts whole (first {cap} words each, in {}-word chunks), as a persona learns from whole examples",
                reelsmith_core::attribution::CHUNK_WORDS
            )
        }
        Profiles::Examples(k) => {
            format!(
                "the first {k} of each author's other snippets, as a persona with {k} example scripts"
            )
        }
    };
    (
        Condition {
            profiles: label,
            profile_words: profile_words(corpus, words, profiles),
            snippets: folds.len(),
            reelsmith: ours,
            alone,
            baseline: base,
            per_author,
            seconds: start.elapsed().as_secs_f64(),
        },
        folds,
    )
}

/// The median over the authors of the words their profiles hold under `profiles`, counting each
/// author's texts as the profiles take them (the first `words` words of a snippet, the first
/// [`Profiles::Texts`] cap of a whole text; at most [`Profiles::Examples`] texts), the held-out
/// text left aside: each author's first text is the one dropped.
fn profile_words(corpus: &Corpus, words: usize, profiles: Profiles) -> usize {
    let cap = match profiles {
        Profiles::Texts(cap) => cap,
        Profiles::Snippets | Profiles::Examples(_) => words,
    };
    let mut per: Vec<usize> = (0..corpus.authors.len())
        .map(|a| {
            corpus
                .texts
                .iter()
                .filter(|(author, _)| *author == a)
                .skip(1)
                .take(profiles.limit())
                .map(|(_, t)| t.split_whitespace().count().min(cap))
                .sum()
        })
        .collect();
    per.sort_unstable();
    per.get(per.len() / 2).copied().unwrap_or(0)
}

/// Every script under `paths` (files, or folders walked recursively in name order; READMEs and
/// types persona learning does not read left out), read by `reader` as `persona learn` reads them —
/// split on `---` lines, `+++` front matter removed, Markdown as text (a leading heading is the
/// title, not the script), a caption file as one script — each cut to its first whole sentences
/// up to `max_words` words, within one speaker turn (one line) when `turns`
/// ([`reelsmith_core::score::perturb::turn_excerpt`]). A file the reader rejects is skipped with a
/// warning on stderr.
///
/// # Errors
/// [`UserError`] when a path cannot be read or holds no script.
pub fn read_scripts(
    paths: &[std::path::PathBuf],
    max_words: usize,
    turns: bool,
    reader: &reelsmith_ingest::Reader,
) -> Result<Vec<String>> {
    fn walk(p: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
        if p.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for e in entries {
                walk(&e, out)?;
            }
        } else if readable_type(p) {
            out.push(p.to_path_buf());
        }
        Ok(())
    }
    let mut scripts = Vec::new();
    for path in paths {
        let mut files = Vec::new();
        walk(path, &mut files)
            .map_err(|e| UserError(format!("{}: cannot be read ({e})", path.display())))?;
        for f in files {
            let Some(loaded) = skip_unreadable(reader.load_examples(std::slice::from_ref(&f)))
            else {
                continue;
            };
            for script in loaded.examples {
                let excerpt = if turns {
                    reelsmith_core::score::perturb::turn_excerpt(&script.text, max_words)
                } else {
                    reelsmith_core::score::perturb::excerpt(&script.text, max_words)
                };
                if !excerpt.trim().is_empty() {
                    scripts.push(excerpt);
                }
            }
        }
        if scripts.is_empty() {
            return Err(UserError(format!(
                "{}: no scripts (.txt, .md, .pdf, .docx, .srt or .vtt files) found — give folders of real scripts",
                path.display()
            ))
            .into());
        }
    }
    Ok(scripts)
}
