//! 备案变更与截止日期: the filing on record, each pending trigger with its first detection
//! and due date, and the next yearly deadlines.

use std::fmt::Write;

use catalog_export::diff::Reason;

use super::escape::{esc, group};
use super::page::heading;
use super::{Lang, ReportInput};

fn reason_text(lang: Lang, reason: Reason) -> &'static str {
    match lang {
        Lang::Zh => reason.label(),
        Lang::En => match reason {
            Reason::RecordCount => "record count changed ≥30 %",
            Reason::StorageTotal => "storage total changed ≥30 %",
            Reason::NewItem => "new important item",
            Reason::RemovedItem => "important item no longer found",
            Reason::Level => "level changed",
            Reason::Carriers => "carriers changed",
            Reason::FiledField => "filed content changed",
        },
    }
}

pub(super) fn render(input: &ReportInput, lang: Lang, out: &mut String) {
    heading(
        out,
        "refiling",
        lang.t("备案变更与截止日期", "Re-filing and deadlines"),
    );
    match (&input.baseline, &input.refiling) {
        (Some(b), Some(d)) => {
            let _ = write!(
                out,
                "<p id=\"refiling-status\">{} {} ({} {}{sep}{} {}){stop}{} {} {}{colon}<b>{}</b></p>",
                lang.t("备案基线", "Baseline"),
                b.id,
                lang.t("备案日期", "filed"),
                esc(&b.filed_at),
                lang.t("扫描", "scan"),
                b.scan_id,
                lang.t("最新扫描", "Latest scan"),
                d.current_scan,
                lang.t("与基线相比", "against it"),
                if d.refiling_needed {
                    lang.t("需要备案变更", "re-filing needed")
                } else {
                    lang.t("无需备案变更", "no re-filing needed")
                },
                sep = lang.t("，", ", "),
                stop = lang.t("。", ". "),
                colon = lang.t("：", ": "),
            );
            if d.current_scan != input.scan_id {
                let _ = write!(
                    out,
                    "<p class=\"muted\">{}</p>",
                    lang.t(
                        "备案变更状态以最新扫描为准，而非本报告所示的扫描。",
                        "The re-filing status is that of the latest scan, not of the scan this report shows."
                    )
                );
            }
            if !d.triggers.is_empty() {
                let _ = write!(
                    out,
                    "<table id=\"triggers\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                    lang.t("数据", "Item"),
                    lang.t("变更原因", "Reason"),
                    lang.t("说明", "Detail"),
                    lang.t("备案值", "Filed"),
                    lang.t("当前值", "Now"),
                    lang.t("首次发现", "First detected"),
                    lang.t("截止日期", "Due by")
                );
                for t in &d.triggers {
                    let figure = |v: Option<u64>| v.map_or_else(|| "—".to_string(), group);
                    let _ = write!(
                        out,
                        "<tr data-item=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"due\">{}</td></tr>",
                        esc(&t.trigger.item_id),
                        esc(&t.trigger.data_name),
                        reason_text(lang, t.trigger.reason),
                        esc(&t.trigger.detail),
                        figure(t.trigger.baseline),
                        figure(t.trigger.current),
                        esc(&t.detected_at),
                        esc(&t.due_by)
                    );
                }
                let _ = write!(
                    out,
                    "</tbody></table><p class=\"muted\">{}</p>",
                    lang.t(
                        "自首次发现之日起三个月内办理备案变更。",
                        "File the change within three months of its first detection."
                    )
                );
            }
            if !d.not_comparable.is_empty() {
                let _ = write!(
                    out,
                    "<h3>{}</h3><ul>",
                    lang.t(
                        "无法比较（相关数据源本次未能读取，不构成变更）",
                        "Not comparable (their sources could not be read; not triggers)"
                    )
                );
                for n in &d.not_comparable {
                    let _ = write!(
                        out,
                        "<li>{} — {}: {}</li>",
                        esc(&n.data_name),
                        reason_text(lang, n.reason),
                        esc(&n.detail)
                    );
                }
                out.push_str("</ul>");
            }
        }
        (Some(b), None) => {
            let _ = write!(
                out,
                "<p id=\"refiling-status\">{} {} ({} {}{sep}{} {}){stop}{}</p>",
                lang.t("备案基线", "Baseline"),
                b.id,
                lang.t("备案日期", "filed"),
                esc(&b.filed_at),
                lang.t("扫描", "scan"),
                b.scan_id,
                lang.t(
                    "最新扫描无法与之比较（未存储目录）；重新运行 mulu scan 后再生成报告。",
                    "The latest scan cannot be compared with it (no stored catalogue); run mulu scan again."
                ),
                sep = lang.t("，", ", "),
                stop = lang.t("。", ". "),
            );
        }
        (None, _) => {
            let _ = write!(
                out,
                "<p id=\"refiling-status\">{}</p>",
                lang.t(
                    "尚无备案基线：目录备案后，用 mulu baseline accept 记录备案日期。",
                    "No filing baseline yet: once the catalogue is filed, record it with mulu baseline accept."
                )
            );
        }
    }
    let today = catalog_export::beijing::date(input.generated_at);
    let _ = write!(
        out,
        "<h3>{}</h3><table id=\"deadlines\"><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        lang.t("年度截止日期", "Yearly deadlines"),
        lang.t("事项", "What"),
        lang.t("下一次截止日期", "Next due"),
        lang.t("剩余天数", "Days left")
    );
    for d in &input.deadlines {
        match d.date {
            Some(date) => {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td class=\"due\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(&d.name),
                    date,
                    (date - today).num_days()
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td colspan=\"2\">{} '{}'</td></tr>",
                    esc(&d.name),
                    lang.t("日期无效（应为 MM-DD）：", "bad date (use MM-DD):"),
                    esc(&d.configured)
                );
            }
        }
    }
    out.push_str("</tbody></table></section>");
}
