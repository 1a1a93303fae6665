//! Delta Lake tables: a folder holding `_delta_log/` is one table, and only the data files of
//! its current snapshot are its data. Files a later commit removed (deleted rows rewritten,
//! small files compacted) stay on storage until `VACUUM`; counting them would swing the row
//! and storage figures with every compaction and fire the 30 % re-filing test on housekeeping.
//!
//! The snapshot is the newest checkpoint (its `add` rows) replayed with every later JSON
//! commit (`add` and `remove` actions, one JSON object per line), as the Delta protocol
//! defines it. Only paths are read; statistics and deletion vectors are not needed to tell
//! which files make up the table.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use arrow_array::{Array, RecordBatch, StringArray, StructArray};
use futures::TryStreamExt;
use object_store::{ObjectMeta, ObjectStore};
use parquet::arrow::async_reader::ParquetRecordBatchStreamBuilder;
use parquet::arrow::ProjectionMask;

use super::layout::format_of;
use super::tables::{read_whole, relative, table_of};
use crate::parquet_reader::StoreFileReader;
use crate::unscanned::{file_kind, UnscannedTally};
use crate::SkipReason;

/// The current snapshot of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// The table version the snapshot is at.
    pub version: u64,
    /// Data files, relative to the table's folder, as the log names them (decoded).
    pub files: BTreeSet<String>,
}

/// The table folder of a path inside a `_delta_log/` folder: `lake/orders` for
/// `lake/orders/_delta_log/00000000000000000003.json`, `""` for a table at the root.
pub(crate) fn table_root(path: &str) -> Option<&str> {
    if path.starts_with("_delta_log/") {
        return Some("");
    }
    path.find("/_delta_log/").map(|at| &path[..at])
}

/// What one log file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LogFile {
    /// A JSON commit of this version.
    Commit(u64),
    /// A (part of a) checkpoint at this version.
    Checkpoint(u64),
}

fn log_file(name: &str) -> Option<LogFile> {
    let (version, rest) = name.split_once('.')?;
    if version.len() != 20 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let version: u64 = version.parse().ok()?;
    if rest == "json" {
        Some(LogFile::Commit(version))
    } else if rest.starts_with("checkpoint") && rest.ends_with(".parquet") {
        Some(LogFile::Checkpoint(version))
    } else {
        None
    }
}

/// Reads the snapshot of the table whose log holds `log` (every file under its
/// `_delta_log/`).
///
/// # Errors
/// Why the log cannot be replayed (a gap in the commits, an unreadable file), worded for the
/// data officer.
pub(crate) async fn snapshot(
    store: &Arc<dyn ObjectStore>,
    log: &[ObjectMeta],
) -> Result<Snapshot, String> {
    let mut commits: BTreeMap<u64, &ObjectMeta> = BTreeMap::new();
    let mut checkpoints: BTreeMap<u64, Vec<&ObjectMeta>> = BTreeMap::new();
    for meta in log {
        match meta.location.filename().and_then(log_file) {
            Some(LogFile::Commit(v)) => {
                commits.insert(v, meta);
            }
            Some(LogFile::Checkpoint(v)) => checkpoints.entry(v).or_default().push(meta),
            None => {}
        }
    }
    let mut files = BTreeSet::new();
    let start = match checkpoints.last_key_value() {
        Some((&version, parts)) => {
            for part in parts {
                checkpoint_adds(store, part, &mut files).await?;
            }
            version
        }
        None => {
            if !commits.contains_key(&0) {
                return Err("the log has neither a checkpoint nor its first commit".into());
            }
            // Commit 0 is replayed below like any other.
            files.clear();
            u64::MAX
        }
    };
    let mut version = (start != u64::MAX).then_some(start);
    for (&v, meta) in commits
        .iter()
        .filter(|(v, _)| start == u64::MAX || **v > start)
    {
        let expected = version.map_or(0, |last| last + 1);
        if v != expected {
            return Err(format!(
                "the log skips from version {} to {v}",
                version.map_or_else(|| "none".to_string(), |last| last.to_string())
            ));
        }
        replay(store, meta, &mut files).await?;
        version = Some(v);
    }
    Ok(Snapshot {
        version: version.ok_or("the log has no commit")?,
        files,
    })
}

/// Applies one JSON commit's `add` and `remove` actions.
async fn replay(
    store: &Arc<dyn ObjectStore>,
    meta: &ObjectMeta,
    files: &mut BTreeSet<String>,
) -> Result<(), String> {
    let name = meta.location.to_string();
    let bytes = read_whole(store, &meta.location).await?;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let action: serde_json::Value =
            serde_json::from_slice(line).map_err(|e| format!("{name} line {}: {e}", i + 1))?;
        if let Some(path) = action.pointer("/add/path").and_then(|p| p.as_str()) {
            files.insert(decode(path));
        }
        if let Some(path) = action.pointer("/remove/path").and_then(|p| p.as_str()) {
            files.remove(&decode(path));
        }
    }
    Ok(())
}

