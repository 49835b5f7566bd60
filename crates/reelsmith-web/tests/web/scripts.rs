//! Scripts through the API: generate (JSON and server-sent events), list, get, export, regenerate a
//! section, approve, delete, model failures and a graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use reelsmith_core::llm::{LlmErrorKind, PromptStyle};
use reelsmith_core::store::GenerationStore;
use reelsmith_testkit::{ScriptedLlm, WriterLlm};
use serde_json::{Value, json};

use crate::common::{Server, Workspace, must};
use reelsmith_core::platform::GenerationStatus;

fn request(topic: &str) -> Value {
    json!({"persona": "nurse", "topic": topic, "duration_s": 30, "attempts": 3, "style": "casual", "platform": "reels"})
}

/// A server with the nurse persona and one script written for it (asserted stored: 201).
async fn with_a_script() -> (Server, Value) {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::ZERO))).await;
    s.learn_nurse().await;
    let (status, g) = s
        .post("/api/v1/scripts/generate", request("sleeping after nights"))
        .await;
    assert_eq!(status, 201, "{g}");
    (s, g)
}

#[tokio::test]
async fn generate_list_export_revise_approve_and_delete() {
    let (s, g) = with_a_script().await;
    let id = g["id"].as_i64().unwrap_or(0);
    assert_eq!(g["status"], "completed");
    assert_eq!(g["attempts"].as_array().map(Vec::len), Some(3));
    let script = &g["script"];
    let spoken = script["duration_s"].as_f64().unwrap_or(0.0);
    assert!(
        (27.0..=33.0).contains(&spoken),
        "{spoken} s for a 30 s target"
    );
    let sections = script["sections"].as_array().cloned().unwrap_or_default();
    assert!(sections.len() >= 3);
    assert_eq!(sections[0]["kind"], "hook");
    assert!(
        script["hashtags"].as_array().is_some_and(|h| h.len() == 5),
        "{}",
        script["hashtags"]
    );

    // Wrong requests name their field; an unknown persona is 404; nothing is stored for them.
    for (body, field) in [
        (
            json!({"persona": "nurse", "topic": "x", "duration_s": 200}),
            "duration_s",
        ),
        (json!({"persona": "nurse", "topic": " "}), "topic"),
        (
            json!({"persona": "nurse", "topic": "x", "style": "shouty"}),
            "style",
        ),
        (
            json!({"persona": "nurse", "topic": "x", "attempts": 9}),
            "attempts",
        ),
        (
            json!({"persona": "nurse", "topic": "x", "length": 30}),
            "length",
        ),
    ] {
        let (status, err) = s.post("/api/v1/scripts/generate", body).await;
        assert_eq!((status, err["field"].as_str()), (422, Some(field)), "{err}");
    }
    let (status, _) = s
        .post(
            "/api/v1/scripts/generate",
            json!({"persona": "nobody", "topic": "x"}),
        )
        .await;
    assert_eq!(status, 404);

    let (status, _) = s.post("/api/v1/scripts/generate", json!({"persona": "nurse", "topic": "Caffeine timing", "style": "sales", "platform": "tiktok"})).await;
    assert_eq!(status, 201);
    let (_, page) = s.get("/api/v1/scripts?limit=1").await;
    assert_eq!(
        (
            page["total"].as_u64(),
            page["items"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1)),
        "{page}"
    );
    let (_, page) = s.get("/api/v1/scripts?limit=1&offset=1").await;
    assert_eq!(page["items"][0]["id"].as_i64(), Some(id));
    let (_, page) = s
        .get("/api/v1/scripts?platform=tiktok&style=sales&q=CAFFEINE")
        .await;
    assert_eq!(page["total"].as_u64(), Some(1), "{page}");
    let (_, page) = s.get("/api/v1/scripts?since=2099-01-01T00:00:00Z").await;
    assert_eq!(page["total"].as_u64(), Some(0));
    let (status, err) = s.get("/api/v1/scripts?limit=500").await;
    assert_eq!((status, err["field"].as_str()), (422, Some("limit")));
    let (status, err) = s.get("/api/v1/scripts?status=maybe").await;
    assert_eq!((status, err["field"].as_str()), (422, Some("status")));

    // Exports in every format, as downloads.
    for (format, mime, needle) in [
        ("md", "text/markdown", "## Numbers"),
        ("json", "application/json", "\"start_s\""),
        ("srt", "application/x-subrip", "00:00:00,000 -->"),
        ("teleprompter", "text/plain", "Stop scrolling"),
    ] {
        let resp = must(
            s.req(
                reqwest::Method::GET,
                &format!("/api/v1/scripts/{id}/export?format={format}"),
            )
            .send()
            .await,
        );
        assert_eq!(resp.status().as_u16(), 200);
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(ct.starts_with(mime), "{format}: {ct}");
        let cd = resp
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(cd.contains(&format!("script-{id}.")), "{cd}");
        let text = must(resp.text().await);
        assert!(text.contains(needle), "{format}: {text}");
    }
    let (status, err) = s
        .get(&format!("/api/v1/scripts/{id}/export?format=pdf"))
        .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("format")));

    // Regenerate a section: a new version with its parent kept.
    let (status, v2) = s
        .put(
            &format!("/api/v1/scripts/{id}/sections/2"),
            json!({"instructions": "more energetic"}),
        )
        .await;
    assert_eq!(status, 201, "{v2}");
    assert_eq!(
        (v2["version"].as_u64(), v2["parent_id"].as_i64()),
        (Some(2), Some(id))
    );
    let (status, err) = s
        .put(
            &format!("/api/v1/scripts/{id}/sections/99"),
            json!({"instructions": "x"}),
        )
        .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (422, Some("section")),
        "{err}"
    );
    let (status, err) = s
        .put(
            &format!("/api/v1/scripts/{id}/sections/1"),
            json!({"instructions": " "}),
        )
        .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("instructions")));

    // Approval.
    let v2id = v2["id"].as_i64().unwrap_or(0);
    let (status, a) = s
        .put(
            &format!("/api/v1/scripts/{v2id}/approval"),
            json!({"status": "approved", "by": "maya", "notes": "ship it"}),
        )
        .await;
    assert_eq!(
        (status, a["approval"].as_str(), a["approval_notes"].as_str()),
        (200, Some("approved"), Some("ship it"))
    );
    let (status, err) = s
        .put(
            &format!("/api/v1/scripts/{v2id}/approval"),
            json!({"status": "love it"}),
        )
        .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("status")));
    let (_, page) = s.get("/api/v1/scripts?status=approved").await;
    assert_eq!(page["total"].as_u64(), Some(1));

    // Soft delete hides it from the list; hard delete removes it.
    let resp = must(
        s.req(reqwest::Method::DELETE, &format!("/api/v1/scripts/{id}"))
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 204);
    let (_, page) = s.get("/api/v1/scripts").await;
    assert_eq!(page["total"].as_u64(), Some(2));
    let (status, g) = s.get(&format!("/api/v1/scripts/{id}")).await;
    assert_eq!(status, 200);
    assert!(g["deleted_at"].is_string());
    let (status, _) = s.delete(&format!("/api/v1/scripts/{id}?hard=true")).await;
    assert_eq!(status, 204);
    let (status, err) = s.get(&format!("/api/v1/scripts/{id}")).await;
    assert_eq!((status, err["error"].as_str()), (404, Some("not_found")));
    let (status, _) = s.get("/api/v1/scripts/abc").await;
    assert_eq!(status, 422);

    // Every call is in the usage totals.
    let (_, usage) = s.get("/api/v1/usage").await;
    assert!(usage["calls"].as_u64().is_some_and(|c| c >= 3), "{usage}");
}

