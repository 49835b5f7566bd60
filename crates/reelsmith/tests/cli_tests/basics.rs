//! The binary as a user runs it: real SQLite files in a temporary data folder, the bundled examples and
//! real LibreOffice documents.

use crate::common::*;

#[test]
fn learn_show_version_and_delete_the_bundled_persona() {
    let u = User::new();
    let out = learn_maya(&u);
    assert!(
        out.contains("Learned maya version 1 from 8 example scripts"),
        "{out}"
    );
    for section in [
        "HOOK PATTERNS",
        "CALLS TO ACTION",
        "PACE",
        "VOICE",
        "STRUCTURE",
        "here's the thing",
        "WPM — learned from 6 timed examples",
    ] {
        assert!(out.contains(section), "missing {section:?} in\n{out}");
    }
    assert!(u.data().join("reelsmith.db").is_file());

    let v = u.json(&["persona", "show", "maya", "--json"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["profile"]["display_name"], "Maya Okafor");
    assert_eq!(v["style"]["language"]["code"], "en");
    assert_eq!(v["examples"].as_array().map(Vec::len), Some(8));
    assert!(
        v["profile"]["story"]
            .as_str()
            .is_some_and(|s| s.starts_with("I was an ER nurse")),
        "{}",
        v["profile"]["story"]
    );

    // A new version from one more file; profile fields carry over, version 1 stays readable.
    let out = u.ok(&[
        "persona",
        "learn",
        "--name",
        "maya",
        "--examples",
        "examples/maya/scripts/01-coffee-timing.md",
        "--append",
        "--trait",
        "stubborn",
    ]);
    assert!(out.contains("version 2 from 9 example scripts"), "{out}");
    let v2 = u.json(&["persona", "show", "maya", "--json"]);
    assert_eq!(v2["profile"]["display_name"], "Maya Okafor");
    assert_eq!(
        v2["profile"]["personality_traits"],
        serde_json::json!(["stubborn"])
    );
    let v1 = u.ok(&["persona", "show", "maya", "--version", "1"]);
    assert!(v1.contains("version 1 of 2"), "{v1}");

    let list = u.ok(&["persona", "list"]);
    assert!(
        list.contains("maya") && list.contains("Maya Okafor"),
        "{list}"
    );

    // Without a terminal, delete needs --yes; the persona is kept.
    let (code, err) = u.fails(&["persona", "delete", "maya"]);
    assert_eq!(code, 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(u.versions("maya"), Some(2));
    let out = u.ok(&["persona", "delete", "maya", "--yes"]);
    assert!(out.contains("2 versions, 17 example scripts"), "{out}");
    assert_eq!(u.versions("maya"), None);
    assert!(u.ok(&["persona", "list"]).contains("No personas yet"));
}

#[test]
fn spanish_persona_gets_spanish_figures() {
    let u = User::new();
    let v = u.json(&[
        "persona",
        "learn",
        "--name",
        "lucia",
        "--story",
        "examples/lucia/story.md",
        "--examples",
        "examples/lucia/scripts",
        "--json",
    ]);
    assert_eq!(v["style"]["language"]["code"], "es");
    assert_eq!(
        v["style"]["voice"]["readability"]["scale"],
        "Fernández Huerta"
    );
    assert!(v["style"]["ctas"].as_array().is_some_and(|c| c.len() >= 3));
}

#[test]
fn office_documents_through_the_cli() {
    let u = User::new();
    let out = u.ok(&[
        "persona",
        "learn",
        "--name",
        "nights",
        "--examples",
        &fixture("scripts.docx"),
        &fixture("scripts.pdf"),
        "--durations",
        "20,22,21,20,22,21",
    ]);
    assert!(out.contains("from 6 example scripts"), "{out}");
    assert!(out.contains("learned from 6 timed examples"), "{out}");
    assert!(out.contains("Night Shift Coffee"), "{out}");
}

#[test]
fn bad_input_names_the_file_and_stores_nothing() {
    let u = User::new();
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "Stop scrolling. Follow for more.")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let good = good.to_string_lossy().into_owned();
    let missing = dir.path().join("missing.md").to_string_lossy().into_owned();
    let no_story = dir.path().join("nostory.md").to_string_lossy().into_owned();
    let (protected_pdf, protected_docx, empty_pdf) = (
        fixture("protected.pdf"),
        fixture("protected.docx"),
        fixture("empty.pdf"),
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--examples", &missing], "no such file"),
        (vec!["--examples", &protected_pdf], "password-protected"),
        (vec!["--examples", &protected_docx], "password-protected"),
        (vec!["--examples", &empty_pdf], "holds no text"),
        (
            vec!["--story", &no_story, "--examples", &good],
            "nostory.md",
        ),
        (
            vec!["--examples", &good, "--durations", "30,40"],
            "--durations gives 2 values but 1",
        ),
        (
            vec!["--examples", &good, "--optimal-length", "500"],
            "optimal_length_s",
        ),
        (vec![], "no example scripts yet"),
    ];
    for (extra, expected) in &cases {
        let mut args = vec!["persona", "learn", "--name", "maya"];
        args.extend(extra);
        let (code, err) = u.fails(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(expected),
            "{args:?}: expected {expected:?} in {err}"
        );
        assert_eq!(u.versions("maya"), None, "{args:?} stored something");
    }
    // A bad file next to a good one: the existing version is untouched.
    u.ok(&["persona", "learn", "--name", "maya", "--examples", &good]);
    let (_, err) = u.fails(&[
        "persona",
        "learn",
        "--name",
        "maya",
        "--examples",
        &good,
        &protected_pdf,
    ]);
    assert!(err.contains("protected.pdf"), "{err}");
    assert_eq!(u.versions("maya"), Some(1));
    let (code, err) = u.fails(&["persona", "learn", "--name", "no good", "--examples", &good]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid persona name"), "{err}");
}

#[test]
fn not_found_is_exit_3_with_a_hint() {
    let u = User::new();
    let (code, err) = u.fails(&["persona", "show", "ghost"]);
    assert_eq!(code, 3);
    assert!(err.contains("no persona named 'ghost'"), "{err}");
    u.ok(&[
        "persona",
        "learn",
        "--name",
        "maya",
        "--examples",
        "examples/maya/scripts/02-day-off.md",
    ]);
    let (code, err) = u.fails(&["persona", "show", "maya", "--version", "4"]);
    assert_eq!(code, 3);
    assert!(err.contains("versions 1 to 1"), "{err}");
}

#[test]
fn data_dir_from_flag_before_subcommand_and_from_environment() {
    let u = User::new();
    let learn = [
        "persona",
        "learn",
        "--name",
        "a",
        "--examples",
        "examples/maya/scripts/03-supply-closet.md",
    ];
    let flag_dir = u.home.path().join("flag");
    let mut c = u.cmd();
    c.arg("--data-dir").arg(&flag_dir).args(learn);
    succeed(c);
    assert!(flag_dir.join("reelsmith.db").is_file());

    let env_dir = u.home.path().join("env");
    let mut c = u.cmd();
    c.env("REELSMITH_DATA_DIR", &env_dir).args(learn);
    succeed(c);
    assert!(env_dir.join("reelsmith.db").is_file());

    // Default: the XDG data folder.
    let mut c = u.cmd();
    c.args(["config", "show"]);
    let shown = succeed(c);
    assert!(
        shown.contains(".local/share/reelsmith/reelsmith.db"),
        "{shown}"
    );
}

#[test]
fn config_file_and_errors() {
    let u = User::new();
    let example = u.ok(&["config", "default"]);
    assert!(example.contains("# database_url"), "{example}");
    let cfg_dir = u.home.path().join(".config/reelsmith");
    std::fs::create_dir_all(&cfg_dir).unwrap_or_else(|e| unreachable!("{e}"));
    let custom = u.home.path().join("custom-data");
    std::fs::write(
        cfg_dir.join("config.toml"),
        format!("data_dir = {:?}\n", custom.display().to_string()),
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let mut c = u.cmd();
    c.args(["config", "show"]);
    assert!(succeed(c).contains("custom-data"));

    let (code, err) = u.fails(&["config", "show", "--config", "/nonexistent/reelsmith.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");

    std::fs::write(cfg_dir.join("config.toml"), "databse_url = \"x\"\n")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let (code, err) = u.fails(&["persona", "list"]);
    assert_eq!(code, 2);
    assert!(err.contains("databse_url"), "{err}");

    std::fs::write(
        cfg_dir.join("config.toml"),
        "database_url = \"mysql://root:pw@localhost/x\"\n",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let (code, err) = u.fails(&["persona", "list"]);
    assert_eq!(code, 2);
    assert!(err.contains("root:***") && !err.contains("pw@"), "{err}");
}

/// A `REELSMITH_*` variable that is not a setting (a custom provider's key, a typo) never makes a
/// command fail: a provider's key variable is used quietly, anything else gets a warning naming it.
#[test]
fn provider_key_variables_work_and_unknown_variables_only_warn() {
    let u = User::new();
    let cfg = u.home.path().join("fake.toml");
    std::fs::write(
        &cfg,
        "[llm]\nprovider = \"fake\"\nmodel = \"m\"\n[llm.providers.fake]\nbase_url = \"http://127.0.0.1:9/v1\"\napi_key_env = \"REELSMITH_FAKE_API_KEY\"\n",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let mut c = u.cmd();
    c.args(["config", "show", "--config"])
        .arg(&cfg)
        .env("REELSMITH_FAKE_API_KEY", "sk-test-secret")
        .env("REELSMITH_NOT_A_SETTING", "1");
    let out = output(c);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: REELSMITH_NOT_A_SETTING is not a reelsmith setting"),
        "{stderr}"
    );
    assert!(!stderr.contains("REELSMITH_FAKE_API_KEY"), "{stderr}");
    assert!(!stdout.contains("sk-test-secret") && !stderr.contains("sk-test-secret"));
    // Real settings still come from the environment.
    let mut c = u.cmd();
    c.args(["config", "show"])
        .env("REELSMITH_DATA_DIR", u.home.path().join("from-env"));
    assert!(succeed(c).contains("from-env"));
}

/// An error wrapped on its way up is printed once ("…use 15 to 90 seconds" appeared twice).
#[test]
fn errors_are_printed_once() {
    let u = User::new();
    let (code, err) = u.fails(&[
        "generate",
        "--persona",
        "maya",
        "--topic",
        "x",
        "--duration",
        "0",
    ]);
    assert_eq!(code, 2);
    assert_eq!(err.matches("out of range").count(), 1, "{err}");
}

/// `serve --log-format json` logs every request as one JSON line with method, route (the matched
/// pattern), status, latency and the request id, which the response echoes.
#[test]
fn the_server_logs_each_request_as_json() {
    use std::io::{Read, Write};
    let u = User::new();
    let served = Served::start(&u, &["--log-format", "json"]);
    let addr = served.base.trim_start_matches("http://").to_string();
    let ask = |path: &str, id: &str| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap_or_else(|e| unreachable!("{e}"));
        let _ = write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nx-request-id: {id}\r\nConnection: close\r\n\r\n"
        );
        let mut resp = String::new();
        let _ = s.read_to_string(&mut resp);
        resp
    };
    let resp = ask("/api/v1/health", "test-123");
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(
        resp.to_ascii_lowercase().contains("x-request-id: test-123"),
        "{resp}"
    );
    let resp = ask("/api/v1/scripts/999", "test-404");
    assert!(resp.starts_with("HTTP/1.1 404"), "{resp}");
    let stderr = served.stop();
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["fields"]["message"] == "request")
        .collect();
    let find = |id: &str| {
        events
            .iter()
            .find(|e| e["fields"]["request_id"] == id)
            .cloned()
            .unwrap_or_else(|| unreachable!("no log line for {id} in\n{stderr}"))
    };
    let ok = find("test-123");
    assert_eq!(ok["fields"]["method"], "GET");
    assert_eq!(ok["fields"]["route"], "/api/v1/health");
    assert_eq!(ok["fields"]["status"], 200);
    assert!(ok["fields"]["latency_ms"].as_f64().is_some(), "{ok}");
    let missing = find("test-404");
    assert_eq!(missing["fields"]["route"], "/api/v1/scripts/{id}");
    assert_eq!(missing["fields"]["status"], 404);
}

/// Names in any script are names ("lucía", "Zoë"); a language code no language has, an unknown
/// urgency and a platform whose format is not written yet are refused before any model runs, each
/// named with the fix, all at once.
#[test]
fn unicode_names_work_and_bad_request_fields_are_refused_together() {
    let u = User::new();
    for name in ["lucía", "Zoë"] {
        u.ok(&[
            "persona",
            "learn",
            "--name",
            name,
            "--examples",
            "examples/lucia/scripts",
        ]);
        let shown = u.json(&["persona", "show", name, "--json"]);
        assert_eq!(shown["name"], name);
    }
    let (code, err) = u.fails(&[
        "generate",
        "--persona",
        "lucía",
        "--topic",
        "ahorro",
        "--language",
        "xx",
        "--urgency",
        "asap",
        "--platform",
        "myspace",
    ]);
    assert_eq!(code, 2, "{err}");
    for needle in [
        "language: 'xx' is not a language code",
        "platform: 'myspace' is not one of reels, tiktok, shorts, facebook, x, linkedin",
        "urgency: 'asap' is not one of normal, trending, urgent",
    ] {
        assert!(err.contains(needle), "{needle} missing from: {err}");
    }
    let history = u.json(&["history", "--json"]);
    assert_eq!(history["total"], 0, "nothing is stored");
}

/// `reelsmith … | head`: when the reader of stdout has gone, the command stops quietly with 141
/// (128 + SIGPIPE), never with a "hit a bug" message.
#[test]
fn a_closed_output_pipe_is_not_a_bug() {
    let u = User::new();
    let (reader, writer) = std::io::pipe().unwrap_or_else(|e| unreachable!("{e}"));
    drop(reader);
    let mut c = u.cmd();
    c.args(["config", "default"]).stdout(writer);
    let out = c.output().unwrap_or_else(|e| unreachable!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{err}");
    assert!(!err.contains("bug"), "{err}");
}
