//! The OpenAI-compatible client and the router against a local HTTP server replaying OpenAI's
//! chat-completions responses (tests/fixtures/openai): parsing, `n`, streaming, retries with
//! `Retry-After`, errors without retries, fallbacks, the budget and the ledger rows in a real SQLite
//! file.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reelsmith_core::llm::{
    FinishReason, LlmErrorKind, LlmRequest, Message, Prompt, PromptStyle, Role, Step, TokenSink,
};
use reelsmith_core::secret::Secret;
use reelsmith_core::store::LedgerStore;
use reelsmith_llm::config::{LlmConfig, ProviderConfig};
use reelsmith_llm::openai::{OpenAiCompatible, Policy};
use reelsmith_llm::providers::resolve;
use reelsmith_llm::{CallContext, LlmRouter};
use reelsmith_store::Store;
use reelsmith_testkit::ScriptedLlm;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-test-SECRETKEY42";

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openai")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| unreachable!("{}: {e}", p.display()))
}

fn json(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

fn config(base: &str) -> LlmConfig {
    let mut c = LlmConfig {
        provider: "openai".into(),
        max_retries: 2,
        backoff_ms: 10,
        timeout_s: 5.0,
        connect_timeout_s: 2.0,
        ..LlmConfig::default()
    };
    c.providers.insert(
        "openai".into(),
        ProviderConfig {
            base_url: Some(format!("{base}/v1")),
            api_key: Some(Secret(KEY.into())),
            ..ProviderConfig::default()
        },
    );
    c
}

fn client(base: &str, max_retries: u32, backoff_ms: u64) -> OpenAiCompatible {
    let c = config(base);
    let spec = resolve(&c, "openai", None).unwrap_or_else(|e| unreachable!("{e:?}"));
    OpenAiCompatible::new(
        spec,
        Policy {
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            max_retries,
            backoff: Duration::from_millis(backoff_ms),
        },
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
}

fn request() -> LlmRequest {
    LlmRequest::new(
        Prompt::Chat(vec![
            Message::new(Role::System, "You write short video scripts."),
            Message::new(Role::User, "Night shift sleep, 15 s."),
        ]),
        0.7,
        200,
    )
}

async fn ledger() -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let store = Store::open_sqlite(&dir.path().join("t.db"))
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    (dir, Arc::new(store))
}

/// Mounts `first` for the first request and the success fixture for every later one.
async fn once_then_success(server: &MockServer, first: ResponseTemplate) {
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(200, "success.json"))
        .mount(server)
        .await;
}

async fn served(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn success_is_parsed_costed_and_ledgered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(serde_json::json!({
            "model": "gpt-4o-mini", "max_completion_tokens": 200, "temperature": 0.7
        })))
        .respond_with(json(200, "success.json"))
        .mount(&server)
        .await;
    let (_dir, store) = ledger().await;
    let router = LlmRouter::new(&config(&server.uri()), "/tmp".into(), store.clone());
    let ctx = CallContext::default();
    let routed = router
        .call(Step::Generation, ctx, &request(), None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(
        routed.response.choices[0]
            .text
            .starts_with("HOOK: You are not lazy")
    );
    assert_eq!(routed.response.usage.prompt_tokens, 1117);
    assert_eq!(routed.response.usage.completion_tokens, 46);
    assert_eq!(routed.response.model, "gpt-4o-mini-2024-07-18");
    // gpt-4o-mini list price: $0.15 / $0.60 per million tokens.
    let expected = (1117.0 * 0.15 + 46.0 * 0.60) / 1e6;
    assert!(
        (routed.cost_usd - expected).abs() < 1e-12,
        "{}",
        routed.cost_usd
    );
    let usage = store
        .llm_usage(reelsmith_core::store::Workspace::LOCAL, None)
        .await
        .unwrap_or_default();
    assert_eq!(usage.len(), 1);
    assert_eq!(
        (
            usage[0].step.as_str(),
            usage[0].calls,
            usage[0].failed,
            usage[0].prompt_tokens
        ),
        ("generation", 1, 0, 1117)
    );
    assert!((usage[0].cost_usd - expected).abs() < 1e-12);
}

