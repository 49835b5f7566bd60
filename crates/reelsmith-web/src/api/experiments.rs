//! `/api/v1/experiments`: A/B tests of versions of one idea — create (write the variants, or use
//! existing scripts), list, analyse (the verdict with P(best), expected loss, lift intervals,
//! confounders), record a variant's post — and `/api/v1/personas/{name}/preferences`, what the
//! persona's won experiments taught.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use reelsmith_app::experiments::{
    CreateInput, ExperimentReport, analyze_experiment, persona_preferences, post_variant,
    store_experiment, variant_requests,
};
use reelsmith_core::experiment::{Preference, StoredExperiment, Vary};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::{ExperimentStore, PerformanceStore, PersonaStore};
use reelsmith_ingest::performance::table::parse_time;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::performance::ZoneQuery;
use super::scripts::{GenerationJob, spawn_generation};
use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiError, ApiResult, AppState};

/// A new experiment: 2–5 variants of one idea written now, or existing scripts given by `from`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExperimentInput {
    /// Persona name.
    pub persona: String,
    /// The idea the variants share.
    pub topic: String,
    /// What the variants vary: hook (default), cta or length.
    pub vary: Option<String>,
    /// How many variants to write, 2–5 (default 2); ignored with `from`.
    pub variants: Option<usize>,
    /// Existing generations of the persona to use as the variants A, B, … instead of writing new
    /// ones.
    #[serde(default)]
    pub from: Vec<i64>,
    /// Base length, seconds (15–90; default the persona's).
    pub duration_s: Option<f64>,
}

impl ExperimentInput {
    /// The app's input.
    ///
    /// # Errors
    /// 422 naming `vary` when it is not hook, cta or length.
    pub fn resolve(self) -> ApiResult<CreateInput> {
        let vary = match self.vary.as_deref().map(str::trim) {
            None | Some("") => Vary::Hook,
            Some(v) => Vary::parse(v).map_err(|e| ApiError::invalid("vary", e))?,
        };
        Ok(CreateInput {
            persona: self.persona,
            topic: self.topic,
            vary,
            variants: self.variants.unwrap_or(2),
            from: self.from,
            duration_s: self.duration_s,
        })
    }
}

/// Creates an experiment for the API and the UI: each variant to write runs as a generation of its
/// own (registered in flight, so a dropped connection does not cut it in half); the experiment is
/// stored once all its variants exist.
///
/// # Errors
/// 404 for an unknown persona or generation, 422 for a wrong field, 502/503 when a variant could
/// not be written (those written before stay as generations).
pub async fn create_experiment(
    state: &AppState,
    input: CreateInput,
) -> ApiResult<StoredExperiment> {
    if input.topic.trim().is_empty() {
        return Err(ApiError::invalid(
            "topic",
            "the topic is empty: say what the variants are about",
        ));
    }
    let persona = state
        .store
        .persona(state.workspace, &input.persona, None)
        .await?;
    let mut ids = input.from.clone();
    for request in variant_requests(&persona, &input)? {
        let g = spawn_generation(state, GenerationJob::New(request), None)?
            .outcome()
            .await?;
        ids.push(g.id);
    }
    Ok(store_experiment(&state.store, state.workspace, &input, &ids).await?)
}

/// Create an A/B experiment: write 2–5 variants of one idea that differ in their hook, call to
/// action or length (each a stored generation), or use existing scripts (`from`).
#[utoipa::path(post, path = "/experiments", tag = "experiments", request_body = ExperimentInput,
    responses((status = 201, description = "The stored experiment", body = Object),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 502, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ExperimentInput>,
) -> ApiResult<(StatusCode, Json<StoredExperiment>)> {
    let e = create_experiment(&state, input.resolve()?).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Which experiments to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this persona's.
    pub persona: Option<String>,
}

