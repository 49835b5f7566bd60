//! The persona's voice model for voice match: fitted on the persona's examples and on the other
//! personas of its workspace that write in the same language (the competitors an agency's drafts
//! could be confused with). `score`, `generate` and the server all build it here, so the card is
//! the same whichever computed it.

use reelsmith_core::attribution::VoiceModel;
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::score::VoiceContext;
use reelsmith_core::store::{PersonaStore, Workspace};

use crate::retrieve::off_runtime;

/// Most other personas a draft is compared against (the most recently updated ones): bounds the
/// fit to about a second however large the workspace.
pub const MAX_COMPETITORS: usize = 20;

/// A fitted voice model whose first voice is the persona.
#[derive(Debug, Clone)]
pub struct VoiceJudge {
    /// The model: the persona, then the competitors.
    pub model: VoiceModel,
    /// The competitors' names, in the model's order.
    pub competitors: Vec<String>,
}

impl VoiceJudge {
    /// Fits the model of `persona` against `others` (every example's whole text).
    pub fn fit(persona: &PersonaVersion, others: &[PersonaVersion]) -> VoiceJudge {
        let voices: Vec<Vec<&str>> = std::iter::once(persona)
            .chain(others)
            .map(|p| p.examples.iter().map(|e| e.example.text.as_str()).collect())
            .collect();
        VoiceJudge {
            model: off_runtime(|| VoiceModel::fit(&voices)),
            competitors: others.iter().map(|p| p.name.clone()).collect(),
        }
    }

    /// The context the score card takes.
    pub fn context(&self) -> VoiceContext<'_> {
        VoiceContext {
            model: &self.model,
            index: 0,
            competitors: &self.competitors,
        }
    }
}

/// The voice model of `persona` in workspace `ws`: its competitors are the latest versions of the
/// workspace's other personas in the same language (up to [`MAX_COMPETITORS`], most recently
/// updated first). A persona deleted meanwhile is skipped.
///
/// # Errors
/// Storage failures.
pub async fn voice_judge<S: PersonaStore + ?Sized>(
    store: &S,
    ws: Workspace,
    persona: &PersonaVersion,
) -> Result<VoiceJudge, reelsmith_core::Error> {
    let mut summaries: Vec<_> = store
        .personas(ws)
        .await?
        .into_iter()
        .filter(|s| s.name != persona.name && s.language == persona.style.language.code)
        .collect();
    summaries.sort_by_key(|s| std::cmp::Reverse(s.updated_at));
    let mut others = Vec::new();
    for s in summaries.into_iter().take(MAX_COMPETITORS) {
        match store.persona(ws, &s.name, None).await {
            Ok(p) => others.push(p),
            Err(reelsmith_core::Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(VoiceJudge::fit(persona, &others))
}
