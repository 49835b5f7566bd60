//! A server on port 0 over a fresh SQLite file, with a chosen test model, and a client for it.

use std::sync::Arc;
use std::time::Duration;

use reelsmith_core::llm::Llm;
pub use reelsmith_core::store::Workspace;
use reelsmith_llm::LlmRouter;
use reelsmith_store::Store;
use reelsmith_web::{AppState, Inflight, serve};
use serde_json::{Value, json};

pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub store: Store,
    pub token: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub done: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

pub fn must<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| unreachable!("{e}"))
}

impl Server {
    pub async fn start(model: Arc<dyn Llm>) -> Self {
        Self::start_with(model, None, Duration::from_secs(5)).await
    }

    pub async fn start_with(model: Arc<dyn Llm>, token: Option<&str>, grace: Duration) -> Self {
        let dir = must(tempfile::tempdir());
        let store = must(Store::open_sqlite(&dir.path().join("web.db")).await);
        let router = LlmRouter::with_models(vec![model], None, Arc::new(store.clone()));
        let state = AppState {
            store: store.clone(),
            router: Arc::new(router),
            embedder: None,
            analyze_persona: false,
            token: token.map(Arc::from),
            inflight: Inflight::default(),
            workspace: Workspace::LOCAL,
            hosts: reelsmith_web::guard::allowed_hosts(&must("127.0.0.1:0".parse()), &[]).into(),
            // The test binary is not the reelsmith binary, so it cannot be the isolated reader's
            // worker; hostile uploads are tested against `reelsmith serve` (crates/reelsmith/tests).
            documents: reelsmith_web::Documents::new(reelsmith_ingest::Reader::InProcess, 2),
            sessions: Default::default(),
        };
        let listener = must(tokio::net::TcpListener::bind("127.0.0.1:0").await);
        let addr = must(listener.local_addr());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(serve(
            listener,
            state,
            async move {
                let _ = rx.await;
            },
            grace,
        ));
        Self {
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            store,
            token: token.map(str::to_string),
            stop: Some(tx),
            done: Some(done),
            _dir: dir,
        }
    }

    /// Asks the server to shut down.
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.http.request(method, self.url(path));
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    /// Sends and returns the status and the JSON body (Null when empty or not JSON).
    pub async fn send(&self, r: reqwest::RequestBuilder) -> (u16, Value) {
        let resp = must(r.send().await);
        let status = resp.status().as_u16();
        let text = must(resp.text().await);
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A server whose model is the writer test model answering at once, with the persona "nurse".
    pub async fn writer_with_nurse() -> Self {
        let s = Self::start(Arc::new(reelsmith_testkit::WriterLlm::new(Duration::ZERO))).await;
        s.learn_nurse().await;
        s
    }

    /// GETs `path` as text (a page, an export): the status and the body.
    pub async fn text(&self, path: &str) -> (u16, String) {
        let resp = must(self.http.get(self.url(path)).send().await);
        (resp.status().as_u16(), must(resp.text().await))
    }

    /// POSTs a multipart `form` to `path`.
    pub async fn multipart(&self, path: &str, form: reqwest::multipart::Form) -> (u16, Value) {
        self.send(self.req(reqwest::Method::POST, path).multipart(form))
            .await
    }

    /// Imports `csv` (a file named `stats.csv`) for `persona`; asserts it was imported.
    pub async fn import_csv(&self, persona: &str, csv: Vec<u8>) -> Value {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv).file_name("stats.csv"),
        );
        let (status, report) = self
            .multipart(&format!("/api/v1/personas/{persona}/imports"), form)
            .await;
        assert_eq!(status, 200, "{report}");
        report
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.req(reqwest::Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.req(reqwest::Method::POST, path).json(&body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.req(reqwest::Method::PUT, path).json(&body))
            .await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(self.req(reqwest::Method::DELETE, path)).await
    }

    /// Learns the persona `nurse`: three 75-word examples of 30 s each (150 WPM).
    pub async fn learn_nurse(&self) -> Value {
        let example = "Night shift tip. Your body keeps a clock and light sets it every morning, \
            so wear dark glasses on the drive home and keep the bedroom cold and black. \
            Eat a small meal before bed, not a feast, and put the phone in another room. \
            Nurses who do this sleep longer within a week, and I have watched it happen on my ward. \
            Save this for your next run of nights and follow for more.";
        let examples: Vec<Value> = (0..3)
            .map(|i| json!({"text": example, "title": format!("tip {i}"), "duration_s": 30.0}))
            .collect();
        let (status, body) = self
            .post(
                "/api/v1/personas",
                json!({
                    "name": "nurse",
                    "story": "I was an ER nurse on nights for nine years. Now I coach shift workers on sleep.",
                    "profile": {"niche": "sleep for shift workers", "display_name": "Maya"},
                    "examples": examples,
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Every route the server has, as (method, path under /api/v1). The document must list exactly
/// these, and each must be served.
pub const ROUTES: [(&str, &str); 31] = [
    ("get", "/personas"),
    ("post", "/personas"),
    ("post", "/personas/upload"),
    ("get", "/personas/{name}"),
    ("patch", "/personas/{name}"),
    ("delete", "/personas/{name}"),
    ("get", "/personas/{name}/similar"),
    ("post", "/personas/{name}/imports"),
    ("get", "/personas/{name}/posts"),
    ("put", "/personas/{name}/posts/{id}/link"),
    ("get", "/personas/{name}/insights/scores"),
    ("post", "/personas/{name}/calibration"),
    ("get", "/personas/{name}/insights/best-time"),
    ("get", "/personas/{name}/preferences"),
    ("get", "/experiments"),
    ("post", "/experiments"),
    ("get", "/experiments/{id}"),
    ("post", "/experiments/{id}/posts"),
    ("post", "/scripts/generate"),
    ("get", "/scripts"),
    ("get", "/scripts/{id}"),
    ("delete", "/scripts/{id}"),
    ("get", "/scripts/{id}/export"),
    ("put", "/scripts/{id}/sections/{index}"),
    ("put", "/scripts/{id}/approval"),
    ("post", "/scripts/{id}/retry"),
    ("post", "/scripts/{id}/repurpose"),
    ("post", "/score"),
    ("get", "/usage"),
    ("get", "/health"),
    ("get", "/ready"),
];
