//! Personas: the creator profile a user states, the example scripts reelsmith learns from, and the
//! stored, versioned combination of both with the learned style profile.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::style::StyleProfile;

/// The fields of a creator profile. Filled from TOML front matter or CLI flags now, and by LLM analysis
/// where one is configured. Every field is optional: a persona is useful from its examples alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CreatorProfile {
    /// Display name, e.g. "Maya Okafor" (the persona's key is its separate short name).
    pub display_name: Option<String>,
    /// The creator's story in their own words (Markdown allowed).
    pub story: Option<String>,
    /// Niche, e.g. "sleep and energy for shift workers".
    pub niche: Option<String>,
    /// Areas of expertise.
    pub expertise: Vec<String>,
    /// What makes the voice recognisable, in a sentence.
    pub unique_voice: Option<String>,
    /// Personality traits, e.g. "blunt", "warm".
    pub personality_traits: Vec<String>,
    /// How stories are told, e.g. "opens on a shift anecdote, lands on one fix".
    pub storytelling_style: Option<String>,
    /// Who the videos are for.
    pub target_audience: Option<String>,
    /// The audience's pain points.
    pub pain_points: Vec<String>,
    /// What the audience wants.
    pub desires: Vec<String>,
    /// Preferred script length, seconds (15–90).
    pub optimal_length_s: Option<u32>,
    /// Topics that performed well.
    pub successful_topics: Vec<String>,
    /// Language of the persona's scripts (ISO 639-1), when the user states it.
    pub language: Option<String>,
}

impl CreatorProfile {
    /// Returns `self` with every field that `newer` sets taken from `newer` (a non-empty list or a
    /// `Some`), so flags override front matter and a new version keeps what was not restated.
    pub fn overlay(mut self, newer: CreatorProfile) -> CreatorProfile {
        fn opt<T>(old: &mut Option<T>, new: Option<T>) {
            if new.is_some() {
                *old = new;
            }
        }
        fn list(old: &mut Vec<String>, new: Vec<String>) {
            if !new.is_empty() {
                *old = new;
            }
        }
        opt(&mut self.display_name, newer.display_name);
        opt(&mut self.story, newer.story);
        opt(&mut self.niche, newer.niche);
        list(&mut self.expertise, newer.expertise);
        opt(&mut self.unique_voice, newer.unique_voice);
        list(&mut self.personality_traits, newer.personality_traits);
        opt(&mut self.storytelling_style, newer.storytelling_style);
        opt(&mut self.target_audience, newer.target_audience);
        list(&mut self.pain_points, newer.pain_points);
        list(&mut self.desires, newer.desires);
        opt(&mut self.optimal_length_s, newer.optimal_length_s);
        list(&mut self.successful_topics, newer.successful_topics);
        opt(&mut self.language, newer.language);
        self
    }

    /// Checks value ranges; the error names the field and the accepted range.
    pub fn validate(&self) -> Result<()> {
        if let Some(s) = self.optimal_length_s
            && !(MIN_DURATION_S..=MAX_DURATION_S).contains(&s)
        {
            return Err(Error::InvalidInput(format!(
                "optimal_length_s = {s} is out of range: use {MIN_DURATION_S} to {MAX_DURATION_S} seconds"
            )));
        }
        Ok(())
    }
}

/// Shortest script reelsmith writes, seconds.
pub const MIN_DURATION_S: u32 = 15;
/// Longest script reelsmith writes, seconds.
pub const MAX_DURATION_S: u32 = 90;

/// One example script as learned from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleScript {
    /// Title from front matter or a leading Markdown heading.
    pub title: Option<String>,
    /// The script text (plain text; Markdown formatting removed).
    pub text: String,
    /// Where it came from: the file path, with `#N` for the N-th script of a multi-script file.
    pub source: String,
    /// Spoken length when known, seconds.
    pub duration_s: Option<f64>,
}

impl ExampleScript {
    /// Characters of the first line that name an example without a title.
    pub const NAME_CHARS: usize = 50;

    /// What to call it: its title, else the start of its first line (up to [`Self::NAME_CHARS`]
    /// characters).
    pub fn name(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            crate::text::truncate_chars(self.text.lines().next().unwrap_or(""), Self::NAME_CHARS)
        })
    }
}

