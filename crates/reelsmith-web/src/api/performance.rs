//! `/api/v1/personas/{name}/…`: importing how posts performed (a multipart upload of an export
//! `.zip` or its files, a CSV…), the posts with their outcome and score, a post's link, the
//! calibration of the scores against the outcomes and the best time to post.

use axum::Json;
use axum::extract::{Multipart, State};
use reelsmith_app::feedback::{LinkChange, change_link};
use reelsmith_app::import::{ImportOptions, ImportReport, import_path};
use reelsmith_app::insights::{
    PostInsight, ScoresReport, best_time_to_post, post_insights, scores,
};
use reelsmith_core::best_time::BestTime;
use reelsmith_core::performance::StoredPost;
use reelsmith_core::platform::Platform;
use reelsmith_ingest::performance::Zone;
use reelsmith_ingest::performance::source::ExportFormat;
use reelsmith_ingest::performance::table::parse_map;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiError, ApiResult, AppState};

/// Reads an import upload: one or more `file` fields (an export `.zip`, its JSON files, a
/// `.json.xz`, a `.csv`, `.srt` subtitles) and the options `format`, `map`, `platform`, `tz`,
/// `dry_run`.
async fn read_import(
    mut form: Multipart,
    persona: &str,
) -> ApiResult<(tempfile::TempDir, Option<String>, ImportOptions)> {
    let dir =
        super::personas::private_dir().map_err(|e| ApiError::invalid("file", e.to_string()))?;
    let mut options = ImportOptions {
        persona: persona.to_string(),
        format: None,
        map: Vec::new(),
        platform: None,
        zone: None,
        dry_run: false,
    };
    let mut files = Vec::new();
    while let Some((name, file_name, bytes)) = super::personas::next_field(&mut form).await? {
        let text = String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "file" => {
                if bytes.is_empty() {
                    continue;
                }
                // The file's own name (without folders) keeps what the readers recognise.
                let clean = super::personas::clean_file_name(file_name.as_deref().unwrap_or(""));
                let saved = if clean.is_empty() {
                    format!("upload-{}.csv", files.len() + 1)
                } else if files.contains(&clean) {
                    format!("{}-{clean}", files.len() + 1)
                } else {
                    clean
                };
                std::fs::write(dir.path().join(&saved), &bytes)
                    .map_err(|e| ApiError::invalid("file", e.to_string()))?;
                files.push(saved);
            }
            "format" if !text.is_empty() => {
                options.format =
                    ExportFormat::parse(&text).map_err(|e| ApiError::invalid("format", e))?;
            }
            "map" if !text.is_empty() => {
                let pairs: Vec<String> = text.split(',').map(str::to_string).collect();
                options.map = parse_map(&pairs).map_err(|e| ApiError::invalid("map", e))?;
            }
            "platform" if !text.is_empty() => {
                options.platform = Some(
                    Platform::parse_loose(&text)
                        .map_err(|e| ApiError::invalid("platform", e.reason))?,
                );
            }
            "tz" if !text.is_empty() => {
                options.zone = Some(Zone::parse(&text).map_err(|e| ApiError::invalid("tz", e))?);
            }
            "dry_run" => options.dry_run = matches!(text.as_str(), "true" | "on" | "1"),
            "format" | "map" | "platform" | "tz" => {}
            other => {
                return Err(ApiError::invalid(
                    other.to_string(),
                    "unknown field: use file, format, map, platform, tz, dry_run",
                ));
            }
        }
    }
    let single = match files.as_slice() {
        [] => {
            return Err(ApiError::invalid(
                "file",
                "no file: upload an export .zip, its JSON files, instaloader's .json or a CSV",
            ));
        }
        [saved] => Some(saved.clone()),
        _ => None,
    };
    Ok((dir, single, options))
}

/// Import how the persona's posts performed: multipart fields `file` (one or more: an Instagram
/// or TikTok export `.zip` or its JSON files, instaloader's `.json`/`.json.xz`, a CSV, `.srt`
/// subtitles), and optional `format` (auto, instagram-export, instaloader, tiktok-export, csv),
/// `map` (`views=Plays,likes=Hearts`), `platform`, `tz` (e.g. Europe/Madrid) and `dry_run`.
/// Re-importing the same data changes nothing; a file with a bad entry is reported and not
/// imported.
#[utoipa::path(post, path = "/personas/{name}/imports", tag = "performance",
    params(("name" = String, Path, description = "Persona name")),
    request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    form: Multipart,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(import_upload(&state, &name, form).await?))
}

