//! Queued SQLite writers never starve readers: while another process holds the write lock and a
//! dozen writes wait for it, a read still answers at once, and every queued write lands once the
//! lock is released.

use std::time::Duration;

use reelsmith_core::llm::{CallOutcome, LlmCallRecord, Step};
use reelsmith_core::store::{LedgerStore, Workspace};
use reelsmith_store::Store;
use sqlx::Connection;

fn call(i: u32) -> LlmCallRecord {
    LlmCallRecord {
        workspace: Workspace::LOCAL,
        generation_id: None,
        persona_version_id: None,
        step: Step::Generation,
        provider: "local".into(),
        model: "m".into(),
        prompt_tokens: 10,
        completion_tokens: 5,
        cost_usd: 0.5,
        latency_ms: 1,
        retries: i,
        outcome: CallOutcome::Ok,
        error: None,
        fallback_from: None,
        created_at: chrono::Utc::now(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_answer_while_writers_queue_for_the_lock() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let path = dir.path().join("reelsmith.db");
    let store = Store::open_sqlite(&path)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let since = chrono::Utc::now() - chrono::Duration::days(1);

    // Another process (a CLI run beside the server) takes the write lock and keeps it.
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));

    let writers: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.record_llm_call(&call(i)).await })
        })
        .collect();
    // Let every writer reach the database and wait there for the lock.
    tokio::time::sleep(Duration::from_millis(500)).await;

    // With writers holding the shared connections while they wait, this read timed out.
    let spent = tokio::time::timeout(
        Duration::from_secs(5),
        store.llm_spend_since(Workspace::LOCAL, since),
    )
    .await
    .unwrap_or_else(|_| unreachable!("a read waited behind queued writers"))
    .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(spent.abs() < 1e-9, "nothing is written yet: {spent}");

    sqlx::query("COMMIT")
        .execute(&mut other)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    for w in writers {
        w.await
            .unwrap_or_else(|e| unreachable!("{e}"))
            .unwrap_or_else(|e| unreachable!("a queued write failed: {e}"));
    }
    let spent = store
        .llm_spend_since(Workspace::LOCAL, since)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!((spent - 6.0).abs() < 1e-9, "12 calls of 0.5 USD: {spent}");
    store.close().await;
}
