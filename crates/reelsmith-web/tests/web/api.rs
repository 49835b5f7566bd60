//! The API's routes, its OpenAPI document, personas, scoring, usage, the token and the body limit.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use reelsmith_testkit::WriterLlm;
use serde_json::{Value, json};

use crate::common::{ROUTES, Server, must};

fn writer() -> Arc<WriterLlm> {
    Arc::new(WriterLlm::new(Duration::ZERO))
}

#[tokio::test]
async fn the_openapi_document_lists_every_served_route() {
    let s = Server::start(writer()).await;
    let (status, doc) = s.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .map(|paths| {
            paths
                .iter()
                .flat_map(|(p, ops)| {
                    ops.as_object()
                        .into_iter()
                        .flat_map(|o| o.keys())
                        .map(move |m| (m.clone(), p.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, served,
        "the OpenAPI document and the served routes differ"
    );
    // Each route answers from a handler: the router's own miss is an empty 404 or a 405, a
    // handler's 404 carries a JSON error body.
    for (method, path) in &ROUTES {
        let concrete = path
            .replace("{name}", "nobody")
            .replace("{id}", "999999")
            .replace("{index}", "1");
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let resp = must(
            s.req(m, &format!("/api/v1{concrete}"))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await,
        );
        let code = resp.status().as_u16();
        let body = must(resp.text().await);
        assert_ne!(code, 405, "{method} {path} is not served");
        assert!(
            code != 404 || body.contains("not_found"),
            "{method} {path} is not served: {code} {body}"
        );
    }
    // The readable page names every path.
    let page = must(
        must(s.req(reqwest::Method::GET, "/api/docs").send().await)
            .text()
            .await,
    );
    for (_, path) in &ROUTES {
        assert!(page.contains(path), "/api/docs lacks {path}");
    }
}

/// The document passes an independent validator (openapi-spec-validator, installed by
/// scripts/install-deps.sh): every query parameter is declared in the query (15 were declared as
/// required path parameters, which no generated client could call), and the bearer token is a
/// declared security scheme.
#[tokio::test]
async fn the_openapi_document_is_valid_with_query_parameters_and_a_security_scheme() {
    let s = Server::start(writer()).await;
    let (_, doc) = s.get("/api/openapi.json").await;
    let mut query_params = 0;
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default();
                match p["in"].as_str() {
                    Some("path") => assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: '{name}' is declared in the path but the path has no {{{name}}}"
                    ),
                    Some("query") => {
                        query_params += 1;
                        let optional = !["topic", "format"].contains(&name);
                        assert_eq!(
                            p["required"].as_bool().unwrap_or(false),
                            !optional,
                            "{method} {path}: query parameter '{name}'"
                        );
                    }
                    other => unreachable!("{method} {path}: '{name}' in {other:?}"),
                }
            }
        }
    }
    assert!(query_params >= 15, "{query_params} query parameters");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let dir = must(tempfile::tempdir());
    let file = dir.path().join("openapi.json");
    must(std::fs::write(
        &file,
        must(serde_json::to_string_pretty(&doc)),
    ));
    let out = must(
        std::process::Command::new("python3")
            .args(["-m", "openapi_spec_validator"])
            .arg(&file)
            .output(),
    );
    assert!(
        out.status.success(),
        "openapi-spec-validator refuses the document (scripts/install-deps.sh installs it):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn personas_are_created_read_updated_searched_and_deleted() {
    let s = Server::start(writer()).await;
    let learned = s.learn_nurse().await;
    let p = &learned["persona"];
    assert_eq!(
        (p["name"].as_str(), p["version"].as_u64()),
        (Some("nurse"), Some(1))
    );
    let wpm = p["style"]["pace"]["wpm"].as_f64().unwrap_or(0.0);
    assert!((wpm - 150.0).abs() < 5.0, "{wpm}");
    assert_eq!(p["examples"].as_array().map(Vec::len), Some(3));
    assert!(
        learned["warnings"]
            .to_string()
            .contains("without embeddings")
    );

    // Wrong input names its field and stores nothing.
    let (status, body) = s
        .post(
            "/api/v1/personas",
            json!({"name": "bad name!", "examples": [{"text": "hi there"}]}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = s.post("/api/v1/personas", json!({"name": "empty"})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("examples")),
        "{body}"
    );
    let (status, body) = s
        .post(
            "/api/v1/personas",
            json!({"name": "x", "examples": [{"text": " "}]}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("examples[0].text")),
        "{body}"
    );
    let (status, body) = s
        .post("/api/v1/personas", json!({"name": "x", "colour": "red"}))
        .await;
    assert_eq!(status, 422, "{body}");
    let (_, list) = s.get("/api/v1/personas").await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");

    // Update a field: a new version with the same examples.
    let (status, body) = s
        .send(
            s.req(reqwest::Method::PATCH, "/api/v1/personas/nurse")
                .json(&json!({"target_audience": "night-shift nurses"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["persona"]["version"], 2);
    assert_eq!(
        body["persona"]["profile"]["niche"],
        "sleep for shift workers"
    );
    assert_eq!(
        body["persona"]["profile"]["target_audience"],
        "night-shift nurses"
    );
    let (status, v1) = s.get("/api/v1/personas/nurse?version=1").await;
    assert_eq!((status, v1["version"].as_u64()), (200, Some(1)));
    assert!(v1["profile"]["target_audience"].is_null());
    let (status, _) = s
        .send(
            s.req(reqwest::Method::PATCH, "/api/v1/personas/nurse")
                .json(&json!({"optimal_length_s": 500})),
        )
        .await;
    assert_eq!(status, 422);

    // Similar needs the embedding model, which this server does not have.
    let (status, body) = s.get("/api/v1/personas/nurse/similar?topic=sleep").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("llm_unavailable")),
        "{body}"
    );
    let (status, body) = s
        .get("/api/v1/personas/nurse/similar?topic=sleep&k=0")
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("k")));

    let (status, body) = s.delete("/api/v1/personas/nurse").await;
    assert_eq!(
        (status, body["versions"].as_u64()),
        (200, Some(2)),
        "{body}"
    );
    let (status, body) = s.get("/api/v1/personas/nurse").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../reelsmith-ingest/tests/fixtures")
        .join(name);
    must(std::fs::read(path))
}

#[tokio::test]
async fn a_persona_is_learned_from_uploaded_documents() {
    let s = Server::start(writer()).await;
    let story = "+++\nniche = \"money for students\"\n+++\n# About me\nI paid off my loans at 24 and now I teach students to budget.";
    let form = reqwest::multipart::Form::new()
        .text("name", "lucia")
        .part(
            "story",
            reqwest::multipart::Part::bytes(story.as_bytes().to_vec()).file_name("story.md"),
        )
        .part(
            "examples",
            reqwest::multipart::Part::bytes(fixture("scripts.docx")).file_name("scripts.docx"),
        )
        .part(
            "examples",
            reqwest::multipart::Part::bytes(fixture("scripts.pdf")).file_name("../../scripts.pdf"),
        );
    let (status, body) = s.multipart("/api/v1/personas/upload", form).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["persona"]["profile"]["niche"], "money for students");
    assert!(
        body["persona"]["profile"]["story"]
            .as_str()
            .is_some_and(|t| t.contains("paid off my loans"))
    );
    let n = body["persona"]["examples"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!(n >= 2, "{n} examples from a docx and a pdf");

    // A corrupt document is refused with the file named, and nothing is stored.
    let form = reqwest::multipart::Form::new().text("name", "broken").part(
        "examples",
        reqwest::multipart::Part::bytes(b"not a pdf".to_vec()).file_name("talk.pdf"),
    );
    let (status, body) = s.multipart("/api/v1/personas/upload", form).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("files")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("talk.pdf")),
        "{body}"
    );
    let (status, _) = s.get("/api/v1/personas/broken").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn score_usage_health_and_limits() {
    let s = Server::start(writer()).await;
    s.learn_nurse().await;
    let text = "Stop scrolling. Your sleep is broken because light hits you at 8am. Wear dark glasses home. Follow for more.";
    let (status, card) = s
        .post(
            "/api/v1/score",
            json!({"text": text, "persona": "nurse", "duration_s": 15}),
        )
        .await;
    assert_eq!(status, 200, "{card}");
    assert!(
        card["overall"]
            .as_f64()
            .is_some_and(|o| (0.0..=100.0).contains(&o))
    );
    assert_eq!(card["timing"]["target_s"], 15.0);
    assert!(
        card["voice"].is_object(),
        "voice match against the persona: {card}"
    );
    assert_eq!(card["timing"]["recorded"], false, "{card}");
    // Already filmed: 19 words spoken in 9.5 s is 120 WPM, read from the recording.
    let (status, filmed) = s
        .post(
            "/api/v1/score",
            json!({"text": text, "persona": "nurse", "duration_s": 15, "spoken_s": 9.5}),
        )
        .await;
    assert_eq!(status, 200, "{filmed}");
    assert_eq!(
        (
            filmed["timing"]["recorded"].as_bool(),
            filmed["timing"]["estimated_s"].as_f64()
        ),
        (Some(true), Some(9.5)),
        "{filmed}"
    );
    assert!(
        filmed["timing"]["wpm"]
            .as_f64()
            .is_some_and(|w| (w - 120.0).abs() < 0.5),
        "{filmed}"
    );
    for bad in [json!(0), json!(-3), json!(86_400), json!("ten")] {
        let (status, body) = s
            .post("/api/v1/score", json!({"text": text, "spoken_s": bad}))
            .await;
        assert_eq!(status, 422, "spoken_s {bad}: {body}");
        if bad.is_number() {
            assert_eq!(body["field"].as_str(), Some("spoken_s"), "{body}");
            assert!(body.to_string().contains("seconds"), "{body}");
        }
    }
    let (status, body) = s.post("/api/v1/score", json!({"text": "  "})).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("text")));
    let (status, body) = s
        .post("/api/v1/score", json!({"text": text, "duration_s": 5}))
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("duration_s")));
    let (status, _) = s
        .post("/api/v1/score", json!({"text": text, "persona": "nobody"}))
        .await;
    assert_eq!(status, 404);

    let (status, usage) = s.get("/api/v1/usage?days=7").await;
    assert_eq!((status, usage["calls"].as_u64()), (200, Some(0)), "{usage}");
    let (status, _) = s.get("/api/v1/usage?days=0").await;
    assert_eq!(status, 422);

    let (status, h) = s.get("/api/v1/health").await;
    assert_eq!((status, h["status"].as_str()), (200, Some("ok")));
    let (status, _) = s.get("/api/v1/ready").await;
    assert_eq!(status, 200);

    // A body over the limit is refused before it is read.
    let big = "a ".repeat(9 * 1024 * 1024);
    let resp = must(
        s.req(reqwest::Method::POST, "/api/v1/score")
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 413);
    // A chunked body (no Content-Length) over the limit is 413 too, found while reading it.
    let chunks = (0..17).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1024 * 1024]));
    let resp = must(
        s.req(reqwest::Method::POST, "/api/v1/score")
            .header("content-type", "application/json")
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
                chunks,
            )))
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 413);
    // Malformed JSON is a client error, not a crash.
    let resp = must(
        s.req(reqwest::Method::POST, "/api/v1/score")
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 400);
}

