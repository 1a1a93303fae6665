//! `mulu classifiers` and custom classifiers in a scan, through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data/classifiers/acme.toml")
}

fn mulu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap()
}

/// A member card number with a valid Luhn check over its 12 digits.
fn member_card(n: u64) -> String {
    let body = format!("{:011}", 20_240_000_000 + n);
    let digits = (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|c| classifiers::validate::luhn_valid(c))
        .unwrap();
    format!("VIP{digits}")
}

#[test]
fn list_shows_builtins_table_rules_and_custom_files() {
    let out = mulu(&[
        "classifiers",
        "list",
        "--classifiers",
        acme().to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "pi.cn_resident_id",
        "vehicle.license_plate",
        "vehicle.trajectory",
        "acme.member_card",
    ] {
        assert!(text.contains(id), "{id} missing:\n{text}");
    }
    assert!(
        text.contains("acme.toml"),
        "custom classifiers name their file"
    );
    assert!(text.contains("built-in (table rule)"));
}

#[test]
fn explain_prints_the_four_headings() {
    for id in ["pi.cn_resident_id", "vehicle.trajectory"] {
        let out = mulu(&["classifiers", "explain", id]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for heading in [
            "## What it detects",
            "## Why it matters",
            "## Examples",
            "## Known false positives",
        ] {
            assert!(text.contains(heading), "{id}: {heading} missing");
        }
    }
    let out = mulu(&["classifiers", "explain", "no.such"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn test_reports_per_value_and_exits_1_when_nothing_matches() {
    let out = mulu(&[
        "classifiers",
        "test",
        "pi.mobile_phone",
        "+86 138-0013-8000",
        "10012345678",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 of 2 values match"), "{text}");
    assert!(
        !text.contains("138-0013-8000"),
        "values are echoed masked: {text}"
    );
    let out = mulu(&["classifiers", "test", "vehicle.vin", "1M8GDM9A1KP042788"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a wrong check digit does not match"
    );

    let dir = tempfile::tempdir().unwrap();
    let column = dir.path().join("values.txt");
    std::fs::write(
        &column,
        format!("{}\n{}\nVIP000000000000X\n", member_card(1), member_card(2)),
    )
    .unwrap();
    let out = mulu(&[
        "classifiers",
        "test",
        "acme.member_card",
        "--file",
        column.to_str().unwrap(),
        "--classifiers",
        acme().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("2 of 3 values match"));
}

#[test]
fn a_scan_finds_custom_categories_and_bad_files_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut csv = String::from("c1,model\n");
    for n in 0..50 {
        csv.push_str(&format!(
            "{},ZX-0{}\n",
            member_card(n),
            if n % 2 == 0 { "1" } else { "2" }
        ));
    }
    std::fs::write(data.join("members.csv"), csv).unwrap();
    let report = dir.path().join("r.json");
    let out = mulu(&[
        "scan",
        data.to_str().unwrap(),
        "--no-state",
        "--classifiers",
        acme().to_str().unwrap(),
        "--json",
        report.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let cols = &r["assets"][0]["columns"];
    assert_eq!(cols[0]["categories"][0]["id"], "acme.member_card");
    assert_eq!(cols[1]["categories"][0]["id"], "acme.vehicle_model");
    assert_eq!(r["categories"]["acme.member_card"]["name_zh"], "会员卡号");

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[classifier]]\nid = \"acme.x\"\nname_zh = \"x\"\nname_en = \"x\"\npi = true\nregex = \"(\"\n").unwrap();
    let out = mulu(&[
        "scan",
        data.to_str().unwrap(),
        "--no-state",
        "--classifiers",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("acme.x") && err.contains("line"),
        "{err}"
    );
}
