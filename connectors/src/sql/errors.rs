//! Turning sqlx failures into [`Error`]s a data officer can act on, without ever leaking the
//! password. Each dialect only says what its error codes mean ([`Failure`]); the wording is
//! shared, so the same problem reads the same on every database.

use std::time::Duration;

use crate::options::scrub;
use crate::Error;

/// How long opening a connection may take before the server counts as unreachable.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a database error means for the user, decided per dialect from its error codes
/// ([`super::dialect::SqlDialect::classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server refused the credentials.
    Auth,
    /// The user may not read the asset.
    Permission,
    /// The statement timeout cancelled the query.
    Timeout,
    /// The table, schema or database does not exist.
    NotFound,
    /// Anything else: reported with the server's message.
    Other,
}

/// Whether an I/O error is the TLS layer refusing the connection, not the network failing.
fn is_tls_failure(e: &std::io::Error) -> bool {
    let text = e.to_string().to_ascii_lowercase();
    e.kind() == std::io::ErrorKind::InvalidData
        && ["certificate", "tls", "handshake", "alert"]
            .iter()
            .any(|w| text.contains(w))
}

/// What to change for a failed TLS handshake, read off the TLS library's message.
fn tls_hint(detail: &str) -> &'static str {
    if detail.contains("does not support TLS") || detail.contains("does not support SSL") {
        "the server offers no TLS: enable TLS on the server, or allow plaintext with \
         sslmode=prefer (PostgreSQL) / ssl-mode=PREFERRED (MySQL)"
    } else if detail.contains("NotValidForName") {
        "the certificate does not name this host: connect by a name it holds, or check only \
         the issuer with sslmode=verify-ca (PostgreSQL) / ssl-mode=VERIFY_CA (MySQL)"
    } else if detail.contains("certificate") || detail.contains("Certificate") {
        "the server's certificate is not trusted: give the CA that signed it with \
         sslrootcert=FILE (PostgreSQL) / ssl-ca=FILE (MySQL), or encrypt without verifying \
         with sslmode=require / ssl-mode=REQUIRED"
    } else {
        "check the TLS options in the URL (sslmode, sslrootcert, sslcert, sslkey for \
         PostgreSQL; ssl-mode, ssl-ca, ssl-cert, ssl-key for MySQL)"
    }
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
            // rustls reports a failed handshake as an I/O error.
            sqlx::Error::Io(e) if is_tls_failure(&e) => {
                let detail = self.scrub(e);
                Error::Tls {
                    source_url: self.display_url.clone(),
                    hint: tls_hint(&detail),
                    detail,
                }
            }
            sqlx::Error::Io(e) => Error::Unreachable {
                source_url: self.display_url.clone(),
                detail: self.scrub(e),
            },
            sqlx::Error::Tls(e) => {
                let detail = self.scrub(e);
                Error::Tls {
                    source_url: self.display_url.clone(),
                    hint: tls_hint(&detail),
                    detail,
                }
            }
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
