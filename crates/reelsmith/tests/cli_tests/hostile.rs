//! The hostile documents of issue 12 through the CLI and through the server: each ends in a clear
//! error naming the file, nothing is stored, no backtrace reaches the user, and the server keeps
//! answering `/health` within a second while it reads them.

use std::time::{Duration, Instant};

use reelsmith_testkit::hostile::{HostileCase, hostile_cases};

use crate::common::{Served, User};

/// Text that must never reach a user: the runtime's abort and panic messages.
const INTERNALS: &[&str] = &["panicked", "backtrace", "overflowed its stack", "RUST_"];

fn assert_told(case: &HostileCase, message: &str) {
    assert!(
        case.expect.iter().any(|e| message.contains(e)),
        "{}: expected one of {:?}, got: {message}",
        case.name,
        case.expect
    );
    for bad in INTERNALS {
        assert!(!message.contains(bad), "{}: {message}", case.name);
    }
}

#[test]
fn hostile_documents_fail_cleanly_in_the_cli() {
    let u = User::new();
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    for case in hostile_cases() {
        let path = dir.path().join(case.name);
        std::fs::write(&path, &case.bytes).unwrap_or_else(|e| unreachable!("{e}"));
        let path = path.to_string_lossy().into_owned();
        let started = Instant::now();
        let (code, err) = u.fails(&["persona", "learn", "--name", "x", "--examples", &path]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(case.name), "{err}");
        assert_told(&case, &err);
        assert_eq!(
            err.trim().lines().count(),
            1,
            "one message, nothing else: {err}"
        );
        assert!(started.elapsed() < Duration::from_secs(30), "{}", case.name);
        let (_, err) = u.fails(&["score", &path]);
        assert_told(&case, &err);
    }
    let personas = u.json(&["persona", "list", "--json"]);
    assert_eq!(personas.as_array().map(Vec::len), Some(0), "{personas}");
}

#[test]
fn hostile_uploads_leave_the_server_serving() {
    let u = User::new();
    let served = Served::start(&u, &[]);
    let base = served.base.clone();
    let uploads: Vec<_> = hostile_cases()
        .into_iter()
        .map(|case| {
            let url = format!("{base}/api/v1/personas/upload");
            std::thread::spawn(move || {
                let form = reqwest::blocking::multipart::Form::new()
                    .text("name", "x")
                    .part(
                        "examples",
                        reqwest::blocking::multipart::Part::bytes(case.bytes.clone())
                            .file_name(case.name),
                    );
                let resp = reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(60))
                    .build()
                    .and_then(|c| c.post(url).multipart(form).send());
                (case, resp)
            })
        })
        .collect();
    // While the server reads them, /health answers within a second every time.
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_else(|e| unreachable!("{e}"));
    let mut slowest = Duration::ZERO;
    while uploads.iter().any(|t| !t.is_finished()) {
        let asked = Instant::now();
        let health = client.get(format!("{base}/api/v1/health")).send();
        assert!(
            health.as_ref().is_ok_and(|r| r.status().is_success()),
            "{health:?}"
        );
        slowest = slowest.max(asked.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(slowest < Duration::from_secs(1), "/health took {slowest:?}");
    for upload in uploads {
        let (case, resp) = upload.join().unwrap_or_else(|_| unreachable!());
        let resp = resp.unwrap_or_else(|e| unreachable!("{}: {e}", case.name));
        assert_eq!(resp.status().as_u16(), 422, "{}", case.name);
        let body: serde_json::Value = resp.json().unwrap_or_else(|e| unreachable!("{e}"));
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(case.name), "{body}");
        assert_told(&case, message);
    }
    let personas: serde_json::Value = client
        .get(format!("{base}/api/v1/personas"))
        .send()
        .and_then(|r| r.json())
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(personas.as_array().map(Vec::len), Some(0), "{personas}");
    let log = served.stop();
    for bad in INTERNALS {
        assert!(!log.contains(bad), "server log: {log}");
    }
}
