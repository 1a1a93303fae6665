//! A wrapper that applies include/exclude globs to any connector's listing.

use async_trait::async_trait;

use crate::options::AssetFilter;
use crate::{AssetInfo, Connector, Read, ReadRequest, Result, SharedConnector, SourceOptions};

/// Lists only the assets whose names pass [`SourceOptions::include`] and
/// [`SourceOptions::exclude`]; everything else is forwarded unchanged.
///
/// Filtering is a wrapper rather than a feature of each backend, so every connector, present
/// and future, honours the same globs the same way.
pub struct FilteredConnector {
    inner: SharedConnector,
    filter: AssetFilter,
}

impl FilteredConnector {
    /// Wraps `inner` with the globs of `options`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidOption`] when a glob does not parse.
    pub fn new(inner: SharedConnector, options: &SourceOptions) -> Result<Self> {
        Ok(Self {
            inner,
            filter: options.filter()?,
        })
    }
}

#[async_trait]
#[deny(clippy::missing_trait_methods)]
impl Connector for FilteredConnector {
    fn display_url(&self) -> &str {
        self.inner.display_url()
    }

    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn list_assets(&self) -> Result<Vec<AssetInfo>> {
        let mut assets = self.inner.list_assets().await?;
        assets.retain(|a| self.filter.allows(&a.name));
        Ok(assets)
    }

    async fn read(&self, asset: &AssetInfo, request: &ReadRequest) -> Result<Read> {
        self.inner.read(asset, request).await
    }
}

/// Wraps every connector when globs are set; leaves them alone otherwise.
pub(crate) fn apply(
    connectors: Vec<SharedConnector>,
    options: &SourceOptions,
) -> Result<Vec<SharedConnector>> {
    if options.filter()?.is_empty() {
        return Ok(connectors);
    }
    connectors
        .into_iter()
        .map(|c| Ok(std::sync::Arc::new(FilteredConnector::new(c, options)?) as SharedConnector))
        .collect()
}
