//! Imported post performance: posts and their metrics snapshots.

use async_trait::async_trait;
use chrono::Utc;
use reelsmith_core::calibration::Calibration;
use reelsmith_core::performance::{
    CachedScore, ImportCounts, ImportedPost, Metrics, PostLink, StoredPost,
};
use reelsmith_core::persona::normalize_name;
use reelsmith_core::platform::{Named, Platform};
use reelsmith_core::store::{PerformanceStore, Workspace};
use reelsmith_core::{Error, Result};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::personas::{not_found, time};
use crate::{Store, storage};

fn as_i64(v: Option<u64>) -> Option<i64> {
    v.map(|x| i64::try_from(x).unwrap_or(i64::MAX))
}

fn metrics_row(r: &AnyRow) -> Result<Metrics> {
    let get = |c: &str| -> Result<Option<u64>> {
        Ok(r.try_get::<Option<i64>, _>(c)
            .map_err(storage)?
            .map(|v| u64::try_from(v.max(0)).unwrap_or(0)))
    };
    Ok(Metrics {
        views: get("views")?,
        reach: get("reach")?,
        likes: get("likes")?,
        comments: get("comments")?,
        shares: get("shares")?,
        saves: get("saves")?,
        profile_visits: get("profile_visits")?,
        follows: get("follows")?,
    })
}

fn post_not_found(id: i64, persona: &str) -> Error {
    Error::NotFound {
        kind: "post",
        key: id.to_string(),
        hint: format!(" of persona '{persona}' — `reelsmith posts --persona {persona}` lists them"),
    }
}

fn link_row(r: &AnyRow) -> Result<Option<PostLink>> {
    let status: Option<String> = r.try_get("link_status").map_err(storage)?;
    Ok(match status {
        None => None,
        Some(status) => Some(PostLink {
            generation_id: r.try_get("generation_id").map_err(storage)?,
            example: r.try_get("example_source").map_err(storage)?,
            similarity: r.try_get("link_similarity").map_err(storage)?,
            confirmed: status == "confirmed",
            evidence: r.try_get("link_evidence").map_err(storage)?,
        }),
    })
}

impl Store {
    /// The id and normalised name of `persona` in `ws`.
    async fn persona_row(&self, ws: Workspace, persona: &str) -> Result<(i64, String)> {
        let name = normalize_name(persona);
        let (id, _) = self
            .persona_id(ws, &name)
            .await?
            .ok_or_else(|| not_found(&name))?;
        Ok((id, name))
    }
}

