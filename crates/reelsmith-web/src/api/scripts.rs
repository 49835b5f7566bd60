//! `/api/v1/scripts`: generate (the stored generation as JSON, or progress as server-sent events),
//! get, list with filters and pagination, export, regenerate a section, approve, delete.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use reelsmith_app::request::ScriptInput;
use reelsmith_app::write::{retry_script, retryable, revise_section, run_script, start_script};
use reelsmith_core::export::{ExportFormat, export};
use reelsmith_core::generation::{Approval, Generation, HistoryFilter, ScriptRequest};
use reelsmith_core::platform::{Named, Platform, Style};
use reelsmith_core::progress::{Progress, ProgressSink};
use reelsmith_core::store::GenerationStore;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::inflight::Spawned;
use crate::{ApiError, ApiResult, AppState};

/// A script request. Unset fields take the defaults of `reelsmith_app::request` (the same as the
/// CLI and the UI).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateInput {
    /// Persona name.
    pub persona: String,
    /// What the video is about.
    pub topic: String,
    /// Target length, seconds (15–90; default 30).
    pub duration_s: Option<f64>,
    /// educational, inspirational, entertaining, promotional or storytelling (default educational).
    pub content_type: Option<String>,
    /// casual, professional, technical or sales (default casual).
    pub style: Option<String>,
    /// ISO 639-1 language (default: the persona's).
    pub language: Option<String>,
    /// reels, tiktok, shorts or facebook (a timed video script; default reels), x (a thread of
    /// numbered posts) or linkedin (one text post).
    pub platform: Option<String>,
    /// Attempts to write and score, 1–8 (default 3).
    pub attempts: Option<u32>,
    /// Things the script must do, e.g. "mention the free guide".
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Background the script must draw on: facts, an offer, a story (up to 4,000 characters).
    pub context: Option<String>,
    /// normal (default), trending (lean on the trend list) or urgent (one attempt, faster).
    pub urgency: Option<String>,
}

impl From<GenerateInput> for ScriptInput {
    fn from(i: GenerateInput) -> Self {
        ScriptInput {
            persona: i.persona,
            topic: i.topic,
            duration_s: i.duration_s,
            content_type: i.content_type,
            style: i.style,
            language: i.language,
            platform: i.platform,
            attempts: i.attempts,
            requirements: i.requirements,
            context: i.context,
            urgency: i.urgency,
        }
    }
}

/// What a spawned generation does.
#[derive(Debug, Clone)]
pub enum GenerationJob {
    /// A new generation of this request.
    New(ScriptRequest),
    /// A failed or interrupted generation run again in place.
    Retry(i64),
}

/// Runs a generation in its own task (so a dropped connection neither cancels nor half-writes it),
/// registered as in flight until it is stored.
///
/// # Errors
/// 503 once the server is stopping.
pub fn spawn_generation(
    state: &AppState,
    job: GenerationJob,
    progress: Option<ProgressSink>,
) -> ApiResult<Spawned> {
    let state = state.clone();
    state
        .inflight
        .clone()
        .spawn(state.workspace, move |cell| async move {
            let (store, ws) = (&state.store, state.workspace);
            let started = match job {
                GenerationJob::New(request) => start_script(store, ws, request).await?,
                GenerationJob::Retry(id) => retry_script(store, ws, id).await?,
            };
            let _ = cell.set(started.id);
            run_script(store, ws, state.models(), started, progress.as_ref()).await
        })
}

