//! Buckets as lakes: S3 and S3-compatible stores, Google Cloud Storage and Azure Blob Storage.
//!
//! The store clients are object_store's own. This module only builds one from a SOURCE URL and
//! [`SourceOptions`], roots it at the URL's prefix (so asset names are relative to the prefix,
//! as they are relative to a local folder), and lists once at open time. That one request
//! turns a wrong endpoint, key or bucket into a single error for the source, saying what to
//! fix, instead of one confusing error per asset later.
//!
//! Without the `cloud` feature only the error mapping is compiled: the lake connector uses it
//! for local folders too, and bucket URLs are refused by `source.rs`.
//!
//! Secrets never reach a message: the access key id is named (it is an identifier, and the
//! first thing to check), the secret is scrubbed from every message as a last line of defence.

#[cfg(feature = "cloud")]
use std::sync::Arc;
#[cfg(feature = "cloud")]
use std::time::Duration;

#[cfg(feature = "cloud")]
use futures::StreamExt;
#[cfg(feature = "cloud")]
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
#[cfg(feature = "cloud")]
use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
#[cfg(feature = "cloud")]
use object_store::client::{HttpError, HttpErrorKind};
#[cfg(feature = "cloud")]
use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
#[cfg(feature = "cloud")]
use object_store::path::Path;
#[cfg(feature = "cloud")]
use object_store::prefix::PrefixStore;
#[cfg(feature = "cloud")]
use object_store::{BackoffConfig, ClientConfigKey, ObjectStore, RetryConfig};

use crate::options::scrub;
use crate::Error;
#[cfg(feature = "cloud")]
use crate::{LakeConnector, Result, SourceOptions};

/// Which cloud a bucket URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cloud {
    /// `s3://` and `s3a://`: AWS S3 and every S3-compatible store.
    S3,
    /// `gs://`: Google Cloud Storage.
    Gcs,
    /// `az://`, `azure://`, `abfs://`, `abfss://`: Azure Blob Storage / ADLS Gen2.
    Azure,
}

impl Cloud {
    /// The cloud for a (lower-case) URL scheme, if it is one.
    pub(crate) fn from_scheme(scheme: &str) -> Option<Self> {
        match scheme {
            "s3" | "s3a" => Some(Cloud::S3),
            "gs" => Some(Cloud::Gcs),
            "az" | "azure" | "abfs" | "abfss" => Some(Cloud::Azure),
            _ => None,
        }
    }

    /// What to check when the store refuses the credentials.
    fn auth_hint(self) -> &'static str {
        match self {
            Cloud::S3 => {
                "check access_key_id and the variable named by secret_access_key_env (or \
                 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), and that the key may list and read \
                 the bucket"
            }
            Cloud::Gcs => {
                "check GOOGLE_SERVICE_ACCOUNT / GOOGLE_APPLICATION_CREDENTIALS and that the \
                 account may list and read the bucket"
            }
            Cloud::Azure => {
                "check AZURE_STORAGE_ACCOUNT_NAME and AZURE_STORAGE_ACCOUNT_KEY (or another \
                 Azure credential) and that it may list and read the container"
            }
        }
    }
}

/// Everything error mapping needs to know about a store, none of it secret except `secret`,
/// which is only used to scrub messages.
#[derive(Clone)]
pub(crate) struct StoreIdentity {
    pub(crate) cloud: Cloud,
    pub(crate) display_url: String,
    pub(crate) bucket: String,
    /// The custom endpoint, if any (redacted), to name in connection errors.
    pub(crate) endpoint: Option<String>,
    /// The access key id in use, or where the credentials come from.
    pub(crate) access_key_id: String,
    /// Removed from every message that could quote it.
    pub(crate) secret: Option<String>,
}

impl std::fmt::Debug for StoreIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreIdentity")
            .field("cloud", &self.cloud)
            .field("display_url", &self.display_url)
            .field("bucket", &self.bucket)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "cloud")]
/// Few, quick retries: a scan over many assets is better served by a prompt per-asset error
/// than by object_store's default of ten retries over three minutes per request.
fn retry_config() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            base: 2.0,
        },
        max_retries: 3,
        retry_timeout: Duration::from_secs(30),
    }
}

#[cfg(feature = "cloud")]
/// An unreachable endpoint should fail in seconds, not after the OS's connect timeout.
const CONNECT_TIMEOUT: &str = "5s";

