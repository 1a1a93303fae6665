//! End-to-end: the real `mulu` binary over `sample-data`, checked column by column.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data")
}

fn mulu(args: &[&str]) -> Output {
    // Never touch the user's own state from a test; one state per call, so parallel tests
    // never share one.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let state = std::env::temp_dir().join(format!("mulu-test-state-{}-{call}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .env("MULU_STATE", state.join("state.db"))
        .output()
        .expect("the mulu binary runs")
}

fn scan_to_json(source: &Path, dir: &Path) -> (Output, Value) {
    let report = dir.join("report.json");
    let out = mulu(&[
        "scan",
        source.to_str().unwrap(),
        "--json",
        report.to_str().unwrap(),
        "--quiet",
    ]);
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| {
        panic!(
            "no report ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out,
        serde_json::from_str(&text).expect("the report is JSON"),
    )
}

fn asset<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("asset {name} missing from the report"))
}

fn categories(asset: &Value, column: &str) -> Vec<String> {
    let col = asset["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == column)
        .unwrap_or_else(|| panic!("column {column} missing from {}", asset["name"]));
    col["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// (asset, column, expected category or None for a negative column).
const EXPECTED: &[(&str, &str, Option<&str>)] = &[
    ("customers", "id", None),
    ("customers", "xm", Some("pi.name")),
    ("customers", "sfzh", Some("pi.cn_resident_id")),
    ("customers", "shouji", Some("pi.mobile_phone")),
    ("customers", "email", Some("pi.email")),
    ("customers", "city", None),
    ("customers", "created_at", None),
    ("orders", "order_no", None),
    ("orders", "customer_phone", Some("pi.mobile_phone")),
    ("orders", "sku", None),
    ("orders", "amount", None),
    ("orders", "created_ms", None),
    ("orders", "merchant", None),
    ("payment_cards", "holder", Some("pi.name")),
    ("payment_cards", "card_no", Some("pi.bank_card")),
    ("payment_cards", "bank_name", None),
    ("payment_cards", "opened_on", None),
    ("misleading", "phone", None),
    ("misleading", "c3", Some("pi.cn_resident_id")),
    ("misleading", "remark", None),
    ("misleading", "code11", None),
    ("lake/vehicle_tracks", "vin", Some("vehicle.vin")),
    (
        "lake/vehicle_tracks",
        "plate_no",
        Some("vehicle.license_plate"),
    ),
    ("lake/vehicle_tracks", "lng", Some("geo.coordinate")),
    ("lake/vehicle_tracks", "lat", Some("geo.coordinate")),
    ("lake/vehicle_tracks", "speed_kmh", None),
    ("lake/vehicle_tracks", "ts", None),
    ("lake/part_catalog.parquet", "part_code", None),
    ("lake/part_catalog.parquet", "part_name", None),
    ("lake/part_catalog.parquet", "supplier", None),
    ("lake/part_catalog.parquet", "unit_price", None),
    ("exports/vehicle_owners.csv", "owner_name", Some("pi.name")),
    (
        "exports/vehicle_owners.csv",
        "id_number",
        Some("pi.cn_resident_id"),
    ),
    (
        "exports/vehicle_owners.csv",
        "mobile",
        Some("pi.mobile_phone"),
    ),
    ("exports/vehicle_owners.csv", "vin", Some("vehicle.vin")),
    (
        "exports/vehicle_owners.csv",
        "plate",
        Some("vehicle.license_plate"),
    ),
    ("exports/vehicle_owners.csv", "purchase_date", None),
    (
        "exports/service_records_gbk.csv",
        "客户姓名",
        Some("pi.name"),
    ),
    (
        "exports/service_records_gbk.csv",
        "身份证号",
        Some("pi.cn_resident_id"),
    ),
    (
        "exports/service_records_gbk.csv",
        "联系电话",
        Some("pi.mobile_phone"),
    ),
    (
        "exports/service_records_gbk.csv",
        "车牌号",
        Some("vehicle.license_plate"),
    ),
    ("exports/service_records_gbk.csv", "维修项目", None),
    ("exports/service_records_gbk.csv", "金额", None),
    ("exports/app_events.jsonl", "event_id", None),
    ("exports/app_events.jsonl", "user_email", Some("pi.email")),
    ("exports/app_events.jsonl", "device_model", None),
    ("exports/app_events.jsonl", "event", None),
    ("exports/app_events.jsonl", "ts", None),
    ("exports/app_events.jsonl", "amount", None),
];

#[test]
fn every_sample_column_gets_exactly_its_expected_category() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = scan_to_json(&sample_data(), dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report["schema"], "mulu.scan-report/v1");
    let mut wrong = Vec::new();
    for (asset_name, column, expected) in EXPECTED {
        let got = categories(asset(&report, asset_name), column);
        let want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        if got != want {
            wrong.push(format!(
                "{asset_name}.{column}: expected {want:?}, got {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "misclassified columns:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn assets_carry_kind_size_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (_, report) = scan_to_json(&sample_data(), dir.path());
    let tracks = asset(&report, "lake/vehicle_tracks");
    assert_eq!(tracks["kind"], "dataset");
    assert_eq!(tracks["row_count"], 2400, "three partitions of 800 rows");
    assert_eq!(tracks["partition_columns"], serde_json::json!(["dt"]));
    assert!(tracks["bytes"].as_u64().unwrap() > 0);
    let customers = asset(&report, "customers");
    assert_eq!(customers["kind"], "table");
    assert_eq!(customers["row_count"], 400);
    assert_eq!(customers["sampled_rows"], 400);
    let orders = asset(&report, "orders");
    assert_eq!(orders["row_count"], 1200);
    assert_eq!(
        orders["sampled_rows"], 1000,
        "the default sample is 1000 rows"
    );
    let gbk = asset(&report, "exports/service_records_gbk.csv");
    assert_eq!(gbk["row_count"], 200);
    assert!(gbk["warnings"][0].as_str().unwrap().contains("GB18030"));
    let id = &asset(&report, "customers")["columns"][2]["categories"][0];
    assert_eq!(id["id"], "pi.cn_resident_id");
    assert!(id["confidence"].as_f64().unwrap() >= 0.9);
    assert!(id["by"].as_array().unwrap().contains(&"value".into()));
    assert!(id["evidence"].as_array().unwrap().len() <= 3);
}

#[test]
fn the_report_holds_no_raw_identifier() {
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("report.json");
    mulu(&[
        "scan",
        sample_data().to_str().unwrap(),
        "--json",
        report_path.to_str().unwrap(),
        "--quiet",
    ]);
    let report = std::fs::read_to_string(&report_path).unwrap();
    let csv = std::fs::read_to_string(sample_data().join("exports/vehicle_owners.csv")).unwrap();
    let mut checked = 0;
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').map(|f| f.trim_matches('"')).collect();
        // owner_name, id_number, mobile, vin, plate
        for value in &fields[1..5] {
            assert!(
                !report.contains(value),
                "raw identifier {value} leaked into the report"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 300 * 4);
}

#[test]
fn human_summary_lists_findings() {
    let out = mulu(&["scan", sample_data().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("crm.db customers"), "{text}");
    assert!(text.contains("pi.cn_resident_id"));
    assert!(text.contains("vehicle.license_plate"));
    assert!(text.contains("sources scanned (none failed)"), "{text}");
}

#[test]
fn bad_files_fail_alone_and_the_exit_code_says_partial() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lake");
    std::fs::create_dir_all(root.join("ok")).unwrap();
    std::fs::copy(
        sample_data().join("exports/vehicle_owners.csv"),
        root.join("ok/owners.csv"),
    )
    .unwrap();
    // Parquet magic at both ends but garbage in between: a corrupt footer.
    std::fs::write(
        root.join("broken.parquet"),
        b"PAR1 not really parquet at all PAR1",
    )
    .unwrap();
    std::fs::write(root.join("ragged.csv"), "a,b,c\n1,2,3\n4,5\n6,7,8\n").unwrap();
    let out_dir = dir.path().join("out");
    let (out, report) = scan_to_json(&root, &out_dir);
    assert_eq!(out.status.code(), Some(3), "partial scans exit with 3");

    let broken = asset(&report, "broken.parquet");
    assert_eq!(broken["status"], "error");
    let msg = broken["error"].as_str().unwrap();
    assert!(
        msg.contains("broken.parquet") && msg.contains("parquet"),
        "{msg}"
    );

    let ragged = asset(&report, "ragged.csv");
    assert_eq!(ragged["status"], "error");
    let msg = ragged["error"].as_str().unwrap();
    assert!(msg.contains("ragged.csv") && msg.contains("CSV"), "{msg}");

    let ok = asset(&report, "ok/owners.csv");
    assert_eq!(ok["status"], "ok");
    assert_eq!(categories(ok, "id_number"), vec!["pi.cn_resident_id"]);

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.parquet") && stderr.contains("ragged.csv"),
        "{stderr}"
    );
}

#[test]
fn missing_source_is_partial_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = scan_to_json(Path::new("does/not/exist"), dir.path());
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(report["sources"][0]["status"], "error");
    assert!(report["sources"][0]["error"]
        .as_str()
        .unwrap()
        .contains("does/not/exist"));
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    let out = mulu(&["scan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no SOURCE given"));
    let out = mulu(&["scan", "--sample-rows", "0", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let help = mulu(&["scan", "--help"]);
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(
        text.contains("Exit codes:") && text.contains("3  the scan completed, but"),
        "{text}"
    );
}

#[test]
fn credentials_in_source_urls_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = scan_to_json(
        Path::new("postgres://scanner:s3cret-pw@127.0.0.1:1/crm"),
        dir.path(),
    );
    let all = format!(
        "{}{}{}",
        report,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("s3cret-pw"), "{all}");
    assert_eq!(report["sources"][0]["status"], "error");
}

#[test]
fn a_single_file_source_scans_that_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_data().join("lake/part_catalog.parquet");
    let (out, report) = scan_to_json(&file, dir.path());
    assert_eq!(out.status.code(), Some(0));
    let names: Vec<&str> = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["part_catalog.parquet"]);
}
