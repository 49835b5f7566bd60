//! Every platform's format from the command line: an X thread and a LinkedIn post written, exported
//! and repurposed against a fake OpenAI-compatible server and with the real local model; every hard
//! limit checked on what was stored.

use reelsmith_core::formats::count;
use reelsmith_core::platform::Platform;

use crate::common::{User, fake_model_user, learn_maya, runner};

/// The stored thread's posts and LinkedIn post of generation JSON `g`, each checked against its
/// platform's hard limit.
fn within_limits(g: &serde_json::Value) {
    match g["script"]["format"].as_str() {
        Some("thread") => {
            let posts = g["script"]["posts"].as_array().cloned().unwrap_or_default();
            assert!(!posts.is_empty(), "{g}");
            for p in posts {
                let p = p.as_str().unwrap_or_default();
                assert!(
                    count(Platform::X, p) <= 280,
                    "{} weighted: {p}",
                    count(Platform::X, p)
                );
            }
        }
        Some("post") => {
            let text = g["script"]["text"].as_str().unwrap_or_default();
            assert!(
                !text.is_empty() && count(Platform::Linkedin, text) <= 3_000,
                "{g}"
            );
        }
        other => unreachable!("a text format, not {other:?}: {g}"),
    }
}

#[test]
fn threads_and_posts_are_written_exported_and_repurposed() {
    let (_rt, _model, u, config) = fake_model_user();
    let run = runner(&u, &config);
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&run(args)).unwrap_or_default()
    };
    let thread = json(&[
        "generate",
        "--persona",
        "maya",
        "--topic",
        "caffeine on nights",
        "--platform",
        "x",
        "--attempts",
        "1",
        "--json",
    ]);
    within_limits(&thread);
    let id = thread["id"].to_string();
    let txt = u.ok(&["export", &id, "--format", "txt"]);
    assert!(txt.contains(" 1/"), "{txt}");
    let (code, err) = u.fails(&["export", &id, "--format", "srt"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("thread of posts for x with no spoken timing"),
        "{err}"
    );

    let post = json(&[
        "generate",
        "--persona",
        "maya",
        "--topic",
        "caffeine on nights",
        "--platform",
        "linkedin",
        "--attempts",
        "1",
        "--json",
    ]);
    within_limits(&post);
    assert!(
        post["card"]["format"]["reasons"]
            .to_string()
            .contains("before the fold")
    );

    // The thread repurposed for LinkedIn and Shorts.
    let out = u.run(&[
        "repurpose",
        &id,
        "--to",
        "linkedin,shorts",
        "--config",
        &config,
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("text post for linkedin, repurposed from {id}"))
            && err.contains(&format!(
                "timed video script for shorts, repurposed from {id}"
            )),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("## LinkedIn post ("), "{stdout}");
    let (code, err) = u.fails(&["repurpose", &id, "--to", "x", "--config", &config]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already for x"), "{err}");

    // Any text scored as a LinkedIn post.
    let draft = u.home.path().join("draft.txt");
    std::fs::write(&draft, post["script"]["text"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| unreachable!("{e}"));
    let scored = u.json(&[
        "score",
        &draft.display().to_string(),
        "--platform",
        "linkedin",
        "--json",
    ]);
    assert_eq!(scored["card"]["format"]["name"], "format", "{scored}");
    assert_eq!(scored["card"]["unfit"], serde_json::json!([]), "{scored}");
}

#[test]
fn the_local_model_writes_a_thread_and_a_linkedin_post() {
    let u = User::new();
    learn_maya(&u);
    for platform in ["x", "linkedin"] {
        let out = u.local(&[
            "generate",
            "--persona",
            "maya",
            "--topic",
            "caffeine on night shifts",
            "--platform",
            platform,
            "--attempts",
            "1",
            "--json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        within_limits(&g);
        assert!(g["card"]["format"].is_object(), "{g}");
    }
}
