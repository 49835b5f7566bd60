//! A/B tests as a user runs them, against a fake OpenAI-compatible server: two variants written to
//! differ in their call to action, each posted, the platform's numbers imported, the verdict; and
//! the mistakes a user can make.

use crate::common::{User, fake_model_user, runner};

/// Records each `(variant, views)` of experiment `id` as a TikTok post by its link (`run` runs a
/// command and gives its stdout; `extra` goes after each `experiment post`), then imports the
/// platform's numbers for them, posted a day apart in November 2026. Gives each post's output.
fn post_and_import(
    run: &dyn Fn(&[&str]) -> String,
    u: &User,
    (id, first_video): (&str, u64),
    posts: &[(&str, u64)],
    extra: &[&str],
) -> Vec<String> {
    let mut csv = String::from("createTimeISO,playCount,webVideoUrl\n");
    let mut outputs = Vec::new();
    for (i, (label, views)) in posts.iter().enumerate() {
        let url = format!(
            "https://www.tiktok.com/@maya/video/{}",
            first_video + i as u64
        );
        let mut args = vec![
            "experiment",
            "post",
            id,
            "--variant",
            label,
            "--platform",
            "tiktok",
            "--url",
            &url,
        ];
        args.extend(extra);
        outputs.push(run(&args));
        csv.push_str(&format!("2026-11-{:02}T17:00:00Z,{views},{url}\n", i + 3));
    }
    let path = u.home.path().join("stats.csv");
    std::fs::write(&path, csv).unwrap_or_else(|e| unreachable!("{e}"));
    run(&["import", &path.display().to_string(), "--persona", "maya"]);
    outputs
}

#[test]
fn create_post_import_and_analyze() {
    let (_rt, _model, u, config) = fake_model_user();
    let run = runner(&u, &config);
    assert!(run(&["experiment", "list"]).contains("No experiments yet"));
    let out = u.run(&[
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
        "--config",
        &config,
    ]);
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    // The fake model writes the same call to action whatever it is asked: the user is told.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Careful: A and B both use a “follow” call to action"),
        "{err}"
    );
    let id = created["id"].as_i64().unwrap_or_default().to_string();
    assert_eq!(created["vary"], "cta");
    assert_eq!(
        created["variants"].as_array().map(Vec::len),
        Some(2),
        "{created}"
    );
    let posted = post_and_import(
        &run,
        &u,
        (&id, 7_999_000_000_000_000_011),
        &[("A", 4000), ("B", 9000)],
        &["--posted-at", "2026-11-03T18:00", "--tz", "Europe/Madrid"],
    );
    for (out, label) in posted.iter().zip(["A", "B"]) {
        assert!(out.contains(&format!("{label} = script")), "{out}");
    }
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

#[test]
fn a_won_length_experiment_becomes_a_preference() {
    let (_rt, _model, u, config) = fake_model_user();
    let run = runner(&u, &config);
    assert!(run(&["persona", "show", "maya"]).contains("nothing yet: no experiment has a winner"));
    let created: serde_json::Value = serde_json::from_str(&run(&[
        "experiment",
        "create",
        "--persona",
        "maya",
        "--topic",
        "caffeine on nights",
        "--vary",
        "length",
        "--duration",
        "30",
        "--json",
    ]))
    .unwrap_or_default();
    let id = created["id"].as_i64().unwrap_or_default().to_string();
    // Each variant posted six times; the short one (B, 18 s) gets about four times the views.
    let posts: Vec<(&str, u64)> = (0..12u64)
        .map(|i| {
            if i < 6 {
                ("A", 1000 + 30 * i)
            } else {
                ("B", 4000 + 50 * i)
            }
        })
        .collect();
    post_and_import(&run, &u, (&id, 7_999_000_000_000_000_200), &posts, &[]);
    let text = run(&["experiment", "analyze", &id]);
    assert!(text.contains("B wins"), "{text}");

    let shown = run(&["persona", "show", "maya"]);
    assert!(
        shown.contains("a short (under 20 s) script")
            && shown.contains(&format!("experiment {id} “caffeine on nights”: B beat A")),
        "{shown}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&["persona", "show", "maya", "--json"])).unwrap_or_default();
    assert_eq!(
        json["preferences"][0]["pattern"]["value"], "short",
        "{json}"
    );
    // The next script's evidence names the experiment.
    let out = u.run(&[
        "generate",
        "--persona",
        "maya",
        "--topic",
        "naps before nights",
        "--attempts",
        "1",
        "--config",
        &config,
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success()
            && err.contains(&format!(
                "Drew on: A/B tests: a short (under 20 s) script (won experiment {id}"
            )),
        "{err}"
    );
}

#[test]
fn an_experiment_is_written_and_analysed_with_the_local_model() {
    let u = User::new();
    crate::common::learn_maya(&u);
    let local = |args: &[&str]| {
        let out = u.local(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let created: serde_json::Value = serde_json::from_str(&local(&[
        "experiment",
        "create",
        "--persona",
        "maya",
        "--topic",
        "caffeine on nights",
        "--vary",
        "hook",
        "--duration",
        "30",
        "--json",
    ]))
    .unwrap_or_default();
    let id = created["id"].as_i64().unwrap_or_default().to_string();
    for (i, v) in created["variants"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let g: serde_json::Value = serde_json::from_str(&local(&[
            "show",
            &v["generation_id"].to_string(),
            "--format",
            "json",
        ]))
        .unwrap_or_default();
        assert_eq!(
            g["request"]["requirements"][0],
            reelsmith_core::experiment::HOOK_INSTRUCTIONS[i].1,
            "{g}"
        );
        assert!(g["script"]["words"].as_u64().unwrap_or(0) > 10, "{g}");
    }
    post_and_import(
        &local,
        &u,
        (&id, 7_999_000_000_000_000_031),
        &[("A", 4000), ("B", 9000)],
        &[],
    );
    let text = local(&["experiment", "analyze", &id]);
    assert!(
        text.contains("no winner yet") && text.contains("B ") && text.contains("P(best)"),
        "{text}"
    );
}
