//! End-to-end over S3: the real `mulu` binary, configured with an `s3://` source, scans a
//! bucket on a real S3 server (`s3s-fs` on 127.0.0.1) holding copies of `sample-data/lake`
//! and `sample-data/exports`, and classifies them as it does the local folders.

#![cfg(feature = "cloud")]

#[path = "../../connectors/tests/common/s3_server.rs"]
mod s3_server;

mod common;

use std::path::Path;
use std::process::Command;

use s3_server::{S3Server, ACCESS_KEY, SECRET_KEY};
use serde_json::Value;

fn categories(report: &Value, asset: &str, column: &str) -> Vec<String> {
    let asset = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == asset)
        .unwrap_or_else(|| panic!("asset {asset} missing from the report: {report}"));
    assert_eq!(asset["source"], "s3://mulu-sample", "{asset}");
    assert_eq!(asset["status"], "ok", "{asset}");
    asset["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == column)
        .unwrap_or_else(|| panic!("column {column} missing from {}", asset["name"]))["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn mulu_scans_an_s3_bucket_from_its_config() {
    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(&dir.path().join("s3"));
    let sample_data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let bucket = server.bucket("mulu-sample");
    common::copy_dir(&sample_data.join("lake"), &bucket.join("lake"));
    common::copy_dir(&sample_data.join("exports"), &bucket.join("exports"));

    let config = dir.path().join("mulu.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\n\
             name = \"sample bucket\"\n\
             url = \"s3://mulu-sample\"\n\
             endpoint = \"{}\"\n\
             path_style = true\n\
             allow_http = true\n\
             access_key_id = \"{ACCESS_KEY}\"\n\
             secret_access_key_env = \"MULU_TEST_S3_SECRET\"\n",
            server.endpoint
        ),
    )
    .unwrap();
    let report_path = dir.path().join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["scan", "--config"])
        .arg(&config)
        .arg("--json")
        .arg(&report_path)
        .arg("--quiet")
        .env("MULU_STATE", dir.path().join("state.db"))
        .env("MULU_TEST_S3_SECRET", SECRET_KEY)
        .env_remove("MULU_CONFIG")
        .output()
        .expect("the mulu binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stderr.contains(SECRET_KEY) && !stdout.contains(SECRET_KEY),
        "the secret leaked"
    );
    let text = std::fs::read_to_string(&report_path)
        .unwrap_or_else(|e| panic!("no report ({e}); stdout: {stdout}\nstderr: {stderr}"));
    let report: Value = serde_json::from_str(&text).unwrap();

    assert!(
        categories(&report, "lake/vehicle_tracks", "vin").contains(&"vehicle.vin".to_string()),
        "{text}"
    );
    assert!(
        categories(&report, "exports/vehicle_owners.csv", "id_number")
            .contains(&"pi.cn_resident_id".to_string()),
        "{text}"
    );
    // The GBK export is decoded over S3 as it is from disk.
    assert!(
        categories(&report, "exports/service_records_gbk.csv", "身份证号")
            .contains(&"pi.cn_resident_id".to_string()),
        "{text}"
    );
    // Every object read was served by the S3 server.
    assert!(server.requests().iter().any(|r| r.range.is_some()));
}
