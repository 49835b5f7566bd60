//! Persona analysis through the router: JSON from an instruct model, the repair re-prompt, an
//! unusable answer twice, and the real local base model (whatever it fills must be grounded).

use std::sync::Arc;

use reelsmith_app::analysis::analyze_persona;
use reelsmith_core::llm::CallContext;
use reelsmith_core::llm::{LlmErrorKind, Prompt, PromptStyle, Role};
use reelsmith_core::persona::CreatorProfile;
use reelsmith_core::persona_analysis::ALL_FIELDS;
use reelsmith_llm::LlmRouter;
use reelsmith_llm::config::LlmConfig;
use reelsmith_store::Store;
use reelsmith_testkit::ScriptedLlm;

fn profile() -> CreatorProfile {
    CreatorProfile {
        story: Some(
            "I was an ER nurse on night shifts for nine years. Now I coach shift workers on sleep, \
             energy and caffeine timing, one fix per video."
                .into(),
        ),
        ..CreatorProfile::default()
    }
}

async fn store() -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let s = Store::open_sqlite(&dir.path().join("t.db"))
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    (dir, Arc::new(s))
}

#[tokio::test]
async fn a_bad_answer_gets_one_repair_prompt_naming_the_problem() {
    let model = Arc::new(
        ScriptedLlm::new(PromptStyle::Instruct)
            .answer(["Sure, she is a nurse."])
            .answer([r#"{"expertise": ["sleep"], "target_audience": "night-shift workers"}"#]),
    );
    let (_d, ledger) = store().await;
    let router = LlmRouter::with_models(vec![model.clone()], None, ledger);
    let run = analyze_persona(&router, CallContext::default(), &profile(), &[])
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(run.analysis.profile.expertise, vec!["sleep"]);
    assert_eq!(run.call_ids.len(), 2);
    let requests = model.requests();
    let Prompt::Chat(messages) = &requests[1].prompt else {
        unreachable!("instruct models get chat prompts")
    };
    let last = messages.last().map(|m| (m.role, m.content.clone()));
    assert!(
        matches!(&last, Some((Role::User, text)) if text.contains("holds no JSON")),
        "{last:?}"
    );
    assert!(requests[0].json_schema.is_some());
}

#[tokio::test]
async fn two_unusable_answers_are_an_error_not_a_guess() {
    let model = Arc::new(
        ScriptedLlm::new(PromptStyle::Instruct)
            .answer(["no"])
            .answer(["still no"]),
    );
    let (_d, ledger) = store().await;
    let router = LlmRouter::with_models(vec![model], None, ledger);
    let err = analyze_persona(&router, CallContext::default(), &profile(), &[])
        .await
        .err()
        .unwrap_or_else(|| unreachable!("must fail"));
    assert_eq!(err.kind, LlmErrorKind::Unparseable);
}

#[tokio::test]
async fn the_local_base_model_fills_only_grounded_base_fields() {
    let (dir, ledger) = store().await;
    let router = LlmRouter::new(&LlmConfig::default(), dir.path().to_path_buf(), ledger);
    let run = analyze_persona(&router, CallContext::default(), &profile(), &[])
        .await
        .unwrap_or_else(|e| unreachable!("the local model must answer: {e}"));
    assert_eq!(run.provider, "local");
    let base_fields = ["target_audience", "expertise", "successful_topics"];
    for f in &run.analysis.filled {
        assert!(base_fields.contains(f), "a base model filled {f}");
    }
    assert_eq!(
        run.analysis.filled.len() + run.analysis.left.len(),
        ALL_FIELDS.len()
    );
    for item in &run.analysis.profile.expertise {
        assert!(
            !item.contains("baking") && !item.contains("bicycle"),
            "copied: {item}"
        );
    }
}
