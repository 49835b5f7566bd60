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

/// Content types a request may ask for.
pub const CONTENT_TYPES: [&str; 5] = [
    "educational",
    "inspirational",
    "entertaining",
    "promotional",
    "storytelling",
];
/// Writing styles (each sets tone, pacing and vocabulary in the prompt).
pub const STYLES: [&str; 4] = ["casual", "professional", "technical", "sales"];
/// Short-form platforms a script is written for.
pub const PLATFORMS: [&str; 3] = ["reels", "tiktok", "shorts"];
/// Most attempts per request (each is a full draft; 8 keeps a local run under a few minutes).
pub const MAX_ATTEMPTS: u32 = 8;

/// A request field that is wrong, and why: the API answers 422 with both, the CLI exits 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    /// The field's name as in [`ScriptRequest`], e.g. `duration_s`.
    pub field: &'static str,
    /// What is wrong and how to fix it.
    pub reason: String,
}

impl FieldError {
    /// A new field error.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

impl From<FieldError> for crate::Error {
    fn from(e: FieldError) -> Self {
        crate::Error::InvalidInput(e.to_string())
    }
}

fn one_of(field: &'static str, value: &str, allowed: &[&str]) -> Result<(), FieldError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("'{value}' is not one of {}", allowed.join(", ")),
        ))
    }
}

impl ScriptRequest {
    /// Checks every field a user sets; trims the topic and requirements and drops empty ones.
    ///
    /// # Errors
    /// The first wrong field: empty persona or topic, a duration outside
    /// [`crate::persona::MIN_DURATION_S`]–[`crate::persona::MAX_DURATION_S`] seconds, an unknown
    /// content type, style or platform, attempts outside 1–[`MAX_ATTEMPTS`], or a language code that
    /// is not two or three letters.
    pub fn validate(&mut self) -> Result<(), FieldError> {
        use crate::persona::{MAX_DURATION_S, MIN_DURATION_S};
        self.topic = self.topic.trim().to_string();
        self.requirements = self
            .requirements
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        if self.persona.trim().is_empty() {
            return Err(FieldError::new(
                "persona",
                "is empty: name a learned persona",
            ));
        }
        if self.topic.is_empty() {
            return Err(FieldError::new(
                "topic",
                "is empty: say what the video is about",
            ));
        }
        if self.topic.chars().count() > 300 {
            return Err(FieldError::new(
                "topic",
                "is over 300 characters: keep it to a line",
            ));
        }
        let (lo, hi) = (f64::from(MIN_DURATION_S), f64::from(MAX_DURATION_S));
        if !(lo..=hi).contains(&self.duration_s) {
            return Err(FieldError::new(
                "duration_s",
                format!(
                    "{} is out of range: use {MIN_DURATION_S} to {MAX_DURATION_S} seconds",
                    self.duration_s
                ),
            ));
        }
        one_of("content_type", &self.content_type, &CONTENT_TYPES)?;
        one_of("style", &self.style, &STYLES)?;
        one_of("platform", &self.platform, &PLATFORMS)?;
        if !(1..=MAX_ATTEMPTS).contains(&self.attempts) {
            return Err(FieldError::new(
                "attempts",
                format!("{} is out of range: use 1 to {MAX_ATTEMPTS}", self.attempts),
            ));
        }
        if let Some(l) = &self.language
            && !(2..=3).contains(&l.len())
        {
            return Err(FieldError::new(
                "language",
                format!("'{l}' is not an ISO 639-1 code such as en or es"),
            ));
        }
        Ok(())
    }
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
    /// Only this writing style.
    pub style: Option<String>,
    /// Only this platform.
    pub platform: Option<String>,
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

/// Hashtag count per platform (Instagram's guidance is 3–5 relevant tags; TikTok's caption space
/// favours 3–5; YouTube shows the first 3 above the title).
pub fn hashtag_count(platform: &str) -> usize {
    match platform {
        "shorts" => 3,
        "tiktok" => 4,
        _ => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ScriptRequest {
        ScriptRequest {
            persona: "maya".into(),
            topic: "  sleep after nights ".into(),
            duration_s: 30.0,
            content_type: "educational".into(),
            style: "casual".into(),
            language: Some("en".into()),
            platform: "reels".into(),
            attempts: 3,
            requirements: vec![" mention the guide ".into(), "  ".into()],
        }
    }

    #[test]
    fn a_valid_request_is_trimmed() {
        let mut r = request();
        assert_eq!(r.validate(), Ok(()));
        assert_eq!(r.topic, "sleep after nights");
        assert_eq!(r.requirements, vec!["mention the guide".to_string()]);
    }

    #[test]
    fn each_wrong_field_is_named() {
        type Breaker = fn(&mut ScriptRequest);
        let cases: [(Breaker, &str); 7] = [
            (|r| r.topic = " ".into(), "topic"),
            (|r| r.duration_s = 10.0, "duration_s"),
            (|r| r.duration_s = 91.0, "duration_s"),
            (|r| r.content_type = "rant".into(), "content_type"),
            (|r| r.style = "loud".into(), "style"),
            (|r| r.platform = "vine".into(), "platform"),
            (|r| r.attempts = 0, "attempts"),
        ];
        for (break_it, field) in cases {
            let mut r = request();
            break_it(&mut r);
            let err = r.validate().err().map(|e| e.field);
            assert_eq!(err, Some(field));
        }
    }
}
