//! S3 Inventory as a bucket's listing: a bucket of hundreds of millions of objects takes hours
//! and a fortune in LIST requests to walk, while S3 (and compatible stores) already write its
//! daily inventory — a `manifest.json` naming CSV (gzip) or Parquet files of bucket, key, size
//! and last-modified rows. With `inventory = "s3://…/manifest.json"` on a source, the scan's
//! listing is read from there instead; everything after it (grouping, sampling) is unchanged.
//!
//! Rows of older versions and delete markers (a versioned inventory) are not objects of the
//! bucket as it stands, and are left out, as are folder markers (`key/`).

use std::io::Read;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, TimestampMillisecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};
use parquet::arrow::async_reader::ParquetRecordBatchStreamBuilder;
use parquet::arrow::ProjectionMask;
use serde::Deserialize;

use super::tables::read_whole;
use crate::parquet_reader::StoreFileReader;

/// Where a source's inventory is, and which part of it is the source.
pub(crate) struct Inventory {
    /// The store the inventory was delivered to (its destination bucket).
    pub(crate) store: Arc<dyn ObjectStore>,
    /// The key of `manifest.json` in it.
    pub(crate) manifest: Path,
    /// The source's bucket, which the manifest must name.
    pub(crate) bucket: String,
    /// The source's prefix in the bucket (`""` for all of it); keys are listed relative to it.
    pub(crate) prefix: String,
}

/// The parts of `manifest.json` a listing needs.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    source_bucket: String,
    file_format: String,
    /// The CSV columns in order (`Bucket, Key, Size, LastModifiedDate`).
    #[serde(default)]
    file_schema: String,
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct ManifestFile {
    key: String,
}

/// One row of an inventory.
struct Row {
    key: String,
    size: u64,
    modified: Option<DateTime<Utc>>,
    /// `false` for an older version or a delete marker.
    current: bool,
}

impl Inventory {
    /// The source's objects as the inventory lists them, sorted by key.
    ///
    /// # Errors
    /// The manifest or an inventory file cannot be read or parsed, or names another bucket.
    pub(crate) async fn files(&self) -> Result<Vec<ObjectMeta>, String> {
        let name = &self.manifest;
        let manifest: Manifest = serde_json::from_slice(&read_whole(&self.store, name).await?)
            .map_err(|e| format!("{name}: not an S3 Inventory manifest: {e}"))?;
        if manifest.source_bucket != self.bucket {
            return Err(format!(
                "{name}: the inventory is of bucket {}, not {}",
                manifest.source_bucket, self.bucket
            ));
        }
        let mut files = Vec::new();
        for file in &manifest.files {
            let location = Path::parse(&file.key).unwrap_or_else(|_| Path::from(file.key.as_str()));
            let rows = match manifest.file_format.to_ascii_uppercase().as_str() {
                "CSV" => {
                    let bytes = read_whole(&self.store, &location).await?;
                    csv_rows(&manifest.file_schema, &bytes)
                }
                "PARQUET" => self.parquet_rows(&location).await,
                other => Err(format!(
                    "inventory files in {other} are not read (CSV and Parquet are)"
                )),
            }
            .map_err(|e| format!("{location}: {e}"))?;
            files.extend(rows.into_iter().filter_map(|row| self.object(row)));
        }
        files.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(files)
    }

    /// A row as an object of the source, if it is one.
    fn object(&self, row: Row) -> Option<ObjectMeta> {
        if !row.current || row.key.ends_with('/') {
            return None;
        }
        let key = if self.prefix.is_empty() {
            row.key.as_str()
        } else {
            row.key.strip_prefix(&self.prefix)?.strip_prefix('/')?
        };
        Some(ObjectMeta {
            location: Path::parse(key).unwrap_or_else(|_| Path::from(key)),
            last_modified: row.modified.unwrap_or_default(),
            size: row.size,
            e_tag: None,
            version: None,
        })
    }

