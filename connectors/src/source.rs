//! Turning a user's SOURCE argument into connectors.

use std::path::{Path, PathBuf};
use std::sync::Arc;

#[cfg(feature = "cloud")]
use crate::cloud;
use crate::cloud::Cloud;
#[cfg(feature = "mysql")]
use crate::sql::MySqlDialect;
#[cfg(feature = "postgres")]
use crate::sql::PostgresDialect;
use crate::sql::{SqlConnector, SqliteDialect};
use crate::{filter, redact_url, Error, LakeConnector, Result, SharedConnector, SourceOptions};

/// The connectors one SOURCE argument expanded to.
///
/// A folder expands to a lake connector over its files plus one SQLite connector per database
/// file found in it, so `mulu scan sample-data` covers everything in the folder.
pub struct OpenedSource {
    /// The SOURCE as the user gave it, credentials redacted.
    pub display_url: String,
    /// The connectors, each its own source in the report.
    pub connectors: Vec<SharedConnector>,
}

const SQLITE_EXTENSIONS: &[&str] = &["db", "sqlite", "sqlite3"];

/// Whether a file name looks like an SQLite database.
pub(crate) fn is_sqlite_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SQLITE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Checks, before anything is opened, that a SOURCE written as a URL parses: a port out of
/// range or an unclosed `[` is a mistake in the configuration, to be fixed before a scan
/// starts, not a source that failed. `sqlite://PATH`, `file://DIR` and plain paths are paths
/// and are not checked here. The error shows the URL with its password masked.
///
/// # Errors
/// [`Error::UnsupportedSource`] naming the URL (redacted) and what is wrong with it.
pub fn check_source(spec: &str) -> Result<()> {
    let Some((scheme, _)) = spec.split_once("://") else {
        return Ok(());
    };
    if matches!(scheme.to_ascii_lowercase().as_str(), "sqlite" | "file") {
        return Ok(());
    }
    url::Url::parse(spec)
        .map(drop)
        .map_err(|e| Error::UnsupportedSource {
            source_url: redact_url(spec),
            reason: format!("not a valid URL ({e})"),
        })
}

/// A PostgreSQL server URL without a database: one connector (one source in the report) per
/// database the user may connect to.
#[cfg(feature = "postgres")]
async fn open_postgres_server(
    spec: &str,
    display_url: String,
    databases: &[String],
    options: &SourceOptions,
) -> Result<OpenedSource> {
    let mut connectors: Vec<SharedConnector> = Vec::with_capacity(databases.len());
    for name in databases {
        let url = crate::sql::pg_server::with_database(spec, name);
        connectors.push(Arc::new(
            SqlConnector::<PostgresDialect>::open(&url, options).await?,
        ));
    }
    Ok(OpenedSource {
        display_url,
        connectors,
    })
}

/// A place to write to and read back: a local folder (created when missing; also
/// `file://DIR`) or a bucket prefix (`s3://`, `gs://`, `az://`, with `options` as for a
/// bucket source), as a store rooted there. A sharded scan's run folder lives in one.
///
/// # Errors
/// An unsupported scheme, a folder that cannot be created, a bucket URL that does not parse.
pub fn open_store(
    spec: &str,
    options: &SourceOptions,
) -> Result<Arc<dyn object_store::ObjectStore>> {
    let display_url = redact_url(spec);
    let scheme = spec
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(cloud) = Cloud::from_scheme(&scheme) {
        #[cfg(feature = "cloud")]
        return Ok(cloud::build(cloud, spec, &display_url, options)?.0);
        #[cfg(not(feature = "cloud"))]
        {
            let _ = (cloud, options);
            return Err(built_without("cloud", display_url));
        }
    }
    let path = match spec.strip_prefix("file://") {
        Some(rest) => PathBuf::from(rest),
        None if spec.contains("://") => {
            return Err(Error::UnsupportedSource {
                source_url: display_url,
                reason: "use a folder, file://DIR, s3://BUCKET/PREFIX, gs:// or az://".into(),
            })
        }
        None => PathBuf::from(spec),
    };
    let unusable = |e: &dyn std::fmt::Display| Error::UnsupportedSource {
        source_url: display_url.clone(),
        reason: format!("cannot use the folder: {e}"),
    };
    std::fs::create_dir_all(&path).map_err(|e| unusable(&e))?;
    let store =
        object_store::local::LocalFileSystem::new_with_prefix(&path).map_err(|e| unusable(&e))?;
    Ok(Arc::new(store))
}

/// Opens a SOURCE with default [`SourceOptions`]: see [`open_source_with`].
///
/// # Errors
/// As [`open_source_with`].
pub async fn open_source(spec: &str) -> Result<OpenedSource> {
    open_source_with(spec, &SourceOptions::default()).await
}

