//! `reelsmith generate`: persona + topic -> the best of N scored scripts, fitted to the target length,
//! in timed sections with caption and hashtags; stored with every attempt and LLM call.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use clap::{Args, ValueEnum};
use reelsmith_core::embed::nearest_examples;
use reelsmith_core::generation::{NewAttempt, NewGeneration, ScriptOutput, ScriptRequest};
use reelsmith_core::hashtags::{hashtags, used_tags};
use reelsmith_core::llm::TokenSink;
use reelsmith_core::persona::{MAX_DURATION_S, MIN_DURATION_S, PersonaVersion};
use reelsmith_core::prompts::Brief;
use reelsmith_core::store::{GenerationStore, PersonaStore};
use reelsmith_llm::CallContext;
use reelsmith_llm::generate::{Fit, Job, generate};
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
    /// Target length in seconds (15–90).
    #[arg(long, default_value_t = 30)]
    pub duration: u32,
    /// educational, inspirational, entertaining, promotional or storytelling.
    #[arg(long = "type", default_value = "educational", value_parser = ["educational", "inspirational", "entertaining", "promotional", "storytelling"])]
    pub content_type: String,
    /// casual, professional, technical or sales.
    #[arg(long, default_value = "casual", value_parser = ["casual", "professional", "technical", "sales"])]
    pub style: String,
    /// Language (ISO 639-1); default: the persona's.
    #[arg(long)]
    pub language: Option<String>,
    /// reels, tiktok or shorts.
    #[arg(long, default_value = "reels", value_parser = ["reels", "tiktok", "shorts"])]
    pub platform: String,
    /// Attempts to write and score (1–8).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub attempts: u32,
    /// Something the script must do (repeatable), e.g. "mention the free guide".
    #[arg(long)]
    pub require: Vec<String>,
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

/// English name of an ISO 639-1 code, for prompts.
fn language_name(code: &str) -> String {
    whatlang_name(code).unwrap_or_else(|| code.to_string())
}

fn whatlang_name(code: &str) -> Option<String> {
    let info = reelsmith_core::language::detect_language("", Some(code));
    (info.name != "und" && !info.name.is_empty()).then_some(info.name)
}

/// The persona's examples closest to the topic: by embedding when the model is available, else in
/// stored order.
fn retrieve(p: &PersonaVersion, topic: &str, loaded: &Loaded) -> Vec<usize> {
    const K: usize = 3;
    match super::embedder(loaded) {
        Ok(model) => match nearest_examples(p, &model, topic, K) {
            Ok(hits) if !hits.is_empty() => hits.into_iter().map(|(i, _)| i).collect(),
            _ => (0..p.examples.len().min(K)).collect(),
        },
        Err(_) => (0..p.examples.len().min(K)).collect(),
    }
}

/// The stored script: sections, a caption (hook and CTA) and hashtags for the request's platform.
fn script_output(
    persona: &PersonaVersion,
    request: &ScriptRequest,
    draft: &reelsmith_core::script::Draft,
    card: &reelsmith_core::score::ScoreCard,
    sections: Vec<reelsmith_core::script::Section>,
    fit: String,
) -> ScriptOutput {
    let texts: Vec<&str> = persona
        .examples
        .iter()
        .map(|e| e.example.text.as_str())
        .collect();
    let language = request
        .language
        .clone()
        .unwrap_or_else(|| persona.style.language.code.clone());
    ScriptOutput {
        title: request.topic.clone(),
        caption: format!("{} {}", draft.hook, draft.cta),
        hashtags: hashtags(
            &request.topic,
            persona.profile.niche.as_deref(),
            &used_tags(&texts),
            &language,
            &request.platform,
        ),
        duration_s: card.timing.estimated_s,
        words: card.words,
        wpm: card.timing.wpm,
        fit,
        sections,
    }
}

/// The user's trend phrases, for the score card.
async fn trend_phrases(store: &Store) -> Result<Vec<String>> {
    Ok(reelsmith_core::store::TrendStore::trends(store)
        .await?
        .into_iter()
        .map(|t| t.phrase)
        .collect())
}

