//! TLS to PostgreSQL and MariaDB, against the machine's servers after
//! `scripts/enable-service-tls` turned TLS on with a throwaway CA (`MULU_TEST_TLS_DIR` names
//! its folder; without it these tests skip, or fail under `MULU_REQUIRE_SERVICES=1`).
//!
//! The default encrypts wherever the server offers TLS; `verify-full` / `VERIFY_IDENTITY`
//! with the right CA connects, with the wrong CA fails naming the fix.

#![cfg(any(feature = "postgres", feature = "mysql"))]

mod common;

use std::path::PathBuf;

use arrow_array::{Array, StringArray};
use common::services::guard;
#[cfg(feature = "mysql")]
use common::services::MySqlScratch;
#[cfg(feature = "postgres")]
use common::services::PgScratch;
use connectors::{open_source, AssetInfo, Connector, ConnectorExt, Error};

/// The folder with `ca.crt` and `wrong-ca.crt`, or `None` when the test should skip.
fn tls_dir(test: &str) -> Option<PathBuf> {
    guard(
        test,
        std::env::var("MULU_TEST_TLS_DIR")
            .ok()
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| "MULU_TEST_TLS_DIR is not set (run scripts/enable-service-tls)".into()),
    )
}

/// `url` with `key=value` options appended to its query.
fn with_query(url: &str, pairs: &[(&str, String)]) -> String {
    let mut u = url::Url::parse(url).unwrap();
    for (k, v) in pairs {
        u.query_pairs_mut().append_pair(k, v);
    }
    u.to_string()
}

/// The one value of the one-row probe view: what the server says about this session's TLS.
async fn probe(conn: &dyn Connector, view: &str) -> Option<String> {
    let sample = conn
        .sample(&AssetInfo::table(view.to_string(), None, None), 1)
        .await
        .unwrap();
    let column = sample.batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .clone();
    (!column.is_null(0)).then(|| column.value(0).to_string())
}

fn ca(dir: &std::path::Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[tokio::test]
async fn postgres_encrypts_by_default_and_verifies_against_the_given_ca() {
    let test = "postgres_encrypts_by_default";
    let Some(dir) = tls_dir(test) else { return };
    let Some(pg) = PgScratch::create(test).await else {
        return;
    };
    let view = pg.asset("tls");
    pg.exec(&format!(
        "CREATE VIEW {view} AS SELECT ssl::text AS ssl FROM pg_stat_ssl \
         WHERE pid = pg_backend_pid()"
    ))
    .await;

    let default = open_source(&pg.url).await.unwrap();
    assert_eq!(
        probe(default.connectors[0].as_ref(), &view)
            .await
            .as_deref(),
        Some("true"),
        "no sslmode: encrypted where the server offers TLS"
    );

    let verified = with_query(
        &pg.url,
        &[
            ("sslmode", "verify-full".into()),
            ("sslrootcert", ca(&dir, "ca.crt")),
        ],
    );
    let opened = open_source(&verified).await.unwrap();
    assert_eq!(
        probe(opened.connectors[0].as_ref(), &view).await.as_deref(),
        Some("true")
    );

    let wrong = with_query(
        &pg.url,
        &[
            ("sslmode", "verify-full".into()),
            ("sslrootcert", ca(&dir, "wrong-ca.crt")),
        ],
    );
    let err = open_source(&wrong).await.err().expect("wrong CA must fail");
    assert!(matches!(err, Error::Tls { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("not trusted"), "{text}");
    assert!(text.contains("sslrootcert=FILE"), "{text}");
    pg.finish().await;
}

#[cfg(feature = "mysql")]
#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[tokio::test]
async fn mariadb_encrypts_by_default_and_verifies_against_the_given_ca() {
    let test = "mariadb_encrypts_by_default";
    let Some(dir) = tls_dir(test) else { return };
    let Some(my) = MySqlScratch::create(test).await else {
        return;
    };
    let view = my.asset("tls");
    my.exec(&format!(
        "CREATE VIEW {view} AS SELECT VARIABLE_VALUE AS v FROM information_schema.SESSION_STATUS \
         WHERE VARIABLE_NAME = 'SSL_VERSION'"
    ))
    .await;
    let version = |v: Option<String>| v.is_some_and(|v| v.starts_with("TLSv1."));

    let default = open_source(&my.url).await.unwrap();
    assert!(
        version(probe(default.connectors[0].as_ref(), &view).await),
        "no ssl-mode: encrypted where the server offers TLS"
    );

    let verified = with_query(
        &my.url,
        &[
            ("ssl-mode", "VERIFY_IDENTITY".into()),
            ("ssl-ca", ca(&dir, "ca.crt")),
        ],
    );
    let opened = open_source(&verified).await.unwrap();
    assert!(version(probe(opened.connectors[0].as_ref(), &view).await));

    let wrong = with_query(
        &my.url,
        &[
            ("ssl-mode", "VERIFY_IDENTITY".into()),
            ("ssl-ca", ca(&dir, "wrong-ca.crt")),
        ],
    );
    let err = open_source(&wrong).await.err().expect("wrong CA must fail");
    assert!(matches!(err, Error::Tls { .. }), "{err}");
    assert!(err.to_string().contains("ssl-ca=FILE"), "{err}");
    my.finish().await;
}
