//! `reelsmith config`: the commented example configuration and the settings in force.

use anyhow::Result;
use clap::Subcommand;

use crate::config::{EXAMPLE, Loaded, default_file};

/// `config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the commented example configuration (save it as ~/.config/reelsmith/config.toml to edit).
    Default,
    /// Print the settings in force and where they came from (passwords hidden).
    Show,
}

/// Runs a `config` subcommand.
pub fn run(cmd: ConfigCmd, loaded: &Loaded) -> Result<()> {
    match cmd {
        ConfigCmd::Default => print!("{EXAMPLE}"),
        ConfigCmd::Show => {
            let file = match (&loaded.file, default_file()) {
                (Some(f), _) => f.display().to_string(),
                (None, Some(d)) => format!("none ({} does not exist)", d.display()),
                (None, None) => "none".into(),
            };
            println!("config file   {file}");
            println!("data folder   {}", loaded.data_dir.display());
            match &loaded.config.database_url {
                Some(url) => println!("database      {}", reelsmith_store::redact(&url.0)),
                None => println!("database      SQLite {}", loaded.sqlite_path().display()),
            }
        }
    }
    Ok(())
}
