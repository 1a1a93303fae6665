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
//! | `identifies_person` | no (false) | each value names one person (an employee or member number): the persons count includes it, linked with the other identifiers in the same rows; requires `pi = true` |
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
//!
//! # Layout
//!
//! `schema` is the TOML as written, `compile` validates one table and
//! builds it (every error that can name a line is raised there), `errors`
//! holds the error types and the offset-to-line lookup, and `classifier` is
//! the compiled [`Classifier`].

use crate::Classifier;

mod classifier;
mod compile;
mod errors;
mod schema;
#[cfg(test)]
mod tests;

use compile::compile;
use errors::Ctx;
pub use errors::{CustomClassifierError, CustomErrorKind};
use schema::RawFile;

/// Names accepted by the `validator` key.
pub const VALIDATORS: &[&str] = &["luhn", "gb11643", "iso3779", "gb32100"];

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
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!(
                "cannot read dictionary file {path:?}: no file resolver was given \
                 (load with load_custom_classifiers_with)"
            ),
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
    resolve: &dyn Fn(&str) -> std::io::Result<String>,
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
