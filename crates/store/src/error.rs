//! Turning storage failures into domain errors.

use domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("reference data: {0}")]
    Reference(String),
}

/// True when the error is a unique-constraint violation on either backend.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation() || {
                // The Any driver does not always forward the kind; fall back to the message.
                let m = d.message().to_ascii_lowercase();
                m.contains("unique constraint") || m.contains("duplicate key")
            }
        }
        _ => false,
    }
}

/// A unique-constraint violation as `Conflict(what)`, anything else as `Internal`.
pub fn conflict_on_unique(what: &'static str) -> impl FnOnce(sqlx::Error) -> DomainError {
    move |e| {
        if is_unique_violation(&e) {
            DomainError::Conflict(what)
        } else {
            internal(e)
        }
    }
}

/// Maps a storage error to `DomainError::Internal`, logging it without data.
pub fn internal(e: sqlx::Error) -> DomainError {
    tracing::error!(error = %e, "storage error");
    DomainError::Internal("storage".into())
}

pub trait OrInternal<T> {
    fn or_internal(self) -> Result<T, DomainError>;
}

impl<T> OrInternal<T> for Result<T, sqlx::Error> {
    fn or_internal(self) -> Result<T, DomainError> {
        self.map_err(internal)
    }
}
