//! Property tests: learning a style profile from any Unicode text never panics and keeps its invariants.

use proptest::prelude::*;
use reelsmith_core::analysis::analyze;
use reelsmith_core::lexicon::lexicon;
use reelsmith_core::persona::ExampleScript;
use reelsmith_core::score::{ScoreRequest, score};
use reelsmith_core::style::learn_style;

fn script() -> impl Strategy<Value = String> {
    prop_oneof![
        // Any Unicode at all, control characters and unpaired combining marks included.
        any::<String>(),
        // Script-like text: words, punctuation, emoji, line breaks, separators and front-matter marks.
        proptest::collection::vec(
            prop_oneof![
                Just("Stop".to_string()),
                Just("¿Cómo?".to_string()),
                Just("you".to_string()),
                Just("🔥".to_string()),
                Just("👨‍👩‍👧".to_string()),
                Just("\n".to_string()),
                Just("---".to_string()),
                Just("+++".to_string()),
                Just("!".to_string()),
                Just("73%".to_string()),
                Just("follow for more".to_string()),
                "\\PC{1,12}",
            ],
            0..80
        )
        .prop_map(|parts| parts.join(" ")),
    ]
}

fn in_unit(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn style_profile_survives_any_text(texts in proptest::collection::vec(script(), 1..6), hint in proptest::option::of(prop_oneof![Just("en"), Just("es"), Just("xx")])) {
        let examples: Vec<ExampleScript> = texts
            .iter()
            .map(|t| ExampleScript { title: None, text: t.clone(), source: "p".into(), duration_s: Some(30.0) })
            .collect();
        let p = learn_style(&examples, hint);
        prop_assert_eq!(p.examples, examples.len());
        prop_assert!(p.pace.wpm.is_finite() && p.pace.wpm > 0.0);
        prop_assert!(p.pace.words_min <= p.pace.words_max);
        for share in [p.voice.second_person_rate, p.voice.first_person_rate, p.voice.exclamation_rate, p.voice.question_rate, p.voice.lexical_diversity] {
            prop_assert!(in_unit(share), "rate out of range: {share}");
        }
        let s = &p.structure;
        prop_assert!(in_unit(s.hook_share) && in_unit(s.body_share) && in_unit(s.cta_share));
        prop_assert!(s.hook_share + s.body_share + s.cta_share <= 1.0 + 1e-3);
        let hook_total: usize = p.hooks.iter().map(|h| h.count).sum();
        prop_assert!(hook_total <= examples.len());
        for h in &p.hooks {
            prop_assert!(h.evidence.len() <= 3);
        }
        if let Some(r) = &p.voice.readability {
            prop_assert!((0.0..=100.0).contains(&r.score));
        }
        // The profile always serializes (no NaN or infinity sneaks in).
        prop_assert!(serde_json::to_string(&p).is_ok());
    }

    #[test]
    fn analysis_invariants(text in script(), lang in prop_oneof![Just("en"), Just("es"), Just("de")]) {
        let a = analyze(&text, lexicon(lang));
        prop_assert!(a.hook_words <= a.words);
        prop_assert!(a.cta.words <= a.words);
        prop_assert!(a.second_person + a.first_person <= a.words);
        prop_assert!(a.exclamations <= a.sentences && a.questions <= a.sentences);
    }

    #[test]
    fn score_card_survives_any_text(text in script(), lang in prop_oneof![Just("en"), Just("es"), Just("ja")], target in 15.0f64..90.0) {
        let style_examples = [ExampleScript { title: None, text: "Stop. Here's the thing. Save this.".into(), source: "p".into(), duration_s: None }];
        let style = learn_style(&style_examples, Some("en"));
        let trends = vec!["night shift".to_string(), "🔥".to_string()];
        let card = score(&ScoreRequest {
            text: &text,
            target_s: Some(target),
            style: Some(&style),
            trends: &trends,
            language: Some(lang),
            ..Default::default()
        });
        let in_range = |x: f64| (0.0..=100.0).contains(&x);
        prop_assert!(in_range(card.overall) && in_range(card.quality.score) && in_range(card.viral.overall));
        prop_assert!(in_range(card.timing.dimension.score));
        prop_assert_eq!(card.viral.dimensions.len(), 9);
        for d in &card.viral.dimensions {
            prop_assert!(in_range(d.score), "{} = {}", d.name, d.score);
            prop_assert!(!d.reasons.is_empty(), "{} has no reasons", d.name);
        }
        prop_assert!(card.voice.as_ref().is_some_and(|v| in_range(v.score)));
        prop_assert!(serde_json::to_string(&card).is_ok());
    }
}
