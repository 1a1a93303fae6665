//! A database URL that names no database scans the whole server: every PostgreSQL database
//! the user may connect to (each its own source in the report), every MySQL database. Real
//! servers, synthetic rows.

mod common;

use common::service;
use std::path::Path;

use serde_json::Value;
use sqlx::Executor;

/// `url` without its database path.
fn server_of(url: &str) -> String {
    let (server, _db) = url.rsplit_once('/').expect("the test URL names a database");
    server.to_string()
}

/// Scans `url` with only `include` taken, returns the exit code and the report.
fn scan(dir: &Path, url: &str, include: &str) -> (i32, Value) {
    let config = dir.join("mulu.toml");
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"server\"\nurl = \"{url}\"\ninclude = [\"{include}\"]\n"),
    )
    .unwrap();
    let json = dir.join("report.json");
    let out = common::mulu(
        dir,
        &[
            "scan",
            "--quiet",
            "--no-state",
            "--persons",
            "off",
            "--config",
            config.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let report = serde_json::from_str(
        &std::fs::read_to_string(&json)
            .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&out.stderr))),
    )
    .unwrap();
    (out.status.code().unwrap(), report)
}

/// The phone column of the one asset named `name`.
fn phone_category(report: &Value, name: &str) -> String {
    let asset = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no asset {name} in {report}"));
    asset["columns"][1]["categories"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

const ROWS: &str = "SELECT 1, '1390000' || lpad(i::text, 4, '0') FROM generate_series(1, 50) i";

#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[test]
fn a_postgres_url_without_a_database_scans_every_database() {
    let Some(url) = service("MULU_TEST_POSTGRES_URL") else {
        return;
    };
    let db = format!("mulu_server_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        admin
            .execute(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)").as_str())
            .await
            .unwrap();
        admin
            .execute(format!("CREATE DATABASE {db}").as_str())
            .await
            .unwrap();
        let inside = sqlx::PgPool::connect(&format!("{}/{db}", server_of(&url)))
            .await
            .unwrap();
        for sql in [
            "CREATE SCHEMA mulu_srv".to_string(),
            "CREATE TABLE mulu_srv.members (id int, contact text)".to_string(),
            format!("INSERT INTO mulu_srv.members {ROWS}"),
        ] {
            inside.execute(sql.as_str()).await.unwrap();
        }
        inside.close().await;
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, report) = scan(dir.path(), &server_of(&url), "mulu_srv.*");
    assert_eq!(code, 0, "{report}");
    let sources: Vec<&str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap())
        .collect();
    assert!(
        sources.iter().any(|s| s.ends_with(&format!("/{db}"))),
        "{sources:?}"
    );
    assert!(sources.iter().any(|s| s.ends_with("/test")), "{sources:?}");
    assert!(
        !sources.iter().any(|s| s.ends_with("/template1")),
        "templates are not scanned: {sources:?}"
    );
    assert_eq!(
        phone_category(&report, "mulu_srv.members"),
        "pi.mobile_phone"
    );
    rt.block_on(async {
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        admin
            .execute(format!("DROP DATABASE {db} WITH (FORCE)").as_str())
            .await
            .unwrap();
    });
}

#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[test]
fn a_mysql_url_without_a_database_scans_every_database() {
    let Some(url) = service("MULU_TEST_MYSQL_URL") else {
        return;
    };
    let db = format!("mulu_server_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db}"),
            format!("CREATE TABLE {db}.members (id int, contact varchar(11))"),
            format!(
                "INSERT INTO {db}.members SELECT 1, CONCAT('1390000', LPAD(seq, 4, '0')) \
                 FROM seq_1_to_50"
            ),
        ] {
            pool.execute(sql.as_str()).await.unwrap();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, report) = scan(dir.path(), &server_of(&url), &format!("{db}.*"));
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["sources"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(
        phone_category(&report, &format!("{db}.members")),
        "pi.mobile_phone"
    );
    rt.block_on(async {
        let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
        pool.execute(format!("DROP DATABASE {db}").as_str())
            .await
            .unwrap();
    });
}
