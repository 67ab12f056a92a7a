//! A small WordprocessingML writer: just the paragraphs, runs and tables our
//! documents use, and the package around them. See docs/adr/0005-documents-docx.md.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;

use crate::ReportError;

/// Times New Roman, as ДСТУ 4163:2020 expects.
const FONT: &str = "Times New Roman";
/// A4 in twips.
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;
/// Margins in twips: left 30 mm, right 10 mm, top and bottom 20 mm.
const MARGIN_LEFT: u32 = 1701;
const MARGIN_RIGHT: u32 = 567;
const MARGIN_TOP: u32 = 1134;
const MARGIN_BOTTOM: u32 = 1134;
/// The first-line indent of body text, 1.25 cm.
pub(crate) const INDENT: u32 = 709;

/// The width the text may take on the page, in twips.
pub(crate) fn text_width(landscape: bool) -> u32 {
    let width = if landscape { A4_LONG } else { A4_SHORT };
    width - MARGIN_LEFT - MARGIN_RIGHT
}

/// Text made safe for XML: markup escaped, characters XML 1.0 forbids dropped.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Align {
    #[default]
    Left,
    Center,
    /// Flush right (figures in a table).
    Right,
    Both,
}

/// How a run looks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunFmt {
    pub bold: bool,
    pub italic: bool,
    /// Size in points; `None` keeps the document default (14 pt).
    pub size: Option<u32>,
}

pub(crate) const PLAIN: RunFmt = RunFmt {
    bold: false,
    italic: false,
    size: None,
};
pub(crate) const BOLD: RunFmt = RunFmt {
    bold: true,
    italic: false,
    size: None,
};
pub(crate) const ITALIC: RunFmt = RunFmt {
    bold: false,
    italic: true,
    size: None,
};

impl RunFmt {
    pub(crate) fn sized(self, size: Option<u32>) -> Self {
        Self { size, ..self }
    }

    pub(crate) fn bold(self) -> Self {
        Self { bold: true, ..self }
    }

    pub(crate) fn italic(self) -> Self {
        Self { italic: true, ..self }
    }
}

/// A run of text; a tab becomes `w:tab`, a line feed `w:br`.
pub(crate) fn run(text: &str, f: RunFmt) -> String {
    let mut out = String::from("<w:r>");
    if f.bold || f.italic || f.size.is_some() {
        out.push_str("<w:rPr>");
        if f.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if f.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        if let Some(pt) = f.size {
            let _ = write!(out, "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", pt * 2);
        }
        out.push_str("</w:rPr>");
    }
    let text = text.replace("\r\n", "\n");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
            }
        }
    }
    out.push_str("</w:r>");
    out
}

/// How a paragraph is set; distances in twips.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ParaFmt {
    pub align: Align,
    pub left: u32,
    pub first_line: u32,
    pub before: u32,
    pub after: u32,
    pub keep_next: bool,
    /// A right-aligned tab stop at this distance (0: none), e.g. for a name after a position.
    pub right_tab: u32,
}

impl ParaFmt {
    pub(crate) fn align(align: Align) -> Self {
        Self {
            align,
            ..Self::default()
        }
    }

    /// Body text: justified, first line indented 1.25 cm.
    pub(crate) fn body() -> Self {
        Self {
            align: Align::Both,
            first_line: INDENT,
            ..Self::default()
        }
    }
}

/// A paragraph holding already built runs.
pub(crate) fn para(runs: &str, f: ParaFmt) -> String {
    let mut ppr = String::new();
    if f.keep_next {
        ppr.push_str("<w:keepNext/>");
    }
    if f.right_tab > 0 {
        let _ = write!(
            ppr,
            "<w:tabs><w:tab w:val=\"right\" w:pos=\"{}\"/></w:tabs>",
            f.right_tab
        );
    }
    if f.before > 0 || f.after > 0 {
        let _ = write!(
            ppr,
            "<w:spacing w:before=\"{}\" w:after=\"{}\"/>",
            f.before, f.after
        );
    }
    if f.left > 0 || f.first_line > 0 {
        let _ = write!(
            ppr,
            "<w:ind w:left=\"{}\" w:firstLine=\"{}\"/>",
            f.left, f.first_line
        );
    }
    let jc = match f.align {
        Align::Left => "",
        Align::Center => "center",
        Align::Right => "right",
        Align::Both => "both",
    };
    if !jc.is_empty() {
        let _ = write!(ppr, "<w:jc w:val=\"{jc}\"/>");
    }
    if ppr.is_empty() {
        format!("<w:p>{runs}</w:p>")
    } else {
        format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
    }
}

/// One paragraph per line of `text` (a cell's content: the reader joins them back with "\n").
pub(crate) fn paras(text: &str, r: RunFmt, p: ParaFmt) -> String {
    let text = text.replace("\r\n", "\n");
    text.split('\n').map(|line| para(&run(line, r), p)).collect()
}

/// Vertical merge of a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VMerge {
    Restart,
    Continue,
}

