//! Comparing a catalogue with the filed baseline: what makes a re-filing (备案变更) due.
//!
//! A re-filing is due within three months when the scale of a filed category of important
//! data changes by 30 % or more (record count or storage total, each on its own, either
//! direction; "以上" includes the boundary), or when other filed content changes: a new or a
//! removed item, its carriers, storage location, purposes, sharing, cross-border transfer,
//! owner or level.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, CatalogItem, PersonFields, Unread};

/// The share of change that triggers a re-filing.
pub const SCALE_THRESHOLD: f64 = 0.30;

/// Why a re-filing is due for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// 数据条目数量 changed by 30 % or more.
    RecordCount,
    /// 存储总量 changed by 30 % or more.
    StorageTotal,
    /// An important item that was not filed.
    NewItem,
    /// A filed item that is no longer found.
    RemovedItem,
    /// 数据级别 changed.
    Level,
    /// 数据载体 changed.
    Carriers,
    /// A person-supplied filed field changed (purposes, sharing, cross-border …).
    FiledField,
}

impl Reason {
    /// A short Chinese label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Reason::RecordCount => "条目数量变化≥30%",
            Reason::StorageTotal => "存储总量变化≥30%",
            Reason::NewItem => "新增重要数据",
            Reason::RemovedItem => "重要数据不再存在",
            Reason::Level => "数据级别变化",
            Reason::Carriers => "数据载体变化",
            Reason::FiledField => "备案内容变化",
        }
    }
}

/// One reason for one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// The item.
    pub item_id: String,
    /// Its name.
    pub data_name: String,
    /// Why.
    pub reason: Reason,
    /// The numbers or the fields, in words.
    pub detail: String,
    /// The filed value, for scale reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<u64>,
    /// The current value, for scale reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<u64>,
    /// |current − baseline| / baseline, for scale reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<f64>,
}

/// A change the diff cannot judge: what looks like a removal or shrinkage of a filed item
/// while some of its carriers could not be read in the current scan. It is reported, never
/// counted as a re-filing trigger, so a database that is down for a night raises no false
/// alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotComparable {
    /// The item.
    pub item_id: String,
    /// Its name.
    pub data_name: String,
    /// The trigger it would have been.
    pub reason: Reason,
    /// Which source or asset failed, and why.
    pub detail: String,
}

/// Everything a diff found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// Re-filing triggers.
    pub triggers: Vec<Trigger>,
    /// Apparent removals and shrinkages on carriers the current scan could not read.
    pub not_comparable: Vec<NotComparable>,
}

/// Relative change, `None` when the baseline is zero (any new data is then a change).
pub fn relative_change(baseline: u64, current: u64) -> Option<f64> {
    (baseline > 0).then(|| (current as f64 - baseline as f64).abs() / baseline as f64)
}

/// Whether a change of scale triggers a re-filing (boundary included).
pub fn scale_triggers(baseline: u64, current: u64) -> bool {
    match relative_change(baseline, current) {
        // Compare in integers to keep exactly 30 % exact: 10·|Δ| ≥ 3·base.
        Some(_) => 10 * current.abs_diff(baseline) as u128 >= 3 * baseline as u128,
        None => current > 0,
    }
}

/// Every trigger between the filed `baseline` and the `current` catalogue (important items).
///
/// A removal, a shrinkage or a lost carrier of an item whose filed carriers include a source
/// or asset the current scan could not read is [`NotComparable`] instead of a trigger: the
/// data may well still be there. Growth and new items still trigger, since what was read is
/// at least that much.
pub fn diff(baseline: &Catalog, current: &Catalog) -> Diff {
    let mut out = Diff::default();
    let find = |c: &'_ Catalog, id: &str| c.items.iter().find(|i| i.item_id == id).cloned();
    for cur in &current.items {
        match find(baseline, &cur.item_id) {
            None => out.triggers.push(simple(
                cur,
                Reason::NewItem,
                "not in the filed catalogue".into(),
            )),
            Some(base) => compare(&base, cur, &current.unread, &mut out),
        }
    }
    for base in &baseline.items {
        if find(current, &base.item_id).is_none() {
            match unread_cause(base, &current.unread) {
                Some(detail) => {
                    out.not_comparable
                        .push(not_comparable(base, Reason::RemovedItem, detail))
                }
                None => out.triggers.push(simple(
                    base,
                    Reason::RemovedItem,
                    "filed, but no longer found as important data".into(),
                )),
            }
        }
    }
    out
}

