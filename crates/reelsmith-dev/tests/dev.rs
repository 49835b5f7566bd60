//! The developer tooling run as a developer would: the benchmarks against their own fake LLM server
//! and the hook-model fitting procedure, in an empty home.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A developer with an empty home: no config file, no data, no REELSMITH_* variables.
struct User {
    home: tempfile::TempDir,
}

impl User {
    fn new() -> User {
        User {
            home: tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}")),
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_reelsmith-dev"));
        c.current_dir(root())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("XDG_DATA_HOME", self.home.path().join(".local/share"))
            .env_remove("REELSMITH_DATA_DIR")
            .env_remove("REELSMITH_DATABASE_URL")
            .stdin(Stdio::null());
        c
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut c = self.cmd();
        c.args(args);
        serde_json::from_str(&succeed(c)).unwrap_or_default()
    }
}

/// Runs a prepared command, asserts success and returns stdout.
fn succeed(mut c: Command) -> String {
    let out = c
        .output()
        .unwrap_or_else(|e| unreachable!("run reelsmith-dev: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `bench serve` and `bench generate` run end to end against their own fake LLM server: every
/// generation is stored (0 errors) and the tables name what they measured. (Speed is not asserted.)
#[test]
fn serve_and_generate_benchmarks_run_against_their_fake_llm() {
    let user = User::new();
    let mut serve = user.cmd();
    serve.args([
        "bench",
        "serve",
        "--latency-ms",
        "20",
        "--seconds",
        "0.5",
        "--rounds",
        "1",
        "--concurrency",
        "8",
        "--no-embed",
    ]);
    let table = succeed(serve);
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| unreachable!("no {name} row in\n{table}"))
            .split('|')
            .map(str::trim)
            .collect::<Vec<_>>()
    };
    for name in ["| POST /scripts/generate", "| GET /scripts/{id}"] {
        let cells = row(name);
        assert!(cells[2].parse::<u64>().unwrap_or(0) > 0, "{table}");
        assert_eq!(cells[3], "0", "errors in\n{table}");
    }
    assert!(
        table.contains("LLM requests per generation: 1.00"),
        "{table}"
    );
    let mut generate = user.cmd();
    generate.args([
        "bench",
        "generate",
        "--latency-ms",
        "20",
        "--rounds",
        "1",
        "--no-local",
    ]);
    let table = succeed(generate);
    assert!(table.contains("| ratio (goal ≤ 1.05) |"), "{table}");
}

/// The fitting procedure cross-validates by week, writes a model of the shipped shape, and the
/// product binary does not offer it.
#[test]
fn fit_hooks_cross_validates_and_writes_the_model() {
    let u = User::new();
    let data = root()
        .join("crates/reelsmith/tests/fixtures/ab-tests.csv")
        .to_string_lossy()
        .into_owned();
    let out = u.home.path().join("model.json");
    let v = u.json(&[
        "fit-hooks",
        "--data",
        &data,
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
}
