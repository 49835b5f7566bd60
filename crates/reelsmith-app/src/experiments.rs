//! Analysing an A/B experiment: its posts' outcomes against the creator's baseline, the engine's
//! verdict ([`reelsmith_core::experiment::analyze`]) and what besides the variants may explain a
//! difference ([`reelsmith_core::experiment::confounders`]).

use reelsmith_core::experiment::{
    Analysed, Analysis, CTA_INSTRUCTIONS, HOOK_INSTRUCTIONS, NewExperiment, Pattern, Preference,
    StoredExperiment, VariantPost, Vary, Verdict, analyze, arms_of, confounders, preferences,
};
use reelsmith_core::generation::{FieldError, Generation};
use reelsmith_core::lexicon::lexicon;
use reelsmith_core::outcome::{Outcome, outcomes};
use reelsmith_core::performance::{ImportedPost, Metrics, StoredPost, post_key};
use reelsmith_core::platform::Platform;
use reelsmith_core::store::{ExperimentStore, GenerationStore, PerformanceStore, Workspace};
use reelsmith_ingest::performance::Zone;
use serde::Serialize;

use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::request::ScriptRequest;

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
    /// Each variant's posts with their latest metrics and outcome, in variant order.
    pub posts: Vec<ArmPost>,
}

/// One post of a variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmPost {
    /// The variant's label.
    pub label: String,
    /// The post.
    pub post: StoredPost,
    /// Its outcome against the creator's median, once it has metrics.
    pub outcome: Option<Outcome>,
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
    Ok(report_of(experiment, &posts, zone))
}

