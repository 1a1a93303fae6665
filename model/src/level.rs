//! Data levels (数据分级) as the catalogue files them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The level of a data item under the Data Security Law's classification: 一般, 重要 or 核心.
/// Ordered from least to most protected, so raising an item is `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// 一般数据.
    #[serde(rename = "一般")]
    General,
    /// 重要数据.
    #[serde(rename = "重要")]
    Important,
    /// 核心数据.
    #[serde(rename = "核心")]
    Core,
}

impl Level {
    /// The Chinese name filed in the catalogue.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::General => "一般",
            Level::Important => "重要",
            Level::Core => "核心",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_and_serialise_in_chinese() {
        assert!(Level::General < Level::Important && Level::Important < Level::Core);
        assert_eq!(
            serde_json::to_string(&Level::Important).unwrap(),
            "\"重要\""
        );
        assert!(serde_json::from_str::<Level>("\"特别\"").is_err());
    }
}
