//! SQLite files, opened read-only.
//!
//! The read-only flag is part of how the file is opened, so no session setup is needed, and
//! SQLite has no statement timeout: a local file is read at disk speed, and a database locked
//! by a writer is waited for at most five seconds. A local file is cheap to count, so listing
//! gives exact row counts.

use std::path::Path;
use std::time::Duration;

use arrow_schema::DataType;
use async_trait::async_trait;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Pool, Row, Sqlite};

use super::dialect::{Column, Connected, SqlDialect, Table};
use super::errors::{ErrorContext, Failure};
use crate::{AssetInfo, Error, Result, SourceOptions};

/// SQLite; the assets are the tables and views of one database file.
pub(crate) struct SqliteDialect;

/// Whether a writer has the database open in WAL mode right now (its `-wal` file exists).
///
/// Otherwise the file is opened immutable: SQLite then creates no `-wal` or `-shm` file beside
/// it, so scanning writes nothing into the source's folder. A database a writer is using is
/// read through the WAL files that writer already created, to see its committed data.
fn in_use_by_a_writer(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    Path::new(&wal).exists()
}

/// The file a `sqlite://PATH` SOURCE names (query parameters dropped).
fn file_of(spec: &str) -> &Path {
    let rest = spec.strip_prefix("sqlite://").unwrap_or(spec);
    Path::new(rest.split('?').next().unwrap_or(rest))
}

#[async_trait]
impl SqlDialect for SqliteDialect {
    type Db = Sqlite;
    const NAME: &'static str = "sqlite";

    async fn connect(spec: &str, _options: &SourceOptions) -> Result<Connected<Self>> {
        // A file path holds no credentials; shown as given, so reports name the file exactly.
        let display_url = spec.to_string();
        let path = file_of(spec);
        if !path.is_file() {
            return Err(Error::NotFound {
                asset: display_url,
                detail: "no such database file".into(),
            });
        }
        let errors = ErrorContext {
            connector: Self::NAME,
            display_url,
            user: String::new(),
            password: None,
            timeout: Duration::ZERO,
            classify: Self::classify,
        };
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(!in_use_by_a_writer(path))
            .create_if_missing(false)
            .busy_timeout(Duration::from_secs(5));
        let probe = connect
            .connect()
            .await
            .map_err(|e| Error::backend(Self::NAME, &errors.display_url, e))?;
        let _ = probe.close().await;
        Ok(Connected {
            dialect: SqliteDialect,
            connect,
            errors,
        })
    }

    fn session_setup(&self, _options: &SourceOptions) -> Vec<String> {
        Vec::new()
    }

    fn classify(_err: &dyn sqlx::error::DatabaseError) -> Failure {
        // A local file has no users or privileges, and no statement timeout.
        Failure::Other
    }

    fn quote_ident(name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }

    async fn list_assets(
        &self,
        pool: &Pool<Sqlite>,
        errors: &ErrorContext,
    ) -> Result<Vec<AssetInfo>> {
        let tables: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(pool)
        .await
        .map_err(|e| errors.map(None, e))?;
        let mut assets = Vec::with_capacity(tables.len());
        for (name, kind) in tables {
            // A local table: an exact count is cheap enough and better than a guess. A view is
            // not counted: it can be arbitrarily expensive (or, recursive, never finish), and
            // SQLite has no statement timeout to stop it.
            let count: Option<i64> = if kind == "table" {
                sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM {}",
                    Self::quote_ident(&name)
                ))
                .fetch_one(pool)
                .await
                .ok()
            } else {
                None
            };
            // dbstat is optional in SQLite builds; without it the size stays unknown.
            let bytes: Option<i64> =
                sqlx::query_scalar("SELECT SUM(pgsize) FROM dbstat WHERE name = ?")
                    .bind(&name)
                    .fetch_one(pool)
                    .await
                    .ok()
                    .flatten();
            assets.push(AssetInfo::table(
                name,
                count.map(|c| c as u64),
                bytes.map(|b| b as u64),
            ));
        }
        Ok(assets)
    }

    async fn describe(
        &self,
        pool: &Pool<Sqlite>,
        errors: &ErrorContext,
        name: &str,
    ) -> Result<Table> {
        let rows = sqlx::query(&format!("PRAGMA table_info({})", Self::quote_ident(name)))
            .fetch_all(pool)
            .await
            .map_err(|e| errors.map(Some(name), e))?;
        let columns = rows
            .iter()
            .map(|r| {
                let name: String = r.try_get("name")?;
                let declared: String = r.try_get("type")?;
                Ok(Column {
                    declared: declared_type(&declared),
                    text_expr: text_expr(&name),
                    type_name: declared,
                    name,
                    comment: None,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
            .map_err(|e| errors.map(Some(name), e))?;
        if columns.is_empty() {
            return Err(Error::NotFound {
                asset: name.to_string(),
                detail: "the table has no columns or does not exist".into(),
            });
        }
        Ok(Table {
            namespace: "main".into(),
            name: name.to_string(),
            from: Self::quote_ident(name),
            columns,
            comment: None,
            estimated_rows: None,
            integer_key: None,
            filter: None,
            incomplete: None,
        })
    }
}

/// Reads a column as text for classification; blobs are not text and stay null.
fn text_expr(name: &str) -> String {
    let q = SqliteDialect::quote_ident(name);
    format!("CASE WHEN typeof({q}) = 'blob' THEN NULL ELSE CAST({q} AS TEXT) END")
}

/// Maps a declared SQLite column type to an Arrow type by SQLite's affinity rules.
fn declared_type(declared: &str) -> DataType {
    let d = declared.to_ascii_uppercase();
    if d.contains("INT") {
        DataType::Int64
    } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
        DataType::Utf8
    } else if d.contains("BLOB") {
        DataType::Binary
    } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
        DataType::Float64
    } else if d.is_empty() {
        DataType::Utf8
    } else {
        DataType::Decimal128(38, 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affinity_rules() {
        assert_eq!(declared_type("INTEGER"), DataType::Int64);
        assert_eq!(declared_type("varchar(32)"), DataType::Utf8);
        assert_eq!(declared_type("REAL"), DataType::Float64);
        assert_eq!(declared_type("BLOB"), DataType::Binary);
        assert_eq!(declared_type(""), DataType::Utf8);
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(SqliteDialect::quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn the_file_is_the_url_path_without_parameters() {
        assert_eq!(
            file_of("sqlite://data/crm.db?mode=ro"),
            Path::new("data/crm.db")
        );
        assert_eq!(
            file_of("sqlite:///abs/x.sqlite"),
            Path::new("/abs/x.sqlite")
        );
    }
}
