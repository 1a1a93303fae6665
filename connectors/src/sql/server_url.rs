//! A database server URL taken apart: what may be shown, what to connect with, and the
//! password.

use crate::{Error, Result, SourceOptions};

/// A database source URL taken apart: what may be shown, what to connect with, and the
/// password (from the URL, else `password_env`, else `password_file`).
pub(crate) struct ServerUrl {
    pub display_url: String,
    pub parsed: url::Url,
    pub password: Option<String>,
}

impl ServerUrl {
    pub(crate) fn parse(url: &str, options: &SourceOptions) -> Result<Self> {
        let display_url = crate::redact_url(url);
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
