//! Migrations: every migration, present and future, gives SQLite and PostgreSQL the same schema
//! (tables, columns, types, nullability, indexes, foreign keys), read back from the databases
//! themselves; and a database filled by an older reelsmith opens with the current one, its data
//! readable in the local workspace.

use std::collections::BTreeSet;

use reelsmith_core::persona::{CreatorProfile, ExampleScript};
use reelsmith_core::store::{GenerationStore, PersonaStore, TrendStore, Workspace};
use reelsmith_store::{Backend, Store, migrator};
use sqlx::{Connection, Row};

/// One fact of a schema, comparable across backends.
type Fact = (String, String);

/// The type class a declared type belongs to (SQLite's affinity names vs PostgreSQL's types).
fn class(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "int" | "int8" => "integer",
        "text" | "character varying" => "text",
        "real" | "double precision" | "float8" => "real",
        "blob" | "bytea" => "blob",
        other => return format!("other:{other}"),
    }
    .to_string()
}

/// SQLite's `ON DELETE` action names, PostgreSQL's `confdeltype` letters: one vocabulary.
fn on_delete(a: &str) -> String {
    match a {
        "c" | "CASCADE" => "cascade",
        "n" | "SET NULL" => "set null",
        "r" | "RESTRICT" => "restrict",
        "d" | "SET DEFAULT" => "set default",
        _ => "no action",
    }
    .to_string()
}

async fn sqlite_schema(path: &std::path::Path) -> BTreeSet<Fact> {
    let url = format!("sqlite://{}", path.display());
    let mut c = sqlx::SqliteConnection::connect(&url)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut c)
    .await
    .unwrap_or_default();
    let mut facts = BTreeSet::new();
    for t in &tables {
        facts.insert(("table".into(), t.clone()));
        for r in sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(t)
            .fetch_all(&mut c)
            .await
            .unwrap_or_default()
        {
            let name: String = r.get(0);
            let ty: String = r.get(1);
            let not_null = r.get::<i64, _>(2) == 1 || r.get::<i64, _>(3) > 0;
            facts.insert((
                "column".into(),
                format!(
                    "{t}.{name} {} {}",
                    class(&ty),
                    if not_null { "not null" } else { "null" }
                ),
            ));
        }
        for r in sqlx::query("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
            .bind(t)
            .fetch_all(&mut c)
            .await
            .unwrap_or_default()
        {
            let (name, unique, origin): (String, i64, String) = (r.get(0), r.get(1), r.get(2));
            if origin == "pk" {
                continue;
            }
            let cols: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(&mut c)
                    .await
                    .unwrap_or_default();
            facts.insert((
                "index".into(),
                format!(
                    "{t}({}){}",
                    cols.join(","),
                    if unique == 1 { " unique" } else { "" }
                ),
            ));
        }
        for r in sqlx::query(
            "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list($1)",
        )
        .bind(t)
        .fetch_all(&mut c)
        .await
        .unwrap_or_default()
        {
            let (from, table, to, del): (String, String, String, String) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            facts.insert((
                "foreign key".into(),
                format!("{t}.{from} -> {table}.{to} on delete {}", on_delete(&del)),
            ));
        }
    }
    facts
}

