//! The human summary printed when no `--json` file is asked for. Failures go to stderr
//! separately, so the summary is only findings and totals.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};
use std::collections::BTreeMap;

use model::{ScanReport, SkipReason, Status, Unscanned};

/// Renders the findings table, the failures and a totals line.
pub fn render(report: &ScanReport) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            "asset",
            "column",
            "category",
            "confidence",
            "matched/sampled",
        ]);
    let mut findings = 0usize;
    for asset in &report.assets {
        for column in &asset.columns {
            for cat in &column.categories {
                findings += 1;
                table.add_row(vec![
                    Cell::new(format!("{} {}", short_source(&asset.source), asset.name)),
                    Cell::new(&column.name),
                    Cell::new(cat.id.as_str()),
                    Cell::new(format!("{:.2}", cat.confidence)),
                    Cell::new(format!("{}/{}", cat.matched, cat.sampled)),
                ]);
            }
        }
    }
    let mut out = String::new();
    if findings > 0 {
        out.push_str(&table.to_string());
        out.push('\n');
    } else {
        out.push_str("No personal information or vehicle data found.\n");
    }
    for asset in &report.assets {
        for cat in &asset.categories {
            out.push_str(&format!(
                "{} {}: {} ({:.2}; {})\n",
                short_source(&asset.source),
                asset.name,
                cat.id,
                cat.confidence,
                cat.rule
            ));
        }
    }
    if let Some(p) = &report.persons {
        let count = p
            .distinct
            .map_or_else(|| format!("{}–{}", p.lower, p.upper), |d| d.to_string());
        let verdicts: Vec<String> = p
            .thresholds
            .iter()
            .map(|t| format!("{} {}", t.id, t.status.as_str()))
            .collect();
        let free_text = p.free_text.map_or_else(String::new, |f| {
            format!(
                "; {} named in free text, {} of them only there",
                f.persons, f.only
            )
        });
        out.push_str(&format!(
            "Distinct persons: {count} ({}{}{free_text}); {}\n",
            p.method.as_str(),
            if p.mergeable { "" } else { ", per-run key" },
            verdicts.join(", ")
        ));
    }
    out.push_str(&format!(
        "{}; {findings} column findings.\n",
        coverage_line(report)
    ));
    if let Some(line) = media_line(report) {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(line) = unscanned_line(report) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The media collections read: `Media collections: 3 (20012 objects, 1.20 MB); 40 of 192
/// sampled objects carry GPS`.
pub fn media_line(report: &ScanReport) -> Option<String> {
    let media: Vec<&model::MediaSummary> = report
        .assets
        .iter()
        .filter_map(|a| a.media.as_ref())
        .collect();
    if media.is_empty() {
        return None;
    }
    let objects: u64 = media.iter().map(|m| m.objects).sum();
    let bytes: u64 = media.iter().map(|m| m.bytes).sum();
    let sampled: u64 = media.iter().map(|m| m.sampled_objects).sum();
    let gps: u64 = media.iter().map(|m| m.with_gps).sum();
    Some(format!(
        "Media collections: {} ({objects} objects, {}); {gps} of {sampled} sampled objects \
         carry GPS",
        media.len(),
        catalog_export::human_bytes(bytes)
    ))
}

/// What the sources hold and the scan did not read, by reason with its largest kinds:
/// `Not scanned: 20002 files (1.20 GB): unsupported type 20000 (.jpg 19000, .pdf 1000); …`.
pub fn unscanned_line(report: &ScanReport) -> Option<String> {
    let rows: Vec<&Unscanned> = report.sources.iter().flat_map(|s| &s.unscanned).collect();
    if rows.is_empty() {
        return None;
    }
    let mut by_reason: BTreeMap<SkipReason, BTreeMap<&str, (u64, u64)>> = BTreeMap::new();
    for row in &rows {
        let kind = by_reason.entry(row.reason).or_default();
        let entry = kind.entry(row.kind.as_str()).or_default();
        entry.0 += row.count;
        entry.1 += row.bytes;
    }
    let parts: Vec<String> = by_reason
        .iter()
        .map(|(reason, kinds)| {
            let mut kinds: Vec<(&str, u64, u64)> =
                kinds.iter().map(|(k, (c, b))| (*k, *c, *b)).collect();
            kinds.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)));
            let total: u64 = kinds.iter().map(|k| k.1).sum();
            let shown: Vec<String> = kinds
                .iter()
                .take(3)
                .map(|(kind, count, _)| format!("{kind} {count}"))
                .collect();
            let more = if kinds.len() > 3 { ", …" } else { "" };
            format!("{} {total} ({}{more})", reason.describe(), shown.join(", "))
        })
        .collect();
    let count: u64 = rows.iter().map(|r| r.count).sum();
    let bytes: u64 = rows.iter().map(|r| r.bytes).sum();
    Some(format!(
        "Not scanned: {count} files ({}): {}",
        catalog_export::human_bytes(bytes),
        parts.join("; ")
    ))
}

