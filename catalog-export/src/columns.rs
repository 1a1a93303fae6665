//! The columns of the filing table (重要数据目录), shared by the CSV and the workbook.
//!
//! A cell is typed, so the workbook writes counts and sizes as numbers (SUM works, no green
//! triangles) and offers a dropdown where a field takes 是/否/无, while the CSV renders the same
//! cells as text.

use crate::catalog::{CatalogItem, TO_FILL};

/// One cell of the filing table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Text.
    Text(String),
    /// A count (rows, persons).
    Count(u64),
    /// A size in bytes: a number in the workbook, `1.50 GB` in the CSV.
    Bytes(u64),
}

impl Cell {
    /// The cell as CSV text.
    pub(crate) fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Bytes(b) => human_bytes(*b),
        }
    }
}

/// Values a column takes; the workbook offers them as a dropdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choices {
    /// Free text.
    Free,
    /// Exactly one of these.
    Only(&'static [&'static str]),
    /// One of these suggested (无), or a description in words.
    Suggested(&'static [&'static str]),
}

/// A column of the filing table.
pub(crate) struct ItemColumn {
    /// Header, as filed.
    pub(crate) header: &'static str,
    /// The cell of an item.
    pub(crate) cell: fn(&CatalogItem) -> Cell,
    /// What the column takes.
    pub(crate) choices: Choices,
}

const YES_NO: &[&str] = &["是", "否"];
const NONE: &[&str] = &["无"];

fn col(header: &'static str, cell: fn(&CatalogItem) -> Cell) -> ItemColumn {
    ItemColumn {
        header,
        cell,
        choices: Choices::Free,
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The filing table's columns, in filing order.
pub(crate) fn item_columns(vehicle: bool) -> Vec<ItemColumn> {
    let mut cols = vec![
        col("目录编号", |i| text(i.catalog_no())),
        col("数据名称", |i| text(&i.data_name)),
        col("数据描述", |i| text(&i.description)),
        col("数据类别", |i| text(i.class.join(" / "))),
        col("数据级别", |i| text(i.level.to_string())),
        col("识别依据", |i| text(i.basis.join("；"))),
        col("数据来源", |i| field(&i.fields.data_source)),
        col("数据规模—条目数量", |i| {
            match i.record_count.value() {
                Some(n) => Cell::Count(n),
                None => text("未知"),
            }
        }),
        col("条目数量说明", |i| text(i.record_count.explain())),
        col("数据规模—存储总量", |i| {
            Cell::Bytes(i.storage_bytes)
        }),
        col("个人信息主体数量", |i| match i.pi_subjects {
            Some(r) if r.lower == r.upper => Cell::Count(r.lower),
            Some(r) => text(format!("{}–{}（区间）", r.lower, r.upper)),
            None => text("未计数"),
        }),
        ItemColumn {
            choices: Choices::Only(YES_NO),
            ..col("含敏感个人信息", |i| {
                text(if i.contains_sensitive_pi {
                    "是"
                } else {
                    "否"
                })
            })
        },
        col("敏感个人信息类型", |i| {
            text(i.sensitive_types.join("、"))
        }),
        col("数据载体", |i| {
            text(crate::carriers::summary(&i.carriers))
        }),
        col("存储地点", |i| field(&i.fields.storage_location)),
        col("存储期限", |i| field(&i.fields.retention)),
        col("处理目的", |i| field(&i.fields.purposes)),
        col("处理方式", |i| field(&i.fields.processing)),
        col("使用范围", |i| field(&i.fields.usage_scope)),
        col("责任主体", |i| field(&i.fields.owner)),
        ItemColumn {
            choices: Choices::Suggested(NONE),
            ..col("对外共享/提供", |i| field(&i.fields.external_sharing))
        },
        ItemColumn {
            choices: Choices::Suggested(NONE),
            ..col("跨境传输", |i| field(&i.fields.cross_border))
        },
        col("安全保护措施", |i| field(&i.fields.protections)),
    ];
    if vehicle {
        cols.push(col("汽车数据类型", |i| {
            text(
                i.vehicle
                    .as_ref()
                    .map(|v| v.kind.clone())
                    .unwrap_or_default(),
            )
        }));
        cols.push(col("重要数据条款", |i| {
            text(
                i.vehicle
                    .as_ref()
                    .map(|v| v.art3_items.join("；"))
                    .unwrap_or_default(),
            )
        }));
    }
    cols
}

fn field(value: &Option<String>) -> Cell {
    match value.as_deref() {
        Some(v) if !v.is_empty() => text(v),
        _ => text(TO_FILL),
    }
}

/// Bytes as people read them (binary units), e.g. `1.50 GB`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.50 KB");
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5.00 GB");
    }
}
