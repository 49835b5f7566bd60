//! A script request as stored and checked: what to write, for whom, where, how long, and the
//! limits of each field, with every wrong field reported at once. Front ends build one through
//! `reelsmith_app::request::ScriptInput`, which holds the defaults.

use serde::{Deserialize, Serialize};

use crate::persona::{MAX_DURATION_S, MIN_DURATION_S};
use crate::platform::{ContentType, Platform, Style, URGENT_ATTEMPTS, Urgency};

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
    /// The generation this one repurposes for another platform (`reelsmith repurpose`), when it
    /// does: its script is this request's background.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repurposed_from: Option<i64>,
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
        } else if let Err(e) = check_topic_length(&self.topic) {
            errors.push(e);
        }
        if let Err(e) = check_duration(self.duration_s) {
            errors.push(e);
        }
        if !(1..=MAX_ATTEMPTS).contains(&self.attempts) {
            errors.push(FieldError::new(
                "attempts",
                format!("{} is out of range: use 1 to {MAX_ATTEMPTS}", self.attempts),
            ));
        }
        match self.language.as_deref().map(language_code).transpose() {
            Ok(code) => self.language = code.flatten(),
            Err(e) => errors.push(e),
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
        if let Err(e) = check_requirements(&self.requirements) {
            errors.push(e);
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

/// Checks a topic's length: at most [`MAX_TOPIC_CHARS`] characters.
///
/// # Errors
/// [`FieldError`] on `topic` when it is longer.
pub fn check_topic_length(topic: &str) -> Result<(), FieldError> {
    if topic.chars().count() > MAX_TOPIC_CHARS {
        Err(FieldError::new(
            "topic",
            format!("is over {MAX_TOPIC_CHARS} characters: keep it to a line"),
        ))
    } else {
        Ok(())
    }
}

/// Checks requirements (already trimmed): at most [`MAX_REQUIREMENTS`], each at most
/// [`MAX_REQUIREMENT_CHARS`] characters.
///
/// # Errors
/// [`FieldError`] on `requirements` naming the first problem.
pub fn check_requirements(requirements: &[String]) -> Result<(), FieldError> {
    if requirements.len() > MAX_REQUIREMENTS {
        return Err(FieldError::new(
            "requirements",
            format!(
                "has {} entries: give at most {MAX_REQUIREMENTS}",
                requirements.len()
            ),
        ));
    }
    match requirements
        .iter()
        .find(|r| r.chars().count() > MAX_REQUIREMENT_CHARS)
    {
        Some(r) => Err(FieldError::new(
            "requirements",
            format!(
                "'{}…' is over {MAX_REQUIREMENT_CHARS} characters: one instruction each",
                r.chars().take(40).collect::<String>()
            ),
        )),
        None => Ok(()),
    }
}

/// Checks a target length in seconds: [`MIN_DURATION_S`]–[`MAX_DURATION_S`].
///
/// # Errors
/// A [`FieldError`] on `duration_s` saying the range.
pub fn check_duration(duration_s: f64) -> Result<(), FieldError> {
    let (lo, hi) = (f64::from(MIN_DURATION_S), f64::from(MAX_DURATION_S));
    if (lo..=hi).contains(&duration_s) {
        Ok(())
    } else {
        Err(FieldError::new(
            "duration_s",
            format!(
                "{duration_s} is out of range: use {MIN_DURATION_S} to {MAX_DURATION_S} seconds"
            ),
        ))
    }
}

/// The stored code of the language a user named (`EN` → `en`), trimmed; `None` when blank.
///
/// # Errors
/// A [`FieldError`] on `language` when no language has that code (`xx`).
pub fn language_code(code: &str) -> Result<Option<String>, FieldError> {
    let l = code.trim();
    if l.is_empty() {
        return Ok(None);
    }
    crate::language::known_language(l)
        .map(|info| Some(info.code))
        .ok_or_else(|| {
            FieldError::new(
                "language",
                format!("'{l}' is not a language code reelsmith knows: use an ISO 639-1 code such as en or es"),
            )
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid request with blanks to trim, shared by the generation tests.
    pub(crate) fn request() -> ScriptRequest {
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
            repurposed_from: None,
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
        let cases: [(Breaker, &str); 8] = [
            (|r| r.topic = " ".into(), "topic"),
            (|r| r.duration_s = 10.0, "duration_s"),
            (|r| r.duration_s = 91.0, "duration_s"),
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

    #[test]
    fn urgent_requests_make_one_attempt() {
        let mut r = request();
        r.urgency = Urgency::Urgent;
        assert_eq!(r.effective_attempts(), URGENT_ATTEMPTS);
    }
}
