//! `reelsmith llm`: check the configured language models (`test`) and list the built-in providers
//! (`providers`).

use anyhow::{Result, bail};
use clap::Subcommand;
use reelsmith_core::llm::{PromptStyle, Step};
use reelsmith_llm::providers::BUILTIN;
use reelsmith_store::Store;

use crate::config::Loaded;

/// `llm` subcommands.
#[derive(Debug, Subcommand)]
pub enum LlmCmd {
    /// Check every configured provider: reachable, key valid, model present, one tiny completion and
    /// its latency — with a verdict for each. The first thing to run when something is wrong.
    Test {
        /// Only this step: analysis, generation or judging.
        #[arg(long)]
        step: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the built-in providers with their base URL, key variable, default model and price.
    Providers {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub use reelsmith::wiring::router;

/// Runs an `llm` subcommand.
pub async fn run(cmd: LlmCmd, store: &Store, loaded: &Loaded) -> Result<()> {
    match cmd {
        LlmCmd::Providers { json } => {
            providers(json)?;
            Ok(())
        }
        LlmCmd::Test { step, json } => test(step.as_deref(), json, store, loaded).await,
    }
}

fn providers(json: bool) -> Result<()> {
    if json {
        let rows: Vec<serde_json::Value> = BUILTIN
            .iter()
            .map(|b| {
                serde_json::json!({
                    "name": b.name, "base_url": b.base_url, "key_env": b.key_env, "model": b.model,
                    "price_input_per_mtok": b.price.input_per_mtok,
                    "price_output_per_mtok": b.price.output_per_mtok,
                    "price_source": b.price.source, "json_schema": b.json_schema, "n": b.n,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!(
        "{:<11} {:<44} {:<19} {:<28} {:>14}",
        "provider", "base URL", "key variable", "default model", "USD/M in/out"
    );
    for b in BUILTIN {
        println!(
            "{:<11} {:<44} {:<19} {:<28} {:>14}",
            b.name,
            if b.base_url.is_empty() {
                "(in process)"
            } else {
                b.base_url
            },
            if b.key_env.is_empty() { "-" } else { b.key_env },
            if b.model.is_empty() {
                "(set llm.model)"
            } else {
                b.model
            },
            format!(
                "{:.2}/{:.2}",
                b.price.input_per_mtok, b.price.output_per_mtok
            )
        );
    }
    println!("\nPrices are list prices of the default model; sources:");
    for b in BUILTIN.iter().filter(|b| b.price.input_per_mtok > 0.0) {
        println!("  {}: {}", b.name, b.price.source);
    }
    Ok(())
}

async fn test(step: Option<&str>, json: bool, store: &Store, loaded: &Loaded) -> Result<()> {
    let steps: Vec<Step> = match step {
        None => vec![Step::Analysis, Step::Generation, Step::Judging],
        Some(name) => match [Step::Analysis, Step::Generation, Step::Judging]
            .into_iter()
            .find(|s| s.as_str() == name)
        {
            Some(s) => vec![s],
            None => bail!(crate::exit::UserError(format!(
                "unknown step '{name}' — use analysis, generation or judging"
            ))),
        },
    };
    let router = router(loaded, store);
    // Steps sharing a provider and model test it once.
    let mut probes: Vec<reelsmith_llm::router::Probe> = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut used_by: Vec<Vec<&'static str>> = Vec::new();
    for s in steps {
        for (position, key) in router.chain(s).into_iter().enumerate() {
            if let Some(at) = keys.iter().position(|k| *k == key) {
                used_by[at].push(s.as_str());
                continue;
            }
            if let Some(p) = router.probe(s, position).await {
                keys.push(key);
                used_by.push(vec![s.as_str()]);
                probes.push(p);
            }
        }
    }
    let failed_main = probes.iter().any(|p| p.position == 0 && p.result.is_err());
    if json {
        let rows: Vec<serde_json::Value> = probes
            .iter()
            .zip(&used_by)
            .map(|(p, steps)| {
                serde_json::json!({
                    "steps": steps, "role": if p.position == 0 { "main" } else { "fallback" },
                    "provider": p.provider, "model": p.model, "style": p.style,
                    "model_listed": p.model_listed, "latency_ms": p.latency_ms,
                    "price": p.price.as_ref().map(|(i, o, s)| serde_json::json!({"input_per_mtok": i, "output_per_mtok": o, "source": s})),
                    "ok": p.result.is_ok(),
                    "answer": p.result.as_ref().ok(),
                    "error": p.result.as_ref().err().map(ToString::to_string),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for (p, steps) in probes.iter().zip(&used_by) {
            let role = if p.position == 0 { "main" } else { "fallback" };
            let style = match p.style {
                Some(PromptStyle::Base) => ", base model",
                Some(PromptStyle::Instruct) => ", instruct model",
                None => "",
            };
            println!(
                "{} ({role} for {}): {}{style}",
                p.provider,
                steps.join(", "),
                p.model
            );
            match &p.result {
                Ok(answer) => {
                    let listed = match p.model_listed {
                        Some(true) => "; the endpoint lists the model",
                        Some(false) => "; warning: the endpoint does not list this model",
                        None => "",
                    };
                    println!(
                        "  OK — answered {:?} in {} ms{listed}",
                        reelsmith_core::text::truncate_chars(answer, 40),
                        p.latency_ms
                    );
                    match &p.price {
                        Some((i, o, src)) if *i > 0.0 || *o > 0.0 => {
                            println!(
                                "  price: ${i:.2} / ${o:.2} per million input/output tokens ({src})"
                            );
                        }
                        Some(_) => println!("  price: free"),
                        None => println!(
                            "  warning: price unknown, costs are ledgered as $0 — set [llm.providers.{}] price_input_per_mtok and price_output_per_mtok",
                            p.provider
                        ),
                    }
                }
                Err(e) => println!("  FAILED after {} ms — {e}", p.latency_ms),
            }
        }
    }
    if failed_main {
        bail!(reelsmith_core::Error::Model(
            "a main provider failed its test (see above); fix it or configure a fallback".into()
        ));
    }
    Ok(())
}
