//! The consolidated half-year report on the plan of measures: a DOCX letter laid out
//! per ДСТУ 4163:2020, and an XLSX workbook with one row per measure and executor.

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::ooxml::{self, Align, BOLD, ITALIC, PLAIN, ParaFmt, RunFmt};
use crate::{ReportError, xlsx_text};

/// The consolidated half-year report on the plan, already translated and formatted.
#[derive(Debug, Clone, Default)]
pub struct Consolidated {
    /// E.g. "Начальнику Полтавської обласної військової адміністрації"; may be empty.
    pub addressee: String,
    pub title: String,
    /// E.g. "за I півріччя 2026 року".
    pub period: String,
    /// The approving act; may be empty.
    pub approved_by: String,
    /// E.g. "Складено 20.07.2026".
    pub compiled: String,
    pub goals: Vec<ConsGoal>,
    pub summary_title: String,
    /// Name, expected, submitted, on time, completeness %, timeliness %.
    pub summary_headings: [String; 6],
    pub summary_by_executor: Vec<SummaryRow>,
    pub summary_by_goal: Vec<SummaryRow>,
    pub summary_total: SummaryRow,
    pub labels: ConsLabels,
    /// E.g. "Директор Департаменту соціального захисту населення"; may be empty.
    pub signatory: String,
}

/// The words the report is built from, in the reader's language.
#[derive(Debug, Clone, Default)]
pub struct ConsLabels {
    /// "Оперативна ціль"
    pub goal: String,
    /// "Завдання"
    pub task: String,
    /// "Строк виконання"
    pub term: String,
    /// "Інформацію не подано."
    pub no_report: String,
    /// The XLSX sheet's name, e.g. "Звіт".
    pub sheet: String,
    /// Goal no, task no, measure no, measure, term, executor, status, submitted on, late,
    /// accepted on, report text.
    pub xlsx_headings: [String; 11],
    /// "Показники"
    pub figures: String,
    /// "Посилання"
    pub links: String,
    /// "За виконавцями"
    pub by_executor: String,
    /// "За оперативними цілями"
    pub by_goal: String,
    /// "Усього"
    pub total: String,
}

#[derive(Debug, Clone, Default)]
pub struct ConsGoal {
    pub number: u32,
    pub text: String,
    pub tasks: Vec<ConsTask>,
}

#[derive(Debug, Clone, Default)]
pub struct ConsTask {
    pub number: u32,
    pub text: String,
    pub measures: Vec<ConsMeasure>,
}

#[derive(Debug, Clone, Default)]
pub struct ConsMeasure {
    /// E.g. "1.3".
    pub number: String,
    pub text: String,
    pub term: String,
    pub entries: Vec<ConsEntry>,
}

/// What one executor reported on one measure.
#[derive(Debug, Clone, Default)]
pub struct ConsEntry {
    /// The organisation's name.
    pub executor: String,
    /// Translated status, e.g. "Прийнято".
    pub status: String,
    /// "14.07.2026" or "".
    pub submitted_on: String,
    /// "" or e.g. "із запізненням".
    pub late: String,
    pub accepted_on: String,
    /// What was done; paragraphs separated by "\n"; "" when nothing was reported.
    pub text: String,
    /// (indicator name with unit, value)
    pub figures: Vec<(String, String)>,
    pub links: Vec<String>,
}

/// One line of the completeness and timeliness summary.
#[derive(Debug, Clone, Default)]
pub struct SummaryRow {
    pub name: String,
    pub expected: u32,
    pub submitted: u32,
    pub on_time: u32,
    /// E.g. "87,5 %".
    pub completeness: String,
    pub timeliness: String,
}

/// "Показники: name — value; name — value", or "" when there are none.
fn figures_line(label: &str, figures: &[(String, String)]) -> String {
    if figures.is_empty() {
        return String::new();
    }
    let list: Vec<String> = figures
        .iter()
        .map(|(name, value)| format!("{} — {}", name.trim(), value.trim()))
        .collect();
    format!("{}: {}", label.trim(), list.join("; "))
}

/// "Посилання: a; b", or "" when there are none.
fn links_line(label: &str, links: &[String]) -> String {
    let links: Vec<&str> = links.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    if links.is_empty() {
        return String::new();
    }
    format!("{}: {}", label.trim(), links.join("; "))
}

/// "Прийнято, 14.07.2026, із запізненням": the parts that are there.
fn entry_state(e: &ConsEntry) -> String {
    [&e.status, &e.submitted_on, &e.late]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A short text followed by a longer one, with a space between when both are there.
fn joined(a: &str, b: &str) -> String {
    match (a.trim(), b.trim()) {
        ("", b) => b.to_string(),
        (a, "") => a.to_string(),
        (a, b) => format!("{a} {b}"),
    }
}

/// Paragraphs of `text`, one per non-empty line.
fn text_paras(text: &str, r: RunFmt, p: ParaFmt) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| ooxml::para(&ooxml::run(l, r), p))
        .collect()
}