#[cfg(feature = "cloud")]
/// Opens `spec` (`s3://bucket/prefix`, `gs://…`, `az://…`) as a lake rooted at the prefix,
/// after one listing request proves the endpoint, credentials and bucket.
///
/// # Errors
/// [`Error::UnsupportedSource`] for a URL without a bucket, [`Error::InvalidOption`] for
/// unusable options, and from the first listing [`Error::Unreachable`], [`Error::StoreAuth`]
/// or [`Error::NotFound`] (no such bucket).
pub(crate) async fn open(
    cloud: Cloud,
    spec: &str,
    display_url: &str,
    options: &SourceOptions,
) -> Result<LakeConnector> {
    let (store, identity) = build(cloud, spec, display_url, options)?;
    // The health check: the first page of the listing (one request), as database sources
    // connect once at open time.
    if let Some(Err(e)) = store.list(None).next().await {
        return Err(source_error(&identity, e));
    }
    let lake = LakeConnector::new(store, display_url.to_string()).with_identity(identity);
    match &options.inventory {
        Some(url) => Ok(lake.with_inventory(crate::lake::inventory::open(
            spec,
            url,
            display_url,
            options,
        )?)),
        None => Ok(lake),
    }
}

#[cfg(feature = "cloud")]
/// Builds the store client for `spec`, rooted at its prefix, without any network request.
pub(crate) fn build(
    cloud: Cloud,
    spec: &str,
    display_url: &str,
    options: &SourceOptions,
) -> Result<(Arc<dyn ObjectStore>, StoreIdentity)> {
    let unsupported = |reason: String| Error::UnsupportedSource {
        source_url: display_url.to_string(),
        reason,
    };
    let url = url::Url::parse(spec).map_err(|e| unsupported(format!("not a valid URL: {e}")))?;
    let host = url.host_str().unwrap_or_default().to_string();
    if host.is_empty() {
        return Err(unsupported(format!(
            "no bucket in the URL; write {}://BUCKET/PREFIX",
            url.scheme()
        )));
    }
    let prefix = Path::from_url_path(url.path())
        .map_err(|e| unsupported(format!("the prefix is not a valid object path: {e}")))?;
    if cloud != Cloud::Azure && (!url.username().is_empty() || url.password().is_some()) {
        return Err(unsupported(
            "credentials do not belong in the URL, where logs and reports would show them; \
             use access_key_id and secret_access_key_env (or the cloud's environment variables)"
                .into(),
        ));
    }
    if cloud != Cloud::S3 {
        reject_s3_only_options(options)?;
    }
    let (store, identity): (Arc<dyn ObjectStore>, StoreIdentity) = match cloud {
        Cloud::S3 => build_s3(&host, display_url, options)?,
        Cloud::Gcs => {
            let store = GoogleCloudStorageBuilder::from_env()
                .with_url(format!("gs://{host}"))
                .with_retry(retry_config())
                .with_config(
                    GoogleConfigKey::Client(ClientConfigKey::ConnectTimeout),
                    CONNECT_TIMEOUT,
                )
                .build()
                .map_err(|e| build_error(display_url, e))?;
            (Arc::new(store), env_identity(cloud, display_url, &host))
        }
        Cloud::Azure => {
            // `abfss://container@account.dfs.core.windows.net` carries the account; `az://`
            // leaves it to AZURE_STORAGE_ACCOUNT_NAME.
            let (authority, container) = match url.username() {
                "" => (host.clone(), host.clone()),
                container => (format!("{container}@{host}"), container.to_string()),
            };
            let store = MicrosoftAzureBuilder::from_env()
                .with_url(format!("{}://{authority}", url.scheme()))
                .with_retry(retry_config())
                .with_config(
                    AzureConfigKey::Client(ClientConfigKey::ConnectTimeout),
                    CONNECT_TIMEOUT,
                )
                .build()
                .map_err(|e| build_error(display_url, e))?;
            (
                Arc::new(store),
                env_identity(cloud, display_url, &container),
            )
        }
    };
    let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
        store
    } else {
        Arc::new(PrefixStore::new(store, prefix))
    };
    Ok((store, identity))
}

