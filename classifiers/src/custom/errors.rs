//! Load errors: what went wrong, in which file, at which line, in which
//! classifier.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::VALIDATORS;

/// Error from loading custom classifiers. Its `Display` reads
/// `acme.toml line 7, classifier 'acme.employee_no': regex does not compile: …`.
#[derive(Debug, Clone)]
pub struct CustomClassifierError {
    origin: String,
    line: Option<usize>,
    classifier: Option<String>,
    kind: CustomErrorKind,
}

impl CustomClassifierError {
    /// The `origin` passed to the loader (usually the file name).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// 1-based line number, when the TOML parser reported a position.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// Id of the classifier the error belongs to, when it has one.
    pub fn classifier(&self) -> Option<&str> {
        self.classifier.as_deref()
    }

    /// What went wrong.
    pub fn kind(&self) -> &CustomErrorKind {
        &self.kind
    }
}

/// What went wrong while loading a custom classifier.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum CustomErrorKind {
    /// TOML syntax, a missing or unknown key, or a value of the wrong type.
    Toml(String),
    /// The id does not have the form `family.name`.
    InvalidId,
    /// The id is already used earlier in the same file.
    DuplicateId {
        /// Line of the first classifier with this id.
        first_line: usize,
    },
    /// The id belongs to a built-in classifier.
    BuiltinId,
    /// The regex does not compile.
    Regex(regex::Error),
    /// The validator name is not one of [`VALIDATORS`].
    UnknownValidator(String),
    /// Neither `regex` nor `dictionary`/`dictionary_file` was given.
    NothingToMatch,
    /// The resolver could not provide a dictionary file.
    DictionaryFile {
        /// The path as written in the TOML.
        path: String,
        /// The resolver's message.
        message: String,
    },
    /// Any other invalid value; the message says which key and why.
    Invalid(String),
}

impl fmt::Display for CustomErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomErrorKind::Toml(m) | CustomErrorKind::Invalid(m) => f.write_str(m),
            CustomErrorKind::InvalidId => f.write_str(
                "id must look like `family.name`: lower-case ASCII letters, digits and `_`, \
                 each part starting with a letter",
            ),
            CustomErrorKind::DuplicateId { first_line } => {
                write!(f, "duplicate id, first defined at line {first_line}")
            }
            CustomErrorKind::BuiltinId => {
                f.write_str("id is already used by a built-in classifier")
            }
            CustomErrorKind::Regex(e) => write!(f, "regex does not compile: {e}"),
            CustomErrorKind::UnknownValidator(v) => write!(
                f,
                "unknown validator {v:?}; allowed: {}",
                VALIDATORS.join(", ")
            ),
            CustomErrorKind::NothingToMatch => {
                f.write_str("needs `regex`, `dictionary` or `dictionary_file`")
            }
            CustomErrorKind::DictionaryFile { path, message } => {
                write!(f, "dictionary_file {path:?}: {message}")
            }
        }
    }
}

impl fmt::Display for CustomClassifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(id) = &self.classifier {
            write!(f, ", classifier '{id}'")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for CustomClassifierError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            CustomErrorKind::Regex(e) => Some(e),
            _ => None,
        }
    }
}

/// Only used to find which classifier a TOML error belongs to: it accepts
/// any keys, so it still parses when the strict shape does not.
#[derive(Deserialize)]
struct LenientFile {
    #[serde(default)]
    classifier: Vec<Spanned<toml::Table>>,
}

/// The file being loaded, to turn byte offsets into line numbers.
pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) origin: &'a str,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    pub(super) fn line_of(&self, span: Range<usize>) -> usize {
        self.line(span.start)
    }

    pub(super) fn error(
        &self,
        line: usize,
        id: Option<&str>,
        kind: CustomErrorKind,
    ) -> CustomClassifierError {
        CustomClassifierError {
            origin: self.origin.to_owned(),
            line: Some(line),
            classifier: id.map(str::to_owned),
            kind,
        }
    }

    /// Maps a TOML error to a line and, by re-parsing leniently, to the
    /// `[[classifier]]` table it sits in.
    pub(super) fn toml_error(&self, e: &toml::de::Error) -> CustomClassifierError {
        let offset = e.span().map(|s| s.start);
        let classifier = offset.and_then(|off| {
            let lenient: LenientFile = toml::from_str(self.text).ok()?;
            // Tables are in file order; the error belongs to the last one
            // that starts at or before it.
            let (index, table) = lenient
                .classifier
                .iter()
                .enumerate()
                .rfind(|(_, t)| t.span().start <= off)?;
            Some(match table.get_ref().get("id").and_then(|v| v.as_str()) {
                Some(id) => id.to_owned(),
                None => format!("#{} (no id)", index + 1),
            })
        });
        CustomClassifierError {
            origin: self.origin.to_owned(),
            line: offset.map(|o| self.line(o)),
            classifier,
            kind: CustomErrorKind::Toml(e.message().to_owned()),
        }
    }
}
