//! The generation pipeline with the scripted test model: selection of the best attempt, dropped
//! attempts, the duration rewrite loop and its last resort, and sections that add up.

use reelsmith_app::voice::VoiceJudge;
use std::sync::Arc;

use reelsmith_app::generate::{Fit, GenerateError, Generated, Job, generate, regenerate_section};
use reelsmith_core::llm::{CallContext, LlmErrorKind, PromptStyle};
use reelsmith_core::persona::{ExampleScript, PersonaVersion};
use reelsmith_core::prompts::Brief;
use reelsmith_testkit::{DirectRouter, ScriptedLlm};

/// A script of exactly `n` words (n ≥ 12): a hook, 10-word body sentences, a CTA.
fn script(n: usize) -> String {
    let hook = "Stop scrolling, your sleep is broken.";
    let cta = "Follow for more night fixes.";
    let mut body = Vec::new();
    let mut left = n - 11;
    let mut next = 0;
    while left > 0 {
        let k = left.min(10);
        // Distinct words, so the body never repeats itself.
        let mut s = (next..next + k)
            .map(|i| format!("rest{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        next += k;
        s.push('.');
        body.push(format!("{}{}", &s[..1].to_uppercase(), &s[1..]));
        left -= k;
    }
    format!("HOOK: {hook}\nBODY: {}\nCTA: {cta}", body.join(" "))
}

/// A persona speaking at exactly 150 WPM (three 75-word examples of 30 s).
fn persona() -> PersonaVersion {
    let examples: Vec<ExampleScript> = (0..3)
        .map(|i| ExampleScript {
            title: Some(format!("example {i}")),
            text: script(75)
                .replace("HOOK: ", "")
                .replace("BODY: ", "")
                .replace("CTA: ", ""),
            source: format!("e{i}.md"),
            duration_s: Some(30.0),
        })
        .collect();
    PersonaVersion::unsaved("nurse", examples, Some("en"))
}

/// A casual, educational job in English for `persona`, without trends or an embedder.
fn job<'a>(
    persona: &'a PersonaVersion,
    examples: &'a [usize],
    topic: &'a str,
    duration_s: f64,
    attempts: u32,
) -> Job<'a> {
    Job {
        persona,
        // Leaked: a test's job lives as long as the test.
        voice: Box::leak(Box::new(VoiceJudge::fit(persona, &[]))),
        language: Some("en"),
        examples,
        brief: Brief::plain(topic, duration_s, "English"),
        trends: &[],
        viral_weights: None,
        attempts,
        embedder: None,
        checkpoint: None,
    }
}

async fn run(model: ScriptedLlm, duration_s: f64) -> Result<Generated, GenerateError> {
    let router = DirectRouter::new(Arc::new(model));
    let p = persona();
    assert!(
        (p.style.pace.wpm - 150.0).abs() < 1.0,
        "{}",
        p.style.pace.wpm
    );
    let job = job(&p, &[0, 1], "sleeping after nights", duration_s, 3);
    generate(&router, CallContext::default(), &job, None).await
}

#[tokio::test]
async fn the_best_parsed_attempt_wins_and_bad_ones_are_recorded() {
    let good = script(75);
    let weak = script(40);
    let model = ScriptedLlm::new(PromptStyle::Instruct).answer([
        "I can't write that.".to_string(),
        weak,
        good.clone(),
    ]);
    let g = run(model, 30.0)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(g.attempts.len(), 3);
    assert_eq!(
        g.attempts[0].error.as_deref(),
        Some("the answer has no HOOK: line")
    );
    assert_eq!(g.winner, 2);
    assert_eq!(g.fit, Fit::AsWritten);
    assert!(g.card.timing.within_window);
    let end = g.sections.last().map(|s| s.end_s).unwrap_or_default();
    assert!(
        (end - g.card.timing.estimated_s).abs() < 0.01,
        "{end} vs {}",
        g.card.timing.estimated_s
    );
}

#[tokio::test]
async fn no_usable_attempt_is_an_error_naming_each_reason() {
    let model = ScriptedLlm::new(PromptStyle::Instruct).answer(["nope", "HOOK: only a hook"]);
    let err = run(model, 30.0)
        .await
        .err()
        .unwrap_or_else(|| unreachable!("must fail"));
    // The unusable attempts travel with the error, to be stored with the failed generation.
    assert_eq!(err.attempts.len(), 2);
    assert_eq!(err.call_ids.len(), 1);
    let err = err.error;
    assert_eq!(err.kind, LlmErrorKind::Unparseable);
    assert!(
        err.detail.contains("none of the 2 attempts could be used"),
        "{err}"
    );
    assert!(err.detail.contains("no BODY: line"), "{err}");
}

