//! `reelsmith trends`: the trend list the score card's trend-alignment dimension looks for.

use anyhow::Result;
use clap::Subcommand;
use reelsmith_core::store::TrendStore;

/// `trends` subcommands.
#[derive(Debug, Subcommand)]
pub enum TrendsCmd {
    /// Add a trending phrase (a sound, format, hashtag or topic), e.g. "sleepmaxxing".
    Add {
        /// The phrase; matched case- and accent-insensitively on whole words.
        phrase: String,
        /// Where you saw it or why it matters.
        #[arg(long)]
        note: Option<String>,
    },
    /// List trends.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a trend.
    Remove {
        /// The phrase as listed.
        phrase: String,
    },
}

/// Runs a `trends` subcommand.
pub async fn run(cmd: TrendsCmd, store: &dyn TrendStore) -> Result<()> {
    match cmd {
        TrendsCmd::Add { phrase, note } => {
            let t = store.add_trend(super::WS, &phrase, note.as_deref()).await?;
            println!("Following trend “{}”.", t.phrase);
        }
        TrendsCmd::List { json } => {
            let list = store.trends(super::WS).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!(
                    "No trends yet. Add one with: reelsmith trends add \"phrase\" --note \"where you saw it\""
                );
            } else {
                for t in list {
                    println!(
                        "{}{}",
                        t.phrase,
                        t.note.map(|n| format!(" — {n}")).unwrap_or_default()
                    );
                }
            }
        }
        TrendsCmd::Remove { phrase } => {
            store.remove_trend(super::WS, &phrase).await?;
            println!("Removed trend “{}”.", phrase.trim());
        }
    }
    Ok(())
}