/// The brief of a stored or new request.
fn brief<'a>(request: &'a ScriptRequest, language_name: &'a str) -> Brief<'a> {
    Brief {
        topic: &request.topic,
        duration_s: request.duration_s,
        content_type: &request.content_type,
        tone: &request.style,
        requirements: &request.requirements,
        language: language_name,
    }
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

/// Runs `regenerate`: a new version of the generation with one section rewritten; the original is kept
/// as its parent.
pub async fn regenerate(args: RegenerateArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    if args.instructions.trim().is_empty() {
        return Err(UserError("--instructions is empty: say what to change".into()).into());
    }
    let parent = store.generation(args.id).await?;
    let script = parent.script.clone().ok_or_else(|| {
        UserError(format!(
            "generation {} failed and has no script to revise",
            parent.id
        ))
    })?;
    if args.section == 0 || args.section > script.sections.len() {
        return Err(UserError(format!(
            "--section {} is out of range: generation {} has sections 1 to {}",
            args.section,
            parent.id,
            script.sections.len()
        ))
        .into());
    }
    let persona = store
        .persona(&parent.persona, Some(parent.persona_version))
        .await?;
    let n = script.sections.len();
    let draft = reelsmith_core::script::Draft {
        hook: script.sections[0].voiceover.clone(),
        body: script.sections[1..n - 1]
            .iter()
            .map(|s| s.voiceover.clone())
            .collect(),
        cta: script.sections[n - 1].voiceover.clone(),
    };
    let request = parent.request.clone();
    let examples = retrieve(&persona, &request.topic, loaded);
    let lang_name = language_name(request.language.as_deref().unwrap_or("en"));
    let trends = trend_phrases(store).await?;
    let job = Job {
        persona: &persona,
        examples: &examples,
        brief: brief(&request, &lang_name),
        trends: &trends,
        attempts: 1,
    };
    let router = super::llm::router(loaded, store);
    let r = reelsmith_llm::generate::regenerate_section(
        &router,
        CallContext::default(),
        &job,
        &draft,
        args.section - 1,
        args.instructions.trim(),
    )
    .await?;
    let fit = if r.trimmed { "trimmed" } else { "as_written" }.to_string();
    let out = script_output(&persona, &request, &r.draft, &r.card, r.sections, fit);
    let stored = store
        .save_generation(&NewGeneration {
            persona: persona.name.clone(),
            persona_version: persona.version,
            parent_id: Some(parent.id),
            request,
            attempts: vec![NewAttempt {
                raw_text: r.raw,
                draft: Some(r.draft),
                error: None,
                card: Some(r.card.clone()),
            }],
            winner: Some(0),
            script: Some(out),
            card: Some(r.card),
            error: None,
            call_ids: vec![r.call_id],
        })
        .await?;
    let format = if args.json { Format::Json } else { args.format };
    super::history::emit(&stored, format, None)?;
    if !args.json {
        eprintln!(
            "Saved as generation {} (version {}, revising {}).",
            stored.id, stored.version, parent.id
        );
    }
    Ok(())
}

/// Runs `generate`.
pub async fn run(args: GenerateArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    if !(MIN_DURATION_S..=MAX_DURATION_S).contains(&args.duration) {
        return Err(UserError(format!(
            "--duration {} is out of range: use {MIN_DURATION_S} to {MAX_DURATION_S} seconds",
            args.duration
        ))
        .into());
    }
    if args.topic.trim().is_empty() {
        return Err(UserError("--topic is empty: say what the video is about".into()).into());
    }
    let persona = store.persona(&args.persona, None).await?;
    let language = args
        .language
        .clone()
        .unwrap_or_else(|| persona.style.language.code.clone());
    let request = ScriptRequest {
        persona: persona.name.clone(),
        topic: args.topic.trim().to_string(),
        duration_s: f64::from(args.duration),
        content_type: args.content_type.clone(),
        style: args.style.clone(),
        language: Some(language.clone()),
        platform: args.platform.clone(),
        attempts: args.attempts,
        requirements: args.require.clone(),
    };
    let examples = retrieve(&persona, &request.topic, loaded);
    let router = super::llm::router(loaded, store);
    let trends = trend_phrases(store).await?;
    let lang_name = language_name(&language);
    let job = Job {
        persona: &persona,
        examples: &examples,
        brief: brief(&request, &lang_name),
        trends: &trends,
        attempts: args.attempts,
    };
    let progress = (!args.quiet && !args.json).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!(
            "writing {} attempt(s) for “{}”…",
            args.attempts, request.topic
        ));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let tokens = Arc::new(AtomicUsize::new(0));
    let sink: Option<TokenSink> = progress.clone().map(|bar| {
        let tokens = Arc::clone(&tokens);
        let n = args.attempts;
        Arc::new(move |i: usize, _piece: &str| {
            let t = tokens.fetch_add(1, Ordering::Relaxed) + 1;
            bar.set_message(format!("attempt {} of {n} · {t} tokens so far", i + 1));
        }) as TokenSink
    });
    let result = generate(&router, CallContext::default(), &job, sink.as_ref()).await;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let new = match result {
        Ok(g) => {
            let fit = match g.fit {
                Fit::AsWritten => "as_written".to_string(),
                Fit::Rewritten(n) => format!("rewritten_{n}"),
                Fit::Trimmed => "trimmed".to_string(),
            };
            let script = script_output(&persona, &request, &g.draft, &g.card, g.sections, fit);
            NewGeneration {
                persona: persona.name.clone(),
                persona_version: persona.version,
                parent_id: None,
                request,
                attempts: g
                    .attempts
                    .into_iter()
                    .map(|a| NewAttempt {
                        raw_text: a.text,
                        draft: a.draft,
                        error: a.error,
                        card: a.card,
                    })
                    .collect(),
                winner: Some(g.winner),
                script: Some(script),
                card: Some(g.card),
                error: None,
                call_ids: g.call_ids,
            }
        }
        Err(e) => {
            // The failure is stored too, so history shows it; then it is reported.
            let failed = NewGeneration {
                persona: persona.name.clone(),
                persona_version: persona.version,
                parent_id: None,
                request,
                attempts: Vec::new(),
                winner: None,
                script: None,
                card: None,
                error: Some(e.to_string()),
                call_ids: Vec::new(),
            };
            let stored = store.save_generation(&failed).await?;
            eprintln!("generation {} failed and was recorded", stored.id);
            return Err(e.into());
        }
    };
    let stored = store.save_generation(&new).await?;
    let format = if args.json { Format::Json } else { args.format };
    super::history::emit(&stored, format, args.output.as_deref())?;
    if !args.quiet && !args.json && args.output.is_none() {
        eprintln!(
            "Saved as generation {} · `reelsmith show {}` · `reelsmith approve {} --status approved`",
            stored.id, stored.id, stored.id
        );
    }
    Ok(())
}
