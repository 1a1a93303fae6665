//! The scan report (`mulu.scan-report/v1`): what a scan read, what it found, and how many
//! persons it covers. Every consumer — the summary, the JSON file, the state, the catalogue —
//! reads this one typed value.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::category::CategoryId;
use crate::column_type::ColumnType;
use crate::persons::PersonsReport;

/// A point in time as reports store it: UTC, whole seconds, RFC 3339 in JSON.
pub type Timestamp = DateTime<Utc>;

/// The current time, to the second.
pub fn now() -> Timestamp {
    Utc::now().trunc_subsecs(0)
}

/// The schema tag written into every report.
pub const SCAN_REPORT_SCHEMA: &str = "mulu.scan-report/v1";

/// Whether something was read successfully.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read and classified.
    Ok,
    /// Read and classified, but not all of it: `error` says what is missing (columns or
    /// tables the scanning user has no grant on). What was read counts; it is not complete.
    Partial,
    /// Could not be read; `error` says why.
    Error,
}

/// What sort of thing an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetKind {
    /// A database table or view.
    Table,
    /// A single file.
    File,
    /// A folder of files read as one table (hive-partitioned or Spark-style).
    Dataset,
    /// Images or video grouped by key pattern (`adas-raw/front/{date}/{vin}_*.jpg`): one
    /// asset whose rows are its objects.
    Collection,
}

impl AssetKind {
    /// `table`, `file` or `dataset`.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Table => "table",
            AssetKind::File => "file",
            AssetKind::Dataset => "dataset",
            AssetKind::Collection => "collection",
        }
    }
}

/// One full scan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanReport {
    /// Always [`SCAN_REPORT_SCHEMA`].
    pub schema: String,
    /// When the scan started.
    pub started_at: Timestamp,
    /// When the scan finished.
    pub finished_at: Timestamp,
    /// Every source the scan was asked to read, including ones that failed.
    pub sources: Vec<SourceReport>,
    /// Every asset found, including ones that failed.
    pub assets: Vec<AssetReport>,
    /// What each category id found in this report means, so the report can be read (and a
    /// catalogue built from it) without the classifier library.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<CategoryId, CategoryMeta>,
    /// Distinct persons across all holdings, when counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persons: Option<PersonsReport>,
}

/// The meaning of one category id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryMeta {
    /// Chinese name, e.g. 居民身份证号.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Whether it is personal information.
    pub is_pi: bool,
    /// Whether it is sensitive personal information (PIPL Art. 28).
    pub is_sensitive: bool,
    /// The GB/T 43697 Appendix B PI class, when PI.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pi_class: String,
    /// The 《汽车数据安全管理若干规定（试行）》 Art. 3 item it supports, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_item: Option<String>,
}

/// One source (a database, a folder, a bucket).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceReport {
    /// The source URL, credentials redacted.
    pub url: String,
    /// Whether its assets could be listed (`partial`: some may be hidden from the listing).
    pub status: Status,
    /// Why not, when `status` is not `ok`.
    pub error: Option<String>,
    /// What the source holds that the scan did not read, by reason and kind: nothing is
    /// skipped without being counted here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unscanned: Vec<Unscanned>,
}

/// Why something a source holds was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A file type mulu does not read: images, video, documents, archives, …
    UnsupportedType,
    /// Hidden and bookkeeping files and folders (`.git/`, `_SUCCESS`, `_delta_log/`).
    Bookkeeping,
    /// A file of another format inside a dataset, which is read in its first file's format.
    OtherFormatInDataset,
    /// Left out by the source's `include`/`exclude` globs.
    Excluded,
    /// Larger than what mulu opens of its kind (a workbook over 128 MiB).
    OverSizeCap,
    /// Data files of a table format (Delta Lake, Iceberg) that its current snapshot no longer
    /// holds: removed, compacted or left by an expired snapshot, waiting for clean-up.
    NotInSnapshot,
    /// Delete files of an Iceberg snapshot: they hold which rows are deleted, not data.
    DeleteFile,
    /// A format this mulu was built without (PDF without the `pdf` feature).
    NotBuiltIn,
}

