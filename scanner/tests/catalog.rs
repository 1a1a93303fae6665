//! The filing catalogue end to end: scan sample-data, export xlsx/CSV/JSON, check.
//!
//! Golden files live in `tests/golden/`; `MULU_REGENERATE_GOLDEN=1 cargo test -p scanner
//! --test catalog` rewrites them after an intended change (review the diff).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Reader, Xlsx};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Runs mulu from the workspace root (so report paths are the relative `sample-data`).
fn mulu(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mulu"))
        .current_dir(workspace())
        .env("MULU_STATE", state)
        .env_remove("MULU_CONFIG")
        .args(args)
        .output()
        .expect("mulu runs")
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Scans sample-data into a fresh state and returns the state path.
fn scanned(dir: &Path) -> PathBuf {
    let state = dir.join("state.db");
    ok(&mulu(&state, &["scan", "sample-data", "--quiet"]));
    state
}

fn export(state: &Path, format: &str, out: &Path) {
    ok(&mulu(
        state,
        &[
            "catalog",
            "export",
            "--config",
            "sample-data/mulu.toml",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ],
    ));
}

/// Timestamps change every run; everything else must not.
/// RFC 3339 at seconds precision, in UTC (`2026-11-23T18:00:00Z`) or Beijing time
/// (`2026-11-24T02:00:00+08:00`), becomes `<time>`.
fn mask_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let is_time = i + 20 <= bytes.len()
            && bytes[i..i + 4].iter().all(u8::is_ascii_digit)
            && bytes[i + 4] == b'-'
            && bytes[i + 10] == b'T';
        let len = match (is_time, bytes.get(i + 19)) {
            (true, Some(b'Z')) => Some(20),
            (true, Some(b'+')) if bytes[i + 19..].starts_with(b"+08:00") => Some(25),
            _ => None,
        };
        if let Some(len) = len {
            out.push_str("<time>");
            i += len;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let actual = mask_times(actual);
    if std::env::var_os("MULU_REGENERATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with MULU_REGENERATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from the golden file; if intended, regenerate with MULU_REGENERATE_GOLDEN=1 and review the diff.\n--- actual ---\n{actual}"
    );
}

#[test]
fn json_and_csv_match_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let state = scanned(dir.path());
    let json = dir.path().join("catalog.json");
    let csv = dir.path().join("catalog.csv");
    export(&state, "json", &json);
    export(&state, "csv", &csv);
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        csv_text.starts_with('\u{feff}'),
        "CSV starts with a BOM for Excel"
    );
    // What sample-data holds besides data (its README, configs, the generator's sources) is
    // counted as not scanned; its sizes change with every edit there, so the golden file
    // leaves it out and the kinds are checked here.
    let mut exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let unscanned = exported
        .as_object_mut()
        .unwrap()
        .remove("unscanned")
        .unwrap();
    let kinds: Vec<&str> = unscanned
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&".md") && kinds.contains(&".toml"),
        "{kinds:?}"
    );
    golden(
        "catalog.json",
        &(serde_json::to_string_pretty(&exported).unwrap() + "\n"),
    );
    golden("catalog.csv", &csv_text);
}

