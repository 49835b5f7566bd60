//! What a prompt draws on besides the persona: the examples retrieved for the topic (nearness,
//! performance when posted, the patterns the persona's experiments found and the request requires),
//! how those examples did, the trend list, the language's name, the voice judge and the viral
//! weights in force — gathered once per generation, and said in words on the stored script.

use reelsmith_core::embed::Embedder;
use reelsmith_core::generation::ScriptRequest;
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::platform::Urgency;
use reelsmith_core::prompts::Brief;
use reelsmith_core::store::Workspace;

use crate::ServiceError;
use crate::generate::Job;
use crate::retrieve::few_shot;
use crate::score::trend_phrases;
use crate::write::{Models, ScriptStore, language_name};

/// The prompt's brief for `request`; a `trending` request leans on the trend list.
fn brief<'a>(
    request: &'a ScriptRequest,
    language_name: &'a str,
    trends: &'a [String],
    proven: &'a [(usize, f64)],
    won: &'a [String],
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
        proven,
        won,
        platform: request.platform,
    }
}

/// What a prompt draws on besides the persona: the examples nearest the topic, the trend list and
/// the name of the script's language.
pub(crate) struct Evidence {
    examples: Vec<usize>,
    /// How the chosen examples did when posted (index, performance), for the prompt.
    performance: Vec<(usize, f64)>,
    /// The patterns that won the persona's A/B tests, each with its experiments, in words.
    won: Vec<String>,
    /// The persona's proven hashtags ([`reelsmith_core::hashtags::proven_tags`]).
    pub(crate) proven_tags: Vec<String>,
    trends: Vec<String>,
    language: String,
    voice: crate::voice::VoiceJudge,
    viral_weights: Option<Vec<f64>>,
}

impl Evidence {
    pub(crate) async fn gather(
        store: &dyn ScriptStore,
        ws: Workspace,
        persona: &PersonaVersion,
        request: &ScriptRequest,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Self, ServiceError> {
        let posts = store.posts(ws, &persona.name).await?;
        let preferences =
            crate::experiments::persona_preferences(store, ws, &persona.name, &posts).await?;
        let patterns: Vec<_> = preferences.iter().map(|p| p.pattern).collect();
        let required: Vec<_> = request
            .requirements
            .iter()
            .filter_map(|r| reelsmith_core::experiment::Pattern::of_requirement(r))
            .collect();
        let preferred = crate::retrieve::Preferred {
            performance: crate::retrieve::example_performance(&posts, chrono::Utc::now()),
            patterns: &patterns,
            required: &required,
        };
        let examples = few_shot(persona, &request.topic, embedder, &preferred);
        Ok(Evidence {
            performance: examples
                .iter()
                .filter_map(|&i| {
                    let source = &persona.examples.get(i)?.example.source;
                    preferred.performance.get(source).map(|p| (i, p.lift))
                })
                .collect(),
            won: preferences.iter().map(|p| p.evidence()).collect(),
            proven_tags: reelsmith_core::hashtags::proven_tags(&posts),
            examples,
            trends: trend_phrases(store, ws).await?,
            language: language_name(request.language.as_deref().unwrap_or("en")),
            voice: crate::voice::voice_judge(store, ws, persona).await?,
            viral_weights: crate::score::viral_weights(store, ws, &persona.name).await?,
        })
    }

    /// What the prompt drew on besides the voice, in words (see [`ScriptOutput::drew_on`]).
    pub(crate) fn drew_on(&self, persona: &PersonaVersion) -> Vec<String> {
        let name = |i: usize| {
            persona
                .examples
                .get(i)
                .map_or_else(String::new, |e| e.example.name())
        };
        let mut out = Vec::new();
        if !self.examples.is_empty() {
            let names: Vec<String> = self
                .examples
                .iter()
                .map(|&i| format!("“{}”", name(i)))
                .collect();
            out.push(format!("examples {}", names.join(", ")));
        }
        for (i, lift) in &self.performance {
            out.push(format!(
                "“{}”: {lift:.1}× the usual views when posted",
                name(*i)
            ));
        }
        for w in &self.won {
            out.push(format!("A/B tests: {w}"));
        }
        out
    }

    /// The job of writing `attempts` drafts of `request` for `persona`.
    pub(crate) fn job<'a>(
        &'a self,
        persona: &'a PersonaVersion,
        request: &'a ScriptRequest,
        models: Models<'a>,
        attempts: u32,
        checkpoint: Option<&'a dyn crate::generate::Checkpoint>,
    ) -> Job<'a> {
        Job {
            persona,
            voice: &self.voice,
            language: request.language.as_deref(),
            examples: &self.examples,
            brief: brief(
                request,
                &self.language,
                &self.trends,
                &self.performance,
                &self.won,
            ),
            trends: &self.trends,
            viral_weights: self.viral_weights.as_deref(),
            attempts,
            embedder: models.embedder,
            checkpoint,
        }
    }
}
