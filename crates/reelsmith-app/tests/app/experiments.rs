//! Analysing an experiment from stored posts: the arms, the verdict with the posts still needed,
//! the confounders, and the posts left out.

use chrono::Utc;
use reelsmith_app::experiments::analyze_experiment;
use reelsmith_core::experiment::{NewExperiment, Vary, Verdict};
use reelsmith_core::store::{ExperimentStore, PerformanceStore, Workspace};
use reelsmith_ingest::performance::Zone;

use super::feedback::store_with_posts;

fn must<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| unreachable!("{e}"))
}

#[tokio::test]
async fn an_experiment_is_analysed_from_its_posts() {
    let (_dir, store) = store_with_posts().await;
    let ws = Workspace::LOCAL;
    let e = must(
        store
            .create_experiment(
                ws,
                &NewExperiment {
                    persona: "maya".into(),
                    topic: "coffee on nights".into(),
                    vary: Vary::Hook,
                    variants: vec![("A".into(), None), ("B".into(), None), ("C".into(), None)],
                },
            )
            .await,
    );
    let mut posts = must(store.posts(ws, "maya").await);
    posts.sort_by_key(|p| p.posted_at);
    // Days 1, 3 and 5 are A; 2 and 4 are B (day 3 is the 20× hit); C was never posted.
    for (i, p) in posts.iter().take(5).enumerate() {
        let label = if i % 2 == 0 { "A" } else { "B" };
        must(store.assign_post(ws, e.id, label, p.id).await);
    }
    let report = must(analyze_experiment(&store, ws, e.id, &Zone::utc()).await);
    let a = &report.analysis;
    let labels: Vec<&str> = a.arms.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C"]);
    assert_eq!(
        a.arms.iter().map(|r| r.posts).collect::<Vec<_>>(),
        [3, 2, 0]
    );
    // One lucky post among three is not a winner with this little data.
    assert!(
        matches!(a.verdict, Verdict::NeedMorePosts { per_variant } if per_variant > 0),
        "{:?}",
        a.verdict
    );
    let p_sum: f64 = a.arms.iter().map(|r| r.p_best).sum();
    assert!((p_sum - 1.0).abs() < 1e-9);
    assert!(
        report
            .confounders
            .iter()
            .any(|c| c.contains("different weekdays")),
        "{:?}",
        report.confounders
    );
    assert!(report.left_out.is_empty(), "{:?}", report.left_out);
    assert!(matches!(
        analyze_experiment(&store, ws, 424_242, &Zone::utc()).await,
        Err(reelsmith_app::ServiceError::Store(
            reelsmith_core::Error::NotFound { .. }
        ))
    ));
}

