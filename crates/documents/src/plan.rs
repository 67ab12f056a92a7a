//! The regional plan of measures (план заходів) as a table: goal → task → measure.
//!
//! [`plan_xlsx`] and [`plan_docx`] print it the way plans are printed;
//! [`read_plan_table`] reads the first table of an uploaded plan back into raw rows,
//! and reads our own exports back exactly.

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook};

use crate::ooxml::{self, Align, BOLD, ParaFmt, RunFmt, VMerge};
use crate::{ReportError, xlsx_text};

mod read;

pub use read::{PlanFileError, PlanFileKind, RawRow, read_plan_table};

/// The words that open a goal row: "Оперативна ціль {n}. {text}".
pub const GOAL_LABEL: &str = "Оперативна ціль";

/// The plan as a table: goal → task → measure, as plans are printed (seed layout).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanTable {
    pub title: String,
    /// E.g. the approving act; may be empty.
    pub subtitle: String,
    /// Column headings: task, measure, term, executors (already translated).
    pub headings: [String; 4],
    pub goals: Vec<PlanGoal>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanGoal {
    pub number: u32,
    pub text: String,
    pub tasks: Vec<PlanTask>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanTask {
    pub number: u32,
    pub text: String,
    pub measures: Vec<PlanMeasure>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanMeasure {
    pub number: u32,
    pub text: String,
    pub term: String,
    pub executors: Vec<String>,
}

/// One printed row of the plan table.
enum Line<'a> {
    Goal(String),
    Measure {
        /// The task's text on its first row; `None` on the rows after it.
        task: Option<String>,
        /// How many rows the task spans (on its first row).
        task_rows: usize,
        measure: String,
        term: &'a str,
        executors: String,
    },
}

/// The rows below the header, in the order they are printed.
fn lines(p: &PlanTable) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for g in &p.goals {
        out.push(Line::Goal(format!(
            "{GOAL_LABEL} {}. {}",
            g.number,
            g.text.trim()
        )));
        for t in &g.tasks {
            let task = format!("{}) {}", t.number, t.text.trim());
            if t.measures.is_empty() {
                // A task without measures still shows, so nothing of the plan is lost.
                out.push(Line::Measure {
                    task: Some(task),
                    task_rows: 1,
                    measure: String::new(),
                    term: "",
                    executors: String::new(),
                });
                continue;
            }
            for (i, m) in t.measures.iter().enumerate() {
                out.push(Line::Measure {
                    task: (i == 0).then(|| task.clone()),
                    task_rows: t.measures.len(),
                    measure: format!("{}. {}", m.number, m.text.trim()),
                    term: m.term.trim(),
                    executors: executors(&m.executors),
                });
            }
        }
    }
    out
}

/// Executors one per line, as plans print them.
fn executors(list: &[String]) -> String {
    list.iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .collect::<Vec<_>>()
        .join(";\n")
}

/// The sheet the plan is written to.
const SHEET: &str = "План заходів";
/// Column widths in characters: task, measure, term, executors.
const XLSX_WIDTHS: [f64; 4] = [36.0, 70.0, 14.0, 40.0];
/// The header's row (0-based): title, subtitle and a blank row come first.
const XLSX_HEADER_ROW: u32 = 3;
/// The height of one line of 12 pt text, in points.
const LINE_HEIGHT: f64 = 15.75;

/// Lines a text needs in a cell `width` characters wide (a rough estimate, for merged cells
/// which spreadsheet programs do not fit themselves).
fn estimated_lines(text: &str, width: f64) -> f64 {
    let per_line = (width * 1.1).max(1.0);
    text.split('\n')
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum()
}

/// The plan as an XLSX workbook: title in row 1, subtitle in row 2, header in row 4 (repeated
/// on each printed page), then goal rows merged across A:D and one row per measure.
pub fn plan_xlsx(p: &PlanTable) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(p.title.trim()));
    let sheet = wb.add_worksheet();
    sheet.set_name(SHEET)?;

    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let boxed = base.clone().set_border(FormatBorder::Thin);
    let title = base
        .clone()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let subtitle = base.clone().set_italic().set_align(FormatAlign::Center);
    let head = boxed
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#E7E6E6");
    let goal = boxed.clone().set_bold().set_background_color("#F2F2F2");
    // A task spans its measures' rows: borders drawn only around the whole group.
    let side = base
        .clone()
        .set_border_left(FormatBorder::Thin)
        .set_border_right(FormatBorder::Thin);
    let task_first = side.clone().set_border_top(FormatBorder::Thin);
    let task_only = boxed.clone();
    let task_middle = side.clone();
    let task_last = side.set_border_bottom(FormatBorder::Thin);

    let total_width: f64 = XLSX_WIDTHS.iter().sum();
    for (row, text, format) in [(0, p.title.trim(), &title), (1, p.subtitle.trim(), &subtitle)] {
        if text.is_empty() {
            continue;
        }
        sheet.merge_range(row, 0, row, 3, &xlsx_text(text), format)?;
        let lines = estimated_lines(text, total_width * if row == 0 { 0.85 } else { 1.0 });
        if lines > 1.0 {
            sheet.set_row_height(row, lines * if row == 0 { 18.75 } else { LINE_HEIGHT })?;
        }
    }
    for (col, heading) in p.headings.iter().enumerate() {
        sheet.write_string_with_format(XLSX_HEADER_ROW, col as u16, xlsx_text(heading.trim()), &head)?;
    }

    let mut row = XLSX_HEADER_ROW;
    let mut left_in_task = 0usize;
    for line in lines(p) {
        row += 1;
        match line {
            Line::Goal(text) => {
                sheet.merge_range(row, 0, row, 3, &xlsx_text(&text), &goal)?;
                let lines = estimated_lines(&text, total_width);
                if lines > 1.0 {
                    sheet.set_row_height(row, lines * LINE_HEIGHT)?;
                }
            }
            Line::Measure {
                task,
                task_rows,
                measure,
                term,
                executors,
            } => {
                if task.is_some() {
                    left_in_task = task_rows;
                }
                let task_format = match (task.is_some(), left_in_task) {
                    (true, 1) => &task_only,
                    (true, _) => &task_first,
                    (false, 1) => &task_last,
                    (false, _) => &task_middle,
                };
                left_in_task = left_in_task.saturating_sub(1);
                let task = task.unwrap_or_default();
                sheet.write_string_with_format(row, 0, xlsx_text(&task), task_format)?;
                sheet.write_string_with_format(row, 1, xlsx_text(&measure), &boxed)?;
                sheet.write_string_with_format(row, 2, xlsx_text(term), &boxed)?;
                sheet.write_string_with_format(row, 3, xlsx_text(&executors), &boxed)?;
            }
        }
    }

    for (col, width) in XLSX_WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(XLSX_HEADER_ROW + 1, 0)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_margins(0.8, 0.4, 0.8, 0.8, 0.3, 0.3);
    sheet.set_repeat_rows(XLSX_HEADER_ROW, XLSX_HEADER_ROW)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_header("&C&P");
    Ok(wb.save_to_buffer()?)
}

