//! The use cases end to end on in-memory test models (`DirectRouter` over `WriterLlm` or
//! `ScriptedLlm`, a word-hashing embedder) and a real SQLite file: the stored generation belongs to
//! its workspace, generate and score compute the same card, context and urgency reach the prompt,
//! and every wrong field of a request is reported at once with nothing stored.

use reelsmith_app::voice::VoiceJudge;
use std::sync::Arc;
use std::time::Duration;

use reelsmith_app::learn::{LearnInput, learn_persona};
use reelsmith_app::request::ScriptInput;
use reelsmith_app::score::{ScoreInput, score_drafts};
use reelsmith_app::write::write_script;
use reelsmith_app::{Models, ServiceError};
use reelsmith_core::embed::Embedder;
use reelsmith_core::llm::{Prompt, PromptStyle};
use reelsmith_core::persona::{CreatorProfile, ExampleScript};
use reelsmith_core::store::{GenerationStore, TrendStore, Workspace, WorkspaceStore};
use reelsmith_store::Store;
use reelsmith_testkit::{DirectRouter, ScriptedLlm, WriterLlm};

fn must<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| unreachable!("{e}"))
}

/// A deterministic embedder for tests: each word adds to one of 64 dimensions, then L2-normalised.
/// Texts sharing words are close, as with a real model.
struct WordHash;

impl Embedder for WordHash {
    fn embed(&self, texts: &[&str]) -> reelsmith_core::Result<Vec<Vec<f32>>> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0.0f32; 64];
                for w in t.split_whitespace() {
                    let h = w
                        .to_lowercase()
                        .bytes()
                        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                    v[(h % 64) as usize] += 1.0;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter().map(|x| x / n).collect()
            })
            .collect())
    }
    fn model(&self) -> &str {
        "word-hash"
    }
    fn dimensions(&self) -> usize {
        64
    }
}

fn examples() -> Vec<ExampleScript> {
    [
        "Stop drinking coffee the second your shift starts. Caffeine peaks an hour later and lingers for six. Have your last cup before the halfway point. Save this for your next rotation.",
        "Your blackout curtains are lying to you. Light leaks at the edges and your brain reads it as morning. Tape the edges tonight. Follow for more night shift fixes.",
        "Day off after nights? Do not sleep until noon. Nap for ninety minutes, then get outside. You will sleep tonight. Comment DAY OFF and I will send the plan.",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| ExampleScript {
        title: Some(format!("example {i}")),
        text: (*t).to_string(),
        source: format!("e{i}.md"),
        duration_s: Some(14.0),
    })
    .collect()
}

async fn learned(store: &Store, ws: Workspace) {
    must(
        learn_persona(
            store,
            ws,
            None,
            Some(&WordHash),
            LearnInput {
                name: "maya".into(),
                profile: CreatorProfile::default(),
                examples: examples(),
                append: false,
            },
        )
        .await,
    );
}

fn input(topic: &str) -> ScriptInput {
    ScriptInput {
        persona: "maya".into(),
        topic: topic.into(),
        duration_s: Some(20.0),
        ..ScriptInput::default()
    }
}

