//! Every document is opened again with a reader: plans read back row for row, the
//! consolidated report unzipped and its XML and cells checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test binary: helpers fail the test by panicking"
)]

use std::io::{Cursor, Read, Write};

use calamine::{Data, Reader, Xlsx};
use oberih_documents::consolidated::{
    ConsEntry, ConsGoal, ConsLabels, ConsMeasure, ConsTask, Consolidated, SummaryRow, consolidated_docx,
    consolidated_xlsx,
};
use oberih_documents::plan::{
    PlanFileError, PlanFileKind, PlanGoal, PlanMeasure, PlanTable, PlanTask, RawRow, plan_docx, plan_xlsx,
    read_plan_table,
};

fn s(text: &str) -> String {
    text.to_string()
}

fn measure(number: u32, text: &str, term: &str, executors: &[&str]) -> PlanMeasure {
    PlanMeasure {
        number,
        text: s(text),
        term: s(term),
        executors: executors.iter().map(|e| s(e)).collect(),
    }
}

fn sample_plan() -> PlanTable {
    PlanTable {
        title: s("Обласний план заходів щодо реалізації державної політики у сфері протидії торгівлі людьми"),
        subtitle: s(
            "затверджено розпорядженням начальника обласної військової адміністрації № 609 від 04.09.2023",
        ),
        headings: [
            s("Найменування завдання"),
            s("Найменування заходу"),
            s("Строк виконання"),
            s("Виконавці"),
        ],
        goals: vec![
            PlanGoal {
                number: 1,
                text: s("Інформування населення про державну політику у сфері протидії торгівлі людьми"),
                tasks: vec![
                    PlanTask {
                        number: 1,
                        text: s(
                            "Здійснення інформаційно-просвітницької діяльності з метою запобігання торгівлі людьми",
                        ),
                        measures: vec![
                            measure(
                                1,
                                "Розповсюдження інформаційної продукції «Будь пильним!» з нагоди Всесвітнього дня \
                         протидії торгівлі людьми (30 липня)",
                                "2023–2025",
                                &["ДСЗН ОВА", "ГУНП", "органи місцевого самоврядування (за згодою)"],
                            ),
                            measure(
                                2,
                                "Проведення зустрічей з ґрунтовним обговоренням прав сім'ї.\nРозміщення матеріалів у \
                         соцмережах",
                                "щопівроку",
                                &["Полтавська РВА"],
                            ),
                        ],
                    },
                    PlanTask {
                        number: 2,
                        text: s("Підвищення обізнаності молоді, її безпека в Інтернеті"),
                        measures: vec![measure(
                            3,
                            "Уроки безпечної поведінки в мережі",
                            "2024",
                            &["ДОН ОВА", "ПОЦСС"],
                        )],
                    },
                ],
            },
            PlanGoal {
                number: 2,
                text: s(
                    "Удосконалення механізму взаємодії суб'єктів, які здійснюють заходи у сфері протидії",
                ),
                tasks: vec![PlanTask {
                    number: 2,
                    text: s("Забезпечення єдиного підходу до встановлення статусу особи, яка постраждала"),
                    measures: vec![
                        measure(1, "Навчання фахівців «рівний — рівному»", "2023", &["ДСЗН ОВА"]),
                        measure(2, "Моніторинг звернень", "щокварталу", &["ГУНП", "РЦ БПД"]),
                        measure(3, "Робочі зустрічі з ґендерних питань", "2025", &[]),
                    ],
                }],
            },
        ],
    }
}

/// The rows a plan table must read back as, below the header: goal rows with their text in the
/// first cell only, then one row per measure with the task on its first measure only.
fn expected_body(p: &PlanTable) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for g in &p.goals {
        rows.push(vec![
            format!("Оперативна ціль {}. {}", g.number, g.text),
            s(""),
            s(""),
            s(""),
        ]);
        for t in &g.tasks {
            for (i, m) in t.measures.iter().enumerate() {
                let task = if i == 0 {
                    format!("{}) {}", t.number, t.text)
                } else {
                    s("")
                };
                rows.push(vec![
                    task,
                    format!("{}. {}", m.number, m.text),
                    m.term.clone(),
                    m.executors.join(";\n"),
                ]);
            }
        }
    }
    rows
}

fn numbered(first: usize, rows: Vec<Vec<String>>) -> Vec<RawRow> {
    rows.into_iter()
        .enumerate()
        .map(|(i, cells)| RawRow {
            row: first + i,
            cells,
        })
        .collect()
}

#[test]
fn plan_xlsx_reads_back_row_for_row() {
    let plan = sample_plan();
    let bytes = plan_xlsx(&plan).unwrap();
    let (kind, rows) = read_plan_table("План.XLSX", &bytes).unwrap();
    assert_eq!(kind, PlanFileKind::Xlsx);

    let mut expected = vec![
        RawRow {
            row: 1,
            cells: vec![plan.title.clone(), s(""), s(""), s("")],
        },
        RawRow {
            row: 2,
            cells: vec![plan.subtitle.clone(), s(""), s(""), s("")],
        },
        RawRow {
            row: 4,
            cells: plan.headings.to_vec(),
        },
    ];
    expected.extend(numbered(5, expected_body(&plan)));
    assert_eq!(rows, expected);
    assert_eq!(
        rows[4].cells[3],
        "ДСЗН ОВА;\nГУНП;\nоргани місцевого самоврядування (за згодою)"
    );
}

#[test]
fn plan_docx_reads_back_row_for_row() {
    let plan = sample_plan();
    let bytes = plan_docx(&plan).unwrap();
    let (kind, rows) = read_plan_table("plan.docx", &bytes).unwrap();
    assert_eq!(kind, PlanFileKind::Docx);

    let mut expected = vec![RawRow {
        row: 1,
        cells: plan.headings.to_vec(),
    }];
    expected.extend(numbered(2, expected_body(&plan)));
    assert_eq!(rows, expected);

    let xml = part(&bytes, "word/document.xml");
    assert_well_formed(&xml);
    assert!(xml.contains("<w:gridSpan w:val=\"4\"/>"));
    assert!(xml.contains("<w:vMerge w:val=\"restart\"/>"));
    assert!(xml.contains("<w:vMerge/>"));
    assert!(xml.contains("<w:tblHeader/>"));
    assert!(xml.contains("w:orient=\"landscape\""));
    assert!(xml.contains(&plan.title));
}

#[test]
fn a_plan_without_title_or_goals_still_reads_back() {
    let plan = PlanTable {
        headings: sample_plan().headings,
        ..PlanTable::default()
    };
    let (_, rows) = read_plan_table("p.xlsx", &plan_xlsx(&plan).unwrap()).unwrap();
    assert_eq!(
        rows,
        vec![RawRow {
            row: 4,
            cells: plan.headings.to_vec()
        }]
    );
    let (_, rows) = read_plan_table("p.docx", &plan_docx(&plan).unwrap()).unwrap();
    assert_eq!(
        rows,
        vec![RawRow {
            row: 1,
            cells: plan.headings.to_vec()
        }]
    );
}