async fn postgres_schema(url: &str) -> BTreeSet<Fact> {
    let mut c = sqlx::PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let mut facts = BTreeSet::new();
    for r in sqlx::query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap_or_default()
    {
        facts.insert(("table".into(), r.get::<String, _>(0)));
    }
    for r in sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap_or_default()
    {
        let (t, name, ty, nullable): (String, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        facts.insert((
            "column".into(),
            format!("{t}.{name} {} {}", class(&ty), if nullable == "NO" { "not null" } else { "null" }),
        ));
    }
    for r in sqlx::query(
        "SELECT t.relname::text, i.indisunique, \
                array_to_string(ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o) \
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',') \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace \
         WHERE s.nspname = 'public' AND NOT i.indisprimary AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap_or_default()
    {
        let (t, unique, cols): (String, bool, String) = (r.get(0), r.get(1), r.get(2));
        facts.insert((
            "index".into(),
            format!("{t}({cols}){}", if unique { " unique" } else { "" }),
        ));
    }
    for r in sqlx::query(
        "SELECT c.conrelid::regclass::text, a.attname::text, c.confrelid::regclass::text, \
                af.attname::text, c.confdeltype::text \
         FROM pg_constraint c \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] \
         WHERE c.contype = 'f'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap_or_default()
    {
        let (t, from, table, to, del): (String, String, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        facts.insert((
            "foreign key".into(),
            format!("{t}.{from} -> {table}.{to} on delete {}", on_delete(&del)),
        ));
    }
    facts
}

pub use reelsmith_testkit::postgres::{drop_postgres, fresh_postgres};

#[tokio::test]
async fn every_migration_gives_both_backends_the_same_schema() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let path = dir.path().join("schema.db");
    let sqlite = Store::open_sqlite(&path)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    sqlite.close().await;
    let lite = sqlite_schema(&path).await;
    // The facts the comparison must see, so that an empty read cannot pass.
    for must in [
        ("table", "workspaces"),
        ("column", "personas.workspace_id integer not null"),
        ("index", "personas(workspace_id,name) unique"),
        (
            "foreign key",
            "generations.workspace_id -> workspaces.id on delete cascade",
        ),
    ] {
        assert!(
            lite.contains(&(must.0.to_string(), must.1.to_string())),
            "SQLite schema lacks {must:?}: {lite:#?}"
        );
    }
    assert!(
        !lite.contains(&("index".into(), "personas(name) unique".into())),
        "a persona name must be unique per workspace only"
    );
    let Some((url, db, mut admin)) = fresh_postgres("schema").await else {
        eprintln!(
            "REELSMITH_TEST_DATABASE_URL is not set: the PostgreSQL half of the schema comparison is skipped (scripts/test.sh sets it)"
        );
        return;
    };
    let pg = Store::connect(&url)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    pg.close().await;
    let post = postgres_schema(&url).await;
    drop_postgres(&db, &mut admin).await;
    let only_sqlite: Vec<&Fact> = lite.difference(&post).collect();
    let only_postgres: Vec<&Fact> = post.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the backends' schemas differ:\n only in SQLite: {only_sqlite:#?}\n only in PostgreSQL: {only_postgres:#?}"
    );
}

/// A database at migration 4 (before workspaces and script formats), filled as that reelsmith did.
async fn fill_version_4(c: &mut sqlx::AnyConnection) {
    let example = ExampleScript {
        title: Some("t".into()),
        text: "Stop hitting snooze. Your brain resets. Follow for more.".into(),
        source: "old.md".into(),
        duration_s: Some(5.0),
    };
    let style = reelsmith_core::style::learn_style(std::slice::from_ref(&example), None);
    let now = "2026-11-01T10:00:00.000000Z";
    let old_request = r#"{"persona":"lucía","topic":"snooze","duration_s":15.0,"content_type":"educational","style":"casual","language":"en","platform":"reels","attempts":1,"requirements":[]}"#;
    let old_script = r##"{"title":"snooze","sections":[{"kind":"hook","scene":"intro","voiceover":"Stop hitting snooze.","start_s":0.0,"end_s":1.2,"on_screen_text":"Stop hitting snooze.","visual_cue":"v","camera":"c","visuals_derived":true}],"caption":"Stop.","hashtags":["#reels"],"duration_s":1.2,"words":3,"wpm":150.0,"fit":"trimmed"}"##;
    let statements: Vec<(&str, Vec<String>)> = vec![
        (
            "INSERT INTO personas (name, created_at, updated_at) VALUES ($1, $2, $2)",
            vec!["lucía".into(), now.into()],
        ),
        (
            "INSERT INTO persona_versions (persona_id, version, profile_json, style_json, language, created_at) \
             VALUES (1, 1, $1, $2, 'en', $3)",
            vec![
                serde_json::to_string(&CreatorProfile::default()).unwrap_or_default(),
                serde_json::to_string(&style).unwrap_or_default(),
                now.into(),
            ],
        ),
        (
            "INSERT INTO example_scripts (persona_version_id, position, title, body, source, duration_s, words, created_at) \
             VALUES (1, 0, 't', $1, 'old.md', 5.0, 9, $2)",
            vec![example.text.clone(), now.into()],
        ),
        (
            "INSERT INTO trends (phrase, created_at) VALUES ('sleepmaxxing', $1)",
            vec![now.into()],
        ),
        (
            "INSERT INTO generations (persona_version_id, request_json, topic, platform, style, content_type, \
             language, target_duration_s, status, script_json, created_at, version) \
             VALUES (1, $1, 'snooze', 'reels', 'casual', 'educational', 'en', 15.0, 'completed', $2, $3, 1)",
            vec![old_request.into(), old_script.into(), now.into()],
        ),
        (
            "INSERT INTO llm_calls (generation_id, step, provider, model, latency_ms, outcome, cost_usd, created_at) \
             VALUES (1, 'generation', 'openai', 'm', 10, 'ok', 0.25, $1)",
            vec![now.into()],
        ),
    ];
    for (sql, binds) in statements {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(b);
        }
        q.execute(&mut *c)
            .await
            .unwrap_or_else(|e| unreachable!("{sql}: {e}"));
    }
}

/// Migrates `url` to version 4, fills it as that reelsmith did, then opens it with the current
/// one and reads everything back in the local workspace.
async fn upgrade_from_version_4(url: &str, backend: Backend) -> Store {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    migrator(backend)
        .run_to(4, &mut c)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    fill_version_4(&mut c).await;
    c.close().await.unwrap_or_else(|e| unreachable!("{e}"));

    let store = Store::connect(url)
        .await
        .unwrap_or_else(|e| unreachable!("upgrading: {e}"));
    let ws = Workspace::LOCAL;
    let p = store
        .persona(ws, "lucía", None)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!((p.version, p.examples.len()), (1, 1));
    let trends = store.trends(ws).await.unwrap_or_default();
    assert_eq!(trends.len(), 1);
    let g = store
        .generation(ws, 1)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let script = g.script.unwrap_or_else(|| unreachable!("a script"));
    assert_eq!(script.format(), reelsmith_core::platform::Format::Video);
    assert_eq!(script.fit, reelsmith_core::platform::Fit::Trimmed);
    assert_eq!(script.sections().len(), 1);
    assert_eq!(g.request.urgency, reelsmith_core::platform::Urgency::Normal);
    assert!((g.cost_usd - 0.25).abs() < 1e-9);
    // The old rows keep working with the new code: their foreign keys still cascade (deleting
    // the persona removes its generation).
    store
        .delete_persona(ws, "lucía")
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(store.generation(ws, 1).await.is_err());
    store
}

#[tokio::test]
async fn a_database_of_an_older_version_opens_with_its_data_in_the_local_workspace() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let path = dir.path().join("old.db");
    let store = upgrade_from_version_4(
        &format!("sqlite://{}?mode=rwc", path.display()),
        Backend::Sqlite,
    )
    .await;
    store.close().await;
    let Some((url, db, mut admin)) = fresh_postgres("upgrade").await else {
        eprintln!("REELSMITH_TEST_DATABASE_URL is not set: the PostgreSQL upgrade is skipped");
        return;
    };
    let store = upgrade_from_version_4(&url, Backend::Postgres).await;
    store.close().await;
    drop_postgres(&db, &mut admin).await;
}
