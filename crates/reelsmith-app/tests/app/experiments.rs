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
