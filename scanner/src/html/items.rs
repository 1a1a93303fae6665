//! 重要数据 (each important item with the rule and basis that made it so) and 数据目录 (the
//! catalogue items with their carriers and scale).

use std::fmt::Write;

use catalog_export::catalog::{CatalogItem, RecordCount};

use super::escape::{esc, group};
use super::page::heading;
use super::{Lang, ReportInput};

/// At most this many carriers are listed per item; the rest are counted.
const CARRIERS_SHOWN: usize = 12;

fn category_names(input: &ReportInput, lang: Lang, item: &CatalogItem) -> String {
    item.categories
        .iter()
        .map(|id| {
            input
                .report
                .categories
                .get(id)
                .map(|m| match lang {
                    Lang::Zh => m.name_zh.clone(),
                    Lang::En => m.name_en.clone(),
                })
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.as_str().to_string())
        })
        .collect::<Vec<_>>()
        .join(lang.t("、", ", "))
}

pub(super) fn render_important(input: &ReportInput, lang: Lang, out: &mut String) {
    heading(out, "important", lang.t("重要数据", "Important data"));
    if input.catalog.items.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p></section>",
            lang.t(
                "未识别出重要数据或核心数据。",
                "No important or core data was identified."
            )
        );
        return;
    }
    let _ = write!(
        out,
        "<table id=\"important-items\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        lang.t("目录编号", "No."),
        lang.t("数据名称", "Data"),
        lang.t("级别", "Level"),
        lang.t("识别依据（规则）", "Basis (rules)"),
        lang.t("数据类别", "Categories")
    );
    for item in &input.catalog.items {
        let _ = write!(
            out,
            "<tr data-item=\"{}\"><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&item.item_id),
            esc(&item.catalog_no()),
            esc(&item.data_name),
            esc(item.level.as_str()),
            item.basis
                .iter()
                .map(|b| esc(b))
                .collect::<Vec<_>>()
                .join("<br>"),
            esc(&category_names(input, lang, item))
        );
    }
    out.push_str("</tbody></table></section>");
}

/// 条目数量 with how it is known: `1,350` (counted), `≈1,350` (estimated), `≥ 300` or `未知`.
pub(super) fn record_count_text(lang: Lang, count: &RecordCount) -> String {
    match count {
        RecordCount::Counted { value } => group(*value),
        RecordCount::Estimated { value, .. } => format!("≈{}", group(*value)),
        RecordCount::Unknown { known, .. } if *known > 0 => format!("≥ {}", group(*known)),
        RecordCount::Unknown { .. } => lang.t("未知", "unknown").to_string(),
    }
}

pub(super) fn render_catalogue(input: &ReportInput, lang: Lang, out: &mut String) {
    heading(out, "catalogue", lang.t("数据目录", "Catalogue"));
    let c = &input.catalog;
    let _ = write!(
        out,
        "<p>{} <b>{}</b> · {} {} · {} {}</p>",
        lang.t("备案类型：", "Filing type:"),
        esc(filing_type(input)),
        group(c.items.len() as u64),
        lang.t("项重要数据", "important items"),
        group(c.inventory.len() as u64),
        lang.t("项台账条目（含一般数据）", "inventory items (all levels)")
    );
    if c.items.is_empty() {
        out.push_str("</section>");
        return;
    }
    let _ = write!(
        out,
        "<table id=\"catalogue-items\"><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        lang.t("目录编号", "No."),
        lang.t("数据名称", "Data"),
        lang.t("条目数量", "Records"),
        lang.t("存储总量", "Storage"),
        lang.t("个人信息主体", "Persons"),
        lang.t("敏感个人信息", "Sensitive PI"),
        lang.t("数据载体", "Carriers")
    );
    for item in &c.items {
        let persons = match item.pi_subjects {
            Some(r) if r.lower == r.upper => group(r.lower),
            Some(r) => format!("{}–{}", group(r.lower), group(r.upper)),
            None => "—".into(),
        };
        let sensitive = if item.contains_sensitive_pi {
            item.sensitive_types.join("、")
        } else {
            lang.t("否", "no").to_string()
        };
        let _ = write!(
            out,
            "<tr data-item=\"{}\"><td class=\"mono\">{}</td><td>{}</td><td class=\"num\" title=\"{}\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>",
            esc(&item.item_id),
            esc(&item.catalog_no()),
            esc(&item.data_name),
            esc(&item.record_count.explain()),
            esc(&record_count_text(lang, &item.record_count)),
            esc(&catalog_export::human_bytes(item.storage_bytes)),
            esc(&persons),
            esc(&sensitive)
        );
        for carrier in item.carriers.iter().take(CARRIERS_SHOWN) {
            let _ = write!(
                out,
                "<div class=\"mono\">{} · {} <span class=\"muted\">({})</span></div>",
                esc(&carrier.source),
                esc(&carrier.asset),
                esc(&carrier.store_type)
            );
        }
        if item.carriers.len() > CARRIERS_SHOWN {
            let _ = write!(
                out,
                "<div class=\"muted\">{} {}</div>",
                lang.t("另有", "and"),
                esc(&format!(
                    "{} {}",
                    group((item.carriers.len() - CARRIERS_SHOWN) as u64),
                    lang.t(
                        "个载体（见目录导出）",
                        "more carriers (see the catalogue export)"
                    )
                ))
            );
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    let notes: Vec<String> = c
        .items
        .iter()
        .filter(|i| !matches!(i.record_count, RecordCount::Counted { .. }) || !i.notes.is_empty())
        .map(|i| {
            let mut parts = Vec::new();
            if !matches!(i.record_count, RecordCount::Counted { .. }) {
                parts.push(i.record_count.explain());
            }
            parts.extend(i.notes.iter().cloned());
            format!(
                "<li><span class=\"mono\">{}</span> {}</li>",
                esc(&i.catalog_no()),
                esc(&parts.join("；"))
            )
        })
        .collect();
    if !notes.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><ul>{}</ul>",
            lang.t("说明", "Notes"),
            notes.join("")
        );
    }
    out.push_str("</section>");
}

/// 备案类型 as the page states it: 变更 when triggers are pending against a baseline.
pub(super) fn filing_type(input: &ReportInput) -> &'static str {
    match &input.refiling {
        Some(d) if d.refiling_needed => catalog_export::catalog::FilingType::Change.as_str(),
        _ => input.catalog.header.filing_type.as_str(),
    }
}
