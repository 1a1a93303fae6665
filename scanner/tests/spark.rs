//! The Spark driver (`deploy/spark/mulu_spark.py`) in Spark local mode: the plan, three
//! shards as Spark tasks running the real `mulu` binary, the merge — equal to one process —
//! and mulu's identifier sketches unioned by Spark SQL's `hll_union_agg`, whose estimate is
//! mulu's own. Needs `pyspark` (PyPI) and Java 17; `.ci/run` installs pyspark.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn pyspark_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import pyspark"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("MULU_REQUIRE_SERVICES").as_deref() != Ok("1"),
            "pyspark is required (MULU_REQUIRE_SERVICES=1): scripts/install-pyspark"
        );
        eprintln!("skipped: pyspark is not installed (scripts/install-pyspark)");
    }
    found
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn spark_runs_the_shards_and_unions_the_sketches_to_mulus_estimate() {
    if !pyspark_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("holdings")).unwrap();
    common::write_holdings(&d.join("holdings"));
    std::fs::write(d.join("key.hex"), "ab".repeat(32)).unwrap();
    let mulu = env!("CARGO_BIN_EXE_mulu");

    let single = d.join("single.json");
    let out = Command::new(mulu)
        .args([
            "scan",
            "holdings",
            "--quiet",
            "--no-state",
            "--hash-key-file",
            "key.hex",
            "--json",
        ])
        .arg(&single)
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/spark/mulu_spark.py");
    let run = d.join("run");
    let merged = d.join("merged.json");
    let out = Command::new("python3")
        .arg(driver)
        .args([
            "--mulu",
            mulu,
            "--shards",
            "3",
            "--hash-key-file",
            "key.hex",
        ])
        .args(["--master", "local[2]", "--no-state", "--run"])
        .arg(&run)
        .arg("--json")
        .arg(&merged)
        .arg("holdings")
        .current_dir(d)
        .env("MULU_STATE", d.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for i in 0..3 {
        assert!(run.join(format!("shards/{i}/done.json")).exists());
    }
    let (single, merged) = (read(&single), read(&merged));
    assert_eq!(merged["persons"], single["persons"]);
    assert_eq!(merged["assets"], single["assets"]);

    let line = stdout
        .lines()
        .find(|l| l.starts_with("{\"spark_estimates\""))
        .unwrap_or_else(|| panic!("no estimates in {stdout}"));
    let spark: Value = serde_json::from_str(line).unwrap();
    let ours = read(&run.join("sketches/estimates.json"));
    let kinds = ours.as_object().unwrap();
    assert_eq!(kinds.len(), 2, "{ours}");
    for (kind, estimate) in kinds {
        assert_eq!(
            spark["spark_estimates"][kind].as_i64(),
            Some(estimate.as_f64().unwrap().round() as i64),
            "{kind}: Spark {spark} vs mulu {ours}"
        );
    }
}
