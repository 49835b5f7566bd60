//! A/B tests through the API and the UI: a length experiment written by the test model, each
//! variant posted six times, the platform's numbers imported, the verdict naming the shorter
//! variant, the persona's preference and the next script's evidence naming it, the pages; and the
//! mistakes a client can make.

use serde_json::json;

use super::common::Server;

/// Views of each post: the short variant B gets about four times A's.
const A_VIEWS: [u64; 6] = [1000, 1100, 950, 1050, 900, 1000];
const B_VIEWS: [u64; 6] = [4000, 4400, 3900, 4200, 3800, 4100];

fn url(i: usize) -> String {
    format!("https://www.tiktok.com/@nurse/video/79990000000000001{i:02}")
}

fn stats_csv() -> Vec<u8> {
    let mut csv = String::from("createTimeISO,playCount,diggCount,webVideoUrl\n");
    for (i, v) in A_VIEWS.iter().chain(&B_VIEWS).enumerate() {
        csv.push_str(&format!(
            "2026-11-{:02}T17:00:00Z,{v},{},{}\n",
            i + 1,
            v / 10,
            url(i)
        ));
    }
    csv.into_bytes()
}

#[tokio::test]
async fn a_length_experiment_from_creation_to_its_lesson() {
    let s = Server::writer_with_nurse().await;
    // The mistakes first: nothing is stored by them.
    for (body, status, field) in [
        (
            json!({"persona": "nurse", "topic": "x", "vary": "colour"}),
            422,
            Some("vary"),
        ),
        (
            json!({"persona": "nurse", "topic": "x", "variants": 7}),
            422,
            Some("variants"),
        ),
        (
            json!({"persona": "nurse", "topic": " "}),
            422,
            Some("topic"),
        ),
        (json!({"persona": "nobody", "topic": "x"}), 404, None),
        (
            json!({"persona": "nurse", "topic": "x", "from": [4242, 4243]}),
            404,
            None,
        ),
    ] {
        let (got, answer) = s.post("/api/v1/experiments", body.clone()).await;
        assert_eq!(got, status, "{body} → {answer}");
        if let Some(f) = field {
            assert_eq!(answer["field"], f, "{answer}");
        }
    }
    let (_, none) = s.get("/api/v1/experiments").await;
    assert_eq!(none.as_array().map(Vec::len), Some(0), "{none}");

    let (status, created) = s
        .post(
            "/api/v1/experiments",
            json!({"persona": "nurse", "topic": "caffeine on nights", "vary": "length", "variants": 2, "duration_s": 30}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap_or_default();
    assert_eq!(created["vary"], "length");
    let ids: Vec<i64> = created["variants"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["generation_id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 2, "{created}");
    let (_, b) = s.get(&format!("/api/v1/scripts/{}", ids[1])).await;
    assert_eq!(b["request"]["duration_s"], 18.0, "B is 0.6 × 30 s: {b}");

    let (status, list) = s.get("/api/v1/experiments?persona=nurse").await;
    assert_eq!((status, list[0]["id"].as_i64()), (200, Some(id)), "{list}");
    let (status, _) = s.get("/api/v1/experiments?persona=nobody").await;
    assert_eq!(status, 404);

    // Posts: wrong platform, unknown variant, neither link nor time, a time that is not one.
    let posts = format!("/api/v1/experiments/{id}/posts");
    for (body, status, field) in [
        (
            json!({"variant": "A", "platform": "myspace", "url": url(0)}),
            422,
            Some("platform"),
        ),
        (
            json!({"variant": "Z", "platform": "tiktok", "url": url(0)}),
            404,
            None,
        ),
        (
            json!({"variant": "A", "platform": "tiktok"}),
            422,
            Some("url"),
        ),
        (
            json!({"variant": "A", "platform": "tiktok", "posted_at": "yesterday"}),
            422,
            Some("posted_at"),
        ),
    ] {
        let (got, answer) = s.post(&posts, body.clone()).await;
        assert_eq!(got, status, "{body} → {answer}");
        if let Some(f) = field {
            assert_eq!(answer["field"], f, "{answer}");
        }
    }
    for i in 0..12 {
        let label = if i < 6 { "A" } else { "B" };
        let (status, body) = s
            .post(
                &posts,
                json!({"variant": label, "platform": "tiktok", "url": url(i)}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, waiting) = s.get(&format!("/api/v1/experiments/{id}")).await;
    assert_eq!(
        waiting["analysis"]["verdict"]["state"], "need_more_posts",
        "no metrics yet: {waiting}"
    );
    assert_eq!(waiting["left_out"].as_array().map(Vec::len), Some(12));

    // The platform's numbers arrive through an ordinary import.
    s.import_csv("nurse", stats_csv()).await;
    let (status, r) = s
        .get(&format!("/api/v1/experiments/{id}?tz=Europe/Madrid"))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["analysis"]["verdict"]["label"], "B", "{r}");
    let b = &r["analysis"]["arms"][1];
    assert!(b["p_best"].as_f64().unwrap_or_default() >= 0.95, "{b}");
    assert!(b["lift"][1].as_f64().unwrap_or_default() > 0.0, "{b}");
    assert_eq!(r["posts"].as_array().map(Vec::len), Some(12));
    assert_eq!(r["posts"][6]["post"]["metrics"]["views"], 4000, "{r}");
    let (status, _) = s
        .get(&format!("/api/v1/experiments/{id}?tz=Mars/Base"))
        .await;
    assert_eq!(status, 422);
    let (status, _) = s.get("/api/v1/experiments/4242").await;
    assert_eq!(status, 404);

    // What the win teaches: the short band, named with its experiment, and used by the next script.
    let (status, prefs) = s.get("/api/v1/personas/nurse/preferences").await;
    assert_eq!(status, 200, "{prefs}");
    assert_eq!(
        prefs[0]["pattern"],
        json!({"kind": "length", "value": "short"})
    );
    assert_eq!(prefs[0]["wins"][0]["experiment_id"], id);
    let (status, g) = s
        .post(
            "/api/v1/scripts/generate",
            json!({"persona": "nurse", "topic": "naps before nights", "attempts": 1}),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    let drew_on = g["script"]["drew_on"].to_string();
    assert!(
        drew_on.contains("A/B tests: a short (under 20 s) script")
            && drew_on.contains(&format!("experiment {id}")),
        "{drew_on}"
    );

    // The pages.
    let (status, html) = s.text(&format!("/experiments/{id}")).await;
    assert_eq!(status, 200);
    for part in [
        "id=\"verdict\"",
        "B wins",
        "id=\"lift-chart\"",
        "class=\"interval\"",
        "winner",
        "<mark>18 s</mark>",
        "a short (under 20 s) script",
        "id=\"experiment-posts\"",
        "4000",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    let (status, html) = s.text("/experiments").await;
    assert_eq!(status, 200);
    assert!(html.contains("caffeine on nights") && html.contains("experiment-form"));
    let (status, html) = s.text("/personas/nurse").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("What your A/B tests found") && html.contains(&format!("/experiments/{id}")),
        "{html}"
    );
}