#[tokio::test]
async fn a_script_is_stored_in_its_workspace_and_scored_as_score_would() {
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let ws = Workspace::LOCAL;
    learned(&store, ws).await;
    must(store.add_trend(ws, "sleepmaxxing", None).await);
    let router = DirectRouter::new(Arc::new(WriterLlm::new(Duration::ZERO)));
    let models = Models {
        router: &router,
        embedder: Some(&WordHash),
    };
    let request = must(input("caffeine before a night shift").resolve());
    let g = must(write_script(&store, ws, models, request, None).await);
    let card = g.card.clone().unwrap_or_else(|| unreachable!("a card"));
    // The stored card is the one card function's: `score` on the stored script, with the same
    // inputs (no embedding half during generation: GENERATION_VOICE_EMBEDDINGS), gives it exactly.
    const { assert!(!reelsmith_app::write::GENERATION_VOICE_EMBEDDINGS) };
    let text = g.script.as_ref().map(|s| s.text()).unwrap_or_default();
    let score = async |embedder: Option<&dyn Embedder>| {
        must(
            score_drafts(
                &store,
                ws,
                embedder,
                None,
                ScoreInput {
                    drafts: vec![reelsmith_app::score::Draft::new("stored", text.clone())],
                    persona: Some(("maya".into(), None)),
                    target_s: Some(g.request.duration_s),
                    language: g.request.language.clone(),
                    topic: Some(g.request.topic.clone()),
                    requirements: g.request.requirements.clone(),
                    platform: Some(g.request.platform),
                    content_type: Some(g.request.content_type),
                },
            )
            .await,
        )
        .cards
        .remove(0)
        .1
    };
    // `score` with the same embedding model computes the same card; it adds the closest examples
    // (the whole-draft embedding a generation skips), which no score depends on.
    let with = score(Some(&WordHash)).await;
    assert_eq!(with.overall, card.overall);
    assert_eq!(
        (
            &with.timing,
            &with.quality,
            &with.viral,
            &with.coherence,
            &with.brief,
            &with.unfit
        ),
        (
            &card.timing,
            &card.quality,
            &card.viral,
            &card.coherence,
            &card.brief,
            &card.unfit
        )
    );
    let voice = with.voice.unwrap_or_else(|| unreachable!("voice"));
    assert_eq!(Some(voice.score), card.voice.as_ref().map(|v| v.score));
    assert!(
        voice.embedding.is_some() && !voice.closest.is_empty(),
        "{voice:?}"
    );
    // Without the model the brief falls back to shared words, and says so.
    let without = score(None).await;
    assert!(without.brief.as_ref().is_some_and(|b| !b.by_meaning));

    // Another workspace sees neither the persona nor the generation.
    let other = must(store.workspace("agency").await);
    assert_ne!(other, ws);
    assert!(matches!(
        store.generation(other, g.id).await,
        Err(reelsmith_core::Error::NotFound { .. })
    ));
    let elsewhere = write_script(
        &store,
        other,
        models,
        must(input("caffeine").resolve()),
        None,
    )
    .await;
    assert!(
        matches!(
            elsewhere,
            Err(ServiceError::Store(reelsmith_core::Error::NotFound { .. }))
        ),
        "{elsewhere:?}"
    );
    assert_eq!(must(store.generation(ws, g.id).await).id, g.id);
}

#[tokio::test]
async fn context_and_a_trending_urgency_reach_the_prompt_and_urgent_asks_for_one_attempt() {
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let ws = Workspace::LOCAL;
    learned(&store, ws).await;
    must(store.add_trend(ws, "sleepmaxxing", None).await);
    let model = Arc::new(ScriptedLlm::new(PromptStyle::Instruct));
    let router = DirectRouter::new(model.clone());
    let models = Models {
        router: &router,
        embedder: None,
    };
    let mut trending = input("naps before nights");
    trending.context = Some("The free sleep guide is on my site until Friday.".into());
    trending.urgency = Some("trending".into());
    // The scripted model has no answers: the generation fails after the first request, which is
    // all this test reads.
    let _ = write_script(&store, ws, models, must(trending.resolve()), None).await;
    let mut urgent = input("naps before nights");
    urgent.urgency = Some("urgent".into());
    urgent.attempts = Some(5);
    let _ = write_script(&store, ws, models, must(urgent.resolve()), None).await;
    let seen = model.requests();
    assert_eq!(seen.len(), 2);
    let Prompt::Chat(messages) = &seen[0].prompt else {
        unreachable!("instruct models get chat prompts")
    };
    let asked = messages
        .last()
        .map(|m| m.content.clone())
        .unwrap_or_default();
    assert!(asked.contains("free sleep guide is on my site"), "{asked}");
    assert!(asked.contains("sleepmaxxing"), "{asked}");
    assert_eq!(seen[0].n, 3);
    assert_eq!(seen[1].n, 1, "urgent requests make one attempt");
}

#[tokio::test]
async fn every_wrong_field_is_reported_at_once_and_nothing_is_stored() {
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    learned(&store, Workspace::LOCAL).await;
    let mut bad = input(" ");
    bad.duration_s = Some(0.0);
    bad.language = Some("xx".into());
    bad.platform = Some("myspace".into());
    let err = bad
        .resolve()
        .err()
        .unwrap_or_else(|| unreachable!("invalid"));
    let fields: Vec<&str> = err.0.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["topic", "duration_s", "language", "platform"]);
    let (_, total) = must(
        store
            .generations(Workspace::LOCAL, &Default::default())
            .await,
    );
    assert_eq!(total, 0);
}

