//! The two migration folders describe one schema, and the schema holds what
//! the code expects (issue 10, item 4).
//!
//! A fresh SQLite database and a fresh PostgreSQL database are migrated, and
//! each is read back into the same normalised description: tables; columns
//! with a type class, nullability and whether they have a default; primary
//! keys; unique constraints and unique indexes (by columns: the backends name
//! them differently); other indexes (name and columns); foreign keys; and the
//! values each CHECK constraint allows. The descriptions must be equal.
//! PostgreSQL is the server of `OBERIH_TEST_DATABASE_URL`, else one answering
//! on 127.0.0.1:5432; with neither, the comparison is skipped with a notice
//! (CI always sets the variable for its second run). Triggers are not
//! compared: each dialect writes them its own way.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use store::Db;
use store::codes::enumerated_columns;
use store::error::keys;

// ---------------------------------------------------------------- the description

/// Whether and how a column gets a value when an INSERT names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Filled {
    None,
    /// A DEFAULT clause.
    Value,
    /// Assigned by the database: PostgreSQL's identity, SQLite's rowid.
    Auto,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    /// `bigint`, `text`, `double`, `blob`, …: what the value is on both backends.
    pub class: String,
    pub not_null: bool,
    pub default: Filled,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}",
            self.class,
            if self.not_null { " NOT NULL" } else { " NULL" },
            match self.default {
                Filled::None => "",
                Filled::Value => " DEFAULT …",
                Filled::Auto => " (assigned)",
            }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub to: Vec<String>,
    pub on_delete: String,
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}) → {}({}) on delete {}",
            self.columns.join(", "),
            self.table,
            self.to.join(", "),
            self.on_delete
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    pub primary_key: Vec<String>,
    /// Unique constraints and unique indexes, by their columns.
    pub uniques: BTreeSet<Vec<String>>,
    /// Other indexes: name and columns.
    pub indexes: BTreeSet<(String, Vec<String>)>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    /// CHECK constraints: the column and the values the constraint names.
    pub checks: BTreeSet<(String, BTreeSet<String>)>,
}

pub type Schema = BTreeMap<String, Table>;

fn list(v: &[String]) -> String {
    format!("({})", v.join(", "))
}

fn values(v: &BTreeSet<String>) -> String {
    v.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Every difference between two descriptions, one line each (empty when they are equal).
pub fn differences(a_name: &str, a: &Schema, b_name: &str, b: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names {
        let (ta, tb) = match (a.get(name), b.get(name)) {
            (Some(ta), Some(tb)) => (ta, tb),
            (Some(_), None) => {
                out.push(format!("table {name}: only in {a_name}"));
                continue;
            }
            (None, _) => {
                out.push(format!("table {name}: only in {b_name}"));
                continue;
            }
        };
        let cols: BTreeSet<&String> = ta.columns.keys().chain(tb.columns.keys()).collect();
        for c in cols {
            match (ta.columns.get(c), tb.columns.get(c)) {
                (Some(x), Some(y)) if x != y => {
                    out.push(format!("column {name}.{c}: {a_name} {x}, {b_name} {y}"));
                }
                (Some(_), None) => out.push(format!("column {name}.{c}: only in {a_name}")),
                (None, Some(_)) => out.push(format!("column {name}.{c}: only in {b_name}")),
                _ => {}
            }
        }
        if ta.primary_key != tb.primary_key {
            out.push(format!(
                "primary key of {name}: {a_name} {}, {b_name} {}",
                list(&ta.primary_key),
                list(&tb.primary_key)
            ));
        }
        for u in ta.uniques.difference(&tb.uniques) {
            out.push(format!("unique {name}{}: only in {a_name}", list(u)));
        }
        for u in tb.uniques.difference(&ta.uniques) {
            out.push(format!("unique {name}{}: only in {b_name}", list(u)));
        }
        for (i, c) in ta.indexes.difference(&tb.indexes) {
            out.push(format!("index {i} on {name}{}: only in {a_name}", list(c)));
        }
        for (i, c) in tb.indexes.difference(&ta.indexes) {
            out.push(format!("index {i} on {name}{}: only in {b_name}", list(c)));
        }
        for k in ta.foreign_keys.difference(&tb.foreign_keys) {
            out.push(format!("foreign key {name}{k}: only in {a_name}"));
        }
        for k in tb.foreign_keys.difference(&ta.foreign_keys) {
            out.push(format!("foreign key {name}{k}: only in {b_name}"));
        }
        for (c, v) in ta.checks.difference(&tb.checks) {
            out.push(format!("check on {name}.{c} ({}): only in {a_name}", values(v)));
        }
        for (c, v) in tb.checks.difference(&ta.checks) {
            out.push(format!("check on {name}.{c} ({}): only in {b_name}", values(v)));
        }
    }
    out
}

// ---------------------------------------------------------------- CHECK clauses

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Str(String),
    Num(String),
    Punct(char),
}

