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

fn file(dir: &str, name: &str) -> (String, Vec<u8>) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(name);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| unreachable!("{p:?}: {e}"));
    (name.to_string(), bytes)
}

fn utf8(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_else(|e| unreachable!("{e}"))
}

#[test]
fn tiktok_user_data_new_old_and_empty() {
    use reelsmith_ingest::performance::tiktok;
    let (n, b) = file("tiktok", "user_data.json");
    let p = tiktok::read(&n, utf8(&b), None).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].metrics.likes, Some(1_204));
    assert_eq!(
        p[0].posted_at.map(|t| t.to_rfc3339()),
        Some("2024-11-19T18:02:11+00:00".to_string())
    );
    assert!(
        p[0].url
            .as_deref()
            .is_some_and(|u| u.contains("7438803221234567890"))
    );
    assert_eq!(p[1].caption, None, "an empty title is no caption");
    let (n, b) = file("tiktok", "user_data_empty.json");
    assert_eq!(
        tiktok::read(&n, utf8(&b), None),
        Ok(vec![]),
        "VideoList: null"
    );
    let (n, b) = file("tiktok", "user_data_old.json");
    assert_eq!(tiktok::read(&n, utf8(&b), None).map(|p| p.len()), Ok(1));
    let e = tiktok::read("x.json", "{}", None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("VideoList"), "{e}");
    let e = tiktok::read(
        "x.json",
        r#"{"Post":{"Posts":{"VideoList":[{"Date":"yesterday"}]}}}"#,
        None,
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("entry 1") && e.contains("yesterday"), "{e}");
}

#[test]
fn instaloader_json_and_xz() {
    use reelsmith_ingest::performance::instaloader;
    let (n, b) = file("instaloader", "2024-11-19_18-02-11_UTC.json");
    let text = instaloader::text(&n, &b).unwrap_or_else(|e| unreachable!("{e}"));
    let p = instaloader::read(&n, &text).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        (p.metrics.views, p.metrics.likes, p.metrics.comments),
        (Some(15_420), Some(1_204), Some(87))
    );
    assert_eq!(p.duration_s, Some(31.4));
    assert_eq!(
        p.url.as_deref(),
        Some("https://www.instagram.com/p/DCm1aBcDeFg/")
    );
    assert!(p.caption.as_deref().is_some_and(|c| c.ends_with("😴")));
    let (n, b) = file("instaloader", "2024-11-26_07-45-00_UTC.json.xz");
    let text = instaloader::text(&n, &b).unwrap_or_else(|e| unreachable!("{e}"));
    let p = instaloader::read(&n, &text).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(p.metrics.likes, Some(640));
    let (n, b) = file("instaloader", "broken.json.xz");
    let e = instaloader::text(&n, &b)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("not a readable .xz file"), "{e}");
    let e = instaloader::read("x.json", "{}")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("no \"node\""), "{e}");
}