fn wants_events(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

/// Server-sent events of one generation: `started`, `token`, `scored`, `fitting` as it runs, then
/// `done` with the stored generation or `error` with the error body.
pub fn event_stream(
    state: &AppState,
    job: GenerationJob,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let (tx, rx) = mpsc::unbounded_channel::<Event>();
    let progress_tx = tx.clone();
    let sink: ProgressSink = std::sync::Arc::new(move |p: Progress| {
        let name = match &p {
            Progress::Started { .. } => "started",
            Progress::Token { .. } => "token",
            Progress::Scored { .. } => "scored",
            Progress::Fitting { .. } => "fitting",
        };
        if let Ok(e) = Event::default().event(name).json_data(&p) {
            let _ = progress_tx.send(e);
        }
    });
    let task = spawn_generation(state, job, Some(sink));
    tokio::spawn(async move {
        let outcome = match task {
            Ok(task) => task.outcome().await,
            Err(e) => Err(e),
        };
        let last = match outcome {
            Ok(g) => Event::default().event("done").json_data(&g),
            Err(e) => Event::default().event("error").json_data(e.body),
        };
        if let Ok(e) = last {
            let _ = tx.send(e);
        }
    });
    let stream = tokio_stream::wrappers::UnboundedReceiverStream::new(rx).map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

use futures_util::StreamExt;

/// Write a script: the best of N scored attempts, fitted to the length, stored with every attempt.
/// With `Accept: text/event-stream` the answer is a stream of progress events ending in `done`
/// (the stored generation) or `error`.
#[utoipa::path(post, path = "/scripts/generate", tag = "scripts", request_body = GenerateInput,
    responses((status = 201, description = "The stored generation", body = Object),
        (status = 200, description = "With Accept: text/event-stream: events started, token, scored, fitting, then done or error", content_type = "text/event-stream", body = String),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 502, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn generate(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<GenerateInput>,
) -> ApiResult<Response> {
    // Wrong fields are answered before any stream starts.
    let request = ScriptInput::from(input).resolve()?;
    run_job(&state, &headers, GenerationJob::New(request)).await
}

/// The answer to a generate or retry request: the stored generation (201), or its events.
async fn run_job(state: &AppState, headers: &HeaderMap, job: GenerationJob) -> ApiResult<Response> {
    if wants_events(headers) {
        return Ok(event_stream(state, job).into_response());
    }
    let g = spawn_generation(state, job, None)?.outcome().await?;
    Ok((StatusCode::CREATED, Json(g)).into_response())
}

/// Run a failed or interrupted generation again, in place: the same request and persona version,
/// its earlier attempts and model calls kept (and counted in its cost). Answers as `generate`
/// does, with the same generation id.
#[utoipa::path(post, path = "/scripts/{id}/retry", tag = "scripts",
    params(("id" = i64, Path, description = "Generation id")),
    responses((status = 201, description = "The stored generation", body = Object),
        (status = 200, description = "With Accept: text/event-stream: events started, token, scored, fitting, then done or error", content_type = "text/event-stream", body = String),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 502, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn retry(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    // A wrong status is answered before any stream starts.
    retryable(&state.store, state.workspace, id).await?;
    run_job(&state, &headers, GenerationJob::Retry(id)).await
}

/// The platforms to repurpose a script for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepurposeInput {
    /// Platforms: reels, tiktok, shorts, facebook, x, linkedin (not the script's own).
    pub to: Vec<String>,
}

/// Repurposes generation `id` for `targets`, each new generation run in flight like a generation
/// of its own (the API's and the UI's repurpose).
///
/// # Errors
/// 404 for an unknown id, 422 for no target, the script's own platform or a source without a
/// script, 502/503 when a model fails (those written before stay).
pub async fn repurpose_with(
    state: &AppState,
    id: i64,
    targets: &[Platform],
) -> ApiResult<Vec<Generation>> {
    let source = state.store.generation(state.workspace, id).await?;
    let mut out = Vec::new();
    for request in reelsmith_app::repurpose::repurpose_requests(&source, targets)? {
        out.push(
            spawn_generation(state, GenerationJob::New(request), None)?
                .outcome()
                .await?,
        );
    }
    Ok(out)
}

/// Turn a stored script into other platforms' forms — an X thread, a LinkedIn post, a Short —
/// each a new generation written from it and linked to it (`request.repurposed_from`).
#[utoipa::path(post, path = "/scripts/{id}/repurpose", tag = "scripts",
    params(("id" = i64, Path, description = "Generation id")),
    request_body = RepurposeInput,
    responses((status = 201, description = "The new generations", body = [Object]),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 502, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn repurpose(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RepurposeInput>,
) -> ApiResult<(StatusCode, Json<Vec<Generation>>)> {
    let targets = reelsmith_app::repurpose::parse_targets(&input.to.join(","))?;
    Ok((
        StatusCode::CREATED,
        Json(repurpose_with(&state, id, &targets).await?),
    ))
}

/// One generation with its attempts, score card and script.
#[utoipa::path(get, path = "/scripts/{id}", tag = "scripts",
    params(("id" = i64, Path, description = "Generation id")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Generation>> {
    Ok(Json(state.store.generation(state.workspace, id).await?))
}

/// Filters and page of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this persona.
    pub persona: Option<String>,
    /// Only this writing style.
    pub style: Option<String>,
    /// Only this review state: draft, approved, rejected, needs_revision.
    pub status: Option<String>,
    /// Only this platform.
    pub platform: Option<String>,
    /// Made at or after (RFC 3339, e.g. 2026-11-01T00:00:00Z).
    pub since: Option<DateTime<Utc>>,
    /// Made before (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Topic contains (case-insensitive).
    pub q: Option<String>,
    /// Rows, 1–100 (default 20).
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    pub offset: Option<u32>,
}

impl ListQuery {
    /// The store filter.
    ///
    /// # Errors
    /// 422 for a limit outside 1–100, or an unknown status, style or platform.
    pub fn filter(&self) -> ApiResult<HistoryFilter> {
        let limit = self.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::invalid(
                "limit",
                format!("{limit} is out of range: use 1 to 100"),
            ));
        }
        let approval = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => {
                Some(Approval::parse(s).map_err(|e| ApiError::invalid("status", e.to_string()))?)
            }
            None => None,
        };
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        let style = nonempty(&self.style)
            .map(|s| Style::parse(&s))
            .transpose()?;
        let platform = nonempty(&self.platform)
            .map(|p| Platform::parse_loose(&p))
            .transpose()?;
        Ok(HistoryFilter {
            persona: nonempty(&self.persona),
            approval,
            style,
            platform,
            since: self.since,
            until: self.until,
            query: nonempty(&self.q),
            include_deleted: false,
            limit,
            offset: self.offset.unwrap_or(0),
        })
    }
}

/// A page of the history.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page {
    /// Rows, newest first.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<reelsmith_core::generation::GenerationSummary>,
    /// Rows matching the filters.
    pub total: u64,
    /// Page size.
    pub limit: u32,
    /// Rows skipped.
    pub offset: u32,
}

