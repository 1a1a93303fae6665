//! The filing table as CSV: UTF-8 with a byte-order mark, so Excel shows the Chinese headers.

use crate::catalog::{Catalog, CatalogItem};

/// A column of the filing table: its header and how a cell is rendered.
pub(crate) type ItemColumn = (&'static str, fn(&CatalogItem) -> String);

/// Column headers of the filing table (重要数据目录), in filing order, with cell renderers.
pub(crate) fn item_columns(vehicle: bool) -> Vec<ItemColumn> {
    let mut cols: Vec<ItemColumn> = vec![
        ("目录编号", |i| i.item_id.clone()),
        ("数据名称", |i| i.data_name.clone()),
        ("数据描述", |i| i.description.clone()),
        ("数据类别", |i| i.class.join(" / ")),
        ("数据级别", |i| i.level.to_string()),
        ("识别依据", |i| i.basis.join("；")),
        ("数据来源", |i| field(&i.fields.data_source)),
        ("数据规模—条目数量", |i| {
            i.record_count.to_string()
        }),
        ("数据规模—存储总量", |i| {
            human_bytes(i.storage_bytes)
        }),
        ("个人信息主体数量", |i| match i.pi_subjects {
            Some(r) if r.lower == r.upper => r.lower.to_string(),
            Some(r) => format!("{}–{}", r.lower, r.upper),
            None => "未计数".into(),
        }),
        ("含敏感个人信息", |i| {
            if i.contains_sensitive_pi {
                "是"
            } else {
                "否"
            }
            .into()
        }),
        ("敏感个人信息类型", |i| i.sensitive_types.join("、")),
        ("数据载体", |i| crate::carriers::summary(&i.carriers)),
        ("存储地点", |i| field(&i.fields.storage_location)),
        ("存储期限", |i| field(&i.fields.retention)),
        ("处理目的", |i| field(&i.fields.purposes)),
        ("处理方式", |i| field(&i.fields.processing)),
        ("使用范围", |i| field(&i.fields.usage_scope)),
        ("责任主体", |i| field(&i.fields.owner)),
        ("对外共享/提供", |i| field(&i.fields.external_sharing)),
        ("跨境传输", |i| field(&i.fields.cross_border)),
        ("安全保护措施", |i| field(&i.fields.protections)),
    ];
    if vehicle {
        cols.push(("汽车数据类型", |i| {
            i.vehicle
                .as_ref()
                .map(|v| v.kind.clone())
                .unwrap_or_default()
        }));
        cols.push(("重要数据条款", |i| {
            i.vehicle
                .as_ref()
                .map(|v| v.art3_items.join("；"))
                .unwrap_or_default()
        }));
    }
    cols
}

fn field(value: &Option<String>) -> String {
    match value.as_deref() {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => crate::catalog::TO_FILL.to_string(),
    }
}

/// Bytes as people read them (binary units), e.g. `1.5 GB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: &[&str] = &["B", "KB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.2} {}", UNITS[unit])
    }
}

fn escape(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The filing table (important items) as CSV text, starting with a UTF-8 BOM.
pub fn render(catalog: &Catalog) -> String {
    let cols = item_columns(catalog.header.organization.is_vehicle());
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = cols.iter().map(|(h, _)| escape(h)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for item in &catalog.items {
        let row: Vec<String> = cols.iter().map(|(_, cell)| escape(&cell(item))).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.50 KB");
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5.00 GB");
    }

    #[test]
    fn escapes_quotes_and_commas() {
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape("plain"), "plain");
    }
}