#[test]
fn xlsx_opens_in_a_real_reader_with_chinese_sheets_and_cells() {
    let dir = tempfile::tempdir().unwrap();
    let state = scanned(dir.path());
    let path = dir.path().join("catalog.xlsx");
    export(&state, "xlsx", &path);
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "备案主体信息",
            "重要数据目录",
            "车联网数据",
            "数据资产台账",
            "数据载体明细",
            // sample-data holds a README and config files, which are counted, not read.
            "未扫描数据",
            "填写说明"
        ]
    );
    let header = book.worksheet_range("备案主体信息").unwrap();
    assert_eq!(header.get_value((1, 0)).unwrap().to_string(), "单位名称");
    assert_eq!(
        header.get_value((1, 1)).unwrap().to_string(),
        "示例智行汽车科技有限公司"
    );
    assert_eq!(
        header.get_value((3, 1)).unwrap().to_string(),
        "车联网/智能网联汽车、电信/互联网"
    );

    let items = book.worksheet_range("重要数据目录").unwrap();
    let headers: Vec<String> = (0..5)
        .map(|c| items.get_value((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        headers,
        vec!["目录编号", "数据名称", "数据描述", "数据类别", "数据级别"]
    );
    let names: Vec<String> = (1..items.height() as u32)
        .map(|r| items.get_value((r, 1)).unwrap().to_string())
        .collect();
    assert!(names.contains(&"车辆识别信息".to_string()), "{names:?}");
    // Retention was left out of the config on purpose: the cell says 待填写.
    let retention_col = (0..items.width() as u32)
        .find(|c| *items.get_value((0, *c)).unwrap() == "存储期限")
        .unwrap();
    assert_eq!(
        items.get_value((1, retention_col)).unwrap().to_string(),
        "待填写"
    );

    let inventory = book.worksheet_range("数据资产台账").unwrap();
    assert!(
        inventory.height() > items.height(),
        "the inventory holds non-important items too"
    );
    let carriers = book.worksheet_range("数据载体明细").unwrap();
    assert_eq!(carriers.get_value((0, 3)).unwrap().to_string(), "数据资产");
    assert!(
        carriers.height() > inventory.height(),
        "one row per carrier"
    );
}

/// A scan report of `n` parquet files of one lake, each holding VINs, persons counted.
fn lake_report(n: usize) -> model::ScanReport {
    use model::{ids, AssetKind, AssetReport, CategoryReport, ColumnReport, ColumnType, Status};
    let asset = |i: usize| AssetReport {
        source: "s3://lake/ods".into(),
        name: format!(
            "vehicle_status/dt=2026-11-{:02}/part-{i:05}.parquet",
            i % 28 + 1
        ),
        kind: AssetKind::File,
        row_count: Some(1000),
        bytes: Some(64 << 10),
        sampled_rows: 100,
        sampling: None,
        status: Status::Ok,
        error: None,
        warnings: vec![],
        partition_columns: vec![],
        snapshot: None,
        columns: vec![ColumnReport {
            name: "vin".into(),
            data_type: ColumnType::parse("Utf8"),
            categories: vec![CategoryReport {
                id: ids::VIN,
                confidence: 1.0,
                matched: 100,
                sampled: 100,
                by: vec!["value".into()],
                evidence: vec!["LSV**********0001".into()],
            }],
        }],
        categories: vec![],
        persons: Some(1),
        geofence_hits: vec![],
        media: None,
    };
    model::ScanReport {
        schema: model::SCAN_REPORT_SCHEMA.into(),
        started_at: model::now(),
        finished_at: model::now(),
        sources: vec![model::SourceReport {
            url: "s3://lake/ods".into(),
            status: Status::Ok,
            error: None,
            unscanned: vec![],
        }],
        assets: (0..n).map(asset).collect(),
        categories: Default::default(),
        persons: Some(model::PersonsReport {
            distinct: Some(40_000),
            lower: 40_000,
            upper: 40_000,
            method: model::CountMethod::Exact,
            mergeable: true,
            key_hash: None,
            key_id: None,
            by_identifier: Default::default(),
            thresholds: vec![],
            incomplete: vec![],
            exact_over_budget: false,
            by_item: Default::default(),
            free_text: None,
        }),
    }
}

#[test]
fn a_lake_of_50000_files_exports_to_xlsx_and_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("lake.json");
    model::report::write_json(&lake_report(50_000), &report).unwrap();
    // Every person-supplied field filled, so `check` has nothing to list.
    let config = dir.path().join("complete.toml");
    std::fs::write(
        &config,
        r#"
[organization]
name = "示例智行汽车科技有限公司"
uscc = "91310115MA1H7XY101"
sectors = ["车联网/智能网联汽车"]
filing_authority = "上海市通信管理局"
security_body = "数据安全管理委员会"
security_officer = { name = "示例负责人", title = "首席数据官", phone = "021-00000000", email = "dpo@example.com" }
contact = { name = "示例联系人", phone = "021-00000001", email = "privacy@example.com" }

[[catalog.rules]]
id = "lake-vehicle-data"
applies_to = ["vehicle-identifiers"]
when = "always"
level = "重要"
basis = "测试规则"

[[catalog.fields]]
match = { item = "*" }
data_source = "业务产生"
storage_location = "上海"
retention = "3年"
purposes = "车联网服务"
processing = "存储、使用"
usage_scope = "车联网平台部"
owner = "车联网平台部"
external_sharing = "无"
cross_border = "无"
protections = "访问控制、传输加密"
"#,
    )
    .unwrap();
    let state = dir.path().join("unused.db");
    let (report, config) = (report.to_str().unwrap(), config.to_str().unwrap());
    let xlsx = dir.path().join("lake.xlsx");
    ok(&mulu(
        &state,
        &[
            "catalog",
            "export",
            "--report",
            report,
            "--config",
            config,
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    ));
    let check = mulu(
        &state,
        &["catalog", "check", "--report", report, "--config", config],
    );
    ok(&check);

    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let items = book.worksheet_range("重要数据目录").unwrap();
    let col = (0..items.width() as u32)
        .find(|c| *items.get_value((0, *c)).unwrap() == "数据载体")
        .unwrap();
    let cell = items.get_value((1, col)).unwrap().to_string();
    assert!(cell.starts_with("共 50000 个数据载体"), "{cell}");
    assert!(cell.chars().count() <= 32_767);
    let carriers = book.worksheet_range("数据载体明细").unwrap();
    assert_eq!(carriers.height(), 50_001, "a header and one row per file");
    assert_eq!(
        carriers.get_value((50_000, 2)).unwrap().to_string(),
        "s3://lake/ods"
    );
}

#[test]
fn rescanning_unchanged_data_keeps_item_ids() {
    let dir = tempfile::tempdir().unwrap();
    let state = scanned(dir.path());
    let first = dir.path().join("first.json");
    export(&state, "json", &first);
    ok(&mulu(&state, &["scan", "sample-data", "--quiet"]));
    let second = dir.path().join("second.json");
    export(&state, "json", &second);
    let ids = |p: &Path| -> Vec<String> {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        v["inventory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| format!("{} {}", i["number"], i["item_id"].as_str().unwrap()))
            .collect()
    };
    assert!(!ids(&first).is_empty());
    assert_eq!(ids(&first), ids(&second));
}

#[test]
fn no_sample_value_appears_in_any_export() {
    let dir = tempfile::tempdir().unwrap();
    let state = scanned(dir.path());
    let mut exports = String::new();
    for format in ["json", "csv"] {
        let out = dir.path().join(format!("c.{format}"));
        export(&state, format, &out);
        exports.push_str(&std::fs::read_to_string(out).unwrap());
    }
    // xlsx is zipped; read its cells back.
    let xlsx = dir.path().join("c.xlsx");
    export(&state, "xlsx", &xlsx);
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    for name in book.sheet_names() {
        for cell in book.worksheet_range(&name).unwrap().used_cells() {
            exports.push_str(&cell.2.to_string());
            exports.push('\n');
        }
    }
    let csv = std::fs::read_to_string(workspace().join("sample-data/exports/vehicle_owners.csv"))
        .unwrap();
    let mut checked = 0;
    for line in csv.lines().skip(1) {
        for value in line.split(',').take(5) {
            assert!(
                !exports.contains(value),
                "sample value {value} leaked into an export"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 1500);
    assert!(
        !exports.contains("****"),
        "no masked evidence either: the catalogue has no content"
    );
}

#[test]
fn check_lists_missing_fields_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let state = scanned(dir.path());
    let out = mulu(
        &state,
        &["catalog", "check", "--config", "sample-data/mulu.toml"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("vehicle-identifiers: 存储期限 待填写"),
        "{text}"
    );
    assert!(
        !text.contains("organization:"),
        "the sample organisation is complete: {text}"
    );

    let full = dir.path().join("full.toml");
    let config = std::fs::read_to_string(workspace().join("sample-data/mulu.toml")).unwrap()
        + "\n[[catalog.fields]]\nmatch = { item = \"*\" }\nretention = \"3年\"\npurposes = \"服务\"\nprocessing = \"存储\"\nusage_scope = \"平台部\"\nowner = \"平台部\"\nexternal_sharing = \"无\"\ncross_border = \"无\"\n";
    std::fs::write(&full, config).unwrap();
    let out = mulu(
        &state,
        &["catalog", "check", "--config", full.to_str().unwrap()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn export_after_a_config_change_is_what_the_baseline_records() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    ok(&mulu(
        &state,
        &["scan", "--config", "sample-data/mulu.toml", "--quiet"],
    ));
    // The DPO corrects the company name after the scan.
    let original = std::fs::read_to_string(workspace().join("sample-data/mulu.toml")).unwrap();
    let edited = original.replace(
        "示例智行汽车科技有限公司",
        "示例智行汽车科技（上海）有限公司",
    );
    assert_ne!(edited, original);
    let config = dir.path().join("edited.toml");
    std::fs::write(&config, edited).unwrap();

    let name_in = |file: &Path| -> String {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        v["header"]["organization"]["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let export_with = |config: Option<&Path>, out: &Path| -> Output {
        let mut args = vec!["catalog", "export", "--format", "json", "--out"];
        args.push(out.to_str().unwrap());
        if let Some(c) = config {
            args.extend(["--config", c.to_str().unwrap()]);
        }
        mulu(&state, &args)
    };

    // Same config: the stored catalogue, no note.
    let same = dir.path().join("same.json");
    let out = export_with(Some(&workspace().join("sample-data/mulu.toml")), &same);
    ok(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("note:"));
    assert_eq!(name_in(&same), "示例智行汽车科技有限公司");

    // Changed config: rebuilt, said so, and stored with the scan.
    let edited_file = dir.path().join("edited.json");
    let out = export_with(Some(&config), &edited_file);
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rebuilt") && stderr.contains("baseline accept"),
        "{stderr}"
    );
    assert_eq!(name_in(&edited_file), "示例智行汽车科技（上海）有限公司");

    // Without --config the stored (rebuilt) catalogue is exported …
    let plain = dir.path().join("plain.json");
    ok(&export_with(None, &plain));
    assert_eq!(
        std::fs::read_to_string(&plain).unwrap(),
        std::fs::read_to_string(&edited_file).unwrap()
    );
    // … and the baseline records exactly the file that was exported.
    ok(&mulu(
        &state,
        &["baseline", "accept", "--filed-at", "2026-11-30"],
    ));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let baseline = rt.block_on(async {
        let s = scanner::state::State::open(&state).await.unwrap();
        s.current_baseline().await.unwrap().unwrap()
    });
    let exported: catalog_export::catalog::Catalog =
        serde_json::from_str(&std::fs::read_to_string(&edited_file).unwrap()).unwrap();
    assert_eq!(baseline.catalog, exported);
    let diff = mulu(&state, &["diff"]);
    assert_eq!(
        diff.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&diff.stdout)
    );
}

#[test]
fn export_without_any_scan_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = mulu(
        &dir.path().join("empty.db"),
        &[
            "catalog",
            "export",
            "--format",
            "json",
            "--out",
            dir.path().join("x.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run `mulu scan` first"));
}

#[test]
fn coordinates_inside_a_sensitive_area_make_location_data_important() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let config = dir.path().join("fence.toml");
    // The sample tracks circle central Shanghai; one fence covers them, one is far away.
    std::fs::write(
        &config,
        "[organization]\nsectors = [\"车联网\"]\n\n[[catalog.geofences]]\nname = \"示例敏感区域\"\nbbox = [121.0, 30.8, 121.8, 31.6]\n\n[[catalog.geofences]]\nname = \"far\"\nbbox = [100.0, 20.0, 100.1, 20.1]\n",
    )
    .unwrap();
    let report = dir.path().join("r.json");
    ok(&mulu(
        &state,
        &[
            "scan",
            "sample-data",
            "--quiet",
            "--config",
            config.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
        ],
    ));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let tracks = r["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "lake/vehicle_tracks")
        .unwrap();
    assert_eq!(tracks["geofence_hits"], serde_json::json!(["示例敏感区域"]));
    let out = dir.path().join("c.json");
    ok(&mulu(
        &state,
        &[
            "catalog",
            "export",
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for id in ["location", "vehicle-trajectory"] {
        let item = c["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_id"] == id);
        let item = item.unwrap_or_else(|| panic!("{id} is not in the filing"));
        assert_eq!(item["level"], "重要");
        assert!(item["basis"][0]
            .as_str()
            .unwrap()
            .contains("第三条第（一）项"));
    }
}
