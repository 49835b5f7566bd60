//! `reelsmith generate`: persona + topic -> the best of N scored scripts, fitted to the target length,
//! in timed sections with caption and hashtags; stored with every attempt and LLM call.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use clap::{Args, ValueEnum};
use reelsmith_app::Models;
use reelsmith_app::request::ScriptInput;
use reelsmith_app::write::{Started, retry_script, revise_section, run_script, start_script};
use reelsmith_core::embed::Embedder;
use reelsmith_core::export::ExportFormat;
use reelsmith_core::platform::Named;
use reelsmith_core::progress::{FitStep, Progress, ProgressSink};
use reelsmith_store::Store;

use crate::config::Loaded;
use crate::exit::UserError;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown for reading.
    Md,
    /// JSON for tools (times in seconds: `start_s`, `end_s`, `duration_s`).
    Json,
    /// SRT captions timed by sentence.
    Srt,
    /// Teleprompter text with pauses.
    Teleprompter,
    /// Plain text to paste: a thread's posts, a LinkedIn post, a video's voiceover and caption.
    Txt,
}

impl From<Format> for ExportFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Md => Self::Md,
            Format::Json => Self::Json,
            Format::Srt => Self::Srt,
            Format::Teleprompter => Self::Teleprompter,
            Format::Txt => Self::Txt,
        }
    }
}

/// Arguments of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The persona to write as.
    #[arg(long)]
    pub persona: String,
    /// What the video is about.
    #[arg(long)]
    pub topic: String,
    /// Target length in seconds (15–90; default 30).
    #[arg(long)]
    pub duration: Option<f64>,
    /// educational (default), inspirational, entertaining, promotional or storytelling.
    #[arg(long = "type")]
    pub content_type: Option<String>,
    /// casual (default), professional, technical or sales.
    #[arg(long)]
    pub style: Option<String>,
    /// Language (ISO 639-1); default: the persona's.
    #[arg(long)]
    pub language: Option<String>,
    /// reels (default), tiktok, shorts or facebook.
    #[arg(long)]
    pub platform: Option<String>,
    /// Attempts to write and score (1–8; default 3).
    #[arg(long)]
    pub attempts: Option<u32>,
    /// Something the script must do (repeatable), e.g. "mention the free guide".
    #[arg(long)]
    pub require: Vec<String>,
    /// Background the script must draw on (facts, an offer, a story; up to 4,000 characters).
    #[arg(long, conflicts_with = "context_file")]
    pub context: Option<String>,
    /// Read the background from this file instead.
    #[arg(long, value_name = "FILE")]
    pub context_file: Option<PathBuf>,
    /// normal (default), trending (lean on the trend list) or urgent (one attempt, faster).
    #[arg(long)]
    pub urgency: Option<String>,
    /// Where and how the script is shown.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// How `generate` and `retry` show the stored script.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Write the output to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// No progress on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Print the stored generation as JSON (same as --format json).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `retry`.
#[derive(Debug, Args)]
pub struct RetryArgs {
    /// A failed or interrupted generation (from `reelsmith history`).
    pub id: i64,
    /// Where and how the script is shown.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Runs `retry`: the generation runs again in place with its request and persona version; its
/// earlier attempts and calls stay with it (and in its cost).
pub async fn retry(args: RetryArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    let started = retry_script(store, super::WS, args.id).await?;
    write_and_show(store, loaded, started, &args.out).await
}

/// Arguments of `regenerate`.
#[derive(Debug, Args)]
pub struct RegenerateArgs {
    /// The generation to revise (from `reelsmith history`).
    pub id: i64,
    /// The section to rewrite, as numbered by `reelsmith show` (1 is the hook).
    #[arg(long)]
    pub section: usize,
    /// What to change, e.g. "more energetic".
    #[arg(long)]
    pub instructions: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Print the new generation as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `repurpose`.
#[derive(Debug, Args)]
pub struct RepurposeArgs {
    /// The generation to repurpose (from `reelsmith history`).
    pub id: i64,
    /// The platforms to write it for, comma-separated: reels, tiktok, shorts, facebook, x, linkedin.
    #[arg(long, value_name = "PLATFORMS")]
    pub to: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Print the new generations as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `repurpose`: one new generation per platform, written from the stored script and linked to
/// it.
pub async fn repurpose(args: RepurposeArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    let targets = reelsmith_app::repurpose::parse_targets(&args.to)
        .map_err(|e| UserError(format!("--to {}", e.reason)))?;
    let router = super::llm::router(loaded, store);
    let embedder = super::embedder(loaded).ok();
    let models = Models {
        router: &router,
        embedder: embedder.as_ref().map(|e| e as &dyn Embedder),
    };
    let made =
        reelsmith_app::repurpose::repurpose(store, super::WS, models, args.id, &targets).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&made)?);
        return Ok(());
    }
    for g in &made {
        super::history::emit(g, args.format, None)?;
        eprintln!(
            "Saved as generation {} ({} for {}, repurposed from {}).",
            g.id,
            g.script.as_ref().map_or("script", |s| s.format().label()),
            g.request.platform.as_str(),
            args.id
        );
    }
    Ok(())
}