    /// The rows of a Parquet inventory file (columns `key`, `size`, `last_modified_date`,
    /// and `is_latest`/`is_delete_marker` when versioned).
    async fn parquet_rows(&self, location: &Path) -> Result<Vec<Row>, String> {
        let meta = self.store.head(location).await.map_err(|e| e.to_string())?;
        let reader = StoreFileReader::new(self.store.clone(), location.clone(), meta.size);
        let builder = ParquetRecordBatchStreamBuilder::new(reader)
            .await
            .map_err(|e| e.to_string())?;
        let wanted = [
            "key",
            "size",
            "last_modified_date",
            "is_latest",
            "is_delete_marker",
        ];
        let roots: Vec<usize> = builder
            .schema()
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| wanted.contains(&f.name().as_str()))
            .map(|(i, _)| i)
            .collect();
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let batches: Vec<RecordBatch> = builder
            .with_projection(mask)
            .build()
            .map_err(|e| e.to_string())?
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        let mut rows = Vec::new();
        for batch in &batches {
            parquet_batch_rows(batch, &mut rows)?;
        }
        Ok(rows)
    }
}

fn parquet_batch_rows(batch: &RecordBatch, rows: &mut Vec<Row>) -> Result<(), String> {
    let column = |name: &str, to: &DataType| {
        batch
            .column_by_name(name)
            .map(|c| arrow_cast::cast(c, to).map_err(|e| format!("column {name}: {e}")))
            .transpose()
    };
    let keys = column("key", &DataType::Utf8)?.ok_or("no `key` column")?;
    let keys = keys.as_string::<i32>();
    let sizes = column("size", &DataType::Int64)?;
    let sizes = sizes.as_ref().map(|s| s.as_primitive::<Int64Type>());
    let stamp = DataType::Timestamp(TimeUnit::Millisecond, None);
    let modified = column("last_modified_date", &stamp)?;
    let modified = modified
        .as_ref()
        .map(|m| m.as_primitive::<TimestampMillisecondType>());
    let flag = |name: &str| column(name, &DataType::Boolean);
    let (latest, deleted) = (flag("is_latest")?, flag("is_delete_marker")?);
    let (latest, deleted) = (
        latest.as_ref().map(|a| a.as_boolean()),
        deleted.as_ref().map(|a| a.as_boolean()),
    );
    for i in 0..batch.num_rows() {
        if keys.is_null(i) {
            continue;
        }
        let set =
            |a: Option<&arrow_array::BooleanArray>| a.filter(|a| a.is_valid(i)).map(|a| a.value(i));
        rows.push(Row {
            key: keys.value(i).to_string(),
            size: sizes
                .filter(|s| s.is_valid(i))
                .map_or(0, |s| s.value(i).max(0) as u64),
            modified: modified
                .filter(|m| m.is_valid(i))
                .and_then(|m| DateTime::from_timestamp_millis(m.value(i))),
            current: set(latest) != Some(false) && set(deleted) != Some(true),
        });
    }
    Ok(())
}

/// The rows of a CSV inventory file (gzip-compressed, as S3 writes it, or plain): no header,
/// its columns as `schema` names them, keys URL-encoded.
fn csv_rows(schema: &str, bytes: &[u8]) -> Result<Vec<Row>, String> {
    let columns: Vec<&str> = schema.split(',').map(str::trim).collect();
    let at = |name: &str| columns.iter().position(|c| c.eq_ignore_ascii_case(name));
    let key = at("Key").ok_or("the manifest's fileSchema has no Key column")?;
    let (size, modified) = (at("Size"), at("LastModifiedDate"));
    let (latest, deleted) = (at("IsLatest"), at("IsDeleteMarker"));
    let mut text = Vec::new();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut text)
            .map_err(|e| format!("not gzip: {e}"))?;
    } else {
        text.extend_from_slice(bytes);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_slice());
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", n + 1))?;
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).filter(|v| !v.is_empty());
        let Some(encoded) = field(Some(key)) else {
            continue;
        };
        rows.push(Row {
            // Form-encoded: a space is `+`, a `+` is `%2B`.
            key: crate::options::percent_decode(&encoded.replace('+', " ")),
            size: field(size).and_then(|s| s.parse().ok()).unwrap_or(0),
            modified: field(modified)
                .and_then(|m| DateTime::parse_from_rfc3339(m).ok())
                .map(|m| m.with_timezone(&Utc)),
            current: field(latest) != Some("false") && field(deleted) != Some("true"),
        });
    }
    Ok(rows)
}

