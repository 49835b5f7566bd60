//! The storage trait the domain needs; backends (SQLite, PostgreSQL) live in `reelsmith-store`.

use async_trait::async_trait;

use crate::error::Result;
use crate::persona::{DeletedPersona, NewPersonaVersion, PersonaSummary, PersonaVersion};

/// Persistence of personas and their versions.
///
/// Every method is atomic: a failed call stores nothing. Unknown names give
/// [`crate::Error::NotFound`]; backend failures give [`crate::Error::Storage`].
#[async_trait]
pub trait PersonaStore: Send + Sync {
    /// Stores a new version of the persona `new.name` (creating the persona on first use) with its
    /// examples, in one transaction. Returns the stored version.
    async fn save_persona_version(&self, new: &NewPersonaVersion) -> Result<PersonaVersion>;

    /// The persona's latest version, or version `version` (from 1), with its examples.
    async fn persona(&self, name: &str, version: Option<u32>) -> Result<PersonaVersion>;

    /// All personas, by name.
    async fn personas(&self) -> Result<Vec<PersonaSummary>>;

    /// Deletes the persona with every version and example.
    async fn delete_persona(&self, name: &str) -> Result<DeletedPersona>;
}
