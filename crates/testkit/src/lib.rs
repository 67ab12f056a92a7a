//! Test kit: spawns Oberih on a free port with a fresh database — SQLite by
//! default, PostgreSQL when `OBERIH_TEST_DATABASE_URL` is set (each test
//! creates its own database there and drops it afterwards) — loaded with the
//! demo data, and gives HTTP clients that keep cookies.

use reqwest::Client;
use reqwest::redirect::Policy;
use secrecy::SecretString;
use std::path::PathBuf;
use store::Db;
use web::config::Config;
use web::state::AppState;

pub use store::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub url: String,
    pub state: AppState,
    cleanup: Cleanup,
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

/// The backend these tests run on.
pub fn backend_name() -> &'static str {
    if std::env::var("OBERIH_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
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
        db.migrate().await?;
        store::demo::load(&db, jiff::Timestamp::now().as_second())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let state = AppState::new(db, config)?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let s = state.clone();
        let server = tokio::spawn(async move {
            let _ = web::serve(s, listener, std::future::pending()).await;
        });
        Ok(Self {
            url: format!("http://{addr}"),
            state,
            cleanup,
            server,
        })
    }

    pub fn db(&self) -> &Db {
        &self.state.db
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
        store::users::find_by_login(self.db().raw_pool(), login)
            .await
            .ok()
            .flatten()
            .map(|u| u.id)
            .unwrap_or_else(|| panic_with(&format!("no user {login}")))
    }

    /// The id of an organisation by its short or full name.
    pub async fn org_id(&self, name: &str) -> i64 {
        store::demo::org_by_name(self.db(), name)
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
        store::audit::list(self.db().raw_pool(), &f, 1000)
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
        match &self.cleanup {
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