#[test]
fn files_that_are_not_plans_are_told_apart() {
    let xlsx = plan_xlsx(&sample_plan()).unwrap();
    let docx = plan_docx(&sample_plan()).unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();

    assert_eq!(read_plan_table("plan.xlsx", b""), Err(PlanFileError::Empty));
    assert_eq!(
        read_plan_table("plan.bin", &[7, 3, 250, 0, 19, 88]),
        Err(PlanFileError::NotAPlanFile)
    );
    assert_eq!(
        read_plan_table("plan.png", &png),
        Err(PlanFileError::NotAPlanFile)
    );
    assert_eq!(
        read_plan_table("plan.txt", "План заходів".as_bytes()),
        Err(PlanFileError::NotAPlanFile)
    );
    assert_eq!(
        read_plan_table("plan.xls", &png),
        Err(PlanFileError::NotAPlanFile)
    );

    // The name claims one kind, the content is another or none: Mismatch.
    let mismatch = |claimed| Err(PlanFileError::Mismatch { claimed });
    assert_eq!(read_plan_table("plan.docx", &xlsx), mismatch(PlanFileKind::Docx));
    assert_eq!(read_plan_table("plan.xlsx", &docx), mismatch(PlanFileKind::Xlsx));
    assert_eq!(read_plan_table("plan.xlsx", &png), mismatch(PlanFileKind::Xlsx));

    // No claim: the content decides.
    assert_eq!(read_plan_table("upload", &xlsx).unwrap().0, PlanFileKind::Xlsx);
    assert_eq!(
        read_plan_table("upload.bin", &docx).unwrap().0,
        PlanFileKind::Docx
    );

    let neither = zip_of(&[("mimetype", "application/zip"), ("content.xml", "<a/>")]);
    assert_eq!(
        read_plan_table("archive.zip", &neither),
        Err(PlanFileError::NotAPlanFile)
    );
    assert_eq!(
        read_plan_table("plan.docx", &neither),
        mismatch(PlanFileKind::Docx)
    );

    let truncated = &xlsx[..xlsx.len() / 2];
    assert!(matches!(
        read_plan_table("plan.xlsx", truncated),
        Err(PlanFileError::Damaged(_))
    ));
}

#[test]
fn a_docx_without_a_table_has_no_table() {
    let docx = docx_with_body("<w:p><w:r><w:t>Лише текст</w:t></w:r></w:p>");
    assert_eq!(read_plan_table("plan.docx", &docx), Err(PlanFileError::NoTable));
}

#[test]
fn a_docx_table_as_word_writes_it_is_read_on_the_grid() {
    let body = r#"
      <w:p><w:r><w:t>Вступ</w:t></w:r></w:p>
      <w:tbl>
        <w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
        <w:tr><w:tc><w:p><w:r><w:t>Завдання</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t xml:space="preserve"> Захід </w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>Строк</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>Виконавці</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr>
                <w:p><w:r><w:t>Оперативна ціль 1. Об&apos;єднання &amp; «взаємодія»</w:t></w:r></w:p></w:tc>
              <w:tc><w:p/></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>
                <w:p><w:r><w:t>1) Перше</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>1. Захід</w:t><w:tab/><w:t>з табуляцією</w:t></w:r></w:p>
                    <w:p><w:r><w:t>другий абзац</w:t><w:br/><w:t>рядок</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:delText>2022</w:delText></w:r><w:ins><w:r><w:t>2023</w:t></w:r></w:ins></w:p></w:tc>
              <w:tc><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>ДСЗН;</w:t></w:r></w:p><w:p><w:r><w:t>ГУНП</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>
              <w:tc><w:p><w:r><w:t>2. Ще захід</w:t></w:r></w:p>
                <w:tbl><w:tr><w:tc><w:p><w:r><w:t>вкладена</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
                <w:p/></w:tc>
              <w:tc><w:p><w:r><w:t>2024</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge></w:vMerge></w:tcPr><w:p><w:r><w:t>залишок</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>3. Третій</w:t></w:r></w:p></w:tc>
              <w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>
      </w:tbl>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Друга таблиця</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let (_, rows) = read_plan_table("plan.docx", &docx_with_body(body)).unwrap();
    let cells = |c: [&str; 4]| c.iter().map(|x| s(x)).collect::<Vec<_>>();
    assert_eq!(
        rows,
        vec![
            RawRow {
                row: 1,
                cells: cells(["Завдання", "Захід", "Строк", "Виконавці"])
            },
            RawRow {
                row: 3,
                cells: cells(["Оперативна ціль 1. Об'єднання & «взаємодія»", "", "", ""])
            },
            RawRow {
                row: 4,
                cells: cells([
                    "1) Перше",
                    "1. Захід\tз табуляцією\nдругий абзац\nрядок",
                    "2023",
                    "ДСЗН;\nГУНП"
                ]),
            },
            RawRow {
                row: 5,
                cells: cells(["", "2. Ще захід\nвкладена", "2024", ""])
            },
            RawRow {
                row: 6,
                cells: cells(["", "3. Третій", "", ""])
            },
        ]
    );
}

#[test]
fn an_xlsx_from_elsewhere_is_read_as_a_person_sees_it() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(1, 1, "Захід").unwrap();
    sheet
        .merge_range(3, 0, 3, 3, "Оперативна ціль 1. Мета", &Format::new())
        .unwrap();
    // A value some programs leave under a merged range: not shown, so not read.
    sheet.write_string(3, 2, "прихований").unwrap();
    sheet.write_string(4, 0, "  1) Завдання\r\nдалі  ").unwrap();
    sheet.write_number(4, 1, 2025).unwrap();
    let date = ExcelDateTime::from_ymd(2026, 12, 31).unwrap();
    sheet
        .write_datetime_with_format(4, 2, &date, &Format::new().set_num_format("dd.mm.yyyy"))
        .unwrap();
    sheet.write_number(4, 3, 0.5).unwrap();
    sheet.write_string(6, 4, "  ").unwrap();
    wb.add_worksheet().write_string(0, 0, "другий аркуш").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let (_, rows) = read_plan_table("план.xlsx", &bytes).unwrap();
    let cells = |c: [&str; 4]| c.iter().map(|x| s(x)).collect::<Vec<_>>();
    assert_eq!(
        rows,
        vec![
            RawRow {
                row: 2,
                cells: cells(["", "Захід", "", ""])
            },
            RawRow {
                row: 4,
                cells: cells(["Оперативна ціль 1. Мета", "", "", ""])
            },
            RawRow {
                row: 5,
                cells: cells(["1) Завдання\nдалі", "2025", "31.12.2026", "0.5"])
            },
        ]
    );
}

