//! `/api/v1/personas`: create (JSON or a multipart upload of story and example documents), list,
//! get with style profile and versions, update fields (a new version), delete, and the examples most
//! similar to a topic.

use std::path::PathBuf;

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use reelsmith_app::learn::{LearnInput, Learned, learn_persona};
use reelsmith_core::persona::{CreatorProfile, ExampleScript};
use reelsmith_core::store::PersonaStore;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiError, ApiResult, AppState};

/// One example script given as text.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExampleInput {
    /// The script as spoken.
    pub text: String,
    /// A title.
    pub title: Option<String>,
    /// Its spoken length, seconds (lets reelsmith learn the speaking rate).
    pub duration_s: Option<f64>,
}

/// A persona to learn (or a new version of one), as JSON.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaInput {
    /// Short name: letters, digits, '-', '_', '.'.
    pub name: String,
    /// The creator's story.
    pub story: Option<String>,
    /// Profile fields (display_name, niche, expertise, unique_voice, personality_traits,
    /// storytelling_style, target_audience, pain_points, desires, optimal_length_s,
    /// successful_topics, language); all optional.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub profile: CreatorProfile,
    /// Example scripts (at least one for a new persona).
    #[serde(default)]
    pub examples: Vec<ExampleInput>,
    /// Keep the previous version's examples and add these.
    #[serde(default)]
    pub append: bool,
    /// Ask the analysis model for the semantic fields left empty (default: the server's setting).
    pub analyze: Option<bool>,
}

/// A learned persona version and what the analysis did.
#[derive(Debug, Serialize, ToSchema)]
pub struct LearnedBody {
    /// The stored version: profile, style profile with its evidence, examples.
    #[schema(value_type = Object)]
    pub persona: reelsmith_core::persona::PersonaVersion,
    /// Fields the analysis model filled.
    pub filled: Vec<&'static str>,
    /// Semantic fields still empty.
    pub left: Vec<&'static str>,
    /// What was skipped and why.
    pub warnings: Vec<String>,
}

impl From<Learned> for LearnedBody {
    fn from(l: Learned) -> Self {
        Self {
            filled: l.filled(),
            left: l.left(),
            warnings: l.warnings.clone(),
            persona: l.persona,
        }
    }
}

/// Learns `input` with the server's models (the analysis when `analyze`, else the server's
/// setting, says so).
///
/// # Errors
/// As [`learn_persona`].
pub async fn learn(
    state: &AppState,
    input: LearnInput,
    analyze: Option<bool>,
) -> ApiResult<LearnedBody> {
    let analyzer = analyze
        .unwrap_or(state.analyze_persona)
        .then_some(state.router.as_ref());
    Ok(learn_persona(
        &state.store,
        state.workspace,
        analyzer,
        state.embedder.as_deref(),
        input,
    )
    .await?
    .into())
}

