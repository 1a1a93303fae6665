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
//! form one prefilter, and all column hints one [`regex::RegexSet`]. Per value
//! the engine trims it, rules out every pattern that the value's length and
//! bytes cannot match (a table derived from each pattern's syntax: its
//! shortest and longest match, the bytes it can produce, the bytes it
//! requires), walks one small DFA of the remaining candidates to the value's
//! end, and calls [`Classifier::confirm`] only for the classifiers whose
//! pattern matched: exactly the patterns an overlapping `RegexSet` search
//! would report. `confirm` runs the expensive,
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
//! Some categories need context to mean anything: `1`/`2` are a sex only
//! in a `gender` column, a date is a birth date only in a `birthday` column,
//! a bare `31.2304` is a latitude only in a `lat` column. Such classifiers
//! override [`Classifier::confirm_hinted`], which the engine calls instead
//! of `confirm` when the column name matched their hint.
//!
//! Categories whose values cannot be checked at all (biometric templates,
//! diagnoses) implement [`Classifier::name_only_confidence`]: the column name
//! and type ([`ClassifierSet::column_typed`]) give a verdict of at most 0.6,
//! and values, where present, can only veto it. For every value-checkable
//! category a name on its own never gives more than 0.3.
//!
//! # Column evidence
//!
//! Some identifiers have no check digit and share their shape with product
//! and ticket codes (`E`/`G` + 8 digits is an older passport or a SKU), so
//! one value weighs little and a column of them never reaches the share
//! it needs. Such classifiers implement [`Classifier::uniform_shape`]. A
//! column is then accepted on what the values say together: at least 8 of
//! them, (nearly) every one confirmed and of one single format, at least
//! 90 % distinct, not a sequence (sorted serials do not step by small
//! gaps, as order numbers do), and no other category found in the column.
//! Such a finding has `by = ["value", "uniform_shape"]` and confidence 0.8;
//! a matching column name gives the usual value verdict instead, which is
//! more confident.
//!
//! # Overlapping identifiers
//!
//! Some identifiers overlap in shape (an 18-digit resident ID can also pass
//! Luhn; a 15-digit number can be an old resident ID and a Luhn-valid
//! IMEI). Built-in numeric identifiers form an exclusive group with a fixed
//! priority. A value that one member confirms counts for that member only;
//! a value that several confirm goes to the one the rest of the column
//! supports (the most values only it confirmed), then to the one whose hint
//! matched, then to the first in priority.
//!
//! # Free text
//!
//! Values that read like prose (longer than 40 characters, or with spaces,
//! punctuation, or Han characters mixed with Latin letters or digits) are
//! also searched for embedded identifiers, in text and unknown-type columns
//! only. One regex pass per value cuts out candidate tokens whose neighbours
//! are not ASCII letters or digits (so `请联系13812345678谢谢` yields a phone,
//! while the same digits inside a longer number do not); each token then
//! goes through the shared prefilter and [`Classifier::confirm_free_text`]
//! of the classifiers that opt in. When the column as a whole reads like
//! text, each category found becomes a finding with `by = ["free_text"]`
//! and `matched / sampled` = the share of rows that contain it.
//!
//! Names and addresses have no shape of their own, so in text with Han
//! characters they are looked for after the words that introduce them
//! (`客户王建国来电`, `收货人：…`, `地址为…`, `送到…`) and confirmed by the
//! name and address classifiers; a name must be followed by punctuation or a
//! word that goes on the sentence (来电, 反映, 要求 …), and a surname with a
//! form of address (王先生) is no name. They count as free-text rows too.
//!
//! # Adding a built-in classifier
//!
//! 1. Declare the category id in `model::ids` (`model/src/category.rs`), so
//!    every crate names it by a constant.
//! 2. Create `src/builtin/<snake_name>.rs` with a unit struct implementing
//!    [`Classifier`]. Give the type a doc comment with the headings
//!    `## What it detects`, `## Why it matters`, `## Examples` and
//!    `## Known false positives`, and return the same text from
//!    [`Classifier::docs`] (the existing files show the `doc_text!` idiom).
//! 3. Add one line to the `builtins!` list in `src/builtin/mod.rs` (and, if
//!    it is a numeric identifier that can collide with others, to
//!    `EXCLUSIVE`).
//! 4. Put unit tests with known-good and known-bad synthetic values at the
//!    bottom of the file. The table tests in `builtin/mod.rs` then check the
//!    id, the patterns and the docs automatically.
//! 5. If a value names one natural person and should count towards the
//!    persons thresholds, implement [`Classifier::person_key_into`] (the
//!    canonical form persons are keyed by, `false` for what `confirm`
//!    rejects) and map it from its `IdentifierKind` in
//!    `persons/src/normalize.rs`.
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

