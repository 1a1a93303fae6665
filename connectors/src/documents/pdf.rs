//! PDF: the text layer, page by page, through `lopdf` (fonts' encodings and ToUnicode maps
//! applied). A scanned PDF has no text layer and yields no text; an encrypted one is named.

use super::Extracted;

pub(super) fn text(bytes: &[u8]) -> Result<Extracted, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| format!("not a readable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err("the PDF is encrypted; its text cannot be read without the password".into());
    }
    let mut out = Extracted::default();
    let (mut pages, mut failed) = (0usize, 0usize);
    for page in doc.get_pages().into_keys() {
        pages += 1;
        for chunk in doc.extract_text_chunks(&[page]) {
            match chunk {
                Ok(text) => out.push(&text),
                Err(_) => failed += 1,
            }
        }
        out.push("\n");
        if out.full() {
            break;
        }
    }
    if out.text.trim().is_empty() && failed > 0 {
        return Err(format!(
            "no text could be read from its {pages} page(s) ({failed} part(s) failed to decode)"
        ));
    }
    Ok(out)
}
