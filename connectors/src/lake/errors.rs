//! How a failed lake read is worded: what went wrong with the file and what to do about it.

use object_store::ObjectMeta;

use super::TEXT_WINDOW_BYTES;
use crate::cloud::{self, StoreIdentity};
use crate::compression::Compression;
use crate::{Error, FileFormat};

pub(super) fn ended_early(asset: &str, compression: Compression, rows: usize) -> Error {
    let found = if rows == 0 {
        "no complete row could be read before the cut".to_string()
    } else {
        format!(
            "only {rows} complete row(s) could be read before the cut, fewer than the sample needs"
        )
    };
    Error::invalid(
        asset,
        compression.name(),
        format!(
            "the {} stream ends early; the file is truncated ({found}) — re-copy it",
            compression.name()
        ),
    )
}

pub(super) fn line_too_long(asset: &str, format: FileFormat) -> Error {
    let mib = TEXT_WINDOW_BYTES / (1024 * 1024);
    match format {
        FileFormat::JsonLines => Error::invalid(
            asset,
            "JSON lines",
            format!(
                "line 1 is longer than the {mib} MiB sampling window; the file is not JSON \
                 lines with one record per line (a single JSON document? convert it to JSON \
                 lines or parquet)"
            ),
        ),
        FileFormat::Json => Error::invalid(
            asset,
            "JSON",
            format!(
                "the first record is longer than the {mib} MiB sampling window; split the \
                 file, or convert it to JSON lines or parquet"
            ),
        ),
        _ => Error::invalid(
            asset,
            "CSV",
            format!(
                "the header line is longer than the {mib} MiB sampling window; check that the \
                 file is CSV with one record per line"
            ),
        ),
    }
}

/// A reader's panic on a file, as that file's error.
pub(super) fn reader_panicked(asset: &str, panic: &(dyn std::any::Any + Send)) -> Error {
    let why = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    let format = if asset.ends_with(".parquet") || !asset.contains('.') {
        "parquet"
    } else {
        "text"
    };
    Error::invalid(
        asset,
        format,
        format!("the reader failed on corrupt data ({why}); re-export or remove the file"),
    )
}

/// A parquet read failure. The reader wraps store failures (a vanished object, a refused or
/// failed request) in `ParquetError::External`; those are store errors, not bad parquet.
pub(super) fn parquet_error(
    identity: Option<&StoreIdentity>,
    asset: &str,
    meta: &ObjectMeta,
    e: parquet::errors::ParquetError,
) -> Error {
    let e = match e {
        parquet::errors::ParquetError::External(inner) => {
            match inner.downcast::<object_store::Error>() {
                Ok(store) => return cloud::asset_error(identity, asset, *store),
                Err(inner) => parquet::errors::ParquetError::External(inner),
            }
        }
        e => e,
    };
    let detail = if asset == meta.location.as_ref() {
        format!("{e}; the file may be truncated or not parquet at all")
    } else {
        format!(
            "file '{}': {e}; the file may be truncated or not parquet at all",
            meta.location
        )
    };
    Error::invalid(asset, "parquet", detail)
}
