//! Generations as stored: the request, every attempt with its score card, the winning script in
//! timed sections with caption and hashtags, the approval state and the version chain
//! (a regenerated section makes a new generation whose parent is kept).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::platform::{
    ContentType, Fit, Format, GenerationStatus, Named, Platform, Style, URGENT_ATTEMPTS, Urgency,
};
use crate::score::ScoreCard;
use crate::script::{Draft, Section};

/// What the user asked for. Front ends build it through `reelsmith_app::request::ScriptInput`,
/// which holds the one definition of every default; stored requests from earlier versions (without
/// `context` or `urgency`) read back with the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptRequest {
    /// Persona name.
    pub persona: String,
    /// Topic.
    pub topic: String,
    /// Target length, seconds ([`crate::persona::MIN_DURATION_S`]–[`crate::persona::MAX_DURATION_S`]).
    pub duration_s: f64,
    /// What kind of video.
    pub content_type: ContentType,
    /// Writing style.
    pub style: Style,
    /// Language (ISO 639-1); unset: the persona's.
    pub language: Option<String>,
    /// Where it is published.
    pub platform: Platform,
    /// Attempts, 1–[`MAX_ATTEMPTS`].
    pub attempts: u32,
    /// Things the script must do.
    pub requirements: Vec<String>,
    /// Background the script must draw on (facts, an offer, a story), up to [`MAX_CONTEXT_CHARS`].
    #[serde(default)]
    pub context: Option<String>,
    /// How soon it is needed, and whether to lean on the trend list.
    #[serde(default)]
    pub urgency: Urgency,
}

/// Most attempts per request (each is a full draft; 8 keeps a local run under a few minutes).
pub const MAX_ATTEMPTS: u32 = 8;
/// Longest topic, characters (a line).
pub const MAX_TOPIC_CHARS: usize = 300;
/// Longest context, characters: a few thousand, which still leaves the local model's 8,192-token
/// context room for the examples and the answer.
pub const MAX_CONTEXT_CHARS: usize = 4_000;
/// Most requirements per request.
pub const MAX_REQUIREMENTS: usize = 10;
/// Longest requirement, characters.
pub const MAX_REQUIREMENT_CHARS: usize = 300;

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

/// Every wrong field of a request (at least one), in the order a form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

impl FieldErrors {
    /// The first wrong field (there is always one).
    pub fn first(&self) -> Option<&FieldError> {
        self.0.first()
    }

    /// The reason given for `field`, if it is wrong.
    pub fn reason(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.reason.as_str())
    }
}

impl From<FieldError> for crate::Error {
    fn from(e: FieldError) -> Self {
        crate::Error::InvalidInput(e.to_string())
    }
}

impl ScriptRequest {
    /// Checks every field a user sets; trims the topic, context and requirements, drops empty
    /// ones and normalizes the language code. Returns every wrong field, in the order a form shows
    /// them.
    ///
    /// # Errors
    /// Each wrong field: empty persona or topic, a topic over [`MAX_TOPIC_CHARS`], a duration outside
    /// [`crate::persona::MIN_DURATION_S`]–[`crate::persona::MAX_DURATION_S`] seconds, a platform whose
    /// format is not written yet, attempts outside 1–[`MAX_ATTEMPTS`], a language code no language
    /// has, a context over [`MAX_CONTEXT_CHARS`], too many or too long requirements.
    pub fn validate(&mut self) -> Result<(), FieldErrors> {
        use crate::persona::{MAX_DURATION_S, MIN_DURATION_S};
        let mut errors = Vec::new();
        self.topic = self.topic.trim().to_string();
        self.requirements = self
            .requirements
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        self.context = self
            .context
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if self.persona.trim().is_empty() {
            errors.push(FieldError::new(
                "persona",
                "is empty: name a learned persona",
            ));
        }
        if self.topic.is_empty() {
            errors.push(FieldError::new(
                "topic",
                "is empty: say what the video is about",
            ));
        } else if self.topic.chars().count() > MAX_TOPIC_CHARS {
            errors.push(FieldError::new(
                "topic",
                format!("is over {MAX_TOPIC_CHARS} characters: keep it to a line"),
            ));
        }
        let (lo, hi) = (f64::from(MIN_DURATION_S), f64::from(MAX_DURATION_S));
        if !(lo..=hi).contains(&self.duration_s) {
            errors.push(FieldError::new(
                "duration_s",
                format!(
                    "{} is out of range: use {MIN_DURATION_S} to {MAX_DURATION_S} seconds",
                    self.duration_s
                ),
            ));
        }
        if !self.platform.is_written() {
            let written: Vec<&str> = Platform::ALL
                .iter()
                .filter(|p| p.is_written())
                .map(|p| p.as_str())
                .collect();
            errors.push(FieldError::new(
                "platform",
                format!(
                    "{} takes a {} and reelsmith writes timed video scripts only so far: use {}",
                    self.platform.as_str(),
                    match self.platform.format() {
                        Format::Thread => "thread of posts",
                        _ => "text post",
                    },
                    written.join(", ")
                ),
            ));
        }
        if !(1..=MAX_ATTEMPTS).contains(&self.attempts) {
            errors.push(FieldError::new(
                "attempts",
                format!("{} is out of range: use 1 to {MAX_ATTEMPTS}", self.attempts),
            ));
        }
        if let Some(l) = self.language.as_deref().map(str::trim) {
            if l.is_empty() {
                self.language = None;
            } else {
                match crate::language::known_language(l) {
                    Some(info) => self.language = Some(info.code),
                    None => errors.push(FieldError::new(
                        "language",
                        format!("'{l}' is not a language code reelsmith knows: use an ISO 639-1 code such as en or es"),
                    )),
                }
            }
        }
        if let Some(c) = &self.context
            && c.chars().count() > MAX_CONTEXT_CHARS
        {
            errors.push(FieldError::new(
                "context",
                format!(
                    "is {} characters: keep the background to {MAX_CONTEXT_CHARS}",
                    c.chars().count()
                ),
            ));
        }
        if self.requirements.len() > MAX_REQUIREMENTS {
            errors.push(FieldError::new(
                "requirements",
                format!(
                    "has {} entries: give at most {MAX_REQUIREMENTS}",
                    self.requirements.len()
                ),
            ));
        } else if let Some(r) = self
            .requirements
            .iter()
            .find(|r| r.chars().count() > MAX_REQUIREMENT_CHARS)
        {
            errors.push(FieldError::new(
                "requirements",
                format!(
                    "'{}…' is over {MAX_REQUIREMENT_CHARS} characters: one instruction each",
                    r.chars().take(40).collect::<String>()
                ),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(errors))
        }
    }

    /// The attempts to make: the request's, or [`URGENT_ATTEMPTS`] when it is urgent.
    pub fn effective_attempts(&self) -> u32 {
        match self.urgency {
            Urgency::Urgent => self.attempts.min(URGENT_ATTEMPTS),
            _ => self.attempts,
        }
    }
}

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
            _ => "revised",
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

