//! A local folder opened as a lake, and its listed assets by name.

use connectors::{AssetInfo, SharedConnector};

/// Opens `dir` as a source and lists its first connector's assets.
pub async fn lake(dir: &std::path::Path) -> (SharedConnector, Vec<AssetInfo>) {
    let opened = connectors::open_source(dir.to_str().unwrap())
        .await
        .unwrap();
    let lake = opened.connectors[0].clone();
    let assets = lake.list_assets().await.unwrap();
    (lake, assets)
}

/// The listed asset called `name`.
pub fn find(assets: &[AssetInfo], name: &str) -> AssetInfo {
    assets
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("{name} is not listed: {assets:?}"))
        .clone()
}
