//! Reminders by e-mail: a background job that, every
//! `reporting.reminder_interval_minutes`, takes the reminders now due (a week
//! before an executor's deadline, and the day after it — each report and kind
//! once, see `store::plans::take_reminders`) and mails each one to the
//! report writers of the organisation.
//!
//! The mail says how many reports and by when, and links to `/my-reports`;
//! nothing else. Case officers are reminded the same way of the status
//! procedure's deadlines (`/deadlines`) and of stays ending and payments due
//! (`/assistance`). Log lines name the organisation id and the kind of failure,
//! never an address or the server's reply (which may quote the address).

use crate::config::SmtpConfig;
use crate::state::AppState;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use std::time::Duration;

/// The first run comes this long after start (or after one interval, if shorter).
const FIRST_RUN_DELAY: Duration = Duration::from_secs(60);
/// A conversation with the relay that stalls longer than this is given up.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Outgoing mail through the configured relay.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer for `[smtp]`; `None` when no host is configured (reminders in the app only).
    pub fn from_config(c: &SmtpConfig) -> anyhow::Result<Option<Self>> {
        if c.host.trim().is_empty() {
            return Ok(None);
        }
        let host = c.host.trim();
        let builder =
            match c.tls.as_str() {
                "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(if c.port == 0 { 25 } else { c.port }),
                "" | "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                    .map_err(|e| anyhow::anyhow!("smtp.host: TLS set-up failed: {e}"))?
                    .port(if c.port == 0 { 587 } else { c.port }),
                other => anyhow::bail!("smtp.tls: {other:?} is not starttls or none"),
            };
        let builder = if c.username.is_empty() {
            builder
        } else {
            builder.credentials(Credentials::new(
                c.username.clone(),
                c.password.expose_secret().to_string(),
            ))
        };
        let from: Mailbox = c
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("smtp.from: not an address: {e}"))?;
        Ok(Some(Self {
            transport: builder.timeout(Some(SMTP_TIMEOUT)).build(),
            from,
        }))
    }

    /// Sends one plain-text message to one address; the error is a kind, safe to log.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), &'static str> {
        let to: Mailbox = to.trim().parse().map_err(|_| "invalid_address")?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|_| "message")?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| error_kind(&e))
    }
}

fn error_kind(e: &lettre::transport::smtp::Error) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_tls() {
        "tls"
    } else if e.is_permanent() {
        "rejected_permanent"
    } else if e.is_transient() {
        "rejected_transient"
    } else if e.is_response() {
        "bad_response"
    } else if e.is_client() {
        "client"
    } else {
        "connection"
    }
}

/// "1 звіт", "3 звіти", "5 звітів", "21 звіт".
fn reports_uk(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => "звітів",
        (1, _) => "звіт",
        (2..=4, _) => "звіти",
        _ => "звітів",
    };
    format!("{n} {word}")
}

fn reports_en(n: usize) -> String {
    if n == 1 {
        "1 report".into()
    } else {
        format!("{n} reports")
    }
}

