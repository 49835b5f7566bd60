//! Learning from results as a user runs it: the bundled example performance file imported for the
//! example persona, its posts linked to the scripts they were made from, the calibration report,
//! the best time to post, a link confirmed and changed, and the answers with too little data.

use super::common::{User, learn_maya, root};

fn performance_file() -> String {
    root()
        .join("examples/maya/performance.csv")
        .display()
        .to_string()
}

#[test]
fn import_link_calibrate_and_best_time() {
    let u = User::new();
    learn_maya(&u);
    // Before any post: not enough data, and what is needed.
    let empty = u.ok(&["insights", "scores", "--persona", "maya"]);
    assert!(empty.contains("not enough data yet (0 of 10)"), "{empty}");
    let none = u.ok(&["insights", "best-time", "--persona", "maya"]);
    assert!(none.contains("import at least 9 posts"), "{none}");

    let report = u.json(&["import", &performance_file(), "--persona", "maya", "--json"]);
    assert_eq!(report["counts"]["new"], 14, "{report}");
    let linked = report["feedback"]["linked"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        linked.len() >= 6,
        "most posts are the bundled scripts: {report}"
    );
    let target_of = |needle: &str| {
        linked
            .iter()
            .find(|l| l["post"].as_str().is_some_and(|p| p.contains(needle)))
            .and_then(|l| l["target"].as_str().map(str::to_string))
    };
    assert_eq!(
        target_of("supply closet").as_deref(),
        Some("example examples/maya/scripts/03-supply-closet.md")
    );
    // Captions that only share the niche's words link to nothing.
    assert_eq!(target_of("grocery haul"), None);
    assert_eq!(target_of("Rate my night shift bag"), None);
    // Importing again links nothing new and adds no example.
    let again = u.json(&["import", &performance_file(), "--persona", "maya", "--json"]);
    assert_eq!(again["counts"]["unchanged"], 14);
    assert_eq!(
        again["feedback"]["linked"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(again["feedback"]["examples_added"], 0);

    let scores = u.json(&["insights", "scores", "--persona", "maya", "--json"]);
    let c = &scores["calibration"];
    assert_eq!(c["n"], 14, "{scores}");
    assert_eq!(c["enough"], true);
    let overall = &c["correlations"][0];
    assert_eq!(overall["name"], "overall");
    let (rho, low, high) = (
        overall["rho"]["value"].as_f64().unwrap_or(9.0),
        overall["rho"]["low"].as_f64().unwrap_or(9.0),
        overall["rho"]["high"].as_f64().unwrap_or(-9.0),
    );
    assert!(
        (-1.0..=1.0).contains(&rho) && low <= rho && rho <= high,
        "{overall}"
    );
    assert_eq!(c["weights"]["fitted"], false);
    assert!(
        c["weights"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("needs 20 posts")),
        "{scores}"
    );
    let text = u.ok(&["insights", "scores", "--persona", "maya"]);
    assert!(
        text.contains("Spearman's rho") && text.contains("hook_strength"),
        "{text}"
    );

    let best = u.json(&[
        "insights",
        "best-time",
        "--persona",
        "maya",
        "--tz",
        "Europe/Madrid",
        "--json",
    ]);
    assert_eq!(best["posts"], 14);
    assert_eq!(best["slots"].as_array().map(Vec::len), Some(168));
    // Tuesdays at 18:05 UTC in September are 20:00 in Madrid (CEST).
    let top = best["top"].as_array().cloned().unwrap_or_default();
    assert!(
        top.iter()
            .any(|s| s["weekday"] == 1 && s["hour"] == 20 && s["evidence"] == "ok"),
        "{best}"
    );
    let (code, err) = u.fails(&[
        "insights",
        "best-time",
        "--persona",
        "maya",
        "--tz",
        "Mars/Olympus",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a time zone name"), "{err}");

    // The scripts of posts at or above the median are fine-tuning lines; an example's own text is
    // never among its prompt's few-shot examples.
    let dir = u.home.path().join("dataset");
    let dir_arg = dir.display().to_string();
    let counts = u.json(&[
        "export-dataset",
        "--out",
        &dir_arg,
        "--min-percentile",
        "50",
        "--json",
    ]);
    let (train, validation) = (
        counts["train"]["lines"].as_u64().unwrap_or(0),
        counts["validation"]["lines"].as_u64().unwrap_or(0),
    );
    assert!(train + validation >= 4, "{counts}");
    assert_eq!(counts["top_performing"].as_u64(), Some(train + validation));
    assert!(
        counts["left_out"]
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r[0] == "post below the percentile")),
        "{counts}"
    );
    let text = std::fs::read_to_string(dir.join("train.jsonl")).unwrap_or_default()
        + &std::fs::read_to_string(dir.join("validation.jsonl")).unwrap_or_default();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        let answer = v["messages"][2]["content"].as_str().unwrap_or_default();
        let hook = answer
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("HOOK: "))
            .unwrap_or_else(|| unreachable!("{line}"));
        let prompt = v["messages"][1]["content"].as_str().unwrap_or_default();
        assert!(
            !prompt.contains(hook),
            "the answer leaks into its prompt: {line}"
        );
    }
    let (code, err) = u.fails(&["export-dataset", "--min-percentile", "120"]);
    assert_ne!(code, 0);
    assert!(err.contains("between 0 and 100"), "{err}");

    // The posts list, a link confirmed, one changed by hand, one to a generation that is not there.
    let posts = u.json(&["posts", "list", "--persona", "maya", "--json"]);
    let rows = posts.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 14);
    let suggested = rows
        .iter()
        .find(|p| p["post"]["link"]["confirmed"] == false)
        .and_then(|p| p["post"]["id"].as_i64())
        .unwrap_or_else(|| unreachable!("a suggested link: {posts}"));
    let id = suggested.to_string();
    let out = u.ok(&["posts", "link", &id, "--persona", "maya", "--confirm"]);
    assert!(out.contains("(confirmed)"), "{out}");
    let out = u.ok(&[
        "posts",
        "link",
        &id,
        "--persona",
        "maya",
        "--example",
        "examples/maya/scripts/08-burnout.md",
    ]);
    assert!(
        out.contains("example examples/maya/scripts/08-burnout.md (confirmed)"),
        "{out}"
    );
    let (code, err) = u.fails(&[
        "posts",
        "link",
        &id,
        "--persona",
        "maya",
        "--generation",
        "4242",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("4242"), "{err}");
    let out = u.ok(&["posts", "link", &id, "--persona", "maya", "--clear"]);
    assert!(out.contains("not linked"), "{out}");
}
