//! Declarative custom classifiers read from TOML.
//!
//! Teams that do not write Rust still have identifiers of their own
//! (employee numbers, internal customer numbers, plant codes). This module
//! turns a small TOML file into ordinary [`Classifier`] trait objects, which
//! are then registered exactly like a compiled classifier:
//!
//! ```
//! use classifiers::{load_custom_classifiers, ClassifierSet};
//!
//! let toml = r#"
//! [[classifier]]
//! id = "acme.employee_no"
//! name_zh = "员工工号"
//! name_en = "Employee number"
//! pi = true
//! regex = "EMP[0-9]{6}"
//! column_hints = ["gh", "emp_no", "工号"]
//! "#;
//! let mut builder = ClassifierSet::builder().builtins();
//! for c in load_custom_classifiers(toml, "acme.toml").unwrap() {
//!     builder = builder.with(c);
//! }
//! let set = builder.build().unwrap();
//! let mut scan = set.column("emp_no");
//! scan.push(Some("EMP000123"));
//! assert_eq!(scan.finish()[0].category, "acme.employee_no");
//! ```
//!
//! # Format
//!
//! Each `[[classifier]]` table takes these keys; any other key is an error,
//! so a typo (`colum_hints`) cannot silently disable a rule.
//!
//! | key | required | meaning |
//! | --- | --- | --- |
//! | `id` | yes | `family.name`, lower-case ASCII, digits and `_`; must not be a built-in id |
//! | `name_zh`, `name_en` | yes | display names for reports and catalogues |
//! | `pi` | yes | whether values are personal information |
//! | `sensitive` | no (false) | sensitive PI; requires `pi = true` |
//! | `gbt43697_class` | no | GB/T 43697 Appendix B PI class, e.g. `个人身份信息`; requires `pi = true` |
//! | `vehicle_item` | no | 《汽车数据安全管理若干规定（试行）》 Art. 3 item, e.g. `第三条第（五）项` |
//! | `regex` | one of these three | whole-value regex (the engine anchors it) |
//! | `dictionary` | | inline list of values |
//! | `dictionary_file` | | a file of values, one per line (`#` starts a comment); read through the caller's resolver |
//! | `match` | no (`"equals"`) | dictionary mode: `"equals"` (whole value) or `"contains"` (value contains an entry) |
//! | `ignore_case` | no (false) | case-insensitive regex, ASCII case-insensitive dictionary |
//! | `validator` | no | `luhn`, `gb11643` (the built-in resident-ID check), `iso3779` (VIN) or `gb32100` (USCC); needs `regex` |
//! | `column_hints` | no | literal column names, compared on token boundaries of the normalised name |
//! | `min_ratio` | no (0.6) | share of values that must match; with a column hint `min(min_ratio, 0.3)` applies |
//! | `mask` | no (`"keep_head_tail"`) | evidence masking: `keep_head_tail`, `keep_head`, `keep_tail` or `full` |
//! | `mask_keep` | no (2) | characters kept on each revealed side, 0–8; never more than `(n-1)/2` of a value's `n` characters are shown |
//! | `free_text` | no (false) | also look for the values inside free text (remarks, JSON strings); enable only for checks strong enough to trust without column context |
//! | `docs` | no | Markdown shown by `mulu classifiers explain`; generated when absent |
//!
//! When both a regex and a dictionary are given, a value matches if it
//! matches either. The validator only applies to regex matches: it checks
//! the named capture group `validate` if the regex has one (so
//! `EMP(?P<validate>[0-9]{8})` checks only the digits), otherwise the whole
//! value with ASCII spaces and hyphens removed.
//!
//! # Why no file I/O here
//!
//! The crate does no I/O by design (classification is pure and testable).
//! `dictionary_file` paths are therefore handed to a resolver supplied by the
//! caller ([`load_custom_classifiers_with`]), which decides what a relative
//! path is relative to (the TOML file's directory, in the scanner).
//!
//! # Ownership of the loaded strings
//!
//! A loaded classifier owns its id, names and docs ([`CategoryInfo`] holds
//! owned text for them), so dropping it, for example on a configuration
//! reload, frees them.

use std::fmt;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::validate::{luhn_valid, uscc_valid, vin_valid};
use crate::{normalize_column_name, CategoryId, CategoryInfo, Classifier, ResidentId};

/// Names accepted by the `validator` key.
pub const VALIDATORS: &[&str] = &["luhn", "gb11643", "iso3779", "gb32100"];

/// Names accepted by the `mask` key.
const MASKS: &[&str] = &["keep_head_tail", "keep_head", "keep_tail", "full"];

/// Names accepted by the `match` key.
const MATCH_MODES: &[&str] = &["equals", "contains"];

/// The engine's default thresholds, `(without hint, with hint)`.
const DEFAULT_MIN_RATIO: (f64, f64) = (0.6, 0.3);