/// Hostile `.json.xz` files get an error, never a panic or an unbounded allocation: the fuzzer's
/// input with an index size of 2^32 - 1 (lzma-rs 0.3 panicked on it), the good fixture cut short,
/// and a bomb that unpacks past `MAX_JSON_BYTES`.
#[test]
fn instaloader_hostile_xz() {
    use std::io::Write;

    use reelsmith_ingest::performance::instaloader::{self, MAX_JSON_BYTES};
    let error = |name: &str, bytes: &[u8]| {
        instaloader::text(name, bytes)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let (n, b) = file("instaloader", "hostile-index.json.xz");
    assert!(
        error(&n, &b).contains("not a readable .xz file"),
        "{}",
        error(&n, &b)
    );
    let (n, b) = file("instaloader", "2024-11-26_07-45-00_UTC.json.xz");
    let cut = &b[..b.len() - 9];
    assert!(
        error(&n, cut).contains("not a readable .xz file"),
        "{}",
        error(&n, cut)
    );
    let mut bomb = liblzma::write::XzEncoder::new(Vec::new(), 6);
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..=MAX_JSON_BYTES >> 20 {
        bomb.write_all(&spaces)
            .unwrap_or_else(|e| unreachable!("{e}"));
    }
    let bomb = bomb.finish().unwrap_or_else(|e| unreachable!("{e}"));
    assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
    let e = error("bomb.json.xz", &bomb);
    assert!(e.contains("unpacks past"), "{e}");
}

#[test]
fn csv_by_column_names_and_by_map() {
    use reelsmith_ingest::performance::table::{Field, parse_map, read};
    let (n, b) = file("csv", "apify.csv");
    let p = read(&n, utf8(&b), &[], None).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(p.len(), 2);
    assert_eq!(
        (
            p[0].metrics.views,
            p[0].metrics.likes,
            p[0].metrics.comments,
            p[0].metrics.shares
        ),
        (Some(35_900), Some(2_300), Some(421), Some(708))
    );
    assert_eq!(p[1].metrics.likes, Some(55_100), "“55,1K”");
    assert_eq!(p[1].metrics.comments, Some(1_073), "“1.073”");
    assert!(
        p[0].url
            .as_deref()
            .is_some_and(|u| u.ends_with("7252455790680771845"))
    );
    assert_eq!(
        p[0].posted_at.map(|t| t.to_rfc3339()),
        Some("2023-07-05T21:52:34+00:00".to_string())
    );
    assert_eq!(p[1].source, "apify.csv row 3");

    let (n, b) = file("csv", "custom.csv");
    let e = read(&n, utf8(&b), &[], None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("--map") && e.contains("Reproducciones"), "{e}");
    let map = parse_map(&[
        "views=Reproducciones".into(),
        "likes=corazones".into(),
        "posted_at=Fecha".into(),
        "caption=Guion".into(),
    ])
    .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        map[0],
        (Field::Metric(Metric::Views), "Reproducciones".to_string())
    );
    let p = read(&n, utf8(&b), &map, None).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        (p[0].metrics.views, p[0].metrics.likes),
        (Some(40_210), Some(2_310))
    );
    assert_eq!(p[0].caption.as_deref(), Some("Duerme después del turno"));
    assert!(p[0].posted_at.is_some());

    assert!(parse_map(&["plays".into()]).is_err_and(|e| e.contains("FIELD=COLUMN")));
    assert!(parse_map(&["hearts=x".into()]).is_err_and(|e| e.contains("not one of")));
    let e = read(
        &n,
        utf8(&b),
        &[(Field::Metric(Metric::Views), "Nope".into())],
        None,
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("no column “Nope”"), "{e}");
    let (n, b) = file("csv", "bad_cell.csv");
    let e = read(&n, utf8(&b), &[], None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("row 3") && e.contains("“views”") && e.contains("“lots”"),
        "{e}"
    );
}

/// An Instagram export laid out as the download is, with files that are not post data.
fn export_folder(root: &Path) {
    let put = |rel: &str, content: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| unreachable!("{e}"));
        std::fs::write(&p, content).unwrap_or_else(|e| unreachable!("{e}"));
    };
    put(
        "your_instagram_activity/content/posts_1.json",
        fixture("posts_1.json").as_bytes(),
    );
    put(
        "your_instagram_activity/content/reels.json",
        fixture("reels.json").as_bytes(),
    );
    put(
        "logged_information/past_instagram_insights/reels.json",
        fixture("insights_reels_en.json").as_bytes(),
    );
    put(
        "connections/followers_and_following/followers_1.json",
        br#"[{"string_list_data": []}]"#,
    );
    put("media/reels/202411/4512.mp4", b"\x00\x00\x00\x18ftypmp42");
    // The reel's subtitles next to its video: its spoken script.
    put(
        "media/reels/202411/4512.srt",
        fixture("4512.srt").as_bytes(),
    );
}

/// The transcript each file's posts got from subtitles, in order.
fn transcripts(found: &reelsmith_ingest::performance::source::Found) -> Vec<Option<String>> {
    found
        .files
        .iter()
        .flat_map(|f| f.posts.clone().unwrap_or_default())
        .map(|p| p.transcript)
        .collect()
}