use std::borrow::Cow;

mod builtin;
mod custom;
mod decimal;
mod engine;
mod fast_hash;
mod normalize;
mod person_key;
mod tables;
pub mod validate;

pub use builtin::{
    Address, BankCard, Biometric, BirthDate, Coordinate, DeviceId, EmailAddress, Ethnicity, Gender,
    Health, IpAddress, LicensePlate, MobilePhone, Passport, PersonName, ResidentId, TravelPermit,
    Uscc, Vin,
};
pub use custom::{
    load_custom_classifiers, load_custom_classifiers_with, CustomClassifierError, CustomErrorKind,
    VALIDATORS,
};
pub use engine::{
    comment_label, Axis, BuildError, ClassifierSet, ClassifierSetBuilder, ColumnFinding,
    ColumnScan, EpochUnit, ValueProfile,
};
pub use model::{ids, CategoryId, ColumnType, TypeFamily};
pub use normalize::normalize_column_name;
pub use person_key::{PersonKeyBuf, MAX_PERSON_KEY_LEN};
pub use tables::{
    ai_ids, classify_table, classify_table_named, classify_table_profiled, table_categories,
    TableCategoryInfo, TableColumn, TableFinding,
};

/// Stable metadata describing the category a classifier detects.
///
/// Built-ins describe themselves with `&'static` text; classifiers loaded at
/// run time (company TOML files) own theirs, so the text fields are
/// [`Cow`]s and nothing has to be leaked to look static. Build it with
/// [`CategoryInfo::new`] and the setters, or with a struct literal ending in
/// `..CategoryInfo::DEFAULT`, so that code outside this crate keeps compiling
/// when fields are added:
///
/// ```
/// use classifiers::{CategoryId, CategoryInfo};
///
/// let work_permit = CategoryInfo::new("acme.work_permit", "工作许可证号", "Work permit number")
///     .personal("个人身份信息");
/// assert!(work_permit.is_pi && !work_permit.is_sensitive);
///
/// let track = CategoryInfo {
///     id: CategoryId::new("acme.track"),
///     name_zh: "行驶轨迹".into(),
///     name_en: String::from("Vehicle track").into(),
///     ..CategoryInfo::DEFAULT
/// }
/// .sensitive("个人位置信息")
/// .vehicle("第三条第（一）项");
/// assert!(track.is_pi && track.is_sensitive);
/// assert_eq!(track.vehicle_item.as_deref(), Some("第三条第（一）项"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CategoryInfo {
    /// Stable id, `family.snake_name`, e.g. `pi.cn_resident_id`. Never reused.
    pub id: CategoryId,
    /// Chinese display name, e.g. `居民身份证号`.
    pub name_zh: Cow<'static, str>,
    /// English display name.
    pub name_en: Cow<'static, str>,
    /// Whether values of this category are personal information.
    pub is_pi: bool,
    /// Whether values of this category are *sensitive* personal information
    /// (PIPL Art. 28: biometrics, medical and health, financial accounts,
    /// tracks and precise location, …). An identity-document number on its
    /// own is general PI.
    pub is_sensitive: bool,
    /// The first-level PI class of GB/T 43697-2024 Appendix B the category
    /// belongs to (`个人基本资料`, `个人身份信息`, `个人生物识别信息`,
    /// `网络身份标识信息`, `个人健康生理信息`, `个人财产信息`,
    /// `个人设备信息`, `个人位置信息`, …); empty when the category is not PI.
    pub gbt43697_class: Cow<'static, str>,
    /// The item of Art. 3 of 《汽车数据安全管理若干规定（试行）》 that a
    /// column of this category helps to establish in vehicle data, e.g.
    /// `第三条第（五）项` (PI of more than 100 000 persons) for identifiers
    /// that count persons, `第三条第（一）项` for coordinates. `None` when
    /// the category plays no direct part in those items.
    pub vehicle_item: Option<Cow<'static, str>>,
}

impl CategoryInfo {
    /// All fields empty, `false` or `None`; the base for struct literals
    /// (`CategoryInfo { id: …, ..CategoryInfo::DEFAULT }`).
    pub const DEFAULT: CategoryInfo = CategoryInfo {
        id: CategoryId::from_static(""),
        name_zh: Cow::Borrowed(""),
        name_en: Cow::Borrowed(""),
        is_pi: false,
        is_sensitive: false,
        gbt43697_class: Cow::Borrowed(""),
        vehicle_item: None,
    };

