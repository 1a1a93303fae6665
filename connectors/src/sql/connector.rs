//! [`SqlConnector`]: the one connector for every SQL database, generic over its dialect.

use std::sync::Arc;

use arrow_array::{Array, RecordBatch, StringArray};
use arrow_schema::SchemaRef;
use async_trait::async_trait;
use futures::stream::BoxStream;
use futures::TryStreamExt;
use sqlx::pool::PoolOptions;
use sqlx::Pool;

use super::describe_ahead::DescribeAhead;
use super::dialect::{FullPass, SqlDialect, Table};
use super::driver::{push_text_row, SqlDriver};
use super::errors::{ErrorContext, CONNECT_TIMEOUT};
use super::keyset::{page_binds, page_queries};
use super::spread::{bound, bounds_sql, KeySteps, PROBES};
use super::top_up;
use crate::batch::{resolve_columns, spawn_batches, utf8_schema, BatchSender, StringRows};
use crate::read::projected_columns;
use crate::{
    AssetInfo, Connector, Error, KeyRange, Listing, PassShare, Projection, Read, ReadMode,
    ReadRequest, Result, Sample, SourceOptions,
};
use model::Sampling;

/// One SQL database (a file, or a database or whole server); its tables are the assets.
///
/// Safe against a production database by construction: every pooled connection runs the
/// dialect's session setup (read-only, statement timeout) before its first query, the pool
/// holds at most [`SourceOptions::max_connections`], a sample is a bounded statement, and a
/// full pass holds one batch in memory. Values are cast to text in SQL, so the classifiers see
/// them as the database prints them.
pub(crate) struct SqlConnector<D: SqlDialect> {
    dialect: Arc<D>,
    pool: Pool<D::Db>,
    errors: Arc<ErrorContext>,
    ahead: tokio::sync::Mutex<DescribeAhead>,
}

/// A pooled connection idle this long is pinged before its next use.
const IDLE_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// Below this many sampled rows, a random sample counts as short and the first rows are read
/// instead: stale statistics can make `TABLESAMPLE` return far fewer rows than asked for.
fn random_sample_is_short(rows: usize, limit: usize) -> bool {
    rows < limit / 2
}

