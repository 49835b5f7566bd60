//! Learning from results through the API: the bundled example performance CSV uploaded for a
//! persona, the posts with their outcomes and links, a link changed, the calibration read and
//! kept, the best time to post, and the errors a client can make.

use serde_json::json;

use super::common::{Server, must};

fn example_csv() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/maya/performance.csv");
    must(std::fs::read(path))
}

fn upload(name: &'static str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        )
        .text("tz", "UTC")
}

#[tokio::test]
async fn posts_are_imported_linked_calibrated_and_timed() {
    let s = Server::writer_with_nurse().await;
    // An unknown persona, no file, a wrong time zone.
    let (status, body) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas/nobody/imports")
                .multipart(upload("performance.csv", example_csv())),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas/nurse/imports")
                .multipart(reqwest::multipart::Form::new().text("tz", "UTC")),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("file")),
        "{body}"
    );
    let (status, body) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas/nurse/imports")
                .multipart(upload("performance.csv", example_csv()).text("tz", "Mars/Olympus")),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("tz")),
        "{body}"
    );
    // A file that is not post data names the user's file, not the server's folder.
    let (status, body) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas/nurse/imports")
                .multipart(upload("notes.json", b"{\"hello\": 1}".to_vec())),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("notes.json") && !message.contains("reelsmith-upload"),
        "{body}"
    );

    // The import, a dry run first.
    let (status, dry) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas/nurse/imports")
                .multipart(upload("performance.csv", example_csv()).text("dry_run", "true")),
        )
        .await;
    assert_eq!(
        (status, dry["counts"]["new"].as_u64()),
        (200, Some(14)),
        "{dry}"
    );
    let (_, posts) = s.get("/api/v1/personas/nurse/posts").await;
    assert_eq!(
        posts.as_array().map(Vec::len),
        Some(0),
        "a dry run stores nothing"
    );
    let (status, report) = s
        .send(
            s.req(reqwest::Method::POST, "/api/v1/personas/nurse/imports")
                .multipart(upload("performance.csv", example_csv())),
        )
        .await;
    assert_eq!(
        (status, report["counts"]["new"].as_u64()),
        (200, Some(14)),
        "{report}"
    );
    assert_eq!(report["files"][0]["file"], "performance.csv");

    let (status, posts) = s.get("/api/v1/personas/nurse/posts").await;
    assert_eq!(status, 200);
    let rows = posts.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 14);
    let first = &rows[0];
    assert!(first["outcome"]["lift"].as_f64().is_some(), "{first}");
    assert!(first["overall"].as_f64().is_some(), "{first}");
    let id = first["post"]["id"].as_i64().unwrap_or_default();

    // Links: a generation that does not exist, an example that is not the persona's, both ways at
    // once, then a real example and a clear.
    let path = format!("/api/v1/personas/nurse/posts/{id}/link");
    let (status, body) = s.put(&path, json!({"generation_id": 424242})).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = s.put(&path, json!({"example": "nope.md"})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("example")),
        "{body}"
    );
    let (status, body) = s
        .put(&path, json!({"example": "api#1", "clear": true}))
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = s.put(&path, json!({"example": "api#1"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["link"]["example"], "api#1");
    assert_eq!(body["link"]["confirmed"], true);
    let (status, body) = s.put(&path, json!({"clear": true})).await;
    assert_eq!(
        (status, body["link"].clone()),
        (200, serde_json::Value::Null),
        "{body}"
    );

    // Calibration: read without keeping, then kept.
    let (status, read) = s.get("/api/v1/personas/nurse/insights/scores").await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["calibration"]["n"], 14);
    assert_eq!(read["saved"], false);
    let (status, kept) = s
        .post("/api/v1/personas/nurse/calibration", json!({}))
        .await;
    assert_eq!(
        (status, kept["saved"].as_bool()),
        (200, Some(true)),
        "{kept}"
    );
    let (_, again) = s
        .post("/api/v1/personas/nurse/calibration", json!({}))
        .await;
    assert_eq!(
        again["saved"], false,
        "nothing changed, nothing kept: {again}"
    );

    // Best time: UTC by default, a zone, a wrong zone.
    let (status, best) = s.get("/api/v1/personas/nurse/insights/best-time").await;
    assert_eq!(status, 200, "{best}");
    assert_eq!(best["slots"].as_array().map(Vec::len), Some(168));
    assert!(
        best["top"].as_array().is_some_and(|t| !t.is_empty()),
        "{best}"
    );
    let (status, madrid) = s
        .get("/api/v1/personas/nurse/insights/best-time?tz=Europe/Madrid")
        .await;
    assert_eq!(status, 200);
    assert_ne!(madrid["top"][0]["hour"], best["top"][0]["hour"], "{madrid}");
    let (status, body) = s
        .get("/api/v1/personas/nurse/insights/best-time?tz=Nowhere/Town")
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("tz")),
        "{body}"
    );
}