/// Learn a persona from JSON.
#[utoipa::path(post, path = "/personas", tag = "personas", request_body = PersonaInput,
    responses((status = 201, body = LearnedBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<PersonaInput>,
) -> ApiResult<(StatusCode, Json<LearnedBody>)> {
    let mut profile = body.profile;
    if let Some(story) = body.story.filter(|s| !s.trim().is_empty()) {
        profile.story = Some(story.trim().to_string());
    }
    let examples = body
        .examples
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            if e.text.trim().is_empty() {
                return Err(ApiError::invalid(format!("examples[{i}].text"), "is empty"));
            }
            if e.duration_s.is_some_and(|d| !(d.is_finite() && d > 0.0)) {
                return Err(ApiError::invalid(
                    format!("examples[{i}].duration_s"),
                    "must be a positive number of seconds",
                ));
            }
            Ok(ExampleScript {
                title: e.title,
                text: e.text.trim().to_string(),
                source: format!("api#{}", i + 1),
                duration_s: e.duration_s,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let input = LearnInput {
        name: body.name,
        profile,
        examples,
        append: body.append,
    };
    Ok((
        StatusCode::CREATED,
        Json(learn(&state, input, body.analyze).await?),
    ))
}

/// Keeps a file name's last component and safe characters only.
fn safe_name(name: &str, i: usize) -> String {
    let clean = clean_file_name(name);
    if clean.is_empty() {
        format!("upload-{i}.txt")
    } else {
        format!("{i:03}-{clean}")
    }
}

/// An uploaded file's name made safe to save: its last component only, letters, digits, '.', '-',
/// '_' and spaces, no leading dot; empty when nothing is left.
pub(crate) fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .collect();
    clean.trim().trim_start_matches('.').to_string()
}

/// A temporary folder only the server's user can read (mode 0700 on Unix): uploads wait there to
/// be read. `tempfile::tempdir()` alone leaves it at the umask's default, readable by everyone.
pub(crate) fn private_dir() -> std::io::Result<tempfile::TempDir> {
    let mut b = tempfile::Builder::new();
    b.prefix("reelsmith-upload-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o700));
    }
    b.tempdir()
}

/// `text` with every saved file's path replaced by the name the user gave the file.
fn as_user_named(text: &str, names: &[(String, String)]) -> String {
    names
        .iter()
        .fold(text.to_string(), |t, (path, name)| t.replace(path, name))
}

/// The next field of a multipart upload: its name, its file name when it is a file, and its bytes.
///
/// # Errors
/// 422 when the body is not a valid multipart form or a field cannot be read.
pub(crate) async fn next_field(
    form: &mut Multipart,
) -> ApiResult<Option<(String, Option<String>, axum::body::Bytes)>> {
    let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::invalid("body", format!("not a valid multipart form: {e}")))?
    else {
        return Ok(None);
    };
    let name = field.name().unwrap_or("").to_string();
    let file_name = field.file_name().map(str::to_string);
    let bytes = field
        .bytes()
        .await
        .map_err(|e| ApiError::invalid(name.clone(), e.to_string()))?;
    Ok(Some((name, file_name, bytes)))
}

/// Reads a persona upload: fields `name`, `story` (a file) or `story_text`, `examples` (files) or
/// `examples_text` (pasted scripts separated by `---` lines), `append` and `analyze`. Files are
/// read by the same loaders as the CLI (txt, md, pdf, docx, srt, vtt; front matter on the text formats).
///
/// # Errors
/// 422 naming the field or file that is wrong.
pub async fn read_upload(
    state: &AppState,
    mut form: Multipart,
) -> ApiResult<(LearnInput, Option<bool>)> {
    let dir = private_dir().map_err(|e| ApiError::invalid("files", e.to_string()))?;
    let (mut name, mut story, mut examples) = (String::new(), None::<PathBuf>, Vec::new());
    let (mut append, mut analyze) = (false, None);
    // Each saved file's path and the name the user gave it: errors and example sources name the
    // user's file, never the server's temporary folder.
    let mut names: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while let Some((field_name, file_name, bytes)) = next_field(&mut form).await? {
        let text = || String::from_utf8_lossy(&bytes).trim().to_string();
        let (kind, file) = match field_name.as_str() {
            "name" => {
                name = text();
                continue;
            }
            "append" => {
                append = matches!(text().as_str(), "true" | "on");
                continue;
            }
            "analyze" => {
                analyze = Some(matches!(text().as_str(), "true" | "on"));
                continue;
            }
            "story" | "examples" => (
                field_name.clone(),
                file_name.unwrap_or_else(|| "pasted.txt".into()),
            ),
            "story_text" => ("story".to_string(), "story.md".to_string()),
            "examples_text" => ("examples".to_string(), "pasted.md".to_string()),
            other => {
                return Err(ApiError::invalid(
                    other.to_string(),
                    "unknown field: use name, story, story_text, examples, examples_text, append, analyze",
                ));
            }
        };
        // Empty file inputs and empty text areas are simply not given.
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        i += 1;
        let path = dir.path().join(safe_name(&file, i));
        std::fs::write(&path, &bytes)
            .map_err(|e| ApiError::invalid(kind.clone(), e.to_string()))?;
        names.push((path.display().to_string(), file.clone()));
        if kind == "story" {
            story = Some(path);
        } else {
            examples.push(path);
        }
    }
    let mut profile = CreatorProfile::default();
    let user_named = |e: reelsmith_ingest::IngestError| {
        let mut api = ApiError::from(e);
        api.body.message = as_user_named(&api.body.message, &names);
        api
    };
    let (story, examples) = state
        .documents
        .read(move |reader| {
            let story = story.map(|p| reader.load_story(&p)).transpose()?;
            let examples = if examples.is_empty() {
                Vec::new()
            } else {
                reader.load_examples(&examples)?.examples
            };
            // The folder is removed only once the reader is done with its files.
            drop(dir);
            Ok::<_, reelsmith_ingest::IngestError>((story, examples))
        })
        .await?
        .map_err(user_named)?;
    if let Some(s) = story {
        profile = s.profile;
        if !s.text.is_empty() {
            profile.story = Some(s.text);
        }
    }
    let mut examples = examples;
    for e in &mut examples {
        e.source = as_user_named(&e.source, &names);
    }
    Ok((
        LearnInput {
            name,
            profile,
            examples,
            append,
        },
        analyze,
    ))
}

/// Learn a persona from uploaded documents: multipart fields `name`, `story` (a file: txt, md,
/// pdf, docx, srt or vtt, with optional TOML front matter on the text formats) or `story_text`, one
/// or more `examples` files (a file may hold several scripts separated by `---` lines; a caption
/// file is one script, timed by its cues) or `examples_text`, and optional
/// `append` and `analyze` (`true`/`false`).
#[utoipa::path(post, path = "/personas/upload", tag = "personas",
    request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 201, body = LearnedBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<LearnedBody>)> {
    let (input, analyze) = read_upload(&state, form).await?;
    Ok((
        StatusCode::CREATED,
        Json(learn(&state, input, analyze).await?),
    ))
}

