//! A fresh PostgreSQL database per test, on the server `scripts/postgres.sh` starts (its URL in
//! `REELSMITH_TEST_DATABASE_URL`), so leftovers of an earlier run cannot interfere.

use sqlx::Connection;

/// Creates database `reelsmith_{tag}_{pid}_{µs}` and returns its URL, its name and an admin
/// connection to drop it with; `None` when `REELSMITH_TEST_DATABASE_URL` is not set.
pub async fn fresh_postgres(tag: &str) -> Option<(String, String, sqlx::PgConnection)> {
    let url = std::env::var("REELSMITH_TEST_DATABASE_URL").ok()?;
    let db = format!(
        "reelsmith_{tag}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros())
    );
    let mut admin = sqlx::PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| unreachable!("connect {url}: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| unreachable!("{e}"));
    let (base, _) = url.rsplit_once('/').unwrap_or((&url, ""));
    Some((format!("{base}/{db}"), db, admin))
}

/// Drops a database made by [`fresh_postgres`].
pub async fn drop_postgres(db: &str, admin: &mut sqlx::PgConnection) {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {db} WITH (FORCE)"
    )))
    .execute(admin)
    .await
    .unwrap_or_else(|e| unreachable!("{e}"));
}