/// A persona version about to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewPersonaVersion {
    /// The persona's key (see [`validate_name`]).
    pub name: String,
    /// Creator profile fields.
    pub profile: CreatorProfile,
    /// Style learned from `examples`.
    pub style: StyleProfile,
    /// The examples, in order.
    pub examples: Vec<ExampleScript>,
    /// One embedding per example, when an embedding model was available.
    pub embeddings: Option<ExampleEmbeddings>,
}

/// Embeddings of a version's examples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleEmbeddings {
    /// The model's name (see [`crate::embed::Embedder::model`]).
    pub model: String,
    /// One vector per example, in example order.
    pub vectors: Vec<Vec<f32>>,
}

/// An example script as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredExample {
    /// Row id.
    pub id: i64,
    /// The example.
    #[serde(flatten)]
    pub example: ExampleScript,
    /// Words in the text.
    pub words: usize,
    /// Its embedding and the model that made it, when embedded (not serialised: 384 floats each).
    #[serde(skip)]
    pub embedding: Option<(String, Vec<f32>)>,
}

/// One stored version of a persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaVersion {
    /// The persona's key.
    pub name: String,
    /// Version number, from 1.
    pub version: u32,
    /// Versions stored for this persona.
    pub versions: u32,
    /// When this version was stored.
    pub created_at: DateTime<Utc>,
    /// Creator profile fields.
    pub profile: CreatorProfile,
    /// The learned style.
    pub style: StyleProfile,
    /// The examples of this version.
    pub examples: Vec<StoredExample>,
}

impl PersonaVersion {
    /// Version 1 of persona `name`, learned in memory from `examples` (style per
    /// [`crate::style::learn_style`], in `language` when given) with an empty profile and nothing
    /// stored: for benchmarks and tests that need a persona without a store. Example ids are their
    /// positions.
    pub fn unsaved(name: &str, examples: Vec<ExampleScript>, language: Option<&str>) -> Self {
        let style = crate::style::learn_style(&examples, language);
        PersonaVersion {
            name: name.into(),
            version: 1,
            versions: 1,
            created_at: Utc::now(),
            profile: CreatorProfile::default(),
            style,
            examples: examples
                .into_iter()
                .enumerate()
                .map(|(i, example)| StoredExample {
                    id: i as i64,
                    words: crate::text::words(&example.text).len(),
                    example,
                    embedding: None,
                })
                .collect(),
        }
    }
}

/// A persona in a listing: its latest version, summarised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaSummary {
    /// The persona's key.
    pub name: String,
    /// Display name from the latest version's profile.
    pub display_name: Option<String>,
    /// Latest version number.
    pub latest_version: u32,
    /// Examples in the latest version.
    pub examples: u32,
    /// Language code of the latest version's examples.
    pub language: String,
    /// When the persona was first stored.
    pub created_at: DateTime<Utc>,
    /// When its latest version was stored.
    pub updated_at: DateTime<Utc>,
}

/// What deleting a persona removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedPersona {
    /// Versions removed.
    pub versions: u32,
    /// Example scripts removed.
    pub examples: u32,
}

/// Most example scripts one persona version keeps: embedding each costs about 0.1 s of CPU on 2
/// cores (all-MiniLM-L6-v2), so 500 learn in about a minute; a creator's best few hundred scripts say
/// more about their voice than thousands.
pub const MAX_EXAMPLES: usize = 500;

/// Longest example script, characters: an hour-long transcript (about 9,000 words) fits; a whole
/// book pasted by mistake does not.
pub const MAX_EXAMPLE_CHARS: usize = 100_000;

/// Shortest and longest spoken length an example may state, seconds (short-form video runs from a
/// few seconds to a few minutes; 600 s leaves room for long takes).
pub const EXAMPLE_DURATION_S: (f64, f64) = (1.0, 600.0);
/// Slowest and fastest speaking rate an example's words and stated length may imply, words per
/// minute: conversational speech runs 120–180 WPM and fast talkers reach about 300 (NCVS), so a
/// rate outside 40–400 is a wrong length (seconds typed as minutes, a misplaced decimal point).
pub const PLAUSIBLE_WPM: (f64, f64) = (40.0, 400.0);

