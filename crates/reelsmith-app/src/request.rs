//! A script request from what a user typed — CLI flags, an API body, a UI form — with the one
//! definition of every default. Each front end fills a [`ScriptInput`] (unset and empty fields are
//! `None`) and calls [`ScriptInput::resolve`]; none repeats a default or a limit.

use reelsmith_core::generation::{FieldError, FieldErrors, ScriptRequest};
use reelsmith_core::platform::{ContentType, Named, Platform, Style, Urgency};
use serde::Deserialize;

/// Target length when none is given, seconds.
pub const DEFAULT_DURATION_S: f64 = 30.0;
/// Content type when none is given.
pub const DEFAULT_CONTENT_TYPE: ContentType = ContentType::Educational;
/// Writing style when none is given.
pub const DEFAULT_STYLE: Style = Style::Casual;
/// Platform when none is given (Instagram Reels: reelsmith's first platform).
pub const DEFAULT_PLATFORM: Platform = Platform::Reels;
/// Attempts when none are given: three scored drafts keep a local run near a minute.
pub const DEFAULT_ATTEMPTS: u32 = 3;
/// Urgency when none is given.
pub const DEFAULT_URGENCY: Urgency = Urgency::Normal;

/// A script request as typed: every field but the persona and topic optional, closed sets as text.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ScriptInput {
    /// Persona name.
    pub persona: String,
    /// What the video is about.
    pub topic: String,
    /// Target length, seconds (default [`DEFAULT_DURATION_S`]).
    pub duration_s: Option<f64>,
    /// A [`ContentType`] name (default [`DEFAULT_CONTENT_TYPE`]).
    pub content_type: Option<String>,
    /// A [`Style`] name (default [`DEFAULT_STYLE`]).
    pub style: Option<String>,
    /// ISO 639-1 code (default: the persona's language).
    pub language: Option<String>,
    /// A [`Platform`] name (default [`DEFAULT_PLATFORM`]).
    pub platform: Option<String>,
    /// Attempts to write and score (default [`DEFAULT_ATTEMPTS`]).
    pub attempts: Option<u32>,
    /// Things the script must do.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Background the script must draw on.
    pub context: Option<String>,
    /// An [`Urgency`] name (default [`DEFAULT_URGENCY`]).
    pub urgency: Option<String>,
}

/// `value` parsed as `T`, the default when unset or blank; a wrong name is pushed to `errors`.
fn named<T: Named>(value: Option<&str>, default: T, errors: &mut Vec<FieldError>) -> T {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => default,
        Some(v) => T::parse(v).unwrap_or_else(|e| {
            errors.push(e);
            default
        }),
    }
}

impl ScriptInput {
    /// The request with defaults filled, checked.
    ///
    /// # Errors
    /// Every wrong field at once (see [`ScriptRequest::validate`]), unknown names of closed sets
    /// included.
    pub fn resolve(self) -> Result<ScriptRequest, FieldErrors> {
        let mut errors = Vec::new();
        let content_type = named(
            self.content_type.as_deref(),
            DEFAULT_CONTENT_TYPE,
            &mut errors,
        );
        let style = named(self.style.as_deref(), DEFAULT_STYLE, &mut errors);
        let urgency = named(self.urgency.as_deref(), DEFAULT_URGENCY, &mut errors);
        let platform = match self.platform.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_PLATFORM,
            Some(p) => Platform::parse_loose(p).unwrap_or_else(|e| {
                errors.push(e);
                DEFAULT_PLATFORM
            }),
        };
        let mut request = ScriptRequest {
            persona: self.persona.trim().to_string(),
            topic: self.topic,
            duration_s: self.duration_s.unwrap_or(DEFAULT_DURATION_S),
            content_type,
            style,
            language: self.language,
            platform,
            attempts: self.attempts.unwrap_or(DEFAULT_ATTEMPTS),
            requirements: self.requirements,
            context: self.context,
            urgency,
            repurposed_from: None,
        };
        if let Err(FieldErrors(more)) = request.validate() {
            errors.extend(more);
        }
        // A form lists fields in its own order; keep the order fields appear in the request.
        const ORDER: [&str; 11] = [
            "persona",
            "topic",
            "duration_s",
            "content_type",
            "style",
            "language",
            "platform",
            "attempts",
            "requirements",
            "context",
            "urgency",
        ];
        errors.sort_by_key(|e| {
            ORDER
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(ORDER.len())
        });
        if errors.is_empty() {
            Ok(request)
        } else {
            Err(FieldErrors(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ScriptInput {
        ScriptInput {
            persona: "maya".into(),
            topic: "sleep after nights".into(),
            ..ScriptInput::default()
        }
    }

    #[test]
    fn unset_and_blank_fields_take_the_defaults() {
        let mut i = input();
        i.style = Some("  ".into());
        let r = i.resolve();
        let r = r.as_ref().ok();
        assert_eq!(r.map(|r| r.duration_s), Some(DEFAULT_DURATION_S));
        assert_eq!(r.map(|r| r.style), Some(DEFAULT_STYLE));
        assert_eq!(r.map(|r| r.platform), Some(DEFAULT_PLATFORM));
        assert_eq!(r.map(|r| r.attempts), Some(DEFAULT_ATTEMPTS));
        assert_eq!(r.map(|r| r.urgency), Some(DEFAULT_URGENCY));
    }

    #[test]
    fn every_wrong_field_is_named_in_request_order() {
        let mut i = input();
        i.urgency = Some("asap".into());
        i.style = Some("loud".into());
        i.duration_s = Some(5.0);
        i.platform = Some("vine".into());
        i.language = Some("xx".into());
        let fields: Vec<&str> = i
            .resolve()
            .err()
            .map(|e| e.0.iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            ["duration_s", "style", "language", "platform", "urgency"]
        );
    }

    #[test]
    fn names_are_read_loosely() {
        let mut i = input();
        i.platform = Some("TikTok".into());
        i.content_type = Some(" Storytelling".into());
        let r = i.resolve().ok();
        assert_eq!(r.as_ref().map(|r| r.platform), Some(Platform::Tiktok));
        assert_eq!(r.map(|r| r.content_type), Some(ContentType::Storytelling));
    }
}