#[cfg(feature = "cloud")]
fn reject_s3_only_options(options: &SourceOptions) -> Result<()> {
    let given = [
        ("endpoint", options.endpoint.is_some()),
        ("region", options.region.is_some()),
        ("path_style", options.path_style),
        ("access_key_id", options.access_key_id.is_some()),
        (
            "secret_access_key_env",
            options.secret_access_key_env.is_some(),
        ),
        ("inventory", options.inventory.is_some()),
    ];
    match given.iter().find(|(_, set)| *set) {
        Some((option, _)) => Err(Error::InvalidOption {
            option,
            detail: "it applies to s3:// sources only; Google Cloud Storage and Azure take \
                     their settings from their standard environment variables"
                .into(),
        }),
        None => Ok(()),
    }
}

#[cfg(feature = "cloud")]
fn env_identity(cloud: Cloud, display_url: &str, bucket: &str) -> StoreIdentity {
    StoreIdentity {
        cloud,
        display_url: display_url.to_string(),
        bucket: bucket.to_string(),
        endpoint: None,
        access_key_id: "(credentials from the environment)".into(),
        secret: None,
    }
}

#[cfg(feature = "cloud")]
fn build_error(display_url: &str, e: object_store::Error) -> Error {
    Error::UnsupportedSource {
        source_url: display_url.to_string(),
        reason: format!("the object store client could not be configured: {e}"),
    }
}

#[cfg(feature = "cloud")]
fn build_s3(
    bucket: &str,
    display_url: &str,
    options: &SourceOptions,
) -> Result<(Arc<dyn ObjectStore>, StoreIdentity)> {
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_retry(retry_config())
        .with_config(
            AmazonS3ConfigKey::Client(ClientConfigKey::ConnectTimeout),
            CONNECT_TIMEOUT,
        )
        .with_virtual_hosted_style_request(!options.path_style);
    if let Some(region) = &options.region {
        builder = builder.with_region(region);
    }
    if options.allow_http {
        builder = builder.with_allow_http(true);
    }
    let endpoint = options
        .endpoint
        .clone()
        .or_else(|| builder.get_config_value(&AmazonS3ConfigKey::Endpoint));
    if let Some(endpoint) = &endpoint {
        let allow_http = builder
            .get_config_value(&AmazonS3ConfigKey::Client(ClientConfigKey::AllowHttp))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        builder = builder.with_endpoint(bucket_endpoint(
            endpoint,
            bucket,
            options.path_style,
            allow_http,
        )?);
    }
    let secret = match options.s3_credentials()? {
        Some((key_id, secret)) => {
            builder = builder
                .with_access_key_id(key_id)
                .with_secret_access_key(secret.clone());
            Some(secret)
        }
        None => builder.get_config_value(&AmazonS3ConfigKey::SecretAccessKey),
    };
    let access_key_id = builder
        .get_config_value(&AmazonS3ConfigKey::AccessKeyId)
        .unwrap_or_else(|| "(none given: instance, task or web-identity credentials)".into());
    let store = builder.build().map_err(|e| Error::UnsupportedSource {
        source_url: display_url.to_string(),
        reason: scrub(
            format!("the S3 client could not be configured: {e}"),
            secret.as_deref(),
        ),
    })?;
    let identity = StoreIdentity {
        cloud: Cloud::S3,
        display_url: display_url.to_string(),
        bucket: bucket.to_string(),
        endpoint: endpoint.map(|e| crate::redact_url(&e)),
        access_key_id,
        secret,
    };
    Ok((Arc::new(store), identity))
}

