//! The binary as a user runs it: real SQLite files in a temporary data folder, the bundled examples and
//! real LibreOffice documents.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> String {
    root()
        .join("crates/reelsmith-ingest/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Runs a prepared command and returns its output.
fn output(mut c: Command) -> Output {
    c.output()
        .unwrap_or_else(|e| unreachable!("run reelsmith: {e}"))
}

/// Runs a prepared command, asserts success and returns stdout.
fn succeed(c: Command) -> String {
    let out = output(c);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A user with an empty home: no config file, no data, no REELSMITH_* variables.
struct User {
    home: tempfile::TempDir,
}

impl User {
    fn new() -> User {
        User {
            home: tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}")),
        }
    }

    fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_reelsmith"));
        c.current_dir(root())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("XDG_DATA_HOME", self.home.path().join(".local/share"))
            .env_remove("REELSMITH_DATA_DIR")
            .env_remove("REELSMITH_DATABASE_URL")
            .stdin(Stdio::null());
        c
    }

    /// Runs with `--data-dir` after the subcommand's arguments.
    fn run(&self, args: &[&str]) -> Output {
        let mut c = self.cmd();
        c.args(args).arg("--data-dir").arg(self.data());
        c.output()
            .unwrap_or_else(|e| unreachable!("run reelsmith: {e}"))
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs expecting failure; returns (exit code, stderr).
    fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "{args:?} should fail: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args))
            .unwrap_or_else(|e| unreachable!("{args:?} gave invalid JSON: {e}"))
    }

    fn versions(&self, name: &str) -> Option<u64> {
        let v = self.json(&["persona", "list", "--json"]);
        v.as_array()?
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["latest_version"].as_u64())
    }
}

/// Learns the bundled English persona with its story; returns what `persona learn` printed.
fn learn_maya(u: &User) -> String {
    u.ok(&[
        "persona",
        "learn",
        "--name",
        "maya",
        "--story",
        "examples/maya/story.md",
        "--examples",
        "examples/maya/scripts",
    ])
}

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
fn eval_hooks_on_a_small_ab_file_and_refit() {
    let u = User::new();
    let data = cli_fixture("ab-tests.csv");
    let v = u.json(&["eval", "hooks", "--data", &data, "--json"]);
    assert_eq!(v["pairs"], 8);
    assert_eq!(v["tests"], 8);
    let acc = v["accuracy"].as_f64().unwrap_or(-1.0);
    assert!(
        (0.5..=1.0).contains(&acc),
        "the shipped model should pick these obvious winners: {acc}"
    );
    assert_eq!(v["baselines"][0][1], 0.5);

    let out = u.home.path().join("model.json");
    let v = u.json(&[
        "eval",
        "hooks",
        "--data",
        &data,
        "--fit",
        "--folds",
        "2",
        "--min-df",
        "1",
        "--out",
        &out.to_string_lossy(),
        "--json",
    ]);
    assert_eq!(v["fold_accuracy"].as_array().map(Vec::len), Some(2));
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(model["weights"].as_array().map(Vec::len), Some(16));
    assert_eq!(model["pairs"], 8);

    let bad = u.home.path().join("bad.csv");
    std::fs::write(&bad, "a,b\n1,2\n").unwrap_or_else(|e| unreachable!("{e}"));
    let (code, err) = u.fails(&["eval", "hooks", "--data", &bad.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(err.contains("not Upworthy-format"), "{err}");
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
