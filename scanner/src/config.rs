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
    /// Declarative classifier files (TOML), relative to this config file.
    #[serde(default)]
    pub classifiers: Vec<std::path::PathBuf>,
    /// The filing entity (备案主体).
    #[serde(default)]
    pub organization: Organization,
    /// Catalogue settings: rule file and person-supplied fields.
    #[serde(default)]
    pub catalog: CatalogConfig,
    /// Scheduled scans.
    #[serde(default)]
    pub schedule: Vec<crate::job::Job>,
    /// Person counting.
    #[serde(default)]
    pub persons: PersonsSection,
    /// Yearly filing deadlines shown by `mulu status`; defaults when empty.
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
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

/// `[persons]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonsSection {
    /// `exact` (default), `sketch` or `off`.
    pub mode: Option<String>,
    /// File holding the secret hash key (hex or raw bytes, 16–64 bytes).
    pub key_file: Option<std::path::PathBuf>,
    /// Memory the exact count may use before it falls back to sketches (default 2048).
    pub memory_budget_mb: Option<usize>,
}

/// `[[deadlines]]`: a yearly filing deadline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// What is due.
    pub name: String,
    /// Month and day, `MM-DD`.
    pub date: String,
}

impl Deadline {
    /// The 2026 task lists' yearly deadlines.
    pub fn defaults() -> Vec<Deadline> {
        [
            ("车联网重要数据目录备案", "07-31"),
            ("人工智能重要数据目录备案", "08-31"),
            ("数据安全风险评估报告", "11-30"),
        ]
        .into_iter()
        .map(|(name, date)| Deadline {
            name: name.into(),
            date: date.into(),
        })
        .collect()
    }

    /// (month, day).
    pub fn month_day(&self) -> Option<(u32, u32)> {
        let (m, d) = self.date.split_once('-')?;
        Some((m.parse().ok()?, d.parse().ok()?))
    }
}

/// `[[sources]]`: one source to scan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// A short name for people.
    pub name: Option<String>,
    /// `postgres://…`, `mysql://…`, `sqlite://PATH`, `s3://BUCKET/PREFIX`, `gs://…`, `az://…`,
    /// `file://DIR` or a path (relative to the working directory).
    pub url: String,
    /// Globs over asset names to scan (`schema.table`, `database.table`, paths).
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs over asset names to skip; wins over `include`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Most connections to this source at once (default 2).
    pub max_connections: Option<u32>,
    /// Seconds a single query may run (default 30).
    pub statement_timeout_secs: Option<u64>,
    /// Environment variable holding the password when the URL has none.
    pub password_env: Option<String>,
    /// File holding the password when neither the URL nor `password_env` gives one.
    pub password_file: Option<std::path::PathBuf>,
    /// `s3://` sources: a custom endpoint for S3-compatible stores (MinIO, OSS, COS, OBS).
    pub endpoint: Option<String>,
    /// `s3://` sources: the region (default `AWS_REGION`, else `us-east-1`).
    pub region: Option<String>,
    /// `s3://` sources: path-style requests (`endpoint/bucket/key`); MinIO needs it.
    #[serde(default)]
    pub path_style: bool,
    /// `s3://` sources: allow a plain `http://` endpoint (unencrypted).
    #[serde(default)]
    pub allow_http: bool,
    /// `s3://` sources: the access key id (default `AWS_ACCESS_KEY_ID`).
    pub access_key_id: Option<String>,
    /// `s3://` sources: the environment variable holding the secret access key (default
    /// `AWS_SECRET_ACCESS_KEY`). There is deliberately no field for the secret itself.
    pub secret_access_key_env: Option<String>,
}

impl SourceEntry {
    /// A source given on the command line: just a URL, default options.
    pub fn from_url(url: &str) -> Self {
        Self {
            name: None,
            url: url.to_string(),
            include: Vec::new(),
            exclude: Vec::new(),
            max_connections: None,
            statement_timeout_secs: None,
            password_env: None,
            password_file: None,
            endpoint: None,
            region: None,
            path_style: false,
            allow_http: false,
            access_key_id: None,
            secret_access_key_env: None,
        }
    }

    /// The connector options this entry asks for.
    pub fn options(&self) -> connectors::SourceOptions {
        let defaults = connectors::SourceOptions::default();
        connectors::SourceOptions {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            max_connections: self.max_connections.unwrap_or(defaults.max_connections),
            statement_timeout: self
                .statement_timeout_secs
                .map_or(defaults.statement_timeout, std::time::Duration::from_secs),
            password_env: self.password_env.clone(),
            password_file: self.password_file.clone(),
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            path_style: self.path_style,
            allow_http: self.allow_http,
            access_key_id: self.access_key_id.clone(),
            secret_access_key_env: self.secret_access_key_env.clone(),
        }
    }
}

impl Config {
    /// Reads and validates a config file.
    ///
    /// # Errors
    /// Fails with the file name and the TOML error (line and column) when it cannot be used.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let mut config = Self::parse(&text)
            .with_context(|| format!("invalid config file {}", path.display()))?;
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
    fn s3_source_options_map_to_connector_options() {
        let c = Config::parse(
            "[[sources]]\nurl = \"s3://lake/raw\"\nendpoint = \"http://127.0.0.1:9000\"\n\
             region = \"cn-east-1\"\npath_style = true\nallow_http = true\n\
             access_key_id = \"AKIDEXAMPLE\"\nsecret_access_key_env = \"LAKE_SECRET\"\n",
        )
        .unwrap();
        let o = c.sources[0].options();
        assert_eq!(o.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(o.region.as_deref(), Some("cn-east-1"));
        assert!(o.path_style && o.allow_http);
        assert_eq!(o.access_key_id.as_deref(), Some("AKIDEXAMPLE"));
        assert_eq!(o.secret_access_key_env.as_deref(), Some("LAKE_SECRET"));
        let d = SourceEntry::from_url("s3://lake").options();
        assert!(!d.path_style && !d.allow_http && d.endpoint.is_none());
        // A secret written into the config is a typo'd field, not a silently ignored one.
        assert!(
            Config::parse("[[sources]]\nurl = \"s3://lake\"\nsecret_access_key = \"x\"\n").is_err()
        );
    }

    #[test]
    fn zero_sample_rows_is_rejected() {
        assert!(Config::parse("[scan]\nsample_rows = 0\n").is_err());
    }
}
