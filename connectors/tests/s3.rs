//! The lake connector over S3, against a real S3 server on 127.0.0.1 (`s3s-fs`, see
//! `common/s3_server.rs`): no mocks, so request signing, path-style addressing, paginated
//! listing and ranged reads all go through object_store's real client.

#![cfg(feature = "cloud")]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::{Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use common::fixture::{self, Expected};
use common::s3_server::{S3Server, ACCESS_KEY, SECRET_KEY};
use common::suite;
use connectors::{AssetKind, ConnectorExt, Error, SharedConnector, SourceOptions};
use futures::TryStreamExt;

/// The variable the tests keep the server's secret in, as a user would.
const SECRET_VAR: &str = "MULU_TEST_S3_SECRET";
const WRONG_SECRET_VAR: &str = "MULU_TEST_S3_WRONG_SECRET";
const WRONG_SECRET: &str = "Wr0ng-s3-secret-never-shown";

fn options(server: &S3Server) -> SourceOptions {
    std::env::set_var(SECRET_VAR, SECRET_KEY);
    SourceOptions {
        endpoint: Some(server.endpoint.clone()),
        path_style: true,
        allow_http: true,
        access_key_id: Some(ACCESS_KEY.into()),
        secret_access_key_env: Some(SECRET_VAR.into()),
        ..Default::default()
    }
}

async fn open(spec: &str, options: &SourceOptions) -> SharedConnector {
    let opened = connectors::open_source_with(spec, options)
        .await
        .unwrap_or_else(|e| panic!("{spec}: {e}"));
    assert_eq!(opened.connectors.len(), 1);
    opened.connectors[0].clone()
}

#[tokio::test]
async fn s3_conformance_rooted_at_a_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path());
    let root = server.bucket("conformance").join("team/raw");
    std::fs::create_dir_all(&root).unwrap();
    fixture::write_lake(&root);
    fixture::write_compressed_csv(&root);
    // Outside the prefix: must not be listed.
    fixture::write_lake(&server.bucket("conformance"));

    let lake = open("s3://conformance/team/raw", &options(&server)).await;
    assert_eq!(lake.display_url(), "s3://conformance/team/raw");
    let mut names: Vec<String> = lake
        .list_assets()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "customers.csv",
            "customers.csv.gz",
            "customers.csv.zst",
            "customers.parquet"
        ]
    );
    for asset in names {
        suite::run_all(lake.as_ref(), &Expected::new(asset)).await;
    }
}

#[tokio::test]
async fn a_hive_partitioned_folder_in_a_bucket_is_one_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path());
    let bucket = server.bucket("hive");
    let batch = fixture::arrow_batch();
    for (day, rows) in [("2026-11-01", 0..2), ("2026-11-02", 2..5)] {
        let part = batch.slice(rows.start, rows.len());
        fixture::write_parquet(
            &bucket.join(format!("tracks/dt={day}/hour=00/part-00000.parquet")),
            &part,
        );
    }
    std::fs::write(bucket.join("tracks/_SUCCESS"), b"").unwrap();

    let lake = open("s3://hive", &options(&server)).await;
    let assets = lake.list_assets().await.unwrap();
    assert_eq!(assets.len(), 1, "{assets:?}");
    let tracks = &assets[0];
    assert_eq!(tracks.name, "tracks");
    assert_eq!(tracks.kind, AssetKind::Dataset);
    assert_eq!(tracks.partition_columns, ["dt", "hour"]);
    let sample = lake.sample(tracks, 100).await.unwrap();
    assert_eq!(sample.num_rows(), 5);
    assert_eq!(sample.row_count, Some(5));
    let rows: usize = lake
        .scan_columns(tracks, &["phone".into()], 2)
        .await
        .unwrap()
        .try_collect::<Vec<RecordBatch>>()
        .await
        .unwrap()
        .iter()
        .map(RecordBatch::num_rows)
        .sum();
    assert_eq!(rows, 5);
}