fn labels() -> ConsLabels {
    ConsLabels {
        goal: s("Оперативна ціль"),
        task: s("Завдання"),
        term: s("Строк виконання"),
        no_report: s("Інформацію не подано."),
        sheet: s("Звіт"),
        xlsx_headings: [
            "№ цілі",
            "№ завдання",
            "№ заходу",
            "Захід",
            "Строк",
            "Виконавець",
            "Стан",
            "Подано",
            "Запізнення",
            "Прийнято",
            "Що зроблено",
        ]
        .map(s),
        figures: s("Показники"),
        links: s("Посилання"),
        by_executor: s("За виконавцями"),
        by_goal: s("За оперативними цілями"),
        total: s("Усього"),
    }
}

fn sample_report() -> Consolidated {
    let summary = |name: &str, expected, submitted, on_time, c: &str, t: &str| SummaryRow {
        name: s(name),
        expected,
        submitted,
        on_time,
        completeness: s(c),
        timeliness: s(t),
    };
    Consolidated {
        addressee: s("Начальнику Полтавської обласної військової адміністрації"),
        title: s("Інформація про виконання Обласного плану заходів щодо протидії торгівлі людьми"),
        period: s("за I півріччя 2026 року"),
        approved_by: s("затвердженого розпорядженням № 609 від 04.09.2023"),
        compiled: s("Складено 20.07.2026"),
        goals: vec![ConsGoal {
            number: 1,
            text: s("Інформування населення"),
            tasks: vec![ConsTask {
                number: 1,
                text: s("Інформаційно-просвітницька діяльність"),
                measures: vec![
                    ConsMeasure {
                        number: s("1.3"),
                        text: s("Проведення інформаційних акцій «Знай свої права»"),
                        term: s("2023–2025"),
                        entries: vec![
                            ConsEntry {
                                executor: s("Департамент соціального захисту населення"),
                                status: s("Прийнято"),
                                submitted_on: s("14.07.2026"),
                                late: s(""),
                                accepted_on: s("16.07.2026"),
                                text: s(
                                    "Проведено 12 акцій у громадах області.\nРозповсюджено 3 000 буклетів про ґрунтовні \
                                         ризики; п'ять сюжетів на ТБ.",
                                ),
                                figures: vec![
                                    (s("Проведено акцій, од."), s("12")),
                                    (s("Охоплено осіб, осіб"), s("540")),
                                ],
                                links: vec![s("https://sz.gov.ua/news/123")],
                            },
                            ConsEntry {
                                executor: s("Головне управління Національної поліції в Полтавській області"),
                                status: s("Не подано"),
                                ..ConsEntry::default()
                            },
                        ],
                    },
                    ConsMeasure {
                        number: s("4"),
                        text: s("Захід без виконавців"),
                        term: s("2026"),
                        entries: vec![],
                    },
                ],
            }],
        }],
        summary_title: s("Повнота та своєчасність звітування"),
        summary_headings: [
            "Виконавець",
            "Очікувалось",
            "Подано",
            "Вчасно",
            "Повнота",
            "Своєчасність",
        ]
        .map(s),
        summary_by_executor: vec![
            summary(
                "Департамент соціального захисту населення",
                8,
                7,
                6,
                "87,5 %",
                "85,7 %",
            ),
            summary("Головне управління Національної поліції", 4, 0, 0, "0 %", "—"),
        ],
        summary_by_goal: vec![summary("Оперативна ціль 1", 12, 7, 6, "58,3 %", "85,7 %")],
        summary_total: summary("", 12, 7, 6, "58,3 %", "85,7 %"),
        labels: labels(),
        signatory: s("Директор Департаменту соціального захисту населення\tЛюдмила КОРНІЄНКО"),
    }
}