/// The tokens of SQL text, without comments and white space.
fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        s.push('\'');
                        i += 2;
                        continue;
                    }
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(Token::Str(s));
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(Token::Word(s));
        } else if c.is_ascii_digit() {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                s.push(chars[i]);
                i += 1;
            }
            out.push(Token::Num(s));
        } else if c.is_alphanumeric() || c == '_' {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                s.push(chars[i]);
                i += 1;
            }
            out.push(Token::Word(s));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// The column and the values of one CHECK's parenthesised expression:
/// `state IN ('a', 'b')` (SQLite, as written), `((state = ANY (ARRAY['a'::text, …])))`
/// (PostgreSQL's `pg_get_constraintdef`), `id = 1`. The column is the first
/// word; the values are every literal.
fn check_of(expr: &[Token]) -> (String, BTreeSet<String>) {
    let column = expr
        .iter()
        .find_map(|t| match t {
            Token::Word(w) => Some(w.to_ascii_lowercase()),
            _ => None,
        })
        .unwrap_or_default();
    let values = expr
        .iter()
        .filter_map(|t| match t {
            Token::Str(s) | Token::Num(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    (column, values)
}

/// Every CHECK clause in SQL text (a CREATE TABLE, or `CHECK (…)` alone).
fn checks_in(sql: &str) -> Vec<(String, BTreeSet<String>)> {
    let t = tokens(sql);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let is_check = matches!(&t[i], Token::Word(w) if w.eq_ignore_ascii_case("check"));
        if is_check && t.get(i + 1) == Some(&Token::Punct('(')) {
            let start = i + 2;
            let mut depth = 1;
            let mut j = start;
            while j < t.len() && depth > 0 {
                match t[j] {
                    Token::Punct('(') => depth += 1,
                    Token::Punct(')') => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            out.push(check_of(&t[start..j.saturating_sub(1)]));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------- reading SQLite

/// SQLite's type affinity (https://www.sqlite.org/datatype3.html §3.1), as a class.
/// Every SQLite integer is 64-bit, so INTEGER and BIGINT are both `bigint`.
fn sqlite_class(declared: &str) -> String {
    let t = declared.to_ascii_uppercase();
    let class = if t.contains("INT") {
        "bigint"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "text"
    } else if t.contains("BLOB") || t.is_empty() {
        "blob"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "double"
    } else {
        "numeric"
    };
    class.to_string()
}

pub async fn describe_sqlite(db: &Db) -> Schema {
    let pool = db.raw_pool();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (name, sql) in tables {
        let mut t = Table::default();
        let cols: Vec<(String, String, i64, Option<String>, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        let mut pk: Vec<(i64, String)> = cols
            .iter()
            .filter(|c| c.4 > 0)
            .map(|c| (c.4, c.0.clone()))
            .collect();
        pk.sort();
        t.primary_key = pk.into_iter().map(|p| p.1).collect();
        for (col, ty, not_null, default, pk) in &cols {
            // Dialect: a table's one INTEGER PRIMARY KEY is its rowid, which is
            // never NULL (the pragma reports it nullable) and is assigned when an
            // INSERT gives none — PostgreSQL's identity column.
            let rowid = *pk == 1 && t.primary_key.len() == 1 && ty.eq_ignore_ascii_case("INTEGER");
            t.columns.insert(
                col.clone(),
                Column {
                    class: sqlite_class(ty),
                    not_null: *not_null != 0 || rowid,
                    default: if rowid {
                        Filled::Auto
                    } else if default.is_some() {
                        Filled::Value
                    } else {
                        Filled::None
                    },
                },
            );
        }
        let indexes: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, origin) in indexes {
            let mut cols: Vec<(i64, String)> =
                sqlx::query_as("SELECT seqno, name FROM pragma_index_info($1)")
                    .bind(&index)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            cols.sort();
            let cols: Vec<String> = cols.into_iter().map(|c| c.1).collect();
            match (origin.as_str(), unique != 0) {
                ("pk", _) => {}
                (_, true) => {
                    t.uniques.insert(cols);
                }
                (_, false) => {
                    t.indexes.insert((index, cols));
                }
            }
        }
        let fks: Vec<(i64, i64, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, _, to_table, from, to, on_delete) in fks {
            let k = by_id.entry(id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: to_table.clone(),
                to: Vec::new(),
                on_delete: on_delete.to_ascii_lowercase(),
            });
            k.columns.push(from);
            // `REFERENCES t` without columns means t's primary key; every one here names them.
            k.to.push(to.unwrap_or_else(|| "(primary key)".into()));
        }
        t.foreign_keys = by_id.into_values().collect();
        t.checks = checks_in(&sql).into_iter().collect();
        schema.insert(name, t);
    }
    normalise_dialect(&mut schema);
    schema
}

/// Differences that are the dialects' and not the schema's, made equal.
fn normalise_dialect(schema: &mut Schema) {
    // audit_chain.seq is SQLite's INTEGER PRIMARY KEY, so the chain is stored in
    // seq order in the table's own B-tree; being the rowid, SQLite would assign
    // it if an INSERT gave none, where PostgreSQL's plain BIGINT key would fail.
    // The sealer always gives seq (audit_chain::seal_batch), so the two behave
    // the same: the column is described as PostgreSQL's, a key without default.
    if let Some(c) = schema
        .get_mut("audit_chain")
        .and_then(|t| t.columns.get_mut("seq"))
    {
        c.default = Filled::None;
    }
}

// ---------------------------------------------------------------- reading PostgreSQL

/// PostgreSQL's `information_schema` data type, as a class.
fn postgres_class(data_type: &str) -> String {
    match data_type {
        "bigint" => "bigint",
        "integer" => "int32",
        "smallint" => "int16",
        "text" | "character varying" => "text",
        "double precision" => "double",
        "real" => "float32",
        "bytea" => "blob",
        other => other,
    }
    .to_string()
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn describe_postgres(db: &Db) -> Schema {
    let pool = db.raw_pool();
    let mut schema = Schema::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name,) in tables {
        schema.insert(name, Table::default());
    }
    let cols: Vec<(String, String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, column_default::text, \
         is_identity::text FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, col, ty, nullable, default, identity) in cols {
        let Some(t) = schema.get_mut(&table) else { continue };
        let auto = identity == "YES" || default.as_deref().is_some_and(|d| d.starts_with("nextval("));
        t.columns.insert(
            col,
            Column {
                class: postgres_class(&ty),
                not_null: nullable == "NO",
                default: if auto {
                    Filled::Auto
                } else if default.is_some() {
                    Filled::Value
                } else {
                    Filled::None
                },
            },
        );
    }
    let indexes: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, CASE WHEN x.indisunique THEN 1 ELSE 0 END::bigint, \
         CASE WHEN x.indisprimary THEN 1 ELSE 0 END::bigint, \
         array_to_string(ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o) \
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',') \
         FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, index, unique, primary, cols) in indexes {
        let Some(t) = schema.get_mut(&table) else { continue };
        let cols = split_list(&cols);
        if primary != 0 {
            t.primary_key = cols;
        } else if unique != 0 {
            t.uniques.insert(cols);
        } else {
            t.indexes.insert((index, cols));
        }
    }
    let fks: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, \
         array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) \
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ','), \
         f.relname::text, \
         array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) \
           JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o), ','), \
         c.confdeltype::text \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' AND n.nspname = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, cols, to_table, to, on_delete) in fks {
        let Some(t) = schema.get_mut(&table) else { continue };
        t.foreign_keys.insert(ForeignKey {
            columns: split_list(&cols),
            table: to_table,
            to: split_list(&to),
            on_delete: match on_delete.as_str() {
                "a" => "no action",
                "r" => "restrict",
                "c" => "cascade",
                "n" => "set null",
                "d" => "set default",
                other => other,
            }
            .to_string(),
        });
    }
    let checks: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.relname::text, pg_get_constraintdef(c.oid) FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'c' AND n.nspname = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, def) in checks {
        let Some(t) = schema.get_mut(&table) else { continue };
        t.checks.extend(checks_in(&def));
    }
    schema
}

