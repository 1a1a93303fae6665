//! A column that is NULL in the first 90 % of a 1,000,000-row table is still found: the
//! sample's (nearly) all-NULL column is topped up with one bounded `WHERE col IS NOT NULL`
//! statement, and the report says so. Real PostgreSQL and MariaDB; synthetic values.

mod common;

use common::service;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

const ROWS: u64 = 1_000_000;

/// Scans table `include` of `url` (persons off) and returns the report and how long it took.
fn scan(dir: &Path, url: &str, include: &str) -> (Value, Duration) {
    let config = dir.join("mulu.toml");
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"db\"\nurl = \"{url}\"\ninclude = [\"{include}\"]\n"),
    )
    .unwrap();
    let json = dir.join("report.json");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args([
            "scan",
            "--quiet",
            "--no-state",
            "--persons",
            "off",
            "--config",
        ])
        .arg(&config)
        .arg("--json")
        .arg(&json)
        .env("MULU_STATE", dir.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 2),
        "{out:?}"
    );
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (report, took)
}

/// Column `late` of the one asset is a mobile-phone column by its values, and the
/// top-up is named in the asset's warnings.
fn check(report: &Value) {
    let asset = &report["assets"][0];
    let late = asset["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "late")
        .unwrap();
    let found = &late["categories"][0];
    assert_eq!(found["id"], "pi.mobile_phone", "{asset}");
    assert_eq!(found["by"], serde_json::json!(["value"]), "{asset}");
    assert!(found["sampled"].as_u64().unwrap() >= 100, "{asset}");
    let warnings = asset["warnings"].to_string();
    assert!(
        warnings.contains("WHERE col IS NOT NULL") && warnings.contains("late"),
        "{asset}"
    );
    assert_eq!(asset["sampled_rows"], 1000, "{asset}");
}

#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[test]
fn postgres_late_column_is_found_by_a_top_up() {
    let Some(url) = service("MULU_TEST_POSTGRES_URL") else {
        return;
    };
    let schema = format!("mulu_sparse_{}", std::process::id());
    common::run_sql(
        &url,
        &[
            format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            format!("CREATE SCHEMA {schema}"),
            format!("CREATE TABLE {schema}.orders (id bigint, amount int, late text)"),
            format!(
                "INSERT INTO {schema}.orders SELECT i, i % 977, \
                 CASE WHEN i > {ROWS} * 9 / 10 THEN '139' || lpad((i::bigint * 7919 % 100000000)::text, 8, '0') END \
                 FROM generate_series(1, {ROWS}) AS i"
            ),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let (report, took) = scan(dir.path(), &url, &format!("{schema}.*"));
    eprintln!("postgres: scanned {ROWS} rows with a top-up in {took:?}");
    check(&report);
    common::run_sql(&url, &[format!("DROP SCHEMA {schema} CASCADE")]);
}

#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[test]
fn mysql_late_column_is_found_by_a_top_up() {
    let Some(url) = service("MULU_TEST_MYSQL_URL") else {
        return;
    };
    let db = format!("mulu_sparse_{}", std::process::id());
    common::run_sql(
        &url,
        &[
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db}"),
            format!("CREATE TABLE {db}.orders (id bigint, amount int, late varchar(11))"),
            format!(
                "INSERT INTO {db}.orders SELECT seq, seq % 977, \
                 CASE WHEN seq > {ROWS} * 9 / 10 THEN CONCAT('139', LPAD(seq * 7919 % 100000000, 8, '0')) END \
                 FROM seq_1_to_{ROWS}"
            ),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut u = url::Url::parse(&url).unwrap();
    u.set_path(&format!("/{db}"));
    let (report, took) = scan(dir.path(), u.as_str(), &format!("{db}.*"));
    eprintln!("mysql: scanned {ROWS} rows with a top-up in {took:?}");
    check(&report);
    common::run_sql(&url, &[format!("DROP DATABASE {db}")]);
}
