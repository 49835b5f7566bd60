//! Platforms and their formats as types: where a script is published, the form it takes there (a
//! timed video script, a single text post, a thread of posts), and each platform's rules as data,
//! every figure with its source and the date it was checked. Also the request's other closed sets
//! (content type, writing style, urgency) and how a script's length was made to fit.

use serde::{Deserialize, Serialize};

/// The form a script takes on its platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A spoken, timed video script in sections (hook, body beats, CTA).
    Video,
    /// One text post (LinkedIn).
    Post,
    /// A thread of numbered posts (X).
    Thread,
}

impl Format {
    /// In words: `timed video script`, `text post`, `thread of posts`.
    pub fn label(self) -> &'static str {
        match self {
            Format::Video => "timed video script",
            Format::Post => "text post",
            Format::Thread => "thread of posts",
        }
    }
}

/// Where a script is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Instagram Reels.
    Reels,
    /// TikTok.
    Tiktok,
    /// YouTube Shorts.
    Shorts,
    /// Facebook Reels.
    Facebook,
    /// X (Twitter) threads.
    X,
    /// LinkedIn posts.
    Linkedin,
}

/// A platform's rules. Character limits count Unicode scalar values unless the platform says
/// otherwise (X's weighted count is the formats issue's); `None` means the platform sets none that
/// applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlatformRules {
    /// The form scripts take there.
    pub format: Format,
    /// Longest caption (video platforms) or post (text platforms), characters.
    pub max_chars: Option<u32>,
    /// Characters shown before the "…more" fold.
    pub fold_chars: Option<u32>,
    /// Longest title, characters.
    pub max_title_chars: Option<u32>,
    /// Most hashtags the platform accepts on one post.
    pub max_hashtags: Option<u32>,
    /// Hashtags reelsmith adds (the platform's recommendation or common practice).
    pub hashtags: u32,
    /// Longest video the platform accepts in this format, seconds.
    pub max_video_s: Option<u32>,
    /// Where the figures come from.
    pub source: &'static str,
    /// When they were last checked, `YYYY-MM`.
    pub checked: &'static str,
}

impl Platform {
    /// Every platform, in the order menus list them.
    pub const ALL: [Platform; 6] = [
        Self::Reels,
        Self::Tiktok,
        Self::Shorts,
        Self::Facebook,
        Self::X,
        Self::Linkedin,
    ];

    /// Parses a platform's name, or a common other name for it (`instagram`, `youtube`, `twitter`).
    ///
    /// # Errors
    /// A [`crate::generation::FieldError`] on `platform` listing the names.
    pub fn parse_loose(s: &str) -> Result<Self, crate::generation::FieldError> {
        let alias = match s.trim().to_ascii_lowercase().as_str() {
            "instagram" => Some(Self::Reels),
            "youtube" => Some(Self::Shorts),
            "twitter" => Some(Self::X),
            _ => None,
        };
        alias.map_or_else(|| <Self as Named>::parse(s), Ok)
    }

    /// The platform's rules.
    pub fn rules(self) -> PlatformRules {
        match self {
            // help.instagram.com and Instagram's creators' guidance: captions 2,200 characters, 30
            // hashtags at most, 3–5 recommended, about 125 characters before "more"; Reels up to 3 min
            // (January 2025).
            Self::Reels => PlatformRules {
                format: Format::Video,
                max_chars: Some(2_200),
                fold_chars: Some(125),
                max_title_chars: None,
                max_hashtags: Some(30),
                hashtags: 5,
                max_video_s: Some(180),
                source: "Instagram Help Center (captions, hashtags); Instagram's announcement of 3-minute Reels, 2025-01",
                checked: "2026-12",
            },
            // TikTok's captions grew to 4,000 characters (2023); uploads up to 10 minutes.
            Self::Tiktok => PlatformRules {
                format: Format::Video,
                max_chars: Some(4_000),
                fold_chars: Some(150),
                max_title_chars: None,
                max_hashtags: None,
                hashtags: 4,
                max_video_s: Some(600),
                source: "TikTok Help Center (caption length, video length)",
                checked: "2026-12",
            },
            // YouTube Help: Shorts up to 3 minutes since 2024-10-15; titles 100 characters; the first 3
            // hashtags show above the title; more than 15 and all are ignored.
            Self::Shorts => PlatformRules {
                format: Format::Video,
                max_chars: Some(5_000),
                fold_chars: Some(100),
                max_title_chars: Some(100),
                max_hashtags: Some(15),
                hashtags: 3,
                max_video_s: Some(180),
                source: "YouTube Help (Shorts length 2024-10-15, title and description limits, hashtags)",
                checked: "2026-12",
            },
            // Meta Business Help: Facebook Reels up to 90 s; posts up to 63,206 characters; 1–3 tags.
            Self::Facebook => PlatformRules {
                format: Format::Video,
                max_chars: Some(63_206),
                fold_chars: Some(125),
                max_title_chars: None,
                max_hashtags: None,
                hashtags: 3,
                max_video_s: Some(90),
                source: "Meta Business Help Center (Reels length, post length)",
                checked: "2026-12",
            },
            // X Help Center: 280 weighted characters a post (URLs count 23; most emoji and CJK count 2).
            Self::X => PlatformRules {
                format: Format::Thread,
                max_chars: Some(280),
                fold_chars: None,
                max_title_chars: None,
                max_hashtags: None,
                hashtags: 2,
                max_video_s: None,
                source: "X Help Center (counting characters) and twitter-text's configuration",
                checked: "2026-12",
            },
            // LinkedIn Help: posts up to 3,000 characters; about 210 shown before "…see more".
            Self::Linkedin => PlatformRules {
                format: Format::Post,
                max_chars: Some(3_000),
                fold_chars: Some(210),
                max_title_chars: None,
                max_hashtags: None,
                hashtags: 3,
                max_video_s: None,
                source: "LinkedIn Help (post length, feed truncation)",
                checked: "2026-12",
            },
        }
    }