/// The report as a DOCX document per ДСТУ 4163:2020: A4 portrait, Times New Roman 14 pt,
/// addressee top right, title centred, the plan's goals, tasks and measures with each
/// executor's report, then the summary table and the signatory.
pub fn consolidated_docx(c: &Consolidated) -> Result<Vec<u8>, ReportError> {
    let l = &c.labels;
    let width = ooxml::text_width(false);
    let mut body = String::new();

    if !c.addressee.trim().is_empty() {
        let p = ParaFmt {
            left: width / 2,
            after: 0,
            ..ParaFmt::default()
        };
        body.push_str(&text_paras(&c.addressee, PLAIN, p));
        body.push_str(&ooxml::para("", ParaFmt::default()));
    }
    let centred = ParaFmt::align(Align::Center);
    body.push_str(&text_paras(
        &c.title,
        BOLD,
        ParaFmt {
            before: 240,
            ..centred
        },
    ));
    body.push_str(&text_paras(&c.period, BOLD, centred));
    body.push_str(&text_paras(
        &c.approved_by,
        ITALIC,
        ParaFmt {
            before: 120,
            ..centred
        },
    ));
    body.push_str(&text_paras(
        &c.compiled,
        ITALIC.sized(Some(12)),
        ParaFmt {
            before: 120,
            ..centred
        },
    ));

    let text = ParaFmt::body();
    let keep = ParaFmt {
        keep_next: true,
        ..text
    };
    for g in &c.goals {
        let heading = format!("{} {}. {}", l.goal.trim(), g.number, g.text.trim());
        let p = ParaFmt {
            before: 360,
            after: 120,
            keep_next: true,
            ..text
        };
        body.push_str(&ooxml::para(&ooxml::run(heading.trim(), BOLD), p));
        for t in &g.tasks {
            let heading = format!("{} {}. {}", l.task.trim(), t.number, t.text.trim());
            let p = ParaFmt {
                before: 240,
                after: 120,
                keep_next: true,
                ..text
            };
            body.push_str(&ooxml::para(&ooxml::run(heading.trim(), BOLD.italic()), p));
            for m in &t.measures {
                let number = format!("{}. ", m.number.trim());
                let runs = ooxml::run(&number, BOLD) + &ooxml::run(m.text.trim(), PLAIN);
                body.push_str(&ooxml::para(&runs, ParaFmt { before: 240, ..keep }));
                if !m.term.trim().is_empty() {
                    let term = format!("{}: {}", l.term.trim(), m.term.trim());
                    body.push_str(&ooxml::para(&ooxml::run(&term, ITALIC), keep));
                }
                for e in &m.entries {
                    let mut runs = ooxml::run(e.executor.trim(), BOLD);
                    let state = entry_state(e);
                    if !state.is_empty() {
                        runs.push_str(&ooxml::run(&format!(" ({state})"), PLAIN));
                    }
                    body.push_str(&ooxml::para(&runs, ParaFmt { before: 120, ..keep }));
                    if e.text.trim().is_empty() {
                        body.push_str(&text_paras(&l.no_report, ITALIC, text));
                    } else {
                        body.push_str(&text_paras(&e.text, PLAIN, text));
                    }
                    body.push_str(&text_paras(&figures_line(&l.figures, &e.figures), PLAIN, text));
                    body.push_str(&text_paras(&links_line(&l.links, &e.links), PLAIN, text));
                }
            }
        }
    }

    body.push_str(&summary_docx(c, width));

    if !c.signatory.trim().is_empty() {
        let p = ParaFmt {
            before: 720,
            right_tab: width,
            ..ParaFmt::default()
        };
        body.push_str(&ooxml::paras(c.signatory.trim(), PLAIN, p));
    }
    ooxml::package(&joined(&c.title, &c.period), &body, false)
}

