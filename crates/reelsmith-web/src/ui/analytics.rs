//! The analytics page: generations and LLM cost per day, the distribution of overall scores,
//! latency per model and the mean score per hook type — SVG drawn on the server.

use std::collections::BTreeMap;

use axum::extract::State;
use maud::{Markup, html};
use reelsmith_core::generation::HistoryFilter;
use reelsmith_core::hooks::classify_hook;
use reelsmith_core::store::{GenerationStore, LedgerStore};

use super::{UiResult, ui};
use crate::AppState;

/// Generations read for the charts (newest first), at most.
pub const MAX_GENERATIONS: u32 = 1000;

/// A horizontal bar chart of labelled values, `unit` appended to each value.
fn bars(id: &str, rows: &[(String, f64)], unit: &str, decimals: usize) -> Markup {
    let max = rows
        .iter()
        .map(|r| r.1)
        .fold(0.0_f64, f64::max)
        .max(f64::EPSILON);
    let h = 22.0;
    let height = (rows.len().max(1) as f64) * h + 4.0;
    html! {
        svg id=(id) viewBox={ "0 0 320 " (height) } width="100%" role="img" {
            @if rows.is_empty() { text x="0" y="16" { "No data yet" } }
            @for (i, (label, v)) in rows.iter().enumerate() {
                @let y = i as f64 * h + 2.0;
                text x="0" y=(y + 14.0) { (label) }
                rect x="110" y=(y + 3.0) height="14" width=(format!("{:.1}", v / max * 150.0)) fill="#c2185b" rx="2" {}
                text x=(format!("{:.1}", 114.0 + v / max * 150.0)) y=(y + 14.0) { (format!("{:.decimals$}", v + 0.0)) (unit) }
            }
        }
    }
}

/// The page for `state`.
async fn render(state: &AppState) -> UiResult<Markup> {
    let rows = reelsmith_app::history::generations_up_to(
        &state.store,
        state.workspace,
        &HistoryFilter::default(),
        MAX_GENERATIONS,
    )
    .await
    .map_err(ui)?;
    let usage = state
        .store
        .llm_usage(state.workspace, None)
        .await
        .map_err(ui)?;

    let mut per_day: BTreeMap<String, f64> = BTreeMap::new();
    for r in &rows {
        *per_day
            .entry(r.created_at.format("%Y-%m-%d").to_string())
            .or_default() += 1.0;
    }
    let mut cost_day: BTreeMap<String, f64> = BTreeMap::new();
    let mut latency: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for u in &usage {
        *cost_day.entry(u.day.clone()).or_default() += u.cost_usd;
        let e = latency
            .entry(format!("{}/{}", u.provider, u.model))
            .or_default();
        e.0 += u.mean_latency_ms * u.calls as f64;
        e.1 += u.calls as f64;
    }
    let mut buckets = [0.0_f64; 10];
    for o in rows.iter().filter_map(|r| r.overall) {
        buckets[((o / 10.0).floor() as usize).min(9)] += 1.0;
    }
    // Mean overall score per hook type, from the stored scripts' hooks.
    let mut hooks: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.overall.is_some()).take(200) {
        if let Ok(g) = state.store.generation(state.workspace, r.id).await
            && let (Some(s), Some(o)) = (&g.script, r.overall)
            && let Some(first) = s.sections().first()
        {
            let kind = classify_hook(&first.voiceover, None)
                .primary
                .label()
                .to_string();
            let e = hooks.entry(kind).or_default();
            e.0 += o;
            e.1 += 1.0;
        }
    }
    let last = |m: BTreeMap<String, f64>| -> Vec<(String, f64)> {
        let v: Vec<(String, f64)> = m.into_iter().collect();
        v[v.len().saturating_sub(14)..].to_vec()
    };
    let mean = |m: BTreeMap<String, (f64, f64)>| -> Vec<(String, f64)> {
        m.into_iter()
            .map(|(k, (sum, n))| (k, sum / n.max(1.0)))
            .collect()
    };
    let total_cost: f64 = usage.iter().map(|u| u.cost_usd).sum();
    let calls: u64 = usage.iter().map(|u| u.calls).sum();
    Ok(super::page(
        "Analytics",
        "Analytics",
        html! {
            h1 { "Analytics" }
            p #totals { strong { (rows.len()) } " generations · " strong { (calls) } " LLM calls · " strong { (reelsmith_core::text::usd(total_cost)) } " LLM cost" }
            div.charts {
                div.card { h2 { "Generations per day" } (bars("chart-generations", &last(per_day), "", 0)) }
                div.card { h2 { "LLM cost per day (USD)" } (bars("chart-cost", &last(cost_day), "", 4)) }
                div.card { h2 { "Overall scores" }
                    (bars("chart-scores", &buckets.iter().enumerate().map(|(i, n)| (format!("{}–{}", i * 10, i * 10 + 9), *n)).collect::<Vec<_>>(), "", 0)) }
                div.card { h2 { "Mean latency per model (ms)" } (bars("chart-latency", &mean(latency), " ms", 0)) }
                div.card { h2 { "Mean score by hook type" } (bars("chart-hooks", &mean(hooks), "", 0)) }
            }
        },
    ))
}

/// `GET /analytics`.
pub async fn page(State(state): State<AppState>) -> UiResult<Markup> {
    render(&state).await
}
