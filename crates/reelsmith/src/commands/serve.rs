//! `reelsmith serve`: the REST API and the web UI in one process (see `reelsmith-web`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use reelsmith_core::embed::Embedder;
use reelsmith_store::Store;
use reelsmith_web::{AppState, Inflight, is_loopback, serve};

use crate::config::Loaded;
use crate::exit::UserError;
use crate::telemetry::LogFormat;

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, IP:PORT (default from `[server] bind`: 127.0.0.1:8505); port 0 picks a
    /// free port.
    #[arg(long, value_name = "IP:PORT")]
    pub bind: Option<String>,
    /// API token every request must carry (required to bind beyond localhost); also
    /// REELSMITH_SERVER__TOKEN or `[server] token`.
    #[arg(long)]
    pub token: Option<String>,
    /// How each request (method, route, status, latency, request id) is logged on stderr: text,
    /// or json (one object per line, for log collectors).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs, store: &Store, loaded: &Loaded) -> Result<()> {
    let cfg = &loaded.config.server;
    let bind = args.bind.unwrap_or_else(|| cfg.bind.clone());
    let addr: SocketAddr = bind.parse().map_err(|e| {
        UserError(format!(
            "--bind {bind} is not an IP:PORT address ({e}) — e.g. 127.0.0.1:8505"
        ))
    })?;
    let token = args
        .token
        .or_else(|| cfg.token.as_ref().map(|t| t.0.clone()))
        .filter(|t| !t.trim().is_empty());
    if !is_loopback(&addr) && token.is_none() {
        return Err(UserError(format!(
            "binding to {addr} exposes reelsmith beyond this machine: set a token with --token or REELSMITH_SERVER__TOKEN"
        ))
        .into());
    }
    if token.as_ref().is_some_and(|t| t.len() < 16) {
        return Err(UserError(
            "the token is shorter than 16 characters: use a long random string".into(),
        )
        .into());
    }
    let embedder: Option<Arc<dyn Embedder>> = match super::embedder(loaded) {
        Ok(m) => Some(Arc::new(m)),
        Err(e) => {
            eprintln!(
                "warning: {e}\nwarning: serving without embeddings (retrieval uses stored order)"
            );
            None
        }
    };
    let state = AppState {
        store: store.clone(),
        router: Arc::new(super::llm::router(loaded, store)),
        embedder,
        analyze_persona: loaded.config.llm.analyze_persona,
        token: token.map(Arc::from),
        inflight: Inflight::default(),
        workspace: super::WS,
        hosts: reelsmith_web::guard::allowed_hosts(&addr, &cfg.allowed_hosts).into(),
        documents: reelsmith_web::Documents::isolated()
            .context("cannot find the reelsmith executable to read documents")?,
        sessions: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    // The first line is machine-readable, for scripts and tests that start on port 0.
    println!("listening on http://{local}");
    eprintln!(
        "reelsmith serve: UI http://{local}/ · API http://{local}/api/v1 · docs http://{local}/api/docs · Ctrl-C stops"
    );
    let grace = Duration::from_secs_f64(cfg.grace_s.max(0.0));
    serve(listener, state, shutdown_signal(), grace)
        .await
        .context("the server stopped")?;
    eprintln!("reelsmith serve: stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
