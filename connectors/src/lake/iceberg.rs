//! Apache Iceberg tables: a folder holding `metadata/*.metadata.json` is one table, and only
//! the data files of its current snapshot are its data — as for Delta Lake (`delta.rs`), files
//! a rewrite replaced or an expired snapshot left behind stay on storage until orphan-file
//! clean-up, and counting them would move the catalogue's figures on housekeeping.
//!
//! The snapshot is read as the spec lays it out: the newest metadata JSON (the one
//! `version-hint.text` names, else the highest version) → its `current-snapshot-id` → that
//! snapshot's manifest list (Avro) → its manifests (Avro) → their live entries (status not
//! DELETED), each a data or delete file with its record count and size. The row count is the
//! data files' record counts, exact without reading a footer.
//!
//! Paths in the metadata are absolute URIs of where the table was written
//! (`s3a://bucket/wh/db/t/data/…`, `file:///tmp/…`); they are taken relative to the table's
//! `location`, so a copied or moved table is read where it is now.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use object_store::{ObjectMeta, ObjectStore};

use super::layout::{format_of, AssetFiles};
use super::tables::{inside, read_whole, relative, table_of};
use crate::avro;
use crate::unscanned::{file_kind, UnscannedTally};
use crate::{AssetInfo, AssetKind, FileFormat, SkipReason};

/// The asset name of a table that is the source's root folder itself.
pub(crate) const ROOT_TABLE: &str = ".";
/// Manifests read at once.
const MANIFEST_CONCURRENCY: usize = 8;

/// A data or delete file a snapshot holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableFile {
    /// Relative to the table's folder; `None` when it lies outside the table's location.
    pub path: Option<String>,
    pub rows: u64,
    pub bytes: u64,
}

/// The current snapshot of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// `None` for a table created but never written.
    pub id: Option<i64>,
    pub data: Vec<TableFile>,
    /// Position and equality delete files: they remove rows of the data files when read.
    pub deletes: Vec<TableFile>,
}

impl Snapshot {
    /// The rows of its data files, before deletes.
    pub(crate) fn rows(&self) -> u64 {
        self.data.iter().map(|f| f.rows).sum()
    }

    /// How the report names it, like Delta's `delta version 7`.
    pub(crate) fn label(&self) -> String {
        match self.id {
            Some(id) => format!("iceberg snapshot {id}"),
            None => "iceberg, no snapshot (an empty table)".into(),
        }
    }
}

/// The table folder of a metadata file: `wh/db/orders` for
/// `wh/db/orders/metadata/00003-….metadata.json`, `""` for a table at the root.
pub(crate) fn table_root(path: &str) -> Option<&str> {
    let (folder, name) = path.rsplit_once('/')?;
    if !name.ends_with(".metadata.json") {
        return None;
    }
    if folder == "metadata" {
        return Some("");
    }
    folder.strip_suffix("/metadata")
}

/// The version a metadata file's name carries: `v3.metadata.json` (Hadoop tables) or
/// `00003-<uuid>.metadata.json` (catalog tables).
fn metadata_version(name: &str) -> Option<u64> {
    let stem = name.strip_suffix(".metadata.json")?;
    let stem = stem.strip_prefix('v').unwrap_or(stem);
    stem.split(['-', '.']).next()?.parse().ok()
}

/// The current metadata file among a table's `metadata/` files: the one `version-hint.text`
/// names, else the highest version (the newest when two share it).
async fn current_metadata<'a>(
    store: &Arc<dyn ObjectStore>,
    metadata: &[&'a ObjectMeta],
) -> Result<&'a ObjectMeta, String> {
    let named = |m: &&ObjectMeta| m.location.filename().map(str::to_string);
    let versions: Vec<(u64, &ObjectMeta)> = metadata
        .iter()
        .filter_map(|m| Some((metadata_version(&named(m)?)?, *m)))
        .collect();
    let hint = metadata
        .iter()
        .find(|m| named(m).as_deref() == Some("version-hint.text"));
    if let Some(hint) = hint {
        let text = read_whole(store, &hint.location).await?;
        let hinted: Option<u64> = std::str::from_utf8(&text)
            .ok()
            .and_then(|t| t.trim().parse().ok());
        let found = versions
            .iter()
            .find(|(v, m)| Some(*v) == hinted && named(m).is_some_and(|n| n.starts_with('v')));
        if let Some((_, meta)) = found {
            return Ok(*meta);
        }
    }
    versions
        .iter()
        .max_by_key(|(v, m)| (*v, m.last_modified))
        .map(|(_, m)| *m)
        .ok_or_else(|| "no `*.metadata.json` file in `metadata/`".into())
}

