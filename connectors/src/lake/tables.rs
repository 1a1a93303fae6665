//! What the table formats (Delta Lake, Apache Iceberg) share: a table is a folder whose data
//! files are named by its metadata, relative to the table's folder, and that metadata is read
//! whole from the store.

use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};

/// The table (of `roots`) a file belongs to: the deepest table folder above it.
pub(crate) fn table_of<'a>(
    roots: impl Iterator<Item = &'a String>,
    location: &Path,
) -> Option<&'a String> {
    let path = location.as_ref();
    roots
        .filter(|root| {
            root.is_empty()
                || path
                    .strip_prefix(root.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|root| root.len())
}

/// The path of a file relative to its table's folder.
pub(crate) fn relative<'a>(root: &str, location: &'a Path) -> &'a str {
    let full = location.as_ref();
    if root.is_empty() {
        full
    } else {
        full.strip_prefix(root)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(full)
    }
}

/// The store path of `relative` inside the table folder `root`.
pub(crate) fn inside(root: &str, relative: &str) -> Path {
    let joined = if root.is_empty() {
        relative.to_string()
    } else {
        format!("{root}/{relative}")
    };
    Path::parse(&joined).unwrap_or_else(|_| Path::from(joined.as_str()))
}

/// One metadata file, whole; the error names it and says why, for the data officer.
pub(crate) async fn read_whole(
    store: &Arc<dyn ObjectStore>,
    location: &Path,
) -> Result<Bytes, String> {
    let fail = |e: object_store::Error| match e {
        object_store::Error::NotFound { .. } => format!("{location}: not found"),
        e => format!("{location}: {e}"),
    };
    store
        .get(location)
        .await
        .map_err(fail)?
        .bytes()
        .await
        .map_err(fail)
}