/// List generations, newest first, with filters and pagination.
#[utoipa::path(get, path = "/scripts", tag = "scripts", params(ListQuery),
    responses((status = 200, body = Page), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page>> {
    let f = q.filter()?;
    let (items, total) = state.store.generations(state.workspace, &f).await?;
    Ok(Json(Page {
        items,
        total,
        limit: f.limit,
        offset: f.offset,
    }))
}

/// Export format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// md, json, srt or teleprompter.
    pub format: String,
}

/// Export a generation: Markdown, JSON, SRT captions or teleprompter text, as a download.
#[utoipa::path(get, path = "/scripts/{id}/export", tag = "scripts",
    params(("id" = i64, Path, description = "Generation id"), ExportQuery),
    responses((status = 200, body = String, content_type = "text/plain"), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_script(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let format = ExportFormat::parse(&q.format)?;
    let g = state.store.generation(state.workspace, id).await?;
    let text = export(&g, format)?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"script-{id}.{}\"",
                    format.extension()
                ),
            ),
        ],
        text,
    )
        .into_response())
}

/// What to change in a section.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SectionInput {
    /// e.g. "more energetic".
    pub instructions: String,
}

/// Regenerate one section (1 = the hook) with instructions: a new version whose parent is kept.
#[utoipa::path(put, path = "/scripts/{id}/sections/{index}", tag = "scripts",
    params(("id" = i64, Path, description = "Generation id"), ("index" = usize, Path, description = "Section, from 1 (the hook)")),
    request_body = SectionInput,
    responses((status = 201, description = "The new version", body = Object), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
pub async fn regenerate_section(
    State(state): State<AppState>,
    ApiPath((id, index)): ApiPath<(i64, usize)>,
    ApiJson(input): ApiJson<SectionInput>,
) -> ApiResult<(StatusCode, Json<Generation>)> {
    let g = revise_section(
        &state.store,
        state.workspace,
        state.models(),
        id,
        index,
        &input.instructions,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// A review.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApprovalInput {
    /// approved, rejected, needs_revision (or draft to reset).
    pub status: String,
    /// Who reviewed.
    pub by: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// Set the review state.
#[utoipa::path(put, path = "/scripts/{id}/approval", tag = "scripts",
    params(("id" = i64, Path, description = "Generation id")), request_body = ApprovalInput,
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn approval(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ApprovalInput>,
) -> ApiResult<Json<Generation>> {
    let status =
        Approval::parse(&input.status).map_err(|e| ApiError::invalid("status", e.to_string()))?;
    let trim = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let (by, notes) = (trim(input.by), trim(input.notes));
    Ok(Json(
        state
            .store
            .set_approval(state.workspace, id, status, by.as_deref(), notes.as_deref())
            .await?,
    ))
}

/// Hard or soft delete.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Remove it for good (default false: hide it from the history).
    pub hard: Option<bool>,
}

/// Delete a generation (soft by default).
#[utoipa::path(delete, path = "/scripts/{id}", tag = "scripts",
    params(("id" = i64, Path, description = "Generation id"), DeleteQuery),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_generation(state.workspace, id, q.hard.unwrap_or(false))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