#[async_trait]
impl PerformanceStore for Store {
    async fn import_posts(
        &self,
        ws: Workspace,
        persona: &str,
        posts: &[(Platform, String, ImportedPost)],
        dry_run: bool,
    ) -> Result<ImportCounts> {
        let (persona_id, _) = self.persona_row(ws, persona).await?;
        let now = Utc::now();
        let stamp = now.to_rfc3339();
        let (posts, merged) = reelsmith_core::performance::merge_duplicates(posts);
        let mut counts = ImportCounts {
            read: posts.len() + merged,
            merged,
            ..ImportCounts::default()
        };
        // A dry run does the same work in a transaction it then rolls back, so its counts are
        // exactly what the import would do (a post met twice in one import counts as it would).
        let mut tx = self.write_tx().await?;
        for (platform, key, post) in &posts {
            let existing = sqlx::query(
                "SELECT id, url, media_uri, caption, posted_at, duration_s, transcript FROM posts \
                 WHERE persona_id = $1 AND platform = $2 AND post_key = $3",
            )
            .bind(persona_id)
            .bind(platform.as_str())
            .bind(key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(storage)?;
            let posted = post.posted_at.map(|t| t.to_rfc3339());
            let (post_id, mut changed, is_new) = match existing {
                None => {
                    let id: i64 = sqlx::query(
                        "INSERT INTO posts (workspace_id, persona_id, platform, post_key, url, media_uri, \
                         caption, posted_at, duration_s, created_at, updated_at, transcript) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
                    )
                    .bind(ws.id())
                    .bind(persona_id)
                    .bind(platform.as_str())
                    .bind(key)
                    .bind(post.url.as_deref())
                    .bind(post.media_uri.as_deref())
                    .bind(post.caption.as_deref())
                    .bind(posted.as_deref())
                    .bind(post.duration_s)
                    .bind(&stamp)
                    .bind(post.transcript.as_deref())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(storage)?
                    .try_get(0)
                    .map_err(storage)?;
                    (id, true, true)
                }
                Some(row) => {
                    let id: i64 = row.try_get("id").map_err(storage)?;
                    let old = |c: &str| row.try_get::<Option<String>, _>(c).ok().flatten();
                    let old_duration: Option<f64> = row.try_get("duration_s").ok().flatten();
                    // What the new export adds or corrects; what it lacks is kept.
                    let differs = |new: Option<&str>, was: Option<String>| {
                        new.is_some_and(|n| was.as_deref() != Some(n))
                    };
                    let changed = differs(post.url.as_deref(), old("url"))
                        || differs(post.media_uri.as_deref(), old("media_uri"))
                        || differs(post.caption.as_deref(), old("caption"))
                        || differs(posted.as_deref(), old("posted_at"))
                        || differs(post.transcript.as_deref(), old("transcript"))
                        || post.duration_s.is_some_and(|d| old_duration != Some(d));
                    if changed {
                        sqlx::query(
                            "UPDATE posts SET url = COALESCE($1, url), media_uri = COALESCE($2, media_uri), \
                             caption = COALESCE($3, caption), posted_at = COALESCE($4, posted_at), \
                             duration_s = COALESCE($5, duration_s), updated_at = $6, \
                             transcript = COALESCE($8, transcript) WHERE id = $7",
                        )
                        .bind(post.url.as_deref())
                        .bind(post.media_uri.as_deref())
                        .bind(post.caption.as_deref())
                        .bind(posted.as_deref())
                        .bind(post.duration_s)
                        .bind(&stamp)
                        .bind(id)
                        .bind(post.transcript.as_deref())
                        .execute(&mut *tx)
                        .await
                        .map_err(storage)?;
                    }
                    (id, changed, false)
                }
            };
            if !post.metrics.is_empty() {
                // A snapshot already kept with these very metrics (the latest, or an older export
                // imported again after a newer one) is not kept twice.
                let kept = sqlx::query(
                    "SELECT views, reach, likes, comments, shares, saves, profile_visits, follows \
                     FROM post_metrics WHERE post_id = $1",
                )
                .bind(post_id)
                .fetch_all(&mut *tx)
                .await
                .map_err(storage)?
                .iter()
                .map(metrics_row)
                .collect::<Result<Vec<Metrics>>>()?;
                if !kept.contains(&post.metrics) {
                    let m = &post.metrics;
                    let age = post
                        .posted_at
                        .map(|t| (now - t).num_milliseconds() as f64 / 1000.0);
                    sqlx::query(
                        "INSERT INTO post_metrics (post_id, recorded_at, age_s, views, reach, likes, \
                         comments, shares, saves, profile_visits, follows, source) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    )
                    .bind(post_id)
                    .bind(&stamp)
                    .bind(age)
                    .bind(as_i64(m.views))
                    .bind(as_i64(m.reach))
                    .bind(as_i64(m.likes))
                    .bind(as_i64(m.comments))
                    .bind(as_i64(m.shares))
                    .bind(as_i64(m.saves))
                    .bind(as_i64(m.profile_visits))
                    .bind(as_i64(m.follows))
                    .bind(&post.source)
                    .execute(&mut *tx)
                    .await
                    .map_err(storage)?;
                    changed = true;
                }
            }
            if is_new {
                counts.new += 1;
            } else if changed {
                counts.updated += 1;
            } else {
                counts.unchanged += 1;
            }
        }
        if dry_run {
            tx.rollback().await.map_err(storage)?;
        } else {
            tx.commit().await.map_err(storage)?;
        }
        Ok(counts)
    }

    async fn posts(&self, ws: Workspace, persona: &str) -> Result<Vec<StoredPost>> {
        let (persona_id, _) = self.persona_row(ws, persona).await?;
        let rows = sqlx::query(
            "SELECT p.id, p.platform, p.post_key, p.url, p.caption, p.posted_at, p.duration_s, \
             p.transcript, p.generation_id, p.example_source, p.link_similarity, p.link_status, \
             p.link_evidence, \
             (SELECT COUNT(*) FROM post_metrics c WHERE c.post_id = p.id) AS snapshots, \
             m.age_s, m.id AS metrics_id, m.views, m.reach, m.likes, m.comments, m.shares, m.saves, \
             m.profile_visits, m.follows \
             FROM posts p LEFT JOIN post_metrics m ON m.id = \
             (SELECT MAX(x.id) FROM post_metrics x WHERE x.post_id = p.id) \
             WHERE p.persona_id = $1 ORDER BY p.posted_at IS NULL, p.posted_at DESC, p.id DESC",
        )
        .bind(persona_id)
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        rows.iter()
            .map(|r| {
                let platform: String = r.try_get("platform").map_err(storage)?;
                let has_metrics = r
                    .try_get::<Option<i64>, _>("metrics_id")
                    .map_err(storage)?
                    .is_some();
                Ok(StoredPost {
                    id: r.try_get("id").map_err(storage)?,
                    platform: Platform::parse(&platform).map_err(|e| {
                        Error::Storage(format!("stored platform '{platform}': {}", e.reason))
                    })?,
                    key: r.try_get("post_key").map_err(storage)?,
                    url: r.try_get("url").map_err(storage)?,
                    caption: r.try_get("caption").map_err(storage)?,
                    posted_at: r
                        .try_get::<Option<String>, _>("posted_at")
                        .map_err(storage)?
                        .map(|s| time(&s))
                        .transpose()?,
                    duration_s: r.try_get("duration_s").map_err(storage)?,
                    transcript: r.try_get("transcript").map_err(storage)?,
                    link: link_row(r)?,
                    metrics: if has_metrics {
                        Some(metrics_row(r)?)
                    } else {
                        None
                    },
                    age_s: r.try_get("age_s").map_err(storage)?,
                    snapshots: usize::try_from(r.try_get::<i64, _>("snapshots").map_err(storage)?)
                        .unwrap_or(0),
                })
            })
            .collect()
    }

    async fn link_post(
        &self,
        ws: Workspace,
        persona: &str,
        post_id: i64,
        link: Option<&PostLink>,
    ) -> Result<StoredPost> {
        let (persona_id, name) = self.persona_row(ws, persona).await?;
        let status = link.map(|l| {
            if l.confirmed {
                "confirmed"
            } else {
                "suggested"
            }
        });
        let done = sqlx::query(
            "UPDATE posts SET generation_id = $1, example_source = $2, link_similarity = $3, \
             link_status = $4, link_evidence = $5, updated_at = $6 WHERE id = $7 AND persona_id = $8",
        )
        .bind(link.and_then(|l| l.generation_id))
        .bind(link.and_then(|l| l.example.as_deref()))
        .bind(link.and_then(|l| l.similarity))
        .bind(status)
        .bind(link.and_then(|l| l.evidence.as_deref()))
        .bind(Utc::now().to_rfc3339())
        .bind(post_id)
        .bind(persona_id)
        .execute(&self.writer)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => Error::NotFound {
                kind: "generation",
                key: link
                    .and_then(|l| l.generation_id)
                    .unwrap_or_default()
                    .to_string(),
                hint: " — `reelsmith history` lists them".into(),
            },
            e => storage(e),
        })?;
        if done.rows_affected() == 0 {
            return Err(post_not_found(post_id, &name));
        }
        self.posts(ws, &name)
            .await?
            .into_iter()
            .find(|p| p.id == post_id)
            .ok_or_else(|| post_not_found(post_id, &name))
    }

