//! A fake OpenAI-compatible LLM server: `POST /v1/chat/completions` on 127.0.0.1 (a free port),
//! answering with `n` scripts that fit the length the prompt asks for ([`crate::written_answers`]),
//! as one JSON body or, with `"stream": true`, as server-sent chunks. The benchmarks use it to take
//! the model's time out of what they measure; the crash and fault-injection tests use its
//! [`Plan`] to be slow, to answer too short, or to fail at random.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::written_answers;

/// How the fake server behaves.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Wait before each answer.
    pub latency: Duration,
    /// Wait before every answer after the first, instead of `latency` (a model that becomes slow).
    pub later_latency: Option<Duration>,
    /// Answer with a script far too short for any target, so the pipeline has to fit its length
    /// with further requests.
    pub too_short: bool,
    /// Share of requests, 0–1, that fail: a 429, a 500, a body that is not JSON, or a connection
    /// dropped mid-answer, in turn.
    pub fault_rate: f64,
    /// Seed of the fault draw.
    pub seed: u64,
}

/// A running fake server.
pub struct FakeLlm {
    /// Its base URL, `http://127.0.0.1:PORT/v1`, for a provider's `base_url`.
    pub base_url: String,
    /// Requests received so far.
    pub requests: Arc<AtomicU64>,
    /// Requests answered with a fault so far.
    pub faults: Arc<AtomicU64>,
}

#[derive(Clone)]
struct Fake {
    plan: Arc<Plan>,
    requests: Arc<AtomicU64>,
    faults: Arc<AtomicU64>,
}

/// Starts the server with a fixed latency on a free loopback port; it runs until the runtime ends.
///
/// # Errors
/// When no port can be bound.
pub async fn start(latency: Duration) -> std::io::Result<FakeLlm> {
    start_with(Plan {
        latency,
        ..Plan::default()
    })
    .await
}

/// Starts the server following `plan`.
///
/// # Errors
/// When no port can be bound.
pub async fn start_with(plan: Plan) -> std::io::Result<FakeLlm> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (requests, faults) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let app = axum::Router::new()
        .route("/v1/chat/completions", axum::routing::post(complete))
        .with_state(Fake {
            plan: Arc::new(plan),
            requests: requests.clone(),
            faults: faults.clone(),
        });
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(FakeLlm {
        base_url: format!("http://{addr}/v1"),
        requests,
        faults,
    })
}

/// A uniform draw in [0, 1) for request `i` (SplitMix64: the same plan and seed fail the same
/// requests).
fn draw(seed: u64, i: u64) -> f64 {
    let mut z = seed.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as f64 / u64::MAX as f64
}

/// One chat completion: the messages' text decides the answer's length; one completion token a
/// word, 600 prompt tokens.
async fn complete(State(fake): State<Fake>, Json(body): Json<Value>) -> Response {
    let i = fake.requests.fetch_add(1, Ordering::Relaxed);
    let plan = &fake.plan;
    let wait = match plan.later_latency {
        Some(later) if i > 0 => later,
        _ => plan.latency,
    };
    tokio::time::sleep(wait).await;
    if draw(plan.seed, i) < plan.fault_rate {
        fake.faults.fetch_add(1, Ordering::Relaxed);
        return fault(i);
    }
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
    let texts = if plan.too_short {
        vec!["HOOK: Wait.\nBODY: Short.\nCTA: Follow.".to_string(); n]
    } else {
        written_answers(&prompt, n)
    };
    let completion: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let usage = json!({"prompt_tokens": 600, "completion_tokens": completion, "total_tokens": 600 + completion});
    let head = |choices: Value| json!({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake", "choices": choices});
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

/// The `i`-th fault: 429, 500, a 200 whose body is not JSON, or a body cut off mid-answer.
fn fault(i: u64) -> Response {
    match i % 4 {
        0 => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "0")],
            "rate limited",
        )
            .into_response(),
        1 => (StatusCode::INTERNAL_SERVER_ERROR, "upstream failed").into_response(),
        2 => (
            [(header::CONTENT_TYPE, "application/json")],
            "{\"choices\": [{\"message\": ",
        )
            .into_response(),
        _ => {
            let cut = futures_util::stream::iter([
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"id\": \"chatcmpl")),
                Err(std::io::Error::other("connection dropped")),
            ]);
            (
                [(header::CONTENT_TYPE, "application/json")],
                Body::from_stream(cut),
            )
                .into_response()
        }
    }
}
