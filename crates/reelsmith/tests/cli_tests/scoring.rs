//! Scoring, evaluation and retrieval through the CLI.

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

fn cli_fixture(name: &str) -> String {
    root()
        .join("crates/reelsmith/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
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
fn eval_hooks_on_a_small_ab_file() {
    let u = User::new();
    let data = cli_fixture("ab-tests.csv");
    // Eight tests in eight weeks: fitted on the first six, tested on the last two.
    let v = u.json(&["eval", "hooks", "--data", &data, "--json"]);
    assert_eq!(v["train_pairs"], 6);
    assert_eq!(v["test_pairs"], 2);
    assert_eq!(v["test_weeks"], serde_json::json!([201407, 201408]));
    for key in [
        "reelsmith",
        "tfidf_baseline",
        "shipped",
        "shipped_without_embeddings",
    ] {
        let acc = v[key].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&acc), "{key}: {v}");
    }
    assert!(
        v["shipped"].as_f64() >= Some(0.5),
        "the shipped model should pick these obvious winners: {v}"
    );
    let v = u.json(&["eval", "hooks", "--train", &data, "--data", &data, "--json"]);
    assert_eq!(v["train_pairs"], 8);
    assert_eq!(v["test_pairs"], 8);
    assert!(v["split"].as_str().is_some_and(|s| s.contains("--train")));

    let bad = u.home.path().join("bad.csv");
    std::fs::write(&bad, "a,b\n1,2\n").unwrap_or_else(|e| unreachable!("{e}"));
    let (code, err) = u.fails(&["eval", "hooks", "--data", &bad.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(err.contains("not Upworthy-format"), "{err}");
}

#[test]
fn eval_topic_tells_a_texts_own_title_from_anothers() {
    let u = User::new();
    let data = cli_fixture("ledes.csv");
    let v = u.json(&["eval", "topic", "--data", &data, "--all-weeks", "--json"]);
    assert_eq!(v["texts"], 8, "{v}");
    let rows = v["rows"].as_array().unwrap_or_else(|| unreachable!());
    assert_eq!(rows.len(), 2, "the card and the words-only baseline: {v}");
    assert!(
        rows[0]["ranking"].as_f64() >= Some(0.85),
        "eight unrelated topics: {v}"
    );
    assert!(
        rows[0]["own_off_topic"].as_f64() <= Some(0.125),
        "descriptive titles are not off-topic: {v}"
    );
    // The verdict is conservative (4 to 1 odds against, fitted on headlines): on Upworthy's
    // held-out weeks it calls 62 % of other articles' titles off-topic; the relevance ranks the rest.
    assert!(
        rows[0]["other_off_topic"].as_f64() >= Some(0.375),
        "most unrelated titles are off-topic: {v}"
    );
    assert!(
        rows[0]["other_median"].as_f64() < Some(0.26) && rows[0]["own_median"].as_f64() > Some(0.5),
        "unrelated titles sit below the relevance midpoint, own titles well above: {v}"
    );
    assert!(rows[1]["own_off_topic"].is_null(), "{v}");
    // By default only the latest 20 % of weeks (the fit's held-out part) are scored.
    let text = u.ok(&["eval", "topic", "--data", &data]);
    assert!(
        text.contains("2 real texts") && text.contains("weeks from 201405"),
        "{text}"
    );
    assert!(text.contains("shared content words"), "{text}");
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

/// Copies `from`'s script files into `to` as .txt, front matter stripped.
fn texts_into(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| unreachable!("{e}"));
    let mut files: Vec<_> = std::fs::read_dir(from)
        .unwrap_or_else(|e| unreachable!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| unreachable!("{e}"));
        let body = text.rsplit("+++").next().unwrap_or(&text);
        let name = f.with_extension("txt");
        let name = name.file_name().unwrap_or_else(|| unreachable!());
        std::fs::write(to.join(name), body).unwrap_or_else(|e| unreachable!("{e}"));
    }
}

/// `eval voice --data DATA` followed by `extra`.
fn voice<'a>(data: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["eval", "voice", "--data", data];
    args.extend_from_slice(extra);
    args
}