/// Dictionaries up to this size are also compiled into the shared regex
/// prefilter, so values that cannot match never reach `confirm`. Larger ones
/// use a match-anything prefilter and rely on the aho-corasick automaton
/// alone, which keeps the combined `RegexSet` small.
const PREFILTER_MAX_ENTRIES: usize = 256;
const PREFILTER_MAX_BYTES: usize = 8 * 1024;

/// Loads classifiers from TOML text. `origin` (usually the file name) is only
/// used in error messages.
///
/// A classifier with `dictionary_file` is an error here, because this crate
/// reads no files; use [`load_custom_classifiers_with`] for those.
///
/// # Errors
///
/// Returns the first problem found, naming `origin`, the line and (when it
/// is known) the classifier id: TOML syntax, unknown or missing keys, wrong
/// value types, a regex that does not compile, an unknown validator, a
/// classifier with neither regex nor dictionary, an id that is malformed,
/// repeated in the file or taken by a built-in.
pub fn load_custom_classifiers(
    toml_text: &str,
    origin: &str,
) -> Result<Vec<Box<dyn Classifier>>, CustomClassifierError> {
    load_custom_classifiers_with(toml_text, origin, &|path| {
        Err(format!(
            "cannot read dictionary file {path:?}: no file resolver was given \
             (load with load_custom_classifiers_with)"
        ))
    })
}

/// Like [`load_custom_classifiers`], with a resolver for `dictionary_file`.
///
/// `resolve` receives the path exactly as written in the TOML and returns
/// the file's text or an error message. The caller decides how relative
/// paths are resolved; the scanner resolves them against the TOML file's
/// directory.
///
/// # Errors
///
/// As [`load_custom_classifiers`]; a resolver error is reported at the line
/// of the `dictionary_file` key.
pub fn load_custom_classifiers_with(
    toml_text: &str,
    origin: &str,
    resolve: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Vec<Box<dyn Classifier>>, CustomClassifierError> {
    let ctx = Ctx {
        text: toml_text,
        origin,
    };
    let file: RawFile = match toml::from_str(toml_text) {
        Ok(f) => f,
        Err(e) => return Err(ctx.toml_error(&e)),
    };
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut specs = Vec::with_capacity(file.classifier.len());
    for raw in file.classifier {
        let spec = compile(&ctx, raw.into_inner(), resolve)?;
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == spec.id) {
            return Err(ctx.error(
                spec.id_line,
                Some(&spec.id),
                CustomErrorKind::DuplicateId { first_line: *first },
            ));
        }
        seen.push((spec.id.clone(), spec.id_line));
        specs.push(spec);
    }
    // Only now, with every classifier valid, are the classifiers built.
    Ok(specs
        .into_iter()
        .map(|s| Box::new(s.finish(origin)) as Box<dyn Classifier>)
        .collect())
}

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

// ---------------------------------------------------------------------------
// Raw TOML shape

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    classifier: Vec<Spanned<RawClassifier>>,
}

/// Every key keeps its span so that semantic errors can name a line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClassifier {
    id: Spanned<String>,
    name_zh: Spanned<String>,
    name_en: Spanned<String>,
    pi: bool,
    sensitive: Option<Spanned<bool>>,
    gbt43697_class: Option<Spanned<String>>,
    vehicle_item: Option<String>,
    regex: Option<Spanned<String>>,
    dictionary: Option<Spanned<Vec<String>>>,
    dictionary_file: Option<Spanned<String>>,
    #[serde(rename = "match")]
    match_mode: Option<Spanned<String>>,
    #[serde(default)]
    ignore_case: bool,
    validator: Option<Spanned<String>>,
    column_hints: Option<Spanned<Vec<String>>>,
    min_ratio: Option<Spanned<f64>>,
    mask: Option<Spanned<String>>,
    mask_keep: Option<Spanned<i64>>,
    #[serde(default)]
    free_text: bool,
    docs: Option<String>,
}

/// Only used to find which classifier a TOML error belongs to: it accepts
/// any keys, so it still parses when the strict shape does not.
#[derive(Deserialize)]
struct LenientFile {
    #[serde(default)]
    classifier: Vec<Spanned<toml::Table>>,
}

