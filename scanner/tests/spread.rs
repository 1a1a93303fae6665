//! A column whose first 90 % of rows hold empty strings (a MySQL `NOT NULL DEFAULT ''` column
//! added late: not NULL, so no top-up sees it as sparse, yet no value to classify) and whose
//! PI sits only in the newest rows is found, because
//! the sample is spread over the table instead of read from its head: MariaDB through
//! primary-key range steps, parquet through row groups spread over the file. The report says
//! how each sample was drawn. Synthetic values; real MariaDB.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use common::{mulu, service};
use serde_json::Value;

const ROWS: u64 = 1_000_000;

/// Runs `mulu scan` (persons off) with `args` and returns the report.
fn scan(dir: &Path, args: &[&str]) -> Value {
    let json = dir.join("report.json");
    let mut all = vec![
        "scan",
        "--quiet",
        "--no-state",
        "--persons",
        "off",
        "--json",
        json.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let out = mulu(dir, &all);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()
}

/// The one asset's column `ext1` is a mobile-phone column by its values, and the asset says
/// it was sampled by `method`.
fn check(report: &Value, method: &str) {
    let asset = &report["assets"][0];
    assert_eq!(asset["sampling"]["method"], method, "{asset}");
    let ext = asset["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "ext1")
        .unwrap();
    let found = &ext["categories"][0];
    assert_eq!(found["id"], "pi.mobile_phone", "{asset}");
    assert_eq!(found["by"], serde_json::json!(["value"]), "{asset}");
    assert!(found["sampled"].as_u64().unwrap() >= 50, "{asset}");
    assert_eq!(found["matched"], found["sampled"], "{asset}");
}

#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[test]
fn mariadb_late_values_are_found_by_key_range_steps() {
    let Some(url) = service("MULU_TEST_MYSQL_URL") else {
        return;
    };
    let db = format!("mulu_spread_{}", std::process::id());
    common::run_sql(
        &url,
        &[
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db} CHARACTER SET utf8mb4"),
            format!(
                "CREATE TABLE {db}.orders (id bigint PRIMARY KEY, amount int, \
                 ext1 varchar(16) NOT NULL DEFAULT '')"
            ),
            format!(
                "INSERT INTO {db}.orders SELECT seq, seq % 977, \
                 CASE WHEN seq > {ROWS} * 9 / 10 \
                      THEN CONCAT('139', LPAD(seq * 7919 % 100000000, 8, '0')) \
                      ELSE ELT(1 + seq % 2, '', ' ') END \
                 FROM seq_1_to_{ROWS}"
            ),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut u = url::Url::parse(&url).unwrap();
    u.set_path(&format!("/{db}"));
    let started = Instant::now();
    let report = scan(dir.path(), &[u.as_str()]);
    eprintln!(
        "mariadb: sampled {ROWS} rows by key range steps in {:?}",
        started.elapsed()
    );
    check(&report, "key_range_steps");
    common::run_sql(&url, &[format!("DROP DATABASE {db}")]);
}

/// A small table is read whole from its first rows: no steps, no extra statements.
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[test]
fn mariadb_small_table_keeps_its_first_rows() {
    let Some(url) = service("MULU_TEST_MYSQL_URL") else {
        return;
    };
    let db = format!("mulu_spread_small_{}", std::process::id());
    common::run_sql(
        &url,
        &[
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db} CHARACTER SET utf8mb4"),
            format!("CREATE TABLE {db}.t (id int PRIMARY KEY, ext1 varchar(16))"),
            format!(
                "INSERT INTO {db}.t SELECT seq, CONCAT('139', LPAD(seq * 7919, 8, '0')) \
                 FROM seq_1_to_300"
            ),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut u = url::Url::parse(&url).unwrap();
    u.set_path(&format!("/{db}"));
    let report = scan(dir.path(), &[u.as_str()]);
    check(&report, "first_rows");
    assert_eq!(report["assets"][0]["sampled_rows"], 300);
    common::run_sql(&url, &[format!("DROP DATABASE {db}")]);
}

#[test]
fn parquet_late_values_are_found_across_row_groups() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("lake");
    std::fs::create_dir_all(&data).unwrap();
    let (groups, per_group) = (10u64, 5_000u64);
    let schema = Arc::new(arrow_schema::Schema::new(vec![
        arrow_schema::Field::new("id", arrow_schema::DataType::Int64, false),
        arrow_schema::Field::new("ext1", arrow_schema::DataType::Utf8, true),
    ]));
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(per_group as usize))
        .build();
    let file = std::fs::File::create(data.join("orders.parquet")).unwrap();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(file, schema.clone(), Some(props)).unwrap();
    for g in 0..groups {
        let ids: Vec<i64> = (g * per_group..(g + 1) * per_group)
            .map(|i| i as i64)
            .collect();
        let ext: Vec<String> = ids
            .iter()
            .map(|&i| {
                if g == groups - 1 {
                    format!("139{:08}", i * 7919 % 100_000_000)
                } else {
                    ["", " "][i as usize % 2].to_string()
                }
            })
            .collect();
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(ids)) as ArrayRef,
                Arc::new(StringArray::from(ext)) as ArrayRef,
            ],
        )
        .unwrap();
        writer.write(&batch).unwrap();
    }
    writer.close().unwrap();
    let report = scan(dir.path(), &[data.to_str().unwrap()]);
    check(&report, "row_group_spread");
    let detail = report["assets"][0]["sampling"]["detail"].as_str().unwrap();
    assert!(detail.contains("8 of 10 row groups"), "{detail}");
    assert_eq!(report["assets"][0]["sampled_rows"], 1000);
}
