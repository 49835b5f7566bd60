//! A fine-tuning dataset from what worked: each approved script, and each script whose post did
//! well (at or above a percentile of the creator's posts), as one JSONL line in OpenAI's chat
//! fine-tuning format — `{"messages": [system, user, assistant]}` — where system and user are the
//! instruct prompt reelsmith would send for that script's request today ([`prompt_messages`]) and
//! the assistant turn is the script in the answer format that prompt asks for (`HOOK:`, `BODY:`,
//! `CTA:` lines). Format: <https://platform.openai.com/docs/guides/supervised-fine-tuning>
//! (a JSONL file of `messages` arrays; at least 10 examples).
//!
//! The split into training and validation is by a stable hash of the answer, so a line stays on
//! its side when the dataset is exported again with more data.

use std::collections::HashSet;

use reelsmith_core::generation::Approval;
use reelsmith_core::generation::{HistoryFilter, ScriptRequest};
use reelsmith_core::llm::{Message, Prompt, PromptStyle, Role};
use reelsmith_core::outcome::outcomes;
use reelsmith_core::persona::PersonaVersion;
use reelsmith_core::platform::GenerationStatus;
use reelsmith_core::prompts::{Brief, draft_lines, draft_request, example_as_draft};
use reelsmith_core::script::{Draft, SectionKind};
use reelsmith_core::store::Workspace;
use serde::Serialize;

use crate::ServiceError;
use crate::history::generations_up_to;
use crate::request::ScriptInput;
use crate::write::{ScriptStore, language_name};

/// Default percentile of the creator's posts a post must reach for its script to be kept.
pub const DEFAULT_MIN_PERCENTILE: f64 = 75.0;
/// Share of lines put in the validation file, percent.
pub const VALIDATION_PERCENT: u64 = 20;
/// Fewest training lines OpenAI accepts for a fine-tuning job (its guide: "at least 10 examples").
pub const OPENAI_MIN_EXAMPLES: usize = 10;
/// Most generations read per persona (newest first).
pub const MAX_GENERATIONS: u32 = 5000;

/// One line of the dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// System, user and assistant messages.
    pub messages: Vec<Message>,
}

/// The dataset and what was left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dataset {
    /// Training lines.
    #[serde(skip)]
    pub train: Vec<Line>,
    /// Validation lines.
    #[serde(skip)]
    pub validation: Vec<Line>,
    /// Lines from approved scripts.
    pub approved: usize,
    /// Lines from scripts whose post reached the percentile.
    pub top_performing: usize,
    /// Left out, with the reason and how many.
    pub left_out: Vec<(String, usize)>,
    /// A warning when there are too few lines to fine-tune on.
    pub warning: Option<String>,
}

/// The instruct prompt (system and user messages) reelsmith would send for `request` as
/// `persona`, few-shot on the persona's best examples (retrieval without a model: performance, then
/// stored order).
pub fn prompt_messages(persona: &PersonaVersion, request: &ScriptRequest) -> Vec<Message> {
    let language = language_name(
        request
            .language
            .as_deref()
            .unwrap_or(&persona.style.language.code),
    );
    let mut brief = Brief::plain(&request.topic, request.duration_s, &language);
    brief.content_type = request.content_type;
    brief.tone = request.style;
    brief.requirements = &request.requirements;
    brief.context = request.context.as_deref();
    let examples = crate::retrieve::few_shot(persona, &request.topic, None, &Default::default());
    match draft_request(PromptStyle::Instruct, persona, &examples, &brief, 1).prompt {
        Prompt::Chat(m) => m,
        Prompt::Completion(t) => vec![Message::new(Role::User, t)],
    }
}

fn count(left: &mut Vec<(String, usize)>, reason: &str) {
    match left.iter_mut().find(|(r, _)| r == reason) {
        Some((_, n)) => *n += 1,
        None => left.push((reason.to_string(), 1)),
    }
}

