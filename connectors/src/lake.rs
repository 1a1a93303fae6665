//! Folders and buckets of files through `object_store`: parquet, text, documents, media and
//! the Delta Lake and Iceberg table formats.
//!
//! Listing groups files into assets: a hive-partitioned folder (`dt=…/part-*.parquet`) or a
//! folder of Spark-style `part-*` files is one dataset, so is a Delta Lake or Iceberg table
//! (`delta.rs`, `iceberg.rs`: its current snapshot's files), images and video sharing a key pattern
//! are one media collection (`media.rs`), any other supported file is one asset.
//! Parquet is read with the arrow-rs async reader: footers first, then only the rows a sample
//! needs. Text files (plain, gzip or zstd) are read from a bounded prefix, so neither a huge
//! file nor a compression bomb nor a file without line breaks can make a sample hold more
//! than [`TEXT_WINDOW_BYTES`] of text.
//!
//! The same code serves a local folder and a bucket: every read goes through the
//! `ObjectStore` trait, so on S3 a sample costs a few ranged GETs, never a whole download.

use std::panic::AssertUnwindSafe;
use std::path::Path as FsPath;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use async_trait::async_trait;
use futures::stream::BoxStream;

use futures::{FutureExt, StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};

mod collection;
mod dataset;
mod delta;
mod document;
mod errors;
mod iceberg;
pub(crate) mod inventory;
mod layout;
mod listing;
mod media;
mod media_probe;
mod parquet_assets;
mod plain_tail;
mod row_groups;
mod spreadsheet;
mod tables;
mod text_files;

use errors::{parquet_error, reader_panicked};
use layout::{files_in_share, format_of, group_assets, AssetFiles};

use crate::batch::utf8_schema;
use crate::cloud::{self, StoreIdentity};
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
/// Workbooks opened at once while listing (to name their sheets).
const WORKBOOK_CONCURRENCY: usize = 4;

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
    /// When set, the listing is read from the bucket's S3 Inventory instead of LIST.
    inventory: Option<inventory::Inventory>,
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
            inventory: None,
        }
    }

    #[cfg_attr(not(feature = "cloud"), allow(dead_code))]
    pub(crate) fn with_inventory(mut self, inventory: inventory::Inventory) -> Self {
        self.inventory = Some(inventory);
        self
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
            return Ok(AssetFiles::of(format, vec![meta]));
        }
        let prefix = (asset.name != iceberg::ROOT_TABLE).then_some(&path);
        let mut files = self.list_files(prefix).await?;
        // A table's files are its snapshot's, as when it was listed.
        let mut ignored = UnscannedTally::default();
        if let Some((info, files)) = self
            .iceberg_tables(&mut files, &mut ignored)
            .await
            .remove(&asset.name)
        {
            return match info.unreadable {
                Some(why) => Err(Error::invalid(&asset.name, "Apache Iceberg", why)),
                None => Ok(files),
            };
        }
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
        let listing::Pass {
            assets: grouped,
            collections,
            delta: tables,
            mut skipped,
            unlistable,
            ..
        } = self.listing_pass().await?;
        let mut assets: Vec<AssetInfo> = collections.values().map(|(a, _)| a.clone()).collect();
        self.remember(collections.into_iter().map(|(name, (_, c))| (name, c)));
        let mut workbooks = Vec::new();
        for (name, (mut info, files)) in grouped {
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
            FileFormat::Parquet => {
                let mut sample = self
                    .sample_parquet(&asset.name, &files.files, files.rows, limit)
                    .await?;
                sample.warnings.extend(files.notes);
                Ok(sample)
            }
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
