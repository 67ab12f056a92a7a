//! Oberih's rules and types.
//!
//! This crate knows nothing of HTTP, SQL or the clock: time is always a
//! parameter. Everything that decides *whether* something may happen lives
//! here (the access policy, validation of what people type, the audit
//! vocabulary); `store` decides *how* it is kept and `web` how it is shown.

pub mod assistance;
pub mod audit;
pub mod audit_chain;
pub mod case;
pub mod deadline;
pub mod edrpou;
pub mod error;
pub mod job_check;
pub mod katottg;
pub mod money;
pub mod names;
pub mod organisation;
pub mod payment;
pub mod plan;
pub mod plan_import;
pub mod policy;
pub mod procedure;
pub mod reporting;
pub mod role;
pub mod territory;
pub mod user;
pub mod validation;

pub use error::{DomainError, DomainResult};
pub use validation::FieldErrors;
