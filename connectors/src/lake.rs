//! Folders and buckets of files through `object_store`: parquet, CSV and JSON lines.
//!
//! Listing groups files into assets: a hive-partitioned folder (`dt=…/part-*.parquet`) or a
//! folder of Spark-style `part-*` files is one dataset, any other supported file is one asset.
//! Parquet is read with the arrow-rs async reader: footers first, then only the rows a sample
//! needs. Text files are read from a bounded prefix.

use std::collections::BTreeMap;
use std::path::Path as FsPath;
use std::sync::Arc;

use arrow_array::{new_null_array, ArrayRef, RecordBatch};
use arrow_schema::{Schema, SchemaRef};
use async_trait::async_trait;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};
use parquet::arrow::async_reader::ParquetRecordBatchStreamBuilder;
use parquet::arrow::ProjectionMask;

use crate::batch::{resolve_columns, spawn_batches, BatchSender};
use crate::parquet_reader::StoreFileReader;
use crate::source::is_sqlite_file;
use crate::text::{cut_partial_line, decode, parse_csv, parse_json_lines};
use crate::{AssetInfo, AssetKind, Connector, Error, FileFormat, Result, Sample};

/// How much of a text file a sample reads at most.
const TEXT_WINDOW_BYTES: u64 = 8 * 1024 * 1024;
/// How many files of a dataset a sample spreads over.
const DATASET_SAMPLE_FILES: usize = 8;
/// Parallel footer reads per dataset.
const FOOTER_CONCURRENCY: usize = 16;

/// A folder of files (local today; any `object_store` store by construction).
pub struct LakeConnector {
    store: Arc<dyn ObjectStore>,
    display_url: String,
}

/// The files behind one asset.
#[derive(Debug, Clone)]
struct AssetFiles {
    format: FileFormat,
    files: Vec<ObjectMeta>,
}

impl LakeConnector {
    /// A connector over a local folder, or over the folder of a single file.
    ///
    /// # Errors
    /// Fails when the folder cannot be opened.
    pub fn local(path: &FsPath, display_url: String) -> Result<Self> {
        let root = if path.is_file() {
            path.parent().unwrap_or(FsPath::new("."))
        } else {
            path
        };
        let root = if root.as_os_str().is_empty() {
            FsPath::new(".")
        } else {
            root
        };
        let store = LocalFileSystem::new_with_prefix(root)
            .map_err(|e| Error::backend("lake", &display_url, e))?;
        Ok(Self::new(Arc::new(store), display_url))
    }

    /// A connector over any object store, rooted at the store's root.
    pub fn new(store: Arc<dyn ObjectStore>, display_url: String) -> Self {
        Self { store, display_url }
    }

    async fn list_files(&self) -> Result<Vec<ObjectMeta>> {
        let mut files: Vec<ObjectMeta> = self
            .store
            .list(None)
            .try_collect()
            .await
            .map_err(|e| Error::backend("lake", &self.display_url, e))?;
        files.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(files)
    }

    /// Re-lists the files of one asset (a dataset's files may change between list and sample).
    async fn asset_files(&self, asset: &AssetInfo) -> Result<AssetFiles> {
        let files = self.list_files().await?;
        group_assets(files)
            .remove(&asset.name)
            .map(|(_, files)| files)
            .ok_or_else(|| Error::NotFound {
                asset: asset.name.clone(),
                detail: "no readable files under that name any more".into(),
            })
    }

