//! `reelsmith usage`: LLM calls, tokens and cost per day, step, provider and model, from the call
//! ledger.

use anyhow::Result;
use chrono::{Duration, Utc};
use clap::Args;
use reelsmith_core::store::LedgerStore;

/// Arguments of `usage`.
#[derive(Debug, Args)]
pub struct UsageArgs {
    /// Only the last N days (UTC), today included.
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `usage`.
pub async fn run(args: UsageArgs, store: &dyn LedgerStore) -> Result<()> {
    let today = Utc::now().date_naive();
    let first = today - Duration::days(i64::from(args.days) - 1);
    let since = first.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let rows = store.llm_usage(super::WS, since).await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "since": first.to_string(), "rows": rows,
            }))?
        );
        return Ok(());
    }
    if rows.is_empty() {
        println!(
            "No LLM calls since {first}. Calls are recorded by persona learn, generate and `reelsmith llm test`."
        );
        return Ok(());
    }
    println!(
        "{:<10}  {:<10}  {:<10}  {:<26}  {:>5}  {:>6}  {:>9}  {:>9}  {:>10}  {:>8}",
        "day",
        "step",
        "provider",
        "model",
        "calls",
        "failed",
        "tokens in",
        "tokens out",
        "cost USD",
        "mean ms"
    );
    let (mut calls, mut failed, mut tin, mut tout, mut cost) = (0, 0, 0, 0, 0.0);
    for r in &rows {
        println!(
            "{:<10}  {:<10}  {:<10}  {:<26}  {:>5}  {:>6}  {:>9}  {:>9}  {:>10.4}  {:>8.0}",
            r.day,
            r.step,
            r.provider,
            reelsmith_core::text::truncate_chars(&r.model, 26),
            r.calls,
            r.failed,
            r.prompt_tokens,
            r.completion_tokens,
            r.cost_usd,
            r.mean_latency_ms
        );
        calls += r.calls;
        failed += r.failed;
        tin += r.prompt_tokens;
        tout += r.completion_tokens;
        cost += r.cost_usd;
    }
    println!(
        "{:<10}  {:<10}  {:<10}  {:<26}  {:>5}  {:>6}  {:>9}  {:>9}  {:>10.4}",
        "total", "", "", "", calls, failed, tin, tout, cost
    );
    Ok(())
}
