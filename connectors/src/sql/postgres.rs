//! PostgreSQL: tables, views, materialized views, partitioned and foreign tables of one
//! database, named `schema.table`.
//!
//! Everything about the session is chosen to be safe against a production database:
//! - every connection is read-only (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`) and
//!   runs under `statement_timeout`, set as each connection opens so no query can escape it;
//! - listing reads only the catalogs (`pg_class.reltuples`, `pg_total_relation_size`), never
//!   `COUNT(*)`;
//! - a sample of a large table uses `TABLESAMPLE SYSTEM … REPEATABLE`, which reads a few
//!   pages spread at random (the same ones while the table is unchanged), and
//!   small, unanalysed tables and views are read with a plain `LIMIT`;
//! - a full pass uses a server-side cursor, so each `FETCH` is bounded by the timeout and
//!   memory holds one batch.
//!
//! Values are cast to text in SQL (`::text`), so json, arrays, numerics, dates, uuids and inet
//! addresses reach the classifiers as PostgreSQL prints them; `bytea` is not text and is read
//! as NULL.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, TimeUnit};
use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgRow};
use sqlx::{ConnectOptions, Connection, Pool, Postgres, Row};

use super::dialect::{Column, Connected, FullPass, SampleSql, SqlDialect, Table};
use super::errors::{ErrorContext, Failure, CONNECT_TIMEOUT};
use super::server_url::ServerUrl;
use crate::{AssetInfo, Error, Result, SourceOptions};

/// Below this many (estimated) rows a table is read with a plain `LIMIT`: TABLESAMPLE would
/// save nothing and could return too few rows.
const TABLESAMPLE_MIN_ROWS: f64 = 10_000.0;
/// The seed of every `TABLESAMPLE`: the same pages of an unchanged table each time, so a
/// re-scan, and every shard of a sharded run that samples the same table, see the same rows
/// and report the same columns.
const SAMPLE_SEED: u32 = 0;

/// TABLESAMPLE SYSTEM picks whole pages, so ask for a few times the rows we want.
const TABLESAMPLE_OVERSAMPLE: f64 = 4.0;

/// PostgreSQL; the assets are the relations of one database.
pub(crate) struct PostgresDialect;

/// One column as the catalogs describe it.
struct PgColumn {
    name: String,
    type_name: String,
    category: String,
    element_type: Option<String>,
}

#[async_trait]
impl SqlDialect for PostgresDialect {
    type Db = Postgres;
    const NAME: &'static str = "postgres";
    const BEGIN_READ: &'static str = "BEGIN READ ONLY";

    async fn connect(spec: &str, options: &SourceOptions) -> Result<Connected<Self>> {
        let ServerUrl {
            display_url,
            parsed,
            password,
        } = ServerUrl::parse(spec, options)?;
        let mut errors = ErrorContext {
            connector: Self::NAME,
            display_url,
            user: String::new(),
            password: password.clone(),
            timeout: options.statement_timeout,
            classify: Self::classify,
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

        // Health check on a connection of its own: the pool would retry a refused connection
        // until its timeout and report only "timed out", losing the cause.
        let mut probe = tokio::time::timeout(CONNECT_TIMEOUT, connect.connect())
            .await
            .map_err(|_| errors.connect_timed_out())?
            .map_err(|e| errors.map(None, e))?;
        probe.ping().await.map_err(|e| errors.map(None, e))?;
        let _ = probe.close().await;
        Ok(Connected {
            dialect: PostgresDialect,
            connect,
            errors,
        })
    }

    fn session_setup(&self, options: &SourceOptions) -> Vec<String> {
        let timeout_ms = options.statement_timeout.as_millis().max(1);
        vec![format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; \
             SET statement_timeout = {timeout_ms}; \
             SET idle_in_transaction_session_timeout = {timeout_ms}"
        )]
    }

    fn classify(db: &dyn sqlx::error::DatabaseError) -> Failure {
        match db.code().as_deref() {
            // invalid_password, invalid_authorization_specification (unknown role, pg_hba)
            Some("28P01" | "28000") => Failure::Auth,
            Some("42501") => Failure::Permission,
            // query_canceled: what statement_timeout raises
            Some("57014") => Failure::Timeout,
            // undefined_table, invalid_catalog_name (no such database), invalid_schema_name
            Some("42P01" | "3D000" | "3F000") => Failure::NotFound,
            _ => Failure::Other,
        }
    }

