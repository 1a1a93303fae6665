//! Reads that would never end are stopped within their bound, named, and the scan goes on:
//! a recursive SQLite view (SQLite has no statement timeout) and a PostgreSQL view that
//! streams forever (each fetch is quick; the pass is not).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

fn mulu(dir: &Path, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .env("MULU_STATE", dir.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    (out, started.elapsed())
}

fn report(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn asset<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in the report: {report}"))
}

#[test]
fn a_recursive_sqlite_view_is_stopped_at_the_sample_limit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Executor;
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        pool.execute("CREATE TABLE customers (mobile TEXT)")
            .await
            .unwrap();
        for i in 0..50 {
            pool.execute(format!("INSERT INTO customers VALUES ('139{i:08}')").as_str())
                .await
                .unwrap();
        }
        pool.execute(
            "CREATE VIEW hang AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) \
             SELECT count(*) AS c FROM r",
        )
        .await
        .unwrap();
        pool.close().await;
    });
    let config = dir.path().join("mulu.toml");
    std::fs::write(&config, "[scan]\nsample_timeout_secs = 2\n").unwrap();
    let json = dir.path().join("report.json");
    let (out, took) = mulu(
        dir.path(),
        &[
            "scan",
            db.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--no-state",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let r = report(&json);
    let hang = asset(&r, "hang");
    assert_eq!(hang["status"], "error");
    assert!(
        hang["error"]
            .as_str()
            .unwrap()
            .contains("took longer than 2 s"),
        "{hang}"
    );
    let customers = asset(&r, "customers");
    assert_eq!(customers["status"], "ok");
    assert_eq!(
        customers["columns"][0]["categories"][0]["id"],
        "pi.mobile_phone"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("hang"));
}

#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[test]
fn an_endless_postgres_view_stops_the_person_count_at_its_limit() {
    let Ok(url) = std::env::var("MULU_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("MULU_REQUIRE_SERVICES").as_deref() != Ok("1"),
            "MULU_TEST_POSTGRES_URL is not set (MULU_REQUIRE_SERVICES=1, so this is a failure)"
        );
        eprintln!("skipped: set MULU_TEST_POSTGRES_URL to run against PostgreSQL");
        return;
    };
    let schema = format!("mulu_bounds_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pool = rt.block_on(async {
        use sqlx::Executor;
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        pool.execute(format!("DROP SCHEMA IF EXISTS {schema} CASCADE").as_str())
            .await
            .unwrap();
        pool.execute(format!("CREATE SCHEMA {schema}").as_str())
            .await
            .unwrap();
        // A set-returning function in the select list streams; the view never ends.
        pool.execute(
            format!(
                "CREATE VIEW {schema}.endless AS SELECT '138' || lpad((g % 100000000)::text, 8, '0') \
                 AS mobile FROM (SELECT generate_series(1::bigint, 9000000000000000::bigint) AS g) t"
            )
            .as_str(),
        )
        .await
        .unwrap();
        pool
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mulu.toml");
    std::fs::write(
        &config,
        format!(
            "[scan]\nfull_pass_timeout_secs = 3\n\n[[sources]]\nname = \"pg\"\nurl = \"{url}\"\ninclude = [\"{schema}.*\"]\n"
        ),
    )
    .unwrap();
    let json = dir.path().join("report.json");
    let (out, took) = mulu(
        dir.path(),
        &[
            "scan",
            "--config",
            config.to_str().unwrap(),
            "--no-state",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    rt.block_on(async {
        use sqlx::Executor;
        let _ = pool
            .execute(format!("DROP SCHEMA IF EXISTS {schema} CASCADE").as_str())
            .await;
    });
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let r = report(&json);
    let endless = asset(&r, "endless");
    assert_eq!(endless["status"], "ok", "the sample was read: {endless}");
    assert!(
        endless["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("stopped after 3 s")),
        "{endless}"
    );
    let incomplete = r["persons"]["incomplete"].as_array().unwrap();
    assert!(
        incomplete
            .iter()
            .any(|a| a.as_str().unwrap().contains("endless")),
        "{}",
        r["persons"]
    );
}
