//! Options that come with a SOURCE: which assets to scan, how hard to lean on the server, and
//! where the password lives when it is not in the URL.

use std::path::PathBuf;
use std::time::Duration;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer};

use crate::{Error, Result};

/// How to open and read one source.
///
/// The defaults are deliberately gentle on production databases: two connections and a 30 s
/// statement timeout per source.
///
/// Deserialises from a config table whose keys are the field names (the timeout as
/// `statement_timeout_secs`, in seconds); missing keys keep their defaults. A config file
/// embeds it in its own source entry, so the options are declared once, here. There is
/// deliberately no key for a password or secret key: only where to find them.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SourceOptions {
    /// Globs over asset names (`schema.table` in PostgreSQL, `database.table` in MySQL, the
    /// table or path elsewhere). Empty means every asset.
    pub include: Vec<String>,
    /// Globs over asset names to leave out; wins over `include`.
    pub exclude: Vec<String>,
    /// Most connections a database source opens at once.
    pub max_connections: u32,
    /// Longest a single query may run before the server cancels it (`statement_timeout_secs`
    /// in a config file).
    #[serde(
        rename = "statement_timeout_secs",
        deserialize_with = "duration_from_secs"
    )]
    pub statement_timeout: Duration,
    /// Environment variable holding the password, used when the URL has none.
    pub password_env: Option<String>,
    /// File holding the password (surrounding whitespace trimmed), used when neither the URL
    /// nor `password_env` gives one.
    pub password_file: Option<PathBuf>,
    /// Object stores: a custom S3 endpoint for S3-compatible stores (MinIO, Ceph, Alibaba OSS,
    /// Tencent COS, Huawei OBS), such as `https://oss-cn-hangzhou.aliyuncs.com`. Unset means
    /// AWS itself (or `AWS_ENDPOINT` when that is set).
    pub endpoint: Option<String>,
    /// Object stores: the S3 region (default `AWS_REGION`, else `us-east-1`). Self-hosted stores
    /// usually accept any value.
    pub region: Option<String>,
    /// Object stores: address buckets as `endpoint/bucket/key` instead of
    /// `bucket.endpoint/key`. MinIO and most self-hosted stores need it; AWS and OSS do not.
    pub path_style: bool,
    /// Object stores: allow plain `http://` endpoints. Off by default because the traffic,
    /// sampled personal data included, would cross the network unencrypted.
    pub allow_http: bool,
    /// Object stores: the S3 access key id. Unset means `AWS_ACCESS_KEY_ID` and the other
    /// standard AWS credential sources.
    pub access_key_id: Option<String>,
    /// Object stores: the environment variable holding the secret for `access_key_id` (default
    /// `AWS_SECRET_ACCESS_KEY`). The secret itself never goes in a config file.
    pub secret_access_key_env: Option<String>,
    /// S3 sources: the `s3://BUCKET/…/manifest.json` of the bucket's S3 Inventory, read
    /// instead of listing the bucket (same endpoint and credentials).
    pub inventory: Option<String>,
}

impl Default for SourceOptions {
    fn default() -> Self {
        Self {
            include: Vec::new(),
            exclude: Vec::new(),
            max_connections: 2,
            statement_timeout: Duration::from_secs(30),
            password_env: None,
            password_file: None,
            endpoint: None,
            region: None,
            path_style: false,
            allow_http: false,
            access_key_id: None,
            secret_access_key_env: None,
            inventory: None,
        }
    }
}

/// A whole number of seconds, as config files write durations.
fn duration_from_secs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    u64::deserialize(deserializer).map(Duration::from_secs)
}

