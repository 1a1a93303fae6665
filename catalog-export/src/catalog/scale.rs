//! 数据规模—条目数量: how many records an item holds, and how that is known.
//!
//! A count the filing states must say where it comes from: rows counted one by one (the
//! persons pass read every row, a file read to its end, SQLite's `COUNT(*)`), an estimate
//! (database statistics, a lake's row count scaled from the footers read), or not known at all.
//! An unknown count is never written as `0`: a DPO would file it.

use serde::{Deserialize, Deserializer, Serialize};

use model::{AssetReport, ScanReport};

/// An item's (or a carrier's) record count, with its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum RecordCount {
    /// Every row was counted.
    Counted {
        /// Rows.
        value: u64,
    },
    /// Estimated; `how` says from what.
    Estimated {
        /// Rows, estimated.
        value: u64,
        /// The basis of the estimate, in words (Chinese, as filed).
        how: String,
    },
    /// Not known.
    Unknown {
        /// Rows of the carriers whose count is known: a lower bound, not the count.
        known: u64,
        /// Why not, in words (Chinese, as filed).
        reason: String,
    },
}

impl RecordCount {
    /// The number to file, when there is one (counted or estimated).
    pub fn value(&self) -> Option<u64> {
        match self {
            RecordCount::Counted { value } | RecordCount::Estimated { value, .. } => Some(*value),
            RecordCount::Unknown { .. } => None,
        }
    }

    /// The 条目数量说明 cell: how the number is known.
    pub fn explain(&self) -> String {
        match self {
            RecordCount::Counted { .. } => "全量计数".into(),
            RecordCount::Estimated { how, .. } => format!("估算：{how}"),
            RecordCount::Unknown { known, reason } if *known > 0 => {
                format!("未知：{reason}（已计数部分 {known} 条，仅为下限）")
            }
            RecordCount::Unknown { reason, .. } => format!("未知：{reason}"),
        }
    }

    /// The record count of one asset, from what the scan learnt about it.
    pub fn of_asset(report: &ScanReport, asset: &AssetReport) -> RecordCount {
        // The persons pass sets a person count only on assets it read to the end, and then
        // records the rows it read as the asset's row count.
        let full_pass = report.persons.is_some() && asset.persons.is_some();
        let Some(rows) = asset.row_count else {
            let reason = if full_pass {
                "全量读取未给出行数".to_string()
            } else {
                format!(
                    "仅抽样读取 {} 行，数据源未提供总行数；开启个人信息主体计数（--persons exact）\
                     的扫描会全量读取含标识符的数据资产并计数",
                    asset.sampled_rows
                )
            };
            return RecordCount::Unknown { known: 0, reason };
        };
        if full_pass {
            return RecordCount::Counted { value: rows };
        }
        if let Some(w) = asset
            .warnings
            .iter()
            .find(|w| w.contains("row count estimated"))
        {
            return RecordCount::Estimated {
                value: rows,
                how: format!("按已读取的文件页脚行数与文件大小比例推算（{w}）"),
            };
        }
        let scheme = asset.source.split_once("://").map(|(s, _)| s);
        let statistics = match scheme {
            Some("postgres" | "postgresql") => Some("PostgreSQL 统计信息 pg_class.reltuples"),
            Some("mysql" | "mariadb") => Some("MySQL information_schema.TABLES.TABLE_ROWS"),
            _ => None,
        };
        match statistics {
            Some(source) => RecordCount::Estimated {
                value: rows,
                how: format!("数据库统计信息（{source}），未逐行计数"),
            },
            None => RecordCount::Counted { value: rows },
        }
    }

    /// An item's count: the sum of its carriers', as weak as the weakest of them.
    pub fn of_item(report: &ScanReport, assets: &[&AssetReport]) -> RecordCount {
        let mut sum = 0u64;
        let mut estimates = Vec::new();
        let mut unknown = Vec::new();
        for asset in assets {
            match RecordCount::of_asset(report, asset) {
                RecordCount::Counted { value } => sum = sum.saturating_add(value),
                RecordCount::Estimated { value, how } => {
                    sum = sum.saturating_add(value);
                    estimates.push(format!("{} {}", asset.name, how));
                }
                RecordCount::Unknown { reason, .. } => {
                    unknown.push(format!("{}：{}", asset.name, reason))
                }
            }
        }
        const NAMED: usize = 3;
        let named = |list: &[String]| {
            let mut text = list
                .iter()
                .take(NAMED)
                .cloned()
                .collect::<Vec<_>>()
                .join("；");
            if list.len() > NAMED {
                text.push_str(&format!("；另有 {} 个", list.len() - NAMED));
            }
            text
        };
        if !unknown.is_empty() {
            RecordCount::Unknown {
                known: sum,
                reason: format!(
                    "{} 个数据载体行数未知（{}）",
                    unknown.len(),
                    named(&unknown)
                ),
            }
        } else if !estimates.is_empty() {
            RecordCount::Estimated {
                value: sum,
                how: named(&estimates),
            }
        } else {
            RecordCount::Counted { value: sum }
        }
    }
}

/// Reads a record count as this version writes it, or as a bare number (catalogues stored
/// and baselines filed before counts carried their basis: such a number was filed as counted).
pub(super) fn legacy_or_tagged<'de, D: Deserializer<'de>>(d: D) -> Result<RecordCount, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Bare(u64),
        Tagged(RecordCount),
    }
    Ok(match Either::deserialize(d)? {
        Either::Bare(value) => RecordCount::Counted { value },
        Either::Tagged(count) => count,
    })
}
