//! One way to read an asset: a [`ReadRequest`] (which columns, how many rows, sample or full
//! pass, batch size) answered by [`crate::Connector::read`] with a [`Read`].

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{Schema, SchemaRef};
use async_trait::async_trait;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};

use crate::batch::resolve_columns;
use crate::{AssetInfo, Connector, Error, Result, Sample};

/// Which columns a read returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Projection {
    /// Every column, in source order.
    All,
    /// These columns, in this order. Naming a column the asset lacks is
    /// [`Error::NotFound`].
    Columns(Vec<String>),
}

/// How much of an asset a read may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// A bounded sample for classification: as cheap as the source allows (random pages,
    /// a window at the start of a file, a spread of a dataset's files) and never the whole
    /// asset when it is large. Needs a row limit. The answer also carries what sampling
    /// learned: an estimated row count and warnings.
    Sample,
    /// Every row (up to the limit, if any), streamed in batches as the source produces them;
    /// nothing buffers the whole asset. Used to count distinct persons, so it is asked for
    /// few columns.
    FullPass,
}

/// What to read from one asset, in the spirit of a DataFusion scan: a projection, a row
/// limit, a mode and a batch size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRequest {
    /// Which columns.
    pub projection: Projection,
    /// At most this many rows; required for [`ReadMode::Sample`].
    pub limit: Option<usize>,
    /// Sample or full pass.
    pub mode: ReadMode,
    /// Most rows per batch of a full pass (a sample arrives in as few batches as its source
    /// reads it in).
    pub batch_rows: usize,
}

impl ReadRequest {
    /// A sample of at most `limit` rows of every column.
    pub fn sample(limit: usize) -> Self {
        Self {
            projection: Projection::All,
            limit: Some(limit),
            mode: ReadMode::Sample,
            batch_rows: limit.max(1),
        }
    }

    /// Every row of `columns`, in batches of at most `batch_rows` rows.
    pub fn full_pass(columns: Vec<String>, batch_rows: usize) -> Self {
        Self {
            projection: Projection::Columns(columns),
            limit: None,
            mode: ReadMode::FullPass,
            batch_rows: batch_rows.max(1),
        }
    }

    /// The sample's row limit.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] when a sample was asked for without one.
    pub(crate) fn sample_limit(&self, asset: &str) -> Result<usize> {
        self.limit.ok_or_else(|| Error::InvalidOption {
            option: "limit",
            detail: format!("a sample of '{asset}' needs a row limit"),
        })
    }
}

/// The answer to a [`ReadRequest`].
pub struct Read {
    /// The returned columns with the source's own types. Batches may carry values converted
    /// to text for classification, so their types can differ: column `i` of every batch holds
    /// the values of `schema.field(i)`.
    pub schema: SchemaRef,
    /// The rows.
    pub batches: BoxStream<'static, Result<RecordBatch>>,
    /// Row count of the whole asset, when reading revealed it (see [`Sample::row_count`]).
    pub row_count: Option<u64>,
    /// Non-fatal problems met while reading (skipped lines, a guessed encoding).
    pub warnings: Vec<String>,
    /// Why the read misses data the asset holds (see [`Sample::incomplete`]).
    pub incomplete: Option<String>,
    /// How a sample's rows were chosen (see [`Sample::sampling`]); `None` for a full pass.
    pub sampling: Option<model::Sampling>,
    /// What a media collection holds (see [`Sample::media`]).
    pub media: Option<model::MediaSummary>,
}

impl std::fmt::Debug for Read {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Read")
            .field("schema", &self.schema)
            .field("row_count", &self.row_count)
            .field("warnings", &self.warnings)
            .field("incomplete", &self.incomplete)
            .finish_non_exhaustive()
    }
}

impl Read {
    /// A read answered from an in-memory sample, projected as `request` asks.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the projection names a column the sample lacks.
    pub(crate) fn from_sample(asset: &str, sample: Sample, request: &ReadRequest) -> Result<Self> {
        let sample = match &request.projection {
            Projection::All => sample,
            Projection::Columns(columns) => project(asset, sample, columns)?,
        };
        Ok(Self {
            schema: sample.schema,
            batches: futures::stream::iter(sample.batches.into_iter().map(Ok)).boxed(),
            row_count: sample.row_count,
            warnings: sample.warnings,
            incomplete: sample.incomplete,
            sampling: sample.sampling,
            media: sample.media,
        })
    }

    /// A full pass: `batches` of `schema`, cut at the request's limit.
    pub(crate) fn full_pass(
        schema: SchemaRef,
        batches: BoxStream<'static, Result<RecordBatch>>,
        incomplete: Option<String>,
        request: &ReadRequest,
    ) -> Self {
        let batches = match request.limit {
            Some(limit) => limit_rows(batches, limit),
            None => batches,
        };
        Self {
            schema,
            batches,
            row_count: None,
            warnings: Vec::new(),
            incomplete,
            sampling: None,
            media: None,
        }
    }

