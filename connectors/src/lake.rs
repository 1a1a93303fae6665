//! Folders and buckets of files through `object_store`: parquet, CSV and JSON lines.
//!
//! Listing groups files into assets: a hive-partitioned folder (`dt=…/part-*.parquet`) or a
//! folder of Spark-style `part-*` files is one dataset, images and video sharing a key pattern
//! are one media collection (`media.rs`), any other supported file is one asset.
//! Parquet is read with the arrow-rs async reader: footers first, then only the rows a sample
//! needs. Text files (plain, gzip or zstd) are read from a bounded prefix, so neither a huge
//! file nor a compression bomb nor a file without line breaks can make a sample hold more
//! than [`TEXT_WINDOW_BYTES`] of text.
//!
//! The same code serves a local folder and a bucket: every read goes through the
//! `ObjectStore` trait, so on S3 a sample costs a few ranged GETs, never a whole download.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::Path as FsPath;
use std::sync::Arc;

use arrow_array::{new_null_array, ArrayRef, RecordBatch};
use arrow_schema::{Schema, SchemaRef};
use async_trait::async_trait;
use futures::stream::BoxStream;

use futures::{FutureExt, StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
use parquet::arrow::async_reader::ParquetRecordBatchStreamBuilder;
use parquet::arrow::ProjectionMask;

mod collection;
mod dataset;
mod delta;
mod document;
mod errors;
mod layout;
mod media;
mod media_probe;
mod row_groups;
mod spreadsheet;
mod text_files;

use dataset::{dataset_row_count, spread};
use errors::{parquet_error, reader_panicked};
use layout::{files_in_share, format_of, group_assets, hidden_segment, AssetFiles};

use crate::batch::{resolve_columns, spawn_batches, utf8_schema, BatchSender};
use crate::cloud::{self, StoreIdentity};
use crate::parquet_reader::StoreFileReader;
use crate::read::projected_columns;
use crate::unscanned::{file_kind, UnscannedTally};
use crate::{
    AssetInfo, AssetKind, Connector, Error, FileFormat, Listing, Projection, Read, ReadMode,
    ReadRequest, Result, Sample, SkipReason,
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
/// Workbooks opened at once while listing (to name their sheets).
const WORKBOOK_CONCURRENCY: usize = 4;
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
    /// The media collections of the last listing.
    collections: collection::CollectionCache,
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
            collections: Default::default(),
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
                        snapshot: None,
                        share: None,
                    });
                    first_error.get_or_insert(e);
                }
            }
        }
        if let (true, Some(e)) = (files.is_empty(), first_error) {
            return Err(self.listing_error(e));
        }
        files.sort_by(|a, b| a.location.cmp(&b.location));
        Ok((files, unlistable))
    }

    /// A listing failure, as the whole source's error.
    fn listing_error(&self, e: object_store::Error) -> Error {
        match &self.identity {
            Some(id) => cloud::source_error(id, e),
            None => Error::backend("lake", &self.display_url, e),
        }
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
        let mut files: Vec<ObjectMeta> = self
            .store
            .list(prefix)
            .try_collect()
            .await
            .map_err(|e| self.listing_error(e))?;
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
        let mut files = self.list_files(Some(&path)).await?;
        // A Delta table's files are its snapshot's, as when it was listed.
        let mut ignored = UnscannedTally::default();
        if let Some(Err(why)) = self
            .delta_snapshots(&mut files, &mut ignored)
            .await
            .remove(&asset.name)
        {
            return Err(Error::invalid(
                &asset.name,
                "Delta Lake",
                format!("the log cannot be replayed: {why}"),
            ));
        }
        group_assets(files, &mut ignored)
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
            let groups: Vec<usize> = mine.iter().map(|p| p.row_group).collect();
            let group_sizes: Vec<u64> = groups.iter().map(|&g| sizes[ord][g]).collect();
            let want: usize = mine.iter().map(|p| p.rows).sum();
            let mut stream = ParquetRecordBatchStreamBuilder::new_with_metadata(
                self.parquet_reader(meta),
                footer_of(idx),
            )
            .with_row_groups(groups)
            .with_row_selection(row_groups::first_rows_of(&mine, &group_sizes))
            .with_batch_size(want.clamp(1, 8192))
            .build()
            .map_err(|e| self.parquet_error(asset, meta, e))?;
            while let Some(batch) = stream.next().await {
                batches.push(batch.map_err(|e| self.parquet_error(asset, meta, e))?);
            }
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
                "the first rows of {} of {total_groups} row groups in {files_read} of {} files, \
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
        Ok(self.list().await?.assets)
    }

    async fn list(&self) -> Result<Listing> {
        let (mut files, unlistable) = self.list_all_files().await?;
        if let Some(only) = &self.only {
            // One file: the folder around it is not part of the source.
            files.retain(|f| f.location.as_ref() == only);
        }
        let mut skipped = UnscannedTally::default();
        let tables = self.delta_snapshots(&mut files, &mut skipped).await;
        // Images and video form collections; a hidden one (`.thumbnails/`) stays bookkeeping.
        let (media_files, files): (Vec<ObjectMeta>, Vec<ObjectMeta>) =
            files.into_iter().partition(|m| {
                hidden_segment(&m.location).is_none()
                    && media::media_class(m.location.as_ref()).is_some()
            });
        let collections = media::group_collections(media_files);
        let mut assets: Vec<AssetInfo> = collections.values().map(|(a, _)| a.clone()).collect();
        self.remember(collections.into_iter().map(|(name, (_, c))| (name, c)));
        let mut workbooks = Vec::new();
        for (name, (mut info, files)) in group_assets(files, &mut skipped) {
            match tables.get(&name) {
                Some(Ok(snapshot)) => {
                    info.snapshot = Some(format!("delta version {}", snapshot.version));
                }
                Some(Err(why)) => {
                    info.unreadable = Some(format!("the Delta log cannot be replayed: {why}"));
                }
                None => {}
            }
            let bytes = info.bytes.unwrap_or(0);
            match files.format {
                FileFormat::Spreadsheet if bytes > spreadsheet::MAX_SPREADSHEET_BYTES => {
                    skipped.add(SkipReason::OverSizeCap, &file_kind(&name), bytes);
                }
                FileFormat::Spreadsheet => workbooks.push((name, bytes)),
                FileFormat::Document if bytes > crate::documents::MAX_DOCUMENT_BYTES => {
                    skipped.add(SkipReason::OverSizeCap, &file_kind(&name), bytes);
                }
                FileFormat::Document if !document::readable(&name) => {
                    skipped.add(SkipReason::NotBuiltIn, &file_kind(&name), bytes);
                }
                _ => assets.push(AssetInfo { name, ..info }),
            }
        }
        // A workbook's sheets are its assets: opening it is the only way to name them.
        let sheets: Vec<Vec<AssetInfo>> = futures::stream::iter(workbooks)
            .map(|(name, bytes)| async move { self.sheet_assets(&name, bytes).await })
            .buffered(WORKBOOK_CONCURRENCY)
            .collect()
            .await;
        assets.extend(sheets.into_iter().flatten());
        assets.extend(unlistable);
        Ok(Listing {
            assets,
            unscanned: skipped.finish(),
            gap: None,
        })
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
                Ok(Read::full_pass(schema, batches, None, request))
            }
        }
    }
}

