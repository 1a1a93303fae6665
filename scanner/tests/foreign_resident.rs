//! Foreign permanent-resident IDs (外国人永久居留身份证, 9-prefixed, GB 11643 check) are
//! reported as resident IDs and counted as persons, through the real binary. All values
//! are synthetic, with computed check characters.

use std::process::Command;

use serde_json::Value;

/// `9`, accepting province 31, nationality code 156, a birth date, sequence, check.
fn permanent_resident_id(n: u32) -> String {
    let body = format!(
        "931156{}{:02}{:02}{:03}",
        1960 + n % 40,
        1 + n % 12,
        1 + n % 28,
        n % 1000
    );
    let check = classifiers::validate::mod11_2_check_char(body.as_bytes()).unwrap();
    format!("{body}{}", check as char)
}

#[test]
fn permanent_resident_ids_are_counted_as_persons() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut csv = String::from("zjhm,remark\n");
    for n in 0..60 {
        // Each person twice, once with a space inside the number.
        let id = permanent_resident_id(n);
        csv.push_str(&format!("{id},a\n{} {},b\n", &id[..6], &id[6..]));
    }
    std::fs::write(data.join("foreign_residents.csv"), csv).unwrap();
    let report_path = dir.path().join("r.json");
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args([
            "scan",
            data.to_str().unwrap(),
            "--json",
            report_path.to_str().unwrap(),
            "--quiet",
        ])
        .env("MULU_STATE", dir.path().join("state.db"))
        .env("MULU_LOG", "error")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let column = report["assets"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "zjhm")
        .unwrap();
    assert_eq!(column["categories"][0]["id"], "pi.cn_resident_id");
    assert_eq!(report["persons"]["by_identifier"]["pi.cn_resident_id"], 60);
    assert_eq!(report["persons"]["distinct"], 60);
}
