//! Reminders by e-mail: a real SMTP conversation with a small sink on a free port.

use oberih_testkit::TestApp;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message the sink accepted.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    subject: String,
    body: String,
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// An SMTP server that accepts everything and keeps the messages.
async fn smtp_sink() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox: Inbox = Arc::default();
    let keep = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = keep.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read);
                write.write_all(b"220 sink.test ESMTP\r\n").await.unwrap();
                let mut rcpt = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                        "HELO" | "MAIL" | "RSET" | "NOOP" => {
                            if verb == "RSET" || verb == "MAIL" {
                                rcpt.clear();
                            }
                            b"250 OK\r\n"
                        }
                        "RCPT" => {
                            let addr = line
                                .split('<')
                                .nth(1)
                                .and_then(|r| r.split('>').next())
                                .unwrap_or("");
                            rcpt.push(addr.to_string());
                            b"250 OK\r\n"
                        }
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.unwrap();
                            let mut data = String::new();
                            loop {
                                line.clear();
                                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                    return;
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                            }
                            let (subject, body) = decode(&data);
                            inbox.lock().unwrap().push(Received {
                                rcpt: std::mem::take(&mut rcpt),
                                subject,
                                body,
                            });
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"502 not here\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, inbox)
}

// ------------------------------------------------ just enough MIME to read a message