/// Update profile fields: a new version with the same examples.
#[utoipa::path(patch, path = "/personas/{name}", tag = "personas",
    params(("name" = String, Path, description = "Persona name")),
    request_body(content = Object, description = "Profile fields to set (see PersonaInput.profile)"),
    responses((status = 200, body = LearnedBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiJson(profile): ApiJson<serde_json::Value>,
) -> ApiResult<Json<LearnedBody>> {
    state.store.persona(state.workspace, &name, None).await?;
    let profile: CreatorProfile =
        serde_json::from_value(profile).map_err(|e| ApiError::invalid("profile", e.to_string()))?;
    let input = LearnInput {
        name,
        profile,
        examples: Vec::new(),
        append: false,
    };
    Ok(Json(learn(&state, input, Some(false)).await?))
}

/// List personas.
#[utoipa::path(get, path = "/personas", tag = "personas",
    responses((status = 200, body = Vec<Object>)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        serde_json::to_value(state.store.personas(state.workspace).await?).unwrap_or_default(),
    ))
}

/// Which version to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A version (from 1); default: the latest.
    pub version: Option<u32>,
}

/// One persona version: profile, style profile with evidence, examples, version count.
#[utoipa::path(get, path = "/personas/{name}", tag = "personas",
    params(("name" = String, Path, description = "Persona name"), VersionQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(q): ApiQuery<VersionQuery>,
) -> ApiResult<Json<reelsmith_core::persona::PersonaVersion>> {
    Ok(Json(
        state
            .store
            .persona(state.workspace, &name, q.version)
            .await?,
    ))
}

/// Whether to delete a persona whose scripts were approved.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForceQuery {
    /// Delete even though approved scripts go with it (default false: refused with 422).
    pub force: Option<bool>,
}

/// Delete a persona with every version, example and generation; refused (422 on `force`) while
/// approved scripts depend on it, unless `force=true`.
#[utoipa::path(delete, path = "/personas/{name}", tag = "personas",
    params(("name" = String, Path, description = "Persona name"), ForceQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(q): ApiQuery<ForceQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let d = reelsmith_app::persona::delete_persona(
        &state.store,
        state.workspace,
        &name,
        q.force.unwrap_or(false),
    )
    .await?;
    Ok(Json(serde_json::json!({
        "name": name, "versions": d.versions, "examples": d.examples
    })))
}

/// Query of `similar`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// The topic or draft to compare with.
    pub topic: String,
    /// How many examples, 1–100 (default 3).
    pub k: Option<usize>,
}

/// A similar example.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarExample {
    /// 1 for the closest.
    pub rank: usize,
    /// Cosine similarity, −1 to 1.
    pub similarity: f32,
    /// The example's title.
    pub title: Option<String>,
    /// Its text.
    pub text: String,
}

/// The persona's examples closest in meaning to a topic (embedding cosine, exact top-k).
#[utoipa::path(get, path = "/personas/{name}/similar", tag = "personas",
    params(("name" = String, Path, description = "Persona name"), SimilarQuery),
    responses((status = 200, body = Vec<SimilarExample>), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn similar(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> ApiResult<Json<Vec<SimilarExample>>> {
    let p = state.store.persona(state.workspace, &name, None).await?;
    let hits = reelsmith_app::retrieve::similar(&p, &q.topic, q.k, state.embedder.as_deref())?;
    Ok(Json(
        hits.into_iter()
            .map(|h| SimilarExample {
                rank: h.rank,
                similarity: h.similarity,
                title: p.examples[h.index].example.title.clone(),
                text: p.examples[h.index].example.text.clone(),
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn uploads_wait_in_a_folder_only_the_server_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = super::private_dir().unwrap_or_else(|e| unreachable!("{e}"));
        let mode = std::fs::metadata(dir.path())
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_default();
        assert_eq!(mode, 0o700);
    }
}
