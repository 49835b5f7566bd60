//! Instagram export files with every trap the feedback issue lists: labels in English and Spanish
//! and in varying case and wording, locale-formatted numbers, mojibake text, an entry without a
//! thumbnail, a language reelsmith does not read, a bad number.

use std::path::Path;

use reelsmith_ingest::performance::instagram::{Metric, fold, metric, read};
use reelsmith_ingest::performance::{ImportError, ImportedPost};

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/instagram")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| unreachable!("{p:?}: {e}"))
}

fn posts(name: &str) -> Vec<ImportedPost> {
    read(name, &fixture(name)).unwrap_or_else(|e| unreachable!("{e}"))
}

fn error(name: &str) -> ImportError {
    match read(name, &fixture(name)) {
        Err(e) => e,
        Ok(p) => unreachable!("expected an error, got {p:?}"),
    }
}

#[test]
fn english_reels_insights_with_variant_labels_and_no_thumbnail() {
    let p = posts("insights_reels_en.json");
    assert_eq!(p.len(), 2);
    let first = &p[0];
    assert_eq!(
        first.caption.as_deref(),
        Some("Café after 3am? Here's why you can't sleep 😴"),
        "mojibake repaired"
    );
    assert_eq!(
        first.media_uri.as_deref(),
        Some("media/reels/202411/4512_thumb.jpg")
    );
    assert_eq!(
        first.posted_at.map(|t| t.to_rfc3339()),
        Some("2024-11-19T00:00:00+00:00".to_string())
    );
    assert_eq!(first.duration_s, Some(31.0));
    let m = &first.metrics;
    assert_eq!(m.reach, Some(12_500), "“12.5K”");
    assert_eq!(
        m.views,
        Some(16_001),
        "the larger of Instagram and Instagram-and-Facebook plays"
    );
    assert_eq!(m.likes, Some(1_234), "“1,234”");
    assert_eq!(
        (m.comments, m.shares, m.saves, m.profile_visits, m.follows),
        (Some(87), Some(45), Some(310), Some(52), Some(9))
    );
    assert_eq!(first.source, "insights_reels_en.json #1");

    let bare = &p[1];
    assert_eq!(
        (bare.caption.as_deref(), bare.media_uri.as_deref()),
        (None, None)
    );
    assert!(bare.posted_at.is_some(), "the upload timestamp stands in");
    assert_eq!(bare.duration_s, Some(28.0), "“0:28”");
    assert_eq!(bare.metrics.likes, Some(64), "“Instagram Likes”");
    assert_eq!(bare.metrics.profile_visits, Some(4), "“profile visits”");
    assert_eq!(bare.metrics.shares, None, "absent, not zero");
}

#[test]
fn spanish_labels_and_dot_grouped_thousands() {
    let p = posts("insights_reels_es.json");
    let m = &p[0].metrics;
    assert_eq!(
        (
            m.reach,
            m.views,
            m.likes,
            m.comments,
            m.shares,
            m.saves,
            m.profile_visits
        ),
        (
            Some(40_210),
            Some(52_004),
            Some(2_310),
            Some(118),
            Some(96),
            Some(1_020),
            Some(77)
        )
    );
    assert_eq!(
        p[0].caption.as_deref(),
        Some("Duerme después del turno de noche")
    );
}

#[test]
fn insights_posts_use_the_creation_timestamp() {
    let p = posts("insights_posts.json");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].metrics.likes, Some(402));
    assert_eq!(p[0].metrics.reach, Some(3_870));
    assert!(p[0].posted_at.is_some());
}

#[test]
fn content_files_give_captions_and_times_without_metrics() {
    let p = posts("posts_1.json");
    assert_eq!(p.len(), 2);
    assert_eq!(
        p[0].caption.as_deref(),
        Some("Blackout bedroom for under $30 — link in bio")
    );
    assert_eq!(
        p[1].caption.as_deref(),
        Some("Sunglasses on the drive home"),
        "the media title when the post has none"
    );
    assert!(p.iter().all(|x| x.metrics.is_empty()));
    let r = posts("reels.json");
    assert_eq!(r.len(), 1);
    assert!(
        r[0].caption
            .as_deref()
            .is_some_and(|c| c.starts_with("Café"))
    );
}

#[test]
fn unreadable_files_are_refused_whole_with_the_reason() {
    let e = error("insights_reels_unknown.json");
    assert!(
        e.detail.contains("no metric reelsmith knows") && e.detail.contains("Wyświetlenia"),
        "{e}"
    );
    let e = error("insights_reels_bad_number.json");
    assert!(
        e.detail.contains("entry 2") && e.detail.contains("“lots”"),
        "{e}"
    );
    let e = read("x.json", "<html>")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("not JSON") && e.contains("JSON format"), "{e}");
    let e = read("x.json", r#"{"followers": []}"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("its keys: followers"), "{e}");
    assert_eq!(
        read("empty.json", r#"{"organic_insights_reels": []}"#),
        Ok(vec![])
    );
}

#[test]
fn labels_fold_case_and_punctuation_in_six_languages() {
    assert_eq!(metric("Profile Visits"), Some(Metric::ProfileVisits));
    assert_eq!(metric("„Gefällt mir“-Angaben"), Some(Metric::Likes));
    assert_eq!(metric("J'aime"), Some(Metric::Likes));
    assert_eq!(metric("Contas alcançadas"), Some(Metric::Reach));
    assert_eq!(metric("Comptes touchés"), Some(Metric::Reach));
    assert_eq!(metric("Account raggiunti"), Some(Metric::Reach));
    assert_eq!(metric("Impressions"), None, "impressions are not views");
    assert_eq!(fold("  Instagram  Plays "), "instagram plays");
}

proptest::proptest! {
    /// No text, however odd, crashes the reader or the number parser; a repaired string is never
    /// longer than the original.
    #[test]
    fn any_text_is_read_or_refused(
        label in "\\PC{0,20}",
        value in "\\PC{0,12}",
        caption in "[\\x00-\\xff]{0,30}",
    ) {
        let doc = serde_json::json!({"organic_insights_reels": [{
            "media_map_data": {"Media Thumbnail": {"title": caption, "creation_timestamp": i64::MAX}},
            "string_map_data": {label.clone(): {"value": value.clone()}, "Likes": {"value": value.clone()}},
        }]});
        let _ = read("p.json", &doc.to_string());
        let _ = reelsmith_ingest::performance::numbers::parse_count(&value);
        let fixed = reelsmith_ingest::performance::mojibake::repair(&caption);
        proptest::prop_assert!(fixed.len() <= caption.len());
    }
}
