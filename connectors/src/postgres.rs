//! PostgreSQL through sqlx: tables, views, materialized views, partitioned and foreign tables of
//! one database, named `schema.table`.
//!
//! Everything about the session is chosen to be safe against a production database:
//! - every connection is read-only (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`) and
//!   runs under `statement_timeout`, set in `after_connect` so no query can escape it;
//! - the pool holds at most [`SourceOptions::max_connections`] connections;
//! - listing reads only the catalogs (`pg_class.reltuples`, `pg_total_relation_size`), never
//!   `COUNT(*)`;
//! - a sample of a large table uses `TABLESAMPLE SYSTEM`, which reads a few random pages, and
//!   small, unanalysed tables and views are read with a plain `LIMIT`;
//! - a full column scan uses a server-side cursor, so each `FETCH` is bounded by the timeout
//!   and memory holds one batch.
//!
//! Values are cast to text in SQL (`::text`), so json, arrays, numerics, dates, uuids and inet
//! addresses reach the classifiers as PostgreSQL prints them; `bytea` is not text and is read
//! as NULL.

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use async_trait::async_trait;
use futures::stream::BoxStream;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Connection, Executor, Row};

use crate::batch::{resolve_columns, spawn_batches, utf8_schema, StringRows};
use crate::db::{DbUrl, ErrorContext, Failure, CONNECT_TIMEOUT};
use crate::{AssetInfo, AssetKind, Connector, Error, Result, Sample, SourceOptions};

const CONNECTOR: &str = "postgres";

/// Below this many (estimated) rows a table is read with a plain `LIMIT`: TABLESAMPLE would
/// save nothing and could return too few rows.
const TABLESAMPLE_MIN_ROWS: f64 = 10_000.0;
/// TABLESAMPLE SYSTEM picks whole pages, so ask for a few times the rows we want.
const TABLESAMPLE_OVERSAMPLE: f64 = 4.0;

/// One PostgreSQL database; its relations are the assets.
pub struct PostgresConnector {
    pool: PgPool,
    errors: Arc<ErrorContext>,
}

/// A relation resolved from its `schema.table` name, with its columns.
struct Relation {
    schema: String,
    table: String,
    relkind: String,
    reltuples: f64,
    columns: Vec<PgColumn>,
}

struct PgColumn {
    name: String,
    type_name: String,
    category: String,
    element_type: Option<String>,
}

impl Relation {
    fn qualified(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.table))
    }

    fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

fn classify(db: &dyn sqlx::error::DatabaseError) -> Failure {
    match db.code().as_deref() {
        // invalid_password, invalid_authorization_specification (unknown role, pg_hba reject)
        Some("28P01" | "28000") => Failure::Auth,
        Some("42501") => Failure::Permission,
        // query_canceled: what statement_timeout raises
        Some("57014") => Failure::Timeout,
        // undefined_table, invalid_catalog_name (no such database), invalid_schema_name
        Some("42P01" | "3D000" | "3F000") => Failure::NotFound,
        _ => Failure::Other,
    }
}

