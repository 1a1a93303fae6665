//! [`SqlDialect`]: everything that differs between SQL databases, and nothing else.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};
use async_trait::async_trait;
use sqlx::{Connection, Database, Pool};

use super::driver::SqlDriver;
use super::errors::{ErrorContext, Failure};
use super::keyset::PageKey;
use crate::{AssetInfo, Result, SourceOptions};

/// How to connect, as the driver takes it.
pub(crate) type ConnectOptions<D> =
    <<<D as SqlDialect>::Db as Database>::Connection as Connection>::Options;

/// One SQL database flavour behind the generic [`super::SqlConnector`].
///
/// The generic connector owns everything the databases share: the connection pool and its
/// cap, session setup on every new connection, the sampling flow, reading values as text into
/// Arrow batches, full passes in bounded batches, include/exclude globs (through
/// [`crate::FilteredConnector`]) and the wording of errors. A dialect supplies only what
/// differs, as SQL text or as catalog queries.
///
/// # Adding a dialect
/// 1. Make sure its sqlx driver implements [`SqlDriver`] (one `sql_driver!` line in
///    `sql/driver.rs`; SQLite, PostgreSQL and MySQL are there).
/// 2. Implement this trait in `sql/<name>.rs`:
///    - [`connect`](Self::connect): parse the URL, check one connection so an unreachable
///      server or refused credentials fail the source rather than every asset, and return the
///      driver's connect options plus an [`ErrorContext`] (user, redacted URL, password to
///      scrub, [`classify`](Self::classify));
///    - [`session_setup`](Self::session_setup): the statements that make every pooled
///      connection read-only and put it under the statement timeout;
///    - [`classify`](Self::classify): the server's error codes for bad credentials, missing
///      privileges, a cancelled statement and a missing table;
///    - [`quote_ident`](Self::quote_ident), [`list_assets`](Self::list_assets) (from the
///      catalogs and their statistics, never `COUNT(*)` on a server), and
///      [`describe`](Self::describe) (columns, their Arrow types and the SQL reading each as
///      text, binary values as NULL);
///    - optionally [`sample_sql`](Self::sample_sql) (random sampling such as `TABLESAMPLE`)
///      and [`full_pass`](Self::full_pass) (a cursor or key paging instead of one statement).
/// 3. Add a `SqlConnector<YourDialect>` arm for its URL schemes in `source.rs`, behind a
///    Cargo feature, and run the conformance suite (`connectors/tests/conformance.rs`)
///    against a real server.
#[async_trait]
pub(crate) trait SqlDialect: Sized + Send + Sync + 'static {
    /// The sqlx database this dialect speaks.
    type Db: SqlDriver;

    /// Short backend name for messages and reports (`postgres`).
    const NAME: &'static str;

    /// Starts the transaction every read of the source's data runs in: read-only where the
    /// dialect can say so.
    const BEGIN_READ: &'static str = "BEGIN";

    /// Parses `spec` (the SOURCE as given), checks one connection, and returns the dialect
    /// with what it learned about the server.
    ///
    /// # Errors
    /// [`crate::Error::Unreachable`], [`crate::Error::Auth`], [`crate::Error::NotFound`]
    /// (no such database or file), or [`crate::Error::UnsupportedSource`] for a malformed URL.
    async fn connect(spec: &str, options: &SourceOptions) -> Result<Connected<Self>>;

    /// SQL run on every new connection before it is used: read-only mode and the statement
    /// timeout, so no query can escape either. Empty when the connect options already do it.
    fn session_setup(&self, options: &SourceOptions) -> Vec<String>;

    /// What a server error means for the user.
    fn classify(err: &dyn sqlx::error::DatabaseError) -> Failure;

    /// Quotes an identifier.
    fn quote_ident(name: &str) -> String;

    /// SQL reading `expr` as text.
    fn as_text(expr: &str) -> String {
        format!("CAST({expr} AS TEXT)")
    }

    /// `namespace.name`, each part quoted: what a statement reads `FROM`.
    fn qualified(namespace: &str, name: &str) -> String {
        format!(
            "{}.{}",
            Self::quote_ident(namespace),
            Self::quote_ident(name)
        )
    }

    /// Lists tables and views, cheaply: catalogs and statistics, not the data.
    async fn list_assets(
        &self,
        pool: &Pool<Self::Db>,
        errors: &ErrorContext,
    ) -> Result<Vec<AssetInfo>>;

    /// Why the listing may miss tables that exist (the catalogs hide what the user has no
    /// grant on), if it may; the source is then reported as partly read.
    async fn listing_gap(
        &self,
        pool: &Pool<Self::Db>,
        errors: &ErrorContext,
    ) -> Result<Option<String>> {
        let _ = (pool, errors);
        Ok(None)
    }

    /// Resolves an asset name to a table and its columns.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] naming the asset when it does not exist, and
    /// [`crate::Error::PermissionDenied`] when it exists but may not be read.
    async fn describe(
        &self,
        pool: &Pool<Self::Db>,
        errors: &ErrorContext,
        name: &str,
    ) -> Result<Table>;

    /// How many tables [`describe_many`](Self::describe_many) describes in one query; 0 when
    /// the dialect describes one table at a time.
    const DESCRIBE_AHEAD: usize = 0;

    /// Describes several tables in one catalog query, for a scan that reads them one after
    /// another (see [`super::describe_ahead`]): the ones it could describe. A table left out
    /// (missing, without readable columns) is described on its own later, with its error.
    async fn describe_many(
        &self,
        pool: &Pool<Self::Db>,
        errors: &ErrorContext,
        names: &[String],
    ) -> Result<Vec<(String, Table)>> {
        let _ = (pool, errors, names);
        Ok(Vec::new())
    }

    /// The statements reading a sample of at most `limit` rows of `select` from `table`.
    ///
    /// The default is the first `limit` rows; a dialect with random sampling returns it as
    /// [`SampleSql::random`], which the connector falls back from when it comes back short.
    fn sample_sql(&self, table: &Table, select: &str, limit: usize) -> SampleSql {
        SampleSql {
            random: None,
            first_rows: format!("SELECT {select} FROM {} LIMIT {limit}", table.from),
            steps: None,
        }
    }

    /// How to read every row of `select` from `table` in batches of `batch_rows`.
    ///
    /// The default is one statement whose rows the server streams; the statement timeout then
    /// bounds the whole pass.
    async fn full_pass(
        &self,
        pool: &Pool<Self::Db>,
        errors: &ErrorContext,
        table: &Table,
        select: &str,
        batch_rows: usize,
    ) -> Result<FullPass> {
        let _ = (pool, errors, batch_rows);
        Ok(FullPass::Statement(format!(
            "SELECT {select} FROM {}",
            table.filtered_source()
        )))
    }
}

