//! A/B tests as a user runs them, against a fake OpenAI-compatible server: two variants written to
//! differ in their call to action, each posted, the platform's numbers imported, the verdict; and
//! the mistakes a user can make.

use crate::common::fake_model_user;

#[test]
fn create_post_import_and_analyze() {
    let (_rt, _model, u, config) = fake_model_user();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--config", &config]);
        u.ok(&all)
    };
    assert!(run(&["experiment", "list"]).contains("No experiments yet"));
    let created: serde_json::Value = serde_json::from_str(&run(&[
        "experiment",
        "create",
        "--persona",
        "maya",
        "--topic",
        "caffeine on nights",
        "--variants",
        "2",
        "--vary",
        "cta",
        "--duration",
        "20",
        "--json",
    ]))
    .unwrap_or_default();
    let id = created["id"].as_i64().unwrap_or_default().to_string();
    assert_eq!(created["vary"], "cta");
    assert_eq!(
        created["variants"].as_array().map(Vec::len),
        Some(2),
        "{created}"
    );
    for (label, video) in [("A", "7999000000000000011"), ("B", "7999000000000000012")] {
        let out = run(&[
            "experiment",
            "post",
            &id,
            "--variant",
            label,
            "--platform",
            "tiktok",
            "--posted-at",
            "2026-11-03T18:00",
            "--tz",
            "Europe/Madrid",
            "--url",
            &format!("https://www.tiktok.com/@maya/video/{video}"),
        ]);
        assert!(out.contains(&format!("{label} = script")), "{out}");
    }
    // The platform's numbers arrive through an ordinary import.
    let csv = u.home.path().join("stats.csv");
    std::fs::write(
        &csv,
        "createTimeISO,playCount,diggCount,webVideoUrl\n\
         2026-11-03T17:00:00Z,4000,300,https://www.tiktok.com/@maya/video/7999000000000000011\n\
         2026-11-03T17:00:00Z,9000,800,https://www.tiktok.com/@maya/video/7999000000000000012\n",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    run(&["import", &csv.display().to_string(), "--persona", "maya"]);
    let analysis: serde_json::Value =
        serde_json::from_str(&run(&["experiment", "analyze", &id, "--json"])).unwrap_or_default();
    assert_eq!(
        analysis["analysis"]["verdict"]["state"], "need_more_posts",
        "{analysis}"
    );
    assert_eq!(analysis["analysis"]["arms"][1]["posts"], 1);
    let text = run(&["experiment", "analyze", &id]);
    assert!(
        text.contains("no winner yet") && text.contains("P(best)"),
        "{text}"
    );
    assert!(run(&["experiment", "list"]).contains("varies the cta"));

    let fails = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--config", &config]);
        u.fails(&all)
    };
    let (code, err) = fails(&[
        "experiment",
        "create",
        "--persona",
        "maya",
        "--topic",
        "x",
        "--vary",
        "colour",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("hook, cta or length"), "{err}");
    let (code, err) = fails(&[
        "experiment",
        "create",
        "--persona",
        "maya",
        "--topic",
        "x",
        "--from",
        "4242,4243",
    ]);
    assert_eq!(code, 3, "{err}");
    let (code, err) = fails(&["experiment", "analyze", "4242"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("experiment"), "{err}");
    let (code, err) = fails(&[
        "experiment",
        "post",
        &id,
        "--variant",
        "Z",
        "--platform",
        "tiktok",
        "--url",
        "https://www.tiktok.com/@m/video/1",
    ]);
    assert_eq!(code, 3, "{err}");
    let (code, err) = fails(&[
        "experiment",
        "post",
        &id,
        "--variant",
        "A",
        "--platform",
        "tiktok",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("link or its posting time"), "{err}");
}
