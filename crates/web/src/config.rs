//! Configuration: a TOML file plus `OBERIH__SECTION__KEY` environment overrides.
//!
//! Unknown keys are rejected, values are checked at start-up with a message
//! that names the key, and secrets (the database URL may hold a password) are
//! wrapped so that `Debug` never prints them.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub security: SecurityConfig,
    pub reporting: ReportingConfig,
    pub smtp: SmtpConfig,
}

/// The semiannual reporting cycle of plans of measures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportingConfig {
    /// Executors report by this day of the month after the half-year (the Poltava order: 15).
    pub executor_due_day: i8,
    /// The coordinator hands on the consolidated report by this day (the Poltava order: 20).
    pub consolidation_due_day: i8,
    /// How often the reminder job looks for reports due soon or overdue, in minutes.
    pub reminder_interval_minutes: u64,
}

impl Default for ReportingConfig {
    fn default() -> Self {
        Self {
            executor_due_day: 15,
            consolidation_due_day: 20,
            reminder_interval_minutes: 60,
        }
    }
}

impl ReportingConfig {
    pub fn deadlines(&self) -> domain::reporting::Deadlines {
        domain::reporting::Deadlines {
            executor_day: self.executor_due_day,
            consolidation_day: self.consolidation_due_day,
        }
    }
}

/// Outgoing mail for reminders. Empty `host`: reminders are shown in the app only.
#[derive(Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    pub host: String,
    /// 0 = the default for the TLS mode (587 with STARTTLS, 25 without).
    pub port: u16,
    /// "starttls" (default) or "none" (a relay on the local network only).
    pub tls: String,
    pub username: String,
    pub password: SecretString,
    /// The sender, e.g. `Оберіг <noreply@oberih.example.gov.ua>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("from", &self.from)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// The origin users reach the site at (`https://oberih.example.gov.ua`); requests
    /// that change data must come from it. Empty: the request's own Host is used.
    pub public_origin: String,
    /// Mark cookies `Secure`. Only the plain-HTTP localhost demo turns this off.
    pub cookie_secure: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Requests taking longer are answered 408.
    pub request_timeout_secs: u64,
    /// A connection that has not sent a request's headers within this time is closed.
    pub header_read_timeout_secs: u64,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://oberih.sqlite3` or `postgres://user:password@host/db`.
    pub url: SecretString,
    pub max_connections: u32,
}

impl std::fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &"[redacted]")
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub sign_in_failures_per_login: i64,
    pub sign_in_failures_per_ip: i64,
    pub sign_in_lock_minutes: i64,
    /// Requests a single address may make to the public pages per minute.
    pub public_requests_per_minute: i64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_origin: String::new(),
            cookie_secure: true,
            trust_forwarded_for: false,
            // Report attachments may be 10 MiB.
            max_body_bytes: 12 * 1024 * 1024,
            request_timeout_secs: 30,
            header_read_timeout_secs: 10,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: SecretString::from("sqlite://oberih.sqlite3"),
            max_connections: 8,
        }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            sign_in_failures_per_login: 5,
            sign_in_failures_per_ip: 50,
            sign_in_lock_minutes: 15,
            public_requests_per_minute: 120,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(String),
    #[error("configuration: {key}: {problem}")]
    Invalid { key: &'static str, problem: String },
}