impl LakeConnector {
    /// Reads up to `limit` rows: a spread of a dataset's files, or the start of a text file.
    async fn sample(&self, asset: &AssetInfo, limit: usize) -> Result<Sample> {
        if asset.kind == AssetKind::Collection {
            return self.sample_collection(asset, limit).await;
        }
        if spreadsheet::split_sheet_asset(&asset.name).is_some() {
            return self
                .read_sheet_asset(&asset.name, None, Some(limit), limit)
                .await;
        }
        let files = self.asset_files(asset).await?;
        match files.format {
            FileFormat::Parquet => self.sample_parquet(&asset.name, &files.files, limit).await,
            FileFormat::Document => {
                self.sample_document(&asset.name, &files.files[0], limit)
                    .await
            }
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
        let batch_rows = batch_rows.max(1);
        if asset.kind == AssetKind::Collection {
            // Its rows are read from a sample of its objects; its count is the listing's.
            return Err(Error::invalid(
                &asset.name,
                "media collection",
                "a media collection is read from a sample of its objects and has no full pass",
            ));
        }
        if spreadsheet::split_sheet_asset(&asset.name).is_some() {
            let columns = match projection {
                Projection::Columns(columns) => Some(columns.clone()),
                Projection::All => None,
            };
            let sheet = self
                .read_sheet_asset(&asset.name, columns, None, batch_rows)
                .await?;
            let batches = futures::stream::iter(sheet.batches.into_iter().map(Ok)).boxed();
            return Ok((sheet.schema, batches));
        }
        let files = self.asset_files(asset).await?;
        match files.format {
            FileFormat::Parquet => {
                let files = match &asset.share {
                    Some(share) => files_in_share(files.files, share),
                    None => files.files,
                };
                self.scan_parquet(&asset.name, files, projection, batch_rows)
                    .await
            }
            FileFormat::Document => {
                let columns = match projection {
                    Projection::Columns(columns) => columns.clone(),
                    Projection::All => vec![crate::delimited::TEXT_COLUMN.to_string()],
                };
                self.scan_document(&asset.name, &files.files[0], &columns, batch_rows)
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
