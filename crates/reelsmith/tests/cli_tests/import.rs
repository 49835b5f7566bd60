//! `reelsmith import` as a user runs it: an Instagram export folder, the same again, a newer export,
//! a dry run, a CSV by column names and by --map, a bad file, an unknown persona.

use super::common::{User, learn_maya, root};

fn ingest_fixture(rel: &str) -> String {
    root()
        .join("crates/reelsmith-ingest/tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn import_an_export_again_and_a_newer_one() {
    let u = User::new();
    learn_maya(&u);
    // An export folder laid out as Instagram's download is.
    let export = u.home.path().join("instagram-export");
    let put = |rel: &str, from: &str| {
        let p = export.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(&export))
            .unwrap_or_else(|e| unreachable!("{e}"));
        std::fs::copy(ingest_fixture(from), &p).unwrap_or_else(|e| unreachable!("{e}"));
    };
    put(
        "your_instagram_activity/content/reels.json",
        "instagram/reels.json",
    );
    put(
        "logged_information/past_instagram_insights/reels.json",
        "instagram/insights_reels_en.json",
    );
    std::fs::create_dir_all(export.join("connections")).unwrap_or_else(|e| unreachable!("{e}"));
    std::fs::write(
        export.join("connections/followers_1.json"),
        r#"[{"title": "", "string_list_data": [{"value": "someone", "timestamp": 1731974400}]}]"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let path = export.display().to_string();

    let dry = u.json(&["import", &path, "--persona", "maya", "--dry-run", "--json"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["counts"]["new"], 2, "{dry}");
    assert_eq!(
        dry["counts"]["merged"], 1,
        "the reel's caption file and its insights are one post: {dry}"
    );
    let text = u.ok(&["import", &path, "--persona", "maya"]);
    assert!(
        text.contains("2 new") && text.contains("1 file(s) passed over"),
        "{text}"
    );
    let again = u.json(&["import", &path, "--persona", "maya", "--json"]);
    assert_eq!(
        (
            again["counts"]["new"].as_u64(),
            again["counts"]["updated"].as_u64(),
            again["counts"]["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(2)),
        "re-importing changes nothing: {again}"
    );
    // A newer export with more plays on the first reel.
    let newer = std::fs::read_to_string(ingest_fixture("instagram/insights_reels_en.json"))
        .unwrap_or_default()
        .replace("\"15,420\"", "\"25,420\"")
        .replace("\"16,001\"", "\"26,001\"");
    std::fs::write(
        export.join("logged_information/past_instagram_insights/reels.json"),
        newer,
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let later = u.json(&["import", &path, "--persona", "maya", "--json"]);
    assert_eq!(later["counts"]["updated"], 1, "{later}");
    assert_eq!(later["counts"]["unchanged"], 1, "{later}");

    // A bad file: named with its entry and reason, nothing of it stored, exit code 2.
    let (code, err) = u.fails(&[
        "import",
        &ingest_fixture("instagram/insights_reels_bad_number.json"),
        "--persona",
        "maya",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("could not be imported"), "{err}");
    let out = u.run(&[
        "import",
        &ingest_fixture("instagram/insights_reels_bad_number.json"),
        "--persona",
        "maya",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("entry 2") && stdout.contains("“lots”"),
        "{stdout}"
    );

    let (code, err) = u.fails(&["import", &path, "--persona", "ghost"]);
    assert_eq!(code, 3, "{err}");
    let (code, err) = u.fails(&["import", &path, "--persona", "maya", "--format", "facebook"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("instagram-export"), "{err}");
}

#[test]
fn import_csv_by_column_names_and_by_map() {
    let u = User::new();
    learn_maya(&u);
    let apify = ingest_fixture("csv/apify.csv");
    let v = u.json(&["import", &apify, "--persona", "maya", "--json"]);
    assert_eq!(v["counts"]["new"], 2, "{v}");
    let custom = ingest_fixture("csv/custom.csv");
    let (code, err) = u.fails(&["import", &custom, "--persona", "maya"]);
    assert_eq!(code, 2);
    assert!(err.contains("could not be imported"), "{err}");
    let (code, err) = u.fails(&[
        "import",
        &custom,
        "--persona",
        "maya",
        "--map",
        "views=Reproducciones,likes=Corazones,posted_at=Fecha",
    ]);
    assert_eq!(code, 2, "no link and no --platform: {err}");
    let v = u.json(&[
        "import",
        &custom,
        "--persona",
        "maya",
        "--map",
        "views=Reproducciones,likes=Corazones,posted_at=Fecha,caption=Guion",
        "--platform",
        "tiktok",
        "--json",
    ]);
    assert_eq!(v["counts"]["new"], 1, "{v}");
    let (code, err) = u.fails(&["import", &custom, "--persona", "maya", "--map", "plays"]);
    assert_eq!(code, 2);
    assert!(err.contains("FIELD=COLUMN"), "{err}");
}
