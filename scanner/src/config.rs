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
    /// Where a sharded run's folder is, when it is a bucket (`mulu plan --out s3://…`).
    #[serde(default)]
    pub run: crate::run_folder::RunSection,
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
    /// Longest the sample of one asset may take (default 600).
    pub sample_timeout_secs: Option<u64>,
    /// Longest the person-counting full pass over one asset may take (default 21600).
    pub full_pass_timeout_secs: Option<u64>,
}

impl ScanSection {
    /// The per-asset limits, defaults where unset.
    pub fn limits(&self) -> crate::scan::AssetLimits {
        let defaults = crate::scan::AssetLimits::default();
        let secs = std::time::Duration::from_secs;
        crate::scan::AssetLimits {
            sample: self.sample_timeout_secs.map_or(defaults.sample, secs),
            full_pass: self.full_pass_timeout_secs.map_or(defaults.full_pass, secs),
        }
    }
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
///
/// Besides `name` and `url`, an entry holds the connector options directly (`include`,
/// `exclude`, `max_connections`, `statement_timeout_secs`, `password_env`, `password_file`,
/// `endpoint`, `region`, `path_style`, `allow_http`, `access_key_id`,
/// `secret_access_key_env`): they are [`connectors::SourceOptions`] itself, so a new option
/// needs no change here. Unknown keys are still an error naming the key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// A short name for people.
    pub name: Option<String>,
    /// `postgres://…`, `mysql://…`, `sqlite://PATH`, `s3://BUCKET/PREFIX`, `gs://…`, `az://…`,
    /// `file://DIR` or a path (relative to the working directory).
    pub url: String,
    /// How to open and read the source.
    #[serde(flatten)]
    pub options: connectors::SourceOptions,
}

impl SourceEntry {
    /// A source given on the command line: just a URL, default options.
    pub fn from_url(url: &str) -> Self {
        Self {
            name: None,
            url: url.to_string(),
            options: connectors::SourceOptions::default(),
        }
    }

    /// Checks that a URL source parses ([`connectors::check_source`]): a malformed URL is a
    /// configuration error (exit 2), reported with its password masked, before any scan.
    ///
    /// # Errors
    /// The URL does not parse.
    pub fn check(&self) -> anyhow::Result<()> {
        connectors::check_source(&self.url).map_err(|e| match &self.name {
            Some(name) => anyhow::anyhow!("source '{name}': {e}"),
            None => anyhow::anyhow!("{e}"),
        })
    }

    /// The connector options this entry asks for.
    pub fn options(&self) -> connectors::SourceOptions {
        self.options.clone()
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

    /// The sources of a `[[schedule]]` job: each entry is the name of a `[[sources]]` entry
    /// (so its credentials and include/exclude come along) or else a URL or path; no entries
    /// means every `[[sources]]` entry.
    ///
    /// # Errors
    /// An entry that names no source and is not a URL or an existing path.
    pub fn job_sources(&self, job: &crate::job::Job) -> anyhow::Result<Vec<SourceEntry>> {
        if job.sources.is_empty() {
            return Ok(self.sources.clone());
        }
        job.sources
            .iter()
            .map(|wanted| self.source_named(&job.name, wanted))
            .collect()
    }

    fn source_named(&self, job: &str, wanted: &str) -> anyhow::Result<SourceEntry> {
        if let Some(entry) = self
            .sources
            .iter()
            .find(|s| s.name.as_deref() == Some(wanted))
        {
            return Ok(entry.clone());
        }
        let looks_like_location =
            wanted.contains("://") || wanted.contains('/') || Path::new(wanted).exists();
        if looks_like_location {
            return Ok(SourceEntry::from_url(wanted));
        }
        let names: Vec<&str> = self
            .sources
            .iter()
            .filter_map(|s| s.name.as_deref())
            .collect();
        let known = if names.is_empty() {
            "the config names no [[sources]]".to_string()
        } else {
            format!("[[sources]] names: {}", names.join(", "))
        };
        anyhow::bail!(
            "[[schedule]] '{job}': source '{wanted}' is neither a [[sources]] name nor a URL or an existing path ({known})"
        )
    }

    /// Resolves a path written in the config relative to the config file's folder.
    pub fn resolve(&self, path: &Path) -> std::path::PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    /// Parses and checks the text of a config file (paths in it resolve against the working
    /// directory; [`Config::load`] sets the file's folder).
    ///
    /// # Errors
    /// TOML errors with their line, unknown keys, and settings that cannot work.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let config: Config = toml::from_str(text)?;
        let problems = config.problems();
        if !problems.is_empty() {
            anyhow::bail!("{}", problems.join("\n"));
        }
        Ok(config)
    }