#[test]
fn an_export_folder_its_zip_and_one_file() {
    use reelsmith_ingest::performance::source::{ExportFormat, read_path};
    let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let root = tmp.path().join("instagram-maya-2024-12-01");
    export_folder(&root);

    let found = read_path(&root, &Default::default()).unwrap_or_else(|e| unreachable!("{e}"));
    let files: Vec<(&str, usize)> = found
        .files
        .iter()
        .map(|f| (f.file.as_str(), f.posts.as_ref().map_or(0, Vec::len)))
        .collect();
    assert_eq!(
        files,
        vec![
            ("logged_information/past_instagram_insights/reels.json", 2),
            ("your_instagram_activity/content/posts_1.json", 2),
            ("your_instagram_activity/content/reels.json", 1),
        ]
    );
    assert!(
        found
            .files
            .iter()
            .all(|f| f.format == ExportFormat::InstagramExport)
    );
    let skipped: Vec<&str> = found.skipped.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(
        skipped,
        vec![
            "connections/followers_and_following/followers_1.json",
            "media/reels/202411/4512.mp4"
        ]
    );
    assert!(found.skipped[0].reason.contains("holds no posts"));
    // The reel (reels.json's video) gets its subtitles; the photo posts and the insights entries
    // (a thumbnail, not the video) do not.
    let spoken = Some("Stop drinking coffee the second your shift starts.".to_string());
    assert_eq!(found.transcripts, 1);
    assert_eq!(
        transcripts(&found),
        vec![None, None, None, None, spoken.clone()]
    );

    // The same export as the .zip Instagram sends.
    let zip_path = tmp.path().join("export.zip");
    {
        let f = std::fs::File::create(&zip_path).unwrap_or_else(|e| unreachable!("{e}"));
        let mut z = zip::ZipWriter::new(f);
        for e in walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
                z.start_file(
                    rel.to_string_lossy(),
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap_or_else(|e| unreachable!("{e}"));
                std::io::Write::write_all(&mut z, &std::fs::read(e.path()).unwrap_or_default())
                    .unwrap_or_else(|e| unreachable!("{e}"));
            }
        }
        z.finish().unwrap_or_else(|e| unreachable!("{e}"));
    }
    let zipped = read_path(&zip_path, &Default::default()).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(zipped.files.len(), 3);
    assert_eq!(transcripts(&zipped)[4], spoken);
    assert_eq!(
        zipped.files[0]
            .posts
            .as_ref()
            .ok()
            .map(|p| p[0].metrics.likes),
        Some(Some(1_234))
    );

    // One file saved elsewhere under another name is still recognised by its content.
    let lone = tmp.path().join("my-reels-stats.json");
    std::fs::write(&lone, fixture("insights_reels_es.json"))
        .unwrap_or_else(|e| unreachable!("{e}"));
    let one = read_path(&lone, &Default::default()).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(one.files.len(), 1);
    let followers = root.join("connections/followers_and_following/followers_1.json");
    let e = read_path(&followers, &Default::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("holds no posts") && e.contains("export folder"),
        "{e}"
    );
    let e = read_path(&tmp.path().join("missing.zip"), &Default::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("cannot be read"), "{e}");
    std::fs::write(tmp.path().join("bad.zip"), b"PK\x03\x04 not really")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let e = read_path(&tmp.path().join("bad.zip"), &Default::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("not a readable .zip"), "{e}");
    assert_eq!(ExportFormat::parse("auto"), Ok(None));
    assert_eq!(
        ExportFormat::parse("TikTok-Export"),
        Ok(Some(ExportFormat::TiktokExport))
    );
    assert!(ExportFormat::parse("facebook").is_err_and(|e| e.contains("instaloader")));
}

#[test]
fn times_without_a_zone_are_read_in_the_given_one() {
    use reelsmith_ingest::performance::{Zone, tiktok};
    let json = r#"{"Post":{"Posts":{"VideoList":[{"Date":"2024-07-01 18:00:00","Likes":"1"}]}}}"#;
    let madrid = Zone::parse("Europe/Madrid").unwrap_or_else(|e| unreachable!("{e}"));
    let at = |z: Option<&Zone>| {
        tiktok::read("u.json", json, z)
            .ok()
            .and_then(|p| p[0].posted_at)
            .map(|t| t.to_rfc3339())
    };
    assert_eq!(at(None), Some("2024-07-01T18:00:00+00:00".into()));
    assert_eq!(
        at(Some(&madrid)),
        Some("2024-07-01T16:00:00+00:00".into()),
        "CEST is UTC+2"
    );
    let t = reelsmith_ingest::performance::table::parse_time("2024-01-15 09:30", Some(&madrid));
    assert_eq!(
        t.map(|t| t.to_rfc3339()),
        Some("2024-01-15T08:30:00+00:00".into()),
        "CET is UTC+1"
    );
    let t = reelsmith_ingest::performance::table::parse_time("2024-01-15T09:30:00Z", Some(&madrid));
    assert_eq!(
        t.map(|t| t.to_rfc3339()),
        Some("2024-01-15T09:30:00+00:00".into()),
        "an offset wins"
    );
    assert!(Zone::parse("Mars/Olympus").is_err_and(|e| e.contains("Europe/Madrid")));
}
