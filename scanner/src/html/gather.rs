//! Reading what the page shows from the state.

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;

use super::{BaselineFigures, DueDate, HistoryScan, ItemFigures, ReportInput, HISTORY_SCANS};
use crate::config::{Config, Deadline};
use crate::redact::Redactor;
use crate::refiling::{diff_latest, Against};
use crate::state::State;

/// Which scan, and the configuration's deadlines.
#[derive(Debug, Clone)]
pub struct GatherOptions<'a> {
    /// The scan to show [default: the latest complete scan].
    pub scan: Option<i64>,
    /// The configuration: its deadlines, and its catalogue settings for a scan stored
    /// without a catalogue.
    pub config: &'a Config,
    /// Today (Beijing date), for the next yearly deadlines.
    pub today: NaiveDate,
}

/// Reads the scan, its catalogue, the baseline, the re-filing status and the history.
///
/// The re-filing status is that of the latest scan against the current baseline, as `mulu
/// status` shows it (recording a first detection date, as `status` and `diff` do).
///
/// # Errors
/// No such scan, or an unreadable state.
pub async fn gather(state: &State, options: &GatherOptions<'_>) -> anyhow::Result<ReportInput> {
    let stored = match options.scan {
        Some(id) => state
            .scan(id)
            .await?
            .with_context(|| format!("no completed scan {id} in the state"))?,
        None => state
            .latest_scan()
            .await?
            .context("no completed scan in the state; run `mulu scan` first")?,
    };
    let redactor = Redactor::builtin();
    let mut report = stored.report.clone();
    redactor.report(&mut report);
    for column in report.assets.iter_mut().flat_map(|a| a.columns.iter_mut()) {
        for category in &mut column.categories {
            for e in &mut category.evidence {
                *e = redactor.name(e);
            }
        }
    }
    let mut catalog = match &stored.catalog {
        Some(c) => c.clone(),
        None => crate::filing::build_catalog(&report, options.config)?,
    };
    catalog.set_numbers(&state.item_numbers().await?);
    let baseline = state.current_baseline().await?;
    // A latest scan stored without a catalogue (by an older mulu) cannot be compared; the
    // page then shows the baseline without a verdict rather than failing.
    let refiling = match &baseline {
        Some(_) => match diff_latest(state, Against::Baseline).await {
            Ok(diff) => Some(diff),
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "no re-filing status for the report");
                None
            }
        },
        None => None,
    };
    let history = state
        .catalog_history(stored.id, HISTORY_SCANS)
        .await?
        .into_iter()
        .map(|(id, c)| HistoryScan {
            scan_id: id,
            started_at: c.scan_started_at,
            items: ItemFigures::of_catalog(&c),
        })
        .collect();
    let deadlines = if options.config.deadlines.is_empty() {
        Deadline::defaults()
    } else {
        options.config.deadlines.clone()
    };
    let deadlines = deadlines
        .into_iter()
        .map(|d| DueDate {
            date: d
                .month_day()
                .and_then(|(m, day)| catalog_export::diff::next_yearly(options.today, m, day)),
            name: d.name,
            configured: d.date,
        })
        .collect();
    Ok(ReportInput {
        generated_at: model::now(),
        scan_id: stored.id,
        report,
        catalog,
        baseline: baseline.map(|b| BaselineFigures {
            id: b.id,
            scan_id: b.scan_id,
            items: ItemFigures::of_catalog(&b.catalog),
            filed_at: b.filed_at,
        }),
        refiling,
        deadlines,
        history,
    })
}

/// Writes the page atomically: a reader (or a browser reloading it) never sees half a file.
///
/// # Errors
/// When the file cannot be written.
pub fn write_report(html: &str, path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    let tmp = path.with_extension("html.tmp");
    std::fs::write(&tmp, html).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}
