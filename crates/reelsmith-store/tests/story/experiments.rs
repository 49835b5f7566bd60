//! A/B experiments in the store story: refused shapes, an experiment with its variants, posts
//! assigned (and moved) to variants, what is refused by name, and the cascade when the persona
//! goes.

use chrono::{DateTime, Utc};
use reelsmith_core::Error;
use reelsmith_core::experiment::{NewExperiment, Vary};
use reelsmith_core::performance::{ImportedPost, Metrics, post_key};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::{ExperimentStore, PerformanceStore, PersonaStore};
use reelsmith_store::Store;

use super::{WS, new_version, ok};

fn new(persona: &str, labels: &[&str]) -> NewExperiment {
    NewExperiment {
        persona: persona.into(),
        topic: " caffeine on nights ".into(),
        vary: Vary::Hook,
        variants: labels.iter().map(|l| ((*l).to_string(), None)).collect(),
    }
}

async fn post_ids(store: &Store, persona: &str, times: &[i64]) -> Vec<i64> {
    let posts: Vec<(Platform, String, ImportedPost)> = times
        .iter()
        .map(|t| {
            let p = ImportedPost {
                posted_at: DateTime::<Utc>::from_timestamp(*t, 0),
                caption: None,
                media_uri: None,
                url: None,
                duration_s: None,
                transcript: None,
                metrics: Metrics::default(),
                source: "test".into(),
            };
            (Platform::Reels, post_key(&p).unwrap_or_default(), p)
        })
        .collect();
    ok(store.import_posts(WS, persona, &posts, false).await);
    let mut ids: Vec<i64> = ok(store.posts(WS, persona).await)
        .iter()
        .map(|p| p.id)
        .collect();
    ids.sort_unstable();
    ids
}

pub async fn experiments(store: &Store) {
    ok(store
        .save_persona_version(WS, &new_version("tester", &["One. Follow."], None))
        .await);
    ok(store
        .save_persona_version(WS, &new_version("other", &["Two. Follow."], None))
        .await);
    for bad in [
        new("tester", &["A"]),
        new("tester", &["A", "A"]),
        new("tester", &["A", " "]),
    ] {
        assert!(matches!(
            store.create_experiment(WS, &bad).await,
            Err(Error::InvalidInput(_))
        ));
    }
    assert!(matches!(
        store
            .create_experiment(WS, &new("ghost", &["A", "B"]))
            .await,
        Err(Error::NotFound {
            kind: "persona",
            ..
        })
    ));
    let mut with_ghost = new("tester", &["A", "B"]);
    with_ghost.variants[1].1 = Some(999_999);
    assert!(matches!(
        store.create_experiment(WS, &with_ghost).await,
        Err(Error::NotFound {
            kind: "generation",
            ..
        })
    ));
    assert!(ok(store.experiments(WS).await).is_empty(), "nothing stored");

    let e = ok(store
        .create_experiment(WS, &new("tester", &["B", "A"]))
        .await);
    assert_eq!(
        (e.persona.as_str(), e.topic.as_str()),
        ("tester", "caffeine on nights")
    );
    assert_eq!(e.vary, Vary::Hook);
    let labels: Vec<&str> = e.variants.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["A", "B"]);

    let mine = post_ids(
        store,
        "tester",
        &[1_731_974_400, 1_732_579_200, 1_733_011_200],
    )
    .await;
    let theirs = post_ids(store, "other", &[1_731_974_400]).await;
    ok(store.assign_post(WS, e.id, "A", mine[0]).await);
    ok(store.assign_post(WS, e.id, "B", mine[1]).await);
    let e = ok(store.assign_post(WS, e.id, " B ", mine[2]).await);
    assert_eq!(e.variants[0].post_ids, vec![mine[0]]);
    assert_eq!(e.variants[1].post_ids, vec![mine[1], mine[2]]);
    // A post shows one variant: assigning it again moves it.
    let e = ok(store.assign_post(WS, e.id, "A", mine[2]).await);
    assert_eq!(e.variants[0].post_ids, vec![mine[0], mine[2]]);
    assert_eq!(e.variants[1].post_ids, vec![mine[1]]);
    assert!(matches!(
        store.assign_post(WS, e.id, "C", mine[0]).await,
        Err(Error::NotFound {
            kind: "variant",
            ..
        })
    ));
    assert!(matches!(
        store.assign_post(WS, 999_999, "A", mine[0]).await,
        Err(Error::NotFound {
            kind: "experiment",
            ..
        })
    ));
    assert!(matches!(
        store.assign_post(WS, e.id, "A", theirs[0]).await,
        Err(Error::NotFound { kind: "post", .. })
    ));
    assert_eq!(ok(store.experiment(WS, e.id).await), e);
    assert_eq!(ok(store.experiments(WS).await), vec![e.clone()]);
    // Another workspace sees none of it.
    let agency = ok(reelsmith_core::store::WorkspaceStore::workspace(store, "agency-x").await);
    assert!(ok(store.experiments(agency).await).is_empty());
    assert!(matches!(
        store.experiment(agency, e.id).await,
        Err(Error::NotFound { .. })
    ));
    // The persona's deletion takes its experiments.
    ok(store.delete_persona(WS, "tester").await);
    assert!(ok(store.experiments(WS).await).is_empty());
    ok(store.delete_persona(WS, "other").await);
}