impl SkipReason {
    /// How the summary names it.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::UnsupportedType => "unsupported type",
            SkipReason::Bookkeeping => "hidden or bookkeeping",
            SkipReason::OtherFormatInDataset => "other format inside a dataset",
            SkipReason::Excluded => "excluded by include/exclude",
            SkipReason::OverSizeCap => "over the size cap",
            SkipReason::NotInSnapshot => "not in the table's current snapshot",
            SkipReason::DeleteFile => "delete files of the table's current snapshot",
            SkipReason::NotBuiltIn => "not built into this mulu (rebuild with --features pdf)",
        }
    }

    /// How the filing and the Chinese report name it.
    pub fn describe_zh(self) -> &'static str {
        match self {
            SkipReason::UnsupportedType => "暂不支持的文件类型",
            SkipReason::Bookkeeping => "隐藏或元数据文件",
            SkipReason::OtherFormatInDataset => "数据集中格式不同的文件",
            SkipReason::Excluded => "按配置排除",
            SkipReason::OverSizeCap => "超过大小上限",
            SkipReason::NotInSnapshot => "表格式当前快照之外的文件",
            SkipReason::DeleteFile => "表格式当前快照的删除文件",
            SkipReason::NotBuiltIn => "本版本未编译该格式的读取（PDF 需 pdf 功能）",
        }
    }
}

/// Files (or tables) of one kind that a source holds and the scan did not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unscanned {
    /// Why they were not read.
    pub reason: SkipReason,
    /// What they are: a lower-case file extension (`.jpg`), a hidden path segment
    /// (`_delta_log`), `table`, or `other` for the long tail.
    pub kind: String,
    /// How many.
    pub count: u64,
    /// Their total size in bytes, as listed (0 when the listing does not say).
    pub bytes: u64,
}

/// One asset: a table, a file or a dataset.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssetReport {
    /// The redacted URL of the source the asset belongs to.
    pub source: String,
    /// Table name, or path relative to the source root.
    pub name: String,
    /// Table, file or dataset.
    pub kind: AssetKind,
    /// Rows in the asset, when known.
    pub row_count: Option<u64>,
    /// Stored bytes, when known.
    pub bytes: Option<u64>,
    /// Rows read for classification.
    pub sampled_rows: u64,
    /// How those rows were chosen, when the connector says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<Sampling>,
    /// Whether the asset could be read.
    pub status: Status,
    /// Why not, when `status` is `error`.
    pub error: Option<String>,
    /// Non-fatal notes (a guessed encoding, skipped lines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The table-format snapshot read (`delta version 7`, `iceberg snapshot 42…`), for a Delta
    /// Lake or Iceberg table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    /// Partition columns of a hive-partitioned dataset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partition_columns: Vec<String>,
    /// Columns in source order.
    pub columns: Vec<ColumnReport>,
    /// Table-level categories (a trajectory, charging operations), from the columns together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<AssetCategoryReport>,
    /// Distinct persons in this asset, when counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persons: Option<u64>,
    /// Configured sensitive-area geofences that sampled coordinates fell into.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub geofence_hits: Vec<String>,
    /// What a media collection holds, for [`AssetKind::Collection`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaSummary>,
}

/// A media collection as listed and sampled: the figures the catalogue files (objects and
/// bytes, from the listing: exact) and what a bounded sample of its objects showed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaSummary {
    /// Objects in the collection.
    pub objects: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// The oldest and newest last-modified time among them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_modified: Option<Timestamp>,
    /// See `first_modified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<Timestamp>,
    /// The camera position its keys name (`front`, `dms`, …), when they name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_position: Option<String>,
    /// Objects whose first bytes were read.
    pub sampled_objects: u64,
    /// Content types of the sampled objects, told by their magic bytes (not their names).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub content_types: BTreeMap<String, u64>,
    /// Sampled objects carrying a GPS position (EXIF, or an MP4/MOV `©xyz` atom).
    #[serde(default)]
    pub with_gps: u64,
    /// The earliest and latest capture time in the sample (EXIF `DateTimeOriginal`, MP4
    /// `mvhd` creation time), as written there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_from: Option<String>,
    /// See `captured_from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_to: Option<String>,
    /// Camera makes and models in the sample (a few at most).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub camera_models: Vec<String>,
}

/// How an asset's sample was drawn: the report's `sampling`, e.g.
/// `{"method": "key_range_steps", "detail": "16 probes of up to 63 rows …"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sampling {
    /// `first_rows` (the table's first rows), `tablesample_system` (PostgreSQL random
    /// pages), `key_range_steps` (runs spread over an integer primary key) or
    /// `row_group_spread` (parquet row groups spread over a file or dataset) or
    /// `object_spread` (a media collection's objects, spread over its listing).
    pub method: String,
    /// What was read, in words.
    pub detail: String,
}

impl Sampling {
    /// A sampling record.
    pub fn new(method: &str, detail: impl Into<String>) -> Self {
        Sampling {
            method: method.to_owned(),
            detail: detail.into(),
        }
    }
}

/// A category that holds for the asset as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetCategoryReport {
    /// Stable category id, e.g. `vehicle.trajectory`.
    pub id: CategoryId,
    /// Confidence in `[0, 1]`.
    pub confidence: f64,
    /// Which columns made the rule fire, in words.
    pub rule: String,
    /// The columns involved.
    pub columns: Vec<String>,
}

