//! Whether a re-filing (备案变更) is due: the latest scan's catalogue against the filed
//! baseline (or the previous scan), with first-detection and due dates.

use anyhow::Context;
use catalog_export::diff::{self, NotComparable, Trigger};
use chrono::NaiveDate;
use serde::Serialize;

use crate::state::{State, StoredScan};

/// What the latest catalogue is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    /// The latest accepted filing.
    Baseline,
    /// The scan before the latest.
    Previous,
}

/// The outcome of a diff, as printed and written with `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// Always `mulu.diff/v1`.
    pub schema: &'static str,
    /// `baseline` or `previous`.
    pub against: &'static str,
    /// The baseline id (for `baseline`).
    pub baseline_id: Option<i64>,
    /// The filing date of the baseline (for `baseline`).
    pub baseline_filed_at: Option<String>,
    /// The scan compared with (for `previous`, or the baseline's scan).
    pub reference_scan: Option<i64>,
    /// The latest scan.
    pub current_scan: i64,
    /// Whether any trigger fired.
    pub refiling_needed: bool,
    /// Every trigger with its dates.
    pub triggers: Vec<DatedTrigger>,
    /// Apparent removals and shrinkages on sources or assets the latest scan could not read:
    /// reported, never a trigger.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_comparable: Vec<NotComparable>,
}

/// A trigger with the day it was first detected and the re-filing deadline.
#[derive(Debug, Clone, Serialize)]
pub struct DatedTrigger {
    /// The trigger.
    #[serde(flatten)]
    pub trigger: Trigger,
    /// The day the change was first seen (YYYY-MM-DD).
    pub detected_at: String,
    /// detected_at + 3 months (YYYY-MM-DD).
    pub due_by: String,
}

/// The scan's day in Beijing time, the calendar the re-filing deadline runs on.
fn scan_date(scan: &StoredScan) -> NaiveDate {
    catalog_export::beijing::date(scan.report.started_at)
}

/// Compares the latest complete scan with the baseline or the previous scan.
///
/// # Errors
/// No scan, no baseline (for `baseline`), or a scan without a stored catalogue.
pub async fn diff_latest(state: &State, against: Against) -> anyhow::Result<DiffReport> {
    let current = state
        .latest_scan()
        .await?
        .context("no completed scan in the state; run `mulu scan` first")?;
    let current_catalog = current
        .catalog
        .as_ref()
        .with_context(|| format!("scan {} has no stored catalogue", current.id))?;
    let detected_now = scan_date(&current);
    let (reference, baseline) = match against {
        Against::Baseline => {
            let b = state
                .current_baseline()
                .await?
                .context("no filing baseline yet; record one with `mulu baseline accept`")?;
            (b.catalog.clone(), Some(b))
        }
        Against::Previous => {
            let prev = state
                .previous_scan(current.id)
                .await?
                .context("there is no earlier completed scan to compare with")?;
            let catalog = prev
                .catalog
                .with_context(|| format!("scan {} has no stored catalogue", prev.id))?;
            (catalog, None)
        }
    };
    let mut triggers = Vec::new();
    let found = diff::diff(&reference, current_catalog);
    for trigger in found.triggers {
        let detected = match &baseline {
            Some(b) => {
                let reason = serde_json::to_value(trigger.reason)?;
                let reason = reason.as_str().unwrap_or_default().to_string();
                let first = state
                    .first_detected(b.id, &trigger.item_id, &reason, &detected_now.to_string())
                    .await?;
                NaiveDate::parse_from_str(&first, "%Y-%m-%d")?
            }
            None => detected_now,
        };
        triggers.push(DatedTrigger {
            trigger,
            detected_at: detected.to_string(),
            due_by: diff::refile_due(detected).to_string(),
        });
    }
    Ok(DiffReport {
        schema: "mulu.diff/v1",
        against: match against {
            Against::Baseline => "baseline",
            Against::Previous => "previous",
        },
        baseline_id: baseline.as_ref().map(|b| b.id),
        baseline_filed_at: baseline.as_ref().map(|b| b.filed_at.clone()),
        reference_scan: match &baseline {
            Some(b) => Some(b.scan_id),
            None => state.previous_scan(current.id).await?.map(|s| s.id),
        },
        current_scan: current.id,
        refiling_needed: !triggers.is_empty(),
        triggers,
        not_comparable: found.not_comparable,
    })
}
