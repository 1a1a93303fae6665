//! Table-level rules: categories that no single column reveals.
//!
//! Two families: vehicle data (`vehicle.*`, below) and AI data holdings
//! (`ai.*`: chat and prompt logs, instruction, preference and pre-training
//! sets, evaluation sets, embedding tables; see `tables/ai.rs`).
//!
//! A longitude column is a number, a timestamp is a timestamp and a VIN is
//! an identifier; only together do they form a vehicle track (行踪轨迹),
//! which is sensitive personal information. The vehicle-data rules
//! (《汽车数据安全管理若干规定（试行）》 Art. 3) are written in terms of such
//! combinations: charging-network operating data, exterior video, vehicle
//! flows. This module looks at one table's columns at once — their names,
//! declared types and the column categories the value classifiers already
//! found — and reports those combinations.
//!
//! It runs after column classification and needs no values, so it costs
//! nothing extra to sample. Every finding says in [`TableFinding::rule`]
//! which columns made it fire, because a reviewer has to be able to check a
//! table-level claim by looking at the schema.
//!
//! # Layout
//!
//! One file per rule under `tables/` (a [`TableRule`]: the category's
//! metadata and docs, and `evaluate`), the column analysis the rules share
//! in `tables/column.rs` (and `tables/media.rs` and `tables/media_index.rs`
//! for the two media rules),
//! and [`RULES`], the registry, with one line per rule. Adding a rule
//! touches only its file, its registry line and its tests.
//!
//! ```
//! use classifiers::{classify_table, ids, ColumnType, TableColumn};
//!
//! let (varchar, double, timestamp) =
//!     (ColumnType::parse("varchar(17)"), ColumnType::parse("double"), ColumnType::parse("timestamp"));
//! let table = [
//!     TableColumn { name: "vin", data_type: &varchar, categories: &[ids::VIN] },
//!     TableColumn { name: "lng", data_type: &double, categories: &[] },
//!     TableColumn { name: "lat", data_type: &double, categories: &[] },
//!     TableColumn { name: "gps_time", data_type: &timestamp, categories: &[] },
//! ];
//! let findings = classify_table(&table);
//! assert_eq!(findings[0].category, ids::TRAJECTORY);
//! assert_eq!(findings[0].columns, ["vin", "lng", "lat", "gps_time"]);
//! ```

use std::sync::LazyLock;

use crate::{CategoryId, CategoryInfo, ColumnType, ValueProfile};

mod ai;
mod ai_chat_log;
mod ai_embedding;
mod ai_evaluation;
mod ai_instruction;
mod ai_preference;
mod ai_pretraining;
mod cabin_media;
mod charging_ops;
mod column;
mod exterior_media;
mod media;
mod media_index;
#[cfg(test)]
mod testing;
mod traffic_flow;
mod trajectory;

pub use ai::ai_ids;
use column::TableView;

/// Every table-level rule, in the order [`classify_table`] reports them.
/// One line per rule.
static RULES: &[&dyn TableRule] = &[
    &trajectory::Trajectory,
    &charging_ops::ChargingOps,
    &exterior_media::ExteriorMedia,
    &cabin_media::CabinMedia,
    &traffic_flow::TrafficFlow,
    &ai_chat_log::ChatLog,
    &ai_instruction::InstructionData,
    &ai_preference::PreferenceData,
    &ai_pretraining::PretrainingCorpus,
    &ai_evaluation::EvaluationData,
    &ai_embedding::Embedding,
];

/// A table-level rule: one category that only a combination of columns
/// reveals.
pub(crate) trait TableRule: Sync {
    /// The category the rule reports, with its long-form docs.
    fn info(&self) -> &'static TableCategoryInfo;

    /// The rule's finding for one table, or `None` when the table does not
    /// qualify. The finding's category is [`info`](TableRule::info)'s id.
    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding>;
}

/// One column of a table, as the table rules see it.
#[derive(Debug, Clone, Copy)]
pub struct TableColumn<'a> {
    /// Column name as stored in the source (any case or language).
    pub name: &'a str,
    /// Declared type as the connector reports it (`double`, `timestamp(3)`,
    /// `Float64`, `Nullable(DateTime64(3))`, `bytea`, …); the rules look at
    /// its [`TypeFamily`](crate::TypeFamily).
    pub data_type: &'a ColumnType,
    /// Category ids the column was classified as (e.g. [`ids::VIN`](crate::ids::VIN)).
    pub categories: &'a [CategoryId],
}

/// One table-level category found in a table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TableFinding {
    /// Table category id, one of [`table_categories`].
    pub category: CategoryId,
    /// Confidence in `[0, 1]`, rounded to two decimals. Lower when a rule
    /// rests on column names rather than classified values or types.
    pub confidence: f64,
    /// Human explanation: which columns played which part, and why.
    pub rule: String,
    /// The columns that made the rule fire, in the order of the table.
    pub columns: Vec<String>,
}

