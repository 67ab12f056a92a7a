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

    /// Moves this clock forward (tests: session expiry, lock-out windows).
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: store::Db,
    pub config: Arc<Config>,
    pub i18n: Arc<I18n>,
    pub metrics: Arc<Metrics>,
    pub clock: Arc<Clock>,
}

impl AppState {
    pub fn new(db: store::Db, config: Config) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            config: Arc::new(config),
            i18n: Arc::new(I18n::load()?),
            metrics: Arc::new(Metrics::new()),
            clock: Arc::new(Clock::default()),
        })
    }
}
