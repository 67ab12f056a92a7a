//! Documents Oberih produces: the audit log as an XLSX workbook, the regional
//! plan of measures (XLSX, DOCX, and reading an uploaded plan back), and the
//! consolidated half-year report on the plan (DOCX, XLSX). Every uploaded package is
//! checked by [`archive::check_package`] before it is read.
//!
//! This crate turns plain rows into bytes; it knows nothing of the database or
//! the web, so every document can be tested by opening it with a reader.

pub mod archive;
pub mod cases;
pub mod consolidated;
mod ooxml;
pub mod payments;
pub mod plan;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

/// One audit row as shown to people: already formatted and translated.
#[derive(Debug, Clone, Default)]
pub struct AuditLine {
    pub time: String,
    pub user: String,
    pub action: String,
    pub subject: String,
    pub ip: String,
    pub request_id: String,
    pub details: String,
}

/// Column headings and the sheet name, in the reader's language.
#[derive(Debug, Clone)]
pub struct AuditHeadings {
    pub sheet: String,
    pub title: String,
    pub columns: [String; 7],
}

/// A document could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("could not build the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("could not build the document: {0}")]
    Docx(#[from] std::io::Error),
    #[error("the template cannot be used: {0}")]
    Template(#[from] cases::TemplateProblem),
}

/// The most characters an XLSX cell holds.
const XLSX_CELL_MAX: usize = 32_767;

/// Text that fits an XLSX cell: longer text is cut, ending with "…".
pub(crate) fn xlsx_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= XLSX_CELL_MAX {
        return text.into();
    }
    let mut cut: String = text.chars().take(XLSX_CELL_MAX - 1).collect();
    cut.push('…');
    cut.into()
}

/// The audit log as an XLSX workbook: a title row, a header row, one row per
/// entry; the header is frozen and filterable.
pub fn audit_xlsx(h: &AuditHeadings, lines: &[AuditLine]) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name(&h.sheet)?;
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_background_color("#E7EEF7")
        .set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_string_with_format(0, 0, &h.title, &title)?;
    for (col, name) in h.columns.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, name, &head)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let row = i as u32 + 2;
        for (col, value) in [
            &l.time,
            &l.user,
            &l.action,
            &l.subject,
            &l.ip,
            &l.request_id,
            &l.details,
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(row, col as u16, value.as_str(), &wrap)?;
        }
    }
    for (col, width) in [17.0, 16.0, 26.0, 18.0, 15.0, 18.0, 60.0].iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, (lines.len() as u32 + 1).max(2), 6)?;
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_is_produced_even_without_rows() {
        let h = AuditHeadings {
            sheet: "Аудит".into(),
            title: "Журнал аудиту".into(),
            columns: Default::default(),
        };
        let bytes = audit_xlsx(&h, &[]).unwrap();
        assert_eq!(&bytes[..2], b"PK", "an XLSX file is a ZIP archive");
    }

    #[test]
    fn text_too_long_for_a_cell_is_cut() {
        let long = "ї".repeat(40_000);
        let cut = xlsx_text(&long);
        assert_eq!(cut.chars().count(), XLSX_CELL_MAX);
        assert!(cut.ends_with('…'));
        assert_eq!(xlsx_text("коротко"), "коротко");
    }
}
