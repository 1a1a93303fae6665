//! Parquet assets (one file, a dataset, a table format's snapshot): a sample from a spread of
//! row groups after the footers, reading only the pages of its rows where the file has an
//! offset index, and a full pass streaming only the projected columns.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::{new_null_array, ArrayRef, RecordBatch};
use arrow_schema::{Schema, SchemaRef};
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::ObjectMeta;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, RowSelectionPolicy};
use parquet::arrow::async_reader::ParquetRecordBatchStreamBuilder;
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::PageIndexPolicy;

use super::dataset::{dataset_row_count, spread};
use super::errors::parquet_error;
use super::{plain_tail, row_groups};
use crate::batch::{resolve_columns, spawn_batches, BatchSender};
use crate::cloud::StoreIdentity;
use crate::parquet_reader::StoreFileReader;
use crate::read::projected_columns;
use crate::{Error, Projection, Result, Sample};

/// How many files of a dataset a sample spreads over.
const DATASET_SAMPLE_FILES: usize = 8;
/// Most footers read per dataset for its row count; past this it is estimated by size.
const ROW_COUNT_FOOTERS: usize = 512;
/// Parallel footer reads per dataset.
const FOOTER_CONCURRENCY: usize = 16;

/// How a footer is read. A sampled file's offset index (where each page starts and its first
/// row) lets the reader fetch only the pages holding the sampled rows instead of whole column
/// chunks, and its page encoding statistics tell which dictionaries those pages need (see
/// `plain_tail`). Its column index (page min/max) is not needed, and files only counted need
/// neither.
fn footer_options(sampled: bool) -> ArrowReaderOptions {
    let offsets = if sampled {
        PageIndexPolicy::Optional
    } else {
        PageIndexPolicy::Skip
    };
    ArrowReaderOptions::new()
        .with_column_index_policy(PageIndexPolicy::Skip)
        .with_offset_index_policy(offsets)
        .with_encoding_stats_as_mask(!sampled)
}