    /// Everything in the file that parses but cannot work, found when the file is loaded
    /// rather than by the command (or the nightly run) that would first need it.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.scan.sample_rows == Some(0) {
            out.push("[scan] sample_rows must be at least 1".to_string());
        }
        if self.scan.concurrency == Some(0) {
            out.push("[scan] concurrency must be at least 1".to_string());
        }
        for (key, value) in [
            ("sample_timeout_secs", self.scan.sample_timeout_secs),
            ("full_pass_timeout_secs", self.scan.full_pass_timeout_secs),
        ] {
            if value == Some(0) {
                out.push(format!("[scan] {key} must be at least 1"));
            }
        }
        for (i, s) in self.sources.iter().enumerate() {
            let which = s.name.as_ref().map_or_else(
                || format!("[[sources]] #{}", i + 1),
                |n| format!("[[sources]] '{n}'"),
            );
            if s.options.statement_timeout.is_zero() {
                out.push(format!(
                    "{which}: statement_timeout_secs must be at least 1 (0 would let a query run forever)"
                ));
            }
            if s.options.max_connections == 0 {
                out.push(format!("{which}: max_connections must be at least 1"));
            }
            // A URL that does not parse, shown with its password masked.
            if let Err(e) = connectors::check_source(&s.url) {
                out.push(format!("{which}: {e}"));
            }
        }
        let mut names = std::collections::HashSet::new();
        for job in &self.schedule {
            if !names.insert(job.name.as_str()) {
                out.push(format!("[[schedule]] '{}' is defined twice", job.name));
            }
            if let Err(e) = job.parsed_cron() {
                out.push(format!("{e:#}"));
            }
            if let Err(e) = self.job_sources(job) {
                out.push(format!("{e:#}"));
            }
            if let Some(hook) = &job.webhook {
                let host = hook
                    .strip_prefix("http://")
                    .or_else(|| hook.strip_prefix("https://"))
                    .map(|rest| rest.split(['/', '?']).next().unwrap_or(""));
                if host.is_none_or(str::is_empty) {
                    out.push(format!(
                        "[[schedule]] '{}': webhook '{hook}' is not an http:// or https:// URL",
                        job.name
                    ));
                }
            }
        }
        for fence in &self.catalog.geofences {
            let [x0, y0, x1, y1] = fence.bbox;
            let inside = (-180.0..=180.0).contains(&x0)
                && (-180.0..=180.0).contains(&x1)
                && (-90.0..=90.0).contains(&y0)
                && (-90.0..=90.0).contains(&y1);
            if !inside || x0 > x1 || y0 > y1 {
                out.push(format!(
                    "[[catalog.geofences]] '{}': bbox must be [min_lng, min_lat, max_lng, max_lat] \
                     with longitudes in -180..180 and latitudes in -90..90",
                    fence.name
                ));
            }
        }
        for d in &self.deadlines {
            // Any year that has 02-29 accepts every real month-day.
            let valid = d
                .month_day()
                .and_then(|(m, day)| chrono::NaiveDate::from_ymd_opt(2028, m, day));
            if valid.is_none() {
                out.push(format!(
                    "[[deadlines]] '{}': date '{}' is not a real MM-DD",
                    d.name, d.date
                ));
            }
        }
        out
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
    fn settings_that_cannot_work_are_errors_when_the_file_is_loaded() {
        let err = Config::parse(
            r#"
[[sources]]
name = "crm"
url = "postgres://db/crm"
statement_timeout_secs = 0

[[schedule]]
name = "nightly"
cron = "61 * * * *"
webhook = "ftp://hooks.example/x"

[[catalog.geofences]]
name = "inverted"
bbox = [121.5, 31.3, 121.4, 31.2]

[[deadlines]]
name = "备案"
date = "02-30"
"#,
        )
        .unwrap_err();
        let msg = format!("{err:#}");
        for part in [
            "[[sources]] 'crm': statement_timeout_secs must be at least 1",
            "'nightly': bad cron expression '61 * * * *'",
            "webhook 'ftp://hooks.example/x' is not an http:// or https:// URL",
            "[[catalog.geofences]] 'inverted'",
            "date '02-30' is not a real MM-DD",
        ] {
            assert!(msg.contains(part), "missing {part:?} in:\n{msg}");
        }
        // Leap day and a plain https webhook are fine.
        Config::parse(
            "[[deadlines]]\nname = \"x\"\ndate = \"02-29\"\n\n[[schedule]]\nname = \"n\"\ncron = \"0 2 * * *\"\nwebhook = \"https://oapi.example/robot/send?access_token=t\"\n",
        )
        .unwrap();
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
    fn database_source_options_map_to_connector_options() {
        let c = Config::parse(
            "[[sources]]\nurl = \"postgres://scanner@db/crm\"\ninclude = [\"crm.*\"]\n\
             exclude = [\"*.tmp_*\"]\nmax_connections = 4\nstatement_timeout_secs = 5\n\
             password_env = \"CRM_PW\"\n",
        )
        .unwrap();
        let o = c.sources[0].options();
        assert_eq!(o.include, ["crm.*"]);
        assert_eq!(o.exclude, ["*.tmp_*"]);
        assert_eq!(o.max_connections, 4);
        assert_eq!(o.statement_timeout, std::time::Duration::from_secs(5));
        assert_eq!(o.password_env.as_deref(), Some("CRM_PW"));
        let d = SourceEntry::from_url("postgres://db/crm").options();
        assert_eq!(d.max_connections, 2);
        assert_eq!(d.statement_timeout, std::time::Duration::from_secs(30));
    }

    #[test]
    fn an_unknown_source_key_is_named_with_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mulu.toml");
        std::fs::write(
            &path,
            "[scan]\nsample_rows = 5\n\n[[sources]]\nurl = \"sqlite://crm.db\"\n\
             statement_timeout = 5\n",
        )
        .unwrap();
        let msg = format!("{:#}", Config::load(&path).unwrap_err());
        assert!(msg.contains("statement_timeout"), "{msg}");
        assert!(msg.contains("mulu.toml"), "{msg}");
        // The line of the entry's `[[sources]]` header: with the options flattened in, serde
        // finds the unknown key only after reading the whole entry.
        assert!(msg.contains("line 4"), "{msg}");
    }

    #[test]
    fn a_malformed_source_url_is_a_config_error_without_its_password() {
        let err = Config::parse("[[sources]]\nurl = \"postgres://u:hunter2@db:99999/crm\"\n")
            .unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("not a valid URL"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");
        assert!(SourceEntry::from_url("mysql://u:pw@h:5432:5433/db")
            .check()
            .is_err());
    }

    #[test]
    fn zero_sample_rows_is_rejected() {
        assert!(Config::parse("[scan]\nsample_rows = 0\n").is_err());
    }
}
