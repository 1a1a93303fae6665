//! Every connector against the same fixture and the same checks (see `common/suite.rs`).
//!
//! SQLite and the lake always run; PostgreSQL and MySQL run when their `MULU_TEST_*_URL` is
//! set (and must, with `MULU_REQUIRE_SERVICES=1`).

mod common;

use common::fixture::{self, Expected};
#[cfg(any(feature = "postgres", feature = "mysql"))]
use common::services::with_credentials;
#[cfg(feature = "mysql")]
use common::services::MySqlScratch;
#[cfg(feature = "postgres")]
use common::services::PgScratch;
use common::suite;

#[tokio::test]
async fn sqlite_conformance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    fixture::write_sqlite(&path).await;
    let opened = connectors::open_source(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    suite::run_all(opened.connectors[0].as_ref(), &Expected::new("customers")).await;
}

#[tokio::test]
async fn lake_parquet_and_csv_conformance() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write_lake(dir.path());
    let opened = connectors::open_source(dir.path().to_str().unwrap())
        .await
        .unwrap();
    let lake = opened.connectors[0].as_ref();
    suite::run_all(lake, &Expected::new("customers.parquet")).await;
    suite::run_all(lake, &Expected::new("customers.csv")).await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_conformance() {
    let Some(pg) = PgScratch::create("postgres_conformance").await else {
        return;
    };
    let opened = connectors::open_source(&pg.url).await.unwrap();
    suite::run_all(
        opened.connectors[0].as_ref(),
        &Expected::new(pg.asset("customers")),
    )
    .await;
    pg.finish().await;
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_bad_credentials() {
    let Some(pg) = PgScratch::create("postgres_bad_credentials").await else {
        return;
    };
    // The test server trusts local connections, so an unknown role is the credential it
    // refuses; the password must still never show.
    let spec = with_credentials(&pg.url, "mulu_no_such_role", Some("Wr0ng-pg-pass"));
    suite::bad_credentials_are_auth_errors(&spec, "Wr0ng-pg-pass").await;
    pg.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_conformance() {
    let Some(my) = MySqlScratch::create("mysql_conformance").await else {
        return;
    };
    let opened = connectors::open_source(&my.url).await.unwrap();
    suite::run_all(
        opened.connectors[0].as_ref(),
        &Expected::new(my.asset("customers")),
    )
    .await;
    my.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mysql_bad_credentials() {
    let Some(mut my) = MySqlScratch::create("mysql_bad_credentials").await else {
        return;
    };
    let user = my.create_user("R1ght-pass").await;
    let spec = with_credentials(&my.url, &user, Some("Wr0ng-my-pass"));
    suite::bad_credentials_are_auth_errors(&spec, "Wr0ng-my-pass").await;
    my.finish().await;
}

#[tokio::test]
async fn include_exclude_globs_apply_to_local_sources() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write_lake(dir.path());
    fixture::write_sqlite(&dir.path().join("crm.db")).await;
    let options = connectors::SourceOptions {
        exclude: vec!["*.csv".into()],
        ..Default::default()
    };
    let opened = connectors::open_source_with(dir.path().to_str().unwrap(), &options)
        .await
        .unwrap();
    let mut names = Vec::new();
    for conn in &opened.connectors {
        names.extend(
            conn.list_assets()
                .await
                .unwrap()
                .into_iter()
                .map(|a| a.name),
        );
    }
    names.sort();
    assert_eq!(names, ["customers", "customers.parquet"]);
}

/// A connector that remembers the one request it was asked.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<connectors::ReadRequest>>);

#[async_trait::async_trait]
impl connectors::Connector for Recorder {
    fn display_url(&self) -> &str {
        "recorder://"
    }
    async fn list_assets(&self) -> connectors::Result<Vec<connectors::AssetInfo>> {
        Ok(Vec::new())
    }
    async fn read(
        &self,
        asset: &connectors::AssetInfo,
        request: &connectors::ReadRequest,
    ) -> connectors::Result<connectors::Read> {
        self.0.lock().unwrap().push(request.clone());
        Err(connectors::Error::NotFound {
            asset: asset.name.clone(),
            detail: String::new(),
        })
    }
}

/// `sample` and `scan_columns` are only spellings of a [`connectors::ReadRequest`]: a
/// connector implements `read` alone and answers both.
#[tokio::test]
async fn sample_and_scan_columns_are_read_requests() {
    use connectors::{ConnectorExt, Projection, ReadMode, ReadRequest};
    let asset = connectors::AssetInfo::table("t".into(), None, None);
    let recorder = Recorder::default();
    assert!(recorder.sample(&asset, 7).await.is_err());
    assert!(recorder
        .scan_columns(&asset, &["a".into()], 10)
        .await
        .is_err());
    let requests = recorder.0.lock().unwrap().clone();
    assert_eq!(
        requests,
        [
            ReadRequest {
                projection: Projection::All,
                limit: Some(7),
                mode: ReadMode::Sample,
                batch_rows: 7,
            },
            ReadRequest {
                projection: Projection::Columns(vec!["a".into()]),
                limit: None,
                mode: ReadMode::FullPass,
                batch_rows: 10,
            },
        ]
    );
}
