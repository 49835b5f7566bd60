//! Generations in progress, so a shutdown can wait for them and stop the rest cleanly. A generation
//! is stored as `running` when it starts; one still running when the grace period ends is stopped
//! and marked `interrupted` (its attempts and calls so far stay with it, and it can be retried),
//! and its client gets a 503 naming it. Once stopping, new generations are refused with a 503.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use reelsmith_app::ServiceError;
use reelsmith_core::generation::Generation;
use reelsmith_core::store::{GenerationStore, Workspace};

use crate::{ApiError, ApiResult};

/// The reason stored for a generation cut off by a shutdown.
pub const INTERRUPTED: &str = "interrupted: the server shut down before the generation finished — retry it (`reelsmith retry ID`, POST /api/v1/scripts/ID/retry or the Retry button)";

/// A running generation: its workspace, its id once stored, and its task.
struct Entry {
    ws: Workspace,
    id: Arc<OnceLock<i64>>,
    task: Option<tokio::task::AbortHandle>,
}

type Running = Arc<Mutex<HashMap<u64, Entry>>>;

/// Registry of running generations.
#[derive(Clone, Default)]
pub struct Inflight {
    running: Running,
    next: Arc<AtomicU64>,
    stopping: Arc<AtomicBool>,
}

/// Removes its generation from the registry when dropped (finished, failed or cancelled).
struct Ticket {
    key: u64,
    running: Running,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut m) = self.running.lock() {
            m.remove(&self.key);
        }
    }
}

/// A generation running in its own task.
pub struct Spawned {
    handle: tokio::task::JoinHandle<Result<Generation, ServiceError>>,
    id: Arc<OnceLock<i64>>,
}

impl Spawned {
    /// Waits for the stored generation.
    ///
    /// # Errors
    /// The generation's own error (422, 404, 502…), or 503 when a shutdown stopped it (the message
    /// names the interrupted generation).
    pub async fn outcome(self) -> ApiResult<Generation> {
        match self.handle.await {
            Ok(result) => Ok(result?),
            Err(e) if e.is_cancelled() => Err(match self.id.get() {
                Some(id) => ApiError::unavailable(format!(
                    "the server shut down before generation {id} finished: it is stored as interrupted — retry it (POST /api/v1/scripts/{id}/retry) once the server is back"
                )),
                None => ApiError::unavailable(
                    "the server shut down before the generation started — send it again once the server is back",
                ),
            }),
            Err(e) => Err(ApiError::from(reelsmith_core::Error::Storage(format!(
                "the generation task stopped: {e}"
            )))),
        }
    }
}

impl Inflight {
    /// Runs `work` in its own task, registered until it ends, so that a dropped connection neither
    /// cancels it nor half-writes it and a shutdown can wait for it. `work` gets the cell to put its
    /// generation id in once stored.
    ///
    /// # Errors
    /// 503 once the server is stopping.
    pub fn spawn<F>(
        &self,
        ws: Workspace,
        work: impl FnOnce(Arc<OnceLock<i64>>) -> F,
    ) -> ApiResult<Spawned>
    where
        F: std::future::Future<Output = Result<Generation, ServiceError>> + Send + 'static,
    {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(ApiError::unavailable(
                "the server is shutting down — send the request again once it is back",
            ));
        }
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        let id = Arc::new(OnceLock::new());
        if let Ok(mut m) = self.running.lock() {
            m.insert(
                key,
                Entry {
                    ws,
                    id: Arc::clone(&id),
                    task: None,
                },
            );
        }
        let ticket = Ticket {
            key,
            running: Arc::clone(&self.running),
        };
        let fut = work(Arc::clone(&id));
        let handle = tokio::spawn(async move {
            let out = fut.await;
            drop(ticket);
            out
        });
        if let Ok(mut m) = self.running.lock()
            && let Some(entry) = m.get_mut(&key)
        {
            entry.task = Some(handle.abort_handle());
        }
        Ok(Spawned { handle, id })
    }

    /// Generations running now.
    pub fn len(&self) -> usize {
        self.running.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether none is running.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Refuses new generations, waits up to `grace` for running ones, then stops each one still
    /// running (its store transaction is rolled back, never half-written) and marks it
    /// `interrupted` with [`INTERRUPTED`] as its reason. Returns how many were marked.
    pub async fn finish<S: GenerationStore>(&self, store: &S, grace: Duration) -> usize {
        self.stopping.store(true, Ordering::SeqCst);
        let deadline = tokio::time::Instant::now() + grace;
        while !self.is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let left: Vec<Entry> = self
            .running
            .lock()
            .map(|mut m| m.drain().map(|(_, e)| e).collect())
            .unwrap_or_default();
        let mut marked = 0;
        for entry in left {
            if let Some(task) = &entry.task {
                task.abort();
            }
            if let Some(id) = entry.id.get()
                && let Ok(true) = store.interrupt_generation(entry.ws, *id, INTERRUPTED).await
            {
                marked += 1;
            }
        }
        marked
    }
}
