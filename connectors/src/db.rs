//! What the PostgreSQL and MySQL connectors share: turning sqlx failures into errors a data
//! officer can act on, without ever leaking the password.

use std::time::Duration;

use crate::options::scrub;
use crate::Error;

/// How long opening a connection may take before the server counts as unreachable.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a database error means for the user, decided per backend from its error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    Auth,
    Permission,
    Timeout,
    NotFound,
    Other,
}

/// Everything needed to word an error for one source.
#[derive(Clone)]
pub(crate) struct ErrorContext {
    pub connector: &'static str,
    pub display_url: String,
    pub user: String,
    /// Kept only to scrub it from messages.
    pub password: Option<String>,
    pub timeout: Duration,
    pub classify: fn(&dyn sqlx::error::DatabaseError) -> Failure,
}

impl std::fmt::Debug for ErrorContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorContext")
            .field("connector", &self.connector)
            .field("display_url", &self.display_url)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl ErrorContext {
    fn scrub(&self, detail: impl ToString) -> String {
        scrub(detail, self.password.as_deref())
    }

    /// Maps a failure while reading `asset` (or the source itself when `None`).
    pub(crate) fn map(&self, asset: Option<&str>, err: sqlx::Error) -> Error {
        let target = asset.unwrap_or(&self.display_url).to_string();
        match err {
            sqlx::Error::Io(e) => Error::Unreachable {
                source_url: self.display_url.clone(),
                detail: self.scrub(e),
            },
            sqlx::Error::PoolTimedOut => Error::Unreachable {
                source_url: self.display_url.clone(),
                detail: format!(
                    "no connection could be opened within {} s (the server may be down, or all \
                     connections of this source are busy)",
                    CONNECT_TIMEOUT.as_secs()
                ),
            },
            sqlx::Error::Database(db) => {
                let detail = self.scrub(db.message());
                match (self.classify)(db.as_ref()) {
                    Failure::Auth => Error::Auth {
                        source_url: self.display_url.clone(),
                        user: self.user.clone(),
                        detail,
                    },
                    Failure::Permission => Error::PermissionDenied {
                        asset: target,
                        detail,
                    },
                    Failure::Timeout => Error::Timeout {
                        asset: target,
                        timeout: self.timeout,
                    },
                    Failure::NotFound => Error::NotFound {
                        asset: target,
                        detail,
                    },
                    Failure::Other => Error::Backend {
                        connector: self.connector,
                        asset: target,
                        detail,
                    },
                }
            }
            other => Error::Backend {
                connector: self.connector,
                asset: target,
                detail: self.scrub(other),
            },
        }
    }

    /// The error for a connection attempt that did not finish in time.
    pub(crate) fn connect_timed_out(&self) -> Error {
        Error::Unreachable {
            source_url: self.display_url.clone(),
            detail: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        }
    }

    /// The error for a URL the driver rejects.
    pub(crate) fn bad_url(&self, err: impl ToString) -> Error {
        Error::UnsupportedSource {
            source_url: self.display_url.clone(),
            reason: self.scrub(err),
        }
    }
}

/// Splits `a.b.c` into every (prefix, rest) pair at a dot, most likely first (first dot).
/// A database source URL taken apart: what may be shown, what to connect with, and the
/// password (from the URL, else `password_env`, else `password_file`).
pub(crate) struct DbUrl {
    pub display_url: String,
    pub parsed: url::Url,
    pub password: Option<String>,
}

impl DbUrl {
    pub(crate) fn parse(url: &str, options: &crate::SourceOptions) -> crate::Result<Self> {
        let display_url = crate::source::redact_url(url);
        let parsed = url::Url::parse(url).map_err(|e| Error::UnsupportedSource {
            source_url: display_url.clone(),
            reason: e.to_string(),
        })?;
        let password = match parsed.password() {
            Some(p) => Some(crate::options::percent_decode(p)),
            None => options.external_password()?,
        };
        Ok(Self {
            display_url,
            parsed,
            password,
        })
    }
}

pub(crate) fn qualified_splits(name: &str) -> Vec<(&str, &str)> {
    name.match_indices('.')
        .map(|(i, _)| (&name[..i], &name[i + 1..]))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_qualified_names_at_each_dot() {
        assert_eq!(
            qualified_splits("crm.customers"),
            vec![("crm", "customers")]
        );
        assert_eq!(qualified_splits("a.b.c"), vec![("a", "b.c"), ("a.b", "c")]);
        assert!(qualified_splits("nodot").is_empty());
    }
}