#[tokio::test]
async fn n_choices_come_back_in_index_order_with_finish_reasons() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(serde_json::json!({"n": 2})))
        .respond_with(json(200, "n2.json"))
        .mount(&server)
        .await;
    let mut req = request();
    req.n = 2;
    let r = reelsmith_core::llm::Llm::complete(&client(&server.uri(), 0, 10), &req, None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(r.choices.len(), 2);
    assert!(r.choices[0].text.starts_with("First take"));
    assert_eq!(r.choices[1].finish_reason, FinishReason::Length);
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    once_then_success(
        &server,
        json(429, "rate_limited.json").insert_header("retry-after", "0.3"),
    )
    .await;
    // A 20 s backoff: only the server's Retry-After of 0.3 s lets this finish quickly.
    let llm = client(&server.uri(), 3, 20_000);
    let started = Instant::now();
    let r = reelsmith_core::llm::Llm::complete(&llm, &request(), None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let waited = started.elapsed();
    assert_eq!(r.retries, 1);
    assert_eq!(served(&server).await, 2);
    assert!(
        waited >= Duration::from_millis(300),
        "did not wait: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(15),
        "ignored Retry-After: {waited:?}"
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(500, "server_error.json"))
        .mount(&server)
        .await;
    let err = reelsmith_core::llm::Llm::complete(&client(&server.uri(), 2, 5), &request(), None)
        .await
        .err()
        .unwrap_or_else(|| unreachable!("a 500 must fail"));
    assert_eq!(err.kind, LlmErrorKind::Server);
    assert_eq!(err.retries, 2);
    assert_eq!(served(&server).await, 3);
    assert!(
        err.to_string()
            .contains("HTTP 500: The server had an error"),
        "{err}"
    );
}

#[tokio::test]
async fn a_wrong_key_is_not_retried_and_never_echoed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(401, "invalid_key.json"))
        .mount(&server)
        .await;
    let (_dir, store) = ledger().await;
    let router = LlmRouter::new(&config(&server.uri()), "/tmp".into(), store.clone());
    let err = router
        .call(Step::Test, CallContext::default(), &request(), None)
        .await
        .err()
        .unwrap_or_else(|| unreachable!("a 401 must fail"));
    assert_eq!(err.kind, LlmErrorKind::Unauthorized);
    assert_eq!(served(&server).await, 1);
    let text = err.to_string();
    assert!(text.starts_with("openai (gpt-4o-mini): HTTP 401"), "{text}");
    assert!(text.contains("set the provider's key variable"), "{text}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
    let usage = store
        .llm_usage(reelsmith_core::store::Workspace::LOCAL, None)
        .await
        .unwrap_or_default();
    assert_eq!((usage[0].calls, usage[0].failed), (1, 1));
}

#[tokio::test]
async fn an_unknown_model_names_the_fix() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(404, "model_not_found.json"))
        .mount(&server)
        .await;
    let err = reelsmith_core::llm::Llm::complete(&client(&server.uri(), 2, 5), &request(), None)
        .await
        .err()
        .unwrap_or_else(|| unreachable!("a 404 must fail"));
    assert_eq!(err.kind, LlmErrorKind::NotFound);
    assert_eq!(served(&server).await, 1);
    assert!(
        err.to_string().contains("unknown model or wrong base_url"),
        "{err}"
    );
}

#[tokio::test]
async fn malformed_json_is_retried_then_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, "malformed.txt"))
        .mount(&server)
        .await;
    let err = reelsmith_core::llm::Llm::complete(&client(&server.uri(), 2, 5), &request(), None)
        .await
        .err()
        .unwrap_or_else(|| unreachable!("malformed JSON must fail"));
    assert_eq!(err.kind, LlmErrorKind::Malformed);
    assert_eq!(err.retries, 2);
    assert_eq!(served(&server).await, 3);
    assert!(
        err.to_string().contains("not the JSON the API promises"),
        "{err}"
    );
}

/// One malformed body among good ones costs a retry, not the call.
#[tokio::test]
async fn a_malformed_body_then_a_good_one_succeeds() {
    let server = MockServer::start().await;
    once_then_success(&server, json(200, "malformed.txt")).await;
    let r = reelsmith_core::llm::Llm::complete(&client(&server.uri(), 2, 5), &request(), None)
        .await
        .unwrap_or_else(|e| unreachable!("the retry must succeed: {e}"));
    assert_eq!(r.retries, 1);
    assert!(!r.choices[0].text.is_empty());
}

fn collector() -> (TokenSink, Arc<Mutex<String>>) {
    let got = Arc::new(Mutex::new(String::new()));
    let g = Arc::clone(&got);
    let sink: TokenSink = Arc::new(move |_, piece| {
        if let Ok(mut s) = g.lock() {
            s.push_str(piece);
        }
    });
    (sink, got)
}