// ---------------------------------------------------------------- fresh databases

fn suffix() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().r#gen::<u64>())
}

/// A fresh SQLite file (removed on drop).
pub struct SqliteFile(pub std::path::PathBuf);

impl SqliteFile {
    pub fn new() -> Self {
        Self(std::env::temp_dir().join(format!("oberih-schema-{}.sqlite3", suffix())))
    }
    pub fn url(&self) -> String {
        format!("sqlite://{}", self.0.display())
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", self.0.display()));
        }
    }
}

/// The PostgreSQL server to compare against: `OBERIH_TEST_DATABASE_URL`, else
/// the local one if it answers, else none.
pub async fn postgres_admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("OBERIH_TEST_DATABASE_URL")
        && !url.is_empty()
    {
        return Some(url);
    }
    let answers = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        tokio::net::TcpStream::connect("127.0.0.1:5432"),
    )
    .await
    .is_ok_and(|c| c.is_ok());
    if !answers {
        return None;
    }
    let url = "postgres://postgres@127.0.0.1:5432/postgres".to_string();
    match Db::connect(&url, 1).await {
        Ok(db) => {
            let ok = db.ping().await;
            db.close().await;
            ok.then_some(url)
        }
        Err(_) => None,
    }
}

/// A uniquely named database on the server of `admin_url`, dropped by [`PgDatabase::drop_it`].
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create(admin_url: &str) -> Self {
        let name = format!("oberih_schema_{}", suffix());
        let admin = Db::connect(admin_url, 1).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.raw_pool())
            .await
            .unwrap();
        admin.close().await;
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
        Self {
            admin_url: admin_url.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }

    pub async fn drop_it(self) {
        if let Ok(admin) = Db::connect(&self.admin_url, 1).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
                .execute(admin.raw_pool())
                .await;
            admin.close().await;
        }
    }
}

