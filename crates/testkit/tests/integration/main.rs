//! Integration tests: the whole app on a free port with a fresh database per
//! test — SQLite always, PostgreSQL when `OBERIH_TEST_DATABASE_URL` is set.

mod access;
mod audit;
mod auth;
mod config;
mod csrf;
mod demo;
mod orgs;
mod users;
