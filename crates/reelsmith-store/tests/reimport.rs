//! Re-importing never duplicates: whatever posts an export holds (repeats, shared times, missing
//! metrics), importing it again adds no post and no metrics snapshot, and the store holds one post
//! per distinct key.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use reelsmith_core::performance::{ImportedPost, Metrics, post_key};
use reelsmith_core::persona::{CreatorProfile, NewPersonaVersion};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::{PerformanceStore, PersonaStore, Workspace};
use reelsmith_core::style::learn_style;
use reelsmith_store::Store;

fn post((t, likes, caption, link): (u8, Option<u16>, Option<u8>, Option<u8>)) -> ImportedPost {
    ImportedPost {
        posted_at: DateTime::<Utc>::from_timestamp(1_700_000_000 + i64::from(t) * 3_600, 0),
        caption: caption.map(|c| format!("caption {c}")),
        media_uri: None,
        url: link.map(|l| format!("https://www.tiktok.com/@maya/video/{l}")),
        duration_s: None,
        transcript: None,
        metrics: Metrics {
            likes: likes.map(u64::from),
            ..Metrics::default()
        },
        source: "f".into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn importing_twice_changes_nothing(
        raw in proptest::collection::vec(
            (0u8..6, proptest::option::of(0u16..50), proptest::option::of(0u8..3), proptest::option::of(0u8..4)),
            0..12,
        )
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()
            .unwrap_or_else(|e| unreachable!("{e}"));
        rt.block_on(async {
            let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
            let store = Store::open_sqlite(&dir.path().join("p.db")).await
                .unwrap_or_else(|e| unreachable!("{e}"));
            let examples = vec![reelsmith_core::persona::ExampleScript {
                title: None, text: "One. Follow.".into(), source: "x".into(), duration_s: None,
            }];
            store.save_persona_version(Workspace::LOCAL, &NewPersonaVersion {
                name: "maya".into(),
                profile: CreatorProfile::default(),
                style: learn_style(&examples, None),
                embeddings: None,
                examples,
            }).await.unwrap_or_else(|e| unreachable!("{e}"));
            let posts: Vec<(Platform, String, ImportedPost)> = raw.into_iter().map(post)
                .map(|p| (Platform::Tiktok, post_key(&p).unwrap_or_default(), p))
                .collect();
            let keys: HashSet<&str> = posts.iter().map(|(_, k, _)| k.as_str()).collect();
            let first = store.import_posts(Workspace::LOCAL, "maya", &posts, false).await
                .unwrap_or_else(|e| unreachable!("{e}"));
            prop_assert_eq!(first.new, keys.len());
            let stored = store.posts(Workspace::LOCAL, "maya").await
                .unwrap_or_else(|e| unreachable!("{e}"));
            let snapshots: usize = stored.iter().map(|p| p.snapshots).sum();
            let again = store.import_posts(Workspace::LOCAL, "maya", &posts, false).await
                .unwrap_or_else(|e| unreachable!("{e}"));
            prop_assert_eq!(again.new, 0);
            let after = store.posts(Workspace::LOCAL, "maya").await
                .unwrap_or_else(|e| unreachable!("{e}"));
            prop_assert_eq!(after.len(), keys.len());
            prop_assert_eq!(after.iter().map(|p| p.snapshots).sum::<usize>(), snapshots);
            Ok(())
        })?;
    }
}