#[test]
fn consolidated_docx_is_an_official_letter_with_every_report() {
    let report = sample_report();
    let bytes = consolidated_docx(&report).unwrap();
    let xml = part(&bytes, "word/document.xml");
    assert_well_formed(&xml);
    for text in [
        "Начальнику Полтавської обласної військової адміністрації",
        "Інформація про виконання Обласного плану заходів щодо протидії торгівлі людьми",
        "за I півріччя 2026 року",
        "Оперативна ціль 1. Інформування населення",
        "Завдання 1. Інформаційно-просвітницька діяльність",
        "1.3. ",
        "Проведення інформаційних акцій «Знай свої права»",
        "Строк виконання: 2023–2025",
        "Департамент соціального захисту населення",
        " (Прийнято, 14.07.2026)",
        "Проведено 12 акцій у громадах області.",
        "Розповсюджено 3 000 буклетів про ґрунтовні ризики; п'ять сюжетів на ТБ.",
        "Показники: Проведено акцій, од. — 12; Охоплено осіб, осіб — 540",
        "Посилання: https://sz.gov.ua/news/123",
        "Головне управління Національної поліції в Полтавській області",
        "Інформацію не подано.",
        "Повнота та своєчасність звітування",
        "За оперативними цілями",
        "87,5 %",
        "Усього",
        "Людмила КОРНІЄНКО",
    ] {
        assert!(xml.contains(text), "document.xml lacks {text:?}");
    }
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(xml.contains(r#"w:top="1134" w:right="567" w:bottom="1134" w:left="1701""#));
    assert!(xml.contains("<w:titlePg/>"));
    assert!(xml.contains("<w:tblHeader/>"));
    // Addressee, body and summary come in the plan's order.
    let at = |t: &str| xml.find(t).unwrap();
    assert!(at("Начальнику") < at("Оперативна ціль 1.") && at("Оперативна ціль 1.") < at("1.3. "));
    assert!(at("Проведено 12 акцій") < at("Головне управління") && at("Головне управління") < at("Повнота"));

    let styles = part(&bytes, "word/styles.xml");
    assert_well_formed(&styles);
    assert!(styles.contains(
        r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>"#
    ));
    assert!(styles.contains(r#"<w:sz w:val="28"/>"#));
    assert!(styles.contains(r#"w:val="uk-UA""#));
    let header = part(&bytes, "word/header1.xml");
    assert!(header.contains(" PAGE ") && header.contains(r#"<w:jc w:val="center"/>"#));
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains("<dc:title>Інформація про виконання Обласного плану"));
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/settings.xml",
    ] {
        assert_well_formed(&part(&bytes, name));
    }

    // The summary is the document's first table, and reads back as such.
    let (_, rows) = read_plan_table("report.docx", &bytes).unwrap();
    assert_eq!(rows[0].cells[..2], [s("Виконавець"), s("Очікувалось")]);
    assert_eq!(rows[1].cells[0], "За виконавцями");
    assert_eq!(
        rows.last().unwrap().cells,
        ["Усього", "12", "7", "6", "58,3 %", "85,7 %"].map(s)
    );
}

#[test]
fn consolidated_xlsx_has_a_row_per_measure_and_executor_and_a_summary() {
    let report = sample_report();
    let bytes = consolidated_xlsx(&report).unwrap();
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Звіт", "Повнота та своєчасність"]);

    let range = wb.worksheet_range("Звіт").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String(report.title.clone()));
    assert_eq!(cell(1, 0), Data::String(report.period.clone()));
    assert_eq!(cell(3, 0), Data::String(report.compiled.clone()));
    for (col, heading) in report.labels.xlsx_headings.iter().enumerate() {
        assert_eq!(cell(4, col as u32), Data::String(heading.clone()));
    }
    let first: Vec<Data> = (0..11).map(|c| cell(5, c)).collect();
    assert_eq!(
        first,
        vec![
            Data::Float(1.0),
            Data::Float(1.0),
            Data::String(s("1.3")),
            Data::String(s("Проведення інформаційних акцій «Знай свої права»")),
            Data::String(s("2023–2025")),
            Data::String(s("Департамент соціального захисту населення")),
            Data::String(s("Прийнято")),
            Data::String(s("14.07.2026")),
            Data::Empty,
            Data::String(s("16.07.2026")),
            Data::String(s(
                "Проведено 12 акцій у громадах області.\nРозповсюджено 3 000 буклетів про ґрунтовні ризики; \
                 п'ять сюжетів на ТБ.\nПоказники: Проведено акцій, од. — 12; Охоплено осіб, осіб — 540\n\
                 Посилання: https://sz.gov.ua/news/123"
            )),
        ]
    );
    assert_eq!(
        cell(6, 5),
        Data::String(s("Головне управління Національної поліції в Полтавській області"))
    );
    assert_eq!(cell(6, 10), Data::String(s("Інформацію не подано.")));
    // A measure without executors still has its row; a whole-number measure number is a number.
    assert_eq!(cell(7, 2), Data::Float(4.0));
    assert_eq!(cell(7, 3), Data::String(s("Захід без виконавців")));
    assert_eq!(cell(7, 5), Data::Empty);
    assert_eq!(range.end(), Some((7, 10)));

    let summary = wb.worksheet_range("Повнота та своєчасність").unwrap();
    let row = |r: u32| {
        (0..6)
            .map(|c| summary.get_value((r, c)).cloned().unwrap_or(Data::Empty))
            .collect::<Vec<_>>()
    };
    assert_eq!(row(0)[0], Data::String(report.summary_title.clone()));
    assert_eq!(row(2)[5], Data::String(s("Своєчасність")));
    assert_eq!(row(3)[0], Data::String(s("За виконавцями")));
    let pct = |v: f64| Data::Float(v);
    let got = row(4);
    assert_eq!(
        got[..4],
        [
            Data::String(s("Департамент соціального захисту населення")),
            pct(8.0),
            pct(7.0),
            pct(6.0)
        ]
    );
    assert!(matches!(got[4], Data::Float(v) if (v - 0.875).abs() < 1e-9));
    assert_eq!(
        row(5)[5],
        Data::String(s("—")),
        "a value that is not a percentage stays as given"
    );
    assert_eq!(row(6)[0], Data::String(s("За оперативними цілями")));
    assert_eq!(row(7)[0], Data::String(s("Оперативна ціль 1")));
    assert_eq!(
        row(8)[..4],
        [Data::String(s("Усього")), pct(12.0), pct(7.0), pct(6.0)]
    );
}

#[test]
fn an_empty_consolidated_report_still_makes_documents() {
    let empty = Consolidated::default();
    let docx = consolidated_docx(&empty).unwrap();
    assert_well_formed(&part(&docx, "word/document.xml"));
    let xlsx = consolidated_xlsx(&empty).unwrap();
    assert_eq!(
        Xlsx::new(Cursor::new(xlsx)).unwrap().sheet_names(),
        ["Звіт", "Підсумки"]
    );
}

#[test]
fn text_xml_cannot_hold_is_left_out_and_markup_is_escaped() {
    let mut plan = sample_plan();
    plan.goals[0].text = s("Мета <b>&amp;</b> \u{1}\u{b}контроль");
    let bytes = plan_docx(&plan).unwrap();
    assert_well_formed(&part(&bytes, "word/document.xml"));
    let (_, rows) = read_plan_table("p.docx", &bytes).unwrap();
    assert_eq!(rows[1].cells[0], "Оперативна ціль 1. Мета <b>&amp;</b> контроль");
}

/// One part of a ZIP package, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

fn assert_well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}"),
        }
    }
}

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A minimal .docx whose body is `body`.
fn docx_with_body(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("_rels/.rels", "<Relationships/>"),
        ("word/document.xml", &document),
    ])
}

// ---- The status procedure: the journal of applications, certificate and refusal letter.

use std::collections::BTreeMap;

use oberih_documents::ReportError;
use oberih_documents::cases::{
    JournalLabels, JournalRow, TemplateKind, TemplateProblem, check_template, default_template,
    fill_template, journal_xlsx,
};

fn journal_labels() -> JournalLabels {
    JournalLabels {
        sheet: s("Журнал заяв"),
        title: s(
            "Журнал обліку заяв осіб, які вважають себе постраждалими від торгівлі людьми, за \
                  01.01.2026–31.12.2026",
        ),
        unit: s("Департамент соціального захисту населення Полтавської ОВА"),
        columns: [
            "№ з/п",
            "Дата реєстрації",
            "Заявник",
            "Представник",
            "Реєстраційний номер справи",
            "Співбесіда",
            "Запит до поліції",
            "Відповідь поліції",
            "Рішення",
            "Повідомлено",
            "Посадова особа",
        ]
        .map(s),
    }
}

fn journal_rows() -> Vec<JournalRow> {
    vec![
        JournalRow {
            number: s("17/2026"),
            registered_on: s("02.03.2026"),
            applicant: s("Коваль Олена Петрівна"),
            representative: s(""),
            case_reference: s("UA53-2026-00017"),
            interview: s("12.03.2026"),
            police_request: s("05.03.2026 № 12/3"),
            police_reply: s("15.03.2026"),
            decision: s("встановлено 20.03.2026, довідка № 5"),
            notified: s("21.03.2026"),
            official: s("Іваненко І. І."),
        },
        JournalRow {
            number: s("18/2026"),
            registered_on: s("04.03.2026"),
            applicant: s("Мельник Ґанна"),
            representative: s("Мельник Сергій (батько)"),
            case_reference: s("UA53-2026-00018"),
            interview: s("не проведено: заявниця не з'явилася"),
            decision: s("відмовлено 20.03.2026"),
            official: s("Іваненко І. І."),
            ..JournalRow::default()
        },
    ]
}