impl<D: SqlDialect> SqlConnector<D> {
    /// Opens the source `spec` through the dialect, then builds the capped, lazily filled
    /// pool whose every connection runs the dialect's session setup.
    ///
    /// # Errors
    /// As [`SqlDialect::connect`].
    pub(crate) async fn open(spec: &str, options: &SourceOptions) -> Result<Self> {
        let connected = D::connect(spec, options).await?;
        let setup = Arc::new(connected.dialect.session_setup(options));
        let pool = PoolOptions::<D::Db>::new()
            .max_connections(options.max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(CONNECT_TIMEOUT)
            // A returned connection is checked by the pool as it comes back; one that then
            // sat idle is checked again before use (the server or a firewall may have dropped
            // it), one just returned is not: that check was a round trip per read.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_RECHECK {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _meta| {
                let setup = setup.clone();
                Box::pin(async move {
                    for sql in setup.iter() {
                        D::Db::raw_rows(conn, sql).await?;
                    }
                    Ok(())
                })
            })
            // sqlx logs statements (and slow ones at WARN) with their SQL, which names tables
            // and columns as the source wrote them; mulu's logs go through its own redaction.
            .connect_lazy_with(sqlx::ConnectOptions::disable_statement_logging(
                connected.connect,
            ));
        Ok(Self {
            dialect: Arc::new(connected.dialect),
            pool,
            errors: Arc::new(connected.errors),
            ahead: tokio::sync::Mutex::default(),
        })
    }

    /// The table `name` and its columns: fetched ahead with the next listed tables where the
    /// dialect can ([`DescribeAhead`]), else on its own.
    async fn describe(&self, name: &str) -> Result<Table> {
        if D::DESCRIBE_AHEAD > 0 {
            let mut ahead = self.ahead.lock().await;
            if let Some(table) = ahead.take(name) {
                return Ok(table);
            }
            if let Some(batch) = ahead.batch(name, D::DESCRIBE_AHEAD) {
                // A failed batch costs nothing but the query: each table is then described
                // on its own, with its own error.
                if let Ok(described) = self
                    .dialect
                    .describe_many(&self.pool, &self.errors, &batch)
                    .await
                {
                    ahead.fill(described);
                }
                if let Some(table) = ahead.take(name) {
                    return Ok(table);
                }
            }
        }
        self.dialect.describe(&self.pool, &self.errors, name).await
    }

    /// Runs `sql`, which reads one row of two integers as text (a key's `MIN` and `MAX`);
    /// `None` when either is NULL (an empty table) or not an integer.
    async fn read_bounds(&self, asset: &str, sql: &str) -> Result<Option<(i128, i128)>> {
        let bounds = self
            .read_text(asset, sql, utf8_schema(&["min", "max"]))
            .await?;
        let text = |i: usize| {
            bounds
                .column(i)
                .as_any()
                .downcast_ref::<StringArray>()
                .filter(|a| !a.is_empty() && a.is_valid(0))
                .map(|a| a.value(0).to_owned())
        };
        Ok(bound(text(0).as_deref()).zip(bound(text(1).as_deref())))
    }

    async fn read_text(&self, asset: &str, sql: &str, schema: SchemaRef) -> Result<RecordBatch> {
        let mut txn = begin_read::<D>(&self.pool)
            .await
            .map_err(|e| self.map(asset, e))?;
        let mut out = StringRows::new(schema);
        D::Db::text_rows_into(&mut *txn, sql, &mut out)
            .await
            .map_err(|e| self.map(asset, e))?;
        end_read(txn);
        out.finish(D::NAME, asset)
    }

    /// Tops up the sparse columns of a sample (see [`super::top_up`]): one bounded
    /// statement per column, at most [`top_up::MAX_TOP_UPS`]; a failed one is a warning and
    /// ends the top-ups, so a table too big to search costs one statement timeout, not eight.
    async fn top_up(
        &self,
        asset: &str,
        table: &super::dialect::Table,
        indexes: &[usize],
        mut batch: RecordBatch,
        whole: bool,
        warnings: &mut Vec<String>,
    ) -> RecordBatch {
        let mut topped = Vec::new();
        for at in top_up::sparse_columns(&batch, whole) {
            let column = &table.columns[indexes[at]];
            let nulls = batch.column(at).null_count();
            let sql = top_up::top_up_sql::<D>(table, indexes[at], nulls.min(top_up::TOP_UP_ROWS));
            let schema = utf8_schema(std::slice::from_ref(&column.name));
            match self.read_text(asset, &sql, schema).await {
                Ok(extra) => {
                    let Some(values) = extra.column(0).as_any().downcast_ref::<StringArray>()
                    else {
                        continue;
                    };
                    let found = values.len() - values.null_count();
                    batch = top_up::fill_nulls(&batch, at, values);
                    topped.push(format!("{} (+{found})", column.name));
                }
                Err(e) => {
                    // Most likely the statement timeout on a big table: the next column's
                    // top-up would cost as much, so the sample stops here.
                    warnings.push(format!(
                        "column {} is (nearly) all NULL in the sample and reading more of its \
                         values failed, so no further columns were topped up: {e}",
                        column.name
                    ));
                    break;
                }
            }
        }
        if !topped.is_empty() {
            warnings.push(format!(
                "sparse columns topped up with `WHERE col IS NOT NULL LIMIT {}`: {}",
                top_up::TOP_UP_ROWS,
                topped.join(", ")
            ));
        }
        batch
    }

    fn map(&self, asset: &str, err: sqlx::Error) -> Error {
        self.errors.map(Some(asset), err)
    }
}

/// A transaction for reading the source's data, in the dialect's read-only form.
///
/// The session is read-only already, but a view can call a function that turns the session
/// default off; an explicit read-only transaction per read cannot be switched back within it.
/// Dropping it rolls it back.
async fn begin_read<D: SqlDialect>(
    pool: &Pool<D::Db>,
) -> std::result::Result<sqlx::Transaction<'static, D::Db>, sqlx::Error> {
    pool.begin_with(D::BEGIN_READ).await
}

/// Ends a read transaction without waiting for the server: dropping it queues the ROLLBACK,
/// which goes out with the pool's check of the returned connection, so a read costs one
/// round trip less than an awaited rollback.
fn end_read<DB: sqlx::Database>(txn: sqlx::Transaction<'static, DB>) {
    drop(txn);
}

#[async_trait]
impl<D: SqlDialect> Connector for SqlConnector<D> {
    fn display_url(&self) -> &str {
        &self.errors.display_url
    }

