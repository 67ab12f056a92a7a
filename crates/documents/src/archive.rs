//! A look at an uploaded OOXML package (an .xlsx or .docx: a ZIP archive of XML parts)
//! before any reader opens it, so that no upload can make a reader take more memory than a
//! real document of its kind would.
//!
//! An archive states each part's unpacked size, and a part may state how many records
//! follow (`<sst uniqueCount="…">`); calamine reserves memory from such a number before it
//! reads what is there, and a reader keeps or copies what it reads. [`check_package`]
//! trusts none of the stated numbers. It unpacks every part as a stream into a counter
//! (holding no more of a part than its largest XML token), and reads every part with the
//! XML tokenizer the readers use (quick-xml, configured as calamine configures it; the
//! crate's own readers see the same tokens, or stop earlier), counting what the readers
//! would keep:
//!
//! - the parts and the bytes they unpack to ([`ArchiveLimits::max_entries`],
//!   [`ArchiveLimits::max_part_bytes`], [`ArchiveLimits::max_total_bytes`]); an encrypted
//!   part, or one compressed otherwise than stored or deflated, is damaged;
//! - the `count` and `uniqueCount` an `<sst>` declares, against
//!   [`ArchiveLimits::max_shared_strings`] and against the bytes its part really holds,
//!   and the shared strings (`<si>`) it really holds;
//! - the records of the kinds calamine keeps one each of while opening a workbook
//!   (relationships, sheets, defined names, number formats, fonts, fills, borders, cell
//!   formats) and merged ranges ([`ArchiveLimits::max_records`]);
//! - what calamine copies: every cell format (`<xf>`) gets a copy of its font's name and
//!   of its number format's code, every sheet a copy of its name and of its
//!   relationship's target ([`ArchiveLimits::max_copied_bytes`]);
//! - how deep elements nest: the tokenizer keeps the name of every open element
//!   ([`ArchiveLimits::max_depth`]);
//! - the cell references of `<c r>`, `<row r>`, `<dimension ref>` and `<mergeCell ref>`:
//!   one whose numbers overflow, or a range that ends before it starts, is damaged
//!   (calamine's arithmetic on them overflows).
//!
//! Elements are recognised by their local name wherever they stand, so what is counted
//! is never less than what a reader finds, whatever the part is called.

use std::io::{self, BufReader, Cursor, Read, Seek};

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};
use zip::{CompressionMethod, ZipArchive};

const MIB: u64 = 1024 * 1024;

/// The fewest bytes one shared string takes in its part: `<si><t/></si>` is 13, and no
/// program writes shorter ones.
const MIN_SHARED_STRING_BYTES: u64 = 10;
/// What calamine keeps for one cell format besides the copies of its font's name and its
/// number format's code: a `Style` (152 bytes), a `CellFormat`, allocation headers and
/// the slack of growing vectors.
const XF_BYTES: u64 = 320;
/// What calamine keeps for one sheet besides its name and its path: the (name, path)
/// pair, the sheet's metadata and allocation headers.
const SHEET_BYTES: u64 = 160;

