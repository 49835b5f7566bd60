//! Analysing an A/B experiment: its posts' outcomes against the creator's baseline, the engine's
//! verdict ([`reelsmith_core::experiment::analyze`]) and what besides the variants may explain a
//! difference ([`reelsmith_core::experiment::confounders`]).

use reelsmith_core::experiment::{
    Analysis, NewExperiment, StoredExperiment, VariantPost, Vary, analyze, arms_of, confounders,
};
use reelsmith_core::generation::FieldError;
use reelsmith_core::outcome::outcomes;
use reelsmith_core::performance::{ImportedPost, Metrics, post_key};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::{ExperimentStore, PerformanceStore, Workspace};
use reelsmith_ingest::performance::Zone;
use serde::Serialize;

use crate::request::ScriptInput;
use crate::write::{ScriptStore, write_script};
use crate::{Models, ServiceError};

/// An experiment with its analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentReport {
    /// The experiment.
    pub experiment: StoredExperiment,
    /// The engine's analysis of the posts with settled metrics.
    pub analysis: Analysis,
    /// Confounders, in words.
    pub confounders: Vec<String>,
    /// Posts left out of the analysis and why (no metrics yet, still growing).
    pub left_out: Vec<String>,
}

/// Analyses experiment `id`; posting times are read in `zone` for the weekday and hour checks.
///
/// # Errors
/// [`ServiceError::Store`] for an unknown experiment or a storage failure.
pub async fn analyze_experiment<S: ExperimentStore + PerformanceStore + ?Sized>(
    store: &S,
    ws: Workspace,
    id: i64,
    zone: &Zone,
) -> Result<ExperimentReport, ServiceError> {
    let experiment = store.experiment(ws, id).await?;
    let posts = store.posts(ws, &experiment.persona).await?;
    let creator = outcomes(&posts);
    let mut variant_posts = Vec::new();
    let mut left_out = Vec::new();
    for v in &experiment.variants {
        for pid in &v.post_ids {
            let Some(post) = posts.iter().find(|p| p.id == *pid) else {
                continue;
            };
            let outcome = creator.iter().find(|o| o.post_id == *pid).cloned();
            match &outcome {
                None => left_out.push(format!("post {pid} ({}): no metrics yet", v.label)),
                Some(o) if !o.settled => left_out.push(format!(
                    "post {pid} ({}): still growing (under 3 days old)",
                    v.label
                )),
                Some(_) => {}
            }
            variant_posts.push(VariantPost {
                label: v.label.clone(),
                outcome,
                platform: post.platform,
                slot: post.posted_at.and_then(|t| zone.weekday_hour(t)),
                age_s: post.age_s,
            });
        }
    }
    let (mut arms, sigma) = arms_of(&variant_posts, &creator);
    // Variants without any post still take part (with no observations).
    for v in &experiment.variants {
        if !arms.iter().any(|a| a.label == v.label) {
            arms.push(reelsmith_core::experiment::Arm {
                label: v.label.clone(),
                outcomes: Vec::new(),
            });
        }
    }
    arms.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(ExperimentReport {
        analysis: analyze(&arms, sigma),
        confounders: confounders(&variant_posts),
        left_out,
        experiment,
    })
}

/// Most variants in one experiment (the labels A–E).
pub const MAX_VARIANTS: usize = 5;

/// What each variant is asked to do, by what the experiment varies: hooks of different types,
/// calls to action of different kinds (the taxonomies of `persona show`).
pub const HOOK_INSTRUCTIONS: [&str; MAX_VARIANTS] = [
    "open with a question",
    "open with a bold claim",
    "open with a number or a statistic",
    "open with a short story from your own life",
    "open by telling viewers to stop doing something",
];
/// See [`HOOK_INSTRUCTIONS`].
pub const CTA_INSTRUCTIONS: [&str; MAX_VARIANTS] = [
    "end by asking viewers to follow",
    "end by asking viewers to save it",
    "end by asking a question for the comments",
    "end by asking viewers to share it with someone",
    "end by pointing to the link in bio",
];
/// Lengths of the variants of a length experiment, as multiples of the base length (clamped to
/// 15–90 s).
pub const LENGTH_FACTORS: [f64; MAX_VARIANTS] = [1.0, 0.6, 1.5, 0.8, 1.25];

/// A new experiment.
#[derive(Debug, Clone)]
pub struct CreateInput {
    /// The persona.
    pub persona: String,
    /// The idea.
    pub topic: String,
    /// What the variants vary.
    pub vary: Vary,
    /// How many variants to write (2–5), when `from` is empty.
    pub variants: usize,
    /// Existing generations to use as the variants instead of writing new ones.
    pub from: Vec<i64>,
    /// Base length, seconds (default: the persona's).
    pub duration_s: Option<f64>,
}

