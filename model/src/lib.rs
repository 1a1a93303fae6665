//! The typed vocabulary every mulu crate shares.
//!
//! Classifiers name what they find with a [`CategoryId`]; connectors' schemas become
//! [`ColumnType`]s once, where the type is known. Nothing here does I/O, and no crate passes
//! these values between each other as strings or JSON.

#![warn(missing_docs)]

pub mod category;
pub mod column_type;

pub use category::{ids, CategoryId};
pub use column_type::{ColumnType, TypeFamily};
pub mod level;
pub mod persons;
pub mod report;

pub use level::Level;
pub use persons::{
    CountMethod, FreeTextPersons, IdentifierKind, Op, PersonsReport, ThresholdStatus, Verdict,
};
pub use report::{
    now, AssetCategoryReport, AssetKind, AssetReport, CategoryMeta, CategoryReport, ColumnReport,
    MediaSummary, Sampling, ScanReport, SkipReason, SourceReport, Status, Timestamp, Unscanned,
    SCAN_REPORT_SCHEMA,
};