/// How much of a package a reader of this crate may be asked to read.
///
/// The defaults leave a wide margin over real plans and templates: a regional plan has
/// 100–300 rows, and a plan of a few thousand rows as Excel or Word writes it is a few
/// megabytes unpacked. With them, everything the readers keep of a package stays well
/// under 200 MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// The most parts (ZIP entries). Excel writes about a dozen parts plus two per sheet,
    /// Word about fifteen plus images and headers. Default: 1,000.
    pub max_entries: usize,
    /// The most bytes one part may unpack to. A worksheet of 5,000 rows of a plan is
    /// about 3 MB, its shared strings (4 cells of up to a kilobyte each per row) about
    /// 20 MB. Default: 32 MiB.
    pub max_part_bytes: u64,
    /// The most bytes all parts together may unpack to. Default: 64 MiB.
    pub max_total_bytes: u64,
    /// The most shared strings a part may hold or declare (`<si>`, `<sst count
    /// uniqueCount>`). A plan of 5,000 rows has at most 20,000 distinct texts.
    /// Default: 200,000.
    pub max_shared_strings: u64,
    /// The most records of one kind a part may hold: relationships, sheets, defined
    /// names, number formats, fonts, fills, borders, cell formats, merged ranges. Excel
    /// itself allows at most 64,000 cell formats. Default: 65,536.
    pub max_records: u64,
    /// The most bytes calamine may spend on copies while opening a workbook (see the
    /// module's documentation). A workbook with a thousand cell formats and ten sheets
    /// takes under half a megabyte. Default: 16 MiB.
    pub max_copied_bytes: u64,
    /// The deepest elements may nest. A worksheet nests about 6 deep, a document with a
    /// text box in a table in a table about 40. Default: 256.
    pub max_depth: usize,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_entries: 1_000,
            max_part_bytes: 32 * MIB,
            max_total_bytes: 64 * MIB,
            max_shared_strings: 200_000,
            max_records: 65_536,
            max_copied_bytes: 16 * MIB,
            max_depth: 256,
        }
    }
}

/// Why a package is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveProblem {
    /// The bytes do not start as a ZIP archive does.
    #[error("the file is not a ZIP archive")]
    NotAnArchive,
    /// The archive cannot be unpacked: a broken directory, a part that fails to unpack or
    /// unpacks to more than it states, an encrypted part, an unknown compression, an
    /// impossible cell reference.
    #[error("the archive is damaged: {0}")]
    Damaged(String),
    #[error("the archive has {count} parts, more than the {limit} allowed")]
    TooManyParts { count: usize, limit: usize },
    #[error("the part {part} unpacks to more than {limit} bytes")]
    PartTooLarge { part: String, limit: u64 },
    #[error("the archive unpacks to more than {limit} bytes")]
    TooLargeInflated { limit: u64 },
    /// A stated count larger than the limit, or than the part could hold.
    #[error("the part {part} declares {declared} entries, more than it holds or than are read")]
    DeclaredCountTooLarge { part: String, declared: u64 },
    #[error("the part {part} has more than {limit} {record} records")]
    TooManyRecords {
        part: String,
        record: &'static str,
        limit: u64,
    },
    #[error("the part {part} nests elements more than {limit} deep")]
    TooDeep { part: String, limit: usize },
    #[error("opening the workbook would copy more than {limit} bytes of formats and sheet names")]
    TooMuchCopied { limit: u64 },
}

impl ArchiveProblem {
    /// True when the package could be read but goes beyond a limit; false when it is not
    /// an archive or is damaged.
    pub fn is_limit(&self) -> bool {
        !matches!(self, ArchiveProblem::NotAnArchive | ArchiveProblem::Damaged(_))
    }
}

/// Checks an uploaded package against `limits` before anything else reads it: see the
/// module's documentation for what is checked.
pub fn check_package(bytes: &[u8], limits: &ArchiveLimits) -> Result<(), ArchiveProblem> {
    // Every ZIP archive starts with a local file header, or is an empty archive.
    if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")) {
        return Err(ArchiveProblem::NotAnArchive);
    }
    // The directory is read whole; zip never reserves room for more entries than the
    // directory's bytes can hold, so this takes memory in proportion to the upload.
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    check_archive(&mut zip, limits)
}

fn damaged(e: impl std::fmt::Display) -> ArchiveProblem {
    ArchiveProblem::Damaged(e.to_string())
}