    /// The platform's name as users say it ("Instagram Reels", "YouTube Shorts").
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Reels => "Instagram Reels",
            Self::Tiktok => "TikTok",
            Self::Shorts => "YouTube Shorts",
            Self::Facebook => "Facebook",
            Self::X => "X",
            Self::Linkedin => "LinkedIn",
        }
    }

    /// The form scripts take on this platform.
    pub fn format(self) -> Format {
        self.rules().format
    }
}

/// A closed set of names (content type, style, urgency, platform): the table of values and names
/// is the one definition; parsing, printing and the lists menus show come from it.
pub trait Named: Copy + PartialEq + 'static {
    /// The request field this set fills, for errors (`content_type`, `style`...).
    const FIELD: &'static str;
    /// Every value with its stored and typed name, in the order menus list them.
    const TABLE: &'static [(Self, &'static str)];

    /// The name as stored and typed.
    fn as_str(self) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(v, _)| *v == self)
            .map_or("", |(_, n)| n)
    }

    /// Every name, in order.
    fn names() -> Vec<&'static str> {
        Self::TABLE.iter().map(|(_, n)| *n).collect()
    }

    /// Parses a stored or typed name (ASCII case ignored, surrounding space trimmed).
    ///
    /// # Errors
    /// A [`crate::generation::FieldError`] on [`Self::FIELD`] listing the names.
    fn parse(s: &str) -> Result<Self, crate::generation::FieldError> {
        let t = s.trim().to_ascii_lowercase();
        Self::TABLE
            .iter()
            .find(|(_, n)| *n == t)
            .map(|(v, _)| *v)
            .ok_or_else(|| {
                crate::generation::FieldError::new(
                    Self::FIELD,
                    format!("'{}' is not one of {}", s.trim(), Self::names().join(", ")),
                )
            })
    }
}

/// What kind of video a script is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentType {
    /// Teaches something.
    Educational,
    /// Motivates.
    Inspirational,
    /// Entertains.
    Entertaining,
    /// Sells a product or offer.
    Promotional,
    /// Tells a story.
    Storytelling,
}

impl Named for ContentType {
    const FIELD: &'static str = "content_type";
    const TABLE: &'static [(Self, &'static str)] = &[
        (Self::Educational, "educational"),
        (Self::Inspirational, "inspirational"),
        (Self::Entertaining, "entertaining"),
        (Self::Promotional, "promotional"),
        (Self::Storytelling, "storytelling"),
    ];
}

/// The writing style (each sets tone, pacing and vocabulary in the prompt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// Relaxed, conversational.
    Casual,
    /// Polished and measured.
    Professional,
    /// Precise, with terms of the trade.
    Technical,
    /// Persuasive, benefit-led.
    Sales,
}

impl Named for Style {
    const FIELD: &'static str = "style";
    const TABLE: &'static [(Self, &'static str)] = &[
        (Self::Casual, "casual"),
        (Self::Professional, "professional"),
        (Self::Technical, "technical"),
        (Self::Sales, "sales"),
    ];
}

/// How soon the script is needed and how much it should lean on what is trending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// The usual: every attempt asked for.
    #[default]
    Normal,
    /// Lean on the user's trend list in the prompt.
    Trending,
    /// A faster answer: at most [`URGENT_ATTEMPTS`] attempt.
    Urgent,
}

