//! Workspaces in the store story: isolation of personas, trends, generations and the ledger.

use reelsmith_core::Error;
use reelsmith_core::llm::{CallOutcome, LlmCallRecord, Step};
use reelsmith_core::store::{
    GenerationStore, LedgerStore, PersonaStore, TrendStore, WorkspaceStore,
};
use reelsmith_store::Store;

use super::{WS, new_version, ok, sample_generation};

/// Workspaces: the same names in two workspaces are two personas; nothing of one is seen, changed
/// or deleted from the other; the ledger and budgets are per workspace.
pub async fn workspaces(store: &Store) {
    use reelsmith_core::generation::Approval;
    let agency = ok(store.workspace("agency").await);
    assert_ne!(agency, WS);
    assert_eq!(ok(store.workspace(" agency ").await), agency);
    assert!(matches!(
        store.workspace("  ").await,
        Err(Error::InvalidInput(_))
    ));
    ok(store
        .save_persona_version(WS, &new_version("shared", &["Local one. Follow."], None))
        .await);
    let theirs = ok(store
        .save_persona_version(
            agency,
            &new_version("shared", &["Agency one. Save this."], None),
        )
        .await);
    assert_eq!(theirs.version, 1, "a name is per workspace");
    let read = ok(store.persona(agency, "shared", None).await);
    assert_eq!(read.examples[0].example.text, "Agency one. Save this.");
    let names: Vec<String> = ok(store.personas(agency).await)
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["shared"]);
    // Trends: the same phrase in both, each listed only in its own.
    ok(store
        .add_trend(agency, "agency trend", Some("theirs"))
        .await);
    ok(store.add_trend(WS, "agency trend", None).await);
    assert_eq!(ok(store.trends(agency).await).len(), 1);
    assert_eq!(ok(store.trends(WS).await)[0].note, None);
    // A generation of theirs is not found from the local workspace, whatever is asked.
    let g = ok(store
        .save_generation(agency, &sample_generation("shared", 1, vec![]))
        .await);
    let not_found = |r: Result<_, Error>| matches!(r, Err(Error::NotFound { .. }));
    assert!(not_found(store.generation(WS, g.id).await.map(|_| ())));
    assert!(not_found(
        store
            .set_approval(WS, g.id, Approval::Approved, None, None)
            .await
            .map(|_| ())
    ));
    assert!(not_found(store.delete_generation(WS, g.id, true).await));
    assert_eq!(ok(store.generation(agency, g.id).await).id, g.id);
    let (rows, _) = ok(store.generations(WS, &Default::default()).await);
    assert!(rows.iter().all(|r| r.id != g.id));
    // Ledger rows and spend are per workspace.
    let now = chrono::Utc::now();
    let before = ok(store
        .llm_spend_since(WS, now - chrono::Duration::days(1))
        .await);
    ok(store
        .record_llm_call(&LlmCallRecord {
            workspace: agency,
            generation_id: None,
            persona_version_id: None,
            step: Step::Generation,
            provider: "openai".into(),
            model: "m".into(),
            prompt_tokens: 10,
            completion_tokens: 10,
            cost_usd: 0.5,
            latency_ms: 1,
            retries: 0,
            outcome: CallOutcome::Ok,
            error: None,
            fallback_from: None,
            created_at: now,
        })
        .await);
    let after = ok(store
        .llm_spend_since(WS, now - chrono::Duration::days(1))
        .await);
    assert!((after - before).abs() < 1e-9);
    let theirs = ok(store
        .llm_spend_since(agency, now - chrono::Duration::days(1))
        .await);
    assert!((theirs - 0.5).abs() < 1e-9, "{theirs}");
    // Deleting the local persona leaves theirs.
    ok(store.delete_persona(WS, "shared").await);
    assert!(store.persona(agency, "shared", None).await.is_ok());
    // Names in any script, one persona however the accent was typed (NFC).
    ok(store
        .save_persona_version(WS, &new_version("luci\u{301}a", &["Hola. Sígueme."], None))
        .await);
    assert_eq!(ok(store.persona(WS, "lucía", None).await).name, "lucía");
}