impl super::LakeConnector {
    /// Samples up to `limit` rows spread over the files' row groups. `known_rows` is the row
    /// count when a table format's metadata gives it; else the footers are counted.
    pub(super) async fn sample_parquet(
        &self,
        asset: &str,
        files: &[ObjectMeta],
        known_rows: Option<u64>,
        limit: usize,
    ) -> Result<Sample> {
        if files.is_empty() && known_rows == Some(0) {
            // A table with no data (created, or every row deleted): nothing to sample.
            return Ok(Sample {
                schema: Arc::new(Schema::empty()),
                batches: Vec::new(),
                row_count: Some(0),
                warnings: Vec::new(),
                incomplete: None,
                sampling: None,
                media: None,
            });
        }
        let chosen = spread(files.len(), DATASET_SAMPLE_FILES);
        // Footers give the row count without reading data pages: every file's when there are
        // at most ROW_COUNT_FOOTERS, else an even spread of them (plus the sampled files) and
        // an estimate by size. The sampled files' footers are kept, so reading their rows
        // costs no second footer request. A known row count needs only the sampled footers.
        let mut counted = match known_rows {
            Some(_) => Vec::new(),
            None => spread(files.len(), ROW_COUNT_FOOTERS),
        };
        counted.extend(&chosen);
        counted.sort_unstable();
        counted.dedup();
        let to_read: Vec<(usize, ObjectMeta)> =
            counted.iter().map(|&i| (i, files[i].clone())).collect();
        let footers: BTreeMap<usize, (u64, Option<ArrowReaderMetadata>)> =
            futures::stream::iter(to_read)
                .map(|(idx, meta)| {
                    let keep = chosen.contains(&idx);
                    async move {
                        let mut reader = self.parquet_reader(&meta);
                        let footer =
                            ArrowReaderMetadata::load_async(&mut reader, footer_options(keep))
                                .await
                                .map_err(|e| self.parquet_error(asset, &meta, e))?;
                        let rows = footer.metadata().file_metadata().num_rows() as u64;
                        Ok::<_, Error>((idx, (rows, keep.then_some(footer))))
                    }
                })
                .buffered(FOOTER_CONCURRENCY)
                .try_collect()
                .await?;
        let (row_count, warnings) = match known_rows {
            Some(rows) => (rows, Vec::new()),
            None => dataset_row_count(files, &footers),
        };
        let footer_of = |idx: usize| {
            footers[&idx]
                .1
                .clone()
                .expect("footers of chosen files are kept")
        };
        // The first file fixes the schema; files that differ from it are not sampled.
        let schema = match chosen.first() {
            Some(&idx) => footer_of(idx).schema().clone(),
            None => return Err(Error::invalid(asset, "parquet", "the dataset has no files")),
        };
        let same: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&idx| footer_of(idx).schema().fields() == schema.fields())
            .collect();
        let sizes: Vec<Vec<u64>> = same
            .iter()
            .map(|&idx| {
                let footer = footer_of(idx);
                let groups = footer.metadata().row_groups();
                groups.iter().map(|g| g.num_rows().max(0) as u64).collect()
            })
            .collect();
        let picks = row_groups::plan(&sizes, limit);
        let mut batches: Vec<RecordBatch> = Vec::new();
        for (ord, &idx) in same.iter().enumerate() {
            let mine: Vec<row_groups::Pick> =
                picks.iter().copied().filter(|p| p.file == ord).collect();
            if mine.is_empty() || limit == 0 {
                continue;
            }
            let meta = &files[idx];
            let footer = footer_of(idx);
            let unneeded: Vec<Range<u64>> = mine
                .iter()
                .flat_map(|p| {
                    let start = row_groups::first_read_row(p, sizes[ord][p.row_group]);
                    plain_tail::unneeded_dictionaries(footer.metadata(), p.row_group, start)
                })
                .collect();
            let read = self.sample_row_groups(meta, &footer, &mine, &sizes[ord], unneeded.clone());
            let rows = match read.await {
                // Placeholder dictionaries rest on the footer's encoding statistics; should a
                // writer have got them wrong, the same rows are read again with every dictionary.
                Err(_) if !unneeded.is_empty() => {
                    self.sample_row_groups(meta, &footer, &mine, &sizes[ord], Vec::new())
                        .await
                }
                read => read,
            };
            batches.extend(rows.map_err(|e| self.parquet_error(asset, meta, e))?);
        }
        let total_groups: usize = sizes.iter().map(Vec::len).sum();
        let files_read = picks
            .iter()
            .map(|p| p.file)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let sampling = model::Sampling::new(
            "row_group_spread",
            format!(
                "the last rows of {} of {total_groups} row groups in {files_read} of {} files, \
                 spread from first to last",
                picks.len(),
                files.len()
            ),
        );
        Ok(Sample {
            schema,
            batches,
            row_count: Some(row_count),
            warnings,
            incomplete: None,
            sampling: Some(sampling),
            media: None,
        })
    }

    /// The picked rows of one file (`group_rows[g]`: rows of its row group `g`); requests for
    /// the `unneeded` dictionary ranges are answered without reading them.
    async fn sample_row_groups(
        &self,
        meta: &ObjectMeta,
        footer: &ArrowReaderMetadata,
        picks: &[row_groups::Pick],
        group_rows: &[u64],
        unneeded: Vec<Range<u64>>,
    ) -> parquet::errors::Result<Vec<RecordBatch>> {
        let groups: Vec<usize> = picks.iter().map(|p| p.row_group).collect();
        let sizes: Vec<u64> = groups.iter().map(|&g| group_rows[g]).collect();
        let want: usize = picks.iter().map(|p| p.rows).sum();
        let reader = self.parquet_reader(meta).with_placeholders(unneeded);
        ParquetRecordBatchStreamBuilder::new_with_metadata(reader, footer.clone())
            .with_row_groups(groups)
            .with_row_selection(row_groups::last_rows_of(picks, &sizes))
            // Skips of whole pages, so a deferred dictionary stays unread.
            .with_row_selection_policy(RowSelectionPolicy::Selectors)
            .with_batch_size(want.clamp(1, 8192))
            .build()?
            .try_collect()
            .await
    }

    fn parquet_reader(&self, meta: &ObjectMeta) -> StoreFileReader {
        StoreFileReader::new(self.store.clone(), meta.location.clone(), meta.size)
    }

    /// Streams only `columns` of every file of a parquet asset.
    pub(super) async fn scan_parquet(
        &self,
        asset: &str,
        files: Vec<ObjectMeta>,
        projection: &Projection,
        batch_rows: usize,
    ) -> Result<(SchemaRef, BoxStream<'static, Result<RecordBatch>>)> {
        // The first file fixes the output types and tells a missing column before any reading.
        let first = files
            .first()
            .ok_or_else(|| Error::invalid(asset, "parquet", "the dataset has no files"))?;
        let builder = ParquetRecordBatchStreamBuilder::new(self.parquet_reader(first))
            .await
            .map_err(|e| self.parquet_error(asset, first, e))?;
        let file_schema = builder.schema().clone();
        let names: Vec<String> = file_schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let indexes = resolve_columns(asset, &names, &projected_columns(projection, &names))?;
        let out_schema: SchemaRef = Arc::new(Schema::new(
            indexes
                .iter()
                .map(|&i| file_schema.field(i).clone())
                .collect::<Vec<_>>(),
        ));
        let store = self.store.clone();
        let identity = self.identity.clone();
        let name = asset.to_string();
        let schema = out_schema.clone();
        let batches = spawn_batches("lake", name.clone(), move |tx| async move {
            for meta in files {
                let reader = StoreFileReader::new(store.clone(), meta.location.clone(), meta.size);
                let result = scan_parquet_file(
                    &name,
                    identity.as_ref(),
                    reader,
                    &meta,
                    &out_schema,
                    batch_rows,
                    &tx,
                )
                .await;
                match result {
                    Ok(true) => {}
                    Ok(false) => return, // the consumer went away
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
            }
        });
        Ok((schema, batches))
    }
}