#[tokio::test]
async fn a_short_script_is_rewritten_to_fit() {
    let model = ScriptedLlm::new(PromptStyle::Instruct)
        .answer([script(30)])
        .answer([script(74)]);
    let g = run(model, 30.0)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(g.fit, Fit::Rewritten(1));
    assert_eq!(g.call_ids.len(), 2);
    assert!(g.card.timing.within_window);
}

#[tokio::test]
async fn a_long_script_is_trimmed_at_sentences_as_a_last_resort() {
    let model = ScriptedLlm::new(PromptStyle::Instruct)
        .answer([script(150)])
        .answer([script(140)])
        .answer([script(130)]);
    let g = run(model, 30.0)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(g.fit, Fit::Trimmed);
    assert!(g.card.timing.within_window, "{:?}", g.card.timing);
    // The trim aims at the target (75 words), not at the window's top (82).
    assert!((65..=75).contains(&g.card.words), "{} words", g.card.words);
    assert!(g.draft.cta.starts_with("Follow"));
    assert_eq!(g.call_ids.len(), 3);
}

#[tokio::test]
async fn a_script_still_too_short_after_rewrites_is_an_error_not_a_fit() {
    let model = ScriptedLlm::new(PromptStyle::Instruct)
        .answer([script(20)])
        .answer([script(22)])
        .answer([script(24)]);
    let err = run(model, 60.0)
        .await
        .err()
        .unwrap_or_else(|| unreachable!("must fail"));
    assert!(err.error.detail.contains("after 2 rewrites"), "{err}");
    // The first request's attempt and all three calls stay on record.
    assert_eq!(err.attempts.len(), 1);
    assert!(err.attempts[0].draft.is_some());
    assert_eq!(err.call_ids.len(), 3);
}

#[tokio::test]
async fn one_section_is_rewritten_and_the_rest_kept() {
    let model = Arc::new(
        ScriptedLlm::new(PromptStyle::Instruct)
            .answer(["\"Wake up, your sleep is sabotaged tonight!\""])
            .answer(["   "]),
    );
    let router = DirectRouter::new(model.clone());
    let p = persona();
    let job = job(&p, &[0], "sleep", 30.0, 1);
    let draft = reelsmith_core::script::parse_draft(&script(75)).unwrap_or_default();
    let r = regenerate_section(
        &router,
        CallContext::default(),
        &job,
        &draft,
        0,
        "more energetic",
    )
    .await
    .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(r.draft.hook, "Wake up, your sleep is sabotaged tonight!");
    assert_eq!(r.draft.body, draft.body);
    assert_eq!(r.draft.cta, draft.cta);
    assert!(r.card.timing.within_window);
    let asked = model.requests();
    let reelsmith_core::llm::Prompt::Chat(m) = &asked[0].prompt else {
        unreachable!("chat")
    };
    assert!(
        m.last()
            .is_some_and(|m| m.content.contains("more energetic"))
    );
    // An empty answer is an error, and a section out of range is named.
    assert!(
        regenerate_section(&router, CallContext::default(), &job, &draft, 0, "x")
            .await
            .is_err()
    );
    let err = regenerate_section(&router, CallContext::default(), &job, &draft, 9, "x")
        .await
        .err()
        .map(|e| e.detail)
        .unwrap_or_default();
    assert!(err.contains("there is no section 10"), "{err}");
}

#[tokio::test]
async fn a_base_model_that_ran_out_before_its_cta_gets_it_completed() {
    let full = script(75);
    let no_cta = full
        .split("\nCTA:")
        .next()
        .unwrap_or_default()
        .trim_start_matches("HOOK:")
        .to_string();
    let model = ScriptedLlm::new(PromptStyle::Base)
        .answer([no_cta])
        .answer([" Follow for more night fixes."]);
    let g = run(model, 30.0)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(g.draft.cta, "Follow for more night fixes.");
    assert_eq!(g.call_ids.len(), 2);
    assert!(g.card.timing.within_window);
}

