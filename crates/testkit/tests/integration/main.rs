//! Integration tests: the whole app on a free port with a fresh database per
//! test — SQLite always, PostgreSQL when `OBERIH_TEST_DATABASE_URL` is set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test binary: helpers fail the test by panicking"
)]

mod abandoned;
mod access;
mod assistance;
mod audit;
mod audit_chain;
mod auth;
mod bodies;
mod case_access;
mod cases;
mod config;
mod corrupt_codes;
mod csrf;
mod demo;
mod forms;
mod orgs;
mod outsider;
mod plans;
mod procedures;
mod public;
mod races;
mod reminders;
mod reports;
mod schema;
mod settings;
mod users;
