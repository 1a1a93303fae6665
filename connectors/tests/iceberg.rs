//! An Apache Iceberg table is one dataset whose files, rows and bytes are its current
//! snapshot's. The table under `tests/data/iceberg` was written by pyiceberg
//! (`scripts/make-iceberg-fixture.py`): appends, a copy-on-write delete and expired snapshots,
//! leaving one orphaned data file. Its metadata names the scratch folder it was written in,
//! so every test also shows a moved table being read where it is now.

#[path = "common/copy_dir.rs"]
mod copy_dir;

use std::path::{Path, PathBuf};

use connectors::{AssetKind, ConnectorExt, SkipReason};
use copy_dir::copy_dir;
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/iceberg")
}

fn facts() -> Value {
    serde_json::from_slice(&std::fs::read(fixture().join("facts.json")).unwrap()).unwrap()
}

fn sizes(table: &Path, files: &Value) -> u64 {
    files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            std::fs::metadata(table.join(f.as_str().unwrap()))
                .unwrap()
                .len()
        })
        .sum()
}

async fn listed(root: &Path) -> (connectors::SharedConnector, connectors::Listing) {
    let mut opened = connectors::open_source(root.to_str().unwrap())
        .await
        .unwrap();
    let connector = opened.connectors.remove(0);
    let listing = connector.list().await.unwrap();
    (connector, listing)
}

/// The current metadata file: pyiceberg numbers them `00000-…` upwards.
fn current_metadata(table: &Path) -> PathBuf {
    let mut names: Vec<PathBuf> = std::fs::read_dir(table.join("metadata"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".metadata.json"))
        .collect();
    names.sort();
    names.pop().unwrap()
}

#[tokio::test]
async fn an_iceberg_table_is_its_current_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("wh/db/orders");
    copy_dir(&fixture().join("orders"), &table);
    let facts = facts();
    let metadata_files = std::fs::read_dir(table.join("metadata")).unwrap().count() as u64;

    let (connector, listing) = listed(dir.path()).await;
    assert_eq!(listing.assets.len(), 1, "{:?}", listing.assets);
    let asset = &listing.assets[0];
    assert_eq!(asset.name, "wh/db/orders");
    assert_eq!(asset.kind, AssetKind::Dataset);
    assert_eq!(asset.unreadable, None);
    assert_eq!(
        asset.snapshot,
        Some(format!("iceberg snapshot {}", facts["current_snapshot_id"]))
    );
    assert_eq!(asset.row_count, Some(80));
    assert_eq!(asset.bytes, Some(sizes(&table, &facts["data_files"])));
    let counted: Vec<(SkipReason, String, u64, u64)> = listing
        .unscanned
        .iter()
        .map(|u| (u.reason, u.kind.clone(), u.count, u.bytes))
        .collect();
    let orphan = sizes(&table, &facts["orphan_files"]);
    assert!(
        counted.contains(&(SkipReason::NotInSnapshot, ".parquet".into(), 1, orphan)),
        "{counted:?}"
    );
    let metadata = counted
        .iter()
        .find(|c| c.0 == SkipReason::Bookkeeping && c.1 == "metadata")
        .unwrap();
    assert_eq!(metadata.2, metadata_files);

    let sample = connector.sample(asset, 1000).await.unwrap();
    assert_eq!(sample.row_count, Some(80));
    assert!(sample.warnings.is_empty(), "{:?}", sample.warnings);
    let rows: usize = sample.batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 80, "the three live files, not the orphan");
    let names: Vec<&str> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, ["order_id", "sfzh", "shouji", "city"]);
}

#[tokio::test]
async fn a_table_that_is_the_source_itself_is_one_asset() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture().join("orders"), dir.path());
    let (connector, listing) = listed(dir.path()).await;
    assert_eq!(listing.assets.len(), 1, "{:?}", listing.assets);
    let asset = &listing.assets[0];
    assert_eq!((asset.name.as_str(), asset.row_count), (".", Some(80)));
    let sample = connector.sample(asset, 10).await.unwrap();
    assert_eq!(sample.row_count, Some(80));
}

#[tokio::test]
async fn unreadable_metadata_fails_the_table_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("lake/orders");
    copy_dir(&fixture().join("orders"), &table);
    std::fs::write(dir.path().join("notes.csv"), "a,b\n1,2\n").unwrap();
    // The current snapshot's manifest list is gone.
    let metadata: Value =
        serde_json::from_slice(&std::fs::read(current_metadata(&table)).unwrap()).unwrap();
    let current = metadata["current-snapshot-id"].as_i64().unwrap();
    let list = metadata["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["snapshot-id"].as_i64() == Some(current))
        .unwrap()["manifest-list"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    std::fs::remove_file(table.join("metadata").join(&list)).unwrap();

    let (connector, listing) = listed(dir.path()).await;
    let asset = listing
        .assets
        .iter()
        .find(|a| a.name == "lake/orders")
        .unwrap();
    let why = asset.unreadable.as_deref().unwrap();
    assert!(why.contains("Iceberg metadata cannot be read"), "{why}");
    assert!(why.contains(&list) && why.contains("not found"), "{why}");
    assert!(asset.bytes.unwrap() > 0);
    // The rest of the source is read as usual; nothing of the table is read as a plain file.
    let names: Vec<&str> = listing.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["lake/orders", "notes.csv"]);
    assert!(connector.sample(asset, 10).await.is_err());

    // Metadata that is not JSON.
    std::fs::write(current_metadata(&table), b"{ not json").unwrap();
    let (_, listing) = listed(dir.path()).await;
    let why = listing.assets[0].unreadable.clone().unwrap();
    assert!(why.contains(".metadata.json: not JSON"), "{why}");
}
