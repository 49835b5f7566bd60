//! Personas, their versions and example scripts.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reelsmith_core::persona::ExampleScript;
use reelsmith_core::persona::normalize_name;
use reelsmith_core::persona::{
    CreatorProfile, DeletedPersona, NewPersonaVersion, PersonaSummary, PersonaVersion,
    StoredExample,
};
use reelsmith_core::store::{PersonaStore, Workspace};
use reelsmith_core::text::words;
use reelsmith_core::{Error, Result};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, storage};

fn json_err(what: &str, e: serde_json::Error) -> Error {
    Error::Storage(format!("stored {what} is not valid JSON: {e}"))
}

pub(crate) fn time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Storage(format!("stored timestamp '{s}' is invalid: {e}")))
}

pub(crate) fn not_found(name: &str) -> Error {
    Error::NotFound {
        kind: "persona",
        key: name.to_string(),
        hint: " — list the personas to see their names".into(),
    }
}

/// Converts a stored non-negative count to `u32`, saturating.
fn count(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

impl Store {
    /// The persona's row id and latest version in `ws`, if it exists there.
    pub(crate) async fn persona_id(&self, ws: Workspace, name: &str) -> Result<Option<(i64, i64)>> {
        let row = sqlx::query(
            "SELECT p.id, (SELECT COALESCE(MAX(version), 0) FROM persona_versions v WHERE v.persona_id = p.id) \
             FROM personas p WHERE p.workspace_id = $1 AND p.name = $2",
        )
        .bind(ws.id())
        .bind(name)
        .fetch_optional(&self.pool)
        .await
        .map_err(storage)?;
        row.map(|r| {
            Ok((
                r.try_get(0).map_err(storage)?,
                r.try_get(1).map_err(storage)?,
            ))
        })
        .transpose()
    }
}

fn example_from_row(r: &AnyRow) -> Result<StoredExample> {
    let words: i64 = r.try_get("words").map_err(storage)?;
    Ok(StoredExample {
        id: r.try_get("id").map_err(storage)?,
        example: ExampleScript {
            title: r.try_get("title").map_err(storage)?,
            text: r.try_get("body").map_err(storage)?,
            source: r.try_get("source").map_err(storage)?,
            duration_s: r.try_get("duration_s").map_err(storage)?,
        },
        words: usize::try_from(words).unwrap_or(0),
        embedding: match (
            r.try_get::<Option<Vec<u8>>, _>("embedding")
                .map_err(storage)?,
            r.try_get::<Option<String>, _>("embedding_model")
                .map_err(storage)?,
        ) {
            (Some(bytes), Some(model)) => {
                reelsmith_core::embed::from_bytes(&bytes).map(|v| (model, v))
            }
            _ => None,
        },
    })
}

#[async_trait]
impl PersonaStore for Store {
    async fn save_persona_version(
        &self,
        ws: Workspace,
        new: &NewPersonaVersion,
    ) -> Result<PersonaVersion> {
        let name = normalize_name(&new.name);
        reelsmith_core::persona::validate_name(&name)?;
        let now = Utc::now().to_rfc3339();
        let profile = serde_json::to_string(&new.profile).map_err(|e| json_err("profile", e))?;
        let style = serde_json::to_string(&new.style).map_err(|e| json_err("style profile", e))?;
        let mut tx = self.write_tx().await?;
        let persona_id: i64 = sqlx::query(
            "INSERT INTO personas (workspace_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (workspace_id, name) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
        )
        .bind(ws.id())
        .bind(&name)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(storage)?;
        let version: i64 = sqlx::query(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM persona_versions WHERE persona_id = $1",
        )
        .bind(persona_id)
        .fetch_one(&mut *tx)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(storage)?;
        let version_id: i64 = sqlx::query(
            "INSERT INTO persona_versions (persona_id, version, profile_json, style_json, language, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(persona_id)
        .bind(version)
        .bind(&profile)
        .bind(&style)
        .bind(&new.style.language.code)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(storage)?;
        for (i, ex) in new.examples.iter().enumerate() {
            sqlx::query(
                "INSERT INTO example_scripts (persona_version_id, position, title, body, source, duration_s, words, created_at, embedding, embedding_model) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(version_id)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(ex.title.as_deref())
            .bind(&ex.text)
            .bind(&ex.source)
            .bind(ex.duration_s)
            .bind(i64::try_from(words(&ex.text).len()).unwrap_or(i64::MAX))
            .bind(&now)
            .bind(new.embeddings.as_ref().and_then(|e| e.vectors.get(i)).map(|v| reelsmith_core::embed::to_bytes(v)))
            .bind(new.embeddings.as_ref().map(|e| e.model.as_str()))
            .execute(&mut *tx)
            .await
            .map_err(storage)?;
        }
        tx.commit().await.map_err(storage)?;
        self.persona(ws, &name, Some(count(version))).await
    }

    async fn persona(
        &self,
        ws: Workspace,
        name: &str,
        version: Option<u32>,
    ) -> Result<PersonaVersion> {
        let name = &normalize_name(name);
        let (persona_id, latest) = self
            .persona_id(ws, name)
            .await?
            .ok_or_else(|| not_found(name))?;
        let wanted = version.map_or(latest, i64::from);
        let row = sqlx::query(
            "SELECT id, version, profile_json, style_json, created_at FROM persona_versions \
             WHERE persona_id = $1 AND version = $2",
        )
        .bind(persona_id)
        .bind(wanted)
        .fetch_optional(&self.pool)
        .await
        .map_err(storage)?
        .ok_or_else(|| Error::NotFound {
            kind: "persona version",
            key: format!("{name} v{wanted}"),
            hint: format!(" — {name} has versions 1 to {latest}"),
        })?;
        let version_id: i64 = row.try_get("id").map_err(storage)?;
        let profile: CreatorProfile =
            serde_json::from_str(&row.try_get::<String, _>("profile_json").map_err(storage)?)
                .map_err(|e| json_err("profile", e))?;
        let style = serde_json::from_str(&row.try_get::<String, _>("style_json").map_err(storage)?)
            .map_err(|e| json_err("style profile", e))?;
        let examples = sqlx::query(
            "SELECT id, title, body, source, duration_s, words, embedding, embedding_model FROM example_scripts \
             WHERE persona_version_id = $1 ORDER BY position",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?
        .iter()
        .map(example_from_row)
        .collect::<Result<Vec<_>>>()?;
        Ok(PersonaVersion {
            name: name.to_string(),
            version: count(wanted),
            versions: count(latest),
            created_at: time(&row.try_get::<String, _>("created_at").map_err(storage)?)?,
            profile,
            style,
            examples,
        })
    }

    async fn personas(&self, ws: Workspace) -> Result<Vec<PersonaSummary>> {
        let rows = sqlx::query(
            "SELECT p.name, p.created_at, v.created_at AS updated_at, v.version, v.language, v.profile_json, \
                    (SELECT COUNT(*) FROM example_scripts e WHERE e.persona_version_id = v.id) AS examples \
             FROM personas p JOIN persona_versions v ON v.persona_id = p.id \
             WHERE p.workspace_id = $1 \
               AND v.version = (SELECT MAX(version) FROM persona_versions m WHERE m.persona_id = p.id) \
             ORDER BY p.name",
        )
        .bind(ws.id())
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        rows.iter()
            .map(|r| {
                let profile: CreatorProfile =
                    serde_json::from_str(&r.try_get::<String, _>("profile_json").map_err(storage)?)
                        .map_err(|e| json_err("profile", e))?;
                Ok(PersonaSummary {
                    name: r.try_get("name").map_err(storage)?,
                    display_name: profile.display_name,
                    latest_version: count(r.try_get("version").map_err(storage)?),
                    examples: count(r.try_get("examples").map_err(storage)?),
                    language: r.try_get("language").map_err(storage)?,
                    created_at: time(&r.try_get::<String, _>("created_at").map_err(storage)?)?,
                    updated_at: time(&r.try_get::<String, _>("updated_at").map_err(storage)?)?,
                })
            })
            .collect()
    }

    async fn delete_persona(&self, ws: Workspace, name: &str) -> Result<DeletedPersona> {
        let name = &normalize_name(name);
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT p.id, \
                    (SELECT COUNT(*) FROM persona_versions v WHERE v.persona_id = p.id), \
                    (SELECT COUNT(*) FROM example_scripts e JOIN persona_versions v ON e.persona_version_id = v.id \
                     WHERE v.persona_id = p.id) \
             FROM personas p WHERE p.workspace_id = $1 AND p.name = $2",
        )
        .bind(ws.id())
        .bind(name)
        .fetch_optional(&mut *tx)
        .await
        .map_err(storage)?
        .ok_or_else(|| not_found(name))?;
        let id: i64 = row.try_get(0).map_err(storage)?;
        let deleted = DeletedPersona {
            versions: count(row.try_get(1).map_err(storage)?),
            examples: count(row.try_get(2).map_err(storage)?),
        };
        sqlx::query("DELETE FROM personas WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(storage)?;
        tx.commit().await.map_err(storage)?;
        Ok(deleted)
    }
}
