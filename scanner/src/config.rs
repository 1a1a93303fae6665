//! `mulu.toml`: the sources to scan and how gently to scan them.

use std::path::Path;

use anyhow::Context;
use catalog_export::catalog::{CatalogConfig, Organization};
use serde::Deserialize;

/// The whole configuration file. Unknown keys are an error, so a typo never silently
/// changes what is scanned.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Scan settings.
    #[serde(default)]
    pub scan: ScanSection,
    /// Named sources.
    #[serde(default)]
    pub sources: Vec<SourceEntry>,
    /// The filing entity (备案主体).
    #[serde(default)]
    pub organization: Organization,
    /// Catalogue settings: rule file and person-supplied fields.
    #[serde(default)]
    pub catalog: CatalogConfig,
    /// Folder of the config file, for resolving relative paths in it.
    #[serde(skip)]
    pub base_dir: std::path::PathBuf,
}

/// `[scan]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    /// Rows read per asset for classification.
    pub sample_rows: Option<usize>,
    /// Assets sampled at once across all sources.
    pub concurrency: Option<usize>,
}

/// `[[sources]]`: one source to scan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// A short name for people.
    pub name: Option<String>,
    /// `sqlite://PATH`, `file://DIR` or a path.
    pub url: String,
}

impl Config {
    /// Reads and validates a config file.
    ///
    /// # Errors
    /// Fails with the file name and the TOML error (line and column) when it cannot be used.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let mut config =
            Self::parse(&text).with_context(|| format!("invalid config file {}", path.display()))?;
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(config)
    }

    /// Resolves a path written in the config relative to the config file's folder.
    pub fn resolve(&self, path: &Path) -> std::path::PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    fn parse(text: &str) -> anyhow::Result<Self> {
        let config: Config = toml::from_str(text)?;
        if config.scan.sample_rows == Some(0) {
            anyhow::bail!("[scan] sample_rows must be at least 1");
        }
        if config.scan.concurrency == Some(0) {
            anyhow::bail!("[scan] concurrency must be at least 1");
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sources_and_scan_settings() {
        let c = Config::parse(
            "[scan]\nsample_rows = 500\n\n[[sources]]\nname = \"crm\"\nurl = \"sqlite://crm.db\"\n",
        )
        .unwrap();
        assert_eq!(c.scan.sample_rows, Some(500));
        assert_eq!(c.sources[0].url, "sqlite://crm.db");
        assert_eq!(c.sources[0].name.as_deref(), Some("crm"));
    }

    #[test]
    fn typos_are_errors_with_a_location() {
        let err = Config::parse("[scan]\nsample_row = 5\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains("sample_row") && msg.contains("line 2"),
            "{msg}"
        );
    }

    #[test]
    fn organization_and_catalog_fields_parse() {
        let c = Config::parse(
            "[organization]\nname = \"示例\"\nsectors = [\"车联网\"]\n\n[[catalog.fields]]\nmatch = { item = \"vehicle-*\" }\npurposes = \"召回\"\n",
        )
        .unwrap();
        assert!(c.organization.is_vehicle());
        assert_eq!(c.catalog.fields[0].fields.purposes.as_deref(), Some("召回"));
    }

    #[test]
    fn zero_sample_rows_is_rejected() {
        assert!(Config::parse("[scan]\nsample_rows = 0\n").is_err());
    }
}
