//! The register of one-time payments (CMU 660) for the accounting unit, as
//! an XLSX workbook: one line per entry (a payment when it is approved, a
//! reversal that corrects a line), real dates and amounts, the totals by
//! category, printed A4 landscape one page wide with the header repeated.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::ooxml::{self, Align, BOLD, PLAIN, ParaFmt, RunFmt};
use crate::{ReportError, xlsx_text};

/// A civil date as year, month, day (the caller's dates, already valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ymd(pub i16, pub i8, pub i8);

/// One line of the register, already translated.
#[derive(Debug, Clone, Default)]
pub struct RegisterRow {
    pub entered_on: Option<Ymd>,
    /// The pseudonymous case reference.
    pub case_reference: String,
    /// The recipient's name: only in an export that asks for names.
    pub recipient: String,
    pub category: String,
    /// Kopiykas; negative for a reversal.
    pub amount: i64,
    pub applied_on: Option<Ymd>,
    pub approved_on: Option<Ymd>,
    pub paid_on: Option<Ymd>,
    pub payment_ref: String,
    pub state: String,
    /// For a reversal: which line it corrects and why.
    pub note: String,
}

/// The register's words and requisites, in the reader's language.
#[derive(Debug, Clone, Default)]
pub struct RegisterLabels {
    pub sheet: String,
    /// E.g. "Реєстр виплат одноразової матеріальної допомоги за 01.01.2026–31.12.2026".
    pub title: String,
    /// The unit that keeps the register.
    pub unit: String,
    /// Said at the top when names are included ("Містить персональні дані…").
    pub names_notice: String,
    /// Headings: №, entered, case, recipient, category, amount, applied,
    /// approved, paid, payment reference, state, note.
    pub columns: [String; 12],
    pub totals_title: String,
    /// "Категорія", "Кількість", "Сума, грн".
    pub totals_columns: [String; 3],
    pub total: String,
}

const WIDTHS: [f64; 12] = [
    5.0, 10.5, 16.0, 24.0, 17.0, 12.0, 10.5, 10.5, 10.5, 13.0, 11.0, 24.0,
];
const HEADER_ROW: u32 = 3;
const FONT: &str = "Times New Roman";

fn date(d: Ymd) -> Result<ExcelDateTime, ReportError> {
    Ok(ExcelDateTime::from_ymd(d.0 as u16, d.1 as u8, d.2 as u8)?)
}

/// Lines a wrapped text takes in a column `width` characters wide (at least one).
fn lines_in(text: &str, width: f64) -> usize {
    let per = (width * 1.1).max(1.0) as usize;
    text.split('\n')
        .map(|l| l.chars().count().div_ceil(per).max(1))
        .sum::<usize>()
        .max(1)
}

fn put_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    d: Option<Ymd>,
    fmt: &Format,
    blank: &Format,
) -> Result<(), ReportError> {
    match d {
        Some(d) => sheet.write_datetime_with_format(row, col, &date(d)?, fmt)?,
        None => sheet.write_blank(row, col, blank)?,
    };
    Ok(())
}