/// Reads the current snapshot of the table in `root` from its `metadata/` files.
///
/// # Errors
/// Why it cannot be read (unparsable metadata, a missing manifest), naming the file.
pub(crate) async fn snapshot(
    store: &Arc<dyn ObjectStore>,
    root: &str,
    metadata: &[&ObjectMeta],
) -> Result<Snapshot, String> {
    let file = current_metadata(store, metadata).await?;
    let name = relative(root, &file.location).to_string();
    let json: serde_json::Value = serde_json::from_slice(&read_whole(store, &file.location).await?)
        .map_err(|e| format!("{name}: not JSON: {e}"))?;
    let location = json["location"]
        .as_str()
        .ok_or_else(|| format!("{name}: names no table `location`"))?;
    let Some(id) = json["current-snapshot-id"].as_i64().filter(|&id| id != -1) else {
        let empty = Snapshot {
            id: None,
            data: Vec::new(),
            deletes: Vec::new(),
        };
        return Ok(empty);
    };
    let current = json["snapshots"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["snapshot-id"].as_i64() == Some(id)))
        .ok_or_else(|| format!("{name}: the current snapshot {id} is not among its snapshots"))?;
    let within = |path: &str, what: &str| {
        resolve(location, path)
            .ok_or_else(|| format!("{name}: the {what} {path} lies outside the table location"))
    };
    let manifests: Vec<String> = if let Some(list) = current["manifest-list"].as_str() {
        let list = within(list, "manifest list")?;
        let bytes = read_whole(store, &inside(root, &list)).await?;
        let mut paths = Vec::new();
        for record in avro::records(&bytes).map_err(|e| format!("{list}: {e}"))? {
            let record = record.map_err(|e| format!("{list}: {e}"))?;
            let path = avro::text(&record, "manifest_path")
                .ok_or_else(|| format!("{list}: an entry without `manifest_path`"))?;
            paths.push(within(path, "manifest")?);
        }
        paths
    } else if let Some(listed) = current["manifests"].as_array() {
        // Format version 1 may list the manifests in the snapshot itself.
        let paths = listed.iter().filter_map(serde_json::Value::as_str);
        paths
            .map(|p| within(p, "manifest"))
            .collect::<Result<_, _>>()?
    } else {
        return Err(format!("{name}: snapshot {id} names no manifest list"));
    };
    let entries: Vec<Vec<(u8, TableFile)>> = futures::stream::iter(manifests)
        .map(|manifest| async move {
            let bytes = read_whole(store, &inside(root, &manifest)).await?;
            live_entries(location, &bytes).map_err(|e| format!("{manifest}: {e}"))
        })
        .buffered(MANIFEST_CONCURRENCY)
        .try_collect()
        .await?;
    let (mut data, mut deletes) = (Vec::new(), Vec::new());
    for (content, file) in entries.into_iter().flatten() {
        if content == 0 {
            data.push(file)
        } else {
            deletes.push(file)
        }
    }
    Ok(Snapshot {
        id: Some(id),
        data,
        deletes,
    })
}

/// The live entries of one manifest (status EXISTING or ADDED), each with its content (0 data,
/// 1 position deletes, 2 equality deletes).
fn live_entries(location: &str, manifest: &[u8]) -> Result<Vec<(u8, TableFile)>, String> {
    const DELETED: i64 = 2;
    let mut live = Vec::new();
    for entry in avro::records(manifest)? {
        let entry = entry?;
        if avro::long(&entry, "status") == Some(DELETED) {
            continue;
        }
        let file = avro::field(&entry, "data_file").ok_or("an entry without `data_file`")?;
        let path = avro::text(file, "file_path").ok_or("a data file without `file_path`")?;
        let count = |field: &str| {
            avro::long(file, field)
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| format!("a data file without `{field}`"))
        };
        let content = avro::long(file, "content").unwrap_or(0).clamp(0, 2) as u8;
        let file = TableFile {
            path: resolve(location, path),
            rows: count("record_count")?,
            bytes: count("file_size_in_bytes")?,
        };
        live.push((content, file));
    }
    Ok(live)
}

