//! The main job as one call, shared by the CLI and the HTTP API: validate a request, retrieve the
//! persona's nearest examples, generate the best of N, build the timed script with caption and
//! hashtags, and store it with every attempt and LLM call — a failure is stored too. Also the
//! section regeneration that makes a new version.

use reelsmith_core::embed::{Embedder, nearest_examples};
use reelsmith_core::generation::{
    FieldError, Generation, NewAttempt, NewGeneration, ScriptOutput, ScriptRequest,
};
use reelsmith_core::hashtags::{hashtags, used_tags};
use reelsmith_core::llm::LlmError;
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::progress::ProgressSink;
use reelsmith_core::prompts::Brief;
use reelsmith_core::score::ScoreCard;
use reelsmith_core::script::{Draft, Section};
use reelsmith_core::store::{GenerationStore, PersonaStore, TrendStore};

use crate::generate::{Fit, Job, generate, regenerate_section};
use crate::router::{CallContext, LlmRouter};

/// Examples retrieved as few-shot evidence of the voice (top-k by embedding cosine).
pub const RETRIEVED_EXAMPLES: usize = 3;

/// Everything the service needs from storage.
pub trait ScriptStore: PersonaStore + GenerationStore + TrendStore {}
impl<T: PersonaStore + GenerationStore + TrendStore + ?Sized> ScriptStore for T {}

/// What can go wrong writing a script.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A request field is wrong (HTTP 422, exit code 2).
    #[error("{0}")]
    Invalid(#[from] FieldError),
    /// Storage failed or the persona / generation does not exist.
    #[error("{0}")]
    Store(#[from] reelsmith_core::Error),
    /// No model gave a usable script. The failure was stored as `generation_id` when there is one.
    #[error("{error}{}", generation_id.map(|id| format!(" (recorded as failed generation {id})")).unwrap_or_default())]
    Llm {
        /// The model's error (provider, model, reason).
        error: LlmError,
        /// The stored failed generation.
        generation_id: Option<i64>,
    },
}

/// The models a generation uses.
#[derive(Clone, Copy)]
pub struct Models<'a> {
    /// Routes generation calls.
    pub router: &'a LlmRouter,
    /// Ranks examples by similarity to the topic; without it the first stored examples are used.
    pub embedder: Option<&'a dyn Embedder>,
}

/// English name of an ISO 639-1 code, for prompts (the code itself when unknown).
pub fn language_name(code: &str) -> String {
    let info = reelsmith_core::language::detect_language("", Some(code));
    if info.name.is_empty() || info.name == "und" {
        code.to_string()
    } else {
        info.name
    }
}

/// Runs CPU-heavy `f` (an embedding forward pass: about 10–15 ms for a topic, seconds for a folder
/// of examples) without stalling the other tasks of an async worker: on a multi-threaded runtime the
/// worker hands its queue to another thread first (`block_in_place`); elsewhere `f` just runs.
pub fn off_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// Indices of the persona's examples closest to the topic, nearest first: by embedding when a model
/// is given and the examples were embedded by it, else the first stored ones.
pub fn retrieve(p: &PersonaVersion, topic: &str, embedder: Option<&dyn Embedder>) -> Vec<usize> {
    let first = || (0..p.examples.len().min(RETRIEVED_EXAMPLES)).collect();
    match embedder.map(|m| nearest_examples(p, m, topic, RETRIEVED_EXAMPLES)) {
        Some(Ok(hits)) if !hits.is_empty() => hits.into_iter().map(|(i, _)| i).collect(),
        _ => first(),
    }
}

/// The stored script: sections, a caption (hook and CTA) and hashtags for the request's platform
/// and language.
pub fn script_output(
    persona: &PersonaVersion,
    request: &ScriptRequest,
    draft: &Draft,
    card: &ScoreCard,
    sections: Vec<Section>,
    fit: String,
) -> ScriptOutput {
    let texts: Vec<&str> = persona
        .examples
        .iter()
        .map(|e| e.example.text.as_str())
        .collect();
    let language = request
        .language
        .clone()
        .unwrap_or_else(|| persona.style.language.code.clone());
    ScriptOutput {
        title: request.topic.clone(),
        caption: format!("{} {}", draft.hook, draft.cta),
        hashtags: hashtags(
            &request.topic,
            persona.profile.niche.as_deref(),
            &used_tags(&texts),
            &language,
            &request.platform,
        ),
        duration_s: card.timing.estimated_s,
        words: card.words,
        wpm: card.timing.wpm,
        fit,
        sections,
    }
}

/// The stored name of a [`Fit`]: `as_written`, `rewritten_N` or `trimmed`.
pub fn fit_name(fit: Fit) -> String {
    match fit {
        Fit::AsWritten => "as_written".to_string(),
        Fit::Rewritten(n) => format!("rewritten_{n}"),
        Fit::Trimmed => "trimmed".to_string(),
    }
}

/// The user's trend phrases, for the score card.
///
/// # Errors
/// Storage failures.
pub async fn trend_phrases(store: &dyn ScriptStore) -> Result<Vec<String>, reelsmith_core::Error> {
    Ok(store
        .trends()
        .await?
        .into_iter()
        .map(|t| t.phrase)
        .collect())
}

fn brief<'a>(request: &'a ScriptRequest, language_name: &'a str) -> Brief<'a> {
    Brief {
        topic: &request.topic,
        duration_s: request.duration_s,
        content_type: &request.content_type,
        tone: &request.style,
        requirements: &request.requirements,
        language: language_name,
    }
}

