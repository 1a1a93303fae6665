//! The few things the generic SQL connector needs from a sqlx driver: run a statement, stream
//! one, read a column as text.
//!
//! They are the same few lines for every driver, but sqlx only offers them on concrete types
//! (its generic bounds are higher-ranked and do not survive `tokio::spawn`), so they are
//! written once here by a macro and the generic code never names an `Executor`.

use futures::future::BoxFuture;
use futures::stream::BoxStream;

use crate::batch::StringRows;

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

    /// Runs a SELECT whose columns are all text and appends its rows to `out`: by default a
    /// prepared statement's rows; PostgreSQL's COPY where it has one ([`super::pg_copy`]).
    fn text_rows_into<'c>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
        out: &'c mut StringRows,
    ) -> BoxFuture<'c, Result<(), sqlx::Error>>;

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

/// Appends the row's columns from `from` on, read as text.
pub(crate) fn push_text_row<Db: SqlDriver>(
    out: &mut StringRows,
    row: &Db::Row,
    from: usize,
) -> Result<(), sqlx::Error> {
    for i in 0..out.width() {
        out.push(i, Db::text_at(row, from + i)?);
    }
    out.end_row();
    Ok(())
}

macro_rules! sql_driver {
    ($db:ty) => {
        sql_driver!($db, |conn, sql, out| Box::pin(async move {
            for row in &Self::query_rows(conn, sql, &[]).await? {
                push_text_row::<Self>(out, row, 0)?;
            }
            Ok(())
        }));
    };
    ($db:ty, |$conn:ident, $sql:ident, $out:ident| $text_rows:expr) => {
        impl SqlDriver for $db {
            fn text_rows_into<'c>(
                $conn: &'c mut Self::Connection,
                $sql: &'c str,
                $out: &'c mut StringRows,
            ) -> BoxFuture<'c, Result<(), sqlx::Error>> {
                $text_rows
            }

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
sql_driver!(sqlx::Postgres, |conn, sql, out| Box::pin(
    super::pg_copy::copy_text_rows(conn, sql, out)
));
#[cfg(feature = "mysql")]
sql_driver!(sqlx::MySql);