/// Streams the requested columns of one parquet file into `tx`, shaped as `out_schema`.
/// A column a later file lacks is read as nulls; one stored with another type is cast.
/// Returns `Ok(false)` when the receiver has gone.
async fn scan_parquet_file(
    asset: &str,
    identity: Option<&StoreIdentity>,
    reader: StoreFileReader,
    meta: &ObjectMeta,
    out_schema: &SchemaRef,
    batch_rows: usize,
    tx: &BatchSender,
) -> Result<bool> {
    let builder = ParquetRecordBatchStreamBuilder::new(reader)
        .await
        .map_err(|e| parquet_error(identity, asset, meta, e))?;
    let file_schema = builder.schema().clone();
    let present: Vec<Option<usize>> = out_schema
        .fields()
        .iter()
        .map(|f| file_schema.index_of(f.name()).ok())
        .collect();
    let mut roots: Vec<usize> = present.iter().flatten().copied().collect();
    roots.sort_unstable();
    roots.dedup();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots.iter().copied());
    let mut stream = builder
        .with_projection(mask)
        .with_batch_size(batch_rows)
        .build()
        .map_err(|e| parquet_error(identity, asset, meta, e))?;
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(|e| parquet_error(identity, asset, meta, e))?;
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(present.len());
        for (field, at) in out_schema.fields().iter().zip(&present) {
            let array = match at {
                Some(file_index) => {
                    let pos = roots
                        .binary_search(file_index)
                        .expect("projected roots hold every present column");
                    let array = batch.column(pos).clone();
                    if array.data_type() == field.data_type() {
                        array
                    } else {
                        arrow_cast::cast(&array, field.data_type()).map_err(|e| {
                            Error::invalid(
                                asset,
                                "parquet",
                                format!(
                                    "file '{}': column '{}' cannot be read as {}: {e}",
                                    meta.location,
                                    field.name(),
                                    field.data_type()
                                ),
                            )
                        })?
                    }
                }
                None => new_null_array(field.data_type(), batch.num_rows()),
            };
            arrays.push(array);
        }
        let out = RecordBatch::try_new(out_schema.clone(), arrays)
            .map_err(|e| Error::backend("lake", asset, e));
        if tx.send(out).await.is_err() {
            return Ok(false);
        }
    }
    Ok(true)
}
