//! Experiments as stored: the idea, what its variants vary, each variant (usually a generation)
//! and the posts that put it in front of an audience.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an experiment's variants differ in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vary {
    /// The hook.
    Hook,
    /// The call to action.
    Cta,
    /// The length.
    Length,
}

impl Vary {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Vary::Hook => "hook",
            Vary::Cta => "cta",
            Vary::Length => "length",
        }
    }

    /// Parses `hook`, `cta` or `length`.
    ///
    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(s: &str) -> Result<Vary, String> {
        match s.trim().to_lowercase().as_str() {
            "hook" => Ok(Vary::Hook),
            "cta" => Ok(Vary::Cta),
            "length" => Ok(Vary::Length),
            other => Err(format!(
                "“{other}” is not something to vary: use hook, cta or length"
            )),
        }
    }
}

/// An experiment about to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewExperiment {
    /// The persona.
    pub persona: String,
    /// The idea the variants share.
    pub topic: String,
    /// What they vary.
    pub vary: Vary,
    /// Each variant's label ("A", "B", …) and the generation it is, when it is one.
    pub variants: Vec<(String, Option<i64>)>,
}

/// One variant as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredVariant {
    /// Its label.
    pub label: String,
    /// The generation it is, when it is one.
    pub generation_id: Option<i64>,
    /// The posts of it (ids of [`crate::performance::StoredPost`]).
    pub post_ids: Vec<i64>,
}

/// An experiment as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredExperiment {
    /// Its id.
    pub id: i64,
    /// The persona.
    pub persona: String,
    /// The idea.
    pub topic: String,
    /// What the variants vary.
    pub vary: Vary,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Its variants, in label order.
    pub variants: Vec<StoredVariant>,
}
