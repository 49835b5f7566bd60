//! What a persona's imported posts say: each post's outcome next to its score, the calibration of
//! the scores against the outcomes (kept, so fitted viral weights come into force for the next
//! generations), and the best time to post.
//!
//! A post is scored on what was posted: the script of the generation it is linked to (its stored
//! card), else the example script it is linked to, else its subtitles, else its caption — each
//! against the persona's latest version, with the default weights so the calibration judges the
//! defaults.

use reelsmith_core::best_time::{BestTime, best_time};
use reelsmith_core::calibration::{Calibration, DIMENSIONS, Observation, calibrate};
use reelsmith_core::embed::Embedder;
use reelsmith_core::outcome::{Outcome, outcomes};
use reelsmith_core::performance::{CachedScore, StoredPost};
use reelsmith_core::score::ScoreCard;
use reelsmith_core::store::Workspace;
use serde::Serialize;

use crate::ServiceError;
use crate::feedback::FeedbackStore;
use crate::score::{Against, card, trend_phrases};
use crate::voice::voice_judge;

/// What a post was scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoredOn {
    /// The linked generation's stored card.
    Generation,
    /// The linked example script.
    Example,
    /// The export's subtitles.
    Subtitles,
    /// The caption.
    Caption,
}

/// One post with its outcome and score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostInsight {
    /// The post.
    pub post: StoredPost,
    /// Its outcome, when it has metrics.
    pub outcome: Option<Outcome>,
    /// Its overall score, 0–100, when it has words to score.
    pub overall: Option<f64>,
    /// Its nine viral dimensions, 0–100.
    pub viral: Option<[f64; DIMENSIONS]>,
    /// What was scored.
    pub scored_on: Option<ScoredOn>,
}

fn viral_dimensions(c: &ScoreCard) -> Option<[f64; DIMENSIONS]> {
    let mut out = [0.0; DIMENSIONS];
    if c.viral.dimensions.len() != DIMENSIONS {
        return None;
    }
    for (o, d) in out.iter_mut().zip(&c.viral.dimensions) {
        *o = d.score;
    }
    Some(out)
}

/// Every post of the persona with its outcome and score, newest first.
///
/// # Errors
/// [`ServiceError::Store`] for an unknown persona or a storage failure.
pub async fn post_insights<S: FeedbackStore>(
    store: &S,
    ws: Workspace,
    persona: &str,
    embedder: Option<&dyn Embedder>,
) -> Result<Vec<PostInsight>, ServiceError> {
    let version = store.persona(ws, persona, None).await?;
    let posts = store.posts(ws, persona).await?;
    let outcome_of = outcomes(&posts);
    let trends = trend_phrases(store, ws).await?;
    let judge = voice_judge(store, ws, &version).await?;
    let against = Against {
        persona: Some((&version, &judge)),
        trends: &trends,
        embedder,
        ..Against::default()
    };
    // Scores computed before from the same persona version, text, length, trends and model are
    // reused: scoring with the embedding model costs tens of milliseconds a post.
    let cached: std::collections::HashMap<i64, CachedScore> = store
        .post_scores(ws, persona)
        .await?
        .into_iter()
        .map(|c| (c.post_id, c))
        .collect();
    let context = format!(
        "v{}|{}|{:016x}",
        version.version,
        embedder.map_or("none", |e| e.model()),
        reelsmith_core::text::fingerprint(&trends.join("\n"))
    );
    let mut fresh = Vec::new();
    let mut out = Vec::with_capacity(posts.len());
    for post in posts {
        let link = post.link.clone();
        let stored_card = match link.as_ref().and_then(|l| l.generation_id) {
            Some(id) => store.generation(ws, id).await.ok().and_then(|g| g.card),
            None => None,
        };
        let example_text = link
            .as_ref()
            .and_then(|l| l.example.as_ref())
            .and_then(|src| {
                version
                    .examples
                    .iter()
                    .find(|e| &e.example.source == src)
                    .map(|e| e.example.text.clone())
            });
        let (text, scored_on) = match (&stored_card, example_text) {
            (Some(_), _) => (None, Some(ScoredOn::Generation)),
            (None, Some(t)) => (Some(t), Some(ScoredOn::Example)),
            (None, None) => match post.text() {
                Some(t) => (
                    Some(t.to_string()),
                    Some(if post.transcript.is_some() {
                        ScoredOn::Subtitles
                    } else {
                        ScoredOn::Caption
                    }),
                ),
                None => (None, None),
            },
        };
        let (overall, viral) = match (&stored_card, text) {
            (Some(c), _) => (Some(c.overall), viral_dimensions(c)),
            (None, Some(t)) => {
                let key = format!(
                    "{context}|{:?}|{:?}|{:016x}",
                    scored_on,
                    post.duration_s,
                    reelsmith_core::text::fingerprint(&t)
                );
                match cached.get(&post.id).filter(|c| c.key == key) {
                    Some(c) => (Some(c.overall), c.viral.as_slice().try_into().ok()),
                    None => {
                        let c = card(against, &t, post.duration_s, None, None);
                        let dims = viral_dimensions(&c);
                        if let Some(d) = dims {
                            fresh.push(CachedScore {
                                post_id: post.id,
                                key,
                                overall: c.overall,
                                viral: d.to_vec(),
                            });
                        }
                        (Some(c.overall), dims)
                    }
                }
            }
            (None, None) => (None, None),
        };
        out.push(PostInsight {
            outcome: outcome_of.iter().find(|o| o.post_id == post.id).cloned(),
            overall,
            viral,
            scored_on,
            post,
        });
    }
    if !fresh.is_empty() {
        store.save_post_scores(ws, persona, &fresh).await?;
    }
    Ok(out)
}

