//! The UI's pages over HTTP, as a browser without JavaScript uses them: learn a persona from the
//! form, write a script, regenerate a section, review it, find it in the history, see it counted.

use std::sync::Arc;
use std::time::Duration;

use reelsmith_testkit::WriterLlm;

use crate::common::{Server, must};

async fn text(r: reqwest::RequestBuilder) -> (u16, String, Option<String>) {
    let resp = must(r.send().await);
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, must(resp.text().await), location)
}

#[tokio::test]
async fn the_pages_work_without_javascript() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::ZERO))).await;
    let http = must(
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build(),
    );
    let (status, body, _) = text(http.get(s.url("/generate"))).await;
    assert_eq!(status, 200);
    assert!(body.contains("Learn a persona first"), "{body}");

    let examples = "Night shift tip. Your body keeps a clock and light sets it every morning, so wear dark glasses home. Keep the bedroom cold. Follow for more.\n---\nCaffeine tip. Stop coffee six hours before you sleep, even on nights. Your deep sleep comes back within a week. Save this.";
    let form = reqwest::multipart::Form::new()
        .text("name", "nurse")
        .text("story_text", "I was an ER nurse on nights for nine years.")
        .text("examples_text", examples)
        .part(
            "examples",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        );
    let (status, _, location) = text(http.post(s.url("/personas")).multipart(form)).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/personas/nurse"))
    );
    let (status, body, _) = text(http.get(s.url("/personas/nurse"))).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Learned style") && body.contains("WPM") && body.contains("Night shift tip"),
        "{body}"
    );

    // A bad form comes back with the error under the field; nothing is stored.
    let form = reqwest::multipart::Form::new()
        .text("name", "bad name!")
        .text("examples_text", examples);
    let (status, body, _) = text(http.post(s.url("/personas")).multipart(form)).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("id=\"error-name\"") && body.contains("invalid persona name"),
        "{body}"
    );
    let form = reqwest::multipart::Form::new().text("name", "empty");
    let (status, body, _) = text(http.post(s.url("/personas")).multipart(form)).await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"error-examples\""), "{body}");

    let (_, body, _) = text(http.get(s.url("/generate?persona=nurse"))).await;
    assert!(
        body.contains("id=\"generate-form\"") && body.contains("<option value=\"nurse\" selected"),
        "{body}"
    );
    let form = [
        ("persona", "nurse"),
        ("topic", "sleeping after nights"),
        ("duration_s", "30"),
        ("content_type", "educational"),
        ("style", "casual"),
        ("platform", "reels"),
        ("attempts", "2"),
        ("language", ""),
        ("requirements", "mention the guide"),
    ];
    let (status, _, location) = text(http.post(s.url("/generate")).form(&form)).await;
    assert_eq!(status, 303);
    let script = location.unwrap_or_default();
    let (status, body, _) = text(http.get(s.url(&script))).await;
    assert_eq!(status, 200);
    for needle in [
        "class=\"timing\"",
        "Score ",
        "hook strength",
        "Attempt 2",
        "Regenerate a section",
        "export?format=srt",
    ] {
        assert!(body.contains(needle), "{needle} missing from {script}");
    }

    let id = script.trim_start_matches("/scripts/");
    let (status, _, location) = text(
        http.post(s.url(&format!("/scripts/{id}/sections")))
            .form(&[("section", "2"), ("instructions", "more energetic")]),
    )
    .await;
    assert_eq!(status, 303);
    let v2 = location.unwrap_or_default();
    assert_ne!(v2, script);
    let (_, body, _) = text(http.get(s.url(&v2))).await;
    assert!(
        body.contains("version 2") && body.contains(&format!("revises <a href=\"/scripts/{id}\"")),
        "{body}"
    );
    let v2id = v2.trim_start_matches("/scripts/");
    let (status, _, _) = text(
        http.post(s.url(&format!("/scripts/{v2id}/approval")))
            .form(&[("status", "approved"), ("by", "maya"), ("notes", "ship it")]),
    )
    .await;
    assert_eq!(status, 303);
    let (_, body, _) = text(http.get(s.url(&v2))).await;
    assert!(body.contains("pill approved") && body.contains("ship it"));

    let (_, body, _) = text(http.get(s.url("/history?status=approved&q=SLEEPING"))).await;
    assert!(
        body.contains("1 generation<") && body.contains(&format!("href=\"/scripts/{v2id}\"")),
        "{body}"
    );
    let (_, body, _) = text(http.get(s.url("/history?style=sales"))).await;
    assert!(body.contains("0 generations"), "{body}");

    let (status, body, _) = text(http.get(s.url("/analytics"))).await;
    assert_eq!(status, 200);
    assert!(body.contains("<strong>2</strong> generations"), "{body}");
    for chart in [
        "chart-generations",
        "chart-cost",
        "chart-scores",
        "chart-latency",
        "chart-hooks",
    ] {
        assert!(body.contains(chart), "{chart}");
    }
    let (status, _, _) = text(http.get(s.url("/scripts/424242"))).await;
    assert_eq!(status, 404);
    let (status, css, _) = text(http.get(s.url("/static/app.js"))).await;
    assert!(status == 200 && css.contains("text/event-stream"));
}

