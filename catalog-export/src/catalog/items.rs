//! The catalogue as filed: header, items, carriers.

use serde::{Deserialize, Serialize};

use model::{CategoryId, Level, Timestamp};

use super::*;

/// The filing catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Always [`CATALOG_SCHEMA`].
    pub schema: String,
    /// When the scan behind it started (written in Beijing time).
    #[serde(serialize_with = "crate::beijing::serialize")]
    pub scan_started_at: Timestamp,
    /// 备案主体信息.
    pub header: FilingHeader,
    /// 重要数据目录: important and core items only.
    pub items: Vec<CatalogItem>,
    /// 数据资产台账: every item, important or not.
    pub inventory: Vec<CatalogItem>,
    /// What the scan could not read. The figures above miss it, and a re-filing diff never
    /// takes its absence for a removal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<Unread>,
    /// What the sources hold that the scan did not read (images, documents, bookkeeping
    /// files…), by source, reason and kind: storage outside every figure above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unscanned: Vec<UnscannedStorage>,
    /// The filed baseline and what changed since, when a baseline exists (set by whoever
    /// knows the filing history; the build from a report alone cannot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refiling: Option<Refiling>,
    /// `[[catalog.fields]]` entries that matched no item, described (a typo'd pattern would
    /// otherwise leave fields 待填写 without a word).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched_field_rules: Vec<String>,
}

impl Catalog {
    /// Records the filing history: 备案类型 becomes 变更 when re-filing triggers are pending.
    pub fn set_refiling(&mut self, refiling: Refiling) {
        self.header.filing_type = if refiling.changes.is_empty() {
            FilingType::Initial
        } else {
            FilingType::Change
        };
        self.refiling = Some(refiling);
    }

    /// Gives every item (important or not) its 目录编号 from `numbers` (slug → number).
    pub fn set_numbers(&mut self, numbers: &std::collections::BTreeMap<String, u32>) {
        for item in self.items.iter_mut().chain(self.inventory.iter_mut()) {
            item.number = numbers.get(&item.item_id).copied();
        }
    }
}

/// Files of one kind in one source that the scan did not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnscannedStorage {
    /// Source URL (redacted).
    pub source: String,
    /// Why, what, how many and how large.
    #[serde(flatten)]
    pub files: model::Unscanned,
}

/// A source or an asset the scan behind a catalogue could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unread {
    /// Source URL (redacted).
    pub source: String,
    /// The asset, or `None` when the whole source could not be opened or listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// Why, as the scan reported it.
    pub cause: String,
    /// Read, but only in part (columns or tables hidden by grants): what was read counts, yet
    /// a shrinking figure may be the part not read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl Unread {
    /// Whether `carrier` lies in what was not read.
    pub fn covers(&self, carrier: &Carrier) -> bool {
        self.source == carrier.source && self.asset.as_ref().is_none_or(|a| *a == carrier.asset)
    }

    /// "source X failed: …" / "asset Y of X was partly read: …".
    pub fn describe(&self) -> String {
        let what = if self.partial {
            "was partly read"
        } else {
            "failed"
        };
        match &self.asset {
            None => format!("source {} {what}: {}", self.source, self.cause),
            Some(a) => format!("asset {a} of {} {what}: {}", self.source, self.cause),
        }
    }
}

/// 备案主体信息.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilingHeader {
    /// The organisation as configured.
    pub organization: Organization,
    /// 备案类型.
    pub filing_type: FilingType,
    /// 个人信息主体总数 (lower, upper), when counted.
    pub pi_subjects_total: Option<Range>,
}

/// A count known within bounds (equal when exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Lower bound.
    pub lower: u64,
    /// Upper bound.
    pub upper: u64,
}

/// One catalogue entry: a category of data and everything holding it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogItem {
    /// Stable slug of the item (from its definition), the key of diffs and field rules.
    pub item_id: String,
    /// The number behind 目录编号 ([`CatalogItem::catalog_no`]), kept for a slug from the first
    /// time it was catalogued; `None` until numbered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// 数据名称.
    pub data_name: String,
    /// 数据描述.
    pub description: String,
    /// 数据类别, up to three levels.
    pub class: Vec<String>,
    /// 数据级别: 一般 / 重要 / 核心.
    pub level: Level,
    /// 识别依据: the rules that made it important.
    pub basis: Vec<String>,
    /// Category ids found.
    pub categories: Vec<CategoryId>,
    /// 数据规模—条目数量: rows over all carriers, with how it is known.
    #[serde(deserialize_with = "super::scale::legacy_or_tagged")]
    pub record_count: RecordCount,
    /// 数据规模—存储总量 in bytes (known ones).
    pub storage_bytes: u64,
    /// Whether every carrier's size (rows and bytes) was known.
    pub scale_complete: bool,
    /// 个人信息主体数量, when counted.
    pub pi_subjects: Option<Range>,
    /// 含敏感个人信息.
    pub contains_sensitive_pi: bool,
    /// 敏感个人信息类型 (Chinese names).
    pub sensitive_types: Vec<String>,
    /// 数据载体.
    pub carriers: Vec<Carrier>,
    /// Person-supplied fields (None = 待填写).
    pub fields: PersonFields,
    /// The vehicle extension, for vehicle organisations.
    pub vehicle: Option<VehicleExtension>,
    /// Decisions that need a person (e.g. a persons rule that could not be decided).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl CatalogItem {
    /// 目录编号 as filed (`ML-007`), or the slug while the item has no number.
    pub fn catalog_no(&self) -> String {
        self.number
            .map_or_else(|| self.item_id.clone(), format_catalog_no)
    }
}

/// 目录编号 for item number `n`: `ML-007`.
pub fn format_catalog_no(n: u32) -> String {
    format!("{CATALOG_NO_PREFIX}-{n:03}")
}

/// One asset holding an item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Carrier {
    /// Source URL (redacted).
    pub source: String,
    /// Table or path.
    pub asset: String,
    /// sqlite, postgresql, mysql, parquet, csv, jsonl, …
    pub store_type: String,
}

/// 车联网 extension of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VehicleExtension {
    /// 汽车数据类型.
    pub kind: String,
    /// 重要数据条款: the Art. 3 items that fired.
    pub art3_items: Vec<String>,
}
