//! Generations, their attempts, versions and approvals.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reelsmith_core::generation::{
    Approval, Generation, GenerationSummary, HistoryFilter, NewAttempt, NewGeneration,
    RunningGeneration, StoredAttempt,
};
use reelsmith_core::platform::{GenerationStatus, Named};
use reelsmith_core::store::{GenerationStore, Workspace};
use reelsmith_core::{Error, Result};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::ledger::stamp;
use crate::{Store, storage};

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Storage(format!("cannot encode: {e}")))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::Storage(format!("stored JSON is invalid: {e}")))
}

fn time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Storage(format!("stored timestamp '{s}' is invalid: {e}")))
}

fn not_found(id: i64) -> Error {
    Error::NotFound {
        kind: "generation",
        key: id.to_string(),
        hint: " — `reelsmith history` lists them".into(),
    }
}

fn now() -> String {
    stamp(Utc::now())
}

const COLUMNS: &str = "g.id, p.name AS persona, v.version AS persona_version, g.parent_id, g.version, \
    g.request_json, g.status, g.approval_status, g.approval_by, g.approval_notes, g.script_json, \
    g.card_json, g.error, g.created_at, g.deleted_at";

fn summary(r: &AnyRow) -> Result<GenerationSummary> {
    let request: reelsmith_core::generation::ScriptRequest =
        parse(&r.try_get::<String, _>("request_json").map_err(storage)?)?;
    let card: Option<String> = r.try_get("card_json").map_err(storage)?;
    let card: Option<reelsmith_core::score::ScoreCard> = card.as_deref().map(parse).transpose()?;
    Ok(GenerationSummary {
        id: r.try_get("id").map_err(storage)?,
        persona: r.try_get("persona").map_err(storage)?,
        topic: request.topic,
        duration_s: request.duration_s,
        version: r.try_get::<i64, _>("version").map_err(storage)? as u32,
        status: GenerationStatus::parse(&r.try_get::<String, _>("status").map_err(storage)?)?,
        approval: Approval::parse(&r.try_get::<String, _>("approval_status").map_err(storage)?)?,
        overall: card.map(|c| c.overall),
        created_at: time(&r.try_get::<String, _>("created_at").map_err(storage)?)?,
    })
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Inserts the generation row (no attempts) with `status`; returns its id.
async fn insert_generation(
    tx: &mut Tx,
    ws: Workspace,
    new: &NewGeneration,
    status: GenerationStatus,
    runner: Option<&str>,
) -> Result<i64> {
    let pv: Option<i64> = sqlx::query(
        "SELECT v.id FROM persona_versions v JOIN personas p ON v.persona_id = p.id \
         WHERE p.workspace_id = $3 AND p.name = $1 AND v.version = $2",
    )
    .bind(&new.persona)
    .bind(i64::from(new.persona_version))
    .bind(ws.id())
    .fetch_optional(&mut **tx)
    .await
    .map_err(storage)?
    .map(|r| r.try_get("id"))
    .transpose()
    .map_err(storage)?;
    let pv = pv.ok_or_else(|| Error::NotFound {
        kind: "persona",
        key: format!("{} version {}", new.persona, new.persona_version),
        hint: " — `reelsmith persona list` shows them".into(),
    })?;
    let version: i64 = match new.parent_id {
        Some(parent) => {
            let row =
                sqlx::query("SELECT version FROM generations WHERE id = $1 AND workspace_id = $2")
                    .bind(parent)
                    .bind(ws.id())
                    .fetch_optional(&mut **tx)
                    .await
                    .map_err(storage)?
                    .ok_or_else(|| not_found(parent))?;
            row.try_get::<i64, _>("version").map_err(storage)? + 1
        }
        None => 1,
    };
    let r = &new.request;
    let created = now();
    sqlx::query(
        "INSERT INTO generations (persona_version_id, parent_id, request_json, topic, platform, \
         style, content_type, language, target_duration_s, status, created_at, version, \
         workspace_id, runner, heartbeat_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(pv)
    .bind(new.parent_id)
    .bind(json(r)?)
    .bind(&r.topic)
    .bind(r.platform.as_str())
    .bind(r.style.as_str())
    .bind(r.content_type.as_str())
    .bind(r.language.as_deref())
    .bind(r.duration_s)
    .bind(status.as_str())
    .bind(&created)
    .bind(version)
    .bind(ws.id())
    .bind(runner)
    .bind(runner.map(|_| created.clone()))
    .fetch_one(&mut **tx)
    .await
    .map_err(storage)?
    .try_get("id")
    .map_err(storage)
}

/// Inserts attempts numbered from `first_index`.
async fn insert_attempts(
    tx: &mut Tx,
    id: i64,
    first_index: usize,
    attempts: &[NewAttempt],
) -> Result<()> {
    let created = now();
    for (i, a) in attempts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO attempts (generation_id, attempt_index, raw_text, script_json, \
             overall_score, score_card_json, error, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind((first_index + i) as i64)
        .bind(&a.raw_text)
        .bind(a.draft.as_ref().map(json).transpose()?)
        .bind(a.card.as_ref().map(|c| c.overall))
        .bind(a.card.as_ref().map(json).transpose()?)
        .bind(a.error.as_deref())
        .bind(&created)
        .execute(&mut **tx)
        .await
        .map_err(storage)?;
    }
    Ok(())
}

/// Sets the outcome of generation `id` from `new` (completed with a script, else failed), marks
/// attempt `new.winner` (by attempt index) as the winner and links `new.call_ids`.
async fn set_outcome(tx: &mut Tx, ws: Workspace, id: i64, new: &NewGeneration) -> Result<()> {
    let status = if new.script.is_some() {
        GenerationStatus::Completed
    } else {
        GenerationStatus::Failed
    };
    let winner: Option<i64> = match new.winner {
        Some(index) => {
            sqlx::query("SELECT id FROM attempts WHERE generation_id = $1 AND attempt_index = $2")
                .bind(id)
                .bind(index as i64)
                .fetch_optional(&mut **tx)
                .await
                .map_err(storage)?
                .map(|r| r.try_get("id"))
                .transpose()
                .map_err(storage)?
        }
        None => None,
    };
    sqlx::query(
        "UPDATE generations SET status = $1, script_json = $2, card_json = $3, error = $4, \
         winner_attempt_id = $5, heartbeat_at = $6 WHERE id = $7",
    )
    .bind(status.as_str())
    .bind(new.script.as_ref().map(json).transpose()?)
    .bind(new.card.as_ref().map(json).transpose()?)
    .bind(new.error.as_deref())
    .bind(winner)
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(storage)?;
    for call in &new.call_ids {
        sqlx::query("UPDATE llm_calls SET generation_id = $1 WHERE id = $2 AND workspace_id = $3")
            .bind(id)
            .bind(call)
            .bind(ws.id())
            .execute(&mut **tx)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

/// Fails with NotFound unless generation `id` belongs to `ws`.
async fn owned(tx: &mut Tx, ws: Workspace, id: i64) -> Result<()> {
    sqlx::query("SELECT id FROM generations WHERE id = $1 AND workspace_id = $2")
        .bind(id)
        .bind(ws.id())
        .fetch_optional(&mut **tx)
        .await
        .map_err(storage)?
        .map(|_| ())
        .ok_or_else(|| not_found(id))
}

async fn touch(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("UPDATE generations SET heartbeat_at = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(storage)?;
    Ok(())
}

#[async_trait]
impl GenerationStore for Store {
    async fn save_generation(&self, ws: Workspace, new: &NewGeneration) -> Result<Generation> {
        let mut tx = self.write_tx().await?;
        let status = if new.script.is_some() {
            GenerationStatus::Completed
        } else {
            GenerationStatus::Failed
        };
        let id = insert_generation(&mut tx, ws, new, status, None).await?;
        insert_attempts(&mut tx, id, 0, &new.attempts).await?;
        set_outcome(&mut tx, ws, id, new).await?;
        tx.commit().await.map_err(storage)?;
        self.generation(ws, id).await
    }

    async fn start_generation(
        &self,
        ws: Workspace,
        new: &NewGeneration,
        runner: &str,
    ) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let id =
            insert_generation(&mut tx, ws, new, GenerationStatus::Running, Some(runner)).await?;
        tx.commit().await.map_err(storage)?;
        Ok(id)
    }

    async fn record_attempts(
        &self,
        ws: Workspace,
        id: i64,
        first_index: usize,
        attempts: &[NewAttempt],
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        owned(&mut tx, ws, id).await?;
        insert_attempts(&mut tx, id, first_index, attempts).await?;
        touch(&mut tx, id).await?;
        tx.commit().await.map_err(storage)
    }

    async fn touch_generation(&self, ws: Workspace, id: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        owned(&mut tx, ws, id).await?;
        touch(&mut tx, id).await?;
        tx.commit().await.map_err(storage)
    }

    async fn finish_generation(
        &self,
        ws: Workspace,
        id: i64,
        outcome: &NewGeneration,
    ) -> Result<Generation> {
        let mut tx = self.write_tx().await?;
        owned(&mut tx, ws, id).await?;
        set_outcome(&mut tx, ws, id, outcome).await?;
        tx.commit().await.map_err(storage)?;
        self.generation(ws, id).await
    }

    async fn interrupt_generation(&self, ws: Workspace, id: i64, reason: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE generations SET status = $1, error = $2 \
             WHERE id = $3 AND workspace_id = $4 AND status = $5",
        )
        .bind(GenerationStatus::Interrupted.as_str())
        .bind(reason)
        .bind(id)
        .bind(ws.id())
        .bind(GenerationStatus::Running.as_str())
        .execute(&self.writer)
        .await
        .map_err(storage)?;
        Ok(done.rows_affected() > 0)
    }

    async fn running_generations(&self) -> Result<Vec<RunningGeneration>> {
        sqlx::query(
            "SELECT id, workspace_id, runner, heartbeat_at, created_at FROM generations \
             WHERE status = $1 ORDER BY id",
        )
        .bind(GenerationStatus::Running.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?
        .iter()
        .map(|r| {
            let beat: Option<String> = r.try_get("heartbeat_at").map_err(storage)?;
            let created: String = r.try_get("created_at").map_err(storage)?;
            Ok(RunningGeneration {
                workspace: Workspace(r.try_get("workspace_id").map_err(storage)?),
                id: r.try_get("id").map_err(storage)?,
                runner: r.try_get("runner").map_err(storage)?,
                heartbeat_at: time(beat.as_deref().unwrap_or(&created))?,
            })
        })
        .collect()
    }

    async fn reopen_generation(&self, ws: Workspace, id: i64, runner: &str) -> Result<Generation> {
        let done = sqlx::query(
            "UPDATE generations SET status = $1, error = NULL, runner = $2, heartbeat_at = $3 \
             WHERE id = $4 AND workspace_id = $5 AND status IN ($6, $7)",
        )
        .bind(GenerationStatus::Running.as_str())
        .bind(runner)
        .bind(now())
        .bind(id)
        .bind(ws.id())
        .bind(GenerationStatus::Failed.as_str())
        .bind(GenerationStatus::Interrupted.as_str())
        .execute(&self.writer)
        .await
        .map_err(storage)?;
        let g = self.generation(ws, id).await?;
        if done.rows_affected() == 0 {
            return Err(Error::InvalidInput(format!(
                "generation {id} is {}: only a failed or interrupted generation can be retried \
                 (`reelsmith regenerate {id}` writes a new version of a finished one)",
                g.status.as_str()
            )));
        }
        Ok(g)
    }

    async fn generation(&self, ws: Workspace, id: i64) -> Result<Generation> {
        // Built from constants only; values are bound.
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM generations g JOIN persona_versions v ON g.persona_version_id = v.id \
             JOIN personas p ON v.persona_id = p.id WHERE g.id = $1 AND g.workspace_id = $2"
        )))
        .bind(id)
        .bind(ws.id())
        .fetch_optional(&self.pool)
        .await
        .map_err(storage)?
        .ok_or_else(|| not_found(id))?;
        let winner: Option<i64> =
            sqlx::query("SELECT winner_attempt_id FROM generations WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map_err(storage)?
                .try_get("winner_attempt_id")
                .map_err(storage)?;
        let attempts = sqlx::query(
            "SELECT id, attempt_index, raw_text, overall_score, error FROM attempts \
             WHERE generation_id = $1 ORDER BY attempt_index",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?
        .iter()
        .map(|a| {
            Ok(StoredAttempt {
                index: a.try_get::<i64, _>("attempt_index").map_err(storage)? as u32,
                raw_text: a.try_get("raw_text").map_err(storage)?,
                overall: a.try_get("overall_score").map_err(storage)?,
                error: a.try_get("error").map_err(storage)?,
                winner: Some(a.try_get::<i64, _>("id").map_err(storage)?) == winner,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let ledger = sqlx::query(
            "SELECT CAST(COALESCE(SUM(cost_usd), 0) AS DOUBLE PRECISION) AS c, COUNT(*) AS n \
             FROM llm_calls WHERE generation_id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(storage)?;
        let cost: f64 = ledger.try_get("c").map_err(storage)?;
        let calls: i64 = ledger.try_get("n").map_err(storage)?;
        let script: Option<String> = r.try_get("script_json").map_err(storage)?;
        let card: Option<String> = r.try_get("card_json").map_err(storage)?;
        let deleted: Option<String> = r.try_get("deleted_at").map_err(storage)?;
        Ok(Generation {
            id,
            persona: r.try_get("persona").map_err(storage)?,
            persona_version: r.try_get::<i64, _>("persona_version").map_err(storage)? as u32,
            parent_id: r.try_get("parent_id").map_err(storage)?,
            version: r.try_get::<i64, _>("version").map_err(storage)? as u32,
            request: parse(&r.try_get::<String, _>("request_json").map_err(storage)?)?,
            status: GenerationStatus::parse(&r.try_get::<String, _>("status").map_err(storage)?)?,
            approval: Approval::parse(
                &r.try_get::<String, _>("approval_status").map_err(storage)?,
            )?,
            approval_by: r.try_get("approval_by").map_err(storage)?,
            approval_notes: r.try_get("approval_notes").map_err(storage)?,
            script: script.as_deref().map(parse).transpose()?,
            card: card.as_deref().map(parse).transpose()?,
            error: r.try_get("error").map_err(storage)?,
            attempts,
            cost_usd: cost,
            calls: calls as u32,
            created_at: time(&r.try_get::<String, _>("created_at").map_err(storage)?)?,
            deleted_at: deleted.as_deref().map(time).transpose()?,
        })
    }

    async fn generations(
        &self,
        ws: Workspace,
        f: &HistoryFilter,
    ) -> Result<(Vec<GenerationSummary>, u64)> {
        // The workspace id is a number reelsmith holds, not user text: written into the SQL.
        let mut conds = vec![format!("g.workspace_id = {}", ws.id())];
        let mut binds: Vec<String> = Vec::new();
        if !f.include_deleted {
            conds.push("g.deleted_at IS NULL".into());
        }
        if let Some(p) = &f.persona {
            binds.push(p.clone());
            conds.push(format!("p.name = ${}", binds.len()));
        }
        if let Some(a) = f.approval {
            binds.push(a.as_str().into());
            conds.push(format!("g.approval_status = ${}", binds.len()));
        }
        if let Some(s) = f.style {
            binds.push(s.as_str().into());
            conds.push(format!("g.style = ${}", binds.len()));
        }
        if let Some(p) = f.platform {
            binds.push(p.as_str().into());
            conds.push(format!("g.platform = ${}", binds.len()));
        }
        // created_at is stored as RFC 3339 UTC text of one fixed shape, so text order is time order.
        if let Some(t) = f.since {
            binds.push(stamp(t));
            conds.push(format!("g.created_at >= ${}", binds.len()));
        }
        if let Some(t) = f.until {
            binds.push(stamp(t));
            conds.push(format!("g.created_at < ${}", binds.len()));
        }
        if let Some(q) = f.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let escaped = q
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            binds.push(format!("%{escaped}%"));
            conds.push(format!("LOWER(g.topic) LIKE ${} ESCAPE '\\'", binds.len()));
        }
        let from = format!(
            "FROM generations g JOIN persona_versions v ON g.persona_version_id = v.id \
             JOIN personas p ON v.persona_id = p.id WHERE {}",
            conds.join(" AND ")
        );
        let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n {from}");
        // Conditions are constants with numbered placeholders; values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(count_sql));
        for b in &binds {
            q = q.bind(b);
        }
        let total: i64 = q
            .fetch_one(&self.pool)
            .await
            .map_err(storage)?
            .try_get("n")
            .map_err(storage)?;
        let list_sql = format!(
            "SELECT {COLUMNS} {from} ORDER BY g.id DESC LIMIT {} OFFSET {}",
            f.limit.clamp(1, 100),
            f.offset
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(list_sql));
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(storage)?;
        Ok((
            rows.iter().map(summary).collect::<Result<_>>()?,
            total as u64,
        ))
    }

    async fn set_approval(
        &self,
        ws: Workspace,
        id: i64,
        approval: Approval,
        by: Option<&str>,
        notes: Option<&str>,
    ) -> Result<Generation> {
        let done = sqlx::query(
            "UPDATE generations SET approval_status = $1, approval_by = $2, approval_notes = $3, \
             approved_at = $4 WHERE id = $5 AND workspace_id = $6 AND deleted_at IS NULL",
        )
        .bind(approval.as_str())
        .bind(by)
        .bind(notes)
        .bind(now())
        .bind(id)
        .bind(ws.id())
        .execute(&self.writer)
        .await
        .map_err(storage)?;
        if done.rows_affected() == 0 {
            return Err(not_found(id));
        }
        self.generation(ws, id).await
    }

    async fn delete_generation(&self, ws: Workspace, id: i64, hard: bool) -> Result<()> {
        let done = if hard {
            sqlx::query("DELETE FROM generations WHERE id = $1 AND workspace_id = $2")
                .bind(id)
                .bind(ws.id())
                .execute(&self.writer)
                .await
        } else {
            sqlx::query(
                "UPDATE generations SET deleted_at = $1 WHERE id = $2 AND workspace_id = $3 \
                 AND deleted_at IS NULL",
            )
            .bind(now())
            .bind(id)
            .bind(ws.id())
            .execute(&self.writer)
            .await
        }
        .map_err(storage)?;
        if done.rows_affected() == 0 {
            return Err(not_found(id));
        }
        Ok(())
    }
}
