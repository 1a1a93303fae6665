//! SQLite databases, opened read-only through sqlx.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use async_trait::async_trait;
use futures::stream::BoxStream;
use futures::TryStreamExt;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::Row;

use crate::batch::{resolve_columns, spawn_batches, utf8_schema, StringRows};
use crate::{AssetInfo, AssetKind, Connector, Error, Result, Sample};

/// One SQLite database file; its tables are the assets.
pub struct SqliteConnector {
    pool: SqlitePool,
    display_url: String,
}

impl SqliteConnector {
    /// Opens `path` read-only. The file is never created or modified.
    ///
    /// # Errors
    /// Fails when the file does not exist or is not an SQLite database.
    pub async fn open(path: &Path, display_url: String) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::NotFound {
                asset: display_url,
                detail: "no such database file".into(),
            });
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .create_if_missing(false)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| Error::backend("sqlite", &display_url, e))?;
        Ok(Self { pool, display_url })
    }

    async fn columns(&self, table: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(&format!("PRAGMA table_info({})", quote_ident(table)))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| Error::backend("sqlite", table, e))?;
        rows.iter()
            .map(|r| {
                let name: String = r.try_get("name")?;
                let declared: String = r.try_get("type")?;
                Ok((name, declared))
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(|e| Error::backend("sqlite", table, e))
    }
}

#[async_trait]
impl Connector for SqliteConnector {
    fn display_url(&self) -> &str {
        &self.display_url
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn list_assets(&self) -> Result<Vec<AssetInfo>> {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| Error::backend("sqlite", &self.display_url, e))?;
        let mut assets = Vec::with_capacity(tables.len());
        for name in tables {
            // A local file: an exact count is cheap enough and better than a guess.
            let count: Option<i64> =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quote_ident(&name)))
                    .fetch_one(&self.pool)
                    .await
                    .ok();
            // dbstat is optional in SQLite builds; without it the size stays unknown.
            let bytes: Option<i64> =
                sqlx::query_scalar("SELECT SUM(pgsize) FROM dbstat WHERE name = ?")
                    .bind(&name)
                    .fetch_one(&self.pool)
                    .await
                    .ok()
                    .flatten();
            assets.push(AssetInfo {
                name,
                kind: AssetKind::Table,
                row_count: count.map(|c| c as u64),
                bytes: bytes.map(|b| b as u64),
                partition_columns: Vec::new(),
            });
        }
        Ok(assets)
    }

    async fn sample(&self, asset: &AssetInfo, limit: usize) -> Result<Sample> {
        let columns = self.columns(&asset.name).await?;
        if columns.is_empty() {
            return Err(Error::NotFound {
                asset: asset.name.clone(),
                detail: "the table has no columns or does not exist".into(),
            });
        }
        let select: Vec<String> = columns.iter().map(|(name, _)| text_expr(name)).collect();
        let sql = format!(
            "SELECT {} FROM {} LIMIT {}",
            select.join(", "),
            quote_ident(&asset.name),
            limit
        );
        let rows = sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| Error::backend("sqlite", &asset.name, e))?;
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            let values: Vec<Option<String>> = rows
                .iter()
                .map(|r| r.try_get::<Option<String>, _>(i))
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| Error::backend("sqlite", &asset.name, e))?;
            arrays.push(Arc::new(StringArray::from(values)));
        }
        let declared = Schema::new(
            columns
                .iter()
                .map(|(name, ty)| Field::new(name, declared_type(ty), true))
                .collect::<Vec<_>>(),
        );
        let text_schema = Schema::new(
            columns
                .iter()
                .map(|(name, _)| Field::new(name, DataType::Utf8, true))
                .collect::<Vec<_>>(),
        );
        let batch = RecordBatch::try_new(Arc::new(text_schema), arrays)
            .map_err(|e| Error::backend("sqlite", &asset.name, e))?;
        Ok(Sample {
            schema: Arc::new(declared),
            batches: vec![batch],
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
        let available: Vec<String> = self
            .columns(&asset.name)
            .await?
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        if available.is_empty() {
            return Err(Error::NotFound {
                asset: asset.name.clone(),
                detail: "the table has no columns or does not exist".into(),
            });
        }
        resolve_columns(&asset.name, &available, columns)?;
        let select: Vec<String> = columns.iter().map(|c| text_expr(c)).collect();
        let sql = format!(
            "SELECT {} FROM {}",
            select.join(", "),
            quote_ident(&asset.name)
        );
        let schema = utf8_schema(columns);
        let pool = self.pool.clone();
        let name = asset.name.clone();
        let batch_rows = batch_rows.max(1);
        Ok(spawn_batches(
            "sqlite",
            name.clone(),
            move |tx| async move {
                let run = async {
                    let mut rows = sqlx::query(&sql).fetch(&pool);
                    let mut out = StringRows::new(schema.clone());
                    let width = schema.fields().len();
                    let err = |e| Error::backend("sqlite", &name, e);
                    while let Some(row) = rows.try_next().await.map_err(err)? {
                        for i in 0..width {
                            let v: Option<&str> = row.try_get(i).map_err(err)?;
                            out.push(i, v);
                        }
                        out.end_row();
                        if out.len() >= batch_rows
                            && tx.send(out.finish("sqlite", &name)).await.is_err()
                        {
                            return Ok(());
                        }
                    }
                    if out.len() > 0 {
                        let _ = tx.send(out.finish("sqlite", &name)).await;
                    }
                    Ok::<(), Error>(())
                };
                if let Err(e) = run.await {
                    let _ = tx.send(Err(e)).await;
                }
            },
        ))
    }
}

/// Reads a column as text for classification; blobs are not text and stay null.
fn text_expr(name: &str) -> String {
    let q = quote_ident(name);
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

/// Quotes an identifier for SQLite.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
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
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
