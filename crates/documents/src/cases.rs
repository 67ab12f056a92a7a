//! Documents of the status procedure (постанова Кабінету Міністрів України від 23 травня
//! 2012 р. № 417): the journal of applications as an XLSX workbook, and the certificate of
//! status and the refusal letter as DOCX, filled from templates an administrator may replace.
//!
//! A template is a DOCX with `{{name}}` placeholders. [`check_template`] decides whether an
//! uploaded one can be used; [`fill_template`] puts the values in. Values are escaped as
//! XML and inserted as text only, so a person's name cannot add markup or fields.

mod template;

use std::collections::BTreeMap;

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook};

use crate::ooxml::{self, Align, BOLD, PLAIN, ParaFmt};
use crate::{ReportError, xlsx_text};

/// One application in the journal, already formatted by the caller.
#[derive(Debug, Clone, Default)]
pub struct JournalRow {
    /// The journal number, e.g. "17/2026".
    pub number: String,
    /// dd.mm.yyyy.
    pub registered_on: String,
    /// The applicant's full name.
    pub applicant: String,
    /// "" when there is none.
    pub representative: String,
    /// The pseudonymous case reference, e.g. "UA53-2026-00017".
    pub case_reference: String,
    /// "12.03.2026", or why no interview was held.
    pub interview: String,
    pub police_request: String,
    pub police_reply: String,
    /// E.g. "встановлено 20.03.2026, довідка № 5", "відмовлено 20.03.2026" or "".
    pub decision: String,
    pub notified: String,
    /// The official who registered the application.
    pub official: String,
}

impl JournalRow {
    fn cells(&self) -> [&str; 11] {
        [
            &self.number,
            &self.registered_on,
            &self.applicant,
            &self.representative,
            &self.case_reference,
            &self.interview,
            &self.police_request,
            &self.police_reply,
            &self.decision,
            &self.notified,
            &self.official,
        ]
    }
}

/// The journal's words, in the reader's language.
#[derive(Debug, Clone, Default)]
pub struct JournalLabels {
    /// The sheet's name, e.g. "Журнал".
    pub sheet: String,
    /// The whole title, e.g. "Журнал обліку заяв … за 01.01.2026–31.12.2026".
    pub title: String,
    /// The responsible unit that keeps the journal.
    pub unit: String,
    /// One heading per [`JournalRow`] field, in its order.
    pub columns: [String; 11],
}

/// The journal's header row (0-based): the title and the unit come first.
const JOURNAL_HEADER_ROW: u32 = 2;
/// The journal's columns, in characters.
const JOURNAL_WIDTHS: [f64; 11] = [10.0, 12.0, 28.0, 24.0, 18.0, 18.0, 20.0, 20.0, 30.0, 16.0, 24.0];

/// A name Excel accepts for a sheet: without []:*?/\ and at most 31 characters.
fn sheet_name(name: &str) -> String {
    sheet_name_or(name, "Журнал")
}

/// [`sheet_name`] with another fallback for a name that is left empty.
pub(crate) fn sheet_name_or(name: &str, fallback: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .take(31)
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    if clean.is_empty() {
        fallback.to_string()
    } else {
        clean.to_string()
    }
}

/// The journal of applications as an XLSX workbook: the title, the unit, a header row
/// (frozen, filterable and repeated on every printed page), then one row per application.
/// It prints on A4 landscape, one page wide.
pub fn journal_xlsx(labels: &JournalLabels, rows: &[JournalRow]) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(labels.title.trim()));
    let title = Format::new().set_bold().set_font_size(14);
    let unit = Format::new().set_bold();
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let head = cell
        .clone()
        .set_bold()
        .set_background_color("#E7EEF7")
        .set_align(FormatAlign::Center);

    let sheet = wb.add_worksheet();
    sheet.set_name(sheet_name(&labels.sheet))?;
    sheet.write_string_with_format(0, 0, xlsx_text(labels.title.trim()), &title)?;
    if !labels.unit.trim().is_empty() {
        sheet.write_string_with_format(1, 0, xlsx_text(labels.unit.trim()), &unit)?;
    }
    for (col, heading) in labels.columns.iter().enumerate() {
        sheet.write_string_with_format(JOURNAL_HEADER_ROW, col as u16, xlsx_text(heading.trim()), &head)?;
    }
    let mut last = JOURNAL_HEADER_ROW;
    for r in rows {
        last += 1;
        for (col, value) in r.cells().into_iter().enumerate() {
            let value = value.trim();
            if value.is_empty() {
                // Blank, but bordered like the rest of the table.
                sheet.write_blank(last, col as u16, &cell)?;
            } else {
                sheet.write_string_with_format(last, col as u16, xlsx_text(value), &cell)?;
            }
        }
    }
    for (col, width) in JOURNAL_WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(JOURNAL_HEADER_ROW + 1, 0)?;
    sheet.autofilter(JOURNAL_HEADER_ROW, 0, last.max(JOURNAL_HEADER_ROW + 1), 10)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(JOURNAL_HEADER_ROW, JOURNAL_HEADER_ROW)?;
    sheet.set_header("&C&P");
    Ok(wb.save_to_buffer()?)
}

