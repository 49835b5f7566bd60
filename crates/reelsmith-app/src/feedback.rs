//! After an import: each new post is linked to what it was made from — one of the persona's
//! generations (its script and caption) or example scripts — when its subtitles or caption match
//! one ([`reelsmith_core::linking`]: a suggestion with its evidence, confirmable with `posts link`);
//! a post that matches nothing and has a script's worth of words ([`EXAMPLE_MIN_WORDS`]) becomes a
//! new example script of the persona (a new persona version), so retrieval and voice match learn
//! from what the creator actually posted. Posts already linked are left as they are, so importing
//! again adds nothing.

use reelsmith_core::Error;
use reelsmith_core::embed::Embedder;
use reelsmith_core::generation::HistoryFilter;
use reelsmith_core::linking::{best_match, without_tags};
use reelsmith_core::performance::{PostLink, example_source};
use reelsmith_core::persona::{ExampleScript, MAX_EXAMPLES};
use reelsmith_core::platform::GenerationStatus;
use reelsmith_core::store::Workspace;
use serde::Serialize;

use crate::ServiceError;
use crate::history::generations_up_to;
use crate::learn::{LearnInput, LearnStore, learn_persona};
use crate::retrieve::off_runtime;
use crate::write::ScriptStore;

/// Words a post's text needs, hashtags and @mentions aside, to become an example script (a caption
/// of a line or two is not a script; the "says nothing" gate uses the same floor).
pub const EXAMPLE_MIN_WORDS: usize = reelsmith_core::score::EMPTY_MIN_WORDS;

/// Most recent generations a post is matched against.
pub const MAX_LINK_GENERATIONS: u32 = 500;

/// One post linked by matching.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkReport {
    /// The post's id.
    pub post_id: i64,
    /// The start of its caption or subtitles.
    pub post: String,
    /// What it was linked to: "generation 12" or "example scripts/01.md".
    pub target: String,
    /// Similarity, 0–1.
    pub similarity: f64,
    /// The evidence.
    pub evidence: String,
}

/// What linking and learning did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Feedback {
    /// Posts linked by matching (suggestions).
    pub linked: Vec<LinkReport>,
    /// Posts added as example scripts.
    pub examples_added: usize,
    /// The persona version that holds them, when one was made.
    pub persona_version: Option<u32>,
    /// Posts left as they are and why, when it is worth saying (no room for more examples).
    pub notes: Vec<String>,
}

/// Everything learning from posts needs from storage: what writing a script needs (personas,
/// generations, trends, posts) and what learning a persona version needs.
pub trait FeedbackStore: ScriptStore + LearnStore {}
impl<T: ScriptStore + LearnStore + ?Sized> FeedbackStore for T {}

