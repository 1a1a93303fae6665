//! The folder a sharded run shares: a local or shared folder, or a bucket prefix, through
//! `object_store`, so shards on different machines need no shared disk.

use std::sync::Arc;

use anyhow::Context;
use futures::TryStreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// `[run]` in `mulu.toml`: how to reach a bucket run folder (`endpoint`, `region`,
/// `path_style`, `allow_http`, `access_key_id`, `secret_access_key_env`), as for a bucket
/// source. A local folder needs none.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    /// A database table of more rows than this (by the listing's estimate) is planned as
    /// ranges of its integer primary key of about this many rows, one unit each, so several
    /// shards share its full pass; default [`DEFAULT_UNIT_ROWS`].
    pub unit_rows: Option<u64>,
    /// A dataset of more bytes than this is planned as groups of its files of about this
    /// size, one unit each; default [`DEFAULT_UNIT_BYTES`].
    pub unit_bytes: Option<u64>,
    /// The store options.
    #[serde(flatten)]
    pub options: connectors::SourceOptions,
}

/// Rows per unit of a big table when `[run] unit_rows` is not set: a full pass of about a
/// minute on one connection.
pub const DEFAULT_UNIT_ROWS: u64 = 10_000_000;

/// Bytes per unit of a big dataset when `[run] unit_bytes` is not set.
pub const DEFAULT_UNIT_BYTES: u64 = 1 << 30;

impl RunSection {
    /// The unit size a plan cuts big assets to: `rows`/`bytes` given on the command line,
    /// else this section's, else the defaults.
    pub fn unit_size(&self, rows: Option<u64>, bytes: Option<u64>) -> crate::plan::UnitSize {
        crate::plan::UnitSize {
            rows: rows.or(self.unit_rows).unwrap_or(DEFAULT_UNIT_ROWS),
            bytes: bytes.or(self.unit_bytes).unwrap_or(DEFAULT_UNIT_BYTES),
        }
    }
}

/// A run folder.
pub struct RunFolder {
    store: Arc<dyn ObjectStore>,
    /// The folder as given, credentials redacted, for messages.
    pub display: String,
}

impl RunFolder {
    /// Opens `spec` (a path, `file://DIR`, `s3://BUCKET/PREFIX`, `gs://…`, `az://…`).
    ///
    /// # Errors
    /// An unsupported scheme or an unusable folder.
    pub fn open(spec: &str, section: &RunSection) -> anyhow::Result<Self> {
        Ok(Self {
            store: connectors::open_store(spec, &section.options)?,
            display: connectors::redact_url(spec),
        })
    }

    /// Writes `name` (a path inside the folder), replacing it.
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.store
            .put(&Path::from(name), PutPayload::from(bytes))
            .await
            .with_context(|| format!("cannot write {name} in {}", self.display))?;
        Ok(())
    }

    /// Reads `name`, `None` when it does not exist.
    ///
    /// # Errors
    /// The store failed otherwise.
    pub async fn get(&self, name: &str) -> anyhow::Result<Option<Vec<u8>>> {
        match self.store.get(&Path::from(name)).await {
            Ok(found) => Ok(Some(
                found
                    .bytes()
                    .await
                    .with_context(|| format!("cannot read {name} in {}", self.display))?
                    .to_vec(),
            )),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {name} in {}", self.display)),
        }
    }

    /// Removes `name`; nothing when it does not exist.
    ///
    /// # Errors
    /// The store failed otherwise.
    pub async fn delete(&self, name: &str) -> anyhow::Result<()> {
        match self.store.delete(&Path::from(name)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("cannot remove {name} in {}", self.display)),
        }
    }

    /// The numbered sub-folders of `folder` (`shards/0`, `shards/1` …).
    ///
    /// # Errors
    /// The listing failed.
    pub async fn numbered(&self, folder: &str) -> anyhow::Result<Vec<usize>> {
        let listing = self
            .store
            .list_with_delimiter(Some(&Path::from(folder)))
            .await;
        let listing = match listing {
            Ok(l) => l,
            Err(object_store::Error::NotFound { .. }) => return Ok(Vec::new()),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot list {folder} in {}", self.display))
            }
        };
        let mut found: Vec<usize> = listing
            .common_prefixes
            .iter()
            .filter_map(|p| p.filename()?.parse().ok())
            .collect();
        found.sort_unstable();
        Ok(found)
    }

    /// Every object under `folder`, for tests and diagnostics.
    ///
    /// # Errors
    /// The listing failed.
    pub async fn list(&self, folder: &str) -> anyhow::Result<Vec<String>> {
        let items: Vec<_> = self
            .store
            .list(Some(&Path::from(folder)))
            .try_collect()
            .await
            .with_context(|| format!("cannot list {folder} in {}", self.display))?;
        Ok(items.into_iter().map(|m| m.location.to_string()).collect())
    }
}