struct Ctx<'a> {
    text: &'a str,
    origin: &'a str,
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

    fn line_of(&self, span: Range<usize>) -> usize {
        self.line(span.start)
    }

    fn error(&self, line: usize, id: Option<&str>, kind: CustomErrorKind) -> CustomClassifierError {
        CustomClassifierError {
            origin: self.origin.to_owned(),
            line: Some(line),
            classifier: id.map(str::to_owned),
            kind,
        }
    }

    /// Maps a TOML error to a line and, by re-parsing leniently, to the
    /// `[[classifier]]` table it sits in.
    fn toml_error(&self, e: &toml::de::Error) -> CustomClassifierError {
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

// ---------------------------------------------------------------------------
// Validation and compilation

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Validator {
    Luhn,
    Gb11643,
    Iso3779,
    Gb32100,
}

impl Validator {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "luhn" => Validator::Luhn,
            "gb11643" => Validator::Gb11643,
            "iso3779" => Validator::Iso3779,
            "gb32100" => Validator::Gb32100,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Validator::Luhn => "luhn",
            Validator::Gb11643 => "gb11643",
            Validator::Iso3779 => "iso3779",
            Validator::Gb32100 => "gb32100",
        }
    }

    fn check(self, s: &str) -> bool {
        match self {
            Validator::Luhn => luhn_valid(s),
            // Reuse the built-in so the two never disagree on what a valid
            // resident ID is (check character, province, birth date).
            Validator::Gb11643 => ResidentId.confirm(s).is_some(),
            Validator::Iso3779 => vin_valid(s),
            Validator::Gb32100 => uscc_valid(s),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Validator::Luhn => "the Luhn (ISO/IEC 7812) check digit",
            Validator::Gb11643 => {
                "the GB 11643 resident-ID rules (MOD 11-2 check, region, birth date)"
            }
            Validator::Iso3779 => "the ISO 3779 VIN check character",
            Validator::Gb32100 => "the GB 32100 unified social credit code check character",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MaskMode {
    HeadTail,
    Head,
    Tail,
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MatchMode {
    Equals,
    Contains,
}

/// A validated classifier, before its prefilter and docs are assembled.
struct Spec {
    id: String,
    id_line: usize,
    name_zh: String,
    name_en: String,
    is_pi: bool,
    is_sensitive: bool,
    gbt43697_class: Option<String>,
    vehicle_item: Option<String>,
    regex_src: Option<String>,
    regex: Option<Regex>,
    validate_group: bool,
    validator: Option<Validator>,
    dictionary: Option<(Vec<String>, AhoCorasick, MatchMode)>,
    ignore_case: bool,
    hints: Vec<String>,
    min_ratio: (f64, f64),
    mask: MaskMode,
    mask_keep: usize,
    free_text: bool,
    docs: Option<String>,
}

/// Checks the `family.name` shape without a regex (it runs once per id).
fn id_is_well_formed(id: &str) -> bool {
    let part = |p: &str| {
        let mut chars = p.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    match id.split_once('.') {
        Some((family, name)) => part(family) && part(name),
        None => false,
    }
}

fn one_of<'a>(key: &str, value: &'a str, allowed: &[&str]) -> Result<&'a str, CustomErrorKind> {
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(CustomErrorKind::Invalid(format!(
            "unknown {key} {value:?}; allowed: {}",
            allowed.join(", ")
        )))
    }
}

fn compile(
    ctx: &Ctx<'_>,
    raw: RawClassifier,
    resolve: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Spec, CustomClassifierError> {
    let id = raw.id.get_ref().clone();
    let id_line = ctx.line_of(raw.id.span());
    let err =
        |span: Range<usize>, kind: CustomErrorKind| ctx.error(ctx.line_of(span), Some(&id), kind);

    if !id_is_well_formed(&id) {
        return Err(err(raw.id.span(), CustomErrorKind::InvalidId));
    }
    if crate::builtin::CLASSIFIERS
        .iter()
        .any(|c| c.id() == id.as_str())
    {
        return Err(err(raw.id.span(), CustomErrorKind::BuiltinId));
    }
    for name in [&raw.name_zh, &raw.name_en] {
        if name.get_ref().trim().is_empty() {
            return Err(err(
                name.span(),
                CustomErrorKind::Invalid("names must not be empty".into()),
            ));
        }
    }
    let is_sensitive = raw.sensitive.as_ref().is_some_and(|s| *s.get_ref());
    if let Some(s) = raw.sensitive.as_ref().filter(|_| is_sensitive && !raw.pi) {
        return Err(err(
            s.span(),
            CustomErrorKind::Invalid("sensitive = true requires pi = true".into()),
        ));
    }

    if let Some(c) = raw.gbt43697_class.as_ref().filter(|_| !raw.pi) {
        return Err(err(
            c.span(),
            CustomErrorKind::Invalid("gbt43697_class is a PI class and requires pi = true".into()),
        ));
    }

    // Regex: compiled here (not only by the engine) so that the error can
    // name the line, and kept anchored for `confirm`.
    let mut regex = None;
    let mut validate_group = false;
    if let Some(r) = &raw.regex {
        let flags = if raw.ignore_case { "(?i)" } else { "" };
        let anchored = format!("^(?s:{flags}(?:{}))$", r.get_ref());
        match Regex::new(&anchored) {
            Ok(re) => {
                validate_group = re.capture_names().flatten().any(|n| n == "validate");
                regex = Some(re);
            }
            Err(e) => {
                // Report the user's pattern, not our anchored wrapper.
                let e = Regex::new(r.get_ref()).err().unwrap_or(e);
                return Err(err(r.span(), CustomErrorKind::Regex(e)));
            }
        }
    }

    let validator = match &raw.validator {
        None => None,
        Some(v) => {
            let Some(parsed) = Validator::parse(v.get_ref()) else {
                return Err(err(
                    v.span(),
                    CustomErrorKind::UnknownValidator(v.get_ref().clone()),
                ));
            };
            if regex.is_none() {
                return Err(err(
                    v.span(),
                    CustomErrorKind::Invalid(
                        "validator needs a regex: it checks the values the regex matched".into(),
                    ),
                ));
            }
            Some(parsed)
        }
    };

    // Dictionary: inline entries plus the resolved file, trimmed like values.
    let mut entries: Vec<String> = Vec::new();
    if let Some(d) = &raw.dictionary {
        entries.extend(d.get_ref().iter().map(|e| e.trim().to_owned()));
    }
    if let Some(path) = &raw.dictionary_file {
        let text = resolve(path.get_ref()).map_err(|message| {
            err(
                path.span(),
                CustomErrorKind::DictionaryFile {
                    path: path.get_ref().clone(),
                    message,
                },
            )
        })?;
        entries.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#'))
                .map(str::to_owned),
        );
    }
    entries.retain(|e| !e.is_empty());
    entries.sort();
    entries.dedup();
    let has_dictionary = raw.dictionary.is_some() || raw.dictionary_file.is_some();
    let dict_span = raw
        .dictionary
        .as_ref()
        .map(|d| d.span())
        .or_else(|| raw.dictionary_file.as_ref().map(|d| d.span()));
    if let Some(span) = dict_span.clone().filter(|_| entries.is_empty()) {
        return Err(err(
            span,
            CustomErrorKind::Invalid("dictionary has no non-blank entries".into()),
        ));
    }
    let match_mode = match &raw.match_mode {
        None => MatchMode::Equals,
        Some(m) => {
            let name = one_of("match", m.get_ref(), MATCH_MODES).map_err(|k| err(m.span(), k))?;
            if !has_dictionary {
                return Err(err(
                    m.span(),
                    CustomErrorKind::Invalid(
                        "match applies to dictionaries only (a regex always matches the whole value)"
                            .into(),
                    ),
                ));
            }
            if name == "contains" {
                MatchMode::Contains
            } else {
                MatchMode::Equals
            }
        }
    };
    let dictionary = match dict_span {
        None => None,
        Some(span) => {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .ascii_case_insensitive(raw.ignore_case)
                .build(&entries)
                .map_err(|e| {
                    err(
                        span,
                        CustomErrorKind::Invalid(format!("dictionary cannot be compiled: {e}")),
                    )
                })?;
            Some((entries, ac, match_mode))
        }
    };
    if regex.is_none() && dictionary.is_none() {
        return Err(ctx.error(id_line, Some(&id), CustomErrorKind::NothingToMatch));
    }

    let mut hints = Vec::new();
    if let Some(h) = &raw.column_hints {
        for hint in h.get_ref() {
            let normalized = normalize_column_name(hint);
            if normalized.is_empty() {
                return Err(err(
                    h.span(),
                    CustomErrorKind::Invalid(format!(
                        "column hint {hint:?} has no letters or digits"
                    )),
                ));
            }
            if !hints.contains(&normalized) {
                hints.push(normalized);
            }
        }
    }

    let min_ratio = match &raw.min_ratio {
        None => DEFAULT_MIN_RATIO,
        Some(m) => {
            let v = *m.get_ref();
            if !(v > 0.0 && v <= 1.0) {
                return Err(err(
                    m.span(),
                    CustomErrorKind::Invalid(format!("min_ratio must be in (0, 1], got {v}")),
                ));
            }
            (v, v.min(DEFAULT_MIN_RATIO.1))
        }
    };

    let mask = match &raw.mask {
        None => MaskMode::HeadTail,
        Some(m) => match one_of("mask", m.get_ref(), MASKS).map_err(|k| err(m.span(), k))? {
            "keep_head" => MaskMode::Head,
            "keep_tail" => MaskMode::Tail,
            "full" => MaskMode::Full,
            _ => MaskMode::HeadTail,
        },
    };
    let mask_keep = match &raw.mask_keep {
        None => 2,
        Some(k) => match usize::try_from(*k.get_ref()) {
            Ok(n) if n <= 8 => n,
            _ => {
                return Err(err(
                    k.span(),
                    CustomErrorKind::Invalid(format!(
                        "mask_keep must be 0 to 8, got {}",
                        k.get_ref()
                    )),
                ))
            }
        },
    };

    Ok(Spec {
        id,
        id_line,
        name_zh: raw.name_zh.into_inner().trim().to_owned(),
        name_en: raw.name_en.into_inner().trim().to_owned(),
        is_pi: raw.pi,
        is_sensitive,
        gbt43697_class: raw.gbt43697_class.map(Spanned::into_inner),
        vehicle_item: raw.vehicle_item.filter(|v| !v.trim().is_empty()),
        regex_src: raw.regex.map(Spanned::into_inner),
        regex,
        validate_group,
        validator,
        dictionary,
        ignore_case: raw.ignore_case,
        hints,
        min_ratio,
        mask,
        mask_keep,
        free_text: raw.free_text,
        docs: raw.docs,
    })
}

impl Spec {
    /// The shared-prefilter pattern: the user's regex and/or the dictionary.
    /// It must accept every value `confirm` accepts.
    fn prefilter(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.regex_src {
            let flags = if self.ignore_case { "(?i)" } else { "" };
            parts.push(format!("(?s:{flags}(?:{r}))"));
        }
        if let Some((entries, _, mode)) = &self.dictionary {
            let bytes: usize = entries.iter().map(String::len).sum();
            if entries.len() <= PREFILTER_MAX_ENTRIES && bytes <= PREFILTER_MAX_BYTES {
                // Unicode case folding in the regex is wider than the ASCII
                // folding of the automaton: a wider prefilter is harmless.
                let flags = if self.ignore_case { "(?i)" } else { "" };
                let alt = entries
                    .iter()
                    .map(|e| regex::escape(e))
                    .collect::<Vec<_>>()
                    .join("|");
                parts.push(match mode {
                    MatchMode::Equals => format!("(?s:{flags}(?:{alt}))"),
                    MatchMode::Contains => format!("(?s:.*{flags}(?:{alt}).*)"),
                });
            } else {
                parts.push("(?s:.+)".to_owned());
            }
        }
        parts.join("|")
    }

    fn generated_docs(&self, origin: &str) -> String {
        let mut what = Vec::new();
        if let Some(r) = &self.regex_src {
            let mut s = format!("Values matching the regular expression `{r}`");
            if let Some(v) = self.validator {
                s.push_str(&format!(" that pass {} (`{}`)", v.describe(), v.name()));
            }
            what.push(s);
        }
        if let Some((entries, _, mode)) = &self.dictionary {
            what.push(match mode {
                MatchMode::Equals => format!(
                    "Values equal to one of {} dictionary entries",
                    entries.len()
                ),
                MatchMode::Contains => {
                    format!(
                        "Values containing one of {} dictionary entries",
                        entries.len()
                    )
                }
            });
        }
        let hints = if self.hints.is_empty() {
            String::from("No column-name hints.")
        } else {
            format!(
                "Column-name hints: {}.",
                self.hints
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let why = match (self.is_pi, self.is_sensitive) {
            (true, true) => "Declared as sensitive personal information.",
            (true, false) => "Declared as personal information.",
            _ => "Declared as not personal information.",
        };
        format!(
            "{} ({}), a custom classifier loaded from `{origin}`.\n\n\
             ## What it detects\n\n{}.\n{hints}\n\n\
             ## Why it matters\n\n{why}\n\n\
             ## Examples\n\nNone given in the configuration.\n\n\
             ## Known false positives\n\nNot documented; add a `docs` entry to the configuration.\n",
            self.name_en,
            self.name_zh,
            what.join("; or "),
        )
    }

    fn finish(mut self, origin: &str) -> CustomClassifier {
        let prefilter = self.prefilter();
        let docs = match self.docs.take() {
            Some(d) => d,
            None => self.generated_docs(origin),
        };
        let hint = (!self.hints.is_empty()).then(|| {
            self.hints
                .iter()
                .map(|h| regex::escape(h))
                .collect::<Vec<_>>()
                .join("|")
        });
        // Field by field on top of `new` rather than a struct literal, so
        // that fields added to `CategoryInfo` later keep their defaults.
        let mut info = CategoryInfo::new(CategoryId::new(self.id), self.name_zh, self.name_en);
        info.is_pi = self.is_pi;
        info.is_sensitive = self.is_sensitive;
        info.gbt43697_class = self.gbt43697_class.unwrap_or_default().into();
        info.vehicle_item = self.vehicle_item.map(Into::into);
        CustomClassifier {
            info,
            prefilter,
            regex: self.regex,
            validate_group: self.validate_group,
            validator: self.validator,
            dictionary: self.dictionary.map(|(_, ac, mode)| (ac, mode)),
            hint,
            min_ratio: self.min_ratio,
            mask: self.mask,
            mask_keep: self.mask_keep,
            free_text: self.free_text,
            docs,
        }
    }
}

// ---------------------------------------------------------------------------
// The classifier

/// A classifier built from one `[[classifier]]` table.
struct CustomClassifier {
    info: CategoryInfo,
    prefilter: String,
    /// Anchored copy of the user's regex, used by `confirm` to tell regex
    /// hits from dictionary hits and to extract the `validate` group.
    regex: Option<Regex>,
    validate_group: bool,
    validator: Option<Validator>,
    dictionary: Option<(AhoCorasick, MatchMode)>,
    hint: Option<String>,
    min_ratio: (f64, f64),
    mask: MaskMode,
    mask_keep: usize,
    free_text: bool,
    docs: String,
}

impl fmt::Debug for CustomClassifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomClassifier")
            .field("id", &self.info.id)
            .finish_non_exhaustive()
    }
}

impl CustomClassifier {
    fn regex_hit(&self, value: &str) -> bool {
        let Some(re) = &self.regex else {
            return false;
        };
        let Some(validator) = self.validator else {
            return re.is_match(value);
        };
        let Some(caps) = re.captures(value) else {
            return false;
        };
        match caps.name("validate").filter(|_| self.validate_group) {
            Some(m) => validator.check(m.as_str()),
            None => {
                let compact: String = value.chars().filter(|&c| c != ' ' && c != '-').collect();
                validator.check(&compact)
            }
        }
    }

    fn dictionary_hit(&self, value: &str) -> bool {
        let Some((ac, mode)) = &self.dictionary else {
            return false;
        };
        match mode {
            MatchMode::Contains => ac.is_match(value),
            // Leftmost-longest from the start: the longest entry that is a
            // prefix of the value covers all of it iff the value is an entry.
            MatchMode::Equals => ac
                .find(Input::new(value).anchored(Anchored::Yes))
                .is_some_and(|m| m.end() == value.len()),
        }
    }
}

impl Classifier for CustomClassifier {
    fn id(&self) -> CategoryId {
        self.info.id.clone()
    }

    fn info(&self) -> CategoryInfo {
        self.info.clone()
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(&self.prefilter)
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        (self.regex_hit(value) || self.dictionary_hit(value)).then_some(1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        if self.free_text {
            self.confirm(token)
        } else {
            None
        }
    }

    fn min_ratio(&self) -> (f64, f64) {
        self.min_ratio
    }

    fn mask(&self, value: &str) -> String {
        mask(value, self.mask, self.mask_keep)
    }

    fn docs(&self) -> &str {
        &self.docs
    }
}

/// Masks `value`, revealing at most `keep` characters on the chosen side(s)
/// and never more than `(n - 1) / 2` of its `n` characters, so evidence can
/// never be (or nearly be) the whole identifier, whatever the configuration.
fn mask(value: &str, mode: MaskMode, keep: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let budget = (n.saturating_sub(1)) / 2;
    let (mut head, mut tail) = match mode {
        MaskMode::HeadTail => (keep, keep),
        MaskMode::Head => (keep, 0),
        MaskMode::Tail => (0, keep),
        MaskMode::Full => (0, 0),
    };
    // Reveal at most (n-1)/2 characters, trimming the larger side first
    // (the tail on a tie, since the head is usually the more generic part).
    while head + tail > budget {
        if tail >= head {
            tail -= 1;
        } else {
            head -= 1;
        }
    }
    let mut out = String::with_capacity(value.len());
    out.extend(&chars[..head]);
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(&chars[n - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClassifierSet;

    fn load(text: &str) -> Vec<Box<dyn Classifier>> {
        load_custom_classifiers(text, "t.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn load_err(text: &str) -> CustomClassifierError {
        match load_custom_classifiers(text, "t.toml") {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    fn scan(
        c: Vec<Box<dyn Classifier>>,
        column: &str,
        values: &[&str],
    ) -> Vec<crate::ColumnFinding> {
        let mut b = ClassifierSet::builder().builtins();
        for c in c {
            b = b.with(c);
        }
        let set = b.build().unwrap();
        let mut s = set.column(column);
        for v in values {
            s.push(Some(v));
        }
        s.finish()
    }

    /// A synthetic USCC with a correct check character.
    fn uscc(body: &str) -> String {
        let c = crate::validate::uscc_check_char(body.as_bytes()).unwrap() as char;
        format!("{body}{c}")
    }

    #[test]
    fn id_shape() {
        for ok in ["acme.employee_no", "a.b", "x1.y_2"] {
            assert!(id_is_well_formed(ok), "{ok}");
        }
        for bad in [
            "acme", "Acme.x", "acme.", ".x", "acme.1x", "a.b.c", "a-b.c", "_a.b",
        ] {
            assert!(!id_is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn masking() {
        assert_eq!(mask("EMP00012345", MaskMode::HeadTail, 2), "EM*******45");
        assert_eq!(mask("EMP00012345", MaskMode::Head, 3), "EMP********");
        assert_eq!(mask("EMP00012345", MaskMode::Tail, 4), "*******2345");
        assert_eq!(mask("EMP00012345", MaskMode::Full, 2), "***********");
        assert_eq!(mask("沪一工厂", MaskMode::HeadTail, 2), "沪***");
        assert_eq!(mask("abc", MaskMode::Tail, 2), "**c");
        assert_eq!(mask("a", MaskMode::HeadTail, 2), "*");
        assert_eq!(mask("", MaskMode::HeadTail, 2), "");
    }

    #[test]
    fn validator_group_and_whole_value() {
        // 79927398713 passes Luhn; ...10 does not.
        let c = load(
            r#"
            [[classifier]]
            id = "acme.card_ref"
            name_zh = "卡号引用"
            name_en = "Card reference"
            pi = true
            regex = "CR(?P<validate>[0-9]{11})"
            validator = "luhn"
            "#,
        );
        assert_eq!(c[0].confirm("CR79927398713"), Some(1.0));
        assert_eq!(c[0].confirm("CR79927398710"), None);
        // Free-text search is opt-in.
        assert_eq!(c[0].confirm_free_text("CR79927398713"), None);
        let c = load(
            r#"
            [[classifier]]
            id = "acme.luhn_no"
            name_zh = "号码"
            name_en = "Number"
            pi = false
            regex = "[0-9 -]{11,14}"
            validator = "luhn"
            free_text = true
            "#,
        );
        assert_eq!(c[0].confirm_free_text("79927398713"), Some(1.0));
        assert_eq!(c[0].confirm("7992-7398-713"), Some(1.0));
        assert_eq!(c[0].confirm("7992-7398-710"), None);
    }

    #[test]
    fn uscc_validator_through_the_engine() {
        let c = load(
            r#"
            [[classifier]]
            id = "acme.supplier_code"
            name_zh = "供应商信用代码"
            name_en = "Supplier credit code"
            pi = false
            regex = "[0-9A-HJ-NP-RTUW-Y]{18}"
            ignore_case = true
            validator = "gb32100"
            column_hints = ["gys_uscc", "供应商信用代码"]
            mask = "keep_head"
            mask_keep = 8
            "#,
        );
        let codes: Vec<String> = ["91310115MA1H7AAA", "92440300MA5F0BBB", "12100000400000CC"]
            .iter()
            .enumerate()
            .map(|(i, b)| uscc(&format!("{b}{i}")))
            .collect();
        let values: Vec<&str> = codes.iter().map(String::as_str).collect();
        assert_eq!(c[0].confirm(&codes[1].to_ascii_lowercase()), Some(1.0));
        let wrong = format!(
            "{}{}",
            &codes[0][..17],
            if codes[0].ends_with('0') { '1' } else { '0' }
        );
        assert_eq!(c[0].confirm(&wrong), None);
        let f = scan(c, "gys_uscc", &values);
        let f = f
            .iter()
            .find(|f| f.category == "acme.supplier_code")
            .unwrap_or_else(|| panic!("{f:?}"));
        assert_eq!(f.by, vec!["value", "column_name"]);
        assert_eq!(f.matched, 3);
        assert_eq!(f.evidence[0], format!("{}**********", &codes[0][..8]));
    }

    #[test]
    fn dictionary_equals_and_contains() {
        let c = load(
            r#"
            [[classifier]]
            id = "acme.plant"
            name_zh = "工厂代号"
            name_en = "Plant code"
            pi = false
            dictionary = ["沪一工厂", "  Plant-B ", "" ]
            ignore_case = true

            [[classifier]]
            id = "acme.project"
            name_zh = "项目代号"
            name_en = "Project codename"
            pi = false
            dictionary = ["青鸟计划"]
            match = "contains"
            "#,
        );
        assert_eq!(c[0].confirm("沪一工厂"), Some(1.0));
        assert_eq!(c[0].confirm("plant-b"), Some(1.0));
        assert_eq!(c[0].confirm("沪一工厂二"), None);
        assert_eq!(c[0].confirm("Plant"), None);
        assert_eq!(c[1].confirm("关于青鸟计划的周报"), Some(1.0));
        assert_eq!(c[1].confirm("青鸟"), None);
        let f = scan(c, "remark", &["关于青鸟计划的周报", "青鸟计划评审"]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].category, "acme.project");
    }

    #[test]
    fn large_dictionary_uses_the_automaton_only() {
        let entries: Vec<String> = (0..1000).map(|i| format!("\"K{i:05}\"")).collect();
        let text = format!(
            "[[classifier]]\nid = \"acme.k\"\nname_zh = \"代码\"\nname_en = \"Code\"\npi = false\ndictionary = [{}]\n",
            entries.join(", ")
        );
        let c = load(&text);
        assert_eq!(c[0].value_pattern(), Some("(?s:.+)"));
        let f = scan(c, "x", &["K00999", "K00001", "K00500"]);
        assert_eq!(f[0].category, "acme.k");
        assert_eq!(f[0].matched, 3);
    }

    #[test]
    fn dictionary_file_goes_through_the_resolver() {
        let text = r#"
            [[classifier]]
            id = "acme.dept"
            name_zh = "部门"
            name_en = "Department"
            pi = false
            dictionary_file = "dept.txt"
        "#;
        let e = load_err(text);
        assert!(
            matches!(e.kind(), CustomErrorKind::DictionaryFile { .. }),
            "{e}"
        );
        assert_eq!(e.line(), Some(7));
        let c = load_custom_classifiers_with(text, "t.toml", &|p| {
            assert_eq!(p, "dept.txt");
            Ok("# departments\n研发一部\n\n  销售二部  \n".to_owned())
        })
        .unwrap();
        assert_eq!(c[0].confirm("销售二部"), Some(1.0));
        assert_eq!(c[0].confirm("# departments"), None);
    }

    #[test]
    fn min_ratio_and_generated_docs() {
        let c = load(
            r#"
            [[classifier]]
            id = "acme.x"
            name_zh = "甲"
            name_en = "X"
            pi = true
            sensitive = true
            gbt43697_class = "个人身份信息"
            vehicle_item = "第三条第（五）项"
            regex = "X[0-9]{4}"
            validator = "luhn"
            min_ratio = 0.9
            column_hints = ["XCode", "甲号"]
            "#,
        );
        assert_eq!(c[0].min_ratio(), (0.9, 0.3));
        assert_eq!(c[0].column_hint(), Some("x_code|甲号"));
        let info = c[0].info();
        assert!(info.is_sensitive);
        assert_eq!(info.gbt43697_class, "个人身份信息");
        assert_eq!(info.vehicle_item.as_deref(), Some("第三条第（五）项"));
        let docs = c[0].docs();
        for h in [
            "## What it detects",
            "## Why it matters",
            "## Examples",
            "## Known false positives",
        ] {
            assert!(docs.contains(h), "{docs}");
        }
        assert!(docs.contains("Luhn"), "{docs}");
    }

    /// Each load owns its strings (nothing is leaked or shared between
    /// loads), and the metadata is what the file says.
    #[test]
    fn loaded_metadata_is_owned_per_load() {
        let text = "[[classifier]]\nid = \"acme.same\"\nname_zh = \"同\"\nname_en = \"Same\"\npi = false\nregex = \"S[0-9]\"\ndocs = \"Own docs\"\n";
        let a = load(text);
        let b = load(text);
        let ia = a[0].info();
        assert_eq!(ia.id, "acme.same");
        assert_eq!((ia.name_zh.as_ref(), ia.name_en.as_ref()), ("同", "Same"));
        assert_eq!(a[0].docs(), "Own docs");
        assert!(!std::ptr::eq(a[0].docs(), b[0].docs()));
    }

    #[test]
    fn errors_name_file_line_and_id() {
        let cases: &[(&str, usize, Option<&str>, &str)] = &[
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\ncolum_hints = [\"x\"]\n",
                7,
                Some("a.b"),
                "unknown field `colum_hints`",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nvalidator = \"mod97\"\n",
                7,
                Some("a.b"),
                "allowed: luhn, gb11643, iso3779, gb32100",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\n",
                2,
                Some("a.b"),
                "needs `regex`, `dictionary` or `dictionary_file`",
            ),
            (
                "[[classifier]]\nid = \"A.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n",
                2,
                Some("A.b"),
                "family.name",
            ),
            (
                "[[classifier]]\nid = \"pi.mobile_phone\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n",
                2,
                Some("pi.mobile_phone"),
                "built-in",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = false\nsensitive = true\nregex = \"x\"\n",
                6,
                Some("a.b"),
                "requires pi = true",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\ndictionary = [\"x\"]\nvalidator = \"luhn\"\n",
                7,
                Some("a.b"),
                "validator needs a regex",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nmin_ratio = 1.5\n",
                7,
                Some("a.b"),
                "min_ratio",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nmask = \"none\"\n",
                7,
                Some("a.b"),
                "allowed: keep_head_tail",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nmatch = \"contains\"\n",
                7,
                Some("a.b"),
                "dictionaries only",
            ),
            (
                "[[classifier]]\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n",
                1,
                Some("#1 (no id)"),
                "missing field `id`",
            ),
            (
                "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = \"yes\"\nregex = \"x\"\n",
                5,
                Some("a.b"),
                "invalid type",
            ),
            ("version = 2\n", 1, None, "unknown field `version`"),
            ("[[classifier]\n", 1, None, ""),
        ];
        for (text, line, id, needle) in cases {
            let e = load_err(text);
            let shown = e.to_string();
            assert_eq!(e.origin(), "t.toml");
            assert_eq!(e.line(), Some(*line), "{shown}");
            assert_eq!(e.classifier(), *id, "{shown}");
            assert!(shown.starts_with(&format!("t.toml line {line}")), "{shown}");
            assert!(shown.contains(needle), "{shown}");
        }
    }

    #[test]
    fn regex_error_points_at_the_regex() {
        let e = load_err(
            "\n[[classifier]]\nid = \"acme.bad\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"EMP[0-9\"\n",
        );
        assert!(matches!(e.kind(), CustomErrorKind::Regex(_)));
        let shown = e.to_string();
        assert!(
            shown.starts_with("t.toml line 7, classifier 'acme.bad': regex does not compile:"),
            "{shown}"
        );
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn duplicate_in_file() {
        let e = load_err(
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n\n\
             [[classifier]]\nid = \"a.b\"\nname_zh = \"乙\"\nname_en = \"B\"\npi = true\nregex = \"y\"\n",
        );
        assert_eq!(
            e.to_string(),
            "t.toml line 9, classifier 'a.b': duplicate id, first defined at line 2"
        );
    }

    #[test]
    fn empty_file_is_fine() {
        assert!(load("# nothing yet\n").is_empty());
    }
}
