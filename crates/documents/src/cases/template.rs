//! Finding and filling `{{name}}` placeholders in a DOCX package.
//!
//! Word splits what a person typed into runs as it likes: after a spelling check or an
//! edit, `{{person_name}}` may be stored as `{{`, `person_` and `name}}` in three `w:r`s.
//! So placeholders are looked for in the text of a whole paragraph: the `w:t` texts of
//! the paragraph are joined, the placeholders are found in the joined text, and each one
//! is replaced in the first `w:t` it touches (so its value takes that run's formatting);
//! the rest of the placeholder is taken out of the following `w:t`s. Everything else in
//! the part (run properties, bookmarks, fields, the other runs' text) stays byte for byte
//! as it was.
//!
//! A value is inserted once and never read again, so a value that itself holds `{{…}}`
//! is printed as written and cannot pull in another field.
//!
//! A template is a letter of a page or two, so it is held to tighter limits than an
//! uploaded plan: at most [`MAX_HEADERS_FOOTERS`] headers and footers, counted in the
//! archive's directory; then [`archive::check_package`] with [`TEMPLATE_LIMITS`]; the
//! body, headers and footers together at most [`MAX_TEXT_PART_BYTES`], each with at most
//! [`MAX_TEXT_NODES`] texts; at most [`MAX_PLACEHOLDERS`] placeholders in all. Beyond any
//! of these it is [`TemplateProblem::TooLarge`]. So reading a template takes a bounded
//! time (about a second at most) and memory (tens of megabytes at most).

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write as _};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use zip::ZipArchive;
use zip::write::SimpleFileOptions;

use super::TemplateProblem;
use crate::ReportError;
use crate::archive::{self, ArchiveLimits};
use crate::ooxml::esc;

/// WordprocessingML, as Word writes it (transitional) and in strict OOXML.
const W_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// What a template's package may hold: half of what a plan's may, which still leaves room
/// for images and fonts (the upload itself is at most a few megabytes).
const TEMPLATE_LIMITS: ArchiveLimits = ArchiveLimits {
    max_entries: 1_000,
    max_part_bytes: 16 * 1024 * 1024,
    max_total_bytes: 32 * 1024 * 1024,
    max_shared_strings: 200_000,
    max_records: 65_536,
    max_copied_bytes: 16 * 1024 * 1024,
    max_depth: 256,
};
/// The most headers and footers a template may have: Word gives each section up to three
/// of each (first page, odd and even pages), so this allows five sections with all six.
const MAX_HEADERS_FOOTERS: usize = 32;
/// The most the body, headers and footers may unpack to together: a letter's body is some
/// tens of kilobytes, a header a few.
const MAX_TEXT_PART_BYTES: u64 = 16 * 1024 * 1024;
/// The most texts (`w:t`) one part may have: a letter has a few hundred, a hundred-page
/// document some tens of thousands. Each costs about a hundred bytes while it is read.
const MAX_TEXT_NODES: usize = 100_000;
/// The most placeholders (and stray `{{`) a document may have: the certificate has eleven.
const MAX_PLACEHOLDERS: usize = 1_000;
/// A placeholder reported as unknown is cut to this many characters.
const MAX_REPORTED_CHARS: usize = 60;

/// A placeholder or a stray `{{` found in a paragraph's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    /// Byte range in the paragraph's text, braces included.
    start: usize,
    end: usize,
    /// The trimmed name between the braces; `None` for a `{{` that is not closed by `}}`.
    pub(super) name: Option<String>,
    /// The placeholder as written, cut to a readable length.
    pub(super) written: String,
}