impl PostgresConnector {
    /// Connects to the database named in `url` (`postgres://` or `postgresql://`).
    ///
    /// The password comes from the URL, else [`SourceOptions::password_env`], else
    /// [`SourceOptions::password_file`]. One connection is opened and checked here, so an
    /// unreachable server or refused credentials fail the source rather than every asset.
    ///
    /// # Errors
    /// [`Error::Unreachable`], [`Error::Auth`], [`Error::NotFound`] (no such database),
    /// [`Error::InvalidOption`] or [`Error::UnsupportedSource`] (a malformed URL).
    pub async fn open(url: &str, options: &SourceOptions) -> Result<Self> {
        let DbUrl {
            display_url,
            parsed,
            password,
        } = DbUrl::parse(url, options)?;
        let mut errors = ErrorContext {
            connector: CONNECTOR,
            display_url: display_url.clone(),
            user: String::new(),
            password: password.clone(),
            timeout: options.statement_timeout,
            classify,
        };
        let mut connect = PgConnectOptions::from_url(&parsed)
            .map_err(|e| errors.bad_url(e))?
            .application_name("mulu");
        if parsed.password().is_none() {
            if let Some(p) = &password {
                connect = connect.password(p);
            }
        }
        errors.user = connect.get_username().to_string();
        let errors = Arc::new(errors);

        // Health check on a connection of its own: the pool would retry a refused connection
        // until its timeout and report only "timed out", losing the cause.
        let mut probe = tokio::time::timeout(CONNECT_TIMEOUT, connect.connect())
            .await
            .map_err(|_| errors.connect_timed_out())?
            .map_err(|e| errors.map(None, e))?;
        probe.ping().await.map_err(|e| errors.map(None, e))?;
        let _ = probe.close().await;

        let timeout_ms = options.statement_timeout.as_millis().max(1);
        let setup = format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; \
             SET statement_timeout = {timeout_ms}; \
             SET idle_in_transaction_session_timeout = {timeout_ms}"
        );
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(CONNECT_TIMEOUT)
            .after_connect(move |conn, _meta| {
                let setup = setup.clone();
                Box::pin(async move {
                    conn.execute(setup.as_str()).await?;
                    Ok(())
                })
            })
            .connect_lazy_with(connect);
        Ok(Self { pool, errors })
    }

    /// Looks a `schema.table` name up in the catalogs, with its columns in table order.
    async fn relation(&self, name: &str) -> Result<Relation> {
        let rows = sqlx::query(
            "SELECT n.nspname::text, c.relname::text, c.relkind::text, c.reltuples::float8, \
                    a.attname::text, t.typname::text, t.typcategory::text, et.typname::text \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_catalog.pg_attribute a \
               ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' \
             WHERE n.nspname || '.' || c.relname = $1 \
               AND c.relkind IN ('r', 'v', 'm', 'p', 'f') \
             ORDER BY n.nspname, c.relname, a.attnum",
        )
        .bind(name)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.errors.map(Some(name), e))?;
        let Some(first) = rows.first() else {
            return Err(Error::NotFound {
                asset: name.to_string(),
                detail: "no such table or view (or it has no columns)".into(),
            });
        };
        let get = |r: &PgRow, i: usize| -> Result<String> {
            r.try_get::<String, _>(i)
                .map_err(|e| self.errors.map(Some(name), e))
        };
        let schema = get(first, 0)?;
        let table = get(first, 1)?;
        let relkind = get(first, 2)?;
        let reltuples: f64 = first
            .try_get(3)
            .map_err(|e| self.errors.map(Some(name), e))?;
        let mut columns = Vec::with_capacity(rows.len());
        // `a.b` + `c` and `a` + `b.c` would both match `a.b.c`; keep the first relation only.
        for r in rows.iter().filter(|r| {
            get(r, 0).ok() == Some(schema.clone()) && get(r, 1).ok() == Some(table.clone())
        }) {
            columns.push(PgColumn {
                name: get(r, 4)?,
                type_name: get(r, 5)?,
                category: get(r, 6)?,
                element_type: r
                    .try_get::<Option<String>, _>(7)
                    .map_err(|e| self.errors.map(Some(name), e))?,
            });
        }
        Ok(Relation {
            schema,
            table,
            relkind,
            reltuples,
            columns,
        })
    }

    /// The declared types of `rel` as an Arrow schema.
    fn declared_schema(rel: &Relation) -> SchemaRef {
        Arc::new(Schema::new(
            rel.columns
                .iter()
                .map(|c| Field::new(&c.name, arrow_type(c), true))
                .collect::<Vec<_>>(),
        ))
    }

    /// `SELECT` list reading the given columns as text (bytea as NULL).
    fn select_list(rel: &Relation, indexes: &[usize]) -> String {
        indexes
            .iter()
            .map(|&i| {
                let c = &rel.columns[i];
                if is_binary(c) {
                    "NULL::text".to_string()
                } else if c.type_name == "inet" {
                    // `10.0.0.1`, not `10.0.0.1/32`; networks keep their mask.
                    format!("abbrev({})", quote_ident(&c.name))
                } else {
                    format!("{}::text", quote_ident(&c.name))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    async fn read_text(
        &self,
        asset: &str,
        sql: &str,
        schema: SchemaRef,
    ) -> Result<(RecordBatch, usize)> {
        let rows = sqlx::query(sql)
            .persistent(false)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.errors.map(Some(asset), e))?;
        let batch = rows_to_batch(&self.errors, asset, &rows, schema)?;
        Ok((batch, rows.len()))
    }
}

fn rows_to_batch(
    errors: &ErrorContext,
    asset: &str,
    rows: &[PgRow],
    schema: SchemaRef,
) -> Result<RecordBatch> {
    let width = schema.fields().len();
    let mut out = StringRows::new(schema);
    for row in rows {
        for i in 0..width {
            let v: Option<&str> = row.try_get(i).map_err(|e| errors.map(Some(asset), e))?;
            out.push(i, v);
        }
        out.end_row();
    }
    out.finish(CONNECTOR, asset)
}

#[async_trait]
impl Connector for PostgresConnector {
    fn display_url(&self) -> &str {
        &self.errors.display_url
    }

    fn backend(&self) -> &'static str {
        CONNECTOR
    }

    async fn list_assets(&self) -> Result<Vec<AssetInfo>> {
        // Partitions are left out: their parent lists (and samples) them all.
        let rows = sqlx::query(
            "SELECT n.nspname::text, c.relname::text, c.reltuples::float8, \
                    CASE WHEN c.relkind IN ('r', 'm', 'p') \
                         THEN pg_catalog.pg_total_relation_size(c.oid) END \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') \
               AND NOT c.relispartition \
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' \
               AND n.nspname NOT LIKE 'pg\\_temp\\_%' \
             ORDER BY 1, 2",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.errors.map(None, e))?;
        rows.iter()
            .map(|r| {
                let schema: String = r.try_get(0)?;
                let table: String = r.try_get(1)?;
                let reltuples: f64 = r.try_get(2)?;
                let bytes: Option<i64> = r.try_get(3)?;
                Ok(AssetInfo {
                    name: format!("{schema}.{table}"),
                    kind: AssetKind::Table,
                    // An estimate from the last ANALYZE; -1 means never analysed.
                    row_count: (reltuples >= 0.0).then_some(reltuples as u64),
                    bytes: bytes.map(|b| b as u64),
                    partition_columns: Vec::new(),
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(|e| self.errors.map(None, e))
    }

    async fn sample(&self, asset: &AssetInfo, limit: usize) -> Result<Sample> {
        let rel = self.relation(&asset.name).await?;
        let all: Vec<usize> = (0..rel.columns.len()).collect();
        let select = Self::select_list(&rel, &all);
        let text_schema = utf8_schema(&rel.names());
        let plain = format!("SELECT {select} FROM {} LIMIT {limit}", rel.qualified());
        let sampled_fraction = tablesample_percent(&rel, limit);
        let mut warnings = Vec::new();
        let batch = match sampled_fraction {
            Some(percent) => {
                let sql = format!(
                    "SELECT {select} FROM {} TABLESAMPLE SYSTEM ({percent}) LIMIT {limit}",
                    rel.qualified()
                );
                let (batch, n) = self
                    .read_text(&asset.name, &sql, text_schema.clone())
                    .await?;
                // Stale statistics can make the sample come back short; a plain LIMIT is still
                // bounded, just less random.
                if n < limit / 2 {
                    warnings.push(
                        "TABLESAMPLE returned few rows (statistics may be stale); read the first \
                         rows instead"
                            .to_string(),
                    );
                    self.read_text(&asset.name, &plain, text_schema).await?.0
                } else {
                    batch
                }
            }
            None => self.read_text(&asset.name, &plain, text_schema).await?.0,
        };
        Ok(Sample {
            schema: Self::declared_schema(&rel),
            batches: vec![batch],
            row_count: None,
            warnings,
        })
    }

    async fn scan_columns(
        &self,
        asset: &AssetInfo,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<BoxStream<'static, Result<RecordBatch>>> {
        let rel = self.relation(&asset.name).await?;
        let indexes = resolve_columns(&asset.name, &rel.names(), columns)?;
        let declare = format!(
            "DECLARE mulu_scan NO SCROLL CURSOR FOR SELECT {} FROM {}",
            Self::select_list(&rel, &indexes),
            rel.qualified()
        );
        let fetch = format!("FETCH FORWARD {} FROM mulu_scan", batch_rows.max(1));
        let schema = utf8_schema(columns);
        let pool = self.pool.clone();
        let errors = self.errors.clone();
        let name = asset.name.clone();
        Ok(spawn_batches(
            CONNECTOR,
            name.clone(),
            move |tx| async move {
                let run = async {
                    // The session is read-only, so this transaction is too; dropping it rolls back.
                    let mut txn = pool.begin().await.map_err(|e| errors.map(Some(&name), e))?;
                    (&mut *txn)
                        .execute(declare.as_str())
                        .await
                        .map_err(|e| errors.map(Some(&name), e))?;
                    loop {
                        // Each FETCH is its own statement, so the timeout bounds one batch, not
                        // the whole pass.
                        let rows = (&mut *txn)
                            .fetch_all(fetch.as_str())
                            .await
                            .map_err(|e| errors.map(Some(&name), e))?;
                        if rows.is_empty() {
                            break;
                        }
                        let batch = rows_to_batch(&errors, &name, &rows, schema.clone());
                        if tx.send(batch).await.is_err() {
                            break; // the consumer went away
                        }
                    }
                    let _ = txn.rollback().await;
                    Ok::<(), Error>(())
                };
                if let Err(e) = run.await {
                    let _ = tx.send(Err(e)).await;
                }
            },
        ))
    }
}

/// The TABLESAMPLE percentage for `limit` rows of `rel`, or `None` for a plain `LIMIT`.
fn tablesample_percent(rel: &Relation, limit: usize) -> Option<String> {
    // Only plain tables and materialized views support TABLESAMPLE.
    if !matches!(rel.relkind.as_str(), "r" | "m") || rel.reltuples < TABLESAMPLE_MIN_ROWS {
        return None;
    }
    let percent = (limit as f64 * TABLESAMPLE_OVERSAMPLE / rel.reltuples * 100.0).max(0.0001);
    if percent >= 50.0 {
        return None;
    }
    Some(format!("{percent:.6}"))
}

fn is_binary(c: &PgColumn) -> bool {
    c.type_name == "bytea" || c.element_type.as_deref() == Some("bytea")
}

/// Maps a PostgreSQL type name to the Arrow type it would naturally be.
fn scalar_type(type_name: &str, category: &str) -> DataType {
    match type_name {
        "int2" | "int4" | "int8" | "oid" => DataType::Int64,
        "numeric" | "money" => DataType::Decimal128(38, 10),
        "float4" | "float8" => DataType::Float64,
        "bool" => DataType::Boolean,
        "date" => DataType::Date32,
        "timestamp" => DataType::Timestamp(TimeUnit::Microsecond, None),
        "timestamptz" => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        "time" | "timetz" => DataType::Time64(TimeUnit::Microsecond),
        "interval" => DataType::Interval(arrow_schema::IntervalUnit::MonthDayNano),
        "bytea" => DataType::Binary,
        // text, varchar, bpchar, name, json, jsonb, uuid, inet, cidr, xml, enums, …
        _ => match category {
            "N" => DataType::Decimal128(38, 10),
            "B" => DataType::Boolean,
            "D" => DataType::Timestamp(TimeUnit::Microsecond, None),
            _ => DataType::Utf8,
        },
    }
}

fn arrow_type(c: &PgColumn) -> DataType {
    match (&*c.category, &c.element_type) {
        ("A", Some(elem)) => {
            DataType::List(Arc::new(Field::new("item", scalar_type(elem, ""), true)))
        }
        _ => scalar_type(&c.type_name, &c.category),
    }
}

/// Quotes an identifier for PostgreSQL.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(type_name: &str, category: &str, elem: Option<&str>) -> PgColumn {
        PgColumn {
            name: "c".into(),
            type_name: type_name.into(),
            category: category.into(),
            element_type: elem.map(str::to_string),
        }
    }

    #[test]
    fn maps_declared_types() {
        assert_eq!(arrow_type(&col("int4", "N", None)), DataType::Int64);
        assert_eq!(
            arrow_type(&col("numeric", "N", None)),
            DataType::Decimal128(38, 10)
        );
        assert_eq!(arrow_type(&col("jsonb", "U", None)), DataType::Utf8);
        assert_eq!(arrow_type(&col("bytea", "U", None)), DataType::Binary);
        assert_eq!(
            arrow_type(&col("timestamp", "D", None)),
            DataType::Timestamp(TimeUnit::Microsecond, None)
        );
        assert!(matches!(
            arrow_type(&col("_text", "A", Some("text"))),
            DataType::List(_)
        ));
        assert!(is_binary(&col("_bytea", "A", Some("bytea"))));
    }

    #[test]
    fn tablesample_only_for_big_analysed_tables() {
        let rel = |relkind: &str, reltuples: f64| Relation {
            schema: "s".into(),
            table: "t".into(),
            relkind: relkind.into(),
            reltuples,
            columns: Vec::new(),
        };
        assert_eq!(tablesample_percent(&rel("r", -1.0), 100), None);
        assert_eq!(tablesample_percent(&rel("r", 500.0), 100), None);
        assert_eq!(tablesample_percent(&rel("v", 1e9), 100), None);
        assert_eq!(
            tablesample_percent(&rel("r", 1_000_000.0), 1000).as_deref(),
            Some("0.400000")
        );
        assert_eq!(tablesample_percent(&rel("r", 20_000.0), 5000), None);
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
    }
}
