//! The user's trend list.

use async_trait::async_trait;
use chrono::Utc;
use reelsmith_core::store::{Trend, TrendStore};
use reelsmith_core::{Error, Result};
use sqlx::Row;

use crate::{Store, storage};

#[async_trait]
impl TrendStore for Store {
    async fn add_trend(&self, phrase: &str, note: Option<&str>) -> Result<Trend> {
        let phrase = phrase.trim();
        if phrase.is_empty() || phrase.chars().count() > 100 {
            return Err(Error::InvalidInput(
                "a trend is a phrase of 1 to 100 characters, e.g. \"sleepmaxxing\" or \"5am club\""
                    .into(),
            ));
        }
        let now = Utc::now().to_rfc3339();
        let row = sqlx::query(
            "INSERT INTO trends (phrase, note, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (phrase) DO UPDATE SET note = COALESCE(excluded.note, trends.note) \
             RETURNING phrase, note, created_at",
        )
        .bind(phrase)
        .bind(note)
        .bind(&now)
        .fetch_one(&self.pool)
        .await
        .map_err(storage)?;
        trend(&row)
    }

    async fn trends(&self) -> Result<Vec<Trend>> {
        sqlx::query("SELECT phrase, note, created_at FROM trends ORDER BY phrase")
            .fetch_all(&self.pool)
            .await
            .map_err(storage)?
            .iter()
            .map(trend)
            .collect()
    }

    async fn remove_trend(&self, phrase: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM trends WHERE phrase = $1")
            .bind(phrase.trim())
            .execute(&self.pool)
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
