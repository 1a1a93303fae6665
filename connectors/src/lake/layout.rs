//! How the files of a folder or bucket form assets: one file, or a hive-partitioned or
//! Spark-style folder read as one dataset; which files are read at all.

use std::collections::BTreeMap;
use std::path::Path as FsPath;

use object_store::path::Path;
use object_store::ObjectMeta;

use super::spreadsheet::is_spreadsheet;
use crate::compression::Compression;
use crate::documents::DocumentKind;
use crate::source::is_sqlite_file;
use crate::unscanned::{file_kind, UnscannedTally};
use crate::{AssetInfo, AssetKind, FileFormat, SkipReason};

/// The files behind one asset.
#[derive(Debug, Clone)]
pub(super) struct AssetFiles {
    pub(super) format: FileFormat,
    pub(super) files: Vec<ObjectMeta>,
    /// The row count when the table format's metadata gives it (Iceberg's record counts).
    pub(super) rows: Option<u64>,
    /// What a sample should warn about (delete files not applied, files missing).
    pub(super) notes: Vec<String>,
}

impl AssetFiles {
    /// Files whose rows are counted by reading them.
    pub(super) fn of(format: FileFormat, files: Vec<ObjectMeta>) -> Self {
        Self {
            format,
            files,
            rows: None,
            notes: Vec::new(),
        }
    }
}

/// The files of a dataset in `share`, by path order (so every process deals them alike).
pub(super) fn files_in_share(
    mut files: Vec<ObjectMeta>,
    share: &crate::PassShare,
) -> Vec<ObjectMeta> {
    files.sort_by(|a, b| a.location.cmp(&b.location));
    files
        .into_iter()
        .enumerate()
        .filter(|(i, _)| share.holds_file(*i))
        .map(|(_, file)| file)
        .collect()
}

/// The format of a file by its name; `.gz`/`.gzip`/`.zst`/`.zstd` after a text extension is
/// read through the decompressor ([`Compression::of`]). Parquet compresses inside the file, so
/// a compressed parquet file is not something writers produce and is not listed.
pub(super) fn format_of(path: &Path) -> Option<FileFormat> {
    let name = path.filename()?.to_ascii_lowercase();
    let compressed = Compression::of(&name) != Compression::None;
    let base = match name.rsplit_once('.') {
        Some((base, _)) if compressed => base,
        _ => name.as_str(),
    };
    if base.ends_with(".parquet") || base.ends_with(".parq") {
        (!compressed).then_some(FileFormat::Parquet)
    } else if base.ends_with(".csv") {
        Some(FileFormat::Csv)
    } else if base.ends_with(".tsv") {
        Some(FileFormat::Tsv)
    } else if base.ends_with(".txt") || base.ends_with(".log") {
        Some(FileFormat::Text)
    } else if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
        Some(FileFormat::JsonLines)
    } else if base.ends_with(".json") {
        Some(FileFormat::Json)
    } else if base.ends_with(".avro") {
        // Avro compresses inside its blocks, like parquet.
        (!compressed).then_some(FileFormat::Avro)
    } else if DocumentKind::of(base).is_some() {
        // Documents are containers or object trees; a compressed one is not read.
        (!compressed).then_some(FileFormat::Document)
    } else if is_spreadsheet(base) {
        // Workbooks are zip or OLE containers: compressing them again is not a thing.
        (!compressed).then_some(FileFormat::Spreadsheet)
    } else {
        None
    }
}

/// Where a file's dataset starts: the folder above its first `key=value` segment, or its own
/// folder when it is a Spark-style `part-*` file. `None` for a stand-alone file.
fn dataset_root(path: &Path) -> Option<(String, Vec<String>)> {
    let parts: Vec<&str> = path.as_ref().split('/').collect();
    let (dirs, file) = parts.split_at(parts.len() - 1);
    if let Some(first) = dirs.iter().position(|d| is_partition_segment(d)) {
        let partitions = dirs[first..]
            .iter()
            .filter_map(|d| d.split_once('=').map(|(k, _)| k.to_string()))
            .collect();
        return Some((dirs[..first].join("/"), partitions));
    }
    let file = file[0];
    if !dirs.is_empty() && is_spark_part_file(file) {
        return Some((dirs.join("/"), Vec::new()));
    }
    None
}

