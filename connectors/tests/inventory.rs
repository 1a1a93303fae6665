//! S3 Inventory standing in for LIST: a source with `inventory` set takes its listing from the
//! inventory's manifest and its CSV (gzip) or Parquet files, on a real S3 server — the bucket
//! itself is listed only by the one health-check request when the source opens.

#![cfg(feature = "cloud")]

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use common::fixture::write_parquet;
use common::s3_server::{S3Server, ACCESS_KEY, SECRET_KEY};
use connectors::{ConnectorExt, SourceOptions};

fn options(server: &S3Server, inventory: &str) -> SourceOptions {
    std::env::set_var("MULU_TEST_S3_SECRET", SECRET_KEY);
    SourceOptions {
        endpoint: Some(server.endpoint.clone()),
        path_style: true,
        allow_http: true,
        access_key_id: Some(ACCESS_KEY.into()),
        secret_access_key_env: Some("MULU_TEST_S3_SECRET".into()),
        inventory: Some(inventory.into()),
        ..Default::default()
    }
}

/// The source bucket: objects under `raw/`, and one outside the source's prefix.
fn write_bucket(bucket: &Path) -> Vec<(&'static str, u64)> {
    let files = [
        ("raw/owners.csv", "xm,shouji\n张三,13900000001\n"),
        ("raw/2026/orders 1.csv", "order_no,mobile\n1,13900000002\n"),
        ("other/x.csv", "a\n1\n"),
    ];
    for (key, text) in files {
        let path = bucket.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    files.iter().map(|(k, t)| (*k, t.len() as u64)).collect()
}

fn manifest(format: &str, schema: &str, keys: &[String]) -> String {
    let files: Vec<String> = keys
        .iter()
        .map(|k| format!(r#"{{"key": "{k}", "size": 1, "MD5checksum": "0"}}"#))
        .collect();
    format!(
        r#"{{"sourceBucket": "cams", "destinationBucket": "arn:aws:s3:::inv",
            "version": "2016-11-30", "fileFormat": "{format}", "fileSchema": "{schema}",
            "files": [{}]}}"#,
        files.join(",")
    )
}

async fn names(spec: &str, options: &SourceOptions) -> Vec<String> {
    let opened = connectors::open_source_with(spec, options).await.unwrap();
    let lake = &opened.connectors[0];
    let listing = lake.list().await.unwrap();
    for asset in &listing.assets {
        // Sizes from the inventory serve the reads.
        let sample = lake.sample(asset, 10).await.unwrap();
        assert_eq!(sample.row_count, Some(1), "{}", asset.name);
    }
    listing.assets.into_iter().map(|a| a.name).collect()
}

#[tokio::test]
async fn an_inventory_stands_in_for_listing_the_bucket() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path());
    let objects = write_bucket(&server.bucket("cams"));
    let inv = server.bucket("inv");

    // CSV, gzip-compressed, keys URL-encoded; plus an old version and a delete marker.
    let mut csv = String::new();
    for (key, size) in &objects {
        let encoded = key.replace(' ', "+");
        csv.push_str(&format!(
            "\"cams\",\"{encoded}\",\"\",\"true\",\"false\",\"{size}\",\"2026-11-02T08:00:00.000Z\"\n"
        ));
    }
    csv.push_str(
        "\"cams\",\"raw/old.csv\",\"v1\",\"false\",\"false\",\"9\",\"2026-11-01T08:00:00.000Z\"\n",
    );
    csv.push_str(
        "\"cams\",\"raw/gone.csv\",\"v2\",\"true\",\"true\",\"\",\"2026-11-01T08:00:00.000Z\"\n",
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(csv.as_bytes()).unwrap();
    let data = inv.join("cams/daily/data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("part-1.csv.gz"), gz.finish().unwrap()).unwrap();
    let schema = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate";
    let keys = ["cams/daily/data/part-1.csv.gz".to_string()];
    std::fs::write(
        inv.join("cams/daily/manifest.json"),
        manifest("CSV", schema, &keys),
    )
    .unwrap();

    let spec = "s3://cams/raw";
    let options = options(&server, "s3://inv/cams/daily/manifest.json");
    let before = server.requests().len();
    assert_eq!(
        names(spec, &options).await,
        ["2026/orders 1.csv", "owners.csv"]
    );
    let lists = server.requests()[before..]
        .iter()
        .filter(|r| r.is_list() && r.path.starts_with("/cams"))
        .count();
    assert_eq!(lists, 1, "only the health check lists the bucket");

    // The same inventory delivered as Parquet.
    let (keys, sizes): (Vec<&str>, Vec<i64>) = objects.iter().map(|(k, s)| (*k, *s as i64)).unzip();
    let n = keys.len();
    let batch = RecordBatch::try_from_iter([
        (
            "bucket",
            Arc::new(StringArray::from(vec!["cams"; n])) as ArrayRef,
        ),
        ("key", Arc::new(StringArray::from(keys)) as ArrayRef),
        ("size", Arc::new(Int64Array::from(sizes)) as ArrayRef),
        (
            "last_modified_date",
            Arc::new(TimestampMillisecondArray::from(vec![1_793_606_400_000; n])) as ArrayRef,
        ),
    ])
    .unwrap();
    write_parquet(&inv.join("cams/pq/data/part-1.parquet"), &batch);
    let keys = ["cams/pq/data/part-1.parquet".to_string()];
    std::fs::write(
        inv.join("cams/pq/manifest.json"),
        manifest("Parquet", "message s3.inventory { }", &keys),
    )
    .unwrap();
    let options = SourceOptions {
        inventory: Some("s3://inv/cams/pq/manifest.json".into()),
        ..options
    };
    assert_eq!(
        names(spec, &options).await,
        ["2026/orders 1.csv", "owners.csv"]
    );

    // An inventory of another bucket is the source's error, saying so.
    let opened = connectors::open_source_with("s3://inv", &options)
        .await
        .unwrap();
    let error = opened.connectors[0].list().await.unwrap_err().to_string();
    assert!(
        error.contains("the inventory is of bucket cams, not inv"),
        "{error}"
    );
}
