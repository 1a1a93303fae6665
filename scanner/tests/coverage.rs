//! Nothing a folder holds is skipped silently: what the scan does not read is counted by
//! reason and kind in the report and named in the summary.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn mulu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .env("MULU_STATE", dir.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap()
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
        "cams/front/2026-11-01/a.jpg",
        &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0],
    );
    write(
        &data,
        "cams/front/2026-11-02/b.JPG",
        &[0xFF, 0xD8, 0xFF, 0xE0],
    );
    write(&data, "contracts/c.pdf", b"%PDF-1.7\n");
    write(&data, "lake/t/_SUCCESS", b"");
    write(&data, "lake/t/part-00000.parquet.crc", b"x");
    write(&data, ".git/HEAD", b"ref: refs/heads/main\n");

    let json = dir.path().join("report.json");
    let out = mulu(
        dir.path(),
        &[
            "scan",
            data.to_str().unwrap(),
            "--quiet",
            "--no-state",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
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
        ("unsupported_type", ".jpg", 2, 10),
        ("unsupported_type", ".pdf", 1, 9),
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
        stdout.contains("Not scanned: 6 files (41 B): unsupported type 4 (.jpg 2, .pdf 1, .crc 1)"),
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

    let json = dir.path().join("report.json");
    let out = mulu(
        dir.path(),
        &[
            "scan",
            data.to_str().unwrap(),
            "--quiet",
            "--no-state",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
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
