//! Learning from results inside the use cases, on a real SQLite file: the example whose post did
//! best leads the few-shot examples and the instruct prompt names it; fitted viral weights, once
//! kept, are the ones a card is scored with; an example is linked, confirmed and refused by name.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use reelsmith_app::Models;
use reelsmith_app::feedback::{LinkChange, change_link};
use reelsmith_app::learn::{LearnInput, learn_persona};
use reelsmith_app::request::ScriptInput;
use reelsmith_app::score::{ScoreInput, score_drafts};
use reelsmith_app::write::write_script;
use reelsmith_core::calibration::{DIMENSIONS, calibrate, simulate};
use reelsmith_core::llm::{Prompt, PromptStyle};
use reelsmith_core::performance::{ImportedPost, Metrics, post_key};
use reelsmith_core::persona::{CreatorProfile, ExampleScript};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::{PerformanceStore, Workspace};
use reelsmith_store::Store;
use reelsmith_testkit::{DirectRouter, ScriptedLlm};

fn must<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| unreachable!("{e}"))
}

const SCRIPTS: [&str; 3] = [
    "Stop drinking coffee the second your shift starts. Caffeine lingers for six hours. Save this.",
    "Your blackout curtains leak light at the edges. Tape them tonight. Follow for more.",
    "Day off after nights? Nap ninety minutes, then get outside. Comment DAY OFF for the plan.",
];

pub async fn store_with_posts() -> (tempfile::TempDir, Store) {
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let examples = SCRIPTS
        .iter()
        .enumerate()
        .map(|(i, t)| ExampleScript {
            title: Some(format!("example {i}")),
            text: (*t).to_string(),
            source: format!("e{i}.md"),
            duration_s: Some(14.0),
        })
        .collect();
    must(
        learn_persona(
            &store,
            Workspace::LOCAL,
            None,
            None,
            LearnInput {
                name: "maya".into(),
                profile: CreatorProfile::default(),
                examples,
                append: false,
            },
        )
        .await,
    );
    // Six settled posts a day apart; the third example's post did 20× the others.
    let posts: Vec<(Platform, String, ImportedPost)> = (0..6u32)
        .map(|d| {
            let p = ImportedPost {
                posted_at: Utc.with_ymd_and_hms(2025, 3, 1 + d, 18, 0, 0).single(),
                caption: Some(format!("post {d}")),
                media_uri: None,
                url: None,
                duration_s: None,
                transcript: None,
                metrics: Metrics {
                    views: Some(if d == 2 {
                        100_000
                    } else {
                        5_000 + u64::from(d)
                    }),
                    ..Metrics::default()
                },
                source: format!("test #{d}"),
            };
            (Platform::Tiktok, post_key(&p).unwrap_or_default(), p)
        })
        .collect();
    must(
        store
            .import_posts(Workspace::LOCAL, "maya", &posts, false)
            .await,
    );
    (dir, store)
}

#[tokio::test]
async fn the_best_performer_leads_the_prompt_and_kept_weights_score_the_card() {
    let (_dir, store) = store_with_posts().await;
    let ws = Workspace::LOCAL;
    let posts = must(store.posts(ws, "maya").await);
    let id_of = |caption: &str| {
        posts
            .iter()
            .find(|p| p.caption.as_deref() == Some(caption))
            .map(|p| p.id)
            .unwrap_or_else(|| unreachable!("{caption}"))
    };
    // Link: the hit to example 2, a median post to example 0; an unknown example is refused.
    must(
        change_link(
            &store,
            ws,
            "maya",
            id_of("post 2"),
            LinkChange::Example("e2.md".into()),
        )
        .await,
    );
    must(
        change_link(
            &store,
            ws,
            "maya",
            id_of("post 0"),
            LinkChange::Example("e0.md".into()),
        )
        .await,
    );
    let refused = change_link(
        &store,
        ws,
        "maya",
        id_of("post 1"),
        LinkChange::Example("zz.md".into()),
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        refused.contains("not one of maya's example scripts"),
        "{refused}"
    );
    let refused = change_link(&store, ws, "maya", id_of("post 1"), LinkChange::Confirm)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(refused.contains("no suggested link"), "{refused}");

    // Without an embedding model, examples rank by performance: example 2 first, named as a hit.
    let model = Arc::new(ScriptedLlm::new(PromptStyle::Instruct));
    let router = DirectRouter::new(model.clone());
    let models = Models {
        router: &router,
        embedder: None,
    };
    let input = ScriptInput {
        persona: "maya".into(),
        topic: "sleeping after nights".into(),
        duration_s: Some(20.0),
        ..ScriptInput::default()
    };
    let _ = write_script(&store, ws, models, must(input.resolve()), None).await;
    let seen = model.requests();
    let Some(Prompt::Chat(messages)) = seen.first().map(|r| r.prompt.clone()) else {
        unreachable!("instruct models get chat prompts")
    };
    let asked = messages
        .last()
        .map(|m| m.content.clone())
        .unwrap_or_default();
    let first_shot = asked.find("TOPIC: example 2");
    assert!(
        first_shot.is_some() && first_shot < asked.find("TOPIC: example 0"),
        "{asked}"
    );
    assert!(
        asked.contains("These did best when I posted them: \"example 2\" (20.0× my usual views)"),
        "{asked}"
    );
    assert!(
        !asked.contains("\"example 0\" ("),
        "a median post is not a hit: {asked}"
    );

    // Fitted weights kept for the persona score its next cards.
    let truth = [0.4, 0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.3, 0.0];
    let fitted = calibrate(&simulate(5, 300, &truth, 1.0));
    assert!(fitted.weights.fitted, "{}", fitted.weights.reason);
    must(store.save_calibration(ws, "maya", &fitted).await);
    let scored = must(
        score_drafts(
            &store,
            ws,
            None,
            None,
            ScoreInput {
                drafts: vec![reelsmith_app::score::Draft::new("draft", SCRIPTS[0])],
                persona: Some(("maya".into(), None)),
                ..ScoreInput::default()
            },
        )
        .await,
    );
    let card = &scored.cards[0].1;
    assert_eq!(card.viral.weights, fitted.weights.weights);
    let expected: f64 = card
        .viral
        .dimensions
        .iter()
        .zip(&fitted.weights.weights)
        .map(|(d, (_, w))| d.score * w)
        .sum();
    assert!((card.viral.overall - (expected * 10.0).round() / 10.0).abs() < 1e-9);
    assert_eq!(card.viral.weights.len(), DIMENSIONS);
}