/// Splits a text/event-stream body into (event, data) pairs.
fn events(body: &str) -> Vec<(String, Value)> {
    body.split("\n\n")
        .filter_map(|block| {
            let mut name = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            (!name.is_empty()).then(|| (name, serde_json::from_str(&data).unwrap_or(Value::Null)))
        })
        .collect()
}

#[tokio::test]
async fn progress_streams_as_server_sent_events() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::from_millis(50)))).await;
    s.learn_nurse().await;
    let resp = must(
        s.req(reqwest::Method::POST, "/api/v1/scripts/generate")
            .header("accept", "text/event-stream")
            .json(&request("light and sleep"))
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/event-stream"))
    );
    let body = must(resp.text().await);
    let evs = events(&body);
    let names: Vec<&str> = evs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"started"), "{names:?}");
    assert!(
        names.iter().filter(|n| **n == "token").count() > 10,
        "{names:?}"
    );
    assert_eq!(names.iter().filter(|n| **n == "scored").count(), 3);
    assert_eq!(names.last(), Some(&"done"));
    let done = &evs[evs.len() - 1].1;
    let id = done["id"].as_i64().unwrap_or(0);
    assert_eq!(
        must(s.store.generation(Workspace::LOCAL, id).await).status,
        GenerationStatus::Completed
    );
    let scored: Vec<&Value> = evs
        .iter()
        .filter(|(n, _)| n == "scored")
        .map(|(_, v)| v)
        .collect();
    assert!(
        scored.iter().all(|v| v["overall"].is_number()),
        "{scored:?}"
    );

    // A wrong field is refused before the stream starts.
    let resp = must(
        s.req(reqwest::Method::POST, "/api/v1/scripts/generate")
            .header("accept", "text/event-stream")
            .json(&json!({"persona": "nurse", "topic": "x", "duration_s": 5}))
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 422);
}

