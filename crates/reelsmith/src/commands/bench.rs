//! `reelsmith bench`: throughput of the deterministic score card and of the embedding model, as tables
//! of medians over several rounds (machines here are noisy: compare runs made in the same session).
//! The load and model benchmarks are developer tooling: `reelsmith-dev bench`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use reelsmith_core::attribution::VoiceModel;
use reelsmith_core::embed::Embedder;
use reelsmith_core::score::{ScoreRequest, VoiceContext, score};
use reelsmith_core::text::{median, words};
use serde::Serialize;

use crate::config::Loaded;
use crate::exit::UserError;

/// A 30-second script at 150 WPM: 75 words, hook, body beats and a CTA.
pub const SCRIPT_30S: &str = "Stop drinking coffee the second your night shift starts.\n\
Here's the thing: caffeine peaks an hour after your first cup.\n\
Half of it is still in your blood six hours later.\n\
So the 3am coffee is still working when you try to sleep at 9.\n\
Try this tonight: have your last cup before the halfway point of your shift.\n\
After that, it's cold water and a walk.\n\
Save this for your next rotation and follow for more.";

/// `bench` subcommands.
#[derive(Debug, Subcommand)]
pub enum BenchCmd {
    /// Score cards per second on one core, for a 30-second script.
    Score(RoundArgs),
    /// Sentences embedded per second (batches of 16) on the CPU.
    Embed(EmbedArgs),
}

/// Rounds and their length.
#[derive(Debug, Args)]
pub struct RoundArgs {
    /// Timed rounds; the table reports their median, min and max.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rounds: u32,
    /// Seconds per round.
    #[arg(long, default_value_t = 1.0)]
    pub seconds: f64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `bench embed`.
#[derive(Debug, Args)]
pub struct EmbedArgs {
    /// Sentences to embed, one per line (default: the bundled example scripts' lines).
    #[arg(long, value_name = "FILE")]
    pub sentences: Option<PathBuf>,
    /// Rounds and their length.
    #[command(flatten)]
    pub rounds: RoundArgs,
}

/// One benchmark's result.
#[derive(Debug, Serialize)]
pub struct BenchResult {
    /// What was measured.
    pub name: String,
    /// Items per round.
    pub items: usize,
    /// Median items per second over the rounds.
    pub median_per_s: f64,
    /// Slowest round, items per second.
    pub min_per_s: f64,
    /// Fastest round, items per second.
    pub max_per_s: f64,
    /// Rounds.
    pub rounds: u32,
}

/// Runs `f` (which processes `items` items) for `rounds` rounds of at least `seconds` each.
fn measure(
    name: &str,
    items: usize,
    args: &RoundArgs,
    mut f: impl FnMut() -> Result<()>,
) -> Result<BenchResult> {
    f()?; // warm-up
    let mut rates = Vec::new();
    for _ in 0..args.rounds {
        let start = Instant::now();
        let mut done = 0usize;
        while start.elapsed() < Duration::from_secs_f64(args.seconds) || done == 0 {
            f()?;
            done += items;
        }
        rates.push(done as f64 / start.elapsed().as_secs_f64());
    }
    Ok(BenchResult {
        name: name.into(),
        items,
        median_per_s: median(&rates).unwrap_or(0.0),
        min_per_s: rates.iter().copied().fold(f64::INFINITY, f64::min),
        max_per_s: rates.iter().copied().fold(0.0, f64::max),
        rounds: args.rounds,
    })
}

fn print(rs: &[BenchResult], unit: &str, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(rs)?);
    } else {
        println!("| benchmark | median {unit}/s | min | max | rounds |");
        println!("|---|---:|---:|---:|---:|");
        for r in rs {
            println!(
                "| {} | {:.0} | {:.0} | {:.0} | {} |",
                r.name, r.median_per_s, r.min_per_s, r.max_per_s, r.rounds
            );
        }
    }
    Ok(())
}

/// The bundled personas' scripts (front matter left in: the voice model sees them as written).
const MAYA: [&str; 8] = [
    include_str!("../../../../examples/maya/scripts/01-coffee-timing.md"),
    include_str!("../../../../examples/maya/scripts/02-day-off.md"),
    include_str!("../../../../examples/maya/scripts/03-supply-closet.md"),
    include_str!("../../../../examples/maya/scripts/04-blackout.md"),
    include_str!("../../../../examples/maya/scripts/05-4am-snack.md"),
    include_str!("../../../../examples/maya/scripts/06-sunglasses.md"),
    include_str!("../../../../examples/maya/scripts/07-naps.md"),
    include_str!("../../../../examples/maya/scripts/08-burnout.md"),
];
const LUCIA: [&str; 3] = [
    include_str!("../../../../examples/lucia/scripts/01-comisiones.md"),
    include_str!("../../../../examples/lucia/scripts/02-50-30-20.md"),
    include_str!("../../../../examples/lucia/scripts/03-ventanilla.md"),
];

