//! The benchmarks' fake OpenAI-compatible LLM server: `POST /v1/chat/completions` on 127.0.0.1 (a
//! free port), answering every request after a fixed latency with `n` scripts that fit the length the
//! prompt asks for ([`written_answers`]), as one JSON body or, with `"stream": true`, as server-sent
//! chunks. It takes the model's time out of a benchmark so that what remains is reelsmith's own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use reelsmith_core::llm::{LlmRequest, Message, Prompt, Role, Step};
use reelsmith_llm::config::{LlmConfig, ProviderConfig};
use reelsmith_llm::{CallContext, LlmRouter};
use reelsmith_testkit::written_answers;
use serde_json::{Value, json};

/// A running fake server.
pub struct FakeLlm {
    /// Its base URL, `http://127.0.0.1:PORT/v1`, for a provider's `base_url`.
    pub base_url: String,
    /// Requests answered so far.
    pub requests: Arc<AtomicU64>,
}

#[derive(Clone)]
struct Fake {
    latency: Duration,
    requests: Arc<AtomicU64>,
}

/// Starts the server on a free loopback port; it runs until the process ends.
///
/// # Errors
/// When no port can be bound.
pub async fn start(latency: Duration) -> Result<FakeLlm> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the fake LLM server")?;
    let addr = listener.local_addr()?;
    let requests = Arc::new(AtomicU64::new(0));
    let app = axum::Router::new()
        .route("/v1/chat/completions", axum::routing::post(complete))
        .with_state(Fake {
            latency,
            requests: requests.clone(),
        });
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(FakeLlm {
        base_url: format!("http://{addr}/v1"),
        requests,
    })
}

/// One chat completion: the messages' text decides the answer's length; one completion token a
/// word, 600 prompt tokens.
async fn complete(State(fake): State<Fake>, Json(body): Json<Value>) -> Response {
    fake.requests.fetch_add(1, Ordering::Relaxed);
    let prompt: String = body["messages"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .filter_map(|m| m["content"].as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .unwrap_or_default();
    let n = body["n"].as_u64().unwrap_or(1).max(1) as usize;
    let texts = written_answers(&prompt, n);
    tokio::time::sleep(fake.latency).await;
    let completion: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let usage = json!({"prompt_tokens": 600, "completion_tokens": completion, "total_tokens": 600 + completion});
    let head = |choices: Value| json!({"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0, "model": "bench", "choices": choices});
    if body["stream"].as_bool() == Some(true) {
        let mut events = String::new();
        for (i, text) in texts.iter().enumerate() {
            let delta = head(
                json!([{"index": i, "delta": {"role": "assistant", "content": text}, "finish_reason": null}]),
            );
            let done = head(json!([{"index": i, "delta": {}, "finish_reason": "stop"}]));
            events.push_str(&format!("data: {delta}\n\ndata: {done}\n\n"));
        }
        let mut last = head(json!([]));
        last["usage"] = usage;
        events.push_str(&format!("data: {last}\n\ndata: [DONE]\n\n"));
        return ([(header::CONTENT_TYPE, "text/event-stream")], events).into_response();
    }
    let choices: Vec<Value> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| json!({"index": i, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}))
        .collect();
    let mut answer = head(json!(choices));
    answer["object"] = json!("chat.completion");
    answer["usage"] = usage;
    Json(answer).into_response()
}

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