fn check_archive<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    limits: &ArchiveLimits,
) -> Result<(), ArchiveProblem> {
    if zip.len() > limits.max_entries {
        return Err(ArchiveProblem::TooManyParts {
            count: zip.len(),
            limit: limits.max_entries,
        });
    }
    if zip.has_duplicate_names() {
        return Err(ArchiveProblem::Damaged("two parts have the same name".into()));
    }
    // What the directory states: refused early, before unpacking anything.
    let mut stated = 0u64;
    for index in 0..zip.len() {
        let entry = zip.by_index_data(index).map_err(damaged)?;
        let part = entry
            .name()
            .map_or_else(|_| format!("#{index}"), |n| n.into_owned());
        if entry.encrypted() {
            return Err(ArchiveProblem::Damaged(format!("the part {part} is encrypted")));
        }
        let method = entry.compression();
        if !matches!(method, CompressionMethod::Stored | CompressionMethod::Deflated) {
            return Err(ArchiveProblem::Damaged(format!(
                "the part {part} is compressed with {method}, which Office documents do not use"
            )));
        }
        if entry.size() > limits.max_part_bytes {
            return Err(ArchiveProblem::PartTooLarge {
                part,
                limit: limits.max_part_bytes,
            });
        }
        stated = stated.saturating_add(entry.size());
        if stated > limits.max_total_bytes {
            return Err(ArchiveProblem::TooLargeInflated {
                limit: limits.max_total_bytes,
            });
        }
    }
    // What the parts hold: each is unpacked and counted, whatever it stated.
    let mut total = 0u64;
    let mut package = PackageScan::default();
    for index in 0..zip.len() {
        let entry = zip.by_index(index).map_err(damaged)?;
        let part = entry
            .name()
            .map_or_else(|_| format!("#{index}"), |n| n.into_owned());
        let room = limits
            .max_part_bytes
            .min(limits.max_total_bytes.saturating_sub(total));
        let mut counted = Counted::new(entry, room);
        let scan = scan_part(&mut counted, &part, limits, &mut package)?;
        // What the tokenizer left (after a syntax error, or past the end of the XML) is
        // unpacked too, so the size and the checksum are always checked. Its errors are in
        // `counted`.
        let _ = io::copy(&mut counted, &mut io::sink());
        if counted.over {
            return Err(if counted.read > limits.max_part_bytes {
                ArchiveProblem::PartTooLarge {
                    part,
                    limit: limits.max_part_bytes,
                }
            } else {
                ArchiveProblem::TooLargeInflated {
                    limit: limits.max_total_bytes,
                }
            });
        }
        if let Some(e) = counted.error {
            return Err(ArchiveProblem::Damaged(format!(
                "the part {part} cannot be unpacked: {e}"
            )));
        }
        total = total.saturating_add(counted.read);
        scan.finish(&part, counted.read, &mut package)?;
    }
    package.finish(limits)
}

/// A reader that counts what passes and fails once more than `limit` bytes have passed;
/// it remembers why it failed.
struct Counted<R> {
    inner: R,
    read: u64,
    limit: u64,
    over: bool,
    error: Option<String>,
}

impl<R> Counted<R> {
    fn new(inner: R, limit: u64) -> Self {
        Counted {
            inner,
            read: 0,
            limit,
            over: false,
            error: None,
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.over {
            return Err(io::Error::other("the limit is reached"));
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.read = self.read.saturating_add(n as u64);
                if self.read > self.limit {
                    self.over = true;
                    return Err(io::Error::other("the limit is reached"));
                }
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted && self.error.is_none() {
                    self.error = Some(e.to_string());
                }
                Err(e)
            }
        }
    }
}

/// Elements a reader keeps one record for, by local name, with the words for a refusal.
const RECORDS: [(&str, &str); 9] = [
    ("Relationship", "relationship"),
    ("sheet", "sheet"),
    ("definedName", "defined name"),
    ("numFmt", "number format"),
    ("font", "font"),
    ("fill", "fill"),
    ("border", "border"),
    ("xf", "cell format"),
    ("mergeCell", "merged range"),
];

