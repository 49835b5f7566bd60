//! `reelsmith bench generate`: reelsmith's own overhead on a whole generation. A local
//! OpenAI-compatible server with a fixed latency (started here) answers; the table compares one bare
//! call with a 3-attempt generation (goal: ratio ≤ 1.05, since the attempts go out as one request with
//! `n`), then runs the same generation on the local model and reports its tokens/s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use reelsmith_app::generate::{Job, generate};
use reelsmith_core::llm::Step;
use reelsmith_core::persona::{ExampleScript, PersonaVersion};
use reelsmith_core::prompts::Brief;
use reelsmith_core::store::LedgerStore;
use reelsmith_core::store::Workspace;
use reelsmith_core::text::median;
use reelsmith_llm::config::LlmConfig;
use reelsmith_llm::{CallContext, LlmRouter};

use reelsmith::config::Loaded;

/// Arguments of `bench generate`.
#[derive(Debug, Args)]
pub struct GenerateBenchArgs {
    /// The fake server's latency per request, milliseconds.
    #[arg(long, default_value_t = 300)]
    pub latency_ms: u64,
    /// Rounds (medians reported).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rounds: u32,
    /// Skip the local-model generation.
    #[arg(long)]
    pub no_local: bool,
}

/// The bundled persona's first scripts, as example scripts (front matter and headings dropped).
pub fn bundled_examples() -> Vec<ExampleScript> {
    let texts = [
        include_str!("../../../examples/maya/scripts/01-coffee-timing.md"),
        include_str!("../../../examples/maya/scripts/02-day-off.md"),
        include_str!("../../../examples/maya/scripts/04-blackout.md"),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| ExampleScript {
            title: Some(format!("example {i}")),
            text: t
                .lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with("+++") && !l.contains(" = "))
                .collect::<Vec<_>>()
                .join("\n"),
            source: format!("bundled #{i}"),
            duration_s: None,
        })
        .collect()
}

/// Runs `bench generate`.
pub async fn run(args: GenerateBenchArgs, loaded: &Loaded) -> Result<()> {
    let fake = crate::bench_fake::start(Duration::from_millis(args.latency_ms)).await?;
    let dir = tempfile::tempdir()?;
    let ledger = Arc::new(reelsmith_store::Store::open_sqlite(&dir.path().join("bench.db")).await?);
    let router = LlmRouter::new(
        &crate::bench_fake::config(&fake.base_url),
        dir.path().to_path_buf(),
        ledger.clone(),
    );
    let persona = PersonaVersion::unsaved("maya", bundled_examples(), Some("en"));
    let brief = Brief::plain(
        "caffeine on night shifts",
        75.0 / persona.style.pace.wpm * 60.0,
        "English",
    );
    let voice = reelsmith_app::voice::VoiceJudge::fit(&persona, &[]);
    let job = Job {
        persona: &persona,
        voice: &voice,
        language: Some("en"),
        examples: &[0, 1],
        brief: brief.clone(),
        trends: &[],
        viral_weights: None,
        attempts: 3,
        embedder: None,
        checkpoint: None,
    };
    let (mut bare_ms, mut gen_ms) = (Vec::new(), Vec::new());
    for round in 0..args.rounds {
        // The baseline, interleaved with the generations so both see the same machine load.
        bare_ms.extend(crate::bench_fake::bare_calls_ms(&router, 1, round == 0).await?);
        let t = Instant::now();
        let g = generate(&router, CallContext::default(), &job, None).await?;
        gen_ms.push(t.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(
            g.card.timing.within_window,
            "the bench answer no longer fits its target"
        );
    }
    let (b, g) = (
        median(&bare_ms).unwrap_or(0.0),
        median(&gen_ms).unwrap_or(0.0),
    );
    println!(
        "fake OpenAI-compatible server, {} ms latency, {} rounds (medians)\n",
        args.latency_ms, args.rounds
    );
    println!("| what | median ms |\n|---|---:|");
    println!("| one bare call | {b:.1} |");
    println!("| generate, 3 attempts (one request with n = 3), parse, score, select | {g:.1} |");
    println!("| ratio (goal ≤ 1.05) | {:.3} |", g / b);
    println!("| reelsmith's own overhead | {:.1} |", g - b);
    if args.no_local {
        return Ok(());
    }
    let local_dir = tempfile::tempdir()?;
    let local_ledger =
        Arc::new(reelsmith_store::Store::open_sqlite(&local_dir.path().join("local.db")).await?);
    let local_config = LlmConfig {
        local: loaded.config.llm.local.clone(),
        ..LlmConfig::default()
    };
    let local = LlmRouter::new(&local_config, loaded.data_dir.clone(), local_ledger.clone());
    local
        .main_model(Step::Generation)
        .await
        .context("the local model is needed for the second half (or pass --no-local)")?;
    let t = Instant::now();
    let result = generate(&local, CallContext::default(), &job, None).await;
    let wall = t.elapsed().as_secs_f64();
    let usage = local_ledger.llm_usage(Workspace::LOCAL, None).await?;
    let tokens: u64 = usage.iter().map(|u| u.completion_tokens).sum();
    let calls: u64 = usage.iter().map(|u| u.calls).sum();
    println!(
        "\nlocal model, same generation: {wall:.1} s wall, {calls} calls, {tokens} tokens generated → {:.1} tokens/s overall; {}",
        tokens as f64 / wall,
        match result {
            Ok(g) => format!(
                "{:.1} s script for a {:.1} s target",
                g.card.timing.estimated_s, brief.duration_s
            ),
            Err(e) => format!("failed: {e}"),
        }
    );
    Ok(())
}
