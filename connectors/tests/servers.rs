//! PostgreSQL and MySQL/MariaDB behaviour beyond the conformance suite, against real servers:
//! errors a data officer can act on, read-only sessions, statement timeouts, sampling without
//! full reads, filters and password sources. Where the check is the same on every server
//! (permissions, timeouts, read-only sessions) it lives in `common/suite.rs`; the tests here
//! write each server's own setup.

#![cfg(any(feature = "postgres", feature = "mysql"))]

mod common;

use std::time::Duration;

use common::services::with_credentials;
#[cfg(feature = "postgres")]
use common::services::PgScratch;
#[cfg(feature = "mysql")]
use common::services::{with_path, MySqlScratch};
use common::suite;
use connectors::{
    open_source, open_source_with, AssetInfo, Connector, ConnectorExt, Error, SourceOptions,
};

async fn find(conn: &dyn Connector, name: &str) -> AssetInfo {
    conn.list_assets()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("{name} is not listed"))
}

fn unlisted(name: &str) -> AssetInfo {
    AssetInfo::table(name.to_string(), None, None)
}

// ---------------------------------------------------------------- unreachable (no server needed)

#[cfg(feature = "postgres")]
#[tokio::test]
async fn unreachable_postgres_says_check_host_port_firewall() {
    let err = open_source("postgres://scanner:Secr3t-unreach@127.0.0.1:1/crm")
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("refused") && msg.contains("check host/port/firewall"),
        "{msg}"
    );
    assert!(
        !msg.contains("Secr3t-unreach") && msg.contains("***"),
        "{msg}"
    );
}

#[cfg(feature = "mysql")]
#[tokio::test]
async fn unreachable_mysql_says_check_host_port_firewall() {
    let err = open_source("mysql://scanner:Secr3t-unreach@127.0.0.1:1/crm")
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("refused") && msg.contains("check host/port/firewall"),
        "{msg}"
    );
    assert!(!msg.contains("Secr3t-unreach"), "{msg}");
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn missing_password_env_names_the_variable() {
    let options = SourceOptions {
        password_env: Some("MULU_TEST_NO_SUCH_PASSWORD_VARIABLE".into()),
        ..Default::default()
    };
    let err = open_source_with("postgres://scanner@127.0.0.1:1/crm", &options)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::InvalidOption { .. }), "{err:?}");
    assert!(err
        .to_string()
        .contains("MULU_TEST_NO_SUCH_PASSWORD_VARIABLE"));
}