#[tokio::test]
async fn a_post_of_a_generated_script_links_to_it_and_is_scored_on_its_card() {
    let (dir, store) = store_with_posts().await;
    let ws = Workspace::LOCAL;
    let router = DirectRouter::new(Arc::new(reelsmith_testkit::WriterLlm::new(
        std::time::Duration::ZERO,
    )));
    let models = Models {
        router: &router,
        embedder: None,
    };
    let input = ScriptInput {
        persona: "maya".into(),
        topic: "caffeine before a night shift".into(),
        duration_s: Some(20.0),
        ..ScriptInput::default()
    };
    let g = must(write_script(&store, ws, models, must(input.resolve()), None).await);
    let script = g.script.clone().unwrap_or_else(|| unreachable!("a script"));
    // The creator posted it with its spoken words as subtitles.
    let csv = dir.path().join("posts.csv");
    must(std::fs::write(
        &csv,
        format!(
            "posted_at,url,views,likes,caption\n2025-03-10T18:00:00Z,https://www.tiktok.com/@maya/video/1,9000,700,\"{}\"\n",
            script.text().replace('"', "'")
        ),
    ));
    let report = must(
        reelsmith_app::import::import_path(
            &store,
            ws,
            None,
            &csv,
            reelsmith_app::import::ImportOptions {
                persona: "maya".into(),
                format: None,
                map: Vec::new(),
                platform: None,
                zone: None,
                dry_run: false,
            },
        )
        .await,
    );
    assert_eq!(report.feedback.linked.len(), 1, "{report:?}");
    assert_eq!(
        report.feedback.linked[0].target,
        format!("generation {}", g.id)
    );
    assert_eq!(report.feedback.examples_added, 0);
    let posts = must(reelsmith_app::insights::post_insights(&store, ws, "maya", None).await);
    let linked = posts
        .iter()
        .find(|p| p.post.link.as_ref().and_then(|l| l.generation_id) == Some(g.id))
        .unwrap_or_else(|| unreachable!("the linked post"));
    assert_eq!(
        linked.scored_on,
        Some(reelsmith_app::insights::ScoredOn::Generation)
    );
    assert_eq!(linked.overall, g.card.as_ref().map(|c| c.overall));
    // The other posts were scored on their captions and their scores kept; asking again reuses
    // them and gives the same answer.
    let kept = must(store.post_scores(ws, "maya").await);
    assert_eq!(kept.len(), 6, "{kept:?}");
    let again = must(reelsmith_app::insights::post_insights(&store, ws, "maya", None).await);
    assert_eq!(again, posts);
    // A stale key is not trusted: the score is computed again and replaces it.
    let mut stale = kept[0].clone();
    stale.key = "v0|old".into();
    stale.overall = -1.0;
    must(store.save_post_scores(ws, "maya", &[stale.clone()]).await);
    let fresh = must(reelsmith_app::insights::post_insights(&store, ws, "maya", None).await);
    assert_eq!(fresh, posts);
    assert!(
        must(store.post_scores(ws, "maya").await)
            .iter()
            .all(|c| c.overall >= 0.0)
    );
}
