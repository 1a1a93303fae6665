//! Scan orchestration for mulu.
//!
//! A scan opens every source, lists its assets, samples them with bounded concurrency on tokio
//! (I/O), classifies the samples on rayon (CPU), and folds the per-column verdicts into a
//! [`model::ScanReport`]. One asset's failure is recorded in the report and never
//! stops the others.

#![warn(missing_docs)]

pub mod activity;
pub mod classify;
pub mod config;
mod cpu;
pub mod custom;
pub mod filing;
pub mod html;
pub mod job;
pub mod merge;
mod person_columns;
pub mod persons;
pub mod plan;
pub mod redact;
pub mod refiling;
pub mod run;
pub mod run_folder;
pub mod scan;
pub mod schedule;
pub mod sink;
pub mod state;
pub mod summary;
pub mod terminal;
pub mod webhook;

pub use scan::{scan, ScanContext, ScanOptions};