    fn backend(&self) -> &'static str {
        D::NAME
    }

    async fn list_assets(&self) -> Result<Vec<AssetInfo>> {
        let assets = self.dialect.list_assets(&self.pool, &self.errors).await?;
        if D::DESCRIBE_AHEAD > 0 {
            let mut ahead = self.ahead.lock().await;
            ahead.listed(assets.iter().map(|a| a.name.as_str()));
        }
        Ok(assets)
    }

    async fn list(&self) -> Result<Listing> {
        let assets = self.list_assets().await?;
        let gap = match self.dialect.listing_gap(&self.pool, &self.errors).await {
            Ok(gap) => gap,
            // Not knowing is a gap too, never a clean bill.
            Err(e) => Some(format!(
                "could not check which tables the scanning user can see: {e}"
            )),
        };
        Ok(Listing {
            assets,
            unscanned: Vec::new(),
            gap,
        })
    }

    async fn key_bounds(&self, asset: &AssetInfo) -> Result<Option<(i64, i64)>> {
        let table = self.describe(&asset.name).await?;
        let Some(key) = &table.integer_key else {
            return Ok(None);
        };
        let sql = bounds_sql(&D::quote_ident(key), &table.from, D::as_text);
        // An empty table has no bounds: nothing to cut.
        Ok(self
            .read_bounds(&asset.name, &sql)
            .await?
            .and_then(|(lo, hi)| Some((i64::try_from(lo).ok()?, i64::try_from(hi).ok()?))))
    }

    async fn read(&self, asset: &AssetInfo, request: &ReadRequest) -> Result<Read> {
        match request.mode {
            ReadMode::Sample => {
                let limit = request.sample_limit(&asset.name)?;
                let sample = self.sample(asset, &request.projection, limit).await?;
                Read::from_sample(&asset.name, sample, request)
            }
            ReadMode::FullPass => {
                let (schema, batches, incomplete) = self
                    .full_pass(asset, &request.projection, request.batch_rows)
                    .await?;
                Ok(Read::full_pass(schema, batches, incomplete, request))
            }
        }
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

impl<D: SqlDialect> SqlConnector<D> {
    /// Reads at most `limit` rows of the projected columns: a random sample where the dialect
    /// has one, else (or when it comes back short) the first rows.
    async fn sample(
        &self,
        asset: &AssetInfo,
        projection: &Projection,
        limit: usize,
    ) -> Result<Sample> {
        let table = self.describe(&asset.name).await?;
        if table.columns.is_empty() {
            // A table with no columns holds nothing to classify; there is no SELECT list to
            // read it with either.
            return Ok(Sample {
                schema: table.declared_schema(&[]),
                batches: Vec::new(),
                row_count: None,
                warnings: vec!["the table has no columns".into()],
                incomplete: None,
                sampling: None,
                media: None,
            });
        }
        let names = table.names();
        let indexes = resolve_columns(&asset.name, &names, &projected_columns(projection, &names))?;
        let select = table.select_list(&indexes);
        let statements = self.dialect.sample_sql(&table, &select, limit);
        let text_schema = utf8_schema(&projected_columns(projection, &names));
        let mut warnings = Vec::new();
        let random = match &statements.random {
            Some(sql) => {
                let batch = self
                    .read_text(&asset.name, sql, text_schema.clone())
                    .await?;
                if random_sample_is_short(batch.num_rows(), limit) {
                    // A plain LIMIT is still bounded, just less random.
                    warnings.push(
                        "the random sample returned few rows (statistics may be stale); read \
                         the first rows instead"
                            .to_string(),
                    );
                    None
                } else {
                    Some((
                        batch,
                        Sampling::new("tablesample_system", describe_random(sql)),
                    ))
                }
            }
            None => None,
        };
        let used_random = random.is_some();
        let (batch, sampling) = match random {
            Some(read) => read,
            None => {
                let first = self
                    .read_text(&asset.name, &statements.first_rows, text_schema.clone())
                    .await?;
                let first_rows = Sampling::new("first_rows", format!("the first {limit} rows"));
                match &statements.steps {
                    // The first rows filled the sample: the table is bigger, spread it.
                    Some(steps) if first.num_rows() >= limit && limit > 0 => self
                        .key_steps(&asset.name, steps, text_schema, &mut warnings)
                        .await
                        .unwrap_or((first, first_rows)),
                    _ => (first, first_rows),
                }
            }
        };
        // Fewer first rows than asked for: the whole table was read.
        let whole = !used_random && sampling.method == "first_rows" && batch.num_rows() < limit;
        let batch = self
            .top_up(&asset.name, &table, &indexes, batch, whole, &mut warnings)
            .await;
        Ok(Sample {
            schema: table.declared_schema(&indexes),
            batches: vec![batch],
            row_count: None,
            warnings,
            incomplete: table.incomplete,
            sampling: Some(sampling),
            media: None,
        })
    }

    /// A sample spread over an integer key ([`super::spread`]): the key's bounds, then the
    /// probes. `None` (keep the first rows) when the key range is too narrow or the probes
    /// come back short; a failed statement is a warning, never the sample's failure.
    async fn key_steps(
        &self,
        asset: &str,
        steps: &KeySteps,
        schema: SchemaRef,
        warnings: &mut Vec<String>,
    ) -> Option<(RecordBatch, Sampling)> {
        let failed = |e: Error| {
            format!("spreading the sample over the key range failed, so it is the first rows: {e}")
        };
        let (lo, hi) = match self.read_bounds(asset, &steps.bounds).await {
            Ok(bounds) => bounds?,
            Err(e) => {
                warnings.push(failed(e));
                return None;
            }
        };
        let sql = steps.statement(lo, hi)?;
        let batch = match self.read_text(asset, &sql, schema).await {
            Ok(b) => b,
            Err(e) => {
                warnings.push(failed(e));
                return None;
            }
        };
        if random_sample_is_short(batch.num_rows(), steps.limit()) {
            return None;
        }
        let detail = format!(
            "{PROBES} runs of up to {} rows spread over the range of primary key {} \
             (2 statements after the first rows)",
            steps.per_probe(),
            steps.key
        );
        Some((batch, Sampling::new("key_range_steps", detail)))
    }

    /// Streams every row of the projected columns in batches of at most `batch_rows`, the way
    /// the dialect says ([`SqlDialect::full_pass`]).
    async fn full_pass(
        &self,
        asset: &AssetInfo,
        projection: &Projection,
        batch_rows: usize,
    ) -> Result<(
        SchemaRef,
        BoxStream<'static, Result<RecordBatch>>,
        Option<String>,
    )> {
        let mut table = self.describe(&asset.name).await?;
        if let Some(share) = &asset.share {
            let PassShare::KeyRanges(ranges) = share else {
                return Err(Error::InvalidOption {
                    option: "share",
                    detail: format!("'{}' is a table: it is cut into key ranges", asset.name),
                });
            };
            let key = table
                .integer_key
                .as_deref()
                .ok_or_else(|| Error::InvalidOption {
                    option: "share",
                    detail: format!(
                        "'{}' has no integer primary key to read ranges of (was the table changed \
                     since `mulu plan`?)",
                        asset.name
                    ),
                })?;
            table.filter = Some(KeyRange::sql_filter(&D::quote_ident(key), ranges));
        }
        let incomplete = table.incomplete.clone();
        let names = table.names();
        let columns = projected_columns(projection, &names);
        let indexes = resolve_columns(&asset.name, &names, &columns)?;
        let schema = table.declared_schema(&indexes);
        let select = table.select_list(&indexes);
        let batch_rows = batch_rows.max(1);
        let plan = self
            .dialect
            .full_pass(&self.pool, &self.errors, &table, &select, batch_rows)
            .await?;
        let pass = PassContext::<D> {
            pool: self.pool.clone(),
            errors: self.errors.clone(),
            asset: asset.name.clone(),
            schema: utf8_schema(&columns),
            batch_rows,
        };
        let batches = spawn_batches(D::NAME, asset.name.clone(), move |tx| async move {
            let result = match plan {
                FullPass::Statement(sql) => pass.statement(&tx, &sql).await,
                FullPass::Cursor { declare, fetch } => pass.cursor(&tx, &declare, &fetch).await,
                FullPass::Keyset(keys) => {
                    let (first, next) = page_queries(
                        &keys,
                        &select,
                        &table.from,
                        table.filter.as_deref(),
                        batch_rows,
                    );
                    pass.keyset(&tx, keys.len(), &first, &next).await
                }
            };
            if let Err(e) = result {
                let _ = tx.send(Err(e)).await;
            }
        });
        Ok((schema, batches, incomplete))
    }
}

/// What a running full pass needs, owned by its reader task.
struct PassContext<D: SqlDialect> {
    pool: Pool<D::Db>,
    errors: Arc<ErrorContext>,
    asset: String,
    schema: SchemaRef,
    batch_rows: usize,
}

impl<D: SqlDialect> PassContext<D> {
    fn map(&self, err: sqlx::Error) -> Error {
        self.errors.map(Some(&self.asset), err)
    }

    /// Sends a batch; `false` when the consumer went away and the pass should stop.
    async fn send(&self, tx: &BatchSender, out: &mut StringRows) -> bool {
        tx.send(out.finish(D::NAME, &self.asset)).await.is_ok()
    }

    /// One statement whose rows the server streams.
    async fn statement(&self, tx: &BatchSender, sql: &str) -> Result<()> {
        let mut txn = begin_read::<D>(&self.pool).await.map_err(|e| self.map(e))?;
        let mut rows = D::Db::stream_rows(&mut *txn, sql);
        let mut out = StringRows::new(self.schema.clone());
        while let Some(row) = rows.try_next().await.map_err(|e| self.map(e))? {
            push_text_row::<D::Db>(&mut out, &row, 0).map_err(|e| self.map(e))?;
            if out.len() >= self.batch_rows && !self.send(tx, &mut out).await {
                return Ok(());
            }
        }
        if out.len() > 0 {
            self.send(tx, &mut out).await;
        }
        Ok(())
    }

    /// A server-side cursor in a transaction; dropping the transaction rolls it back.
    async fn cursor(&self, tx: &BatchSender, declare: &str, fetch: &str) -> Result<()> {
        let mut txn = begin_read::<D>(&self.pool).await.map_err(|e| self.map(e))?;
        D::Db::raw_rows(&mut *txn, declare)
            .await
            .map_err(|e| self.map(e))?;
        loop {
            let rows = D::Db::raw_rows(&mut *txn, fetch)
                .await
                .map_err(|e| self.map(e))?;
            if rows.is_empty() {
                break;
            }
            let mut out = StringRows::new(self.schema.clone());
            for row in &rows {
                push_text_row::<D::Db>(&mut out, row, 0).map_err(|e| self.map(e))?;
            }
            if !self.send(tx, &mut out).await {
                break;
            }
        }
        end_read(txn);
        Ok(())
    }

    /// Pages through a primary key of `keys` columns, read ahead of the requested ones.
    async fn keyset(&self, tx: &BatchSender, keys: usize, first: &str, next: &str) -> Result<()> {
        let mut last: Option<Vec<String>> = None;
        loop {
            let (sql, binds) = match &last {
                Some(key) => (next, page_binds(key)),
                None => (first, Vec::new()),
            };
            let rows = {
                let mut txn = begin_read::<D>(&self.pool).await.map_err(|e| self.map(e))?;
                D::Db::query_rows(&mut *txn, sql, &binds)
                    .await
                    .map_err(|e| self.map(e))?
            };
            let Some(tail) = rows.last() else {
                return Ok(());
            };
            let key = (0..keys)
                .map(|i| D::Db::text_at(tail, i).map(|v| v.unwrap_or_default().to_owned()))
                .collect::<std::result::Result<Vec<String>, _>>()
                .map_err(|e| self.map(e))?;
            let mut out = StringRows::new(self.schema.clone());
            for row in &rows {
                push_text_row::<D::Db>(&mut out, row, keys).map_err(|e| self.map(e))?;
            }
            if !self.send(tx, &mut out).await || rows.len() < self.batch_rows {
                return Ok(());
            }
            last = Some(key);
        }
    }
}

/// The random sample's method in words: its `TABLESAMPLE` clause (the last one: the clause
/// follows the table, whose name or columns could hold the word).
fn describe_random(sql: &str) -> String {
    sql.rfind("TABLESAMPLE")
        .and_then(|at| sql[at..].find(')').map(|end| &sql[at..=at + end]))
        .map_or_else(
            || "a random sample".to_string(),
            |clause| format!("{clause} percent of the pages, at most the sample's rows"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_random_method_names_its_clause() {
        assert_eq!(
            describe_random("SELECT a FROM t TABLESAMPLE SYSTEM (0.400000) LIMIT 1000"),
            "TABLESAMPLE SYSTEM (0.400000) percent of the pages, at most the sample's rows"
        );
        assert_eq!(describe_random("SELECT 1"), "a random sample");
    }

    #[test]
    fn a_random_sample_under_half_the_limit_is_short() {
        assert!(random_sample_is_short(49, 100));
        assert!(!random_sample_is_short(50, 100));
        assert!(!random_sample_is_short(0, 0));
    }
}