/// A Spark-style folder of 2,000 small parquet files: listing pages through the bucket, and a
/// sample reads the footers of an even spread of 512 files once (for a row count scaled by
/// size, which says it is an estimate) plus a coalesced read or two in each of the few files
/// it samples, never a request per column chunk, per file, or the data of every file.
#[tokio::test]
async fn two_thousand_small_files_are_sampled_with_footers_and_few_ranges() {
    const FILES: usize = 2000;
    const ROWS: i64 = 20;
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path());
    let folder = server.bucket("many").join("events");
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("phone", DataType::Utf8, false),
        Field::new("city", DataType::Utf8, false),
    ]));
    for f in 0..FILES as i64 {
        let ids: Vec<i64> = (0..ROWS).map(|r| f * ROWS + r).collect();
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(ids.clone())),
                Arc::new(StringArray::from_iter_values(
                    ids.iter().map(|i| format!("138{i:08}")),
                )),
                Arc::new(StringArray::from_iter_values(ids.iter().map(|_| "上海"))),
            ],
        )
        .unwrap();
        fixture::write_parquet(&folder.join(format!("part-{f:05}.parquet")), &batch);
    }

    let lake = open("s3://many", &options(&server)).await;
    server.reset();
    let assets = lake.list_assets().await.unwrap();
    assert_eq!(assets.len(), 1);
    assert_eq!(assets[0].kind, AssetKind::Dataset);
    let listing = server.requests();
    assert!(
        listing.iter().all(|r| r.is_list()),
        "listing reads no objects: {listing:?}"
    );
    assert_eq!(listing.len(), 2, "2,000 keys are two pages of 1,000");

    server.reset();
    let started = Instant::now();
    let sample = lake.sample(&assets[0], 100).await.unwrap();
    let took = started.elapsed();
    assert_eq!(sample.num_rows(), 100);
    let rows = sample.row_count.unwrap() as f64;
    let truth = (FILES as i64 * ROWS) as f64;
    assert!(
        (rows / truth - 1.0).abs() < 0.02,
        "{rows} estimated, {truth} true"
    );
    assert_eq!(
        sample.warnings,
        ["row count estimated from 512 of 2000 file footers (scaled by file size)"]
    );

    let requests = server.requests();
    let lists = requests.iter().filter(|r| r.is_list()).count();
    let gets: Vec<_> = requests.iter().filter(|r| r.is_object_get()).collect();
    assert_eq!(
        lists + gets.len(),
        requests.len(),
        "only LIST and GET: {:?}",
        requests.iter().find(|r| !r.is_list() && !r.is_object_get())
    );
    assert!(
        lists <= 2,
        "the asset's folder is listed once: {lists} LISTs"
    );
    assert!(
        gets.iter().all(|r| r.range.is_some()),
        "every object read is a ranged read"
    );
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for get in &gets {
        *per_file.entry(get.path.as_str()).or_default() += 1;
    }
    assert_eq!(
        per_file.len(),
        512,
        "one footer read per file of the spread"
    );
    let data_files: Vec<(&&str, &usize)> = per_file.iter().filter(|(_, &n)| n > 1).collect();
    assert!(
        !data_files.is_empty() && data_files.len() <= 8,
        "data is read from the sampled files only: {data_files:?}"
    );
    assert!(
        data_files.iter().all(|(_, &n)| n <= 3),
        "column chunks of a file are coalesced into few reads: {data_files:?}"
    );
    assert!(
        gets.len() <= 512 + 8 * 2,
        "{} GETs for {FILES} files",
        gets.len()
    );
    eprintln!(
        "sampled {FILES} files in {took:?} with {lists} LIST and {} GET requests",
        gets.len()
    );
}

