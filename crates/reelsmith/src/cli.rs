//! Command-line grammar. Global options (`--config`, `--data-dir`) are accepted before or after the
//! subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::{
    bench::BenchCmd,
    config::ConfigCmd,
    dataset::DatasetArgs,
    eval::EvalCmd,
    experiment::ExperimentCmd,
    generate::{GenerateArgs, RegenerateArgs, RepurposeArgs, RetryArgs},
    history::{ApproveArgs, DeleteArgs, HistoryArgs, ShowArgs},
    import::ImportArgs,
    insights::{InsightsCmd, PostsCmd},
    llm::LlmCmd,
    persona::PersonaCmd,
    score::ScoreArgs,
    serve::ServeArgs,
    trends::TrendsCmd,
    usage::UsageArgs,
};

/// reelsmith — learns a creator's voice and writes short-form video scripts in it.
#[derive(Debug, Parser)]
#[command(name = "reelsmith", version, about)]
pub struct Cli {
    /// Options that apply to every command.
    #[command(flatten)]
    pub global: Global,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted by every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Config file to read instead of ~/.config/reelsmith/config.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the database and everything reelsmith keeps (overrides REELSMITH_DATA_DIR and the
    /// config file).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Learn, list, show and delete creator personas.
    #[command(subcommand)]
    Persona(PersonaCmd),
    /// Write a script: the best of N scored attempts, fitted to the length, in timed sections.
    Generate(Box<GenerateArgs>),
    /// Rewrite one section of a generation with instructions (a new version; the original is kept).
    Regenerate(RegenerateArgs),
    /// Turn a stored script into other platforms' forms (an X thread, a LinkedIn post, a Short…):
    /// new generations linked to it.
    Repurpose(RepurposeArgs),
    /// Run a failed or interrupted generation again, in place (its earlier attempts and cost kept).
    Retry(RetryArgs),
    /// List stored generations (filter by persona and review state; paginate).
    History(HistoryArgs),
    /// Show one generation (Markdown, JSON, SRT or teleprompter).
    Show(ShowArgs),
    /// Export one generation to a format (same as show; use -o FILE to write a file).
    Export(ShowArgs),
    /// Set a generation's review state: approved, rejected or needs_revision.
    Approve(ApproveArgs),
    /// Delete a generation (hidden from history; --hard removes it).
    Delete(DeleteArgs),
    /// Serve the REST API and the web UI (default http://127.0.0.1:8505).
    Serve(ServeArgs),
    /// Score a draft: timing, quality, nine viral dimensions and voice match, with reasons.
    Score(Box<ScoreArgs>),
    /// Import how posted scripts performed: an Instagram or TikTok export (folder or .zip),
    /// instaloader's .json/.json.xz files or a CSV. Re-importing the same data changes nothing.
    Import(ImportArgs),
    /// Imported posts: their metrics, outcome against your median, score and what each was made
    /// from; link a post to its generation.
    #[command(subcommand)]
    Posts(PostsCmd),
    /// What your posts say: how well the scores rank them (calibration) and the best time to post.
    #[command(subcommand)]
    Insights(InsightsCmd),
    /// Write a fine-tuning dataset (OpenAI chat JSONL) of the approved and top-performing scripts,
    /// split into training and validation files.
    ExportDataset(DatasetArgs),
    /// A/B tests: write variants of one idea, record their posts, get an honest verdict.
    #[command(subcommand)]
    Experiment(ExperimentCmd),
    /// Keep the list of trends the score card looks for.
    #[command(subcommand)]
    Trends(TrendsCmd),
    /// Check the configured language models, or list the built-in providers.
    #[command(subcommand)]
    Llm(LlmCmd),
    /// LLM calls, tokens and cost per day, step, provider and model.
    Usage(UsageArgs),
    /// Print the example configuration or the settings in force.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Measure throughput: score cards and embeddings per second (tables of medians).
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Measure the scorers against real outcomes.
    #[command(subcommand)]
    Eval(EvalCmd),
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