/// Imports an upload (see [`import`]) for persona `name`: the API's and the UI's import.
///
/// # Errors
/// 404 for an unknown persona, 422 for a wrong field or a path that holds no post data.
pub async fn import_upload(
    state: &AppState,
    name: &str,
    form: Multipart,
) -> ApiResult<ImportReport> {
    // An unknown persona is a 404 before anything is read.
    reelsmith_core::store::PersonaStore::persona(&state.store, state.workspace, name, None).await?;
    let (dir, single, options) = read_import(form, name).await?;
    let path = match &single {
        Some(file) => dir.path().join(file),
        None => dir.path().to_path_buf(),
    };
    // Answers and errors name the user's files, never the server's temporary folder.
    let shown = format!("{}/", dir.path().display());
    let report = import_path(
        &state.store,
        state.workspace,
        state.embedder.as_deref(),
        &path,
        options,
    )
    .await
    .map_err(|e| {
        let mut api = ApiError::from(e);
        api.body.message = api.body.message.replace(&shown, "");
        api
    })?;
    drop(dir);
    Ok(report)
}

/// The persona's posts, newest first, each with its latest metrics, its outcome against the
/// creator's median, its score and what it was made from.
#[utoipa::path(get, path = "/personas/{name}/posts", tag = "performance",
    params(("name" = String, Path, description = "Persona name")),
    responses((status = 200, body = [Object]), (status = 404, body = crate::error::ErrorBody)))]
pub async fn posts(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<Vec<PostInsight>>> {
    Ok(Json(
        post_insights(
            &state.store,
            state.workspace,
            &name,
            state.embedder.as_deref(),
        )
        .await?,
    ))
}

/// What a post was made from: a generation, one of the persona's example scripts, the suggested
/// link confirmed, or nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    /// The generation it was made from.
    pub generation_id: Option<i64>,
    /// The example script it is (its source).
    pub example: Option<String>,
    /// Confirm the suggested link.
    #[serde(default)]
    pub confirm: bool,
    /// Clear the link.
    #[serde(default)]
    pub clear: bool,
}

/// Set, confirm or clear what a post was made from; exactly one of `generation_id`, `example`,
/// `confirm` or `clear`.
#[utoipa::path(put, path = "/personas/{name}/posts/{id}/link", tag = "performance",
    params(("name" = String, Path, description = "Persona name"), ("id" = i64, Path, description = "Post id")),
    request_body = LinkInput,
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    ApiPath((name, id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<LinkInput>,
) -> ApiResult<Json<StoredPost>> {
    let change = match (body.generation_id, body.example, body.confirm, body.clear) {
        (Some(g), None, false, false) => LinkChange::Generation(g),
        (None, Some(e), false, false) => LinkChange::Example(e),
        (None, None, true, false) => LinkChange::Confirm,
        (None, None, false, true) => LinkChange::Clear,
        _ => {
            return Err(ApiError::invalid(
                "body",
                "give exactly one of generation_id, example, confirm or clear",
            ));
        }
    };
    Ok(Json(
        change_link(&state.store, state.workspace, &name, id, change).await?,
    ))
}

/// How well the scores rank the persona's posts by outcome: Spearman's rho of the overall score,
/// the viral score and each viral dimension, with bootstrap 95 % intervals and n, and the viral
/// weights in force. Read-only: `POST …/calibration` keeps it.
#[utoipa::path(get, path = "/personas/{name}/insights/scores", tag = "performance",
    params(("name" = String, Path, description = "Persona name")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn insight_scores(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<ScoresReport>> {
    report(&state, &name, false).await
}

/// Calibrate the persona's scores on its posts and keep the report: re-fitted viral weights that
/// pass the held-out test score the next generations.
#[utoipa::path(post, path = "/personas/{name}/calibration", tag = "performance",
    params(("name" = String, Path, description = "Persona name")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn calibrate(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<ScoresReport>> {
    report(&state, &name, true).await
}

/// The persona's calibration report, kept when `keep`.
async fn report(state: &AppState, name: &str, keep: bool) -> ApiResult<Json<ScoresReport>> {
    let embedder = state.embedder.as_deref();
    Ok(Json(
        scores(&state.store, state.workspace, name, embedder, keep).await?,
    ))
}

/// The time zone of a best-time report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ZoneQuery {
    /// An IANA time zone, e.g. Europe/Madrid (default UTC).
    pub tz: Option<String>,
}

impl ZoneQuery {
    /// The zone asked for, UTC when none.
    ///
    /// # Errors
    /// 422 naming `tz` for an unknown zone.
    pub fn zone(&self) -> ApiResult<Zone> {
        match self.tz.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => Zone::parse(t).map_err(|e| ApiError::invalid("tz", e)),
            None => Ok(Zone::utc()),
        }
    }
}

/// The best weekday and hour to post, from the persona's own posts: every weekday × hour slot in
/// `tz` with its posts' lift over the creator's median, its evidence (no data, thin, ok) and
/// interval, the top slots and the posts still needed.
#[utoipa::path(get, path = "/personas/{name}/insights/best-time", tag = "performance",
    params(("name" = String, Path, description = "Persona name"), ZoneQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn best_time(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(q): ApiQuery<ZoneQuery>,
) -> ApiResult<Json<BestTime>> {
    let zone = q.zone()?;
    Ok(Json(
        best_time_to_post(&state.store, state.workspace, &name, &zone).await?,
    ))
}
