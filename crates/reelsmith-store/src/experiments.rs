//! A/B experiments: the experiment, its variants and the posts assigned to each.

use async_trait::async_trait;
use chrono::Utc;
use reelsmith_core::experiment::{NewExperiment, StoredExperiment, StoredVariant, Vary};
use reelsmith_core::persona::normalize_name;
use reelsmith_core::store::{ExperimentStore, Workspace};
use reelsmith_core::{Error, Result};
use sqlx::Row;

use crate::personas::{not_found, time};
use crate::{Store, storage};

fn experiment_not_found(id: i64) -> Error {
    Error::NotFound {
        kind: "experiment",
        key: id.to_string(),
        hint: " — `reelsmith experiment list` lists them".into(),
    }
}

impl Store {
    async fn load_experiment(&self, ws: Workspace, id: i64) -> Result<StoredExperiment> {
        let row = sqlx::query(
            "SELECT e.id, p.name, e.topic, e.vary, e.created_at FROM experiments e \
             JOIN personas p ON p.id = e.persona_id WHERE e.id = $1 AND e.workspace_id = $2",
        )
        .bind(id)
        .bind(ws.id())
        .fetch_optional(&self.pool)
        .await
        .map_err(storage)?
        .ok_or_else(|| experiment_not_found(id))?;
        let vary: String = row.try_get("vary").map_err(storage)?;
        let created: String = row.try_get("created_at").map_err(storage)?;
        let variants = sqlx::query(
            "SELECT v.id, v.label, v.generation_id FROM experiment_variants v \
             WHERE v.experiment_id = $1 ORDER BY v.label",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        let mut out = Vec::with_capacity(variants.len());
        for v in &variants {
            let vid: i64 = v.try_get("id").map_err(storage)?;
            let post_ids = sqlx::query("SELECT id FROM posts WHERE variant_id = $1 ORDER BY id")
                .bind(vid)
                .fetch_all(&self.pool)
                .await
                .map_err(storage)?
                .iter()
                .map(|r| r.try_get::<i64, _>("id").map_err(storage))
                .collect::<Result<Vec<i64>>>()?;
            out.push(StoredVariant {
                label: v.try_get("label").map_err(storage)?,
                generation_id: v.try_get("generation_id").map_err(storage)?,
                post_ids,
            });
        }
        Ok(StoredExperiment {
            id,
            persona: row.try_get("name").map_err(storage)?,
            topic: row.try_get("topic").map_err(storage)?,
            vary: Vary::parse(&vary).map_err(|e| Error::Storage(format!("stored vary: {e}")))?,
            created_at: time(&created)?,
            variants: out,
        })
    }
}

#[async_trait]
impl ExperimentStore for Store {
    async fn create_experiment(
        &self,
        ws: Workspace,
        new: &NewExperiment,
    ) -> Result<StoredExperiment> {
        if new.variants.len() < 2 {
            return Err(Error::InvalidInput(
                "an experiment needs two or more variants".into(),
            ));
        }
        let mut labels: Vec<&str> = new.variants.iter().map(|(l, _)| l.as_str()).collect();
        labels.sort_unstable();
        if labels.windows(2).any(|w| w[0] == w[1]) || labels.iter().any(|l| l.trim().is_empty()) {
            return Err(Error::InvalidInput(
                "each variant needs its own non-empty label".into(),
            ));
        }
        let name = normalize_name(&new.persona);
        let (persona_id, _) = self
            .persona_id(ws, &name)
            .await?
            .ok_or_else(|| not_found(&name))?;
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO experiments (workspace_id, persona_id, topic, vary, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(ws.id())
        .bind(persona_id)
        .bind(new.topic.trim())
        .bind(new.vary.as_str())
        .bind(Utc::now().to_rfc3339())
        .fetch_one(&mut *tx)
        .await
        .map_err(storage)?
        .try_get(0)
        .map_err(storage)?;
        for (label, generation) in &new.variants {
            if let Some(g) = generation {
                let found = sqlx::query(
                    "SELECT g.id FROM generations g WHERE g.id = $1 AND g.workspace_id = $2",
                )
                .bind(g)
                .bind(ws.id())
                .fetch_optional(&mut *tx)
                .await
                .map_err(storage)?;
                if found.is_none() {
                    return Err(Error::NotFound {
                        kind: "generation",
                        key: g.to_string(),
                        hint: " — `reelsmith history` lists them".into(),
                    });
                }
            }
            sqlx::query(
                "INSERT INTO experiment_variants (experiment_id, label, generation_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(label.trim())
            .bind(*generation)
            .execute(&mut *tx)
            .await
            .map_err(storage)?;
        }
        tx.commit().await.map_err(storage)?;
        self.load_experiment(ws, id).await
    }

    async fn experiment(&self, ws: Workspace, id: i64) -> Result<StoredExperiment> {
        self.load_experiment(ws, id).await
    }

    async fn experiments(&self, ws: Workspace) -> Result<Vec<StoredExperiment>> {
        let ids =
            sqlx::query("SELECT id FROM experiments WHERE workspace_id = $1 ORDER BY id DESC")
                .bind(ws.id())
                .fetch_all(&self.pool)
                .await
                .map_err(storage)?;
        let mut out = Vec::with_capacity(ids.len());
        for r in &ids {
            out.push(
                self.load_experiment(ws, r.try_get("id").map_err(storage)?)
                    .await?,
            );
        }
        Ok(out)
    }

    async fn assign_post(
        &self,
        ws: Workspace,
        experiment_id: i64,
        label: &str,
        post_id: i64,
    ) -> Result<StoredExperiment> {
        let variant = sqlx::query(
            "SELECT v.id, e.persona_id FROM experiment_variants v \
             JOIN experiments e ON e.id = v.experiment_id \
             WHERE v.experiment_id = $1 AND v.label = $2 AND e.workspace_id = $3",
        )
        .bind(experiment_id)
        .bind(label.trim())
        .bind(ws.id())
        .fetch_optional(&self.pool)
        .await
        .map_err(storage)?;
        let Some(variant) = variant else {
            // An unknown experiment says so before an unknown label.
            self.load_experiment(ws, experiment_id).await?;
            return Err(Error::NotFound {
                kind: "variant",
                key: label.trim().to_string(),
                hint: format!(
                    " of experiment {experiment_id} — `reelsmith experiment show {experiment_id}` lists them"
                ),
            });
        };
        let vid: i64 = variant.try_get("id").map_err(storage)?;
        let persona_id: i64 = variant.try_get("persona_id").map_err(storage)?;
        let done =
            sqlx::query("UPDATE posts SET variant_id = $1 WHERE id = $2 AND persona_id = $3")
                .bind(vid)
                .bind(post_id)
                .bind(persona_id)
                .execute(&self.writer)
                .await
                .map_err(storage)?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound {
                kind: "post",
                key: post_id.to_string(),
                hint: " of the experiment's persona — `reelsmith posts list` lists them".into(),
            });
        }
        self.load_experiment(ws, experiment_id).await
    }
}
