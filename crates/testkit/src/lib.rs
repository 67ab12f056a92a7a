//! Test kit: spawns Oberih on a free port with a fresh database — SQLite by
//! default, PostgreSQL when `OBERIH_TEST_DATABASE_URL` is set (each test
//! creates its own database there and drops it afterwards) — loaded with the
//! demo data, and gives HTTP clients that keep cookies.
//!
//! Hermetic: the app's clock starts at a fixed instant ([`test_start`]: the
//! `OBERIH_TEST_NOW` environment variable, else 18.11.2026 11:30 in Kyiv) and
//! runs on at real pace; the demo data is built relative to it; no background
//! job (audit sealing, reminders, session purging) runs unless a test runs it.

use reqwest::Client;
use reqwest::redirect::Policy;
use secrecy::SecretString;
use std::path::PathBuf;
use store::Db;
use web::config::Config;
use web::state::AppState;

pub use seed::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub url: String,
    pub state: AppState,
    _cleanup: Cleanup,
    server: tokio::task::JoinHandle<()>,
}

enum Cleanup {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

fn random_suffix() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().r#gen();
    format!("{n:016x}")
}

/// The default start of every test app's clock: a Wednesday in November, in
/// the second half-year (the March run of CI covers the first).
pub const DEFAULT_TEST_NOW: &str = "2026-11-18T09:30:00Z";

/// Where every test app's clock starts: `OBERIH_TEST_NOW` (an RFC 3339
/// instant such as `2026-03-12T08:00:00Z`, or a date, taken at 10:00 in Kyiv),
/// else [`DEFAULT_TEST_NOW`]. A value that does not parse fails the test.
pub fn test_start() -> jiff::Timestamp {
    let raw = std::env::var("OBERIH_TEST_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_TEST_NOW.to_string());
    let raw = raw.trim();
    if let Ok(t) = raw.parse::<jiff::Timestamp>() {
        return t;
    }
    raw.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.at(10, 0, 0, 0).in_tz("Europe/Kyiv").ok())
        .map(|z| z.timestamp())
        .unwrap_or_else(|| {
            panic_with(&format!(
                "OBERIH_TEST_NOW={raw:?} is neither an instant nor a date"
            ))
        })
}

/// Now by the tests' clock, as unix seconds: [`test_start`] plus the real
/// time since this function was first called in the process (at or a little
/// after any app's clock, which starts at [`test_start`] when the app spawns).
pub fn clock_now() -> i64 {
    static FIRST: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let first = *FIRST.get_or_init(std::time::Instant::now);
    test_start().as_second() + i64::try_from(first.elapsed().as_secs()).unwrap_or(0)
}

/// The backend these tests run on.
pub fn backend_name() -> &'static str {
    if std::env::var("OBERIH_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    }
}

/// A fresh, migrated database of the backend under test (see [`backend_name`]),
/// dropped (PostgreSQL) or deleted (SQLite) when this goes out of scope: for
/// tests that need the store without the web app (the seeding crate's).
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _cleanup: Cleanup,
}

impl TestDb {
    /// Creates and migrates the database, its reference rows stamped [`test_start`].
    pub async fn fresh() -> anyhow::Result<Self> {
        let (url, cleanup) = fresh_database().await?;
        let db = Db::connect(&url, 4).await?;
        db.migrate_at(test_start().as_second()).await?;
        Ok(Self {
            db,
            url,
            _cleanup: cleanup,
        })
    }
}

async fn fresh_database() -> anyhow::Result<(String, Cleanup)> {
    match std::env::var("OBERIH_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("oberih_test_{}", random_suffix());
            let admin = Db::connect(&admin_url, 1).await?;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.raw_pool())
                .await?;
            admin.close().await;
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
            Ok((format!("{base}/{name}"), Cleanup::Postgres { admin_url, name }))
        }
        _ => {
            let path = std::env::temp_dir().join(format!("oberih-test-{}.sqlite3", random_suffix()));
            Ok((format!("sqlite://{}", path.display()), Cleanup::Sqlite(path)))
        }
    }
}

