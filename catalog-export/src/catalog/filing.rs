//! 备案类型 and 变更事项: where a catalogue stands against the filing on record.
//!
//! The catalogue alone cannot know whether it was filed before; the scanner's state can. It
//! hands over the baseline and every pending re-filing trigger with its dates, and the files
//! then say 变更 and list what changed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diff::{refile_due, Reason, Trigger};

/// 备案类型.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilingType {
    /// 首次: nothing filed yet, or nothing changed since the filing.
    #[default]
    #[serde(rename = "首次")]
    Initial,
    /// 变更: a filing exists and re-filing triggers are pending.
    #[serde(rename = "变更")]
    Change,
}

impl FilingType {
    /// 首次 / 变更.
    pub fn as_str(self) -> &'static str {
        match self {
            FilingType::Initial => "首次",
            FilingType::Change => "变更",
        }
    }
}

impl std::fmt::Display for FilingType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The filing on record and what changed since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refiling {
    /// The baseline (accepted filing) compared with.
    pub baseline_id: i64,
    /// Its filing date.
    pub filed_at: NaiveDate,
    /// Every pending trigger.
    pub changes: Vec<Change>,
}

/// One 变更事项: one trigger of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The item's slug.
    pub item_id: String,
    /// 目录编号, as the export shows it.
    pub catalog_no: String,
    /// 数据名称.
    pub data_name: String,
    /// Why a re-filing is due.
    pub reason: Reason,
    /// The figures or the fields, in words.
    pub detail: String,
    /// The filed figure, for scale reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<u64>,
    /// The current figure, for scale reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<u64>,
    /// Signed relative change (0.35 = +35 %), for scale reasons on a non-zero baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<f64>,
    /// The day the change was first detected (Beijing date).
    pub detected_at: NaiveDate,
    /// The re-filing deadline: three months after detection.
    pub due_by: NaiveDate,
}

impl Change {
    /// The 变更事项 for `trigger`, first detected on `detected_at`; due three months later.
    pub fn from_trigger(trigger: &Trigger, catalog_no: String, detected_at: NaiveDate) -> Self {
        let change = match (trigger.baseline, trigger.current, trigger.change) {
            (Some(b), Some(c), Some(x)) if c < b => Some(-x),
            (_, _, x) => x,
        };
        Change {
            item_id: trigger.item_id.clone(),
            catalog_no,
            data_name: trigger.data_name.clone(),
            reason: trigger.reason,
            detail: trigger.detail.clone(),
            baseline: trigger.baseline,
            current: trigger.current,
            change,
            detected_at,
            due_by: refile_due(detected_at),
        }
    }
}
