//! `reelsmith-dev`: developer tooling kept out of the product binary — the benchmarks that need a
//! fake LLM server or the raw llama.cpp loop, and the committed, rerunnable procedures that fit the
//! hook model, the voice-match weights and the topic-relevance calibration. Figures print next to their baseline, computed in the same run.

mod bench_fake;
mod bench_generate;
mod bench_llm;
mod bench_reliability;
mod bench_serve;
mod fit_hooks;
mod fit_topic;
mod fit_voice;

use anyhow::Result;
use clap::{Parser, Subcommand};
use reelsmith::config::Loaded;

/// reelsmith's developer tooling.
#[derive(Debug, Parser)]
#[command(name = "reelsmith-dev", about)]
struct Cli {
    /// Config file to read instead of ~/.config/reelsmith/config.toml.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    /// Folder for the database and everything reelsmith keeps.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Benchmarks against fake or local models.
    #[command(subcommand)]
    Bench(Bench),
    /// Fit the hook model: cross-validate by test week, then fit on all pairs and write the model.
    FitHooks(fit_hooks::FitArgs),
    /// Fit the voice-match weights on the voices corpus' speakers outside Go Time and write them.
    FitVoice(fit_voice::FitVoiceArgs),
    /// Fit the topic-relevance calibration and off-topic threshold on the earliest 80 % of an
    /// Upworthy-format file's weeks, and print them next to the shipped ones.
    FitTopic(fit_topic::FitTopicArgs),
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// The local model's prompt and decode tokens/s, and reelsmith's overhead per call against the
    /// raw llama-cpp-2 loop on the same prompt.
    Llm(bench_llm::LlmBenchArgs),
    /// A 3-attempt generation against a fixed-latency local OpenAI-compatible server vs one bare
    /// call (ratio and overhead), then the same generation on the local model.
    Generate(bench_generate::GenerateBenchArgs),
    /// `reelsmith serve` under load: requests/s and p50/p99 latency of concurrent generations
    /// (against a fixed-latency fake LLM server) and of `GET /scripts/{id}`.
    Serve(bench_serve::ServeBenchArgs),
    /// Issue 12's attacks on a built `reelsmith` binary: hostile documents (CLI and server),
    /// `kill -9` mid-generation, a model failing at random, slow and idle connections — each next to
    /// its baseline.
    Reliability(bench_reliability::ReliabilityArgs),
}

/// The sentence-embedding model of `loaded`.
fn embedder(loaded: &Loaded) -> Result<reelsmith_llm::BertEmbedder, reelsmith_core::Error> {
    reelsmith::wiring::embedder(loaded)
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let run = async {
        let loaded = reelsmith::config::load(cli.config.as_deref(), cli.data_dir.as_deref())?;
        match cli.command {
            Command::Bench(Bench::Llm(a)) => bench_llm::run(a, &loaded).await,
            Command::Bench(Bench::Generate(a)) => bench_generate::run(a, &loaded).await,
            Command::Bench(Bench::Serve(a)) => bench_serve::run(a, &loaded).await,
            Command::Bench(Bench::Reliability(a)) => bench_reliability::run(a).await,
            Command::FitHooks(a) => fit_hooks::run(&a, &loaded),
            Command::FitVoice(a) => fit_voice::run(&a),
            Command::FitTopic(a) => fit_topic::run(&a, &loaded),
        }
    };
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