/// What was found in one part.
#[derive(Debug, Default)]
struct PartScan {
    depth: usize,
    shared_strings: u64,
    /// The largest `uniqueCount` of an `<sst>`.
    declared_unique: u64,
    records: [u64; RECORDS.len()],
    /// The longest `<name …>` tag: no font's name is longer.
    longest_name: u64,
    /// The longest `<numFmt …>` tag: no number format's code is longer.
    longest_num_fmt: u64,
    /// The bytes of the `<sheet …>` tags: no sheet's name is longer.
    sheet_bytes: u64,
}

/// What was found in the whole package.
#[derive(Debug, Default)]
struct PackageScan {
    /// Copies of fonts' names and number formats' codes for the cell formats.
    copied: u64,
    sheets: u64,
    sheet_bytes: u64,
    /// The longest `<Relationship …>` tag: no target is longer.
    longest_relationship: u64,
}

impl PackageScan {
    fn finish(self, limits: &ArchiveLimits) -> Result<(), ArchiveProblem> {
        // Each sheet keeps its name twice and its relationship's target once.
        let sheets = self
            .sheets
            .saturating_mul(SHEET_BYTES.saturating_add(self.longest_relationship))
            .saturating_add(self.sheet_bytes.saturating_mul(2));
        if self.copied.saturating_add(sheets) > limits.max_copied_bytes {
            return Err(ArchiveProblem::TooMuchCopied {
                limit: limits.max_copied_bytes,
            });
        }
        Ok(())
    }
}

/// The part after its prefix: `x:sst` → `sst`.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Reads a part as calamine reads it and counts what calamine would keep. Stops at the
/// end of the XML or at the first syntax error: no reader gets past one.
fn scan_part<R: Read>(
    part_bytes: R,
    part: &str,
    limits: &ArchiveLimits,
    package: &mut PackageScan,
) -> Result<PartScan, ArchiveProblem> {
    let mut xml = XmlReader::from_reader(BufReader::new(part_bytes));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut scan = PartScan::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => scan.start(&e, part, limits, package)?,
            Ok(Event::End(_)) => scan.depth = scan.depth.saturating_sub(1),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ok(scan)
}

impl PartScan {
    fn start(
        &mut self,
        e: &BytesStart<'_>,
        part: &str,
        limits: &ArchiveLimits,
        package: &mut PackageScan,
    ) -> Result<(), ArchiveProblem> {
        self.depth += 1;
        if self.depth > limits.max_depth {
            return Err(ArchiveProblem::TooDeep {
                part: part.to_string(),
                limit: limits.max_depth,
            });
        }
        let name = e.name();
        let name = local(name.as_ref());
        let len = e.len() as u64;
        if let Some(i) = RECORDS.iter().position(|(n, _)| *n == name)
            && let (Some(count), Some((_, record))) = (self.records.get_mut(i), RECORDS.get(i))
        {
            *count += 1;
            if *count > limits.max_records {
                return Err(ArchiveProblem::TooManyRecords {
                    part: part.to_string(),
                    record,
                    limit: limits.max_records,
                });
            }
        }
        match name {
            "si" => {
                self.shared_strings += 1;
                if self.shared_strings > limits.max_shared_strings {
                    return Err(ArchiveProblem::TooManyRecords {
                        part: part.to_string(),
                        record: "shared string",
                        limit: limits.max_shared_strings,
                    });
                }
            }
            "sst" => {
                for (key, value) in raw_attributes(e.attributes_raw()) {
                    let key = local(key);
                    if key != "count" && key != "uniqueCount" {
                        continue;
                    }
                    let Some(declared) = leading_number(value) else {
                        continue;
                    };
                    if declared > limits.max_shared_strings {
                        return Err(ArchiveProblem::DeclaredCountTooLarge {
                            part: part.to_string(),
                            declared,
                        });
                    }
                    // calamine reserves room for `uniqueCount` strings; `count` is how
                    // many cells use them, which may be many more.
                    if key == "uniqueCount" {
                        self.declared_unique = self.declared_unique.max(declared);
                    }
                }
            }
            "name" => self.longest_name = self.longest_name.max(len),
            "numFmt" => self.longest_num_fmt = self.longest_num_fmt.max(len),
            "sheet" => self.sheet_bytes = self.sheet_bytes.saturating_add(len),
            "Relationship" => package.longest_relationship = package.longest_relationship.max(len),
            "c" | "row" => check_references(e, "r", part)?,
            "dimension" | "mergeCell" => check_references(e, "ref", part)?,
            _ => {}
        }
        Ok(())
    }

