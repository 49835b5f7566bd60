//! What the process reports beyond its output: with `llm.otlp_endpoint` set, every `llm.call` span
//! (one per model call, with step, provider, model, tokens, cost, latency and retries) is exported
//! to that OTLP/HTTP endpoint as JSON; `reelsmith serve` logs each request (method, route, status,
//! latency, request id) and model-call events on stderr, as text or JSON lines (`--log-format`).
//! The call ledger in the database is written either way.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The installed exporter; [`Telemetry::shutdown`] flushes it.
pub struct Telemetry {
    provider: SdkTracerProvider,
}

/// How `reelsmith serve` writes its log on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line (fields `timestamp`, `level`, `target`, `fields`), for machines.
    Json,
}

/// Only reelsmith's own events and spans (libraries such as llama-cpp-2 have spans of their own).
fn reelsmith_only() -> tracing_subscriber::filter::Targets {
    tracing_subscriber::filter::Targets::new()
        .with_target("reelsmith_llm", tracing::Level::INFO)
        .with_target("reelsmith_web", tracing::Level::INFO)
        .with_target("reelsmith", tracing::Level::INFO)
}

impl Telemetry {
    /// Installs the global subscriber: the OTLP exporter for `otlp` (e.g.
    /// `http://localhost:4318/v1/traces`) and a stderr log in `log`'s format, each when given.
    /// Must run outside the async runtime (the exporter's HTTP client is blocking and owns its own
    /// thread). Returns the exporter to flush at exit, if one was installed.
    ///
    /// # Errors
    /// A message when the exporter cannot be built (invalid endpoint) or a subscriber is already
    /// installed.
    pub fn install(otlp: Option<&str>, log: Option<LogFormat>) -> Result<Option<Self>, String> {
        let provider = otlp.map(Self::exporter).transpose()?;
        let otel = provider.as_ref().map(|p| {
            tracing_opentelemetry::layer()
                .with_tracer(p.tracer("reelsmith"))
                .with_filter(reelsmith_only())
        });
        let (text, json) = match log {
            Some(LogFormat::Text) => (
                Some(
                    tracing_subscriber::fmt::layer()
                        .with_writer(std::io::stderr)
                        .with_filter(reelsmith_only()),
                ),
                None,
            ),
            Some(LogFormat::Json) => (
                None,
                Some(
                    tracing_subscriber::fmt::layer()
                        .json()
                        .with_writer(std::io::stderr)
                        .with_filter(reelsmith_only()),
                ),
            ),
            None => (None, None),
        };
        if otel.is_none() && text.is_none() && json.is_none() {
            return Ok(None);
        }
        tracing_subscriber::registry()
            .with(otel)
            .with(text)
            .with(json)
            .try_init()
            .map_err(|e| e.to_string())?;
        Ok(provider.map(|provider| Self { provider }))
    }

    fn exporter(endpoint: &str) -> Result<SdkTracerProvider, String> {
        let exporter = SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpJson)
            .with_endpoint(endpoint)
            .build()
            .map_err(|e| format!("llm.otlp_endpoint {endpoint}: {e}"))?;
        Ok(SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(Resource::builder().with_service_name("reelsmith").build())
            .build())
    }

    /// Flushes pending spans and stops the exporter.
    pub fn shutdown(self) {
        if let Err(e) = self.provider.shutdown() {
            eprintln!("warning: could not flush OpenTelemetry spans: {e}");
        }
    }
}