/// How much of what was asked was read, failures counted at both levels:
/// `2 assets in 1 of 2 sources scanned (1 source failed, 1 asset failed)`.
pub fn coverage_line(report: &ScanReport) -> String {
    let failed_assets = report.failed_assets().count();
    let failed_sources = report
        .sources
        .iter()
        .filter(|s| s.status == Status::Error)
        .count();
    let partial = report.partial_assets().count()
        + report
            .sources
            .iter()
            .filter(|s| s.status == Status::Partial)
            .count();
    let total = report.sources.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut failures = if failed_sources + failed_assets == 0 {
        "none failed".to_string()
    } else {
        format!(
            "{} failed, {} failed",
            plural(failed_sources, "source"),
            plural(failed_assets, "asset")
        )
    };
    if partial > 0 {
        failures.push_str(&format!(", {partial} read only in part"));
    }
    format!(
        "{} in {} of {} scanned ({failures})",
        plural(report.assets.len(), "asset"),
        total - failed_sources,
        plural(total, "source")
    )
}

/// The last path segment of a source, enough to tell sources apart in a table.
fn short_source(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{AssetReport, CategoryReport, ColumnReport, SourceReport};

    fn unscanned(reason: SkipReason, kind: &str, count: u64, bytes: u64) -> Unscanned {
        Unscanned {
            reason,
            kind: kind.into(),
            count,
            bytes,
        }
    }

    #[test]
    fn lists_findings_and_failures() {
        let asset = |name: &str, status, error: Option<&str>| AssetReport {
            source: "sqlite://data/crm.db".into(),
            name: name.into(),
            kind: model::AssetKind::Table,
            row_count: None,
            bytes: None,
            sampled_rows: 0,
            sampling: None,
            status,
            error: error.map(str::to_string),
            warnings: vec![],
            partition_columns: vec![],
            snapshot: None,
            categories: vec![],
            persons: None,
            geofence_hits: vec![],
            media: None,
            columns: vec![ColumnReport {
                name: "sfzh".into(),
                data_type: "Utf8".into(),
                categories: vec![CategoryReport {
                    id: "pi.cn_resident_id".into(),
                    confidence: 0.97,
                    matched: 97,
                    sampled: 100,
                    by: vec!["value".into()],
                    evidence: vec![],
                }],
            }],
        };
        let report = ScanReport {
            schema: "mulu.scan-report/v1".into(),
            started_at: model::now(),
            finished_at: model::now(),
            sources: vec![SourceReport {
                url: "sqlite://data/crm.db".into(),
                status: Status::Ok,
                error: None,
                unscanned: vec![
                    unscanned(SkipReason::UnsupportedType, ".jpg", 3, 3 << 20),
                    unscanned(SkipReason::UnsupportedType, ".pdf", 1, 1 << 20),
                    unscanned(SkipReason::Bookkeeping, "_SUCCESS", 2, 0),
                ],
            }],
            assets: vec![
                asset("customers", Status::Ok, None),
                asset("broken", Status::Error, Some("corrupt footer")),
            ],
            categories: Default::default(),
            persons: Some(model::PersonsReport {
                distinct: Some(1700),
                lower: 1700,
                upper: 1700,
                method: model::CountMethod::Exact,
                mergeable: false,
                key_hash: None,
                key_id: None,
                by_identifier: Default::default(),
                thresholds: vec![model::Verdict {
                    id: "ndsr-art28".into(),
                    rule: model::Op::Ge,
                    value: 10_000_000,
                    status: model::ThresholdStatus::NotCrossed,
                    basis: String::new(),
                }],
                incomplete: vec![],
                exact_over_budget: false,
                by_item: Default::default(),
                free_text: None,
            }),
        };
        let text = render(&report);
        assert!(
            text.contains("Distinct persons: 1700 (exact, per-run key); ndsr-art28 not_crossed"),
            "{text}"
        );
        let mut with_text = report.clone();
        if let Some(p) = with_text.persons.as_mut() {
            p.free_text = Some(model::FreeTextPersons {
                persons: 350,
                only: 250,
            });
        }
        assert!(
            render(&with_text).contains(
                "Distinct persons: 1700 (exact, per-run key; 350 named in free text, 250 of \
                 them only there); ndsr-art28"
            ),
            "{}",
            render(&with_text)
        );
        assert!(text.contains("crm.db customers"), "{text}");
        assert!(
            text.contains("pi.cn_resident_id") && text.contains("0.97") && text.contains("97/100")
        );
        assert!(
            text.contains(
                "2 assets in 1 of 1 source scanned (0 sources failed, 1 asset failed); 2 column findings."
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "Not scanned: 6 files (4.00 MB): unsupported type 4 (.jpg 3, .pdf 1); \
                 hidden or bookkeeping 2 (_SUCCESS 2)"
            ),
            "{text}"
        );
    }
}
