//! Nothing a folder holds is skipped silently: what the scan does not read is counted by
//! reason and kind in the report and named in the summary.

mod common;

use common::mulu;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// Scans `data` without state and returns the exit and the JSON report.
fn scan_json(dir: &Path, data: &Path) -> (Output, Value) {
    let json = dir.join("report.json");
    let out = mulu(
        dir,
        &[
            "scan",
            data.to_str().unwrap(),
            "--quiet",
            "--no-state",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (out, report)
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn files_not_read_are_counted_by_reason_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    write(
        &data,
        "exports/customers.csv",
        b"mobile\n13800138000\n13912345678\n",
    );
    write(
        &data,
        "backups/2026-11-01/a.zip",
        &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0],
    );
    write(&data, "backups/2026-11-02/b.ZIP", &[0xFF, 0xD8, 0xFF, 0xE0]);
    write(&data, "firmware/c.bin", b"\x7fELF-1.7\n");
    write(&data, "lake/t/_SUCCESS", b"");
    write(&data, "lake/t/part-00000.parquet.crc", b"x");
    write(&data, ".git/HEAD", b"ref: refs/heads/main\n");

    let (out, report) = scan_json(dir.path(), &data);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows: Vec<(String, String, u64, u64)> = report["sources"][0]["unscanned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["reason"].as_str().unwrap().to_string(),
                u["kind"].as_str().unwrap().to_string(),
                u["count"].as_u64().unwrap(),
                u["bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("unsupported_type", ".zip", 2, 10),
        ("unsupported_type", ".bin", 1, 9),
        ("bookkeeping", ".git", 1, 21),
        ("bookkeeping", "_SUCCESS", 1, 0),
    ]
    .map(|(r, k, c, b)| (r.to_string(), k.to_string(), c, b));
    // The CRC file sits in a part-file folder but is no data file of it: unsupported too.
    let crc = ("unsupported_type".to_string(), ".crc".to_string(), 1, 1);
    let mut want: Vec<_> = expected.to_vec();
    want.insert(2, crc);
    assert_eq!(rows, want);
    assert_eq!(report["assets"].as_array().unwrap().len(), 1);

    // The summary names it too.
    let out = mulu(dir.path(), &["scan", data.to_str().unwrap(), "--no-state"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Not scanned: 6 files (41 B): unsupported type 4 (.zip 2, .bin 1, .crc 1)"),
        "{stdout}"
    );
}

#[test]
fn json_exports_are_read_whatever_their_shape() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let phones = ["13800138000", "13912345678", "13700001111", "15011112222"];
    let objects: Vec<String> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| format!(r#"{{"id": {i}, "shouji": "{p}", "city": "北京"}}"#))
        .collect();
    // A pretty-printed array, a minified API dump, and objects one per line in a `.json`.
    write(
        &data,
        "exports/members.json",
        format!("[\n  {}\n]\n", objects.join(",\n  ")).as_bytes(),
    );
    write(
        &data,
        "api/users.json",
        format!(
            r#"{{"code":0,"msg":"ok","data":{{"total":4,"list":[{}]}}}}"#,
            objects.join(",")
        )
        .as_bytes(),
    );
    write(&data, "logs/events.json", objects.join("\n").as_bytes());
    write(
        &data,
        "broken/cut.json",
        br#"[{"shouji": "13800138000"}, {"shouji": "#,
    );

    let (out, report) = scan_json(dir.path(), &data);
    let asset = |name: &str| {
        report["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not in the report: {report}"))
            .clone()
    };
    for name in ["exports/members.json", "api/users.json", "logs/events.json"] {
        let a = asset(name);
        assert_eq!(a["status"], "ok", "{a}");
        assert_eq!(a["row_count"], 4, "{a}");
        let shouji = a["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "shouji")
            .unwrap();
        assert_eq!(shouji["categories"][0]["id"], "pi.mobile_phone", "{a}");
    }
    assert!(asset("api/users.json")["warnings"][0]
        .as_str()
        .unwrap()
        .contains("`data.list`"));
    // A truncated file is a named error, never absent.
    let cut = asset("broken/cut.json");
    assert_eq!(cut["status"], "error");
    assert!(cut["error"].as_str().unwrap().contains("record 2"), "{cut}");
    assert_eq!(out.status.code(), Some(3));
    // The same four persons in every file.
    assert_eq!(report["persons"]["distinct"], 4, "{}", report["persons"]);
}

#[test]
fn each_sheet_of_a_workbook_is_an_asset_with_its_header_found_under_a_title() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("hr")).unwrap();
    let mut book = Workbook::new();
    let roster = book.add_worksheet().set_name("花名册").unwrap();
    // A merged title row and a note row above the header, as HR exports have.
    roster
        .merge_range(0, 0, 0, 3, "2026年11月员工花名册", &Format::new())
        .unwrap();
    roster.write_string(1, 0, "制表：人事部").unwrap();
    for (c, h) in ["姓名", "手机号", "部门", "入职日期"].iter().enumerate() {
        roster.write_string(2, c as u16, *h).unwrap();
    }
    let phones = [13800138000.0, 13912345678.0, 13700001111.0, 15011112222.0];
    for (r, phone) in phones.iter().enumerate() {
        let row = 3 + r as u32;
        roster.write_string(row, 0, "某员工").unwrap();
        // Phone numbers stored as numbers, as spreadsheets often do.
        roster.write_number(row, 1, *phone).unwrap();
        roster.write_string(row, 2, "销售部").unwrap();
        roster.write_string(row, 3, "2026-01-05").unwrap();
    }
    let notes = book.add_worksheet().set_name("说明").unwrap();
    notes.write_string(0, 0, "本表仅供内部使用").unwrap();
    book.save(data.join("hr/roster.xlsx")).unwrap();

    let (out, report) = scan_json(dir.path(), &data);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let names: Vec<&str> = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["hr/roster.xlsx#花名册", "hr/roster.xlsx#说明"]);
    let sheet = &report["assets"][0];
    assert_eq!(sheet["row_count"], 4);
    let columns: Vec<&str> = sheet["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["姓名", "手机号", "部门", "入职日期"]);
    assert_eq!(
        sheet["columns"][1]["categories"][0]["id"], "pi.mobile_phone",
        "{sheet}"
    );
    assert!(sheet["warnings"][0].as_str().unwrap().contains("row 3"));
    // The file's size is counted once across its sheets.
    let size = std::fs::metadata(data.join("hr/roster.xlsx"))
        .unwrap()
        .len();
    let total: u64 = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(total, size);
    assert_eq!(report["persons"]["distinct"], 4, "{report}");
}

#[test]
fn tsv_delimited_txt_and_prose_logs_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    write(
        &data,
        "exports/members.tsv",
        "会员号\t手机\n1\t13800138000\n2\t13912345678\n3\t13700001111\n".as_bytes(),
    );
    write(
        &data,
        "exports/orders.txt",
        "order_id|shouji|amount\n9001|13800138000|12.5\n9002|15011112222|8\n".as_bytes(),
    );
    write(
        &data,
        "logs/service.log",
        "2026-11-02 09:12 客户来电，回拨号码 13912345678，要求修改收货地址\n\
         2026-11-02 09:40 已处理\n\
         2026-11-03 14:05 用户反馈：联系电话 13700001111 无法接通\n"
            .as_bytes(),
    );
    let (out, report) = scan_json(dir.path(), &data);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let asset = |name: &str| {
        report["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not in the report: {report}"))
            .clone()
    };
    let categories = |a: &Value, column: &str| -> Vec<String> {
        a["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == column)
            .unwrap_or_else(|| panic!("no column {column}: {a}"))["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let tsv = asset("exports/members.tsv");
    assert_eq!(tsv["row_count"], 3);
    assert_eq!(categories(&tsv, "手机"), ["pi.mobile_phone"]);
    let txt = asset("exports/orders.txt");
    assert_eq!(txt["row_count"], 2);
    assert_eq!(categories(&txt, "shouji"), ["pi.mobile_phone"]);
    let log = asset("logs/service.log");
    assert_eq!(log["row_count"], 3);
    assert!(
        categories(&log, "text").contains(&"pi.mobile_phone".to_string()),
        "{log}"
    );
    assert!(report["sources"][0].get("unscanned").is_none(), "{report}");
}
