//! Analysing an A/B experiment: its posts' outcomes against the creator's baseline, the engine's
//! verdict ([`reelsmith_core::experiment::analyze`]) and what besides the variants may explain a
//! difference ([`reelsmith_core::experiment::confounders`]).

use reelsmith_core::experiment::{
    Analysis, StoredExperiment, VariantPost, analyze, arms_of, confounders,
};
use reelsmith_core::outcome::outcomes;
use reelsmith_core::store::{ExperimentStore, PerformanceStore, Workspace};
use reelsmith_ingest::performance::Zone;
use serde::Serialize;

use crate::ServiceError;

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
