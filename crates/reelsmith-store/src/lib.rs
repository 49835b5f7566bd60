//! reelsmith's storage: SQLite as the embedded default (one file, WAL) and PostgreSQL for scale-out,
//! behind one SQL code path (sqlx's `Any` driver; `$N` placeholders work on both). Each backend has its
//! own migrations, applied on open.

mod experiments;
mod generations;
mod ledger;
mod personas;
mod posts;
mod trends;
mod workspaces;

pub use workspaces::MAX_WORKSPACE_NAME;

use std::path::Path;

use reelsmith_core::Error;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The storage handle: connection pools with migrations applied. Cheap to clone.
///
/// On SQLite, reads and writes use separate pools: four connections for reads and **one** for
/// writes. SQLite admits one writer at a time, so a writer that waits for the lock while holding a
/// shared connection starves readers: twelve concurrent generations' writes took all four connections
/// of a single pool, and a `GET /scripts` between them failed with "pool timed out while waiting for
/// an open connection" (the crash test on a loaded machine). With one write connection, writers queue
/// for it instead, and WAL lets readers run beside the writer. On PostgreSQL both are the same pool.
#[derive(Debug, Clone)]
pub struct Store {
    /// Reads.
    pool: AnyPool,
    /// Every write: [`Store::write_tx`] transactions and single `INSERT`/`UPDATE`/`DELETE`
    /// statements alike. The same pool as `pool` on PostgreSQL.
    writer: AnyPool,
    backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The migrations of `backend`, in order: [`Store::connect`] applies them all. Public for upgrade
/// tests, which migrate a database only part of the way (`Migrator::run_to`), fill it as an older
/// reelsmith would have, and open it with the current one.
pub fn migrator(backend: Backend) -> &'static sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

impl Store {
    /// Opens (creating if needed, with its parent folder) the SQLite database at `path` in WAL mode and
    /// applies migrations.
    ///
    /// # Errors
    /// [`Error::Storage`] when the folder cannot be created or the file cannot be opened or migrated.
    pub async fn open_sqlite(path: &Path) -> Result<Store, Error> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                Error::Storage(format!(
                    "cannot create the data folder {}: {e}",
                    parent.display()
                ))
            })?;
        }
        // sqlx percent-decodes the path part of a SQLite URL.
        let encoded = path
            .to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23");
        Store::connect(&format!("sqlite://{encoded}?mode=rwc")).await
    }

    /// Connects to `url` — `sqlite://PATH?mode=rwc` or `postgres://user:pass@host/db` (also
    /// `postgresql://`) — and applies migrations.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for another scheme; [`Error::Storage`] when the database is unreachable
    /// or a migration fails.
    pub async fn connect(url: &str) -> Result<Store, Error> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(Error::InvalidInput(format!(
                "unsupported database_url '{}': use postgres://user:password@host/db, or leave it unset for the SQLite file in the data folder",
                redact(url)
            )));
        };
        sqlx::any::install_default_drivers();
        let opened = |e: sqlx::Error| {
            Error::Storage(format!("cannot open the database at {}: {e}", redact(url)))
        };
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                // The writer first: it creates the file and sets WAL (which persists in the
                // file), so the readers open a WAL database.
                let writer = pool_options(backend, 1, WRITE_QUEUE_TIMEOUT)
                    .connect(url)
                    .await
                    .map_err(opened)?;
                sqlx::query("PRAGMA journal_mode=WAL")
                    .execute(&writer)
                    .await
                    .map_err(storage)?;
                let pool = pool_options(backend, 4, READ_TIMEOUT)
                    .connect(url)
                    .await
                    .map_err(opened)?;
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = pool_options(backend, 10, READ_TIMEOUT)
                    .connect(url)
                    .await
                    .map_err(opened)?;
                (pool.clone(), pool)
            }
        };
        migrator(backend).run(&writer).await.map_err(|e| {
            Error::Storage(format!(
                "migrating the database at {} failed: {e}",
                redact(url)
            ))
        })?;
        Ok(Store {
            pool,
            writer,
            backend,
        })
    }

    /// Begins a write transaction on the write pool. On SQLite it is `BEGIN IMMEDIATE`: it takes the
    /// write lock at once (waiting up to the 30 s busy timeout for another process, e.g. a CLI run
    /// beside the server), because a deferred transaction that reads first and then upgrades gets
    /// "database is locked" at once when another writer holds the lock — which `reelsmith bench
    /// serve` showed under concurrent generations.
    ///
    /// # Errors
    /// [`Error::Storage`] when no connection or lock is had in time.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
        .map_err(storage)
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pools, waiting for connections to be returned (flushes SQLite's WAL).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// How long a read (on PostgreSQL, any statement) waits for one of the pool's connections before
/// failing (seconds: 10).
const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long an SQLite write waits in the queue for the one write connection (seconds: 120). Writes
/// are short (milliseconds), so only a long queue on a starved CPU comes near it; it is longer than
/// the 30 s busy timeout so a write queued behind one that waits out another process's lock still
/// gets its turn.
const WRITE_QUEUE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Pool options shared by the read and write pools: at most `max` connections, `timeout` to get one,
/// and on SQLite a 30 s busy timeout for the lock held by another process.
fn pool_options(backend: Backend, max: u32, timeout: std::time::Duration) -> AnyPoolOptions {
    let options = AnyPoolOptions::new();
    // SQLite connections are a local file's handles: nothing is gained by closing idle or old ones,
    // and sqlx's reaper that does it can wedge a pool. `release()` hands the permit back before it
    // counts the connection idle, so a concurrent acquire can underflow the count to 2^64 and the
    // reaper, looping that many times without yielding, never returns (sqlx-core 0.9.0
    // `pool/inner.rs`, unchanged from the 0.8.2 analysed in risingwave PR #26125, fixed in the
    // madsim-rs/sqlx fork's PR #5). With neither timeout the reaper is never started.
    let options = match backend {
        Backend::Sqlite => options.idle_timeout(None).max_lifetime(None),
        Backend::Postgres => options,
    };
    options
        .max_connections(max)
        .acquire_timeout(timeout)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // A writer waits for the lock up to 30 s instead of sqlx's 5 s: on a loaded
                    // machine twelve concurrent generations' ledger writes waited longer and failed
                    // with "database is locked" (the crash test, under a parallel build).
                    sqlx::query("PRAGMA busy_timeout = 30000")
                        .execute(conn)
                        .await?;
                }
                Ok(())
            })
        })
}

/// `url` with any password replaced by `***`, for messages.
pub use reelsmith_core::secret::redact_credentials as redact;

/// Maps a database error to [`Error::Storage`].
pub(crate) fn storage(e: sqlx::Error) -> Error {
    Error::Storage(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