    async fn save_calibration(
        &self,
        ws: Workspace,
        persona: &str,
        calibration: &Calibration,
    ) -> Result<()> {
        let (persona_id, _) = self.persona_row(ws, persona).await?;
        let report = serde_json::to_string(calibration)
            .map_err(|e| Error::Storage(format!("calibration: {e}")))?;
        sqlx::query(
            "INSERT INTO persona_calibrations (workspace_id, persona_id, created_at, posts, fitted, report) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(ws.id())
        .bind(persona_id)
        .bind(Utc::now().to_rfc3339())
        .bind(i64::try_from(calibration.n).unwrap_or(i64::MAX))
        .bind(i64::from(calibration.weights.fitted))
        .bind(report)
        .execute(&self.writer)
        .await
        .map_err(storage)?;
        Ok(())
    }

    async fn calibration(
        &self,
        ws: Workspace,
        persona: &str,
    ) -> Result<Option<(chrono::DateTime<Utc>, Calibration)>> {
        let (persona_id, _) = self.persona_row(ws, persona).await?;
        let row = sqlx::query(
            "SELECT created_at, report FROM persona_calibrations WHERE persona_id = $1 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(persona_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(storage)?;
        let Some(row) = row else { return Ok(None) };
        let at: String = row.try_get("created_at").map_err(storage)?;
        let report: String = row.try_get("report").map_err(storage)?;
        let calibration = serde_json::from_str(&report)
            .map_err(|e| Error::Storage(format!("stored calibration: {e}")))?;
        Ok(Some((time(&at)?, calibration)))
    }

    async fn post_scores(&self, ws: Workspace, persona: &str) -> Result<Vec<CachedScore>> {
        let (persona_id, _) = self.persona_row(ws, persona).await?;
        let rows = sqlx::query(
            "SELECT s.post_id, s.score_key, s.overall, s.viral FROM post_scores s \
             JOIN posts p ON p.id = s.post_id WHERE p.persona_id = $1",
        )
        .bind(persona_id)
        .fetch_all(&self.pool)
        .await
        .map_err(storage)?;
        rows.iter()
            .map(|r| {
                let viral: String = r.try_get("viral").map_err(storage)?;
                Ok(CachedScore {
                    post_id: r.try_get("post_id").map_err(storage)?,
                    key: r.try_get("score_key").map_err(storage)?,
                    overall: r.try_get("overall").map_err(storage)?,
                    viral: serde_json::from_str(&viral)
                        .map_err(|e| Error::Storage(format!("stored post score: {e}")))?,
                })
            })
            .collect()
    }

    async fn save_post_scores(
        &self,
        ws: Workspace,
        persona: &str,
        scores: &[CachedScore],
    ) -> Result<()> {
        let (persona_id, _) = self.persona_row(ws, persona).await?;
        let mut tx = self.write_tx().await?;
        for s in scores {
            let viral = serde_json::to_string(&s.viral)
                .map_err(|e| Error::Storage(format!("post score: {e}")))?;
            sqlx::query(
                "INSERT INTO post_scores (post_id, score_key, overall, viral) \
                 SELECT id, $2, $3, $4 FROM posts WHERE id = $1 AND persona_id = $5 \
                 ON CONFLICT (post_id) DO UPDATE SET score_key = excluded.score_key, \
                 overall = excluded.overall, viral = excluded.viral",
            )
            .bind(s.post_id)
            .bind(&s.key)
            .bind(s.overall)
            .bind(viral)
            .bind(persona_id)
            .execute(&mut *tx)
            .await
            .map_err(storage)?;
        }
        tx.commit().await.map_err(storage)?;
        Ok(())
    }
}
