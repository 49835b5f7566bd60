//! Imported post performance in the store story: new, unchanged on re-import, a newer export as a
//! second snapshot, a dry run that writes nothing, one post met in two files, the listing.

use chrono::{DateTime, Utc};
use reelsmith_core::Error;
use reelsmith_core::calibration::{calibrate, simulate};
use reelsmith_core::performance::{
    CachedScore, ImportCounts, ImportedPost, Metrics, PostLink, post_key,
};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::{PerformanceStore, PersonaStore};
use reelsmith_store::Store;

use super::{WS, new_version, ok};

fn post(t: i64, likes: Option<u64>, caption: Option<&str>) -> ImportedPost {
    ImportedPost {
        posted_at: DateTime::<Utc>::from_timestamp(t, 0),
        caption: caption.map(Into::into),
        media_uri: None,
        url: None,
        duration_s: None,
        transcript: None,
        metrics: Metrics {
            likes,
            views: likes.map(|l| l * 10),
            ..Metrics::default()
        },
        source: "reels.json #1".into(),
    }
}

fn keyed(posts: &[ImportedPost]) -> Vec<(Platform, String, ImportedPost)> {
    posts
        .iter()
        .map(|p| (Platform::Reels, post_key(p).unwrap_or_default(), p.clone()))
        .collect()
}

fn counts(read: usize, new: usize, updated: usize, unchanged: usize) -> ImportCounts {
    ImportCounts {
        read,
        new,
        updated,
        unchanged,
        merged: read - new - updated - unchanged,
    }
}