/// Links the persona's unlinked posts and adds the unmatched ones with a script's worth of words
/// as examples (see the module docs).
///
/// # Errors
/// [`ServiceError::Store`] for an unknown persona or a storage failure; an embedding model that
/// fails is not an error (matching falls back to words).
pub async fn link_and_learn<S: FeedbackStore>(
    store: &S,
    ws: Workspace,
    persona: &str,
    embedder: Option<&dyn Embedder>,
) -> Result<Feedback, ServiceError> {
    let version = store.persona(ws, persona, None).await?;
    let posts = store.posts(ws, persona).await?;
    let open: Vec<_> = posts
        .iter()
        .filter(|p| p.link.is_none() && p.text().is_some())
        .collect();
    let mut out = Feedback::default();
    if open.is_empty() {
        return Ok(out);
    }
    // Candidates: the persona's examples, then its finished generations (script and caption).
    let mut targets: Vec<(Option<i64>, Option<String>, String)> = version
        .examples
        .iter()
        .map(|e| (None, Some(e.example.source.clone()), e.example.text.clone()))
        .collect();
    let filter = HistoryFilter {
        persona: Some(version.name.clone()),
        ..HistoryFilter::default()
    };
    for g in generations_up_to(store, ws, &filter, MAX_LINK_GENERATIONS).await? {
        if g.status != GenerationStatus::Completed {
            continue;
        }
        match store.generation(ws, g.id).await {
            Ok(full) => {
                if let Some(s) = &full.script {
                    targets.push((Some(g.id), None, format!("{}\n{}", s.text(), s.caption)));
                }
            }
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let lang = version.style.language.code.clone();
    let texts: Vec<&str> = open.iter().filter_map(|p| p.text()).collect();
    let candidates: Vec<&str> = targets.iter().map(|(_, _, t)| t.as_str()).collect();
    let vectors = embedder.and_then(|m| {
        off_runtime(|| {
            let posts = m.embed(&texts).ok()?;
            let cands = if candidates.is_empty() {
                Vec::new()
            } else {
                m.embed(&candidates).ok()?
            };
            (posts.len() == texts.len() && cands.len() == candidates.len())
                .then_some((posts, cands))
        })
    });
    let mut new_examples = Vec::new();
    let room = MAX_EXAMPLES.saturating_sub(version.examples.len());
    for (i, post) in open.iter().enumerate() {
        let text = texts[i];
        let vecs = vectors
            .as_ref()
            .map(|(p, c)| (p[i].as_slice(), c.as_slice()));
        if let Some(m) = best_match(text, &candidates, &lang, vecs) {
            let (generation_id, example, _) = &targets[m.index];
            let link = PostLink {
                generation_id: *generation_id,
                example: example.clone(),
                similarity: Some((m.similarity * 1000.0).round() / 1000.0),
                confirmed: false,
                evidence: Some(m.evidence.clone()),
            };
            store.link_post(ws, persona, post.id, Some(&link)).await?;
            out.linked.push(LinkReport {
                post_id: post.id,
                post: reelsmith_core::text::truncate_chars(text, 60),
                target: link.target(),
                similarity: m.similarity,
                evidence: m.evidence,
            });
        } else if reelsmith_core::text::words(&without_tags(text)).len() >= EXAMPLE_MIN_WORDS {
            if new_examples.len() >= room {
                out.notes.push(format!(
                    "post {} was not added as an example: the persona holds its maximum of {MAX_EXAMPLES}",
                    post.id
                ));
                continue;
            }
            new_examples.push((
                post.id,
                ExampleScript {
                    title: None,
                    text: without_tags(text),
                    source: example_source(post.platform, &post.key),
                    duration_s: post.duration_s,
                },
            ));
        }
    }
    if !new_examples.is_empty() {
        let learned = learn_persona(
            store,
            ws,
            None,
            embedder,
            LearnInput {
                name: version.name.clone(),
                examples: new_examples.iter().map(|(_, e)| e.clone()).collect(),
                append: true,
                ..LearnInput::default()
            },
        )
        .await?;
        for (id, e) in &new_examples {
            let link = PostLink {
                generation_id: None,
                example: Some(e.source.clone()),
                similarity: None,
                confirmed: true,
                evidence: Some(format!(
                    "added as an example script (persona version {})",
                    learned.persona.version
                )),
            };
            store.link_post(ws, persona, *id, Some(&link)).await?;
        }
        out.examples_added = new_examples.len();
        out.persona_version = Some(learned.persona.version);
    }
    Ok(out)
}

/// What a user says about a post's link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkChange {
    /// The suggested link is right.
    Confirm,
    /// It was made from this generation.
    Generation(i64),
    /// It is this example script (its source).
    Example(String),
    /// It is linked to nothing.
    Clear,
}

/// Applies `change` to post `post_id` of `persona` and returns the post.
///
/// # Errors
/// [`ServiceError::Invalid`] when there is no suggested link to confirm or the example is not one
/// of the persona's; [`ServiceError::Store`] for an unknown persona, post or generation.
pub async fn change_link<S: ScriptStore + ?Sized>(
    store: &S,
    ws: Workspace,
    persona: &str,
    post_id: i64,
    change: LinkChange,
) -> Result<reelsmith_core::performance::StoredPost, ServiceError> {
    let given = |generation_id, example| PostLink {
        generation_id,
        example,
        similarity: None,
        confirmed: true,
        evidence: Some("given by the user".into()),
    };
    let link = match change {
        LinkChange::Clear => None,
        LinkChange::Generation(id) => Some(given(Some(id), None)),
        LinkChange::Example(source) => {
            let version = store.persona(ws, persona, None).await?;
            if !version.examples.iter().any(|e| e.example.source == source) {
                return Err(reelsmith_core::generation::FieldError::new(
                    "example",
                    format!(
                        "“{source}” is not one of {}'s example scripts — `persona show {}` lists their sources",
                        version.name, version.name
                    ),
                )
                .into());
            }
            Some(given(None, Some(source)))
        }
        LinkChange::Confirm => {
            let current = store
                .posts(ws, persona)
                .await?
                .into_iter()
                .find(|p| p.id == post_id)
                .and_then(|p| p.link);
            let Some(mut l) = current else {
                return Err(reelsmith_core::generation::FieldError::new(
                    "confirm",
                    format!("post {post_id} has no suggested link to confirm — give a generation or an example"),
                )
                .into());
            };
            l.confirmed = true;
            Some(l)
        }
    };
    Ok(store.link_post(ws, persona, post_id, link.as_ref()).await?)
}