/// The summary heading and table: by executor, by goal, total.
fn summary_docx(c: &Consolidated, width: u32) -> String {
    let l = &c.labels;
    // Counts are short; percentages and their headings need more room.
    let count = width * 11 / 100;
    let share = width * 17 / 100;
    let widths = [width - 3 * count - 2 * share, count, count, count, share, share];
    let small = RunFmt {
        size: Some(12),
        ..RunFmt::default()
    };
    let centred = ParaFmt::align(Align::Center);
    let mut out = String::new();
    let p = ParaFmt {
        before: 480,
        after: 240,
        keep_next: true,
        ..centred
    };
    out.push_str(&text_paras(&c.summary_title, BOLD, p));

    let mut rows = String::new();
    let head: String = c
        .summary_headings
        .iter()
        .zip(widths)
        .map(|(h, w)| {
            ooxml::cell(
                w,
                1,
                None,
                Some("E7E6E6"),
                &ooxml::paras(h.trim(), small.bold(), centred),
            )
        })
        .collect();
    rows.push_str(&ooxml::row(&head, true));
    let line = |r: &SummaryRow, f: RunFmt, name: &str| -> String {
        let values = [
            r.expected.to_string(),
            r.submitted.to_string(),
            r.on_time.to_string(),
            r.completeness.trim().to_string(),
            r.timeliness.trim().to_string(),
        ];
        let mut cells = ooxml::cell(
            widths[0],
            1,
            None,
            None,
            &ooxml::paras(name, f, ParaFmt::default()),
        );
        for (v, w) in values.iter().zip(&widths[1..]) {
            cells.push_str(&ooxml::cell(*w, 1, None, None, &ooxml::paras(v, f, centred)));
        }
        ooxml::row(&cells, false)
    };
    for (label, list) in [
        (&l.by_executor, &c.summary_by_executor),
        (&l.by_goal, &c.summary_by_goal),
    ] {
        if list.is_empty() {
            continue;
        }
        if !label.trim().is_empty() {
            let content = ooxml::paras(label.trim(), small.bold().italic(), ParaFmt::default());
            let cell = ooxml::cell(width, 6, None, Some("F2F2F2"), &content);
            rows.push_str(&ooxml::row(&cell, false));
        }
        for r in list {
            rows.push_str(&line(r, small, r.name.trim()));
        }
    }
    let total_name = if c.summary_total.name.trim().is_empty() {
        &l.total
    } else {
        &c.summary_total.name
    };
    rows.push_str(&line(&c.summary_total, small.bold(), total_name.trim()));
    out.push_str(&ooxml::table(&widths, &rows));
    out
}

/// A name Excel accepts for a sheet: without []:*?/\, at most 31 characters (cut at a word).
fn sheet_name(name: &str, fallback: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let mut out = String::new();
    for word in clean.split_whitespace() {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.chars().count() > 31 {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        out = clean.chars().take(31).collect::<String>().trim().to_string();
    }
    if out.is_empty() { fallback.to_string() } else { out }
}

/// "87,5 %" as 0.875; `None` when it is not a percentage.
fn percent(text: &str) -> Option<f64> {
    let number: String = text
        .trim()
        .strip_suffix('%')?
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    number
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| v / 100.0)
}

/// A number when the text is a whole number, text otherwise.
fn write_number_or_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), ReportError> {
    match text.trim().parse::<u32>() {
        Ok(n) => sheet.write_number_with_format(row, col, n, format)?,
        Err(_) => sheet.write_string_with_format(row, col, xlsx_text(text.trim()), format)?,
    };
    Ok(())
}

/// The XLSX consolidated sheet's columns, in characters.
const XLSX_WIDTHS: [f64; 11] = [9.0, 9.0, 10.0, 50.0, 14.0, 32.0, 14.0, 13.0, 15.0, 13.0, 80.0];
/// The header row (0-based) of the consolidated sheet: title, period, act and date come first.
const XLSX_HEADER_ROW: u32 = 4;
/// The header row of the summary sheet.
const SUMMARY_HEADER_ROW: u32 = 2;