impl AssetReport {
    /// Every category id found in the asset: column-level and table-level.
    pub fn category_ids(&self) -> impl Iterator<Item = &CategoryId> {
        self.columns
            .iter()
            .flat_map(|c| c.categories.iter().map(|k| &k.id))
            .chain(self.categories.iter().map(|k| &k.id))
    }
}

/// One column and what it holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnReport {
    /// Column name as in the source.
    pub name: String,
    /// The source's type (Arrow's notation for typed sources).
    pub data_type: ColumnType,
    /// Categories found, most confident first; empty when none.
    pub categories: Vec<CategoryReport>,
}

/// One category found in a column.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryReport {
    /// Stable category id, e.g. `pi.cn_resident_id`.
    pub id: CategoryId,
    /// Confidence in `[0, 1]`.
    pub confidence: f64,
    /// Sampled non-null values that confirmed.
    pub matched: u64,
    /// Sampled non-null values examined.
    pub sampled: u64,
    /// What the verdict rests on: `value`, `column_name`.
    pub by: Vec<String>,
    /// At most three masked examples; never a raw value.
    pub evidence: Vec<String>,
}

impl ScanReport {
    /// Assets that could not be read.
    pub fn failed_assets(&self) -> impl Iterator<Item = &AssetReport> {
        self.assets.iter().filter(|a| a.status == Status::Error)
    }

    /// Assets that were read only in part.
    pub fn partial_assets(&self) -> impl Iterator<Item = &AssetReport> {
        self.assets.iter().filter(|a| a.status == Status::Partial)
    }

    /// Whether any source or asset failed or was read only in part, which makes the scan
    /// partial.
    pub fn is_partial(&self) -> bool {
        self.sources.iter().any(|s| s.status != Status::Ok)
            || self.assets.iter().any(|a| a.status != Status::Ok)
            || self
                .persons
                .as_ref()
                .is_some_and(|p| !p.incomplete.is_empty())
    }
}

/// Writes the report as pretty JSON, atomically: a reader never sees half a file.
///
/// # Errors
/// Fails when the file cannot be written.
pub fn write_json(report: &ScanReport, path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer_pretty(&mut file, report)?;
        file.write_all(b"\n")?;
        file.flush()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_report() -> ScanReport {
        ScanReport {
            schema: SCAN_REPORT_SCHEMA.into(),
            started_at: "2026-11-23T00:00:00Z".parse().unwrap(),
            finished_at: "2026-11-23T00:00:01Z".parse().unwrap(),
            sources: vec![SourceReport {
                url: "sample-data".into(),
                status: Status::Ok,
                error: None,
                unscanned: vec![],
            }],
            assets: vec![AssetReport {
                source: "sample-data".into(),
                name: "exports/a.csv".into(),
                kind: AssetKind::File,
                row_count: Some(3),
                bytes: Some(40),
                sampled_rows: 3,
                sampling: None,
                status: Status::Error,
                error: Some("bad".into()),
                warnings: vec![],
                partition_columns: vec![],
                snapshot: None,
                columns: vec![],
                categories: vec![],
                persons: None,
                geofence_hits: vec![],
                media: None,
            }],
            categories: BTreeMap::new(),
            persons: None,
        }
    }

    #[test]
    fn json_uses_the_documented_field_names() {
        let v = serde_json::to_value(sample_report()).unwrap();
        assert_eq!(v["schema"], "mulu.scan-report/v1");
        assert_eq!(v["sources"][0]["status"], "ok");
        assert_eq!(v["assets"][0]["status"], "error");
        assert_eq!(v["assets"][0]["sampled_rows"], 3);
        assert!(v["assets"][0].get("warnings").is_none());
        assert_eq!(v["assets"][0]["kind"], "file");
        assert_eq!(v["started_at"], "2026-11-23T00:00:00Z");
    }

    #[test]
    fn a_failed_asset_makes_the_scan_partial() {
        let mut r = sample_report();
        assert!(r.is_partial());
        r.assets[0].status = Status::Ok;
        assert!(!r.is_partial());
        r.assets[0].status = Status::Partial;
        assert!(r.is_partial());
        assert_eq!(r.partial_assets().count(), 1);
        assert_eq!(r.failed_assets().count(), 0);
        r.assets[0].status = Status::Ok;
        r.sources[0].status = Status::Partial;
        assert!(r.is_partial());
        assert_eq!(
            serde_json::to_value(&r).unwrap()["sources"][0]["status"],
            "partial"
        );
    }

    #[test]
    fn write_json_round_trips() {
        let dir = std::env::temp_dir().join(format!("mulu-export-{}", std::process::id()));
        let path = dir.join("r.json");
        write_json(&sample_report(), &path).unwrap();
        let back: ScanReport =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back.assets[0].name, "exports/a.csv");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
