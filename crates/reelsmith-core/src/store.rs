//! The storage trait the domain needs; backends (SQLite, PostgreSQL) live in `reelsmith-store`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::persona::{DeletedPersona, NewPersonaVersion, PersonaSummary, PersonaVersion};

/// The owner of everything stored — personas, generations, trends, ledger rows and whatever comes
/// next. Every store method takes one and sees only that workspace's rows; a lookup of another
/// workspace's row is [`crate::Error::NotFound`]. The CLI and a server without accounts use
/// [`Workspace::LOCAL`], which the first migration's data and every existing database belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Workspace(pub i64);

impl Workspace {
    /// The local default workspace (row 1 of `workspaces`, named `local`).
    pub const LOCAL: Workspace = Workspace(1);

    /// Its row id.
    pub fn id(self) -> i64 {
        self.0
    }
}

impl Default for Workspace {
    fn default() -> Self {
        Self::LOCAL
    }
}

/// Persistence of workspaces.
#[async_trait]
pub trait WorkspaceStore: Send + Sync {
    /// The workspace named `name` (1–64 characters), created on first use.
    async fn workspace(&self, name: &str) -> Result<Workspace>;
}

/// Persistence of personas and their versions.
///
/// Every method is atomic: a failed call stores nothing. Unknown names give
/// [`crate::Error::NotFound`]; backend failures give [`crate::Error::Storage`].
#[async_trait]
pub trait PersonaStore: Send + Sync {
    /// Stores a new version of the persona `new.name` (creating the persona on first use) with its
    /// examples, in one transaction. Returns the stored version.
    async fn save_persona_version(
        &self,
        ws: Workspace,
        new: &NewPersonaVersion,
    ) -> Result<PersonaVersion>;

    /// The persona's latest version, or version `version` (from 1), with its examples.
    async fn persona(
        &self,
        ws: Workspace,
        name: &str,
        version: Option<u32>,
    ) -> Result<PersonaVersion>;

    /// All personas, by name.
    async fn personas(&self, ws: Workspace) -> Result<Vec<PersonaSummary>>;

    /// Deletes the persona with every version and example.
    async fn delete_persona(&self, ws: Workspace, name: &str) -> Result<DeletedPersona>;
}

/// A trend the user follows: a phrase the trend-alignment dimension looks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The phrase as entered.
    pub phrase: String,
    /// Why it is trending, or where it was seen.
    pub note: Option<String>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// Imported post performance (see [`crate::performance`]).
#[async_trait]
pub trait PerformanceStore: Send + Sync {
    /// Stores `posts` for `persona` in one transaction — all of them or none — and counts what
    /// changed. A post is found again by its platform and [`crate::performance::post_key`]; its
    /// metrics get a new snapshot only when they differ from its latest one, so importing the same
    /// data again changes nothing. With `dry_run` nothing is written and the counts say what would
    /// be. Posts without a key are the caller's to skip.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona; storage failures (nothing is stored).
    async fn import_posts(
        &self,
        ws: Workspace,
        persona: &str,
        posts: &[(
            crate::platform::Platform,
            String,
            crate::performance::ImportedPost,
        )],
        dry_run: bool,
    ) -> Result<crate::performance::ImportCounts>;
    /// The persona's posts with their latest metrics, newest first.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona; storage failures.
    async fn posts(
        &self,
        ws: Workspace,
        persona: &str,
    ) -> Result<Vec<crate::performance::StoredPost>>;
    /// Sets (or with `None` clears) what post `post_id` of `persona` was made from, and returns
    /// the post.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona, post or generation; storage failures.
    async fn link_post(
        &self,
        ws: Workspace,
        persona: &str,
        post_id: i64,
        link: Option<&crate::performance::PostLink>,
    ) -> Result<crate::performance::StoredPost>;
    /// The persona's posts' cached scores.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona; storage failures.
    async fn post_scores(
        &self,
        ws: Workspace,
        persona: &str,
    ) -> Result<Vec<crate::performance::CachedScore>>;
    /// Keeps `scores` (replacing each post's earlier one); posts not of `persona` are ignored.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona; storage failures.
    async fn save_post_scores(
        &self,
        ws: Workspace,
        persona: &str,
        scores: &[crate::performance::CachedScore],
    ) -> Result<()>;
    /// Keeps a calibration report of `persona` (the latest is in force).
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona; storage failures.
    async fn save_calibration(
        &self,
        ws: Workspace,
        persona: &str,
        calibration: &crate::calibration::Calibration,
    ) -> Result<()>;
    /// The calibration in force for `persona` and when it was made; `None` before the first.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona; storage failures.
    async fn calibration(
        &self,
        ws: Workspace,
        persona: &str,
    ) -> Result<Option<(DateTime<Utc>, crate::calibration::Calibration)>>;
}

/// A/B experiments (see [`crate::experiment`]).
#[async_trait]
pub trait ExperimentStore: Send + Sync {
    /// Stores a new experiment with its variants.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown persona or generation;
    /// [`crate::Error::InvalidInput`] for fewer than two variants or a label used twice; storage
    /// failures (nothing stored).
    async fn create_experiment(
        &self,
        ws: Workspace,
        new: &crate::experiment::NewExperiment,
    ) -> Result<crate::experiment::StoredExperiment>;
    /// One experiment.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown id; storage failures.
    async fn experiment(
        &self,
        ws: Workspace,
        id: i64,
    ) -> Result<crate::experiment::StoredExperiment>;
    /// Every experiment of the workspace, newest first.
    ///
    /// # Errors
    /// Storage failures.
    async fn experiments(&self, ws: Workspace) -> Result<Vec<crate::experiment::StoredExperiment>>;
    /// Says post `post_id` (one of the experiment's persona's posts) shows variant `label`; a post
    /// shows one variant at most, so this moves it from any other.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown experiment, label or post; storage failures.
    async fn assign_post(
        &self,
        ws: Workspace,
        experiment_id: i64,
        label: &str,
        post_id: i64,
    ) -> Result<crate::experiment::StoredExperiment>;
}

