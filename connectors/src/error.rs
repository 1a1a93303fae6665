//! The one error type every connector maps its failures into.

/// Result alias for connector operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a source or an asset could not be read.
///
/// Messages are written for a data officer: they name the asset and say what to check.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The source URL or path is not one mulu understands.
    #[error("unsupported source '{source_url}': {reason}")]
    UnsupportedSource {
        /// The redacted source.
        source_url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The source or asset does not exist.
    #[error("'{asset}' was not found: {detail}")]
    NotFound {
        /// The asset or source.
        asset: String,
        /// The backend's message.
        detail: String,
    },
    /// The asset exists but its content cannot be decoded.
    #[error("'{asset}' could not be read as {format}: {detail}")]
    InvalidData {
        /// The asset.
        asset: String,
        /// The format it was read as.
        format: &'static str,
        /// What was wrong, with a hint where there is one.
        detail: String,
    },
    /// A database or store answered with an error.
    #[error("{connector} error on '{asset}': {detail}")]
    Backend {
        /// Which kind of connector (sqlite, lake, …).
        connector: &'static str,
        /// The asset or source.
        asset: String,
        /// The backend's message (never contains credentials).
        detail: String,
    },
    /// The connector cannot do this operation (yet).
    #[error("the {connector} connector does not support {operation}")]
    Unsupported {
        /// What was asked for (a read mode, …).
        operation: &'static str,
        /// Which kind of connector.
        connector: &'static str,
    },
    /// The server could not be reached at all: nothing listens, a firewall drops the packets,
    /// or the name does not resolve.
    #[error("cannot reach '{source_url}': {detail}; check host/port/firewall")]
    Unreachable {
        /// The redacted source.
        source_url: String,
        /// The network error.
        detail: String,
    },
    /// The TLS handshake with a database server failed, or TLS was required and the server
    /// offers none.
    #[error("TLS to '{source_url}' failed: {detail}; {hint}")]
    Tls {
        /// The redacted source.
        source_url: String,
        /// The TLS library's message.
        detail: String,
        /// Which URL option to change.
        hint: &'static str,
    },
    /// The server refused the credentials.
    #[error(
        "authentication failed for user '{user}' on '{source_url}': {detail}; \
         check the user name and the password/password_env/password_file"
    )]
    Auth {
        /// The redacted source.
        source_url: String,
        /// The user name that was tried.
        user: String,
        /// The server's message (never contains the password).
        detail: String,
    },
    /// An object store (S3 and S3-compatible, GCS, Azure) refused the credentials: an unknown
    /// access key, a wrong secret (S3 `SignatureDoesNotMatch`), or HTTP 401/403 on the bucket.
    ///
    /// Names the access key id, which is an identifier, never the secret.
    #[error(
        "the object store refused access key '{access_key_id}' on '{source_url}': {detail}; {hint}"
    )]
    StoreAuth {
        /// The redacted source.
        source_url: String,
        /// The access key id that was tried, or where the credentials came from.
        access_key_id: String,
        /// The store's message (never contains the secret).
        detail: String,
        /// Which options to check.
        hint: &'static str,
    },
    /// The scanning user may not read the asset.
    #[error("permission denied on '{asset}': {detail}; grant SELECT on it to the scanning user")]
    PermissionDenied {
        /// The asset (or source).
        asset: String,
        /// The server's message.
        detail: String,
    },
    /// A query ran longer than the configured statement timeout and the server cancelled it.
    #[error(
        "reading '{asset}' exceeded the statement timeout of {} s; \
         raise statement_timeout or sample fewer rows",
        .timeout.as_secs_f64()
    )]
    Timeout {
        /// The asset.
        asset: String,
        /// The timeout that was exceeded.
        timeout: std::time::Duration,
    },
    /// An option given with the source is unusable (a bad glob, an unset password variable).
    #[error("invalid option {option}: {detail}")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// What is wrong with it.
        detail: String,
    },
}

impl Error {
    /// The same error with every message that came from a driver, a server, a store or a
    /// file parser passed through `scrub`; mulu's own wording, asset names and URLs are left
    /// as they are. Backend messages quote the values they choke on (`value "…" is out of
    /// range`, `Cannot cast string '…'`), and a caller that knows what a value looks like
    /// can take them out before the message is shown or stored.
    #[must_use]
    pub fn map_details(self, scrub: impl Fn(&str) -> String) -> Error {
        match self {
            Error::NotFound { asset, detail } => Error::NotFound {
                asset,
                detail: scrub(&detail),
            },
            Error::InvalidData {
                asset,
                format,
                detail,
            } => Error::InvalidData {
                asset,
                format,
                detail: scrub(&detail),
            },
            Error::Backend {
                connector,
                asset,
                detail,
            } => Error::Backend {
                connector,
                asset,
                detail: scrub(&detail),
            },
            Error::Unreachable { source_url, detail } => Error::Unreachable {
                source_url,
                detail: scrub(&detail),
            },
            Error::Auth {
                source_url,
                user,
                detail,
            } => Error::Auth {
                source_url,
                user,
                detail: scrub(&detail),
            },
            Error::StoreAuth {
                source_url,
                access_key_id,
                detail,
                hint,
            } => Error::StoreAuth {
                source_url,
                access_key_id,
                detail: scrub(&detail),
                hint,
            },
            Error::PermissionDenied { asset, detail } => Error::PermissionDenied {
                asset,
                detail: scrub(&detail),
            },
            Error::Tls {
                source_url,
                detail,
                hint,
            } => Error::Tls {
                source_url,
                detail: scrub(&detail),
                hint,
            },
            // Worded by mulu from the configuration, not from data.
            e @ (Error::UnsupportedSource { .. }
            | Error::Unsupported { .. }
            | Error::Timeout { .. }
            | Error::InvalidOption { .. }) => e,
        }
    }

    pub(crate) fn invalid(asset: &str, format: &'static str, detail: impl ToString) -> Self {
        Error::InvalidData {
            asset: asset.to_string(),
            format,
            detail: detail.to_string(),
        }
    }

    pub(crate) fn backend(connector: &'static str, asset: &str, detail: impl ToString) -> Self {
        Error::Backend {
            connector,
            asset: asset.to_string(),
            detail: detail.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_details_scrubs_backend_text_only() {
        let e = Error::backend("postgres", "public.v", "value \"42\" is out of range")
            .map_details(|d| d.replace("42", "**"));
        assert_eq!(
            e.to_string(),
            "postgres error on 'public.v': value \"**\" is out of range"
        );
        let e = Error::InvalidOption {
            option: "include",
            detail: "'42' is not a valid glob".into(),
        }
        .map_details(|d| d.replace("42", "**"));
        assert!(e.to_string().contains("'42'"), "{e}");
    }
}
