//! What one outsider or one upload can do to a running server: the real
//! binary (`oberih demo`) in its own process, so that its memory can be read
//! from `/proc/<pid>/status` while it is probed.

use std::io::{BufRead, BufReader, Cursor, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MIB: u64 = 1024 * 1024;

/// A demo server in its own process; killed when dropped.
struct Server {
    child: Child,
    url: String,
    _dir: super::Dir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(name: &str) -> Server {
        let dir = super::Dir(
            std::env::temp_dir().join(format!("oberih-{name}-{}", std::process::id())),
            // The demo's own SQLite file: no PostgreSQL database to drop.
            false,
        );
        std::fs::create_dir_all(&dir.0).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_oberih"))
            .args(["demo", "--listen", "127.0.0.1:0", "--db"])
            .arg(dir.0.join("demo.sqlite3"))
            .env("OBERIH_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut url = None;
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("Oberih demo is running: ") {
                url = Some(rest.trim_end_matches('/').to_string());
                break;
            }
        }
        // Keep reading: a closed pipe would fail the server's next line of output.
        std::thread::spawn(move || lines.for_each(drop));
        Server {
            url: url.expect("the demo prints its address"),
            child,
            _dir: dir,
        }
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// The most memory the server process has held since it started, in bytes.
    fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kib * 1024
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let i = html.find(marker).expect("a csrf token on the page");
    html[i + marker.len()..].split('"').next().unwrap().to_string()
}

async fn token(c: &reqwest::Client, url: String) -> String {
    csrf_in(&c.get(url).send().await.unwrap().text().await.unwrap())
}

async fn signed_in(s: &Server, login: &str) -> reqwest::Client {
    let c = client();
    let t = token(&c, s.at("/sign-in")).await;
    let r = c
        .post(s.at("/sign-in"))
        .form(&[
            ("login", login),
            ("password", seed::demo::DEMO_PASSWORD),
            ("csrf_token", &t),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "{login} signs in");
    c
}

/// An OOXML package from its parts; `big` is one more part written in `chunks`
/// of `chunk` bytes each (never held whole in memory).
fn package(parts: &[(&str, &str)], big: Option<(&str, &str, usize, usize, &str)>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, text) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    if let Some((name, head, chunk, chunks, tail)) = big {
        zip.start_file(name, opts).unwrap();
        zip.write_all(head.as_bytes()).unwrap();
        let spaces = vec![b' '; chunk];
        for _ in 0..chunks {
            zip.write_all(&spaces).unwrap();
        }
        zip.write_all(tail.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="План" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// The 1.8 KB workbook whose shared strings claim a hundred billion entries.
fn declares_a_hundred_billion_strings() -> Vec<u8> {
    let sheet = format!("{SHEET_HEAD}{SHEET_TAIL}");
    package(
        &[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", &sheet),
            (
                "xl/sharedStrings.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="100000000000" uniqueCount="100000000000"><si><t>Захід</t></si></sst>"#,
            ),
        ],
        None,
    )
}

/// A workbook of about 1 MiB whose worksheet inflates to 1 GiB.
fn inflates_to_a_gibibyte() -> Vec<u8> {
    package(
        &[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            (
                "xl/sharedStrings.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Захід</t></si></sst>"#,
            ),
        ],
        Some((
            "xl/worksheets/sheet1.xml",
            SHEET_HEAD,
            MIB as usize,
            1024,
            SHEET_TAIL,
        )),
    )
}

/// A DOCX template with `headers` header parts of `each` bytes of text each.
fn template_with_large_headers(headers: usize, each: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(format!(r#"<w:document {w}><w:body><w:p><w:r><w:t>{{{{certificate_no}}}} {{{{person_name}}}}</w:t></w:r></w:p></w:body></w:document>"#).as_bytes()).unwrap();
    let text = "Довідка ".repeat(each / "Довідка ".len());
    for i in 1..=headers {
        zip.start_file(format!("word/header{i}.xml"), opts).unwrap();
        zip.write_all(format!(r#"<w:hdr {w}><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:hdr>"#).as_bytes())
            .unwrap();
    }
    zip.finish().unwrap().into_inner()
}

async fn import_plan(s: &Server, c: &reqwest::Client, file_name: &str, bytes: Vec<u8>) -> (u16, String) {
    let t = token(c, s.at("/plans/import")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", t)
        .text("title", "Обласний план")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
    let r = c
        .post(s.at("/plans/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_and_floods_cannot_take_the_server_down() {
    let mut s = Server::start("outsider");
    let coordinator = signed_in(&s, "coordinator").await;
    let start_peak = s.peak_memory();
    eprintln!(
        "peak memory after start and demo seeding: {} MiB",
        start_peak / MIB
    );

    // 1. The 1.8 KB spreadsheet that declares 10^11 shared strings.
    let bomb = declares_a_hundred_billion_strings();
    assert!(bomb.len() < 4096, "a small file: {} bytes", bomb.len());
    let (status, body) = import_plan(&s, &coordinator, "план.xlsx", bomb).await;
    assert!(s.alive(), "the server survives the declared count");
    assert_eq!(status, 422, "refused beside the file field");
    assert!(body.contains("більше, ніж можна прочитати"), "a message: {body}");
    let peak = s.peak_memory();
    eprintln!("peak after the declared-count workbook: {} MiB", peak / MIB);
    assert!(peak < 200 * MIB, "peak {} MiB", peak / MIB);

    // 2. One MiB that inflates to one GiB.
    let inflating = inflates_to_a_gibibyte();
    eprintln!("the inflating workbook: {} KiB", inflating.len() / 1024);
    assert!(inflating.len() < 5 * MIB as usize, "under the upload limit");
    let (status, body) = import_plan(&s, &coordinator, "план.xlsx", inflating).await;
    assert!(s.alive());
    assert_eq!(status, 422);
    assert!(body.contains("більше, ніж можна прочитати"), "a message: {body}");
    let peak = s.peak_memory();
    eprintln!("peak after the inflating workbook: {} MiB", peak / MIB);
    assert!(peak < 200 * MIB, "peak {} MiB", peak / MIB);

    // 3. Two large template uploads at once: /healthz still answers at once.
    let admin = signed_in(&s, "admin").await;
    let template = template_with_large_headers(12, 5 * MIB as usize / 4);
    eprintln!("the template: {} KiB", template.len() / 1024);
    let mut uploads = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let (c, url, bytes) = (
            admin.clone(),
            s.at("/settings/templates/certificate"),
            template.clone(),
        );
        let t = token(&admin, s.at("/settings/templates")).await;
        uploads.spawn(async move {
            let started = Instant::now();
            let form = reqwest::multipart::Form::new().text("csrf_token", t).part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("довідка.docx"),
            );
            let r = c.post(url).multipart(form).send().await.unwrap();
            let status = r.status().as_u16();
            if status >= 400 {
                let body = r.text().await.unwrap_or_default();
                let _ = std::fs::write("/tmp/template-refused.html", &body);
            }
            (status, started.elapsed())
        });
    }
    let probe = client();
    let mut probes = Vec::new();
    while !uploads.is_empty() {
        let started = Instant::now();
        let r = probe.get(s.at("/healthz")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        probes.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(10)).await;
        while let Some(done) = uploads.try_join_next() {
            let (status, took) = done.unwrap();
            eprintln!("a template upload answered {status} in {took:?}");
            assert!(status < 500, "answered, not failed: {status}");
        }
    }
    probes.sort();
    let at = |q: f64| probes[((probes.len() - 1) as f64 * q) as usize];
    eprintln!(
        "/healthz during the uploads: {} probes, median {:?}, 90th percentile {:?}, slowest {:?}",
        probes.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
    assert!(
        probes.len() >= 5,
        "the uploads took long enough to probe during them"
    );
    // Parsing on the async workers stalled every request for seconds; on the
    // blocking threads only a busy machine delays the odd probe.
    assert!(
        at(0.9) < Duration::from_millis(100),
        "90th percentile of /healthz {:?}",
        at(0.9)
    );
    let peak = s.peak_memory();
    eprintln!("peak after the template uploads: {} MiB", peak / MIB);
    assert!(peak < 200 * MIB, "peak {} MiB", peak / MIB);

    // 4. A hundred sign-ins with unknown logins at once.
    let anonymous = client();
    let t = token(&anonymous, s.at("/sign-in")).await;
    let mut flood = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (c, url, t) = (anonymous.clone(), s.at("/sign-in"), t.clone());
        flood.spawn(async move {
            let login = format!("nobody{i}");
            c.post(url)
                .form(&[
                    ("login", login.as_str()),
                    ("password", "guess"),
                    ("csrf_token", &t),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(st) = flood.join_next().await {
        statuses.push(st.unwrap());
    }
    assert!(
        statuses.iter().all(|st| [401, 429].contains(st)),
        "refused or told to wait: {statuses:?}"
    );
    let peak = s.peak_memory();
    eprintln!("peak after 100 sign-ins at once: {} MiB", peak / MIB);
    assert!(peak < 300 * MIB, "peak {} MiB", peak / MIB);
    assert!(s.alive());
}