/// The report as an XLSX workbook: one row per measure and executor (a filterable table with
/// a frozen header), and a second sheet with the completeness and timeliness summary.
pub fn consolidated_xlsx(c: &Consolidated) -> Result<Vec<u8>, ReportError> {
    let l = &c.labels;
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(joined(&c.title, &c.period)));

    let base = Format::new().set_align(FormatAlign::Top);
    let wrap = base.clone().set_text_wrap();
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let head = wrap
        .clone()
        .set_bold()
        .set_background_color("#E7EEF7")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let percent_format = Format::new().set_num_format("0.0%");

    let name = sheet_name(&l.sheet, "Звіт");
    let sheet = wb.add_worksheet();
    sheet.set_name(&name)?;
    for (row, text, format) in [
        (0, &c.title, &title),
        (1, &c.period, &bold),
        (2, &c.approved_by, &base),
        (3, &c.compiled, &base),
    ] {
        if !text.trim().is_empty() {
            sheet.write_string_with_format(row, 0, xlsx_text(text.trim()), format)?;
        }
    }
    for (col, h) in l.xlsx_headings.iter().enumerate() {
        sheet.write_string_with_format(XLSX_HEADER_ROW, col as u16, xlsx_text(h.trim()), &head)?;
    }
    let mut row = XLSX_HEADER_ROW;
    let none = [ConsEntry::default()];
    for g in &c.goals {
        for t in &g.tasks {
            for m in &t.measures {
                // A measure nobody reports on still shows, with the executor's columns empty.
                let entries = if m.entries.is_empty() {
                    &none[..]
                } else {
                    &m.entries[..]
                };
                for e in entries {
                    row += 1;
                    sheet.write_number_with_format(row, 0, g.number, &base)?;
                    sheet.write_number_with_format(row, 1, t.number, &base)?;
                    write_number_or_text(sheet, row, 2, &m.number, &base)?;
                    let report = if m.entries.is_empty() {
                        String::new()
                    } else {
                        let text = if e.text.trim().is_empty() {
                            l.no_report.trim()
                        } else {
                            e.text.trim()
                        };
                        [
                            text.to_string(),
                            figures_line(&l.figures, &e.figures),
                            links_line(&l.links, &e.links),
                        ]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n")
                    };
                    let texts = [
                        m.text.trim(),
                        m.term.trim(),
                        e.executor.trim(),
                        e.status.trim(),
                        e.submitted_on.trim(),
                        e.late.trim(),
                        e.accepted_on.trim(),
                        report.as_str(),
                    ];
                    for (i, text) in texts.into_iter().enumerate() {
                        if !text.is_empty() {
                            sheet.write_string_with_format(row, 3 + i as u16, xlsx_text(text), &wrap)?;
                        }
                    }
                }
            }
        }
    }
    for (col, width) in XLSX_WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(XLSX_HEADER_ROW + 1, 0)?;
    sheet.autofilter(XLSX_HEADER_ROW, 0, row.max(XLSX_HEADER_ROW + 1), 10)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_repeat_rows(XLSX_HEADER_ROW, XLSX_HEADER_ROW)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_header("&C&P");

    let mut summary_name = sheet_name(&c.summary_title, "Підсумки");
    if summary_name.to_lowercase() == name.to_lowercase() {
        summary_name = sheet_name(&format!("{summary_name} 2"), "Підсумки");
    }
    let sheet = wb.add_worksheet();
    sheet.set_name(&summary_name)?;
    if !c.summary_title.trim().is_empty() {
        sheet.write_string_with_format(0, 0, xlsx_text(c.summary_title.trim()), &title)?;
    }
    if !c.period.trim().is_empty() {
        sheet.write_string_with_format(1, 0, xlsx_text(c.period.trim()), &bold)?;
    }
    for (col, h) in c.summary_headings.iter().enumerate() {
        sheet.write_string_with_format(SUMMARY_HEADER_ROW, col as u16, xlsx_text(h.trim()), &head)?;
    }
    let plain = SummaryFormats {
        text: wrap.clone(),
        number: base.clone(),
        percent: percent_format.clone(),
    };
    let strong = SummaryFormats {
        text: wrap.clone().set_bold(),
        number: base.clone().set_bold(),
        percent: percent_format.set_bold(),
    };
    let mut row = SUMMARY_HEADER_ROW;
    for (label, list) in [
        (&l.by_executor, &c.summary_by_executor),
        (&l.by_goal, &c.summary_by_goal),
    ] {
        if list.is_empty() {
            continue;
        }
        if !label.trim().is_empty() {
            row += 1;
            sheet.write_string_with_format(row, 0, xlsx_text(label.trim()), &bold)?;
        }
        for r in list {
            row += 1;
            summary_line(sheet, row, r, r.name.trim(), &plain)?;
        }
    }
    let total_name = if c.summary_total.name.trim().is_empty() {
        &l.total
    } else {
        &c.summary_total.name
    };
    summary_line(sheet, row + 1, &c.summary_total, total_name.trim(), &strong)?;
    sheet.set_column_width(0, 60)?;
    for col in 1..6 {
        sheet.set_column_width(col, 14)?;
    }
    sheet.set_freeze_panes(SUMMARY_HEADER_ROW + 1, 0)?;
    sheet.set_paper_size(9);
    Ok(wb.save_to_buffer()?)
}

struct SummaryFormats {
    text: Format,
    number: Format,
    percent: Format,
}

/// One summary row: counts as numbers, percentages as numbers when they parse.
fn summary_line(
    sheet: &mut Worksheet,
    row: u32,
    r: &SummaryRow,
    name: &str,
    f: &SummaryFormats,
) -> Result<(), ReportError> {
    sheet.write_string_with_format(row, 0, xlsx_text(name), &f.text)?;
    sheet.write_number_with_format(row, 1, r.expected, &f.number)?;
    sheet.write_number_with_format(row, 2, r.submitted, &f.number)?;
    sheet.write_number_with_format(row, 3, r.on_time, &f.number)?;
    for (col, value) in [(4, &r.completeness), (5, &r.timeliness)] {
        match percent(value) {
            Some(v) => sheet.write_number_with_format(row, col, v, &f.percent)?,
            None => sheet.write_string_with_format(row, col, xlsx_text(value.trim()), &f.number)?,
        };
    }
    Ok(())
}
