//! `reelsmith bench serve`: the server under load. It starts the fake OpenAI-compatible LLM server
//! (fixed latency), a real `reelsmith serve` on a free loopback port with a fresh SQLite file, learns
//! the bundled persona, then keeps `--concurrency` clients busy for `--rounds` rounds of `--seconds`,
//! first on `POST /api/v1/scripts/generate` (3 attempts each) and then on `GET /api/v1/scripts/{id}`.
//! It prints requests/s (median over the rounds), generations per minute, errors and the p50/p99
//! latency of each, beside a bare call to the fake LLM measured in the same run.
//! The goal: ≥ 3,000 generations per minute on 2 cores with 0 errors.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use clap::Args;
use hdrhistogram::Histogram;
use reelsmith_app::learn::{LearnInput, learn_persona};
use reelsmith_core::embed::Embedder;
use reelsmith_core::persona::CreatorProfile;
use reelsmith_core::store::Workspace;
use reelsmith_core::text::median;
use reelsmith_llm::LlmRouter;
use reelsmith_store::Store;
use reelsmith_web::{AppState, Inflight};

use reelsmith::config::Loaded;

/// Arguments of `bench serve`.
#[derive(Debug, Args)]
pub struct ServeBenchArgs {
    /// The fake LLM server's latency per request, milliseconds.
    #[arg(long, default_value_t = 300)]
    pub latency_ms: u64,
    /// Clients sending requests at the same time.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// Timed rounds per endpoint (requests/s is their median).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rounds: u32,
    /// Seconds per round.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Attempts per generation.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub attempts: u32,
    /// Serve without the embedding model (retrieval then uses stored order, as when it is missing).
    #[arg(long)]
    pub no_embed: bool,
}

/// One endpoint's load run.
struct Load {
    /// Requests per second of each round.
    rates: Vec<f64>,
    /// Latency of every successful request, microseconds.
    latency_us: Histogram<u64>,
    /// Requests answered.
    ok: u64,
    /// Requests that failed (transport error or a status other than the expected one).
    errors: u64,
    /// The first error seen, to print.
    first_error: Option<String>,
}

/// Keeps `concurrency` clients sending `send()` for `rounds` rounds of `seconds`.
async fn load<F, Fut>(args: &ServeBenchArgs, send: F) -> Result<Load>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let send = Arc::new(send);
    let mut out = Load {
        rates: Vec::new(),
        latency_us: Histogram::new(3)?,
        ok: 0,
        errors: 0,
        first_error: None,
    };
    for _ in 0..args.rounds {
        let deadline = Instant::now() + Duration::from_secs_f64(args.seconds);
        let start = Instant::now();
        let workers: Vec<_> = (0..args.concurrency)
            .map(|_| {
                let send = send.clone();
                tokio::spawn(async move {
                    let mut seen = Vec::new();
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        let r = send().await;
                        seen.push((t.elapsed().as_micros() as u64, r));
                    }
                    seen
                })
            })
            .collect();
        let mut done = 0u64;
        for w in workers {
            for (us, r) in w.await? {
                done += 1;
                match r {
                    Ok(()) => {
                        out.ok += 1;
                        out.latency_us.record(us.max(1))?;
                    }
                    Err(e) => {
                        out.errors += 1;
                        out.first_error.get_or_insert(e);
                    }
                }
            }
        }
        out.rates.push(done as f64 / start.elapsed().as_secs_f64());
    }
    Ok(out)
}

/// Sends one request and checks its status.
async fn expect(req: reqwest::RequestBuilder, status: u16) -> Result<(), String> {
    let r = req.send().await.map_err(|e| e.to_string())?;
    if r.status().as_u16() == status {
        r.bytes().await.map_err(|e| e.to_string())?;
        Ok(())
    } else {
        let got = r.status();
        Err(format!("{got}: {}", r.text().await.unwrap_or_default()))
    }
}