/// `path` relative to the table `location`, schemes aside (`s3a://b/t` and `s3://b/t` are one
/// place, as are `file:/tmp/t` and `file:///tmp/t`).
fn resolve(location: &str, path: &str) -> Option<String> {
    fn bare(uri: &str) -> &str {
        let rest = match uri.split_once("://") {
            Some((_, rest)) => rest,
            None => uri.strip_prefix("file:").unwrap_or(uri),
        };
        rest.trim_start_matches('/')
    }
    let location = bare(location).trim_end_matches('/');
    let rest = bare(path).strip_prefix(location)?.strip_prefix('/')?;
    (!rest.is_empty()).then(|| rest.to_string())
}

/// The Iceberg tables among `files`: the folders above a `metadata/*.metadata.json`.
fn table_roots(files: &[ObjectMeta]) -> BTreeSet<String> {
    files
        .iter()
        .filter_map(|m| table_root(m.location.as_ref()))
        .map(str::to_string)
        .collect()
}

/// The asset of one table whose snapshot was read: its data files are those the snapshot
/// holds; every other file of the folder is counted in `skipped` (metadata as bookkeeping,
/// delete files as such, files of no live snapshot as not in the snapshot).
fn table_asset(
    name: String,
    root: &str,
    snapshot: &Snapshot,
    table_files: Vec<ObjectMeta>,
    skipped: &mut UnscannedTally,
) -> (AssetInfo, AssetFiles) {
    let wanted: BTreeSet<&str> = snapshot
        .data
        .iter()
        .filter_map(|f| f.path.as_deref())
        .collect();
    let deletes: BTreeSet<&str> = snapshot
        .deletes
        .iter()
        .filter_map(|f| f.path.as_deref())
        .collect();
    let mut files = Vec::new();
    for meta in table_files {
        let path = relative(root, &meta.location);
        if path.starts_with("metadata/") {
            skipped.add(SkipReason::Bookkeeping, "metadata", meta.size);
        } else if wanted.contains(path) {
            files.push(meta);
        } else {
            let reason = if deletes.contains(path) {
                SkipReason::DeleteFile
            } else {
                SkipReason::NotInSnapshot
            };
            skipped.add(reason, &file_kind(meta.location.as_ref()), meta.size);
        }
    }
    let mut notes = Vec::new();
    let missing = snapshot.data.len().saturating_sub(files.len());
    if missing > 0 {
        notes.push(format!(
            "{missing} of the snapshot's {} data files are not in the table's folder: \
             its row count includes them, its bytes and sample do not",
            snapshot.data.len()
        ));
    }
    if !snapshot.deletes.is_empty() {
        let rows: u64 = snapshot.deletes.iter().map(|f| f.rows).sum();
        notes.push(format!(
            "{} delete files ({rows} delete rows) are not applied: the row count is before \
             deletes and the sample may hold deleted rows",
            snapshot.deletes.len()
        ));
    }
    let unreadable = files
        .iter()
        .find(|m| format_of(&m.location) != Some(FileFormat::Parquet))
        .map(|m| {
            format!(
                "its data files ({}) are not parquet, which is all mulu reads of a table",
                file_kind(m.location.as_ref())
            )
        });
    let info = AssetInfo {
        name,
        kind: AssetKind::Dataset,
        row_count: Some(snapshot.rows()),
        bytes: Some(files.iter().map(|m| m.size).sum()),
        partition_columns: Vec::new(),
        unreadable,
        snapshot: Some(snapshot.label()),
        share: None,
    };
    let files = AssetFiles {
        format: FileFormat::Parquet,
        files,
        rows: Some(snapshot.rows()),
        notes,
    };
    (info, files)
}