/// Metadata of a table-level category, shaped like [`CategoryInfo`] plus
/// the long-form docs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCategoryInfo {
    /// Stable id, e.g. [`ids::TRAJECTORY`](crate::ids::TRAJECTORY). Never reused.
    pub id: CategoryId,
    /// Chinese display name.
    pub name_zh: &'static str,
    /// English display name.
    pub name_en: &'static str,
    /// Whether the data is personal information.
    pub is_pi: bool,
    /// Whether the data is sensitive personal information.
    pub is_sensitive: bool,
    /// GB/T 43697-2024 Appendix B PI class; empty when not PI.
    pub gbt43697_class: &'static str,
    /// The Art. 3 important-data item of 《汽车数据安全管理若干规定（试行）》
    /// the category maps to, e.g. `第三条第（三）项`.
    pub vehicle_item: Option<&'static str>,
    /// Further Art. 3 items that may apply depending on scale or location
    /// (for example item (1) when the data covers a sensitive area).
    pub related_items: &'static [&'static str],
    /// Markdown with `## What it detects`, `## Why it matters`,
    /// `## Examples` and `## Known false positives`.
    pub docs: &'static str,
}

impl TableCategoryInfo {
    /// The same metadata as a [`CategoryInfo`], so catalogue code can treat
    /// column and table categories alike.
    pub fn category_info(&self) -> CategoryInfo {
        // Field by field on top of `new`, so that fields added to
        // `CategoryInfo` later keep their defaults here.
        let mut info = CategoryInfo::new(self.id.clone(), self.name_zh, self.name_en);
        info.is_pi = self.is_pi;
        info.is_sensitive = self.is_sensitive;
        info.gbt43697_class = self.gbt43697_class.into();
        info.vehicle_item = self.vehicle_item.map(Into::into);
        info
    }
}

/// Every table-level category, in the order [`classify_table`] reports
/// them.
pub fn table_categories() -> &'static [TableCategoryInfo] {
    static CATEGORIES: LazyLock<Vec<TableCategoryInfo>> =
        LazyLock::new(|| RULES.iter().map(|rule| rule.info().clone()).collect());
    &CATEGORIES
}

/// Runs every table rule over one table's columns. Findings come in the
/// order of [`table_categories`], at most one per category.
pub fn classify_table(columns: &[TableColumn<'_>]) -> Vec<TableFinding> {
    classify_table_profiled(columns, &[])
}

/// [`classify_table`] with a [`ValueProfile`] per column (from
/// [`ColumnScan::profile`](crate::ColumnScan::profile); `None` where there
/// is none). Values let the rules see what names hide: a neutral-named
/// pair of `double` columns in China's longitude and latitude ranges, an
/// integer column of epoch milliseconds, positions that never change
/// (a weather station) or keys that never repeat (a latest-position table).
pub fn classify_table_profiled<'a>(
    columns: &[TableColumn<'a>],
    profiles: &[Option<&'a ValueProfile>],
) -> Vec<TableFinding> {
    classify_table_named("", columns, profiles)
}

/// [`classify_table_profiled`] knowing the table's bare name (no schema,
/// no file extension): a name is often the only place that says
/// `vehicle_last_position` or `charging_pile`.
pub fn classify_table_named<'a>(
    table_name: &str,
    columns: &[TableColumn<'a>],
    profiles: &[Option<&'a ValueProfile>],
) -> Vec<TableFinding> {
    let table = TableView::new(table_name, columns, profiles);
    RULES
        .iter()
        .filter_map(|rule| rule.evaluate(&table))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::testing::{found, Table};
    use super::*;
    use crate::ids;

    #[test]
    fn metadata_is_complete() {
        let mut seen = std::collections::HashSet::new();
        for c in table_categories() {
            assert!(seen.insert(c.id.clone()), "duplicate {}", c.id);
            assert!(c.id.is_vehicle() || c.id.domain() == "ai", "{}", c.id);
            assert!(!c.name_zh.is_empty() && !c.name_en.is_empty());
            assert!(c.is_pi || !c.is_sensitive, "{}", c.id);
            assert_eq!(c.is_pi, !c.gbt43697_class.is_empty(), "{}", c.id);
            for h in [
                "## What it detects",
                "## Why it matters",
                "## Examples",
                "## Known false positives",
            ] {
                assert!(c.docs.contains(h), "{}: {h}", c.id);
            }
            for item in c.vehicle_item.iter().chain(c.related_items) {
                assert!(
                    item.starts_with("第三条第（") && item.ends_with("）项"),
                    "{item}"
                );
            }
            let info = c.category_info();
            assert_eq!((&info.id, info.is_pi), (&c.id, c.is_pi));
        }
        assert_eq!(seen.len(), RULES.len());
        for id in ai_ids::ALL {
            assert!(seen.contains(id), "{id} has no rule");
        }
    }

    #[test]
    fn several_categories_in_one_table() {
        // A dashcam event log with positions: track and exterior media.
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("lng", "double", &[]),
            ("lat", "double", &[]),
            ("event_time", "timestamp", &[]),
            ("dashcam_clip_path", "varchar", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ids::TRAJECTORY, ids::EXTERIOR_MEDIA]);
        assert!(classify_table(&[]).is_empty());
    }
}