    /// A category that is not personal information (until
    /// [`personal`](Self::personal) or [`sensitive`](Self::sensitive) says
    /// otherwise).
    pub fn new(
        id: impl Into<CategoryId>,
        name_zh: impl Into<Cow<'static, str>>,
        name_en: impl Into<Cow<'static, str>>,
    ) -> Self {
        CategoryInfo {
            id: id.into(),
            name_zh: name_zh.into(),
            name_en: name_en.into(),
            ..Self::DEFAULT
        }
    }

    /// Marks the category as general personal information of the given
    /// GB/T 43697 Appendix B class.
    pub fn personal(mut self, gbt43697_class: impl Into<Cow<'static, str>>) -> Self {
        self.is_pi = true;
        self.is_sensitive = false;
        self.gbt43697_class = gbt43697_class.into();
        self
    }

    /// Marks the category as sensitive personal information of the given
    /// GB/T 43697 Appendix B class.
    pub fn sensitive(mut self, gbt43697_class: impl Into<Cow<'static, str>>) -> Self {
        self.is_pi = true;
        self.is_sensitive = true;
        self.gbt43697_class = gbt43697_class.into();
        self
    }

    /// Records the vehicle-data Art. 3 item the category supports.
    pub fn vehicle(mut self, item: impl Into<Cow<'static, str>>) -> Self {
        self.vehicle_item = Some(item.into());
        self
    }
}

/// 《汽车数据安全管理若干规定（试行）》 Art. 3 item (一): geographic
/// information and people or vehicle flow of important sensitive areas.
pub const VEHICLE_ART3_ITEM_1: &str = "第三条第（一）项";
/// 《汽车数据安全管理若干规定（试行）》 Art. 3 item (五): personal
/// information of more than 100 000 persons.
pub const VEHICLE_ART3_ITEM_5: &str = "第三条第（五）项";