impl ExampleScript {
    /// Checks the stated spoken length: within [`EXAMPLE_DURATION_S`] and implying a speaking rate
    /// within [`PLAUSIBLE_WPM`] for the example's words. An example without a length passes.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the example's source, the length, the rate it implies and the
    /// fix — before anything is learned from it (a length of 1e-7 s once taught a rate of 2.4e9 WPM
    /// and made every later generation fail).
    pub fn check_duration(&self) -> Result<()> {
        let Some(d) = self.duration_s else {
            return Ok(());
        };
        let (lo, hi) = EXAMPLE_DURATION_S;
        if !d.is_finite() || !(lo..=hi).contains(&d) {
            return Err(Error::InvalidInput(format!(
                "{}: duration_s = {d} is not a spoken length — give seconds from {lo} to {hi}",
                self.source
            )));
        }
        let words = crate::text::words(&self.text).len() as f64;
        let wpm = words / d * 60.0;
        let (slow, fast) = PLAUSIBLE_WPM;
        if words >= 10.0 && !(slow..=fast).contains(&wpm) {
            return Err(Error::InvalidInput(format!(
                "{}: {words:.0} words in {d} s is {wpm:.0} words per minute, outside the {slow:.0}–{fast:.0} people speak at — check duration_s (seconds, not minutes)",
                self.source
            )));
        }
        Ok(())
    }
}

/// One example found by a similarity lookup.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimilarHit {
    /// 1 for the closest.
    pub rank: usize,
    /// Index into the version's examples.
    pub index: usize,
    /// Cosine similarity, −1 to 1.
    pub similarity: f32,
}

/// Longest persona name, characters.
pub const MAX_NAME_LEN: usize = 64;

/// A persona name as stored and looked up: trimmed and in Unicode NFC, so "lucía" typed with a
/// combining accent is the same persona as "lucía" typed with a precomposed one.
pub fn normalize_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.trim().nfc().collect()
}

/// Checks a persona name: 1–64 letters (of any script: "lucía", "Zoë"), digits, `-`, `_` or `.`,
/// starting with a letter or digit — it appears in commands and URLs, so no spaces or slashes.
///
/// # Errors
/// [`Error::InvalidInput`] saying what a name may hold, with examples.
pub fn validate_name(name: &str) -> Result<()> {
    // Letters and digits of any script ("lucía", "Zoë", "小林"), as the message promises.
    let ok_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let starts_ok = name.chars().next().is_some_and(char::is_alphanumeric);
    let len = name.chars().count();
    if len == 0 || len > MAX_NAME_LEN || !starts_ok || !name.chars().all(ok_char) {
        return Err(Error::InvalidInput(format!(
            "invalid persona name '{name}': use 1–{MAX_NAME_LEN} letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. maya or lucia-es)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implausible_example_lengths_are_refused_with_the_rate_they_imply() {
        let ex = |text: &str, d: Option<f64>| ExampleScript {
            title: None,
            text: text.into(),
            source: "reel.md".into(),
            duration_s: d,
        };
        let seventy_five = vec!["word"; 75].join(" ");
        assert!(ex(&seventy_five, Some(30.0)).check_duration().is_ok());
        assert!(ex(&seventy_five, None).check_duration().is_ok());
        for d in [1e-7, 0.0, -3.0, f64::NAN, 5000.0, 2.0] {
            let err = ex(&seventy_five, Some(d))
                .check_duration()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.starts_with("reel.md: "), "{d}: {err}");
        }
        let msg = ex(&seventy_five, Some(2.0))
            .check_duration()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("2250 words per minute"), "{msg}");
    }

    #[test]
    fn names_are_validated() {
        for good in [
            "maya", "Lucia-es", "a", "x.y_z9", "lucía", "Zoë", "é", "小林",
        ] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-maya", "ma ya", "maya/1", "😀", &"a".repeat(65)] {
            let err = validate_name(bad)
                .map(|_| ())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains("invalid persona name"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn overlay_takes_what_newer_sets() {
        let old = CreatorProfile {
            niche: Some("sleep".into()),
            expertise: vec!["naps".into()],
            story: Some("old".into()),
            ..Default::default()
        };
        let new = CreatorProfile {
            story: Some("new".into()),
            ..Default::default()
        };
        let merged = old.overlay(new);
        assert_eq!(merged.story.as_deref(), Some("new"));
        assert_eq!(merged.niche.as_deref(), Some("sleep"));
        assert_eq!(merged.expertise, vec!["naps"]);
    }

    #[test]
    fn optimal_length_is_range_checked() {
        let p = CreatorProfile {
            optimal_length_s: Some(120),
            ..Default::default()
        };
        assert!(p.validate().is_err());
        assert!(CreatorProfile::default().validate().is_ok());
    }
}
