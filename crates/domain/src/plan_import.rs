//! Reading a plan table (the seed's four columns: task, measure, term,
//! executors, with goal rows between) into goals, tasks and measures.
//!
//! The file formats are read elsewhere (`documents::plan`); this module sees
//! rows of cell texts with their row numbers and says what each row is, or
//! what is wrong with it. Every problem is collected, none stops the reading,
//! so the person sees the whole list at once.

use crate::plan::{MAX_TEXT, Term};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Row number as the person sees it in the file (0 = the file as a whole).
    pub row: usize,
    /// Fluent message id.
    pub message_id: &'static str,
    /// The text the message is about (an executor's name), if any.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedPlan {
    pub goals: Vec<ParsedGoal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedGoal {
    pub row: usize,
    pub number: u32,
    pub text: String,
    pub tasks: Vec<ParsedTask>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedTask {
    pub row: usize,
    pub number: u32,
    pub text: String,
    pub measures: Vec<ParsedMeasure>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedMeasure {
    pub row: usize,
    pub number: u32,
    pub text: String,
    pub term: String,
    /// Executor names as written, one per line or `;`-separated.
    pub executors: Vec<String>,
}

impl ParsedPlan {
    pub fn measure_count(&self) -> usize {
        self.goals
            .iter()
            .flat_map(|g| &g.tasks)
            .map(|t| t.measures.len())
            .sum()
    }

    /// Every executor name with the rows it appears on, in first-seen order.
    pub fn executor_names(&self) -> Vec<(String, Vec<usize>)> {
        let mut out: Vec<(String, Vec<usize>)> = Vec::new();
        for m in self.goals.iter().flat_map(|g| &g.tasks).flat_map(|t| &t.measures) {
            for name in &m.executors {
                match out.iter_mut().find(|(n, _)| n == name) {
                    Some((_, rows)) => rows.push(m.row),
                    None => out.push((name.clone(), vec![m.row])),
                }
            }
        }
        out
    }
}

fn has_word(cell: &str, stems: &[&str]) -> bool {
    let lower = cell.to_lowercase();
    stems.iter().any(|s| lower.contains(s))
}

/// Whether a row is the header: task, measure, term, executors (in Ukrainian or English).
fn is_header(cells: &[String]) -> bool {
    cells.len() >= 4
        && has_word(&cells[0], &["завдан", "task"])
        && has_word(&cells[1], &["захід", "заход", "measure"])
        && has_word(&cells[2], &["строк", "термін", "term"])
        && has_word(&cells[3], &["виконав", "відповідальн", "executor"])
}

/// Splits a leading number: "3) текст", "3. текст", "1.3. текст" (the last part counts).
fn split_number(text: &str) -> (Option<u32>, String) {
    let t = text.trim();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || c == '.' {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let (head, rest) = t.split_at(end);
    let closed = head.ends_with('.') || rest.starts_with(')');
    let rest = rest.strip_prefix(')').unwrap_or(rest);
    let number = head
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .and_then(|n| n.parse::<u32>().ok());
    match number {
        Some(n) if closed && (rest.starts_with(char::is_whitespace) || rest.is_empty()) => {
            (Some(n), rest.trim().to_string())
        }
        _ => (None, t.to_string()),
    }
}

/// A goal row: "Оперативна ціль 2. Текст" (or "Операційна ціль", "Ціль", "Goal")
/// in the first cell, the other cells empty.
fn goal_row(cells: &[String]) -> Option<(Option<u32>, String)> {
    if cells.iter().skip(1).any(|c| !c.trim().is_empty()) {
        return None;
    }
    let first = cells.first()?.trim();
    let lower = first.to_lowercase();
    let rest_at = [
        "оперативна ціль",
        "операційна ціль",
        "ціль",
        "operational goal",
        "goal",
    ]
    .iter()
    .find(|p| lower.starts_with(*p))
    .map(|p| p.len())?;
    // Byte offsets agree between the lower-cased and the original text for these prefixes.
    let rest = first.get(rest_at..).unwrap_or("").trim();
    let (n, text) = split_number(rest);
    Some((n, text))
}

fn split_executors(cell: &str) -> Vec<String> {
    cell.split(['\n', ';'])
        .map(|s| s.trim().trim_end_matches(',').trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads the rows. Problems are returned together; an empty list means the plan can be written.
pub fn parse_rows(rows: &[(usize, Vec<String>)]) -> Result<ParsedPlan, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut p = |row: usize, message_id: &'static str, detail: Option<String>| {
        problems.push(ImportProblem {
            row,
            message_id,
            detail,
        })
    };
    let Some(header_at) = rows.iter().position(|(_, c)| is_header(c)) else {
        let id = if rows.is_empty() {
            "err-import-no-rows"
        } else {
            "err-import-columns"
        };
        p(0, id, None);
        return Err(problems);
    };
    let mut plan = ParsedPlan::default();
    for (row, cells) in &rows[header_at + 1..] {
        let row = *row;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some((n, text)) = goal_row(cells) {
            if text.is_empty() {
                p(row, "err-import-goal-text", None);
            }
            let number = n.unwrap_or(plan.goals.len() as u32 + 1);
            plan.goals.push(ParsedGoal {
                row,
                number,
                text,
                tasks: Vec::new(),
            });
            continue;
        }
        if cells.len() < 4 {
            p(row, "err-import-columns-row", None);
            continue;
        }
        let Some(goal) = plan.goals.last_mut() else {
            p(row, "err-import-before-goal", None);
            continue;
        };
        let task_cell = cells[0].trim();
        if !task_cell.is_empty() {
            let (n, text) = split_number(task_cell);
            let number = n.unwrap_or(goal.tasks.len() as u32 + 1);
            goal.tasks.push(ParsedTask {
                row,
                number,
                text,
                measures: Vec::new(),
            });
        }
        let Some(task) = goal.tasks.last_mut() else {
            p(row, "err-import-no-task", None);
            continue;
        };
        let (n, text) = split_number(&cells[1]);
        if text.is_empty() {
            p(row, "err-import-measure-text", None);
            continue;
        }
        if text.chars().count() > MAX_TEXT {
            p(row, "err-import-too-long", None);
            continue;
        }
        let term = cells[2].trim().to_string();
        if let Term::Other(_) = Term::parse(&term)
            && term.chars().count() > 100
        {
            p(row, "err-import-term", Some(term.clone()));
        }
        let executors = split_executors(&cells[3]);
        if executors.is_empty() {
            p(row, "err-import-no-executors", None);
        }
        let number = n.unwrap_or(task.measures.len() as u32 + 1);
        task.measures.push(ParsedMeasure {
            row,
            number,
            text,
            term,
            executors,
        });
    }
    if plan.measure_count() == 0 {
        p(0, "err-import-no-rows", None);
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(row: usize, cells: &[&str]) -> (usize, Vec<String>) {
        (row, cells.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_table_with_goal_rows_reads_into_goals_tasks_and_measures() {
        let rows = vec![
            r(1, &["Обласний план", "", "", ""]),
            r(
                3,
                &[
                    "Найменування завдання",
                    "Найменування заходу",
                    "Строк виконання",
                    "Виконавці",
                ],
            ),
            r(4, &["Оперативна ціль 1. Інформування населення", "", "", ""]),
            r(5, &["1) Просвіта", "1. Акції", "2023-2025", "ДСЗН ОВА;\nГУНП"]),
            r(6, &["", "2. Публікації", "постійно", "ГУНП"]),
            r(7, &["Оперативна ціль 2. Захист", "", "", ""]),
            r(
                8,
                &["2) Допомога", "1. Притулок", "", "БО «Світло надії» (за згодою)"],
            ),
        ];
        let plan = parse_rows(&rows).unwrap();
        assert_eq!(plan.goals.len(), 2);
        assert_eq!(plan.goals[0].text, "Інформування населення");
        assert_eq!(plan.goals[0].tasks[0].number, 1);
        assert_eq!(plan.goals[0].tasks[0].measures.len(), 2);
        assert_eq!(
            plan.goals[0].tasks[0].measures[0].executors,
            vec!["ДСЗН ОВА", "ГУНП"]
        );
        assert_eq!(plan.goals[1].tasks[0].number, 2);
        assert_eq!(plan.goals[1].tasks[0].measures[0].term, "");
        assert_eq!(plan.measure_count(), 3);
        assert_eq!(plan.executor_names()[1], ("ГУНП".to_string(), vec![5, 6]));
    }

    #[test]
    fn every_bad_row_is_named_and_nothing_is_read() {
        let rows = vec![
            r(1, &["Завдання", "Захід", "Строк", "Виконавці"]),
            r(2, &["1) Просвіта", "1. Акції", "2023", "ГУНП"]),
            r(3, &["Оперативна ціль 1. Ціль", "", "", ""]),
            r(4, &["1) Просвіта", "", "2023", "ГУНП"]),
            r(5, &["", "2. Захід", "2023", ""]),
        ];
        let problems = parse_rows(&rows).unwrap_err();
        let ids: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.message_id)).collect();
        assert_eq!(
            ids,
            vec![
                (2, "err-import-before-goal"),
                (4, "err-import-measure-text"),
                (5, "err-import-no-executors")
            ]
        );
    }

    #[test]
    fn a_table_without_the_four_columns_is_refused_as_a_whole() {
        let rows = vec![r(1, &["Назва", "Кількість", "", ""]), r(2, &["a", "1", "", ""])];
        assert_eq!(parse_rows(&rows).unwrap_err()[0].message_id, "err-import-columns");
        assert_eq!(parse_rows(&[]).unwrap_err()[0].message_id, "err-import-no-rows");
        let header_only = vec![r(1, &["Завдання", "Захід", "Строк", "Виконавці"])];
        assert_eq!(
            parse_rows(&header_only).unwrap_err()[0].message_id,
            "err-import-no-rows"
        );
    }

    #[test]
    fn numbers_are_split_from_their_text() {
        assert_eq!(split_number("3) Текст"), (Some(3), "Текст".to_string()));
        assert_eq!(split_number("1.3. Текст"), (Some(3), "Текст".to_string()));
        assert_eq!(split_number("12. Текст"), (Some(12), "Текст".to_string()));
        assert_eq!(split_number("2025 рік"), (None, "2025 рік".to_string()));
        assert_eq!(split_number("30 липня"), (None, "30 липня".to_string()));
        assert_eq!(split_number("Текст 1."), (None, "Текст 1.".to_string()));
    }
}
