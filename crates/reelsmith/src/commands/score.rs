//! `reelsmith score`: the score card of a draft — timing, quality, nine viral dimensions and voice match.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use reelsmith_app::score::{Draft, ScoreInput, score_drafts};
use reelsmith_core::embed::Embedder;
use reelsmith_store::Store;
use serde::Serialize;

use crate::config::Loaded;
use crate::exit::UserError;
use crate::render_card;

/// Arguments of `score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The draft: a txt, md, pdf, docx, srt or vtt file (each `---`-separated script is scored), or - for stdin.
    pub file: PathBuf,
    /// Score against this persona: its speaking rate, audience and voice.
    #[arg(long)]
    pub persona: Option<String>,
    /// The persona version (default: latest).
    #[arg(long, requires = "persona")]
    pub version: Option<u32>,
    /// Target length in seconds (15–90; default: the persona's optimal length, else 30).
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<f64>,
    /// Language of the draft (ISO 639-1); default: the persona's, else detected.
    #[arg(long)]
    pub language: Option<String>,
    /// The topic the script must cover (checked by meaning with the embedding model).
    #[arg(long)]
    pub topic: Option<String>,
    /// A requirement the script must meet; repeat for several.
    #[arg(long = "require", value_name = "REQUIREMENT")]
    pub requirements: Vec<String>,
    /// The platform it is for: reels, tiktok, shorts, facebook (a spoken script), x or linkedin (a
    /// text post, scored on its format instead of spoken timing).
    #[arg(long)]
    pub platform: Option<String>,
    /// The content type it is for: educational, promotional or storytelling are checked (does it
    /// teach something concrete, name its offer, tell something that happened); inspirational and
    /// entertaining are noted as not checked.
    #[arg(long = "type", value_name = "CONTENT_TYPE")]
    pub content_type: Option<String>,
    /// Also read the draft with the local language model for the coherence check's order evidence
    /// (about 2 s of CPU on two cores). Off by default, as in generation, where the local model
    /// would be judging its own writing.
    #[arg(long)]
    pub lm: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Scored {
    source: String,
    card: reelsmith_core::score::ScoreCard,
}

/// Runs `score`.
pub async fn run(args: ScoreArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    let drafts: Vec<Draft> = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the draft from stdin")?;
        if text.trim().is_empty() {
            return Err(
                UserError("stdin is empty — pipe a draft in, or pass a file".into()).into(),
            );
        }
        vec![Draft::new("stdin", text)]
    } else {
        super::document_reader()?
            .load_examples(std::slice::from_ref(&args.file))?
            .examples
            .into_iter()
            .map(|e| Draft {
                source: e.source,
                text: e.text,
                spoken_s: e.duration_s,
            })
            .collect()
    };
    // The embedding model, when installed: the topic, the requirements and the coherence checks
    // compare meaning with it, with or without a persona, as the API's `/score` does.
    let model = super::embedder(loaded).ok();
    let lm = super::likelihood_model(loaded, args.lm)?;
    let result = score_drafts(
        store,
        super::WS,
        model.as_ref().map(|m| m as &dyn Embedder),
        lm.as_ref()
            .map(|l| l as &dyn reelsmith_core::score::likelihood::LikelihoodModel),
        ScoreInput {
            drafts,
            persona: args.persona.clone().map(|p| (p, args.version)),
            target_s: args.duration,
            language: args.language.clone(),
            topic: args.topic.clone(),
            requirements: args.requirements.clone(),
            platform: args
                .platform
                .as_deref()
                .map(reelsmith_core::platform::Platform::parse_loose)
                .transpose()
                .map_err(|e| UserError(format!("--platform {}", e.reason)))?,
            content_type: args
                .content_type
                .as_deref()
                .map(<reelsmith_core::platform::ContentType as reelsmith_core::platform::Named>::parse)
                .transpose()
                .map_err(|e| UserError(format!("--type {}", e.reason)))?,
        },
    )
    .await?;
    let scored: Vec<Scored> = result
        .cards
        .into_iter()
        .map(|(source, card)| Scored { source, card })
        .collect();
    let persona = result.persona;
    if args.json {
        let value = if scored.len() == 1 {
            serde_json::to_value(&scored[0])?
        } else {
            serde_json::to_value(&scored)?
        };
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        let against = persona
            .as_ref()
            .map(|p| format!("{} v{}", p.name, p.version));
        for (i, s) in scored.iter().enumerate() {
            if i > 0 {
                println!();
            }
            print!(
                "{}",
                render_card::card(&s.source, &s.card, against.as_deref())
            );
        }
    }
    Ok(())
}