/// The Iceberg side of the lake connector: each table is one asset.
impl super::LakeConnector {
    /// Takes every file of the Iceberg tables among `files` out of it, and returns each table
    /// as one dataset asset (by name) with its current snapshot's data files. A table whose
    /// metadata cannot be read is an unreadable asset saying why, holding all its bytes.
    pub(super) async fn iceberg_tables(
        &self,
        files: &mut Vec<ObjectMeta>,
        skipped: &mut UnscannedTally,
    ) -> BTreeMap<String, (AssetInfo, AssetFiles)> {
        let roots = table_roots(files);
        let mut by_table: BTreeMap<String, Vec<ObjectMeta>> = BTreeMap::new();
        if roots.is_empty() {
            return BTreeMap::new();
        }
        files.retain(|meta| match table_of(roots.iter(), &meta.location) {
            Some(root) => {
                by_table.entry(root.clone()).or_default().push(meta.clone());
                false
            }
            None => true,
        });
        let mut tables = BTreeMap::new();
        for (root, table_files) in by_table {
            let name = if root.is_empty() {
                ROOT_TABLE.to_string()
            } else {
                root.clone()
            };
            let metadata: Vec<&ObjectMeta> = table_files
                .iter()
                .filter(|m| relative(&root, &m.location).starts_with("metadata/"))
                .collect();
            let asset = match snapshot(&self.store, &root, &metadata).await {
                Ok(snapshot) => table_asset(name.clone(), &root, &snapshot, table_files, skipped),
                Err(why) => {
                    let info = AssetInfo {
                        name: name.clone(),
                        kind: AssetKind::Dataset,
                        row_count: None,
                        bytes: Some(table_files.iter().map(|m| m.size).sum()),
                        partition_columns: Vec::new(),
                        unreadable: Some(format!("the Iceberg metadata cannot be read: {why}")),
                        snapshot: None,
                        share: None,
                    };
                    (info, AssetFiles::of(FileFormat::Parquet, Vec::new()))
                }
            };
            tables.insert(name, asset);
        }
        tables
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_the_folders_above_metadata_json() {
        assert_eq!(
            table_root("wh/db/t/metadata/00001-ab.metadata.json"),
            Some("wh/db/t")
        );
        assert_eq!(table_root("metadata/v3.metadata.json"), Some(""));
        assert_eq!(table_root("wh/db/t/metadata/snap-1-a.avro"), None);
        assert_eq!(table_root("wh/db/t/data/x.metadata.json"), None);
    }

    #[test]
    fn metadata_versions_come_from_either_naming() {
        assert_eq!(metadata_version("v12.metadata.json"), Some(12));
        assert_eq!(metadata_version("00003-6a0b-4c.metadata.json"), Some(3));
        assert_eq!(metadata_version("v2.gz.metadata.json"), Some(2));
        assert_eq!(metadata_version("snap.avro"), None);
    }

    #[test]
    fn paths_resolve_against_the_table_location_whatever_the_scheme() {
        let at = "s3://lake/wh/db/t";
        assert_eq!(
            resolve(at, "s3a://lake/wh/db/t/data/a.parquet").as_deref(),
            Some("data/a.parquet")
        );
        assert_eq!(
            resolve("file:///tmp/wh/t/", "file:/tmp/wh/t/metadata/m.avro").as_deref(),
            Some("metadata/m.avro")
        );
        assert_eq!(
            resolve("/tmp/wh/t", "file:///tmp/wh/t/data/b.parquet").as_deref(),
            Some("data/b.parquet")
        );
        assert_eq!(resolve(at, "s3://other/wh/db/t/data/a.parquet"), None);
        assert_eq!(resolve(at, "s3://lake/wh/db/t2/data/a.parquet"), None);
    }

    fn file(path: &str, rows: u64) -> TableFile {
        TableFile {
            path: Some(path.into()),
            rows,
            bytes: rows * 10,
        }
    }

    fn meta(path: &str, size: u64) -> ObjectMeta {
        ObjectMeta {
            location: object_store::path::Path::from(path),
            last_modified: Default::default(),
            size,
            e_tag: None,
            version: None,
        }
    }

    #[test]
    fn a_table_asset_is_its_snapshot_and_the_rest_is_counted() {
        let snapshot = Snapshot {
            id: Some(42),
            data: vec![file("data/a.parquet", 30), file("data/gone.parquet", 5)],
            deletes: vec![file("data/d.parquet", 2)],
        };
        let mut skipped = UnscannedTally::default();
        let (info, files) = table_asset(
            "t".into(),
            "t",
            &snapshot,
            vec![
                meta("t/data/a.parquet", 300),
                meta("t/data/old.parquet", 400),
                meta("t/data/d.parquet", 20),
                meta("t/metadata/v1.metadata.json", 7),
            ],
            &mut skipped,
        );
        assert_eq!(info.snapshot.as_deref(), Some("iceberg snapshot 42"));
        assert_eq!((info.row_count, info.bytes), (Some(35), Some(300)));
        assert_eq!(files.files.len(), 1);
        assert_eq!(files.notes.len(), 2, "{:?}", files.notes);
        let counted: Vec<(SkipReason, String, u64)> = skipped
            .finish()
            .into_iter()
            .map(|u| (u.reason, u.kind, u.bytes))
            .collect();
        assert!(counted.contains(&(SkipReason::NotInSnapshot, ".parquet".into(), 400)));
        assert!(counted.contains(&(SkipReason::DeleteFile, ".parquet".into(), 20)));
        assert!(counted.contains(&(SkipReason::Bookkeeping, "metadata".into(), 7)));
    }
}
