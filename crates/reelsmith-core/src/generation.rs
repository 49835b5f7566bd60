//! Generations as stored: the request, every attempt with its score card, the winning script in
//! timed sections with caption and hashtags, the approval state and the version chain
//! (a regenerated section makes a new generation whose parent is kept).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::platform::{Fit, Format, GenerationStatus, Platform, Style};
pub use crate::request::{
    FieldError, FieldErrors, MAX_ATTEMPTS, MAX_CONTEXT_CHARS, MAX_REQUIREMENT_CHARS,
    MAX_REQUIREMENTS, MAX_TOPIC_CHARS, ScriptRequest,
};
use crate::score::ScoreCard;
use crate::script::{Draft, Section};

/// The body of a script, in its platform's [`Format`]. Stored tagged by `format`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum ScriptBody {
    /// A timed video script: sections whose last `end_s` is the script's `duration_s`.
    Video {
        /// Timed sections: hook, body beats, CTA.
        sections: Vec<Section>,
    },
    /// One text post.
    Post {
        /// The post as published (line breaks kept).
        text: String,
    },
    /// A thread of posts, in order.
    Thread {
        /// Each post as published.
        posts: Vec<String>,
    },
}

/// The final script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptOutput {
    /// A short title (the topic).
    pub title: String,
    /// The script in its format.
    #[serde(flatten)]
    pub body: ScriptBody,
    /// Post caption.
    pub caption: String,
    /// Hashtags, `#` included.
    pub hashtags: Vec<String>,
    /// Spoken length, seconds (words ÷ WPM × 60).
    pub duration_s: f64,
    /// Words.
    pub words: usize,
    /// Speaking rate used, words per minute.
    pub wpm: f64,
    /// How the length was made to fit.
    pub fit: Fit,
    /// What the prompt drew on besides the persona's voice, in words: the examples shown, those
    /// that did best when posted, the patterns that won the persona's A/B tests. Empty for scripts
    /// stored before it was kept.
    #[serde(default)]
    pub drew_on: Vec<String>,
    /// What keeping to the platform's hard limits changed, in words (a caption cut at a sentence,
    /// hashtags dropped, a thread's last posts dropped); empty when everything fit as written.
    #[serde(default)]
    pub fitted: Vec<String>,
}

impl ScriptOutput {
    /// The format of the body.
    pub fn format(&self) -> Format {
        match self.body {
            ScriptBody::Video { .. } => Format::Video,
            ScriptBody::Post { .. } => Format::Post,
            ScriptBody::Thread { .. } => Format::Thread,
        }
    }

    /// The timed sections of a video script; empty for text formats.
    pub fn sections(&self) -> &[Section] {
        match &self.body {
            ScriptBody::Video { sections } => sections,
            _ => &[],
        }
    }

    /// The script's text: a video's voiceover one section a line, a post, or a thread's posts
    /// separated by blank lines.
    pub fn text(&self) -> String {
        match &self.body {
            ScriptBody::Video { sections } => sections
                .iter()
                .map(|s| s.voiceover.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            ScriptBody::Post { text } => text.clone(),
            ScriptBody::Thread { posts } => posts.join("\n\n"),
        }
    }
}

/// One attempt about to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAttempt {
    /// The model's raw answer.
    pub raw_text: String,
    /// Its parsed draft, when it parsed.
    pub draft: Option<Draft>,
    /// Why it was dropped.
    pub error: Option<String>,
    /// Its score card, when it parsed.
    pub card: Option<ScoreCard>,
}

/// A generation about to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewGeneration {
    /// Persona name.
    pub persona: String,
    /// Persona version used.
    pub persona_version: u32,
    /// The generation this one revises.
    pub parent_id: Option<i64>,
    /// The request.
    pub request: ScriptRequest,
    /// Every attempt.
    pub attempts: Vec<NewAttempt>,
    /// Index of the winning attempt.
    pub winner: Option<usize>,
    /// The final script (None when it failed).
    pub script: Option<ScriptOutput>,
    /// The final script's score card.
    pub card: Option<ScoreCard>,
    /// Why it failed.
    pub error: Option<String>,
    /// Ledger ids of the LLM calls it made.
    pub call_ids: Vec<i64>,
}

/// A generation stored as `running`, as the start-up sweep sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningGeneration {
    /// Its workspace.
    pub workspace: crate::store::Workspace,
    /// Its id.
    pub id: i64,
    /// The process running it, `HOST/PID` (None for rows written before migration 0007).
    pub runner: Option<String>,
    /// When it last showed life (start, an attempt, a heartbeat).
    pub heartbeat_at: DateTime<Utc>,
}

/// Review state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// Not reviewed.
    Draft,
    /// Approved to post.
    Approved,
    /// Rejected.
    Rejected,
    /// Needs changes.
    NeedsRevision,
}

impl Approval {
    /// Lower-case name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::NeedsRevision => "needs_revision",
        }
    }

    /// Parses a stored or typed name.
    ///
    /// # Errors
    /// [`crate::Error::InvalidInput`] listing the accepted values.
    pub fn parse(s: &str) -> crate::Result<Self> {
        match s {
            "draft" => Ok(Self::Draft),
            "approved" => Ok(Self::Approved),
            "rejected" => Ok(Self::Rejected),
            "needs_revision" => Ok(Self::NeedsRevision),
            other => Err(crate::Error::InvalidInput(format!(
                "unknown status '{other}' — use approved, rejected, needs_revision or draft"
            ))),
        }
    }
}