/// Runs `bench serve`.
pub async fn run(args: ServeBenchArgs, loaded: &Loaded) -> Result<()> {
    let fake = crate::bench_fake::start(Duration::from_millis(args.latency_ms)).await?;
    let dir = tempfile::tempdir()?;
    let store = Store::open_sqlite(&dir.path().join("bench.db")).await?;
    let router = LlmRouter::new(
        &crate::bench_fake::config(&fake.base_url),
        dir.path().to_path_buf(),
        Arc::new(store.clone()),
    );
    let embedder: Option<Arc<dyn Embedder>> = if args.no_embed {
        None
    } else {
        Some(Arc::new(crate::embedder(loaded).context(
            "the embedding model is needed (run scripts/demo.sh once, or pass --no-embed)",
        )?))
    };
    learn_persona(
        &store,
        Workspace::LOCAL,
        None,
        embedder.as_deref(),
        LearnInput {
            name: "maya".into(),
            profile: CreatorProfile::default(),
            examples: crate::bench_generate::bundled_examples(),
            append: false,
        },
    )
    .await?;
    // The baseline, measured beside the load: one bare call to the fake LLM through the router.
    let bare = median(&crate::bench_fake::bare_calls_ms(&router, 5, true).await?).unwrap_or(0.0);
    let state = AppState {
        store: store.clone(),
        router: Arc::new(router),
        embedder: embedder.clone(),
        analyze_persona: false,
        token: None,
        inflight: Inflight::default(),
        workspace: Workspace::LOCAL,
        hosts: reelsmith_web::guard::allowed_hosts(&"127.0.0.1:0".parse()?, &[]).into(),
        // The benchmark uploads nothing.
        documents: reelsmith_web::Documents::new(reelsmith_web::documents::Reader::InProcess, 1),
        sessions: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/api/v1", listener.local_addr()?);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(reelsmith_web::serve(
        listener,
        state,
        async {
            let _ = stop_rx.await;
        },
        Duration::from_secs(30),
    ));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency as usize)
        .build()?;
    let body = serde_json::json!({
        "persona": "maya", "topic": "caffeine on night shifts", "duration_s": 30,
        "attempts": args.attempts,
    });
    // Warm-up: one generation, whose id the read benchmark fetches.
    let warm = client
        .post(format!("{base}/scripts/generate"))
        .json(&body)
        .send()
        .await?;
    let status = warm.status();
    let first: serde_json::Value = warm.json().await?;
    ensure!(
        status.as_u16() == 201,
        "the warm-up generation failed with {status}: {first}"
    );
    let id = first["id"]
        .as_i64()
        .context("the generate response has no id")?;
    ensure!(
        first["status"] == "completed",
        "the warm-up generation did not complete: {first}"
    );
    let llm_before = fake.requests.load(std::sync::atomic::Ordering::Relaxed);
    let generations = {
        let (client, url, body) = (client.clone(), format!("{base}/scripts/generate"), body);
        load(&args, move || expect(client.post(&url).json(&body), 201)).await?
    };
    let llm_calls = fake.requests.load(std::sync::atomic::Ordering::Relaxed) - llm_before;
    let reads = {
        let (client, url) = (client.clone(), format!("{base}/scripts/{id}"));
        load(&args, move || expect(client.get(&url), 200)).await?
    };
    let _ = stop_tx.send(());
    server.await??;
    store.close().await;

    println!(
        "reelsmith serve on 127.0.0.1, SQLite, {}; fake LLM {} ms; {} clients; {} rounds × {} s\n",
        if embedder.is_some() {
            "local embeddings"
        } else {
            "no embeddings"
        },
        args.latency_ms,
        args.concurrency,
        args.rounds,
        args.seconds
    );
    println!("| endpoint | requests | errors | median req/s | per minute | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, l) in [
        (
            format!("POST /scripts/generate ({} attempts)", args.attempts),
            &generations,
        ),
        ("GET /scripts/{id}".to_string(), &reads),
    ] {
        let rate = median(&l.rates).unwrap_or(0.0);
        println!(
            "| {name} | {} | {} | {rate:.1} | {:.0} | {:.1} | {:.1} |",
            l.ok + l.errors,
            l.errors,
            rate * 60.0,
            l.latency_us.value_at_quantile(0.5) as f64 / 1e3,
            l.latency_us.value_at_quantile(0.99) as f64 / 1e3,
        );
    }
    let gen_p50 = generations.latency_us.value_at_quantile(0.5) as f64 / 1e3;
    println!(
        "| baseline: one bare call to the fake LLM | 5 | 0 | | | {bare:.1} | |\n\n\
         generation p50 / bare call: {:.3}; LLM requests per generation: {:.2}",
        gen_p50 / bare,
        llm_calls as f64 / (generations.ok + generations.errors).max(1) as f64,
    );
    let per_min = median(&generations.rates).unwrap_or(0.0) * 60.0;
    let met = per_min >= 3000.0 && generations.errors == 0;
    println!(
        "goal ≥ 3,000 generations per minute with 0 errors: {}",
        if met { "met" } else { "NOT met" }
    );
    for (name, l) in [("generate", &generations), ("get", &reads)] {
        if let Some(e) = &l.first_error {
            println!("first {name} error: {e}");
        }
    }
    Ok(())
}