/// With an embedder in the job, every attempt's card gets the embedding half of voice match from
/// one batched call, equal to what `score` computes for that attempt.
#[tokio::test]
async fn attempts_scored_with_an_embedder_match_score_with_it() {
    use reelsmith_app::generate::{Job, generate};
    use reelsmith_core::llm::CallContext;
    use reelsmith_core::prompts::Brief;
    use reelsmith_core::store::PersonaStore;
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let ws = Workspace::LOCAL;
    learned(&store, ws).await;
    let persona = must(store.persona(ws, "maya", None).await);
    let router = DirectRouter::new(Arc::new(WriterLlm::new(Duration::ZERO)));
    let voice = VoiceJudge::fit(&persona, &[]);
    let job = Job {
        persona: &persona,
        voice: &voice,
        language: Some("en"),
        examples: &[0, 1],
        brief: Brief::plain("caffeine before a night shift", 20.0, "English"),
        trends: &[],
        viral_weights: None,
        attempts: 3,
        embedder: Some(&WordHash),
        checkpoint: None,
    };
    let g = must(generate(&router, CallContext::default(), &job, None).await);
    assert_eq!(g.attempts.len(), 3);
    for a in &g.attempts {
        let card = a.card.clone().unwrap_or_else(|| unreachable!("parsed"));
        let text = a.draft.as_ref().map(|d| d.text()).unwrap_or_default();
        let scored = reelsmith_app::score::card(
            job.against(),
            &text,
            Some(20.0),
            None,
            Some(&persona.style.language.code),
        );
        // Voice match is authorship attribution in both; the whole-draft embedding (closest
        // examples) is `score`'s alone.
        assert!(card.voice.as_ref().is_some_and(|v| v.attribution.is_some()));
        assert_eq!(card, scored);
    }
}

