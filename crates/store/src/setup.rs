//! Bringing a database to the current schema and the reference data the
//! system needs as data. It sits above every aggregate (it calls into the
//! reference data and the settings), so `db` itself imports none of them.

use crate::db::{Backend, Db};
use crate::error::StoreError;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Applies the embedded migrations of this backend, then loads the
    /// reference data the system needs as data (forms of exploitation, the
    /// default rulebook of deadlines when there is none). Idempotent.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.migrate_at(jiff::Timestamp::now().as_second()).await
    }

    /// [`Db::migrate`], with the reference data's rows stamped `now` (tests
    /// run on a fixed clock; the command line's hidden `--now`).
    pub async fn migrate_at(&self, now: i64) -> Result<(), StoreError> {
        match self.backend() {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(self.pool()).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(self.pool()).await?,
        }
        let reference = async {
            crate::reference::forms::ensure_reference(self).await?;
            crate::reference::forms::ensure_need_kinds(self).await?;
            crate::settings::ensure_default_rulebook(self, now).await?;
            crate::payments::ensure_default_rates(self, now).await
        };
        reference.await.map_err(|e| StoreError::Reference(e.to_string()))
    }
}