#[cfg(feature = "cloud")]
/// The endpoint object_store should talk to. Path style takes the endpoint as it is; virtual
/// hosted style needs the bucket in the host name (`bucket.oss-cn-hangzhou.aliyuncs.com`),
/// which object_store leaves to the caller.
fn bucket_endpoint(
    endpoint: &str,
    bucket: &str,
    path_style: bool,
    allow_http: bool,
) -> Result<String> {
    let invalid = |detail: String| Error::InvalidOption {
        option: "endpoint",
        detail,
    };
    let mut url = url::Url::parse(endpoint).map_err(|e| {
        invalid(format!(
            "'{endpoint}' is not a URL ({e}); write it as https://HOST[:PORT]"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(invalid(format!(
                "'{endpoint}' is plain http, which is refused unless allow_http = true \
                 (the sampled data would cross the network unencrypted); use https if the \
                 store offers it"
            )))
        }
        other => {
            return Err(invalid(format!(
                "'{endpoint}' has scheme '{other}'; use https://HOST[:PORT]"
            )))
        }
    }
    if path_style {
        return Ok(endpoint.trim_end_matches('/').to_string());
    }
    let host = match url.host() {
        Some(url::Host::Domain(host)) if host != "localhost" => host.to_string(),
        Some(_) => {
            return Err(invalid(format!(
                "'{endpoint}' is an IP address or localhost, which cannot carry the bucket in \
                 its host name; set path_style = true (MinIO and most self-hosted stores need it)"
            )))
        }
        None => return Err(invalid(format!("'{endpoint}' has no host"))),
    };
    if !host.starts_with(&format!("{bucket}.")) {
        url.set_host(Some(&format!("{bucket}.{host}")))
            .map_err(|e| invalid(format!("cannot put the bucket into '{endpoint}': {e}")))?;
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// What a failed request says about the source as a whole.
#[cfg_attr(not(feature = "cloud"), allow(dead_code))]
enum Failure {
    Unreachable,
    Auth,
    NoBucket,
    Missing,
    Other,
}

/// The error text of `e` and everything it wraps, for matching on S3 error codes that
/// object_store does not turn into variants (its listing errors are all `Generic`).
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

fn classify(e: &object_store::Error) -> Failure {
    match e {
        object_store::Error::PermissionDenied { .. }
        | object_store::Error::Unauthenticated { .. } => return Failure::Auth,
        object_store::Error::NotFound { .. } => {
            return if chain_text(e).contains("NoSuchBucket") {
                Failure::NoBucket
            } else {
                Failure::Missing
            };
        }
        _ => {}
    }
    #[cfg(feature = "cloud")]
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    #[cfg(feature = "cloud")]
    while let Some(s) = source {
        if let Some(http) = s.downcast_ref::<HttpError>() {
            if matches!(http.kind(), HttpErrorKind::Connect | HttpErrorKind::Timeout) {
                return Failure::Unreachable;
            }
        }
        source = s.source();
    }
    let text = chain_text(e);
    let has = |needle: &str| text.contains(needle);
    if has("NoSuchBucket") || has("ContainerNotFound") {
        Failure::NoBucket
    } else if has("InvalidAccessKeyId")
        || has("SignatureDoesNotMatch")
        || has("AccessDenied")
        || has("AuthenticationFailed")
        || has("AuthorizationFailure")
        || has("403 Forbidden")
        || has("401 Unauthorized")
    {
        Failure::Auth
    } else if has("404 Not Found") {
        Failure::Missing
    } else {
        Failure::Other
    }
}

/// The readable part of a store error: the S3/Azure XML `<Code>` and `<Message>` when the
/// response has them, else the whole error chain; secrets scrubbed either way.
fn readable(e: &object_store::Error, secret: Option<&str>) -> String {
    let text = chain_text(e);
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&format!("</{name}>"))? + start;
        Some(text[start..end].trim().to_string())
    };
    let detail = match (tag("Code"), tag("Message")) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code,
        _ => text.clone(),
    };
    scrub(detail, secret)
}

/// A connection failure said briefly: the innermost cause (`Connection refused`, a DNS
/// failure, a timeout) and the endpoint, not object_store's whole retry narrative.
fn unreachable_detail(id: &StoreIdentity, e: &object_store::Error) -> String {
    let mut cause: &(dyn std::error::Error + 'static) = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    let at = match &id.endpoint {
        Some(endpoint) => format!("endpoint {endpoint}"),
        None => "the default endpoint".into(),
    };
    scrub(
        format!("{cause} (at {at}, after retries); check the endpoint and region too"),
        id.secret.as_deref(),
    )
}

/// Maps an error met while opening or listing a source into the source-level error.
pub(crate) fn source_error(id: &StoreIdentity, e: object_store::Error) -> Error {
    let detail = readable(&e, id.secret.as_deref());
    match classify(&e) {
        Failure::Unreachable => Error::Unreachable {
            source_url: id.display_url.clone(),
            detail: unreachable_detail(id, &e),
        },
        Failure::Auth => Error::StoreAuth {
            source_url: id.display_url.clone(),
            access_key_id: id.access_key_id.clone(),
            detail,
            hint: id.cloud.auth_hint(),
        },
        Failure::NoBucket | Failure::Missing => Error::NotFound {
            asset: id.display_url.clone(),
            detail: format!(
                "the bucket '{}' does not exist at this endpoint ({detail}); check the bucket \
                 name, the endpoint and the region",
                id.bucket
            ),
        },
        Failure::Other => Error::backend("lake", &id.display_url, detail),
    }
}

/// Maps an error met while reading one asset: a vanished object is [`Error::NotFound`], a
/// refused read [`Error::PermissionDenied`]; the rest name the asset and the store's message.
pub(crate) fn asset_error(
    id: Option<&StoreIdentity>,
    asset: &str,
    e: object_store::Error,
) -> Error {
    let secret = id.and_then(|i| i.secret.as_deref());
    let detail = readable(&e, secret);
    match classify(&e) {
        Failure::Missing | Failure::NoBucket => Error::NotFound {
            asset: asset.to_string(),
            detail,
        },
        Failure::Auth => Error::PermissionDenied {
            asset: asset.to_string(),
            detail: format!(
                "{detail}; the credentials may list the bucket but not read this object"
            ),
        },
        Failure::Unreachable => match id {
            Some(id) => Error::Unreachable {
                source_url: id.display_url.clone(),
                detail: unreachable_detail(id, &e),
            },
            None => Error::backend("lake", asset, detail),
        },
        Failure::Other => Error::backend("lake", asset, detail),
    }
}

#[cfg(all(test, feature = "cloud"))]
mod tests {
    use super::*;

    #[test]
    fn path_style_keeps_the_endpoint() {
        assert_eq!(
            bucket_endpoint("http://127.0.0.1:9000/", "b", true, true).unwrap(),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn virtual_hosted_style_puts_the_bucket_in_the_host() {
        assert_eq!(
            bucket_endpoint("https://oss-cn-hangzhou.aliyuncs.com", "lake", false, false).unwrap(),
            "https://lake.oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            bucket_endpoint(
                "https://lake.cos.ap-shanghai.myqcloud.com",
                "lake",
                false,
                false
            )
            .unwrap(),
            "https://lake.cos.ap-shanghai.myqcloud.com"
        );
        let err = bucket_endpoint("http://127.0.0.1:9000", "b", false, true)
            .err()
            .unwrap();
        assert!(err.to_string().contains("path_style = true"), "{err}");
    }

    #[test]
    fn plain_http_needs_allow_http() {
        let err = bucket_endpoint("http://minio.internal:9000", "b", true, false)
            .err()
            .unwrap();
        assert!(err.to_string().contains("allow_http = true"), "{err}");
    }

    #[test]
    fn schemes() {
        assert_eq!(Cloud::from_scheme("s3"), Some(Cloud::S3));
        assert_eq!(Cloud::from_scheme("abfss"), Some(Cloud::Azure));
        assert_eq!(Cloud::from_scheme("gs"), Some(Cloud::Gcs));
        assert_eq!(Cloud::from_scheme("ftp"), None);
    }

    #[test]
    fn gcs_and_azure_clients_are_built_from_their_urls() {
        let (store, id) = build(
            Cloud::Gcs,
            "gs://lake/raw",
            "gs://lake/raw",
            &SourceOptions::default(),
        )
        .unwrap();
        assert_eq!(id.bucket, "lake");
        assert!(
            store.to_string().contains("raw"),
            "rooted at the prefix: {store}"
        );
        let url = "abfss://exports@acct.dfs.core.windows.net/2026";
        let (_, id) = build(Cloud::Azure, url, url, &SourceOptions::default()).unwrap();
        assert_eq!(id.bucket, "exports");
        let err = build(Cloud::S3, "s3:///x", "s3:///x", &SourceOptions::default())
            .err()
            .unwrap();
        assert!(err.to_string().contains("no bucket"), "{err}");
        let spec = "s3://AKID:hunter2@lake/x";
        let err = build(
            Cloud::S3,
            spec,
            &crate::redact_url(spec),
            &SourceOptions::default(),
        )
        .err()
        .unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("do not belong in the URL") && !msg.contains("hunter2"),
            "{msg}"
        );
    }

    #[tokio::test]
    async fn s3_only_options_are_refused_for_other_clouds() {
        let options = SourceOptions {
            endpoint: Some("https://minio.internal".into()),
            ..Default::default()
        };
        let err = open(Cloud::Gcs, "gs://bucket/x", "gs://bucket/x", &options)
            .await
            .err()
            .unwrap();
        assert!(err.to_string().contains("s3:// sources only"), "{err}");
    }
}