pub async fn posts(store: &Store) {
    assert!(matches!(
        store.import_posts(WS, "ghost", &[], false).await,
        Err(Error::NotFound {
            kind: "persona",
            ..
        })
    ));
    ok(store
        .save_persona_version(WS, &new_version("poster", &["Posted one. Follow."], None))
        .await);
    let first = [
        post(1_731_974_400, Some(100), Some("Coffee after 3am")),
        post(1_732_579_200, Some(7), None),
    ];
    // A dry run counts what would happen and writes nothing.
    assert_eq!(
        ok(store.import_posts(WS, "poster", &keyed(&first), true).await),
        counts(2, 2, 0, 0)
    );
    assert!(ok(store.posts(WS, "poster").await).is_empty());
    assert_eq!(
        ok(store
            .import_posts(WS, "poster", &keyed(&first), false)
            .await),
        counts(2, 2, 0, 0)
    );
    // The same data again changes nothing.
    assert_eq!(
        ok(store
            .import_posts(WS, " poster ", &keyed(&first), false)
            .await),
        counts(2, 0, 0, 2)
    );
    // A newer export: the first post has more likes; the captions file adds the second's caption
    // (no metrics, so no snapshot). Both are updated; the first keeps its earlier snapshot.
    let later = [
        post(1_731_974_400, Some(180), None),
        ImportedPost {
            metrics: Metrics::default(),
            ..post(1_732_579_200, None, Some("The pre-shift nap"))
        },
    ];
    assert_eq!(
        ok(store
            .import_posts(WS, "poster", &keyed(&later), false)
            .await),
        counts(2, 0, 2, 0)
    );
    let listed = ok(store.posts(WS, "poster").await);
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed[0].caption.as_deref(),
        Some("The pre-shift nap"),
        "newest first"
    );
    assert_eq!(listed[0].snapshots, 1);
    let coffee = &listed[1];
    assert_eq!(
        coffee.caption.as_deref(),
        Some("Coffee after 3am"),
        "kept when the new export has none"
    );
    assert_eq!(coffee.snapshots, 2);
    assert_eq!(coffee.metrics.as_ref().and_then(|m| m.likes), Some(180));
    assert!(coffee.age_s.is_some_and(|a| a > 0.0));
    assert_eq!(coffee.key, "t:1731974400");
    // One post met twice in one import: merged into one new post, the larger counts kept.
    let twice = [
        post(1_733_011_200, Some(5), None),
        post(1_733_011_200, Some(6), Some("Blackout")),
    ];
    assert_eq!(
        ok(store
            .import_posts(WS, "poster", &keyed(&twice), false)
            .await),
        counts(2, 1, 0, 0)
    );
    let listed = ok(store.posts(WS, "poster").await);
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].caption.as_deref(), Some("Blackout"));
    assert_eq!(listed[0].metrics.as_ref().and_then(|m| m.likes), Some(6));
    assert_eq!(listed[0].snapshots, 1);
    // The older export imported again after the newer one adds nothing.
    assert_eq!(
        ok(store
            .import_posts(WS, "poster", &keyed(&first), false)
            .await),
        counts(2, 0, 0, 2)
    );
    // Subtitles arriving in a later export update the post and are kept as its spoken script.
    let spoken = [ImportedPost {
        transcript: Some("Stop drinking coffee the second your shift starts.".into()),
        ..post(1_733_011_200, Some(6), None)
    }];
    assert_eq!(
        ok(store
            .import_posts(WS, "poster", &keyed(&spoken), false)
            .await),
        counts(1, 0, 1, 0)
    );
    let blackout = ok(store.posts(WS, "poster").await).remove(0);
    assert_eq!(
        blackout.text(),
        Some("Stop drinking coffee the second your shift starts.")
    );
    assert_eq!(blackout.link, None);
    // Linking: to an example (suggested by matching), to a generation that does not exist
    // (refused, nothing changed), then cleared.
    let link = PostLink {
        generation_id: None,
        example: Some("scripts/01.md".into()),
        similarity: Some(0.82),
        confirmed: false,
        evidence: Some("coffee, shift".into()),
    };
    let linked = ok(store
        .link_post(WS, "poster", blackout.id, Some(&link))
        .await);
    assert_eq!(linked.link.as_ref(), Some(&link));
    let ghost = PostLink {
        generation_id: Some(999_999),
        example: None,
        similarity: None,
        confirmed: true,
        evidence: None,
    };
    assert!(matches!(
        store
            .link_post(WS, "poster", blackout.id, Some(&ghost))
            .await,
        Err(Error::NotFound {
            kind: "generation",
            ..
        })
    ));
    assert!(matches!(
        store.link_post(WS, "poster", 999_999, None).await,
        Err(Error::NotFound { kind: "post", .. })
    ));
    assert_eq!(
        ok(store.posts(WS, "poster").await)[0].link.as_ref(),
        Some(&link)
    );
    assert_eq!(
        ok(store.link_post(WS, "poster", blackout.id, None).await).link,
        None
    );
    // Cached scores: kept, replaced, read back.
    let score = |overall: f64| CachedScore {
        post_id: blackout.id,
        key: format!("k{overall}"),
        overall,
        viral: vec![50.0; 9],
    };
    ok(store.save_post_scores(WS, "poster", &[score(40.0)]).await);
    ok(store.save_post_scores(WS, "poster", &[score(60.0)]).await);
    assert_eq!(ok(store.post_scores(WS, "poster").await), vec![score(60.0)]);
    // Calibrations: none, then the latest kept is the one in force.
    assert_eq!(ok(store.calibration(WS, "poster").await), None);
    let few = calibrate(&[]);
    ok(store.save_calibration(WS, "poster", &few).await);
    let many = calibrate(&simulate(1, 12, &[0.1; 9], 1.0));
    ok(store.save_calibration(WS, "poster", &many).await);
    let (_, kept) = ok(store.calibration(WS, "poster").await).unwrap_or_else(|| unreachable!());
    assert_eq!(
        (kept.n, &kept.message, &kept.weights),
        (many.n, &many.message, &many.weights)
    );
    assert_eq!(kept.correlations.len(), 11);
    // Another workspace's persona of the same name sees none of it.
    let agency = ok(reelsmith_core::store::WorkspaceStore::workspace(store, "agency").await);
    ok(store
        .save_persona_version(agency, &new_version("poster", &["Theirs. Follow."], None))
        .await);
    assert!(ok(store.posts(agency, "poster").await).is_empty());
    // Deleting the persona deletes its posts.
    ok(store.delete_persona(WS, "poster").await);
    assert!(matches!(
        store.posts(WS, "poster").await,
        Err(Error::NotFound { .. })
    ));
}