impl Config {
    /// Reads the file (if given) and the environment, then checks the values.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        use figment::Figment;
        use figment::providers::{Env, Format, Toml};
        // Missing keys take their `Default` through `#[serde(default)]`.
        let mut fig = Figment::new();
        if let Some(f) = file {
            if !f.exists() {
                return Err(ConfigError::Load(format!("file {} not found", f.display())));
            }
            fig = fig.merge(Toml::file(f));
        }
        fig = fig.merge(Env::prefixed("OBERIH__").split("__").lowercase(true));
        let cfg: Config = fig
            .extract()
            .map_err(|e| ConfigError::Load(redact(&e.to_string())))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let url = self.database.url.expose_secret();
        if store::Backend::of_url(url).is_none() {
            return Err(ConfigError::Invalid {
                key: "database.url",
                problem: "must start with sqlite:// or postgres://".into(),
            });
        }
        let s = &self.security;
        let checks: [(&'static str, i64, i64, i64); 6] = [
            (
                "security.session_idle_minutes",
                s.session_idle_minutes,
                1,
                24 * 60,
            ),
            (
                "security.session_absolute_hours",
                s.session_absolute_hours,
                1,
                24 * 7,
            ),
            (
                "security.sign_in_failures_per_login",
                s.sign_in_failures_per_login,
                1,
                100,
            ),
            (
                "security.sign_in_failures_per_ip",
                s.sign_in_failures_per_ip,
                1,
                10_000,
            ),
            (
                "security.sign_in_lock_minutes",
                s.sign_in_lock_minutes,
                1,
                24 * 60,
            ),
            (
                "security.public_requests_per_minute",
                s.public_requests_per_minute,
                1,
                100_000_000,
            ),
        ];
        for (key, v, lo, hi) in checks {
            if !(lo..=hi).contains(&v) {
                return Err(ConfigError::Invalid {
                    key,
                    problem: format!("{v} is outside {lo}..={hi}"),
                });
            }
        }
        if !(1024..=512 * 1024 * 1024).contains(&self.server.max_body_bytes) {
            return Err(ConfigError::Invalid {
                key: "server.max_body_bytes",
                problem: "must be between 1 KiB and 512 MiB".into(),
            });
        }
        let r = &self.reporting;
        for (key, day) in [
            ("reporting.executor_due_day", r.executor_due_day),
            ("reporting.consolidation_due_day", r.consolidation_due_day),
        ] {
            if !(1..=28).contains(&day) {
                return Err(ConfigError::Invalid {
                    key,
                    problem: format!("{day} is outside 1..=28"),
                });
            }
        }
        if r.consolidation_due_day < r.executor_due_day {
            return Err(ConfigError::Invalid {
                key: "reporting.consolidation_due_day",
                problem: "must not come before reporting.executor_due_day".into(),
            });
        }
        if r.reminder_interval_minutes == 0 {
            return Err(ConfigError::Invalid {
                key: "reporting.reminder_interval_minutes",
                problem: "must be positive".into(),
            });
        }
        let m = &self.smtp;
        if !m.host.is_empty() {
            if !matches!(m.tls.as_str(), "" | "starttls" | "none") {
                return Err(ConfigError::Invalid {
                    key: "smtp.tls",
                    problem: "must be starttls or none".into(),
                });
            }
            if !m.from.contains('@') {
                return Err(ConfigError::Invalid {
                    key: "smtp.from",
                    problem: "must be an address".into(),
                });
            }
        }
        if self.server.header_read_timeout_secs == 0 {
            return Err(ConfigError::Invalid {
                key: "server.header_read_timeout_secs",
                problem: "must be positive".into(),
            });
        }
        if self.server.request_timeout_secs == 0 {
            return Err(ConfigError::Invalid {
                key: "server.request_timeout_secs",
                problem: "must be positive".into(),
            });
        }
        let o = &self.server.public_origin;
        if !(o.is_empty() || o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/') {
            return Err(ConfigError::Invalid {
                key: "server.public_origin",
                problem: "must look like https://host[:port], without a trailing slash".into(),
            });
        }
        if self.database.max_connections == 0 {
            return Err(ConfigError::Invalid {
                key: "database.max_connections",
                problem: "must be positive".into(),
            });
        }
        Ok(())
    }

    pub fn session_timeouts(&self) -> store::auth::sessions::Timeouts {
        store::auth::sessions::Timeouts {
            idle_secs: self.security.session_idle_minutes * 60,
            absolute_secs: self.security.session_absolute_hours * 3600,
        }
    }

    pub fn sign_in_limits(&self) -> store::auth::Limits {
        store::auth::Limits {
            per_login: self.security.sign_in_failures_per_login,
            per_ip: self.security.sign_in_failures_per_ip,
            window_secs: self.security.sign_in_lock_minutes * 60,
        }
    }
}

/// Removes anything that looks like a URL with credentials from an error message.
fn redact(msg: &str) -> String {
    msg.split_whitespace()
        .map(|w| {
            if w.contains("://") && w.contains('@') {
                "[redacted-url]"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_database_url() {
        let mut c = Config::default();
        c.database.url = SecretString::from("postgres://u:hunter2@db/x");
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn out_of_range_values_name_their_key() {
        let mut c = Config::default();
        c.security.session_idle_minutes = 0;
        let e = c.validate().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("security.session_idle_minutes"), "{e}");
    }

    #[test]
    fn redact_hides_credentials() {
        assert_eq!(
            redact("bad url postgres://u:p@h/db here"),
            "bad url [redacted-url] here"
        );
    }
}
