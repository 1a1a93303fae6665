//! Partitioned parquet datasets in a local lake: one asset per dataset, and a row count that
//! does not cost one footer request per file on a dataset of thousands of files.

mod common;

use common::fixture;
use connectors::ConnectorExt;

async fn sample_dataset(files: usize) -> connectors::Sample {
    let dir = tempfile::tempdir().unwrap();
    let batch = fixture::arrow_batch();
    for i in 0..files {
        let path = dir
            .path()
            .join(format!(
                "events/dt=2026-{:02}-{:02}/part-0.parquet",
                1 + i / 28 % 12,
                1 + i % 28
            ))
            .with_file_name(format!("part-{i}.parquet"));
        fixture::write_parquet(&path, &batch);
    }
    let opened = connectors::open_source(dir.path().to_str().unwrap())
        .await
        .unwrap();
    let lake = opened.connectors[0].clone();
    let assets = lake.list_assets().await.unwrap();
    assert_eq!(assets.len(), 1, "{assets:?}");
    lake.sample(&assets[0], 100).await.unwrap()
}

#[tokio::test]
async fn a_dataset_row_count_sums_every_footer_when_there_are_few_files() {
    let rows = fixture::arrow_batch().num_rows() as u64;
    let sample = sample_dataset(40).await;
    assert_eq!(sample.row_count, Some(40 * rows));
    assert!(sample.warnings.is_empty(), "{:?}", sample.warnings);
}

/// 600 files of the same size: 512 footers are read and the estimate scales them to all 600.
#[tokio::test]
async fn a_dataset_of_many_files_reads_a_bounded_number_of_footers_and_says_it_estimates() {
    let rows = fixture::arrow_batch().num_rows() as u64;
    let sample = sample_dataset(600).await;
    assert_eq!(sample.row_count, Some(600 * rows));
    assert_eq!(
        sample.warnings,
        ["row count estimated from 512 of 600 file footers (scaled by file size)"]
    );
    assert!(sample.num_rows() > 0);
}
