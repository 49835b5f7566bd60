//! An independent API fuzzer against the served OpenAPI document: schemathesis (from PyPI,
//! installed by scripts/install-deps.sh) generates valid and invalid requests for every operation of
//! `reelsmith serve` for a bounded time; no answer may be a server error or break the documented
//! response schema.

use crate::common::{Served, fake_model_user};

/// The fuzzer's time budget, seconds.
const BUDGET_S: u64 = 60;

#[test]
fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    let (_rt, _model, u, config) = fake_model_user();
    let served = Served::start(&u, &["--config", &config, "--log-format", "json"]);
    let report = u.home.path().join("schemathesis");
    let out = std::process::Command::new("schemathesis")
        .args(["run", &format!("{}/api/openapi.json", served.base)])
        .args([
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance",
            "--max-time",
            &BUDGET_S.to_string(),
            // One worker: with two, hypothesis parses lambdas' source in two threads at once and
            // CPython 3.11's AST constructor can fail ("recursion depth mismatch"), a fuzzer crash
            // that is not a server error.
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--generation-deterministic",
            "--report",
            "junit",
            "--report-dir",
        ])
        .arg(&report)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| {
            unreachable!("schemathesis is not installed (scripts/install-deps.sh installs it): {e}")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let log = served.stop();
    let slow: Vec<&str> = log
        .lines()
        .filter(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .is_ok_and(|v| v["fields"]["latency_ms"].as_f64().unwrap_or(0.0) > 5_000.0)
        })
        .collect();
    assert!(
        out.status.success(),
        "{text}\nslow requests:\n{}",
        slow.join("\n")
    );
    assert!(text.contains("passed"), "{text}");
    // The count of generated requests, for the record.
    if let Some(line) = text.lines().find(|l| l.contains(" generated, ")) {
        eprintln!("schemathesis: {}", line.trim());
    }
    assert!(!log.contains("panicked"), "{log}");
}
