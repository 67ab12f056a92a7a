//! Reading the first table of an uploaded plan file (XLSX or DOCX) into raw rows.
//!
//! The file's kind is decided by its content; the name's extension only states a claim.
//! When the name says .xlsx or .docx and the content is not that, the answer is
//! [`PlanFileError::Mismatch`].
//!
//! Before any reader opens the package, [`archive::check_package`] bounds what it holds;
//! while reading, the rows, cells and text kept are bounded too, since one shared string
//! may fill many cells. Either kind of limit is [`PlanFileError::TooLarge`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, SheetType, Xlsx};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader as XmlReader, XmlVersion};

use crate::archive::{self, ArchiveLimits, ArchiveProblem};

/// One row of the first table in an uploaded plan file.
///
/// `row` is 1-based, as a person sees it: the spreadsheet row for XLSX, the table row
/// (header = 1) for DOCX. Each cell is trimmed; paragraphs within a cell are joined with
/// "\n". A merged cell appears once, followed by "" for the columns it covers, and a
/// vertically merged continuation is "". Every row has at least 4 cells.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub row: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFileKind {
    Xlsx,
    Docx,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanFileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is neither an .xlsx workbook nor a .docx document")]
    NotAPlanFile,
    #[error("the file claims to be {claimed:?} but is not")]
    Mismatch { claimed: PlanFileKind },
    #[error("the document has no table")]
    NoTable,
    #[error("the file is damaged: {0}")]
    Damaged(String),
    /// The file is readable but larger than a plan table can be: more parts, unpacked
    /// bytes, records, rows, cells or text than are read. The text says which.
    #[error("the file is too large to read: {0}")]
    TooLarge(String),
}

/// Cells beyond this column are not read (a plan table has four).
const MAX_COLUMNS: usize = 64;
/// The most rows with text a plan table may have: a regional plan has 100–300.
const MAX_ROWS: usize = 20_000;
/// The most cells with text a plan table may have: ten for each of [`MAX_ROWS`] rows (a
/// plan has four columns; each cell kept costs about a hundred bytes).
const MAX_CELLS: usize = 200_000;
/// The most text all cells together may hold, in bytes (UTF-8). A plan of a few thousand
/// rows holds a few megabytes; in a workbook, one shared string may fill any number of
/// cells, so this is counted as cells are read.
const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;
/// How many times the rows may be visited to hide what merged ranges cover: ranges that
/// do not overlap visit each row at most once per column.
const MAX_MERGE_VISITS: usize = MAX_ROWS * MAX_COLUMNS;
/// Every row has at least this many cells.
const MIN_CELLS: usize = 4;

/// Read the rows of the plan table: for XLSX the first worksheet, for DOCX the first table
/// in the body. Fully empty rows are skipped.
pub fn read_plan_table(file_name: &str, bytes: &[u8]) -> Result<(PlanFileKind, Vec<RawRow>), PlanFileError> {
    if bytes.is_empty() {
        return Err(PlanFileError::Empty);
    }
    let claimed = claimed_kind(file_name);
    let not_it = || match claimed {
        Some(claimed) => PlanFileError::Mismatch { claimed },
        None => PlanFileError::NotAPlanFile,
    };
    // Every ZIP archive starts with a local file header, or is an empty archive.
    if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")) {
        return Err(not_it());
    }
    let limits = ArchiveLimits::default();
    archive::check_package(bytes, &limits).map_err(|p| match p {
        p if p.is_limit() => PlanFileError::TooLarge(p.to_string()),
        ArchiveProblem::Damaged(why) => PlanFileError::Damaged(why),
        p => PlanFileError::Damaged(p.to_string()),
    })?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    let kind = if zip.index_for_name("xl/workbook.xml").is_some() {
        PlanFileKind::Xlsx
    } else if zip.index_for_name("word/document.xml").is_some() {
        PlanFileKind::Docx
    } else {
        return Err(not_it());
    };
    if claimed.is_some_and(|c| c != kind) {
        return Err(not_it());
    }
    let rows = match kind {
        PlanFileKind::Xlsx => read_xlsx(bytes)?,
        PlanFileKind::Docx => {
            let mut xml = Vec::new();
            let part = zip.by_name("word/document.xml").map_err(damaged)?;
            // The check above has unpacked every part within the limit already.
            part.take(limits.max_part_bytes + 1)
                .read_to_end(&mut xml)
                .map_err(damaged)?;
            if xml.len() as u64 > limits.max_part_bytes {
                return Err(PlanFileError::TooLarge("the document is too large".into()));
            }
            read_docx_table(&xml)?
        }
    };
    Ok((kind, rows))
}