/// The register as an XLSX workbook. `totals` is (category, count, kopiykas)
/// per category; the grand total follows. Without names the recipient column
/// is left out of the printed width (hidden), so nothing personal is there.
pub fn register_xlsx(
    labels: &RegisterLabels,
    rows: &[RegisterRow],
    totals: &[(String, i64, i64)],
    with_names: bool,
) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(labels.title.trim()));
    let base = Format::new().set_font_name(FONT).set_font_size(10);
    let title = base.clone().set_bold().set_font_size(13);
    let bold = base.clone().set_bold();
    let cell = base
        .clone()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let head = cell
        .clone()
        .set_bold()
        .set_background_color("#E7EEF7")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let date_fmt = cell
        .clone()
        .set_num_format("dd.mm.yyyy")
        .set_align(FormatAlign::Center);
    let money = cell
        .clone()
        .set_num_format("#,##0.00")
        .set_align(FormatAlign::Right);
    let number = cell.clone().set_align(FormatAlign::Center);
    let money_bold = money.clone().set_bold();
    let cell_bold = cell.clone().set_bold();

    let sheet = wb.add_worksheet();
    sheet.set_name(crate::cases::sheet_name_or(&labels.sheet, "Реєстр"))?;
    sheet.write_string_with_format(0, 0, xlsx_text(labels.title.trim()), &title)?;
    sheet.write_string_with_format(1, 0, xlsx_text(labels.unit.trim()), &bold)?;
    if with_names && !labels.names_notice.trim().is_empty() {
        sheet.write_string_with_format(2, 0, xlsx_text(labels.names_notice.trim()), &bold)?;
    }
    for (col, h) in labels.columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, xlsx_text(h.trim()), &head)?;
    }
    let head_lines = labels
        .columns
        .iter()
        .zip(WIDTHS)
        .map(|(h, w)| lines_in(h, w))
        .max()
        .unwrap_or(1);
    sheet.set_row_height(HEADER_ROW, 14.0 * head_lines as f64 + 2.0)?;
    let mut r = HEADER_ROW;
    for (i, line) in rows.iter().enumerate() {
        r += 1;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &number)?;
        put_date(sheet, r, 1, line.entered_on, &date_fmt, &cell)?;
        let texts: [(u16, &str); 6] = [
            (2, &line.case_reference),
            (3, if with_names { &line.recipient } else { "" }),
            (4, &line.category),
            (9, &line.payment_ref),
            (10, &line.state),
            (11, &line.note),
        ];
        let mut height = 1;
        for (col, t) in texts {
            let t = t.trim();
            if t.is_empty() {
                sheet.write_blank(r, col, &cell)?;
            } else {
                sheet.write_string_with_format(r, col, xlsx_text(t), &cell)?;
                height = height.max(lines_in(t, WIDTHS[col as usize]));
            }
        }
        sheet.write_number_with_format(r, 5, line.amount as f64 / 100.0, &money)?;
        put_date(sheet, r, 6, line.applied_on, &date_fmt, &cell)?;
        put_date(sheet, r, 7, line.approved_on, &date_fmt, &cell)?;
        put_date(sheet, r, 8, line.paid_on, &date_fmt, &cell)?;
        sheet.set_row_height(r, 13.0 * height as f64 + 2.0)?;
    }
    let last_line = r;
    // The totals, under the lines: by category, then the whole register.
    r += 2;
    sheet.write_string_with_format(r, 1, xlsx_text(labels.totals_title.trim()), &bold)?;
    r += 1;
    sheet.merge_range(r, 1, r, 4, labels.totals_columns[0].trim(), &head)?;
    sheet.write_string_with_format(r, 5, labels.totals_columns[2].trim(), &head)?;
    sheet.write_string_with_format(r, 6, labels.totals_columns[1].trim(), &head)?;
    for (name, count, sum) in totals {
        r += 1;
        sheet.merge_range(r, 1, r, 4, name.trim(), &cell)?;
        sheet.write_number_with_format(r, 5, *sum as f64 / 100.0, &money)?;
        sheet.write_number_with_format(r, 6, *count as f64, &number)?;
    }
    r += 1;
    let total: i64 = totals.iter().map(|t| t.2).sum();
    let count: i64 = totals.iter().map(|t| t.1).sum();
    sheet.merge_range(r, 1, r, 4, labels.total.trim(), &cell_bold)?;
    sheet.write_number_with_format(r, 5, total as f64 / 100.0, &money_bold)?;
    sheet.write_number_with_format(r, 6, count as f64, &number)?;

    for (col, width) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    if !with_names {
        sheet.set_column_hidden(3)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.autofilter(HEADER_ROW, 0, last_line.max(HEADER_ROW + 1), 11)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_footer("&C&P / &N");
    Ok(wb.save_to_buffer()?)
}

/// The covering letter that sends the register to the accounting unit, with
/// its requisites, already written in the reader's language by the caller.
#[derive(Debug, Clone, Default)]
pub struct RegisterLetter {
    /// The sending unit, as in its letterhead.
    pub sender: String,
    /// The addressee, in the dative ("Відділу бухгалтерського обліку…"), one line each.
    pub addressee: String,
    /// "№ 01-15/123 від 07.12.2026" (or blanks to fill in by hand).
    pub number_and_date: String,
    /// "Про реєстр виплат одноразової матеріальної допомоги".
    pub subject: String,
    /// The body paragraphs.
    pub paragraphs: Vec<String>,
    /// The totals by category: (category, count, amount text), and the total line.
    pub totals_headings: [String; 3],
    pub totals: Vec<(String, String, String)>,
    pub total: (String, String, String),
    /// "Додаток: …".
    pub enclosure: String,
    /// The signatory's position and «Ім'я ПРІЗВИЩЕ».
    pub position: String,
    pub signatory: String,
    /// "Виконавець: Ім'я Прізвище, телефон".
    pub executor: String,
}