/// Which document a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateKind {
    /// The certificate that the status has been established.
    Certificate,
    /// The letter telling the person that the status was refused.
    Refusal,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 2] = [TemplateKind::Certificate, TemplateKind::Refusal];

    /// "certificate" or "refusal", e.g. for a URL or a stored setting.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Certificate => "certificate",
            TemplateKind::Refusal => "refusal",
        }
    }

    /// The kind [`as_str`](Self::as_str) names; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }

    /// Every placeholder a template of this kind may hold, without braces.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            TemplateKind::Certificate => &[
                "unit_name",
                "unit_address",
                "certificate_no",
                "certificate_date",
                "valid_until",
                "person_name",
                "person_birth_date",
                "case_reference",
                "decision_date",
                "official_name",
                "official_position",
            ],
            TemplateKind::Refusal => &[
                "unit_name",
                "unit_address",
                "letter_date",
                "person_name",
                "person_birth_date",
                "case_reference",
                "decision_date",
                "grounds",
                "appeal_notice",
                "official_name",
                "official_position",
            ],
        }
    }

    /// The placeholders a template of this kind must hold.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            TemplateKind::Certificate => &["certificate_no", "person_name"],
            TemplateKind::Refusal => &["person_name", "grounds"],
        }
    }
}

/// Why an uploaded template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateProblem {
    /// Not a ZIP archive with `word/document.xml`, or a part of it is not readable XML.
    #[error("the file is not a DOCX document")]
    NotDocx,
    /// A placeholder this kind of document does not know, as written in the template
    /// (braces included, e.g. "{{person_nam}}"); also a `{{` that is not closed by `}}`.
    #[error("unknown placeholder {0}")]
    UnknownPlaceholder(String),
    /// A placeholder the document must have is not in it (the name, without braces).
    #[error("the placeholder {{{{{0}}}}} is missing")]
    MissingPlaceholder(&'static str),
    /// The package, or what would be read of it, is beyond a limit (see
    /// [`crate::archive::ArchiveLimits`]): too many or too large parts, more than 32
    /// headers and footers, body, headers and footers over 16 MiB together, more than
    /// 1,000 placeholders. The text says which.
    #[error("the template is too large to read: {0}")]
    TooLarge(String),
}

/// Checks an uploaded template: it is a DOCX (a ZIP archive with `word/document.xml`)
/// within the limits of [`crate::archive::check_package`],
/// every `{{name}}` in its body, headers and footers is one of
/// [`TemplateKind::placeholders`], and every one of [`TemplateKind::required`] is there.
/// The first problem found is returned: unknown placeholders in reading order, then
/// missing ones.
pub fn check_template(kind: TemplateKind, bytes: &[u8]) -> Result<(), TemplateProblem> {
    let found = template::placeholders_in(bytes)?;
    let known = kind.placeholders();
    if let Some(f) = found
        .iter()
        .find(|f| f.name.as_deref().is_none_or(|n| !known.contains(&n)))
    {
        return Err(TemplateProblem::UnknownPlaceholder(f.written.clone()));
    }
    for &name in kind.required() {
        if !found.iter().any(|f| f.name.as_deref() == Some(name)) {
            return Err(TemplateProblem::MissingPlaceholder(name));
        }
    }
    Ok(())
}

/// Fills a template: every `{{name}}` in the body, headers and footers becomes its value,
/// XML-escaped; a name without a value becomes empty. A placeholder Word has split over
/// several runs of a paragraph is found all the same, and its value takes the formatting
/// of the run where it begins. Line feeds in a value become line breaks (`w:br`), tabs
/// become tabs. Every other part of the package is copied unchanged.
///
/// The template should have passed [`check_template`]; a file that is not a DOCX, or is
/// beyond its limits, is [`ReportError::Template`].
pub fn fill_template(template: &[u8], values: &BTreeMap<&str, String>) -> Result<Vec<u8>, ReportError> {
    template::fill(template, values)
}

