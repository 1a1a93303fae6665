//! SQLite files are read without writing anything beside them.

mod common;

use common::local::find;
use connectors::ConnectorExt;

fn folder(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_wal_mode_database_is_scanned_without_new_files_beside_it() {
    use sqlx::Executor;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    pool.execute(
        "CREATE TABLE customers (mobile TEXT); INSERT INTO customers VALUES ('13800138000')",
    )
    .await
    .unwrap();
    pool.close().await;
    let before = folder(dir.path());
    assert_eq!(before, vec!["crm.db"], "the writer closed cleanly");

    let opened = connectors::open_source(db.to_str().unwrap()).await.unwrap();
    let conn = opened.connectors[0].clone();
    let assets = conn.list_assets().await.unwrap();
    let sample = conn.sample(&find(&assets, "customers"), 10).await.unwrap();
    assert_eq!(sample.num_rows(), 1);
    assert_eq!(folder(dir.path()), before, "no -wal or -shm while scanning");
    drop(conn);
    drop(opened);
    assert_eq!(folder(dir.path()), before);
}
