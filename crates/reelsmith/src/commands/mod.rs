//! One module per subcommand; each has its clap arguments and a `run` function.

pub mod config;
pub mod persona;

use anyhow::Result;
use reelsmith_store::Store;

use crate::cli::{Cli, Command};
use crate::config::Loaded;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let loaded = crate::config::load(cli.global.config.as_deref(), cli.global.data_dir.as_deref())?;
    match cli.command {
        Command::Config(cmd) => config::run(cmd, &loaded),
        Command::Persona(cmd) => {
            let store = open_store(&loaded).await?;
            let result = persona::run(cmd, &store).await;
            store.close().await;
            result
        }
    }
}

/// Opens the configured store: PostgreSQL when `database_url` is set, else the SQLite file in the
/// data folder.
pub async fn open_store(loaded: &Loaded) -> Result<Store> {
    Ok(match &loaded.config.database_url {
        Some(url) => Store::connect(&url.0).await?,
        None => Store::open_sqlite(&loaded.sqlite_path()).await?,
    })
}