#[test]
fn journal_xlsx_has_a_row_per_application_under_its_headings() {
    let labels = journal_labels();
    let rows = journal_rows();
    let bytes = journal_xlsx(&labels, &rows).unwrap();
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Журнал заяв"]);
    let range = wb.worksheet_range("Журнал заяв").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String(labels.title.clone()));
    assert_eq!(cell(1, 0), Data::String(labels.unit.clone()));
    for (col, heading) in labels.columns.iter().enumerate() {
        assert_eq!(cell(2, col as u32), Data::String(heading.clone()));
    }
    let text = |v: &str| {
        if v.is_empty() {
            Data::Empty
        } else {
            Data::String(s(v))
        }
    };
    for (i, r) in rows.iter().enumerate() {
        let got: Vec<Data> = (0..11).map(|c| cell(3 + i as u32, c)).collect();
        let expected: Vec<Data> = [
            &r.number,
            &r.registered_on,
            &r.applicant,
            &r.representative,
            &r.case_reference,
            &r.interview,
            &r.police_request,
            &r.police_reply,
            &r.decision,
            &r.notified,
            &r.official,
        ]
        .iter()
        .map(|v| text(v))
        .collect();
        assert_eq!(got, expected, "row {i}");
    }
    assert_eq!(cell(3, 3), Data::Empty, "no representative");
    assert_eq!(cell(4, 8), Data::String(s("відмовлено 20.03.2026")));
    assert_eq!(range.end(), Some((4, 10)));

    // An empty journal is still a workbook with its headings.
    let empty = journal_xlsx(&labels, &[]).unwrap();
    let mut wb = Xlsx::new(Cursor::new(empty)).unwrap();
    let range = wb.worksheet_range("Журнал заяв").unwrap();
    assert_eq!(range.get_value((2, 10)), Some(&Data::String(s("Посадова особа"))));
}

fn certificate_values() -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        (
            "unit_name",
            s("Департамент соціального захисту населення Полтавської ОВА"),
        ),
        ("unit_address", s("вул. Соборності, 45, м. Полтава, 36014")),
        ("certificate_no", s("5")),
        ("certificate_date", s("20.03.2026")),
        ("valid_until", s("20.03.2027")),
        ("person_name", s("Коваль Олена Петрівна")),
        ("person_birth_date", s("14.02.1990")),
        ("case_reference", s("UA53-2026-00017")),
        ("decision_date", s("20.03.2026")),
        ("official_name", s("Ірина ІВАНЕНКО")),
        ("official_position", s("Начальник відділу")),
    ])
}

/// The text of each paragraph of a part: `w:t` text, `w:br` in a run as "\n", `w:tab` as "\t".
fn paragraph_texts(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut paragraphs = Vec::new();
    let mut in_text = false;
    let mut in_run = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:p" => paragraphs.push(String::new()),
            Event::Empty(e) if e.name().as_ref() == "w:p" => paragraphs.push(String::new()),
            Event::Start(e) if e.name().as_ref() == "w:r" => in_run = true,
            Event::End(e) if e.name().as_ref() == "w:r" => in_run = false,
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::Empty(e) if in_run && e.name().as_ref() == "w:br" => {
                paragraphs.last_mut().unwrap().push('\n')
            }
            Event::Empty(e) if in_run && e.name().as_ref() == "w:tab" => {
                paragraphs.last_mut().unwrap().push('\t')
            }
            Event::Text(t) if in_text => paragraphs.last_mut().unwrap().push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let c = match &*r {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r.resolve_char_ref().unwrap().unwrap(),
                };
                paragraphs.last_mut().unwrap().push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    paragraphs
}

