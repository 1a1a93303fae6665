//! `mulu report`: one self-contained HTML page for a DPO or a manager — the scan's summary,
//! persons against each threshold, the catalogue, findings with masked evidence, the
//! re-filing status with its deadlines, and the history across scans — with inline SVG
//! charts, system fonts and A4 print rules. Nothing on the page is fetched: no script, no
//! stylesheet, font or image from anywhere.
//!
//! [`gather`] reads what the page needs from the state into a typed [`ReportInput`];
//! [`render`] turns that into the page. Every string taken from data is escaped
//! ([`escape::esc`]); names, messages and evidence pass the redaction path again on the way
//! in, so the page holds masked evidence only.

pub mod chart;
pub mod escape;
mod findings;
mod gather;
mod history;
mod items;
pub mod lang;
mod page;
mod persons;
mod refiling;
mod style;
mod summary;

use std::collections::BTreeMap;

use catalog_export::catalog::Catalog;
use chrono::NaiveDate;
use model::{ScanReport, Timestamp};

use crate::refiling::DiffReport;

pub use gather::{gather, write_report, GatherOptions};
pub use lang::Lang;
pub use page::render;

/// Everything the page shows, read from the state.
#[derive(Debug, Clone)]
pub struct ReportInput {
    /// When the page was made.
    pub generated_at: Timestamp,
    /// The scan shown.
    pub scan_id: i64,
    /// Its report, redacted again.
    pub report: ScanReport,
    /// Its catalogue, with the state's 目录编号.
    pub catalog: Catalog,
    /// The filing on record, if any.
    pub baseline: Option<BaselineFigures>,
    /// The latest scan against the baseline, when a baseline exists.
    pub refiling: Option<DiffReport>,
    /// The next date of each yearly deadline.
    pub deadlines: Vec<DueDate>,
    /// Every stored scan up to the one shown, oldest first (at most [`HISTORY_SCANS`]).
    pub history: Vec<HistoryScan>,
}

/// How many scans the history shows at most.
pub const HISTORY_SCANS: usize = 60;

/// One item's scale in one catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFigures {
    /// 条目数量, when known (counted or estimated).
    pub record_count: Option<u64>,
    /// 存储总量 in bytes.
    pub storage_bytes: u64,
}

impl ItemFigures {
    /// The important items of `catalog` by slug, with their names.
    pub fn of_catalog(catalog: &Catalog) -> BTreeMap<String, (String, ItemFigures)> {
        catalog
            .items
            .iter()
            .map(|i| {
                (
                    i.item_id.clone(),
                    (
                        i.data_name.clone(),
                        ItemFigures {
                            record_count: i.record_count.value(),
                            storage_bytes: i.storage_bytes,
                        },
                    ),
                )
            })
            .collect()
    }
}

/// The filing on record: its figures per important item.
#[derive(Debug, Clone)]
pub struct BaselineFigures {
    /// Baseline id.
    pub id: i64,
    /// The scan filed.
    pub scan_id: i64,
    /// Filing date (YYYY-MM-DD).
    pub filed_at: String,
    /// Important items as filed: slug → (name, figures).
    pub items: BTreeMap<String, (String, ItemFigures)>,
}

/// One stored scan in the history.
#[derive(Debug, Clone)]
pub struct HistoryScan {
    /// Scan id.
    pub scan_id: i64,
    /// When it started.
    pub started_at: Timestamp,
    /// Its important items: slug → (name, figures).
    pub items: BTreeMap<String, (String, ItemFigures)>,
}

/// A yearly deadline's next date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDate {
    /// What is due (from the configuration).
    pub name: String,
    /// The next date, `None` when the configured date is not a valid MM-DD.
    pub date: Option<NaiveDate>,
    /// The configured date as written.
    pub configured: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(persons: Option<model::PersonsReport>) -> ReportInput {
        let report = ScanReport {
            schema: model::SCAN_REPORT_SCHEMA.into(),
            started_at: "2026-11-02T02:00:00Z".parse().unwrap(),
            finished_at: "2026-11-02T02:00:00Z".parse().unwrap(),
            sources: vec![model::SourceReport {
                url: "/srv/<share>".into(),
                status: model::Status::Ok,
                error: None,
                unscanned: vec![],
            }],
            assets: vec![],
            categories: Default::default(),
            persons,
        };
        let catalog = crate::filing::build_catalog(&report, &Default::default()).unwrap();
        ReportInput {
            generated_at: "2026-11-03T00:00:00Z".parse().unwrap(),
            scan_id: 7,
            report,
            catalog,
            baseline: None,
            refiling: None,
            deadlines: vec![
                DueDate {
                    name: "车联网重要数据目录备案".into(),
                    date: NaiveDate::from_ymd_opt(2027, 7, 31),
                    configured: "07-31".into(),
                },
                DueDate {
                    name: "bad".into(),
                    date: None,
                    configured: "13-45".into(),
                },
            ],
            history: vec![],
        }
    }

    #[test]
    fn sketch_bounds_are_drawn_as_a_range_and_undecided() {
        let persons = model::PersonsReport {
            distinct: None,
            lower: 9_800_000,
            upper: 10_300_000,
            method: model::CountMethod::Sketch,
            mergeable: true,
            key_hash: None,
            key_id: None,
            by_identifier: Default::default(),
            thresholds: vec![model::Verdict {
                id: "ndsr-art28".into(),
                rule: model::Op::Ge,
                value: 10_000_000,
                status: model::ThresholdStatus::Undecided,
                basis: "网络数据安全管理条例 第二十八条".into(),
            }],
            incomplete: vec![],
            exact_over_budget: false,
            by_item: Default::default(),
            free_text: None,
        };
        let html = render(&input(Some(persons)), Lang::Zh);
        assert!(html.contains(r#"id="persons-count">9,800,000–10,300,000<"#));
        assert!(html.contains("草图估算（上下界）"));
        assert_eq!(html.matches(r#"class="range""#).count(), 1);
        assert!(html.contains(r#"class="badge s-undecided">无法判定（需精确计数）<"#));
    }

    #[test]
    fn no_persons_no_baseline_and_deadlines_with_days_left() {
        let html = render(&input(None), Lang::En);
        assert!(html.contains("This scan did not count persons"));
        assert!(
            !html.contains('（'),
            "no full-width punctuation on the English page"
        );
        assert!(html.contains("No filing baseline yet"));
        // 2026-11-03 (UTC midnight, Beijing 08:00) to 2027-07-31: 270 days.
        assert!(html.contains(r#"<td class="due">2027-07-31</td><td class="num">270</td>"#));
        assert!(html.contains("bad date (use MM-DD): '13-45'"));
        assert!(html.contains("/srv/&lt;share&gt;") && !html.contains("<share>"));
        assert!(!html.contains("<svg"), "nothing to chart");
    }

    #[test]
    fn a_baseline_without_a_comparable_latest_scan_is_said_so() {
        let mut input = input(None);
        input.baseline = Some(BaselineFigures {
            id: 3,
            scan_id: 5,
            filed_at: "2026-07-31".into(),
            items: Default::default(),
        });
        let html = render(&input, Lang::En);
        assert!(html.contains("Baseline 3 (filed 2026-07-31, scan 5). The latest scan"));
        assert!(html.contains("cannot be compared with it"));
        assert!(!html.contains("No filing baseline yet"));
    }
}