/// The report of `experiment` from its persona's `posts`.
fn report_of(experiment: StoredExperiment, posts: &[StoredPost], zone: &Zone) -> ExperimentReport {
    let creator = outcomes(posts);
    let mut variant_posts = Vec::new();
    let mut arm_posts = Vec::new();
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
                outcome: outcome.clone(),
                platform: post.platform,
                slot: post.posted_at.and_then(|t| zone.weekday_hour(t)),
                age_s: post.age_s,
            });
            arm_posts.push(ArmPost {
                label: v.label.clone(),
                post: post.clone(),
                outcome,
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
    ExperimentReport {
        analysis: analyze(&arms, sigma),
        confounders: confounders(&variant_posts),
        left_out,
        posts: arm_posts,
        experiment,
    }
}

/// Each variant's stored generation, in variant order; `None` for a variant that is not one (or
/// whose generation is gone). Fetched once for [`variant_patterns`] and [`variant_warnings`].
pub async fn variant_generations<S: GenerationStore + ?Sized>(
    store: &S,
    ws: Workspace,
    experiment: &StoredExperiment,
) -> Vec<Option<Generation>> {
    let mut out = Vec::with_capacity(experiment.variants.len());
    for v in &experiment.variants {
        out.push(match v.generation_id {
            Some(id) => store.generation(ws, id).await.ok(),
            None => None,
        });
    }
    out
}

/// Each variant's pattern in what `experiment` varies ([`Pattern::of_variant`]: the pattern its
/// request asked for when the script has it, else the script's own), from its `generations`
/// ([`variant_generations`]); `None` for a variant that is not a stored script, or a CTA variant
/// without a call to action.
pub fn variant_patterns(
    experiment: &StoredExperiment,
    generations: &[Option<Generation>],
) -> Vec<Option<Pattern>> {
    generations
        .iter()
        .map(|g| {
            let g = g.as_ref()?;
            let s = g.script.as_ref()?;
            let lex = lexicon(g.request.language.as_deref().unwrap_or("en"));
            Pattern::of_variant(
                experiment.vary,
                &g.request.requirements,
                &s.text(),
                s.duration_s,
                lex,
            )
        })
        .collect()
}

/// Variants that share a pattern, in words ("A and B both use a plain statement hook"): such an
/// experiment compares scripts, not patterns, and teaches nothing. Empty when all differ.
pub fn shared_patterns(experiment: &StoredExperiment, patterns: &[Option<Pattern>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: Vec<Pattern> = Vec::new();
    for p in patterns.iter().flatten() {
        if seen.contains(p) {
            continue;
        }
        seen.push(*p);
        let labels: Vec<&str> = experiment
            .variants
            .iter()
            .zip(patterns)
            .filter(|(_, q)| q.as_ref() == Some(p))
            .map(|(v, _)| v.label.as_str())
            .collect();
        if let [rest @ .., last] = labels.as_slice()
            && !rest.is_empty()
        {
            let both = if rest.len() == 1 { "both" } else { "all" };
            out.push(format!(
                "{} and {last} {both} use {}",
                rest.join(", "),
                p.label()
            ));
        }
    }
    out
}

/// What to fix before posting `experiment`'s variants, in words: variants that share the pattern
/// the experiment varies ([`shared_patterns`]) and variants whose card says they are not fit to
/// post, from its `generations` ([`variant_generations`]). Empty when there is nothing to fix.
pub fn variant_warnings(
    experiment: &StoredExperiment,
    generations: &[Option<Generation>],
) -> Vec<String> {
    let patterns = variant_patterns(experiment, generations);
    let mut out: Vec<String> = shared_patterns(experiment, &patterns)
        .into_iter()
        .map(|w| {
            format!(
                "{w}: the model did not write them to differ, so this experiment cannot teach which {} works — rewrite one (regenerate its section) or use your own scripts",
                experiment.vary.as_str()
            )
        })
        .collect();
    for (v, g) in experiment.variants.iter().zip(generations) {
        let Some(g) = g else { continue };
        if let Some(c) = g.card.as_ref().filter(|c| !c.unfit.is_empty()) {
            out.push(format!(
                "variant {} (script {}) is not fit to post: {}",
                v.label,
                g.id,
                c.unfit.join("; ")
            ));
        }
    }
    out
}

/// What the persona's experiments taught ([`reelsmith_core::experiment::preferences`]): each won
/// experiment's winning pattern (hook type, call to action, length band) with the experiments
/// behind it, from the persona's `posts` (as [`PerformanceStore::posts`] gives them).
///
/// # Errors
/// [`ServiceError::Store`] for a storage failure.
pub async fn persona_preferences<S: ExperimentStore + GenerationStore + ?Sized>(
    store: &S,
    ws: Workspace,
    persona: &str,
    posts: &[StoredPost],
) -> Result<Vec<Preference>, ServiceError> {
    let mut reports = Vec::new();
    for e in store.experiments(ws).await? {
        if e.persona != persona {
            continue;
        }
        let report = report_of(e, posts, &Zone::utc());
        if !matches!(report.analysis.verdict, Verdict::Winner { .. }) {
            continue;
        }
        let generations = variant_generations(store, ws, &report.experiment).await;
        let patterns = variant_patterns(&report.experiment, &generations);
        reports.push((report, patterns));
    }
    let analysed: Vec<Analysed<'_>> = reports
        .iter()
        .map(|(r, patterns)| Analysed {
            experiment: &r.experiment,
            analysis: &r.analysis,
            patterns: patterns.clone(),
        })
        .collect();
    Ok(preferences(&analysed))
}

/// Most variants in one experiment (the labels A–E).
pub const MAX_VARIANTS: usize = 5;

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

/// The requests that write the variants of `input` for `persona` (none when `input.from` names
/// existing generations): each asks for the same idea and varies as the experiment says (a hook
/// type, a call to action, a length).
///
/// # Errors
/// [`ServiceError::Invalid`] for a variant count outside 2–5 or a wrong field of the requests.
pub fn variant_requests(
    persona: &PersonaVersion,
    input: &CreateInput,
) -> Result<Vec<ScriptRequest>, ServiceError> {
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
    if !input.from.is_empty() {
        return Ok(Vec::new());
    }
    (0..count)
        .map(|i| {
            let mut script = ScriptInput {
                persona: persona.name.clone(),
                topic: input.topic.clone(),
                duration_s: input.duration_s,
                ..ScriptInput::default()
            };
            match input.vary {
                Vary::Hook => script.requirements = vec![HOOK_INSTRUCTIONS[i].1.into()],
                Vary::Cta => script.requirements = vec![CTA_INSTRUCTIONS[i].1.into()],
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
            Ok(script.resolve()?)
        })
        .collect()
}

/// Stores experiment `input` with the generations `ids` as its variants A, B, …
///
/// # Errors
/// [`ServiceError::Invalid`] for generations of another persona; [`ServiceError::Store`] for an
/// unknown persona or generation, or a storage failure.
pub async fn store_experiment<S: ScriptStore + ExperimentStore + ?Sized>(
    store: &S,
    ws: Workspace,
    input: &CreateInput,
    ids: &[i64],
) -> Result<StoredExperiment, ServiceError> {
    let persona = store.persona(ws, &input.persona, None).await?;
    for id in ids {
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

/// Creates an experiment: its variants are the generations in `from`, or new generations written
/// now ([`variant_requests`]).
///
/// # Errors
/// As [`variant_requests`] and [`store_experiment`]; [`ServiceError::Llm`] when a variant cannot
/// be written (the variants written so far are kept as generations).
pub async fn create<S: ScriptStore + ExperimentStore>(
    store: &S,
    ws: Workspace,
    models: Models<'_>,
    input: CreateInput,
) -> Result<StoredExperiment, ServiceError> {
    let persona = store.persona(ws, &input.persona, None).await?;
    let mut ids = input.from.clone();
    for request in variant_requests(&persona, &input)? {
        ids.push(write_script(store, ws, models, request, None).await?.id);
    }
    store_experiment(store, ws, &input, &ids).await
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
