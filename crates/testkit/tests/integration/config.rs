//! Configuration: unknown keys are refused, values checked, secrets never printed.

use web::config::Config;

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("oberih-config-{name}-{}.toml", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_valid_file_is_read() {
    let p = write(
        "ok",
        "[server]\nlisten = \"127.0.0.1:9000\"\n[security]\nsession_idle_minutes = 20\n",
    );
    let c = Config::load(Some(&p)).unwrap();
    assert_eq!(c.server.listen.port(), 9000);
    assert_eq!(c.security.session_idle_minutes, 20);
    assert_eq!(c.security.session_absolute_hours, 12, "defaults fill the rest");
}

#[test]
fn unknown_keys_are_refused_with_their_name() {
    let p = write(
        "unknown",
        "[server]\nlisten = \"127.0.0.1:9000\"\nlisten_port = 1\n",
    );
    let e = Config::load(Some(&p)).unwrap_err().to_string();
    assert!(e.contains("listen_port"), "{e}");
}

#[test]
fn bad_values_are_refused_and_the_secret_is_not_echoed() {
    let p = write("bad", "[database]\nurl = \"mysql://root:hunter2@db/x\"\n");
    let e = Config::load(Some(&p)).unwrap_err().to_string();
    assert!(e.contains("database.url"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    let missing = Config::load(Some(std::path::Path::new("/nonexistent/oberih.toml")))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("not found"), "{missing}");
}