/// A detector for one category of data.
///
/// # Contract
///
/// * Required: [`info`](Classifier::info), [`value_pattern`](Classifier::value_pattern),
///   [`confirm`](Classifier::confirm), [`column_hint`](Classifier::column_hint)
///   and [`mask`](Classifier::mask). Everything else has a default.
/// * `value_pattern` is a prefilter. It is anchored by the engine
///   (`^(?:pattern)$`) and run against the trimmed value together with every
///   other classifier's pattern, as one [`regex::RegexSet`] would. **A prefilter may
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
///         CategoryInfo::new("acme.employee_no", "工号", "Employee number").personal("个人教育工作信息")
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
    /// Stable id, e.g. [`ids::CN_RESIDENT_ID`]. Defaults to `info().id`.
    fn id(&self) -> CategoryId {
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

    /// Confirms a candidate when the column name matched
    /// [`column_hint`](Classifier::column_hint); the engine calls it *instead
    /// of* [`confirm`](Classifier::confirm) for such columns. Defaults to
    /// `confirm`. Override it for values that only mean something in
    /// context: `1`/`2` in a `gender` column, a date in a `birthday` column,
    /// a bare number in a `lat` column. The prefilter contract covers it
    /// too: whatever it accepts must match the value pattern.
    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        self.confirm(value)
    }

    /// Confirms a token cut out of free text (a remark, a JSON string). The
    /// engine finds tokens with boundary-aware matching (a token never
    /// starts or ends next to another ASCII letter or digit), runs the shared
    /// prefilter on each token and calls this for the classifiers whose
    /// pattern matched. The default, `None`, keeps the classifier out of
    /// free-text search; opt in only when the value check is strong enough
    /// to be trusted without column context.
    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        let _ = token;
        None
    }

    /// `false` promises that [`confirm`](Classifier::confirm) accepts no
    /// value (values count only under a column hint, through
    /// [`confirm_hinted`](Classifier::confirm_hinted)), so the engine skips
    /// the value pattern in columns without the hint. The default, `true`,
    /// promises nothing.
    fn confirms_without_hint(&self) -> bool {
        true
    }

    /// `false` promises that [`confirm_free_text`](Classifier::confirm_free_text)
    /// accepts no token, so the engine skips the value pattern when it
    /// checks tokens cut out of free text. The default, `true`, promises
    /// nothing.
    fn confirms_free_text(&self) -> bool {
        true
    }

    /// `true` promises that a value this classifier confirms as a whole is one identifier
    /// and holds no other (a plate, a coordinate pair), so the engine does not search such a
    /// value again for identifiers written inside free text. The default, `false`, promises
    /// nothing.
    fn whole_value_holds_one_identifier(&self) -> bool {
        false
    }

    /// For categories whose values cannot be checked (biometric templates,
    /// diagnoses): the confidence of a verdict resting on a matching column
    /// name, given the column's declared type (unknown when the source has
    /// none). `None`, the default, means
    /// a name alone gives only the engine's low hint-only confidence, and
    /// only for a column without values. The engine caps the returned value
    /// at 0.6, and still drops the verdict when the column has values and
    /// fewer than the hinted [`min_ratio`](Classifier::min_ratio) of them
    /// pass [`confirm_hinted`](Classifier::confirm_hinted) (a value check
    /// that rules values *out*, for example hash digests in a `fingerprint`
    /// column).
    fn name_only_confidence(&self, data_type: &ColumnType) -> Option<f64> {
        let _ = data_type;
        None
    }

    /// Minimum share of non-null values that must confirm for a value-based
    /// verdict, `(without column hint, with column hint)`.
    fn min_ratio(&self) -> (f64, f64) {
        (0.6, 0.3)
    }

    /// For identifiers without a check digit whose single values are weak
    /// (`E` + 8 digits is a passport or a product code): the exact format of
    /// a confirmed value as a small number, and its serial part as a number
    /// (`12345678` of `E12345678`). The engine accepts a column that the
    /// weights alone do not carry when every value has one format, the
    /// values are distinct and not a sequence, and no other category
    /// explains the column (see the crate docs, *Column evidence*). The
    /// default, `None`, keeps the classifier out of that.
    fn uniform_shape(&self, value: &str) -> Option<(u8, u64)> {
        let _ = value;
        None
    }

    /// Masked rendering for evidence. Must never reveal the whole identifier.
    fn mask(&self, value: &str) -> String;

    /// For identifiers of one natural person (resident ID, mobile number,
    /// passport, travel permit, e-mail): writes the canonical form of
    /// `value` that persons are counted by into `out` (replacing its
    /// contents), so formatting variants of one identifier count once.
    /// Returns `false`, leaving `out` unspecified, when the value is not a
    /// valid identifier of this category; the default returns `false` for
    /// categories that do not identify a person. It lives here, beside
    /// [`confirm`](Classifier::confirm), so that what a scan reports and
    /// what it counts cannot disagree. The key is text; it is written into
    /// a stack buffer so that counting needs no allocation per value.
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        let _ = (value, out);
        false
    }

    /// For an identifier of the organisation's own (an employee or member number): `true`
    /// makes the persons count use [`person_key_into`](Classifier::person_key_into), which
    /// must then be implemented. The built-in identifiers answer `false`: they are counted
    /// as their own kinds. Declare it only when each value names one person; a PI value
    /// that many persons share (a blood group, a salary) would inflate the count.
    fn identifies_person(&self) -> bool {
        false
    }

    /// [`person_key_into`](Classifier::person_key_into) as a string: the
    /// canonical identifier, or `None`.
    fn person_key(&self, value: &str) -> Option<String> {
        let mut key = PersonKeyBuf::new();
        if !self.person_key_into(value, &mut key) {
            return None;
        }
        String::from_utf8(key.as_bytes().to_vec()).ok()
    }

    /// Long-form documentation (Markdown with the headings
    /// `## What it detects`, `## Why it matters`, `## Examples`,
    /// `## Known false positives`), printed by `mulu classifiers explain`.
    fn docs(&self) -> &str {
        ""
    }
}

/// Lets `&'static` built-ins (and any borrowed classifier) be stored as
/// `Box<dyn Classifier>` without copying.
impl<T: Classifier + ?Sized> Classifier for &T {
    fn id(&self) -> CategoryId {
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
    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        (**self).confirm_hinted(value)
    }
    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        (**self).confirm_free_text(token)
    }
    fn confirms_without_hint(&self) -> bool {
        (**self).confirms_without_hint()
    }
    fn confirms_free_text(&self) -> bool {
        (**self).confirms_free_text()
    }
    fn whole_value_holds_one_identifier(&self) -> bool {
        (**self).whole_value_holds_one_identifier()
    }
    fn name_only_confidence(&self, data_type: &ColumnType) -> Option<f64> {
        (**self).name_only_confidence(data_type)
    }
    fn min_ratio(&self) -> (f64, f64) {
        (**self).min_ratio()
    }
    fn uniform_shape(&self, value: &str) -> Option<(u8, u64)> {
        (**self).uniform_shape(value)
    }
    fn mask(&self, value: &str) -> String {
        (**self).mask(value)
    }
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        (**self).person_key_into(value, out)
    }
    fn identifies_person(&self) -> bool {
        (**self).identifies_person()
    }
    fn person_key(&self, value: &str) -> Option<String> {
        (**self).person_key(value)
    }
    fn docs(&self) -> &str {
        (**self).docs()
    }
}
