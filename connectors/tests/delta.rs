//! A Delta Lake table is one dataset whose files, rows and bytes are its current snapshot's:
//! files removed by later commits (a compaction) are counted as not scanned, not as data,
//! whether the log is all JSON commits or starts at a checkpoint.

mod common;

use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema};
use common::fixture::write_parquet;
use connectors::{ConnectorExt, SkipReason};

fn phones(n: usize, from: usize) -> RecordBatch {
    let ids: Vec<i64> = (from..from + n).map(|i| i as i64).collect();
    let phones: Vec<String> = (from..from + n).map(|i| format!("138{i:08}")).collect();
    RecordBatch::try_from_iter([
        ("id", Arc::new(Int64Array::from(ids)) as ArrayRef),
        ("mobile", Arc::new(StringArray::from(phones)) as ArrayRef),
    ])
    .unwrap()
}

fn commit(table: &Path, version: u64, actions: &[(&str, &str)]) {
    let mut lines = Vec::new();
    if version == 0 {
        lines.push(r#"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#.to_string());
        lines.push(r#"{"metaData":{"id":"t","format":{"provider":"parquet"},"schemaString":"{}","partitionColumns":[]}}"#.to_string());
    }
    for (kind, path) in actions {
        lines.push(format!(
            r#"{{"{kind}":{{"path":"{path}","dataChange":true,"size":1}}}}"#
        ));
    }
    let log = table.join("_delta_log");
    std::fs::create_dir_all(&log).unwrap();
    std::fs::write(log.join(format!("{version:020}.json")), lines.join("\n")).unwrap();
}

/// A checkpoint at `version` holding `adds` (and one removed file, as checkpoints keep
/// tombstones).
fn checkpoint(table: &Path, version: u64, adds: &[&str]) {
    let path_field = Arc::new(Field::new("path", DataType::Utf8, true));
    let n = adds.len() + 1;
    let add_paths: Vec<Option<&str>> = adds.iter().map(|p| Some(*p)).chain([None]).collect();
    let add_valid: Vec<bool> = (0..n).map(|i| i < adds.len()).collect();
    let remove_paths: Vec<Option<&str>> = (0..n)
        .map(|i| (i == adds.len()).then_some("part-gone.parquet"))
        .collect();
    let add = StructArray::try_new(
        Fields::from(vec![path_field.clone()]),
        vec![Arc::new(StringArray::from(add_paths)) as ArrayRef],
        Some(add_valid.into()),
    )
    .unwrap();
    let remove = StructArray::try_new(
        Fields::from(vec![path_field.clone()]),
        vec![Arc::new(StringArray::from(remove_paths.clone())) as ArrayRef],
        Some(
            remove_paths
                .iter()
                .map(Option::is_some)
                .collect::<Vec<_>>()
                .into(),
        ),
    )
    .unwrap();
    let schema = Schema::new(vec![
        Field::new("add", add.data_type().clone(), true),
        Field::new("remove", remove.data_type().clone(), true),
    ]);
    let batch =
        RecordBatch::try_new(Arc::new(schema), vec![Arc::new(add), Arc::new(remove)]).unwrap();
    write_parquet(
        &table
            .join("_delta_log")
            .join(format!("{version:020}.checkpoint.parquet")),
        &batch,
    );
}

async fn listed(root: &Path) -> connectors::Listing {
    let opened = connectors::open_source(root.to_str().unwrap())
        .await
        .unwrap();
    opened.connectors[0].list().await.unwrap()
}

#[tokio::test]
async fn a_delta_table_is_its_current_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("lake/orders");
    // v0 writes a and b, v1 appends c, v2 compacts a and b into d.
    write_parquet(&table.join("part-00000-a.snappy.parquet"), &phones(3, 0));
    write_parquet(&table.join("part-00001-b.snappy.parquet"), &phones(2, 3));
    commit(
        &table,
        0,
        &[
            ("add", "part-00000-a.snappy.parquet"),
            ("add", "part-00001-b.snappy.parquet"),
        ],
    );
    write_parquet(&table.join("part-00002-c.snappy.parquet"), &phones(4, 5));
    commit(&table, 1, &[("add", "part-00002-c.snappy.parquet")]);
    write_parquet(&table.join("part-00003-d.snappy.parquet"), &phones(5, 0));
    commit(
        &table,
        2,
        &[
            ("remove", "part-00000-a.snappy.parquet"),
            ("remove", "part-00001-b.snappy.parquet"),
            ("add", "part-00003-d.snappy.parquet"),
        ],
    );
    let size = |name: &str| std::fs::metadata(table.join(name)).unwrap().len();

    let listing = listed(dir.path()).await;
    assert_eq!(listing.assets.len(), 1, "{:?}", listing.assets);
    let asset = &listing.assets[0];
    assert_eq!(asset.name, "lake/orders");
    assert_eq!(asset.snapshot.as_deref(), Some("delta version 2"));
    assert_eq!(
        asset.bytes,
        Some(size("part-00002-c.snappy.parquet") + size("part-00003-d.snappy.parquet"))
    );
    let removed: Vec<(SkipReason, u64, u64)> = listing
        .unscanned
        .iter()
        .filter(|u| u.reason == SkipReason::NotInSnapshot)
        .map(|u| (u.reason, u.count, u.bytes))
        .collect();
    assert_eq!(
        removed,
        [(
            SkipReason::NotInSnapshot,
            2,
            size("part-00000-a.snappy.parquet") + size("part-00001-b.snappy.parquet")
        )]
    );
    let opened = connectors::open_source(dir.path().to_str().unwrap())
        .await
        .unwrap();
    let sample = opened.connectors[0].sample(asset, 100).await.unwrap();
    assert_eq!(sample.row_count, Some(9), "c (4 rows) and d (5 rows)");

    // Later: a checkpoint at version 2 and the JSON commits before it cleaned up; v3 appends e.
    checkpoint(
        &table,
        2,
        &["part-00002-c.snappy.parquet", "part-00003-d.snappy.parquet"],
    );
    for v in 0..=2u64 {
        std::fs::remove_file(table.join(format!("_delta_log/{v:020}.json"))).unwrap();
    }
    write_parquet(&table.join("part-00004-e.snappy.parquet"), &phones(1, 9));
    commit(&table, 3, &[("add", "part-00004-e.snappy.parquet")]);
    let listing = listed(dir.path()).await;
    let asset = &listing.assets[0];
    assert_eq!(asset.snapshot.as_deref(), Some("delta version 3"));
    let sample = opened.connectors[0].sample(asset, 100).await.unwrap();
    assert_eq!(sample.row_count, Some(10));

    // A log with a gap is named, never guessed at.
    std::fs::remove_file(table.join(format!("_delta_log/{:020}.checkpoint.parquet", 2))).unwrap();
    let listing = listed(dir.path()).await;
    let why = listing.assets[0].unreadable.as_deref().unwrap();
    assert!(why.contains("Delta log"), "{why}");
}
