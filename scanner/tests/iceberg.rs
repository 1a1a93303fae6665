//! Apache Iceberg tables end to end, through the real `mulu` binary, in a local folder and in
//! a bucket on the S3 test server: the table pyiceberg wrote (`scripts/make-iceberg-fixture.py`:
//! appends, a copy-on-write delete, expired snapshots, one orphaned data file) is one dataset
//! whose row count and bytes are its current snapshot's, with the snapshot id in the report;
//! the orphan and the metadata are counted as not scanned; the PI in it is found, masked.
//! A table whose metadata is broken is that asset's error, and the scan ends partial (exit 3).

#[cfg(feature = "cloud")]
#[path = "../../connectors/tests/common/s3_server.rs"]
mod s3_server;

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../connectors/tests/data/iceberg")
}

fn facts() -> Value {
    serde_json::from_slice(&std::fs::read(fixture().join("facts.json")).unwrap()).unwrap()
}

fn size_of(files: &Value) -> u64 {
    let table = fixture().join("orders");
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

/// The warehouse every test scans: the table, and a CSV beside it.
fn write_warehouse(root: &Path) {
    common::copy_dir(&fixture().join("orders"), &root.join("wh/db/orders"));
    std::fs::write(root.join("readme.csv"), "note,owner\nsynthetic,mulu\n").unwrap();
}

fn column_categories<'a>(asset: &'a Value, column: &str) -> Vec<&'a str> {
    asset["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == column)
        .unwrap_or_else(|| panic!("no column {column} in {asset}"))["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect()
}

/// What a scan of the warehouse must show, wherever it is stored.
fn check_report(text: &str) {
    let report: Value = serde_json::from_str(text).unwrap();
    let facts = facts();
    let table = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "wh/db/orders")
        .unwrap_or_else(|| panic!("no table asset in {report}"));
    assert_eq!(table["status"], "ok", "{table}");
    assert_eq!(table["kind"], "dataset");
    assert_eq!(
        table["snapshot"],
        format!("iceberg snapshot {}", facts["current_snapshot_id"])
    );
    assert_eq!(table["row_count"], 80, "the current snapshot's rows");
    assert_eq!(table["bytes"], size_of(&facts["data_files"]));
    assert_eq!(table["sampled_rows"], 80);
    assert_eq!(column_categories(table, "sfzh"), ["pi.cn_resident_id"]);
    assert_eq!(column_categories(table, "shouji"), ["pi.mobile_phone"]);
    // Nothing of the table is an asset of its own: not its metadata, not the orphan.
    let names: Vec<&str> = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["readme.csv", "wh/db/orders"]);
    let unscanned: Vec<(&str, &str, u64, u64)> = report["sources"][0]["unscanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["reason"].as_str().unwrap(),
                u["kind"].as_str().unwrap(),
                u["count"].as_u64().unwrap(),
                u["bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    let orphan = size_of(&facts["orphan_files"]);
    assert!(
        unscanned.contains(&("not_in_snapshot", ".parquet", 1, orphan)),
        "{unscanned:?}"
    );
    assert!(
        unscanned
            .iter()
            .any(|u| u.0 == "bookkeeping" && u.1 == "metadata"),
        "{unscanned:?}"
    );
    // Evidence is masked: no synthetic ID of the table appears whole.
    for n in [10_u32, 45, 89] {
        assert!(
            !text.contains(&common::id_number(n)),
            "a raw ID in the report"
        );
    }
}

/// Scans the folder `root` with the real binary (state in `dir`), expecting exit `code`;
/// returns the JSON report.
fn scan_folder(dir: &Path, root: &Path, code: i32) -> String {
    let report = dir.join("report.json");
    let out = common::mulu(
        dir,
        &[
            "scan",
            root.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&report).unwrap()
}

#[test]
fn a_local_iceberg_table_is_its_current_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lake");
    write_warehouse(&root);
    check_report(&scan_folder(dir.path(), &root, 0));
}

#[test]
fn broken_iceberg_metadata_is_the_tables_error_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lake");
    write_warehouse(&root);
    // A second table whose manifests are gone.
    let broken = root.join("wh/db/broken");
    common::copy_dir(&fixture().join("orders"), &broken);
    for entry in std::fs::read_dir(broken.join("metadata")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with("-m0.avro") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let text = scan_folder(dir.path(), &root, 3);
    let report: Value = serde_json::from_str(&text).unwrap();
    let asset = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "wh/db/broken")
        .unwrap();
    assert_eq!(asset["status"], "error", "{asset}");
    let why = asset["error"].as_str().unwrap();
    assert!(why.contains("Iceberg metadata cannot be read"), "{why}");
    assert!(why.contains("-m0.avro: not found"), "{why}");
    // The good table and the CSV are scanned as ever.
    let ok = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "ok")
        .count();
    assert_eq!(ok, 2, "{text}");
}

#[cfg(feature = "cloud")]
#[test]
fn an_iceberg_table_in_a_bucket_is_its_current_snapshot() {
    use s3_server::{S3Server, ACCESS_KEY, SECRET_KEY};

    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(&dir.path().join("s3"));
    write_warehouse(&server.bucket("lake"));
    let config = dir.path().join("mulu.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nurl = \"s3://lake\"\nendpoint = \"{}\"\npath_style = true\n\
             allow_http = true\naccess_key_id = \"{ACCESS_KEY}\"\n\
             secret_access_key_env = \"MULU_TEST_S3_SECRET\"\n",
            server.endpoint
        ),
    )
    .unwrap();
    let report = dir.path().join("report.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["scan", "--config", config.to_str().unwrap(), "--json"])
        .arg(&report)
        .arg("--quiet")
        .env("MULU_STATE", dir.path().join("state.db"))
        .env("MULU_TEST_S3_SECRET", SECRET_KEY)
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_report(&std::fs::read_to_string(&report).unwrap());
}