/// Why some of the filed carriers of `item` were not read, if any were not.
fn unread_cause(item: &CatalogItem, unread: &[Unread]) -> Option<String> {
    let causes: Vec<String> = unread
        .iter()
        .filter(|u| item.carriers.iter().any(|c| u.covers(c)))
        .map(Unread::describe)
        .collect();
    (!causes.is_empty()).then(|| format!("not comparable ({})", causes.join("; ")))
}

fn not_comparable(item: &CatalogItem, reason: Reason, detail: String) -> NotComparable {
    NotComparable {
        item_id: item.item_id.clone(),
        data_name: item.data_name.clone(),
        reason,
        detail,
    }
}

fn simple(item: &CatalogItem, reason: Reason, detail: String) -> Trigger {
    Trigger {
        item_id: item.item_id.clone(),
        data_name: item.data_name.clone(),
        reason,
        detail,
        baseline: None,
        current: None,
        change: None,
    }
}

fn compare(base: &CatalogItem, cur: &CatalogItem, unread: &[Unread], out: &mut Diff) {
    let unread_carriers = unread_cause(base, unread);
    let scale = [
        (
            Reason::RecordCount,
            "records",
            base.record_count.value(),
            cur.record_count.value(),
        ),
        (
            Reason::StorageTotal,
            "bytes",
            Some(base.storage_bytes),
            Some(cur.storage_bytes),
        ),
    ];
    for (reason, unit, b, c) in scale {
        // An unknown count is no figure to compare: say so rather than guess.
        let (b, c) = match (b, c) {
            (Some(b), Some(c)) => (b, c),
            (None, None) => continue,
            (b, c) => {
                let known = |x: Option<u64>| x.map_or("未知".to_string(), |x| x.to_string());
                out.not_comparable.push(not_comparable(
                    cur,
                    reason,
                    format!("record count {} → {}", known(b), known(c)),
                ));
                continue;
            }
        };
        if scale_triggers(b, c) {
            if let (true, Some(cause)) = (c < b, &unread_carriers) {
                out.not_comparable
                    .push(not_comparable(cur, reason, cause.clone()));
                continue;
            }
            let change = relative_change(b, c);
            let pct = change.map_or("new".to_string(), |x| {
                format!("{:+.1}%", signed(b, c) * x * 100.0)
            });
            out.triggers.push(Trigger {
                baseline: Some(b),
                current: Some(c),
                change,
                ..simple(cur, reason, format!("{b} → {c} {unit} ({pct})"))
            });
        }
    }
    if base.level != cur.level {
        out.triggers.push(simple(
            cur,
            Reason::Level,
            format!("{} → {}", base.level, cur.level),
        ));
    }
    if base.carriers != cur.carriers {
        let added = cur
            .carriers
            .iter()
            .filter(|c| !base.carriers.contains(c))
            .count();
        let (lost_unread, removed): (Vec<_>, Vec<_>) = base
            .carriers
            .iter()
            .filter(|c| !cur.carriers.contains(c))
            .partition(|c| unread.iter().any(|u| u.covers(c)));
        if added > 0 || !removed.is_empty() {
            out.triggers.push(simple(
                cur,
                Reason::Carriers,
                format!("{added} carrier(s) added, {} removed", removed.len()),
            ));
        }
        if let (false, Some(cause)) = (lost_unread.is_empty(), &unread_carriers) {
            out.not_comparable
                .push(not_comparable(cur, Reason::Carriers, cause.clone()));
        }
    }
    let changed = changed_fields(&base.fields, &cur.fields);
    if !changed.is_empty() {
        out.triggers.push(simple(
            cur,
            Reason::FiledField,
            format!("changed: {}", changed.join("、")),
        ));
    }
}

