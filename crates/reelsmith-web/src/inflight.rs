//! Generations in progress, so a shutdown can wait for them and record any that cannot finish as
//! interrupted (a failed generation with that reason) instead of losing them or storing half.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reelsmith_core::generation::{NewGeneration, ScriptRequest};
use reelsmith_core::store::{GenerationStore, PersonaStore, Workspace};

/// The reason stored for a generation cut off by a shutdown.
pub const INTERRUPTED: &str = "interrupted: the server shut down before the generation finished";

/// A running generation: its workspace, its request and, once spawned, its task.
type Entry = (Workspace, ScriptRequest, Option<tokio::task::AbortHandle>);
type Running = Arc<Mutex<HashMap<u64, Entry>>>;

/// Registry of running generations.
#[derive(Clone, Default)]
pub struct Inflight {
    running: Running,
    next: Arc<std::sync::atomic::AtomicU64>,
}

/// Removes its generation from the registry when dropped (finished, failed or cancelled).
pub struct Ticket {
    id: u64,
    running: Running,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut m) = self.running.lock() {
            m.remove(&self.id);
        }
    }
}

impl Inflight {
    /// Runs `work` for `request` in its own task, registered until it ends, so that a dropped
    /// connection neither cancels it nor half-writes it and a shutdown can wait for it.
    pub fn spawn<T: Send + 'static>(
        &self,
        ws: Workspace,
        request: &ScriptRequest,
        work: impl std::future::Future<Output = T> + Send + 'static,
    ) -> tokio::task::JoinHandle<T> {
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut m) = self.running.lock() {
            m.insert(id, (ws, request.clone(), None));
        }
        let ticket = Ticket {
            id,
            running: Arc::clone(&self.running),
        };
        let handle = tokio::spawn(async move {
            let out = work.await;
            drop(ticket);
            out
        });
        if let Ok(mut m) = self.running.lock()
            && let Some(entry) = m.get_mut(&id)
        {
            entry.2 = Some(handle.abort_handle());
        }
        handle
    }

    /// Generations running now.
    pub fn len(&self) -> usize {
        self.running.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether none is running.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits up to `grace` for running generations, then stops each one still running (its store
    /// transaction is rolled back, never half-written) and stores it as a failed generation with
    /// [`INTERRUPTED`] as its reason. Returns how many were recorded.
    pub async fn finish<S: GenerationStore + PersonaStore>(
        &self,
        store: &S,
        grace: Duration,
    ) -> usize {
        let deadline = tokio::time::Instant::now() + grace;
        while !self.is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let left: Vec<Entry> = self
            .running
            .lock()
            .map(|mut m| m.drain().map(|(_, r)| r).collect())
            .unwrap_or_default();
        let mut recorded = 0;
        for (ws, request, handle) in left {
            if let Some(h) = handle {
                h.abort();
            }
            let version = match store.persona(ws, &request.persona, None).await {
                Ok(p) => p.version,
                Err(_) => continue,
            };
            let failed = NewGeneration {
                persona: request.persona.clone(),
                persona_version: version,
                parent_id: None,
                request,
                attempts: Vec::new(),
                winner: None,
                script: None,
                card: None,
                error: Some(INTERRUPTED.to_string()),
                call_ids: Vec::new(),
            };
            if store.save_generation(ws, &failed).await.is_ok() {
                recorded += 1;
            }
        }
        recorded
    }
}
