//! Scoring a draft: the one score card `generate` keeps the best attempt by and `score` prints —
//! timing, quality, nine viral dimensions and voice match (authorship attribution against the
//! persona and its competitors, with the writing statistics and, with the embedding model, the
//! nearest examples as evidence) against a persona, or without one.

use reelsmith_core::embed::Embedder;
use reelsmith_core::generation::{FieldError, FieldErrors};
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::request::{
    check_duration, check_requirements, check_topic_length, language_code,
};
use reelsmith_core::score::{EmbeddingEvidence, ScoreCard, ScoreRequest, score};
use reelsmith_core::store::{PerformanceStore, PersonaStore, TrendStore, Workspace};

use crate::ServiceError;
use crate::retrieve::voice_evidence;
use crate::voice::{VoiceJudge, voice_judge};

/// Longest draft scored, bytes (one script; a whole book is refused rather than scored slowly).
pub const MAX_DRAFT_BYTES: usize = 100_000;

/// What a draft is scored against: the persona (its speaking rate, audience, voice and language)
/// with its voice model, the trend list and the embedding model.
#[derive(Clone, Copy, Default)]
pub struct Against<'a> {
    /// The persona, with its voice model (see [`crate::voice::voice_judge`]).
    pub persona: Option<(&'a PersonaVersion, &'a VoiceJudge)>,
    /// The workspace's trend phrases.
    pub trends: &'a [String],
    /// The embedding model: hook strength by meaning, and the closest examples.
    pub embedder: Option<&'a dyn Embedder>,
    /// Whether to embed the whole draft to name the persona's closest examples (about 100 ms of
    /// CPU a script; the voice score does not depend on it).
    pub closest_examples: bool,
    /// The requested topic.
    pub topic: Option<&'a str>,
    /// The brief's requirements.
    pub requirements: &'a [String],
    /// The language the draft was asked to be in (ISO 639-1).
    pub requested_language: Option<&'a str>,
    /// The persona's calibrated viral weights, when fitted ones are in force.
    pub viral_weights: Option<&'a [f64]>,
    /// The platform the draft is for (a text format is scored on its format, not spoken timing;
    /// the brief checks it names only this platform's features).
    pub platform: Option<reelsmith_core::platform::Platform>,
    /// The content type asked for, checked in the brief.
    pub content_type: Option<reelsmith_core::platform::ContentType>,
    /// A language model for the coherence check's order evidence (about 3 s of
    /// CPU a script with the local 270M model).
    pub likelihood: Option<&'a dyn reelsmith_core::score::likelihood::LikelihoodModel>,
}

/// The score card of `text` against `against`, at `target_s` seconds (default: the persona's
/// optimal length, else 30 s), in `language` (default: the persona's, else detected); `spoken_s`
/// is the draft's recorded length in seconds when it has one (a caption file's cues).
pub fn card(
    against: Against<'_>,
    text: &str,
    target_s: Option<f64>,
    spoken_s: Option<f64>,
    language: Option<&str>,
) -> ScoreCard {
    let evidence = against
        .persona
        .filter(|_| against.closest_examples)
        .and_then(|(p, _)| voice_evidence(p, text, against.embedder));
    card_with_evidence(
        against,
        text,
        target_s,
        spoken_s,
        language,
        evidence.as_ref(),
    )
}

/// [`card`] with the embedding evidence already computed (a batch of attempts embeds once).
///
/// The card embeds the draft's sentences (about 10 ms each with all-MiniLM-L6-v2 on 2 cores) and may
/// run the language model, so it runs off the async workers ([`crate::retrieve::off_runtime`]): a
/// worker busy scoring for a second would hold up every task queued on it, such as the one about to
/// return the database's write connection.
pub fn card_with_evidence(
    against: Against<'_>,
    text: &str,
    target_s: Option<f64>,
    spoken_s: Option<f64>,
    language: Option<&str>,
    evidence: Option<&EmbeddingEvidence>,
) -> ScoreCard {
    let persona = against.persona.map(|(p, _)| p);
    crate::retrieve::off_runtime(|| {
        score(&ScoreRequest {
            text,
            target_s,
            spoken_s,
            style: persona.map(|p| &p.style),
            profile: persona.map(|p| &p.profile),
            trends: against.trends,
            language,
            embedding: evidence,
            voice: against.persona.map(|(_, v)| v.context()),
            embedder: against.embedder.map(reelsmith_core::score::EmbedderRef),
            topic: against.topic,
            requirements: against.requirements,
            requested_language: against.requested_language,
            viral_weights: against.viral_weights,
            platform: against.platform,
            content_type: against.content_type,
            likelihood: against.likelihood.map(reelsmith_core::score::LikelihoodRef),
        })
    })
}

/// The workspace's trend phrases, for the score card.
///
/// # Errors
/// Storage failures.
pub async fn trend_phrases<S: TrendStore + ?Sized>(
    store: &S,
    ws: Workspace,
) -> Result<Vec<String>, reelsmith_core::Error> {
    Ok(store
        .trends(ws)
        .await?
        .into_iter()
        .map(|t| t.phrase)
        .collect())
}

