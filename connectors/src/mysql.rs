//! MySQL and MariaDB through sqlx: tables and views named `database.table`.
//!
//! When the URL names a database only its tables are listed; otherwise every database except
//! the system ones (`mysql`, `information_schema`, `performance_schema`, `sys`).
//!
//! As with PostgreSQL, the session is made safe in `after_connect`: `SET SESSION TRANSACTION
//! READ ONLY` plus a statement timeout. The timeout variable differs by server and is detected
//! once when the source opens: MySQL has `max_execution_time` (milliseconds, SELECT only),
//! MariaDB `max_statement_time` (seconds). Listing reads `information_schema.TABLES`
//! (`TABLE_ROWS`, `DATA_LENGTH + INDEX_LENGTH`, estimates kept by the server), never `COUNT(*)`.
//! A sample is a bounded `LIMIT n` read; values are cast with `CAST(x AS CHAR)` and blobs,
//! binary strings and spatial values are read as NULL.

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use async_trait::async_trait;
use futures::stream::BoxStream;
use futures::TryStreamExt;
use sqlx::mysql::{MySqlConnectOptions, MySqlDatabaseError, MySqlPool, MySqlPoolOptions, MySqlRow};
use sqlx::{ConnectOptions, Connection, Executor, Row};

use crate::batch::{resolve_columns, spawn_batches, utf8_schema, StringRows};
use crate::db::{qualified_splits, DbUrl, ErrorContext, Failure, CONNECT_TIMEOUT};
use crate::options::percent_decode;
use crate::{AssetInfo, AssetKind, Connector, Error, Result, Sample, SourceOptions};

const CONNECTOR: &str = "mysql";

const SYSTEM_DATABASES: &str = "'mysql', 'information_schema', 'performance_schema', 'sys'";

/// One MySQL or MariaDB server (or one database of it); its tables are the assets.
pub struct MySqlConnector {
    pool: MySqlPool,
    errors: Arc<ErrorContext>,
    /// The database named in the URL, if any.
    database: Option<String>,
}

struct Table {
    database: String,
    table: String,
    columns: Vec<(String, String)>,
}

impl Table {
    fn qualified(&self) -> String {
        format!(
            "{}.{}",
            quote_ident(&self.database),
            quote_ident(&self.table)
        )
    }

    fn names(&self) -> Vec<String> {
        self.columns.iter().map(|(n, _)| n.clone()).collect()
    }
}

fn classify(db: &dyn sqlx::error::DatabaseError) -> Failure {
    let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() else {
        return Failure::Other;
    };
    match my.number() {
        // ER_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR
        1045 | 1698 => Failure::Auth,
        // ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR,
        // ER_SPECIFIC_ACCESS_DENIED_ERROR
        1044 | 1142 | 1143 | 1227 => Failure::Permission,
        // ER_QUERY_TIMEOUT (MySQL), ER_STATEMENT_TIMEOUT (MariaDB)
        3024 | 1969 => Failure::Timeout,
        // ER_NO_SUCH_TABLE, ER_BAD_DB_ERROR
        1146 | 1049 => Failure::NotFound,
        _ => Failure::Other,
    }
}

/// Reads column `i` as text whatever the wire type says: values are `CAST(… AS CHAR)` in SQL,
/// but servers differ in the flags they attach to catalog and cast columns.
fn text_at(row: &MySqlRow, i: usize) -> std::result::Result<Option<String>, sqlx::Error> {
    row.try_get_unchecked::<Option<String>, _>(i)
}

impl MySqlConnector {
    /// Connects to the server in `url` (`mysql://` or `mariadb://`).
    ///
    /// The password comes from the URL, else [`SourceOptions::password_env`], else
    /// [`SourceOptions::password_file`]. One connection is opened and checked here, which also
    /// tells MySQL from MariaDB for the statement timeout.
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
        let database =
            Some(percent_decode(parsed.path().trim_start_matches('/'))).filter(|d| !d.is_empty());
        let mut errors = ErrorContext {
            connector: CONNECTOR,
            display_url,
            user: percent_decode(parsed.username()),
            password: password.clone(),
            timeout: options.statement_timeout,
            classify,
        };
        let mut connect = MySqlConnectOptions::from_url(&parsed)
            .map_err(|e| errors.bad_url(e))?
            .charset("utf8mb4");
        if parsed.password().is_none() {
            if let Some(p) = &password {
                connect = connect.password(p);
            }
        }
        if errors.user.is_empty() {
            errors.user = "root".into();
        }
        let errors = Arc::new(errors);