/// The request takes background (`context`) and an urgency; an urgent request makes one attempt;
/// several wrong fields come back together, each named.
#[tokio::test]
async fn context_and_urgency_are_part_of_the_request() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::ZERO))).await;
    s.learn_nurse().await;
    let mut body = request("sleeping after nights");
    body["context"] = json!("The free sleep guide is on my site until Friday.");
    body["urgency"] = json!("urgent");
    let (status, g) = s.post("/api/v1/scripts/generate", body).await;
    assert_eq!(status, 201, "{g}");
    assert_eq!(g["request"]["urgency"], "urgent");
    assert_eq!(
        g["request"]["context"],
        "The free sleep guide is on my site until Friday."
    );
    assert_eq!(g["attempts"].as_array().map(Vec::len), Some(1));
    let (status, err) = s
        .post(
            "/api/v1/scripts/generate",
            json!({"persona": "nurse", "topic": "", "duration_s": 5, "urgency": "asap", "platform": "myspace"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["topic", "duration_s", "platform", "urgency"],
        "{err}"
    );
}

#[tokio::test]
async fn a_failing_model_is_502_or_503_with_its_reason_and_is_recorded() {
    let model = ScriptedLlm::new(PromptStyle::Instruct)
        .fail(LlmErrorKind::Unreachable, "connection refused")
        .fail(LlmErrorKind::Unauthorized, "invalid api key")
        .answer(["nope", "HOOK: only a hook"]);
    let s = Server::start(Arc::new(model)).await;
    s.learn_nurse().await;
    let (status, err) = s.post("/api/v1/scripts/generate", request("x")).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (503, Some("llm_unavailable")),
        "{err}"
    );
    let msg = err["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("connection refused") && msg.contains("recorded as failed generation"),
        "{msg}"
    );
    let (status, err) = s.post("/api/v1/scripts/generate", request("y")).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (502, Some("llm_failed")),
        "{err}"
    );
    let (_, page) = s.get("/api/v1/scripts").await;
    assert_eq!(page["total"].as_u64(), Some(2));
    assert_eq!(page["items"][0]["status"], "failed");
    // The event stream ends in an error event instead.
    let resp = must(
        s.req(reqwest::Method::POST, "/api/v1/scripts/generate")
            .header("accept", "text/event-stream")
            .json(&request("z"))
            .send()
            .await,
    );
    let evs = events(&must(resp.text().await));
    let last = evs.last().cloned().unwrap_or_default();
    assert_eq!(last.0, "error", "{evs:?}");
    assert!(last.1["message"].is_string());
    // That failure came after the model answered: its unusable attempts are stored with it.
    let (_, page) = s.get("/api/v1/scripts").await;
    let id = page["items"][0]["id"].as_i64().unwrap_or_default();
    let (_, failed) = s.get(&format!("/api/v1/scripts/{id}")).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    let attempts = failed["attempts"].as_array().cloned().unwrap_or_default();
    assert_eq!(attempts.len(), 2, "{failed}");
    assert_eq!(attempts[0]["raw_text"], "nope", "{failed}");
}