/// A stored attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAttempt {
    /// 0-based index in its request.
    pub index: u32,
    /// The raw answer.
    pub raw_text: String,
    /// Overall score, when it parsed.
    pub overall: Option<f64>,
    /// Why it was dropped.
    pub error: Option<String>,
    /// Whether it won.
    pub winner: bool,
}

/// A stored generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    /// Id.
    pub id: i64,
    /// Persona name.
    pub persona: String,
    /// Persona version used.
    pub persona_version: u32,
    /// The generation this revises.
    pub parent_id: Option<i64>,
    /// 1 for a first draft, parent's + 1 for a revision.
    pub version: u32,
    /// The request.
    pub request: ScriptRequest,
    /// Where it is in its life.
    pub status: GenerationStatus,
    /// Review state.
    pub approval: Approval,
    /// Who reviewed.
    pub approval_by: Option<String>,
    /// Review notes.
    pub approval_notes: Option<String>,
    /// The script.
    pub script: Option<ScriptOutput>,
    /// Its score card.
    pub card: Option<ScoreCard>,
    /// Why it failed.
    pub error: Option<String>,
    /// Attempts.
    pub attempts: Vec<StoredAttempt>,
    /// LLM cost of this generation, USD.
    pub cost_usd: f64,
    /// Model calls made for it, failed ones and those of earlier tries included.
    #[serde(default)]
    pub calls: u32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was soft-deleted.
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Generation {
    /// Why the headline score differs from the kept attempt's, when it does: the attempt was scored
    /// as drafted, and the stored script is that draft after its length was fitted (rewritten or
    /// trimmed), scored again. `None` when they agree to the point.
    pub fn score_note(&self) -> Option<String> {
        let card = self.card.as_ref()?;
        let kept = self.attempts.iter().find(|a| a.winner)?;
        let drafted = kept.overall?;
        if (drafted - card.overall).abs() < 0.5 {
            return None;
        }
        let how = match self.script.as_ref().map(|s| s.fit) {
            Some(Fit::Trimmed) => "trimmed to fit the length",
            Some(Fit::Rewritten(_)) => "rewritten to fit the length",
            // Fitting as written leaves the score; the repair round (a draft not fit to post,
            // rewritten with its failures named) changes it.
            Some(Fit::AsWritten) => "rewritten to fix what made it unfit to post",
            None => "revised",
        };
        Some(format!(
            "Attempt #{} scored {drafted:.0} as drafted; the script was then {how} and scores {:.0}.",
            kept.index + 1,
            card.overall
        ))
    }
}

/// A row of the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerationSummary {
    /// Id.
    pub id: i64,
    /// Persona name.
    pub persona: String,
    /// Topic.
    pub topic: String,
    /// Target length, seconds.
    pub duration_s: f64,
    /// Version in its chain.
    pub version: u32,
    /// Where it is in its life.
    pub status: GenerationStatus,
    /// Review state.
    pub approval: Approval,
    /// Overall score of the script.
    pub overall: Option<f64>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// History filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryFilter {
    /// Only this persona.
    pub persona: Option<String>,
    /// Only this review state.
    pub approval: Option<Approval>,
    /// Only this writing style.
    pub style: Option<Style>,
    /// Only this platform.
    pub platform: Option<Platform>,
    /// Only those made at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only those made before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Only topics containing this text (case-insensitive).
    pub query: Option<String>,
    /// Include soft-deleted ones.
    pub include_deleted: bool,
    /// Rows to return, 1–100.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::tests::request;

    /// "#1 52 (kept)" beside "Score 67" is explained: the attempt was scored as drafted, the stored
    /// script after fitting.
    #[test]
    fn a_headline_score_that_differs_from_the_kept_attempt_is_explained() {
        let mut card = crate::score::score(&crate::score::ScoreRequest {
            text: "Stop scrolling. Sleep is a skill. Follow for more.",
            ..Default::default()
        });
        card.overall = 67.0;
        let attempt = |index: u32, overall: f64, winner: bool| StoredAttempt {
            index,
            raw_text: String::new(),
            overall: Some(overall),
            error: None,
            winner,
        };
        let mut g = Generation {
            id: 1,
            persona: "maya".into(),
            persona_version: 1,
            parent_id: None,
            version: 1,
            request: request(),
            status: GenerationStatus::Completed,
            approval: Approval::Draft,
            approval_by: None,
            approval_notes: None,
            script: Some(ScriptOutput {
                title: "t".into(),
                body: ScriptBody::Video {
                    sections: Vec::new(),
                },
                caption: String::new(),
                hashtags: Vec::new(),
                duration_s: 30.0,
                words: 75,
                wpm: 150.0,
                fit: Fit::Trimmed,
                drew_on: Vec::new(),
                fitted: Vec::new(),
            }),
            card: Some(card),
            error: None,
            attempts: vec![attempt(0, 52.0, true), attempt(1, 48.0, false)],
            cost_usd: 0.0,
            calls: 2,
            created_at: chrono::Utc::now(),
            deleted_at: None,
        };
        let note = g.score_note().unwrap_or_default();
        assert!(
            note.contains("#1 scored 52") && note.contains("trimmed") && note.contains("scores 67"),
            "{note}"
        );
        g.attempts[0].overall = Some(67.0);
        assert_eq!(g.score_note(), None);
    }
}