async fn migrated_sqlite() -> (Schema, SqliteFile) {
    let file = SqliteFile::new();
    let db = Db::connect(&file.url(), 2).await.unwrap();
    db.migrate().await.unwrap();
    let s = describe_sqlite(&db).await;
    db.close().await;
    (s, file)
}

async fn migrated_postgres(admin_url: &str) -> Schema {
    let pg = PgDatabase::create(admin_url).await;
    let schema = async {
        let db = Db::connect(&pg.url, 2).await?;
        db.migrate().await?;
        let s = describe_postgres(&db).await;
        db.close().await;
        Ok::<_, store::StoreError>(s)
    }
    .await;
    pg.drop_it().await;
    schema.unwrap()
}

// ---------------------------------------------------------------- the tests

#[tokio::test]
async fn both_migration_folders_describe_one_schema() {
    let (sqlite, _file) = migrated_sqlite().await;
    assert!(
        sqlite.contains_key("cases") && sqlite.len() > 30,
        "tables read: {}",
        sqlite.len()
    );
    let Some(admin) = postgres_admin_url().await else {
        println!(
            "NOTICE: no PostgreSQL (OBERIH_TEST_DATABASE_URL unset and nothing on 127.0.0.1:5432): \
             the SQLite and PostgreSQL schemas were not compared"
        );
        return;
    };
    let postgres = migrated_postgres(&admin).await;
    let diff = differences("sqlite", &sqlite, "postgres", &postgres);
    for d in &diff {
        println!("schema difference: {d}");
    }
    assert!(
        diff.is_empty(),
        "{} schema differences:\n{}",
        diff.len(),
        diff.join("\n")
    );
}

