//! The `reelsmith` binary: parses the command line, loads the configuration once, opens the store and
//! runs one subcommand. Errors print once, on stderr, and map to the exit codes in [`exit`].

mod cli;
mod commands;
mod render;
mod render_card;
mod telemetry;

use clap::Parser;
use reelsmith::{config, exit};

fn main() -> std::process::ExitCode {
    // A document-reading child (see reelsmith_ingest::sandbox), before any command-line parsing.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .get(1)
        .is_some_and(|a| a == reelsmith_ingest::sandbox::WORKER_ARG)
    {
        return reelsmith_ingest::sandbox::worker_main(&args[2..]);
    }
    // A bug says so in one line, with where it happened, and never prints a backtrace at a user.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        // `reelsmith … | head`: the reader closed the pipe; stop quietly, as the signal would.
        if what.contains("failed printing to stdout") && what.contains("Broken pipe") {
            std::process::exit(exit::BROKEN_PIPE);
        }
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: reelsmith hit a bug ({what}{at}) — please report it with the command you ran"
        );
    }));
    let cli = cli::Cli::parse();
    // The exporter starts before the runtime (its HTTP client is blocking); a config error is
    // reported by the command itself.
    let otlp = config::load(cli.global.config.as_deref(), cli.global.data_dir.as_deref())
        .ok()
        .and_then(|l| l.config.llm.otlp_endpoint);
    let log = match &cli.command {
        cli::Command::Serve(a) => Some(a.log_format),
        _ => None,
    };
    let telemetry = match telemetry::Telemetry::install(otlp.as_deref(), log) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("warning: OpenTelemetry export and logging are off: {e}");
            None
        }
    };
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
    let result = runtime.block_on(commands::run(cli));
    drop(runtime);
    if let Some(t) = telemetry {
        t.shutdown();
    }
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", exit::message(&err));
            exit::code(&err)
        }
    }
}