/// Why learning "maya" from `examples` was refused (empty when it was not).
async fn refusal(store: &Store, examples: Vec<reelsmith_core::persona::ExampleScript>) -> String {
    learn_persona(
        store,
        Workspace::LOCAL,
        None,
        Some(&WordHash),
        LearnInput {
            name: "maya".into(),
            profile: CreatorProfile::default(),
            examples,
            append: false,
        },
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default()
}

/// An example whose stated length implies an impossible speaking rate is refused, naming it, and
/// nothing is stored (1e-7 s once taught a rate of 2.4e9 WPM).
#[tokio::test]
async fn an_impossible_example_length_is_refused_before_anything_is_learned() {
    use reelsmith_core::store::PersonaStore;
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let mut bad = examples();
    bad[1].duration_s = Some(1e-7);
    let err = refusal(&store, bad).await;
    assert!(err.contains("e1.md") && err.contains("duration_s"), "{err}");
    assert!(must(store.personas(Workspace::LOCAL).await).is_empty());
}

/// Every model call of a failed generation — the failed tries included — is linked to the stored
/// failure (they were left with no generation, so their cost and errors could not be traced).
#[tokio::test]
async fn a_failed_generation_is_linked_to_every_call_it_made() {
    use reelsmith_core::llm::LlmErrorKind;
    use sqlx::Connection;
    let dir = must(tempfile::tempdir());
    let path = dir.path().join("app.db");
    let store = must(Store::open_sqlite(&path).await);
    learned(&store, Workspace::LOCAL).await;
    // The main provider refuses the key (not retried), the fallback answers nothing usable.
    let main = Arc::new(
        ScriptedLlm::new(PromptStyle::Instruct).fail(LlmErrorKind::Unauthorized, "bad key"),
    );
    let fallback = Arc::new(ScriptedLlm::new(PromptStyle::Instruct).answer([
        "no labels here",
        "nor here",
        "nor here",
    ]));
    let router =
        reelsmith_llm::LlmRouter::with_models(vec![main, fallback], None, Arc::new(store.clone()));
    let models = Models {
        router: &router,
        embedder: None,
    };
    let err = write_script(
        &store,
        Workspace::LOCAL,
        models,
        must(input("naps").resolve()),
        None,
    )
    .await;
    let Err(ServiceError::Llm {
        generation_id: Some(id),
        ..
    }) = err
    else {
        unreachable!("the generation must fail and be stored: {err:?}")
    };
    store.close().await;
    let mut c =
        must(sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await);
    let rows: Vec<(Option<i64>, String)> = must(
        sqlx::query_as("SELECT generation_id, outcome FROM llm_calls ORDER BY id")
            .fetch_all(&mut c)
            .await,
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().all(|(g, _)| *g == Some(id)),
        "every call, the failed try included, belongs to generation {id}: {rows:?}"
    );
    assert_eq!(rows[0].1, "error");
}

/// Too many examples, or one too long, are refused naming the field before anything is embedded or
/// stored (a 16 MiB body of short examples once meant hours of embedding).
#[tokio::test]
async fn too_many_or_too_long_examples_are_refused() {
    use reelsmith_core::persona::{MAX_EXAMPLE_CHARS, MAX_EXAMPLES};
    use reelsmith_core::store::PersonaStore;
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let one = examples().remove(0);
    let many = vec![one.clone(); MAX_EXAMPLES + 1];
    let mut long = one.clone();
    long.text = "word ".repeat(MAX_EXAMPLE_CHARS / 5 + 1);
    for (bad, says) in [(many, "at most 500"), (vec![long], "characters")] {
        let err = refusal(&store, bad).await;
        assert!(err.contains("examples") && err.contains(says), "{err}");
    }
    assert!(must(store.personas(Workspace::LOCAL).await).is_empty());
}

/// [`WordHash`] that records every text it is asked to embed and takes `delay` of the calling
/// thread per call, as a real model's forward pass does (all-MiniLM-L6-v2 takes about 10 ms a
/// sentence on 2 cores; a draft's card embeds a dozen).
struct Observed {
    delay: Duration,
    asked: std::sync::Mutex<Vec<String>>,
}

impl Observed {
    const fn new(delay: Duration) -> Observed {
        Observed {
            delay,
            asked: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl Embedder for Observed {
    fn embed(&self, texts: &[&str]) -> reelsmith_core::Result<Vec<Vec<f32>>> {
        if let Ok(mut asked) = self.asked.lock() {
            asked.extend(texts.iter().map(|t| (*t).to_string()));
        }
        std::thread::sleep(self.delay);
        WordHash.embed(texts)
    }
    fn model(&self) -> &str {
        WordHash.model()
    }
    fn dimensions(&self) -> usize {
        WordHash.dimensions()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scoring_attempts_does_not_hold_up_the_servers_other_tasks() {
    // Four generations score their attempts at once on a 2-worker runtime. Scoring embeds every
    // attempt's sentences; run on the async workers it blocked both of them, and every other task
    // waited — under `reelsmith-dev bench serve` that included the tasks returning the database's
    // write connection, and generations failed with "pool timed out". A ticker stands for those
    // tasks: it must keep running while the generations score.
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let ws = Workspace::LOCAL;
    learned(&store, ws).await;
    let router = Arc::new(DirectRouter::new(Arc::new(WriterLlm::new(Duration::ZERO))));
    static SLOW: Observed = Observed::new(Duration::from_millis(600));
    let generations: Vec<_> = (0..4)
        .map(|i| {
            let (store, router) = (store.clone(), router.clone());
            tokio::spawn(async move {
                let models = Models {
                    router: router.as_ref(),
                    embedder: Some(&SLOW),
                };
                let request = must(input(&format!("caffeine before night shift {i}")).resolve());
                write_script(&store, ws, models, request, None).await
            })
        })
        .collect();
    let ticker = tokio::spawn(async {
        let mut worst = Duration::ZERO;
        let mut ticks = 0u32;
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(4) {
            let t = std::time::Instant::now();
            tokio::time::sleep(Duration::from_millis(10)).await;
            worst = worst.max(t.elapsed());
            ticks += 1;
        }
        (worst, ticks)
    });
    for g in generations {
        let g = must(must(g.await));
        assert!(g.card.is_some(), "{g:?}");
    }
    let (worst, ticks) = must(ticker.await);
    // A 10 ms sleep that took over 400 ms waited for a blocked worker (each embedding call blocks
    // its thread for 600 ms).
    assert!(
        worst < Duration::from_millis(400),
        "a 10 ms timer took {worst:?} while attempts were scored ({ticks} ticks)"
    );
}

#[tokio::test]
async fn a_generation_embeds_each_text_once() {
    // The retrieval, every attempt's brief and every attempt's card embed the topic; the attempts
    // share their hook and CTA lines. The model is asked for each text once.
    let dir = must(tempfile::tempdir());
    let store = must(Store::open_sqlite(&dir.path().join("app.db")).await);
    let ws = Workspace::LOCAL;
    learned(&store, ws).await;
    let router = DirectRouter::new(Arc::new(WriterLlm::new(Duration::ZERO)));
    let recording = Observed::new(Duration::ZERO);
    let models = Models {
        router: &router,
        embedder: Some(&recording),
    };
    let topic = "caffeine before a night shift";
    let request = must(input(topic).resolve());
    let g = must(write_script(&store, ws, models, request, None).await);
    assert!(g.attempts.len() >= 2, "{g:?}");
    let asked = recording.asked();
    assert_eq!(asked.iter().filter(|t| *t == topic).count(), 1, "{asked:?}");
    let mut once = asked.clone();
    once.sort();
    once.dedup();
    assert_eq!(once.len(), asked.len(), "{asked:?}");
}
