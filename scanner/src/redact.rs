//! The one redaction path: every message and name that a scan takes from its sources goes
//! through here before it reaches stderr, a log, the JSON report, the state or a catalogue
//! export.
//!
//! Three things can leak:
//!
//! - **Values in driver and parser messages.** A server that chokes on a value quotes it
//!   (`value "…" is out of range for type integer`, `Cannot cast string '…'`), and a
//!   parser may print it bare. So backend messages lose every quote-delimited literal, and
//!   anything the classifiers would call personal information is masked as they mask evidence.
//! - **Credentials**, whether or not the URL around them parses
//!   ([`connectors::redact_credentials`]).
//! - **Identifiers in names**: a file called `客户_<ID>_<phone>.csv`. Names keep everything but
//!   the identifier, so the DPO can still find the file; quoted text in a name is a name and
//!   stays.
//!
//! Connectors cannot depend on the classifiers, so the classifier-based pass is done here,
//! where errors and warnings enter the report. Masking is idempotent: masked text masks to
//! itself, so a second pass (the final one over the whole report) is always safe.

use std::borrow::Cow;
use std::sync::Arc;

use classifiers::{CategoryId, ClassifierSet};
use model::{AssetReport, ScanReport};

/// What stands in for a quoted literal taken out of a message.
pub const PLACEHOLDER: &str = "***";

/// Redacts names and messages with a classifier set's own checks and masks.
#[derive(Clone)]
pub struct Redactor {
    classifiers: Arc<ClassifierSet>,
    /// The categories masked: personal information, except IP addresses, which in a message
    /// are the server's address (`cannot reach 10.0.0.5:5432`) and needed to act on it; an
    /// IP address that was a value is quoted, and goes with the quotes.
    masked: Arc<Vec<CategoryId>>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("masked", &self.masked)
            .finish_non_exhaustive()
    }
}

impl Redactor {
    /// Masks what `classifiers` (built-in and custom) recognise as personal information.
    pub fn new(classifiers: Arc<ClassifierSet>) -> Self {
        let masked = classifiers
            .classifiers()
            .map(|c| c.info())
            .filter(|info| info.is_pi && info.id != classifiers::ids::IP_ADDRESS)
            .map(|info| info.id)
            .collect();
        Self {
            classifiers,
            masked: Arc::new(masked),
        }
    }

    /// With the built-in classifiers.
    pub fn builtin() -> Self {
        Self::new(Arc::new(ClassifierSet::builtin()))
    }

    /// A name from a source (file, table, column, source URL): identifiers masked, the rest
    /// kept; credentials masked.
    pub fn name(&self, name: &str) -> String {
        let masked = self
            .classifiers
            .mask_identifiers(name, |id| self.masked.contains(id));
        connectors::redact_credentials(&masked).into_owned()
    }

    /// A message from a driver, a server or a parser: quoted literals replaced by
    /// [`PLACEHOLDER`], then identifiers and credentials masked.
    pub fn message(&self, text: &str) -> String {
        // Credentials first: a quoted URL would otherwise be half-gone before it is found.
        let text = connectors::redact_credentials(text);
        self.name(&scrub_quoted(&text))
    }

    /// A connector error as shown and stored: the backend's part is a [`message`]
    /// (Self::message); mulu's own wording keeps its quoted names, which are masked as names.
    pub fn error(&self, error: connectors::Error) -> String {
        self.name(&error.map_details(|d| self.message(d)).to_string())
    }

    /// The final pass over a finished report: every name masked, every message checked again
    /// for identifiers and credentials (their quoted literals went when they were set).
    pub fn report(&self, report: &mut ScanReport) {
        for source in &mut report.sources {
            self.in_place(&mut source.url);
            if let Some(e) = &mut source.error {
                self.in_place(e);
            }
        }
        for asset in &mut report.assets {
            self.asset(asset);
        }
        if let Some(persons) = &mut report.persons {
            persons.incomplete.iter_mut().for_each(|n| self.in_place(n));
        }
    }

    /// [`report`](Self::report) for one asset.
    pub fn asset(&self, asset: &mut AssetReport) {
        self.in_place(&mut asset.source);
        self.in_place(&mut asset.name);
        if let Some(e) = &mut asset.error {
            self.in_place(e);
        }
        asset.warnings.iter_mut().for_each(|w| self.in_place(w));
        asset
            .partition_columns
            .iter_mut()
            .for_each(|c| self.in_place(c));
        for column in &mut asset.columns {
            self.in_place(&mut column.name);
        }
        for category in &mut asset.categories {
            category.columns.iter_mut().for_each(|c| self.in_place(c));
        }
        if let Some(media) = &mut asset.media {
            // Camera names are read from the files themselves.
            media
                .camera_models
                .iter_mut()
                .for_each(|m| self.in_place(m));
        }
    }

