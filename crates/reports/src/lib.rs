//! Documents Oberih produces. For now: the audit log as an XLSX workbook for
//! the auditor. (The consolidated plan report in DOCX and XLSX, the journal
//! and the certificates come with their features.)
//!
//! This crate turns plain rows into bytes; it knows nothing of the database or
//! the web, so every document can be tested by opening it with a reader.

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

#[derive(Debug, thiserror::Error)]
#[error("could not build the workbook: {0}")]
pub struct ReportError(#[from] XlsxError);

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
}
