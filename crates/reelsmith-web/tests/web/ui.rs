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

    // A bad form is an error page that names the field; nothing is stored.
    let form = reqwest::multipart::Form::new()
        .text("name", "bad name!")
        .text("examples_text", examples);
    let (status, body, _) = text(http.post(s.url("/personas")).multipart(form)).await;
    assert_eq!(status, 422);
    assert!(body.contains("That did not work"), "{body}");

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