    async fn sample_parquet(
        &self,
        asset: &str,
        files: &[ObjectMeta],
        limit: usize,
    ) -> Result<Sample> {
        // Footers of every file give the exact row count without reading data pages.
        let counts: Vec<u64> = futures::stream::iter(files.iter().cloned())
            .map(|meta| async move {
                let reader = self.parquet_reader(&meta);
                ParquetRecordBatchStreamBuilder::new(reader)
                    .await
                    .map(|b| b.metadata().file_metadata().num_rows() as u64)
                    .map_err(|e| parquet_error(asset, &meta, e))
            })
            .buffered(FOOTER_CONCURRENCY)
            .try_collect()
            .await?;
        let chosen = spread(files.len(), DATASET_SAMPLE_FILES);
        let per_file = limit.div_ceil(chosen.len().max(1));
        let mut batches: Vec<RecordBatch> = Vec::new();
        let mut schema = None;
        let mut taken = 0usize;
        for idx in chosen {
            // Even `limit == 0` opens one file: the schema is part of the answer.
            if taken >= limit && schema.is_some() {
                break;
            }
            let meta = &files[idx];
            let builder = ParquetRecordBatchStreamBuilder::new(self.parquet_reader(meta))
                .await
                .map_err(|e| parquet_error(asset, meta, e))?;
            let file_schema = builder.schema().clone();
            match &schema {
                None => schema = Some(file_schema.clone()),
                Some(first) if first.fields() != file_schema.fields() => continue,
                Some(_) => {}
            }
            let want = per_file.min(limit - taken);
            let mut stream = builder
                .with_limit(want)
                .with_batch_size(want.clamp(1, 8192))
                .build()
                .map_err(|e| parquet_error(asset, meta, e))?;
            while let Some(batch) = stream.next().await {
                let batch = batch.map_err(|e| parquet_error(asset, meta, e))?;
                taken += batch.num_rows();
                batches.push(batch);
            }
        }
        let schema =
            schema.ok_or_else(|| Error::invalid(asset, "parquet", "the dataset has no files"))?;
        Ok(Sample {
            schema,
            batches,
            row_count: Some(counts.iter().sum()),
            warnings: Vec::new(),
        })
    }

    async fn sample_text(
        &self,
        asset: &str,
        format: FileFormat,
        meta: &ObjectMeta,
        limit: usize,
    ) -> Result<Sample> {
        let len = meta.size.min(TEXT_WINDOW_BYTES);
        let truncated = meta.size > len;
        let bytes = self
            .store
            .get_range(&meta.location, 0..len)
            .await
            .map_err(|e| Error::backend("lake", asset, e))?;
        let decoded = decode(asset, cut_partial_line(&bytes, truncated))?;
        let parsed = match format {
            FileFormat::Csv => parse_csv(asset, &decoded.text, limit)?,
            FileFormat::JsonLines => parse_json_lines(asset, &decoded.text, limit)?,
            FileFormat::Parquet => unreachable!("parquet is not a text format"),
        };
        let mut warnings = parsed.warnings;
        if decoded.encoding != "UTF-8" {
            warnings.push(format!("decoded as {} (not UTF-8)", decoded.encoding));
        }
        Ok(Sample {
            schema: parsed.schema,
            batches: vec![parsed.batch],
            row_count: (!truncated).then_some(parsed.rows_seen),
            warnings,
        })
    }

    fn parquet_reader(&self, meta: &ObjectMeta) -> StoreFileReader {
        StoreFileReader::new(self.store.clone(), meta.location.clone(), meta.size)
    }

