//! 摘要: sources, assets, failures and their causes, what the sources hold that was not read.

use std::fmt::Write;

use model::{SkipReason, Status};

use super::escape::{esc, group};
use super::page::{badge, heading};
use super::{Lang, ReportInput};

/// At most this many failed or partial assets are listed; the rest are counted.
const FAILURES_SHOWN: usize = 200;

pub(super) fn status_text(lang: Lang, status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Ok => ("ok", lang.t("正常", "ok")),
        Status::Partial => ("partial", lang.t("部分读取", "partial")),
        Status::Error => ("error", lang.t("失败", "error")),
    }
}

fn reason_text(lang: Lang, reason: SkipReason) -> &'static str {
    lang.t(reason.describe_zh(), reason.describe())
}

pub(super) fn render(input: &ReportInput, lang: Lang, out: &mut String) {
    let r = &input.report;
    heading(out, "summary", lang.t("摘要", "Summary"));
    let count = |s: Status| r.sources.iter().filter(|x| x.status == s).count();
    let assets = |s: Status| r.assets.iter().filter(|x| x.status == s).count();
    let persons = r.persons.as_ref().map_or_else(
        || lang.t("未计数", "not counted").to_string(),
        |p| match p.distinct {
            Some(d) => group(d),
            None => format!("{}–{}", group(p.lower), group(p.upper)),
        },
    );
    let pending = input.refiling.as_ref().map_or(0, |d| d.triggers.len());
    let tiles = [
        (
            lang.t("数据源", "Sources"),
            group(r.sources.len() as u64),
            format!(
                "{} {} · {} {}",
                count(Status::Error),
                lang.t("失败", "failed"),
                count(Status::Partial),
                lang.t("部分", "partial")
            ),
        ),
        (
            lang.t("数据资产", "Assets"),
            group(r.assets.len() as u64),
            format!(
                "{} {} · {} {}",
                assets(Status::Error),
                lang.t("失败", "failed"),
                assets(Status::Partial),
                lang.t("部分", "partial")
            ),
        ),
        (
            lang.t("重要数据条目", "Important items"),
            group(input.catalog.items.len() as u64),
            format!(
                "{} {}",
                group(input.catalog.inventory.len() as u64),
                lang.t("项台账条目", "items in the inventory")
            ),
        ),
        (
            lang.t("个人信息主体", "Persons"),
            persons,
            r.persons
                .as_ref()
                .map_or(String::new(), |p| p.method.as_str().to_string()),
        ),
        (
            lang.t("待办备案变更", "Pending re-filings"),
            group(pending as u64),
            match &input.baseline {
                Some(b) => format!("{} {}", lang.t("已备案于", "filed"), b.filed_at),
                None => lang.t("尚无备案基线", "no baseline yet").to_string(),
            },
        ),
    ];
    out.push_str("<div class=\"tiles\">");
    for (label, value, note) in tiles {
        let _ = write!(
            out,
            "<div class=\"tile\">{}<b>{}</b><span class=\"muted\">{}</span></div>",
            esc(label),
            esc(&value),
            esc(&note)
        );
    }
    out.push_str("</div>");
    let _ = write!(
        out,
        "<p id=\"coverage\">{}</p>",
        esc(&match lang {
            Lang::Zh => format!(
                "共 {} 个数据源（{} 个失败，{} 个部分读取），{} 个数据资产（{} 个失败，{} 个部分读取）。",
                r.sources.len(),
                count(Status::Error),
                count(Status::Partial),
                r.assets.len(),
                assets(Status::Error),
                assets(Status::Partial)
            ),
            Lang::En => crate::summary::coverage_line(r) + ".",
        })
    );

    let _ = write!(
        out,
        "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        lang.t("数据源", "Sources"),
        lang.t("数据源", "Source"),
        lang.t("状态", "Status"),
        lang.t("原因", "Cause"),
        lang.t("未扫描文件", "Files not scanned")
    );
    for s in &r.sources {
        let (class, text) = status_text(lang, s.status);
        let _ = write!(out, "<tr><td class=\"mono\">{}</td><td>", esc(&s.url));
        badge(out, class, text);
        let unscanned: u64 = s.unscanned.iter().map(|u| u.count).sum();
        let _ = write!(
            out,
            "</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(s.error.as_deref().unwrap_or("")),
            group(unscanned)
        );
    }
    out.push_str("</tbody></table>");

    let failed: Vec<_> = r.assets.iter().filter(|a| a.status != Status::Ok).collect();
    if !failed.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            lang.t("失败或部分读取的数据资产", "Assets failed or read in part"),
            lang.t("数据源", "Source"),
            lang.t("数据资产", "Asset"),
            lang.t("状态", "Status"),
            lang.t("原因", "Cause")
        );
        for a in failed.iter().take(FAILURES_SHOWN) {
            let (class, text) = status_text(lang, a.status);
            let _ = write!(
                out,
                "<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td>",
                esc(&a.source),
                esc(&a.name)
            );
            badge(out, class, text);
            let _ = write!(
                out,
                "</td><td>{}</td></tr>",
                esc(a.error.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</tbody></table>");
        if failed.len() > FAILURES_SHOWN {
            let _ = write!(
                out,
                "<p class=\"muted\">{} {}</p>",
                group((failed.len() - FAILURES_SHOWN) as u64),
                lang.t(
                    "项未列出；完整列表见扫描的 JSON 报告。",
                    "more not listed; the scan's JSON report has them all."
                )
            );
        }
    }

    let mut rows: Vec<(SkipReason, &str, u64, u64)> = Vec::new();
    for u in r.sources.iter().flat_map(|s| &s.unscanned) {
        match rows
            .iter_mut()
            .find(|x| x.0 == u.reason && x.1 == u.kind.as_str())
        {
            Some(x) => {
                x.2 += u.count;
                x.3 += u.bytes;
            }
            None => rows.push((u.reason, u.kind.as_str(), u.count, u.bytes)),
        }
    }
    if !rows.is_empty() {
        rows.sort_by(|a, b| a.0.cmp(&b.0).then(b.3.cmp(&a.3)).then(b.2.cmp(&a.2)));
        let _ = write!(
            out,
            "<h3>{}</h3><table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            lang.t("未扫描的文件（按原因）", "Not scanned, by reason"),
            lang.t("原因", "Reason"),
            lang.t("类型", "Kind"),
            lang.t("数量", "Count"),
            lang.t("大小", "Size")
        );
        for (reason, kind, count, bytes) in rows {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                reason_text(lang, reason),
                esc(kind),
                group(count),
                esc(&catalog_export::human_bytes(bytes))
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}