        // Health check on a connection of its own (the pool would hide a refused connection
        // behind a timeout), which also tells which timeout variable the server has.
        let mut probe = tokio::time::timeout(CONNECT_TIMEOUT, connect.connect())
            .await
            .map_err(|_| errors.connect_timed_out())?
            .map_err(|e| errors.map(None, e))?;
        let version_row = (&mut probe)
            .fetch_one("SELECT CAST(VERSION() AS CHAR)")
            .await
            .map_err(|e| errors.map(None, e))?;
        let version = text_at(&version_row, 0)
            .map_err(|e| errors.map(None, e))?
            .unwrap_or_default();
        let _ = probe.close().await;

        let timeout = options.statement_timeout;
        let timeout_sql = if version.to_ascii_lowercase().contains("mariadb") {
            format!("SET SESSION max_statement_time = {}", timeout.as_secs_f64())
        } else {
            format!(
                "SET SESSION max_execution_time = {}",
                timeout.as_millis().max(1)
            )
        };
        let pool = MySqlPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(CONNECT_TIMEOUT)
            .after_connect(move |conn, _meta| {
                let timeout_sql = timeout_sql.clone();
                Box::pin(async move {
                    conn.execute("SET SESSION TRANSACTION READ ONLY").await?;
                    conn.execute(timeout_sql.as_str()).await?;
                    Ok(())
                })
            })
            .connect_lazy_with(connect);
        Ok(Self {
            pool,
            errors,
            database,
        })
    }

    /// Looks a `database.table` name up in `information_schema`, with its columns in order.
    async fn table(&self, name: &str) -> Result<Table> {
        for (database, table) in qualified_splits(name) {
            let rows = sqlx::query(
                "SELECT CAST(COLUMN_NAME AS CHAR), CAST(DATA_TYPE AS CHAR) \
                 FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
            )
            .bind(database)
            .bind(table)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.errors.map(Some(name), e))?;
            if rows.is_empty() {
                continue;
            }
            let columns = rows
                .iter()
                .map(|r| {
                    Ok((
                        text_at(r, 0)?.unwrap_or_default(),
                        text_at(r, 1)?.unwrap_or_default().to_ascii_lowercase(),
                    ))
                })
                .collect::<std::result::Result<_, sqlx::Error>>()
                .map_err(|e| self.errors.map(Some(name), e))?;
            return Ok(Table {
                database: database.to_string(),
                table: table.to_string(),
                columns,
            });
        }
        // The catalog hides tables the user has no privilege on at all. Ask the server
        // directly, so "no such table" and "not allowed" read differently.
        if let Some((database, table)) = qualified_splits(name).first() {
            let probe = format!(
                "SELECT 1 FROM {}.{} LIMIT 0",
                quote_ident(database),
                quote_ident(table)
            );
            sqlx::query(&probe)
                .persistent(false)
                .fetch_all(&self.pool)
                .await
                .map_err(|e| self.errors.map(Some(name), e))?;
        }
        Err(Error::NotFound {
            asset: name.to_string(),
            detail: "no such table or view (names are `database.table`)".into(),
        })
    }

    /// The primary key of `table` as [`PageKey`] parts, if it has one whose every column can
    /// be paged through exactly; `None` sends the full pass down one statement.
    async fn page_key(&self, asset: &str, table: &Table) -> Result<Option<Vec<PageKey>>> {
        let rows = sqlx::query(
            "SELECT CAST(COLUMN_NAME AS CHAR) FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' \
             ORDER BY SEQ_IN_INDEX",
        )
        .bind(&table.database)
        .bind(&table.table)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.errors.map(Some(asset), e))?;
        let mut parts = Vec::new();
        for row in &rows {
            let name = text_at(row, 0)
                .map_err(|e| self.errors.map(Some(asset), e))?
                .unwrap_or_default();
            let Some((_, ty)) = table.columns.iter().find(|(n, _)| *n == name) else {
                return Ok(None);
            };
            match PageKey::new(&name, ty) {
                Some(part) => parts.push(part),
                None => return Ok(None),
            }
        }
        Ok((!parts.is_empty()).then_some(parts))
    }

    fn select_list(table: &Table, indexes: &[usize]) -> String {
        indexes
            .iter()
            .map(|&i| {
                let (name, ty) = &table.columns[i];
                if matches!(arrow_type(ty), DataType::Binary) {
                    "NULL".to_string()
                } else {
                    format!("CAST({} AS CHAR)", quote_ident(name))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Appends the `width` columns of `row` that start at column `from`.
fn push_row(
    out: &mut StringRows,
    row: &MySqlRow,
    from: usize,
    width: usize,
) -> std::result::Result<(), sqlx::Error> {
    for i in 0..width {
        out.push(i, text_at(row, from + i)?.as_deref());
    }
    out.end_row();
    Ok(())
}

#[async_trait]
impl Connector for MySqlConnector {
    fn display_url(&self) -> &str {
        &self.errors.display_url
    }

    fn backend(&self) -> &'static str {
        CONNECTOR
    }

    async fn list_assets(&self) -> Result<Vec<AssetInfo>> {
        let scope = match &self.database {
            Some(_) => "TABLE_SCHEMA = ?".to_string(),
            None => format!("TABLE_SCHEMA NOT IN ({SYSTEM_DATABASES})"),
        };
        let sql = format!(
            "SELECT CAST(TABLE_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), \
                    CAST(TABLE_TYPE AS CHAR), CAST(TABLE_ROWS AS SIGNED), \
                    CAST(DATA_LENGTH + INDEX_LENGTH AS SIGNED) \
             FROM information_schema.TABLES \
             WHERE {scope} AND TABLE_TYPE <> 'SEQUENCE' \
             ORDER BY TABLE_SCHEMA, TABLE_NAME"
        );
        let mut query = sqlx::query(&sql);
        if let Some(db) = &self.database {
            query = query.bind(db);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.errors.map(None, e))?;
        rows.iter()
            .map(|r| {
                let database = text_at(r, 0)?.unwrap_or_default();
                let table = text_at(r, 1)?.unwrap_or_default();
                let is_view = text_at(r, 2)?.is_some_and(|t| t.contains("VIEW"));
                let rows: Option<i64> = r.try_get_unchecked(3)?;
                let bytes: Option<i64> = r.try_get_unchecked(4)?;
                Ok(AssetInfo {
                    name: format!("{database}.{table}"),
                    kind: AssetKind::Table,
                    // InnoDB's TABLE_ROWS is an estimate; views have none.
                    row_count: if is_view {
                        None
                    } else {
                        rows.map(|n| n as u64)
                    },
                    bytes: if is_view {
                        None
                    } else {
                        bytes.map(|b| b as u64)
                    },
                    partition_columns: Vec::new(),
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(|e| self.errors.map(None, e))
    }

    async fn sample(&self, asset: &AssetInfo, limit: usize) -> Result<Sample> {
        let table = self.table(&asset.name).await?;
        let all: Vec<usize> = (0..table.columns.len()).collect();
        let sql = format!(
            "SELECT {} FROM {} LIMIT {limit}",
            Self::select_list(&table, &all),
            table.qualified()
        );
        let rows = sqlx::query(&sql)
            .persistent(false)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.errors.map(Some(&asset.name), e))?;
        let mut out = StringRows::new(utf8_schema(&table.names()));
        for row in &rows {
            push_row(&mut out, row, 0, all.len())
                .map_err(|e| self.errors.map(Some(&asset.name), e))?;
        }
        let schema: SchemaRef = Arc::new(Schema::new(
            table
                .columns
                .iter()
                .map(|(name, ty)| Field::new(name, arrow_type(ty), true))
                .collect::<Vec<_>>(),
        ));
        Ok(Sample {
            schema,
            batches: vec![out.finish(CONNECTOR, &asset.name)?],
            row_count: None,
            warnings: Vec::new(),
        })
    }

    async fn scan_columns(
        &self,
        asset: &AssetInfo,
        columns: &[String],
        batch_rows: usize,
    ) -> Result<BoxStream<'static, Result<RecordBatch>>> {
        let table = self.table(&asset.name).await?;
        let indexes = resolve_columns(&asset.name, &table.names(), columns)?;
        let select = Self::select_list(&table, &indexes);
        let keys = self.page_key(&asset.name, &table).await?;
        let schema = utf8_schema(columns);
        let pool = self.pool.clone();
        let errors = self.errors.clone();
        let name = asset.name.clone();
        let batch_rows = batch_rows.max(1);
        let width = indexes.len();
        let from = table.qualified();
        Ok(spawn_batches(
            CONNECTOR,
            name.clone(),
            move |tx| async move {
                let run = async {
                    let Some(keys) = keys else {
                        // No primary key to page through: one statement, whose rows the server
                        // streams and which the statement timeout bounds as a whole.
                        let sql = format!("SELECT {select} FROM {from}");
                        let mut rows = sqlx::query(&sql).persistent(false).fetch(&pool);
                        let mut out = StringRows::new(schema);
                        while let Some(row) = rows
                            .try_next()
                            .await
                            .map_err(|e| errors.map(Some(&name), e))?
                        {
                            push_row(&mut out, &row, 0, width)
                                .map_err(|e| errors.map(Some(&name), e))?;
                            if out.len() >= batch_rows
                                && tx.send(out.finish(CONNECTOR, &name)).await.is_err()
                            {
                                return Ok(());
                            }
                        }
                        if out.len() > 0 {
                            let _ = tx.send(out.finish(CONNECTOR, &name)).await;
                        }
                        return Ok::<(), Error>(());
                    };
                    // Page through the primary key: each page is its own short statement, so
                    // the timeout bounds one batch however big the table and however slowly
                    // the batches are consumed.
                    let (first, next) = page_queries(&keys, &select, &from, batch_rows);
                    let mut last: Option<Vec<String>> = None;
                    loop {
                        let mut query = sqlx::query(if last.is_some() { &next } else { &first });
                        for value in last.iter().flat_map(|l| page_binds(l)) {
                            query = query.bind(value.clone());
                        }
                        let rows = query
                            .fetch_all(&pool)
                            .await
                            .map_err(|e| errors.map(Some(&name), e))?;
                        let Some(tail) = rows.last() else {
                            return Ok(());
                        };
                        let key = (0..keys.len())
                            .map(|i| text_at(tail, i).map(Option::unwrap_or_default))
                            .collect::<std::result::Result<Vec<String>, _>>()
                            .map_err(|e| errors.map(Some(&name), e))?;
                        let mut out = StringRows::new(schema.clone());
                        for row in &rows {
                            push_row(&mut out, row, keys.len(), width)
                                .map_err(|e| errors.map(Some(&name), e))?;
                        }
                        if tx.send(out.finish(CONNECTOR, &name)).await.is_err()
                            || rows.len() < batch_rows
                        {
                            return Ok(());
                        }
                        last = Some(key);
                    }
                };
                if let Err(e) = run.await {
                    let _ = tx.send(Err(e)).await;
                }
            },
        ))
    }
}

/// Maps a MySQL `DATA_TYPE` to the Arrow type it would naturally be.
fn arrow_type(data_type: &str) -> DataType {
    match data_type {
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "year" => {
            DataType::Int64
        }
        "decimal" | "numeric" => DataType::Decimal128(38, 10),
        "float" | "double" | "real" => DataType::Float64,
        "date" => DataType::Date32,
        "datetime" | "timestamp" => DataType::Timestamp(TimeUnit::Microsecond, None),
        "time" => DataType::Time64(TimeUnit::Microsecond),
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" | "bit"
        | "geometry" | "point" | "linestring" | "polygon" | "multipoint" | "multilinestring"
        | "multipolygon" | "geometrycollection" | "geomcollection" => DataType::Binary,
        // char, varchar, *text, enum, set, json, inet6, uuid, …
        _ => DataType::Utf8,
    }
}

/// Quotes an identifier for MySQL.
/// One column of a primary key the full pass pages through: how to read its value as text
/// and how to compare a column against that text exactly (integers and decimals as
/// decimals, not doubles; binary keys through hex).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PageKey {
    column: String,
    read: String,
    bound: &'static str,
}

impl PageKey {
    /// `None` for key types whose text form does not order like the column (floats, enums,
    /// sets, bits, JSON, spatial).
    fn new(name: &str, data_type: &str) -> Option<Self> {
        let column = quote_ident(name);
        let (read, bound) = match data_type {
            "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "year" => (
                format!("CAST({column} AS CHAR)"),
                "CAST(? AS DECIMAL(65,0))",
            ),
            "decimal" | "numeric" => (
                format!("CAST({column} AS CHAR)"),
                "CAST(? AS DECIMAL(65,30))",
            ),
            "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "date"
            | "datetime" | "timestamp" | "time" => (format!("CAST({column} AS CHAR)"), "?"),
            "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => {
                (format!("HEX({column})"), "UNHEX(?)")
            }
            _ => return None,
        };
        Some(PageKey {
            column,
            read,
            bound,
        })
    }
}

/// The statements of a paged full pass: the first page, and every later page, which starts
/// after the key of the previous page's last row. `select` is the select list of the
/// requested columns; the key columns are read first.
fn page_queries(keys: &[PageKey], select: &str, from: &str, page: usize) -> (String, String) {
    let reads: Vec<&str> = keys.iter().map(|k| k.read.as_str()).collect();
    let order: Vec<&str> = keys.iter().map(|k| k.column.as_str()).collect();
    // (k1, k2) > (v1, v2) spelled out, which every MySQL and MariaDB version turns into an
    // index range: k1 > v1 OR (k1 = v1 AND k2 > v2).
    let after: Vec<String> = (0..keys.len())
        .map(|t| {
            let mut terms: Vec<String> = keys[..t]
                .iter()
                .map(|k| format!("{} = {}", k.column, k.bound))
                .collect();
            terms.push(format!("{} > {}", keys[t].column, keys[t].bound));
            format!("({})", terms.join(" AND "))
        })
        .collect();
    let head = format!("SELECT {}, {select} FROM {from}", reads.join(", "));
    let tail = format!("ORDER BY {} LIMIT {page}", order.join(", "));
    (
        format!("{head} {tail}"),
        format!("{head} WHERE {} {tail}", after.join(" OR ")),
    )
}

/// The values to bind to the later-page statement of [`page_queries`], given the previous
/// page's last key.
fn page_binds(last: &[String]) -> impl Iterator<Item = &String> {
    (0..last.len()).flat_map(move |t| last[..=t].iter())
}

fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_declared_types() {
        assert_eq!(arrow_type("bigint"), DataType::Int64);
        assert_eq!(arrow_type("decimal"), DataType::Decimal128(38, 10));
        assert_eq!(arrow_type("longtext"), DataType::Utf8);
        assert_eq!(arrow_type("json"), DataType::Utf8);
        assert_eq!(arrow_type("blob"), DataType::Binary);
        assert_eq!(
            arrow_type("datetime"),
            DataType::Timestamp(TimeUnit::Microsecond, None)
        );
    }

    #[test]
    fn pages_through_a_composite_key_in_order() {
        let keys = vec![
            PageKey::new("seq", "bigint").unwrap(),
            PageKey::new("uid", "varbinary").unwrap(),
        ];
        let (first, next) = page_queries(&keys, "CAST(`m` AS CHAR)", "`d`.`t`", 500);
        assert_eq!(
            first,
            "SELECT CAST(`seq` AS CHAR), HEX(`uid`), CAST(`m` AS CHAR) FROM `d`.`t` \
             ORDER BY `seq`, `uid` LIMIT 500"
        );
        assert!(next.ends_with(
            "WHERE (`seq` > CAST(? AS DECIMAL(65,0))) OR (`seq` = CAST(? AS DECIMAL(65,0)) \
             AND `uid` > UNHEX(?)) ORDER BY `seq`, `uid` LIMIT 500"
        ));
        let last = vec!["7".to_string(), "AB".to_string()];
        let binds: Vec<&String> = page_binds(&last).collect();
        assert_eq!(binds, [&last[0], &last[0], &last[1]]);
        assert_eq!(
            PageKey::new("f", "double"),
            None,
            "floats do not page exactly"
        );
        assert_eq!(PageKey::new("e", "enum"), None, "enums order by position");
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("we`ird"), "`we``ird`");
    }
}
