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
}

impl Error {
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