/// The variant labels: A, B, C…
fn label(i: usize) -> String {
    char::from(b'A' + u8::try_from(i).unwrap_or(25).min(25)).to_string()
}

/// Creates an experiment: its variants are the generations in `from`, or new generations written
/// now, each asked to vary as the experiment says (a hook type, a call to action, a length).
///
/// # Errors
/// [`ServiceError::Invalid`] for a variant count outside 2–5 or generations of another persona;
/// [`ServiceError::Store`] for an unknown persona or generation; [`ServiceError::Llm`] when a
/// variant cannot be written (the variants written so far are kept as generations).
pub async fn create<S: ScriptStore + ExperimentStore>(
    store: &S,
    ws: Workspace,
    models: Models<'_>,
    input: CreateInput,
) -> Result<StoredExperiment, ServiceError> {
    let count = if input.from.is_empty() {
        input.variants
    } else {
        input.from.len()
    };
    if !(2..=MAX_VARIANTS).contains(&count) {
        return Err(FieldError::new(
            "variants",
            format!("{count} variants: an experiment compares 2 to {MAX_VARIANTS}"),
        )
        .into());
    }
    let persona = store.persona(ws, &input.persona, None).await?;
    let mut ids = Vec::with_capacity(count);
    if input.from.is_empty() {
        for i in 0..count {
            let mut script = ScriptInput {
                persona: persona.name.clone(),
                topic: input.topic.clone(),
                duration_s: input.duration_s,
                ..ScriptInput::default()
            };
            match input.vary {
                Vary::Hook => script.requirements = vec![HOOK_INSTRUCTIONS[i].into()],
                Vary::Cta => script.requirements = vec![CTA_INSTRUCTIONS[i].into()],
                Vary::Length => {
                    let base = input
                        .duration_s
                        .or(persona.profile.optimal_length_s.map(f64::from))
                        .unwrap_or(reelsmith_core::score::DEFAULT_TARGET_S);
                    script.duration_s = Some((base * LENGTH_FACTORS[i]).round().clamp(
                        f64::from(reelsmith_core::persona::MIN_DURATION_S),
                        f64::from(reelsmith_core::persona::MAX_DURATION_S),
                    ));
                }
            }
            let request = script.resolve()?;
            let g = write_script(store, ws, models, request, None).await?;
            ids.push(g.id);
        }
    } else {
        for id in &input.from {
            let g = store.generation(ws, *id).await?;
            if g.persona != persona.name {
                return Err(FieldError::new(
                    "from",
                    format!(
                        "generation {id} was written for {}, not {}",
                        g.persona, persona.name
                    ),
                )
                .into());
            }
            ids.push(*id);
        }
    }
    let new = NewExperiment {
        persona: persona.name.clone(),
        topic: input.topic.trim().to_string(),
        vary: input.vary,
        variants: ids
            .iter()
            .enumerate()
            .map(|(i, id)| (label(i), Some(*id)))
            .collect(),
    };
    Ok(store.create_experiment(ws, &new).await?)
}

/// Records that variant `label` of experiment `id` was posted: the post (by its link, else its
/// time) is stored for the persona — an import of the platform's export later adds its metrics —
/// and assigned to the variant.
///
/// # Errors
/// [`ServiceError::Invalid`] without a link or a time; [`ServiceError::Store`] for an unknown
/// experiment or variant, or a storage failure.
pub async fn post_variant<S: ExperimentStore + PerformanceStore + ?Sized>(
    store: &S,
    ws: Workspace,
    (id, label): (i64, &str),
    platform: Platform,
    posted_at: Option<chrono::DateTime<chrono::Utc>>,
    url: Option<String>,
) -> Result<StoredExperiment, ServiceError> {
    let experiment = store.experiment(ws, id).await?;
    let post = ImportedPost {
        posted_at,
        caption: None,
        media_uri: None,
        url,
        duration_s: None,
        transcript: None,
        metrics: Metrics::default(),
        source: format!("experiment {id} variant {label}"),
    };
    let Some(key) = post_key(&post) else {
        return Err(FieldError::new(
            "url",
            "give the post's link or its posting time, so its metrics can find it",
        )
        .into());
    };
    store
        .import_posts(
            ws,
            &experiment.persona,
            &[(platform, key.clone(), post)],
            false,
        )
        .await?;
    let stored = store
        .posts(ws, &experiment.persona)
        .await?
        .into_iter()
        .find(|p| p.platform == platform && p.key == key)
        .ok_or_else(|| FieldError::new("url", "the post could not be stored"))?;
    Ok(store.assign_post(ws, id, label, stored.id).await?)
}