fn no_redirects() -> reqwest::Client {
    must(
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build(),
    )
}

async fn learn(s: &Server, http: &reqwest::Client, name: &str) {
    let examples = "Night shift tip. Wear dark glasses home. Follow for more.\n---\nCaffeine tip. Stop coffee six hours before sleep. Save this.";
    let form = reqwest::multipart::Form::new()
        .text("name", name.to_string())
        .text("examples_text", examples);
    let (status, _, _) = text(http.post(s.url("/personas")).multipart(form)).await;
    assert_eq!(status, 303);
}

/// The generate form shows every wrong field under the field, keeps what was typed, and
/// preselects the persona last written for (not the alphabetically first).
#[tokio::test]
async fn form_errors_show_under_each_field_and_the_last_persona_is_preselected() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::ZERO))).await;
    let http = no_redirects();
    learn(&s, &http, "alpha").await;
    learn(&s, &http, "zed").await;
    let form = [
        ("persona", "zed"),
        ("topic", ""),
        ("duration_s", "5"),
        ("attempts", "99"),
        ("language", "xx"),
        ("context", "Our guide is free until Friday."),
    ];
    let (status, body, _) = text(http.post(s.url("/generate")).form(&form)).await;
    assert_eq!(status, 422);
    for field in ["topic", "duration_s", "attempts", "language"] {
        assert!(
            body.contains(&format!("id=\"error-{field}\"")),
            "no error under {field}: {body}"
        );
    }
    assert!(
        body.contains("Our guide is free until Friday."),
        "typed text is kept"
    );
    assert!(body.contains("<option value=\"zed\" selected"), "{body}");
    let ok = [
        ("persona", "zed"),
        ("topic", "naps before nights"),
        ("duration_s", "20"),
        ("urgency", "urgent"),
    ];
    let (status, _, location) = text(http.post(s.url("/generate")).form(&ok)).await;
    assert_eq!(status, 303, "{location:?}");
    let (_, body, _) = text(http.get(s.url("/generate"))).await;
    assert!(body.contains("<option value=\"zed\" selected"), "{body}");
    assert!(body.contains("name=\"context\"") && body.contains("name=\"urgency\""));
    // Analytics with no cost says $0.0000, never $-0.0000.
    let (_, body, _) = text(http.get(s.url("/analytics"))).await;
    assert!(body.contains("$0.0000") && !body.contains("$-0"), "{body}");
}

/// A persona can be edited (a new version with the same examples), read at an older version, and
/// deleted once confirmed — from the UI, as the API could.
#[tokio::test]
async fn personas_are_edited_switched_and_deleted_in_the_ui() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::ZERO))).await;
    let http = no_redirects();
    learn(&s, &http, "nurse").await;
    let (status, body, _) = text(http.post(s.url("/personas/nurse/profile")).form(&[
        ("niche", "sleep for shift workers"),
        ("expertise", "sleep, caffeine"),
        ("optimal_length_s", "abc"),
    ]))
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"error-optimal_length_s\""), "{body}");
    let (status, _, location) = text(http.post(s.url("/personas/nurse/profile")).form(&[
        ("niche", "sleep for shift workers"),
        ("expertise", "sleep, caffeine"),
        ("optimal_length_s", "30"),
    ]))
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/personas/nurse"))
    );
    let (_, body, _) = text(http.get(s.url("/personas/nurse"))).await;
    assert!(
        body.contains("v2 of 2") && body.contains("sleep for shift workers"),
        "{body}"
    );
    assert!(
        body.contains("href=\"/personas/nurse?version=1\""),
        "{body}"
    );
    let (_, body, _) = text(http.get(s.url("/personas/nurse?version=1"))).await;
    assert!(body.contains("v1 of 2") && !body.contains("value=\"sleep for shift workers\""));
    let (status, body, _) = text(
        http.post(s.url("/personas/nurse/delete"))
            .form(&[("x", "")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"error-confirm\""), "{body}");
    let (status, _, location) = text(
        http.post(s.url("/personas/nurse/delete"))
            .form(&[("confirm", "yes")]),
    )
    .await;
    assert_eq!((status, location.as_deref()), (303, Some("/personas")));
    let (status, _, _) = text(http.get(s.url("/personas/nurse"))).await;
    assert_eq!(status, 404);
}