fn claimed_kind(file_name: &str) -> Option<PlanFileKind> {
    let (_, ext) = file_name.trim().rsplit_once('.')?;
    if ext.eq_ignore_ascii_case("xlsx") {
        Some(PlanFileKind::Xlsx)
    } else if ext.eq_ignore_ascii_case("docx") {
        Some(PlanFileKind::Docx)
    } else {
        None
    }
}

fn damaged(e: impl std::fmt::Display) -> PlanFileError {
    PlanFileError::Damaged(e.to_string())
}

/// What has been kept of a table so far, against [`MAX_ROWS`], [`MAX_CELLS`] and
/// [`MAX_TEXT_BYTES`].
#[derive(Default)]
struct Kept {
    rows: usize,
    cells: usize,
    text: usize,
}

impl Kept {
    fn row(&mut self) -> Result<(), PlanFileError> {
        self.rows += 1;
        if self.rows > MAX_ROWS {
            return Err(PlanFileError::TooLarge(format!(
                "the table has more than {MAX_ROWS} rows"
            )));
        }
        Ok(())
    }

    fn cell(&mut self, bytes: usize) -> Result<(), PlanFileError> {
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(PlanFileError::TooLarge(format!(
                "the table has more than {MAX_CELLS} cells with text"
            )));
        }
        self.text(bytes)
    }

    fn text(&mut self, bytes: usize) -> Result<(), PlanFileError> {
        self.text = self.text.saturating_add(bytes);
        if self.text > MAX_TEXT_BYTES {
            return Err(PlanFileError::TooLarge(format!(
                "the table holds more than {MAX_TEXT_BYTES} bytes of text"
            )));
        }
        Ok(())
    }
}

/// Rows gathered sparsely: row index (0-based) → column (0-based) → text.
type Sparse = BTreeMap<u32, BTreeMap<u32, String>>;

fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawRow>, PlanFileError> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(damaged)?;
    let Some(name) = wb
        .sheets_metadata()
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
    else {
        return Ok(Vec::new());
    };
    let merged = wb.merge_cells_by_sheet_name(&name).map_err(damaged)?;
    let mut rows = Sparse::new();
    let mut kept = Kept::default();
    {
        let mut cells = wb.worksheet_cells_reader(&name).map_err(damaged)?;
        while let Some(cell) = cells.next_cell().map_err(damaged)? {
            let (r, c) = cell.get_position();
            if c as usize >= MAX_COLUMNS {
                continue;
            }
            let value = cell_value(cell.get_value());
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            // Counted before the text is copied out of the shared strings.
            kept.cell(value.len())?;
            if !rows.contains_key(&r) {
                kept.row()?;
            }
            rows.entry(r).or_default().insert(c, tidy(value));
        }
    }
    // A merged range shows its first cell's value only; some programs keep the covered
    // cells' old values in the file.
    let mut visits = 0;
    for m in &merged {
        // "B5:A1" is the range A1:B5.
        let (r0, r1) = (m.start.0.min(m.end.0), m.start.0.max(m.end.0));
        let (c0, c1) = (m.start.1.min(m.end.1), m.start.1.max(m.end.1));
        if c0 as usize >= MAX_COLUMNS {
            continue;
        }
        for (&r, row) in rows.range_mut(r0..=r1) {
            visits += 1;
            if visits > MAX_MERGE_VISITS {
                return Err(PlanFileError::Damaged("merged ranges overlap".into()));
            }
            row.retain(|&c, _| !((c0..=c1).contains(&c) && (r, c) != (r0, c0)));
        }
    }
    let width = rows
        .values()
        .filter_map(|row| row.keys().next_back())
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0)
        .max(MIN_CELLS);
    Ok(rows
        .into_iter()
        .filter(|(_, row)| !row.is_empty())
        .map(|(r, row)| {
            let mut cells = vec![String::new(); width];
            for (c, text) in row {
                if let Some(slot) = cells.get_mut(c as usize) {
                    *slot = text;
                }
            }
            RawRow {
                row: r as usize + 1,
                cells,
            }
        })
        .collect())
}

