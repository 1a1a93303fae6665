//! COMMENTs act like names, end to end through the `mulu` binary against real PostgreSQL and
//! MariaDB: neutral-named columns labelled `车牌号`, `GPS经度`, `GPS纬度` are a plate and
//! coordinates, their table a track, and the same table commented `车辆最新位置` is not.
//! Every value is synthetic.

mod common;

use common::{run_sql, service};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Scans `url`, only the tables `include` matches, and returns the report.
fn scan(dir: &Path, url: &str, include: &str) -> Value {
    let config = dir.join("mulu.toml");
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"db\"\nurl = \"{url}\"\ninclude = [\"{include}\"]\n"),
    )
    .unwrap();
    let json = dir.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["scan", "--quiet", "--no-state", "--config"])
        .arg(&config)
        .arg("--json")
        .arg(&json)
        .env("MULU_STATE", dir.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 2),
        "{out:?}"
    );
    serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()
}

fn asset<'a>(report: &'a Value, table: &str) -> &'a Value {
    report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"].as_str().unwrap().ends_with(&format!(".{table}")))
        .unwrap_or_else(|| panic!("{table} not in {report}"))
}

/// `(column, category, by)` of every column finding of `table`.
fn columns(report: &Value, table: &str) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for c in asset(report, table)["columns"].as_array().unwrap() {
        for k in c["categories"].as_array().into_iter().flatten() {
            let by = k["by"].as_array().unwrap();
            out.push((
                c["name"].as_str().unwrap().to_string(),
                k["id"].as_str().unwrap().to_string(),
                by.iter().map(|b| b.as_str().unwrap().to_string()).collect(),
            ));
        }
    }
    out
}

fn table_categories(report: &Value, table: &str) -> Vec<String> {
    asset(report, table)["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Five vehicles, twenty positions each, as `VALUES` rows.
fn rows() -> String {
    let mut rows = Vec::new();
    for v in 0..5 {
        for p in 0..20 {
            rows.push(format!(
                "('沪A{:05}', {:.6}, {:.6}, '2026-05-01 08:{:02}:{:02}')",
                12_345 + v * 1_111,
                121.4 + f64::from(v) * 0.01 + f64::from(p) * 0.000_173 + 0.000_001,
                31.2 + f64::from(v) * 0.01 + f64::from(p) * 0.000_137 + 0.000_001,
                v * 7 % 60,
                p
            ));
        }
    }
    rows.join(",")
}

/// What both servers must show for tables `pos` (a track) and `pos_now` (latest positions).
fn check(report: &Value) {
    let found = columns(report, "pos");
    let has = |col: &str, cat: &str| {
        found
            .iter()
            .any(|(c, k, by)| c == col && k == cat && by.iter().any(|b| b == "column_comment"))
    };
    assert!(has("c2", "geo.coordinate"), "{found:?}");
    assert!(has("c3", "geo.coordinate"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(c, k, _)| c == "c1" && k == "vehicle.license_plate"),
        "{found:?}"
    );
    assert_eq!(table_categories(report, "pos"), ["vehicle.trajectory"]);
    assert!(table_categories(report, "pos_now").is_empty(), "{report}");
}

#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[test]
fn postgres_comments_label_columns_and_tables() {
    let Some(url) = service("MULU_TEST_POSTGRES_URL") else {
        return;
    };
    let schema = format!("mulu_comments_{}", std::process::id());
    {
        let mut sql = vec![
            format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            format!("CREATE SCHEMA {schema}"),
        ];
        for t in ["pos", "pos_now"] {
            let t = format!("{schema}.{t}");
            sql.extend([
                format!("CREATE TABLE {t} (c1 varchar(12), c2 double precision, c3 double precision, c4 timestamp)"),
                format!("COMMENT ON COLUMN {t}.c1 IS '车牌号'"),
                format!("COMMENT ON COLUMN {t}.c2 IS 'GPS经度'"),
                format!("COMMENT ON COLUMN {t}.c3 IS 'GPS纬度（WGS84）'"),
                format!("COMMENT ON COLUMN {t}.c4 IS '定位时间'"),
                format!("INSERT INTO {t} VALUES {}", rows()),
            ]);
        }
        sql.push(format!(
            "COMMENT ON TABLE {schema}.pos_now IS '车辆最新位置'"
        ));
        run_sql(&url, &sql);
    }
    let dir = tempfile::tempdir().unwrap();
    let report = scan(dir.path(), &url, &format!("{schema}.*"));
    check(&report);
    run_sql(&url, &[format!("DROP SCHEMA {schema} CASCADE")]);
}

#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[test]
fn mysql_comments_label_columns_and_tables() {
    let Some(url) = service("MULU_TEST_MYSQL_URL") else {
        return;
    };
    let db = format!("mulu_comments_{}", std::process::id());
    {
        let mut sql = vec![
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db} DEFAULT CHARACTER SET utf8mb4"),
        ];
        for (t, comment) in [("pos", "轨迹点"), ("pos_now", "车辆最新位置")] {
            let t = format!("{db}.{t}");
            sql.extend([
                format!(
                    "CREATE TABLE {t} (c1 varchar(12) COMMENT '车牌号', c2 double COMMENT \
                     'GPS经度', c3 double COMMENT 'GPS纬度（WGS84）', c4 datetime COMMENT \
                     '定位时间') COMMENT = '{comment}'"
                ),
                format!("INSERT INTO {t} VALUES {}", rows()),
            ]);
        }
        run_sql(&url, &sql);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut u = url::Url::parse(&url).unwrap();
    u.set_path(&format!("/{db}"));
    let report = scan(dir.path(), u.as_str(), &format!("{db}.*"));
    check(&report);
    run_sql(&url, &[format!("DROP DATABASE {db}")]);
}
