//! The main job as one call, shared by every front end: validate a request, retrieve the persona's
//! nearest examples, generate the best of N, build the timed script with caption and hashtags, and
//! store it with every attempt and LLM call — a failure is stored too. Also the section
//! regeneration that makes a new version.

use reelsmith_core::embed::Embedder;
use reelsmith_core::formats;
use reelsmith_core::generation::{
    FieldError, Generation, NewAttempt, NewGeneration, ScriptBody, ScriptOutput, ScriptRequest,
};
use reelsmith_core::hashtags::{hashtags, used_tags};
use reelsmith_core::llm::{CallContext, ModelRouter};
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::platform::{Fit, Format};
use reelsmith_core::progress::ProgressSink;
use reelsmith_core::score::ScoreCard;
use reelsmith_core::script::{Draft, Section};
use reelsmith_core::store::{
    ExperimentStore, GenerationStore, PerformanceStore, PersonaStore, TrendStore, Workspace,
};

use crate::ServiceError;
use crate::evidence::Evidence;
use crate::generate::{generate, regenerate_section};

/// Everything the service needs from storage.
pub trait ScriptStore:
    PersonaStore + GenerationStore + TrendStore + PerformanceStore + ExperimentStore
{
}
impl<T: PersonaStore + GenerationStore + TrendStore + PerformanceStore + ExperimentStore + ?Sized>
    ScriptStore for T
{
}

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

/// The stored script in its platform's form, with hashtags for the platform and language: a
/// video's timed sections with a caption (hook and CTA), an X thread or a LinkedIn post
/// ([`reelsmith_core::formats`]). Every hard limit of the platform holds (caption length, hashtag
/// count, Shorts title, 280 weighted characters a post, 3,000 a LinkedIn post); what keeping to
/// them changed is in `fitted`.
pub fn script_output(
    persona: &PersonaVersion,
    request: &ScriptRequest,
    draft: &Draft,
    card: &ScoreCard,
    sections: Vec<Section>,
    (fit, proven_tags): (Fit, &[String]),
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
    let tags = hashtags(
        (&request.topic, &draft.text()),
        persona.profile.niche.as_deref(),
        (proven_tags, &used_tags(&texts)),
        &language,
        request.platform,
    );
    let title = formats::title(request.platform, &request.topic);
    let mut fitted = title.changes;
    let (body, caption, hashtags) = match request.platform.format() {
        Format::Video => {
            let c = formats::caption(
                request.platform,
                &format!("{} {}", draft.hook, draft.cta),
                &tags,
            );
            fitted.extend(c.changes);
            let (caption, kept) = c.value;
            (ScriptBody::Video { sections }, caption, kept)
        }
        Format::Thread => {
            let t = formats::thread(draft, &tags);
            fitted.extend(t.changes);
            (ScriptBody::Thread { posts: t.value }, String::new(), tags)
        }
        Format::Post => {
            let p = formats::linkedin_post(draft, &tags);
            fitted.extend(p.changes);
            (ScriptBody::Post { text: p.value }, String::new(), tags)
        }
    };
    ScriptOutput {
        title: title.value,
        caption,
        hashtags,
        duration_s: card.timing.estimated_s,
        words: card.words,
        wpm: card.timing.wpm,
        fit: if fit == Fit::AsWritten && !fitted.is_empty() {
            Fit::Trimmed
        } else {
            fit
        },
        body,
        drew_on: Vec::new(),
        fitted,
    }
}

/// Whether a generation embeds each whole attempt to name the persona's closest examples on its
/// card: off. Embedding a script costs about 100 ms of CPU on 2 cores (all-MiniLM-L6-v2 on candle; a
/// topic or a hook line 10–15 ms), and embedding every attempt cut `reelsmith-dev bench serve` from
/// 5,672 to 567 generations a minute (goal 3,000). The scores do not depend on it — voice match is
/// authorship attribution and hook strength embeds the hook line only — so a generation's card and
/// `score`'s agree; only `score` lists the closest examples.
pub const GENERATION_VOICE_EMBEDDINGS: bool = false;

