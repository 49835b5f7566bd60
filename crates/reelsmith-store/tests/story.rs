//! The store story: one scenario, run against SQLite always and against PostgreSQL when
//! `REELSMITH_TEST_DATABASE_URL` is set (`scripts/postgres.sh` starts a server and prints the URL).

use reelsmith_core::Error;
use reelsmith_core::llm::{CallOutcome, LlmCallRecord, Step};
use reelsmith_core::persona::{
    CreatorProfile, ExampleEmbeddings, ExampleScript, NewPersonaVersion,
};
use reelsmith_core::store::{
    GenerationStore, LedgerLinks, LedgerStore, PersonaStore, TrendStore, Workspace,
};

/// The workspace the story runs in.
const WS: Workspace = Workspace::LOCAL;
use reelsmith_core::style::learn_style;
use reelsmith_store::{Backend, Store};
use sqlx::Connection;

#[path = "story/experiments.rs"]
mod experiments;
#[path = "story/posts.rs"]
mod posts;
#[path = "story/schema.rs"]
mod schema;
#[path = "story/workspaces.rs"]
mod workspaces;

/// The value of a call the story expects to succeed.
fn ok<T>(r: Result<T, Error>) -> T {
    r.unwrap_or_else(|e| unreachable!("{e}"))
}

fn example(text: &str, duration_s: Option<f64>) -> ExampleScript {
    ExampleScript {
        title: Some("t".into()),
        text: text.into(),
        source: "story.md".into(),
        duration_s,
    }
}

fn new_version(name: &str, texts: &[&str], story: Option<&str>) -> NewPersonaVersion {
    let examples: Vec<ExampleScript> = texts.iter().map(|t| example(t, Some(20.0))).collect();
    NewPersonaVersion {
        name: name.into(),
        profile: CreatorProfile {
            display_name: Some("Maya Okafor".into()),
            story: story.map(Into::into),
            ..Default::default()
        },
        style: learn_style(&examples, None),
        embeddings: Some(ExampleEmbeddings {
            model: "test-model".into(),
            vectors: (0..examples.len())
                .map(|i| vec![i as f32, 0.5, -0.25])
                .collect(),
        }),
        examples,
    }
}

