//! The database handle: SQLite by default, PostgreSQL for a `postgres://` URL.

use crate::error::StoreError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Executor};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A transaction. On SQLite a writing one also holds the writers' turn (see
/// [`Db::begin`]) until it commits, rolls back or is dropped. It derefs to
/// the connection, so `&mut *tx` is an executor as with sqlx's own.
#[derive(Debug)]
pub struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    // Dropped after `inner`: fields drop in declaration order, and `commit`
    // and `rollback` let it go only once the database has answered.
    _turn: Option<OwnedSemaphorePermit>,
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite only: one writing transaction at a time, the others waiting
    /// in line (first come, first served) in the process rather than in
    /// SQLite's busy handler, which polls with growing sleeps (up to 100 ms
    /// each) and so let a short audit row wait 50–150 ms behind another.
    writers: Option<Arc<Semaphore>>,
}

/// How long a writer waits for its turn before giving up, as long as the
/// pool's acquire timeout and well under SQLite's busy timeout's reach.
const WRITER_TURN_TIMEOUT: Duration = Duration::from_secs(10);

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). A SQLite file is
    /// created if missing and opened in WAL mode with a busy timeout and
    /// foreign keys on.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            StoreError::Sqlx(sqlx::Error::Configuration(
                "the database URL must start with sqlite:// or postgres://".into(),
            ))
        })?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time anyway; a few readers in WAL mode.
                Backend::Sqlite => max_connections.clamp(1, 8),
                Backend::Postgres => max_connections.max(1),
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let writers = (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
        Ok(Self {
            pool,
            backend,
            writers,
        })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The raw pool, for the command line and the test kit only: queries run
    /// on it bypass every permission check and audit row.
    #[cfg(feature = "system")]
    pub fn raw_pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction of one's own, for the command line and the test kit
    /// only: what runs in it bypasses every permission check and audit row.
    #[cfg(feature = "system")]
    pub async fn begin_system(&self) -> Result<Tx, sqlx::Error> {
        self.begin().await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), waiting up to the busy timeout for another writer:
    /// a deferred transaction that has read cannot wait to write, and SQLite
    /// would answer "database is locked" at once whenever another writer (a
    /// second user, the audit sealer) holds the lock at that moment.
    ///
    /// Before that it waits for the writers' turn in this process (see
    /// `writers`), so SQLite's busy handler is left only for writers outside
    /// it (another process, the few single statements on the pool).
    pub(crate) async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.begin_whole(Some("BEGIN IMMEDIATE"), true).await,
            Backend::Postgres => self.begin_whole(None, false).await,
        }
    }

    /// Begins a transaction that only reads: a consistent view of several
    /// queries that takes no write lock (SQLite: a deferred `BEGIN`, which in
    /// WAL mode neither waits for nor blocks a writer; PostgreSQL: a
    /// repeatable-read, read-only snapshot).
    pub(crate) async fn begin_read(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.begin_whole(Some("BEGIN DEFERRED"), false).await,
            Backend::Postgres => {
                self.begin_whole(Some("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), false)
                    .await
            }
        }
    }

    /// Begins in a task of its own, so that the beginning cannot be cut off
    /// half-way. A request whose client goes away is dropped wherever it
    /// awaits; dropped while sqlx waits for the answer to its `BEGIN`, the
    /// transaction has begun on the connection but no `Transaction` exists
    /// to roll it back, and the connection goes back to the pool inside it:
    /// every later `BEGIN` there fails ("non-zero transaction depth") and, on
    /// SQLite, its `BEGIN IMMEDIATE` keeps the write lock from everyone
    /// (found by the case-page benchmark; `abandoned.rs` in the integration
    /// tests). In its own task the `BEGIN` always finishes; if nobody awaits
    /// the transaction any more, it is dropped there and rolled back, and
    /// the writers' turn it took goes to the next in line.
    async fn begin_whole(&self, statement: Option<&'static str>, writes: bool) -> Result<Tx, sqlx::Error> {
        let pool = self.pool.clone();
        let writers = self.writers.clone().filter(|_| writes);
        tokio::spawn(async move {
            let turn = match writers {
                Some(writers) => Some(
                    tokio::time::timeout(WRITER_TURN_TIMEOUT, writers.acquire_owned())
                        .await
                        .map_err(|_| sqlx::Error::PoolTimedOut)?
                        .map_err(|_| sqlx::Error::PoolClosed)?,
                ),
                None => None,
            };
            let inner = match statement {
                Some(statement) => pool.begin_with(statement).await?,
                None => pool.begin().await?,
            };
            Ok(Tx { inner, _turn: turn })
        })
        .await
        .map_err(|_| sqlx::Error::WorkerCrashed)?
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
