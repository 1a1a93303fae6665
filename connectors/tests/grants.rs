//! What a scanning user with narrow grants cannot see is reported, never taken for complete:
//! columns left out by column-level grants make the read partial, and a MySQL user without a
//! database-wide grant gets a listing gap (the catalog hides tables it has no grant on). Also:
//! a view cannot switch the session out of read-only mode for the reads after it.

#![cfg(any(feature = "postgres", feature = "mysql"))]

mod common;

use common::services::with_credentials;
#[cfg(feature = "mysql")]
use common::services::MySqlScratch;
#[cfg(feature = "postgres")]
use common::services::PgScratch;
use connectors::{
    open_source, open_source_with, AssetInfo, ConnectorExt, Error, ReadRequest, SourceOptions,
};

fn unlisted(name: &str) -> AssetInfo {
    AssetInfo::table(name.to_string(), None, None)
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_column_grants_read_what_is_granted_and_say_what_is_not() {
    let Some(mut pg) = PgScratch::create("postgres_column_grants").await else {
        return;
    };
    let s = pg.schema.clone();
    pg.exec(&format!(
        "CREATE TABLE {s}.people (id int, city text, id_card text, phone text)"
    ))
    .await;
    pg.exec(&format!("CREATE TABLE {s}.locked (id int, phone text)"))
        .await;
    let role = pg.create_role().await;
    pg.exec(&format!("GRANT USAGE ON SCHEMA {s} TO {role}"))
        .await;
    pg.exec(&format!("GRANT SELECT (id, city) ON {s}.people TO {role}"))
        .await;

    let opened = open_source(&with_credentials(&pg.url, &role, None))
        .await
        .unwrap();
    let conn = opened.connectors[0].as_ref();
    let sample = conn
        .sample(&unlisted(&pg.asset("people")), 10)
        .await
        .unwrap();
    let names: Vec<&str> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, ["id", "city"]);
    let cause = sample.incomplete.expect("the read must say it is partial");
    assert!(
        cause.contains("2 of its 4 columns (id_card, phone)"),
        "{cause}"
    );
    // The full pass says so too.
    let read = conn
        .read(
            &unlisted(&pg.asset("people")),
            &ReadRequest::full_pass(vec!["id".into()], 100),
        )
        .await
        .unwrap();
    assert!(read.incomplete.is_some());
    // Not one column granted: a permission error, not an empty read.
    let err = conn
        .sample(&unlisted(&pg.asset("locked")), 10)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::PermissionDenied { detail, .. } if detail.contains("any of its 2 columns")),
        "{err}"
    );
    // The table grant makes it whole again.
    pg.exec(&format!("GRANT SELECT ON {s}.people TO {role}"))
        .await;
    let sample = conn
        .sample(&unlisted(&pg.asset("people")), 10)
        .await
        .unwrap();
    assert_eq!(sample.schema.fields().len(), 4);
    assert_eq!(sample.incomplete, None);
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn a_postgres_view_cannot_turn_read_only_off_for_later_reads() {
    let Some(pg) = PgScratch::create("a_postgres_view_cannot_turn_read_only_off").await else {
        return;
    };
    let s = &pg.schema;
    pg.exec(&format!("CREATE TABLE {s}.audit (n int)")).await;
    pg.exec(&format!(
        "CREATE VIEW {s}.flip AS \
         SELECT set_config('default_transaction_read_only', 'off', false) AS was"
    ))
    .await;
    pg.exec(&format!(
        "CREATE FUNCTION {s}.sneaky() RETURNS int LANGUAGE plpgsql AS \
         $$ BEGIN INSERT INTO {s}.audit VALUES (1); RETURN 1; END $$"
    ))
    .await;
    pg.exec(&format!("CREATE VIEW {s}.trap AS SELECT {s}.sneaky() AS n"))
        .await;
    // One connection, so the trap runs in the session the flip changed.
    let options = SourceOptions {
        max_connections: 1,
        ..Default::default()
    };
    let opened = open_source_with(&pg.url, &options).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    conn.sample(&unlisted(&pg.asset("flip")), 1).await.unwrap();
    let err = conn
        .sample(&unlisted(&pg.asset("trap")), 1)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    let written: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {s}.audit"))
        .fetch_one(&pg.admin)
        .await
        .unwrap();
    assert_eq!(written, 0);
    pg.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_column_grants_and_table_grants_are_reported_as_partial() {
    let Some(mut my) = MySqlScratch::create("mysql_column_grants").await else {
        return;
    };
    let db = my.database.clone();
    my.exec(&format!(
        "CREATE TABLE {db}.people (id int, city text, id_card text, phone text)"
    ))
    .await;
    my.exec(&format!("CREATE TABLE {db}.invisible (id int, phone text)"))
        .await;
    let user = my.create_user("Gr4nts-only").await;
    my.exec(&format!(
        "GRANT SELECT (id, city) ON {db}.people TO '{user}'@'%'"
    ))
    .await;
    my.exec(&format!("GRANT SELECT ON {db}.customers TO '{user}'@'%'"))
        .await;

    let url = with_credentials(&my.url, &user, Some("Gr4nts-only"));
    let opened = open_source(&url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    let mut listed: Vec<String> = conn
        .list_assets()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    listed.sort();
    // The catalog hides `invisible`: the listing cannot name it, so it says it may miss some.
    assert_eq!(listed, [my.asset("customers"), my.asset("people")]);
    let gap = conn.list().await.unwrap().gap.expect("a listing gap");
    assert!(gap.contains(&format!("SELECT ON `{db}`.*")), "{gap}");

    let sample = conn
        .sample(&unlisted(&my.asset("people")), 10)
        .await
        .unwrap();
    assert_eq!(sample.schema.fields().len(), 2);
    let cause = sample.incomplete.expect("column grants only: partial");
    assert!(
        cause.contains("column grants only (2 columns granted)"),
        "{cause}"
    );
    let whole = conn
        .sample(&unlisted(&my.asset("customers")), 10)
        .await
        .unwrap();
    assert_eq!(whole.incomplete, None);

    // A database-wide grant closes both gaps.
    my.exec(&format!("GRANT SELECT ON {db}.* TO '{user}'@'%'"))
        .await;
    let opened = open_source(&url).await.unwrap();
    let conn = opened.connectors[0].as_ref();
    assert_eq!(conn.list().await.unwrap().gap, None);
    let sample = conn
        .sample(&unlisted(&my.asset("people")), 10)
        .await
        .unwrap();
    assert_eq!(sample.incomplete, None);
    assert_eq!(sample.schema.fields().len(), 4);
    // The admin user (server-wide SELECT) has no gap.
    let admin = open_source(&my.url).await.unwrap();
    assert_eq!(admin.connectors[0].list().await.unwrap().gap, None);
    my.finish().await;
}
