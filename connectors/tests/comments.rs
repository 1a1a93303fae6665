//! Table and column COMMENTs reach the sample's Arrow metadata (`connectors::COMMENT_KEY`),
//! against real PostgreSQL and MySQL/MariaDB servers.

#![cfg(any(feature = "postgres", feature = "mysql"))]

mod common;

#[cfg(feature = "mysql")]
use common::services::MySqlScratch;
#[cfg(feature = "postgres")]
use common::services::PgScratch;
use connectors::{open_source, AssetInfo, ConnectorExt, COMMENT_KEY};

/// The table's comment and each column's `(name, comment)` in a sample of `table`.
async fn comments(url: &str, table: &str) -> (Option<String>, Vec<(String, Option<String>)>) {
    let opened = open_source(url).await.unwrap();
    let asset = AssetInfo::table(table.to_string(), None, None);
    let sample = opened.connectors[0].sample(&asset, 10).await.unwrap();
    let columns = sample
        .schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.metadata().get(COMMENT_KEY).cloned()))
        .collect();
    (sample.schema.metadata().get(COMMENT_KEY).cloned(), columns)
}

fn expected() -> Vec<(String, Option<String>)> {
    [
        ("c1", Some("车牌号")),
        ("c2", Some("GPS经度")),
        ("c3", None),
    ]
    .into_iter()
    .map(|(n, c)| (n.to_string(), c.map(str::to_string)))
    .collect()
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_comments_are_field_and_schema_metadata() {
    let Some(pg) = PgScratch::create("postgres_comments_are_field_and_schema_metadata").await
    else {
        return;
    };
    let t = pg.asset("pos");
    pg.exec(&format!(
        "CREATE TABLE {t} (c1 varchar(12), c2 double precision, c3 int)"
    ))
    .await;
    pg.exec(&format!("COMMENT ON TABLE {t} IS '车辆最新位置'"))
        .await;
    pg.exec(&format!("COMMENT ON COLUMN {t}.c1 IS '车牌号'"))
        .await;
    pg.exec(&format!("COMMENT ON COLUMN {t}.c2 IS ' GPS经度 '"))
        .await;
    pg.exec(&format!("COMMENT ON COLUMN {t}.c3 IS ''")).await;
    pg.exec(&format!(
        "INSERT INTO {t} VALUES ('京A12345', 116.397128, 1)"
    ))
    .await;
    let (table, columns) = comments(&pg.url, &t).await;
    assert_eq!(table.as_deref(), Some("车辆最新位置"));
    assert_eq!(columns, expected());
    pg.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_comments_are_field_and_schema_metadata() {
    let Some(my) = MySqlScratch::create("mysql_comments_are_field_and_schema_metadata").await
    else {
        return;
    };
    let t = my.asset("pos");
    my.exec(&format!(
        "CREATE TABLE {t} (c1 varchar(12) COMMENT '车牌号', c2 double COMMENT 'GPS经度', \
         c3 int) COMMENT = '车辆最新位置' DEFAULT CHARSET = utf8mb4"
    ))
    .await;
    my.exec(&format!(
        "INSERT INTO {t} VALUES ('京A12345', 116.397128, 1)"
    ))
    .await;
    let (table, columns) = comments(&my.url, &t).await;
    assert_eq!(table.as_deref(), Some("车辆最新位置"));
    assert_eq!(columns, expected());
    // A view has no comment of its own (the catalog says `VIEW`).
    let v = my.asset("pos_view");
    my.exec(&format!("CREATE VIEW {v} AS SELECT c1 FROM {t}"))
        .await;
    let (table, _) = comments(&my.url, &v).await;
    assert_eq!(table, None);
    my.finish().await;
}
