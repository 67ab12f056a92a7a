//! Password hashing with Argon2id, always off the async runtime.
//!
//! Security role: unknown logins are checked against a dummy hash so that the
//! time taken does not reveal whether an account exists. Each hash holds about
//! 19 MiB while it runs, so hashes run on [`MAX_CONCURRENT`] threads of their
//! own (whose allocator keeps and reuses that memory, rather than one heap per
//! blocking thread of the runtime): a flood of sign-ins waits for its turn (at
//! most [`WAIT`]) and is then refused as busy, instead of taking the server's memory.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString, rand_core::OsRng};
use domain::{DomainError, DomainResult};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Hashes running at once (the hashing threads), whatever the number of sign-ins in flight.
pub const MAX_CONCURRENT: usize = 2;
/// How long a sign-in waits for a hashing permit before it is refused as busy.
pub const WAIT: Duration = Duration::from_secs(10);

static PERMITS: Semaphore = Semaphore::const_new(MAX_CONCURRENT);

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the hashing threads, started on first use.
fn hashers() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<Job>> {
    static QUEUE: OnceLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..MAX_CONCURRENT {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a hashing thread");
            }
        }
        std::sync::Mutex::new(tx)
    })
}

/// Runs `work` on a hashing thread once a permit is free; `RateLimited` after [`WAIT`].
async fn on_hasher<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> DomainResult<T> {
    // The permit moves into the job: a cancelled request does not free it early.
    let permit = permit().await?;
    let (done, answer) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _permit = permit;
        let _ = done.send(work());
    });
    hashers()
        .lock()
        .map_err(|_| DomainError::Internal("hashing queue".into()))?
        .send(job)
        .map_err(|_| DomainError::Internal("hashing threads stopped".into()))?;
    answer
        .await
        .map_err(|_| DomainError::Internal("hashing task".into()))
}

/// A permit to hash, or `RateLimited` when the server has been busy for [`WAIT`].
async fn permit() -> DomainResult<tokio::sync::SemaphorePermit<'static>> {
    match tokio::time::timeout(WAIT, PERMITS.acquire()).await {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(_)) => Err(DomainError::Internal("hashing permits closed".into())),
        Err(_) => Err(DomainError::RateLimited { retry_after_secs: 5 }),
    }
}

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

thread_local! {
    /// The hashing thread's Argon2 memory, kept and reused: allocating 19 MiB
    /// afresh for every check leaves the allocator holding hundreds of MiB after
    /// a burst of sign-ins.
    static MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Checks `password` against a PHC string, in this thread's reused memory.
fn verify_blocking(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Some(Ok(version)), Ok(params), Some(expected), Some(salt)) = (
        argon2::Algorithm::try_from(parsed.algorithm),
        parsed.version.map(argon2::Version::try_from),
        argon2::Params::try_from(&parsed),
        parsed.hash,
        parsed.salt,
    ) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let computed = MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        m.resize(blocks, argon2::Block::default());
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut m[..])
            .is_ok()
    });
    computed && bool::from(subtle::ConstantTimeEq::ct_eq(out.as_slice(), expected.as_bytes()))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("a password nobody has, used to even out timing").unwrap_or_default())
}

/// Hashes a password on a blocking thread.
pub async fn hash(password: String) -> DomainResult<String> {
    // The permit moves into the blocking task: a cancelled request does not free it early.
    let permit = permit().await?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        hash_blocking(&password)
    })
    .await
    .map_err(|_| DomainError::Internal("hashing task".into()))?
    .map_err(|_| DomainError::Internal("hashing".into()))
}

/// Verifies a password against a stored hash, or against the dummy hash when
/// there is none. `RateLimited` when no hashing permit came within [`WAIT`].
pub async fn verify(password: String, stored: Option<String>) -> DomainResult<bool> {
    on_hasher(move || match stored {
        Some(h) => verify_blocking(&password, &h),
        None => {
            let _ = verify_blocking(&password, dummy_hash());
            false
        }
    })
    .await
}

/// Hashes synchronously; for bulk fixtures (bench data) computed once and reused.
pub fn hash_now(password: &str) -> DomainResult<String> {
    hash_blocking(password).map_err(|_| DomainError::Internal("hashing".into()))
}