/// What [`SqlDialect::connect`] hands to the generic connector.
pub(crate) struct Connected<D: SqlDialect> {
    /// The dialect, with whatever it learned about the server.
    pub dialect: D,
    /// How the pool opens its connections.
    pub connect: ConnectOptions<D>,
    /// How failures on this source are worded.
    pub errors: ErrorContext,
}

/// A table or view resolved by [`SqlDialect::describe`].
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// The schema (PostgreSQL), database (MySQL) or attached database (SQLite) holding it,
    /// unquoted, as the catalogs name it.
    pub namespace: String,
    /// The table name, unquoted.
    pub name: String,
    /// The quoted, qualified name to read `FROM`.
    pub from: String,
    /// Columns in table order.
    pub columns: Vec<Column>,
    /// The table's COMMENT, when it has one: in real schemas often the best label there is
    /// (`车辆最新位置`, `充电桩信息`).
    pub comment: Option<String>,
    /// Estimated rows, for dialects that sample randomly; `None` when unknown or when the
    /// relation cannot be sampled randomly (views).
    pub estimated_rows: Option<f64>,
    /// The table's primary key when it is one integer column: samples spread over its range
    /// ([`super::spread`]) and a sharded run cuts the full pass into its ranges.
    pub integer_key: Option<String>,
    /// A condition every row of a full pass meets (the [`crate::KeyRange`]s of a shard), as
    /// the connector sets it; `None`: every row.
    pub filter: Option<String>,
    /// Why reading it misses data the table holds (columns the user has no grant on), when it
    /// does: the asset is then reported as partly read.
    pub incomplete: Option<String>,
}

