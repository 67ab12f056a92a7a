//! Shared application state and the injectable clock.

use crate::config::Config;
use crate::i18n::I18n;
use crate::metrics::Metrics;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The clock: system time plus an offset tests can move forward.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> jiff::Timestamp {
        let now = jiff::Timestamp::now();
        let off = self.offset_secs.load(Ordering::Relaxed);
        now.checked_add(jiff::SignedDuration::from_secs(off))
            .unwrap_or(now)
    }

    pub fn now_secs(&self) -> i64 {
        self.now().as_second()
    }

    /// A clock that reads `start` now and runs on from there at the system
    /// clock's pace (tests fix the date this way; durations stay real).
    pub fn starting_at(start: jiff::Timestamp) -> Self {
        let offset = start.as_second() - jiff::Timestamp::now().as_second();
        Self {
            offset_secs: AtomicI64::new(offset),
        }
    }

    /// Moves this clock forward (tests: session expiry, lock-out windows).
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }
}

/// The territory tree, read at most once a minute: it changes only when the
/// command line loads territories, and every directory page shows it.
#[derive(Default)]
pub struct TerritoryCache {
    loaded: std::sync::Mutex<Option<(i64, Arc<Vec<store::reference::Territory>>)>>,
}

const TERRITORY_CACHE_SECS: i64 = 60;

#[derive(Clone)]
pub struct AppState {
    pub db: store::Db,
    pub config: Arc<Config>,
    pub i18n: Arc<I18n>,
    pub metrics: Arc<Metrics>,
    pub clock: Arc<Clock>,
    pub territories: Arc<TerritoryCache>,
    /// The public pages' requests per address (in memory only).
    pub public_limiter: Arc<crate::handlers::public::PublicLimiter>,
}

impl AppState {
    pub fn new(db: store::Db, config: Config) -> anyhow::Result<Self> {
        Self::with_clock(db, config, Clock::default())
    }

    /// The state with a given clock (tests fix the date).
    pub fn with_clock(db: store::Db, config: Config, clock: Clock) -> anyhow::Result<Self> {
        let per_minute = u32::try_from(config.security.public_requests_per_minute).unwrap_or(u32::MAX);
        Ok(Self {
            db,
            public_limiter: Arc::new(crate::handlers::public::PublicLimiter::per_minute(per_minute)),
            config: Arc::new(config),
            i18n: Arc::new(I18n::load()?),
            metrics: Arc::new(Metrics::new()),
            clock: Arc::new(clock),
            territories: Arc::new(TerritoryCache::default()),
        })
    }

    /// Every territory in tree order, from the cache when it is fresh.
    pub async fn territories(&self) -> domain::DomainResult<Arc<Vec<store::reference::Territory>>> {
        let now = self.clock.now_secs();
        let cached = match self.territories.loaded.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        if let Some((at, list)) = cached
            && now - at < TERRITORY_CACHE_SECS
        {
            return Ok(list);
        }
        let list = Arc::new(store::lookups::territories(&self.db).await?);
        match self.territories.loaded.lock() {
            Ok(mut guard) => *guard = Some((now, list.clone())),
            Err(poisoned) => *poisoned.into_inner() = Some((now, list.clone())),
        }
        Ok(list)
    }
}