/// The viral weights fitted to the persona's own posts, when the latest calibration adopted them
/// ([`reelsmith_core::calibration`]); `None`: the defaults.
///
/// # Errors
/// Storage failures, an unknown persona.
pub async fn viral_weights<S: PerformanceStore + ?Sized>(
    store: &S,
    ws: Workspace,
    persona: &str,
) -> Result<Option<Vec<f64>>, reelsmith_core::Error> {
    Ok(store
        .calibration(ws, persona)
        .await?
        .filter(|(_, c)| c.weights.fitted)
        .map(|(_, c)| c.weights.weights.iter().map(|(_, w)| *w).collect()))
}

/// What to score.
#[derive(Debug, Clone, Default)]
pub struct ScoreInput {
    /// The drafts to score.
    pub drafts: Vec<Draft>,
    /// Score against this persona, at this version (default: the latest).
    pub persona: Option<(String, Option<u32>)>,
    /// Target length, seconds.
    pub target_s: Option<f64>,
    /// Language (ISO 639-1): the language scored in, and the one the drafts must be in.
    pub language: Option<String>,
    /// The topic the drafts must cover.
    pub topic: Option<String>,
    /// Requirements each draft must meet.
    pub requirements: Vec<String>,
    /// The platform the drafts are for (x and linkedin are scored as text posts).
    pub platform: Option<reelsmith_core::platform::Platform>,
    /// The content type the drafts are for.
    pub content_type: Option<reelsmith_core::platform::ContentType>,
}

/// One draft to score.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Where it came from: a file name, `stdin`, `request`.
    pub source: String,
    /// The script.
    pub text: String,
    /// Its recorded spoken length, seconds, when it has one (a caption file's cue times, a script's
    /// `duration_s`).
    pub spoken_s: Option<f64>,
}

impl Draft {
    /// A draft without a recorded length.
    pub fn new(source: impl Into<String>, text: impl Into<String>) -> Draft {
        Draft {
            source: source.into(),
            text: text.into(),
            spoken_s: None,
        }
    }
}

/// The drafts' score cards, and the persona version they were scored against.
#[derive(Debug)]
pub struct Scored {
    /// The persona version used.
    pub persona: Option<PersonaVersion>,
    /// `(source, card)` for each draft, in order.
    pub cards: Vec<(String, ScoreCard)>,
}

/// Scores drafts for a user.
///
/// # Errors
/// [`ServiceError::Invalid`] for no draft, an empty or over-long one ([`MAX_DRAFT_BYTES`]), a
/// target outside the script lengths or an unknown language code; [`ServiceError::Store`] for an
/// unknown persona or a storage failure.
pub async fn score_drafts<S: PersonaStore + TrendStore + PerformanceStore + ?Sized>(
    store: &S,
    ws: Workspace,
    embedder: Option<&dyn Embedder>,
    likelihood: Option<&dyn reelsmith_core::score::likelihood::LikelihoodModel>,
    input: ScoreInput,
) -> Result<Scored, ServiceError> {
    let mut errors = Vec::new();
    if input.drafts.is_empty() || input.drafts.iter().any(|d| d.text.trim().is_empty()) {
        errors.push(FieldError::new(
            "text",
            "is empty: give the script to score",
        ));
    }
    if input.drafts.iter().any(|d| d.text.len() > MAX_DRAFT_BYTES) {
        errors.push(FieldError::new(
            "text",
            format!("is over {MAX_DRAFT_BYTES} bytes: score one script at a time"),
        ));
    }
    if let Some(Err(e)) = input.target_s.map(check_duration) {
        errors.push(e);
    }
    let requirements: Vec<String> = input
        .requirements
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if let Some(Err(e)) = input.topic.as_deref().map(check_topic_length) {
        errors.push(e);
    }
    if let Err(e) = check_requirements(&requirements) {
        errors.push(e);
    }
    let language = match input.language.as_deref().map(language_code).transpose() {
        Ok(code) => code.flatten(),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if !errors.is_empty() {
        return Err(FieldErrors(errors).into());
    }
    let persona = match &input.persona {
        Some((name, version)) => Some(store.persona(ws, name, *version).await?),
        None => None,
    };
    let trends = trend_phrases(store, ws).await?;
    let weights = match &persona {
        Some(p) => viral_weights(store, ws, &p.name).await?,
        None => None,
    };
    let judge = match &persona {
        Some(p) => Some(voice_judge(store, ws, p).await?),
        None => None,
    };
    let against = Against {
        persona: persona.as_ref().zip(judge.as_ref()),
        trends: &trends,
        embedder,
        closest_examples: true,
        topic: input.topic.as_deref().filter(|t| !t.trim().is_empty()),
        requirements: &requirements,
        requested_language: language.as_deref(),
        viral_weights: weights.as_deref(),
        platform: input.platform,
        content_type: input.content_type,
        likelihood,
    };
    // A pasted thread or post is scored on its words, without its hashtags and numbering.
    let text_post = input
        .platform
        .is_some_and(|p| p.format() != reelsmith_core::platform::Format::Video);
    let cards = input
        .drafts
        .into_iter()
        .map(|d| {
            let text = if text_post {
                reelsmith_core::formats::without_layout(&d.text)
            } else {
                d.text
            };
            let c = card(
                against,
                &text,
                input.target_s,
                d.spoken_s,
                language.as_deref(),
            );
            (d.source, c)
        })
        .collect();
    Ok(Scored { persona, cards })
}
