//! The few things the generic SQL connector needs from a sqlx driver: run a statement, stream
//! one, read a column as text.
//!
//! They are the same few lines for every driver, but sqlx only offers them on concrete types
//! (its generic bounds are higher-ranked and do not survive `tokio::spawn`), so they are
//! written once here by a macro and the generic code never names an `Executor`.

use futures::future::BoxFuture;
use futures::stream::BoxStream;

/// A sqlx database the generic SQL connector can run statements on.
///
/// Every method takes a plain connection, so the same calls work on a pooled connection and
/// inside a transaction (both dereference to one).
pub(crate) trait SqlDriver: sqlx::Database {
    /// Runs one prepared (not cached) statement with text parameters and returns every row.
    fn query_rows<'c>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
        binds: &'c [String],
    ) -> BoxFuture<'c, Result<Vec<Self::Row>, sqlx::Error>>;

    /// Runs SQL through the simple (text) protocol: session setup, several statements at
    /// once, and statements some servers cannot prepare (`DECLARE`, `FETCH`).
    fn raw_rows<'c>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
    ) -> BoxFuture<'c, Result<Vec<Self::Row>, sqlx::Error>>;

    /// Runs one statement and streams its rows as the server sends them.
    fn stream_rows<'c>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
    ) -> BoxStream<'c, Result<Self::Row, sqlx::Error>>;

    /// Column `i` of `row` as text. The generic connector only reads columns its SQL cast to
    /// text, so the wire type is not checked: servers differ in the flags they attach to cast
    /// and catalog columns. Borrowed from the row: a sample copies each value once, into its
    /// column.
    fn text_at(row: &Self::Row, i: usize) -> Result<Option<&str>, sqlx::Error>;
}

macro_rules! sql_driver {
    ($db:ty) => {
        impl SqlDriver for $db {
            fn query_rows<'c>(
                conn: &'c mut Self::Connection,
                sql: &'c str,
                binds: &'c [String],
            ) -> BoxFuture<'c, Result<Vec<Self::Row>, sqlx::Error>> {
                Box::pin(async move {
                    let mut query = sqlx::query(sql).persistent(false);
                    for value in binds {
                        query = query.bind(value.as_str());
                    }
                    query.fetch_all(conn).await
                })
            }

            fn raw_rows<'c>(
                conn: &'c mut Self::Connection,
                sql: &'c str,
            ) -> BoxFuture<'c, Result<Vec<Self::Row>, sqlx::Error>> {
                sqlx::Executor::fetch_all(conn, sql)
            }

            fn stream_rows<'c>(
                conn: &'c mut Self::Connection,
                sql: &'c str,
            ) -> BoxStream<'c, Result<Self::Row, sqlx::Error>> {
                sqlx::query(sql).persistent(false).fetch(conn)
            }

            fn text_at(row: &Self::Row, i: usize) -> Result<Option<&str>, sqlx::Error> {
                sqlx::Row::try_get_unchecked::<Option<&str>, _>(row, i)
            }
        }
    };
}

sql_driver!(sqlx::Sqlite);
#[cfg(feature = "postgres")]
sql_driver!(sqlx::Postgres);
#[cfg(feature = "mysql")]
sql_driver!(sqlx::MySql);