/// "2027-01-15" → "15.01.2027" (anything else is shown as it is).
fn display_date(iso: &str) -> String {
    iso.parse::<jiff::civil::Date>()
        .map(|d| d.strftime("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// The subject and body of a reminder: counts, the date and the link only.
pub fn compose(kind: &str, count: usize, due_iso: &str, link: &str) -> (String, String) {
    let due = display_date(due_iso);
    let (uk, en) = (reports_uk(count), reports_en(count));
    if kind == "overdue" {
        (
            format!("Оберіг: {uk} за планом заходів прострочено"),
            format!(
                "Добрий день!\n\n\
                 Строк подання звітів за планом заходів минув {due}.\n\
                 Звітів вашої організації, що досі очікують подання: {count}.\n\n\
                 Заповнити й подати звіти: {link}\n\n\
                 Це автоматичний лист системи «Оберіг»; відповідати на нього не потрібно.\n\n\
                 ----\n\n\
                 Hello,\n\n\
                 Reports on the plan of measures were due on {due}.\n\
                 Your organisation still has {en} to submit.\n\n\
                 Fill in and submit the reports: {link}\n\n\
                 This is an automatic message from Oberih; please do not reply.\n"
            ),
        )
    } else {
        (
            format!("Оберіг: {uk} за планом заходів, строк подання — {due}"),
            format!(
                "Добрий день!\n\n\
                 Строк подання звітів за планом заходів — {due}.\n\
                 Звітів вашої організації, що очікують подання: {count}.\n\n\
                 Заповнити й подати звіти: {link}\n\n\
                 Це автоматичний лист системи «Оберіг»; відповідати на нього не потрібно.\n\n\
                 ----\n\n\
                 Hello,\n\n\
                 Reports on the plan of measures are due on {due}.\n\
                 Your organisation has {en} to submit.\n\n\
                 Fill in and submit the reports: {link}\n\n\
                 This is an automatic message from Oberih; please do not reply.\n"
            ),
        )
    }
}

/// "1 крок", "3 кроки", "5 кроків".
fn steps_uk(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => "кроків",
        (1, _) => "крок",
        (2..=4, _) => "кроки",
        _ => "кроків",
    };
    format!("{n} {word}")
}

/// A reminder to a unit's case officers about the status procedure's
/// deadlines: counts, the earliest due date and the link; no case references.
pub fn compose_deadline(kind: &str, count: usize, due_iso: &str, link: &str) -> (String, String) {
    let due = display_date(due_iso);
    let uk = steps_uk(count);
    let en = if count == 1 {
        "1 step".to_string()
    } else {
        format!("{count} steps")
    };
    let (subject, line_uk, line_en) = if kind == "overdue" {
        (
            format!("Оберіг: прострочено {uk} процедури встановлення статусу"),
            format!("Прострочено {uk} процедури встановлення статусу; найраніший строк минув {due}."),
            format!("{en} of the status procedure are overdue; the earliest was due on {due}."),
        )
    } else {
        (
            format!("Оберіг: {uk} процедури встановлення статусу — строк спливає"),
            format!("Строк спливає для {uk} процедури встановлення статусу; найближчий — {due}."),
            format!("{en} of the status procedure are due soon; the earliest on {due}."),
        )
    };
    let body = format!(
        "Добрий день!\n\n{line_uk}\n\nСтроки: {link}\n\n\
         Це автоматичний лист системи «Оберіг»; відповідати на нього не потрібно.\n\n----\n\n\
         Hello,\n\n{line_en}\n\nDeadlines: {link}\n\n\
         This is an automatic message from Oberih; please do not reply.\n"
    );
    (subject, body)
}

/// Takes the reminders due now and mails them; returns the number of messages sent.
///
/// Without an SMTP host the reminders are still taken (marked as not e-mailed), so the
/// in-app list knows them and they are not mailed later when a host is configured.
pub async fn run_once(state: &AppState) -> anyhow::Result<usize> {
    // A bad [smtp] section fails here, before any reminder is marked as mailed.
    let mailer = Mailer::from_config(&state.config.smtp)?;
    let now = state.clock.now_secs();
    let reminders = store::plans::take_reminders(&state.db, now, mailer.is_some()).await?;
    let deadlines = store::procedures::take_deadline_reminders(&state.db, now, mailer.is_some()).await?;
    let assistance = store::assistance::take_reminders(&state.db, now, mailer.is_some()).await?;
    let Some(mailer) = mailer else {
        return Ok(0);
    };
    let link = format!("{}/my-reports", state.config.server.public_origin);
    let mut sent = 0;
    for r in &reminders {
        let addresses = match store::plans::report_writers_emails(&state.db, r.org_id).await {
            Ok(a) => a,
            Err(_) => {
                tracing::warn!(org_id = r.org_id, kind = "database", "reminder e-mail not sent");
                continue;
            }
        };
        let (subject, body) = compose(r.kind, r.report_ids.len(), &r.due, &link);
        for address in addresses.iter().filter(|a| !a.trim().is_empty()) {
            match mailer.send(address, &subject, &body).await {
                Ok(()) => sent += 1,
                Err(kind) => tracing::warn!(org_id = r.org_id, kind, "reminder e-mail not sent"),
            }
        }
    }
    let link = format!("{}/deadlines", state.config.server.public_origin);
    for r in &deadlines {
        let addresses = match store::procedures::case_officer_emails(&state.db, r.org_id).await {
            Ok(a) => a,
            Err(_) => {
                tracing::warn!(
                    org_id = r.org_id,
                    kind = "database",
                    "deadline reminder e-mail not sent"
                );
                continue;
            }
        };
        let (subject, body) = compose_deadline(r.kind, r.count, &r.earliest_due, &link);
        for address in addresses.iter().filter(|a| !a.trim().is_empty()) {
            match mailer.send(address, &subject, &body).await {
                Ok(()) => sent += 1,
                Err(kind) => tracing::warn!(org_id = r.org_id, kind, "deadline reminder e-mail not sent"),
            }
        }
    }
    let link = format!("{}/assistance", state.config.server.public_origin);
    for r in &assistance {
        let addresses = match store::procedures::case_officer_emails(&state.db, r.org_id).await {
            Ok(a) => a,
            Err(_) => {
                tracing::warn!(
                    org_id = r.org_id,
                    kind = "database",
                    "assistance reminder e-mail not sent"
                );
                continue;
            }
        };
        let (subject, body) = compose_assistance(r.kind, r.stays, r.payments, &r.earliest_due, &link);
        for address in addresses.iter().filter(|a| !a.trim().is_empty()) {
            match mailer.send(address, &subject, &body).await {
                Ok(()) => sent += 1,
                Err(kind) => tracing::warn!(org_id = r.org_id, kind, "assistance reminder e-mail not sent"),
            }
        }
    }
    Ok(sent)
}

/// The mail about a unit's stays ending and payments due: counts, the earliest
/// date and the link to the unit's assistance list; no reference, no name.
pub fn compose_assistance(
    kind: &str,
    stays: usize,
    payments: usize,
    due_iso: &str,
    link: &str,
) -> (String, String) {
    let due = display_date(due_iso);
    let overdue = kind == "overdue";
    let mut uk = Vec::new();
    let mut en = Vec::new();
    if stays > 0 {
        uk.push(format!("розміщень у закладах допомоги: {stays}"));
        en.push(format!("stays in assistance institutions: {stays}"));
    }
    if payments > 0 {
        uk.push(format!("одноразових виплат: {payments}"));
        en.push(format!("one-time payments: {payments}"));
    }
    let (subject, line_uk, line_en) = if overdue {
        (
            "Оберіг: строк розміщення або виплати минув".to_string(),
            format!("Строк минув — {}; найраніший — {due}.", uk.join(", ")),
            format!("Past their date — {}; the earliest was {due}.", en.join(", ")),
        )
    } else {
        (
            "Оберіг: строк розміщення або виплати спливає".to_string(),
            format!("Строк спливає — {}; найближчий — {due}.", uk.join(", ")),
            format!("Coming to their date — {}; the earliest is {due}.", en.join(", ")),
        )
    };
    let body = format!(
        "Добрий день!\n\n{line_uk}\n\nДопомога: {link}\n\n\
         Це автоматичний лист системи «Оберіг»; відповідати на нього не потрібно.\n\n----\n\n\
         Hello,\n\n{line_en}\n\nAssistance: {link}\n\n\
         This is an automatic message from Oberih; please do not reply.\n"
    );
    (subject, body)
}

/// Runs [`run_once`] every `reporting.reminder_interval_minutes`, the first time shortly after start.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = Duration::from_secs(
            state
                .config
                .reporting
                .reminder_interval_minutes
                .saturating_mul(60)
                .max(60),
        );
        let start = tokio::time::Instant::now() + FIRST_RUN_DELAY.min(every);
        let mut tick = tokio::time::interval_at(start, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&state).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "reminder e-mails sent"),
                Err(e) => tracing::warn!(error = %e, "reminder job failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_plurals() {
        let got: Vec<String> = [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 111]
            .into_iter()
            .map(reports_uk)
            .collect();
        assert_eq!(
            got,
            [
                "1 звіт",
                "2 звіти",
                "4 звіти",
                "5 звітів",
                "11 звітів",
                "12 звітів",
                "14 звітів",
                "21 звіт",
                "22 звіти",
                "25 звітів",
                "111 звітів"
            ]
        );
    }

    #[test]
    fn subject_and_body_carry_count_date_and_link() {
        let (s, b) = compose("overdue", 3, "2026-07-15", "https://o.example/my-reports");
        assert_eq!(s, "Оберіг: 3 звіти за планом заходів прострочено");
        assert!(
            b.contains("15.07.2026") && b.contains(": 3.") && b.contains("3 reports"),
            "{b}"
        );
        assert!(b.contains("https://o.example/my-reports"));
        let (s, _) = compose("due_soon", 1, "2027-01-15", "/my-reports");
        assert_eq!(s, "Оберіг: 1 звіт за планом заходів, строк подання — 15.01.2027");
    }

    #[test]
    fn deadline_reminders_carry_counts_date_and_link_only() {
        let (s, b) = compose_deadline("overdue", 2, "2026-11-20", "https://o.example/deadlines");
        assert_eq!(s, "Оберіг: прострочено 2 кроки процедури встановлення статусу");
        assert!(
            b.contains("20.11.2026") && b.contains("2 steps") && b.contains("https://o.example/deadlines"),
            "{b}"
        );
        let (s, _) = compose_deadline("at_risk", 5, "2026-11-24", "/deadlines");
        assert!(s.contains("5 кроків"), "{s}");
    }

    #[test]
    fn no_host_no_mailer_and_bad_sender_is_an_error() {
        let mut c = SmtpConfig::default();
        assert!(matches!(Mailer::from_config(&c), Ok(None)));
        c.host = "smtp.example.org".into();
        c.from = "Оберіг <noreply@oberih.example.gov.ua>".into();
        assert!(matches!(Mailer::from_config(&c), Ok(Some(_))));
        c.tls = "none".into();
        assert!(matches!(Mailer::from_config(&c), Ok(Some(_))));
        c.from = "nobody".into();
        assert!(Mailer::from_config(&c).is_err());
    }
}