impl TestApp {
    /// Starts the app with the demo data set loaded.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app after letting the test adjust the configuration.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        match Self::try_spawn(adjust).await {
            Ok(app) => app,
            Err(e) => panic_with(&format!("test app did not start: {e:#}")),
        }
    }

    async fn try_spawn(adjust: impl FnOnce(&mut Config)) -> anyhow::Result<Self> {
        let (url, cleanup) = fresh_database().await?;
        let mut config = Config::default();
        config.database.url = SecretString::from(url.clone());
        config.database.max_connections = 4;
        config.server.cookie_secure = false;
        adjust(&mut config);
        config.validate()?;
        let db = Db::connect(&url, config.database.max_connections).await?;
        let clock = web::state::Clock::starting_at(test_start());
        db.migrate_at(clock.now_secs()).await?;
        seed::demo::load(&db, clock.now_secs())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let state = AppState::with_clock(db, config, clock)?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let s = state.clone();
        let server = tokio::spawn(async move {
            let _ = web::serve_with(s, listener, std::future::pending(), web::Jobs::NONE).await;
        });
        Ok(Self {
            url: format!("http://{addr}"),
            state,
            _cleanup: cleanup,
            server,
        })
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Now by the app's clock, as unix seconds.
    pub fn now(&self) -> i64 {
        self.state.clock.now_secs()
    }

    /// Today in Kyiv by the app's clock.
    pub fn today(&self) -> jiff::civil::Date {
        store::dates::kyiv_date(self.now())
    }

    /// A client that keeps cookies and does not follow redirects (tests look at them).
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap_or_else(|e| panic_with(&format!("client: {e}")))
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// GETs a page and returns its CSRF token (the hidden `csrf_token` field).
    pub async fn csrf(&self, client: &Client, path: &str) -> String {
        let body = self.get_text(client, path).await.1;
        csrf_in(&body).unwrap_or_else(|| panic_with(&format!("no csrf token on {path}")))
    }

    /// The status of a GET (redirects are not followed).
    pub async fn status(&self, client: &Client, path: &str) -> u16 {
        client
            .get(self.at(path))
            .send()
            .await
            .unwrap_or_else(|e| panic_with(&e.to_string()))
            .status()
            .as_u16()
    }

    pub async fn get_text(&self, client: &Client, path: &str) -> (u16, String) {
        let r = client
            .get(self.at(path))
            .send()
            .await
            .unwrap_or_else(|e| panic_with(&e.to_string()));
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    /// POSTs a form (the CSRF token is added from `token_page` unless the form has one).
    pub async fn post_form(
        &self,
        client: &Client,
        path: &str,
        token_page: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "csrf_token") {
            let t = self.csrf(client, token_page).await;
            form.push(("csrf_token".into(), t));
        }
        client
            .post(self.at(path))
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic_with(&e.to_string()))
    }

    /// Signs in and returns the response of the sign-in POST.
    pub async fn try_sign_in(&self, client: &Client, login: &str, password: &str) -> reqwest::Response {
        self.post_form(
            client,
            "/sign-in",
            "/sign-in",
            &[("login", login), ("password", password)],
        )
        .await
    }

    /// A fresh client signed in as a demo account.
    pub async fn signed_in(&self, login: &str) -> Client {
        let c = self.client();
        let r = self.try_sign_in(&c, login, DEMO_PASSWORD).await;
        assert_eq!(
            r.status().as_u16(),
            303,
            "sign-in of {login} should redirect home"
        );
        c
    }

    /// The id of a user by login.
    pub async fn user_id(&self, login: &str) -> i64 {
        store::users::rows::find_by_login(self.db().raw_pool(), login)
            .await
            .ok()
            .flatten()
            .map(|u| u.id)
            .unwrap_or_else(|| panic_with(&format!("no user {login}")))
    }

    /// The id of an organisation by its short or full name.
    pub async fn org_id(&self, name: &str) -> i64 {
        seed::demo::org_by_name(self.db(), name)
            .await
            .map(|o| o.id)
            .unwrap_or_else(|e| panic_with(&e.to_string()))
    }

    /// Audit rows of one action, newest first.
    pub async fn audit(&self, action: domain::audit::AuditAction) -> Vec<store::audit::AuditRow> {
        let f = store::audit::AuditFilter {
            action: Some(action),
            ..Default::default()
        };
        // A failed query fails the test: an empty list must mean "no such rows".
        store::audit::trail::list(self.db().raw_pool(), &f, 1000)
            .await
            .map(|(rows, _)| rows)
            .unwrap_or_else(|e| panic_with(&format!("audit rows of {action:?}: {e}")))
    }
}

/// The `href` of the page's `rel="next"` link, unescaped.
pub fn next_href(html: &str) -> Option<String> {
    let before = html
        .split("rel=\"next\"")
        .next()
        .filter(|b| b.len() < html.len())?;
    let href = before.rsplit("href=\"").next()?.split('"').next()?;
    Some(href.replace("&#38;", "&").replace("&amp;", "&"))
}

/// Finds the first `name="csrf_token" value="…"` in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf_token\" value=\"")?;
    let rest = &html[i + "name=\"csrf_token\" value=\"".len()..];
    rest.split('"').next().map(str::to_string)
}

#[expect(clippy::panic, reason = "test helper: a failed setup is a failed test")]
fn panic_with(msg: &str) -> ! {
    panic!("{msg}")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop the database from a separate thread with its own runtime: Drop cannot await.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(admin) = Db::connect(&admin_url, 1).await {
                            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(admin.raw_pool())
                                .await;
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}
