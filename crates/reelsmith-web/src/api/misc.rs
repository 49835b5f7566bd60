//! `/api/v1/score`, `/api/v1/usage`, `/api/v1/health` and `/api/v1/ready`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use reelsmith_app::score::score_drafts;
use reelsmith_core::score::ScoreCard;
use reelsmith_core::store::{LedgerStore, PersonaStore};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiJson, ApiQuery};
use crate::{ApiError, ApiResult, AppState};

/// Text to score.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    /// The script as spoken.
    pub text: String,
    /// Score voice match and timing against this persona.
    pub persona: Option<String>,
    /// Target length, seconds (15–90).
    pub duration_s: Option<f64>,
    /// The draft's recorded spoken length, seconds (more than 0, at most [`MAX_SPOKEN_S`]), when it
    /// was already filmed: timing then reads the real rate (words ÷ this length) instead of
    /// estimating it from the persona's WPM, and the card's `timing.recorded` is true. What the
    /// CLI's `score reel.srt` takes from the captions' cue times.
    pub spoken_s: Option<f64>,
    /// Language (ISO 639-1) when not detected; the draft must be in it.
    pub language: Option<String>,
    /// The topic the draft must cover (up to 300 characters).
    pub topic: Option<String>,
    /// Requirements the draft must meet (up to 10, each up to 300 characters).
    #[serde(default)]
    pub requirements: Vec<String>,
    /// The platform it is for: reels, tiktok, shorts, facebook (a spoken script), x or linkedin (a
    /// text post, scored on its format instead of spoken timing). The brief checks the draft names
    /// only this platform's features.
    pub platform: Option<String>,
    /// The content type it is for: educational, inspirational, entertaining, promotional or
    /// storytelling (the first, fourth and fifth are checked in the brief).
    pub content_type: Option<String>,
}

/// Longest recorded length `/score` takes, seconds: an hour, far beyond any short-form video, so a
/// typo (milliseconds sent as seconds) is refused rather than read as a 2 WPM draft.
pub const MAX_SPOKEN_S: f64 = 3600.0;

/// Score any text: timing, quality, nine viral dimensions and voice match, each with reasons.
#[utoipa::path(post, path = "/score", tag = "scoring", request_body = ScoreInput,
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn score_text(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ScoreInput>,
) -> ApiResult<Json<ScoreCard>> {
    let scored = score_drafts(
        &state.store,
        state.workspace,
        state.embedder.as_deref(),
        None,
        reelsmith_app::score::ScoreInput {
            drafts: vec![reelsmith_app::score::Draft {
                spoken_s: recorded_length(input.spoken_s)?,
                ..reelsmith_app::score::Draft::new("request", input.text)
            }],
            persona: input.persona.map(|p| (p, None)),
            target_s: input.duration_s,
            language: input.language,
            topic: input.topic,
            requirements: input.requirements,
            platform: input
                .platform
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(reelsmith_core::platform::Platform::parse_loose)
                .transpose()?,
            content_type: input
                .content_type
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .map(<reelsmith_core::platform::ContentType as reelsmith_core::platform::Named>::parse)
                .transpose()?,
        },
    )
    .await?;
    let card = scored.cards.into_iter().next().map(|(_, c)| c);
    card.map(Json)
        .ok_or_else(|| ApiError::invalid("text", "is empty: send the script to score"))
}

/// `spoken_s` checked: `None` stays `None`; a length that is not a number of seconds in
/// (0, [`MAX_SPOKEN_S`]] is a 422 that says so.
fn recorded_length(spoken_s: Option<f64>) -> ApiResult<Option<f64>> {
    match spoken_s {
        Some(s) if !(s.is_finite() && s > 0.0 && s <= MAX_SPOKEN_S) => Err(ApiError::invalid(
            "spoken_s",
            format!(
                "is {s}: send the recording's spoken length in seconds, more than 0 and at most {MAX_SPOKEN_S} (or leave it out to estimate it from the persona's WPM)"
            ),
        )),
        other => Ok(other),
    }
}

/// Days of usage.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// The last N days (UTC), today included; 1–366, default 30.
    pub days: Option<u32>,
}

/// Usage rows and totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageBody {
    /// First UTC day counted, `YYYY-MM-DD`.
    pub since: String,
    /// Calls, tokens, cost and mean latency per day, step, provider and model.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<reelsmith_core::llm::UsageRow>,
    /// All calls.
    pub calls: u64,
    /// Prompt plus completion tokens.
    pub tokens: u64,
    /// Total cost, USD.
    pub cost_usd: f64,
}

/// LLM calls, tokens and cost per day, step, provider and model, with totals.
#[utoipa::path(get, path = "/usage", tag = "usage", params(UsageQuery),
    responses((status = 200, body = UsageBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn usage(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<UsageQuery>,
) -> ApiResult<Json<UsageBody>> {
    let days = q.days.unwrap_or(30);
    if !(1..=366).contains(&days) {
        return Err(ApiError::invalid(
            "days",
            format!("{days} is out of range: use 1 to 366"),
        ));
    }
    let first = Utc::now().date_naive() - Duration::days(i64::from(days) - 1);
    let since = first.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let rows = state.store.llm_usage(state.workspace, since).await?;
    Ok(Json(UsageBody {
        since: first.to_string(),
        calls: rows.iter().map(|r| r.calls).sum(),
        tokens: rows
            .iter()
            .map(|r| r.prompt_tokens + r.completion_tokens)
            .sum(),
        cost_usd: rows.iter().map(|r| r.cost_usd).sum(),
        rows,
    }))
}

/// Liveness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// reelsmith's version.
    pub version: &'static str,
    /// Generations running now.
    pub generations_running: usize,
}

/// The process is up.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        generations_running: state.inflight.len(),
    })
}

/// The store answers (503 when it does not).
#[utoipa::path(get, path = "/ready", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = crate::error::ErrorBody)))]
pub async fn ready(State(state): State<AppState>) -> ApiResult<(StatusCode, Json<Health>)> {
    state.store.personas(state.workspace).await.map_err(|e| {
        let mut err = ApiError::from(e);
        err.status = StatusCode::SERVICE_UNAVAILABLE;
        err
    })?;
    Ok((StatusCode::OK, health(State(state)).await))
}