/// Opens the inventory `url` (`s3://bucket/key/manifest.json`) of the S3 source `spec`, with
/// the source's endpoint and credentials.
///
/// # Errors
/// The URL is not an `s3://` object URL.
#[cfg(feature = "cloud")]
pub(crate) fn open(
    spec: &str,
    url: &str,
    display_url: &str,
    options: &crate::SourceOptions,
) -> crate::Result<Inventory> {
    let invalid = |detail: String| crate::Error::InvalidOption {
        option: "inventory",
        detail,
    };
    let parse = |u: &str| url::Url::parse(u).map_err(|e| invalid(format!("{u}: {e}")));
    let (source, manifest) = (parse(spec)?, parse(url)?);
    let bucket = manifest.host_str().unwrap_or_default();
    let key = manifest.path().trim_start_matches('/');
    if manifest.scheme() != "s3" || bucket.is_empty() || !key.ends_with("manifest.json") {
        return Err(invalid(format!(
            "{url}: write the S3 URL of the inventory's manifest, \
             s3://BUCKET/…/manifest.json"
        )));
    }
    let (store, _) = crate::cloud::build(
        crate::cloud::Cloud::S3,
        &format!("s3://{bucket}"),
        display_url,
        options,
    )?;
    Ok(Inventory {
        store,
        manifest: Path::from_url_path(key).map_err(|e| invalid(format!("{url}: {e}")))?,
        bucket: source.host_str().unwrap_or_default().to_string(),
        prefix: crate::options::percent_decode(source.path().trim_matches('/')),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(prefix: &str) -> Inventory {
        Inventory {
            store: Arc::new(object_store::memory::InMemory::new()),
            manifest: Path::from("m/manifest.json"),
            bucket: "cams".into(),
            prefix: prefix.into(),
        }
    }

    #[test]
    fn csv_rows_are_the_current_objects_under_the_prefix() {
        let text = "\"cams\",\"raw/a+b%2Bc.jpg\",\"\",\"true\",\"false\",\"12\",\"2026-11-02T08:00:00.000Z\"\n\
                    \"cams\",\"raw/old.jpg\",\"v1\",\"false\",\"false\",\"5\",\"2026-11-01T08:00:00.000Z\"\n\
                    \"cams\",\"raw/gone.jpg\",\"v2\",\"true\",\"true\",\"\",\"2026-11-01T08:00:00.000Z\"\n\
                    \"cams\",\"raw/\",\"\",\"true\",\"false\",\"0\",\"2026-11-01T08:00:00.000Z\"\n\
                    \"cams\",\"other/x.jpg\",\"\",\"true\",\"false\",\"7\",\"2026-11-01T08:00:00.000Z\"\n";
        let schema = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate";
        let rows = csv_rows(schema, text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 5);
        let inventory = inventory("raw");
        let objects: Vec<(String, u64)> = rows
            .into_iter()
            .filter_map(|r| inventory.object(r))
            .map(|m| (m.location.to_string(), m.size))
            .collect();
        assert_eq!(objects, [("a b+c.jpg".to_string(), 12)]);
    }

    #[test]
    fn a_schema_without_a_key_is_an_error() {
        assert!(csv_rows("Bucket, Size", b"a,1\n").is_err());
    }
}