    fn request() -> ScriptRequest {
        ScriptRequest {
            persona: "maya".into(),
            topic: "  sleep after nights ".into(),
            duration_s: 30.0,
            content_type: ContentType::Educational,
            style: Style::Casual,
            language: Some("EN".into()),
            platform: Platform::Reels,
            attempts: 3,
            requirements: vec![" mention the guide ".into(), "  ".into()],
            context: Some("   ".into()),
            urgency: Urgency::Normal,
        }
    }

    #[test]
    fn a_valid_request_is_trimmed() {
        let mut r = request();
        assert_eq!(r.validate(), Ok(()));
        assert_eq!(r.topic, "sleep after nights");
        assert_eq!(r.requirements, vec!["mention the guide".to_string()]);
        assert_eq!(r.language.as_deref(), Some("en"));
        assert_eq!(r.context, None);
    }

    #[test]
    fn each_wrong_field_is_named() {
        type Breaker = fn(&mut ScriptRequest);
        let cases: [(Breaker, &str); 9] = [
            (|r| r.topic = " ".into(), "topic"),
            (|r| r.duration_s = 10.0, "duration_s"),
            (|r| r.duration_s = 91.0, "duration_s"),
            (|r| r.platform = Platform::Linkedin, "platform"),
            (|r| r.attempts = 0, "attempts"),
            (|r| r.language = Some("xx".into()), "language"),
            (
                |r| r.context = Some("a".repeat(MAX_CONTEXT_CHARS + 1)),
                "context",
            ),
            (
                |r| r.requirements = vec!["x".into(); MAX_REQUIREMENTS + 1],
                "requirements",
            ),
            (
                |r| r.requirements = vec!["y".repeat(MAX_REQUIREMENT_CHARS + 1)],
                "requirements",
            ),
        ];
        for (break_it, field) in cases {
            let mut r = request();
            break_it(&mut r);
            let err = r.validate().err();
            assert_eq!(
                err.as_ref().and_then(|e| e.first()).map(|e| e.field),
                Some(field)
            );
        }
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let mut r = request();
        r.topic = String::new();
        r.duration_s = 5.0;
        r.attempts = 99;
        let e = r
            .validate()
            .err()
            .unwrap_or_else(|| FieldErrors(Vec::new()));
        let fields: Vec<&str> = e.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["topic", "duration_s", "attempts"]);
        assert!(e.reason("attempts").is_some_and(|r| r.contains("1 to 8")));
    }

    #[test]
    fn requests_stored_before_context_and_urgency_still_read() {
        let old = r#"{"persona":"maya","topic":"t","duration_s":30.0,"content_type":"educational",
            "style":"casual","language":"en","platform":"reels","attempts":3,"requirements":[]}"#;
        let r: Result<ScriptRequest, _> = serde_json::from_str(old);
        assert_eq!(
            r.ok().map(|r| (r.urgency, r.platform)),
            Some((Urgency::Normal, Platform::Reels))
        );
    }

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
            }),
            card: Some(card),
            error: None,
            attempts: vec![attempt(0, 52.0, true), attempt(1, 48.0, false)],
            cost_usd: 0.0,
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

    #[test]
    fn urgent_requests_make_one_attempt() {
        let mut r = request();
        r.urgency = Urgency::Urgent;
        assert_eq!(r.effective_attempts(), URGENT_ATTEMPTS);
    }
}