#[tokio::test]
async fn shutdown_lets_a_generation_finish_or_records_it_as_interrupted() {
    // Finishes within the grace period: stored as completed and answered.
    let mut s = Server::start_with(
        Arc::new(WriterLlm::new(Duration::from_millis(600))),
        None,
        Duration::from_secs(10),
    )
    .await;
    s.learn_nurse().await;
    let pending = s
        .req(reqwest::Method::POST, "/api/v1/scripts/generate")
        .json(&request("finish me"))
        .send();
    let pending = tokio::spawn(pending);
    tokio::time::sleep(Duration::from_millis(150)).await;
    s.shutdown();
    let resp = must(must(pending.await));
    assert_eq!(resp.status().as_u16(), 201);
    if let Some(done) = s.done.take() {
        must(must(done.await));
    }

    // Outlives the grace period: stopped and marked interrupted, never half-written, and its
    // client told so with a 503 naming it.
    let mut s = Server::start_with(
        Arc::new(WriterLlm::new(Duration::from_secs(30))),
        None,
        Duration::from_millis(300),
    )
    .await;
    s.learn_nurse().await;
    let pending = tokio::spawn(
        s.req(reqwest::Method::POST, "/api/v1/scripts/generate")
            .json(&request("cut me"))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    s.shutdown();
    if let Some(done) = s.done.take() {
        must(must(done.await));
    }
    let (rows, total) = must(
        s.store
            .generations(Workspace::LOCAL, &Default::default())
            .await,
    );
    assert_eq!(total, 1);
    let g = must(s.store.generation(Workspace::LOCAL, rows[0].id).await);
    assert_eq!(g.status, GenerationStatus::Interrupted);
    assert_eq!(
        g.error.as_deref(),
        Some(reelsmith_web::inflight::INTERRUPTED)
    );
    let resp = must(must(pending.await));
    assert_eq!(resp.status().as_u16(), 503);
    let body: serde_json::Value = must(resp.json().await);
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("generation {} ", g.id)) && message.contains("interrupted"),
        "{body}"
    );
}

/// A persona whose scripts were approved is not deleted by accident: 422 naming how many would go,
/// then deleted with `force=true` (its generations with it).
#[tokio::test]
async fn a_persona_with_approved_scripts_is_deleted_only_when_forced() {
    let (s, g) = with_a_script().await;
    let id = g["id"].as_i64().unwrap_or(0);
    let (status, _) = s
        .put(
            &format!("/api/v1/scripts/{id}/approval"),
            json!({"status": "approved"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, err) = s.delete("/api/v1/personas/nurse").await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["field"], "force");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("1 approved script")),
        "{err}"
    );
    let (status, _) = s.get(&format!("/api/v1/scripts/{id}")).await;
    assert_eq!(status, 200, "nothing was deleted");
    let (status, body) = s.delete("/api/v1/personas/nurse?force=true").await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = s.get(&format!("/api/v1/scripts/{id}")).await;
    assert_eq!(status, 404);
}