fn base64(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.bytes() {
        let Some(v) = ALPHABET.iter().position(|&a| a == c) else {
            continue; // padding and line breaks
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < b.len() {
        if b[i] != b'=' {
            out.push(b[i]);
            i += 1;
        } else if b[i + 1..].starts_with(b"\r\n") {
            i += 3;
        } else {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`), dropping the space between adjacent ones.
fn header_text(h: &str) -> String {
    let (mut out, mut rest, mut after_word) = (Vec::new(), h, false);
    while let Some(i) = rest.find("=?") {
        let between = &rest[..i];
        if !(after_word && between.trim().is_empty()) {
            out.extend_from_slice(between.as_bytes());
        }
        let mut parts = rest[i + 2..].splitn(3, '?');
        let (_charset, enc, tail) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let end = tail.find("?=").unwrap();
        let text = &tail[..end];
        out.extend(if enc.eq_ignore_ascii_case("b") {
            base64(text)
        } else {
            quoted_printable(&text.replace('_', " "))
        });
        rest = &tail[end + 2..];
        after_word = true;
    }
    out.extend_from_slice(rest.as_bytes());
    String::from_utf8(out).unwrap()
}

/// The subject and the body of a single-part message.
fn decode(data: &str) -> (String, String) {
    let (head, body) = data.split_once("\r\n\r\n").unwrap();
    let mut headers: Vec<String> = Vec::new();
    for l in head.split("\r\n") {
        match headers.last_mut() {
            Some(last) if l.starts_with([' ', '\t']) => last.push_str(l),
            _ => headers.push(l.to_string()),
        }
    }
    let get = |name: &str| {
        headers
            .iter()
            .find_map(|h| {
                h.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    assert!(get("Content-Type").starts_with("text/plain"), "{data}");
    let body = match get("Content-Transfer-Encoding").to_ascii_lowercase().as_str() {
        "base64" => String::from_utf8(base64(body)).unwrap(),
        "quoted-printable" => String::from_utf8(quoted_printable(body)).unwrap(),
        _ => body.to_string(),
    };
    (header_text(&get("Subject")), body.replace("\r\n", "\n"))
}

// ------------------------------------------------ what the demo data should produce

/// Today in Kyiv by the app's clock; moved past the 15th when the previous half-year's
/// deadline has not passed yet, so that the demo always has overdue reports.
fn today_with_overdue_reports(app: &TestApp) -> jiff::civil::Date {
    let today = store::dates::kyiv_date(app.state.clock.now_secs());
    if matches!(today.month(), 1 | 7) && today.day() <= 15 {
        app.state.clock.advance(i64::from(16 - today.day()) * 86_400);
    }
    store::dates::kyiv_date(app.state.clock.now_secs())
}

/// The reminders due today, by organisation: (due date, kind, number of reports).
async fn expected(
    app: &TestApp,
    today: jiff::civil::Date,
) -> BTreeMap<i64, Vec<(String, &'static str, usize)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT r.org_id, p.executor_due, COUNT(*) FROM reports r JOIN reporting_periods p ON p.id = r.period_id \
         WHERE p.state = 'open' AND r.state IN ('draft', 'returned') GROUP BY r.org_id, p.executor_due",
    )
    .fetch_all(app.db().raw_pool())
    .await
    .unwrap();
    let mut out: BTreeMap<i64, Vec<(String, &'static str, usize)>> = BTreeMap::new();
    for (org, due, n) in rows {
        let days = (due.parse::<jiff::civil::Date>().unwrap() - today).get_days();
        let kind = if days < 0 {
            "overdue"
        } else if days <= domain::reporting::DUE_SOON_DAYS {
            "due_soon"
        } else {
            continue;
        };
        out.entry(org).or_default().push((due, kind, n as usize));
    }
    out
}

fn dotted(iso: &str) -> String {
    let d: jiff::civil::Date = iso.parse().unwrap();
    d.strftime("%d.%m.%Y").to_string()
}

fn uk_reports(n: usize) -> String {
    let w = match (n % 10, n % 100) {
        (_, 11..=14) => "звітів",
        (1, _) => "звіт",
        (2..=4, _) => "звіти",
        _ => "звітів",
    };
    format!("{n} {w}")
}

async fn set_email(app: &TestApp, login: &str, email: &str) {
    sqlx::query("UPDATE users SET email = $1 WHERE login = $2")
        .bind(email)
        .bind(login)
        .execute(app.db().raw_pool())
        .await
        .unwrap();
}

/// `reminder_sent` rows about plan reports (the status procedure's deadline
/// reminders, kind `procedure_…`, are tested on their own below).
async fn plan_reminder_audit(app: &TestApp) -> Vec<store::audit::AuditRow> {
    app.audit(domain::audit::AuditAction::ReminderSent)
        .await
        .into_iter()
        .filter(|r| !r.details.contains("procedure_") && !r.details.contains("assistance_"))
        .collect()
}

async fn reminder_rows(app: &TestApp) -> Vec<(i64, String, i64)> {
    sqlx::query_as("SELECT report_id, kind, emailed FROM report_reminders ORDER BY report_id, kind")
        .fetch_all(app.db().raw_pool())
        .await
        .unwrap()
}

const EXECUTORS: [(&str, &str); 3] = [("executor", "ПОЦЗ"), ("police", "ГУНП"), ("children", "ССД ОВА")];

#[tokio::test]
async fn reminders_are_mailed_to_report_writers_once_with_count_date_and_link() {
    let (port, inbox) = smtp_sink().await;
    let app = TestApp::spawn_with(|c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = port;
        c.smtp.tls = "none".into();
        c.smtp.from = "noreply@oberih.test".into();
        c.server.public_origin = "https://oberih.test".into();
    })
    .await;
    for (login, _) in EXECUTORS {
        set_email(&app, login, &format!("{login}@oberih.test")).await;
    }
    // Not a report writer: never mailed.
    set_email(&app, "coordinator", "coordinator@oberih.test").await;
    let today = today_with_overdue_reports(&app);
    let expected = expected(&app, today).await;

    let sent = web::reminders::run_once(&app.state).await.unwrap();
    let mail = inbox.lock().unwrap().clone();
    assert_eq!(sent, mail.len());

    let mut wanted = 0;
    let mut overdue_seen = 0;
    for (login, org) in EXECUTORS {
        let org_id = app.org_id(org).await;
        let address = format!("{login}@oberih.test");
        let mine: Vec<&Received> = mail.iter().filter(|m| m.rcpt == [address.clone()]).collect();
        let due = expected.get(&org_id).cloned().unwrap_or_default();
        assert_eq!(mine.len(), due.len(), "{login}: {mine:?} vs {due:?}");
        wanted += due.len();
        for (iso, kind, n) in due {
            let date = dotted(&iso);
            let m = mine
                .iter()
                .find(|m| m.body.contains(&date))
                .unwrap_or_else(|| panic!("{login}: no mail about {date}"));
            assert!(m.subject.starts_with("Оберіг: "), "{}", m.subject);
            assert!(m.subject.contains(&uk_reports(n)), "{} / {n}", m.subject);
            if kind == "overdue" {
                overdue_seen += 1;
                assert!(m.subject.contains("прострочено"), "{}", m.subject);
            } else {
                assert!(
                    m.subject.contains(&format!("строк подання — {date}")),
                    "{}",
                    m.subject
                );
            }
            assert!(m.body.contains(&format!(": {n}.")), "{}", m.body);
            let en = if n == 1 {
                "1 report".to_string()
            } else {
                format!("{n} reports")
            };
            assert!(m.body.contains(&en), "{}", m.body);
            assert!(m.body.contains("https://oberih.test/my-reports"), "{}", m.body);
            // No personal data: neither the person nor the address is in the text.
            let user = store::users::rows::find_by_login(app.db().raw_pool(), login)
                .await
                .unwrap()
                .unwrap();
            assert!(!m.body.contains(&user.full_name) && !m.body.contains(&address));
        }
    }
    assert!(overdue_seen >= 1, "the demo has overdue reports: {expected:?}");
    // Every message went to one of the three report writers (the others have no address).
    assert_eq!(mail.len(), wanted, "{mail:?}");
    assert!(mail.iter().all(|m| m.rcpt != ["coordinator@oberih.test"]));

    // Each reminder once.
    assert_eq!(web::reminders::run_once(&app.state).await.unwrap(), 0);
    assert_eq!(inbox.lock().unwrap().len(), mail.len());

    let audit = plan_reminder_audit(&app).await;
    let reminders: usize = expected.values().map(Vec::len).sum();
    assert_eq!(audit.len(), reminders);
    for row in &audit {
        assert_eq!(row.subject_kind.as_deref(), Some("organisation"));
        let d: serde_json::Value = serde_json::from_str(&row.details).unwrap();
        assert_eq!(d["emailed"], true, "{d}");
        let org: i64 = row.subject_id.as_deref().unwrap().parse().unwrap();
        let n = d["reports"].as_u64().unwrap() as usize;
        assert!(
            expected[&org].iter().any(|(_, k, c)| *k == d["kind"] && *c == n),
            "{d} vs {:?}",
            expected[&org]
        );
    }
    let marked = reminder_rows(&app).await;
    let reports: usize = expected.values().flatten().map(|(_, _, n)| n).sum();
    assert_eq!(marked.len(), reports);
    assert!(marked.iter().all(|(_, _, emailed)| *emailed == 1));
}

#[tokio::test]
async fn without_an_smtp_host_nothing_is_sent_but_reminders_are_marked_once() {
    let app = TestApp::spawn().await;
    for (login, _) in EXECUTORS {
        set_email(&app, login, &format!("{login}@oberih.test")).await;
    }
    let today = today_with_overdue_reports(&app);
    let expected = expected(&app, today).await;
    assert!(!expected.is_empty());

    assert_eq!(web::reminders::run_once(&app.state).await.unwrap(), 0);
    let audit = plan_reminder_audit(&app).await;
    assert_eq!(audit.len(), expected.values().map(Vec::len).sum::<usize>());
    for row in &audit {
        let d: serde_json::Value = serde_json::from_str(&row.details).unwrap();
        assert_eq!(d["emailed"], false, "{d}");
    }
    let marked = reminder_rows(&app).await;
    assert_eq!(
        marked.len(),
        expected.values().flatten().map(|(_, _, n)| n).sum::<usize>()
    );
    assert!(marked.iter().all(|(_, _, emailed)| *emailed == 0));

    // Taken once: a second run finds nothing new.
    assert_eq!(web::reminders::run_once(&app.state).await.unwrap(), 0);
    assert_eq!(plan_reminder_audit(&app).await.len(), audit.len());
    assert_eq!(reminder_rows(&app).await.len(), marked.len());
}

/// The status procedure's deadlines: the case officers of a unit get one
/// message per kind (at risk, overdue) with counts, the earliest due date and
/// the link — no case reference, no name — and each step is reminded once.
#[tokio::test]
async fn case_officers_are_reminded_of_procedure_deadlines_once_without_names() {
    let (port, inbox) = smtp_sink().await;
    let app = TestApp::spawn_with(|c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = port;
        c.smtp.tls = "none".into();
        c.smtp.from = "noreply@oberih.test".into();
        c.server.public_origin = "https://oberih.test".into();
    })
    .await;
    set_email(&app, "officer", "officer@oberih.test").await;
    let unit = app.org_id("Полтавська РВА").await;
    let today = store::dates::kyiv_date(app.state.clock.now_secs());
    let dues: Vec<(String,)> = sqlx::query_as(
        "SELECT next_due_on FROM procedures WHERE unit_org_id = $1 AND next_due_on IS NOT NULL ORDER BY next_due_on",
    )
    .bind(unit)
    .fetch_all(app.db().raw_pool())
    .await
    .unwrap();
    let overdue = dues.iter().filter(|d| d.0 < today.to_string()).count();
    assert!(overdue >= 1, "the demo has an overdue step: {dues:?}");

    web::reminders::run_once(&app.state).await.unwrap();
    let mail: Vec<Received> = inbox
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.rcpt == ["officer@oberih.test"])
        .cloned()
        .collect();
    let over = mail
        .iter()
        .find(|m| m.subject.contains("прострочено"))
        .unwrap_or_else(|| panic!("no overdue mail: {mail:?}"));
    assert!(
        over.body.contains(&dotted(&dues[0].0)),
        "the earliest due date: {}",
        over.body
    );
    assert!(over.body.contains("https://oberih.test/deadlines"));
    let references: Vec<(String,)> = sqlx::query_as("SELECT reference FROM cases")
        .fetch_all(app.db().raw_pool())
        .await
        .unwrap();
    for m in &mail {
        assert!(
            references.iter().all(|r| !m.body.contains(&r.0)),
            "no reference in {}",
            m.body
        );
        assert!(!m.body.contains("Вигаданенко") && !m.body.contains("Уявненко"));
    }
    // Once: a second run mails nothing more to the officer.
    let before = inbox.lock().unwrap().len();
    web::reminders::run_once(&app.state).await.unwrap();
    assert_eq!(inbox.lock().unwrap().len(), before);
}

#[tokio::test]
async fn case_officers_are_reminded_of_stays_ending_and_payments_due_once() {
    let (port, inbox) = smtp_sink().await;
    let app = TestApp::spawn_with(|c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = port;
        c.smtp.tls = "none".into();
        c.smtp.from = "noreply@oberih.test".into();
        c.server.public_origin = "https://oberih.test".into();
    })
    .await;
    set_email(&app, "officer", "officer@oberih.test").await;
    // The demo has a stay past its limit, one near it, and an approved payment long overdue.
    web::reminders::run_once(&app.state).await.unwrap();
    let mail: Vec<Received> = inbox
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.rcpt == ["officer@oberih.test"] && m.subject.contains("розміщення або виплати"))
        .cloned()
        .collect();
    let over = mail
        .iter()
        .find(|m| m.subject.contains("минув"))
        .unwrap_or_else(|| panic!("no overdue mail: {mail:?}"));
    assert!(
        over.body.contains("розміщень у закладах допомоги: 1"),
        "{}",
        over.body
    );
    assert!(over.body.contains("одноразових виплат: 1"), "{}", over.body);
    assert!(over.body.contains("https://oberih.test/assistance"));
    let soon = mail
        .iter()
        .find(|m| m.subject.contains("спливає"))
        .unwrap_or_else(|| panic!("no at-risk mail: {mail:?}"));
    assert!(
        soon.body.contains("розміщень у закладах допомоги: 1"),
        "{}",
        soon.body
    );
    let references: Vec<(String,)> = sqlx::query_as("SELECT reference FROM cases")
        .fetch_all(app.db().raw_pool())
        .await
        .unwrap();
    for m in &mail {
        assert!(
            references.iter().all(|r| !m.body.contains(&r.0)),
            "no reference in {}",
            m.body
        );
    }
    // Once: a second run mails nothing more.
    let before = inbox.lock().unwrap().len();
    web::reminders::run_once(&app.state).await.unwrap();
    assert_eq!(inbox.lock().unwrap().len(), before);
}
