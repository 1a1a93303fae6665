//! The page around the sections: head, title block, contents, footer.

use std::fmt::Write;

use super::escape::esc;
use super::{findings, history, items, persons, refiling, style, summary, Lang, ReportInput};

/// The whole page for `input` in `lang`.
pub fn render(input: &ReportInput, lang: Lang) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let org = &input.catalog.header.organization;
    let org_name = org.name.as_deref().unwrap_or_default();
    let title = lang.t(
        "个人信息与重要数据扫描报告",
        "Personal information and important data report",
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>{}{}</title><style>{}</style></head><body>",
        lang.tag(),
        esc(title),
        if org_name.is_empty() {
            String::new()
        } else {
            format!(" — {}", esc(org_name))
        },
        style::CSS
    );
    let _ = write!(
        out,
        "<header><h1>{}</h1><p class=\"meta\">{} <b>{}</b> · {} <span id=\"scan-id\">{}</span> · {} {} · {} {}</p></header>",
        esc(title),
        lang.t("单位：", "Organisation:"),
        if org_name.is_empty() {
            esc(lang.t("待填写", "not configured"))
        } else {
            esc(org_name)
        },
        lang.t("扫描", "Scan"),
        input.scan_id,
        lang.t("开始于", "started"),
        esc(&catalog_export::beijing::display(input.report.started_at)),
        lang.t("报告生成于", "report made"),
        esc(&format!(
            "{} {}",
            catalog_export::beijing::display(input.generated_at),
            lang.t("（北京时间）", "(Beijing time)")
        )),
    );
    let sections = [
        ("summary", "摘要", "Summary"),
        ("important", "重要数据", "Important data"),
        ("persons", "个人信息主体", "Persons"),
        ("catalogue", "数据目录", "Catalogue"),
        ("findings", "发现与脱敏样例", "Findings"),
        ("refiling", "备案变更与截止日期", "Re-filing and deadlines"),
        ("history", "历次扫描", "History"),
    ];
    out.push_str("<nav><p>");
    for (n, (id, zh, en)) in sections.into_iter().enumerate() {
        let _ = write!(
            out,
            "{}<a href=\"#{id}\">{}</a>",
            if n == 0 { "" } else { " · " },
            lang.t(zh, en)
        );
    }
    out.push_str("</p></nav>");
    summary::render(input, lang, &mut out);
    items::render_important(input, lang, &mut out);
    persons::render(input, lang, &mut out);
    items::render_catalogue(input, lang, &mut out);
    findings::render(input, lang, &mut out);
    refiling::render(input, lang, &mut out);
    history::render(input, lang, &mut out);
    let _ = writeln!(
        out,
        "<footer>{} mulu {} · {}</footer></body></html>",
        lang.t("由", "Made by"),
        env!("CARGO_PKG_VERSION"),
        lang.t(
            "本报告只含脱敏样例，不含任何原始标识符；离线文件，不发起任何网络请求。",
            "This report holds masked evidence only, never a raw identifier; it is one offline file that makes no network request."
        )
    );
    out
}

/// `<h2 id=…>` for a section.
pub(super) fn heading(out: &mut String, id: &str, text: &str) {
    let _ = write!(out, "<section id=\"{id}\"><h2>{}</h2>", esc(text));
}

/// A status badge: `ok`, `partial`, `error`, `crossed`, …
pub(super) fn badge(out: &mut String, class: &str, text: &str) {
    let _ = write!(
        out,
        "<span class=\"badge s-{}\">{}</span>",
        esc(class),
        esc(text)
    );
}