#[test]
fn the_default_certificate_is_filled_with_every_value() {
    let template = default_template(TemplateKind::Certificate).unwrap();
    let filled = fill_template(&template, &certificate_values()).unwrap();
    let xml = part(&filled, "word/document.xml");
    assert_well_formed(&xml);
    assert!(!xml.contains("{{") && !xml.contains("}}"), "{xml}");
    let text = paragraph_texts(&xml);
    for line in [
        "Департамент соціального захисту населення Полтавської ОВА",
        "ДОВІДКА",
        "про встановлення статусу особи, яка постраждала від торгівлі людьми",
        "№ 5 від 20.03.2026",
        "Видана Коваль Олена Петрівна, 14.02.1990 р. н., про те, що рішенням від 20.03.2026 їй (йому) \
         встановлено статус особи, яка постраждала від торгівлі людьми (постанова Кабінету Міністрів України \
         від 23 травня 2012 р. № 417).",
        "Довідка дійсна до 20.03.2027.",
        "Реєстраційний номер справи: UA53-2026-00017.",
        "Начальник відділу\t____________________\tІрина ІВАНЕНКО",
    ] {
        assert!(
            text.iter().any(|p| p == line),
            "no paragraph {line:?} in {text:#?}"
        );
    }
    // The page as ДСТУ 4163:2020 sets it, and the styles copied as they were.
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(xml.contains(r#"w:top="1134" w:right="567" w:bottom="1134" w:left="1701""#));
    for name in ["word/styles.xml", "[Content_Types].xml", "docProps/core.xml"] {
        assert_eq!(part(&filled, name), part(&template, name));
    }
    assert!(part(&filled, "word/styles.xml").contains(r#"w:val="uk-UA""#));

    let refusal = default_template(TemplateKind::Refusal).unwrap();
    let mut values = certificate_values();
    values.insert("letter_date", s("21.03.2026"));
    values.insert("grounds", s("не підтверджено факт торгівлі людьми"));
    values.insert(
        "appeal_notice",
        s("Рішення може бути оскаржено до суду в порядку, встановленому законом."),
    );
    let xml = part(&fill_template(&refusal, &values).unwrap(), "word/document.xml");
    assert!(!xml.contains("{{"));
    let text = paragraph_texts(&xml);
    for line in [
        "21.03.2026",
        "Коваль Олена Петрівна",
        "14.02.1990 р. н.",
        "Підстави: не підтверджено факт торгівлі людьми",
        "Рішення може бути оскаржено до суду в порядку, встановленому законом.",
    ] {
        assert!(
            text.iter().any(|p| p == line),
            "no paragraph {line:?} in {text:#?}"
        );
    }
}

#[test]
fn a_placeholder_word_split_over_three_runs_is_filled() {
    let body = r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>
        <w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Видана {{</w:t></w:r>
        <w:proofErr w:type="spellStart"/>
        <w:r><w:rPr><w:i/></w:rPr><w:t>person_</w:t></w:r>
        <w:proofErr w:type="spellEnd"/>
        <w:r><w:t>name}}, {{person_birth_date}}</w:t></w:r>
        <w:r><w:t xml:space="preserve"> р. н.</w:t></w:r></w:p>
      <w:p><w:r><w:t>№ {{certificate_no}}; {{unknown}}; {{ valid_until }}</w:t></w:r></w:p>"#;
    let mut template = docx_with_body(body);
    // A header may hold placeholders too; other parts are left as they are.
    template = {
        let mut zip = zip::ZipArchive::new(Cursor::new(template)).unwrap();
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            parts.push((f.name().unwrap().to_string(), text));
        }
        parts.push((
            s("word/header1.xml"),
            s(r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>{{unit_name}}</w:t></w:r></w:p></w:hdr>"#),
        ));
        parts.push((s("word/media/notes.txt"), s("{{person_name}} stays")));
        let refs: Vec<(&str, &str)> = parts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        zip_of(&refs)
    };
    assert_eq!(
        check_template(TemplateKind::Certificate, &template),
        Err(TemplateProblem::UnknownPlaceholder(s("{{unknown}}")))
    );

    let filled = fill_template(&template, &certificate_values()).unwrap();
    let xml = part(&filled, "word/document.xml");
    assert_well_formed(&xml);
    assert_eq!(
        paragraph_texts(&xml),
        [
            "Видана Коваль Олена Петрівна, 14.02.1990 р. н.",
            "№ 5; ; 20.03.2027"
        ]
    );
    // The value takes the first run's formatting; the other runs keep theirs, now without text.
    assert!(xml.contains(
        r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Видана Коваль Олена Петрівна</w:t></w:r>"#
    ));
    assert!(xml.contains(r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve"></w:t></w:r>"#));
    assert!(xml.contains(r#"<w:proofErr w:type="spellStart"/>"#));
    assert!(
        xml.contains(r#"<w:r><w:t xml:space="preserve"> р. н.</w:t></w:r>"#),
        "untouched runs stay as they were"
    );
    assert_eq!(
        paragraph_texts(&part(&filled, "word/header1.xml")),
        [certificate_values()["unit_name"].clone()]
    );
    assert_eq!(part(&filled, "word/media/notes.txt"), "{{person_name}} stays");
    assert_eq!(part(&filled, "[Content_Types].xml"), "<Types/>");
}

#[test]
fn values_are_escaped_and_line_feeds_become_breaks() {
    let template = default_template(TemplateKind::Refusal).unwrap();
    let values = BTreeMap::from([
        ("person_name", s("<w:r>О'Ніл & \"Ко\"</w:r> ]]> {{grounds}}")),
        (
            "grounds",
            s("перша підстава;\nдруга підстава;\r\nтретя\tз табуляцією"),
        ),
        ("appeal_notice", s("\u{1}Оскаржити можна до суду.")),
    ]);
    let filled = fill_template(&template, &values).unwrap();
    let xml = part(&filled, "word/document.xml");
    assert_well_formed(&xml);
    assert!(xml.contains("&lt;w:r&gt;О'Ніл &amp; &quot;Ко&quot;&lt;/w:r&gt;"));
    assert!(
        xml.contains(
            r#"перша підстава;</w:t><w:br/><w:t xml:space="preserve">друга підстава;</w:t><w:br/><w:t xml:space="preserve">третя</w:t><w:tab/><w:t xml:space="preserve">з табуляцією"#
        ),
        "{xml}"
    );
    let text = paragraph_texts(&xml);
    // A value is inserted as text: the "{{grounds}}" in a name is not filled in.
    assert!(
        text.iter()
            .any(|p| p == "<w:r>О'Ніл & \"Ко\"</w:r> ]]> {{grounds}}"),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|p| p == "Підстави: перша підстава;\nдруга підстава;\nтретя\tз табуляцією")
    );
    assert!(
        text.iter().any(|p| p == "Оскаржити можна до суду."),
        "characters XML forbids are dropped"
    );
    // Names without a value become empty.
    assert!(text.iter().any(|p| p == "Реєстраційний номер справи: ."));
}

#[test]
fn check_template_accepts_the_defaults_and_refuses_what_cannot_be_filled() {
    for kind in TemplateKind::ALL {
        assert_eq!(
            check_template(kind, &default_template(kind).unwrap()),
            Ok(()),
            "{kind:?}"
        );
        assert_eq!(TemplateKind::parse(kind.as_str()), Some(kind));
        for required in kind.required() {
            assert!(kind.placeholders().contains(required));
        }
    }
    assert_eq!(TemplateKind::parse("invoice"), None);
    let certificate = default_template(TemplateKind::Certificate).unwrap();
    let refusal = default_template(TemplateKind::Refusal).unwrap();

    let not_docx = Err(TemplateProblem::NotDocx);
    assert_eq!(check_template(TemplateKind::Certificate, b""), not_docx);
    assert_eq!(
        check_template(TemplateKind::Certificate, "{{certificate_no}}".as_bytes()),
        not_docx
    );
    assert_eq!(
        check_template(TemplateKind::Certificate, &certificate[..certificate.len() / 2]),
        not_docx
    );
    let xlsx = journal_xlsx(&journal_labels(), &[]).unwrap();
    assert_eq!(check_template(TemplateKind::Certificate, &xlsx), not_docx);
    let no_document = zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/styles.xml", "<w:styles/>"),
    ]);
    assert_eq!(check_template(TemplateKind::Refusal, &no_document), not_docx);
    let broken = zip_of(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
    assert_eq!(check_template(TemplateKind::Refusal, &broken), not_docx);
    assert!(matches!(
        fill_template(b"not a zip", &BTreeMap::new()),
        Err(ReportError::Template(TemplateProblem::NotDocx))
    ));

    // Each kind knows its own names only: a refusal has no certificate number.
    assert_eq!(
        check_template(TemplateKind::Refusal, &certificate),
        Err(TemplateProblem::UnknownPlaceholder(s("{{certificate_no}}")))
    );
    assert_eq!(
        check_template(TemplateKind::Certificate, &refusal),
        Err(TemplateProblem::UnknownPlaceholder(s("{{letter_date}}")))
    );
    let p = |text: &str| docx_with_body(&format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"));
    assert_eq!(
        check_template(
            TemplateKind::Certificate,
            &p("{{certificate_no}} {{person_nam}} {{person_name}}")
        ),
        Err(TemplateProblem::UnknownPlaceholder(s("{{person_nam}}")))
    );
    assert_eq!(
        check_template(TemplateKind::Certificate, &p("{{certificate_no}} {{person_name}")),
        Err(TemplateProblem::UnknownPlaceholder(s("{{person_name")))
    );
    assert_eq!(
        check_template(
            TemplateKind::Certificate,
            &p("{{certificate_no}} {{valid_until}}")
        ),
        Err(TemplateProblem::MissingPlaceholder("person_name"))
    );
    assert_eq!(
        check_template(TemplateKind::Refusal, &p("{{person_name}}")),
        Err(TemplateProblem::MissingPlaceholder("grounds"))
    );
    assert_eq!(
        check_template(TemplateKind::Refusal, &p("{{ person_name }}: {{grounds}}")),
        Ok(())
    );
    assert_eq!(
        TemplateProblem::MissingPlaceholder("grounds").to_string(),
        "the placeholder {{grounds}} is missing"
    );
}

// ---- Uploaded packages that would make a reader take unbounded memory.

use std::sync::{Mutex, OnceLock};

use oberih_documents::archive::{ArchiveLimits, ArchiveProblem, check_package};

/// Held by the tests that take much memory, so that they do not run while another one
/// measures its peak.
static HEAVY: Mutex<()> = Mutex::new(());

fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A field of /proc/self/status in KiB, e.g. "VmHWM:".
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// How far the process's peak memory (VmHWM) rose above what it held before while `run`
/// ran, in MiB. Linux starts the peak afresh when 5 is written to clear_refs; where that is
/// not allowed, the peak so far is the baseline (a rise is still seen, if less exactly).
fn peak_rise_mib<T>(run: impl FnOnce() -> T) -> (T, u64) {
    let baseline = if std::fs::write("/proc/self/clear_refs", "5").is_ok() {
        status_kib("VmRSS:")
    } else {
        status_kib("VmHWM:")
    };
    let out = run();
    (out, status_kib("VmHWM:").saturating_sub(baseline) / 1024)
}

/// CRC-32 (ISO-HDLC), as ZIP stores it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Bits written least significant first, as deflate packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: its most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn zeros(&mut self, mut count: u64) {
        while count > 0 {
            let now = count.min(32) as u32;
            self.put(0, now);
            count -= u64::from(now);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A deflate stream that unpacks to `len` spaces, in about `len / 1032` bytes: one
/// dynamic Huffman block whose only codes are the space, the end of the block and a copy
/// of 258 bytes from 1 byte back, each copy taking two bits. (Writing a gigabyte through
/// the zip crate's compressor takes a minute in a debug build; this takes no time.)
fn deflated_spaces(len: u64) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // the last block
    bits.put(2, 2); // with dynamic Huffman codes
    bits.put(29, 5); // 286 literal/length codes
    bits.put(0, 5); // 1 distance code
    bits.put(14, 4); // 18 code length codes, in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        bits.put(len, 3);
    }
    // Code length codes: 18 (a run of zeros) is "0", length 1 is "10", length 2 is "11".
    let no_codes = |bits: &mut Bits, n: u32| {
        bits.code(0b0, 1);
        bits.put(n - 11, 7);
    };
    no_codes(&mut bits, 32); // 0..=31
    bits.code(0b11, 2); // 32, the space: 2 bits
    no_codes(&mut bits, 138); // 33..=170
    no_codes(&mut bits, 85); // 171..=255
    bits.code(0b11, 2); // 256, the end of the block: 2 bits
    no_codes(&mut bits, 28); // 257..=284
    bits.code(0b10, 2); // 285, a copy of 258 bytes: 1 bit
    bits.code(0b10, 2); // distance code 0, 1 byte back: 1 bit
    // So the space is "10", the end "11", a copy "0" and its distance "0".
    bits.code(0b10, 2);
    let copies = (len - 1) / 258;
    bits.zeros(copies * 2);
    for _ in 0..(len - 1 - copies * 258) {
        bits.code(0b10, 2);
    }
    bits.code(0b11, 2);
    bits.finish()
}

/// One part of a ZIP archive written by hand: its stored bytes, and what its headers say.
struct RawPart {
    name: String,
    method: u16,
    crc: u32,
    stored: Vec<u8>,
    size: u32,
}

impl RawPart {
    fn stored(name: &str, bytes: &[u8]) -> Self {
        RawPart {
            name: s(name),
            method: 0,
            crc: crc32(bytes),
            stored: bytes.to_vec(),
            size: bytes.len() as u32,
        }
    }
}

/// A ZIP archive of `parts`, headers and all, exactly as they say.
fn raw_zip(parts: &[RawPart]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for p in parts {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend(0u16.to_le_bytes()); // flags
            v.extend(p.method.to_le_bytes());
            v.extend(0u16.to_le_bytes()); // 00:00
            v.extend(0x21u16.to_le_bytes()); // 1980-01-01
            v.extend(p.crc.to_le_bytes());
            v.extend((p.stored.len() as u32).to_le_bytes());
            v.extend(p.size.to_le_bytes());
            v.extend((p.name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra field
        };
        out.extend(b"PK\x03\x04");
        out.extend(20u16.to_le_bytes());
        common(&mut out);
        out.extend(p.name.as_bytes());
        out.extend(&p.stored);
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        common(&mut central);
        central.extend([0; 10]); // comment, disk, internal and external attributes
        central.extend(offset.to_le_bytes());
        central.extend(p.name.as_bytes());
    }
    let directory = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0; 4]); // disks
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(directory.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Every part of a package, unpacked.
fn parts_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

/// A workbook as rust_xlsxwriter writes it, with one number and no strings.
fn workbook_without_strings() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_number(0, 0, 1).unwrap();
    wb.save_to_buffer().unwrap()
}

const GIB: u64 = 1 << 30;
/// zlib.crc32 of a gibibyte of spaces.
const CRC_OF_A_GIB_OF_SPACES: u32 = 0x9ac4_7fa6;

/// A real workbook whose xl/sharedStrings.xml is a gibibyte of spaces, packed into about
/// a megabyte; its headers state `stated` as the part's size.
fn gigabyte_workbook(stated: u32) -> Vec<u8> {
    static SPACES: OnceLock<Vec<u8>> = OnceLock::new();
    let spaces = SPACES.get_or_init(|| deflated_spaces(GIB));
    let mut parts: Vec<RawPart> = parts_of(&workbook_without_strings())
        .iter()
        .map(|(name, data)| RawPart::stored(name, data))
        .collect();
    parts.push(RawPart {
        name: s("xl/sharedStrings.xml"),
        method: 8,
        crc: CRC_OF_A_GIB_OF_SPACES,
        stored: spaces.clone(),
        size: stated,
    });
    raw_zip(&parts)
}

#[test]
fn a_hand_packed_stream_unpacks_to_what_it_says() {
    // The generator above, checked on a size small enough to unpack.
    for len in [1, 258, 259, 100_000] {
        let packed = raw_zip(&[RawPart {
            name: s("spaces.txt"),
            method: 8,
            crc: crc32(&vec![b' '; len]),
            stored: deflated_spaces(len as u64),
            size: len as u32,
        }]);
        assert_eq!(part(&packed, "spaces.txt"), " ".repeat(len));
    }
    let stored = raw_zip(&[RawPart::stored("a.xml", b"<a/>")]);
    assert_eq!(part(&stored, "a.xml"), "<a/>");
}

#[test]
fn a_declared_count_of_shared_strings_is_refused_before_anything_reserves_it() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "Захід").unwrap();
    let parts: Vec<RawPart> = parts_of(&wb.save_to_buffer().unwrap())
        .into_iter()
        .map(|(name, data)| {
            let data = if name == "xl/sharedStrings.xml" {
                let xml = String::from_utf8(data).unwrap();
                assert!(xml.contains(r#"uniqueCount="1""#), "{xml}");
                xml.replace(r#"uniqueCount="1""#, r#"uniqueCount="100000000000""#)
                    .into_bytes()
            } else {
                data
            };
            RawPart::stored(&name, &data)
        })
        .collect();
    let bytes = raw_zip(&parts);
    // calamine would reserve room for 10^11 strings (2.4 TB) and abort the process.
    assert_eq!(
        check_package(&bytes, &ArchiveLimits::default()),
        Err(ArchiveProblem::DeclaredCountTooLarge {
            part: s("xl/sharedStrings.xml"),
            declared: 100_000_000_000
        })
    );
    match read_plan_table("plan.xlsx", &bytes) {
        Err(PlanFileError::TooLarge(why)) => assert!(why.contains("declares 100000000000"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_gigabyte_packed_into_a_megabyte_is_refused_without_unpacking_it() {
    let bytes = gigabyte_workbook(GIB as u32);
    assert!(bytes.len() < 1_100_000, "{}", bytes.len());
    assert_eq!(
        check_package(&bytes, &ArchiveLimits::default()),
        Err(ArchiveProblem::PartTooLarge {
            part: s("xl/sharedStrings.xml"),
            limit: 32 << 20
        })
    );
    let _heavy = heavy();
    let (read, rise) = peak_rise_mib(|| read_plan_table("plan.xlsx", &bytes));
    assert!(matches!(read, Err(PlanFileError::TooLarge(_))), "{read:?}");
    assert!(rise < 100, "the peak rose by {rise} MiB");
}

#[test]
fn a_part_larger_than_its_headers_say_is_refused_as_it_unpacks() {
    // The headers say a kilobyte, or just under the limit; the stream holds a gibibyte.
    // The zip crate stops a part at its stated size, and the check counts what it
    // unpacks whatever the headers say: either way it is refused, unpacking no more than
    // the limit.
    let _heavy = heavy();
    for stated in [1000, 30 << 20] {
        let bytes = gigabyte_workbook(stated);
        let (checked, rise) = peak_rise_mib(|| check_package(&bytes, &ArchiveLimits::default()));
        assert!(
            matches!(
                &checked,
                Err(ArchiveProblem::Damaged(why)) if why.contains("larger than its declared")
            ) || matches!(&checked, Err(ArchiveProblem::PartTooLarge { .. })),
            "{checked:?}"
        );
        assert!(rise < 100, "the peak rose by {rise} MiB");
        let read = read_plan_table("plan.xlsx", &bytes);
        assert!(
            matches!(read, Err(PlanFileError::Damaged(_) | PlanFileError::TooLarge(_))),
            "{read:?}"
        );
    }
}

#[test]
fn the_documents_we_write_pass_the_check() {
    let limits = ArchiveLimits::default();
    for bytes in [
        plan_xlsx(&sample_plan()).unwrap(),
        plan_docx(&sample_plan()).unwrap(),
        consolidated_docx(&sample_report()).unwrap(),
        consolidated_xlsx(&sample_report()).unwrap(),
        journal_xlsx(&journal_labels(), &journal_rows()).unwrap(),
        default_template(TemplateKind::Certificate).unwrap(),
        default_template(TemplateKind::Refusal).unwrap(),
    ] {
        assert_eq!(check_package(&bytes, &limits), Ok(()));
    }
}

/// A table of `rows` rows of four cells, each holding `text`.
fn plan_workbook(rows: u32, text: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for r in 0..rows {
        for c in 0..4 {
            sheet.write_string(r, c, text).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn one_shared_string_cannot_fill_more_than_a_table_holds() {
    // A plan of 5,000 rows reads.
    let (_, rows) = read_plan_table("plan.xlsx", &plan_workbook(5_000, "Захід")).unwrap();
    assert_eq!(rows.len(), 5_000);
    // 600 cells showing one string of 64 KB would be 39 MB of copies.
    let long = "ї".repeat(32_767);
    let bytes = plan_workbook(150, &long);
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let _heavy = heavy();
    match read_plan_table("plan.xlsx", &bytes) {
        Err(PlanFileError::TooLarge(why)) => assert!(why.contains("bytes of text"), "{why}"),
        other => panic!("{:?}", other.map(|(_, rows)| rows.len())),
    }
}

#[test]
fn a_docx_table_of_too_many_rows_or_too_deep_is_refused() {
    let row = "<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>";
    let table = |rows: usize| docx_with_body(&format!("<w:tbl>{}</w:tbl>", row.repeat(rows)));
    assert_eq!(
        read_plan_table("plan.docx", &table(20_000)).unwrap().1.len(),
        20_000
    );
    assert!(matches!(
        read_plan_table("plan.docx", &table(20_001)),
        Err(PlanFileError::TooLarge(_))
    ));
    // Rows without text are not kept, and take nothing from the limit.
    let empty = "<w:tr><w:tc><w:p/></w:tc></w:tr>".repeat(30_000);
    let sparse = docx_with_body(&format!("<w:tbl>{empty}{row}</w:tbl>"));
    let (_, rows) = read_plan_table("plan.docx", &sparse).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].row, 30_001);

    let deep = docx_with_body(&format!(
        "{}{}",
        "<w:tbl><w:tr><w:tc>".repeat(100),
        "</w:tc></w:tr></w:tbl>".repeat(100)
    ));
    match read_plan_table("plan.docx", &deep) {
        Err(PlanFileError::TooLarge(why)) => assert!(why.contains("deep"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// A template whose body holds the certificate's required placeholders and that has
/// `headers` headers.
fn template_with_headers(headers: usize) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = parts_of(&docx_with_body(
        "<w:p><w:r><w:t>{{certificate_no}} {{person_name}}</w:t></w:r></w:p>",
    ));
    for i in 1..=headers {
        parts.push((
            format!("word/header{i}.xml"),
            format!(
                r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:hdr>"#,
                "Колонтитул ".repeat(1000)
            )
            .into_bytes(),
        ));
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in &parts {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_template_with_a_hundred_headers_is_refused() {
    assert_eq!(
        check_template(TemplateKind::Certificate, &template_with_headers(32)),
        Ok(())
    );
    let hundred = template_with_headers(100);
    match check_template(TemplateKind::Certificate, &hundred) {
        Err(TemplateProblem::TooLarge(why)) => assert!(why.contains("headers and footers"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        fill_template(&hundred, &certificate_values()),
        Err(ReportError::Template(TemplateProblem::TooLarge(_)))
    ));
    // A thousand placeholders is as many as a document may have.
    let many = docx_with_body(&format!(
        "<w:p><w:r><w:t>{{{{certificate_no}}}} {}</w:t></w:r></w:p>",
        "{{person_name}}".repeat(1000)
    ));
    assert!(matches!(
        check_template(TemplateKind::Certificate, &many),
        Err(TemplateProblem::TooLarge(_))
    ));
    assert!(matches!(
        fill_template(&many, &certificate_values()),
        Err(ReportError::Template(TemplateProblem::TooLarge(_)))
    ));
}
