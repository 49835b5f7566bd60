//! `reelsmith import`: how posted scripts performed, from Instagram's and TikTok's exports,
//! instaloader's metadata or a CSV.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use reelsmith_app::import::{ImportOptions, ImportReport, import_path};
use reelsmith_core::platform::Platform;
use reelsmith_store::Store;

use crate::config::Loaded;
use reelsmith_ingest::performance::source::ExportFormat;
use reelsmith_ingest::performance::table::parse_map;

use crate::exit::UserError;

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// An export folder, its .zip, or one file of it (reels.json, user_data.json, a CSV…).
    pub path: PathBuf,
    /// The persona the posts belong to.
    #[arg(long)]
    pub persona: String,
    /// auto (recognise each file), instagram-export, instaloader, tiktok-export or csv.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// CSV columns by field: posted_at, caption, url, views, reach, likes, comments, shares, saves,
    /// duration — e.g. --map views=Plays,likes=Hearts.
    #[arg(long, value_delimiter = ',', value_name = "FIELD=COLUMN,…")]
    pub map: Vec<String>,
    /// The platform of posts whose export and link do not say (a CSV without links).
    #[arg(long)]
    pub platform: Option<String>,
    /// The time zone of times written without one (TikTok's export, most CSVs), e.g. Europe/Madrid;
    /// default UTC.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Show what would be imported; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `import`.
pub async fn run(args: ImportArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    let format = ExportFormat::parse(&args.format).map_err(UserError)?;
    let map = parse_map(&args.map).map_err(UserError)?;
    let platform = args
        .platform
        .as_deref()
        .map(|p| {
            Platform::parse_loose(p).map_err(|e| UserError(format!("--platform {}", e.reason)))
        })
        .transpose()?;
    let zone = args
        .tz
        .as_deref()
        .map(reelsmith_ingest::performance::Zone::parse)
        .transpose()
        .map_err(UserError)?;
    // Linking posts by meaning and embedding new examples use the embedding model when it is
    // there; without it posts are matched by words.
    let embedder = if args.dry_run {
        None
    } else {
        super::embedder(loaded).ok()
    };
    let report = import_path(
        store,
        super::WS,
        embedder
            .as_ref()
            .map(|e| e as &dyn reelsmith_core::embed::Embedder),
        &args.path,
        ImportOptions {
            persona: args.persona.clone(),
            format,
            map,
            platform,
            zone,
            dry_run: args.dry_run,
        },
    )
    .await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, &args.path);
    }
    let failed = report.failed_files();
    if failed > 0 {
        return Err(UserError(format!(
            "{failed} file(s) could not be imported (named above); the others {}",
            if report.dry_run { "would be" } else { "were" }
        ))
        .into());
    }
    Ok(())
}

fn print_report(r: &ImportReport, path: &std::path::Path) {
    println!(
        "{} {} for {}{}",
        if r.dry_run {
            "Would import"
        } else {
            "Imported"
        },
        path.display(),
        r.persona,
        if r.dry_run {
            " (dry run: nothing stored)"
        } else {
            ""
        }
    );
    for f in &r.files {
        match &f.error {
            None => println!("  {}  {}  {} post(s)", f.file, f.format.name(), f.posts),
            Some(e) => println!("  {}  {}  NOT IMPORTED: {e}", f.file, f.format.name()),
        }
    }
    let c = &r.counts;
    println!(
        "Posts read {}: {} new, {} updated (metrics kept as a new snapshot), {} unchanged{}{}",
        c.read + r.skipped_posts.len(),
        c.new,
        c.updated,
        c.unchanged,
        if c.merged > 0 {
            format!(", {} the same post as another entry (merged)", c.merged)
        } else {
            String::new()
        },
        if r.skipped_posts.is_empty() {
            String::new()
        } else {
            format!(", {} skipped", r.skipped_posts.len())
        }
    );
    for s in &r.skipped_posts {
        println!("  skipped {}: {}", s.source, s.reason);
    }
    if r.transcripts > 0 {
        println!(
            "{} post(s) got their video's subtitles as spoken script",
            r.transcripts
        );
    }
    let fb = &r.feedback;
    if !fb.linked.is_empty() {
        println!(
            "Linked {} post(s) to what they were made from (suggested — confirm or change with `reelsmith posts link`):",
            fb.linked.len()
        );
        for l in &fb.linked {
            println!(
                "  post {} \"{}\" -> {} ({:.0} % similar: {})",
                l.post_id,
                l.post,
                l.target,
                l.similarity * 100.0,
                l.evidence
            );
        }
    }
    if fb.examples_added > 0 {
        println!(
            "Added {} post(s) as example scripts (persona version {})",
            fb.examples_added,
            fb.persona_version.unwrap_or_default()
        );
    }
    for n in &fb.notes {
        println!("  {n}");
    }
    if !r.skipped_files.is_empty() {
        println!(
            "{} file(s) passed over (not post data), e.g. {}: {}",
            r.skipped_files.len(),
            r.skipped_files[0].file,
            r.skipped_files[0].reason
        );
    }
}