/// The [`Table::incomplete`] cause for columns left out for want of a grant.
pub(crate) fn hidden_columns(hidden: &[String], readable: usize) -> Option<String> {
    (!hidden.is_empty()).then(|| {
        format!(
            "no SELECT privilege on {} of its {} columns ({}), which were not read; grant \
             SELECT on the whole table to the scanning user",
            hidden.len(),
            hidden.len() + readable,
            hidden.join(", ")
        )
    })
}

/// One column of a [`Table`].
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// The column name.
    pub name: String,
    /// The source's own type, as the Arrow type it would naturally be.
    pub declared: DataType,
    /// The dialect's type name, for dialect decisions such as which keys can be paged.
    pub type_name: String,
    /// SQL reading the column as text (`NULL` for values that are not text, such as blobs).
    pub text_expr: String,
    /// The column's COMMENT (`GPS经度`, `车牌号`), when it has one.
    pub comment: Option<String>,
}

/// A COMMENT as the catalogs return it, trimmed; `None` when empty.
pub(crate) fn comment(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl Table {
    /// `FROM` the table, with the full pass's [`filter`](Self::filter) as a `WHERE`.
    pub(crate) fn filtered_source(&self) -> String {
        match &self.filter {
            Some(filter) => format!("{} WHERE {filter}", self.from),
            None => self.from.clone(),
        }
    }

    /// Column names in table order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// The declared types of the given columns as an Arrow schema. COMMENTs travel as
    /// metadata under [`crate::COMMENT_KEY`]: on a field for a column's, on the schema for the
    /// table's.
    pub(crate) fn declared_schema(&self, indexes: &[usize]) -> SchemaRef {
        let with_comment = |comment: &Option<String>| {
            comment
                .iter()
                .map(|c| (crate::COMMENT_KEY.to_owned(), c.clone()))
                .collect::<std::collections::HashMap<_, _>>()
        };
        let fields = indexes
            .iter()
            .map(|&i| {
                let c = &self.columns[i];
                Field::new(&c.name, c.declared.clone(), true)
                    .with_metadata(with_comment(&c.comment))
            })
            .collect::<Vec<_>>();
        Arc::new(Schema::new_with_metadata(
            fields,
            with_comment(&self.comment),
        ))
    }

    /// `SELECT` list reading the given columns as text.
    pub(crate) fn select_list(&self, indexes: &[usize]) -> String {
        indexes
            .iter()
            .map(|&i| self.columns[i].text_expr.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The statements of a sample (see [`SqlDialect::sample_sql`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SampleSql {
    /// A random sample (such as `TABLESAMPLE`), tried first when there is one.
    pub random: Option<String>,
    /// The first `limit` rows: bounded, just not random.
    pub first_rows: String,
    /// Probes spread over an integer key, read when the first rows filled the sample (the
    /// table is bigger than it) and there is no random sample.
    pub steps: Option<super::spread::KeySteps>,
}

/// How a full pass reads a table (see [`SqlDialect::full_pass`]).
#[derive(Debug, Clone)]
pub(crate) enum FullPass {
    /// One statement whose rows the server streams.
    Statement(String),
    /// A server-side cursor in a (read-only) transaction: `declare` once, then `fetch` until
    /// it returns no rows. Each fetch is its own statement, so the timeout bounds one batch.
    Cursor {
        /// Declares the cursor over the select.
        declare: String,
        /// Fetches the next batch.
        fetch: String,
    },
    /// Pages through the primary key (see [`super::keyset`]).
    Keyset(Vec<PageKey>),
}
