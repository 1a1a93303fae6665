//! 个人信息主体: the distinct persons against each threshold, exact or within sketch bounds,
//! with the threshold drawn.

use std::fmt::Write;

use model::{CountMethod, ThresholdStatus};

use super::chart::{threshold_bars, ThresholdBar};
use super::escape::{esc, group};
use super::page::{badge, heading};
use super::{Lang, ReportInput};

pub(super) fn verdict_text(lang: Lang, status: ThresholdStatus) -> &'static str {
    match status {
        ThresholdStatus::Crossed => lang.t("已达到", "crossed"),
        ThresholdStatus::NotCrossed => lang.t("未达到", "not crossed"),
        ThresholdStatus::Undecided => lang.t("无法判定（需精确计数）", "undecided (count exactly)"),
    }
}

pub(super) fn render(input: &ReportInput, lang: Lang, out: &mut String) {
    heading(out, "persons", lang.t("个人信息主体", "Persons"));
    let Some(p) = &input.report.persons else {
        let _ = write!(
            out,
            "<p>{}</p></section>",
            lang.t(
                "本次扫描未计数个人信息主体（使用 --persons exact 或 sketch 扫描以计数）。",
                "This scan did not count persons (scan with --persons exact or sketch)."
            )
        );
        return;
    };
    let count = match p.distinct {
        Some(d) => group(d),
        None => format!("{}–{}", group(p.lower), group(p.upper)),
    };
    let method = match p.method {
        CountMethod::Exact => lang.t("精确计数", "exact count"),
        CountMethod::Sketch => lang.t("草图估算（上下界）", "sketch bounds"),
    };
    let _ = write!(
        out,
        "<p>{} <b id=\"persons-count\">{}</b>{}{}{}{}</p>",
        lang.t("去重后的个人信息主体：", "Distinct persons:"),
        esc(&count),
        lang.t("（", " ("),
        method,
        if p.mergeable {
            ""
        } else {
            lang.t(
                "；临时密钥，不能与其他扫描合并",
                "; per-run key, not mergeable",
            )
        },
        lang.t("）", ")")
    );
    if p.exact_over_budget {
        let _ = write!(
            out,
            "<p class=\"due\">{}</p>",
            lang.t(
                "精确计数超出内存预算，已改用草图估算。",
                "Exact counting outgrew its memory budget and fell back to sketches."
            )
        );
    }
    if !p.incomplete.is_empty() {
        let _ = write!(
            out,
            "<p>{} {}</p>",
            lang.t(
                "未读完的数据资产（计数偏低）：",
                "Assets not read to the end (the count is low):"
            ),
            esc(&p.incomplete.join(", "))
        );
    }
    if !p.thresholds.is_empty() {
        let bars: Vec<ThresholdBar> = p
            .thresholds
            .iter()
            .map(|t| ThresholdBar {
                label: t.id.clone(),
                lower: p.distinct.unwrap_or(p.lower),
                upper: p.distinct.unwrap_or(p.upper),
                value: t.value,
                count_text: count.clone(),
                value_text: format!("{} {}", t.rule.as_str(), group(t.value)),
            })
            .collect();
        out.push_str("<div class=\"chart\">");
        out.push_str(&threshold_bars(
            lang.t(
                "个人信息主体数量与阈值（对数坐标）",
                "Persons against thresholds (log scale)",
            ),
            &bars,
        ));
        out.push_str("</div>");
        let _ = write!(
            out,
            "<table id=\"thresholds\"><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            lang.t("规则", "Rule"),
            lang.t("阈值", "Threshold"),
            lang.t("计数", "Count"),
            lang.t("结论", "Verdict"),
            lang.t("依据", "Basis")
        );
        for t in &p.thresholds {
            let _ = write!(
                out,
                "<tr><td class=\"mono\">{}</td><td class=\"num\">{} {}</td><td class=\"num\">{}</td><td>",
                esc(&t.id),
                esc(t.rule.as_str()),
                group(t.value),
                esc(&count)
            );
            badge(out, t.status.as_str(), verdict_text(lang, t.status));
            let _ = write!(out, "</td><td>{}</td></tr>", esc(&t.basis));
        }
        out.push_str("</tbody></table>");
    }
    if !p.by_identifier.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><table><thead><tr><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            lang.t(
                "按标识符类型（去重值，非人数）",
                "By identifier (distinct values, not persons)"
            ),
            lang.t("标识符", "Identifier"),
            lang.t("去重值", "Distinct values")
        );
        for (kind, n) in &p.by_identifier {
            let id = kind.category_id();
            let name = input
                .report
                .categories
                .get(&id)
                .map(|m| match lang {
                    Lang::Zh => m.name_zh.clone(),
                    Lang::En => m.name_en.clone(),
                })
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.as_str().to_string());
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&name),
                group(*n)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}
