//! The LLM call ledger (table `llm_calls`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reelsmith_core::Result;
use reelsmith_core::llm::{LlmCallRecord, UsageRow};
use reelsmith_core::store::{LedgerStore, Workspace};
use sqlx::Row;

use crate::{Store, storage};

/// Timestamps are stored as RFC 3339 UTC text with a fixed width, so text order is time order and
/// the first ten characters are the UTC day on both backends.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[async_trait]
impl LedgerStore for Store {
    async fn record_llm_call(&self, c: &LlmCallRecord) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO llm_calls (generation_id, persona_version_id, step, provider, model, \
             prompt_tokens, completion_tokens, cost_usd, latency_ms, retries, outcome, error, \
             fallback_from, created_at, workspace_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(c.generation_id)
        .bind(c.persona_version_id)
        .bind(c.step.as_str())
        .bind(&c.provider)
        .bind(&c.model)
        .bind(int(c.prompt_tokens))
        .bind(int(c.completion_tokens))
        .bind(c.cost_usd)
        .bind(int(c.latency_ms))
        .bind(i64::from(c.retries))
        .bind(c.outcome.as_str())
        .bind(c.error.as_deref())
        .bind(c.fallback_from.as_deref())
        .bind(stamp(c.created_at))
        .bind(c.workspace.id())
        .fetch_one(&self.writer)
        .await
        .map_err(storage)?;
        row.try_get("id").map_err(storage)
    }

    async fn llm_spend_since(&self, ws: Workspace, since: DateTime<Utc>) -> Result<f64> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(cost_usd), 0) AS DOUBLE PRECISION) AS spent \
             FROM llm_calls WHERE workspace_id = $1 AND created_at >= $2",
        )
        .bind(ws.id())
        .bind(stamp(since))
        .fetch_one(&self.pool)
        .await
        .map_err(storage)?;
        row.try_get("spent").map_err(storage)
    }

    async fn llm_usage(
        &self,
        ws: Workspace,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<UsageRow>> {
        let since = since.map_or_else(String::new, stamp);
        let rows = sqlx::query(
            "SELECT SUBSTR(created_at, 1, 10) AS day, step, provider, model, \
             CAST(COUNT(*) AS BIGINT) AS calls, \
             CAST(SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS BIGINT) AS failed, \
             CAST(SUM(prompt_tokens) AS BIGINT) AS prompt_tokens, \
             CAST(SUM(completion_tokens) AS BIGINT) AS completion_tokens, \
             CAST(SUM(cost_usd) AS DOUBLE PRECISION) AS cost_usd, \
             CAST(AVG(latency_ms) AS DOUBLE PRECISION) AS mean_latency_ms \
             FROM llm_calls WHERE workspace_id = $2 AND created_at >= $1 \
             GROUP BY SUBSTR(created_at, 1, 10), step, provider, model \
             ORDER BY day DESC, step, provider, model",
        )
        .bind(since)
        .bind(ws.id())
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        rows.iter()
            .map(|r| {
                let n = |c: &str| -> Result<u64> {
                    let v: i64 = r.try_get(c).map_err(storage)?;
                    Ok(u64::try_from(v).unwrap_or(0))
                };
                Ok(UsageRow {
                    day: r.try_get("day").map_err(storage)?,
                    step: r.try_get("step").map_err(storage)?,
                    provider: r.try_get("provider").map_err(storage)?,
                    model: r.try_get("model").map_err(storage)?,
                    calls: n("calls")?,
                    failed: n("failed")?,
                    prompt_tokens: n("prompt_tokens")?,
                    completion_tokens: n("completion_tokens")?,
                    cost_usd: r.try_get("cost_usd").map_err(storage)?,
                    mean_latency_ms: r.try_get("mean_latency_ms").map_err(storage)?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl reelsmith_core::store::LedgerLinks for Store {
    async fn link_llm_calls(
        &self,
        ws: Workspace,
        call_ids: &[i64],
        name: &str,
        version: u32,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        for id in call_ids {
            sqlx::query(
                "UPDATE llm_calls SET persona_version_id = (SELECT v.id FROM persona_versions v \
                 JOIN personas p ON v.persona_id = p.id \
                 WHERE p.workspace_id = $4 AND p.name = $1 AND v.version = $2) \
                 WHERE id = $3 AND workspace_id = $4",
            )
            .bind(name)
            .bind(i64::from(version))
            .bind(id)
            .bind(ws.id())
            .execute(&mut *tx)
            .await
            .map_err(storage)?;
        }
        tx.commit().await.map_err(storage)
    }
}
