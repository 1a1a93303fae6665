//! A wrapper that applies include/exclude globs to any connector's listing.

use async_trait::async_trait;

use crate::options::AssetFilter;
use crate::unscanned::{file_kind, UnscannedTally};
use crate::{
    AssetInfo, AssetKind, Connector, Listing, Read, ReadRequest, Result, SharedConnector,
    SkipReason, SourceOptions,
};

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
        Ok(self.list().await?.assets)
    }

    /// The inner listing without the assets the globs leave out, which are counted as
    /// excluded instead.
    async fn list(&self) -> Result<Listing> {
        let mut listing = self.inner.list().await?;
        let (kept, excluded): (Vec<AssetInfo>, Vec<AssetInfo>) = listing
            .assets
            .into_iter()
            .partition(|a| self.filter.allows(&a.name));
        let mut tally = UnscannedTally::default();
        for asset in &excluded {
            let kind = match asset.kind {
                AssetKind::File => file_kind(&asset.name),
                kind => kind.as_str().to_string(),
            };
            tally.add(SkipReason::Excluded, &kind, asset.bytes.unwrap_or(0));
        }
        listing.assets = kept;
        listing.unscanned.extend(tally.finish());
        Ok(listing)
    }

    async fn key_bounds(&self, asset: &AssetInfo) -> Result<Option<(i64, i64)>> {
        self.inner.key_bounds(asset).await
    }

    async fn read(&self, asset: &AssetInfo, request: &ReadRequest) -> Result<Read> {
        self.inner.read(asset, request).await
    }

    async fn close(&self) {
        self.inner.close().await;
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