#[tokio::test]
async fn a_token_guards_every_request_but_health() {
    let s = Server::start_with(writer(), Some("s3cret-token"), Duration::from_secs(1)).await;
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build();
    let bare = must(bare);
    let resp = must(bare.get(s.url("/api/v1/personas")).send().await);
    assert_eq!(resp.status().as_u16(), 401);
    let body: Value = must(resp.json().await);
    assert_eq!(body["error"], "unauthorized");
    assert!(!body.to_string().contains("s3cret"));
    let resp = must(
        bare.get(s.url("/api/v1/personas"))
            .bearer_auth("wrong")
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 401);
    // The token itself is not a cookie.
    let resp = must(
        bare.get(s.url("/api/v1/personas"))
            .header(
                "cookie",
                "reelsmith_token=s3cret-token; reelsmith_session=s3cret-token",
            )
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 401);
    // Signing in gives a session cookie that is not the token, expires, and ends at sign-out.
    let resp = must(
        bare.post(s.url("/login"))
            .form(&[("token", "s3cret-token")])
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 303);
    let cookies: Vec<String> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("reelsmith_session="))
        .cloned()
        .unwrap_or_default();
    assert!(!session.contains("s3cret"), "{session}");
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Strict")
            && session.contains("Max-Age=43200"),
        "{session}"
    );
    let id = session.split(';').next().unwrap_or_default().to_string();
    assert_eq!(id.len(), "reelsmith_session=".len() + 64, "{id}");
    let with_session = |path: &str| bare.get(s.url(path)).header("cookie", id.clone()).send();
    assert_eq!(
        must(with_session("/api/v1/personas").await)
            .status()
            .as_u16(),
        200
    );
    let resp = must(
        bare.post(s.url("/logout"))
            .header("cookie", id.clone())
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 303);
    assert!(resp.headers().get_all("set-cookie").iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.starts_with("reelsmith_session=;") && v.contains("Max-Age=0"))
    }));
    assert_eq!(
        must(with_session("/api/v1/personas").await)
            .status()
            .as_u16(),
        401
    );
    let (status, _) = s.get("/api/v1/personas").await;
    assert_eq!(status, 200);
    let resp = must(bare.get(s.url("/api/v1/health")).send().await);
    assert_eq!(resp.status().as_u16(), 200);
    let resp = must(bare.get(s.url("/api/openapi.json")).send().await);
    assert_eq!(resp.status().as_u16(), 401);
    let resp = must(bare.get(s.url("/")).send().await);
    assert_eq!(resp.status().as_u16(), 303);
    assert_eq!(
        resp.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login")
    );
}