/// Opens a SOURCE: `postgres://` / `postgresql://`, `mysql://` / `mariadb://`, `sqlite://PATH`,
/// `s3://BUCKET/PREFIX` (also `s3a://`; S3-compatible stores through
/// [`SourceOptions::endpoint`]), `gs://BUCKET/PREFIX`, `az://CONTAINER/PREFIX` /
/// `abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PREFIX`, `file://DIR`, or a bare path to a
/// folder or file.
///
/// A PostgreSQL URL without a database opens every database on the server that the user
/// may connect to (templates excepted), each its own source in the report, as a MySQL URL
/// without a database lists every database. A bucket URL opens a [`LakeConnector`] rooted at the prefix, so assets are named relative
/// to it. Database and bucket sources are checked once here (a connection, or one listing
/// request), so an unreachable server, a wrong password or key, or a missing bucket is
/// reported for the source before any asset is tried. Include/exclude globs from `options`
/// apply to every connector the source expands to.
///
/// # Errors
/// Fails when the scheme is not supported, a local path does not exist, an option is invalid,
/// or a server cannot be reached or refuses the credentials ([`Error::Unreachable`],
/// [`Error::Auth`], [`Error::StoreAuth`]), or the bucket does not exist ([`Error::NotFound`]).
pub async fn open_source_with(spec: &str, options: &SourceOptions) -> Result<OpenedSource> {
    let mut opened = open_unfiltered(spec, options).await?;
    opened.connectors = filter::apply(opened.connectors, options)?;
    Ok(opened)
}

async fn open_unfiltered(spec: &str, options: &SourceOptions) -> Result<OpenedSource> {
    let display_url = redact_url(spec);
    // Validate the globs before connecting anywhere.
    options.filter()?;
    let scheme = spec
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    let database: Option<SharedConnector> = match scheme.as_str() {
        #[cfg(feature = "postgres")]
        "postgres" | "postgresql" => {
            if let Some(names) = crate::sql::pg_server::databases(spec, options).await? {
                return open_postgres_server(spec, display_url, &names, options).await;
            }
            Some(Arc::new(
                SqlConnector::<PostgresDialect>::open(spec, options).await?,
            ))
        }
        #[cfg(not(feature = "postgres"))]
        "postgres" | "postgresql" => return Err(built_without("postgres", display_url)),
        #[cfg(feature = "mysql")]
        "mysql" | "mariadb" => Some(Arc::new(
            SqlConnector::<MySqlDialect>::open(spec, options).await?,
        )),
        #[cfg(not(feature = "mysql"))]
        "mysql" | "mariadb" => return Err(built_without("mysql", display_url)),
        _ => None,
    };
    if let Some(conn) = database {
        return Ok(OpenedSource {
            display_url,
            connectors: vec![conn],
        });
    }
    if let Some(cloud) = Cloud::from_scheme(&scheme) {
        let lake = open_bucket(cloud, spec, &display_url, options).await?;
        return Ok(OpenedSource {
            display_url,
            connectors: vec![Arc::new(lake)],
        });
    }
    if spec.starts_with("sqlite://") {
        let conn = SqlConnector::<SqliteDialect>::open(spec, options).await?;
        return Ok(OpenedSource {
            display_url,
            connectors: vec![Arc::new(conn)],
        });
    }
    let path = if let Some(rest) = spec.strip_prefix("file://") {
        PathBuf::from(rest)
    } else if spec.contains("://") {
        let scheme = spec.split("://").next().unwrap_or_default();
        return Err(Error::UnsupportedSource {
            source_url: display_url,
            reason: format!(
                "the '{scheme}' scheme is not supported yet; use postgres://, mysql://, \
                 sqlite://PATH, s3://BUCKET/PREFIX, gs://, az://, file://DIR or a local path"
            ),
        });
    } else {
        PathBuf::from(spec)
    };
    open_local_path(&path, display_url, options).await
}

/// Opens a bucket URL as a lake (see [`cloud::open`]).
#[cfg(feature = "cloud")]
async fn open_bucket(
    cloud: Cloud,
    spec: &str,
    display_url: &str,
    options: &SourceOptions,
) -> Result<LakeConnector> {
    cloud::open(cloud, spec, display_url, options).await
}

/// Bucket URLs need the `cloud` feature.
#[cfg(not(feature = "cloud"))]
async fn open_bucket(
    _cloud: Cloud,
    _spec: &str,
    display_url: &str,
    _options: &SourceOptions,
) -> Result<LakeConnector> {
    Err(built_without("cloud", display_url.to_string()))
}

