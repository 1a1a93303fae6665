//! Documents (PDF, DOCX, PPTX, HTML): their text, extracted with size caps, for the
//! free-text classifiers. A document is read whole (it is one archive or one object tree), so
//! only files up to [`MAX_DOCUMENT_BYTES`] are opened, and at most [`MAX_TEXT_BYTES`] of text
//! is kept; the lake reads that text as it reads a prose `.txt` file, one row per line.

mod html;
mod office;
#[cfg(feature = "pdf")]
mod pdf;

/// The largest document opened; larger ones are counted as not scanned (over the size cap).
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;
/// The most text kept from one document.
pub(crate) const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;

/// The document formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocumentKind {
    Pdf,
    Docx,
    Pptx,
    Html,
}

impl DocumentKind {
    /// The kind of a file by its (lower-case) name.
    pub(crate) fn of(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1;
        Some(match ext {
            "pdf" => DocumentKind::Pdf,
            "docx" | "docm" => DocumentKind::Docx,
            "pptx" | "pptm" => DocumentKind::Pptx,
            "html" | "htm" | "xhtml" => DocumentKind::Html,
            _ => return None,
        })
    }

    /// How messages name the format.
    pub(crate) fn name(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "PDF",
            DocumentKind::Docx => "DOCX",
            DocumentKind::Pptx => "PPTX",
            DocumentKind::Html => "HTML",
        }
    }

    /// Whether this build reads the kind: PDFs need the `pdf` feature.
    pub(crate) fn readable(self) -> bool {
        self != DocumentKind::Pdf || cfg!(feature = "pdf")
    }
}

/// A document's text: lines, at most [`MAX_TEXT_BYTES`] of them.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub(crate) text: String,
    /// Text was cut at the cap.
    pub(crate) truncated: bool,
}

impl Extracted {
    /// Appends `s`, up to the cap; whole characters only.
    pub(crate) fn push(&mut self, s: &str) {
        if self.truncated {
            return;
        }
        let room = MAX_TEXT_BYTES.saturating_sub(self.text.len());
        if s.len() <= room {
            self.text.push_str(s);
        } else {
            let mut cut = room;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(&s[..cut]);
            self.truncated = true;
        }
    }

    pub(crate) fn full(&self) -> bool {
        self.truncated
    }
}

/// Extracts the text of a document. The error says, in words, what is wrong with the file.
pub(crate) fn extract(kind: DocumentKind, bytes: &[u8]) -> Result<Extracted, String> {
    match kind {
        DocumentKind::Docx | DocumentKind::Pptx => office::text(kind, bytes),
        DocumentKind::Html => Ok(html::text(bytes)),
        #[cfg(feature = "pdf")]
        DocumentKind::Pdf => pdf::text(bytes),
        #[cfg(not(feature = "pdf"))]
        DocumentKind::Pdf => Err("this mulu was built without the pdf feature".into()),
    }
}
