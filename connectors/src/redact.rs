//! Credentials out of anything shown: URLs, driver messages, logs.
//!
//! A URL that parses has its password and secret query values replaced with `***`. One that
//! does not parse (a port out of range, an unclosed `[`) is still a string with a password in
//! it, so the same masking is done on the text: every `scheme://user:password@` and every
//! `password=…`-style parameter, wherever it stands. This is the one fallback that every
//! message and name leaving mulu goes through.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Query parameters and key/value settings whose values are secrets.
const SECRET_KEYS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "sslpassword",
    "token",
    "secret",
    "secret_access_key",
];

/// `scheme://user:password@`: the password runs to the last `@` before a space or quote, so
/// a password with a raw `@` or `/` in it is masked whole (masking too much is the safe side).
static USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b([a-z][a-z0-9+.\-]*://[^\s/:@'"<>]*):[^\s'"<>]*@"#)
        .expect("the pattern compiles")
});

/// `password=…` in a query string or a libpq/ODBC-style `key=value` list.
static SECRET_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    let keys = SECRET_KEYS.join("|");
    Regex::new(&format!(r#"(?i)\b({keys})=[^&\s'";,]*"#)).expect("the pattern compiles")
});

/// Replaces the password (and any `password=`/`token=` query values) of a URL with `***`.
///
/// Paths without a scheme are returned unchanged; a URL that does not parse is masked as
/// text ([`redact_credentials`]), never returned as it was.
pub fn redact_url(spec: &str) -> String {
    let Ok(mut url) = url::Url::parse(spec) else {
        return redact_credentials(spec).into_owned();
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let hide = SECRET_KEYS.iter().any(|s| k.eq_ignore_ascii_case(s));
                (
                    k.into_owned(),
                    if hide { "***".into() } else { v.into_owned() },
                )
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// `text` with every `scheme://user:password@` password and every `password=`, `pwd=`,
/// `token=`, `secret=`… value replaced by `***`, whether or not the URL around it parses.
pub fn redact_credentials(text: &str) -> Cow<'_, str> {
    let text = match USERINFO.replace_all(text, "${1}:***@") {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(s) => Cow::Owned(s),
    };
    match SECRET_PARAM.replace_all(&text, "${1}=***") {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_password_and_secret_query_values() {
        let r = redact_url(
            "postgres://scanner:hunter2@db.internal:5432/crm?sslmode=require&password=x1",
        );
        assert_eq!(
            r,
            "postgres://scanner:***@db.internal:5432/crm?sslmode=require&password=***"
        );
        assert!(!r.contains("hunter2"));
    }

    #[test]
    fn leaves_plain_paths_alone() {
        assert_eq!(redact_url("sample-data/lake"), "sample-data/lake");
        assert_eq!(redact_url("sqlite://crm.db"), "sqlite://crm.db");
        assert!(matches!(
            redact_credentials("cannot reach 'postgres://u@h:5432/db': refused"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn urls_that_do_not_parse_lose_their_password_too() {
        for (url, shown) in [
            (
                "postgres://u:hunter2@host:99999/db",
                "postgres://u:***@host:99999/db",
            ),
            ("postgres://u:hunter2@[::1", "postgres://u:***@[::1"),
            (
                "mysql://u:hunter2@h:5432:5433/db",
                "mysql://u:***@h:5432:5433/db",
            ),
            (
                "postgres://u:hun@ter@host:99999/db?pwd=x2",
                "postgres://u:***@host:99999/db?pwd=***",
            ),
        ] {
            assert!(url::Url::parse(url).is_err(), "{url} should not parse");
            assert_eq!(redact_url(url), shown);
        }
    }

    #[test]
    fn credentials_are_masked_anywhere_in_a_message() {
        let msg = redact_credentials(
            "error with configuration: 'mysql://root:hunter2@db:1/x' host=db password=hunter2 \
             user=u; Token=abc&region=cn",
        );
        assert!(!msg.contains("hunter2") && !msg.contains("abc"), "{msg}");
        assert!(msg.contains("mysql://root:***@db:1/x"), "{msg}");
        assert!(msg.contains("password=*** user=u"), "{msg}");
        assert!(msg.contains("Token=***&region=cn"), "{msg}");
    }
}
