//! Turning storage failures into domain errors.

use crate::codes::UnknownCode;
use domain::DomainError;
use sqlx::error::DatabaseError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("reference data: {0}")]
    Reference(String),
}

/// A unique constraint (or primary key), named the same way on both backends:
/// by its table and columns. PostgreSQL names the constraint
/// [`postgres_name`](Self::postgres_name); SQLite's message lists
/// `table.column, …`. A test checks every key in [`keys::ALL`] against the
/// migrated schema of both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniqueKey {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    /// The table's primary key rather than a UNIQUE constraint.
    pub primary: bool,
}

impl UniqueKey {
    pub const fn unique(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            primary: false,
        }
    }

    pub const fn primary(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            primary: true,
        }
    }

    /// The name PostgreSQL gives the constraint when the migration names none:
    /// `<table>_<col>_…_key`, or `<table>_pkey` for the primary key.
    pub fn postgres_name(&self) -> String {
        if self.primary {
            format!("{}_pkey", self.table)
        } else {
            format!("{}_{}_key", self.table, self.columns.join("_"))
        }
    }
}

/// The unique constraints the code turns into a conflict or a field error.
pub mod keys {
    use super::UniqueKey;

    pub const USERS_LOGIN: UniqueKey = UniqueKey::unique("users", &["login"]);
    pub const ORGANISATIONS_NAME: UniqueKey = UniqueKey::unique("organisations", &["name_key"]);
    pub const ORGANISATIONS_EDRPOU: UniqueKey = UniqueKey::unique("organisations", &["edrpou"]);
    pub const BODIES_NAME: UniqueKey = UniqueKey::unique("bodies", &["name"]);
    pub const PLAN_GOALS_NUMBER: UniqueKey = UniqueKey::unique("plan_goals", &["plan_id", "number"]);
    pub const PLAN_TASKS_NUMBER: UniqueKey = UniqueKey::unique("plan_tasks", &["goal_id", "number"]);
    pub const REPORTING_PERIODS_HALF: UniqueKey =
        UniqueKey::unique("reporting_periods", &["plan_id", "year", "half"]);
    pub const CASE_COUNTERS: UniqueKey = UniqueKey::primary("case_counters", &["prefix", "year"]);
    pub const CASES_REFERENCE: UniqueKey = UniqueKey::unique("cases", &["reference"]);
    pub const PROCEDURES_JOURNAL_NUMBER: UniqueKey =
        UniqueKey::unique("procedures", &["unit_org_id", "journal_year", "journal_no"]);
    /// One payment per granted status, across the whole deployment.
    pub const PAYMENTS_PROCEDURE: UniqueKey = UniqueKey::unique("payments", &["procedure_id"]);
    pub const PAYMENT_MINIMUMS_FROM: UniqueKey = UniqueKey::unique("payment_minimums", &["effective_from"]);
    pub const PAYMENT_MULTIPLIERS_FROM: UniqueKey =
        UniqueKey::unique("payment_multipliers", &["effective_from"]);
    /// A register line is reversed at most once.
    pub const PAYMENT_REGISTER_REVERSES: UniqueKey = UniqueKey::unique("payment_register", &["reverses_id"]);

    pub const ALL: &[UniqueKey] = &[
        USERS_LOGIN,
        ORGANISATIONS_NAME,
        ORGANISATIONS_EDRPOU,
        BODIES_NAME,
        PLAN_GOALS_NUMBER,
        PLAN_TASKS_NUMBER,
        REPORTING_PERIODS_HALF,
        CASE_COUNTERS,
        CASES_REFERENCE,
        PROCEDURES_JOURNAL_NUMBER,
        PAYMENTS_PROCEDURE,
        PAYMENT_MINIMUMS_FROM,
        PAYMENT_MULTIPLIERS_FROM,
        PAYMENT_REGISTER_REVERSES,
    ];
}

/// SQLSTATE `unique_violation`.
const PG_UNIQUE_VIOLATION: &str = "23505";
/// SQLite's extended result codes `SQLITE_CONSTRAINT_UNIQUE` and `SQLITE_CONSTRAINT_PRIMARYKEY`.
const SQLITE_CONSTRAINT_UNIQUE: &str = "2067";
const SQLITE_CONSTRAINT_PRIMARYKEY: &str = "1555";

/// Which unique constraint a violation was of, as far as the backend says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// PostgreSQL names the constraint.
    Postgres { constraint: Option<String> },
    /// SQLite names the table and the columns.
    Sqlite { table: String, columns: Vec<String> },
}

impl Violation {
    /// True when this is a violation of `key`.
    pub fn is(&self, key: &UniqueKey) -> bool {
        match self {
            Violation::Postgres { constraint } => constraint.as_deref() == Some(key.postgres_name().as_str()),
            Violation::Sqlite { table, columns } => {
                table == key.table && columns.iter().map(String::as_str).eq(key.columns.iter().copied())
            }
        }
    }
}

