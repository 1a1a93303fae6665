//! Listing a folder or bucket in memory that grows with its assets, not its objects.
//!
//! Objects stream from LIST (or the S3 Inventory) into a [`Grouper`] (datasets and files) and
//! [`Collections`] (images and video), which keep figures per asset, never the objects. Only a
//! Delta Lake or Iceberg table's files are held, since its snapshot decides which of them
//! count; its log or metadata may come after its data files in the listing, so a listing that
//! meets a table is taken a second time with the tables' folders known from the first.

use std::collections::{BTreeMap, BTreeSet};
use std::mem;

use futures::StreamExt;
use object_store::path::Path;
use object_store::ObjectMeta;

use super::delta::{self, Snapshot};
use super::layout::{hidden_segment, AssetFiles, Grouper};
use super::media::{self, Collection, Collections};
use super::tables::table_of;
use super::{iceberg, LakeConnector};
use crate::unscanned::UnscannedTally;
use crate::{AssetInfo, AssetKind, Error, Result};

/// What one pass over the listing found.
pub(super) struct Pass {
    /// Datasets, files and the tables' datasets, by name.
    pub(super) assets: BTreeMap<String, (AssetInfo, AssetFiles)>,
    pub(super) collections: BTreeMap<String, (AssetInfo, Collection)>,
    /// The snapshot (or why there is none) of each Delta table, by its folder.
    pub(super) delta: BTreeMap<String, std::result::Result<Snapshot, String>>,
    pub(super) skipped: UnscannedTally,
    /// An entry for each part of the tree the listing could not enter.
    pub(super) unlistable: Vec<AssetInfo>,
    /// The folders of the tables met, whether or not they were known before the pass.
    tables_met: BTreeSet<String>,
}

/// Sends each listed object where it belongs.
struct Sorter<'a> {
    /// Table folders known before this pass: their files are held for their snapshots.
    tables: &'a BTreeSet<String>,
    table_files: Vec<ObjectMeta>,
    tables_met: BTreeSet<String>,
    grouper: Grouper,
    collections: Collections,
    skipped: UnscannedTally,
}

impl Sorter<'_> {
    fn add(&mut self, meta: ObjectMeta) {
        let key = meta.location.as_ref();
        if let Some(root) = delta::table_root(key).or_else(|| iceberg::table_root(key)) {
            self.tables_met.insert(root.to_string());
        }
        if table_of(self.tables.iter(), &meta.location).is_some() {
            self.table_files.push(meta);
        } else {
            self.route(meta);
        }
    }

    /// Images and video form collections (a hidden one, `.thumbnails/`, stays bookkeeping);
    /// the rest form datasets and files.
    fn route(&mut self, meta: ObjectMeta) {
        if hidden_segment(&meta.location).is_none()
            && media::media_class(meta.location.as_ref()).is_some()
        {
            self.collections.add(meta);
        } else {
            self.grouper.add(meta, &mut self.skipped);
        }
    }
}

impl LakeConnector {
    /// Lists the source: once, or twice when the first pass meets a table format.
    pub(super) async fn listing_pass(&self) -> Result<Pass> {
        let first = self.pass(&BTreeSet::new()).await?;
        if first.tables_met.is_empty() {
            return Ok(first);
        }
        let tables = first.tables_met;
        self.pass(&tables).await
    }

    /// One pass over the listing, with the folders of `tables` read as tables.
    async fn pass(&self, tables: &BTreeSet<String>) -> Result<Pass> {
        let mut sorter = Sorter {
            tables,
            table_files: Vec::new(),
            tables_met: BTreeSet::new(),
            grouper: Grouper::default(),
            collections: Collections::default(),
            skipped: UnscannedTally::default(),
        };
        let only = self.only.as_deref();
        let mut wanted = |meta: ObjectMeta| {
            // One file: the folder around it is not part of the source.
            if only.is_none_or(|only| meta.location.as_ref() == only) {
                sorter.add(meta);
            }
        };
        let unlistable = match &self.inventory {
            Some(inventory) => {
                let files = inventory.files().await.map_err(|why| {
                    let why = format!("the S3 Inventory cannot be read: {why}");
                    Error::backend("lake", &self.display_url, why)
                })?;
                files.into_iter().for_each(&mut wanted);
                Vec::new()
            }
            None => self.stream_listing(None, &mut wanted).await?,
        };
        let mut table_files = mem::take(&mut sorter.table_files);
        let delta = self
            .delta_snapshots(&mut table_files, &mut sorter.skipped)
            .await;
        let iceberg = self
            .iceberg_tables(&mut table_files, &mut sorter.skipped)
            .await;
        // What is left of the tables (Delta snapshots' files and logs) is grouped as any file.
        for meta in table_files {
            sorter.route(meta);
        }
        let mut assets = sorter.grouper.finish(&mut sorter.skipped);
        assets.extend(iceberg);
        Ok(Pass {
            assets,
            collections: sorter.collections.finish(),
            delta,
            skipped: sorter.skipped,
            unlistable,
            tables_met: sorter.tables_met,
        })
    }

    /// Streams every object under `prefix` into `sink`, and returns an unreadable entry for
    /// each part of the tree the listing could not enter (a symlink loop, a folder without
    /// permission): one bad folder fails itself, not the whole source. A listing that yields
    /// nothing but errors is the source's failure.
    pub(super) async fn stream_listing(
        &self,
        prefix: Option<&Path>,
        sink: &mut (dyn FnMut(ObjectMeta) + Send),
    ) -> Result<Vec<AssetInfo>> {
        let mut stream = self.store.list(prefix);
        let (mut listed, mut unlistable, mut first_error) = (0u64, Vec::new(), None);
        while let Some(entry) = stream.next().await {
            match entry {
                Ok(meta) => {
                    listed += 1;
                    sink(meta);
                }
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
        if let (0, Some(e)) = (listed, first_error) {
            return Err(self.listing_error(e));
        }
        Ok(unlistable)
    }
}