/// Runs `regenerate`: a new version of the generation with one section rewritten; the original is kept
/// as its parent.
pub async fn regenerate(args: RegenerateArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    let router = super::llm::router(loaded, store);
    let embedder = super::embedder(loaded).ok();
    let models = Models {
        router: &router,
        embedder: embedder.as_ref().map(|e| e as &dyn Embedder),
    };
    let stored = revise_section(
        store,
        super::WS,
        models,
        args.id,
        args.section,
        &args.instructions,
    )
    .await?;
    let format = if args.json { Format::Json } else { args.format };
    super::history::emit(&stored, format, None)?;
    if !args.json {
        eprintln!(
            "Saved as generation {} (version {}, revising {}).",
            stored.id, stored.version, args.id
        );
    }
    Ok(())
}

/// Runs `generate`.
pub async fn run(args: GenerateArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    let context = match &args.context_file {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            crate::exit::UserError(format!(
                "--context-file {}: cannot be read ({e}) — give a UTF-8 text file",
                path.display()
            ))
        })?),
        None => args.context.clone(),
    };
    let request = ScriptInput {
        persona: args.persona.clone(),
        topic: args.topic.clone(),
        duration_s: args.duration,
        content_type: args.content_type.clone(),
        style: args.style.clone(),
        language: args.language.clone(),
        platform: args.platform.clone(),
        attempts: args.attempts,
        requirements: args.require.clone(),
        context,
        urgency: args.urgency.clone(),
    }
    .resolve()?;
    let started = start_script(store, super::WS, request).await?;
    write_and_show(store, loaded, started, &args.out).await
}

/// Runs a started generation with a progress spinner and shows what was stored.
async fn write_and_show(
    store: &Store,
    loaded: &Loaded,
    started: Started,
    args: &OutputArgs,
) -> Result<()> {
    let attempts = started.request.effective_attempts();
    let router = super::llm::router(loaded, store);
    let embedder = super::embedder(loaded).ok();
    let models = Models {
        router: &router,
        embedder: embedder.as_ref().map(|e| e as &dyn Embedder),
    };
    let bar = (!args.quiet && !args.json).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("writing {attempts} attempt(s)…"));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let sink = bar.clone().map(|bar| progress_bar(bar, attempts));
    let result = run_script(store, super::WS, models, started, sink.as_ref()).await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let stored = result?;
    let format = if args.json { Format::Json } else { args.format };
    super::history::emit(&stored, format, args.output.as_deref())?;
    if !args.quiet && !args.json && args.output.is_none() {
        for d in stored.script.iter().flat_map(|s| &s.drew_on) {
            eprintln!("Drew on: {d}");
        }
        eprintln!(
            "Saved as generation {} · `reelsmith show {}` · `reelsmith approve {} --status approved`",
            stored.id, stored.id, stored.id
        );
    }
    Ok(())
}

/// Progress on the terminal: attempt k of N with tokens so far, each score, each fitting round.
fn progress_bar(bar: indicatif::ProgressBar, attempts: u32) -> ProgressSink {
    let tokens = AtomicUsize::new(0);
    Arc::new(move |event: Progress| match event {
        Progress::Started { .. } => {}
        Progress::Token { attempt, .. } => {
            let t = tokens.fetch_add(1, Ordering::Relaxed) + 1;
            bar.set_message(format!(
                "attempt {} of {attempts} · {t} tokens so far",
                attempt + 1
            ));
        }
        Progress::Scored {
            attempt,
            overall,
            estimated_s,
            error,
        } => bar.println(match (overall, estimated_s) {
            (Some(o), Some(s)) => format!("  attempt {}: {o:.0}/100, {s:.0} s", attempt + 1),
            _ => format!(
                "  attempt {}: dropped ({})",
                attempt + 1,
                error.unwrap_or_default()
            ),
        }),
        Progress::Fitting {
            how,
            round,
            estimated_s,
            target_s,
        } => bar.set_message(format!(
            "fitting {estimated_s:.0} s to {target_s:.0} s: {} {round}…",
            match how {
                FitStep::Continuation => "continuing the body, round",
                FitStep::Rewrite => "rewriting, round",
                FitStep::Trim => "trimming at sentence boundaries, step",
            }
        )),
    })
}