    /// Streams only `columns` of every file of a parquet asset.
    async fn scan_parquet(
        &self,
        asset: &str,
        files: Vec<ObjectMeta>,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<BoxStream<'static, Result<RecordBatch>>> {
        // The first file fixes the output types and tells a missing column before any reading.
        let first = files
            .first()
            .ok_or_else(|| Error::invalid(asset, "parquet", "the dataset has no files"))?;
        let builder = ParquetRecordBatchStreamBuilder::new(self.parquet_reader(first))
            .await
            .map_err(|e| parquet_error(asset, first, e))?;
        let file_schema = builder.schema().clone();
        let names: Vec<String> = file_schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let indexes = resolve_columns(asset, &names, columns)?;
        let out_schema: SchemaRef = Arc::new(Schema::new(
            indexes
                .iter()
                .map(|&i| file_schema.field(i).clone())
                .collect::<Vec<_>>(),
        ));
        let store = self.store.clone();
        let name = asset.to_string();
        Ok(spawn_batches("lake", name.clone(), move |tx| async move {
            for meta in files {
                let reader = StoreFileReader::new(store.clone(), meta.location.clone(), meta.size);
                let result =
                    scan_parquet_file(&name, reader, &meta, &out_schema, batch_rows, &tx).await;
                match result {
                    Ok(true) => {}
                    Ok(false) => return, // the consumer went away
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
            }
        }))
    }

    /// Reads a whole CSV or JSON lines file and streams the requested columns.
    ///
    /// The text is decoded in one piece (GB18030 detection needs it), so memory grows with the
    /// file; parquet is the format for big data.
    async fn scan_text(
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
            .map_err(|e| Error::backend("lake", asset, e))?
            .bytes()
            .await
            .map_err(|e| Error::backend("lake", asset, e))?;
        let decoded = decode(asset, &bytes)?;
        let parsed = match format {
            FileFormat::Csv => parse_csv(asset, &decoded.text, usize::MAX)?,
            FileFormat::JsonLines => parse_json_lines(asset, &decoded.text, usize::MAX)?,
            FileFormat::Parquet => unreachable!("parquet is not a text format"),
        };
        let names: Vec<String> = parsed
            .schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let indexes = resolve_columns(asset, &names, columns)?;
        let all = parsed
            .batch
            .project(&indexes)
            .map_err(|e| Error::backend("lake", asset, e))?;
        let batches: Vec<Result<RecordBatch>> = (0..all.num_rows())
            .step_by(batch_rows)
            .map(|start| Ok(all.slice(start, batch_rows.min(all.num_rows() - start))))
            .collect();
        Ok(futures::stream::iter(batches).boxed())
    }
}

/// Streams the requested columns of one parquet file into `tx`, shaped as `out_schema`.
/// A column a later file lacks is read as nulls; one stored with another type is cast.
/// Returns `Ok(false)` when the receiver has gone.
async fn scan_parquet_file(
    asset: &str,
    reader: StoreFileReader,
    meta: &ObjectMeta,
    out_schema: &SchemaRef,
    batch_rows: usize,
    tx: &BatchSender,
) -> Result<bool> {
    let builder = ParquetRecordBatchStreamBuilder::new(reader)
        .await
        .map_err(|e| parquet_error(asset, meta, e))?;
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
        .map_err(|e| parquet_error(asset, meta, e))?;
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(|e| parquet_error(asset, meta, e))?;
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

#[async_trait]
impl Connector for LakeConnector {
    fn display_url(&self) -> &str {
        &self.display_url
    }

    async fn list_assets(&self) -> Result<Vec<AssetInfo>> {
        let files = self.list_files().await?;
        Ok(group_assets(files)
            .into_iter()
            .map(|(name, (info, _))| AssetInfo { name, ..info })
            .collect())
    }

    fn backend(&self) -> &'static str {
        "lake"
    }

    async fn sample(&self, asset: &AssetInfo, limit: usize) -> Result<Sample> {
        let files = self.asset_files(asset).await?;
        match files.format {
            FileFormat::Parquet => self.sample_parquet(&asset.name, &files.files, limit).await,
            format => {
                self.sample_text(&asset.name, format, &files.files[0], limit)
                    .await
            }
        }
    }

    async fn scan_columns(
        &self,
        asset: &AssetInfo,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<BoxStream<'static, Result<RecordBatch>>> {
        let files = self.asset_files(asset).await?;
        let batch_rows = batch_rows.max(1);
        match files.format {
            FileFormat::Parquet => {
                self.scan_parquet(&asset.name, files.files, columns, batch_rows)
                    .await
            }
            format => {
                self.scan_text(&asset.name, format, &files.files[0], columns, batch_rows)
                    .await
            }
        }
    }
}

fn parquet_error(asset: &str, meta: &ObjectMeta, e: parquet::errors::ParquetError) -> Error {
    let detail = if asset == meta.location.as_ref() {
        format!("{e}; the file may be truncated or not parquet at all")
    } else {
        format!(
            "file '{}': {e}; the file may be truncated or not parquet at all",
            meta.location
        )
    };
    Error::invalid(asset, "parquet", detail)
}

/// Picks up to `want` indexes spread evenly over `0..len`.
fn spread(len: usize, want: usize) -> Vec<usize> {
    if len <= want {
        return (0..len).collect();
    }
    (0..want).map(|i| i * len / want).collect()
}

fn format_of(path: &Path) -> Option<FileFormat> {
    let name = path.filename()?.to_ascii_lowercase();
    if name.ends_with(".parquet") || name.ends_with(".parq") {
        Some(FileFormat::Parquet)
    } else if name.ends_with(".csv") {
        Some(FileFormat::Csv)
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Some(FileFormat::JsonLines)
    } else {
        None
    }
}

/// Where a file's dataset starts: the folder above its first `key=value` segment, or its own
/// folder when it is a Spark-style `part-*` file. `None` for a stand-alone file.
fn dataset_root(path: &Path) -> Option<(String, Vec<String>)> {
    let parts: Vec<&str> = path.as_ref().split('/').collect();
    let (dirs, file) = parts.split_at(parts.len() - 1);
    if let Some(first) = dirs.iter().position(|d| is_partition_segment(d)) {
        let partitions = dirs[first..]
            .iter()
            .filter_map(|d| d.split_once('=').map(|(k, _)| k.to_string()))
            .collect();
        return Some((dirs[..first].join("/"), partitions));
    }
    let file = file[0];
    if !dirs.is_empty() && is_spark_part_file(file) {
        return Some((dirs.join("/"), Vec::new()));
    }
    None
}

/// Spark/Hive writer output: `part-00000…`, a `part-` prefix followed by digits.
fn is_spark_part_file(file: &str) -> bool {
    file.strip_prefix("part-")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

fn is_partition_segment(segment: &str) -> bool {
    segment
        .split_once('=')
        .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty() && !k.contains(' '))
}

/// Hidden and bookkeeping files (`.git`, `_SUCCESS`, `_delta_log`) are not data.
fn is_hidden(path: &Path) -> bool {
    path.as_ref()
        .split('/')
        .any(|p| p.starts_with('.') || p.starts_with('_'))
}

/// Groups listed files into assets, keyed by asset name.
fn group_assets(files: Vec<ObjectMeta>) -> BTreeMap<String, (AssetInfo, AssetFiles)> {
    let mut assets: BTreeMap<String, (AssetInfo, AssetFiles)> = BTreeMap::new();
    for meta in files {
        if is_hidden(&meta.location) || is_sqlite_file(FsPath::new(meta.location.as_ref())) {
            continue;
        }
        let Some(format) = format_of(&meta.location) else {
            continue;
        };
        let (name, kind, partitions) = match dataset_root(&meta.location) {
            Some((root, partitions)) if !root.is_empty() => (root, AssetKind::Dataset, partitions),
            _ => (meta.location.to_string(), AssetKind::File, Vec::new()),
        };
        let entry = assets.entry(name.clone()).or_insert_with(|| {
            (
                AssetInfo {
                    name,
                    kind,
                    row_count: None,
                    bytes: Some(0),
                    partition_columns: partitions,
                },
                AssetFiles {
                    format,
                    files: Vec::new(),
                },
            )
        });
        // A dataset is read in the format of its first file; stray files of another format
        // inside it (a README.csv, say) are left out.
        if entry.1.format == format {
            entry.0.bytes = Some(entry.0.bytes.unwrap_or(0) + meta.size);
            entry.1.files.push(meta);
        }
    }
    assets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(path: &str, size: u64) -> ObjectMeta {
        ObjectMeta {
            location: Path::from(path),
            last_modified: Default::default(),
            size,
            e_tag: None,
            version: None,
        }
    }

    #[test]
    fn hive_partitions_form_one_dataset() {
        let assets = group_assets(vec![
            meta("lake/tracks/dt=2026-11-01/part-0.parquet", 10),
            meta("lake/tracks/dt=2026-11-02/part-0.parquet", 20),
            meta("lake/tracks/dt=2026-11-02/_SUCCESS", 0),
            meta("exports/a.csv", 5),
            meta("notes.txt", 5),
            meta("crm.db", 5),
        ]);
        let names: Vec<&String> = assets.keys().collect();
        assert_eq!(names, vec!["exports/a.csv", "lake/tracks"]);
        let (info, files) = &assets["lake/tracks"];
        assert_eq!(info.kind, AssetKind::Dataset);
        assert_eq!(info.bytes, Some(30));
        assert_eq!(info.partition_columns, vec!["dt".to_string()]);
        assert_eq!(files.files.len(), 2);
        assert_eq!(assets["exports/a.csv"].0.kind, AssetKind::File);
    }

    #[test]
    fn spark_part_files_form_one_dataset() {
        let assets = group_assets(vec![
            meta("out/orders/part-00000-abc.parquet", 1),
            meta("out/orders/part-00001-abc.parquet", 1),
        ]);
        assert_eq!(assets.len(), 1);
        assert_eq!(assets["out/orders"].0.kind, AssetKind::Dataset);
    }

    #[test]
    fn a_file_merely_named_part_is_not_a_dataset() {
        let assets = group_assets(vec![
            meta("lake/part_catalog.parquet", 1),
            meta("lake/parts.parquet", 1),
        ]);
        assert_eq!(assets.len(), 2);
        assert_eq!(assets["lake/part_catalog.parquet"].0.kind, AssetKind::File);
    }

    #[test]
    fn spread_picks_evenly() {
        assert_eq!(spread(3, 8), vec![0, 1, 2]);
        assert_eq!(spread(100, 4), vec![0, 25, 50, 75]);
    }
}