/// Column widths of the DOCX table in twips (landscape A4): task, measure, term, executors.
fn docx_widths() -> [u32; 4] {
    let total = ooxml::text_width(true);
    let task = total * 23 / 100;
    let term = total * 11 / 100;
    let executors = total * 24 / 100;
    [task, total - task - term - executors, term, executors]
}

/// The plan as a DOCX document (landscape A4): title and subtitle paragraphs, then the table,
/// its header row repeated on each page, goal rows spanning all four columns and the task cell
/// merged down over its measures.
pub fn plan_docx(p: &PlanTable) -> Result<Vec<u8>, ReportError> {
    let widths = docx_widths();
    let small = RunFmt {
        size: Some(12),
        ..RunFmt::default()
    };
    let cell_para = ParaFmt::default();
    let mut body = String::new();
    if !p.title.trim().is_empty() {
        let f = ParaFmt {
            after: 120,
            ..ParaFmt::align(Align::Center)
        };
        body.push_str(&ooxml::paras(p.title.trim(), BOLD, f));
    }
    if !p.subtitle.trim().is_empty() {
        let f = ParaFmt {
            after: 240,
            ..ParaFmt::align(Align::Center)
        };
        body.push_str(&ooxml::paras(p.subtitle.trim(), ooxml::ITALIC, f));
    }

    let mut rows = String::new();
    let head_cells: String = p
        .headings
        .iter()
        .zip(widths)
        .map(|(h, w)| {
            let content = ooxml::paras(h.trim(), small.bold(), ParaFmt::align(Align::Center));
            ooxml::cell(w, 1, None, Some("E7E6E6"), &content)
        })
        .collect();
    rows.push_str(&ooxml::row(&head_cells, true));
    let all: u32 = widths.iter().sum();
    for line in lines(p) {
        let cells = match line {
            Line::Goal(text) => {
                let content = ooxml::paras(&text, small.bold(), cell_para);
                ooxml::cell(all, 4, None, Some("F2F2F2"), &content)
            }
            Line::Measure {
                task,
                task_rows,
                measure,
                term,
                executors,
            } => {
                let first = match (&task, task_rows) {
                    (Some(t), 1) => ooxml::cell(widths[0], 1, None, None, &ooxml::paras(t, small, cell_para)),
                    (Some(t), _) => ooxml::cell(
                        widths[0],
                        1,
                        Some(VMerge::Restart),
                        None,
                        &ooxml::paras(t, small, cell_para),
                    ),
                    (None, _) => ooxml::cell(widths[0], 1, Some(VMerge::Continue), None, ""),
                };
                let text = |s: &str| {
                    if s.is_empty() {
                        String::new()
                    } else {
                        ooxml::paras(s, small, cell_para)
                    }
                };
                first
                    + &ooxml::cell(widths[1], 1, None, None, &text(&measure))
                    + &ooxml::cell(widths[2], 1, None, None, &text(term))
                    + &ooxml::cell(widths[3], 1, None, None, &text(&executors))
            }
        };
        rows.push_str(&ooxml::row(&cells, false));
    }
    body.push_str(&ooxml::table(&widths, &rows));
    // A document must not end with a table.
    body.push_str("<w:p/>");
    ooxml::package(p.title.trim(), &body, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_columns_fill_the_landscape_text_width() {
        assert_eq!(docx_widths().iter().sum::<u32>(), ooxml::text_width(true));
    }

    #[test]
    fn executors_are_one_per_line_and_blanks_dropped() {
        let list = ["ДСЗН ОВА".to_string(), " ".into(), "ГУНП ".into()];
        assert_eq!(executors(&list), "ДСЗН ОВА;\nГУНП");
    }
}