/// The template shipped with the system, as a DOCX: A4, Times New Roman 14 pt, uk-UA,
/// margins per ДСТУ 4163:2020.
///
/// The wording is a default drafted from the procedure (постанова КМУ № 417); it is to
/// be confirmed by the ministry, and an administrator can replace it with a template of
/// their own (see [`check_template`]).
///
/// The unit's name appears only in the letterhead, in the nominative: in the text after
/// "рішенням" it would need the genitive, which a single `{{unit_name}}` cannot give.
pub fn default_template(kind: TemplateKind) -> Result<Vec<u8>, ReportError> {
    let width = ooxml::text_width(false);
    let centred = ParaFmt::align(Align::Center);
    let body_text = ParaFmt::body();
    let mut body = letterhead();
    let title = match kind {
        TemplateKind::Certificate => {
            let heading = ParaFmt {
                before: 480,
                ..centred
            };
            body.push_str(&ooxml::para(&ooxml::run("ДОВІДКА", BOLD), heading));
            body.push_str(&ooxml::para(
                &ooxml::run(
                    "про встановлення статусу особи, яка постраждала від торгівлі людьми",
                    BOLD,
                ),
                centred,
            ));
            body.push_str(&ooxml::para(
                &ooxml::run("№ {{certificate_no}} від {{certificate_date}}", PLAIN),
                ParaFmt {
                    before: 240,
                    after: 360,
                    ..centred
                },
            ));
            for text in [
                "Видана {{person_name}}, {{person_birth_date}} р. н., про те, що рішенням від \
                 {{decision_date}} їй (йому) встановлено статус особи, яка постраждала від торгівлі \
                 людьми (постанова Кабінету Міністрів України від 23 травня 2012 р. № 417).",
                "Довідка дійсна до {{valid_until}}.",
                "Реєстраційний номер справи: {{case_reference}}.",
            ] {
                body.push_str(&ooxml::para(&ooxml::run(text, PLAIN), body_text));
            }
            "Довідка про встановлення статусу особи, яка постраждала від торгівлі людьми"
        }
        TemplateKind::Refusal => {
            body.push_str(&ooxml::para(
                &ooxml::run("{{letter_date}}", PLAIN),
                ParaFmt {
                    before: 240,
                    ..ParaFmt::default()
                },
            ));
            let addressee = ParaFmt {
                left: width / 2,
                ..ParaFmt::default()
            };
            body.push_str(&ooxml::para(&ooxml::run("{{person_name}}", PLAIN), addressee));
            body.push_str(&ooxml::para(
                &ooxml::run("{{person_birth_date}} р. н.", PLAIN),
                addressee,
            ));
            body.push_str(&ooxml::para(
                &ooxml::run(
                    "Про відмову у встановленні статусу особи, яка постраждала від торгівлі людьми",
                    BOLD,
                ),
                ParaFmt {
                    before: 360,
                    after: 240,
                    ..ParaFmt::default()
                },
            ));
            for text in [
                "Повідомляємо, що рішенням від {{decision_date}} Вам відмовлено у встановленні \
                 статусу особи, яка постраждала від торгівлі людьми (постанова Кабінету Міністрів \
                 України від 23 травня 2012 р. № 417).",
                "Підстави: {{grounds}}",
                "{{appeal_notice}}",
                "Реєстраційний номер справи: {{case_reference}}.",
            ] {
                body.push_str(&ooxml::para(&ooxml::run(text, PLAIN), body_text));
            }
            "Відмова у встановленні статусу особи, яка постраждала від торгівлі людьми"
        }
    };
    body.push_str(&signature(width));
    ooxml::package(title, &body, false)
}

/// The unit's name and address, centred at the top of the page.
fn letterhead() -> String {
    let centred = ParaFmt::align(Align::Center);
    let mut out = ooxml::para(&ooxml::run("{{unit_name}}", BOLD), centred);
    out.push_str(&ooxml::para(
        &ooxml::run("{{unit_address}}", PLAIN.sized(Some(12))),
        ParaFmt {
            after: 240,
            ..centred
        },
    ));
    out
}

/// Position on the left, a line to sign on in the middle, the name on the right.
fn signature(width: u32) -> String {
    let runs = ooxml::run(
        "{{official_position}}\t____________________\t{{official_name}}",
        PLAIN,
    );
    format!(
        "<w:p><w:pPr><w:keepLines/><w:tabs><w:tab w:val=\"center\" w:pos=\"{}\"/>\
         <w:tab w:val=\"right\" w:pos=\"{width}\"/></w:tabs><w:spacing w:before=\"720\" w:after=\"0\"/>\
         </w:pPr>{runs}</w:p>",
        width * 5 / 8
    )
}