/// An upload that cannot be read is named by the user's file name, never the server's temporary
/// path; and an uploaded example's source is its file name.
#[tokio::test]
async fn upload_errors_and_sources_name_the_users_file() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::ZERO))).await;
    let http = no_redirects();
    let form = reqwest::multipart::Form::new().text("name", "nurse").part(
        "examples",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 this is not really a pdf".to_vec())
            .file_name("my reels.pdf"),
    );
    let (status, body) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas/upload")
                .multipart(form),
        )
        .await;
    assert_eq!(status, 422);
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("my reels.pdf"), "{message}");
    assert!(
        !message.contains("/tmp") && !message.contains(".tmp"),
        "{message}"
    );
    let form = reqwest::multipart::Form::new().text("name", "nurse").part(
        "examples",
        reqwest::multipart::Part::bytes(
            b"Stop scrolling. Sleep is a skill. Follow for more.".to_vec(),
        )
        .file_name("reel-01.txt"),
    );
    let (status, _, _) = text(http.post(s.url("/personas")).multipart(form)).await;
    assert_eq!(status, 303);
    let (_, v) = s.get("/api/v1/personas/nurse").await;
    let source = v["examples"][0]["source"].as_str().unwrap_or_default();
    assert!(
        source.contains("reel-01.txt") && !source.contains("/tmp"),
        "{source}"
    );
}

/// A failed generation's page says so and offers Retry; the button runs it again in place, and the
/// page then shows the script, with the failed try's call counted.
#[tokio::test]
async fn a_failed_generation_is_retried_from_its_page() {
    use reelsmith_core::llm::{LlmErrorKind, PromptStyle};
    let draft = "HOOK: Night shift tip.\nBODY: Your body keeps a clock and light sets it every morning, so wear dark glasses on the drive home and keep the bedroom cold and black. Eat a small meal before bed, not a feast, and put the phone in another room. Nurses who do this sleep longer within a week, and I have watched it happen on my ward.\nCTA: Save this for your next run of nights and follow for more.";
    let model = reelsmith_testkit::ScriptedLlm::new(PromptStyle::Instruct)
        .fail(LlmErrorKind::BadRequest, "the request was refused")
        .answer([draft]);
    let s = Server::start(std::sync::Arc::new(model)).await;
    s.learn_nurse().await;
    let (status, err) = s
        .post(
            "/api/v1/scripts/generate",
            serde_json::json!({"persona": "nurse", "topic": "sleep after nights", "duration_s": 30, "attempts": 1}),
        )
        .await;
    assert_eq!(status, 502, "{err}");
    let (_, page) = s.get("/api/v1/scripts").await;
    let id = page["items"][0]["id"].as_i64().unwrap_or_default();
    let http = must(
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build(),
    );
    let page_url = s.url(&format!("/scripts/{id}"));
    let (_, html, _) = text(http.get(&page_url)).await;
    assert!(
        html.contains("failed") && html.contains("id=\"retry-form\""),
        "{html}"
    );
    let (status, _, _) = text(http.post(s.url(&format!("/scripts/{id}/retry")))).await;
    assert_eq!(status, 303);
    let (_, g) = s.get(&format!("/api/v1/scripts/{id}")).await;
    assert_eq!(g["status"], "completed", "{g}");
    assert_eq!(g["calls"], 2, "the failed try and the answer: {g}");
    let (_, html, _) = text(http.get(&page_url)).await;
    assert!(
        !html.contains("id=\"retry-form\"") && html.contains("Night shift tip"),
        "{html}"
    );
}
