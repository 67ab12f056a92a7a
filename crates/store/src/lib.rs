//! Persistence for Oberih.
//!
//! One query definition serves SQLite and PostgreSQL: queries are written once
//! in the SQL both dialects share and run through sqlx's `Any` driver (see
//! `docs/adr/0002-storage.md`). Each backend has its own migrations, embedded
//! in the binary (`setup`).
//!
//! The crate is folded by aggregate: `organisations` (and `bodies`), `users`,
//! `auth` (sign-in, sessions, passwords), `plans` (plans, reporting periods,
//! executors' reports), `cases` (notices, cases, referrals, case documents),
//! `procedures` (the status procedure), `settings`, `audit` (the trail and its
//! seal) and `reference` (territories, forms of exploitation). Each
//! aggregate's public functions are its permission-checked operations: they
//! decide with `domain::policy` for the acting [`Principal`], change data and
//! write the audit row in the same transaction (`access` holds the shared
//! refusal). The SQL behind them lives in crate-private modules (`rows`,
//! `reporting`, `territories`, `rules`, …).
//!
//! The raw pool, a transaction of one's own, the system's principal and those
//! SQL modules are public only with the `system` feature, for the command
//! line, the seeding crate and the test kit; the web crate does not enable it
//! (ADR 0010, and a compile-fail test in `crates/web/tests`).

/// Declares a module of SQL behind the checked operations: crate-private,
/// and public only with the `system` feature (command line, seeding, tests).
/// Some of its functions serve only those, so without the feature they are
/// allowed to go unused.
macro_rules! sql_mod {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        #[cfg(feature = "system")]
        pub mod $name;
        $(#[$attr])*
        #[cfg(not(feature = "system"))]
        #[allow(dead_code)]
        pub(crate) mod $name;
    };
}

pub mod access;
pub mod assistance;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod bodies;
pub mod cases;
sql_mod!(codes);
pub mod dates;
pub mod db;
pub mod error;
pub mod forms;
pub mod lookups;
pub mod organisations;
pub mod payments;
pub mod plans;
pub mod procedures;
pub mod reference;
sql_mod!(rules);
pub mod settings;
mod setup;
pub mod users;

pub use db::{Backend, Db, Tx};
pub use error::StoreError;

/// A 0/1 flag column read as a boolean (flags are stored as integers on both databases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl From<i64> for Flag {
    fn from(v: i64) -> Self {
        Flag(v != 0)
    }
}

/// A name kept in both languages, in the reader's (`en`, else Ukrainian).
pub fn localized<'a>(lang: &str, uk: &'a str, en: &'a str) -> &'a str {
    if lang == "en" { en } else { uk }
}

/// `($1, …, $cols), ($cols+1, …), …` for a multi-row `VALUES` of `rows` rows.
pub fn placeholders(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

/// The integer a flag is stored as.
pub fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// Who is acting.
///
/// Security role: every permission-checked operation asks [`Ctx::actor`] or
/// `access::allowed`; only a signed-in person ([`Principal::User`]) is
/// granted what their roles allow, an anonymous visitor ([`Principal::Public`])
/// is refused everything protected, and [`Principal::System`] — the command
/// line and start-up — can only be made with the crate's `system` feature,
/// which the web crate does not enable (a compile-fail test keeps it so).
#[derive(Debug, Clone)]
pub enum Principal {
    /// A signed-in person, with what their session carries.
    User(domain::policy::Actor),
    /// An anonymous visitor: allowed only what a public page may do.
    Public,
    /// The command line and start-up work.
    System(SystemGrant),
}

/// Proof that the system itself is acting; its field is private, so only this
/// crate makes one.
#[derive(Debug, Clone)]
pub struct SystemGrant(());

/// Who is acting, from where, under which request: what every audit row records.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Principal,
    pub ip: Option<String>,
    pub request_id: String,
    /// Now, as unix seconds. Services never read the clock themselves.
    pub now: i64,
    /// The idempotency token of the form being submitted, if it carries one:
    /// the operation that creates a record claims it ([`forms::claim`]).
    pub form: Option<forms::Submission>,
}

impl Ctx {
    /// A signed-in person's context.
    pub fn user(actor: domain::policy::Actor, ip: Option<String>, request_id: String, now: i64) -> Self {
        Self {
            principal: Principal::User(actor),
            ip,
            request_id,
            now,
            form: None,
        }
    }

    /// An anonymous visitor's context.
    pub fn public(ip: Option<String>, request_id: String, now: i64) -> Self {
        Self {
            principal: Principal::Public,
            ip,
            request_id,
            now,
            form: None,
        }
    }

    /// A context for command-line and start-up work: the system, no address.
    #[cfg(feature = "system")]
    pub fn system(now: i64) -> Self {
        Self::internal(now)
    }

    /// The system's context for work this crate does on its own behalf
    /// (reference data at migration, demo and benchmark seeding).
    pub(crate) fn internal(now: i64) -> Self {
        Self {
            principal: Principal::System(SystemGrant(())),
            ip: None,
            request_id: "cli".into(),
            now,
            form: None,
        }
    }

    /// The same context submitting a form with `token`, whose answer leads to
    /// `location` (`{id}` stands for the id of the record created).
    pub fn submitting(mut self, token: Option<&str>, location: impl Into<String>) -> Self {
        self.form = token.map(|t| forms::Submission {
            token: t.to_string(),
            location: location.into(),
        });
        self
    }

    /// The signed-in person acting, if it is one.
    pub fn actor(&self) -> Option<&domain::policy::Actor> {
        match &self.principal {
            Principal::User(a) => Some(a),
            Principal::Public | Principal::System(_) => None,
        }
    }

    /// True for the command line and start-up work.
    pub fn is_system(&self) -> bool {
        matches!(self.principal, Principal::System(_))
    }
}
