//! MySQL and MariaDB: tables and views named `database.table`.
//!
//! When the URL names a database only its tables are listed; otherwise every database except
//! the system ones (`mysql`, `information_schema`, `performance_schema`, `sys`).
//!
//! Every session is `SET SESSION TRANSACTION READ ONLY` plus a statement timeout. The timeout
//! variable differs by server and is detected once when the source opens: MySQL has
//! `max_execution_time` (milliseconds, SELECT only), MariaDB `max_statement_time` (seconds).
//! Listing reads `information_schema.TABLES` (`TABLE_ROWS`, `DATA_LENGTH + INDEX_LENGTH`,
//! estimates kept by the server), never `COUNT(*)`. A sample is a bounded `LIMIT n` read,
//! spread over the primary key's range when that is one integer column and the table is
//! bigger than the sample ([`super::spread`]); a full pass pages through the primary key when
//! it has one. Values are cast with
//! `CAST(x AS CHAR)`; blobs, binary strings and spatial values are read as NULL.

use arrow_schema::{DataType, TimeUnit};
use async_trait::async_trait;
use sqlx::mysql::{MySqlConnectOptions, MySqlDatabaseError, MySqlRow};
use sqlx::{ConnectOptions, Connection, Executor, MySql, Pool, Row};

use super::dialect::{Column, Connected, FullPass, SampleSql, SqlDialect, Table};
use super::driver::SqlDriver;
use super::errors::{ErrorContext, Failure, CONNECT_TIMEOUT};
use super::keyset::PageKey;
use super::server_url::ServerUrl;
use super::spread::KeySteps;
use crate::options::percent_decode;
use crate::{AssetInfo, Error, Result, SourceOptions};

const SYSTEM_DATABASES: &str = "'mysql', 'information_schema', 'performance_schema', 'sys'";

/// MySQL or MariaDB; the assets are the tables of one database, or of the whole server.
pub(crate) struct MySqlDialect {
    /// The database named in the URL, if any.
    database: Option<String>,
    /// MariaDB names its statement timeout differently.
    mariadb: bool,
}

fn text_at(row: &MySqlRow, i: usize) -> std::result::Result<Option<String>, sqlx::Error> {
    Ok(MySql::text_at(row, i)?.map(str::to_owned))
}

#[async_trait]
impl SqlDialect for MySqlDialect {
    type Db = MySql;
    const NAME: &'static str = "mysql";
    const BEGIN_READ: &'static str = "START TRANSACTION READ ONLY";