    fn quote_ident(name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }

    async fn list_assets(
        &self,
        pool: &Pool<Postgres>,
        errors: &ErrorContext,
    ) -> Result<Vec<AssetInfo>> {
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
        .fetch_all(pool)
        .await
        .map_err(|e| errors.map(None, e))?;
        rows.iter()
            .map(|r| {
                let schema: String = r.try_get(0)?;
                let table: String = r.try_get(1)?;
                let reltuples: f64 = r.try_get(2)?;
                let bytes: Option<i64> = r.try_get(3)?;
                Ok(AssetInfo::table(
                    super::asset_name::join(&schema, &table),
                    // An estimate from the last ANALYZE; -1 means never analysed.
                    (reltuples >= 0.0).then_some(reltuples as u64),
                    bytes.map(|b| b as u64),
                ))
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(|e| errors.map(None, e))
    }

    /// Looks a `schema.table` name up in the catalogs, with its columns in table order.
    async fn describe(
        &self,
        pool: &Pool<Postgres>,
        errors: &ErrorContext,
        name: &str,
    ) -> Result<Table> {
        let (namespace, relation) =
            super::asset_name::split(name).ok_or_else(|| Error::NotFound {
                asset: name.to_string(),
                detail: "not a `schema.table` name (quote a part that has a dot: `\"a.b\".c`)"
                    .into(),
            })?;
        let rows = column_rows(pool, &[(namespace.clone(), relation.clone())])
            .await
            .map_err(|e| errors.map(Some(name), e))?;
        if rows.is_empty() {
            // No column rows: a relation without columns, or none at all.
            let relkind: Option<String> = sqlx::query_scalar(
                "SELECT c.relkind::text FROM pg_catalog.pg_class c \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = $1 AND c.relname = $2 \
                   AND c.relkind IN ('r', 'v', 'm', 'p', 'f')",
            )
            .bind(&namespace)
            .bind(&relation)
            .fetch_optional(pool)
            .await
            .map_err(|e| errors.map(Some(name), e))?;
            return match relkind {
                Some(_) => Ok(Table {
                    from: Self::qualified(&namespace, &relation),
                    namespace,
                    name: relation,
                    columns: Vec::new(),
                    comment: None,
                    estimated_rows: None,
                    integer_key: None,
                    filter: None,
                    incomplete: None,
                }),
                None => Err(Error::NotFound {
                    asset: name.to_string(),
                    detail: "no such table or view".into(),
                }),
            };
        }
        table_from_rows(errors, name, &rows)
    }

    const DESCRIBE_AHEAD: usize = 64;

    async fn describe_many(
        &self,
        pool: &Pool<Postgres>,
        errors: &ErrorContext,
        names: &[String],
    ) -> Result<Vec<(String, Table)>> {
        let keys: Vec<(String, (String, String))> = names
            .iter()
            .filter_map(|n| Some((n.clone(), super::asset_name::split(n)?)))
            .collect();
        let wanted: Vec<(String, String)> = keys.iter().map(|(_, k)| k.clone()).collect();
        let rows = column_rows(pool, &wanted)
            .await
            .map_err(|e| errors.map(None, e))?;
        let mut by_relation: HashMap<(String, String), Vec<PgRow>> = HashMap::new();
        for row in rows {
            let key = (
                row.try_get::<String, _>(0)
                    .map_err(|e| errors.map(None, e))?,
                row.try_get::<String, _>(1)
                    .map_err(|e| errors.map(None, e))?,
            );
            by_relation.entry(key).or_default().push(row);
        }
        // A table that cannot be described plainly is left to `describe`, which words its error.
        Ok(keys
            .into_iter()
            .filter_map(|(name, key)| {
                let rows = by_relation.get(&key)?;
                let table = table_from_rows(errors, &name, rows).ok()?;
                Some((name, table))
            })
            .collect())
    }

    fn sample_sql(&self, table: &Table, select: &str, limit: usize) -> SampleSql {
        let first_rows = format!("SELECT {select} FROM {} LIMIT {limit}", table.from);
        let random = tablesample_percent(table.estimated_rows, limit).map(|percent| {
            format!(
                "SELECT {select} FROM {} TABLESAMPLE SYSTEM ({percent}) REPEATABLE ({SAMPLE_SEED}) \
                 LIMIT {limit}",
                table.from
            )
        });
        SampleSql {
            random,
            first_rows,
            steps: None,
        }
    }

    async fn full_pass(
        &self,
        _pool: &Pool<Postgres>,
        _errors: &ErrorContext,
        table: &Table,
        select: &str,
        batch_rows: usize,
    ) -> Result<FullPass> {
        Ok(FullPass::Cursor {
            declare: format!(
                "DECLARE mulu_scan NO SCROLL CURSOR FOR SELECT {select} FROM {}",
                table.filtered_source()
            ),
            fetch: format!("FETCH FORWARD {batch_rows} FROM mulu_scan"),
        })
    }
}

/// The catalog rows of the columns of the relations `(schema, name)`, in table order: one
/// query for any number of relations.
async fn column_rows(
    pool: &Pool<Postgres>,
    relations: &[(String, String)],
) -> std::result::Result<Vec<PgRow>, sqlx::Error> {
    let (schemas, names): (Vec<&str>, Vec<&str>) = relations
        .iter()
        .map(|(s, n)| (s.as_str(), n.as_str()))
        .unzip();
    sqlx::query(
        "SELECT n.nspname::text, c.relname::text, c.relkind::text, c.reltuples::float8, \
                a.attname::text, t.typname::text, t.typcategory::text, et.typname::text, \
                pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT'), \
                pg_catalog.col_description(c.oid, a.attnum), \
                pg_catalog.obj_description(c.oid, 'pg_class'), \
                t.typname IN ('int2', 'int4', 'int8') AND EXISTS ( \
                  SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid \
                    AND i.indisprimary AND i.indnatts = 1 AND i.indkey[0] = a.attnum) \
         FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a \
           ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' \
         WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[])) \
           AND c.relkind IN ('r', 'v', 'm', 'p', 'f') \
         ORDER BY n.nspname, c.relname, a.attnum",
    )
    .bind(&schemas)
    .bind(&names)
    .fetch_all(pool)
    .await
}

/// A table from its catalog rows ([`column_rows`] of that one relation, at least one row).
fn table_from_rows(errors: &ErrorContext, name: &str, rows: &[PgRow]) -> Result<Table> {
    let first = &rows[0];
    let get = |r: &PgRow, i: usize| -> Result<String> {
        r.try_get::<String, _>(i)
            .map_err(|e| errors.map(Some(name), e))
    };
    let schema = get(first, 0)?;
    let table = get(first, 1)?;
    let relkind = get(first, 2)?;
    let reltuples: f64 = first.try_get(3).map_err(|e| errors.map(Some(name), e))?;
    let mut columns = Vec::with_capacity(rows.len());
    let mut hidden = Vec::new();
    let mut integer_key = None;
    // `a.b` + `c` and `a` + `b.c` would both match `a.b.c`; keep the first relation only.
    for r in rows
        .iter()
        .filter(|r| get(r, 0).ok() == Some(schema.clone()) && get(r, 1).ok() == Some(table.clone()))
    {
        let readable: bool = r.try_get(8).map_err(|e| errors.map(Some(name), e))?;
        if !readable {
            hidden.push(get(r, 4)?);
            continue;
        }
        let column = PgColumn {
            name: get(r, 4)?,
            type_name: get(r, 5)?,
            category: get(r, 6)?,
            element_type: r
                .try_get::<Option<String>, _>(7)
                .map_err(|e| errors.map(Some(name), e))?,
        };
        let comment: Option<String> = r.try_get(9).map_err(|e| errors.map(Some(name), e))?;
        let is_key: bool = r.try_get(11).map_err(|e| errors.map(Some(name), e))?;
        if is_key {
            integer_key = Some(column.name.clone());
        }
        columns.push(Column {
            declared: arrow_type(&column),
            text_expr: text_expr(&column),
            type_name: column.type_name,
            name: column.name,
            comment: super::dialect::comment(comment),
        });
    }
    if columns.is_empty() && !hidden.is_empty() {
        return Err(Error::PermissionDenied {
            asset: name.to_string(),
            detail: format!("no SELECT privilege on any of its {} columns", hidden.len()),
        });
    }
    let comment: Option<String> = first.try_get(10).map_err(|e| errors.map(Some(name), e))?;
    Ok(Table {
        from: PostgresDialect::qualified(&schema, &table),
        incomplete: super::dialect::hidden_columns(&hidden, columns.len()),
        columns,
        comment: super::dialect::comment(comment),
        estimated_rows: sampling_estimate(&relkind, reltuples),
        integer_key,
        filter: None,
        namespace: schema,
        name: table,
    })
}

/// The row estimate TABLESAMPLE decisions use: only plain tables and materialized views
/// support TABLESAMPLE, and -1 means never analysed.
fn sampling_estimate(relkind: &str, reltuples: f64) -> Option<f64> {
    (matches!(relkind, "r" | "m") && reltuples >= 0.0).then_some(reltuples)
}

/// The TABLESAMPLE percentage for `limit` rows of a relation of `estimated_rows`, or `None`
/// for a plain `LIMIT`.
fn tablesample_percent(estimated_rows: Option<f64>, limit: usize) -> Option<String> {
    let rows = estimated_rows.filter(|r| *r >= TABLESAMPLE_MIN_ROWS)?;
    let percent = (limit as f64 * TABLESAMPLE_OVERSAMPLE / rows * 100.0).max(0.0001);
    if percent >= 50.0 {
        return None;
    }
    Some(format!("{percent:.6}"))
}

fn is_binary(c: &PgColumn) -> bool {
    c.type_name == "bytea" || c.element_type.as_deref() == Some("bytea")
}

/// Reads a column as text: bytea as NULL, inet without a host mask.
fn text_expr(c: &PgColumn) -> String {
    let quoted = PostgresDialect::quote_ident(&c.name);
    if is_binary(c) {
        "NULL::text".to_string()
    } else if c.type_name == "inet" {
        // `10.0.0.1`, not `10.0.0.1/32`; networks keep their mask.
        format!("abbrev({quoted})")
    } else {
        format!("{quoted}::text")
    }
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
        assert_eq!(text_expr(&col("bytea", "U", None)), "NULL::text");
        assert_eq!(text_expr(&col("inet", "I", None)), "abbrev(\"c\")");
    }

    #[test]
    fn tablesample_only_for_big_analysed_tables() {
        let percent = |relkind: &str, reltuples: f64, limit: usize| {
            tablesample_percent(sampling_estimate(relkind, reltuples), limit)
        };
        assert_eq!(percent("r", -1.0, 100), None);
        assert_eq!(percent("r", 500.0, 100), None);
        assert_eq!(percent("v", 1e9, 100), None);
        assert_eq!(percent("r", 1_000_000.0, 1000).as_deref(), Some("0.400000"));
        assert_eq!(percent("r", 20_000.0, 5000), None);
    }

    #[test]
    fn samples_randomly_with_a_first_rows_fallback() {
        let table = Table {
            namespace: "s".into(),
            name: "t".into(),
            from: "\"s\".\"t\"".into(),
            columns: Vec::new(),
            comment: None,
            estimated_rows: Some(1_000_000.0),
            integer_key: None,
            filter: None,
            incomplete: None,
        };
        let sql = PostgresDialect.sample_sql(&table, "a", 1000);
        assert_eq!(
            sql.random.as_deref(),
            Some(
                "SELECT a FROM \"s\".\"t\" TABLESAMPLE SYSTEM (0.400000) REPEATABLE (0) \
                 LIMIT 1000"
            )
        );
        assert_eq!(sql.first_rows, "SELECT a FROM \"s\".\"t\" LIMIT 1000");
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(PostgresDialect::quote_ident("we\"ird"), "\"we\"\"ird\"");
    }
}