/// The `{{name}}`s in `text`, at most `limit` of them. A name holds no braces; a `{{`
/// that is not followed by a name and `}}` is reported as stray (name `None`) and
/// otherwise left as text.
pub(super) fn find_placeholders(text: &str, limit: usize) -> Vec<Found> {
    let mut found = Vec::new();
    let mut from = 0;
    while found.len() < limit
        && let Some(at) = text.get(from..).and_then(|rest| rest.find("{{"))
    {
        let start = from + at;
        let inner_from = start + 2;
        let rest = text.get(inner_from..).unwrap_or_default();
        let stop = rest.find(['{', '}']).map(|i| inner_from + i);
        let closed = stop.filter(|&i| text.get(i..).is_some_and(|t| t.starts_with("}}")));
        match closed {
            Some(close) => {
                let end = close + 2;
                found.push(Found {
                    start,
                    end,
                    name: Some(text.get(inner_from..close).unwrap_or_default().trim().to_string()),
                    written: cut(text.get(start..end).unwrap_or_default()),
                });
                from = end;
            }
            None => {
                let until = stop.unwrap_or(text.len());
                found.push(Found {
                    start,
                    end: start + 2,
                    name: None,
                    written: cut(text.get(start..until).unwrap_or_default()),
                });
                // "{{{x}}": the next brace may open a placeholder of its own.
                from = start + 1;
            }
        }
    }
    found
}

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_REPORTED_CHARS {
        return text.to_string();
    }
    let mut out: String = text.chars().take(MAX_REPORTED_CHARS - 1).collect();
    out.push('…');
    out
}

/// One `w:t` element of a part.
struct TextNode {
    /// Which paragraph (in the order the paragraphs open) holds it.
    paragraph: usize,
    /// Byte range of the whole element, `<w:t…>` to `</w:t>`.
    start: usize,
    end: usize,
    /// The element's name as written, e.g. "w:t".
    name: String,
    text: String,
}

fn is_w(ns: &ResolveResult<'_>) -> bool {
    matches!(ns, ResolveResult::Bound(n) if W_NAMESPACES.contains(&n.0))
}

fn too_large(what: impl std::fmt::Display) -> TemplateProblem {
    TemplateProblem::TooLarge(what.to_string())
}

