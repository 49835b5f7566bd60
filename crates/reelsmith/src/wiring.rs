//! The configured backends, chosen once: the store (PostgreSQL when `database_url` is set, else the
//! SQLite file in the data folder), the LLM router and the sentence-embedding model.

use std::sync::Arc;

use anyhow::Result;
use reelsmith_store::Store;

use crate::config::Loaded;

/// Loads the configured sentence-embedding model.
///
/// # Errors
/// [`reelsmith_core::Error::Model`] when it cannot be found or loaded.
pub fn embedder(loaded: &Loaded) -> Result<reelsmith_llm::BertEmbedder, reelsmith_core::Error> {
    reelsmith_llm::BertEmbedder::minilm(
        loaded.config.embedding.model_dir.as_deref(),
        &loaded.data_dir,
    )
}

/// Opens the configured store: PostgreSQL when `database_url` is set, else the SQLite file in the
/// data folder.
///
/// # Errors
/// The store's error when it cannot be opened or migrated.
pub async fn open_store(loaded: &Loaded) -> Result<Store> {
    let store = match &loaded.config.database_url {
        Some(url) => Store::connect(&url.0).await?,
        None => Store::open_sqlite(&loaded.sqlite_path()).await?,
    };
    // Generations left running by a process that died are marked interrupted, so they show as
    // such and can be retried (a failed sweep only warns: the command itself may still work).
    match reelsmith_app::recovery::sweep(&store).await {
        Ok(marked) if !marked.is_empty() => {
            let ids: Vec<String> = marked.iter().map(|(_, id)| id.to_string()).collect();
            eprintln!(
                "warning: generation {} stopped when the process running it did; it is stored as interrupted — `reelsmith retry ID` runs it again",
                ids.join(", ")
            );
        }
        Ok(_) => {}
        Err(e) => eprintln!("warning: cannot check for interrupted generations: {e}"),
    }
    Ok(store)
}

/// The configured LLM router, writing its call ledger to `store`.
pub fn router(loaded: &Loaded, store: &Store) -> reelsmith_llm::LlmRouter {
    reelsmith_llm::LlmRouter::new(
        &loaded.config.llm,
        loaded.data_dir.clone(),
        Arc::new(store.clone()),
    )
}

/// Loads the configured local GGUF model as the coherence check's language model
/// ([`reelsmith_core::score::likelihood`]).
///
/// # Errors
/// The model's error, naming where it looked and how to install it.
pub fn likelihood_model(
    loaded: &Loaded,
) -> Result<reelsmith_llm::likelihood::LocalLikelihood, reelsmith_core::llm::LlmError> {
    let cfg = &loaded.config.llm.local;
    let path = reelsmith_llm::local::locate_gguf(cfg.model_path.as_deref(), &loaded.data_dir)?;
    let llm =
        reelsmith_llm::local::LocalLlm::load(&path, cfg.style, cfg.context_tokens, cfg.threads)?;
    Ok(reelsmith_llm::likelihood::LocalLikelihood::new(llm))
}