/// Spark/Hive writer output: `part-00000…`, a `part-` prefix followed by digits.
fn is_spark_part_file(file: &str) -> bool {
    file.strip_prefix("part-")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

fn is_partition_segment(segment: &str) -> bool {
    segment
        .split_once('=')
        .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty() && !k.contains(' '))
}

/// The first hidden or bookkeeping segment of a path (`.git`, `_SUCCESS`, `_delta_log`), if
/// any: such files are not data.
pub(super) fn hidden_segment(path: &Path) -> Option<&str> {
    path.as_ref()
        .split('/')
        .find(|p| p.starts_with('.') || p.starts_with('_'))
}

/// Groups listed files into assets, keyed by asset name, keeping every asset's files; every
/// file left out is counted in `skipped` with its reason. SQLite files are neither: the
/// source opens them separately.
pub(super) fn group_assets(
    files: Vec<ObjectMeta>,
    skipped: &mut UnscannedTally,
) -> BTreeMap<String, (AssetInfo, AssetFiles)> {
    let mut grouper = Grouper::keeping_files();
    for meta in files {
        grouper.add(meta, skipped);
    }
    grouper.finish(skipped)
}

/// Listed files gathered into assets as they stream by, in any order. Without kept files a
/// dataset holds only its figures, so the listing of a bucket of millions of files takes
/// memory for its assets, not its files: a sample or a full pass lists its one folder again.
#[derive(Default)]
pub(super) struct Grouper {
    keep_files: bool,
    assets: BTreeMap<String, Gathering>,
}

/// One asset being gathered. A dataset is read in the format of its first file by path
/// order, which is known only once the whole listing has gone by, so files are gathered per
/// format.
struct Gathering {
    kind: AssetKind,
    /// The smallest path seen, and the partition columns it names.
    first: Path,
    partitions: Vec<String>,
    formats: Vec<FormatFiles>,
}

/// The files of one format within an asset.
struct FormatFiles {
    format: FileFormat,
    first: Path,
    bytes: u64,
    /// Count and bytes per file kind, for the tally should this format not be the one read.
    kinds: BTreeMap<String, (u64, u64)>,
    kept: Vec<ObjectMeta>,
}

impl Grouper {
    /// A grouper that keeps each asset's files (to read one asset).
    pub(super) fn keeping_files() -> Self {
        Self {
            keep_files: true,
            ..Self::default()
        }
    }

    /// Adds one listed file: to its asset, or to `skipped` with the reason it is not read.
    pub(super) fn add(&mut self, meta: ObjectMeta, skipped: &mut UnscannedTally) {
        if let Some(segment) = hidden_segment(&meta.location) {
            skipped.add(SkipReason::Bookkeeping, segment, meta.size);
            return;
        }
        if is_sqlite_file(FsPath::new(meta.location.as_ref())) {
            return;
        }
        let Some(format) = format_of(&meta.location) else {
            skipped.add(
                SkipReason::UnsupportedType,
                &file_kind(meta.location.as_ref()),
                meta.size,
            );
            return;
        };
        // A workbook or a document is never part of a dataset: it is an asset of its own.
        let root = (!matches!(format, FileFormat::Spreadsheet | FileFormat::Document))
            .then(|| dataset_root(&meta.location))
            .flatten();
        let (name, kind, partitions) = match root {
            Some((root, partitions)) if !root.is_empty() => (root, AssetKind::Dataset, partitions),
            _ => (meta.location.to_string(), AssetKind::File, Vec::new()),
        };
        let gathering = self.assets.entry(name).or_insert_with(|| Gathering {
            kind,
            first: meta.location.clone(),
            partitions: partitions.clone(),
            formats: Vec::new(),
        });
        if meta.location < gathering.first {
            gathering.first = meta.location.clone();
            gathering.partitions = partitions;
        }
        let at = match gathering.formats.iter().position(|f| f.format == format) {
            Some(at) => at,
            None => {
                gathering.formats.push(FormatFiles {
                    format,
                    first: meta.location.clone(),
                    bytes: 0,
                    kinds: BTreeMap::new(),
                    kept: Vec::new(),
                });
                gathering.formats.len() - 1
            }
        };
        let files = &mut gathering.formats[at];
        if meta.location < files.first {
            files.first = meta.location.clone();
        }
        files.bytes += meta.size;
        let kind = files
            .kinds
            .entry(file_kind(meta.location.as_ref()))
            .or_default();
        kind.0 += 1;
        kind.1 += meta.size;
        if self.keep_files {
            files.kept.push(meta);
        }
    }

