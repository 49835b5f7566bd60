//! `reelsmith history | show | approve | delete | export`: the stored generations.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use reelsmith_core::export::export;
use reelsmith_core::generation::{Approval, Generation, HistoryFilter};
use reelsmith_core::platform::{GenerationStatus, Named, Platform, Style};
use reelsmith_core::store::GenerationStore;

use super::generate::Format;
use crate::exit::UserError;

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this persona.
    #[arg(long)]
    pub persona: Option<String>,
    /// Only this review state: draft, approved, rejected or needs_revision.
    #[arg(long)]
    pub status: Option<String>,
    /// Only this writing style: casual, professional, technical or sales.
    #[arg(long)]
    pub style: Option<String>,
    /// Only this platform: reels, tiktok or shorts.
    #[arg(long)]
    pub platform: Option<String>,
    /// Only topics containing this text (case-insensitive).
    #[arg(long)]
    pub search: Option<String>,
    /// Include deleted generations.
    #[arg(long)]
    pub deleted: bool,
    /// Rows (1–100).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,
    /// Rows to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `show` and `export`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Generation id (from `reelsmith history`).
    pub id: i64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `approve`.
#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// Generation id.
    pub id: i64,
    /// approved, rejected, needs_revision (or draft to reset).
    #[arg(long, default_value = "approved")]
    pub status: String,
    /// Who reviewed.
    #[arg(long)]
    pub by: Option<String>,
    /// Review notes.
    #[arg(long)]
    pub notes: Option<String>,
}

/// Arguments of `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Generation id.
    pub id: i64,
    /// Remove it and its attempts for good (default: hide it from history, keep it).
    #[arg(long)]
    pub hard: bool,
}

/// Renders a generation in `format`.
///
/// # Errors
/// A failed generation has no script to export.
pub fn render(g: &Generation, format: Format) -> Result<String> {
    export(g, format.into()).map_err(|e| UserError(e.reason).into())
}

/// Prints or writes a generation.
///
/// # Errors
/// Rendering errors, or the file cannot be written.
pub fn emit(g: &Generation, format: Format, output: Option<&Path>) -> Result<()> {
    let text = render(g, format)?;
    match output {
        Some(path) => std::fs::write(path, text).with_context(|| {
            format!(
                "cannot write {} — check the folder exists and is writable",
                path.display()
            )
        })?,
        None => print!("{text}{}", if text.ends_with('\n') { "" } else { "\n" }),
    }
    Ok(())
}

/// Runs `history`.
pub async fn history(args: HistoryArgs, store: &dyn GenerationStore) -> Result<()> {
    let filter = HistoryFilter {
        persona: args.persona.clone(),
        approval: args.status.as_deref().map(Approval::parse).transpose()?,
        style: args.style.as_deref().map(Style::parse).transpose()?,
        platform: args
            .platform
            .as_deref()
            .map(Platform::parse_loose)
            .transpose()?,
        since: None,
        until: None,
        query: args.search.clone(),
        include_deleted: args.deleted,
        limit: args.limit,
        offset: args.offset,
    };
    let (rows, total) = store.generations(super::WS, &filter).await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"total": total, "rows": rows}))?
        );
        return Ok(());
    }
    if rows.is_empty() {
        println!(
            "No generations yet. Write one with: reelsmith generate --persona NAME --topic \"...\" --duration 30"
        );
        return Ok(());
    }
    println!(
        "{:>5}  {:<16}  {:<12}  {:>4}  {:>3}  {:>5}  {:<16}  topic",
        "id", "when (UTC)", "persona", "s", "v", "score", "status"
    );
    for r in &rows {
        println!(
            "{:>5}  {:<16}  {:<12}  {:>4.0}  {:>3}  {:>5}  {:<16}  {}",
            r.id,
            r.created_at.format("%Y-%m-%d %H:%M"),
            reelsmith_core::text::truncate_chars(&r.persona, 12),
            r.duration_s,
            r.version,
            r.overall.map_or("—".into(), |s| format!("{s:.0}")),
            if r.status != GenerationStatus::Completed {
                r.status.as_str().to_string()
            } else {
                r.approval.as_str().to_string()
            },
            r.topic
        );
    }
    println!(
        "{} of {total} (--offset/--limit page through them)",
        rows.len()
    );
    Ok(())
}

/// Runs `show` / `export`.
pub async fn show(args: ShowArgs, store: &dyn GenerationStore) -> Result<()> {
    let g = store.generation(super::WS, args.id).await?;
    emit(&g, args.format, args.output.as_deref())
}

/// Runs `approve`.
pub async fn approve(args: ApproveArgs, store: &dyn GenerationStore) -> Result<()> {
    let approval = Approval::parse(&args.status)?;
    let g = store
        .set_approval(
            super::WS,
            args.id,
            approval,
            args.by.as_deref(),
            args.notes.as_deref(),
        )
        .await?;
    println!("Generation {} is now {}.", g.id, g.approval.as_str());
    Ok(())
}

/// Runs `delete`.
pub async fn delete(args: DeleteArgs, store: &dyn GenerationStore) -> Result<()> {
    store
        .delete_generation(super::WS, args.id, args.hard)
        .await?;
    if args.hard {
        println!("Deleted generation {} and its attempts.", args.id);
    } else {
        println!(
            "Hid generation {} from history (kept; `history --deleted` lists it, `delete {} --hard` removes it).",
            args.id, args.id
        );
    }
    Ok(())
}
