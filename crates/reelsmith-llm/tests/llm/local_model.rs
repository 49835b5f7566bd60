//! The real local model from the PyPI package (installed by scripts/install-deps.sh): loads, answers a
//! few-shot line-format prompt that parses, shares one prompt across `n` choices, honours stop texts
//! and streams what it returns.

use std::sync::{Arc, Mutex};

use reelsmith_core::llm::{FinishReason, LlmRequest, Prompt, PromptStyle, TokenSink};
use reelsmith_core::structured::parse_lines;
use reelsmith_llm::local::{LocalLlm, locate_gguf};

fn model() -> LocalLlm {
    let path = locate_gguf(None, std::path::Path::new("/nonexistent")).unwrap_or_else(|e| {
        unreachable!("the local model is installed by scripts/install-deps.sh: {e}")
    });
    LocalLlm::load(&path, None, 2048, None).unwrap_or_else(|e| unreachable!("{e}"))
}

#[test]
fn default_model_is_a_base_model_that_follows_a_line_format() {
    let llm = model();
    assert_eq!(
        reelsmith_core::llm::Llm::prompt_style(&llm),
        PromptStyle::Base
    );
    let prompt = "Short video scripts, each as HOOK, BODY and CTA lines.\n\n\
        TOPIC: drinking water\nHOOK: You are not tired, you are thirsty.\nBODY: Most afternoon slumps are mild dehydration. Drink a glass before you reach for coffee.\nCTA: Follow for more energy tips.\n\n\
        TOPIC: sleeping after a night shift\nHOOK:";
    let mut req = LlmRequest::new(Prompt::Completion(prompt.into()), 0.0, 80);
    req.stop = vec!["\n\nTOPIC".into(), "TOPIC:".into()];
    let (resp, timings) = llm
        .generate(&req, None)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let text = format!("HOOK:{}", resp.choices[0].text);
    let lines = parse_lines(&text, &["HOOK", "BODY", "CTA"]);
    assert!(lines.contains_key("HOOK"), "no hook in {text:?}");
    assert!(lines.contains_key("BODY"), "no body in {text:?}");
    assert!(
        !resp.choices[0].text.contains("TOPIC"),
        "stop text kept: {text:?}"
    );
    assert_eq!(resp.usage.prompt_tokens, timings.prompt_tokens);
    assert!(timings.generated_tokens > 0 && timings.decode_s > 0.0);
}

#[test]
fn several_choices_share_one_prompt_and_stream() {
    let llm = model();
    let mut req = LlmRequest::new(
        Prompt::Completion("Three tips for better sleep:\n1.".into()),
        0.9,
        24,
    );
    req.n = 3;
    req.seed = Some(11);
    let streamed: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(vec![String::new(); 3]));
    let s2 = Arc::clone(&streamed);
    let sink: TokenSink = Arc::new(move |i, piece| {
        if let Ok(mut s) = s2.lock() {
            s[i].push_str(piece);
        }
    });
    let (resp, _) = llm
        .generate(&req, Some(&sink))
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(resp.choices.len(), 3);
    let got = streamed.lock().map(|s| s.clone()).unwrap_or_default();
    for (c, s) in resp.choices.iter().zip(&got) {
        assert_eq!(&c.text, s, "streamed text differs from the returned text");
        assert!(matches!(
            c.finish_reason,
            FinishReason::Length | FinishReason::Stop
        ));
    }
    // Different seeds per choice: not all three identical.
    assert!(
        resp.choices.iter().any(|c| c.text != resp.choices[0].text),
        "{:?}",
        resp.choices
    );
}

#[test]
fn a_prompt_too_long_for_the_context_is_a_clear_error() {
    let path = locate_gguf(None, std::path::Path::new("/nonexistent"))
        .unwrap_or_else(|e| unreachable!("{e}"));
    let llm = LocalLlm::load(&path, None, 256, Some(1)).unwrap_or_else(|e| unreachable!("{e}"));
    let req = LlmRequest::new(Prompt::Completion("word ".repeat(400)), 0.0, 10);
    let err = llm
        .generate(&req, None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("does not fit the context window of 256 tokens"),
        "{err}"
    );
}

#[test]
fn a_missing_model_file_names_the_fix() {
    let err = locate_gguf(
        Some(std::path::Path::new("/nope.gguf")),
        std::path::Path::new("/x"),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        err.contains("llm.local.model_path /nope.gguf is not a file"),
        "{err}"
    );
}

#[test]
fn a_json_schema_request_is_grammar_constrained_to_json() {
    let llm = model();
    let mut req = LlmRequest::new(
        Prompt::Completion("A night-shift nurse's profile as JSON:".into()),
        0.0,
        60,
    );
    req.json_schema = Some(reelsmith_core::persona_analysis::schema());
    let (resp, _) = llm
        .generate(&req, None)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let text = resp.choices[0].text.trim_start();
    assert!(text.starts_with('{'), "not JSON: {text:?}");
    if resp.choices[0].finish_reason == FinishReason::Stop {
        assert!(
            reelsmith_core::structured::extract_json(text).is_ok(),
            "finished but invalid JSON: {text:?}"
        );
    }
}

/// The coherence check's language-model evidence: a script in its own order is likelier than
/// reversed, each sentence alone is read once (the second call reuses them), and a text too long
/// for the check is refused with a clear error.
#[test]
fn a_script_reads_likelier_in_its_own_order() {
    use reelsmith_core::score::likelihood::LikelihoodModel;
    let lm = reelsmith_llm::likelihood::LocalLikelihood::new(model());
    let forward = [
        "Coffee after 2 pm wrecks your sleep.",
        "Caffeine has a half-life of about six hours.",
        "So a cup at 4 pm is still half there at 10 pm.",
        "That is why you lie awake at midnight.",
    ];
    let backward: Vec<&str> = forward.iter().rev().copied().collect();
    let f = lm
        .likelihoods(&forward)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let b = lm
        .likelihoods(&backward)
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!((f.in_context.len(), f.alone.len()), (4, 4));
    assert!(
        f.in_context.iter().chain(&f.alone).all(|x| *x < 0.0),
        "{f:?}"
    );
    assert_eq!(
        f.in_context[0], f.alone[0],
        "the first sentence has no context"
    );
    let reversed_alone: Vec<f64> = b.alone.iter().rev().copied().collect();
    assert_eq!(
        f.alone, reversed_alone,
        "a sentence alone reads the same wherever it stands"
    );
    let (gf, gb) = (
        f.context_gain().unwrap_or_default(),
        b.context_gain().unwrap_or_default(),
    );
    assert!(gf > gb, "forward gain {gf} ≤ backward {gb}");

    let long = "word ".repeat(5_000);
    let err = model()
        .piece_log_likelihoods(&[vec![long.as_str()]])
        .err()
        .map(|e| e.detail)
        .unwrap_or_default();
    assert!(err.contains("longer than the 4096"), "{err}");
}