/// Every `w:t` that lies in a paragraph, in document order. Text in a text box belongs to
/// the text box's own paragraph, not to the paragraph that anchors it.
fn text_nodes(xml: &str) -> Result<Vec<TextNode>, TemplateProblem> {
    let mut reader = NsReader::from_str(xml);
    let mut open_paragraphs: Vec<usize> = Vec::new();
    let mut paragraphs = 0;
    let mut nodes = Vec::new();
    let mut current: Option<TextNode> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).map_err(|_| TemplateProblem::NotDocx)?;
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|_| TemplateProblem::NotDocx)?;
        let ours = is_w(&ns);
        match event {
            Event::Start(e) if ours && e.local_name().as_ref() == "p" => {
                open_paragraphs.push(paragraphs);
                paragraphs += 1;
            }
            Event::End(e) if ours && e.local_name().as_ref() == "p" => {
                open_paragraphs.pop();
            }
            Event::Start(e) if ours && e.local_name().as_ref() == "t" => {
                current = open_paragraphs.last().map(|&paragraph| TextNode {
                    paragraph,
                    start: before,
                    end: before,
                    name: e.name().as_ref().to_string(),
                    text: String::new(),
                });
            }
            Event::End(e) if ours && e.local_name().as_ref() == "t" => {
                if let Some(mut node) = current.take() {
                    node.end =
                        usize::try_from(reader.buffer_position()).map_err(|_| TemplateProblem::NotDocx)?;
                    if nodes.len() >= MAX_TEXT_NODES {
                        return Err(too_large(format_args!(
                            "a part has more than {MAX_TEXT_NODES} texts"
                        )));
                    }
                    nodes.push(node);
                }
            }
            Event::Text(t) => {
                if let Some(node) = current.as_mut() {
                    node.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(node) = current.as_mut() {
                    node.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(node) = current.as_mut() {
                    let c = match r.resolve_char_ref().map_err(|_| TemplateProblem::NotDocx)? {
                        Some(c) => c,
                        None => match &*r {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            // An entity only a DTD could define: no document Word writes has one.
                            _ => return Err(TemplateProblem::NotDocx),
                        },
                    };
                    node.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(nodes)
}

/// The paragraphs that hold text, each as the indexes of its `w:t`s in `nodes`.
fn paragraphs(nodes: &[TextNode]) -> BTreeMap<usize, Vec<usize>> {
    let mut out: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        out.entry(node.paragraph).or_default().push(i);
    }
    out
}

fn too_many_placeholders() -> TemplateProblem {
    too_large(format_args!(
        "the document has more than {MAX_PLACEHOLDERS} placeholders"
    ))
}

/// Every placeholder and stray `{{` in a part's paragraphs, added to `found`; more than
/// [`MAX_PLACEHOLDERS`] in all is [`TemplateProblem::TooLarge`].
fn part_placeholders(xml: &str, found: &mut Vec<Found>) -> Result<(), TemplateProblem> {
    let nodes = text_nodes(xml)?;
    for members in paragraphs(&nodes).values() {
        let text: String = members
            .iter()
            .filter_map(|&i| nodes.get(i))
            .map(|n| n.text.as_str())
            .collect();
        let room = (MAX_PLACEHOLDERS + 1).saturating_sub(found.len());
        found.extend(find_placeholders(&text, room));
        if found.len() > MAX_PLACEHOLDERS {
            return Err(too_many_placeholders());
        }
    }
    Ok(())
}

/// A piece of a `w:t`'s new content.
enum Piece<'a> {
    /// Text that was in the template.
    Kept(&'a str),
    /// A placeholder's value: its line feeds become `w:br`, its tabs `w:tab`.
    Value(&'a str),
}

/// A `w:t` element written again with `pieces` as its text.
fn render(name: &str, pieces: &[Piece<'_>]) -> String {
    let prefix = name
        .rsplit_once(':')
        .map(|(p, _)| format!("{p}:"))
        .unwrap_or_default();
    let open = format!("<{name} xml:space=\"preserve\">");
    let close = format!("</{name}>");
    let mut out = open.clone();
    for piece in pieces {
        match piece {
            Piece::Kept(text) => out.push_str(&esc(text)),
            Piece::Value(value) => {
                let value = value.replace("\r\n", "\n").replace('\r', "\n");
                for (i, line) in value.split('\n').enumerate() {
                    if i > 0 {
                        out.push_str(&format!("{close}<{prefix}br/>{open}"));
                    }
                    for (j, part) in line.split('\t').enumerate() {
                        if j > 0 {
                            out.push_str(&format!("{close}<{prefix}tab/>{open}"));
                        }
                        out.push_str(&esc(part));
                    }
                }
            }
        }
    }
    out.push_str(&close);
    out
}

/// The nodes whose text overlaps `from..to`; `ranges` says where each node's text lies in
/// the paragraph's text, in order. A paragraph may have many runs, so this does not walk
/// them all for each placeholder.
fn overlapping(
    ranges: &[(usize, usize)],
    from: usize,
    to: usize,
) -> impl Iterator<Item = (usize, usize, usize)> {
    let first = ranges.partition_point(|&(_, b)| b <= from);
    ranges
        .iter()
        .enumerate()
        .skip(first)
        .take_while(move |(_, (a, _))| *a < to)
        .filter(|(_, (a, b))| a < b)
        .map(|(i, &(a, b))| (i, a, b))
}

/// The paragraph's text between `from` and `to` stays in the nodes it was in.
fn keep<'t>(text: &'t str, ranges: &[(usize, usize)], from: usize, to: usize, pieces: &mut [Vec<Piece<'t>>]) {
    for (i, a, b) in overlapping(ranges, from, to) {
        if let (Some(p), Some(kept)) = (pieces.get_mut(i), text.get(a.max(from)..b.min(to))) {
            p.push(Piece::Kept(kept));
        }
    }
}

/// A part with its placeholders replaced; `None` when it has none.
fn fill_part(xml: &str, values: &BTreeMap<&str, String>) -> Result<Option<String>, TemplateProblem> {
    let nodes = text_nodes(xml)?;
    // (start, end, new element) for each `w:t` that changes.
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    let mut seen = 0;
    for members in paragraphs(&nodes).values() {
        let members: Vec<&TextNode> = members.iter().filter_map(|&i| nodes.get(i)).collect();
        let text: String = members.iter().map(|n| n.text.as_str()).collect();
        let found = find_placeholders(&text, (MAX_PLACEHOLDERS + 1).saturating_sub(seen));
        seen += found.len();
        if seen > MAX_PLACEHOLDERS {
            return Err(too_many_placeholders());
        }
        let found: Vec<Found> = found.into_iter().filter(|f| f.name.is_some()).collect();
        if found.is_empty() {
            continue;
        }
        // Where each node's text lies in the paragraph's text.
        let mut ranges = Vec::with_capacity(members.len());
        let mut at = 0;
        for n in &members {
            ranges.push((at, at + n.text.len()));
            at += n.text.len();
        }
        let mut pieces: Vec<Vec<Piece<'_>>> = members.iter().map(|_| Vec::new()).collect();
        let mut touched = vec![false; members.len()];
        let mut pos = 0;
        for f in &found {
            keep(&text, &ranges, pos, f.start, &mut pieces);
            // The placeholder's characters are dropped from every node they lie in, and its
            // value goes to the first of them, where it begins.
            for (n, (i, _, _)) in overlapping(&ranges, f.start, f.end).enumerate() {
                if let Some(t) = touched.get_mut(i) {
                    *t = true;
                }
                if n == 0
                    && let Some(p) = pieces.get_mut(i)
                {
                    let name = f.name.as_deref().unwrap_or_default();
                    p.push(Piece::Value(
                        values.get(name).map(String::as_str).unwrap_or_default(),
                    ));
                }
            }
            pos = f.end;
        }
        keep(&text, &ranges, pos, text.len(), &mut pieces);
        for ((node, pieces), touched) in members.iter().zip(&pieces).zip(&touched) {
            if *touched {
                splices.push((node.start, node.end, render(&node.name, pieces)));
            }
        }
    }
    if splices.is_empty() {
        return Ok(None);
    }
    splices.sort_by_key(|s| s.0);
    let mut out = String::with_capacity(xml.len() + splices.len() * 32);
    let mut pos = 0;
    for (start, end, element) in splices {
        out.push_str(xml.get(pos..start).ok_or(TemplateProblem::NotDocx)?);
        out.push_str(&element);
        pos = end;
    }
    out.push_str(xml.get(pos..).ok_or(TemplateProblem::NotDocx)?);
    Ok(Some(out))
}

/// The parts whose text may hold placeholders: the body, headers and footers.
fn has_text(name: &str) -> bool {
    if name == "word/document.xml" {
        return true;
    }
    name.strip_prefix("word/")
        .filter(|rest| !rest.contains('/'))
        .is_some_and(|rest| {
            (rest.starts_with("header") || rest.starts_with("footer")) && rest.ends_with(".xml")
        })
}

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// The package, when it is a DOCX (a ZIP archive with `word/document.xml`) within the
/// limits, and the parts that may hold placeholders, with their indexes.
fn open(bytes: &[u8]) -> Result<(Archive<'_>, Vec<(usize, String)>), TemplateProblem> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(TemplateProblem::NotDocx);
    }
    // Only the directory is read until the package has been checked.
    let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| TemplateProblem::NotDocx)?;
    if zip.index_for_name("word/document.xml").is_none() {
        return Err(TemplateProblem::NotDocx);
    }
    let parts = text_parts(&zip)?;
    archive::check_package(bytes, &TEMPLATE_LIMITS).map_err(|p| {
        if p.is_limit() {
            too_large(p)
        } else {
            TemplateProblem::NotDocx
        }
    })?;
    // The check has unpacked every part: each is no larger than its header says.
    let mut text_bytes = 0u64;
    for (index, _) in &parts {
        let entry = zip.by_index_data(*index).map_err(|_| TemplateProblem::NotDocx)?;
        text_bytes = text_bytes.saturating_add(entry.size());
    }
    if text_bytes > MAX_TEXT_PART_BYTES {
        return Err(too_large(format_args!(
            "the body, headers and footers unpack to more than {MAX_TEXT_PART_BYTES} bytes"
        )));
    }
    Ok((zip, parts))
}

/// A part's XML as text. [`open`] has checked that it unpacks within the limit.
fn read_part(zip: &mut Archive<'_>, index: usize) -> Result<String, TemplateProblem> {
    let limit = TEMPLATE_LIMITS.max_part_bytes;
    let part = zip.by_index(index).map_err(|_| TemplateProblem::NotDocx)?;
    let mut xml = Vec::new();
    part.take(limit + 1)
        .read_to_end(&mut xml)
        .map_err(|_| TemplateProblem::NotDocx)?;
    if xml.len() as u64 > limit {
        return Err(too_large("a part is too large"));
    }
    String::from_utf8(xml).map_err(|_| TemplateProblem::NotDocx)
}

/// The names of the parts that may hold placeholders, with their indexes; more than
/// [`MAX_HEADERS_FOOTERS`] headers and footers is [`TemplateProblem::TooLarge`].
fn text_parts(zip: &Archive<'_>) -> Result<Vec<(usize, String)>, TemplateProblem> {
    let parts: Vec<(usize, String)> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|name| has_text(name))
        .filter_map(|name| zip.index_for_name(&name).map(|i| (i, name.into_owned())))
        .collect();
    // All but word/document.xml are headers and footers.
    if parts.len() > MAX_HEADERS_FOOTERS + 1 {
        return Err(too_large(format_args!(
            "the document has more than {MAX_HEADERS_FOOTERS} headers and footers"
        )));
    }
    Ok(parts)
}

/// Every placeholder and stray `{{` in the document, its headers and footers.
pub(super) fn placeholders_in(bytes: &[u8]) -> Result<Vec<Found>, TemplateProblem> {
    let (mut zip, mut parts) = open(bytes)?;
    let mut found = Vec::new();
    // The body first, so that problems are reported in reading order.
    parts.sort_by_key(|(_, name)| name != "word/document.xml");
    for (index, _) in parts {
        let xml = read_part(&mut zip, index)?;
        part_placeholders(&xml, &mut found)?;
    }
    Ok(found)
}

/// The package with every placeholder filled; other parts are copied as they are.
pub(super) fn fill(bytes: &[u8], values: &BTreeMap<&str, String>) -> Result<Vec<u8>, ReportError> {
    let (mut zip, parts) = open(bytes)?;
    let parts: BTreeMap<usize, String> = parts.into_iter().collect();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let filled = match parts.get(&index) {
            Some(_) => fill_part(&read_part(&mut zip, index)?, values)?,
            None => None,
        };
        let entry = zip.by_index_raw(index).map_err(|_| TemplateProblem::NotDocx)?;
        match filled {
            Some(xml) => {
                let mut options =
                    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
                if let Some(time) = entry.last_modified() {
                    options = options.last_modified_time(time);
                }
                let name = entry.name().map_err(|_| TemplateProblem::NotDocx)?.into_owned();
                out.start_file(name, options).map_err(std::io::Error::other)?;
                out.write_all(xml.as_bytes())?;
            }
            None => out.raw_copy_file(entry).map_err(std::io::Error::other)?,
        }
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<Option<String>> {
        find_placeholders(text, MAX_PLACEHOLDERS)
            .into_iter()
            .map(|f| f.name)
            .collect()
    }

    #[test]
    fn placeholders_are_found_and_stray_braces_told_apart() {
        assert_eq!(
            names("№ {{certificate_no}} від {{ certificate_date }}"),
            [Some("certificate_no".into()), Some("certificate_date".into())]
        );
        assert_eq!(names("{{person_name}"), [None]);
        assert_eq!(names("{{{x}}}"), [None, Some("x".into())]);
        assert_eq!(names("{ x } {x}} }}"), Vec::<Option<String>>::new());
        assert_eq!(
            find_placeholders("a {{b", 10).first().map(|f| f.written.as_str()),
            Some("{{b")
        );
    }

    #[test]
    fn a_placeholder_split_over_runs_takes_the_first_runs_place() {
        let xml = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
            <w:body><w:p><w:r><w:t>Видана {</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{person</w:t></w:r>\
            <w:proofErr w:type=\"spellStart\"/><w:r><w:t xml:space=\"preserve\">_name}} р.</w:t></w:r></w:p></w:body></w:document>";
        let values = BTreeMap::from([("person_name", "Ольга & Ко".to_string())]);
        let filled = fill_part(xml, &values).ok().flatten().unwrap_or_default();
        assert!(
            filled.contains("<w:t xml:space=\"preserve\">Видана Ольга &amp; Ко</w:t>"),
            "{filled}"
        );
        assert!(
            filled.contains("<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\"></w:t>"),
            "{filled}"
        );
        assert!(
            filled.contains("<w:t xml:space=\"preserve\"> р.</w:t>"),
            "{filled}"
        );
        assert!(filled.contains("<w:proofErr w:type=\"spellStart\"/>"));
    }
}
