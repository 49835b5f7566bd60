//! `reelsmith export-dataset`: a fine-tuning dataset (OpenAI chat JSONL) of the approved and
//! top-performing scripts, split into training and validation files.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use reelsmith_app::dataset::{DEFAULT_MIN_PERCENTILE, build, jsonl};
use reelsmith_store::Store;

use crate::exit::UserError;

/// Arguments of `export-dataset`.
#[derive(Debug, Args)]
pub struct DatasetArgs {
    /// The format: openai-chat (JSONL of {"messages": [...]}, OpenAI's chat fine-tuning format).
    #[arg(long, default_value = "openai-chat")]
    pub format: String,
    /// Only these personas (repeat the flag; default: all).
    #[arg(long)]
    pub persona: Vec<String>,
    /// Keep the scripts of posts at or above this percentile of the creator's posts, 0–100.
    #[arg(long, default_value_t = DEFAULT_MIN_PERCENTILE)]
    pub min_percentile: f64,
    /// Folder for train.jsonl and validation.jsonl.
    #[arg(long, default_value = "reelsmith-dataset")]
    pub out: PathBuf,
    /// Print the counts as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `export-dataset`.
pub async fn run(args: DatasetArgs, store: &Store) -> Result<()> {
    if args.format != "openai-chat" {
        return Err(UserError(format!(
            "--format {}: the only format is openai-chat",
            args.format
        ))
        .into());
    }
    let d = build(store, super::WS, &args.persona, args.min_percentile).await?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let train = args.out.join("train.jsonl");
    let validation = args.out.join("validation.jsonl");
    std::fs::write(&train, jsonl(&d.train))
        .with_context(|| format!("writing {}", train.display()))?;
    std::fs::write(&validation, jsonl(&d.validation))
        .with_context(|| format!("writing {}", validation.display()))?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "train": {"path": train, "lines": d.train.len()},
                "validation": {"path": validation, "lines": d.validation.len()},
                "approved": d.approved,
                "top_performing": d.top_performing,
                "left_out": d.left_out,
                "warning": d.warning,
            }))?
        );
        return Ok(());
    }
    println!(
        "Wrote {} ({} lines) and {} ({} lines): {} approved, {} top-performing (≥ {:.0}th percentile)",
        train.display(),
        d.train.len(),
        validation.display(),
        d.validation.len(),
        d.approved,
        d.top_performing,
        args.min_percentile
    );
    if !d.left_out.is_empty() {
        println!("Left out:");
        for (why, n) in &d.left_out {
            println!("  {n} × {why}");
        }
    }
    if let Some(w) = &d.warning {
        println!("Note: {w}");
    }
    Ok(())
}