/// Validates `request`, writes the best of its attempts for the latest version of its persona and
/// stores the result; the language defaults to the persona's. The generation is stored as
/// `running` before the first model call and finished in place ([`start_script`], then
/// [`run_script`]).
///
/// # Errors
/// [`ServiceError::Invalid`] for a wrong field (nothing is stored), [`ServiceError::Store`] for an
/// unknown persona or a storage failure, [`ServiceError::Llm`] when no model gave a script that fits
/// (the failure is stored, with its id in the error).
pub async fn write_script(
    store: &dyn ScriptStore,
    ws: Workspace,
    models: Models<'_>,
    request: ScriptRequest,
    progress: Option<&ProgressSink>,
) -> Result<Generation, ServiceError> {
    let started = start_script(store, ws, request).await?;
    run_script(store, ws, models, started, progress).await
}

/// A generation stored as `running`, ready for [`run_script`].
#[derive(Debug, Clone)]
pub struct Started {
    /// Its id.
    pub id: i64,
    /// The persona version it is written for.
    pub persona: PersonaVersion,
    /// The request, language resolved.
    pub request: ScriptRequest,
    /// Attempts it already has (a retry numbers its new ones after them).
    pub first_attempt: usize,
}

/// Validates `request` and stores it as a `running` generation of the persona's latest version.
///
/// # Errors
/// As [`write_script`] before any model call: a wrong field, an unknown persona, storage.
pub async fn start_script(
    store: &dyn ScriptStore,
    ws: Workspace,
    mut request: ScriptRequest,
) -> Result<Started, ServiceError> {
    request.validate()?;
    let persona = store.persona(ws, &request.persona, None).await?;
    request.persona = persona.name.clone();
    request
        .language
        .get_or_insert_with(|| persona.style.language.code.clone());
    let id = store
        .start_generation(
            ws,
            &outcome_of(&persona, &request),
            &crate::recovery::runner(),
        )
        .await?;
    Ok(Started {
        id,
        persona,
        request,
        first_attempt: 0,
    })
}

/// Generation `id`, when it can be retried (failed or interrupted).
///
/// # Errors
/// [`ServiceError::Invalid`] on `id` for a generation that is running or finished;
/// [`ServiceError::Store`] for an unknown id or storage.
pub async fn retryable(
    store: &dyn ScriptStore,
    ws: Workspace,
    id: i64,
) -> Result<Generation, ServiceError> {
    let g = store.generation(ws, id).await?;
    if !g.status.retryable() {
        return Err(FieldError::new(
            "id",
            format!(
                "generation {id} is {}: only a failed or interrupted generation can be retried",
                g.status.as_str()
            ),
        )
        .into());
    }
    Ok(g)
}

/// Reopens failed or interrupted generation `id` for [`run_script`]: the same request and persona
/// version, its earlier attempts and calls kept (and counted in its cost).
///
/// # Errors
/// As [`retryable`]; [`ServiceError::Store`] for a persona version since deleted, a generation
/// reopened meanwhile (`InvalidInput`), or storage.
pub async fn retry_script(
    store: &dyn ScriptStore,
    ws: Workspace,
    id: i64,
) -> Result<Started, ServiceError> {
    let current = retryable(store, ws, id).await?;
    let persona = store
        .persona(ws, &current.persona, Some(current.persona_version))
        .await?;
    let g = store
        .reopen_generation(ws, id, &crate::recovery::runner())
        .await?;
    Ok(Started {
        id,
        persona,
        request: g.request,
        first_attempt: g.attempts.len(),
    })
}

/// What a generation stores about itself before it has an outcome.
fn outcome_of(persona: &PersonaVersion, request: &ScriptRequest) -> NewGeneration {
    NewGeneration {
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
    }
}

/// Records a running generation's attempts as they are written.
struct Recorder<'a> {
    store: &'a dyn ScriptStore,
    ws: Workspace,
    id: i64,
    first: usize,
    /// Whether the attempts are stored.
    recorded: std::sync::atomic::AtomicBool,
    failed: std::sync::Mutex<Option<reelsmith_core::Error>>,
}