/// A cell's value as a person sees it, not yet [tidied](tidy); a string is borrowed.
fn cell_value<'a>(value: &'a DataRef<'_>) -> Cow<'a, str> {
    match value {
        DataRef::Empty => Cow::Borrowed(""),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cow::Borrowed(s),
        DataRef::SharedString(s) => Cow::Borrowed(s),
        DataRef::Int(i) => i.to_string().into(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64).into(),
        DataRef::Float(f) => f.to_string().into(),
        DataRef::Bool(b) => b.to_string().into(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{day:02}.{mo:02}.{y:04}").into()
            } else {
                format!("{day:02}.{mo:02}.{y:04} {h:02}:{mi:02}").into()
            }
        }
        DataRef::DateTime(d) => d.to_string().into(),
        DataRef::Error(e) => e.to_string().into(),
    }
}

/// Trimmed text with Windows line ends as "\n".
fn tidy(text: &str) -> String {
    let text = text.trim();
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

/// One cell of a DOCX table row while it is being read.
struct DocxCell {
    span: usize,
    continued: bool,
    /// The paragraphs read so far, joined with "\n".
    text: String,
    paragraphs: usize,
}

impl DocxCell {
    fn push_paragraph(&mut self, paragraph: &str) {
        if self.paragraphs > 0 {
            self.text.push('\n');
        }
        self.text.push_str(paragraph);
        self.paragraphs += 1;
    }
}

/// One row of a DOCX table while it is being read.
#[derive(Default)]
struct DocxRow {
    grid_before: usize,
    cells: Vec<DocxCell>,
    grid_after: usize,
}

/// Where the reader is in `word/document.xml`.
#[derive(Default)]
struct DocxState {
    /// How deep in tables; the first table met outside any table is ours.
    depth: usize,
    found: bool,
    /// Inside mc:Fallback, a second copy of mc:Choice's content: its text is skipped.
    fallback: usize,
    /// Inside a run (`w:r`): only there do `w:tab` and `w:br` stand for text.
    in_run: usize,
    in_text: bool,
    row_no: usize,
    /// The rows with text; rows without are dropped as they end.
    rows: Vec<RawRow>,
    /// The most cells a row has had, with or without text.
    width: usize,
    kept: Kept,
    row: Option<DocxRow>,
    cell: Option<DocxCell>,
    paragraph: Option<String>,
}

impl DocxState {
    fn push(&mut self, text: &str) -> Result<(), PlanFileError> {
        if self.fallback == 0
            && let Some(p) = self.paragraph.as_mut()
        {
            self.kept.text(text.len())?;
            p.push_str(text);
        }
        Ok(())
    }

    /// An element that means the same whether written `<x/>` or `<x></x>`.
    fn property(&mut self, e: &BytesStart<'_>) -> Result<(), PlanFileError> {
        if !self.found || self.depth == 0 {
            return Ok(());
        }
        let ours = self.depth == 1;
        match e.local_name().as_ref() {
            "gridSpan" if ours => {
                if let Some(c) = self.cell.as_mut() {
                    c.span = number(e).clamp(1, MAX_COLUMNS);
                }
            }
            "vMerge" if ours => {
                if let Some(c) = self.cell.as_mut() {
                    c.continued = attr(e, "val").is_none_or(|v| v == "continue");
                }
            }
            "gridBefore" if ours && self.cell.is_none() => {
                if let Some(r) = self.row.as_mut() {
                    r.grid_before = number(e).min(MAX_COLUMNS);
                }
            }
            "gridAfter" if ours && self.cell.is_none() => {
                if let Some(r) = self.row.as_mut() {
                    r.grid_after = number(e).min(MAX_COLUMNS);
                }
            }
            "tab" | "ptab" if self.in_run > 0 => self.push("\t")?,
            "br" | "cr" if self.in_run > 0 => self.push("\n")?,
            "noBreakHyphen" if self.in_run > 0 => self.push("-")?,
            _ => {}
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<(), PlanFileError> {
        self.property(e)?;
        match e.local_name().as_ref() {
            "tbl" => {
                self.found |= self.depth == 0;
                self.depth += 1;
            }
            "Fallback" => self.fallback += 1,
            _ if !self.found || self.depth == 0 => {}
            "tr" if self.depth == 1 => {
                self.row_no += 1;
                self.row = Some(DocxRow::default());
            }
            "tc" if self.depth == 1 => {
                self.cell = Some(DocxCell {
                    span: 1,
                    continued: false,
                    text: String::new(),
                    paragraphs: 0,
                });
            }
            "p" if self.cell.is_some() => self.paragraph = Some(String::new()),
            "r" => self.in_run += 1,
            "t" => self.in_text = self.in_run > 0,
            _ => {}
        }
        Ok(())
    }

    /// `<x/>`.
    fn empty(&mut self, e: &BytesStart<'_>) -> Result<(), PlanFileError> {
        self.property(e)?;
        if self.found
            && self.depth > 0
            && self.fallback == 0
            && e.local_name().as_ref() == "p"
            && let Some(c) = self.cell.as_mut()
        {
            self.kept.text(1)?;
            c.push_paragraph("");
        }
        Ok(())
    }

    /// Returns true when our table has ended.
    fn end(&mut self, name: &str) -> Result<bool, PlanFileError> {
        match name {
            "tbl" => {
                self.depth = self.depth.saturating_sub(1);
                return Ok(self.found && self.depth == 0);
            }
            "Fallback" => self.fallback = self.fallback.saturating_sub(1),
            "r" => self.in_run = self.in_run.saturating_sub(1),
            "t" => self.in_text = false,
            "p" => {
                if let (Some(p), Some(c)) = (self.paragraph.take(), self.cell.as_mut())
                    && self.fallback == 0
                {
                    self.kept.text(1)?;
                    c.push_paragraph(&p);
                }
            }
            "tc" if self.depth == 1 => {
                if let (Some(c), Some(r)) = (self.cell.take(), self.row.as_mut()) {
                    r.cells.push(c);
                }
            }
            "tr" if self.depth == 1 => {
                if let Some(r) = self.row.take() {
                    let cells = flatten(r);
                    self.width = self.width.max(cells.len());
                    let filled = cells.iter().filter(|c| !c.is_empty()).count();
                    if filled > 0 {
                        self.kept.row()?;
                        for _ in 0..filled {
                            self.kept.cell(0)?;
                        }
                        self.rows.push(RawRow {
                            row: self.row_no,
                            cells,
                        });
                    }
                }
            }
            _ => {}
        }
        Ok(false)
    }
}

/// The first table of the document body as raw rows.
fn read_docx_table(xml: &[u8]) -> Result<Vec<RawRow>, PlanFileError> {
    let mut reader = XmlReader::from_reader(xml);
    let mut st = DocxState::default();
    loop {
        match reader.read_event().map_err(damaged)? {
            Event::Start(e) => st.start(&e)?,
            Event::Empty(e) => st.empty(&e)?,
            Event::Text(t) if st.in_text => st.push(&t.xml10_content())?,
            Event::GeneralRef(r) if st.in_text => {
                if let Some(c) = r.resolve_char_ref().map_err(damaged)? {
                    st.push(c.encode_utf8(&mut [0; 4]))?;
                } else {
                    let text = match &*r {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    };
                    st.push(text)?;
                }
            }
            // `end` closes the element; it answers true when our table is complete.
            Event::End(e) if st.end(e.local_name().as_ref())? => break,
            Event::Eof => break,
            _ => {}
        }
    }
    if !st.found {
        return Err(PlanFileError::NoTable);
    }
    let width = st.width.clamp(MIN_CELLS, MAX_COLUMNS);
    Ok(st
        .rows
        .into_iter()
        .map(|mut r| {
            r.cells.resize(width, String::new());
            r
        })
        .collect())
}

/// A row's cells laid out on the grid: a spanning cell is followed by "" for each
/// column it covers.
fn flatten(row: DocxRow) -> Vec<String> {
    let mut out = vec![String::new(); row.grid_before];
    for c in row.cells {
        let text = if c.continued {
            String::new()
        } else if c.text.trim().len() == c.text.len() {
            c.text
        } else {
            c.text.trim().to_string()
        };
        out.push(text);
        out.extend(std::iter::repeat_n(String::new(), c.span - 1));
        if out.len() >= MAX_COLUMNS {
            break;
        }
    }
    out.extend(std::iter::repeat_n(String::new(), row.grid_after));
    out.truncate(MAX_COLUMNS);
    out
}

/// The value of an attribute, by local name.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The numeric `w:val` of an element; 0 when it is missing or not a number.
fn number(e: &BytesStart<'_>) -> usize {
    attr(e, "val").and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}
