//! The main job as one call, shared by every front end: validate a request, retrieve the persona's
//! nearest examples, generate the best of N, build the timed script with caption and hashtags, and
//! store it with every attempt and LLM call — a failure is stored too. Also the section
//! regeneration that makes a new version.

use reelsmith_core::embed::Embedder;
use reelsmith_core::generation::{
    FieldError, Generation, NewAttempt, NewGeneration, ScriptBody, ScriptOutput, ScriptRequest,
};
use reelsmith_core::hashtags::{hashtags, used_tags};
use reelsmith_core::llm::{CallContext, ModelRouter};
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::platform::{Fit, Urgency};
use reelsmith_core::progress::ProgressSink;
use reelsmith_core::prompts::Brief;
use reelsmith_core::score::ScoreCard;
use reelsmith_core::script::{Draft, Section};
use reelsmith_core::store::{GenerationStore, PersonaStore, TrendStore, Workspace};

use crate::ServiceError;
use crate::generate::{Job, generate, regenerate_section};
use crate::retrieve::few_shot;
use crate::score::trend_phrases;

/// Everything the service needs from storage.
pub trait ScriptStore: PersonaStore + GenerationStore + TrendStore {}
impl<T: PersonaStore + GenerationStore + TrendStore + ?Sized> ScriptStore for T {}

/// The models a generation uses.
#[derive(Clone, Copy)]
pub struct Models<'a> {
    /// Routes generation calls.
    pub router: &'a dyn ModelRouter,
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

/// The stored script: sections, a caption (hook and CTA) and hashtags for the request's platform
/// and language.
pub fn script_output(
    persona: &PersonaVersion,
    request: &ScriptRequest,
    draft: &Draft,
    card: &ScoreCard,
    sections: Vec<Section>,
    fit: Fit,
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
            request.platform,
        ),
        duration_s: card.timing.estimated_s,
        words: card.words,
        wpm: card.timing.wpm,
        fit,
        body: ScriptBody::Video { sections },
    }
}

/// Whether a generation's attempts get the embedding half of voice match: off. Embedding a script
/// costs about 100 ms of CPU on 2 cores (all-MiniLM-L6-v2 on candle; a topic costs 10–15 ms), and
/// embedding every attempt cut `reelsmith-dev bench serve` from 5,672 to 567 generations a minute
/// (goal 3,000). Attempts and the stored card use the writing statistics; `score` adds the
/// embedding half. Bringing the two together cheaply belongs to the voice-attribution work.
pub const GENERATION_VOICE_EMBEDDINGS: bool = false;

/// The prompt's brief for `request`; a `trending` request leans on the trend list.
fn brief<'a>(
    request: &'a ScriptRequest,
    language_name: &'a str,
    trends: &'a [String],
) -> Brief<'a> {
    Brief {
        topic: &request.topic,
        duration_s: request.duration_s,
        content_type: request.content_type,
        tone: request.style,
        requirements: &request.requirements,
        context: request.context.as_deref(),
        trending: if request.urgency == Urgency::Trending {
            trends
        } else {
            &[]
        },
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
    ws: Workspace,
    models: Models<'_>,
    mut request: ScriptRequest,
    progress: Option<&ProgressSink>,
) -> Result<Generation, ServiceError> {
    request.validate()?;
    let persona = store.persona(ws, &request.persona, None).await?;
    request.persona = persona.name.clone();
    let language = request
        .language
        .get_or_insert_with(|| persona.style.language.code.clone())
        .clone();
    let examples = few_shot(&persona, &request.topic, models.embedder);
    let trends = trend_phrases(store, ws).await?;
    let lang_name = language_name(&language);
    let job = Job {
        persona: &persona,
        examples: &examples,
        brief: brief(&request, &lang_name, &trends),
        trends: &trends,
        attempts: request.effective_attempts(),
        embedder: models.embedder.filter(|_| GENERATION_VOICE_EMBEDDINGS),
    };
    let result = generate(models.router, CallContext::new(ws), &job, progress).await;
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
                &persona, &request, &g.draft, &g.card, g.sections, g.fit,
            ));
            new.attempts = stored_attempts(g.attempts);
            new.winner = Some(g.winner);
            new.card = Some(g.card);
            new.call_ids = g.call_ids;
            Ok(store.save_generation(ws, &new).await?)
        }
        Err(failed) => {
            // The attempts and calls made before the failure are stored with it.
            new.error = Some(failed.error.to_string());
            new.attempts = stored_attempts(failed.attempts);
            new.call_ids = failed.call_ids;
            // The failed tries too: every model call is linked to its generation.
            new.call_ids.extend(failed.error.call_ids.iter().copied());
            let stored = store.save_generation(ws, &new).await?;
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
    ws: Workspace,
    models: Models<'_>,
    id: i64,
    section: usize,
    instructions: &str,
) -> Result<Generation, ServiceError> {
    let instructions = instructions.trim();
    if instructions.is_empty() {
        return Err(FieldError::new("instructions", "is empty: say what to change").into());
    }
    let parent = store.generation(ws, id).await?;
    let script = parent.script.clone().ok_or_else(|| {
        FieldError::new(
            "id",
            format!("generation {id} failed and has no script to revise"),
        )
    })?;
    let sections = script.sections();
    let n = sections.len();
    if n < 2 {
        return Err(FieldError::new(
            "id",
            format!("generation {id} is not a sectioned video script: only video scripts have sections to revise"),
        )
        .into());
    }
    if section == 0 || section > n {
        return Err(FieldError::new(
            "section",
            format!("{section} is out of range: generation {id} has sections 1 to {n}"),
        )
        .into());
    }
    let persona = store
        .persona(ws, &parent.persona, Some(parent.persona_version))
        .await?;
    let draft = Draft {
        hook: sections[0].voiceover.clone(),
        body: sections[1..n - 1]
            .iter()
            .map(|s| s.voiceover.clone())
            .collect(),
        cta: sections[n - 1].voiceover.clone(),
    };
    let request = parent.request.clone();
    let examples = few_shot(&persona, &request.topic, models.embedder);
    let lang_name = language_name(request.language.as_deref().unwrap_or("en"));
    let trends = trend_phrases(store, ws).await?;
    let job = Job {
        persona: &persona,
        examples: &examples,
        brief: brief(&request, &lang_name, &trends),
        trends: &trends,
        attempts: 1,
        embedder: models.embedder.filter(|_| GENERATION_VOICE_EMBEDDINGS),
    };
    let r = regenerate_section(
        models.router,
        CallContext::new(ws),
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
    let fit = if r.trimmed {
        Fit::Trimmed
    } else {
        Fit::AsWritten
    };
    let out = script_output(&persona, &request, &r.draft, &r.card, r.sections, fit);
    Ok(store
        .save_generation(
            ws,
            &NewGeneration {
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
                call_ids: r.call_ids,
            },
        )
        .await?)
}
