//! One module per subcommand; each has its clap arguments and a `run` function.

pub mod bench;
pub mod config;
pub mod dataset;
pub mod eval;
pub mod experiment;
pub mod generate;
pub mod history;
pub mod import;
pub mod insights;
pub mod llm;
pub mod persona;
pub mod score;
pub mod serve;
pub mod trends;
pub mod usage;

use anyhow::Result;
use reelsmith_core::store::Workspace;
use reelsmith_store::Store;

use crate::cli::{Cli, Command};
use crate::config::Loaded;

/// The workspace every command works in: the local default (accounts come with the server's
/// multi-user work).
pub const WS: Workspace = Workspace::LOCAL;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let loaded = crate::config::load(cli.global.config.as_deref(), cli.global.data_dir.as_deref())?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    match cli.command {
        Command::Config(cmd) => config::run(cmd, &loaded),
        Command::Eval(cmd) => eval::run(cmd, &loaded),
        Command::Bench(cmd) => bench::run(cmd, &loaded).await,
        Command::Persona(cmd) => {
            with_store(&loaded, async |s| persona::run(cmd, s, &loaded).await).await
        }
        Command::Score(args) => {
            with_store(&loaded, async |s| score::run(*args, s, &loaded).await).await
        }
        Command::Trends(cmd) => with_store(&loaded, async |s| trends::run(cmd, s).await).await,
        Command::Import(args) => {
            with_store(&loaded, async |s| import::run(args, s, &loaded).await).await
        }
        Command::Posts(cmd) => {
            with_store(&loaded, async |s| insights::posts(cmd, s, &loaded).await).await
        }
        Command::Insights(cmd) => {
            with_store(&loaded, async |s| insights::run(cmd, s, &loaded).await).await
        }
        Command::Experiment(cmd) => {
            with_store(&loaded, async |s| experiment::run(cmd, s, &loaded).await).await
        }
        Command::ExportDataset(args) => {
            with_store(&loaded, async |s| dataset::run(args, s).await).await
        }
        Command::Llm(cmd) => with_store(&loaded, async |s| llm::run(cmd, s, &loaded).await).await,
        Command::Usage(args) => with_store(&loaded, async |s| usage::run(args, s).await).await,
        Command::Generate(args) => {
            with_store(&loaded, async |s| generate::run(*args, s, &loaded).await).await
        }
        Command::Regenerate(args) => {
            with_store(&loaded, async |s| {
                generate::regenerate(args, s, &loaded).await
            })
            .await
        }
        Command::Repurpose(args) => {
            with_store(&loaded, async |s| {
                generate::repurpose(args, s, &loaded).await
            })
            .await
        }
        Command::Retry(args) => {
            with_store(&loaded, async |s| generate::retry(args, s, &loaded).await).await
        }
        Command::History(args) => {
            with_store(&loaded, async |s| history::history(args, s).await).await
        }
        Command::Show(args) | Command::Export(args) => {
            with_store(&loaded, async |s| history::show(args, s).await).await
        }
        Command::Approve(args) => {
            with_store(&loaded, async |s| history::approve(args, s).await).await
        }
        Command::Serve(args) => {
            with_store(&loaded, async |s| serve::run(args, s, &loaded).await).await
        }
        Command::Delete(args) => {
            with_store(&loaded, async |s| history::delete(args, s).await).await
        }
    }
}

/// Runs `f` with the configured store open, closing it afterwards (flushing SQLite's WAL) whatever the
/// outcome.
async fn with_store(loaded: &Loaded, f: impl AsyncFnOnce(&Store) -> Result<()>) -> Result<()> {
    let store = open_store(loaded).await?;
    let result = f(&store).await;
    store.close().await;
    result
}

pub use reelsmith::wiring::{embedder, open_store};

/// The local model for a command's `--lm` flag (the coherence check's order evidence), or `None`
/// without the flag.
///
/// # Errors
/// A [`crate::exit::UserError`] naming where the model was looked for and how to install it or
/// leave out `--lm`.
pub fn likelihood_model(
    loaded: &Loaded,
    wanted: bool,
) -> Result<Option<reelsmith_llm::likelihood::LocalLikelihood>> {
    if !wanted {
        return Ok(None);
    }
    reelsmith::wiring::likelihood_model(loaded)
        .map(Some)
        .map_err(|e| {
            crate::exit::UserError(format!(
                "{e} — run scripts/install-deps.sh, or leave out --lm"
            ))
            .into()
        })
}

/// The document reader every command uses: PDF and DOCX parsed in a bounded child of this binary,
/// so a hostile file ends in an error naming it, never in a crash or a hang.
///
/// # Errors
/// This executable's path cannot be found.
pub fn document_reader() -> Result<reelsmith_ingest::Reader> {
    reelsmith_ingest::Reader::isolated_in_this_binary()
        .map_err(|e| anyhow::anyhow!("cannot find the reelsmith executable to read documents: {e}"))
}
