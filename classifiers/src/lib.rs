//! Value and column-name classifiers for Chinese personal information (PI)
//! and vehicle data.
//!
//! This crate does no I/O. A caller (the scanner) samples values from a
//! column, feeds them to a [`ColumnScan`] and gets back a list of
//! [`ColumnFinding`]s, one per category that the column appears to hold.
//!
//! # Design: prefilter, then confirm
//!
//! Every [`Classifier`] contributes two regular expressions:
//!
//! * a loose **value pattern** ([`Classifier::value_pattern`]) describing the
//!   shape of a candidate value, and
//! * an optional **column hint** ([`Classifier::column_hint`]) matched against
//!   the normalised column name (see [`normalize_column_name`]).
//!
//! When a [`ClassifierSet`] is built, all value patterns are anchored and
//! compiled into *one* [`regex::RegexSet`], and all column hints into another.
//! Per value the engine trims it, runs the value set once (a single pass that
//! reports every pattern that matched), and calls [`Classifier::confirm`] only
//! for the classifiers whose pattern matched. `confirm` runs the expensive,
//! exact checks: check digits (MOD 11-2, Luhn, ISO 3779), calendar dates,
//! surname tables and so on. The prefilter may produce false positives but
//! must never produce false negatives: anything `confirm` would accept has to
//! match the value pattern.
//!
//! Column names are evaluated once per column, not once per value.
//!
//! # Column verdicts
//!
//! For each classifier the engine sums the confirm weights and divides by the
//! number of non-null values sampled. If that ratio reaches the classifier's
//! [`Classifier::min_ratio`] (the lower threshold applies when the column
//! name matched the hint), a finding with `by = ["value"]` or
//! `by = ["value", "column_name"]` is produced. A column-name hint on its own
//! only produces a (low-confidence, 0.3) finding when the column held no
//! non-null values at all: when values are present, values win.
//!
//! Some identifiers overlap in shape (an 18-digit resident ID can also pass
//! Luhn). Built-in numeric identifiers form an exclusive group with a fixed
//! priority: the first of them that confirms a value claims it, and the others
//! do not count it.
//!
//! # Adding a built-in classifier
//!
//! 1. Create `src/builtin/<snake_name>.rs` with a unit struct implementing
//!    [`Classifier`]. Give the type a doc comment with the headings
//!    `## What it detects`, `## Why it matters`, `## Examples` and
//!    `## Known false positives`, and return the same text from
//!    [`Classifier::docs`] (the existing files show the `doc_text!` idiom).
//! 2. Add one line to `CLASSIFIERS` in `src/builtin/mod.rs` (and, if it is a
//!    numeric identifier that can collide with others, to `EXCLUSIVE`).
//! 3. Put unit tests with known-good and known-bad synthetic values at the
//!    bottom of the file. The table tests in `builtin/mod.rs` then check the
//!    id, the patterns and the docs automatically.
//!
//! Classifiers from other crates need no change here:
//! `ClassifierSet::builder().builtins().with(Box::new(MyClassifier)).build()`.
//!
//! # Example
//!
//! ```
//! use classifiers::ClassifierSet;
//!
//! let set = ClassifierSet::builtin();
//! let mut scan = set.column("contact_mobile");
//! for v in ["13800138000", "+86 139-0000-0001", "", "15012345678"] {
//!     scan.push(Some(v));
//! }
//! scan.push(None);
//! let findings = scan.finish();
//! assert_eq!(findings[0].category, "pi.mobile_phone");
//! assert_eq!(findings[0].sampled, 3);
//! assert!(findings[0].evidence.iter().all(|e| e.contains('*')));
//! ```
#![warn(missing_docs)]

mod builtin;
mod engine;
mod normalize;
pub mod validate;

pub use builtin::{BankCard, EmailAddress, LicensePlate, MobilePhone, PersonName, ResidentId, Vin};
pub use engine::{BuildError, ClassifierSet, ClassifierSetBuilder, ColumnFinding, ColumnScan};
pub use normalize::normalize_column_name;

/// Stable metadata describing the category a classifier detects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CategoryInfo {
    /// Stable id, `family.snake_name`, e.g. `pi.cn_resident_id`. Never reused.
    pub id: &'static str,
    /// Chinese display name, e.g. `居民身份证号`.
    pub name_zh: &'static str,
    /// English display name.
    pub name_en: &'static str,
    /// Whether values of this category are personal information.
    pub is_pi: bool,
    /// Whether values of this category are *sensitive* personal information
    /// (PIPL Art. 28, e.g. financial accounts).
    pub is_sensitive: bool,
}