    /// Connects and checks one connection, which also tells MySQL from MariaDB.
    async fn connect(spec: &str, options: &SourceOptions) -> Result<Connected<Self>> {
        let ServerUrl {
            display_url,
            parsed,
            password,
        } = ServerUrl::parse(spec, options)?;
        let database =
            Some(percent_decode(parsed.path().trim_start_matches('/'))).filter(|d| !d.is_empty());
        let mut errors = ErrorContext {
            connector: Self::NAME,
            display_url,
            user: percent_decode(parsed.username()),
            password: password.clone(),
            timeout: options.statement_timeout,
            classify: Self::classify,
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
        Ok(Connected {
            dialect: MySqlDialect {
                database,
                mariadb: version.to_ascii_lowercase().contains("mariadb"),
            },
            connect,
            errors,
        })
    }

    fn session_setup(&self, options: &SourceOptions) -> Vec<String> {
        let timeout = options.statement_timeout;
        let timeout_sql = if self.mariadb {
            format!("SET SESSION max_statement_time = {}", timeout.as_secs_f64())
        } else {
            format!(
                "SET SESSION max_execution_time = {}",
                timeout.as_millis().max(1)
            )
        };
        vec!["SET SESSION TRANSACTION READ ONLY".to_string(), timeout_sql]
    }

    fn classify(db: &dyn sqlx::error::DatabaseError) -> Failure {
        let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() else {
            return Failure::Other;
        };
        match my.number() {
            // ER_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR
            1045 | 1698 => Failure::Auth,
            // ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR,
            // ER_COLUMNACCESS_DENIED_ERROR, ER_SPECIFIC_ACCESS_DENIED_ERROR
            1044 | 1142 | 1143 | 1227 => Failure::Permission,
            // ER_QUERY_TIMEOUT (MySQL), ER_STATEMENT_TIMEOUT (MariaDB)
            3024 | 1969 => Failure::Timeout,
            // ER_NO_SUCH_TABLE, ER_BAD_DB_ERROR
            1146 | 1049 => Failure::NotFound,
            _ => Failure::Other,
        }
    }

    fn quote_ident(name: &str) -> String {
        format!("`{}`", name.replace('`', "``"))
    }

    /// MySQL casts to `CHAR`, not `TEXT`.
    fn as_text(expr: &str) -> String {
        format!("CAST({expr} AS CHAR)")
    }

    async fn list_assets(
        &self,
        pool: &Pool<MySql>,
        errors: &ErrorContext,
    ) -> Result<Vec<AssetInfo>> {
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
            .fetch_all(pool)
            .await
            .map_err(|e| errors.map(None, e))?;
        rows.iter()
            .map(|r| {
                let database = text_at(r, 0)?.unwrap_or_default();
                let table = text_at(r, 1)?.unwrap_or_default();
                let is_view = text_at(r, 2)?.is_some_and(|t| t.contains("VIEW"));
                let rows: Option<i64> = r.try_get_unchecked(3)?;
                let bytes: Option<i64> = r.try_get_unchecked(4)?;
                // InnoDB's TABLE_ROWS is an estimate; views have none.
                let (rows, bytes) = if is_view { (None, None) } else { (rows, bytes) };
                Ok(AssetInfo::table(
                    super::asset_name::join(&database, &table),
                    rows.map(|n| n as u64),
                    bytes.map(|b| b as u64),
                ))
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(|e| errors.map(None, e))
    }

    async fn listing_gap(
        &self,
        pool: &Pool<MySql>,
        errors: &ErrorContext,
    ) -> Result<Option<String>> {
        let database = self.database.as_deref();
        let complete = super::mysql_grants::reads_everything(pool, errors, database).await?;
        Ok((!complete).then(|| super::mysql_grants::listing_gap_cause(database)))
    }

    /// Looks a `database.table` name up in `information_schema`, with its columns in order.
    async fn describe(
        &self,
        pool: &Pool<MySql>,
        errors: &ErrorContext,
        name: &str,
    ) -> Result<Table> {
        let Some((database, table)) = super::asset_name::split(name) else {
            return Err(Error::NotFound {
                asset: name.to_string(),
                detail: "not a `database.table` name (quote a part that has a dot: `\"a.b\".c`)"
                    .into(),
            });
        };
        let rows = sqlx::query(
            "SELECT CAST(c.COLUMN_NAME AS CHAR), CAST(c.DATA_TYPE AS CHAR), \
                    CAST(c.COLUMN_COMMENT AS CHAR), CAST(t.TABLE_COMMENT AS CHAR), \
                    CAST(c.COLUMN_KEY AS CHAR) \
             FROM information_schema.COLUMNS c \
             LEFT JOIN information_schema.TABLES t \
               ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
             WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION",
        )
        .bind(&database)
        .bind(&table)
        .fetch_all(pool)
        .await
        .map_err(|e| errors.map(Some(name), e))?;
        if !rows.is_empty() {
            let mut primary = Vec::new();
            let columns: Vec<Column> = rows
                .iter()
                .map(|r| {
                    let name = text_at(r, 0)?.unwrap_or_default();
                    let data_type = text_at(r, 1)?.unwrap_or_default().to_ascii_lowercase();
                    if text_at(r, 4)?.as_deref() == Some("PRI") {
                        primary.push((name.clone(), data_type.clone()));
                    }
                    let mut column = column(name, data_type);
                    column.comment = super::dialect::comment(text_at(r, 2)?);
                    Ok(column)
                })
                .collect::<std::result::Result<_, sqlx::Error>>()
                .map_err(|e| errors.map(Some(name), e))?;
            let integer_key = match primary.as_slice() {
                [(key, data_type)] if is_integer(data_type) => Some(key.clone()),
                _ => None,
            };
            // Views say `VIEW` where a table has its comment.
            let comment = super::dialect::comment(text_at(&rows[0], 3).ok().flatten())
                .filter(|c| c != "VIEW");
            let granted =
                super::mysql_grants::column_grants_only(pool, errors, name, &database, &table)
                    .await?;
            return Ok(Table {
                from: Self::qualified(&database, &table),
                namespace: database,
                name: table,
                columns,
                comment,
                estimated_rows: None,
                integer_key,
                filter: None,
                incomplete: granted.map(super::mysql_grants::column_grant_cause),
            });
        }
        // The catalog hides tables the user has no privilege on at all. Ask the server
        // directly, so "no such table" and "not allowed" read differently.
        let probe = format!(
            "SELECT 1 FROM {} LIMIT 0",
            Self::qualified(&database, &table)
        );
        sqlx::query(&probe)
            .persistent(false)
            .fetch_all(pool)
            .await
            .map_err(|e| errors.map(Some(name), e))?;
        Err(Error::NotFound {
            asset: name.to_string(),
            detail: "no such table or view (names are `database.table`)".into(),
        })
    }

    /// The first rows, and probes spread over an integer primary key for a table bigger than
    /// the sample.
    fn sample_sql(&self, table: &Table, select: &str, limit: usize) -> SampleSql {
        let steps = table.integer_key.as_ref().map(|key| {
            KeySteps::new(
                table,
                key,
                Self::quote_ident(key),
                Self::as_text,
                select,
                limit,
            )
        });
        SampleSql {
            random: None,
            first_rows: format!("SELECT {select} FROM {} LIMIT {limit}", table.from),
            steps,
        }
    }

    /// Pages through the primary key when every key column can be paged exactly; otherwise
    /// one statement, whose rows the server streams and the statement timeout bounds whole.
    async fn full_pass(
        &self,
        pool: &Pool<MySql>,
        errors: &ErrorContext,
        table: &Table,
        select: &str,
        _batch_rows: usize,
    ) -> Result<FullPass> {
        let whole =
            FullPass::Statement(format!("SELECT {select} FROM {}", table.filtered_source()));
        let asset = super::asset_name::join(&table.namespace, &table.name);
        let rows = sqlx::query(
            "SELECT CAST(COLUMN_NAME AS CHAR) FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' \
             ORDER BY SEQ_IN_INDEX",
        )
        .bind(&table.namespace)
        .bind(&table.name)
        .fetch_all(pool)
        .await
        .map_err(|e| errors.map(Some(&asset), e))?;
        let mut keys = Vec::new();
        for row in &rows {
            let key = text_at(row, 0)
                .map_err(|e| errors.map(Some(&asset), e))?
                .unwrap_or_default();
            let Some(column) = table.columns.iter().find(|c| c.name == key) else {
                return Ok(whole);
            };
            match page_key(&column.name, &column.type_name) {
                Some(part) => keys.push(part),
                None => return Ok(whole),
            }
        }
        Ok(if keys.is_empty() {
            whole
        } else {
            FullPass::Keyset(keys)
        })
    }
}

fn column(name: String, data_type: String) -> Column {
    let declared = arrow_type(&data_type);
    let text_expr = if matches!(declared, DataType::Binary) {
        "NULL".to_string()
    } else {
        format!("CAST({} AS CHAR)", MySqlDialect::quote_ident(&name))
    };
    Column {
        name,
        declared,
        type_name: data_type,
        text_expr,
        comment: None,
    }
}

fn is_integer(data_type: &str) -> bool {
    matches!(
        data_type,
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
    )
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

/// How to page through a key column of `data_type` exactly: integers and decimals compared
/// as decimals, not doubles; binary keys through hex. `None` for key types whose text form
/// does not order like the column (floats, enums, sets, bits, JSON, spatial).
fn page_key(name: &str, data_type: &str) -> Option<PageKey> {
    let column = MySqlDialect::quote_ident(name);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::keyset::page_queries;

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
        assert_eq!(column("b".into(), "blob".into()).text_expr, "NULL");
    }

    #[test]
    fn pages_through_integer_and_binary_keys_exactly() {
        let keys = vec![
            page_key("seq", "bigint").unwrap(),
            page_key("uid", "varbinary").unwrap(),
        ];
        let (first, next) = page_queries(&keys, "CAST(`m` AS CHAR)", "`d`.`t`", None, 500);
        assert_eq!(
            first,
            "SELECT CAST(`seq` AS CHAR), HEX(`uid`), CAST(`m` AS CHAR) FROM `d`.`t` \
             ORDER BY `seq`, `uid` LIMIT 500"
        );
        assert!(next.contains("`uid` > UNHEX(?)"), "{next}");
        assert_eq!(page_key("f", "double"), None, "floats do not page exactly");
        assert_eq!(page_key("e", "enum"), None, "enums order by position");
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(MySqlDialect::quote_ident("we`ird"), "`we``ird`");
    }
}