/// Persistence of the trend list.
#[async_trait]
pub trait TrendStore: Send + Sync {
    /// Adds a phrase (1–100 characters; adding it again only updates the note).
    async fn add_trend(&self, ws: Workspace, phrase: &str, note: Option<&str>) -> Result<Trend>;
    /// All trends, by phrase.
    async fn trends(&self, ws: Workspace) -> Result<Vec<Trend>>;
    /// Removes a phrase; [`crate::Error::NotFound`] when it is not listed.
    async fn remove_trend(&self, ws: Workspace, phrase: &str) -> Result<()>;
}

/// The LLM call ledger: every model call with its tokens, cost, latency and outcome.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Stores one call (in `call.workspace`); returns its id.
    async fn record_llm_call(&self, call: &crate::llm::LlmCallRecord) -> Result<i64>;

    /// Total cost in USD of the workspace's calls made at or after `since`.
    async fn llm_spend_since(&self, ws: Workspace, since: DateTime<Utc>) -> Result<f64>;

    /// Totals per UTC day, step, provider and model for calls at or after `since` (all calls when
    /// `None`), newest day first.
    async fn llm_usage(
        &self,
        ws: Workspace,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<crate::llm::UsageRow>>;
}

/// Links ledgered calls to the persona version they served (persona analysis runs before the version
/// exists).
#[async_trait]
pub trait LedgerLinks: Send + Sync {
    /// Sets `persona_version_id` of the calls `call_ids` to version `version` of persona `name`.
    async fn link_llm_calls(
        &self,
        ws: Workspace,
        call_ids: &[i64],
        name: &str,
        version: u32,
    ) -> Result<()>;
}

/// Persistence of generations, their attempts, versions and approvals.
///
/// Unknown ids give [`crate::Error::NotFound`]; soft-deleted generations are hidden unless asked for.
#[async_trait]
pub trait GenerationStore: Send + Sync {
    /// Stores a generation with its attempts in one transaction and links its LLM calls.
    async fn save_generation(
        &self,
        ws: Workspace,
        new: &crate::generation::NewGeneration,
    ) -> Result<crate::generation::Generation>;

    /// Stores the start of a generation, before any model call: status `running`, no attempts, run
    /// by `runner` (see [`crate::generation::RunningGeneration`]). Returns its id. `new`'s
    /// attempts and outcome are ignored; [`GenerationStore::finish_generation`] sets them.
    async fn start_generation(
        &self,
        ws: Workspace,
        new: &crate::generation::NewGeneration,
        runner: &str,
    ) -> Result<i64>;

    /// Stores attempts of a running generation as they are written, numbered from `first_index`,
    /// and touches its heartbeat.
    async fn record_attempts(
        &self,
        ws: Workspace,
        id: i64,
        first_index: usize,
        attempts: &[crate::generation::NewAttempt],
    ) -> Result<()>;

    /// Touches a running generation's heartbeat (`heartbeat_at`).
    async fn touch_generation(&self, ws: Workspace, id: i64) -> Result<()>;

    /// Finishes a started generation in one transaction: completed with `outcome.script`, or
    /// failed with `outcome.error`; `outcome.winner` is an attempt index; `outcome.call_ids` are
    /// linked. Its attempts must already be recorded.
    async fn finish_generation(
        &self,
        ws: Workspace,
        id: i64,
        outcome: &crate::generation::NewGeneration,
    ) -> Result<crate::generation::Generation>;

    /// Marks a `running` generation `interrupted` with `reason`; false when it was not running
    /// (finished meanwhile).
    async fn interrupt_generation(&self, ws: Workspace, id: i64, reason: &str) -> Result<bool>;

    /// Every generation still `running`, in every workspace (for the start-up sweep).
    async fn running_generations(&self) -> Result<Vec<crate::generation::RunningGeneration>>;

    /// Sets a failed or interrupted generation `running` again for a retry, run by `runner`;
    /// returns it with the attempts it already has. [`crate::Error::InvalidInput`] for any other
    /// status.
    async fn reopen_generation(
        &self,
        ws: Workspace,
        id: i64,
        runner: &str,
    ) -> Result<crate::generation::Generation>;

    /// One generation with its attempts (soft-deleted ones too).
    async fn generation(&self, ws: Workspace, id: i64) -> Result<crate::generation::Generation>;

    /// History, newest first, and the total count matching the filter.
    async fn generations(
        &self,
        ws: Workspace,
        filter: &crate::generation::HistoryFilter,
    ) -> Result<(Vec<crate::generation::GenerationSummary>, u64)>;

    /// Sets the review state.
    async fn set_approval(
        &self,
        ws: Workspace,
        id: i64,
        approval: crate::generation::Approval,
        by: Option<&str>,
        notes: Option<&str>,
    ) -> Result<crate::generation::Generation>;

    /// Deletes a generation: soft (hidden from history, kept) or hard (gone with its attempts).
    async fn delete_generation(&self, ws: Workspace, id: i64, hard: bool) -> Result<()>;
}