async fn story(store: &Store) {
    assert!(store.personas(WS).await.unwrap_or_default().is_empty());
    assert!(matches!(
        store.persona(WS, "maya", None).await,
        Err(Error::NotFound {
            kind: "persona",
            ..
        })
    ));

    // Learn version 1.
    let v1 = store
        .save_persona_version(
            WS,
            &new_version(
                "maya",
                &[
                    "Stop hitting snooze. Your brain resets. Follow for more.",
                    "Why are you tired at 3pm? Save this.",
                ],
                Some("I was a night nurse."),
            ),
        )
        .await
        .unwrap_or_else(|e| unreachable!("save v1: {e}"));
    assert_eq!((v1.version, v1.versions), (1, 1));
    assert_eq!(v1.examples.len(), 2);
    assert_eq!(v1.examples[0].words, 9);
    assert_eq!(v1.examples[1].example.duration_s, Some(20.0));
    assert_eq!(
        v1.examples[1].embedding,
        Some(("test-model".to_string(), vec![1.0, 0.5, -0.25]))
    );
    assert_eq!(v1.profile.story.as_deref(), Some("I was a night nurse."));
    assert_eq!(v1.style.examples, 2);

    // Round trip: what is read back is what was stored, JSON columns included.
    let read = store
        .persona(WS, "maya", None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(read, v1);

    // Learning again makes version 2; version 1 stays readable.
    let v2 = store
        .save_persona_version(
            WS,
            &new_version("maya", &["One more script. Comment below."], None),
        )
        .await
        .unwrap_or_else(|e| unreachable!("save v2: {e}"));
    assert_eq!((v2.version, v2.versions, v2.examples.len()), (2, 2, 1));
    let old = store
        .persona(WS, "maya", Some(1))
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(old.examples.len(), 2);
    assert_eq!(old.versions, 2);
    let missing = store.persona(WS, "maya", Some(3)).await;
    assert!(
        matches!(&missing, Err(Error::NotFound { hint, .. }) if hint.contains("1 to 2")),
        "{missing:?}"
    );

    // A second persona, and the listing.
    store
        .save_persona_version(
            WS,
            &new_version("lucia", &["Deja de pagar comisiones. Sígueme."], None),
        )
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let list = store
        .personas(WS)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let names: Vec<(&str, u32, u32)> = list
        .iter()
        .map(|p| (p.name.as_str(), p.latest_version, p.examples))
        .collect();
    assert_eq!(names, vec![("lucia", 1, 1), ("maya", 2, 1)]);
    assert_eq!(list[1].display_name.as_deref(), Some("Maya Okafor"));

    // Invalid names never reach the database.
    let bad = store
        .save_persona_version(WS, &new_version("bad name", &["x"], None))
        .await;
    assert!(matches!(bad, Err(Error::InvalidInput(_))));
    assert_eq!(
        store
            .personas(WS)
            .await
            .map(|l| l.len())
            .unwrap_or_default(),
        2
    );

    // Delete removes every version and example; the name can be learned afresh.
    let deleted = store
        .delete_persona(WS, "maya")
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!((deleted.versions, deleted.examples), (2, 3));
    assert!(matches!(
        store.delete_persona(WS, "maya").await,
        Err(Error::NotFound { .. })
    ));
    let again = store
        .save_persona_version(WS, &new_version("maya", &["Fresh start. Follow me."], None))
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(again.version, 1);
    store
        .delete_persona(WS, "maya")
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    store
        .delete_persona(WS, "lucia")
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(store.personas(WS).await.unwrap_or_default().is_empty());

    // Trends: add (again updates the note), list by phrase, remove, unknown removal.
    ok(store.add_trend(WS, "sleepmaxxing", None).await);
    ok(store
        .add_trend(WS, " 5am club ", Some("everywhere in March"))
        .await);
    let again = ok(store.add_trend(WS, "sleepmaxxing", Some("TikTok")).await);
    assert_eq!(again.note.as_deref(), Some("TikTok"));
    let list = store.trends(WS).await.unwrap_or_default();
    let phrases: Vec<&str> = list.iter().map(|t| t.phrase.as_str()).collect();
    assert_eq!(phrases, ["5am club", "sleepmaxxing"]);
    assert!(matches!(
        store.add_trend(WS, "  ", None).await,
        Err(Error::InvalidInput(_))
    ));
    ok(store.remove_trend(WS, "5am club").await);
    assert!(matches!(
        store.remove_trend(WS, "5am club").await,
        Err(Error::NotFound { kind: "trend", .. })
    ));
    ok(store.remove_trend(WS, "sleepmaxxing").await);
    assert!(store.trends(WS).await.unwrap_or_default().is_empty());

    ledger(store).await;
    workspaces::workspaces(store).await;
    posts::posts(store).await;
    experiments::experiments(store).await;
}

/// The LLM call ledger: rows, usage totals per day/step/provider/model, spend since, links.
async fn ledger(store: &Store) {
    let now = chrono::Utc::now();
    let call = |provider: &str, cost: f64, outcome: CallOutcome, ago_days: i64| LlmCallRecord {
        workspace: WS,
        generation_id: None,
        persona_version_id: None,
        step: Step::Generation,
        provider: provider.into(),
        model: "m".into(),
        prompt_tokens: 1000,
        completion_tokens: 200,
        cost_usd: cost,
        latency_ms: 300,
        retries: 1,
        outcome,
        error: (outcome != CallOutcome::Ok).then(|| "HTTP 500".to_string()),
        fallback_from: None,
        created_at: now - chrono::Duration::days(ago_days),
    };
    let a = ok(store
        .record_llm_call(&call("openai", 0.25, CallOutcome::Ok, 0))
        .await);
    let b = ok(store
        .record_llm_call(&call("openai", 0.0, CallOutcome::Error, 0))
        .await);
    ok(store
        .record_llm_call(&call("openai", 1.0, CallOutcome::Ok, 40))
        .await);
    assert!(b > a);
    let today = ok(store
        .llm_usage(WS, Some(now - chrono::Duration::hours(1)))
        .await);
    assert_eq!(today.len(), 1);
    let row = &today[0];
    assert_eq!(
        (
            row.calls,
            row.failed,
            row.prompt_tokens,
            row.completion_tokens
        ),
        (2, 1, 2000, 400)
    );
    assert!((row.cost_usd - 0.25).abs() < 1e-9 && (row.mean_latency_ms - 300.0).abs() < 1e-9);
    assert_eq!(row.day, now.format("%Y-%m-%d").to_string());
    assert_eq!(ok(store.llm_usage(WS, None).await).len(), 2);
    let spent = ok(store
        .llm_spend_since(WS, now - chrono::Duration::days(1))
        .await);
    assert!((spent - 0.25).abs() < 1e-9, "{spent}");
    // Linking to a persona version that exists.
    let v = ok(store
        .save_persona_version(WS, &new_version("ledgered", &["One script."], None))
        .await);
    ok(store.link_llm_calls(WS, &[a, b], &v.name, v.version).await);
    generations(store, &v.name, v.version, a).await;
}

/// Generations: save with attempts and a ledgered call, versions, history filters, approval, soft
/// and hard delete.
/// A two-attempt generation of `persona`'s `version` (the first attempt unparsable).
fn sample_generation(
    persona: &str,
    version: u32,
    call_ids: Vec<i64>,
) -> reelsmith_core::generation::NewGeneration {
    use reelsmith_core::generation::{
        NewAttempt, NewGeneration, ScriptBody, ScriptOutput, ScriptRequest,
    };
    use reelsmith_core::platform::{ContentType, Fit, Platform, Style};
    let draft =
        reelsmith_core::script::parse_draft("HOOK: Stop.\nBODY: Sleep in the dark.\nCTA: Follow.")
            .unwrap_or_default();
    NewGeneration {
        persona: persona.into(),
        persona_version: version,
        parent_id: None,
        request: ScriptRequest {
            persona: persona.into(),
            topic: "blackout curtains".into(),
            duration_s: 15.0,
            content_type: ContentType::Educational,
            style: Style::Casual,
            language: None,
            platform: Platform::Reels,
            attempts: 2,
            requirements: vec![],
            context: None,
            urgency: Default::default(),
            repurposed_from: None,
        },
        attempts: vec![
            NewAttempt {
                raw_text: "nope".into(),
                draft: None,
                error: Some("no HOOK".into()),
                card: None,
            },
            NewAttempt {
                raw_text: "HOOK: Stop.".into(),
                draft: Some(draft.clone()),
                error: None,
                card: None,
            },
        ],
        winner: Some(1),
        script: Some(ScriptOutput {
            title: "blackout curtains".into(),
            body: ScriptBody::Video {
                sections: reelsmith_core::script::sections(&draft, 150.0),
            },
            caption: "Stop.".into(),
            hashtags: vec!["#reels".into()],
            duration_s: 2.4,
            words: 6,
            wpm: 150.0,
            fit: Fit::AsWritten,
            drew_on: vec!["examples “Coffee”".into()],
            fitted: Vec::new(),
        }),
        card: None,
        error: None,
        call_ids,
    }
}

async fn generations(store: &Store, persona: &str, version: u32, call: i64) {
    use reelsmith_core::generation::{Approval, HistoryFilter, NewGeneration};
    let new = sample_generation(persona, version, vec![call]);
    let g = ok(store.save_generation(WS, &new).await);
    assert_eq!(
        (g.version, g.status.as_str(), g.approval),
        (1, "completed", Approval::Draft)
    );
    assert_eq!(g.attempts.len(), 2);
    assert!(g.attempts[1].winner && !g.attempts[0].winner);
    assert!((g.cost_usd - 0.25).abs() < 1e-9, "{}", g.cost_usd);
    let child = ok(store
        .save_generation(
            WS,
            &NewGeneration {
                parent_id: Some(g.id),
                call_ids: vec![],
                ..new.clone()
            },
        )
        .await);
    assert_eq!((child.version, child.parent_id), (2, Some(g.id)));
    let approved = ok(store
        .set_approval(
            WS,
            child.id,
            Approval::Approved,
            Some("maya"),
            Some("ship it"),
        )
        .await);
    assert_eq!(
        (approved.approval, approved.approval_notes.as_deref()),
        (Approval::Approved, Some("ship it"))
    );
    let filter = HistoryFilter {
        persona: Some(persona.into()),
        limit: 10,
        ..HistoryFilter::default()
    };
    let (rows, total) = ok(store.generations(WS, &filter).await);
    assert_eq!((rows.len(), total), (2, 2));
    assert_eq!(rows[0].id, child.id);
    let only_approved = HistoryFilter {
        approval: Some(Approval::Approved),
        ..filter.clone()
    };
    assert_eq!(ok(store.generations(WS, &only_approved).await).1, 1);
    // Style, platform, topic search (case-insensitive, LIKE wildcards taken literally) and dates.
    let hour = chrono::Duration::hours(1);
    let now = chrono::Utc::now();
    let count = async |f: HistoryFilter| ok(store.generations(WS, &f).await).1;
    let with = |edit: fn(&mut HistoryFilter)| {
        let mut f = filter.clone();
        edit(&mut f);
        f
    };
    assert_eq!(
        count(with(
            |f| f.style = Some(reelsmith_core::platform::Style::Casual)
        ))
        .await,
        2
    );
    assert_eq!(
        count(with(
            |f| f.style = Some(reelsmith_core::platform::Style::Sales)
        ))
        .await,
        0
    );
    assert_eq!(
        count(with(
            |f| f.platform = Some(reelsmith_core::platform::Platform::Tiktok)
        ))
        .await,
        0
    );
    assert_eq!(count(with(|f| f.query = Some("CURTAIN".into()))).await, 2);
    assert_eq!(count(with(|f| f.query = Some("black%".into()))).await, 0);
    assert_eq!(count(with(|f| f.query = Some("_lackout".into()))).await, 0);
    let mut recent = filter.clone();
    recent.since = Some(now - hour);
    recent.until = Some(now + hour);
    assert_eq!(count(recent.clone()).await, 2);
    recent.since = Some(now + hour);
    assert_eq!(count(recent).await, 0);
    ok(store.delete_generation(WS, g.id, false).await);
    assert_eq!(ok(store.generations(WS, &filter).await).1, 1);
    assert!(ok(store.generation(WS, g.id).await).deleted_at.is_some());
    ok(store.delete_generation(WS, child.id, true).await);
    assert!(matches!(
        store.generation(WS, child.id).await,
        Err(Error::NotFound {
            kind: "generation",
            ..
        })
    ));
    assert!(matches!(
        store.delete_generation(WS, child.id, true).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let path = dir.path().join("nested folder/reelsmith #1.db");
    let store = Store::open_sqlite(&path)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(store.backend(), Backend::Sqlite);
    story(&store).await;
    // Data persists across reopening, and migrations are idempotent.
    store
        .save_persona_version(WS, &new_version("kept", &["Still here. Follow."], None))
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    store.close().await;
    let reopened = Store::open_sqlite(&path)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(
        reopened
            .persona(WS, "kept", None)
            .await
            .map(|p| p.version)
            .ok(),
        Some(1)
    );
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(
            &mut sqlx::SqliteConnection::connect(&format!(
                "sqlite://{}",
                path.display().to_string().replace('#', "%23")
            ))
            .await
            .unwrap_or_else(|e| unreachable!("{e}")),
        )
        .await
        .unwrap_or_default();
    assert_eq!(mode, "wal");
}

/// Concurrent generations on one SQLite file all get stored. A deferred transaction that upgrades
/// to a writer fails at once with "database is locked" while another holds the lock; `reelsmith bench
/// serve` lost a quarter of 145 generations that way before write transactions began IMMEDIATE.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_on_sqlite_all_succeed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let store = Store::open_sqlite(&dir.path().join("busy.db"))
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    ok(store
        .save_persona_version(WS, &new_version("busy", &["Stop. Sleep. Follow."], None))
        .await);
    let tasks: Vec<_> = (0..48)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .save_generation(WS, &sample_generation("busy", 1, vec![]))
                    .await
                    .map(|g| g.id)
            })
        })
        .collect();
    let mut failures = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.unwrap_or_else(|e| unreachable!("{e}")) {
            failures.push(e.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 48 failed: {:?}",
        failures.len(),
        failures.first()
    );
    let (_, total) = ok(store
        .generations(
            WS,
            &reelsmith_core::generation::HistoryFilter {
                persona: Some("busy".into()),
                limit: 1,
                ..Default::default()
            },
        )
        .await);
    assert_eq!(total, 48);
}

#[tokio::test]
async fn story_on_postgres() {
    // A fresh database per run, so leftovers of an earlier run cannot interfere.
    let Some((url, db, mut admin)) = schema::fresh_postgres("story").await else {
        eprintln!(
            "REELSMITH_TEST_DATABASE_URL is not set: PostgreSQL story skipped (scripts/test.sh sets it)"
        );
        return;
    };
    let store = Store::connect(&url)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(store.backend(), Backend::Postgres);
    story(&store).await;
    store.close().await;
    schema::drop_postgres(&db, &mut admin).await;
}

#[tokio::test]
async fn unsupported_urls_are_refused_with_the_fix() {
    let err = Store::connect("mysql://root:pw@localhost/x")
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("postgres://") && err.contains("root:***"),
        "{err}"
    );
}
