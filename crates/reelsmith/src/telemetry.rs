//! OpenTelemetry export: when `llm.otlp_endpoint` is set, every `llm.call` span (one per model call,
//! with step, provider, model, tokens, cost, latency and retries) is sent to that OTLP/HTTP endpoint
//! as JSON. Without it nothing is exported; the call ledger in the database is always written.

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

impl Telemetry {
    /// Installs the exporter for `endpoint` (e.g. `http://localhost:4318/v1/traces`). Must run outside
    /// the async runtime (the exporter's HTTP client is blocking and owns its own thread).
    ///
    /// # Errors
    /// A message when the exporter cannot be built (invalid endpoint).
    pub fn install(endpoint: &str) -> Result<Self, String> {
        let exporter = SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpJson)
            .with_endpoint(endpoint)
            .build()
            .map_err(|e| format!("llm.otlp_endpoint {endpoint}: {e}"))?;
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(Resource::builder().with_service_name("reelsmith").build())
            .build();
        let tracer = provider.tracer("reelsmith");
        // Only reelsmith's own spans (libraries such as llama-cpp-2 have spans of their own).
        let only_reelsmith = tracing_subscriber::filter::Targets::new()
            .with_target("reelsmith_llm", tracing::Level::INFO)
            .with_target("reelsmith", tracing::Level::INFO);
        tracing_subscriber::registry()
            .with(
                tracing_opentelemetry::layer()
                    .with_tracer(tracer)
                    .with_filter(only_reelsmith),
            )
            .try_init()
            .map_err(|e| e.to_string())?;
        Ok(Self { provider })
    }

    /// Flushes pending spans and stops the exporter.
    pub fn shutdown(self) {
        if let Err(e) = self.provider.shutdown() {
            eprintln!("warning: could not flush OpenTelemetry spans: {e}");
        }
    }
}
