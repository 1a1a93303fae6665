//! Folders and buckets of files through `object_store`: parquet, CSV and JSON lines.
//!
//! Listing groups files into assets: a hive-partitioned folder (`dt=…/part-*.parquet`) or a
//! folder of Spark-style `part-*` files is one dataset, any other supported file is one asset.
//! Parquet is read with the arrow-rs async reader: footers first, then only the rows a sample
//! needs. Text files (plain, gzip or zstd) are read from a bounded prefix, so neither a huge
//! file nor a compression bomb nor a file without line breaks can make a sample hold more
//! than [`TEXT_WINDOW_BYTES`] of text.
//!
//! The same code serves a local folder and a bucket: every read goes through the
//! `ObjectStore` trait, so on S3 a sample costs a few ranged GETs, never a whole download.

use std::collections::BTreeMap;
use std::path::Path as FsPath;
use std::sync::Arc;

use arrow_array::{new_null_array, ArrayRef, RecordBatch};
use arrow_schema::{Schema, SchemaRef};
use async_trait::async_trait;
use futures::stream::BoxStream;
use std::panic::AssertUnwindSafe;

use futures::{FutureExt, StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
use parquet::arrow::async_reader::ParquetRecordBatchStreamBuilder;
use parquet::arrow::ProjectionMask;

use crate::batch::{resolve_columns, spawn_batches, utf8_schema, BatchSender};
use crate::cloud::{self, StoreIdentity};
use crate::compression::{cut_partial_line, decompress_prefix, Compression};
use crate::parquet_reader::StoreFileReader;
use crate::read::projected_columns;
use crate::source::is_sqlite_file;
use crate::text::{self, Failure, Ready, StoreReader, TextRead};
use crate::{
    AssetInfo, AssetKind, Connector, Error, FileFormat, Projection, Read, ReadMode, ReadRequest,
    Result, Sample,
};

/// How much text a sample reads at most: of a plain file, its first bytes; of a compressed
/// file, its first compressed bytes, decompressed to at most this much again.
pub(crate) const TEXT_WINDOW_BYTES: u64 = 8 * 1024 * 1024;

/// A full pass over every column of a JSON lines file reads the keys of this many objects
/// first: keys that only appear later are not part of "every column".
const ALL_COLUMNS_FROM_ROWS: usize = 1000;
/// How many files of a dataset a sample spreads over.
const DATASET_SAMPLE_FILES: usize = 8;
/// Most footers read per dataset for its row count; past this it is estimated by size.
const ROW_COUNT_FOOTERS: usize = 512;
/// Parallel footer reads per dataset.
const FOOTER_CONCURRENCY: usize = 16;

/// A folder or bucket of files: a local folder, or any `object_store` store (S3 and
/// S3-compatible, GCS, Azure; see [`crate::open_source_with`]).
pub struct LakeConnector {
    store: Arc<dyn ObjectStore>,
    display_url: String,
    /// Set for cloud stores: maps their errors and scrubs their secret from messages.
    identity: Option<StoreIdentity>,
    /// When the source is one file, its name: the folder around it is not scanned.
    only: Option<String>,
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
        let only = path
            .is_file()
            .then(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .flatten();
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
        Ok(Self {
            only,
            ..Self::new(Arc::new(store), display_url)
        })
    }

    /// A connector over any object store, rooted at the store's root.
    ///
    /// Wrap the store in `object_store::prefix::PrefixStore` to root it at a folder, or in
    /// `object_store::limit::LimitStore` to bound concurrent requests.
    pub fn new(store: Arc<dyn ObjectStore>, display_url: String) -> Self {
        Self {
            store,
            display_url,
            identity: None,
            only: None,
        }
    }

    #[cfg_attr(not(feature = "cloud"), allow(dead_code))]
    pub(crate) fn with_identity(mut self, identity: StoreIdentity) -> Self {
        self.identity = Some(identity);
        self
    }

    fn store_error(&self, asset: &str, e: object_store::Error) -> Error {
        cloud::asset_error(self.identity.as_ref(), asset, e)
    }

    fn parquet_error(
        &self,
        asset: &str,
        meta: &ObjectMeta,
        e: parquet::errors::ParquetError,
    ) -> Error {
        parquet_error(self.identity.as_ref(), asset, meta, e)
    }

    /// Every file of the source, and an unreadable entry for each part of the tree the
    /// listing could not enter (a symlink loop, a folder without permission): one bad folder
    /// fails itself, not the whole source. A listing that yields nothing but errors is the
    /// source's failure.
    async fn list_all_files(&self) -> Result<(Vec<ObjectMeta>, Vec<AssetInfo>)> {
        let mut stream = self.store.list(None);
        let (mut files, mut unlistable, mut first_error) = (Vec::new(), Vec::new(), None);
        while let Some(entry) = stream.next().await {
            match entry {
                Ok(meta) => files.push(meta),
                Err(e) => {
                    let message = e.to_string();
                    unlistable.push(AssetInfo {
                        name: self.entry_name(&message, unlistable.len()),
                        kind: AssetKind::File,
                        row_count: None,
                        bytes: None,
                        partition_columns: Vec::new(),
                        unreadable: Some(format!("cannot be listed: {message}")),
                    });
                    first_error.get_or_insert(e);
                }
            }
        }
        if let (true, Some(e)) = (files.is_empty(), first_error) {
            return Err(match &self.identity {
                Some(id) => cloud::source_error(id, e),
                None => Error::backend("lake", &self.display_url, e),
            });
        }
        files.sort_by(|a, b| a.location.cmp(&b.location));
        Ok((files, unlistable))
    }

    /// A name for an entry the listing failed on: its path below the root when the error
    /// names one, else a numbered placeholder.
    fn entry_name(&self, message: &str, n: usize) -> String {
        let root = self.display_url.trim_end_matches('/');
        message
            .find(&format!("{root}/"))
            .map(|at| &message[at + root.len() + 1..])
            .and_then(|rest| rest.split_whitespace().next())
            .map(|p| p.trim_end_matches([',', ':', ';']).to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| format!("(unlistable entry {})", n + 1))
    }

    async fn list_files(&self, prefix: Option<&Path>) -> Result<Vec<ObjectMeta>> {
        let mut files: Vec<ObjectMeta> =
            self.store
                .list(prefix)
                .try_collect()
                .await
                .map_err(|e| match &self.identity {
                    Some(id) => cloud::source_error(id, e),
                    None => Error::backend("lake", &self.display_url, e),
                })?;
        files.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(files)
    }

    /// Finds the files of one asset again (a dataset's files may change between list and
    /// sample). Only the asset's own folder is listed, or its one file looked up: on a bucket
    /// with thousands of assets, sampling each must not re-list the whole bucket.
    async fn asset_files(&self, asset: &AssetInfo) -> Result<AssetFiles> {
        let not_found = |detail: &str| Error::NotFound {
            asset: asset.name.clone(),
            detail: detail.into(),
        };
        let path = Path::parse(&asset.name).unwrap_or_else(|_| Path::from(asset.name.as_str()));
        if asset.kind == AssetKind::File {
            let format = format_of(&path).ok_or_else(|| not_found("not a readable file type"))?;
            let meta = self
                .store
                .head(&path)
                .await
                .map_err(|e| self.store_error(&asset.name, e))?;
            return Ok(AssetFiles {
                format,
                files: vec![meta],
            });
        }
        let files = self.list_files(Some(&path)).await?;
        group_assets(files)
            .remove(&asset.name)
            .map(|(_, files)| files)
            .ok_or_else(|| not_found("no readable files under that name any more"))
    }

    async fn sample_parquet(
        &self,
        asset: &str,
        files: &[ObjectMeta],
        limit: usize,
    ) -> Result<Sample> {
        let chosen = spread(files.len(), DATASET_SAMPLE_FILES);
        // Footers give the row count without reading data pages: every file's when there are
        // at most ROW_COUNT_FOOTERS, else an even spread of them (plus the sampled files) and
        // an estimate by size. The sampled files' footers are kept, so reading their rows
        // costs no second footer request.
        let mut counted = spread(files.len(), ROW_COUNT_FOOTERS);
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
                        let footer = ArrowReaderMetadata::load_async(
                            &mut reader,
                            ArrowReaderOptions::default(),
                        )
                        .await
                        .map_err(|e| self.parquet_error(asset, &meta, e))?;
                        let rows = footer.metadata().file_metadata().num_rows() as u64;
                        Ok::<_, Error>((idx, (rows, keep.then_some(footer))))
                    }
                })
                .buffered(FOOTER_CONCURRENCY)
                .try_collect()
                .await?;
        let (row_count, warnings) = dataset_row_count(files, &footers);
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
            let footer = footers[&idx]
                .1
                .clone()
                .expect("footers of chosen files are kept");
            let builder = ParquetRecordBatchStreamBuilder::new_with_metadata(
                self.parquet_reader(meta),
                footer,
            );
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
                .map_err(|e| self.parquet_error(asset, meta, e))?;
            while let Some(batch) = stream.next().await {
                let batch = batch.map_err(|e| self.parquet_error(asset, meta, e))?;
                taken += batch.num_rows();
                batches.push(batch);
            }
        }
        let schema =
            schema.ok_or_else(|| Error::invalid(asset, "parquet", "the dataset has no files"))?;
        Ok(Sample {
            schema,
            batches,
            row_count: Some(row_count),
            warnings,
        })
    }

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

    async fn sample_text(
        &self,
        asset: &str,
        format: FileFormat,
        meta: &ObjectMeta,
        limit: usize,
    ) -> Result<Sample> {
        let window = self.text_window(asset, meta).await?;
        let truncated = window.more || window.stream_ended_early.is_some();
        if let Some(compression) = window.stream_ended_early {
            if !window.bytes.contains(&b'\n') {
                return Err(ended_early(asset, compression, 0));
            }
        } else if window.more && !window.bytes.contains(&b'\n') {
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
            cut_partial_line(&window.bytes, truncated),
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

    /// Streams the requested columns of a CSV or JSON lines file: fetched, decompressed,
    /// decoded (UTF-8 or GB18030, judged on the first window as a sample does) and parsed in
    /// one pass on a blocking thread, so memory stays bounded whatever the file size.
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

/// The start of a text file as a sample sees it.
struct TextWindow {
    /// Plain text bytes (decompressed), at most [`TEXT_WINDOW_BYTES`].
    bytes: Vec<u8>,
    /// More of the file follows the window.
    more: bool,
    /// The whole compressed file was read, and its stream stopped mid-way.
    stream_ended_early: Option<Compression>,
}

fn ended_early(asset: &str, compression: Compression, rows: usize) -> Error {
    let found = if rows == 0 {
        "no complete row could be read before the cut".to_string()
    } else {
        format!(
            "only {rows} complete row(s) could be read before the cut, fewer than the sample needs"
        )
    };
    Error::invalid(
        asset,
        compression.name(),
        format!(
            "the {} stream ends early; the file is truncated ({found}) — re-copy it",
            compression.name()
        ),
    )
}

fn line_too_long(asset: &str, format: FileFormat) -> Error {
    let mib = TEXT_WINDOW_BYTES / (1024 * 1024);
    match format {
        FileFormat::JsonLines => Error::invalid(
            asset,
            "JSON lines",
            format!(
                "line 1 is longer than the {mib} MiB sampling window; the file is not JSON \
                 lines with one record per line (a single JSON document? convert it to JSON \
                 lines or parquet)"
            ),
        ),
        _ => Error::invalid(
            asset,
            "CSV",
            format!(
                "the header line is longer than the {mib} MiB sampling window; check that the \
                 file is CSV with one record per line"
            ),
        ),
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

#[async_trait]
impl Connector for LakeConnector {
    fn display_url(&self) -> &str {
        &self.display_url
    }

    async fn list_assets(&self) -> Result<Vec<AssetInfo>> {
        let (files, unlistable) = self.list_all_files().await?;
        let mut assets: Vec<AssetInfo> = group_assets(files)
            .into_iter()
            .filter(|(name, _)| self.only.as_ref().is_none_or(|only| only == name))
            .map(|(name, (info, _))| AssetInfo { name, ..info })
            .collect();
        assets.extend(unlistable);
        Ok(assets)
    }

    fn backend(&self) -> &'static str {
        "lake"
    }

    async fn read(&self, asset: &AssetInfo, request: &ReadRequest) -> Result<Read> {
        // The format readers assume well-formed files and can panic on corrupt ones (the fuzz
        // harness found such parquet files): a panic is this file's error, never the scan's end.
        match request.mode {
            ReadMode::Sample => {
                let limit = request.sample_limit(&asset.name)?;
                let sample = AssertUnwindSafe(self.sample(asset, limit))
                    .catch_unwind()
                    .await
                    .map_err(|panic| reader_panicked(&asset.name, panic.as_ref()))??;
                Read::from_sample(&asset.name, sample, request)
            }
            ReadMode::FullPass => {
                let (schema, batches) = AssertUnwindSafe(self.full_pass(
                    asset,
                    &request.projection,
                    request.batch_rows,
                ))
                .catch_unwind()
                .await
                .map_err(|panic| reader_panicked(&asset.name, panic.as_ref()))??;
                let name = asset.name.clone();
                let batches = AssertUnwindSafe(batches)
                    .catch_unwind()
                    .map(move |item| {
                        item.unwrap_or_else(|panic| Err(reader_panicked(&name, panic.as_ref())))
                    })
                    .boxed();
                Ok(Read::full_pass(schema, batches, request))
            }
        }
    }
}

/// A reader's panic on a file, as that file's error.
fn reader_panicked(asset: &str, panic: &(dyn std::any::Any + Send)) -> Error {
    let why = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    let format = if asset.ends_with(".parquet") || !asset.contains('.') {
        "parquet"
    } else {
        "text"
    };
    Error::invalid(
        asset,
        format,
        format!("the reader failed on corrupt data ({why}); re-export or remove the file"),
    )
}

impl LakeConnector {
    /// Reads up to `limit` rows: a spread of a dataset's files, or the start of a text file.
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

    /// Streams every row of the projected columns of every file of the asset.
    async fn full_pass(
        &self,
        asset: &AssetInfo,
        projection: &Projection,
        batch_rows: usize,
    ) -> Result<(SchemaRef, BoxStream<'static, Result<RecordBatch>>)> {
        let files = self.asset_files(asset).await?;
        let batch_rows = batch_rows.max(1);
        match files.format {
            FileFormat::Parquet => {
                self.scan_parquet(&asset.name, files.files, projection, batch_rows)
                    .await
            }
            format => {
                // A CSV file names its columns in its header; JSON lines in its objects' keys,
                // taken from the first objects as a sample would.
                let columns = match projection {
                    Projection::Columns(columns) => columns.clone(),
                    Projection::All => self
                        .sample(asset, ALL_COLUMNS_FROM_ROWS)
                        .await?
                        .schema
                        .fields()
                        .iter()
                        .map(|f| f.name().clone())
                        .collect(),
                };
                let stream = self
                    .scan_text(&asset.name, format, &files.files[0], &columns, batch_rows)
                    .await?;
                Ok((utf8_schema(&columns), stream))
            }
        }
    }
}

/// A parquet read failure. The reader wraps store failures (a vanished object, a refused or
/// failed request) in `ParquetError::External`; those are store errors, not bad parquet.
fn parquet_error(
    identity: Option<&StoreIdentity>,
    asset: &str,
    meta: &ObjectMeta,
    e: parquet::errors::ParquetError,
) -> Error {
    let e = match e {
        parquet::errors::ParquetError::External(inner) => {
            match inner.downcast::<object_store::Error>() {
                Ok(store) => return cloud::asset_error(identity, asset, *store),
                Err(inner) => parquet::errors::ParquetError::External(inner),
            }
        }
        e => e,
    };
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
/// The row count of a dataset from the footers read (by file index): their sum when every
/// file's footer was read, else that sum scaled by total size over the size of the files
/// read, with a warning saying so.
fn dataset_row_count(
    files: &[ObjectMeta],
    footers: &BTreeMap<usize, (u64, Option<ArrowReaderMetadata>)>,
) -> (u64, Vec<String>) {
    let rows: u64 = footers.values().map(|(rows, _)| rows).sum();
    if footers.len() == files.len() {
        return (rows, Vec::new());
    }
    let read_bytes: u64 = footers.keys().map(|&i| files[i].size).sum();
    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    let estimate = (u128::from(rows) * u128::from(total_bytes) / u128::from(read_bytes.max(1)))
        .try_into()
        .unwrap_or(u64::MAX);
    let warning = format!(
        "row count estimated from {} of {} file footers (scaled by file size)",
        footers.len(),
        files.len()
    );
    (estimate, vec![warning])
}

fn spread(len: usize, want: usize) -> Vec<usize> {
    if len <= want {
        return (0..len).collect();
    }
    (0..want).map(|i| i * len / want).collect()
}

/// The format of a file by its name; `.gz`/`.gzip`/`.zst`/`.zstd` after a text extension is
/// read through the decompressor ([`Compression::of`]). Parquet compresses inside the file, so
/// a compressed parquet file is not something writers produce and is not listed.
fn format_of(path: &Path) -> Option<FileFormat> {
    let name = path.filename()?.to_ascii_lowercase();
    let compressed = Compression::of(&name) != Compression::None;
    let base = match name.rsplit_once('.') {
        Some((base, _)) if compressed => base,
        _ => name.as_str(),
    };
    if base.ends_with(".parquet") || base.ends_with(".parq") {
        (!compressed).then_some(FileFormat::Parquet)
    } else if base.ends_with(".csv") {
        Some(FileFormat::Csv)
    } else if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
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
                    unreadable: None,
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
    fn compressed_text_files_are_listed_and_compressed_parquet_is_not() {
        let format = |p: &str| format_of(&Path::from(p));
        assert_eq!(format("a/b.csv.gz"), Some(FileFormat::Csv));
        assert_eq!(format("a/b.CSV.ZST"), Some(FileFormat::Csv));
        assert_eq!(format("b.jsonl.gz"), Some(FileFormat::JsonLines));
        assert_eq!(format("b.ndjson.zstd"), Some(FileFormat::JsonLines));
        assert_eq!(format("b.parquet.gz"), None);
        assert_eq!(format("b.txt.gz"), None);
        assert_eq!(format("b.gz"), None);
        assert_eq!(format("b.parquet"), Some(FileFormat::Parquet));
    }

    #[test]
    fn dataset_row_count_is_exact_or_scaled_by_size() {
        let files = [meta("a", 100), meta("b", 300), meta("c", 100)];
        let read = |pairs: &[(usize, u64)]| {
            pairs
                .iter()
                .map(|&(i, rows)| (i, (rows, None)))
                .collect::<BTreeMap<usize, (u64, Option<ArrowReaderMetadata>)>>()
        };
        let (rows, warnings) = dataset_row_count(&files, &read(&[(0, 10), (1, 30), (2, 10)]));
        assert_eq!((rows, warnings.len()), (50, 0));
        // 20 rows in 200 of 500 bytes read: 50 estimated, and said so.
        let (rows, warnings) = dataset_row_count(&files, &read(&[(0, 10), (2, 10)]));
        assert_eq!(rows, 50);
        assert_eq!(
            warnings,
            ["row count estimated from 2 of 3 file footers (scaled by file size)"]
        );
    }

    #[test]
    fn spread_picks_evenly() {
        assert_eq!(spread(3, 8), vec![0, 1, 2]);
        assert_eq!(spread(100, 4), vec![0, 25, 50, 75]);
    }
}