    /// What only the part's whole size tells, and what the part adds to the package.
    fn finish(self, part: &str, size: u64, package: &mut PackageScan) -> Result<(), ArchiveProblem> {
        if self.declared_unique > size / MIN_SHARED_STRING_BYTES {
            return Err(ArchiveProblem::DeclaredCountTooLarge {
                part: part.to_string(),
                declared: self.declared_unique,
            });
        }
        let count = |name: &str| {
            RECORDS
                .iter()
                .position(|(n, _)| *n == name)
                .and_then(|i| self.records.get(i))
                .copied()
                .unwrap_or(0)
        };
        // Every cell format copies a font (with its name) and a number format's code.
        let per_format = XF_BYTES
            .saturating_add(self.longest_name)
            .saturating_add(self.longest_num_fmt);
        package.copied = package
            .copied
            .saturating_add(count("xf").saturating_mul(per_format));
        package.sheets = package.sheets.saturating_add(count("sheet"));
        package.sheet_bytes = package.sheet_bytes.saturating_add(self.sheet_bytes);
        Ok(())
    }
}

/// The attributes of a tag as calamine reads them: `key="value"` or `key='value'`, raw,
/// until the first one that is not well formed.
fn raw_attributes(mut rest: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_ascii_start();
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let after = after.trim_ascii_start();
        let Some(quote) = after.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            break;
        };
        let value_and_tail = after.get(1..).unwrap_or_default();
        let (value, tail) = value_and_tail.split_once(quote).unwrap_or((value_and_tail, ""));
        out.push((key.trim_ascii_end(), value));
        rest = tail;
    }
    out
}

/// The number a count attribute starts with (leading spaces aside); `None` when it does
/// not start with a digit. A number too large for `u64` is `u64::MAX`.
fn leading_number(value: &str) -> Option<u64> {
    let digits: Vec<u64> = value
        .trim_ascii_start()
        .bytes()
        .take_while(u8::is_ascii_digit)
        .map(|d| u64::from(d - b'0'))
        .collect();
    if digits.is_empty() {
        return None;
    }
    Some(
        digits
            .into_iter()
            .fold(0u64, |n, d| n.saturating_mul(10).saturating_add(d)),
    )
}

/// Refuses a cell reference (`B7`) or range (`A1:D4`) in attribute `key` whose column or
/// row does not fit calamine's numbers, or a range that ends before it starts. Text that
/// is not a reference is left to the reader, which refuses it without harm.
fn check_references(e: &BytesStart<'_>, key: &str, part: &str) -> Result<(), ArchiveProblem> {
    for (k, value) in raw_attributes(e.attributes_raw()) {
        if local(k) != key {
            continue;
        }
        let bad = || {
            ArchiveProblem::Damaged(format!(
                "the part {part} refers to the cells {:?}",
                value.chars().take(40).collect::<String>()
            ))
        };
        let mut ends = Vec::new();
        for piece in value.split(':') {
            match cell_position(piece) {
                Position::Overflow => return Err(bad()),
                Position::At(col, row) => ends.push((col, row)),
                Position::NotAReference => {}
            }
        }
        if let [(c0, r0), (c1, r1)] = ends[..]
            && (c1 < c0 || r1 < r0)
        {
            return Err(bad());
        }
    }
    Ok(())
}

