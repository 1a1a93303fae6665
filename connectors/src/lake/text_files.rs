//! Text files in a folder or bucket (CSV, TSV, JSON lines, JSON, `.txt`/`.log`) and Avro
//! data files, read like them: a sample
//! reads a bounded window from the start of the file, the full pass streams the whole object
//! through the one text reader (`crate::text`) on a blocking thread.

use arrow_array::RecordBatch;
use futures::stream::BoxStream;
use object_store::{ObjectMeta, ObjectStoreExt};

use super::errors::{ended_early, line_too_long};
use super::TEXT_WINDOW_BYTES;
use crate::batch::spawn_batches;
use crate::cloud;
use crate::compression::{cut_partial_record, decompress_prefix, Compression};
use crate::text::{self, Failure, Ready, StoreReader, TextRead};
use crate::{FileFormat, Result, Sample};

/// The start of a text file as a sample sees it.
struct TextWindow {
    /// Plain text bytes (decompressed), at most [`TEXT_WINDOW_BYTES`].
    bytes: Vec<u8>,
    /// More of the file follows the window.
    more: bool,
    /// The whole compressed file was read, and its stream stopped mid-way.
    stream_ended_early: Option<Compression>,
}

/// The text side of the lake connector.
impl super::LakeConnector {
    /// Reads the sampling window of a text file: at most [`TEXT_WINDOW_BYTES`] from the start
    /// (one ranged read), decompressed to at most as much again.
    async fn text_window(&self, asset: &str, meta: &ObjectMeta) -> Result<TextWindow> {
        let len = meta.size.min(TEXT_WINDOW_BYTES);
        let whole = len == meta.size;
        let bytes = self
            .store
            .get_range(&meta.location, 0..len)
            .await
            .map_err(|e| self.store_error(asset, e))?;
        match Compression::of(meta.location.as_ref()) {
            Compression::None => Ok(TextWindow {
                bytes: bytes.to_vec(),
                more: !whole,
                stream_ended_early: None,
            }),
            compression => {
                let window = decompress_prefix(
                    asset,
                    compression,
                    &bytes,
                    whole,
                    TEXT_WINDOW_BYTES as usize,
                )?;
                Ok(TextWindow {
                    more: window.more,
                    stream_ended_early: window.ended_early.then_some(compression),
                    bytes: window.bytes,
                })
            }
        }
    }

    pub(super) async fn sample_text(
        &self,
        asset: &str,
        format: FileFormat,
        meta: &ObjectMeta,
        limit: usize,
    ) -> Result<Sample> {
        let window = self.text_window(asset, meta).await?;
        let truncated = window.more || window.stream_ended_early.is_some();
        // A JSON document need not have lines: its reader ends at the last whole record of a
        // cut window itself.
        let cut_at = if format == FileFormat::Json {
            b'}'
        } else {
            b'\n'
        };
        // Avro is binary: its reader ends at the last whole block of a cut window itself.
        let binary = format == FileFormat::Avro;
        let whole_record = binary || window.bytes.contains(&cut_at);
        if let (Some(compression), false) = (window.stream_ended_early, whole_record) {
            return Err(ended_early(asset, compression, 0));
        } else if window.more && !whole_record {
            return Err(line_too_long(asset, format));
        }
        // The window is already decompressed; the sample is the full pass's reader over it,
        // with a row limit.
        let read = TextRead {
            asset,
            format,
            compression: Compression::None,
            columns: None,
            limit: Some(limit),
            batch_rows: limit.max(1),
            complete: !truncated,
        };
        let batches = std::cell::RefCell::new(Vec::new());
        let collect = |batch: Result<RecordBatch>| match batch {
            Ok(batch) => {
                batches.borrow_mut().push(batch);
                true
            }
            Err(_) => false,
        };
        let parsed = text::read_text(
            &read,
            if binary {
                &window.bytes[..]
            } else {
                cut_partial_record(&window.bytes, truncated, cut_at)
            },
            &Failure::default(),
            &mut Ready::unwatched(),
            &collect,
        );
        let batches = batches.into_inner();
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let mut warnings = Vec::new();
        let parsed = match (parsed, window.stream_ended_early) {
            (Ok(parsed), None) => parsed,
            (Ok(parsed), Some(compression)) if rows >= limit => {
                // Enough whole rows came before the cut for the sample; still say so, since
                // the rest of the file is lost until it is copied again.
                warnings.push(format!(
                    "the {} stream ends early (the file is truncated); sampled {} complete \
                     row(s) from before the cut — re-copy the file",
                    compression.name(),
                    rows
                ));
                parsed
            }
            (Ok(_), Some(compression)) => return Err(ended_early(asset, compression, rows)),
            (Err(_), Some(compression)) => return Err(ended_early(asset, compression, 0)),
            (Err(e), None) => return Err(e),
        };
        warnings.extend(parsed.warnings);
        if parsed.encoding != "UTF-8" {
            warnings.push(format!("decoded as {} (not UTF-8)", parsed.encoding));
        }
        Ok(Sample {
            schema: parsed.schema,
            batches,
            row_count: (!truncated).then_some(parsed.rows_seen),
            warnings,
            incomplete: None,
            sampling: Some(model::Sampling::new(
                "first_rows",
                "the first rows of the file, from at most its first 8 MiB",
            )),
            media: None,
        })
    }

    /// Streams the requested columns of a CSV or JSON lines file: fetched, decompressed,
    /// decoded (UTF-8 or GB18030, judged on the first window as a sample does) and parsed in
    /// one pass on a blocking thread, so memory stays bounded whatever the file size.
    pub(super) async fn scan_text(
        &self,
        asset: &str,
        format: FileFormat,
        meta: &ObjectMeta,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<BoxStream<'static, Result<RecordBatch>>> {
        let bytes = self
            .store
            .get(&meta.location)
            .await
            .map_err(|e| self.store_error(asset, e))?
            .into_stream();
        let compression = Compression::of(meta.location.as_ref());
        let identity = self.identity.clone();
        let (name, columns) = (asset.to_string(), columns.to_vec());
        let (signal, started) = tokio::sync::oneshot::channel();
        let stream = spawn_batches("lake", asset.to_string(), move |tx| async move {
            let runtime = tokio::runtime::Handle::current();
            let read = tokio::task::spawn_blocking(move || {
                let failure = Failure::default();
                let source = StoreReader::new(
                    bytes,
                    runtime,
                    |e| cloud::asset_error(identity.as_ref(), &name, e),
                    failure.clone(),
                );
                text::stream_columns(
                    &name,
                    format,
                    compression,
                    source,
                    &columns,
                    batch_rows,
                    failure,
                    Ready::new(signal),
                    &tx,
                );
            })
            .await;
            // A panic on the blocking thread ends this task the same way, which the stream
            // reports as an error.
            if let Err(e) = read {
                if e.is_panic() {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
        });
        match started.await {
            Ok(Err(e)) => Err(e),
            // Started, or the reader died before saying so (the stream reports that).
            Ok(Ok(())) | Err(_) => Ok(stream),
        }
    }
}
