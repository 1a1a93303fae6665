//! 历次扫描: per important item, its record count and storage total scan by scan against the
//! filed figure with the ±30 % band.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::chart::{history_line, Series};
use super::escape::{esc, group};
use super::page::heading;
use super::{ItemFigures, Lang, ReportInput};

fn bytes(n: u64) -> String {
    catalog_export::human_bytes(n)
}

fn rows(n: u64) -> String {
    group(n)
}

pub(super) fn render(input: &ReportInput, lang: Lang, out: &mut String) {
    heading(out, "history", lang.t("历次扫描", "History"));
    let _ = write!(
        out,
        "<p>{} {} {}{}</p>",
        group(input.history.len() as u64),
        lang.t("次扫描的目录", "scans' catalogues"),
        lang.t(
            "；虚线为备案值，浅色带为 ±30 %（超出即需备案变更，以红点标出）。",
            "; the dashed line is the filed figure, the shaded band ±30 % (a red point lies outside it: a re-filing is due)."
        ),
        if input.baseline.is_none() {
            lang.t("尚无备案基线。", " No baseline yet.")
        } else {
            ""
        }
    );
    // Every item important in some scan shown or in the baseline, by name.
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for scan in &input.history {
        for (slug, (name, _)) in &scan.items {
            names.insert(slug, name);
        }
    }
    if let Some(b) = &input.baseline {
        for (slug, (name, _)) in &b.items {
            names.insert(slug, name);
        }
    }
    let number = |slug: &str| {
        input
            .catalog
            .inventory
            .iter()
            .chain(&input.catalog.items)
            .find(|i| i.item_id == slug)
            .map_or_else(|| slug.to_string(), |i| i.catalog_no())
    };
    for (slug, name) in names {
        let filed = input
            .baseline
            .as_ref()
            .and_then(|b| b.items.get(slug))
            .map(|(_, f)| *f);
        let figures: Vec<(String, Option<ItemFigures>)> = input
            .history
            .iter()
            .map(|s| {
                (
                    format!("#{}", s.scan_id),
                    s.items.get(slug).map(|(_, f)| *f),
                )
            })
            .collect();
        let _ = write!(
            out,
            "<h3 data-item=\"{}\">{} {}</h3><div class=\"charts\"><div class=\"chart\">",
            esc(slug),
            esc(&number(slug)),
            esc(name)
        );
        out.push_str(&history_line(&Series {
            title: format!("{} — {}", name, lang.t("条目数量", "records")),
            points: figures
                .iter()
                .map(|(l, f)| (l.clone(), f.and_then(|f| f.record_count)))
                .collect(),
            baseline: filed.and_then(|f| f.record_count),
            format: rows,
        }));
        out.push_str("</div><div class=\"chart\">");
        out.push_str(&history_line(&Series {
            title: format!("{} — {}", name, lang.t("存储总量", "storage")),
            points: figures
                .iter()
                .map(|(l, f)| (l.clone(), f.map(|f| f.storage_bytes)))
                .collect(),
            baseline: filed.map(|f| f.storage_bytes),
            format: bytes,
        }));
        out.push_str("</div></div>");
    }
    if !input.history.is_empty() {
        let _ = write!(
            out,
            "<table id=\"scans\"><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            lang.t("扫描", "Scan"),
            lang.t("开始时间（北京时间）", "Started (Beijing time)"),
            lang.t("重要数据条目", "Important items")
        );
        for s in input.history.iter().rev() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                s.scan_id,
                esc(&catalog_export::beijing::display(s.started_at)),
                s.items.len()
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}