/// The error for a SOURCE whose backend was left out of this build by its Cargo feature.
#[cfg_attr(
    all(feature = "postgres", feature = "mysql", feature = "cloud"),
    allow(dead_code)
)]
fn built_without(feature: &str, display_url: String) -> Error {
    Error::UnsupportedSource {
        source_url: display_url,
        reason: format!(
            "this mulu was built without the {feature} feature; rebuild with \
             `cargo build -p scanner --features {feature}` (it is on by default)"
        ),
    }
}

async fn open_local_path(
    path: &Path,
    display_url: String,
    options: &SourceOptions,
) -> Result<OpenedSource> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| Error::NotFound {
            asset: display_url.clone(),
            detail: format!("{e}; check the path"),
        })?;
    if !meta.is_file() && !meta.is_dir() {
        return Err(Error::UnsupportedSource {
            source_url: display_url,
            reason: "it is not a regular file or folder (a FIFO, socket or device); mulu reads \
                     files and folders"
                .into(),
        });
    }
    if meta.is_file() && is_sqlite_file(path) {
        let url = format!("sqlite://{}", path.display());
        let conn = SqlConnector::<SqliteDialect>::open(&url, options).await?;
        return Ok(OpenedSource {
            display_url,
            connectors: vec![Arc::new(conn)],
        });
    }
    let mut connectors: Vec<SharedConnector> =
        vec![Arc::new(LakeConnector::local(path, display_url.clone())?)];
    if meta.is_dir() {
        let root = path.to_path_buf();
        let databases = tokio::task::spawn_blocking(move || find_sqlite_files(&root))
            .await
            .map_err(|e| Error::backend("lake", &display_url, e))?;
        for db in databases {
            let url = format!("sqlite://{}", db.display());
            connectors.push(Arc::new(
                SqlConnector::<SqliteDialect>::open(&url, options).await?,
            ));
        }
    }
    Ok(OpenedSource {
        display_url,
        connectors,
    })
}

/// Database files below `root`, skipping hidden folders, sorted for stable reports.
fn find_sqlite_files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if hidden {
                continue;
            }
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && is_sqlite_file(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compiled_out_backend_names_its_feature_and_hides_the_password() {
        let err = built_without("postgres", redact_url("postgres://u:hunter2@db/crm"));
        let msg = err.to_string();
        assert!(
            msg.contains("this mulu was built without the postgres feature"),
            "{msg}"
        );
        assert!(!msg.contains("hunter2"), "{msg}");
    }

    /// Only in builds that leave backends out (`--no-default-features`).
    #[cfg(not(all(feature = "postgres", feature = "mysql", feature = "cloud")))]
    #[tokio::test]
    async fn urls_of_compiled_out_backends_are_refused_by_name() {
        for (feature, url) in [
            ("postgres", "postgres://scanner:pw@127.0.0.1:1/crm"),
            ("mysql", "mysql://scanner:pw@127.0.0.1:1/crm"),
            ("cloud", "s3://bucket/prefix"),
        ] {
            let compiled_in = match feature {
                "postgres" => cfg!(feature = "postgres"),
                "mysql" => cfg!(feature = "mysql"),
                _ => cfg!(feature = "cloud"),
            };
            if compiled_in {
                continue;
            }
            let err = open_source(url).await.err().unwrap();
            assert!(
                err.to_string()
                    .contains(&format!("built without the {feature} feature")),
                "{err}"
            );
        }
    }

    #[tokio::test]
    async fn unknown_scheme_is_a_clear_error() {
        let err = open_source("ftp://user:pw@host/x").await.err().unwrap();
        let msg = err.to_string();
        assert!(msg.contains("'ftp' scheme is not supported"), "{msg}");
        assert!(!msg.contains(":pw@"), "{msg}");
    }

    #[test]
    fn malformed_urls_are_refused_before_opening_without_their_password() {
        for url in [
            "postgres://u:hunter2@host:99999/db",
            "postgres://u:hunter2@[::1",
            "mysql://u:hunter2@h:5432:5433/db",
        ] {
            let msg = check_source(url).unwrap_err().to_string();
            assert!(msg.contains("not a valid URL"), "{msg}");
            assert!(!msg.contains("hunter2"), "{msg}");
        }
        for ok in [
            "postgres://u:pw@db:5432/crm",
            "s3://bucket/prefix",
            "sqlite://crm.db",
            "sample-data",
        ] {
            assert!(check_source(ok).is_ok(), "{ok}");
        }
    }

    #[tokio::test]
    async fn missing_path_names_the_path() {
        let err = open_source("no/such/folder").await.err().unwrap();
        assert!(err.to_string().contains("no/such/folder"), "{err}");
    }
}
