//! `reelsmith bench generate`: reelsmith's own overhead on a whole generation. A local
//! OpenAI-compatible server with a fixed latency (started here) answers; the table compares one bare
//! call with a 3-attempt generation (goal: ratio ≤ 1.05, since the attempts go out as one request with
//! `n`), then runs the same generation on the local model and reports its tokens/s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use reelsmith_core::llm::{LlmRequest, Message, Prompt, Role, Step};
use reelsmith_core::persona::{CreatorProfile, ExampleScript, PersonaVersion, StoredExample};
use reelsmith_core::prompts::Brief;
use reelsmith_core::store::LedgerStore;
use reelsmith_core::style::learn_style;
use reelsmith_core::text::median;
use reelsmith_llm::config::{LlmConfig, ProviderConfig};
use reelsmith_llm::generate::{Job, generate};
use reelsmith_llm::{CallContext, LlmRouter};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::config::Loaded;

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

/// A 75-word HOOK/BODY/CTA answer: 30 s at 150 WPM.
fn answer(i: usize) -> String {
    format!(
        "HOOK: Stop drinking coffee the second your night shift starts, take {i}.\nBODY: Caffeine peaks \
         an hour after your first cup. Half of it is still in your blood six hours later. So the 3am \
         coffee is still working when you try to sleep at 9. Have your last cup before the halfway \
         point of your shift. After that, it is cold water and a short walk outside.\nCTA: Save this \
         for your next rotation and follow for more."
    )
}

/// Serves chat completions on 127.0.0.1:0: waits `latency`, then answers `n` choices.
async fn fake_server(latency: Duration) -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let body = loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(head_end) = text.find("\r\n\r\n") {
                        let length = text[..head_end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                            })
                            .unwrap_or(0);
                        if buf.len() >= head_end + 4 + length {
                            break buf[head_end + 4..head_end + 4 + length].to_vec();
                        }
                    }
                };
                let n = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["n"].as_u64())
                    .unwrap_or(1) as usize;
                tokio::time::sleep(latency).await;
                let choices: Vec<serde_json::Value> = (0..n)
                    .map(|i| {
                        serde_json::json!({"index": i, "message": {"role": "assistant", "content": answer(i)}, "finish_reason": "stop"})
                    })
                    .collect();
                let json = serde_json::json!({
                    "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": "bench",
                    "choices": choices,
                    "usage": {"prompt_tokens": 600, "completion_tokens": 100 * n, "total_tokens": 600 + 100 * n}
                })
                .to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
                    json.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    Ok(format!("http://{addr}/v1"))
}

/// The bundled persona's first scripts, learned in memory (no store needed).
fn bench_persona() -> PersonaVersion {
    let texts = [
        include_str!("../../../../examples/maya/scripts/01-coffee-timing.md"),
        include_str!("../../../../examples/maya/scripts/02-day-off.md"),
        include_str!("../../../../examples/maya/scripts/04-blackout.md"),
    ];
    let examples: Vec<ExampleScript> = texts
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
        .collect();
    let style = learn_style(&examples, Some("en"));
    PersonaVersion {
        name: "maya".into(),
        version: 1,
        versions: 1,
        created_at: chrono::Utc::now(),
        profile: CreatorProfile::default(),
        style,
        examples: examples
            .into_iter()
            .enumerate()
            .map(|(i, example)| StoredExample {
                id: i as i64,
                words: 0,
                example,
                embedding: None,
            })
            .collect(),
    }
}

/// Runs `bench generate`.
pub async fn run(args: GenerateBenchArgs, loaded: &Loaded) -> Result<()> {
    let base = fake_server(Duration::from_millis(args.latency_ms)).await?;
    let dir = tempfile::tempdir()?;
    let ledger = Arc::new(reelsmith_store::Store::open_sqlite(&dir.path().join("bench.db")).await?);
    let mut config = LlmConfig {
        provider: "bench".into(),
        ..LlmConfig::default()
    };
    config.providers.insert(
        "bench".into(),
        ProviderConfig {
            base_url: Some(base),
            model: Some("bench".into()),
            n: Some(true),
            price_input_per_mtok: Some(0.0),
            price_output_per_mtok: Some(0.0),
            ..ProviderConfig::default()
        },
    );
    let router = LlmRouter::new(&config, dir.path().to_path_buf(), ledger.clone());
    let persona = bench_persona();
    let brief = Brief {
        topic: "caffeine on night shifts",
        duration_s: 75.0 / persona.style.pace.wpm * 60.0,
        content_type: "educational",
        tone: "casual",
        requirements: &[],
        language: "English",
    };
    let job = Job {
        persona: &persona,
        examples: &[0, 1],
        brief: brief.clone(),
        trends: &[],
        attempts: 3,
    };
    let bare = LlmRequest::new(
        Prompt::Chat(vec![Message::new(Role::User, "Say OK.")]),
        0.0,
        8,
    );
    // Warm-up (connection set-up, lazy initialisation).
    router
        .call(Step::Test, CallContext::default(), &bare, None)
        .await?;
    let (mut bare_ms, mut gen_ms) = (Vec::new(), Vec::new());
    for _ in 0..args.rounds {
        let t = Instant::now();
        router
            .call(Step::Test, CallContext::default(), &bare, None)
            .await?;
        bare_ms.push(t.elapsed().as_secs_f64() * 1e3);
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
    let usage = local_ledger.llm_usage(None).await?;
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