/// Adds the `add.path` of every row of one checkpoint file.
async fn checkpoint_adds(
    store: &Arc<dyn ObjectStore>,
    meta: &ObjectMeta,
    files: &mut BTreeSet<String>,
) -> Result<(), String> {
    let name = meta.location.to_string();
    let fail = |e: parquet::errors::ParquetError| format!("{name}: {e}");
    let reader = StoreFileReader::new(store.clone(), meta.location.clone(), meta.size);
    let builder = ParquetRecordBatchStreamBuilder::new(reader)
        .await
        .map_err(fail)?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), ["add.path"]);
    let batches: Vec<RecordBatch> = builder
        .with_projection(mask)
        .build()
        .map_err(fail)?
        .try_collect()
        .await
        .map_err(fail)?;
    for batch in batches {
        let Some(add) = batch
            .column_by_name("add")
            .and_then(|c| c.as_any().downcast_ref::<StructArray>())
        else {
            return Err(format!(
                "{name}: no `add` column; is it a Delta checkpoint?"
            ));
        };
        let Some(paths) = add
            .column_by_name("path")
            .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        else {
            return Err(format!("{name}: `add.path` is not text"));
        };
        for i in 0..add.len() {
            if add.is_valid(i) && paths.is_valid(i) {
                files.insert(decode(paths.value(i)));
            }
        }
    }
    Ok(())
}

/// Log paths are URI-encoded (`dt=2026-11-01` may be written `dt%3D2026-11-01`).
fn decode(path: &str) -> String {
    crate::options::percent_decode(path)
}

/// The Delta tables among `files`, by table folder, each with its log files.
pub(crate) fn tables(files: &[ObjectMeta]) -> BTreeMap<String, Vec<ObjectMeta>> {
    let mut tables: BTreeMap<String, Vec<ObjectMeta>> = BTreeMap::new();
    for meta in files {
        if let Some(root) = table_root(meta.location.as_ref()) {
            tables
                .entry(root.to_string())
                .or_default()
                .push(meta.clone());
        }
    }
    tables
}

/// The Delta side of the lake connector: which listed files a table's snapshot holds.
impl super::LakeConnector {
    /// The snapshot of every Delta table among `files`, by table folder; the data files not
    /// in their table's snapshot are taken out of `files` and counted in `skipped`.
    pub(super) async fn delta_snapshots(
        &self,
        files: &mut Vec<ObjectMeta>,
        skipped: &mut UnscannedTally,
    ) -> BTreeMap<String, Result<Snapshot, String>> {
        let mut snapshots = BTreeMap::new();
        for (root, log) in tables(files) {
            let snapshot = snapshot(&self.store, &log).await;
            snapshots.insert(root, snapshot);
        }
        if snapshots.is_empty() {
            return snapshots;
        }
        files.retain(|meta| {
            if table_root(meta.location.as_ref()).is_some() {
                return true; // the log itself: bookkeeping
            }
            let Some(root) = table_of(snapshots.keys(), &meta.location) else {
                return true;
            };
            let Some(Ok(snapshot)) = snapshots.get(root) else {
                return true;
            };
            let relative = relative(root, &meta.location);
            if format_of(&meta.location).is_none() || snapshot.files.contains(relative) {
                return true;
            }
            skipped.add(
                SkipReason::NotInSnapshot,
                &file_kind(meta.location.as_ref()),
                meta.size,
            );
            false
        });
        snapshots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_files_are_commits_and_checkpoints() {
        assert_eq!(
            log_file("00000000000000000003.json"),
            Some(LogFile::Commit(3))
        );
        assert_eq!(
            log_file("00000000000000000010.checkpoint.parquet"),
            Some(LogFile::Checkpoint(10))
        );
        assert_eq!(
            log_file("00000000000000000010.checkpoint.0000000001.0000000002.parquet"),
            Some(LogFile::Checkpoint(10))
        );
        assert_eq!(log_file("_last_checkpoint"), None);
        assert_eq!(log_file("00000000000000000003.crc"), None);
    }

    #[test]
    fn table_roots_are_the_folders_above_the_log() {
        assert_eq!(
            table_root("lake/orders/_delta_log/00000000000000000000.json"),
            Some("lake/orders")
        );
        assert_eq!(table_root("_delta_log/00000000000000000000.json"), Some(""));
        assert_eq!(table_root("lake/orders/part-0.parquet"), None);
    }
}
