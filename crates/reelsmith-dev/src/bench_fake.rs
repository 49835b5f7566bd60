//! The benchmarks' side of the fake OpenAI-compatible LLM server (`reelsmith_testkit::fake_server`):
//! the router configuration that points at it and the bare-call baseline.

use anyhow::Result;
use reelsmith_core::llm::{LlmRequest, Message, Prompt, Role, Step};
use reelsmith_llm::config::{LlmConfig, ProviderConfig};
use reelsmith_llm::{CallContext, LlmRouter};

pub use reelsmith_testkit::fake_server::start;

/// An LLM configuration whose only provider, `bench`, is the fake server at `base_url` (one request
/// with `n` for several attempts, no cost).
pub fn config(base_url: &str) -> LlmConfig {
    let mut config = LlmConfig {
        provider: "bench".into(),
        ..LlmConfig::default()
    };
    config.providers.insert(
        "bench".into(),
        ProviderConfig {
            base_url: Some(base_url.into()),
            model: Some("bench".into()),
            n: Some(true),
            price_input_per_mtok: Some(0.0),
            price_output_per_mtok: Some(0.0),
            ..ProviderConfig::default()
        },
    );
    config
}

/// The wall times, milliseconds, of `rounds` bare calls ("Say OK.") through `router`, the baseline a
/// benchmark compares with. With `warm_up`, one untimed call goes first (connection set-up, lazy
/// initialisation).
///
/// # Errors
/// When a call fails.
pub async fn bare_calls_ms(router: &LlmRouter, rounds: u32, warm_up: bool) -> Result<Vec<f64>> {
    let bare = LlmRequest::new(
        Prompt::Chat(vec![Message::new(Role::User, "Say OK.")]),
        0.0,
        8,
    );
    let mut ms = Vec::new();
    for i in 0..rounds + u32::from(warm_up) {
        let t = std::time::Instant::now();
        router
            .call(Step::Test, CallContext::default(), &bare, None)
            .await?;
        if i > 0 || !warm_up {
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    Ok(ms)
}
