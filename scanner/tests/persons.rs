//! Distinct persons across holdings, through the real binary, and the no-leak guarantee.

mod common;

use common::id_number;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn phone(n: u32) -> String {
    format!("139{:08}", n)
}

/// Customers 0..1000 (ID + phone), orders for persons 500..1500 (phone only, formatted
/// differently), vehicle owners 800..1200 (ID + plate). Truth: 1000 customers, plus 500
/// order-only persons (phones 1000..1500), plus 200 owner-only persons (IDs 1000..1200,
/// linked to no phone) = 1700 components; the sum of holdings is 2400, the largest 1000.
fn write_holdings(dir: &Path) {
    let mut customers = String::from("sfzh,shouji\n");
    for n in 0..1000 {
        customers.push_str(&format!("{},{}\n", id_number(n), phone(n)));
    }
    let mut orders = String::from("order_no,mobile\n");
    for n in 500..1500 {
        let p = phone(n);
        let formatted = if n % 2 == 0 {
            format!("+86 {}-{}-{}", &p[..3], &p[3..7], &p[7..])
        } else {
            p
        };
        orders.push_str(&format!("2025{:014},{formatted}\n", n));
    }
    let mut owners = String::from("id_number,plate\n");
    for n in 800..1200 {
        // Lower-case x and a 15-digit-free mix: the same persons as the customers.
        owners.push_str(&format!("{},沪A{:05}\n", id_number(n).to_lowercase(), n));
    }
    // Invalid IDs are not persons.
    owners.push_str("110105194912310021,沪B00001\n");
    std::fs::write(dir.join("customers.csv"), customers).unwrap();
    std::fs::write(dir.join("orders.csv"), orders).unwrap();
    std::fs::write(dir.join("owners.csv"), owners).unwrap();
}

fn mulu(state: &Path, args: &[&str], log: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .env("MULU_STATE", state)
        .env("MULU_LOG", log)
        .output()
        .unwrap()
}

fn asset<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap()
}