    fn in_place(&self, text: &mut String) {
        let masked = self.name(text);
        if masked != *text {
            *text = masked;
        }
    }
}

/// Replaces the default panic message, which would print the panic's text: a reader that
/// panics on a malformed file may quote the bytes it choked on. The scan goes on (the asset is
/// reported as failed); stderr gets where it happened, never what it said.
pub fn withhold_panic_messages() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "mulu: internal error (a panic{location}); its message is withheld because it may \
             quote scanned data. Please report it as a mulu bug."
        );
    }));
}

/// Text about to be printed that did not come through a report (a top-level error, which may
/// quote a config line): credentials masked, control characters escaped.
pub fn for_terminal(text: &str) -> String {
    crate::terminal::escape_lines(&connectors::redact_credentials(text)).into_owned()
}

/// `text` with the content of every `"…"` and `'…'` literal replaced by [`PLACEHOLDER`].
///
/// A quote opens a literal only at the start or after a character that is not an ASCII
/// letter or digit, and closes it only before one, so apostrophes (`doesn't`, `users'`) are
/// left alone.
pub fn scrub_quoted(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let boundary = |at: Option<&u8>| !at.is_some_and(u8::is_ascii_alphanumeric);
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let quote = bytes[i];
        let opens = (quote == b'"' || quote == b'\'')
            && boundary(i.checked_sub(1).and_then(|p| bytes.get(p)));
        let close = opens
            .then(|| {
                (i + 1..bytes.len())
                    .find(|&j| bytes[j] == quote && boundary(bytes.get(j + 1)))
                    .filter(|&j| j > i + 1)
            })
            .flatten();
        match close {
            Some(j) => {
                let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                out.push_str(&text[copied..=i]);
                out.push_str(PLACEHOLDER);
                copied = j;
                i = j + 1;
            }
            None => i += 1,
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic resident ID: area 110105, born 1990-03-07, sequence 123, check char
    /// computed (MOD 11-2).
    fn synthetic_id() -> String {
        let body = "11010519900307123";
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body
            .bytes()
            .zip(weights)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let check = b"10X98765432"[(sum % 11) as usize] as char;
        format!("{body}{check}")
    }

    #[test]
    fn quoted_literals_go_apostrophes_stay() {
        assert_eq!(
            scrub_quoted(r#"value "2113811979" is out of range for type integer"#),
            r#"value "***" is out of range for type integer"#
        );
        assert_eq!(
            scrub_quoted("Table 'test.t' doesn't exist; users' rows"),
            "Table '***' doesn't exist; users' rows"
        );
        assert!(matches!(
            scrub_quoted("can't read it, \"unclosed"),
            Cow::Borrowed(_)
        ));
        assert_eq!(scrub_quoted("'a' and 'b'"), "'***' and '***'");
    }

    #[test]
    fn messages_lose_values_and_credentials_names_keep_the_rest() {
        let r = Redactor::builtin();
        let id = synthetic_id();
        let msg = r.message(&format!(
            "bad row {id} near \"{id}\" in postgres://u:hunter2@db:99999/x; call 13812345678"
        ));
        assert!(!msg.contains(&id) && !msg.contains("hunter2"), "{msg}");
        assert!(!msg.contains("13812345678"), "{msg}");
        assert!(msg.contains("\"***\"") && msg.contains("110105"), "{msg}");
        let name = r.name(&format!("客户_{id}_13812345678.csv"));
        assert!(
            name.starts_with("客户_110105") && name.ends_with("5678.csv"),
            "{name}"
        );
        assert!(
            !name.contains(&id) && !name.contains("13812345678"),
            "{name}"
        );
        assert_eq!(r.name(&name), name, "masking is idempotent");
        // A server's address in a connection error stays.
        assert!(r
            .message("cannot reach 10.1.2.3:5432: refused")
            .contains("10.1.2.3"));
    }

    #[test]
    fn errors_keep_mulus_wording_and_lose_the_backends_values() {
        let r = Redactor::builtin();
        let id = synthetic_id();
        let e = connectors::Error::NotFound {
            asset: format!("t_{id}"),
            detail: format!("value \"{id}\" is out of range"),
        };
        let shown = r.error(e);
        assert!(!shown.contains(&id), "{shown}");
        assert!(shown.starts_with("'t_110105"), "{shown}");
        assert!(shown.contains("value \"***\" is out of range"), "{shown}");
    }
}