/// A detector for one category of data.
///
/// # Contract
///
/// * Required: [`info`](Classifier::info), [`value_pattern`](Classifier::value_pattern),
///   [`confirm`](Classifier::confirm), [`column_hint`](Classifier::column_hint)
///   and [`mask`](Classifier::mask). Everything else has a default.
/// * `value_pattern` is a prefilter. It is anchored by the engine
///   (`^(?:pattern)$`) and run against the trimmed value together with every
///   other classifier's pattern in one [`regex::RegexSet`]. **A prefilter may
///   give false positives, never false negatives**: every value that
///   `confirm` accepts must match it.
/// * `confirm` is only called for values that matched the prefilter. It must
///   be pure, must not panic on any input, and returns a weight in `(0, 1]`.
/// * `mask` must never reveal the whole identifier; its output is the only
///   form in which values leave the engine (as evidence).
/// * Classification never fails: only building a [`ClassifierSet`] can
///   (invalid patterns, duplicate ids).
///
/// # Example
///
/// ```
/// use classifiers::{CategoryInfo, Classifier, ClassifierSet};
///
/// struct EmployeeNo;
/// impl Classifier for EmployeeNo {
///     fn info(&self) -> CategoryInfo {
///         CategoryInfo { id: "acme.employee_no", name_zh: "工号", name_en: "Employee number",
///                        is_pi: true, is_sensitive: false }
///     }
///     fn value_pattern(&self) -> Option<&str> { Some("EMP[0-9]{6}") }
///     fn confirm(&self, _value: &str) -> Option<f64> { Some(1.0) }
///     fn column_hint(&self) -> Option<&str> { Some("gh|emp_no|工号") }
///     fn mask(&self, value: &str) -> String { format!("{}******", &value[..3]) }
/// }
///
/// let set = ClassifierSet::builder().builtins().with(Box::new(EmployeeNo)).build().unwrap();
/// let mut scan = set.column("emp_no");
/// scan.push(Some("EMP000123"));
/// let findings = scan.finish();
/// assert_eq!(findings[0].category, "acme.employee_no");
/// assert_eq!(findings[0].by, vec!["value", "column_name"]);
/// ```
pub trait Classifier: Send + Sync {
    /// Stable id, e.g. `"pi.cn_resident_id"`. Defaults to `info().id`.
    fn id(&self) -> &str {
        self.info().id
    }

    /// Category metadata (id, names, PI and sensitivity flags).
    fn info(&self) -> CategoryInfo;

    /// A loose whole-value regex used in the shared prefilter. No anchors are
    /// needed; the engine adds them. `None` means the classifier only works
    /// on column names.
    fn value_pattern(&self) -> Option<&str>;

    /// Confirms a trimmed, non-empty candidate that matched the prefilter.
    /// `None` rejects it; `Some(w)` with `w` in `(0, 1]` accepts it with
    /// weight `w` (e.g. 0.5 for a plausible value without a check digit).
    fn confirm(&self, value: &str) -> Option<f64>;

    /// Column-name hint regex, matched against the output of
    /// [`normalize_column_name`]. The engine requires the match to sit on
    /// token boundaries (`_`, start, end, or a neighbouring Han character),
    /// so short hints such as `xm` do not fire inside longer words.
    fn column_hint(&self) -> Option<&str>;

    /// Minimum share of non-null values that must confirm for a value-based
    /// verdict, `(without column hint, with column hint)`.
    fn min_ratio(&self) -> (f64, f64) {
        (0.6, 0.3)
    }

    /// Masked rendering for evidence. Must never reveal the whole identifier.
    fn mask(&self, value: &str) -> String;

    /// Long-form documentation (Markdown with the headings
    /// `## What it detects`, `## Why it matters`, `## Examples`,
    /// `## Known false positives`), printed by `mulu classifiers explain`.
    fn docs(&self) -> &'static str {
        ""
    }
}

/// Lets `&'static` built-ins (and any borrowed classifier) be stored as
/// `Box<dyn Classifier>` without copying.
impl<T: Classifier + ?Sized> Classifier for &T {
    fn id(&self) -> &str {
        (**self).id()
    }
    fn info(&self) -> CategoryInfo {
        (**self).info()
    }
    fn value_pattern(&self) -> Option<&str> {
        (**self).value_pattern()
    }
    fn confirm(&self, value: &str) -> Option<f64> {
        (**self).confirm(value)
    }
    fn column_hint(&self) -> Option<&str> {
        (**self).column_hint()
    }
    fn min_ratio(&self) -> (f64, f64) {
        (**self).min_ratio()
    }
    fn mask(&self, value: &str) -> String {
        (**self).mask(value)
    }
    fn docs(&self) -> &'static str {
        (**self).docs()
    }
}
