//! The important-data catalogue (重要数据目录): from a scan report and the organisation's
//! configuration to filing items.
//!
//! The scanner knows the carriers, categories and scale; only people know purposes, owners,
//! sharing and cross-border transfers. Those come from `[[catalog.fields]]` rules in
//! `mulu.toml` matched by item, category, source or asset, and whatever no rule fills stays
//! `None` here and shows as 待填写 in the files, so `mulu catalog check` can list it.
//! The catalogue never carries data content: no evidence, no identifiers, no hashes.

mod build;
mod check;
mod config;
mod fields;
mod filing;
mod items;
mod numbers;
mod scale;
#[cfg(test)]
mod tests;

pub use build::{build, CatalogInput, FieldPatternError};
pub use check::{check, Problem};
pub use config::{
    CatalogConfig, FieldMatch, FieldRule, Geofence, Organization, Person, PersonField,
    PersonFieldGetter, PersonFields, PERSON_FIELDS,
};
pub use filing::{Change, FilingType, Refiling};
pub use items::{
    format_catalog_no, Carrier, Catalog, CatalogItem, FilingHeader, Range, Unread,
    UnscannedStorage, VehicleExtension,
};
pub use numbers::assign_numbers;
pub use scale::RecordCount;

/// Schema tag of the JSON catalogue.
/// v2: record counts carry their basis, items a number, the catalogue its filing history.
pub const CATALOG_SCHEMA: &str = "mulu.catalog/v2";

/// The stem of 目录编号: `ML-001`.
pub const CATALOG_NO_PREFIX: &str = "ML";

/// Shown in place of a field only a person can fill.
pub const TO_FILL: &str = "待填写";