#[test]
fn persons_are_connected_components_not_sums() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    write_holdings(&data);
    let report_path = dir.path().join("r.json");
    let out = mulu(
        &dir.path().join("state.db"),
        &[
            "scan",
            data.to_str().unwrap(),
            "--json",
            report_path.to_str().unwrap(),
            "--quiet",
        ],
        "error",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let persons = &report["persons"];
    assert_eq!(persons["method"], "exact");
    assert_eq!(
        persons["distinct"], 1700,
        "not 2400 (sum) and not 1000 (max)"
    );
    assert_eq!(persons["by_identifier"]["pi.cn_resident_id"], 1200);
    assert_eq!(persons["by_identifier"]["pi.mobile_phone"], 1500);
    assert_eq!(persons["mergeable"], false, "no key file: per-run key");
    assert_eq!(asset(&report, "customers.csv")["persons"], 1000);
    assert_eq!(asset(&report, "orders.csv")["persons"], 1000);
    assert_eq!(
        asset(&report, "owners.csv")["persons"],
        400,
        "the invalid ID is not a person"
    );
    let art28 = persons["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "ndsr-art28")
        .unwrap();
    assert_eq!(
        (art28["status"].as_str(), art28["value"].as_u64()),
        (Some("not_crossed"), Some(10_000_000))
    );
}

/// A holding's person count uses links found anywhere in the scan, whichever asset is read
/// first: `a_orders.csv` holds 200 phones that are 100 persons' two numbers, but only
/// `z_customers.csv` (read after it with one asset at a time) shows which phones go together.
#[test]
fn per_asset_counts_use_links_found_in_later_assets() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut orders = String::from("order_no,mobile\n");
    let mut customers = String::from("sfzh,mobile,backup_mobile\n");
    for n in 0..100 {
        orders.push_str(&format!("2025{:014},{}\n", 2 * n, phone(n)));
        orders.push_str(&format!("2025{:014},{}\n", 2 * n + 1, phone(5000 + n)));
        customers.push_str(&format!(
            "{},{},{}\n",
            id_number(n),
            phone(n),
            phone(5000 + n)
        ));
    }
    std::fs::write(data.join("a_orders.csv"), orders).unwrap();
    std::fs::write(data.join("z_customers.csv"), customers).unwrap();
    let report_path = dir.path().join("r.json");
    let out = mulu(
        &dir.path().join("state.db"),
        &[
            "scan",
            data.to_str().unwrap(),
            "--json",
            report_path.to_str().unwrap(),
            "--quiet",
            "--no-state",
            "--concurrency",
            "1",
        ],
        "error",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(report["persons"]["distinct"], 100);
    assert_eq!(
        asset(&report, "a_orders.csv")["persons"],
        100,
        "not 200 phones"
    );
    assert_eq!(asset(&report, "z_customers.csv")["persons"], 100);
}

/// Past its memory budget the exact count gives way to the sketches, and says so.
#[test]
fn exact_mode_over_its_budget_falls_back_to_sketch_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    write_holdings(&data);
    let config = dir.path().join("mulu.toml");
    std::fs::write(&config, "[persons]\nmemory_budget_mb = 0\n").unwrap();
    let report_path = dir.path().join("r.json");
    let out = mulu(
        &dir.path().join("state.db"),
        &[
            "scan",
            data.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--json",
            report_path.to_str().unwrap(),
            "--quiet",
            "--no-state",
        ],
        "warn",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("over its memory budget"),
        "the fallback is logged"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let p = &report["persons"];
    assert_eq!(p["method"], "sketch");
    assert_eq!(p["exact_over_budget"], true);
    let (lower, upper) = (p["lower"].as_u64().unwrap(), p["upper"].as_u64().unwrap());
    assert!(
        lower <= 1700 && upper >= 1700,
        "{lower}..{upper} holds the truth"
    );
    // Per-asset counts are estimates from a sketch of one key per row (the ID where a row has
    // one), so a customer with an ID and a phone counts once, not twice.
    let customers = asset(&report, "customers.csv")["persons"].as_u64().unwrap();
    assert!((990..=1010).contains(&customers), "{customers}");
    let orders = asset(&report, "orders.csv")["persons"].as_u64().unwrap();
    assert!(
        (990..=1010).contains(&orders),
        "formatting variants count once: {orders}"
    );
}

#[test]
fn sketch_mode_gives_bounds_around_the_truth_and_a_key_file_makes_it_mergeable() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    write_holdings(&data);
    let key = dir.path().join("key.hex");
    std::fs::write(
        &key,
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
    )
    .unwrap();
    let report_path = dir.path().join("r.json");
    let out = mulu(
        &dir.path().join("state.db"),
        &[
            "scan",
            data.to_str().unwrap(),
            "--persons",
            "sketch",
            "--hash-key-file",
            key.to_str().unwrap(),
            "--json",
            report_path.to_str().unwrap(),
            "--quiet",
        ],
        "error",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let p = &report["persons"];
    assert_eq!(p["method"], "sketch");
    assert!(p["distinct"].is_null());
    let (lower, upper) = (p["lower"].as_u64().unwrap(), p["upper"].as_u64().unwrap());
    // No linking across kinds in sketch mode: lower ≈ the largest kind (1500 phones), upper ≈
    // the sum of kinds (1200 IDs + 1500 phones); the truth (1700) lies between.
    assert!(lower <= 1500 && lower > 1400, "{lower}");
    assert!((2700..2850).contains(&upper), "{upper}");
    assert_eq!(p["mergeable"], true);
}

#[test]
fn nothing_the_scanner_writes_holds_a_raw_identifier() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    write_holdings(&data);
    let state = dir.path().join("state.db");
    let report_path = dir.path().join("r.json");
    let out = mulu(
        &state,
        &[
            "scan",
            data.to_str().unwrap(),
            "--json",
            report_path.to_str().unwrap(),
        ],
        "debug",
    );
    assert_eq!(out.status.code(), Some(0));
    let catalog = dir.path().join("c.json");
    let exported = mulu(
        &state,
        &[
            "catalog",
            "export",
            "--format",
            "json",
            "--out",
            catalog.to_str().unwrap(),
        ],
        "debug",
    );
    assert!(exported.status.success());

    let mut written: Vec<u8> = Vec::new();
    written.extend(&out.stdout);
    written.extend(&out.stderr);
    written.extend(&exported.stderr);
    written.extend(std::fs::read(&report_path).unwrap());
    written.extend(std::fs::read(&catalog).unwrap());
    // The state database and its write-ahead log.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("state.db")
        {
            written.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(
        written.len() > 10_000,
        "debug logs and the state were captured"
    );
    let haystack = String::from_utf8_lossy(&written);
    for n in (0..1500).step_by(7) {
        for raw in [id_number(n), phone(n)] {
            assert!(
                !haystack.contains(&raw),
                "raw identifier {raw} was written somewhere"
            );
        }
    }
}

/// A company's own identifier counts persons once its custom classifier says each value
/// names one person (`identifies_person = true`), linked with the built-in identifiers in the
/// same rows; `pi = true` alone keeps it out of the count (a PI value many persons share
/// would inflate it). Staff 0..300 have an employee number and a phone; badge records hold
/// employee numbers 200..400 only, written with a hyphen and a space. Truth: 300 staff + 100
/// badge-only persons (EMP000300..EMP000399) = 400; without the flag, the 300 staff phones.
#[test]
fn a_custom_identifier_counts_persons_when_it_identifies_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut staff = String::from("emp_no,shouji\n");
    for n in 0..300 {
        staff.push_str(&format!("EMP{n:06},{}\n", phone(10_000 + n)));
    }
    let mut badges = String::from("emp_no,gate\n");
    for n in 200..400 {
        badges.push_str(&format!("EMP-{:03} {:03},north\n", n / 1000, n % 1000));
    }
    std::fs::write(data.join("staff.csv"), staff).unwrap();
    std::fs::write(data.join("badges.csv"), badges).unwrap();

    let scan = |identifies: Option<bool>| {
        let flag = identifies.map_or(String::new(), |b| format!("identifies_person = {b}\n"));
        let toml = dir.path().join("acme.toml");
        std::fs::write(
            &toml,
            format!(
                "[[classifier]]\nid = \"acme.employee_no\"\nname_zh = \"员工工号\"\n\
                 name_en = \"Employee number\"\npi = true\n{flag}\
                 regex = \"EMP[- ]?[0-9]{{3}}[- ]?[0-9]{{3}}\"\ncolumn_hints = [\"emp_no\"]\n"
            ),
        )
        .unwrap();
        let report_path = dir.path().join("r.json");
        let out = mulu(
            &dir.path().join("state.db"),
            &[
                "scan",
                data.to_str().unwrap(),
                "--classifiers",
                toml.to_str().unwrap(),
                "--no-state",
                "--json",
                report_path.to_str().unwrap(),
                "--quiet",
            ],
            "error",
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
        assert_eq!(
            asset(&report, "badges.csv")["columns"][0]["categories"][0]["id"],
            "acme.employee_no"
        );
        report
    };

    let counted = scan(Some(true));
    let persons = &counted["persons"];
    assert_eq!(persons["distinct"], 400, "{persons}");
    assert_eq!(persons["by_identifier"]["custom"], 400);
    assert_eq!(persons["by_identifier"]["pi.mobile_phone"], 300);
    assert_eq!(asset(&counted, "badges.csv")["persons"], 200);

    let not_counted = scan(None);
    assert_eq!(not_counted["persons"]["distinct"], 300);
    assert!(not_counted["persons"]["by_identifier"]["custom"].is_null());
    assert!(asset(&not_counted, "badges.csv")["persons"].is_null());
}

/// `MULU_LOG=debug` follows each asset through its stages, with names as the report shows
/// them (an identifier in a file name masked).
#[test]
fn debug_logs_name_each_assets_stages() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    write_holdings(&data);
    std::fs::copy(
        data.join("customers.csv"),
        data.join(format!("客户_{}.csv", id_number(7))),
    )
    .unwrap();
    let out = mulu(
        &dir.path().join("state.db"),
        &["scan", data.to_str().unwrap(), "--no-state", "--quiet"],
        "debug",
    );
    assert_eq!(out.status.code(), Some(0));
    let log = String::from_utf8_lossy(&out.stderr);
    for stage in ["sampling", "counting persons"] {
        assert!(
            log.lines().any(|l| l.contains("asset stage started")
                && l.contains("orders.csv")
                && l.contains(stage)),
            "{stage}: {log}"
        );
    }
    assert!(!log.contains(&id_number(7)), "{log}");
}
