//! Repurposing: one stored script turned into other platforms' forms — a Reel into an X thread, a
//! LinkedIn post and a Short — each a new generation written from the source script (its text is
//! the new request's background) and linked to it (`repurposed_from`).

use reelsmith_core::generation::{FieldError, Generation, MAX_CONTEXT_CHARS, ScriptRequest};
use reelsmith_core::platform::{Format, Named, Platform};
use reelsmith_core::store::Workspace;

use crate::ServiceError;
use crate::write::{Models, ScriptStore, write_script};

/// The requests that repurpose `source` for each of `targets`: the same persona, topic, kind,
/// style, language, attempts and requirements; the source script as background; a video target
/// keeps a video source's length (else the default).
///
/// # Errors
/// [`ServiceError::Invalid`] on `to` for no target or the source's own platform, on `id` for a
/// source without a script.
pub fn repurpose_requests(
    source: &Generation,
    targets: &[Platform],
) -> Result<Vec<ScriptRequest>, ServiceError> {
    let script = source.script.as_ref().ok_or_else(|| {
        FieldError::new(
            "id",
            format!(
                "generation {} has no script to repurpose ({})",
                source.id,
                source.error.as_deref().unwrap_or("it did not finish")
            ),
        )
    })?;
    if targets.is_empty() {
        return Err(FieldError::new(
            "to",
            format!(
                "no platform: name one or more of {}",
                Platform::names().join(", ")
            ),
        )
        .into());
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for &target in targets {
        if seen.contains(&target) {
            continue;
        }
        seen.push(target);
        if target == source.request.platform {
            return Err(FieldError::new(
                "to",
                format!(
                    "generation {} is already for {}: repurpose it for another platform",
                    source.id,
                    target.as_str()
                ),
            )
            .into());
        }
        let background = reelsmith_core::text::truncate_chars(
            &format!(
                "The same idea as this {} for {}; keep its points and facts:\n{}",
                script.format().label(),
                source.request.platform.as_str(),
                script.text()
            ),
            MAX_CONTEXT_CHARS,
        );
        let mut request = source.request.clone();
        request.platform = target;
        request.context = Some(background);
        request.repurposed_from = Some(source.id);
        if target.format() == Format::Video && script.format() != Format::Video {
            request.duration_s = reelsmith_core::score::DEFAULT_TARGET_S;
        }
        request.validate()?;
        out.push(request);
    }
    Ok(out)
}

/// Repurposes generation `id` for each of `targets` ([`repurpose_requests`]), writing the new
/// generations one after another.
///
/// # Errors
/// As [`repurpose_requests`]; [`ServiceError::Store`] for an unknown id; [`ServiceError::Llm`]
/// when one cannot be written (those written before it are kept).
pub async fn repurpose(
    store: &dyn ScriptStore,
    ws: Workspace,
    models: Models<'_>,
    id: i64,
    targets: &[Platform],
) -> Result<Vec<Generation>, ServiceError> {
    let source = store.generation(ws, id).await?;
    let mut out = Vec::new();
    for request in repurpose_requests(&source, targets)? {
        out.push(write_script(store, ws, models, request, None).await?);
    }
    Ok(out)
}

/// Parses a comma-separated list of platforms (`x,linkedin,shorts`; `twitter`, `instagram` and
/// `youtube` are understood).
///
/// # Errors
/// A [`FieldError`] on `to` naming the wrong one and the accepted names.
pub fn parse_targets(list: &str) -> Result<Vec<Platform>, FieldError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Platform::parse_loose(s).map_err(|e| FieldError::new("to", e.reason)))
        .collect()
}
