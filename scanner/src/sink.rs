//! Where a scan's results go.
//!
//! The scan produces results; it does not decide what becomes of them. Each consumer — the
//! progress bar, the failure list on stderr, the summary table, the JSON report, the state
//! with its catalogue — is a [`ScanSink`] (after ripgrep's `Sink`), and a command picks the
//! sinks it needs. Adding an output never touches the scan loop.

use std::path::PathBuf;

use anyhow::Context;
use futures::future::BoxFuture;
use indicatif::ProgressBar;
use model::{AssetReport, ScanReport, Status};

use crate::config::Config;
use crate::state::State;
use crate::terminal::escape;

/// A consumer of one scan's results.
pub trait ScanSink: Send {
    /// The sources are listed: `assets` will follow.
    fn planned(&mut self, assets: usize) {
        let _ = assets;
    }

    /// One asset is done. Its person count is filled in only in the final report, once every
    /// link between assets is known.
    fn asset(&mut self, asset: &AssetReport) {
        let _ = asset;
    }

    /// The scan is complete; `report` is final.
    fn finish<'a>(&'a mut self, report: &'a ScanReport) -> BoxFuture<'a, anyhow::Result<()>>;
}

/// The progress bar on stderr: assets done out of assets listed.
pub struct ProgressSink(pub ProgressBar);

impl ScanSink for ProgressSink {
    fn planned(&mut self, assets: usize) {
        self.0.set_length(assets as u64);
    }

    fn asset(&mut self, asset: &AssetReport) {
        tracing::debug!(
            source = %escape(&asset.source),
            asset = %escape(&asset.name),
            "asset scanned"
        );
        self.0.inc(1);
    }

    fn finish<'a>(&'a mut self, _: &'a ScanReport) -> BoxFuture<'a, anyhow::Result<()>> {
        self.0.finish_and_clear();
        Box::pin(async { Ok(()) })
    }
}

/// Every failed source and asset on stderr with its cause, whatever else is written. Names
/// and causes are redacted in the report already; here they are escaped for the terminal.
pub struct FailureSink;

impl ScanSink for FailureSink {
    fn finish<'a>(&'a mut self, report: &'a ScanReport) -> BoxFuture<'a, anyhow::Result<()>> {
        for asset in report.failed_assets() {
            eprintln!(
                "error: {} {}: {}",
                escape(&asset.source),
                escape(&asset.name),
                escape(asset.error.as_deref().unwrap_or("unknown error"))
            );
        }
        for asset in report.partial_assets() {
            eprintln!(
                "error: {} {} was read only in part: {}",
                escape(&asset.source),
                escape(&asset.name),
                escape(asset.error.as_deref().unwrap_or("unknown cause"))
            );
        }
        for source in report.sources.iter().filter(|s| s.status != Status::Ok) {
            let what = if source.status == Status::Partial {
                " was listed only in part"
            } else {
                ""
            };
            eprintln!(
                "error: source {}{what}: {}",
                escape(&source.url),
                escape(source.error.as_deref().unwrap_or("unknown error"))
            );
        }
        Box::pin(async { Ok(()) })
    }
}

/// The table of findings on stdout, its names escaped for the terminal.
pub struct SummarySink;

impl ScanSink for SummarySink {
    fn finish<'a>(&'a mut self, report: &'a ScanReport) -> BoxFuture<'a, anyhow::Result<()>> {
        print!(
            "{}",
            crate::summary::render(&crate::terminal::escaped_report(report))
        );
        Box::pin(async { Ok(()) })
    }
}

/// The full report as a JSON file, written atomically.
pub struct JsonSink(pub PathBuf);

impl ScanSink for JsonSink {
    fn finish<'a>(&'a mut self, report: &'a ScanReport) -> BoxFuture<'a, anyhow::Result<()>> {
        let written = model::report::write_json(report, &self.0)
            .with_context(|| format!("cannot write the report to {}", self.0.display()));
        Box::pin(async { written })
    }
}

/// The state: the scan is recorded as running when it starts, and stored with its catalogue
/// when it completes. The catalogue is built here, once, from the report and the configuration
/// the scan ran with; `catalog export`, `baseline accept` and `diff` all read that stored copy.
pub struct StateSink<'s> {
    state: &'s State,
    id: i64,
    config: &'s Config,
}

impl<'s> StateSink<'s> {
    /// Records a scan starting at `started_at`; `config` is the configuration it runs with.
    ///
    /// # Errors
    /// The state cannot be written.
    pub async fn start(
        state: &'s State,
        started_at: model::Timestamp,
        config: &'s Config,
    ) -> anyhow::Result<Self> {
        let id = state.begin_scan(started_at).await?;
        Ok(StateSink { state, id, config })
    }

    /// The scan's id in the state.
    pub fn id(&self) -> i64 {
        self.id
    }
}

impl ScanSink for StateSink<'_> {
    fn finish<'a>(&'a mut self, report: &'a ScanReport) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let catalog = match crate::filing::build_catalog(report, self.config) {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::warn!(error = %e, "the scan's catalogue could not be built");
                    None
                }
            };
            self.state
                .complete_scan(self.id, report, catalog.as_ref())
                .await
        })
    }
}
