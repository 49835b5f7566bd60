//! Analysing an experiment from stored posts: the arms, the verdict with the posts still needed,
//! the confounders, and the posts left out.

use reelsmith_app::experiments::analyze_experiment;
use reelsmith_core::experiment::{NewExperiment, Vary, Verdict};
use reelsmith_core::store::{ExperimentStore, PerformanceStore, Workspace};
use reelsmith_ingest::performance::Zone;

use super::feedback::store_with_posts;

fn must<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| unreachable!("{e}"))
}

#[tokio::test]
async fn an_experiment_is_analysed_from_its_posts() {
    let (_dir, store) = store_with_posts().await;
    let ws = Workspace::LOCAL;
    let e = must(
        store
            .create_experiment(
                ws,
                &NewExperiment {
                    persona: "maya".into(),
                    topic: "coffee on nights".into(),
                    vary: Vary::Hook,
                    variants: vec![("A".into(), None), ("B".into(), None), ("C".into(), None)],
                },
            )
            .await,
    );
    let mut posts = must(store.posts(ws, "maya").await);
    posts.sort_by_key(|p| p.posted_at);
    // Days 1, 3 and 5 are A; 2 and 4 are B (day 3 is the 20× hit); C was never posted.
    for (i, p) in posts.iter().take(5).enumerate() {
        let label = if i % 2 == 0 { "A" } else { "B" };
        must(store.assign_post(ws, e.id, label, p.id).await);
    }
    let report = must(analyze_experiment(&store, ws, e.id, &Zone::utc()).await);
    let a = &report.analysis;
    let labels: Vec<&str> = a.arms.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C"]);
    assert_eq!(
        a.arms.iter().map(|r| r.posts).collect::<Vec<_>>(),
        [3, 2, 0]
    );
    // One lucky post among three is not a winner with this little data.
    assert!(
        matches!(a.verdict, Verdict::NeedMorePosts { per_variant } if per_variant > 0),
        "{:?}",
        a.verdict
    );
    let p_sum: f64 = a.arms.iter().map(|r| r.p_best).sum();
    assert!((p_sum - 1.0).abs() < 1e-9);
    assert!(
        report
            .confounders
            .iter()
            .any(|c| c.contains("different weekdays")),
        "{:?}",
        report.confounders
    );
    assert!(report.left_out.is_empty(), "{:?}", report.left_out);
    assert!(matches!(
        analyze_experiment(&store, ws, 424_242, &Zone::utc()).await,
        Err(reelsmith_app::ServiceError::Store(
            reelsmith_core::Error::NotFound { .. }
        ))
    ));
}

#[tokio::test]
async fn variants_are_written_to_differ_and_posts_find_their_metrics_later() {
    use reelsmith_app::experiments::{CreateInput, HOOK_INSTRUCTIONS, create, post_variant};
    let (_dir, store) = store_with_posts().await;
    let ws = Workspace::LOCAL;
    let router = reelsmith_testkit::DirectRouter::new(std::sync::Arc::new(
        reelsmith_testkit::WriterLlm::new(std::time::Duration::ZERO),
    ));
    let models = reelsmith_app::Models {
        router: &router,
        embedder: None,
    };
    let input = |variants: usize, from: Vec<i64>| CreateInput {
        persona: "maya".into(),
        topic: "coffee on nights".into(),
        vary: Vary::Hook,
        variants,
        from,
        duration_s: Some(20.0),
    };
    let refused = create(&store, ws, models, input(1, vec![])).await;
    assert!(
        refused
            .err()
            .is_some_and(|e| e.to_string().contains("compares 2 to 5")),
    );
    let e = must(create(&store, ws, models, input(3, vec![])).await);
    assert_eq!(e.variants.len(), 3);
    for (v, instruction) in e.variants.iter().zip(HOOK_INSTRUCTIONS) {
        let g = must(
            reelsmith_core::store::GenerationStore::generation(
                &store,
                ws,
                v.generation_id.unwrap_or_default(),
            )
            .await,
        );
        assert_eq!(
            g.request.requirements,
            vec![instruction.to_string()],
            "{}",
            v.label
        );
    }
    // The same generations again, as an experiment of existing scripts.
    let again = must(
        create(
            &store,
            ws,
            models,
            input(
                0,
                e.variants.iter().filter_map(|v| v.generation_id).collect(),
            ),
        )
        .await,
    );
    assert_eq!(again.variants.len(), 3);

    // B is posted with its link; the platform's export later brings its views to that post.
    let url = "https://www.tiktok.com/@maya/video/7999000000000000001";
    let e = must(
        post_variant(
            &store,
            ws,
            (e.id, "B"),
            reelsmith_core::platform::Platform::Tiktok,
            None,
            Some(url.into()),
        )
        .await,
    );
    assert_eq!(e.variants[1].post_ids.len(), 1);
    let post = reelsmith_core::performance::ImportedPost {
        posted_at: None,
        caption: Some("exported".into()),
        media_uri: None,
        url: Some(url.into()),
        duration_s: None,
        transcript: None,
        metrics: reelsmith_core::performance::Metrics {
            views: Some(12_345),
            ..Default::default()
        },
        source: "export".into(),
    };
    let key = reelsmith_core::performance::post_key(&post).unwrap_or_default();
    must(
        store
            .import_posts(
                ws,
                "maya",
                &[(reelsmith_core::platform::Platform::Tiktok, key, post)],
                false,
            )
            .await,
    );
    let stored = must(store.posts(ws, "maya").await)
        .into_iter()
        .find(|p| p.id == e.variants[1].post_ids[0])
        .and_then(|p| p.metrics)
        .and_then(|m| m.views);
    assert_eq!(stored, Some(12_345));
    let no_key = post_variant(
        &store,
        ws,
        (e.id, "A"),
        reelsmith_core::platform::Platform::Tiktok,
        None,
        None,
    )
    .await;
    assert!(
        no_key
            .err()
            .is_some_and(|e| e.to_string().contains("link or its posting time"))
    );
}