/// A table cell. `content` is one or more paragraphs; an empty one is added when it is empty.
pub(crate) fn cell(
    width: u32,
    span: u32,
    vmerge: Option<VMerge>,
    shade: Option<&str>,
    content: &str,
) -> String {
    let mut out = String::from("<w:tc><w:tcPr>");
    let _ = write!(out, "<w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if span > 1 {
        let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
    }
    match vmerge {
        Some(VMerge::Restart) => out.push_str("<w:vMerge w:val=\"restart\"/>"),
        Some(VMerge::Continue) => out.push_str("<w:vMerge/>"),
        None => {}
    }
    if let Some(fill) = shade {
        let _ = write!(out, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>");
    }
    out.push_str("</w:tcPr>");
    if content.is_empty() {
        out.push_str("<w:p/>");
    } else {
        out.push_str(content);
    }
    out.push_str("</w:tc>");
    out
}

/// A table row; a header row repeats at the top of each page.
pub(crate) fn row(cells: &str, header: bool) -> String {
    if header {
        format!("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>")
    } else {
        format!("<w:tr>{cells}</w:tr>")
    }
}

/// A bordered table with fixed column widths (twips).
pub(crate) fn table(widths: &[u32], rows: &str) -> String {
    let total: u32 = widths.iter().sum();
    let mut out = String::from("<w:tbl><w:tblPr>");
    let _ = write!(out, "<w:tblW w:w=\"{total}\" w:type=\"dxa\"/>");
    out.push_str("<w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            out,
            "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        );
    }
    out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
    out.push_str(
        "<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>",
    );
    out.push_str("<w:tblLook w:val=\"04A0\"/></w:tblPr><w:tblGrid>");
    for w in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    out.push_str(rows);
    out.push_str("</w:tbl>");
    out
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A whole .docx: `body` is the content of `w:body` without the section properties.
/// Page numbers are centred in the header from page 2 on.
pub(crate) fn package(title: &str, body: &str, landscape: bool) -> Result<Vec<u8>, ReportError> {
    let (w, h) = if landscape {
        (A4_LONG, A4_SHORT)
    } else {
        (A4_SHORT, A4_LONG)
    };
    let orient = if landscape { " w:orient=\"landscape\"" } else { "" };
    let document = format!(
        "{DECL}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>{body}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>\
         <w:headerReference w:type=\"first\" r:id=\"rIdFirstHeader\"/>\
         <w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" \
         w:left=\"{MARGIN_LEFT}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         <w:pgNumType w:start=\"1\"/><w:cols w:space=\"708\"/><w:titlePg/></w:sectPr></w:body></w:document>"
    );
    let page_field = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
        <w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r>\
        <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
    let header = format!(
        "{DECL}<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">\
         <w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{page_field}</w:p></w:hdr>"
    );
    let first_header = format!("{DECL}<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p/></w:hdr>");
    let font =
        format!("<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>");
    let lang = "<w:lang w:val=\"uk-UA\" w:eastAsia=\"uk-UA\" w:bidi=\"ar-SA\"/>";
    let styles = format!(
        "{DECL}<w:styles xmlns:w=\"{W_NS}\"><w:docDefaults><w:rPrDefault><w:rPr>{font}\
         <w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>{lang}</w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>\
         </w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>\
         <w:qFormat/><w:rPr>{font}{lang}</w:rPr></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
         <w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>\
         <w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>\
         </w:style></w:styles>"
    );
    let settings = format!(
        "{DECL}<w:settings xmlns:w=\"{W_NS}\"><w:zoom w:percent=\"100\"/>\
         <w:defaultTabStop w:val=\"{INDENT}\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"uk-UA\"/></w:settings>"
    );
    let content_types = format!(
        "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
         <Override PartName=\"/word/header1.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
         <Override PartName=\"/word/header2.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" \
         ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>"
    );
    let root_rels = format!(
        "{DECL}<Relationships xmlns=\"{REL_NS}\">\
         <Relationship Id=\"rId1\" Target=\"word/document.xml\" \
         Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\"/>\
         <Relationship Id=\"rId2\" Target=\"docProps/core.xml\" \
         Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\"/>\
         <Relationship Id=\"rId3\" Target=\"docProps/app.xml\" \
         Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\"/>\
         </Relationships>"
    );
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let document_rels = format!(
        "{DECL}<Relationships xmlns=\"{REL_NS}\">\
         <Relationship Id=\"rIdStyles\" Type=\"{rel}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"{rel}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdHeader\" Type=\"{rel}/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rIdFirstHeader\" Type=\"{rel}/header\" Target=\"header2.xml\"/>\
         </Relationships>"
    );
    let core = format!(
        "{DECL}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>Oberih</dc:creator><dc:language>uk-UA</dc:language>\
         </cp:coreProperties>",
        esc(title)
    );
    let app = format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>Oberih</Application></Properties>"
    );

    let parts: [(&str, &str); 10] = [
        ("[Content_Types].xml", &content_types),
        ("_rels/.rels", &root_rels),
        ("docProps/core.xml", &core),
        ("docProps/app.xml", &app),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", &document_rels),
        ("word/styles.xml", &styles),
        ("word/settings.xml", &settings),
        ("word/header1.xml", &header),
        ("word/header2.xml", &first_header),
    ];
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