    /// Collects the batches: the read as a [`Sample`].
    ///
    /// # Errors
    /// The first error the stream met.
    pub async fn into_sample(self) -> Result<Sample> {
        Ok(Sample {
            schema: self.schema,
            batches: self.batches.try_collect().await?,
            row_count: self.row_count,
            warnings: self.warnings,
            incomplete: self.incomplete,
            sampling: self.sampling,
            media: self.media,
        })
    }
}

/// The requested columns of a full pass: as asked, or all of `available`.
pub(crate) fn projected_columns(projection: &Projection, available: &[String]) -> Vec<String> {
    match projection {
        Projection::All => available.to_vec(),
        Projection::Columns(columns) => columns.clone(),
    }
}

/// Keeps only `columns` of a sample, in that order.
fn project(asset: &str, sample: Sample, columns: &[String]) -> Result<Sample> {
    let names: Vec<String> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let indexes = resolve_columns(asset, &names, columns)?;
    let schema = Arc::new(
        sample
            .schema
            .project(&indexes)
            .map_err(|e| Error::backend("read", asset, e))?,
    ) as Arc<Schema>;
    let batches = sample
        .batches
        .iter()
        .map(|b| b.project(&indexes))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::backend("read", asset, e))?;
    Ok(Sample {
        schema,
        batches,
        ..sample
    })
}

/// Ends `batches` after `limit` rows, slicing the last batch.
fn limit_rows(
    batches: BoxStream<'static, Result<RecordBatch>>,
    limit: usize,
) -> BoxStream<'static, Result<RecordBatch>> {
    batches
        .scan(limit, |left, batch| {
            let item = match batch {
                _ if *left == 0 => return futures::future::ready(None),
                Ok(batch) => {
                    let keep = batch.num_rows().min(*left);
                    *left -= keep;
                    Ok(batch.slice(0, keep))
                }
                Err(e) => Err(e),
            };
            futures::future::ready(Some(item))
        })
        .boxed()
}

/// The common requests, spelled as calls. They only build a [`ReadRequest`] for
/// [`Connector::read`], so every connector has them and none can answer them differently.
#[async_trait]
pub trait ConnectorExt: Connector {
    /// Reads up to `limit` rows of every column of `asset` ([`ReadRequest::sample`]).
    async fn sample(&self, asset: &AssetInfo, limit: usize) -> Result<Sample> {
        self.read(asset, &ReadRequest::sample(limit))
            .await?
            .into_sample()
            .await
    }

    /// Streams every row of `columns` of `asset` ([`ReadRequest::full_pass`]).
    async fn scan_columns(
        &self,
        asset: &AssetInfo,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<BoxStream<'static, Result<RecordBatch>>> {
        let request = ReadRequest::full_pass(columns.to_vec(), batch_rows);
        Ok(self.read(asset, &request).await?.batches)
    }
}

impl<C: Connector + ?Sized> ConnectorExt for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, StringArray};

    fn batch(values: &[&str]) -> RecordBatch {
        let a: ArrayRef = Arc::new(StringArray::from(values.to_vec()));
        let b: ArrayRef = Arc::new(StringArray::from(values.to_vec()));
        RecordBatch::try_from_iter([("a", a), ("b", b)]).unwrap()
    }

    #[tokio::test]
    async fn a_full_pass_limit_cuts_the_stream_mid_batch() {
        let stream = futures::stream::iter([
            Ok(batch(&["1", "2", "3"])),
            Ok(batch(&["4", "5", "6"])),
            Ok(batch(&["7"])),
        ])
        .boxed();
        let batches: Vec<RecordBatch> = limit_rows(stream, 4).try_collect().await.unwrap();
        let rows: Vec<usize> = batches.iter().map(RecordBatch::num_rows).collect();
        assert_eq!(rows, [3, 1]);
    }

    #[tokio::test]
    async fn a_sample_is_projected_by_name_and_unknown_columns_are_not_found() {
        let b = batch(&["x", "y"]);
        let sample = || Sample {
            schema: b.schema(),
            batches: vec![b.clone()],
            row_count: Some(2),
            warnings: vec!["w".into()],
            incomplete: None,
            sampling: None,
            media: None,
        };
        let request = ReadRequest {
            projection: Projection::Columns(vec!["b".into()]),
            ..ReadRequest::sample(10)
        };
        let read = Read::from_sample("t", sample(), &request)
            .unwrap()
            .into_sample()
            .await
            .unwrap();
        assert_eq!(read.schema.fields().len(), 1);
        assert_eq!(read.schema.field(0).name(), "b");
        assert_eq!((read.row_count, read.warnings.len()), (Some(2), 1));
        let request = ReadRequest {
            projection: Projection::Columns(vec!["zz".into()]),
            ..ReadRequest::sample(10)
        };
        let err = Read::from_sample("t", sample(), &request).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    }

    #[test]
    fn a_sample_without_a_limit_is_refused() {
        let request = ReadRequest {
            limit: None,
            ..ReadRequest::sample(10)
        };
        assert!(request.sample_limit("t").is_err());
    }
}