    /// The assets, keyed by name. Stray files of another format than a dataset's first file
    /// (a README.csv among parquet parts) are counted in `skipped`.
    pub(super) fn finish(
        self,
        skipped: &mut UnscannedTally,
    ) -> BTreeMap<String, (AssetInfo, AssetFiles)> {
        let mut assets = BTreeMap::new();
        for (name, gathering) in self.assets {
            let mut formats = gathering.formats;
            formats.sort_by(|a, b| a.first.cmp(&b.first));
            let mut read = formats.remove(0);
            for stray in formats {
                for (kind, (count, bytes)) in stray.kinds {
                    skipped.add_many(SkipReason::OtherFormatInDataset, &kind, count, bytes);
                }
            }
            read.kept.sort_by(|a, b| a.location.cmp(&b.location));
            let info = AssetInfo {
                name: name.clone(),
                kind: gathering.kind,
                row_count: None,
                bytes: Some(read.bytes),
                partition_columns: gathering.partitions,
                unreadable: None,
                snapshot: None,
                share: None,
            };
            assets.insert(name, (info, AssetFiles::of(read.format, read.kept)));
        }
        assets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(path: &str, size: u64) -> ObjectMeta {
        ObjectMeta {
            location: Path::from(path),
            last_modified: Default::default(),
            size,
            e_tag: None,
            version: None,
        }
    }

    #[test]
    fn hive_partitions_form_one_dataset() {
        let mut skipped = UnscannedTally::default();
        let assets = group_assets(
            vec![
                meta("lake/tracks/dt=2026-11-01/part-0.parquet", 10),
                meta("lake/tracks/dt=2026-11-02/part-0.parquet", 20),
                meta("lake/tracks/dt=2026-11-02/part-1.csv", 7),
                meta("lake/tracks/dt=2026-11-02/_SUCCESS", 0),
                meta("exports/a.csv", 5),
                meta("notes.key", 5),
                meta("backups/a.ZIP", 300),
                meta("backups/b.zip", 200),
                meta("crm.db", 5),
            ],
            &mut skipped,
        );
        // Every file not read is counted with its reason; the SQLite file is opened apart.
        let rows: Vec<(SkipReason, String, u64, u64)> = skipped
            .finish()
            .into_iter()
            .map(|u| (u.reason, u.kind, u.count, u.bytes))
            .collect();
        let expected = [
            (SkipReason::UnsupportedType, ".zip", 2, 500),
            (SkipReason::UnsupportedType, ".key", 1, 5),
            (SkipReason::Bookkeeping, "_SUCCESS", 1, 0),
            (SkipReason::OtherFormatInDataset, ".csv", 1, 7),
        ]
        .map(|(r, k, c, b)| (r, k.to_string(), c, b));
        assert_eq!(rows, expected);
        let names: Vec<&String> = assets.keys().collect();
        assert_eq!(names, vec!["exports/a.csv", "lake/tracks"]);
        let (info, files) = &assets["lake/tracks"];
        assert_eq!(info.kind, AssetKind::Dataset);
        assert_eq!(info.bytes, Some(30));
        assert_eq!(info.partition_columns, vec!["dt".to_string()]);
        assert_eq!(files.files.len(), 2);
        assert_eq!(assets["exports/a.csv"].0.kind, AssetKind::File);
    }

    /// An asset's name, bytes, partition columns and file paths.
    type Grouped = (String, Option<u64>, Vec<String>, Vec<String>);

    #[test]
    fn listing_order_changes_nothing() {
        let files = vec![
            meta("lake/tracks/dt=2026-11-02/part-0.csv", 7),
            meta("lake/tracks/dt=2026-11-01/part-0.parquet", 10),
            meta("lake/tracks/dt=2026-11-02/part-1.parquet", 20),
            meta("lake/tracks/dt=2026-11-03/part-9.csv", 4),
            meta("a.csv", 5),
        ];
        let group = |files: Vec<ObjectMeta>| {
            let mut skipped = UnscannedTally::default();
            let assets = group_assets(files, &mut skipped);
            let assets: Vec<Grouped> = assets
                .into_values()
                .map(|(info, files)| {
                    let paths = files.files.iter().map(|f| f.location.to_string()).collect();
                    (info.name, info.bytes, info.partition_columns, paths)
                })
                .collect();
            let skipped: Vec<(SkipReason, String, u64, u64)> = skipped
                .finish()
                .into_iter()
                .map(|u| (u.reason, u.kind, u.count, u.bytes))
                .collect();
            (assets, skipped)
        };
        let mut reversed = files.clone();
        reversed.reverse();
        let (assets, skipped) = group(files);
        assert_eq!((assets.clone(), skipped.clone()), group(reversed));
        // The dataset is read as parquet, its first file by path; its CSV strays are counted.
        assert_eq!(assets[1].0, "lake/tracks");
        assert_eq!(assets[1].1, Some(30));
        assert_eq!(
            assets[1].3,
            [
                "lake/tracks/dt=2026-11-01/part-0.parquet",
                "lake/tracks/dt=2026-11-02/part-1.parquet"
            ]
        );
        assert_eq!(
            skipped,
            [(SkipReason::OtherFormatInDataset, ".csv".to_string(), 2, 11)]
        );
    }

    #[test]
    fn without_kept_files_a_dataset_holds_its_figures_only() {
        let mut grouper = Grouper::default();
        let mut skipped = UnscannedTally::default();
        for day in 1..=28 {
            for part in 0..50 {
                let path = format!("lake/tracks/dt=2026-11-{day:02}/part-{part}.parquet");
                grouper.add(meta(&path, 100), &mut skipped);
            }
        }
        let assets = grouper.finish(&mut skipped);
        let (info, files) = &assets["lake/tracks"];
        assert_eq!(info.bytes, Some(28 * 50 * 100));
        assert_eq!(files.format, FileFormat::Parquet);
        assert!(files.files.is_empty());
    }

    #[test]
    fn spark_part_files_form_one_dataset() {
        let assets = group_assets(
            vec![
                meta("out/orders/part-00000-abc.parquet", 1),
                meta("out/orders/part-00001-abc.parquet", 1),
            ],
            &mut UnscannedTally::default(),
        );
        assert_eq!(assets.len(), 1);
        assert_eq!(assets["out/orders"].0.kind, AssetKind::Dataset);
    }

    #[test]
    fn a_file_merely_named_part_is_not_a_dataset() {
        let assets = group_assets(
            vec![
                meta("lake/part_catalog.parquet", 1),
                meta("lake/parts.parquet", 1),
            ],
            &mut UnscannedTally::default(),
        );
        assert_eq!(assets.len(), 2);
        assert_eq!(assets["lake/part_catalog.parquet"].0.kind, AssetKind::File);
    }

    #[test]
    fn compressed_text_files_are_listed_and_compressed_parquet_is_not() {
        let format = |p: &str| format_of(&Path::from(p));
        assert_eq!(format("a/b.csv.gz"), Some(FileFormat::Csv));
        assert_eq!(format("a/b.CSV.ZST"), Some(FileFormat::Csv));
        assert_eq!(format("b.jsonl.gz"), Some(FileFormat::JsonLines));
        assert_eq!(format("b.ndjson.zstd"), Some(FileFormat::JsonLines));
        assert_eq!(format("b.parquet.gz"), None);
        assert_eq!(format("b.txt.gz"), Some(FileFormat::Text));
        assert_eq!(format("exports/users.tsv"), Some(FileFormat::Tsv));
        assert_eq!(format("b.gz"), None);
        assert_eq!(format("b.parquet"), Some(FileFormat::Parquet));
        assert_eq!(format("export/users.JSON"), Some(FileFormat::Json));
        assert_eq!(format("users.json.gz"), Some(FileFormat::Json));
        assert_eq!(format("hr/花名册.XLSX"), Some(FileFormat::Spreadsheet));
        assert_eq!(format("old.xls"), Some(FileFormat::Spreadsheet));
        assert_eq!(format("old.xls.gz"), None);
        assert_eq!(format("contracts/合同.PDF"), Some(FileFormat::Document));
        assert_eq!(format("a/b.docx"), Some(FileFormat::Document));
        assert_eq!(format("a/b.pptx"), Some(FileFormat::Document));
        assert_eq!(format("site/index.htm"), Some(FileFormat::Document));
        assert_eq!(format("a/b.doc"), None);
        assert_eq!(format("events/part-0.avro"), Some(FileFormat::Avro));
        assert_eq!(format("events/part-0.avro.gz"), None);
    }
}