#[tokio::test]
async fn variants_are_written_to_differ_and_posts_find_their_metrics_later() {
    use reelsmith_app::experiments::{CreateInput, create, post_variant};
    use reelsmith_core::experiment::HOOK_INSTRUCTIONS;
    let (_dir, store) = store_with_posts().await;
    let ws = Workspace::LOCAL;
    let router = reelsmith_testkit::DirectRouter::new(std::sync::Arc::new(
        reelsmith_testkit::WriterLlm::new(std::time::Duration::ZERO),
    ));
    let models = reelsmith_app::Models {
        router: &router,
        embedder: None,
    };
    let input = |variants: usize, from: Vec<i64>| CreateInput {
        persona: "maya".into(),
        topic: "coffee on nights".into(),
        vary: Vary::Hook,
        variants,
        from,
        duration_s: Some(20.0),
    };
    let refused = create(&store, ws, models, input(1, vec![])).await;
    assert!(
        refused
            .err()
            .is_some_and(|e| e.to_string().contains("compares 2 to 5")),
    );
    let e = must(create(&store, ws, models, input(3, vec![])).await);
    assert_eq!(e.variants.len(), 3);
    for (v, (_, instruction)) in e.variants.iter().zip(HOOK_INSTRUCTIONS) {
        let g = must(
            reelsmith_core::store::GenerationStore::generation(
                &store,
                ws,
                v.generation_id.unwrap_or_default(),
            )
            .await,
        );
        assert_eq!(
            g.request.requirements,
            vec![instruction.to_string()],
            "{}",
            v.label
        );
    }
    // The same generations again, as an experiment of existing scripts.
    let again = must(
        create(
            &store,
            ws,
            models,
            input(
                0,
                e.variants.iter().filter_map(|v| v.generation_id).collect(),
            ),
        )
        .await,
    );
    assert_eq!(again.variants.len(), 3);

    // B is posted with its link; the platform's export later brings its views to that post.
    let url = "https://www.tiktok.com/@maya/video/7999000000000000001";
    let e = must(
        post_variant(
            &store,
            ws,
            (e.id, "B"),
            reelsmith_core::platform::Platform::Tiktok,
            None,
            Some(url.into()),
        )
        .await,
    );
    assert_eq!(e.variants[1].post_ids.len(), 1);
    let post = reelsmith_core::performance::ImportedPost {
        posted_at: None,
        caption: Some("exported".into()),
        media_uri: None,
        url: Some(url.into()),
        duration_s: None,
        transcript: None,
        metrics: reelsmith_core::performance::Metrics {
            views: Some(12_345),
            ..Default::default()
        },
        source: "export".into(),
    };
    let key = reelsmith_core::performance::post_key(&post).unwrap_or_default();
    must(
        store
            .import_posts(
                ws,
                "maya",
                &[(reelsmith_core::platform::Platform::Tiktok, key, post)],
                false,
            )
            .await,
    );
    let stored = must(store.posts(ws, "maya").await)
        .into_iter()
        .find(|p| p.id == e.variants[1].post_ids[0])
        .and_then(|p| p.metrics)
        .and_then(|m| m.views);
    assert_eq!(stored, Some(12_345));
    let no_key = post_variant(
        &store,
        ws,
        (e.id, "A"),
        reelsmith_core::platform::Platform::Tiktok,
        None,
        None,
    )
    .await;
    assert!(
        no_key
            .err()
            .is_some_and(|e| e.to_string().contains("link or its posting time"))
    );
}

/// A generation of `script` (HOOK:/BODY:/CTA: lines) for maya, written by a scripted model.
async fn written(store: &reelsmith_store::Store, script: &str) -> i64 {
    use reelsmith_core::llm::PromptStyle;
    // The same answer to the draft and to any fitting round.
    let model = std::sync::Arc::new((0..6).fold(
        reelsmith_testkit::ScriptedLlm::new(PromptStyle::Instruct),
        |m, _| m.answer([script]),
    ));
    let router = reelsmith_testkit::DirectRouter::new(model);
    let models = reelsmith_app::Models {
        router: &router,
        embedder: None,
    };
    let input = reelsmith_app::request::ScriptInput {
        persona: "maya".into(),
        topic: "coffee on nights".into(),
        duration_s: Some(40.0),
        attempts: Some(1),
        ..reelsmith_app::request::ScriptInput::default()
    };
    let request = must(input.resolve());
    must(reelsmith_app::write::write_script(store, Workspace::LOCAL, models, request, None).await)
        .id
}

