//! The TOML schema of a classifier file, exactly as written: every key
//! keeps its span so that semantic errors can name a line.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default)]
    pub(super) classifier: Vec<Spanned<RawClassifier>>,
}

/// Every key keeps its span so that semantic errors can name a line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClassifier {
    pub(super) id: Spanned<String>,
    pub(super) name_zh: Spanned<String>,
    pub(super) name_en: Spanned<String>,
    pub(super) pi: bool,
    pub(super) identifies_person: Option<Spanned<bool>>,
    pub(super) sensitive: Option<Spanned<bool>>,
    pub(super) gbt43697_class: Option<Spanned<String>>,
    pub(super) vehicle_item: Option<String>,
    pub(super) regex: Option<Spanned<String>>,
    pub(super) dictionary: Option<Spanned<Vec<String>>>,
    pub(super) dictionary_file: Option<Spanned<String>>,
    #[serde(rename = "match")]
    pub(super) match_mode: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) ignore_case: bool,
    pub(super) validator: Option<Spanned<String>>,
    pub(super) column_hints: Option<Spanned<Vec<String>>>,
    pub(super) min_ratio: Option<Spanned<f64>>,
    pub(super) mask: Option<Spanned<String>>,
    pub(super) mask_keep: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) free_text: bool,
    pub(super) docs: Option<String>,
}
