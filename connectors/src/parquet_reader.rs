//! The arrow-rs async parquet reader over `object_store`, for files whose size we already
//! know from the listing (so the footer costs one bounded range request, no HEAD).

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::FutureExt;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use parquet::arrow::arrow_reader::ArrowReaderOptions;
use parquet::arrow::async_reader::{AsyncFileReader, MetadataFetch};
use parquet::errors::{ParquetError, Result};
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};

/// Footers of typical tables (tens of columns, a few row groups) fit in 16 KiB, so one request
/// usually fetches the whole footer; a larger footer costs one more request. A bigger guess
/// would read a large share of every small file in a lake of many small files.
const FOOTER_PREFETCH: usize = 16 * 1024;

/// The most a footer (file metadata and page indexes) may take. Real footers are kilobytes to a
/// few megabytes; the length comes from the file itself, so a corrupt or hostile file could
/// otherwise make the reader allocate gigabytes before anything is checked.
pub(crate) const MAX_FOOTER_BYTES: u64 = 64 << 20;

/// Footer reads of one file, refused past [`MAX_FOOTER_BYTES`].
struct CappedFooter<'a>(&'a mut StoreFileReader);

impl MetadataFetch for CappedFooter<'_> {
    fn fetch(&mut self, range: Range<u64>) -> BoxFuture<'_, Result<Bytes>> {
        let len = range.end.saturating_sub(range.start);
        if len > MAX_FOOTER_BYTES {
            let message = format!(
                "the parquet footer claims {len} bytes, over the {} MiB cap: the file is corrupt \
                 or not a real parquet file",
                MAX_FOOTER_BYTES >> 20
            );
            return async move { Err(ParquetError::General(message)) }.boxed();
        }
        self.0.get_bytes(range)
    }
}

pub(crate) struct StoreFileReader {
    store: Arc<dyn ObjectStore>,
    path: Path,
    size: u64,
    /// Byte ranges answered with zeros instead of read: dictionary pages the reader asks for
    /// but never decodes (see `lake::plain_tail`).
    placeholders: Vec<Range<u64>>,
}

impl StoreFileReader {
    pub(crate) fn new(store: Arc<dyn ObjectStore>, path: Path, size: u64) -> Self {
        Self {
            store,
            path,
            size,
            placeholders: Vec::new(),
        }
    }

    /// This reader answers requests for exactly these ranges with zeros, without reading them.
    pub(crate) fn with_placeholders(mut self, ranges: Vec<Range<u64>>) -> Self {
        self.placeholders = ranges;
        self
    }

    /// The zeros standing in for `range`, when it is one of the placeholders.
    fn placeholder(&self, range: &Range<u64>) -> Option<Bytes> {
        self.placeholders.contains(range).then(|| {
            Bytes::from(vec![
                0;
                usize::try_from(range.end - range.start).unwrap_or(0)
            ])
        })
    }
}

fn external(e: object_store::Error) -> ParquetError {
    ParquetError::External(Box::new(e))
}

impl AsyncFileReader for StoreFileReader {
    fn get_bytes(&mut self, range: Range<u64>) -> BoxFuture<'_, Result<Bytes>> {
        async move {
            if let Some(zeros) = self.placeholder(&range) {
                return Ok(zeros);
            }
            self.store
                .get_range(&self.path, range)
                .await
                .map_err(external)
        }
        .boxed()
    }

    /// `object_store` merges nearby ranges into fewer requests.
    fn get_byte_ranges(&mut self, ranges: Vec<Range<u64>>) -> BoxFuture<'_, Result<Vec<Bytes>>> {
        async move {
            let to_read: Vec<Range<u64>> = ranges
                .iter()
                .filter(|r| !self.placeholders.contains(r))
                .cloned()
                .collect();
            let mut read = if to_read.is_empty() {
                Vec::new()
            } else {
                self.store
                    .get_ranges(&self.path, &to_read)
                    .await
                    .map_err(external)?
            }
            .into_iter();
            ranges
                .iter()
                .map(|r| match self.placeholder(r) {
                    Some(zeros) => Ok(zeros),
                    None => read.next().ok_or_else(|| {
                        ParquetError::General("the store returned fewer ranges".into())
                    }),
                })
                .collect()
        }
        .boxed()
    }

    fn get_metadata<'a>(
        &'a mut self,
        options: Option<&'a ArrowReaderOptions>,
    ) -> BoxFuture<'a, Result<Arc<ParquetMetaData>>> {
        async move {
            let size = self.size;
            let metadata = ParquetMetaDataReader::new()
                .with_arrow_reader_options(options)
                .with_prefetch_hint(Some(FOOTER_PREFETCH))
                .load_and_finish(CappedFooter(self), size)
                .await?;
            Ok(Arc::new(metadata))
        }
        .boxed()
    }
}