/// The unique-constraint violation `e` is, if it is one — decided by the
/// backend's error code (SQLSTATE 23505; SQLite extended code 2067 or 1555),
/// never by the message. Which constraint: PostgreSQL's constraint name; for
/// SQLite, which gives no name, the `table.column, …` list of its message
/// ("UNIQUE constraint failed: plan_goals.plan_id, plan_goals.number").
pub fn unique_violation(e: &sqlx::Error) -> Option<Violation> {
    let sqlx::Error::Database(d) = e else {
        return None;
    };
    let d: &dyn DatabaseError = d.as_ref();
    if let Some(pg) = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        return (pg.code() == PG_UNIQUE_VIOLATION).then(|| Violation::Postgres {
            constraint: pg.constraint().map(str::to_string),
        });
    }
    if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
        let code = d.code()?;
        if code != SQLITE_CONSTRAINT_UNIQUE && code != SQLITE_CONSTRAINT_PRIMARYKEY {
            return None;
        }
        let (table, columns) = sqlite_columns(d.message());
        return Some(Violation::Sqlite { table, columns });
    }
    None
}

/// `("t", ["a", "b"])` from "UNIQUE constraint failed: t.a, t.b" (empty when the message has another shape).
fn sqlite_columns(message: &str) -> (String, Vec<String>) {
    let Some((_, list)) = message.split_once("constraint failed: ") else {
        return (String::new(), Vec::new());
    };
    let mut table = String::new();
    let mut columns = Vec::new();
    for item in list.split(", ") {
        let Some((t, c)) = item.trim().split_once('.') else {
            return (String::new(), Vec::new());
        };
        if table.is_empty() {
            table = t.to_string();
        } else if table != t {
            return (String::new(), Vec::new());
        }
        columns.push(c.to_string());
    }
    (table, columns)
}

/// True when the error is a unique-constraint violation (of any constraint) on either backend.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    unique_violation(e).is_some()
}

/// True when the error is a violation of the unique constraint `key`.
pub fn violates(e: &sqlx::Error, key: &UniqueKey) -> bool {
    unique_violation(e).is_some_and(|v| v.is(key))
}

/// A violation of `key` as `Conflict(what)`; anything else — another unique
/// constraint too — as `Internal`.
pub fn conflict_on_unique(what: &'static str, key: UniqueKey) -> impl FnOnce(sqlx::Error) -> DomainError {
    move |e| {
        if violates(&e, &key) {
            DomainError::Conflict(what)
        } else {
            internal(e)
        }
    }
}

/// Maps a storage error to `DomainError::Internal`, logging it without data.
/// A row whose enumerated column holds no code of its enum (see
/// [`crate::codes`]) is logged and answered naming the column.
pub fn internal(e: sqlx::Error) -> DomainError {
    if let sqlx::Error::ColumnDecode { source, .. } = &e
        && let Some(u) = source.downcast_ref::<UnknownCode>()
    {
        return crate::codes::unknown(u.clone());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_names_the_columns_in_its_message() {
        assert_eq!(
            sqlite_columns("UNIQUE constraint failed: plan_goals.plan_id, plan_goals.number"),
            ("plan_goals".into(), vec!["plan_id".into(), "number".into()])
        );
        assert_eq!(
            sqlite_columns("UNIQUE constraint failed: index 'x'"),
            (String::new(), vec![])
        );
        let v = Violation::Sqlite {
            table: "organisations".into(),
            columns: vec!["edrpou".into()],
        };
        assert!(v.is(&keys::ORGANISATIONS_EDRPOU));
        assert!(!v.is(&keys::ORGANISATIONS_NAME));
    }

    #[test]
    fn postgres_names_the_constraint() {
        assert_eq!(keys::USERS_LOGIN.postgres_name(), "users_login_key");
        assert_eq!(keys::CASE_COUNTERS.postgres_name(), "case_counters_pkey");
        assert_eq!(
            keys::PROCEDURES_JOURNAL_NUMBER.postgres_name(),
            "procedures_unit_org_id_journal_year_journal_no_key"
        );
        let v = Violation::Postgres {
            constraint: Some("plan_tasks_goal_id_number_key".into()),
        };
        assert!(v.is(&keys::PLAN_TASKS_NUMBER));
        assert!(!v.is(&keys::PLAN_GOALS_NUMBER));
        assert!(!Violation::Postgres { constraint: None }.is(&keys::USERS_LOGIN));
    }

    #[test]
    fn an_error_that_is_no_database_error_is_no_violation() {
        assert!(!is_unique_violation(&sqlx::Error::RowNotFound));
    }
}
