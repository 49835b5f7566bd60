//! The `reelsmith` binary: parses the command line, loads the configuration once, opens the store and
//! runs one subcommand. Errors print once, on stderr, and map to the exit codes in [`exit`].

mod cli;
mod commands;
mod config;
mod exit;
mod render;
mod render_card;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::code_for_internal();
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            exit::code(&err)
        }
    }
}