fn signed(b: u64, c: u64) -> f64 {
    if c >= b {
        1.0
    } else {
        -1.0
    }
}

fn changed_fields(base: &PersonFields, cur: &PersonFields) -> Vec<&'static str> {
    crate::catalog::PERSON_FIELDS
        .iter()
        .filter(|f| (f.get)(base) != (f.get)(cur))
        .map(|f| f.label)
        .collect()
}

/// The re-filing deadline: three months after the day the change was detected, on the same
/// day number, or the last day of that month when it has no such day (Civil Code Arts.
/// 201–203 by analogy; statutory holidays are not moved here).
pub fn refile_due(detected: NaiveDate) -> NaiveDate {
    detected
        .checked_add_months(Months::new(3))
        .expect("dates stay far inside chrono's range")
}

/// The next occurrence of a yearly deadline (month, day) on or after `today`.
pub fn next_yearly(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year >= today {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, month, day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Carrier, FilingHeader, FilingType, Organization, RecordCount, Unread};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn due_dates_follow_the_month_rule() {
        assert_eq!(refile_due(date("2026-11-30")), date("2027-02-28"));
        assert_eq!(refile_due(date("2026-05-31")), date("2026-08-31"));
        assert_eq!(
            refile_due(date("2027-11-30")),
            date("2028-02-29"),
            "leap year"
        );
        assert_eq!(refile_due(date("2026-01-15")), date("2026-04-15"));
        assert_eq!(refile_due(date("2026-12-31")), date("2027-03-31"));
    }

    #[test]
    fn thirty_percent_is_included_both_ways() {
        assert!(scale_triggers(1000, 1300));
        assert!(scale_triggers(1000, 700));
        assert!(!scale_triggers(1000, 1299));
        assert!(!scale_triggers(1000, 701));
        assert!(scale_triggers(1000, 1350));
        assert!(!scale_triggers(1000, 1250));
        assert!(scale_triggers(0, 5), "new data on a zero baseline");
        assert!(!scale_triggers(0, 0));
        assert_eq!(relative_change(1000, 1300), Some(0.3));
    }

    #[test]
    fn yearly_deadlines_roll_over() {
        assert_eq!(
            next_yearly(date("2026-11-23"), 7, 31),
            Some(date("2027-07-31"))
        );
        assert_eq!(
            next_yearly(date("2026-11-23"), 11, 30),
            Some(date("2026-11-30"))
        );
        assert_eq!(
            next_yearly(date("2026-11-30"), 11, 30),
            Some(date("2026-11-30"))
        );
    }

    fn item(id: &str, records: u64, bytes: u64) -> CatalogItem {
        CatalogItem {
            item_id: id.into(),
            number: None,
            data_name: format!("{id} data"),
            description: String::new(),
            class: vec![],
            level: model::Level::Important,
            basis: vec![],
            categories: vec![],
            record_count: RecordCount::Counted { value: records },
            storage_bytes: bytes,
            scale_complete: true,
            pi_subjects: None,
            contains_sensitive_pi: false,
            sensitive_types: vec![],
            carriers: vec![Carrier {
                source: "s".into(),
                asset: "a".into(),
                store_type: "csv".into(),
            }],
            fields: PersonFields::default(),
            vehicle: None,
            notes: vec![],
        }
    }

    fn catalog(items: Vec<CatalogItem>) -> Catalog {
        Catalog {
            schema: crate::catalog::CATALOG_SCHEMA.into(),
            scan_started_at: model::now(),
            header: FilingHeader {
                organization: Organization::default(),
                filing_type: FilingType::Initial,
                pi_subjects_total: None,
            },
            items: items.clone(),
            inventory: items,
            unread: vec![],
            unscanned: vec![],
            refiling: None,
            unmatched_field_rules: vec![],
        }
    }

    #[test]
    fn each_measure_and_each_kind_of_change_triggers() {
        let base = catalog(vec![item("a", 1000, 1000), item("gone", 1, 1)]);
        let mut grown = item("a", 1350, 1100);
        grown.fields.purposes = Some("new purpose".into());
        grown.carriers.push(Carrier {
            source: "s".into(),
            asset: "b".into(),
            store_type: "csv".into(),
        });
        let cur = catalog(vec![grown, item("fresh", 5, 5)]);
        let reasons: Vec<(String, Reason)> = diff(&base, &cur)
            .triggers
            .into_iter()
            .map(|t| (t.item_id, t.reason))
            .collect();
        assert_eq!(
            reasons,
            vec![
                ("a".into(), Reason::RecordCount),
                ("a".into(), Reason::Carriers),
                ("a".into(), Reason::FiledField),
                ("fresh".into(), Reason::NewItem),
                ("gone".into(), Reason::RemovedItem),
            ]
        );
        let storage_only = catalog(vec![item("a", 1000, 1400), item("gone", 1, 1)]);
        let t = diff(&base, &storage_only).triggers;
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].reason, t[0].baseline, t[0].current),
            (Reason::StorageTotal, Some(1000), Some(1400))
        );
        assert_eq!(diff(&base, &base), Diff::default());
    }

    #[test]
    fn what_the_current_scan_could_not_read_is_not_comparable() {
        let mut other = item("b", 500, 500);
        other.carriers[0].source = "t".into();
        let base = catalog(vec![item("a", 1000, 1000), item("gone", 1, 1), other]);
        // Source `s` is down: item `a` shrank (one carrier left on a still-readable asset is
        // simulated by the numbers), `gone` vanished; `b` on source `t` vanished for real.
        let mut cur = catalog(vec![item("a", 100, 100)]);
        cur.unread = vec![Unread {
            source: "s".into(),
            asset: None,
            cause: "cannot reach host".into(),
            partial: false,
        }];
        let d = diff(&base, &cur);
        let triggers: Vec<(&str, Reason)> = d
            .triggers
            .iter()
            .map(|t| (t.item_id.as_str(), t.reason))
            .collect();
        assert_eq!(triggers, vec![("b", Reason::RemovedItem)]);
        let not: Vec<(&str, Reason)> = d
            .not_comparable
            .iter()
            .map(|n| (n.item_id.as_str(), n.reason))
            .collect();
        assert_eq!(
            not,
            vec![
                ("a", Reason::RecordCount),
                ("a", Reason::StorageTotal),
                ("gone", Reason::RemovedItem),
            ]
        );
        assert!(d.not_comparable[0]
            .detail
            .contains("source s failed: cannot reach host"));
        // Growth on a partly unread item still triggers: what was read is at least that much.
        let mut grown = catalog(vec![item("a", 2000, 1000), item("gone", 1, 1)]);
        grown.unread = cur.unread.clone();
        let d = diff(
            &catalog(vec![item("a", 1000, 1000), item("gone", 1, 1)]),
            &grown,
        );
        assert_eq!(d.triggers.len(), 1);
        assert_eq!(d.triggers[0].reason, Reason::RecordCount);
        // An asset-level failure covers only that asset.
        let asset_down = Unread {
            source: "s".into(),
            asset: Some("other".into()),
            cause: "permission denied".into(),
            partial: false,
        };
        let mut cur = catalog(vec![]);
        cur.unread = vec![asset_down];
        let d = diff(&catalog(vec![item("a", 1, 1)]), &cur);
        assert_eq!(d.triggers.len(), 1, "asset a was read and is gone");
    }

    #[test]
    fn a_partly_read_carrier_makes_shrinkage_not_comparable() {
        let base = catalog(vec![item("a", 1000, 1000)]);
        let mut cur = catalog(vec![item("a", 100, 100)]);
        let carrier = &cur.items[0].carriers[0];
        cur.unread = vec![Unread {
            source: carrier.source.clone(),
            asset: Some(carrier.asset.clone()),
            cause: "readable through column grants only".into(),
            partial: true,
        }];
        let d = diff(&base, &cur);
        assert!(d.triggers.is_empty(), "{:?}", d.triggers);
        assert_eq!(d.not_comparable.len(), 2);
        assert!(
            d.not_comparable[0].detail.contains("was partly read"),
            "{}",
            d.not_comparable[0].detail
        );
    }
}