impl SourceOptions {
    /// The password to use when the URL has none: from `password_env`, else `password_file`.
    ///
    /// The value is never part of an error message; errors name only the variable or file.
    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    pub(crate) fn external_password(&self) -> Result<Option<String>> {
        if let Some(var) = &self.password_env {
            return match std::env::var(var) {
                Ok(v) => Ok(Some(v.trim().to_string())),
                Err(std::env::VarError::NotPresent) => Err(Error::InvalidOption {
                    option: "password_env",
                    detail: format!("the environment variable {var} is not set"),
                }),
                Err(std::env::VarError::NotUnicode(_)) => Err(Error::InvalidOption {
                    option: "password_env",
                    detail: format!("the environment variable {var} is not valid UTF-8"),
                }),
            };
        }
        if let Some(path) = &self.password_file {
            return std::fs::read_to_string(path)
                .map(|s| Some(s.trim().to_string()))
                .map_err(|e| Error::InvalidOption {
                    option: "password_file",
                    detail: format!("cannot read {}: {e}", path.display()),
                });
        }
        Ok(None)
    }

    /// The S3 access key id and secret given through the options, if any.
    ///
    /// `None` leaves credentials to the standard AWS sources (environment, profile, instance
    /// role). Errors name the options and variables involved, never the secret.
    #[cfg_attr(not(feature = "cloud"), allow(dead_code))]
    pub(crate) fn s3_credentials(&self) -> Result<Option<(String, String)>> {
        let key_id = match &self.access_key_id {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            _ => {
                if let Some(var) = &self.secret_access_key_env {
                    return Err(Error::InvalidOption {
                        option: "secret_access_key_env",
                        detail: format!(
                            "{var} is named but access_key_id is not set; give both, or neither \
                             to use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
                        ),
                    });
                }
                return Ok(None);
            }
        };
        let var = self
            .secret_access_key_env
            .as_deref()
            .unwrap_or("AWS_SECRET_ACCESS_KEY");
        match std::env::var(var) {
            Ok(secret) if !secret.trim().is_empty() => {
                Ok(Some((key_id, secret.trim().to_string())))
            }
            Ok(_) | Err(std::env::VarError::NotPresent) => Err(Error::InvalidOption {
                option: "secret_access_key_env",
                detail: format!(
                    "the secret for access key '{key_id}' was expected in the environment \
                     variable {var}, which is not set or empty; set it, or point \
                     secret_access_key_env at the variable that holds the secret"
                ),
            }),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::InvalidOption {
                option: "secret_access_key_env",
                detail: format!("the environment variable {var} is not valid UTF-8"),
            }),
        }
    }

    pub(crate) fn filter(&self) -> Result<AssetFilter> {
        Ok(AssetFilter {
            include: build_globs("include", &self.include)?,
            exclude: build_globs("exclude", &self.exclude)?,
        })
    }
}

fn build_globs(option: &'static str, patterns: &[String]) -> Result<Option<GlobSet>> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| Error::InvalidOption {
            option,
            detail: format!("'{p}' is not a valid glob: {e}"),
        })?;
        builder.add(glob);
    }
    builder.build().map(Some).map_err(|e| Error::InvalidOption {
        option,
        detail: e.to_string(),
    })
}

/// Compiled include/exclude globs.
#[derive(Debug, Clone, Default)]
pub(crate) struct AssetFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl AssetFilter {
    pub(crate) fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    pub(crate) fn allows(&self, name: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(name))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(name))
    }
}

/// Removes a password from a server or driver message before it reaches a report or a log.
///
/// Drivers rarely echo passwords, but a message quoting a connection string would; this is the
/// last line of defence.
/// Anything URL-shaped with a password in it, or a `password=` setting, is masked too
/// ([`crate::redact_credentials`]): a driver may quote a connection string with a password
/// other than the one given (one from a service file, say).
pub(crate) fn scrub(detail: impl ToString, password: Option<&str>) -> String {
    let detail = detail.to_string();
    let detail = match password {
        Some(p) if !p.is_empty() => detail.replace(p, "***"),
        _ => detail,
    };
    crate::redact_credentials(&detail).into_owned()
}

