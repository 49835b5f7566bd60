//! Generations as stored: the request, every attempt with its score card, the winning script in
//! timed sections with caption and hashtags, the approval state and the version chain
//! (a regenerated section makes a new generation whose parent is kept).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::score::ScoreCard;
use crate::script::{Draft, Section};

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptRequest {
    /// Persona name.
    pub persona: String,
    /// Topic.
    pub topic: String,
    /// Target length, seconds (15–90).
    pub duration_s: f64,
    /// educational | inspirational | entertaining | promotional | storytelling.
    pub content_type: String,
    /// casual | professional | technical | sales.
    pub style: String,
    /// Language (ISO 639-1); unset: the persona's.
    pub language: Option<String>,
    /// reels | tiktok | shorts.
    pub platform: String,
    /// Attempts, 1–8.
    pub attempts: u32,
    /// Things the script must do.
    pub requirements: Vec<String>,
}

/// The final script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptOutput {
    /// A short title (the topic).
    pub title: String,
    /// Timed sections; the last `end_s` is `duration_s`.
    pub sections: Vec<Section>,
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
    /// How the length was made to fit: `as_written`, `rewritten_N` or `trimmed`.
    pub fit: String,
}

impl ScriptOutput {
    /// The voiceover, one section a line.
    pub fn text(&self) -> String {
        self.sections
            .iter()
            .map(|s| s.voiceover.as_str())
            .collect::<Vec<_>>()
            .join("\n")
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
    /// `completed` or `failed`.
    pub status: String,
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
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was soft-deleted.
    pub deleted_at: Option<DateTime<Utc>>,
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
    /// `completed` or `failed`.
    pub status: String,
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
    /// Include soft-deleted ones.
    pub include_deleted: bool,
    /// Rows to return, 1–100.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

/// Hashtag count per platform (Instagram's guidance is 3–5 relevant tags; TikTok's caption space
/// favours 3–5; YouTube shows the first 3 above the title).
pub fn hashtag_count(platform: &str) -> usize {
    match platform {
        "shorts" => 3,
        "tiktok" => 4,
        _ => 5,
    }
}
