//! `reelsmith insights` and `reelsmith posts`: what the imported posts say — the scores' calibration
//! against real outcomes, the best time to post, and each post with its outcome, score and link.

use anyhow::Result;
use clap::{Args, Subcommand};
use reelsmith_app::feedback::{LinkChange, change_link};
use reelsmith_app::insights::{best_time_to_post, post_insights, scores};
use reelsmith_core::best_time::{Evidence, label};
use reelsmith_core::embed::Embedder;
use reelsmith_core::performance::PostLink;
use reelsmith_ingest::performance::Zone;
use reelsmith_store::Store;

use crate::config::Loaded;
use crate::exit::UserError;

/// `insights` subcommands.
#[derive(Debug, Subcommand)]
pub enum InsightsCmd {
    /// How well the scores rank the persona's posts by their real outcome (Spearman's rho with a
    /// bootstrap 95 % interval), and the viral weights in force for it.
    Scores {
        /// The persona.
        #[arg(long)]
        persona: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The best weekday and hour to post, from the persona's own posts.
    BestTime {
        /// The persona.
        #[arg(long)]
        persona: String,
        /// Your time zone, e.g. Europe/Madrid (default UTC).
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `posts` subcommands.
#[derive(Debug, Subcommand)]
pub enum PostsCmd {
    /// The persona's imported posts: metrics, outcome against its median, score and link.
    List {
        /// The persona.
        #[arg(long)]
        persona: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Say what a post was made from, confirm the suggested link, or clear it.
    Link(LinkArgs),
}

/// Arguments of `posts link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The post's id (from `posts list`).
    pub post: i64,
    /// The persona.
    #[arg(long)]
    pub persona: String,
    /// The generation it was made from.
    #[arg(long, conflicts_with_all = ["example", "confirm", "clear"])]
    pub generation: Option<i64>,
    /// The example script it is (its source, as `persona show` lists it).
    #[arg(long, conflicts_with_all = ["confirm", "clear"])]
    pub example: Option<String>,
    /// Confirm the suggested link.
    #[arg(long, conflicts_with = "clear")]
    pub confirm: bool,
    /// Clear the link.
    #[arg(long)]
    pub clear: bool,
}

/// Prints `value` as JSON and says so, or leaves the printing to the caller.
fn printed_json<T: serde::Serialize>(json: bool, value: &T) -> Result<bool> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    }
    Ok(json)
}

/// Runs an `insights` subcommand.
pub async fn run(cmd: InsightsCmd, store: &Store, loaded: &Loaded) -> Result<()> {
    match cmd {
        InsightsCmd::Scores { persona, json } => {
            let model = super::embedder(loaded).ok();
            let model = model.as_ref().map(|m| m as &dyn Embedder);
            let r = scores(store, super::WS, &persona, model, true).await?;
            if printed_json(json, &r)? {
                return Ok(());
            }
            let c = &r.calibration;
            println!(
                "Scores against real results for {}: {}",
                r.persona, c.message
            );
            if c.enough {
                println!("\n  {:<20} {:>6}  {:>17}", "score", "rho", "95 % interval");
                for k in &c.correlations {
                    match k.rho {
                        Some(e) => println!(
                            "  {:<20} {:>6.2}  {:>7.2} to {:>5.2}",
                            k.name, e.value, e.low, e.high
                        ),
                        None => println!("  {:<20} {:>6}  (does not vary)", k.name, "—"),
                    }
                }
                println!(
                    "  (n = {} posts; outcome: log2 of views over your median)",
                    c.n
                );
            }
            println!("\nViral weights in force: {}", c.weights.reason);
            let w: Vec<String> = c
                .weights
                .weights
                .iter()
                .map(|(n, v)| format!("{n} {v:.2}"))
                .collect();
            println!("  {}", w.join(", "));
            if !r.left_out.is_empty() {
                println!("\n{} post(s) left out:", r.left_out.len());
                for l in r.left_out.iter().take(10) {
                    println!("  {l}");
                }
            }
        }
        InsightsCmd::BestTime { persona, tz, json } => {
            let zone = match tz.as_deref() {
                Some(z) => Zone::parse(z).map_err(UserError)?,
                None => Zone::utc(),
            };
            let b = best_time_to_post(store, super::WS, &persona, &zone).await?;
            if printed_json(json, &b)? {
                return Ok(());
            }
            println!(
                "Best time to post for {} ({}): {}",
                persona.trim(),
                tz.as_deref().unwrap_or("UTC"),
                b.message
            );
            if !b.top.is_empty() {
                println!("\nTop slots (3 or more posts each):");
                for s in &b.top {
                    println!(
                        "  {:<16} {} posts  {:.1}× your median{}",
                        label(s.weekday, s.hour),
                        s.posts,
                        s.lift.unwrap_or(1.0),
                        s.interval
                            .map(|(lo, hi)| format!("  (95 % interval {lo:.1}× to {hi:.1}×)"))
                            .unwrap_or_default()
                    );
                }
            }
            let thin: Vec<String> = b
                .slots
                .iter()
                .filter(|s| s.evidence == Evidence::Thin)
                .map(|s| format!("{} ({})", label(s.weekday, s.hour), s.posts))
                .collect();
            if !thin.is_empty() {
                println!(
                    "\nThin evidence (1–2 posts): {}",
                    thin.iter().take(12).cloned().collect::<Vec<_>>().join(", ")
                );
            }
            println!(
                "{} of 168 weekday-hour slots have no posts yet.",
                b.slots
                    .iter()
                    .filter(|s| s.evidence == Evidence::NoData)
                    .count()
            );
        }
    }
    Ok(())
}

/// Runs a `posts` subcommand.
pub async fn posts(cmd: PostsCmd, store: &Store, loaded: &Loaded) -> Result<()> {
    match cmd {
        PostsCmd::List { persona, json } => {
            let model = super::embedder(loaded).ok();
            let model = model.as_ref().map(|m| m as &dyn Embedder);
            let list = post_insights(store, super::WS, &persona, model).await?;
            if printed_json(json, &list)? {
                return Ok(());
            }
            if list.is_empty() {
                println!(
                    "No posts for {} yet. Import them with: reelsmith import EXPORT --persona {}",
                    persona.trim(),
                    persona.trim()
                );
                return Ok(());
            }
            println!(
                "{:>5}  {:<8}  {:<16}  {:>9}  {:>6}  {:>5}  {:>5}  link / caption",
                "id", "platform", "posted (UTC)", "views", "×med", "pct", "score"
            );
            for p in &list {
                let post = &p.post;
                let o = p.outcome.as_ref();
                println!(
                    "{:>5}  {:<8}  {:<16}  {:>9}  {:>6}  {:>5}  {:>5}  {}",
                    post.id,
                    reelsmith_core::platform::Named::as_str(post.platform),
                    post.posted_at
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "—".into()),
                    post.metrics
                        .as_ref()
                        .and_then(|m| m.views)
                        .map_or_else(|| "—".into(), |v| v.to_string()),
                    o.map_or_else(|| "—".into(), |o| format!("{:.2}", o.lift)),
                    o.map_or_else(
                        || "—".into(),
                        |o| if o.settled {
                            format!("{:.0}", o.percentile)
                        } else {
                            "new".into()
                        }
                    ),
                    p.overall.map_or_else(|| "—".into(), |s| format!("{s:.0}")),
                    describe_link(post.link.as_ref(), post.text())
                );
            }
        }
        PostsCmd::Link(a) => {
            let change = if a.clear {
                LinkChange::Clear
            } else if a.confirm {
                LinkChange::Confirm
            } else if let Some(id) = a.generation {
                LinkChange::Generation(id)
            } else if let Some(src) = a.example {
                LinkChange::Example(src)
            } else {
                return Err(UserError(
                    "say what to do: --generation ID, --example SOURCE, --confirm or --clear"
                        .into(),
                )
                .into());
            };
            let post = change_link(store, super::WS, &a.persona, a.post, change).await?;
            println!(
                "Post {}: {}",
                post.id,
                describe_link(post.link.as_ref(), None)
            );
        }
    }
    Ok(())
}

fn describe_link(link: Option<&PostLink>, text: Option<&str>) -> String {
    let caption = text
        .map(|t| format!(" “{}”", reelsmith_core::text::truncate_chars(t, 40)))
        .unwrap_or_default();
    match link {
        None => format!("not linked{caption}"),
        Some(l) => {
            let target = l.target();
            let how = if l.confirmed {
                "confirmed".to_string()
            } else {
                format!(
                    "suggested, {:.0} % similar",
                    l.similarity.unwrap_or(0.0) * 100.0
                )
            };
            format!("{target} ({how}){caption}")
        }
    }
}
