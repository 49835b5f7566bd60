//! `reelsmith experiment`: A/B tests of versions of one idea — create (write the variants, or use
//! existing scripts), record a variant's post, analyse with the honest verdict, list.

use anyhow::Result;
use clap::Subcommand;
use reelsmith_app::experiments::{CreateInput, analyze_experiment, create, post_variant};
use reelsmith_core::experiment::{StoredExperiment, Vary, Verdict};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::ExperimentStore;
use reelsmith_ingest::performance::Zone;
use reelsmith_ingest::performance::table::parse_time;
use reelsmith_store::Store;

use crate::config::Loaded;
use crate::exit::UserError;

/// `experiment` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExperimentCmd {
    /// Write 2–5 variants of one idea that differ in their hook, CTA or length (or use existing
    /// scripts with --from) and keep them as an experiment.
    Create {
        /// The persona.
        #[arg(long)]
        persona: String,
        /// The idea the variants share.
        #[arg(long)]
        topic: String,
        /// How many variants to write.
        #[arg(long, default_value_t = 2)]
        variants: usize,
        /// What they vary: hook, cta or length.
        #[arg(long, default_value = "hook")]
        vary: String,
        /// Use these generations as the variants instead of writing new ones (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        from: Vec<i64>,
        /// Base length, seconds.
        #[arg(long)]
        duration: Option<f64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record that a variant was posted: its link (or posting time) lets an import bring its metrics.
    Post {
        /// The experiment's id.
        id: i64,
        /// The variant's label (A, B…).
        #[arg(long)]
        variant: String,
        /// Where it was posted: reels, tiktok, shorts or facebook.
        #[arg(long)]
        platform: String,
        /// When, e.g. 2026-12-03T18:00 (in --tz, default UTC).
        #[arg(long)]
        posted_at: Option<String>,
        /// The post's link.
        #[arg(long)]
        url: Option<String>,
        /// Time zone of --posted-at, e.g. Europe/Madrid.
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
    },
    /// The verdict: a winner, no detectable difference, or how many more posts are needed — with
    /// P(best), expected loss, lift intervals and confounders.
    Analyze {
        /// The experiment's id.
        id: i64,
        /// Your time zone, for the weekday and hour checks (default UTC).
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Every experiment.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn zone(tz: Option<&str>) -> Result<Zone> {
    Ok(match tz {
        Some(z) => Zone::parse(z).map_err(UserError)?,
        None => Zone::utc(),
    })
}

fn describe(e: &StoredExperiment) -> String {
    let variants: Vec<String> = e
        .variants
        .iter()
        .map(|v| {
            format!(
                "{}{} ({} post(s))",
                v.label,
                v.generation_id
                    .map(|g| format!(" = script {g}"))
                    .unwrap_or_default(),
                v.post_ids.len()
            )
        })
        .collect();
    format!(
        "experiment {} · {} · “{}” · varies the {} · {}",
        e.id,
        e.persona,
        e.topic,
        e.vary.as_str(),
        variants.join(", ")
    )
}

/// Says what to fix before posting the variants
/// ([`reelsmith_app::experiments::variant_warnings`]).
async fn warn(store: &Store, e: &StoredExperiment) {
    let generations = reelsmith_app::experiments::variant_generations(store, super::WS, e).await;
    for w in reelsmith_app::experiments::variant_warnings(e, &generations) {
        eprintln!("Careful: {w}");
    }
}

/// Runs an `experiment` subcommand.
pub async fn run(cmd: ExperimentCmd, store: &Store, loaded: &Loaded) -> Result<()> {
    match cmd {
        ExperimentCmd::Create {
            persona,
            topic,
            variants,
            vary,
            from,
            duration,
            json,
        } => {
            let vary = Vary::parse(&vary).map_err(|e| UserError(format!("--vary {e}")))?;
            let router = super::llm::router(loaded, store);
            let embedder = super::embedder(loaded).ok();
            let models = reelsmith_app::Models {
                router: &router,
                embedder: embedder
                    .as_ref()
                    .map(|e| e as &dyn reelsmith_core::embed::Embedder),
            };
            let e = create(
                store,
                super::WS,
                models,
                CreateInput {
                    persona,
                    topic,
                    vary,
                    variants,
                    from,
                    duration_s: duration,
                },
            )
            .await?;
            warn(store, &e).await;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                println!("Created {}", describe(&e));
                println!(
                    "Post each variant, then: reelsmith experiment post {} --variant A --platform reels --url …",
                    e.id
                );
            }
        }
        ExperimentCmd::Post {
            id,
            variant,
            platform,
            posted_at,
            url,
            tz,
        } => {
            let platform = Platform::parse_loose(&platform)
                .map_err(|e| UserError(format!("--platform {}", e.reason)))?;
            let z = zone(tz.as_deref())?;
            let at = match posted_at.as_deref() {
                Some(t) => Some(parse_time(t, Some(&z)).ok_or_else(|| {
                    UserError(format!(
                        "--posted-at “{t}” is not a time — use e.g. 2026-12-03T18:00"
                    ))
                })?),
                None => None,
            };
            let e = post_variant(store, super::WS, (id, &variant), platform, at, url).await?;
            println!("Recorded: {}", describe(&e));
        }
        ExperimentCmd::Analyze { id, tz, json } => {
            let r = analyze_experiment(store, super::WS, id, &zone(tz.as_deref())?).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
                return Ok(());
            }
            println!("{}", describe(&r.experiment));
            warn(store, &r.experiment).await;
            println!("\n{}", r.analysis.message);
            println!(
                "\n  {:<8} {:>5} {:>10} {:>14} {:>28}",
                "variant", "posts", "P(best)", "expected loss", "lift vs first (95 % interval)"
            );
            for a in &r.analysis.arms {
                println!(
                    "  {:<8} {:>5} {:>9.0} % {:>12.1} % {:>28}",
                    a.label,
                    a.posts,
                    a.p_best * 100.0,
                    a.expected_loss * 100.0,
                    a.lift.map_or_else(
                        || "—".into(),
                        |(m, lo, hi)| format!(
                            "{:+.0} % ({:+.0} % to {:+.0} %)",
                            m * 100.0,
                            lo * 100.0,
                            hi * 100.0
                        )
                    )
                );
            }
            if let Some((t, df, p)) = r.analysis.welch {
                println!(
                    "\nWelch's t-test of the two leading variants: t = {t:.2}, df = {df:.1}, p = {p:.3}"
                );
            }
            for c in &r.confounders {
                println!("Careful: {c}");
            }
            for l in &r.left_out {
                println!("Left out: {l}");
            }
            if matches!(r.analysis.verdict, Verdict::NeedMorePosts { .. }) {
                println!(
                    "\nImport the platform's export after posting (reelsmith import … --persona {}) and analyse again.",
                    r.experiment.persona
                );
            }
        }
        ExperimentCmd::List { json } => {
            let all = store.experiments(super::WS).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else if all.is_empty() {
                println!(
                    "No experiments yet. Start one: reelsmith experiment create --persona NAME --topic \"…\" --variants 2 --vary hook"
                );
            } else {
                for e in &all {
                    println!("{}", describe(e));
                }
            }
        }
    }
    Ok(())
}