impl Named for Urgency {
    const FIELD: &'static str = "urgency";
    const TABLE: &'static [(Self, &'static str)] = &[
        (Self::Normal, "normal"),
        (Self::Trending, "trending"),
        (Self::Urgent, "urgent"),
    ];
}

impl Named for Platform {
    const FIELD: &'static str = "platform";
    const TABLE: &'static [(Self, &'static str)] = &[
        (Self::Reels, "reels"),
        (Self::Tiktok, "tiktok"),
        (Self::Shorts, "shorts"),
        (Self::Facebook, "facebook"),
        (Self::X, "x"),
        (Self::Linkedin, "linkedin"),
    ];
}

/// Attempts an urgent request makes at most (one shared prompt evaluation, one fitting pass).
pub const URGENT_ATTEMPTS: u32 = 1;

/// How a script's length was made to fit its target. Stored as `as_written`, `rewritten_N` or
/// `trimmed` (the names earlier versions stored as strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The winning attempt fitted as written.
    AsWritten,
    /// After this many rewrite rounds or continuations.
    Rewritten(u32),
    /// Trimmed at sentence boundaries.
    Trimmed,
}

impl Fit {
    /// The stored name.
    pub fn name(self) -> String {
        match self {
            Self::AsWritten => "as_written".to_string(),
            Self::Rewritten(n) => format!("rewritten_{n}"),
            Self::Trimmed => "trimmed".to_string(),
        }
    }

    /// Parses a stored name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "as_written" => Some(Self::AsWritten),
            "trimmed" => Some(Self::Trimmed),
            _ => s
                .strip_prefix("rewritten_")
                .and_then(|n| n.parse().ok())
                .map(Self::Rewritten),
        }
    }
}

impl std::fmt::Display for Fit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

impl Serialize for Fit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Fit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Fit::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown fit '{s}': expected as_written, rewritten_N or trimmed"
            ))
        })
    }
}

/// Where a generation is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenerationStatus {
    /// Being written now.
    Running,
    /// Written and stored.
    Completed,
    /// No usable script (the error says why).
    Failed,
    /// Stopped before it finished: a shutdown, or the process running it died.
    Interrupted,
}

impl GenerationStatus {
    /// Whether it can be run again in place: failed or interrupted.
    pub fn retryable(self) -> bool {
        matches!(self, Self::Failed | Self::Interrupted)
    }

    /// The name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }

    /// Parses a stored name.
    ///
    /// # Errors
    /// [`crate::Error::Storage`] for an unknown name (a row written by something else).
    pub fn parse(s: &str) -> crate::Result<Self> {
        match s {
            "running" => Ok(Self::Running),
            "completed" => Ok(Self::Completed),
            "failed" => Ok(Self::Failed),
            "interrupted" => Ok(Self::Interrupted),
            other => Err(crate::Error::Storage(format!(
                "unknown generation status '{other}' in the database"
            ))),
        }
    }
}

impl std::fmt::Display for GenerationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_parses_from_its_name_and_serializes_as_it() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Ok(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap_or_default(),
                format!("\"{}\"", p.as_str())
            );
            let r = p.rules();
            assert!(r.hashtags >= 1 && r.max_hashtags.is_none_or(|m| m >= r.hashtags));
            assert!(!r.source.is_empty());
        }
        assert_eq!(Platform::parse(" TikTok "), Ok(Platform::Tiktok));
        assert_eq!(Platform::parse_loose("twitter"), Ok(Platform::X));
        assert_eq!(
            Platform::parse("vine").err().map(|e| e.field),
            Some("platform")
        );
        assert_eq!(Platform::Linkedin.format(), Format::Post);
        assert_eq!(Platform::X.format(), Format::Thread);
    }

    #[test]
    fn closed_sets_name_their_field_and_list_the_choices() {
        assert_eq!(
            ContentType::parse("Storytelling"),
            Ok(ContentType::Storytelling)
        );
        let e = Style::parse("loud").err();
        assert_eq!(e.as_ref().map(|e| e.field), Some("style"));
        assert!(e.is_some_and(|e| e.reason.contains("casual, professional, technical, sales")));
        assert_eq!(Urgency::parse("urgent"), Ok(Urgency::Urgent));
        assert_eq!(
            Urgency::parse("now").err().map(|e| e.field),
            Some("urgency")
        );
    }

    #[test]
    fn fit_keeps_its_stored_names() {
        for f in [Fit::AsWritten, Fit::Rewritten(2), Fit::Trimmed] {
            let json = serde_json::to_string(&f).unwrap_or_default();
            assert_eq!(serde_json::from_str::<Fit>(&json).ok(), Some(f));
        }
        assert_eq!(Fit::Rewritten(2).name(), "rewritten_2");
        assert!(serde_json::from_str::<Fit>("\"squeezed\"").is_err());
    }
}
