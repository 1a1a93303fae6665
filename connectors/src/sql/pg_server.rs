//! A PostgreSQL URL without a database: the whole server, one source per database.
//!
//! libpq would connect to the database named like the user (usually the empty `postgres`
//! maintenance database) and a scan would silently find nothing. A data officer who names a
//! server wants the server, as a MySQL URL without a database already gives it: every
//! database that accepts connections and that the user may connect to, templates excepted.

use sqlx::{ConnectOptions, Connection, Row};

use super::dialect::SqlDialect;
use super::PostgresDialect;
use crate::{Result, SourceOptions};

/// Every database on the server that the user may connect to, when the URL names none
/// (no path and no `dbname` parameter); `None` when it names one.
///
/// # Errors
/// The server cannot be reached or refuses the user, named as for any PostgreSQL source.
pub(crate) async fn databases(spec: &str, options: &SourceOptions) -> Result<Option<Vec<String>>> {
    let Ok(parsed) = url::Url::parse(spec) else {
        // A URL that does not parse fails with its cause when it is opened.
        return Ok(None);
    };
    let named = parsed.path().trim_start_matches('/').is_empty()
        && !parsed.query_pairs().any(|(k, _)| k == "dbname");
    if !named {
        return Ok(None);
    }
    let connected = PostgresDialect::connect(spec, options).await?;
    let errors = &connected.errors;
    let mut conn = connected
        .connect
        .connect()
        .await
        .map_err(|e| errors.map(None, e))?;
    let mut txn = conn.begin().await.map_err(|e| errors.map(None, e))?;
    sqlx::query("SET TRANSACTION READ ONLY")
        .execute(&mut *txn)
        .await
        .map_err(|e| errors.map(None, e))?;
    let rows = sqlx::query(
        "SELECT datname::text FROM pg_catalog.pg_database \
         WHERE datallowconn AND NOT datistemplate \
           AND has_database_privilege(datname, 'CONNECT') \
         ORDER BY 1",
    )
    .fetch_all(&mut *txn)
    .await
    .map_err(|e| errors.map(None, e))?;
    let _ = txn.rollback().await;
    let _ = conn.close().await;
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).map_err(|e| errors.map(None, e)))
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// `spec` with its path set to `database`.
pub(crate) fn with_database(spec: &str, database: &str) -> String {
    match url::Url::parse(spec) {
        Ok(mut url) => {
            url.path_segments_mut()
                .map(|mut p| {
                    p.clear().push(database);
                })
                .ok();
            url.to_string()
        }
        Err(_) => spec.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_is_set_as_the_path_with_the_rest_kept() {
        assert_eq!(
            with_database("postgres://u:p@db:5433?sslmode=require", "crm 2"),
            "postgres://u:p@db:5433/crm%202?sslmode=require"
        );
        assert_eq!(with_database("postgres://db/", "a"), "postgres://db/a");
    }
}