// ---------------------------------------------------------------- PostgreSQL

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_table_without_select_is_permission_denied() {
    let Some(mut pg) =
        PgScratch::create("postgres_table_without_select_is_permission_denied").await
    else {
        return;
    };
    let s = pg.schema.clone();
    pg.exec(&format!("CREATE TABLE {s}.secret (id int, phone text)"))
        .await;
    let role = pg.create_role().await;
    pg.exec(&format!("GRANT USAGE ON SCHEMA {s} TO {role}"))
        .await;
    pg.exec(&format!("GRANT SELECT ON {s}.customers TO {role}"))
        .await;

    let opened = open_source(&with_credentials(&pg.url, &role, None))
        .await
        .unwrap();
    let conn = opened.connectors[0].as_ref();
    // Listed (the catalogs are public), but not readable: a per-asset error, the rest works.
    let secret = find(conn, &pg.asset("secret")).await;
    let customers = find(conn, &pg.asset("customers")).await;
    suite::permission_denied_names_the_asset(conn, &secret, &customers).await;
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_statement_timeout_is_reported_with_its_value() {
    let Some(pg) = PgScratch::create("postgres_statement_timeout_is_reported_with_its_value").await
    else {
        return;
    };
    pg.exec(&format!(
        "CREATE VIEW {}.slow AS SELECT pg_sleep(5)::text AS s",
        pg.schema
    ))
    .await;
    let options = SourceOptions {
        statement_timeout: Duration::from_millis(300),
        ..Default::default()
    };
    let opened = open_source_with(&pg.url, &options).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    suite::statement_timeout_is_reported_with_its_value(conn, &unlisted(&pg.asset("slow"))).await;
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_sessions_are_read_only() {
    let Some(pg) = PgScratch::create("postgres_sessions_are_read_only").await else {
        return;
    };
    let s = &pg.schema;
    // A view whose read would write: the read-only session must refuse the write.
    pg.exec(&format!("CREATE TABLE {s}.audit (n int)")).await;
    pg.exec(&format!(
        "CREATE FUNCTION {s}.sneaky() RETURNS int LANGUAGE plpgsql AS \
         $$ BEGIN INSERT INTO {s}.audit VALUES (1); RETURN 1; END $$"
    ))
    .await;
    pg.exec(&format!("CREATE VIEW {s}.trap AS SELECT {s}.sneaky() AS n"))
        .await;
    pg.exec(&format!(
        "CREATE VIEW {s}.settings AS SELECT current_setting('transaction_read_only') AS ro, \
         current_setting('statement_timeout') AS timeout"
    ))
    .await;
    let opened = open_source(&pg.url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    suite::sessions_refuse_writes(conn, &unlisted(&pg.asset("trap"))).await;
    let written: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {s}.audit"))
        .fetch_one(&pg.admin)
        .await
        .unwrap();
    assert_eq!(written, 0);

    let sample = conn
        .sample(&unlisted(&pg.asset("settings")), 1)
        .await
        .unwrap();
    let batch = &sample.batches[0];
    let text = |i: usize| {
        batch
            .column(i)
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap()
            .value(0)
            .to_string()
    };
    assert_eq!(text(0), "on");
    assert_eq!(text(1), "30s");
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_large_table_is_sampled_with_tablesample_and_listed_from_statistics() {
    let Some(pg) = PgScratch::create("postgres_large_table_is_sampled").await else {
        return;
    };
    let t = pg.asset("events");
    pg.exec(&format!(
        "CREATE TABLE {t} AS SELECT g AS id, md5(g::text) AS payload \
         FROM generate_series(1, 200000) g"
    ))
    .await;
    pg.exec(&format!("ANALYZE {t}")).await;
    let opened = open_source(&pg.url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    let asset = find(conn, &t).await;
    let estimate = asset.row_count.expect("reltuples after ANALYZE");
    assert!((150_000..=250_000).contains(&estimate), "{estimate}");
    assert!(asset.bytes.unwrap() > 1_000_000);
    let sample = conn.sample(&asset, 500).await.unwrap();
    assert!(sample.num_rows() > 0 && sample.num_rows() <= 500);
    assert!(sample.warnings.is_empty(), "{:?}", sample.warnings);
    // Random pages, not the first rows: ids beyond the first 500 show up.
    let ids = sample.batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<arrow_array::StringArray>()
        .unwrap()
        .iter()
        .flatten()
        .map(|v| v.parse::<i64>().unwrap())
        .max()
        .unwrap();
    assert!(ids > 500, "max id {ids}");
    assert_eq!(
        sample.schema.field(0).data_type(),
        &arrow_schema::DataType::Int64
    );
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_sample_values_keep_tabs_newlines_backslashes_and_nulls() {
    // The sample arrives in COPY's text format, which escapes these bytes; they must come
    // back exactly as stored, and a NULL apart from the text `\N`.
    let Some(pg) = PgScratch::create("postgres_sample_values_keep_escapes").await else {
        return;
    };
    let t = pg.asset("notes");
    pg.exec(&format!("CREATE TABLE {t} (id int, note text, extra text)"))
        .await;
    pg.exec(&format!(
        "INSERT INTO {t} VALUES (1, E'a\\tb\\nc\\\\d\\re', NULL), \
         (2, '\\N', E'张三 \\x01'), (3, '', 'plain')"
    ))
    .await;
    let opened = open_source(&pg.url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    let sample = conn.sample(&find(conn, &t).await, 10).await.unwrap();
    let batch = &sample.batches[0];
    let column = |i: usize| -> Vec<Option<String>> {
        batch
            .column(i)
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    };
    let s = |v: &str| Some(v.to_string());
    assert_eq!(column(0), [s("1"), s("2"), s("3")]);
    assert_eq!(column(1), [s("a\tb\nc\\d\re"), s("\\N"), s("")]);
    assert_eq!(column(2), [None, s("张三 \u{1}"), s("plain")]);
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_tables_described_ahead_read_as_when_described_alone() {
    // The first sample describes the next listed tables with it; a table dropped since the
    // listing, one without columns and a view must still come out as on their own.
    let Some(pg) = PgScratch::create("postgres_tables_described_ahead").await else {
        return;
    };
    let [plain, gone, empty, view] =
        ["a_plain", "b_gone", "c_empty", "d_view"].map(|t| pg.asset(t));
    pg.exec(&format!("CREATE TABLE {plain} (id int, phone text)"))
        .await;
    pg.exec(&format!("INSERT INTO {plain} VALUES (1, '13912345678')"))
        .await;
    pg.exec(&format!("CREATE TABLE {gone} (id int)")).await;
    pg.exec(&format!("CREATE TABLE {empty} ()")).await;
    pg.exec(&format!("CREATE VIEW {view} AS SELECT phone FROM {plain}"))
        .await;
    let opened = open_source(&pg.url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    let listed = conn.list_assets().await.unwrap();
    let asset = |name: &str| listed.iter().find(|a| a.name == name).unwrap().clone();
    pg.exec(&format!("DROP TABLE {gone}")).await;

    let sample = conn.sample(&asset(&plain), 10).await.unwrap();
    let names: Vec<&str> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, ["id", "phone"]);
    assert_eq!(sample.num_rows(), 1);
    let missing = conn.sample(&asset(&gone), 10).await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
    let no_columns = conn.sample(&asset(&empty), 10).await.unwrap();
    assert_eq!(no_columns.warnings, ["the table has no columns"]);
    let through_view = conn.sample(&asset(&view), 10).await.unwrap();
    assert_eq!(through_view.num_rows(), 1);
    assert_eq!(through_view.schema.field(0).name(), "phone");
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn a_closed_postgres_connector_has_ended_its_sessions() {
    // A scan closes its connectors when the reads are done, so the server sees a goodbye
    // instead of logging a reset connection for every session.
    let Some(pg) = PgScratch::create("a_closed_postgres_connector").await else {
        return;
    };
    let opened = open_source(&pg.url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    let asset = find(conn, &pg.asset("customers")).await;
    assert!(conn.sample(&asset, 5).await.is_ok());
    conn.close().await;
    let Err(err) = conn.sample(&asset, 5).await else {
        panic!("no reads after close");
    };
    assert!(err.to_string().contains("closed"), "{err}");
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_types_are_declared_and_values_are_text() {
    let Some(pg) = PgScratch::create("postgres_types_are_declared_and_values_are_text").await
    else {
        return;
    };
    let t = pg.asset("kinds");
    pg.exec(&format!(
        "CREATE TABLE {t} (n numeric(10, 2), tags text[], u uuid, ip inet, d date, \
         ts timestamptz, b bytea, j json)"
    ))
    .await;
    pg.exec(&format!(
        "INSERT INTO {t} VALUES (12.5, ARRAY['京A12345', 'x'], \
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '10.0.0.1', '2024-01-02', \
         '2024-01-02 03:04:05+00', '\\x0102', '{{\"phone\": \"13800138000\"}}')"
    ))
    .await;
    let opened = open_source(&pg.url).await.unwrap();
    let sample = opened.connectors[0]
        .sample(&unlisted(&t), 10)
        .await
        .unwrap();
    use arrow_schema::DataType as T;
    let types: Vec<T> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.data_type().clone())
        .collect();
    assert_eq!(types[0], T::Decimal128(38, 10));
    assert!(matches!(types[1], T::List(_)));
    assert_eq!(types[6], T::Binary);
    let batch = &sample.batches[0];
    let values: Vec<Option<String>> = (0..batch.num_columns())
        .map(|i| {
            let a = batch
                .column(i)
                .as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .unwrap();
            arrow_array::Array::is_valid(a, 0).then(|| a.value(0).to_string())
        })
        .collect();
    assert_eq!(values[0].as_deref(), Some("12.50"));
    assert!(values[1].as_deref().unwrap().contains("京A12345"));
    assert_eq!(values[3].as_deref(), Some("10.0.0.1"));
    assert_eq!(values[4].as_deref(), Some("2024-01-02"));
    assert_eq!(values[6], None, "bytea is not text");
    assert!(values[7].as_deref().unwrap().contains("13800138000"));
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_include_exclude_globs() {
    let Some(pg) = PgScratch::create("postgres_include_exclude_globs").await else {
        return;
    };
    let s = &pg.schema;
    pg.exec(&format!("CREATE TABLE {s}.tmp_import (id int)"))
        .await;
    pg.exec(&format!("CREATE TABLE {s}.orders (id int)")).await;
    let options = SourceOptions {
        include: vec![format!("{s}.*")],
        exclude: vec!["*.tmp_*".into()],
        ..Default::default()
    };
    let opened = open_source_with(&pg.url, &options).await.unwrap();
    let mut names: Vec<String> = opened.connectors[0]
        .list_assets()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort();
    assert_eq!(names, vec![pg.asset("customers"), pg.asset("orders")]);
    pg.finish().await;
}

// ---------------------------------------------------------------- MySQL / MariaDB

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_table_without_select_is_permission_denied() {
    let Some(mut my) =
        MySqlScratch::create("mysql_table_without_select_is_permission_denied").await
    else {
        return;
    };
    let db = my.database.clone();
    my.exec(&format!("CREATE TABLE {db}.secret (id int, phone text)"))
        .await;
    my.exec(&format!("CREATE TABLE {db}.hidden (id int)")).await;
    let user = my.create_user("R1ght-pass").await;
    my.exec(&format!("GRANT SELECT ON {db}.customers TO '{user}'@'%'"))
        .await;
    my.exec(&format!("GRANT INSERT ON {db}.secret TO '{user}'@'%'"))
        .await;

    let url = with_credentials(&my.url, &user, Some("R1ght-pass"));
    let opened = open_source(&url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    let secret = find(conn, &my.asset("secret")).await;
    let customers = find(conn, &my.asset("customers")).await;
    suite::permission_denied_names_the_asset(conn, &secret, &customers).await;
    // A table the user has no privilege on at all is hidden from the catalog, yet still
    // reported as a permission problem rather than as missing.
    let hidden = unlisted(&my.asset("hidden"));
    suite::permission_denied_names_the_asset(conn, &hidden, &customers).await;
    let err = conn.sample(&hidden, 10).await.err().unwrap();
    assert!(!err.to_string().contains("R1ght-pass"));
    my.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_statement_timeout_is_reported_with_its_value() {
    let Some(my) = MySqlScratch::create("mysql_statement_timeout_is_reported_with_its_value").await
    else {
        return;
    };
    my.exec(&format!(
        "CREATE VIEW {}.slow AS SELECT SLEEP(5) AS s",
        my.database
    ))
    .await;
    let options = SourceOptions {
        statement_timeout: Duration::from_millis(300),
        ..Default::default()
    };
    let opened = open_source_with(&my.url, &options).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    suite::statement_timeout_is_reported_with_its_value(conn, &unlisted(&my.asset("slow"))).await;
    my.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_sessions_are_read_only() {
    let Some(my) = MySqlScratch::create("mysql_sessions_are_read_only").await else {
        return;
    };
    let db = &my.database;
    my.exec(&format!("CREATE TABLE {db}.audit (n int)")).await;
    my.exec(&format!(
        "CREATE FUNCTION {db}.sneaky() RETURNS int MODIFIES SQL DATA \
         BEGIN INSERT INTO {db}.audit VALUES (1); RETURN 1; END"
    ))
    .await;
    my.exec(&format!(
        "CREATE VIEW {db}.trap AS SELECT {db}.sneaky() AS n"
    ))
    .await;
    let opened = open_source(&my.url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    suite::sessions_refuse_writes(conn, &unlisted(&my.asset("trap"))).await;
    let written: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {db}.audit"))
        .fetch_one(&my.admin)
        .await
        .unwrap();
    assert_eq!(written, 0);
    my.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_without_database_lists_every_user_database() {
    let Some(my) = MySqlScratch::create("mysql_without_database_lists_every_user_database").await
    else {
        return;
    };
    let opened = open_source(&with_path(&my.server_url, "")).await.unwrap();
    let names: Vec<String> = opened.connectors[0]
        .list_assets()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert!(names.contains(&my.asset("customers")), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("mysql.") || n.starts_with("information_schema.")),
        "{names:?}"
    );
    my.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_password_from_env_or_file() {
    let Some(mut my) = MySqlScratch::create("mysql_password_from_env_or_file").await else {
        return;
    };
    let user = my.create_user("Fr0m-elsewhere").await;
    my.exec(&format!(
        "GRANT SELECT ON {}.* TO '{user}'@'%'",
        my.database
    ))
    .await;
    let url = with_credentials(&my.url, &user, None);

    let var = format!("MULU_TEST_PW_{}", std::process::id());
    // Only this test reads this variable.
    unsafe { std::env::set_var(&var, "Fr0m-elsewhere\n") };
    let options = SourceOptions {
        password_env: Some(var.clone()),
        ..Default::default()
    };
    let opened = open_source_with(&url, &options).await.unwrap();
    assert!(opened.connectors[0].list_assets().await.unwrap().len() == 1);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pw");
    std::fs::write(&file, "  Fr0m-elsewhere \n").unwrap();
    let options = SourceOptions {
        password_file: Some(file),
        ..Default::default()
    };
    open_source_with(&url, &options).await.unwrap();

    // The URL's password wins; a wrong one fails without echoing either.
    unsafe { std::env::set_var(&var, "Wr0ng-from-env") };
    let options = SourceOptions {
        password_env: Some(var.clone()),
        ..Default::default()
    };
    let err = open_source_with(&url, &options).await.err().unwrap();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(!err.to_string().contains("Wr0ng-from-env"), "{err}");
    unsafe { std::env::remove_var(&var) };
    my.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_types_are_declared_and_values_are_text() {
    let Some(my) = MySqlScratch::create("mysql_types_are_declared_and_values_are_text").await
    else {
        return;
    };
    let t = my.asset("kinds");
    my.exec(&format!(
        "CREATE TABLE {t} (n decimal(10, 2), d date, ts datetime, b blob, j json, \
         g varchar(20) CHARACTER SET gbk) DEFAULT CHARSET = utf8mb4"
    ))
    .await;
    my.exec(&format!(
        "INSERT INTO {t} VALUES (12.5, '2024-01-02', '2024-01-02 03:04:05', x'0102', \
         '{{\"phone\": \"13800138000\"}}', '京A12345')"
    ))
    .await;
    let opened = open_source(&my.url).await.unwrap();
    let sample = opened.connectors[0]
        .sample(&unlisted(&t), 10)
        .await
        .unwrap();
    use arrow_schema::DataType as T;
    let types: Vec<T> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.data_type().clone())
        .collect();
    assert_eq!(types[0], T::Decimal128(38, 10));
    assert_eq!(types[1], T::Date32);
    assert_eq!(types[3], T::Binary);
    let batch = &sample.batches[0];
    let values: Vec<Option<String>> = (0..batch.num_columns())
        .map(|i| {
            let a = batch
                .column(i)
                .as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .unwrap();
            arrow_array::Array::is_valid(a, 0).then(|| a.value(0).to_string())
        })
        .collect();
    assert_eq!(values[0].as_deref(), Some("12.50"));
    assert_eq!(values[2].as_deref(), Some("2024-01-02 03:04:05"));
    assert_eq!(values[3], None, "blobs are not text");
    assert!(values[4].as_deref().unwrap().contains("13800138000"));
    assert_eq!(
        values[5].as_deref(),
        Some("京A12345"),
        "gbk is converted to UTF-8"
    );
    my.finish().await;
}

/// A full pass over a table that takes longer than the statement timeout still reads every
/// row: it pages through the primary key, one short statement per batch, instead of one
/// statement for the whole table. The consumer here is slow on purpose (as the persons
/// counter is on a big table).
#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_full_pass_outlasts_the_statement_timeout() {
    let Some(my) = MySqlScratch::create("mysql_full_pass_outlasts_the_statement_timeout").await
    else {
        return;
    };
    let db = &my.database;
    my.exec(&format!("CREATE TABLE {db}.d (n INT)")).await;
    my.exec(&format!(
        "INSERT INTO {db}.d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)"
    ))
    .await;
    // Composite primary key, not in column order, with a gap-free and a repeated part.
    my.exec(&format!(
        "CREATE TABLE {db}.orders (region VARCHAR(8), mobile VARCHAR(20), seq INT, note TEXT, \
         PRIMARY KEY (seq, region))"
    ))
    .await;
    my.exec(&format!(
        "INSERT INTO {db}.orders \
         SELECT IF(a.n = 0, 'north', 'south'), \
                CONCAT('139', LPAD(b.n * 10000 + c.n * 1000 + d.n * 100 + e.n * 10 + f.n, 8, '0')), \
                b.n * 10000 + c.n * 1000 + d.n * 100 + e.n * 10 + f.n, REPEAT('x', 300) \
         FROM {db}.d a, {db}.d b, {db}.d c, {db}.d d, {db}.d e, {db}.d f WHERE a.n < 2"
    ))
    .await;
    let options = SourceOptions {
        statement_timeout: Duration::from_secs(1),
        ..Default::default()
    };
    let opened = open_source_with(&my.url, &options).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    let orders = find(conn, &my.asset("orders")).await;
    let mut stream = conn
        .scan_columns(
            &orders,
            &["mobile".into(), "region".into(), "note".into()],
            10_000,
        )
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let (mut rows, mut mobiles) = (0, std::collections::HashSet::new());
    while let Some(batch) = futures::StreamExt::next(&mut stream).await {
        let batch = batch.unwrap_or_else(|e| panic!("after {rows} rows: {e}"));
        rows += batch.num_rows();
        let col = arrow_array::cast::AsArray::as_string::<i32>(batch.column(0));
        mobiles.extend(col.iter().flatten().map(str::to_string));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        started.elapsed() > Duration::from_secs(2),
        "slower than the timeout"
    );
    assert_eq!(rows, 200_000, "every row exactly once");
    assert_eq!(mobiles.len(), 100_000);
    my.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_dotted_names_cannot_collide() {
    let Some(pg) = PgScratch::create("postgres_dotted_names_cannot_collide").await else {
        return;
    };
    // `"<schema>.x"."y"` and `<schema>."x.y"` both used to read `<schema>.x.y`.
    let dotted_schema = format!("{}.x", pg.schema);
    pg.exec(&format!("CREATE SCHEMA \"{dotted_schema}\"")).await;
    pg.exec(&format!(
        "CREATE TABLE \"{dotted_schema}\".y (mobile text); \
         INSERT INTO \"{dotted_schema}\".y VALUES ('13800138000')"
    ))
    .await;
    pg.exec(&format!(
        "CREATE TABLE {}.\"x.y\" (email text); INSERT INTO {}.\"x.y\" VALUES ('a@example.com')",
        pg.schema, pg.schema
    ))
    .await;
    let conn = open_source(&pg.url).await.unwrap().connectors[0].clone();
    let a = format!("\"{dotted_schema}\".y");
    let b = format!("{}.\"x.y\"", pg.schema);
    let first = conn.sample(&find(conn.as_ref(), &a).await, 10).await;
    let second = conn.sample(&find(conn.as_ref(), &b).await, 10).await;
    pg.exec(&format!("DROP SCHEMA \"{dotted_schema}\" CASCADE"))
        .await;
    pg.finish().await;
    let column = |s: connectors::Sample| s.schema.field(0).name().clone();
    assert_eq!(column(first.unwrap()), "mobile");
    assert_eq!(column(second.unwrap()), "email");
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn a_postgres_table_without_columns_is_read_as_empty() {
    let Some(pg) = PgScratch::create("a_postgres_table_without_columns_is_read_as_empty").await
    else {
        return;
    };
    pg.exec(&format!("CREATE TABLE {}.nocols ()", pg.schema))
        .await;
    let conn = open_source(&pg.url).await.unwrap().connectors[0].clone();
    let asset = find(conn.as_ref(), &pg.asset("nocols")).await;
    let sample = conn.sample(&asset, 10).await;
    let missing = conn.sample(&unlisted(&pg.asset("no_such_table")), 10).await;
    pg.finish().await;
    let sample = sample.unwrap();
    assert_eq!(sample.schema.fields().len(), 0);
    assert_eq!(sample.num_rows(), 0);
    assert!(sample.warnings.iter().any(|w| w.contains("no columns")));
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
}
