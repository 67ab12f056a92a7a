//! Data for the demo and the benchmarks, written through the store as the
//! system (`store::Ctx::system`, the store's `system` feature).
//!
//! - `demo`: the organisations of the Poltava oblast, the accounts of every
//!   role, the Poltava plan of seed 002 (`demo_plan`) and a handful of cases
//!   at every stage (`demo_cases`), built relative to a given "now" so that
//!   tests on a fixed clock see the same data every day;
//! - `bench`: many organisations, users, cases and audit rows for the load
//!   tests in `bench/`, and `bench_driver`, the side-by-side measure of the
//!   `Any` driver against native pools (ADR 0002).
//!
//! Nothing here ships in the store: the production crate has no seeding code,
//! and the web crate does not depend on this one. Each seed path is run on
//! both databases by this crate's tests (`tests/seed.rs`).

pub mod bench;
pub mod bench_assistance;
pub mod bench_driver;
pub mod demo;
pub mod demo_assistance;
pub mod demo_cases;
pub mod demo_plan;
