//! The important-data catalogue (重要数据目录), built from a scan report
//! ([`model::ScanReport`], the contract between a scan and everything after it).
//!
//! - [`catalog`]: turns a report plus the organisation's configuration into the filing
//!   catalogue: items per category of data, importance decided by [`rules`].
//! - [`xlsx`] and [`csv`]: the files a DPO opens and files.
//!
//! Neither the report nor the catalogue ever holds a raw identifier: evidence is masked by the
//! classifiers, URLs are redacted by the connectors, and the catalogue carries no data content
//! at all (no evidence, no hashes).

#![warn(missing_docs)]

pub mod beijing;
pub mod carriers;
pub mod catalog;
mod columns;
pub mod csv;
pub mod diff;
mod instructions;
pub mod rules;
pub mod xlsx;

pub use columns::human_bytes;
