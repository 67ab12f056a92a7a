//! The errors every service returns, in the three tiers of the house style:
//! a domain error here, `anyhow` only at start-up, one `AppError` at the web edge.

use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The thing does not exist *or the actor may not know that it exists*.
    /// Permission denials on records are reported as `NotFound` so that
    /// nobody can probe for what they are not allowed to see.
    #[error("not found")]
    NotFound,
    /// The actor may not perform this kind of action at all (a page or a
    /// command outside their roles). Reported as 403.
    #[error("forbidden")]
    Forbidden,
    /// What the person typed is not acceptable; messages are i18n keys per field.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// Someone else changed or took the thing first (a unique value, a stale edit).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Too many attempts; the caller should wait this many seconds.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// Storage or another internal failure; never shown to the user in detail.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type DomainResult<T> = Result<T, DomainError>;

impl From<FieldErrors> for DomainError {
    fn from(e: FieldErrors) -> Self {
        DomainError::Validation(e)
    }
}
