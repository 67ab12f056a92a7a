//! Password hashing with Argon2id, always off the async runtime.
//!
//! Security role: unknown logins are checked against a dummy hash so that the
//! time taken does not reveal whether an account exists.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use domain::{DomainError, DomainResult};
use std::sync::OnceLock;

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("a password nobody has, used to even out timing").unwrap_or_default())
}

/// Hashes a password on a blocking thread.
pub async fn hash(password: String) -> DomainResult<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| DomainError::Internal("hashing task".into()))?
        .map_err(|_| DomainError::Internal("hashing".into()))
}

/// Verifies a password against a stored hash, or against the dummy hash when there is none.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(h) => verify_blocking(&password, &h),
        None => {
            let _ = verify_blocking(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Hashes synchronously; for bulk fixtures (bench data) computed once and reused.
pub fn hash_now(password: &str) -> DomainResult<String> {
    hash_blocking(password).map_err(|_| DomainError::Internal("hashing".into()))
}