/// Every experiment, newest first, with its variants and their posts.
#[utoipa::path(get, path = "/experiments", tag = "experiments", params(ListQuery),
    responses((status = 200, body = [Object]), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<StoredExperiment>>> {
    Ok(Json(experiments(&state, q.persona.as_deref()).await?))
}

/// Every experiment, or only persona `persona`'s (404 for an unknown persona).
///
/// # Errors
/// 404 for an unknown persona; storage failures.
pub async fn experiments(
    state: &AppState,
    persona: Option<&str>,
) -> ApiResult<Vec<StoredExperiment>> {
    let mut all = state.store.experiments(state.workspace).await?;
    if let Some(name) = persona.map(str::trim).filter(|n| !n.is_empty()) {
        let p = state.store.persona(state.workspace, name, None).await?;
        all.retain(|e| e.persona == p.name);
    }
    Ok(all)
}

/// An experiment with its analysis: each variant's posts, P(best), expected loss and the 95 %
/// interval of its lift over A; the verdict (a winner, no detectable difference, or how many more
/// posts are needed); Welch's cross-check; confounders (weekdays and hours read in `tz`); posts left
/// out.
#[utoipa::path(get, path = "/experiments/{id}", tag = "experiments",
    params(("id" = i64, Path, description = "Experiment id"), ZoneQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ZoneQuery>,
) -> ApiResult<Json<ExperimentReport>> {
    let zone = q.zone()?;
    Ok(Json(
        analyze_experiment(&state.store, state.workspace, id, &zone).await?,
    ))
}

/// A variant's post.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostInput {
    /// The variant's label (A, B…).
    pub variant: String,
    /// Where it was posted: reels, tiktok, shorts or facebook.
    pub platform: String,
    /// When: RFC 3339 (2026-12-03T18:00:00Z) or a local time (2026-12-03T18:00) read in `tz`.
    pub posted_at: Option<String>,
    /// The post's link.
    pub url: Option<String>,
    /// The time zone of a local `posted_at`, e.g. Europe/Madrid (default UTC).
    pub tz: Option<String>,
}

/// Records a variant's post for the API and the UI.
///
/// # Errors
/// 404 for an unknown experiment or variant, 422 for a wrong field.
pub async fn record_post(
    state: &AppState,
    id: i64,
    input: PostInput,
) -> ApiResult<StoredExperiment> {
    let platform = Platform::parse_loose(&input.platform)
        .map_err(|e| ApiError::invalid("platform", e.reason))?;
    let zone = ZoneQuery {
        tz: input.tz.clone(),
    }
    .zone()?;
    let at = match input
        .posted_at
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) => Some(parse_time(t, Some(&zone)).ok_or_else(|| {
            ApiError::invalid(
                "posted_at",
                format!("“{t}” is not a time: use e.g. 2026-12-03T18:00 or 2026-12-03T18:00:00Z"),
            )
        })?),
        None => None,
    };
    let url = input
        .url
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    Ok(post_variant(
        &state.store,
        state.workspace,
        (id, input.variant.trim()),
        platform,
        at,
        url,
    )
    .await?)
}

/// Record that a variant was posted: by its link (or its posting time), so an import of the
/// platform's export later brings its metrics to it.
#[utoipa::path(post, path = "/experiments/{id}/posts", tag = "experiments",
    params(("id" = i64, Path, description = "Experiment id")),
    request_body = PostInput,
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn post(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PostInput>,
) -> ApiResult<Json<StoredExperiment>> {
    Ok(Json(record_post(&state, id, input).await?))
}

/// The persona's preferences as [`persona_preferences`] gives them.
///
/// # Errors
/// 404 for an unknown persona; storage failures.
pub async fn preferences_of(state: &AppState, name: &str) -> ApiResult<Vec<Preference>> {
    let p = state.store.persona(state.workspace, name, None).await?;
    let posts = state.store.posts(state.workspace, &p.name).await?;
    Ok(persona_preferences(&state.store, state.workspace, &p.name, &posts).await?)
}

/// What the persona's A/B tests found: each pattern (hook type, call to action, length band) that
/// won an experiment, with the experiments behind it. Retrieval and the prompt prefer them.
#[utoipa::path(get, path = "/personas/{name}/preferences", tag = "experiments",
    params(("name" = String, Path, description = "Persona name")),
    responses((status = 200, body = [Object]), (status = 404, body = crate::error::ErrorBody)))]
pub async fn preferences(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<Vec<Preference>>> {
    Ok(Json(preferences_of(&state, &name).await?))
}