/// Another site cannot change anything through the user's browser (CSRF), a foreign `Host` is not
/// served (DNS rebinding), every answer carries the security headers, and the token is accepted
/// with a lowercase scheme but not when it differs, whatever its length.
#[tokio::test]
async fn cross_site_changes_and_foreign_hosts_are_refused() {
    let s = Server::start(writer()).await;
    let persona = json!({"name": "nurse", "examples": [{"text": "Stop. Sleep. Follow for more."}]});
    let post = |origin: Option<&'static str>, site: Option<&'static str>| {
        let mut r = s
            .req(reqwest::Method::POST, "/api/v1/personas")
            .json(&persona);
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if let Some(f) = site {
            r = r.header("sec-fetch-site", f);
        }
        r
    };
    let (status, body) = s.send(post(Some("http://evil.example"), None)).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "forbidden");
    let (status, _) = s.send(post(None, Some("cross-site"))).await;
    assert_eq!(status, 403);
    let (_, list) = s.get("/api/v1/personas").await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing was stored");
    // The UI's own form posts carry the server's origin and go through.
    let own = s.base.clone();
    let (status, body) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas")
                .header("origin", own)
                .json(&persona),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // A foreign Host is refused, even for reading.
    let resp = must(
        s.req(reqwest::Method::GET, "/api/v1/personas")
            .header("host", "attacker.example")
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 403);
    // Security headers on pages and API answers.
    let resp = must(s.req(reqwest::Method::GET, "/generate").send().await);
    let h = resp.headers();
    let csp = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(
        h.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    assert_eq!(
        h.get("x-frame-options").map(|v| v.as_bytes()),
        Some(&b"DENY"[..])
    );
    assert_eq!(
        h.get("referrer-policy").map(|v| v.as_bytes()),
        Some(&b"same-origin"[..])
    );
}

#[tokio::test]
async fn the_token_scheme_is_case_insensitive_and_its_length_is_not_special() {
    let s = Server::start_with(writer(), Some("s3cret-token"), Duration::from_secs(1)).await;
    let ask = |auth: &str| {
        s.http
            .get(s.url("/api/v1/personas"))
            .header("authorization", auth.to_string())
            .send()
    };
    for (auth, status) in [
        ("Bearer s3cret-token", 200),
        ("bearer s3cret-token", 200),
        ("BEARER s3cret-token", 200),
        ("Bearer s3cret-tokeX", 401),
        ("Bearer s3cret", 401),
        ("Bearer s3cret-token-and-more", 401),
        ("Basic s3cret-token", 401),
    ] {
        assert_eq!(must(ask(auth).await).status().as_u16(), status, "{auth}");
    }
}