enum Position {
    /// Column (0 when there is none) and row, 1-based.
    At(u32, u32),
    /// Letters then digits, but more than `u32` holds.
    Overflow,
    NotAReference,
}

/// A reference read as calamine reads it: letters (the column, base 26), then digits.
fn cell_position(text: &str) -> Position {
    let mut col: u32 = 0;
    let mut row: u32 = 0;
    let mut digits = false;
    for b in text.bytes() {
        let next = match b {
            b'A'..=b'Z' | b'a'..=b'z' if !digits => {
                let letter = u32::from(b.to_ascii_uppercase() - b'A') + 1;
                col.checked_mul(26)
                    .and_then(|c| c.checked_add(letter))
                    .map(|c| col = c)
            }
            b'0'..=b'9' => {
                digits = true;
                row.checked_mul(10)
                    .and_then(|r| r.checked_add(u32::from(b - b'0')))
                    .map(|r| row = r)
            }
            _ => return Position::NotAReference,
        };
        if next.is_none() {
            return Position::Overflow;
        }
    }
    Position::At(col, row)
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn check(parts: &[(&str, &[u8])]) -> Result<(), ArchiveProblem> {
        check_package(&zip_of(parts), &ArchiveLimits::default())
    }

    const SST: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="2"><si><t>Захід</t></si><si><t>Строк</t></si></sst>"#;

    #[test]
    fn a_reader_stops_counting_at_its_limit_whatever_was_stated() {
        let mut counted = Counted::new(io::repeat(b' ').take(1 << 30), 1024 * 1024);
        let copied = io::copy(&mut counted, &mut io::sink());
        assert!(copied.is_err());
        assert!(counted.over);
        assert!(counted.read <= 1024 * 1024 + 64 * 1024, "{}", counted.read);
        assert!(counted.read > 1024 * 1024);
    }

    #[test]
    fn shared_strings_are_checked_against_the_limit_and_the_bytes_there_are() {
        assert_eq!(check(&[("xl/sharedStrings.xml", SST.as_bytes())]), Ok(()));
        let declared = |count: &str| SST.replace(r#"uniqueCount="2""#, &format!(r#"uniqueCount="{count}""#));
        for (count, declared_count) in [
            ("100000000000", 100_000_000_000),
            ("  000300000", 300_000),
            ("99999999999999999999999", u64::MAX),
            // Under the limit, but more than the part could hold.
            ("150000", 150_000),
        ] {
            assert_eq!(
                check(&[("xl/sharedStrings.xml", declared(count).as_bytes())]),
                Err(ArchiveProblem::DeclaredCountTooLarge {
                    part: "xl/sharedStrings.xml".into(),
                    declared: declared_count
                }),
                "{count}"
            );
        }
        // Whatever the part is called, and whatever the prefix.
        let prefixed = declared("100000000000")
            .replace("<sst ", "<x:sst ")
            .replace("</sst>", "</x:sst>");
        assert!(matches!(
            check(&[("foo/bar.bin", prefixed.as_bytes())]),
            Err(ArchiveProblem::DeclaredCountTooLarge { .. })
        ));
        // `count` says how many cells use the strings: more than there are is usual.
        let used = SST.replace(r#"count="3""#, r#"count="5000""#);
        assert_eq!(check(&[("xl/sharedStrings.xml", used.as_bytes())]), Ok(()));
        let used = SST.replace(r#"count="3""#, r#"count="5000000""#);
        assert!(check(&[("xl/sharedStrings.xml", used.as_bytes())]).is_err());
        // Not a number: calamine reserves nothing.
        assert_eq!(
            check(&[("xl/sharedStrings.xml", declared("many").as_bytes())]),
            Ok(())
        );

        let limits = ArchiveLimits {
            max_shared_strings: 10,
            ..ArchiveLimits::default()
        };
        let many = format!("<sst>{}</sst>", "<si><t>x</t></si>".repeat(11));
        assert!(matches!(
            check_package(&zip_of(&[("xl/sharedStrings.xml", many.as_bytes())]), &limits),
            Err(ArchiveProblem::TooManyRecords {
                record: "shared string",
                ..
            })
        ));
    }

    #[test]
    fn parts_and_their_sizes_are_limited() {
        let limits = ArchiveLimits {
            max_entries: 3,
            max_part_bytes: 1000,
            max_total_bytes: 1500,
            ..ArchiveLimits::default()
        };
        let small = [b'x'; 600];
        let ok = zip_of(&[("a", &small), ("b", &[b'y'; 800])]);
        assert_eq!(check_package(&ok, &limits), Ok(()));
        let four = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3"), ("d", b"4")]);
        assert_eq!(
            check_package(&four, &limits),
            Err(ArchiveProblem::TooManyParts { count: 4, limit: 3 })
        );
        let large = zip_of(&[("a", &[b'x'; 1001])]);
        assert_eq!(
            check_package(&large, &limits),
            Err(ArchiveProblem::PartTooLarge {
                part: "a".into(),
                limit: 1000
            })
        );
        let together = zip_of(&[("a", &small), ("b", &small), ("c", &small)]);
        assert_eq!(
            check_package(&together, &limits),
            Err(ArchiveProblem::TooLargeInflated { limit: 1500 })
        );
        assert_eq!(
            check_package(b"plain text", &limits),
            Err(ArchiveProblem::NotAnArchive)
        );
        assert!(matches!(
            check_package(&ok[..ok.len() - 10], &limits),
            Err(ArchiveProblem::Damaged(_))
        ));
    }

    /// `bytes` with each ZIP header's general purpose flags or compression method set.
    fn patched(bytes: &[u8], flags: Option<u16>, method: Option<u16>) -> Vec<u8> {
        let mut out = bytes.to_vec();
        let headers: Vec<(usize, usize)> = (0..out.len().saturating_sub(4))
            .filter_map(|i| match out.get(i..i + 4) {
                Some(b"PK\x03\x04") => Some((i, 6)),
                Some(b"PK\x01\x02") => Some((i, 8)),
                _ => None,
            })
            .collect();
        for (at, flags_at) in headers {
            if let Some(f) = flags {
                out[at + flags_at..at + flags_at + 2].copy_from_slice(&f.to_le_bytes());
            }
            if let Some(m) = method {
                out[at + flags_at + 2..at + flags_at + 4].copy_from_slice(&m.to_le_bytes());
            }
        }
        out
    }

    #[test]
    fn encrypted_parts_and_other_compressions_are_damage() {
        let plain = zip_of(&[("word/document.xml", b"<w:document/>")]);
        assert_eq!(check_package(&plain, &ArchiveLimits::default()), Ok(()));
        let encrypted = patched(&plain, Some(1), None);
        assert_eq!(
            check_package(&encrypted, &ArchiveLimits::default()),
            Err(ArchiveProblem::Damaged(
                "the part word/document.xml is encrypted".into()
            ))
        );
        let bzip2 = patched(&plain, None, Some(12));
        assert!(matches!(
            check_package(&bzip2, &ArchiveLimits::default()),
            Err(ArchiveProblem::Damaged(m)) if m.contains("compressed with")
        ));
    }

    #[test]
    fn what_calamine_copies_for_formats_and_sheets_is_limited() {
        let styles = |name_len: usize, formats: usize| {
            format!(
                r#"<styleSheet><fonts count="1"><font><sz val="11"/><name val="{}"/></font></fonts><cellXfs count="{formats}">{}</cellXfs></styleSheet>"#,
                "N".repeat(name_len),
                r#"<xf numFmtId="0" fontId="0"/>"#.repeat(formats)
            )
        };
        // A thousand formats of a usual font.
        assert_eq!(check(&[("xl/styles.xml", styles(15, 1000).as_bytes())]), Ok(()));
        // Each of a hundred formats would copy a font name of a megabyte.
        assert_eq!(
            check(&[("xl/styles.xml", styles(1 << 20, 100).as_bytes())]),
            Err(ArchiveProblem::TooMuchCopied { limit: 16 * MIB })
        );
        // Each of twenty sheets would copy a target of a megabyte.
        let rels = format!(
            r#"<Relationships><Relationship Id="rId1" Type="worksheet" Target="{}"/></Relationships>"#,
            "t".repeat(1 << 20)
        );
        let workbook = format!(
            "<workbook><sheets>{}</sheets></workbook>",
            (0..20)
                .map(|i| format!(r#"<sheet name="s{i}" sheetId="{i}" r:id="rId1"/>"#))
                .collect::<String>()
        );
        assert_eq!(
            check(&[
                ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
                ("xl/workbook.xml", workbook.as_bytes())
            ]),
            Err(ArchiveProblem::TooMuchCopied { limit: 16 * MIB })
        );
        let formats = format!("<cellXfs>{}</cellXfs>", "<xf/>".repeat(65_537));
        assert!(matches!(
            check(&[("xl/styles.xml", formats.as_bytes())]),
            Err(ArchiveProblem::TooManyRecords {
                record: "cell format",
                ..
            })
        ));
    }

    #[test]
    fn deep_nesting_and_impossible_references_are_refused() {
        let deep = format!("{}{}", "<w:tbl>".repeat(300), "</w:tbl>".repeat(300));
        assert_eq!(
            check(&[("word/document.xml", deep.as_bytes())]),
            Err(ArchiveProblem::TooDeep {
                part: "word/document.xml".into(),
                limit: 256
            })
        );
        let shallow = format!("{}{}", "<w:tbl>".repeat(200), "</w:tbl>".repeat(200)).repeat(50);
        assert_eq!(check(&[("word/document.xml", shallow.as_bytes())]), Ok(()));

        let sheet = |refs: &str| {
            format!(
                r#"<worksheet><dimension ref="A1:D4"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells>{refs}</mergeCells></worksheet>"#
            )
        };
        let ok = sheet(r#"<mergeCell ref="A4:D4"/><mergeCell ref="XFD1048576"/>"#);
        assert_eq!(check(&[("xl/worksheets/sheet1.xml", ok.as_bytes())]), Ok(()));
        for bad in [
            r#"<mergeCell ref="D4:A4"/>"#,
            r#"<mergeCell ref="A5:A4"/>"#,
            r#"<mergeCell ref="A99999999999"/>"#,
            r#"<mergeCell ref="AAAAAAAAAA1"/>"#,
        ] {
            assert!(
                matches!(
                    check(&[("xl/worksheets/sheet1.xml", sheet(bad).as_bytes())]),
                    Err(ArchiveProblem::Damaged(_))
                ),
                "{bad}"
            );
        }
        let row = sheet("").replace(r#"<row r="1">"#, r#"<row r="4294967296">"#);
        assert!(matches!(
            check(&[("xl/worksheets/sheet1.xml", row.as_bytes())]),
            Err(ArchiveProblem::Damaged(_))
        ));
    }

    #[test]
    fn attributes_are_read_as_calamine_reads_them() {
        assert_eq!(
            raw_attributes(r#" xmlns="u" count = '3' uniqueCount="2" broken"#),
            [("xmlns", "u"), ("count", "3"), ("uniqueCount", "2")]
        );
        assert_eq!(raw_attributes(r#" a=b c="1""#), Vec::<(&str, &str)>::new());
        assert_eq!(leading_number(" 0012x"), Some(12));
        assert_eq!(leading_number("x12"), None);
        assert_eq!(local("x:sst"), "sst");
        assert_eq!(local("sst"), "sst");
    }
}