#[tokio::test]
async fn a_base_model_script_trimmed_short_gets_its_body_continued_into_the_window() {
    // 30 s at 150 WPM: 75 words, window 67.5–82.5. Five 24-word sentences make 131 words; trimmed to
    // at most 82 words only two fit whole (59 words, 23.6 s), so the body is continued.
    // Distinct words, so the script never repeats itself (a repeating one would be repaired first).
    let sentences: Vec<String> = (0..5)
        .map(|k| {
            let words: Vec<String> = (0..23).map(|i| format!("rest{k}x{i}")).collect();
            format!("Rest {}.", words.join(" "))
        })
        .collect();
    let long = format!(
        "HOOK: Stop scrolling, your sleep is broken.\nBODY: {}\nCTA: Follow for more night fixes.",
        sentences.join(" ")
    );
    let model = ScriptedLlm::new(PromptStyle::Base)
        .answer([long.clone()])
        .answer([long.clone()])
        .answer([long])
        .answer([" Keep the blackout curtains shut and the room cold until noon today."]);
    let g = run(model, 30.0)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(g.fit, Fit::Trimmed);
    assert!(g.card.timing.within_window, "{:?}", g.card.timing);
    assert!(
        g.draft
            .text()
            .ends_with("until noon today.\nFollow for more night fixes."),
        "{}",
        g.draft.text()
    );
    assert_eq!(g.call_ids.len(), 4);
}

#[tokio::test]
async fn an_unfit_winner_is_repaired_with_its_failures_named() {
    // All three attempts miss the requirement; the repair round's answer meets it.
    let plain = script(75);
    let repaired = plain.replace(
        "CTA: Follow for more night fixes.",
        "CTA: Grab the free guide and follow for more.",
    );
    let model = ScriptedLlm::new(PromptStyle::Instruct)
        .answer([plain.clone(), plain.clone(), plain])
        .answer([repaired]);
    let router = DirectRouter::new(Arc::new(model));
    let p = persona();
    let requirements = vec!["mention the free guide".to_string()];
    let mut j = job(&p, &[0, 1], "sleeping after nights", 30.0, 3);
    j.brief.requirements = &requirements;
    let g = generate(&router, CallContext::default(), &j, None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let firsts: Vec<Vec<String>> = g
        .attempts
        .iter()
        .map(|a| a.card.as_ref().map(|c| c.unfit.clone()).unwrap_or_default())
        .collect();
    assert!(
        firsts
            .iter()
            .all(|u| u.iter().any(|u| u.contains("misses a requirement"))),
        "every first attempt misses it: {firsts:?}"
    );
    assert!(g.card.unfit.is_empty(), "{:?}", g.card.unfit);
    assert!(g.card.brief.as_ref().is_some_and(|b| b.requirements[0].met));
    assert!(g.draft.cta.contains("free guide"), "{}", g.draft.cta);
    assert_eq!(g.call_ids.len(), 2, "the draft call and one repair call");
}

#[tokio::test]
async fn a_linkedin_draft_too_long_for_the_limit_is_rewritten_not_cut() {
    use reelsmith_core::llm::Prompt;
    use reelsmith_core::platform::Platform;
    let model = Arc::new(
        ScriptedLlm::new(PromptStyle::Instruct)
            .answer([script(700)])
            .answer([script(180)]),
    );
    let router = DirectRouter::new(model.clone());
    let p = persona();
    let mut job = job(&p, &[0], "sleeping after nights", 30.0, 1);
    job.brief.platform = Platform::Linkedin;
    let g = generate(&router, CallContext::default(), &job, None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(g.fit, Fit::Rewritten(1));
    assert_eq!(g.draft.text().split_whitespace().count(), 180);
    assert!(
        g.card.format.is_some(),
        "a text post is scored on its format"
    );
    let Some(Prompt::Chat(messages)) = model.requests().get(1).map(|r| r.prompt.clone()) else {
        unreachable!("a second, chat request")
    };
    let asked = messages
        .last()
        .map(|m| m.content.clone())
        .unwrap_or_default();
    assert!(
        asked.contains("too long for a text post on linkedin") && asked.contains("about 200 words"),
        "{asked}"
    );
    // A draft that fits is laid out as written.
    let router = DirectRouter::new(Arc::new(
        ScriptedLlm::new(PromptStyle::Instruct).answer([script(180)]),
    ));
    let g = generate(&router, CallContext::default(), &job, None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(g.fit, Fit::AsWritten);
}