/// Each enumerated column's CHECK allows exactly its domain enum's codes, on
/// every backend at hand; and every other CHECK is one the schema means to have.
#[tokio::test]
async fn every_check_lists_its_enum_s_codes() {
    let (sqlite, _file) = migrated_sqlite().await;
    let mut schemas = vec![("sqlite", sqlite)];
    if let Some(admin) = postgres_admin_url().await {
        schemas.push(("postgres", migrated_postgres(&admin).await));
    } else {
        println!("NOTICE: no PostgreSQL: the CHECK lists were compared on SQLite only");
    }
    let expected = enumerated_columns();
    let others: [(&str, &str, &[&str]); 4] = [
        ("reporting_periods", "half", &["1", "2"]),
        ("organisations", "public_listing", &["0", "1"]),
        ("audit_chain_head", "id", &["1"]),
        // A payment line reverses nothing and is positive; a reversal line is negative with a reason.
        ("payment_register", "reverses_id", &["0"]),
    ];
    for (backend, schema) in &schemas {
        let mut seen = 0;
        for e in &expected {
            let t = schema
                .get(e.table)
                .unwrap_or_else(|| panic!("{backend}: no table {}", e.table));
            assert!(
                t.columns.contains_key(e.column),
                "{backend}: no column {}.{}",
                e.table,
                e.column
            );
            let found: Vec<&BTreeSet<String>> = t
                .checks
                .iter()
                .filter(|(c, _)| c == e.column)
                .map(|(_, v)| v)
                .collect();
            let want: BTreeSet<String> = e.values.iter().map(|v| v.to_string()).collect();
            assert_eq!(
                found,
                vec![&want],
                "{backend}: the CHECK of {}.{} is not the enum's codes",
                e.table,
                e.column
            );
            seen += 1;
        }
        for (table, t) in schema {
            for (column, v) in &t.checks {
                let known = expected.iter().any(|e| e.table == table && e.column == column)
                    || others.iter().any(|(ot, oc, ov)| {
                        ot == table && oc == column && v.iter().map(String::as_str).eq(ov.iter().copied())
                    });
                assert!(
                    known,
                    "{backend}: CHECK on {table}.{column} ({}) is not listed",
                    values(v)
                );
            }
        }
        assert_eq!(seen, expected.len());
    }
}

/// The unique constraints the code turns into conflicts exist on both backends,
/// with the columns (SQLite) and the names (PostgreSQL) the code expects.
#[tokio::test]
async fn the_unique_keys_the_code_names_exist() {
    let (sqlite, _file) = migrated_sqlite().await;
    for k in keys::ALL {
        let t = &sqlite[k.table];
        let cols: Vec<String> = k.columns.iter().map(|c| c.to_string()).collect();
        let found = if k.primary {
            t.primary_key == cols
        } else {
            t.uniques.contains(&cols)
        };
        assert!(found, "sqlite: no unique {}({})", k.table, k.columns.join(", "));
    }
    let Some(admin) = postgres_admin_url().await else {
        println!("NOTICE: no PostgreSQL: the constraint names were not checked");
        return;
    };
    let pg = PgDatabase::create(&admin).await;
    let names = async {
        let db = Db::connect(&pg.url, 2).await?;
        db.migrate().await?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT c.conname::text, \
             array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) \
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ',') \
             FROM pg_constraint c WHERE c.contype IN ('u', 'p')",
        )
        .fetch_all(db.raw_pool())
        .await?;
        db.close().await;
        Ok::<_, store::StoreError>(rows)
    }
    .await;
    pg.drop_it().await;
    let names: BTreeMap<String, String> = names.unwrap().into_iter().collect();
    for k in keys::ALL {
        assert_eq!(
            names.get(&k.postgres_name()),
            Some(&k.columns.join(",")),
            "postgres: constraint {}",
            k.postgres_name()
        );
    }
}

