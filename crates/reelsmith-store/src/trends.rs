//! The user's trend list.

use async_trait::async_trait;
use chrono::Utc;
use reelsmith_core::store::{Trend, TrendStore, Workspace};
use reelsmith_core::{Error, Result};
use sqlx::Row;

use crate::{Store, storage};

#[async_trait]
impl TrendStore for Store {
    async fn add_trend(&self, ws: Workspace, phrase: &str, note: Option<&str>) -> Result<Trend> {
        let phrase = phrase.trim();
        if phrase.is_empty() || phrase.chars().count() > 100 {
            return Err(Error::InvalidInput(
                "a trend is a phrase of 1 to 100 characters, e.g. \"sleepmaxxing\" or \"5am club\""
                    .into(),
            ));
        }
        let now = Utc::now().to_rfc3339();
        let row = sqlx::query(
            "INSERT INTO trends (workspace_id, phrase, note, created_at) VALUES ($4, $1, $2, $3) \
             ON CONFLICT (workspace_id, phrase) DO UPDATE SET note = COALESCE(excluded.note, trends.note) \
             RETURNING phrase, note, created_at",
        )
        .bind(phrase)
        .bind(note)
        .bind(&now)
        .bind(ws.id())
        .fetch_one(&self.writer)
        .await
        .map_err(storage)?;
        trend(&row)
    }

    async fn trends(&self, ws: Workspace) -> Result<Vec<Trend>> {
        sqlx::query(
            "SELECT phrase, note, created_at FROM trends WHERE workspace_id = $1 ORDER BY phrase",
        )
        .bind(ws.id())
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?
        .iter()
        .map(trend)
        .collect()
    }

    async fn remove_trend(&self, ws: Workspace, phrase: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM trends WHERE workspace_id = $1 AND phrase = $2")
            .bind(ws.id())
            .bind(phrase.trim())
            .execute(&self.writer)
            .await
            .map_err(storage)?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound {
                kind: "trend",
                key: phrase.trim().to_string(),
                hint: " — `reelsmith trends list` shows them".into(),
            });
        }
        Ok(())
    }
}

fn trend(r: &sqlx::any::AnyRow) -> Result<Trend> {
    let created: String = r.try_get("created_at").map_err(storage)?;
    Ok(Trend {
        phrase: r.try_get("phrase").map_err(storage)?,
        note: r.try_get("note").map_err(storage)?,
        created_at: chrono::DateTime::parse_from_rfc3339(&created)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| Error::Storage(format!("stored timestamp '{created}' is invalid: {e}")))?,
    })
}
