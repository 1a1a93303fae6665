//! Documents in a folder or bucket (PDF, DOCX, PPTX, HTML): fetched whole (they are capped
//! at listing), their text extracted on a blocking thread, and read as prose — one row per
//! line of a `text` column, as a `.txt` file that is not a table — so the free-text
//! classifiers find the identifiers and phones inside them.

use std::cell::RefCell;
use std::io::Cursor;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use futures::stream::BoxStream;
use futures::StreamExt;
use object_store::{ObjectMeta, ObjectStoreExt};

use crate::compression::Compression;
use crate::delimited::line_rows;
use crate::documents::{self, DocumentKind, Extracted};
use crate::text::{Ready, TextRead};
use crate::{Error, FileFormat, Result, Sample};

/// Whether this build reads the document `name` (PDFs need the `pdf` feature).
pub(super) fn readable(name: &str) -> bool {
    DocumentKind::of(&name.to_ascii_lowercase()).is_some_and(DocumentKind::readable)
}

impl super::LakeConnector {
    /// The text of one document.
    async fn document_text(&self, asset: &str, meta: &ObjectMeta) -> Result<Extracted> {
        let name = meta.location.as_ref().to_ascii_lowercase();
        let kind = DocumentKind::of(&name)
            .ok_or_else(|| Error::invalid(asset, "document", "not a document type mulu reads"))?;
        let bytes = self
            .store
            .get(&meta.location)
            .await
            .map_err(|e| self.store_error(asset, e))?
            .bytes()
            .await
            .map_err(|e| self.store_error(asset, e))?;
        let extracted = tokio::task::spawn_blocking(move || documents::extract(kind, &bytes))
            .await
            .map_err(|e| {
                if e.is_panic() {
                    Error::invalid(asset, kind.name(), "the file made the text extractor fail")
                } else {
                    Error::backend("lake", asset, e)
                }
            })?;
        extracted.map_err(|why| Error::invalid(asset, kind.name(), why))
    }

    /// Up to `limit` lines of a document's text.
    pub(super) async fn sample_document(
        &self,
        asset: &str,
        meta: &ObjectMeta,
        limit: usize,
    ) -> Result<Sample> {
        let text = self.document_text(asset, meta).await?;
        let (schema, batches, lines) = lines_of(asset, &text, None, Some(limit), limit.max(1))?;
        let mut warnings = Vec::new();
        if text.truncated {
            warnings.push(format!(
                "only the first {} MiB of the document's text were read",
                documents::MAX_TEXT_BYTES >> 20
            ));
        }
        if lines == 0 {
            warnings.push("no text found (a scanned document has no text layer)".into());
        }
        Ok(Sample {
            schema,
            batches,
            row_count: (!text.truncated).then_some(lines),
            warnings,
            incomplete: None,
            sampling: Some(model::Sampling::new(
                "first_rows",
                "the document's text lines, from at most its first 8 MiB of text",
            )),
            media: None,
        })
    }

    /// Every line of a document's text, in batches of at most `batch_rows`.
    pub(super) async fn scan_document(
        &self,
        asset: &str,
        meta: &ObjectMeta,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<(SchemaRef, BoxStream<'static, Result<RecordBatch>>)> {
        let text = self.document_text(asset, meta).await?;
        let (schema, batches, _) = lines_of(asset, &text, Some(columns), None, batch_rows)?;
        Ok((
            schema,
            futures::stream::iter(batches.into_iter().map(Ok)).boxed(),
        ))
    }
}

/// The text's non-empty lines as rows of the `text` column, through the prose reader.
fn lines_of(
    asset: &str,
    text: &Extracted,
    columns: Option<&[String]>,
    limit: Option<usize>,
    batch_rows: usize,
) -> Result<(SchemaRef, Vec<RecordBatch>, u64)> {
    let read = TextRead {
        asset,
        format: FileFormat::Document,
        compression: Compression::None,
        columns,
        limit,
        batch_rows,
        complete: !text.truncated,
    };
    let batches = RefCell::new(Vec::new());
    let failed = RefCell::new(None);
    let collect = |batch: Result<RecordBatch>| match batch {
        Ok(batch) => {
            batches.borrow_mut().push(batch);
            true
        }
        Err(e) => {
            failed.borrow_mut().get_or_insert(e);
            false
        }
    };
    let (schema, lines, _) = line_rows(
        &read,
        Cursor::new(text.text.as_bytes()),
        &mut Ready::unwatched(),
        &collect,
    )?;
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    Ok((schema, batches.into_inner(), lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdfs_are_read_only_with_the_pdf_feature() {
        assert_eq!(readable("contracts/a.PDF"), cfg!(feature = "pdf"));
        assert!(readable("a/b.docx") && readable("a/b.pptx") && readable("index.html"));
        assert!(!readable("a/b.doc"));
    }
}