/// Validates `request`, writes the best of its attempts for the latest version of its persona and
/// stores the result; the language defaults to the persona's.
///
/// # Errors
/// [`ServiceError::Invalid`] for a wrong field (nothing is stored), [`ServiceError::Store`] for an
/// unknown persona or a storage failure, [`ServiceError::Llm`] when no model gave a script that fits
/// (the failure is stored, with its id in the error).
pub async fn write_script(
    store: &dyn ScriptStore,
    models: Models<'_>,
    mut request: ScriptRequest,
    progress: Option<&ProgressSink>,
) -> Result<Generation, ServiceError> {
    request.validate()?;
    let persona = store.persona(&request.persona, None).await?;
    request.persona = persona.name.clone();
    let language = request
        .language
        .get_or_insert_with(|| persona.style.language.code.clone())
        .clone();
    let examples = off_runtime(|| retrieve(&persona, &request.topic, models.embedder));
    let trends = trend_phrases(store).await?;
    let lang_name = language_name(&language);
    let job = Job {
        persona: &persona,
        examples: &examples,
        brief: brief(&request, &lang_name),
        trends: &trends,
        attempts: request.attempts,
    };
    let result = generate(models.router, CallContext::default(), &job, progress).await;
    let mut new = NewGeneration {
        persona: persona.name.clone(),
        persona_version: persona.version,
        parent_id: None,
        request: request.clone(),
        attempts: Vec::new(),
        winner: None,
        script: None,
        card: None,
        error: None,
        call_ids: Vec::new(),
    };
    match result {
        Ok(g) => {
            new.script = Some(script_output(
                &persona,
                &request,
                &g.draft,
                &g.card,
                g.sections,
                fit_name(g.fit),
            ));
            new.attempts = stored_attempts(g.attempts);
            new.winner = Some(g.winner);
            new.card = Some(g.card);
            new.call_ids = g.call_ids;
            Ok(store.save_generation(&new).await?)
        }
        Err(failed) => {
            // The attempts and calls made before the failure are stored with it.
            new.error = Some(failed.error.to_string());
            new.attempts = stored_attempts(failed.attempts);
            new.call_ids = failed.call_ids;
            let stored = store.save_generation(&new).await?;
            Err(ServiceError::Llm {
                error: failed.error,
                generation_id: Some(stored.id),
            })
        }
    }
}

/// The attempts as stored.
fn stored_attempts(attempts: Vec<crate::generate::Attempt>) -> Vec<NewAttempt> {
    attempts
        .into_iter()
        .map(|a| NewAttempt {
            raw_text: a.text,
            draft: a.draft,
            error: a.error,
            card: a.card,
        })
        .collect()
}

/// Rewrites section `section` (1 = the hook, as numbered by `reelsmith show`) of generation `id`
/// following `instructions`, and stores the result as a new version whose parent is `id`.
///
/// # Errors
/// [`ServiceError::Invalid`] for empty instructions, a failed parent or a section out of range;
/// [`ServiceError::Store`] for an unknown id; [`ServiceError::Llm`] when the model's answer cannot
/// be used (nothing is stored then: the parent stays the latest version).
pub async fn revise_section(
    store: &dyn ScriptStore,
    models: Models<'_>,
    id: i64,
    section: usize,
    instructions: &str,
) -> Result<Generation, ServiceError> {
    let instructions = instructions.trim();
    if instructions.is_empty() {
        return Err(FieldError::new("instructions", "is empty: say what to change").into());
    }
    let parent = store.generation(id).await?;
    let script = parent.script.clone().ok_or_else(|| {
        FieldError::new(
            "id",
            format!("generation {id} failed and has no script to revise"),
        )
    })?;
    let n = script.sections.len();
    if section == 0 || section > n {
        return Err(FieldError::new(
            "section",
            format!("{section} is out of range: generation {id} has sections 1 to {n}"),
        )
        .into());
    }
    let persona = store
        .persona(&parent.persona, Some(parent.persona_version))
        .await?;
    let draft = Draft {
        hook: script.sections[0].voiceover.clone(),
        body: script.sections[1..n - 1]
            .iter()
            .map(|s| s.voiceover.clone())
            .collect(),
        cta: script.sections[n - 1].voiceover.clone(),
    };
    let request = parent.request.clone();
    let examples = off_runtime(|| retrieve(&persona, &request.topic, models.embedder));
    let lang_name = language_name(request.language.as_deref().unwrap_or("en"));
    let trends = trend_phrases(store).await?;
    let job = Job {
        persona: &persona,
        examples: &examples,
        brief: brief(&request, &lang_name),
        trends: &trends,
        attempts: 1,
    };
    let r = regenerate_section(
        models.router,
        CallContext::default(),
        &job,
        &draft,
        section - 1,
        instructions,
    )
    .await
    .map_err(|error| ServiceError::Llm {
        error,
        generation_id: None,
    })?;
    let fit = if r.trimmed { "trimmed" } else { "as_written" }.to_string();
    let out = script_output(&persona, &request, &r.draft, &r.card, r.sections, fit);
    Ok(store
        .save_generation(&NewGeneration {
            persona: persona.name.clone(),
            persona_version: persona.version,
            parent_id: Some(parent.id),
            request,
            attempts: vec![NewAttempt {
                raw_text: r.raw,
                draft: Some(r.draft),
                error: None,
                card: Some(r.card.clone()),
            }],
            winner: Some(0),
            script: Some(out),
            card: Some(r.card),
            error: None,
            call_ids: vec![r.call_id],
        })
        .await?)
}