#[async_trait::async_trait]
impl crate::generate::Checkpoint for Recorder<'_> {
    async fn attempts(&self, attempts: &[crate::generate::Attempt]) {
        let stored = stored_attempts(attempts.to_vec());
        match self
            .store
            .record_attempts(self.ws, self.id, self.first, &stored)
            .await
        {
            Ok(()) => self
                .recorded
                .store(true, std::sync::atomic::Ordering::SeqCst),
            Err(e) => {
                if let Ok(mut failed) = self.failed.lock() {
                    *failed = Some(e);
                }
            }
        }
    }
}

/// Runs a started generation: every model call is ledgered with its id as it is made, the attempts
/// are recorded as soon as they are final, its heartbeat is touched every
/// [`crate::recovery::HEARTBEAT`] while it runs, and it is finished in place, completed or failed.
///
/// # Errors
/// [`ServiceError::Llm`] when no model gave a script that fits (stored as failed, its id in the
/// error); [`ServiceError::Store`] when storage failed.
pub async fn run_script(
    store: &dyn ScriptStore,
    ws: Workspace,
    models: Models<'_>,
    started: Started,
    progress: Option<&ProgressSink>,
) -> Result<Generation, ServiceError> {
    let Started {
        id,
        persona,
        request,
        first_attempt,
    } = started;
    // One generation embeds the topic, the requirements and many sentences more than once.
    let memo = models.embedder.map(reelsmith_core::embed::Memo::new);
    let models = Models {
        embedder: memo.as_ref().map(|m| m as &dyn Embedder),
        ..models
    };
    let evidence = Evidence::gather(store, ws, &persona, &request, models.embedder).await?;
    let recorder = Recorder {
        store,
        ws,
        id,
        first: first_attempt,
        recorded: std::sync::atomic::AtomicBool::new(false),
        failed: std::sync::Mutex::new(None),
    };
    let job = evidence.job(
        &persona,
        &request,
        models,
        request.effective_attempts(),
        Some(&recorder),
    );
    let ctx = CallContext {
        generation_id: Some(id),
        ..CallContext::new(ws)
    };
    let work = generate(models.router, ctx, &job, progress);
    let result = crate::recovery::with_heartbeat(store, ws, id, work).await;
    if let Some(e) = recorder.failed.lock().ok().and_then(|mut f| f.take()) {
        return Err(e.into());
    }
    let mut outcome = outcome_of(&persona, &request);
    match result {
        Ok(g) => {
            outcome.script = Some(ScriptOutput {
                drew_on: evidence.drew_on(&persona),
                ..script_output(
                    &persona,
                    &request,
                    &g.draft,
                    &g.card,
                    g.sections,
                    (g.fit, &evidence.proven_tags),
                )
            });
            outcome.winner = Some(first_attempt + g.winner);
            outcome.card = Some(g.card);
            outcome.call_ids = g.call_ids;
            Ok(store.finish_generation(ws, id, &outcome).await?)
        }
        Err(failed) => {
            outcome.error = Some(failed.error.to_string());
            // Attempts written before a failure that came before the checkpoint (a failure after
            // it leaves them recorded already).
            let recorded = recorder.recorded.load(std::sync::atomic::Ordering::SeqCst);
            if !recorded && !failed.attempts.is_empty() {
                store
                    .record_attempts(ws, id, first_attempt, &stored_attempts(failed.attempts))
                    .await?;
            }
            outcome.call_ids = failed.call_ids;
            outcome
                .call_ids
                .extend(failed.error.call_ids.iter().copied());
            store.finish_generation(ws, id, &outcome).await?;
            Err(ServiceError::Llm {
                error: failed.error,
                generation_id: Some(id),
            })
        }
    }
}

/// The attempts as stored.
pub(crate) fn stored_attempts(attempts: Vec<crate::generate::Attempt>) -> Vec<NewAttempt> {
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
    let evidence = Evidence::gather(store, ws, &persona, &request, models.embedder).await?;
    let job = evidence.job(&persona, &request, models, 1, None);
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
    let out = ScriptOutput {
        drew_on: evidence.drew_on(&persona),
        ..script_output(
            &persona,
            &request,
            &r.draft,
            &r.card,
            r.sections,
            (fit, &evidence.proven_tags),
        )
    };
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
