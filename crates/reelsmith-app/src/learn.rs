//! Learning a persona as one call, shared by `persona learn` and the HTTP API: merge the new
//! profile fields and examples with the previous version, ask the analysis model for the semantic
//! fields left empty (optional; a failure is a warning, nothing is made up), learn the style profile,
//! embed the examples, and store the new version. Bad input stores nothing.

use reelsmith_core::Error;
use reelsmith_core::embed::Embedder;
use reelsmith_core::generation::FieldError;
use reelsmith_core::llm::{CallContext, ModelRouter};
use reelsmith_core::persona::{
    CreatorProfile, ExampleEmbeddings, ExampleScript, MAX_EXAMPLE_CHARS, MAX_EXAMPLES,
    NewPersonaVersion, PersonaVersion, normalize_name, validate_name,
};
use reelsmith_core::persona_analysis::{ALL_FIELDS, field_is_empty, fill_gaps};
use reelsmith_core::store::{LedgerLinks, PersonaStore, Workspace};
use reelsmith_core::style::learn_style;

use crate::ServiceError;
use crate::analysis::{AnalysisRun, analyze_persona};

/// Everything the learning service needs from storage.
pub trait LearnStore: PersonaStore + LedgerLinks {}
impl<T: PersonaStore + LedgerLinks + ?Sized> LearnStore for T {}

/// What a user gives to learn a persona (or a new version of one).
#[derive(Debug, Clone, Default)]
pub struct LearnInput {
    /// Short name (letters, digits, '-', '_', '.').
    pub name: String,
    /// Profile fields given now (the story's front matter overlaid by explicit fields, the story text
    /// in `story`); they overlay the previous version's.
    pub profile: CreatorProfile,
    /// New example scripts.
    pub examples: Vec<ExampleScript>,
    /// Keep the previous version's examples and add these (default: only these).
    pub append: bool,
}

/// A stored version and what happened on the way.
#[derive(Debug)]
pub struct Learned {
    /// The stored version.
    pub persona: PersonaVersion,
    /// The profile before the analysis filled gaps (to say what it filled).
    pub given: CreatorProfile,
    /// The analysis run, when one was made and answered.
    pub analysis: Option<AnalysisRun>,
    /// What was skipped and why (no analysis model, no embedding model).
    pub warnings: Vec<String>,
}

impl Learned {
    /// Fields the analysis filled that the user had left empty.
    pub fn filled(&self) -> Vec<&'static str> {
        self.analysis.as_ref().map_or_else(Vec::new, |run| {
            run.analysis
                .filled
                .iter()
                .copied()
                .filter(|f| field_is_empty(&self.given, f))
                .collect()
        })
    }

    /// Fields still empty after the analysis.
    pub fn left(&self) -> Vec<&'static str> {
        ALL_FIELDS
            .iter()
            .copied()
            .filter(|f| field_is_empty(&self.persona.profile, f))
            .collect()
    }
}

/// The examples of the new version: the new ones, after the previous version's when appending, or
/// the previous version's alone when none are given (a profile-only update); at most
/// [`MAX_EXAMPLES`], each at most [`MAX_EXAMPLE_CHARS`].
fn combine_examples(
    previous: Option<&PersonaVersion>,
    new: Vec<ExampleScript>,
    append: bool,
    name: &str,
) -> Result<Vec<ExampleScript>, FieldError> {
    let old = || -> Vec<ExampleScript> {
        previous
            .map(|p| p.examples.iter().map(|e| e.example.clone()).collect())
            .unwrap_or_default()
    };
    let examples = match (new.is_empty(), append) {
        (true, _) => old(),
        (false, true) => old().into_iter().chain(new).collect(),
        (false, false) => new,
    };
    if examples.is_empty() {
        return Err(FieldError::new(
            "examples",
            format!(
                "persona '{name}' has no example scripts yet — give at least one (txt, md, pdf, docx, srt or vtt)"
            ),
        ));
    }
    if examples.len() > MAX_EXAMPLES {
        return Err(FieldError::new(
            "examples",
            format!(
                "{} example scripts: a persona keeps at most {MAX_EXAMPLES} — keep the ones that sound most like the creator",
                examples.len()
            ),
        ));
    }
    if let Some(long) = examples
        .iter()
        .find(|e| e.text.chars().count() > MAX_EXAMPLE_CHARS)
    {
        return Err(FieldError::new(
            "examples",
            format!(
                "{} is {} characters, over the {MAX_EXAMPLE_CHARS} an example may have — split it into scripts",
                long.source,
                long.text.chars().count()
            ),
        ));
    }
    Ok(examples)
}

/// Learns and stores a new version of `input.name`. With an `analyzer`, the analysis model fills
/// the semantic fields left empty; with an `embedder`, the examples are embedded for retrieval and
/// voice match.
///
/// # Errors
/// [`ServiceError::Invalid`] or [`ServiceError::Store`] with [`Error::InvalidInput`] for a bad name,
/// profile or missing examples (nothing is stored); [`ServiceError::Store`] for storage failures or
/// an embedding model that fails on the text.
pub async fn learn_persona(
    store: &dyn LearnStore,
    ws: Workspace,
    analyzer: Option<&dyn ModelRouter>,
    embedder: Option<&dyn Embedder>,
    input: LearnInput,
) -> Result<Learned, ServiceError> {
    let mut input = input;
    input.name = normalize_name(&input.name);
    validate_name(&input.name)?;
    let previous = match store.persona(ws, &input.name, None).await {
        Ok(p) => Some(p),
        Err(Error::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let examples = combine_examples(previous.as_ref(), input.examples, input.append, &input.name)?;
    for e in &examples {
        e.check_duration()?;
    }
    let mut profile = previous
        .as_ref()
        .map(|p| p.profile.clone())
        .unwrap_or_default()
        .overlay(input.profile);
    profile.validate()?;
    let given = profile.clone();
    let mut warnings = Vec::new();
    let wanted = ALL_FIELDS.iter().any(|f| field_is_empty(&profile, f));
    let analysis = match analyzer {
        Some(router) if wanted => {
            match analyze_persona(router, CallContext::new(ws), &profile, &examples).await {
                Ok(run) => Some(run),
                Err(e) => {
                    warnings.push(format!(
                    "persona analysis skipped: {e} — the semantic persona fields are left to you"
                ));
                    None
                }
            }
        }
        _ => None,
    };
    if let Some(run) = &analysis {
        profile = fill_gaps(&profile, &run.analysis.profile);
    }
    let style = learn_style(&examples, profile.language.as_deref());
    let embeddings = match embedder {
        Some(model) => {
            let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
            Some(ExampleEmbeddings {
                model: model.model().to_string(),
                vectors: crate::retrieve::off_runtime(|| model.embed(&texts))?,
            })
        }
        None => {
            warnings.push(
                "learning without embeddings: similar-example search and the embedding half of voice match need them"
                    .into(),
            );
            None
        }
    };
    let persona = store
        .save_persona_version(
            ws,
            &NewPersonaVersion {
                name: input.name,
                profile,
                style,
                examples,
                embeddings,
            },
        )
        .await?;
    if let Some(run) = &analysis {
        store
            .link_llm_calls(ws, &run.call_ids, &persona.name, persona.version)
            .await?;
    }
    Ok(Learned {
        persona,
        given,
        analysis,
        warnings,
    })
}