fn column(class: &str, not_null: bool) -> Column {
    Column {
        class: class.into(),
        not_null,
        default: Filled::None,
    }
}

/// The comparison itself: two descriptions that differ in one column give
/// exactly that one difference.
#[test]
fn the_comparison_names_the_one_column_that_differs() {
    let mut cases = Table::default();
    cases.columns.insert("id".into(), column("bigint", true));
    cases.columns.insert("state".into(), column("text", true));
    cases.primary_key = vec!["id".into()];
    cases.checks.insert((
        "state".into(),
        ["notice", "open", "closed"]
            .into_iter()
            .map(String::from)
            .collect(),
    ));
    let a: Schema = [("cases".to_string(), cases.clone())].into();
    assert!(differences("a", &a, "b", &a).is_empty());
    let mut b = a.clone();
    if let Some(t) = b.get_mut("cases") {
        t.columns.insert("state".into(), column("text", false));
    }
    assert_eq!(
        differences("sqlite", &a, "postgres", &b),
        vec!["column cases.state: sqlite text NOT NULL, postgres text NULL".to_string()]
    );
    let mut c = a.clone();
    if let Some(t) = c.get_mut("cases") {
        t.columns.insert("notes".into(), column("text", false));
    }
    assert_eq!(
        differences("sqlite", &a, "postgres", &c),
        vec!["column cases.notes: only in postgres".to_string()]
    );
}

#[test]
fn check_clauses_are_read_in_both_dialects() {
    let sqlite = "CREATE TABLE t (\n  -- the person's state: open, closed\n  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),\n  half BIGINT CHECK (half IN (1, 2))\n)";
    let pg = checks_in("CHECK ((state = ANY (ARRAY['open'::text, 'closed'::text])))");
    let want = |c: &str, v: &[&str]| {
        (
            c.to_string(),
            v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
        )
    };
    assert_eq!(
        checks_in(sqlite),
        vec![want("state", &["open", "closed"]), want("half", &["1", "2"])]
    );
    assert_eq!(pg, vec![want("state", &["open", "closed"])]);
    assert_eq!(
        checks_in("CHECK ((half = ANY (ARRAY[(1)::bigint, (2)::bigint])))"),
        vec![want("half", &["1", "2"])]
    );
    assert_eq!(checks_in("CHECK ((id = 1))"), vec![want("id", &["1"])]);
}

// ---------------------------------------------------------------- 0005 on a database with data

