//! Workspaces: the owners of every stored row.

use async_trait::async_trait;
use reelsmith_core::store::{Workspace, WorkspaceStore};
use reelsmith_core::{Error, Result};
use sqlx::Row;

use crate::ledger::stamp;
use crate::{Store, storage};

/// Longest workspace name, characters.
pub const MAX_WORKSPACE_NAME: usize = 64;

#[async_trait]
impl WorkspaceStore for Store {
    async fn workspace(&self, name: &str) -> Result<Workspace> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_WORKSPACE_NAME {
            return Err(Error::InvalidInput(format!(
                "a workspace name is 1 to {MAX_WORKSPACE_NAME} characters, e.g. \"local\" or \"agency-client-1\""
            )));
        }
        // Every request names its workspace: look it up on the read pool, and take the write lock
        // only the first time a name is seen. The no-op update makes RETURNING give the existing
        // row's id on both backends when two first requests race.
        let known: Option<i64> = sqlx::query("SELECT id FROM workspaces WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .and_then(|r| r.map(|r| r.try_get(0)).transpose())
            .map_err(storage)?;
        if let Some(id) = known {
            return Ok(Workspace(id));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO workspaces (name, created_at) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(name)
        .bind(stamp(chrono::Utc::now()))
        .fetch_one(&self.writer)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(storage)?;
        Ok(Workspace(id))
    }
}
