//! The `oberih` command line on a real SQLite file: migrate, import, users.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test binary: helpers fail the test by panicking"
)]

mod outsider;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A test's folder and database: a SQLite file in the folder, or — when
/// `OBERIH_TEST_DATABASE_URL` is set — a PostgreSQL database of its own on
/// that server, dropped with the folder.
struct Dir(PathBuf, bool);

impl Dir {
    fn new(tag: &str) -> Dir {
        let path = std::env::temp_dir().join(format!("oberih-{tag}-{}", std::process::id()));
        let on_postgres = postgres(&path).is_some();
        let dir = Dir(path, on_postgres);
        std::fs::create_dir_all(&dir.0).unwrap();
        if let Some((admin, name)) = postgres(&dir.0) {
            pg(&admin, &format!("DROP DATABASE IF EXISTS {name}"));
            pg(&admin, &format!("CREATE DATABASE {name}"));
        }
        dir
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // Only a folder made by `Dir::new` has a database of its own.
        if self.1
            && let Some((admin, name)) = postgres(&self.0)
        {
            pg(&admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PostgreSQL server's URL and this folder's database name, when the tests run on PostgreSQL.
fn postgres(dir: &Path) -> Option<(String, String)> {
    let admin = std::env::var("OBERIH_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))?;
    let tag: String = dir
        .file_name()?
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    Some((admin, format!("oberih_cli_{tag}")))
}

/// One statement on the PostgreSQL server.
fn pg(admin: &str, sql: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::ConnectOptions;
        let mut conn = admin
            .parse::<sqlx::postgres::PgConnectOptions>()
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::Executor::execute(&mut conn, sql).await.unwrap();
    });
}

/// The database URL of a test's folder.
fn db_url(dir: &Path) -> String {
    match postgres(dir) {
        Some((admin, name)) => {
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
        None => format!("sqlite://{}/cli.sqlite3", dir.display()),
    }
}

fn oberih(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oberih"));
    cmd.args(args)
        .env("OBERIH__DATABASE__URL", db_url(dir))
        .env("OBERIH_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("the binary finishes")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn migrate_import_and_manage_users_from_the_command_line() {
    let dir = Dir::new("cli");
    let d = dir.0.as_path();

    let o = oberih(d, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("migrations applied"));
    // The demo territories and organisations, through the load-test seeder with nothing extra.
    let o = oberih(d, &["bench-seed", "--orgs", "0", "--users", "0"], None);
    assert!(o.status.success(), "{}", text(&o));

    let bad = d.join("bad.csv");
    std::fs::write(&bad, "name,kind\nГО «Одна»,ngo\n,ngo\nГО «Три»,bakery\n").unwrap();
    let o = oberih(
        d,
        &[
            "org",
            "import",
            bad.to_str().unwrap(),
            "--territory",
            "Полтавська область",
        ],
        None,
    );
    assert!(!o.status.success());
    let out = text(&o);
    assert!(out.contains("bad.csv:3: name: Fill in this field."), "{out}");
    assert!(
        out.contains("bad.csv:4: kind: Choose a value from the list."),
        "{out}"
    );
    assert!(out.contains("2 problem(s); nothing was imported"), "{out}");

    let good = d.join("good.csv");
    std::fs::write(&good, "name,kind,edrpou\nГО «Одна»,ngo,14360570\n").unwrap();
    let o = oberih(
        d,
        &[
            "org",
            "import",
            good.to_str().unwrap(),
            "--territory",
            "Полтавська область",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("imported: 1 created, 0 updated, 0 unchanged"),
        "{}",
        text(&o)
    );

    let o = oberih(
        d,
        &[
            "user",
            "add",
            "--login",
            "o.koval",
            "--name",
            "Олена Коваль (демо)",
            "--org",
            "ГО «Одна»",
            "--role",
            "executor",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("temporary password (to be changed at first sign-in): "),
        "{}",
        text(&o)
    );

    let o = oberih(
        d,
        &[
            "user",
            "add",
            "--login",
            "boss",
            "--name",
            "X",
            "--org",
            "ПОЦЗ",
            "--role",
            "administrator",
            "--role",
            "case_officer",
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("roles: An administrator cannot hold roles that see cases"),
        "{}",
        text(&o)
    );

    let o = oberih(
        d,
        &[
            "user",
            "roles",
            "o.koval",
            "--role",
            "executor",
            "--role",
            "hotline_operator",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = oberih(
        d,
        &["user", "set-password", "o.koval", "--password-stdin"],
        Some("too-short\n"),
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("at least 12 characters"), "{}", text(&o));
    let o = oberih(
        d,
        &["user", "set-password", "o.koval", "--password-stdin"],
        Some("довге-нове-гасло-2026\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = oberih(d, &["user", "disable", "o.koval"], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = oberih(d, &["user", "disable", "nobody"], None);
    assert!(!o.status.success());
    assert!(text(&o).contains("no user with login nobody"));
}

#[test]
fn a_bad_configuration_is_refused_with_the_key_named() {
    let dir = Dir::new("cli-cfg");
    let cfg = dir.0.join("oberih.toml");
    std::fs::write(&cfg, "[security]\nsession_idle_minutes = 0\n").unwrap();
    let o = oberih(&dir.0, &["--config", cfg.to_str().unwrap(), "migrate"], None);
    assert!(!o.status.success());
    assert!(text(&o).contains("security.session_idle_minutes"), "{}", text(&o));
    let o = oberih(&dir.0, &["migrate"], None);
    assert!(o.status.success());
}

/// A .docx with one table, written as a ZIP archive with stored entries (no compression needed).
fn docx_with_table(rows: &[[&str; 4]]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in data {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:tbl>",
    );
    for r in rows {
        xml.push_str("<w:tr>");
        for c in r {
            xml.push_str(&format!(
                "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                esc(c)
            ));
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl></w:body></w:document>");
    let files: [(&str, &[u8]); 1] = [("word/document.xml", xml.as_bytes())];
    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 8]); // comment length, disk, internal and external attributes (part)
        central.extend_from_slice(&0u16.to_le_bytes()); // external attributes (rest)
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn a_plan_is_imported_whole_or_not_at_all_from_the_command_line() {
    let dir = Dir::new("cli-plan");
    let d = dir.0.as_path();
    // The demo data, with its plan (number 1).
    let o = oberih(d, &["bench-seed", "--orgs", "0", "--users", "0"], None);
    assert!(o.status.success(), "{}", text(&o));
    let details = [
        "--title",
        "План громади",
        "--territory",
        "Полтавська область",
        "--owner",
        "ДСЗН ОВА",
        "--years",
        "2024-2026",
        "--act-number",
        "12",
        "--act-date",
        "01.02.2024",
    ];

    let bad = d.join("bad.docx");
    std::fs::write(
        &bad,
        docx_with_table(&[
            [
                "Найменування завдання",
                "Найменування заходу",
                "Строк виконання",
                "Виконавці",
            ],
            ["Оперативна ціль 1. Інформування", "", "", ""],
            ["1) Просвіта", "1. Акції", "2024-2026", "ГУНП"],
            ["", "2.", "постійно", "ГУНП"],
            ["", "3. Публікації", "постійно", ""],
        ]),
    )
    .unwrap();
    let o = oberih(
        d,
        &[&["plan", "import", bad.to_str().unwrap()][..], &details[..]].concat(),
        None,
    );
    assert!(!o.status.success());
    let out = text(&o);
    assert!(out.contains("bad.docx: Row 4: The measure has no text."), "{out}");
    assert!(out.contains("bad.docx: Row 5: No executors given."), "{out}");
    assert!(out.contains("2 problem(s); nothing was imported"), "{out}");

    // The demo plan, exported and imported back: nothing of the bad file was written, so it is plan 2.
    let good = d.join("plan.xlsx");
    let o = oberih(d, &["plan", "export", "1", good.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = oberih(
        d,
        &[&["plan", "import", good.to_str().unwrap()][..], &details[..]].concat(),
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("imported plan 2: 4 goals, 30 measures, 156 executor links"),
        "{}",
        text(&o)
    );
}

#[test]
fn audit_verify_seals_checks_anchors_and_fails_on_a_broken_chain() {
    let dir = Dir::new("cli-audit");
    let d = dir.0.as_path();
    let o = oberih(d, &["bench-seed", "--orgs", "0", "--users", "0"], None);
    assert!(o.status.success(), "{}", text(&o));
    // Rows are sealed once a few seconds old: verify as if a minute had passed.
    let later = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(60))
        .unwrap()
        .to_string();
    let o = oberih(d, &["--now", &later, "audit", "verify"], None);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("the chain is intact"), "{out}");
    let anchor = out
        .lines()
        .find_map(|l| l.strip_prefix("end of the chain (write it down): "))
        .unwrap_or_else(|| panic!("no anchor in: {out}"))
        .to_string();
    let (seq, hash) = anchor.split_once(':').unwrap();
    let seq: i64 = seq.parse().unwrap();
    assert!(seq > 0 && hash.len() == 64, "{anchor}");

    let o = oberih(d, &["audit", "verify", "--anchor", &anchor], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 anchor(s) compared"), "{}", text(&o));

    let beyond = format!("{}:{hash}", seq + 1000);
    let o = oberih(d, &["audit", "verify", "--anchor", &beyond], None);
    assert!(!o.status.success());
    let out = text(&o);
    assert!(
        out.contains(&format!("the chain no longer reaches entry {}", seq + 1000)),
        "{out}"
    );
    assert!(
        out.contains("the audit log's seal is broken: 1 problem(s)"),
        "{out}"
    );

    let o = oberih(d, &["audit", "verify", "--anchor", "12:abc"], None);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("--anchor 12:abc: the hash must be 64 hexadecimal digits"),
        "{}",
        text(&o)
    );
}