/// Every row of every table, as text (`quote` on SQLite, `quote_nullable` on
/// PostgreSQL), sorted: two snapshots are equal when no value changed.
async fn snapshot(db: &Db, schema: &Schema) -> BTreeMap<String, Vec<String>> {
    let quote = match db.backend() {
        store::Backend::Sqlite => "quote",
        store::Backend::Postgres => "quote_nullable",
    };
    let mut out = BTreeMap::new();
    for (name, t) in schema {
        let row = t
            .columns
            .keys()
            .map(|c| format!("{quote}({c})"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT {row} FROM {name} ORDER BY 1"))
            .fetch_all(db.raw_pool())
            .await
            .unwrap();
        out.insert(name.clone(), rows.into_iter().map(|r| r.0).collect());
    }
    out
}

async fn describe(db: &Db) -> Schema {
    match db.backend() {
        store::Backend::Sqlite => describe_sqlite(db).await,
        store::Backend::Postgres => describe_postgres(db).await,
    }
}

/// Migrations 0001–0004 only, from the source folder of `backend` (the same files
/// `Db::migrate` embeds, so the later full run accepts their checksums).
async fn migrate_to_0004(db: &Db) {
    let backend = match db.backend() {
        store::Backend::Sqlite => "sqlite",
        store::Backend::Postgres => "postgres",
    };
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../store/migrations")
        .join(backend);
    let dir = std::env::temp_dir().join(format!("oberih-migrations-{}", suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if file.as_str() < "0005" {
            std::fs::copy(&path, dir.join(&file)).unwrap();
        }
    }
    let m = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
    assert_eq!(m.iter().count(), 4);
    m.run(db.raw_pool()).await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The rows of every table of `schema`, copied from `from` into `to` with
/// their ids, foreign keys off for the copy (the rows reference each other in
/// every order). Each row travels as the SQL literals `quote` makes of it.
async fn copy_rows(from: &Db, to: &Db, schema: &Schema) {
    let quote = match from.backend() {
        store::Backend::Sqlite => "quote",
        store::Backend::Postgres => "quote_nullable",
    };
    let mut conn = to.raw_pool().acquire().await.unwrap();
    let (off, on) = match to.backend() {
        store::Backend::Sqlite => ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON"),
        store::Backend::Postgres => (
            "SET session_replication_role = replica",
            "SET session_replication_role = DEFAULT",
        ),
    };
    sqlx::query(off).execute(&mut *conn).await.unwrap();
    for (name, t) in schema {
        let cols: Vec<&String> = t.columns.keys().collect();
        let literals = cols
            .iter()
            .map(|c| format!("{quote}({c})"))
            .collect::<Vec<_>>()
            .join(" || ', ' || ");
        let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT {literals} FROM {name}"))
            .fetch_all(from.raw_pool())
            .await
            .unwrap();
        let list = cols.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
        // What the migrations put in place (the chain's head) gives way to the copy.
        sqlx::query(&format!("DELETE FROM {name}"))
            .execute(&mut *conn)
            .await
            .unwrap();
        for (values,) in rows {
            sqlx::query(&format!("INSERT INTO {name} ({list}) VALUES ({values})"))
                .execute(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("copying a row of {name}: {e}"));
        }
    }
    sqlx::query(on).execute(&mut *conn).await.unwrap();
}

/// Migration 0005 rebuilds SQLite tables that others reference (organisations,
/// cases, referrals, procedures…) with foreign keys on: on a database holding
/// the demo data, every row comes through unchanged, no foreign key is left
/// dangling, and the audit chain still verifies. The demo is loaded on the
/// current schema (it uses tables of later migrations) and the rows of the
/// tables 0001–0004 define are copied into a database migrated to 0004.
#[tokio::test]
async fn migration_0005_keeps_every_row() {
    let now = jiff::Timestamp::now().as_second();
    let (file, full_file) = (SqliteFile::new(), SqliteFile::new());
    let (pg, full_pg) = match oberih_testkit::backend_name() {
        "postgres" => match postgres_admin_url().await {
            Some(admin) => (
                Some(PgDatabase::create(&admin).await),
                Some(PgDatabase::create(&admin).await),
            ),
            None => (None, None),
        },
        _ => (None, None),
    };
    let url = pg.as_ref().map_or_else(|| file.url(), |p| p.url.clone());
    let full_url = full_pg
        .as_ref()
        .map_or_else(|| full_file.url(), |p| p.url.clone());
    let result = async move {
        let full = Db::connect(&full_url, 4).await.unwrap();
        full.migrate_at(now).await.unwrap();
        // Without its assistance: audit rows of later actions could not pass 0005's CHECK.
        seed::demo::load_before_assistance(&full, now).await.unwrap();
        let db = Db::connect(&url, 4).await.unwrap();
        migrate_to_0004(&db).await;
        let old_schema = describe(&db).await;
        copy_rows(&full, &db, &old_schema).await;
        full.close().await;
        let sealed = store::audit::chain::verify(&db, now + 3600, &[]).await.unwrap();
        assert!(sealed.intact() && sealed.entries > 0, "{sealed:?}");
        let before = snapshot(&db, &old_schema).await;
        assert!(
            before["cases"].len() >= 10 && before["procedures"].len() >= 5 && before["referrals"].len() >= 2
        );
        db.migrate().await.unwrap();
        let after = snapshot(&db, &old_schema).await;
        for (table, rows) in &before {
            assert!(rows == &after[table], "the rows of {table} changed");
        }
        if db.backend() == store::Backend::Sqlite {
            let dangling: Vec<(String, i64, String, i64)> =
                sqlx::query_as("SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check")
                    .fetch_all(db.raw_pool())
                    .await
                    .unwrap();
            assert!(dangling.is_empty(), "dangling references: {dangling:?}");
            let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
                .fetch_one(db.raw_pool())
                .await
                .unwrap();
            assert_eq!(integrity, "ok");
        }
        // Nothing of the old schema was lost on the way (0006 and later only
        // add): the columns and indexes later migrations add are named here.
        let added: [(&str, &[&str], &[&str]); 1] = [
            // 0008: the public directory of help.
            (
                "organisations",
                &["public_listing", "public_offer"],
                &["organisations_public"],
            ),
        ];
        let new_schema = describe(&db).await;
        for (name, t) in &old_schema {
            let n = &new_schema[name];
            let (cols, idxs) = added
                .iter()
                .find(|a| a.0 == name)
                .map(|a| (a.1, a.2))
                .unwrap_or((&[], &[]));
            assert_eq!(
                n.columns
                    .keys()
                    .filter(|c| !cols.contains(&c.as_str()))
                    .collect::<Vec<_>>(),
                t.columns.keys().collect::<Vec<_>>(),
                "{name}"
            );
            for c in cols {
                assert!(
                    n.columns.contains_key(*c) && !t.columns.contains_key(*c),
                    "{name}.{c} is added"
                );
            }
            let indexes: BTreeSet<(String, Vec<String>)> = n
                .indexes
                .iter()
                .filter(|(i, _)| !idxs.contains(&i.as_str()))
                .cloned()
                .collect();
            assert_eq!(
                (&n.primary_key, &n.uniques, &indexes, &n.foreign_keys),
                (&t.primary_key, &t.uniques, &t.indexes, &t.foreign_keys),
                "{name}"
            );
        }
        let v = store::audit::chain::verify(&db, now + 3600, &[]).await.unwrap();
        assert!(v.intact() && v.entries >= sealed.entries, "{v:?}");
        db.close().await;
    };
    // Drop the PostgreSQL databases whatever happened, then report.
    let outcome = tokio::spawn(result).await;
    for p in [pg, full_pg].into_iter().flatten() {
        p.drop_it().await;
    }
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test]
async fn unique_violations_are_told_apart_by_constraint() {
    use domain::DomainError;
    use store::error::{conflict_on_unique, is_unique_violation, unique_violation, violates};
    let app = oberih_testkit::TestApp::spawn().await;
    let pool = app.db().raw_pool();
    let (login, org): (String, i64) = sqlx::query_as("SELECT login, org_id FROM users ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let e = sqlx::query(
        "INSERT INTO users (org_id, login, full_name, password_hash, created_at, updated_at, password_changed_at) \
         VALUES ($1, $2, 'x', 'x', 0, 0, 0)",
    )
    .bind(org)
    .bind(&login)
    .execute(pool)
    .await
    .unwrap_err();
    assert!(is_unique_violation(&e), "{e}");
    assert!(violates(&e, &keys::USERS_LOGIN), "{:?}", unique_violation(&e));
    assert!(!violates(&e, &keys::BODIES_NAME));
    assert!(matches!(
        conflict_on_unique("login", keys::USERS_LOGIN)(e),
        DomainError::Conflict("login")
    ));

    // A composite primary key, then a different constraint on the same insert path.
    let (prefix, year): (String, i64) = sqlx::query_as("SELECT prefix, year FROM case_counters LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let e = sqlx::query("INSERT INTO case_counters (prefix, year, last) VALUES ($1, $2, 1)")
        .bind(&prefix)
        .bind(year)
        .execute(pool)
        .await
        .unwrap_err();
    assert!(violates(&e, &keys::CASE_COUNTERS), "{:?}", unique_violation(&e));
    let other = conflict_on_unique("case_reference", keys::CASES_REFERENCE)(e);
    assert!(
        matches!(other, DomainError::Internal(_)),
        "another key's violation is no conflict: {other:?}"
    );

    // Not a unique violation at all: a CHECK.
    let e = sqlx::query("UPDATE cases SET sex = 'bogus'")
        .execute(pool)
        .await
        .unwrap_err();
    assert!(!is_unique_violation(&e), "{e}");
}