#[test]
fn eval_voice_attributes_snippets_next_to_the_baseline() {
    let u = User::new();
    let data = u.home.path().join("voices");
    texts_into(&root().join("examples/maya/scripts"), &data.join("maya"));
    texts_into(&root().join("examples/lucia/scripts"), &data.join("lucia"));
    texts_into(
        &std::path::PathBuf::from(cli_fixture("theo")),
        &data.join("theo"),
    );
    let data_arg = data.to_string_lossy().into_owned();
    let v = u.json(&voice(&data_arg, &["--words", "60", "--json"]));
    assert_eq!(v["texts"], 20);
    let conditions = v["conditions"].as_array().unwrap_or_else(|| unreachable!());
    assert_eq!(conditions.len(), 2, "snippets and whole texts");
    for c in conditions {
        assert_eq!(c["snippets"], 20);
        let ours = c["reelsmith"].as_f64().unwrap_or(-1.0);
        assert!(ours >= 0.9, "three distinct voices: {c}");
        assert!(
            c["baseline"]
                .as_f64()
                .is_some_and(|b| (0.0..=1.0).contains(&b))
        );
    }
    let text = u.ok(&voice(
        &data_arg,
        &["--authors", "maya,theo", "--snippets-only"],
    ));
    assert!(text.contains("TF-IDF char 3–5 centroid"), "{text}");
    assert!(text.contains("2 authors, 14 texts"), "{text}");

    // The learning curve: the fewest texts an author has is 6, so only 3 examples a voice fits
    // under the 5 other texts; its profiles hold 3 × 60 words, fewer than the standard measure's.
    let v = u.json(&voice(
        &data_arg,
        &["--words", "60", "--curve", "--snippets-only", "--json"],
    ));
    let curve = v["conditions"].as_array().unwrap_or_else(|| unreachable!());
    assert_eq!(
        curve.len(),
        2,
        "3 examples a voice, then every snippet: {v}"
    );
    assert_eq!(curve[0]["profile_words"], 180, "{v}");
    assert!(curve[1]["profile_words"].as_u64() > Some(180), "{v}");
    assert!(
        curve[0]["profiles"]
            .as_str()
            .is_some_and(|p| p.contains("3 example scripts"))
    );
    let text = u.ok(&voice(&data_arg, &["--curve", "--snippets-only"]));
    assert!(
        text.contains("learning curve: top-1 by words of examples a voice"),
        "{text}"
    );

    let (code, err) = u.fails(&[
        "eval",
        "voice",
        "--data",
        &data.join("maya").to_string_lossy(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("fewer than two authors"), "{err}");
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

/// `eval coherence --turns` takes each excerpt from within one speaker turn of a transcript, and
/// the JSON report lists the pairs the score got wrong.
#[test]
fn eval_coherence_excerpts_one_turn_of_a_transcript_and_lists_its_misses() {
    let u = User::new();
    let data = u.home.path().join("transcripts");
    texts_into(&root().join("examples/maya/scripts"), &data);
    for f in std::fs::read_dir(&data).unwrap_or_else(|e| unreachable!("{e}")) {
        let f = f.unwrap_or_else(|e| unreachable!("{e}")).path();
        let body = std::fs::read_to_string(&f).unwrap_or_else(|e| unreachable!("{e}"));
        let turn = body.split_whitespace().collect::<Vec<_>>().join(" ");
        std::fs::write(
            &f,
            format!("Hi, thanks for having me.\n{turn}\nOkay, next question.\n"),
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
    }
    let run = |turns: bool| {
        let d = data.to_string_lossy();
        let mut args = vec![
            "eval",
            "coherence",
            "--no-embeddings",
            "--data",
            &*d,
            "--json",
        ];
        if turns {
            args.push("--turns");
        }
        u.json(&args)
    };
    let v = run(true);
    assert_eq!(v["scripts"], 8);
    let texts = v["texts"].as_array().unwrap_or_else(|| unreachable!("{v}"));
    assert_eq!(texts.len(), 8);
    for t in texts {
        let t = t.as_str().unwrap_or_default();
        assert!(
            !t.contains("having me") && !t.contains("next question"),
            "{t}"
        );
    }
    for r in v["rows"].as_array().unwrap_or_else(|| unreachable!()) {
        let pairs = r["pairs"].as_f64().unwrap_or(0.0);
        let missed = r["misses"].as_array().map_or(usize::MAX, Vec::len);
        let right = (r["coherence"].as_f64().unwrap_or(-1.0) * pairs).round();
        assert_eq!(missed as f64, pairs - right, "{r}");
    }
    let across = run(false);
    assert!(
        across["texts"][0].to_string().contains("having me"),
        "{across}"
    );
}

/// `eval coherence --lm` reads a sample with the real local model and reports the same run without
/// it; `score --lm` puts the model's reading on the card.
#[test]
fn the_local_model_reads_coherence_next_to_the_run_without_it() {
    let u = User::new();
    let local = |args: &[&str]| -> serde_json::Value {
        let out = u.local(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| unreachable!("{args:?}: {e}"))
    };
    let scripts = root().join("examples/maya/scripts");
    let v = local(&[
        "eval",
        "coherence",
        "--lm",
        "--sample",
        "2",
        "--data",
        &scripts.to_string_lossy(),
        "--json",
    ]);
    assert_eq!(v["scripts"], 2);
    assert!(
        v["language_model"]
            .as_str()
            .is_some_and(|m| m.contains("gemma-3-270m")),
        "{v}"
    );
    let rows = v["rows"].as_array().unwrap_or_else(|| unreachable!());
    assert_eq!(rows.len(), 5);
    for r in rows {
        for key in ["coherence", "without_lm"] {
            assert!(
                r[key].as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)),
                "{key}: {r}"
            );
        }
    }

    let draft = u.home.path().join("shuffled.md");
    std::fs::write(
        &draft,
        "That is why you lie awake at midnight. Coffee after 2 pm wrecks your sleep. \
         So a cup at 4 pm is still half there at 10 pm. Caffeine has a half-life of about six hours. \
         Switch to decaf after lunch and watch what happens.",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let card = local(&["score", &draft.to_string_lossy(), "--lm", "--json"]);
    let plain = u.json(&["score", &draft.to_string_lossy(), "--json"]);
    let coherence = |c: &serde_json::Value| c["card"]["coherence"]["dimension"]["score"].as_f64();
    assert!(coherence(&card).is_some() && coherence(&plain).is_some());
    assert_ne!(
        coherence(&card),
        coherence(&plain),
        "the model's reading changes the order check: {card}"
    );
}