/// A wrong secret for a real key (`SignatureDoesNotMatch`) and an unknown key
/// (`InvalidAccessKeyId`): both are [`Error::StoreAuth`] for the source, naming the key id
/// and never the secret.
#[tokio::test]
async fn bad_credentials_name_the_access_key_but_never_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path());
    fixture::write_lake(&server.bucket("guarded"));
    std::env::set_var(WRONG_SECRET_VAR, WRONG_SECRET);
    for key in [ACCESS_KEY, "AKIDNOSUCHKEY"] {
        let options = SourceOptions {
            access_key_id: Some(key.into()),
            secret_access_key_env: Some(WRONG_SECRET_VAR.into()),
            ..options(&server)
        };
        let err = connectors::open_source_with("s3://guarded", &options)
            .await
            .err()
            .expect("bad credentials fail at open");
        assert!(matches!(err, Error::StoreAuth { .. }), "{err:?}");
        let msg = err.to_string();
        eprintln!("{msg}");
        assert!(msg.contains(key), "names the key id: {msg}");
        assert!(msg.contains("secret_access_key_env"), "{msg}");
        for secret in [WRONG_SECRET, SECRET_KEY] {
            assert!(!msg.contains(secret), "the secret leaked: {msg}");
            assert!(
                !format!("{err:?}").contains(secret),
                "the secret leaked: {err:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_missing_bucket_is_not_found_for_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path());
    let err = connectors::open_source_with("s3://no-such-bucket/x", &options(&server))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let msg = err.to_string();
    eprintln!("{msg}");
    assert!(
        msg.contains("the bucket 'no-such-bucket' does not exist") && msg.contains("endpoint"),
        "{msg}"
    );
}

#[tokio::test]
async fn an_unreachable_endpoint_fails_fast_and_says_what_to_check() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::env::set_var(SECRET_VAR, SECRET_KEY);
    let options = SourceOptions {
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        path_style: true,
        allow_http: true,
        access_key_id: Some(ACCESS_KEY.into()),
        secret_access_key_env: Some(SECRET_VAR.into()),
        ..Default::default()
    };
    let started = Instant::now();
    let err = connectors::open_source_with("s3://lake", &options)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    let msg = err.to_string();
    eprintln!("{msg}");
    assert!(
        msg.contains("s3://lake")
            && msg.contains(&format!("127.0.0.1:{port}"))
            && msg.contains("check the endpoint"),
        "{msg}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "gave up after {:?}",
        started.elapsed()
    );
}

/// Compressed and broken text files in a bucket: each is sampled or fails on its own.
#[tokio::test]
async fn compressed_and_truncated_text_in_a_bucket() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(dir.path());
    let bucket = server.bucket("exports");
    let lines: String = (0..5000)
        .map(|i| format!("{{\"id\":{i},\"mobile\":\"139{i:08}\"}}\n"))
        .collect();
    std::fs::write(
        bucket.join("events.jsonl.zst"),
        fixture::zstd(lines.as_bytes()),
    )
    .unwrap();
    let gz = fixture::gzip(lines.as_bytes());
    std::fs::write(bucket.join("cut.jsonl.gz"), &gz[..gz.len() / 2]).unwrap();

    let lake = open("s3://exports", &options(&server)).await;
    let assets = lake.list_assets().await.unwrap();
    let asset = |name: &str| assets.iter().find(|a| a.name == name).unwrap().clone();

    let sample = lake.sample(&asset("events.jsonl.zst"), 10).await.unwrap();
    assert_eq!(sample.num_rows(), 10);
    assert_eq!(sample.row_count, Some(5000));
    let all: usize = lake
        .scan_columns(&asset("events.jsonl.zst"), &["mobile".into()], 1000)
        .await
        .unwrap()
        .try_collect::<Vec<RecordBatch>>()
        .await
        .unwrap()
        .iter()
        .map(RecordBatch::num_rows)
        .sum();
    assert_eq!(all, 5000);

    let cut = asset("cut.jsonl.gz");
    let sample = lake.sample(&cut, 10).await.unwrap();
    assert_eq!(sample.num_rows(), 10);
    assert!(
        sample.warnings.iter().any(|w| w.contains("truncated")),
        "{:?}",
        sample.warnings
    );
    let err = lake.sample(&cut, 100_000).await.err().unwrap();
    let msg = err.to_string();
    assert!(
        msg.contains("cut.jsonl.gz")
            && msg.contains("gzip stream ends early")
            && msg.contains("re-copy"),
        "{msg}"
    );
}