/// Decodes `%XX` escapes (a URL's user or password); invalid escapes are kept as written.
#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialises_from_config_keys_keeping_defaults() {
        let o: SourceOptions = serde_json::from_str(
            r#"{"include": ["crm.*"], "statement_timeout_secs": 5, "path_style": true}"#,
        )
        .unwrap();
        assert_eq!(o.include, ["crm.*"]);
        assert_eq!(o.statement_timeout, Duration::from_secs(5));
        assert!(o.path_style);
        assert_eq!(o.max_connections, SourceOptions::default().max_connections);
        assert!(o.password_env.is_none());
    }

    #[test]
    fn include_and_exclude_globs() {
        let f = SourceOptions {
            include: vec!["crm.*".into(), "dw.fact_*".into()],
            exclude: vec!["*.tmp_*".into()],
            ..Default::default()
        }
        .filter()
        .unwrap();
        assert!(f.allows("crm.customers"));
        assert!(f.allows("dw.fact_orders"));
        assert!(!f.allows("crm.tmp_import"));
        assert!(!f.allows("hr.staff"));
        assert!(SourceOptions::default()
            .filter()
            .unwrap()
            .allows("any.thing"));
    }

    #[test]
    fn bad_glob_names_the_option() {
        let err = SourceOptions {
            exclude: vec!["a[".into()],
            ..Default::default()
        }
        .filter()
        .err()
        .unwrap();
        assert!(err.to_string().contains("exclude"), "{err}");
    }

    #[test]
    fn password_from_file_is_trimmed_and_env_var_errors_name_only_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "  s3cret\n").unwrap();
        let o = SourceOptions {
            password_file: Some(file),
            ..Default::default()
        };
        assert_eq!(o.external_password().unwrap().as_deref(), Some("s3cret"));
        let o = SourceOptions {
            password_env: Some("MULU_TEST_SURELY_UNSET_PASSWORD_VAR".into()),
            ..Default::default()
        };
        let err = o.external_password().err().unwrap();
        assert!(err
            .to_string()
            .contains("MULU_TEST_SURELY_UNSET_PASSWORD_VAR"));
    }

    #[test]
    fn s3_secret_comes_from_the_named_variable_and_errors_never_show_it() {
        let var = "MULU_TEST_S3_SECRET_OPTIONS_RS";
        std::env::set_var(var, " s3-secret-value \n");
        let o = SourceOptions {
            access_key_id: Some("AKIDEXAMPLE".into()),
            secret_access_key_env: Some(var.into()),
            ..Default::default()
        };
        assert_eq!(
            o.s3_credentials().unwrap(),
            Some(("AKIDEXAMPLE".into(), "s3-secret-value".into()))
        );
        let o = SourceOptions {
            access_key_id: Some("AKIDEXAMPLE".into()),
            secret_access_key_env: Some("MULU_TEST_SURELY_UNSET_S3_SECRET".into()),
            ..Default::default()
        };
        let msg = o.s3_credentials().err().unwrap().to_string();
        assert!(msg.contains("MULU_TEST_SURELY_UNSET_S3_SECRET") && msg.contains("AKIDEXAMPLE"));
        let o = SourceOptions {
            secret_access_key_env: Some(var.into()),
            ..Default::default()
        };
        let msg = o.s3_credentials().err().unwrap().to_string();
        assert!(
            msg.contains("access_key_id") && !msg.contains("s3-secret-value"),
            "{msg}"
        );
        assert!(SourceOptions::default().s3_credentials().unwrap().is_none());
    }

    #[test]
    fn percent_decodes_passwords() {
        assert_eq!(percent_decode("p%40ss%2Fw+rd"), "p@ss/w+rd");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
    }

    #[test]
    fn scrub_hides_the_password() {
        assert_eq!(
            scrub("bad url postgres://u:hunter2@h", Some("hunter2")),
            "bad url postgres://u:***@h"
        );
        assert_eq!(scrub("x", Some("")), "x");
    }
}
