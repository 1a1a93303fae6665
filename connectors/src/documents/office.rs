//! DOCX and PPTX: zip archives of XML parts. The text is in the `t` elements (`w:t` in Word,
//! `a:t` in slides) and a paragraph (`p`) ends a line; tabs and breaks are kept as such.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::{DocumentKind, Extracted, MAX_DOCUMENT_BYTES};

/// Reads the text parts of a DOCX (the body, then headers, footers and footnotes) or a PPTX
/// (the slides in order, then their notes).
pub(super) fn text(kind: DocumentKind, bytes: &[u8]) -> Result<Extracted, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a valid {} (zip) file: {e}", kind.name()))?;
    let mut parts: Vec<(u32, u32, String)> = archive
        .file_names()
        .filter_map(|name| name.ok())
        .filter_map(|name| part_order(kind, &name).map(|(a, b)| (a, b, name.into_owned())))
        .collect();
    if parts.is_empty() {
        return Err(format!(
            "no {} text part in the archive",
            match kind {
                DocumentKind::Pptx => "slide",
                _ => "document",
            }
        ));
    }
    parts.sort();
    let mut out = Extracted::default();
    for (_, _, name) in parts {
        if out.full() {
            break;
        }
        let entry = archive
            .by_name(&name)
            .map_err(|e| format!("part {name} cannot be read: {e}"))?;
        // A part inflates to at most the document cap: a zip bomb stops there.
        let mut xml = Vec::new();
        entry
            .take(MAX_DOCUMENT_BYTES)
            .read_to_end(&mut xml)
            .map_err(|e| format!("part {name} cannot be inflated: {e}"))?;
        xml_text(&String::from_utf8_lossy(&xml), &mut out)
            .map_err(|e| format!("part {name} is not well-formed XML: {e}"))?;
    }
    Ok(out)
}

/// Where a part comes in the text, or `None` when it holds none: `(group, number)`.
fn part_order(kind: DocumentKind, name: &str) -> Option<(u32, u32)> {
    let numbered = |prefix: &str| -> Option<u32> {
        let n = name.strip_prefix(prefix)?.strip_suffix(".xml")?;
        if n.is_empty() {
            return Some(0);
        }
        n.parse().ok()
    };
    match kind {
        DocumentKind::Docx => {
            if name == "word/document.xml" {
                Some((0, 0))
            } else if let Some(n) = numbered("word/header") {
                Some((1, n))
            } else if let Some(n) = numbered("word/footer") {
                Some((2, n))
            } else {
                (name == "word/footnotes.xml").then_some((3, 0))
            }
        }
        DocumentKind::Pptx => numbered("ppt/slides/slide")
            .map(|n| (0, n))
            .or_else(|| numbered("ppt/notesSlides/notesSlide").map(|n| (1, n))),
        _ => None,
    }
}

/// Appends the text of one part: the content of `t` elements, a line per paragraph.
fn xml_text(xml: &str, out: &mut Extracted) -> Result<(), quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut in_text = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push("\n"),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push("\t"),
                "br" | "cr" => out.push("\n"),
                _ => {}
            },
            Event::Text(t) if in_text => out.push(&t.xml10_content()),
            Event::CData(t) if in_text => out.push(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let resolved = match r.resolve_char_ref().ok().flatten() {
                    Some(c) => Some(c),
                    None => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = resolved {
                    out.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        if out.full() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tabs_and_entities() {
        let mut out = Extracted::default();
        xml_text(
            r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>客户</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">A &amp; B</w:t></w:r></w:p><w:p><w:r><w:t>第二段&#x31;</w:t></w:r></w:p></w:body></w:document>"#,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.text, "客户\tA & B\n第二段1\n");
    }

    #[test]
    fn slides_come_in_number_order() {
        let order = |n| part_order(DocumentKind::Pptx, n);
        assert!(order("ppt/slides/slide2.xml") < order("ppt/slides/slide10.xml"));
        assert_eq!(order("ppt/slides/_rels/slide1.xml.rels"), None);
        assert_eq!(
            part_order(DocumentKind::Docx, "word/document.xml"),
            Some((0, 0))
        );
        assert_eq!(part_order(DocumentKind::Docx, "word/styles.xml"), None);
    }

    #[test]
    fn a_broken_archive_is_a_named_error() {
        let err = text(DocumentKind::Docx, b"PK\x03\x04 not really").unwrap_err();
        assert!(err.contains("not a valid DOCX"), "{err}");
    }
}
