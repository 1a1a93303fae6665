//! A scanning user with narrow grants gets a partial scan, never one that looks complete: the
//! columns a PostgreSQL column grant leaves out, and the tables a MariaDB catalog hides from a
//! user without a database-wide grant, are named in the report and on stderr, and the exit
//! code is 3. What could be read is still classified.

mod common;

use common::{mulu, service};
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use sqlx::Executor;

fn with_user(url: &str, user: &str, password: Option<&str>, path: Option<&str>) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_username(user).unwrap();
    u.set_password(password).unwrap();
    if let Some(p) = path {
        u.set_path(p);
    }
    u.to_string()
}

fn scan(dir: &Path, url: &str) -> (Output, Value) {
    let json = dir.join("report.json");
    let out = mulu(
        dir,
        &["scan", url, "--quiet", "--json", json.to_str().unwrap()],
    );
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (out, report)
}

const PHONES: &str = "(1, '北京', '110101199003074514', '13800138000'), \
                      (2, '上海', '11010119900307651X', '13912345678'), \
                      (3, '深圳', '110101199003078352', '13700001111')";

#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[test]
fn postgres_columns_hidden_by_grants_make_the_asset_partial() {
    let Some(url) = service("MULU_TEST_POSTGRES_URL") else {
        return;
    };
    let schema = format!("mulu_grants_{}", std::process::id());
    let role = format!("mulu_grants_r{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pool = rt.block_on(async {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        for sql in [
            format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            format!("DROP ROLE IF EXISTS {role}"),
            format!("CREATE SCHEMA {schema}"),
            format!("CREATE TABLE {schema}.people (id int, city text, id_card text, mobile text)"),
            format!("INSERT INTO {schema}.people VALUES {PHONES}"),
            format!("CREATE ROLE {role} LOGIN"),
            format!("GRANT USAGE ON SCHEMA {schema} TO {role}"),
            format!("GRANT SELECT (id, city, mobile) ON {schema}.people TO {role}"),
        ] {
            pool.execute(sql.as_str()).await.unwrap();
        }
        pool
    });
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = scan(dir.path(), &with_user(&url, &role, None, None));
    rt.block_on(async {
        for sql in [
            format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            format!("DROP ROLE IF EXISTS {role}"),
        ] {
            pool.execute(sql.as_str()).await.unwrap();
        }
    });

    assert_eq!(out.status.code(), Some(3), "partial scan");
    let people = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == format!("{schema}.people"))
        .unwrap_or_else(|| panic!("{schema}.people is not in the report: {report}"));
    assert_eq!(people["status"], "partial");
    let cause = people["error"].as_str().unwrap();
    assert!(cause.contains("1 of its 4 columns (id_card)"), "{cause}");
    // What was read is still classified.
    let ids: Vec<&str> = people["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["categories"].as_array().unwrap())
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"pi.mobile_phone"), "{ids:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("was read only in part"), "{stderr}");
}

#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[test]
fn a_mariadb_user_without_a_database_grant_gets_a_partial_source() {
    let Some(url) = service("MULU_TEST_MYSQL_URL") else {
        return;
    };
    let db = format!("mulu_grants_{}", std::process::id());
    let user = format!("mulu_grants_u{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pool = rt.block_on(async {
        let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("DROP USER IF EXISTS '{user}'@'%'"),
            format!("CREATE DATABASE {db} CHARACTER SET utf8mb4"),
            format!("CREATE TABLE {db}.people (id int, city text, id_card text, mobile text)"),
            format!("INSERT INTO {db}.people VALUES {PHONES}"),
            format!("CREATE TABLE {db}.hidden (id int, mobile text)"),
            format!("CREATE USER '{user}'@'%' IDENTIFIED BY 'Gr4nt-pass'"),
            format!("GRANT SELECT ON {db}.people TO '{user}'@'%'"),
        ] {
            pool.execute(sql.as_str()).await.unwrap();
        }
        pool
    });
    let dir = tempfile::tempdir().unwrap();
    let scoped = with_user(&url, &user, Some("Gr4nt-pass"), Some(&format!("/{db}")));
    let (out, report) = scan(dir.path(), &scoped);
    rt.block_on(async {
        for sql in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("DROP USER IF EXISTS '{user}'@'%'"),
        ] {
            pool.execute(sql.as_str()).await.unwrap();
        }
    });

    assert_eq!(out.status.code(), Some(3), "partial scan");
    assert_eq!(report["sources"][0]["status"], "partial");
    let cause = report["sources"][0]["error"].as_str().unwrap();
    assert!(
        cause.contains(&format!("grant SELECT ON `{db}`.*")),
        "{cause}"
    );
    assert_eq!(report["assets"].as_array().unwrap().len(), 1);
    assert_eq!(report["assets"][0]["status"], "ok");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("was listed only in part"), "{stderr}");
    assert!(!stderr.contains("Gr4nt-pass"), "{stderr}");
}