/// Builds the dataset of `personas` (all of the workspace's when empty): approved scripts, and
/// scripts whose post reached `min_percentile` of the creator's posts on its platform.
///
/// # Errors
/// [`ServiceError::Invalid`] for a percentile outside 0–100; [`ServiceError::Store`] for an
/// unknown persona or a storage failure.
pub async fn build<S: ScriptStore + ?Sized>(
    store: &S,
    ws: Workspace,
    personas: &[String],
    min_percentile: f64,
) -> Result<Dataset, ServiceError> {
    if !(0.0..=100.0).contains(&min_percentile) {
        return Err(reelsmith_core::generation::FieldError::new(
            "min_percentile",
            "must be between 0 and 100 (75: the top quarter of your posts)",
        )
        .into());
    }
    let names: Vec<String> = if personas.is_empty() {
        store
            .personas(ws)
            .await?
            .into_iter()
            .map(|p| p.name)
            .collect()
    } else {
        personas.to_vec()
    };
    let mut out = Dataset::default();
    let mut lines: Vec<(Line, &'static str)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for name in &names {
        let persona = store.persona(ws, name, None).await?;
        let posts = store.posts(ws, name).await?;
        let scored = outcomes(&posts);
        // Generations whose post did well, and example scripts whose post did well.
        let mut top_generations = HashSet::new();
        let mut top_examples = HashSet::new();
        for o in &scored {
            let Some(post) = posts.iter().find(|p| p.id == o.post_id) else {
                continue;
            };
            if !o.settled {
                count(&mut out.left_out, "post still growing (under 3 days old)");
                continue;
            }
            if o.percentile < min_percentile {
                count(&mut out.left_out, "post below the percentile");
                continue;
            }
            match post.link.as_ref() {
                Some(l) if l.generation_id.is_some() => {
                    top_generations.insert(l.generation_id.unwrap_or_default());
                }
                Some(l) if l.example.is_some() => {
                    top_examples.insert(l.example.clone().unwrap_or_default());
                }
                _ => count(&mut out.left_out, "post not linked to a script"),
            }
        }
        let filter = HistoryFilter {
            persona: Some(persona.name.clone()),
            ..HistoryFilter::default()
        };
        for g in &generations_up_to(store, ws, &filter, MAX_GENERATIONS).await? {
            let approved = g.approval == Approval::Approved;
            let top = top_generations.contains(&g.id);
            if g.status != GenerationStatus::Completed {
                count(&mut out.left_out, "generation without a finished script");
                continue;
            }
            if !approved && !top {
                count(
                    &mut out.left_out,
                    "generation neither approved nor top-performing",
                );
                continue;
            }
            let full = store.generation(ws, g.id).await?;
            let Some(script) = &full.script else { continue };
            let sections = script.sections();
            if sections.is_empty() {
                count(&mut out.left_out, "text post (not a video script)");
                continue;
            }
            let part = |k: SectionKind| {
                sections
                    .iter()
                    .filter(|s| s.kind == k)
                    .map(|s| s.voiceover.trim())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let draft = Draft {
                hook: part(SectionKind::Hook),
                body: vec![part(SectionKind::Body)],
                cta: part(SectionKind::Cta),
            };
            let mut messages = prompt_messages(&persona, &full.request);
            messages.push(Message::new(Role::Assistant, draft_lines(&draft)));
            lines.push((Line { messages }, if approved { "approved" } else { "top" }));
        }
        for (i, e) in persona.examples.iter().enumerate() {
            if !top_examples.contains(&e.example.source) {
                continue;
            }
            // The answer is not among its own prompt's few-shot examples.
            let mut others = persona.clone();
            others.examples.remove(i);
            let topic = e
                .example
                .title
                .clone()
                .unwrap_or_else(|| reelsmith_core::text::truncate_chars(&e.example.text, 60));
            let duration = e
                .example
                .duration_s
                .unwrap_or_else(|| e.words as f64 / persona.style.pace.wpm * 60.0)
                .clamp(
                    f64::from(reelsmith_core::persona::MIN_DURATION_S),
                    f64::from(reelsmith_core::persona::MAX_DURATION_S),
                );
            let request = match (ScriptInput {
                persona: persona.name.clone(),
                topic,
                duration_s: Some(duration),
                ..ScriptInput::default()
            })
            .resolve()
            {
                Ok(r) => r,
                Err(_) => {
                    count(&mut out.left_out, "example without a usable topic");
                    continue;
                }
            };
            let mut messages = prompt_messages(&others, &request);
            messages.push(Message::new(
                Role::Assistant,
                draft_lines(&example_as_draft(&e.example.text)),
            ));
            lines.push((Line { messages }, "top"));
        }
    }
    for (line, why) in lines {
        let key = line
            .messages
            .last()
            .map(|m| m.content.clone())
            .unwrap_or_default();
        if !seen.insert(key.clone()) {
            count(&mut out.left_out, "the same script twice");
            continue;
        }
        if why == "approved" {
            out.approved += 1;
        } else {
            out.top_performing += 1;
        }
        if reelsmith_core::text::fingerprint(&key) % 100 < VALIDATION_PERCENT {
            out.validation.push(line);
        } else {
            out.train.push(line);
        }
    }
    if out.train.len() < OPENAI_MIN_EXAMPLES {
        out.warning = Some(format!(
            "{} training lines: OpenAI needs at least {OPENAI_MIN_EXAMPLES} to fine-tune — approve more scripts or import more posts",
            out.train.len()
        ));
    }
    Ok(out)
}

/// The lines as JSONL (one JSON object per line, newline-terminated).
pub fn jsonl(lines: &[Line]) -> String {
    lines
        .iter()
        .filter_map(|l| serde_json::to_string(l).ok())
        .map(|s| s + "\n")
        .collect()
}
