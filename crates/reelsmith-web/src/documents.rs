//! Uploaded documents are read off the async workers, a bounded number at a time, by the isolated
//! [`Reader`]: a hostile PDF or DOCX costs one blocking thread for at most the reader's time limit and
//! never stalls `/health` or other requests.

use std::sync::Arc;

pub use reelsmith_ingest::Reader;
use tokio::sync::Semaphore;

use crate::ApiError;

/// The server's document reader and its concurrency bound.
#[derive(Debug, Clone)]
pub struct Documents {
    reader: Arc<Reader>,
    slots: Arc<Semaphore>,
}

impl Documents {
    /// Reads with `reader`, at most `parallel` uploads at once (each reader child may use up to its
    /// memory limit, so this bounds the server's total).
    pub fn new(reader: Reader, parallel: usize) -> Self {
        Documents {
            reader: Arc::new(reader),
            slots: Arc::new(Semaphore::new(parallel.max(1))),
        }
    }

    /// Isolated reading with one slot per core: the server's default.
    ///
    /// # Errors
    /// The running executable's path cannot be found.
    pub fn isolated() -> std::io::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(Self::new(Reader::isolated_in_this_binary()?, cores))
    }

    /// Runs `f` with the reader on a blocking thread once a slot is free.
    ///
    /// # Errors
    /// 503 when the blocking thread could not run `f` (the server is stopping).
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let stopping = || ApiError::unavailable("the server is stopping — send the files again");
        let _slot = self.slots.acquire().await.map_err(|_| stopping())?;
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || f(&reader))
            .await
            .map_err(|_| stopping())
    }
}
