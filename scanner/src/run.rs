//! One recorded scan: run it, build its catalogue, store both in the state.

use std::sync::Arc;

use catalog_export::ScanReport;
use classifiers::ClassifierSet;
use indicatif::ProgressBar;

use crate::config::Config;
use crate::state::State;
use crate::ScanOptions;

/// A finished scan and where it was stored.
pub struct RecordedScan {
    /// The scan's id in the state, when recorded.
    pub id: Option<i64>,
    /// The report.
    pub report: ScanReport,
}

/// Runs a scan; with a state, records it as running first and stores the report and its
/// catalogue (built with `config`) when it completes.
///
/// # Errors
/// Only state errors; source and asset failures are in the report.
pub async fn scan_and_record(
    state: Option<&State>,
    sources: &[crate::config::SourceEntry],
    options: &ScanOptions,
    config: &Config,
    classifiers: Arc<ClassifierSet>,
    progress: &ProgressBar,
) -> anyhow::Result<RecordedScan> {
    let started_at = crate::scan::now();
    let id = match state {
        Some(s) => Some(s.begin_scan(&started_at).await?),
        None => None,
    };
    let report = crate::scan_started_at(started_at, sources, options, classifiers, progress).await;
    if let (Some(state), Some(id)) = (state, id) {
        let catalog = match crate::filing::build_catalog(&report, config) {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!(error = %e, "the scan's catalogue could not be built");
                None
            }
        };
        state.complete_scan(id, &report, catalog.as_ref()).await?;
    }
    Ok(RecordedScan { id, report })
}
