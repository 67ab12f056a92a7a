//! CPU-heavy work on uploaded files (reading a plan table, checking a
//! template), run off the async workers and a few at a time.
//!
//! Security role: parsing an upload can take seconds of CPU; on the async
//! workers it would stall every other request (`/healthz` included). Here it
//! runs on a blocking thread, at most [`MAX_CONCURRENT`] at once; a request
//! that waits longer than [`WAIT`] for its turn is refused as busy.

use domain::{DomainError, DomainResult};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Uploads parsed at once.
pub const MAX_CONCURRENT: usize = 2;
/// How long an upload waits for its turn before it is refused as busy.
pub const WAIT: Duration = Duration::from_secs(20);

static PERMITS: Semaphore = Semaphore::const_new(MAX_CONCURRENT);

/// Runs `work` on a blocking thread once a permit is free.
pub async fn run<T, F>(work: F) -> DomainResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let permit = match tokio::time::timeout(WAIT, PERMITS.acquire()).await {
        Ok(Ok(p)) => p,
        Ok(Err(_)) => return Err(DomainError::Internal("parsing permits closed".into())),
        Err(_) => return Err(DomainError::RateLimited { retry_after_secs: 10 }),
    };
    // The permit moves into the task: a cancelled request does not free it early.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|_| DomainError::Internal("parsing task".into()))
}