/// Runs a `bench` subcommand.
pub async fn run(cmd: BenchCmd, loaded: &Loaded) -> Result<()> {
    match cmd {
        BenchCmd::Score(args) => {
            let n = words(SCRIPT_30S).len();
            let plain = ScoreRequest {
                text: SCRIPT_30S,
                target_s: Some(30.0),
                language: Some("en"),
                ..Default::default()
            };
            let maya = reelsmith_core::persona::PersonaVersion::unsaved(
                "maya",
                MAYA.iter()
                    .enumerate()
                    .map(|(i, t)| reelsmith_core::persona::ExampleScript {
                        title: None,
                        text: (*t).to_string(),
                        source: format!("maya #{i}"),
                        duration_s: None,
                    })
                    .collect(),
                Some("en"),
            );
            let alone = VoiceModel::fit(&[MAYA.to_vec()]);
            let among = VoiceModel::fit(&[MAYA.to_vec(), LUCIA.to_vec()]);
            let maya = &maya;
            let with = |model: &VoiceModel, competitors: &[String]| {
                let model = model.clone();
                let competitors = competitors.to_vec();
                move || {
                    let req = ScoreRequest {
                        style: Some(&maya.style),
                        profile: Some(&maya.profile),
                        voice: Some(VoiceContext {
                            model: &model,
                            index: 0,
                            competitors: &competitors,
                        }),
                        ..plain
                    };
                    std::hint::black_box(score(std::hint::black_box(&req)));
                    Ok(())
                }
            };
            // The card `generate` computes for each attempt: content type and platform, and the
            // topic when one is given.
            let briefed = |topic: Option<&'static str>| {
                move || {
                    let req = ScoreRequest {
                        content_type: Some(reelsmith_core::platform::ContentType::Educational),
                        platform: Some(reelsmith_core::platform::Platform::Reels),
                        topic,
                        ..plain
                    };
                    std::hint::black_box(score(std::hint::black_box(&req)));
                    Ok(())
                }
            };
            let rows = vec![
                measure(
                    &format!("score card, {n}-word 30 s script, no persona, 1 core"),
                    1,
                    &args,
                    || {
                        std::hint::black_box(score(std::hint::black_box(&plain)));
                        Ok(())
                    },
                )?,
                measure(
                    "score card, same script, with its content type and platform checked (as generate)",
                    1,
                    &args,
                    briefed(None),
                )?,
                measure(
                    "score card, same, with a topic (by shared words: no embedding model here)",
                    1,
                    &args,
                    briefed(Some("coffee timing on night shifts")),
                )?,
                measure(
                    "score card, same, with a topic that asks why (the answer check runs)",
                    1,
                    &args,
                    briefed(Some("why coffee timing fails you on night shifts")),
                )?,
                measure(
                    "score card against a persona alone (voice model fitted once)",
                    1,
                    &args,
                    with(&alone, &[]),
                )?,
                measure(
                    "score card against a persona and 1 competitor",
                    1,
                    &args,
                    with(&among, &["lucia".to_string()]),
                )?,
                measure("voice model fit, 8 examples, alone", 1, &args, || {
                    std::hint::black_box(VoiceModel::fit(&[MAYA.to_vec()]));
                    Ok(())
                })?,
                measure(
                    "voice model fit, 8 + 3 examples, 2 voices",
                    1,
                    &args,
                    || {
                        std::hint::black_box(VoiceModel::fit(&[MAYA.to_vec(), LUCIA.to_vec()]));
                        Ok(())
                    },
                )?,
            ];
            print(&rows, "items", args.json)
        }
        BenchCmd::Embed(args) => {
            let text = match &args.sentences {
                Some(p) => std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?,
                None => bundled_sentences(),
            };
            let sentences: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            if sentences.is_empty() {
                return Err(UserError(
                    "no sentences to embed — give a file with one sentence per line".into(),
                )
                .into());
            }
            let model = super::embedder(loaded)?;
            let r = measure(
                &format!(
                    "{} embeddings, {} sentences, batches of 16",
                    model.model(),
                    sentences.len()
                ),
                sentences.len(),
                &args.rounds,
                || {
                    std::hint::black_box(model.embed(&sentences)?);
                    Ok(())
                },
            )?;
            print(std::slice::from_ref(&r), "sentences", args.rounds.json)
        }
    }
}

/// The bundled example scripts, one line each (front matter and headings dropped).
pub fn bundled_sentences() -> String {
    const SCRIPTS: &[&str] = &[
        include_str!("../../../../examples/maya/scripts/01-coffee-timing.md"),
        include_str!("../../../../examples/maya/scripts/02-day-off.md"),
        include_str!("../../../../examples/maya/scripts/03-supply-closet.md"),
        include_str!("../../../../examples/maya/scripts/04-blackout.md"),
        include_str!("../../../../examples/lucia/scripts/01-comisiones.md"),
        include_str!("../../../../examples/lucia/scripts/02-50-30-20.md"),
    ];
    SCRIPTS
        .iter()
        .flat_map(|s| s.lines())
        .filter(|l| {
            !l.starts_with('#')
                && !l.starts_with("+++")
                && !l.contains(" = ")
                && !l.trim().is_empty()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
