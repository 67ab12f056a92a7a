//! The `oberih` command line on a real SQLite file: migrate, import, users.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test binary: helpers fail the test by panicking"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn oberih(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oberih"));
    cmd.args(args)
        .env(
            "OBERIH__DATABASE__URL",
            format!("sqlite://{}/cli.sqlite3", dir.display()),
        )
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
    let dir = Dir(std::env::temp_dir().join(format!("oberih-cli-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
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
    let dir = Dir(std::env::temp_dir().join(format!("oberih-cli-cfg-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let cfg = dir.0.join("oberih.toml");
    std::fs::write(&cfg, "[security]\nsession_idle_minutes = 0\n").unwrap();
    let o = oberih(&dir.0, &["--config", cfg.to_str().unwrap(), "migrate"], None);
    assert!(!o.status.success());
    assert!(text(&o).contains("security.session_idle_minutes"), "{}", text(&o));
    let o = oberih(&dir.0, &["migrate"], None);
    assert!(o.status.success());
}