/// The calibration report of a persona's scores against its settled posts' outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoresReport {
    /// The persona.
    pub persona: String,
    /// The report.
    pub calibration: Calibration,
    /// Posts left out and why (no metrics, still growing, nothing to score).
    pub left_out: Vec<String>,
    /// Whether this report was kept as the one in force (asked to, and it changed since the last).
    pub saved: bool,
}

/// Calibrates the persona's scores on its posts; with `keep`, keeps the report when it differs from
/// the one in force (so fitted weights, once adopted, score the next generations).
///
/// # Errors
/// [`ServiceError::Store`] for an unknown persona or a storage failure.
pub async fn scores<S: FeedbackStore>(
    store: &S,
    ws: Workspace,
    persona: &str,
    embedder: Option<&dyn Embedder>,
    keep: bool,
) -> Result<ScoresReport, ServiceError> {
    let posts = post_insights(store, ws, persona, embedder).await?;
    scores_of(store, ws, persona, &posts, keep).await
}

/// [`scores`] of posts already scored by [`post_insights`] (a page that shows both scores once).
///
/// # Errors
/// [`ServiceError::Store`] for an unknown persona or a storage failure.
pub async fn scores_of<S: FeedbackStore>(
    store: &S,
    ws: Workspace,
    persona: &str,
    posts: &[PostInsight],
    keep: bool,
) -> Result<ScoresReport, ServiceError> {
    let mut obs = Vec::new();
    let mut left_out = Vec::new();
    for p in posts {
        match (&p.outcome, p.overall, p.viral) {
            (None, _, _) => left_out.push(format!("post {}: no metrics", p.post.id)),
            (Some(o), _, _) if !o.settled => {
                left_out.push(format!(
                    "post {}: still growing (under 3 days old)",
                    p.post.id
                ));
            }
            (Some(_), None, _) | (Some(_), _, None) => {
                left_out.push(format!("post {}: no caption or script to score", p.post.id));
            }
            (Some(o), Some(overall), Some(dimensions)) => obs.push(Observation {
                overall,
                dimensions,
                outcome: o.log_lift,
            }),
        }
    }
    // Oldest first, so the cross-validation folds are dealt in time order.
    obs.reverse();
    let calibration = calibrate(&obs);
    let previous = store.calibration(ws, persona).await?;
    let changed = previous.as_ref().is_none_or(|(_, c)| {
        c.n != calibration.n || c.weights.weights != calibration.weights.weights
    });
    if keep && changed {
        store.save_calibration(ws, persona, &calibration).await?;
    }
    Ok(ScoresReport {
        persona: persona.trim().to_string(),
        calibration,
        left_out,
        saved: keep && changed,
    })
}

/// The best-time report of a persona's settled posts, in `zone`.
///
/// # Errors
/// [`ServiceError::Store`] for an unknown persona or a storage failure.
pub async fn best_time_to_post<S: FeedbackStore>(
    store: &S,
    ws: Workspace,
    persona: &str,
    zone: &reelsmith_ingest::performance::Zone,
) -> Result<BestTime, ServiceError> {
    let posts = store.posts(ws, persona).await?;
    let slots: Vec<(usize, u32, f64)> = outcomes(&posts)
        .iter()
        .filter(|o| o.settled)
        .filter_map(|o| {
            let (weekday, hour) = zone.weekday_hour(o.posted_at?)?;
            Some((weekday, hour, o.log_lift))
        })
        .collect();
    Ok(best_time(&slots))
}
