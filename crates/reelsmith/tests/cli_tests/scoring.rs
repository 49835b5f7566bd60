//! Scoring and retrieval through the CLI.

use crate::common::*;

#[test]
fn unusable_data_folder_is_a_storage_error() {
    let u = User::new();
    let file = u.home.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap_or_else(|e| unreachable!("{e}"));
    let mut c = u.cmd();
    c.arg("--data-dir")
        .arg(file.join("sub"))
        .args(["persona", "list"]);
    let out = output(c);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot create the data folder"));
}

#[test]
fn score_a_draft_against_a_persona_with_trends() {
    let u = User::new();
    learn_maya(&u);
    u.ok(&["trends", "add", "night shift", "--note", "everywhere"]);
    assert!(
        u.ok(&["trends", "list"])
            .contains("night shift — everywhere")
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let draft = dir.path().join("draft.md");
    std::fs::write(
        &draft,
        "Stop drinking coffee at 3am.\nHere's the thing: caffeine stays in your blood for six hours.\n\
         So that cup is still working when you try to sleep at 9.\nTry this tonight: last cup before midnight.\n\
         Save this for your next night shift.\n---\nIn today's fast paced world, sleep is a game changer. Let's dive in.",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let text = u.ok(&[
        "score",
        &draft.to_string_lossy(),
        "--persona",
        "maya",
        "--duration",
        "15",
    ]);
    for needle in [
        "OVERALL",
        "timing",
        "quality",
        "hook strength",
        "trend alignment",
        "rides a trend: “night shift”",
        "voice match",
        "“here's the thing”",
    ] {
        assert!(text.contains(needle), "missing {needle:?}:\n{text}");
    }
    let v = u.json(&[
        "score",
        &draft.to_string_lossy(),
        "--persona",
        "maya",
        "--duration",
        "15",
        "--json",
    ]);
    let cards = v
        .as_array()
        .unwrap_or_else(|| unreachable!("two drafts give a list"));
    assert_eq!(cards.len(), 2);
    let (good, bad) = (&cards[0]["card"], &cards[1]["card"]);
    assert_eq!(
        good["viral"]["dimensions"].as_array().map(Vec::len),
        Some(9)
    );
    assert!(good["quality"]["score"].as_f64() > bad["quality"]["score"].as_f64());
    assert!(good["voice"]["score"].as_f64() > bad["voice"]["score"].as_f64());
    assert_eq!(good["timing"]["target_s"], 15.0);

    let (code, err) = u.fails(&["score", &draft.to_string_lossy(), "--duration", "300"]);
    assert_eq!(code, 2);
    assert!(err.contains("15 to 90"), "{err}");
    let (code, _) = u.fails(&["score", &draft.to_string_lossy(), "--persona", "ghost"]);
    assert_eq!(code, 3);
    u.ok(&["trends", "remove", "night shift"]);
    let (code, _) = u.fails(&["trends", "remove", "night shift"]);
    assert_eq!(code, 3);
}

#[test]
fn similar_examples_and_embedding_voice_evidence() {
    let u = User::new();
    u.ok(&[
        "persona",
        "learn",
        "--name",
        "maya",
        "--examples",
        "examples/maya/scripts",
    ]);
    let v = u.json(&[
        "persona",
        "similar",
        "maya",
        "coffee and caffeine on night shifts",
        "-k",
        "2",
        "--json",
    ]);
    let hits = v.as_array().unwrap_or_else(|| unreachable!("a list"));
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["title"], "Coffee timing on nights");
    assert!(hits[0]["similarity"].as_f64() > hits[1]["similarity"].as_f64());
    let text = u.ok(&["persona", "similar", "maya", "sunglasses on the drive home"]);
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.contains("Sunglasses on the drive home")),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let draft = dir.path().join("d.txt");
    std::fs::write(
        &draft,
        "Stop drinking coffee at 3am. Caffeine stays in you for hours. Save this.",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let card = u.json(&[
        "score",
        &draft.to_string_lossy(),
        "--persona",
        "maya",
        "--json",
    ]);
    let voice = &card["card"]["voice"];
    assert!(
        voice["embedding"].as_f64().is_some_and(|e| e > 0.0),
        "{voice}"
    );
    assert_eq!(voice["closest"][0]["title"], "Coffee timing on nights");

    let (code, err) = u.fails(&["persona", "similar", "ghost", "x"]);
    assert_eq!((code, err.contains("no persona named 'ghost'")), (3, true));
}

/// The product binary keeps user-facing commands only: the load and model benchmarks and hook
/// fitting live in `reelsmith-dev`, and no test model is compiled in.
#[test]
fn developer_tooling_and_test_models_are_not_in_the_product() {
    let u = User::new();
    for args in [
        &["bench", "serve"][..],
        &["bench", "generate"],
        &["bench", "llm"],
        &["eval", "hooks", "--data", "x.csv", "--fit"],
    ] {
        let (code, err) = u.fails(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("unrecognized") || err.contains("unexpected"),
            "{args:?}: {err}"
        );
    }
    let binary = std::fs::read(env!("CARGO_BIN_EXE_reelsmith")).unwrap_or_default();
    assert!(binary.len() > 1_000_000);
    // Text only the test models (ScriptedLlm, WriterLlm) carry.
    for marker in [
        "the script has no more answers",
        "Your body keeps a clock that light sets every single morning",
    ] {
        assert!(
            !binary.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "the product binary contains test-model text: {marker}"
        );
    }
}

#[test]
fn voice_match_is_authorship_attribution_among_the_workspace_personas() {
    let u = User::new();
    learn_maya(&u);
    u.ok(&[
        "persona",
        "learn",
        "--name",
        "theo",
        "--examples",
        &cli_fixture("theo"),
    ]);
    let draft = u.home.path().join("theo-draft.md");
    std::fs::write(
        &draft,
        "Alright, friends: error messages. Here's my take; an error should say what went wrong and how to fix it. \
         Not \"invalid input\"; rather \"the date 31/02 does not exist, use YYYY-MM-DD\". Rewrite one error today \
         and read it as a stranger would. Cheers, and follow for more quiet engineering habits.",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let against = |persona: &str| {
        let v = u.json(&[
            "score",
            &draft.to_string_lossy(),
            "--persona",
            persona,
            "--duration",
            "15",
            "--json",
        ]);
        v["card"]["voice"].clone()
    };
    let (theo, maya) = (against("theo"), against("maya"));
    assert_eq!(theo["competitors"], serde_json::json!(["maya"]));
    assert_eq!(maya["competitors"], serde_json::json!(["theo"]));
    assert!(theo["attribution"]["margin"].as_f64() > Some(0.0), "{theo}");
    assert!(maya["attribution"]["margin"].as_f64() < Some(0.0), "{maya}");
    assert!(
        theo["attribution"]["lm_margin"].as_f64() > Some(0.0),
        "{theo}"
    );
    assert!(
        theo.to_string().contains("word by word, its phrasing is"),
        "{theo}"
    );
    assert!(
        theo["score"].as_f64() > maya["score"].as_f64(),
        "{theo}\n{maya}"
    );
    let shared = theo["attribution"]["shared"].to_string();
    assert!(
        shared.contains("friends") || shared.contains("cheers") || shared.contains("take"),
        "{shared}"
    );
    let text = u.ok(&[
        "score",
        &draft.to_string_lossy(),
        "--persona",
        "maya",
        "--duration",
        "15",
    ]);
    assert!(
        text.contains("authorship attribution against 1 other persona"),
        "{text}"
    );
    assert!(text.contains("theo"), "{text}");
}

#[test]
fn the_brief_is_checked_and_a_failing_draft_is_not_fit_to_post() {
    let u = User::new();
    learn_maya(&u);
    let draft = u.home.path().join("draft.md");
    std::fs::write(
        &draft,
        "Stop drinking coffee at 3am.\nHere's the thing: caffeine stays in your blood for six hours.\n\
         So that cup is still working when you try to sleep at 9.\nTry this tonight: last cup before midnight.\n\
         Grab the free sleep guide in my bio.\nSave this for your next night shift.",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let path = draft.to_string_lossy();
    let card = |extra: &[&str]| {
        let mut args = vec![
            "score",
            &path,
            "--persona",
            "maya",
            "--duration",
            "15",
            "--json",
        ];
        args.extend_from_slice(extra);
        u.json(&args)["card"].clone()
    };
    let on = card(&[
        "--topic",
        "coffee on night shifts",
        "--require",
        "mention the free sleep guide",
    ]);
    assert_eq!(on["unfit"], serde_json::json!([]), "{on}");
    assert_eq!(on["brief"]["topic"]["off_topic"], false, "{on}");
    assert_eq!(
        on["brief"]["by_meaning"], true,
        "the test set-up installs the embedding model"
    );
    assert_eq!(on["brief"]["requirements"][0]["met"], true, "{on}");
    assert!(
        on["brief"]["requirements"][0]["evidence"]
            .as_str()
            .is_some_and(|e| e.contains("guide"))
    );

    let off = card(&[
        "--topic",
        "how to invest in index funds",
        "--require",
        "name three index funds",
    ]);
    let unfit = off["unfit"].to_string();
    assert!(
        unfit.contains("off-topic") && unfit.contains("misses a requirement"),
        "{off}"
    );
    assert_eq!(off["brief"]["answer"]["asks"], "how", "{off}");
    assert!(off["overall"].as_f64() < on["overall"].as_f64());
    assert!(off["overall"].as_f64() <= Some(40.0), "{off}");

    let spanish = card(&["--language", "es"]);
    assert!(
        spanish["unfit"].to_string().contains("wrong language"),
        "{spanish}"
    );

    let text = u.ok(&[
        "score",
        &path,
        "--persona",
        "maya",
        "--topic",
        "how to invest in index funds",
    ]);
    assert!(text.contains("NOT FIT TO POST: off-topic"), "{text}");

    // Without a persona the card still compares meaning (as the API's /score does).
    let bare = u.json(&[
        "score",
        &path,
        "--topic",
        "coffee on night shifts",
        "--json",
    ]);
    assert_eq!(bare["card"]["brief"]["by_meaning"], true, "{bare}");
    assert_eq!(bare["card"]["brief"]["topic"]["off_topic"], false, "{bare}");
}