#[tokio::test]
async fn a_won_hook_experiment_leads_retrieval_and_the_prompt() {
    use chrono::TimeZone;
    use reelsmith_app::experiments::{CreateInput, create, persona_preferences};
    use reelsmith_core::experiment::Pattern;
    use reelsmith_core::hooks::HookType;
    use reelsmith_core::llm::{Prompt, PromptStyle};
    use reelsmith_core::performance::{ImportedPost, Metrics, post_key};
    use reelsmith_core::platform::Platform;

    let (_dir, store) = store_with_posts().await;
    let ws = Workspace::LOCAL;
    let body = "BODY: Caffeine stays in your blood for about six hours after your last cup. \
        Drink it early in the shift and stop by three so your sleep after nights is deep.";
    let a = written(
        &store,
        &format!(
            "HOOK: Stop drinking coffee at the end of your shift.\n{body}\nCTA: Follow for more."
        ),
    )
    .await;
    let b = written(
        &store,
        &format!("HOOK: Why do you crash on the drive home?\n{body}\nCTA: Follow for more."),
    )
    .await;
    let router = reelsmith_testkit::DirectRouter::new(std::sync::Arc::new(
        reelsmith_testkit::ScriptedLlm::new(PromptStyle::Instruct),
    ));
    let no_model = reelsmith_app::Models {
        router: &router,
        embedder: None,
    };
    let e = must(
        create(
            &store,
            ws,
            no_model,
            CreateInput {
                persona: "maya".into(),
                topic: "coffee on nights".into(),
                vary: Vary::Hook,
                variants: 2,
                from: vec![a, b],
                duration_s: None,
            },
        )
        .await,
    );
    // Eight posts each; the question (B) gets about four times the views of the warning (A).
    let mut imported = Vec::new();
    for i in 0..16u32 {
        let p = ImportedPost {
            posted_at: Utc.with_ymd_and_hms(2025, 6, 1 + i, 18, 0, 0).single(),
            caption: Some(format!("variant post {i}")),
            media_uri: None,
            url: None,
            duration_s: None,
            transcript: None,
            metrics: Metrics {
                views: Some(if i < 8 { 1_000 } else { 4_000 } + 37 * u64::from(i)),
                ..Metrics::default()
            },
            source: format!("experiment #{i}"),
        };
        imported.push((Platform::Tiktok, post_key(&p).unwrap_or_default(), p));
    }
    must(store.import_posts(ws, "maya", &imported, false).await);
    for p in must(store.posts(ws, "maya").await) {
        let Some(i) = p
            .caption
            .as_deref()
            .and_then(|c| c.strip_prefix("variant post "))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        must(
            store
                .assign_post(ws, e.id, if i < 8 { "A" } else { "B" }, p.id)
                .await,
        );
    }
    let posts = must(store.posts(ws, "maya").await);
    let prefs = must(persona_preferences(&store, ws, "maya", &posts).await);
    assert_eq!(prefs.len(), 1, "{prefs:?}");
    assert_eq!(prefs[0].pattern, Pattern::Hook(HookType::Question));
    assert_eq!(prefs[0].wins[0].experiment_id, e.id);

    // The example that opens with a question ("Day off after nights?") leads the few-shot
    // examples, and the prompt names the pattern with its experiment.
    let model = std::sync::Arc::new(reelsmith_testkit::ScriptedLlm::new(PromptStyle::Instruct));
    let router = reelsmith_testkit::DirectRouter::new(model.clone());
    let models = reelsmith_app::Models {
        router: &router,
        embedder: None,
    };
    let input = reelsmith_app::request::ScriptInput {
        persona: "maya".into(),
        topic: "sleeping after nights".into(),
        duration_s: Some(20.0),
        ..reelsmith_app::request::ScriptInput::default()
    };
    let _ =
        reelsmith_app::write::write_script(&store, ws, models, must(input.resolve()), None).await;
    let Some(Prompt::Chat(messages)) = model.requests().first().map(|r| r.prompt.clone()) else {
        unreachable!("instruct models get chat prompts")
    };
    let asked = messages
        .last()
        .map(|m| m.content.clone())
        .unwrap_or_default();
    let first = asked.find("TOPIC: example 2");
    assert!(
        first.is_some() && first < asked.find("TOPIC: example 0"),
        "{asked}"
    );
    assert!(
        asked.contains(&format!(
            "My A/B tests found what works for my audience: a question hook (won experiment {}",
            e.id
        )),
        "{asked}"
    );
}