#[tokio::test]
async fn a_stream_is_assembled_with_its_usage() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(
            serde_json::json!({"stream": true, "stream_options": {"include_usage": true}}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("stream.sse"), "text/event-stream"),
        )
        .mount(&server)
        .await;
    let (sink, got) = collector();
    let r =
        reelsmith_core::llm::Llm::complete(&client(&server.uri(), 0, 5), &request(), Some(&sink))
            .await
            .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(r.choices[0].text, "HOOK: Night shift brain is real.");
    assert_eq!(
        got.lock().map(|s| s.clone()).unwrap_or_default(),
        r.choices[0].text
    );
    assert_eq!((r.usage.prompt_tokens, r.usage.completion_tokens), (21, 7));
}

/// A server that ignores `stream: true` and answers with a plain completion (many self-hosted
/// OpenAI-compatible servers do) still gives live progress: the whole answer reaches the sink, and
/// later calls from the same client are made plain at once.
#[tokio::test]
async fn a_server_that_does_not_stream_gets_plain_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, "success.json"))
        .mount(&server)
        .await;
    let c = client(&server.uri(), 2, 5);
    let (sink, got) = collector();
    let r = reelsmith_core::llm::Llm::complete(&c, &request(), Some(&sink))
        .await
        .unwrap_or_else(|e| unreachable!("a non-streaming server must still answer: {e}"));
    assert!(!r.choices[0].text.is_empty());
    assert_eq!(
        got.lock().map(|s| s.clone()).unwrap_or_default(),
        r.choices[0].text
    );
    let (sink, _) = collector();
    let again = reelsmith_core::llm::Llm::complete(&c, &request(), Some(&sink)).await;
    assert!(again.is_ok());
    // One streamed try, its plain retry, then one plain call: no retries spent on streaming.
    assert_eq!(served(&server).await, 3);
    let bodies: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap_or_default())
        .collect();
    assert_eq!(bodies[0]["stream"], true);
    assert!(bodies[1]["stream"].is_null() && bodies[2]["stream"].is_null());
}

#[tokio::test]
async fn a_stream_cut_short_is_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("stream_cut.sse"), "text/event-stream"),
        )
        .mount(&server)
        .await;
    let (sink, _) = collector();
    let err =
        reelsmith_core::llm::Llm::complete(&client(&server.uri(), 1, 5), &request(), Some(&sink))
            .await
            .err()
            .unwrap_or_else(|| unreachable!("a cut stream must fail"));
    assert_eq!(err.kind, LlmErrorKind::StreamCut);
    assert_eq!(err.retries, 1);
    assert_eq!(served(&server).await, 2);
}

#[tokio::test]
async fn an_unreachable_provider_falls_back_and_both_calls_are_ledgered() {
    // Nothing listens on port 9 of localhost.
    let remote = client("http://127.0.0.1:9", 1, 5);
    let scripted = ScriptedLlm::new(PromptStyle::Instruct).answer(["from the fallback"]);
    let (_dir, store) = ledger().await;
    let router = LlmRouter::with_models(
        vec![Arc::new(remote), Arc::new(scripted)],
        None,
        store.clone(),
    );
    let routed = router
        .call(Step::Generation, CallContext::default(), &request(), None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(routed.response.choices[0].text, "from the fallback");
    assert_eq!(routed.fallback_from.as_deref(), Some("openai"));
    let usage = store
        .llm_usage(reelsmith_core::store::Workspace::LOCAL, None)
        .await
        .unwrap_or_default();
    let by_provider: Vec<(&str, u64, u64)> = usage
        .iter()
        .map(|u| (u.provider.as_str(), u.calls, u.failed))
        .collect();
    assert!(by_provider.contains(&("openai", 1, 1)), "{by_provider:?}");
    assert!(by_provider.contains(&("scripted", 1, 0)), "{by_provider:?}");
}

#[tokio::test]
async fn the_budget_refuses_a_call_before_it_is_made() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, "success.json"))
        .mount(&server)
        .await;
    let mut c = config(&server.uri());
    c.budget.daily_usd = Some(0.000_01);
    let (_dir, store) = ledger().await;
    let router = LlmRouter::new(&c, "/tmp".into(), store.clone());
    let err = router
        .call(Step::Generation, CallContext::default(), &request(), None)
        .await
        .err()
        .unwrap_or_else(|| unreachable!("over budget"));
    assert_eq!(err.kind, LlmErrorKind::Budget);
    assert!(err.to_string().contains("daily budget of $0.00"), "{err}");
    assert_eq!(served(&server).await, 0);
    let usage = store
        .llm_usage(reelsmith_core::store::Workspace::LOCAL, None)
        .await
        .unwrap_or_default();
    assert_eq!((usage[0].calls, usage[0].failed), (1, 1));
}
