//! Every platform's format through the API and the UI: an X thread and a LinkedIn post written by
//! the test model, stored, scored on their format, exported as Markdown, plain text and JSON (SRT
//! refused), shown post by post with character counts and copy buttons; a score request for a text
//! platform.

use reelsmith_core::formats::count;
use reelsmith_core::platform::Platform;
use serde_json::json;

use super::common::{Server, must};

#[tokio::test]
async fn threads_and_linkedin_posts_are_written_scored_exported_and_shown() {
    let s = Server::writer_with_nurse().await;

    // An X thread.
    let (status, g) = s
        .post(
            "/api/v1/scripts/generate",
            json!({"persona": "nurse", "topic": "caffeine on night shifts", "platform": "x", "attempts": 1}),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    let script = &g["script"];
    assert_eq!(script["format"], "thread", "{g}");
    let posts: Vec<String> = script["posts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_string))
        .collect();
    assert!(posts.len() >= 2, "{posts:?}");
    for (i, p) in posts.iter().enumerate() {
        assert!(count(Platform::X, p) <= 280, "{p}");
        assert!(p.ends_with(&format!("{}/{}", i + 1, posts.len())), "{p}");
    }
    assert_eq!(g["card"]["format"]["name"], "format", "{g}");
    assert!(g["card"]["notes"].to_string().contains("no spoken timing"));
    assert!(
        script["hashtags"]
            .as_array()
            .is_some_and(|t| t.iter().all(|t| t != "#thread")),
        "{script}"
    );
    let id = g["id"].as_i64().unwrap_or_default();
    let (status, md) = s
        .text(&format!("/api/v1/scripts/{id}/export?format=md"))
        .await;
    assert_eq!(status, 200);
    assert!(
        md.contains(&format!("## X thread ({} posts)", posts.len())),
        "{md}"
    );
    let (_, txt) = s
        .text(&format!("/api/v1/scripts/{id}/export?format=txt"))
        .await;
    assert_eq!(txt.trim_end(), posts.join("\n\n"));
    let (status, srt) = s
        .text(&format!("/api/v1/scripts/{id}/export?format=srt"))
        .await;
    assert_eq!(status, 422, "{srt}");
    assert!(srt.contains("no spoken timing"), "{srt}");
    let (status, page) = s.text(&format!("/scripts/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("Post 1 of {}", posts.len()))
            && page.contains(" / 280 characters")
            && page.contains("data-copy=\"post-1\"")
            && !page.contains("Regenerate a section")
            && !page.contains("format=srt"),
        "{page}"
    );
    let (status, err) = s
        .put(
            &format!("/api/v1/scripts/{id}/sections/1"),
            json!({"instructions": "shorter"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");

    // The thread repurposed as a LinkedIn post and a Short, linked to it; the mistakes first.
    let thread_id = id;
    let path = format!("/api/v1/scripts/{thread_id}/repurpose");
    for (body, status) in [
        (json!({"to": []}), 422),
        (json!({"to": ["x"]}), 422),
        (json!({"to": ["myspace"]}), 422),
    ] {
        let (got, err) = s.post(&path, body.clone()).await;
        assert_eq!(
            (got, err["field"].as_str()),
            (status, Some("to")),
            "{body} → {err}"
        );
    }
    let (status, _) = s
        .post(
            "/api/v1/scripts/424242/repurpose",
            json!({"to": ["linkedin"]}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, made) = s.post(&path, json!({"to": ["linkedin", "shorts"]})).await;
    assert_eq!(status, 201, "{made}");
    let formats: Vec<&str> = made
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["script"]["format"].as_str())
        .collect();
    assert_eq!(formats, ["post", "video"], "{made}");
    assert_eq!(made[0]["request"]["repurposed_from"], thread_id);
    assert!(
        made[1]["request"]["context"]
            .as_str()
            .is_some_and(|c| c.contains("thread of posts for x")),
        "{made}"
    );
    let resp = must(
        s.http
            .post(s.url(&format!("/scripts/{thread_id}/repurpose")))
            .form(&[("reels", "on")])
            .send()
            .await,
    );
    assert_eq!(resp.status().as_u16(), 200);
    let page = must(resp.text().await);
    assert!(page.contains("timed video script for reels"), "{page}");

    // A LinkedIn post.
    let (status, g) = s
        .post(
            "/api/v1/scripts/generate",
            json!({"persona": "nurse", "topic": "caffeine on night shifts", "platform": "linkedin", "attempts": 1}),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    let post = g["script"]["text"].as_str().unwrap_or_default().to_string();
    assert_eq!(g["script"]["format"], "post");
    assert!(
        post.contains("\n\n") && count(Platform::Linkedin, &post) <= 3_000,
        "{post}"
    );
    let first_line = post.split("\n\n").next().unwrap_or_default();
    assert!(count(Platform::Linkedin, first_line) <= 210, "{first_line}");
    let id = g["id"].as_i64().unwrap_or_default();
    let (_, txt) = s
        .text(&format!("/api/v1/scripts/{id}/export?format=txt"))
        .await;
    assert_eq!(txt.trim_end(), post.trim_end());
    let (_, page) = s.text(&format!("/scripts/{id}")).await;
    assert!(page.contains(" / 3,000 characters") && page.contains("Copy post"));

    // Scoring any text as a LinkedIn post.
    let (status, card) = s
        .post(
            "/api/v1/score",
            json!({"text": post, "platform": "linkedin"}),
        )
        .await;
    assert_eq!(status, 200, "{card}");
    assert!(
        card["format"]["reasons"]
            .to_string()
            .contains("before the fold"),
        "{card}"
    );
    let (status, err) = s
        .post(
            "/api/v1/score",
            json!({"text": post, "platform": "myspace"}),
        )
        .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (422, Some("platform")),
        "{err}"
    );
}
