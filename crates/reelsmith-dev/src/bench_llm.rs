//! `reelsmith bench llm`: the local model's prompt and decode speed, and reelsmith's overhead per call
//! against the plainest `llama-cpp-2` loop on the same model and prompt, measured in one run.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use reelsmith_core::llm::{Llm, LlmRequest, Prompt, Step};
use reelsmith_core::text::median;
use reelsmith_llm::local::{LocalLlm, locate_gguf, raw_greedy_loop};
use reelsmith_llm::{CallContext, LlmRouter};
use serde::Serialize;

use reelsmith::config::Loaded;

/// Arguments of `bench llm`.
#[derive(Debug, Args)]
pub struct LlmBenchArgs {
    /// Rounds; each runs the raw loop, the `Llm` call and the routed (ledgered) call once, in
    /// rotating order.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub rounds: u32,
    /// Tokens generated per call.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(8..=2048))]
    pub tokens: u32,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// The few-shot prompt used: the shape of a real generation prompt for a base model (~330 tokens).
const PROMPT: &str = "Short video scripts by Maya, an ex-ER nurse who coaches night-shift workers. \
Each script has a HOOK, a BODY and a CTA.\n\n\
TOPIC: caffeine on nights\nHOOK: Stop drinking coffee the second your shift starts.\nBODY: Caffeine peaks an \
hour after your first cup and half of it is still in your blood six hours later. So the 3am coffee is \
still working when you try to sleep at 9. Have your last cup before the halfway point of your shift. \
After that, it's cold water and a walk.\nCTA: Save this for your next rotation.\n\n\
TOPIC: the drive home\nHOOK: Nobody tells you this about the drive home after nights.\nBODY: Morning \
sunlight is the loudest alarm clock your brain has. Ten minutes of it on the drive home tells your body \
the day has started. Wear sunglasses, even in winter, and keep the car cool.\nCTA: Follow for one fix \
every week.\n\n\
TOPIC: days off\nHOOK: Your day off is not a reset, it is a trap.\nBODY: Flipping back to days in one \
go wrecks the next two shifts. Sleep in until noon on the first day off, then move bedtime one hour \
earlier each night.\nCTA: Comment NIGHTS and I'll send you the schedule.\n\n\
TOPIC: why you wake up at 1pm\nHOOK:";

/// One row of the table.
#[derive(Debug, Serialize)]
struct Row {
    what: &'static str,
    median_ms: f64,
    overhead_ms: Option<f64>,
    ratio: Option<f64>,
}

/// Runs `bench llm`.
pub async fn run(args: LlmBenchArgs, loaded: &Loaded) -> Result<()> {
    let cfg = &loaded.config.llm.local;
    let path = locate_gguf(cfg.model_path.as_deref(), &loaded.data_dir)?;
    let local = {
        let (p, style, ctx, threads) = (path.clone(), cfg.style, cfg.context_tokens, cfg.threads);
        tokio::task::spawn_blocking(move || LocalLlm::load(&p, style, ctx, threads)).await??
    };
    let dir = tempfile::tempdir()?;
    let ledger = Arc::new(reelsmith_store::Store::open_sqlite(&dir.path().join("bench.db")).await?);
    let router = LlmRouter::with_models(vec![Arc::new(local.clone())], None, ledger);
    let request = LlmRequest::new(Prompt::Completion(PROMPT.into()), 0.0, args.tokens);

    // Warm-up, and the timings of the engine itself.
    let (warm, _) = local.generate(&request, None)?;
    let mut raw_ms = Vec::new();
    let mut llm_ms = Vec::new();
    let mut routed_ms = Vec::new();
    let mut prompt_tps = Vec::new();
    let mut decode_tps = Vec::new();
    let mut raw_tokens = 0;
    for round in 0..args.rounds {
        for step in 0..3 {
            match (round + step) % 3 {
                0 => {
                    let l = local.clone();
                    let n = args.tokens;
                    let started = Instant::now();
                    raw_tokens =
                        tokio::task::spawn_blocking(move || raw_greedy_loop(&l, PROMPT, n))
                            .await?
                            .map_err(anyhow::Error::msg)?;
                    raw_ms.push(started.elapsed().as_secs_f64() * 1e3);
                }
                1 => {
                    let started = Instant::now();
                    local.complete(&request, None).await?;
                    llm_ms.push(started.elapsed().as_secs_f64() * 1e3);
                    let (_, t) = local.generate(&request, None)?;
                    prompt_tps.push(t.prompt_tokens as f64 / t.prompt_s);
                    decode_tps.push(t.generated_tokens as f64 / t.decode_s);
                }
                _ => {
                    let started = Instant::now();
                    router
                        .call(Step::Generation, CallContext::default(), &request, None)
                        .await?;
                    routed_ms.push(started.elapsed().as_secs_f64() * 1e3);
                }
            }
        }
    }
    let m = |v: &[f64]| median(v).unwrap_or(0.0);
    let raw = m(&raw_ms);
    let rows = vec![
        Row {
            what: "raw llama-cpp-2 greedy loop",
            median_ms: raw,
            overhead_ms: None,
            ratio: None,
        },
        Row {
            what: "LocalLlm::complete (Llm trait)",
            median_ms: m(&llm_ms),
            overhead_ms: Some(m(&llm_ms) - raw),
            ratio: Some(m(&llm_ms) / raw),
        },
        Row {
            what: "LlmRouter::call (+ ledger row in SQLite)",
            median_ms: m(&routed_ms),
            overhead_ms: Some(m(&routed_ms) - raw),
            ratio: Some(m(&routed_ms) / raw),
        },
    ];
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "model": path.file_name().map(|f| f.to_string_lossy().into_owned()),
                "prompt_tokens": warm.usage.prompt_tokens,
                "generated_tokens": warm.usage.completion_tokens,
                "raw_generated_tokens": raw_tokens,
                "prompt_tokens_per_s": m(&prompt_tps),
                "decode_tokens_per_s": m(&decode_tps),
                "rounds": args.rounds,
                "calls": rows,
            }))?
        );
        return Ok(());
    }
    println!(
        "local model {} · prompt {} tokens · {} tokens generated (raw loop: {raw_tokens}) · {} rounds",
        path.file_name()
            .map(|f| f.to_string_lossy())
            .unwrap_or_default(),
        warm.usage.prompt_tokens,
        warm.usage.completion_tokens,
        args.rounds
    );
    println!(
        "prompt: {:.0} tokens/s · decode: {:.1} tokens/s (medians)\n",
        m(&prompt_tps),
        m(&decode_tps)
    );
    println!("| call | median ms | overhead vs raw, ms | ratio |");
    println!("|---|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.1} | {} | {} |",
            r.what,
            r.median_ms,
            r.overhead_ms.map_or("—".into(), |o| format!("{o:+.1}")),
            r.ratio.map_or("—".into(), |x| format!("{x:.3}"))
        );
    }
    Ok(())
}