/// The covering letter as DOCX: A4 portrait, Times New Roman 14 pt, the
/// sender's letterhead, number and date, the addressee on the right, the
/// subject, the text with the totals by category, the enclosure, the
/// signature block (position left, «Ім'я ПРІЗВИЩЕ» right) and the executor.
pub fn register_letter_docx(l: &RegisterLetter) -> Result<Vec<u8>, ReportError> {
    let width = ooxml::text_width(false);
    let mut body = String::new();
    let centred = ParaFmt::align(Align::Center);
    body.push_str(&ooxml::paras(l.sender.trim(), BOLD, centred));
    body.push_str(&ooxml::para("", ParaFmt::default()));
    body.push_str(&ooxml::paras(
        l.number_and_date.trim(),
        PLAIN,
        ParaFmt {
            after: 240,
            ..ParaFmt::default()
        },
    ));
    body.push_str(&ooxml::paras(
        l.addressee.trim(),
        PLAIN,
        ParaFmt {
            left: width / 2,
            after: 0,
            ..ParaFmt::default()
        },
    ));
    body.push_str(&ooxml::para("", ParaFmt::default()));
    body.push_str(&ooxml::paras(
        l.subject.trim(),
        BOLD,
        ParaFmt {
            before: 240,
            after: 240,
            ..ParaFmt::default()
        },
    ));
    for p in &l.paragraphs {
        body.push_str(&ooxml::paras(p.trim(), PLAIN, ParaFmt::body()));
    }
    // The totals: a small table, kept on one page.
    let (count, amount) = (width * 18 / 100, width * 26 / 100);
    let widths = [width - count - amount, count, amount];
    let small = RunFmt {
        size: Some(12),
        ..RunFmt::default()
    };
    let keep = ParaFmt {
        keep_next: true,
        ..ParaFmt::default()
    };
    let cell = |w: u32, text: &str, f: RunFmt, align: Align| {
        ooxml::cell(
            w,
            1,
            None,
            None,
            &ooxml::para(&ooxml::run(text, f), ParaFmt { align, ..keep }),
        )
    };
    let mut rows = String::new();
    let head: String = l
        .totals_headings
        .iter()
        .zip(widths)
        .map(|(h, w)| cell(w, h.trim(), small.bold(), Align::Center))
        .collect();
    rows.push_str(&ooxml::row(&head, true));
    for (name, n, sum) in &l.totals {
        let cells = cell(widths[0], name, small, Align::Left)
            + &cell(widths[1], n, small, Align::Right)
            + &cell(widths[2], sum, small, Align::Right);
        rows.push_str(&ooxml::row(&cells, false));
    }
    let (name, n, sum) = &l.total;
    let cells = cell(widths[0], name, small.bold(), Align::Left)
        + &cell(widths[1], n, small.bold(), Align::Right)
        + &cell(widths[2], sum, small.bold(), Align::Right);
    rows.push_str(&ooxml::row(&cells, false));
    body.push_str(&ooxml::para("", keep));
    body.push_str(&ooxml::table(&widths, &rows));
    if !l.enclosure.trim().is_empty() {
        body.push_str(&ooxml::paras(
            l.enclosure.trim(),
            PLAIN,
            ParaFmt {
                before: 240,
                ..ParaFmt::default()
            },
        ));
    }
    let sign = format!("{}\t{}", l.position.trim(), l.signatory.trim());
    body.push_str(&ooxml::paras(
        &sign,
        PLAIN,
        ParaFmt {
            before: 720,
            right_tab: width,
            ..ParaFmt::default()
        },
    ));
    if !l.executor.trim().is_empty() {
        body.push_str(&ooxml::paras(
            l.executor.trim(),
            RunFmt {
                size: Some(12),
                ..RunFmt::default()
            },
            ParaFmt {
                before: 960,
                ..ParaFmt::default()
            },
        ));
    }
    ooxml::package(l.subject.trim(), &body, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_builds_with_a_reversal() {
        let labels = RegisterLabels {
            sheet: "Реєстр".into(),
            title: "Реєстр".into(),
            columns: Default::default(),
            totals_columns: Default::default(),
            ..Default::default()
        };
        let rows = vec![
            RegisterRow {
                entered_on: Some(Ymd(2026, 3, 12)),
                case_reference: "UA53-2026-00001".into(),
                amount: 958_800,
                ..Default::default()
            },
            RegisterRow {
                entered_on: Some(Ymd(2026, 3, 13)),
                case_reference: "UA53-2026-00001".into(),
                amount: -958_800,
                note: "Сторно рядка 1".into(),
                ..Default::default()
            },
        ];
        let bytes = register_xlsx(&labels, &rows, &[("6–18".into(), 2, 0)], false).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
