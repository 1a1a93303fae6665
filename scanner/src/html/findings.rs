//! 发现与脱敏样例: each column finding with its masked evidence. The evidence was masked by
//! the classifiers and passed the redaction path again in [`super::gather`]; nothing else
//! of a value ever reaches the page.

use std::fmt::Write;

use super::escape::{esc, group};
use super::page::heading;
use super::{Lang, ReportInput};

/// At most this many findings are listed (a scan of thousands of tables would make a page
/// nobody reads); the rest are counted, and the JSON report has them all.
pub(super) const FINDINGS_SHOWN: usize = 1500;

pub(super) fn render(input: &ReportInput, lang: Lang, out: &mut String) {
    heading(out, "findings", lang.t("发现与脱敏样例", "Findings"));
    let r = &input.report;
    let findings = r
        .assets
        .iter()
        .flat_map(|a| {
            a.columns
                .iter()
                .flat_map(move |c| c.categories.iter().map(move |k| (a, c, k)))
        })
        .collect::<Vec<_>>();
    let tables = r
        .assets
        .iter()
        .flat_map(|a| a.categories.iter().map(move |k| (a, k)))
        .collect::<Vec<_>>();
    if findings.is_empty() && tables.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p></section>",
            lang.t(
                "未发现个人信息或车辆数据。",
                "No personal information or vehicle data found."
            )
        );
        return;
    }
    let name = |id: &model::CategoryId| {
        r.categories
            .get(id)
            .map(|m| match lang {
                Lang::Zh => m.name_zh.clone(),
                Lang::En => m.name_en.clone(),
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.as_str().to_string())
    };
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p><table id=\"findings-table\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        lang.t(
            "样例均已脱敏；报告不含任何原始值。",
            "Evidence is masked; the report holds no raw value."
        ),
        lang.t("数据资产", "Asset"),
        lang.t("字段", "Column"),
        lang.t("类别", "Category"),
        lang.t("置信度", "Confidence"),
        lang.t("命中/抽样", "Matched/sampled"),
        lang.t("脱敏样例", "Masked evidence")
    );
    for (asset, column, category) in findings.iter().take(FINDINGS_SHOWN) {
        let _ = write!(
            out,
            "<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td>{}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}/{}</td><td class=\"mono\">{}</td></tr>",
            esc(&asset.name),
            esc(&column.name),
            esc(&name(&category.id)),
            category.confidence,
            group(category.matched),
            group(category.sampled),
            esc(&category.evidence.join(" · "))
        );
    }
    out.push_str("</tbody></table>");
    if findings.len() > FINDINGS_SHOWN {
        let _ = write!(
            out,
            "<p class=\"muted\">{} {}</p>",
            group((findings.len() - FINDINGS_SHOWN) as u64),
            lang.t(
                "项发现未列出；完整列表见扫描的 JSON 报告（mulu scan --json）。",
                "more findings not listed; the scan's JSON report (mulu scan --json) has them all."
            )
        );
    }
    if !tables.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
            lang.t("表级类别", "Table-level categories"),
            lang.t("数据资产", "Asset"),
            lang.t("类别", "Category"),
            lang.t("置信度", "Confidence"),
            lang.t("依据", "Rule")
        );
        for (asset, k) in tables.iter().take(FINDINGS_SHOWN) {
            let _ = write!(
                out,
                "<tr><td class=\"mono\">{}</td><td>{}</td><td class=\"num\">{:.2}</td><td>{}</td></tr>",
                esc(&asset.name),
                esc(&name(&k.id)),
                k.confidence,
                esc(&k.rule)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}
