//! `reelsmith persona`: learn a persona from a story and example scripts, list, show and delete.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use reelsmith_app::learn::{LearnInput, learn_persona};
use reelsmith_core::embed::Embedder;
use reelsmith_core::persona::{CreatorProfile, ExampleScript, PersonaVersion, validate_name};
use reelsmith_core::store::{PerformanceStore, PersonaStore};
use reelsmith_store::Store;

use crate::config::Loaded;
use crate::exit::UserError;
use crate::render;

/// `persona` subcommands.
#[derive(Debug, Subcommand)]
pub enum PersonaCmd {
    /// Learn a persona (or a new version of one) from a story and example scripts.
    Learn(Box<LearnArgs>),
    /// List personas.
    List(JsonFlag),
    /// Show a persona's profile and learned style.
    Show(ShowArgs),
    /// Delete a persona with every version and example.
    Delete(DeleteArgs),
    /// List the persona's example scripts closest in meaning to a topic (embedding cosine, exact top-k).
    Similar(SimilarArgs),
}

/// Arguments of `persona similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The persona's name.
    pub name: String,
    /// The topic or draft to compare with.
    pub topic: String,
    /// How many examples to list.
    #[arg(short = 'k', long, default_value_t = reelsmith_app::retrieve::DEFAULT_SIMILAR as u16,
        value_parser = clap::value_parser!(u16).range(1..=reelsmith_app::retrieve::MAX_SIMILAR as i64))]
    pub top: u16,
    /// Search this version (from 1) instead of the latest.
    #[arg(long)]
    pub version: Option<u32>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--json` alone.
#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `persona learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The persona's short name (letters, digits, '-', '_', '.'), e.g. maya.
    #[arg(long)]
    pub name: String,
    /// The creator's story (txt, md, pdf, docx, srt or vtt); TOML front matter between +++ lines sets profile fields.
    #[arg(long, value_name = "FILE")]
    pub story: Option<PathBuf>,
    /// Example scripts: files or folders (txt, md, pdf, docx; captions .srt and .vtt, each one script timed by its cues); a file may hold several scripts separated
    /// by '---' lines. Repeat the flag or list several paths.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub examples: Vec<PathBuf>,
    /// Keep the previous version's examples and add these to them (default: the new version has only
    /// the examples given now).
    #[arg(long)]
    pub append: bool,
    /// Spoken length of each new example in seconds, in the order they are read, e.g. 32,41,28 —
    /// lets reelsmith learn the speaking rate (front matter `duration_s` works per script too).
    #[arg(long, value_name = "SECONDS,...", value_delimiter = ',')]
    pub durations: Vec<f64>,
    /// Language of the scripts (ISO 639-1, e.g. es); detected when not given.
    #[arg(long)]
    pub language: Option<String>,
    /// Display name, e.g. "Maya Okafor".
    #[arg(long)]
    pub display_name: Option<String>,
    /// Niche, e.g. "sleep for shift workers".
    #[arg(long)]
    pub niche: Option<String>,
    /// Areas of expertise (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub expertise: Vec<String>,
    /// What makes the voice recognisable, in a sentence.
    #[arg(long)]
    pub unique_voice: Option<String>,
    /// Personality traits (comma-separated or repeated).
    #[arg(long = "trait", value_delimiter = ',')]
    pub traits: Vec<String>,
    /// How stories are told.
    #[arg(long)]
    pub storytelling_style: Option<String>,
    /// Who the videos are for.
    #[arg(long)]
    pub audience: Option<String>,
    /// Audience pain points (comma-separated or repeated).
    #[arg(long = "pain-point", value_delimiter = ',')]
    pub pain_points: Vec<String>,
    /// What the audience wants (comma-separated or repeated).
    #[arg(long = "desire", value_delimiter = ',')]
    pub desires: Vec<String>,
    /// Preferred script length in seconds (15–90).
    #[arg(long, value_name = "SECONDS")]
    pub optimal_length: Option<u32>,
    /// Topics that performed well (comma-separated or repeated).
    #[arg(long = "topic", value_delimiter = ',')]
    pub topics: Vec<String>,
    /// Do not ask the analysis model for the semantic persona fields (see `[llm] analyze_persona`).
    #[arg(long)]
    pub no_llm: bool,
    /// Print the stored version as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `persona show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The persona's name.
    pub name: String,
    /// Show this version (from 1) instead of the latest.
    #[arg(long)]
    pub version: Option<u32>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `persona delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The persona's name.
    pub name: String,
    /// Delete without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Delete it even though some of its scripts were approved (they are deleted with it).
    #[arg(long)]
    pub force: bool,
}

/// Runs a `persona` subcommand against `store`.
pub async fn run(cmd: PersonaCmd, store: &Store, loaded: &Loaded) -> Result<()> {
    match cmd {
        PersonaCmd::Learn(args) => learn(*args, store, loaded).await,
        PersonaCmd::Similar(args) => similar(&args, store, loaded).await,
        PersonaCmd::List(a) => {
            let list = store.personas(super::WS).await?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                print!("{}", render::persona_list(&list));
            }
            Ok(())
        }
        PersonaCmd::Show(a) => {
            let p = store.persona(super::WS, &a.name, a.version).await?;
            let posts = store.posts(super::WS, &p.name).await?;
            let preferences =
                reelsmith_app::experiments::persona_preferences(store, super::WS, &p.name, &posts)
                    .await?;
            if a.json {
                let mut v = serde_json::to_value(&p)?;
                v["preferences"] = serde_json::to_value(&preferences)?;
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                print!("{}", render::persona(&p));
                print!("{}", render::preferences(&preferences));
            }
            Ok(())
        }
        PersonaCmd::Delete(a) => delete(a, store).await,
    }
}

impl LearnArgs {
    /// The profile fields given as flags.
    fn profile(&self) -> CreatorProfile {
        CreatorProfile {
            display_name: self.display_name.clone(),
            story: None,
            niche: self.niche.clone(),
            expertise: self.expertise.clone(),
            unique_voice: self.unique_voice.clone(),
            personality_traits: self.traits.clone(),
            storytelling_style: self.storytelling_style.clone(),
            target_audience: self.audience.clone(),
            pain_points: self.pain_points.clone(),
            desires: self.desires.clone(),
            optimal_length_s: self.optimal_length,
            successful_topics: self.topics.clone(),
            language: self.language.clone(),
        }
    }
}

/// Reads every input first and stores only when all of it is good: bad input stores nothing.
async fn learn(args: LearnArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    validate_name(&args.name)?;
    let reader = super::document_reader()?;
    let story = args
        .story
        .as_deref()
        .map(|p| reader.load_story(p))
        .transpose()?;
    let mut examples = Vec::new();
    if !args.examples.is_empty() {
        let read = reader.load_examples(&args.examples)?;
        for skipped in &read.skipped {
            eprintln!(
                "warning: skipped {} (not .txt, .md, .pdf, .docx, .srt or .vtt)",
                skipped.display()
            );
        }
        examples = read.examples;
    }
    apply_durations(&mut examples, &args.durations)?;
    let mut profile = CreatorProfile::default();
    if let Some(story) = story {
        profile = story.profile;
        if !story.text.is_empty() {
            profile.story = Some(story.text);
        }
    }
    let profile = profile.overlay(args.profile());
    let router = (!args.no_llm && loaded.config.llm.analyze_persona)
        .then(|| super::llm::router(loaded, store));
    let embedder = super::embedder(loaded);
    if let Err(e) = &embedder {
        eprintln!("warning: {e}");
    }
    let learned = learn_persona(
        store,
        super::WS,
        router
            .as_ref()
            .map(|r| r as &dyn reelsmith_core::llm::ModelRouter),
        embedder.as_ref().ok().map(|e| e as &dyn Embedder),
        LearnInput {
            name: args.name.clone(),
            profile,
            examples,
            append: args.append,
        },
    )
    .await?;
    for w in &learned.warnings {
        eprintln!("warning: {w}");
    }
    if let (Some(run), false) = (&learned.analysis, args.json) {
        let (filled, left) = (learned.filled(), learned.left());
        eprintln!(
            "LLM analysis ({} {}, {:.1} s): {}; left to you: {} — state them in the story's front matter or with flags.",
            run.provider,
            run.model,
            run.latency_ms as f64 / 1000.0,
            if filled.is_empty() {
                "nothing new filled".to_string()
            } else {
                format!("filled {}", filled.join(", "))
            },
            if left.is_empty() {
                "nothing".to_string()
            } else {
                left.join(", ")
            }
        );
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&learned.persona)?);
    } else {
        print_learned(&learned.persona);
    }
    Ok(())
}

/// Sets each example's duration from `--durations`, which must give one per example.
fn apply_durations(examples: &mut [ExampleScript], durations: &[f64]) -> Result<()> {
    if durations.is_empty() {
        return Ok(());
    }
    if durations.len() != examples.len() {
        return Err(UserError(format!(
            "--durations gives {} values but {} example scripts were read — give one duration in seconds per script, in the order they are read",
            durations.len(),
            examples.len()
        ))
        .into());
    }
    for (ex, d) in examples.iter_mut().zip(durations) {
        if !(d.is_finite() && *d > 0.0) {
            return Err(UserError(format!(
                "--durations: {d} is not a positive number of seconds"
            ))
            .into());
        }
        ex.duration_s = Some(*d);
    }
    Ok(())
}

fn print_learned(p: &PersonaVersion) {
    println!(
        "Learned {} version {} from {} example script{} ({}, {:.0} WPM).",
        p.name,
        p.version,
        p.examples.len(),
        if p.examples.len() == 1 { "" } else { "s" },
        p.style.language.name,
        p.style.pace.wpm
    );
    println!();
    print!("{}", render::persona(p));
}

async fn delete(args: DeleteArgs, store: &Store) -> Result<()> {
    let p = reelsmith_app::persona::deletable(store, super::WS, &args.name, args.force).await?;
    if !args.yes {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return Err(UserError(format!(
                "not deleting '{}' without confirmation: stdin is not a terminal — pass --yes to delete",
                args.name
            ))
            .into());
        }
        print!(
            "Delete persona '{}' with its {} version{} and their example scripts? This cannot be undone. [y/N] ",
            p.name,
            p.versions,
            if p.versions == 1 { "" } else { "s" }
        );
        std::io::stdout().flush().context("writing the prompt")?;
        let mut answer = String::new();
        stdin
            .lock()
            .read_line(&mut answer)
            .context("reading the answer")?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            println!("Kept '{}'.", p.name);
            return Ok(());
        }
    }
    let d = store.delete_persona(super::WS, &p.name).await?;
    println!(
        "Deleted persona '{}' ({} version{}, {} example script{}).",
        args.name,
        d.versions,
        if d.versions == 1 { "" } else { "s" },
        d.examples,
        if d.examples == 1 { "" } else { "s" }
    );
    Ok(())
}

#[derive(serde::Serialize)]
struct Similar<'a> {
    rank: usize,
    similarity: f32,
    example_id: i64,
    title: Option<&'a str>,
    source: &'a str,
    text: &'a str,
}

async fn similar(args: &SimilarArgs, store: &dyn PersonaStore, loaded: &Loaded) -> Result<()> {
    let p = store.persona(super::WS, &args.name, args.version).await?;
    let model = super::embedder(loaded)?;
    let hits = reelsmith_app::retrieve::similar(
        &p,
        &args.topic,
        Some(usize::from(args.top)),
        Some(&model),
    )?;
    let rows: Vec<Similar<'_>> = hits
        .iter()
        .map(|h| {
            let e = &p.examples[h.index];
            Similar {
                rank: h.rank,
                similarity: h.similarity,
                example_id: e.id,
                title: e.example.title.as_deref(),
                source: &e.example.source,
                text: &e.example.text,
            }
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!(
        "{} v{}: examples closest to “{}” ({}, cosine)",
        p.name,
        p.version,
        args.topic,
        model.model()
    );
    for r in rows {
        println!(
            "{:>2}. {:.3}  {} ({})",
            r.rank,
            r.similarity,
            r.title.unwrap_or("untitled"),
            r.source
        );
        println!(
            "      {}",
            reelsmith_core::text::truncate_chars(&r.text.replace('\n', " "), 110)
        );
    }
    Ok(())
}
