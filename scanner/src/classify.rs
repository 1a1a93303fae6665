//! Classifying a sampled asset: Arrow columns in, per-column verdicts out.

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Schema};
use classifiers::{ClassifierSet, ValueProfile};
use model::{AssetCategoryReport, CategoryReport, ColumnReport};
use rayon::prelude::*;

/// Classifies every column of a sample, columns in parallel on the rayon pool.
///
/// `schema` gives the names and source types; column `i` of each batch holds the values of
/// `schema.field(i)`.
pub fn classify_sample(
    set: &ClassifierSet,
    schema: &Schema,
    batches: &[RecordBatch],
) -> Vec<ColumnReport> {
    classify_sample_profiled(set, schema, batches).columns
}

/// A classified sample: the column verdicts, and what the table rules need besides.
pub struct Classified {
    /// Per-column verdicts, in schema order.
    pub columns: Vec<ColumnReport>,
    /// Each column's [`ValueProfile`] (ranges, decimals, distinct count; no values).
    pub profiles: Vec<ValueProfile>,
    /// The table's COMMENT, when the source has one.
    pub table_comment: Option<String>,
}

impl Classified {
    /// The table-level categories of asset `asset_name` ([`classify_asset`]), its COMMENT's
    /// label counting as part of its name.
    pub fn table_categories(&self, asset_name: &str) -> Vec<AssetCategoryReport> {
        let label = self
            .table_comment
            .as_deref()
            .map(classifiers::comment_label)
            .unwrap_or_default();
        let name = table_name(asset_name);
        let words = if label.is_empty() {
            name.to_owned()
        } else {
            format!("{name}_{label}")
        };
        classify_asset(&words, &self.columns, &self.profiles)
    }
}

/// [`classify_sample`] with each column's [`ValueProfile`], taken before the scan finishes,
/// for the table rules: only values tell a neutral-named `a, b` pair of coordinates or an
/// epoch-millisecond `t` apart from prices and counters. A column's COMMENT (Arrow field
/// metadata [`connectors::COMMENT_KEY`]) hints like its name.
pub fn classify_sample_profiled(
    set: &ClassifierSet,
    schema: &Schema,
    batches: &[RecordBatch],
) -> Classified {
    let (columns, profiles) = (0..schema.fields().len())
        .into_par_iter()
        .map(|i| {
            let field = schema.field(i);
            let data_type = model::ColumnType::from_arrow(field.data_type());
            let comment = field.metadata().get(connectors::COMMENT_KEY);
            let mut scan =
                set.column_described(field.name(), comment.map(String::as_str), &data_type);
            for batch in batches {
                if let Some(array) = batch.columns().get(i) {
                    push_values(&mut scan, array.as_ref());
                }
            }
            let profile = scan.profile();
            let report = ColumnReport {
                name: field.name().clone(),
                data_type,
                categories: scan
                    .finish()
                    .into_iter()
                    .map(|f| CategoryReport {
                        id: f.category,
                        confidence: f.confidence,
                        matched: f.matched,
                        sampled: f.sampled,
                        by: f.by.iter().map(|s| s.to_string()).collect(),
                        evidence: f.evidence,
                    })
                    .collect(),
            };
            (report, profile)
        })
        .unzip();
    Classified {
        columns,
        profiles,
        table_comment: schema.metadata().get(connectors::COMMENT_KEY).cloned(),
    }
}

/// Which configured sensitive areas the sampled coordinates of an asset fall into: pairs of
/// numeric longitude/latitude columns classified `geo.coordinate`, or `lng,lat` / WKT
/// `POINT(lng lat)` strings in such a column.
pub fn geofence_hits(
    batches: &[RecordBatch],
    columns: &[ColumnReport],
    fences: &[catalog_export::catalog::Geofence],
) -> Vec<String> {
    if fences.is_empty() {
        return Vec::new();
    }
    let coordinate_cols: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.categories.iter().any(|k| k.id == model::ids::COORDINATE))
        .map(|(i, _)| i)
        .collect();
    let name_of = |i: usize| columns[i].name.to_ascii_lowercase();
    let is_lng = |n: &str| {
        ["lng", "lon", "long", "longitude", "jd", "经度"]
            .iter()
            .any(|k| n.contains(k))
    };
    let lng = coordinate_cols
        .iter()
        .copied()
        .find(|&i| is_lng(&name_of(i)));
    let lat = coordinate_cols
        .iter()
        .copied()
        .find(|&i| Some(i) != lng && !is_lng(&name_of(i)));
    let mut points: Vec<(f64, f64)> = Vec::new();
    for batch in batches {
        let text = |i: usize, row: usize| -> Option<String> {
            let array = batch.columns().get(i)?;
            if array.is_null(row) {
                return None;
            }
            let formatter =
                ArrayFormatter::try_new(array.as_ref(), &FormatOptions::default()).ok()?;
            Some(formatter.value(row).to_string())
        };
        for row in 0..batch.num_rows() {
            match (lng, lat) {
                (Some(x), Some(y)) => {
                    if let (Some(a), Some(b)) = (text(x, row), text(y, row)) {
                        if let (Ok(a), Ok(b)) = (a.trim().parse(), b.trim().parse()) {
                            points.push((a, b));
                        }
                    }
                }
                _ => {
                    for &i in &coordinate_cols {
                        if let Some(p) = text(i, row).and_then(|v| parse_point(&v)) {
                            points.push(p);
                        }
                    }
                }
            }
        }
    }
    fences
        .iter()
        .filter(|f| points.iter().any(|&(x, y)| f.contains(x, y)))
        .map(|f| f.name.clone())
        .collect()
}

/// `121.47,31.23` or `POINT(121.47 31.23)` → (lng, lat).
fn parse_point(value: &str) -> Option<(f64, f64)> {
    let v = value.trim();
    let inner = v
        .strip_prefix("POINT")
        .or_else(|| v.strip_prefix("point"))
        .map(|r| r.trim().trim_start_matches('(').trim_end_matches(')'))
        .unwrap_or(v);
    let mut parts = inner
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let a: f64 = parts.next()?.parse().ok()?;
    let b: f64 = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((a, b))
}

/// Table-level categories (a trajectory, charging operations, AI data) from the column
/// verdicts, the columns' value profiles (empty: names and types only) and the words naming
/// the table (its bare name, [`table_name`], and its COMMENT's label).
pub fn classify_asset(
    table_words: &str,
    columns: &[ColumnReport],
    profiles: &[ValueProfile],
) -> Vec<AssetCategoryReport> {
    let ids: Vec<Vec<model::CategoryId>> = columns
        .iter()
        .map(|c| c.categories.iter().map(|k| k.id.clone()).collect())
        .collect();
    let table: Vec<classifiers::TableColumn<'_>> = columns
        .iter()
        .zip(&ids)
        .map(|(c, ids)| classifiers::TableColumn {
            name: &c.name,
            data_type: &c.data_type,
            categories: ids,
        })
        .collect();
    let profiles: Vec<Option<&ValueProfile>> = profiles.iter().map(Some).collect();
    classifiers::classify_table_named(table_words, &table, &profiles)
        .into_iter()
        .map(|f| AssetCategoryReport {
            id: f.category,
            confidence: f.confidence,
            rule: f.rule,
            columns: f.columns,
        })
        .collect()
}

/// File extensions that are no part of a table's name (`gps/vehicle_last_position.csv.gz`).
const DATA_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "txt", "json", "jsonl", "ndjson", "parquet", "orc", "avro", "xlsx", "xls", "gz",
    "zst", "bz2", "xz", "snappy", "lz4",
];

/// The bare table name of an asset: `public.vehicle_last_position` and
/// `exports/vehicle_last_position.csv.gz` both give `vehicle_last_position`. Schemas,
/// directories and extensions are dropped because a directory named `latest/` says
/// nothing about one table's rows.
pub fn table_name(asset_name: &str) -> &str {
    let mut name = asset_name.rsplit(['/', '\\']).next().unwrap_or(asset_name);
    while let Some((stem, ext)) = name.rsplit_once('.') {
        if !DATA_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) {
            break;
        }
        name = stem;
    }
    name.rsplit('.').next().unwrap_or(name)
}

/// Feeds one Arrow array to a column scan, borrowing strings where the array holds them and
/// formatting other types (numbers, dates) into one reused buffer.
fn push_values(scan: &mut classifiers::ColumnScan<'_>, array: &dyn Array) {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().for_each(|v| scan.push(v)),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().for_each(|v| scan.push(v)),
        DataType::Utf8View => array.as_string_view().iter().for_each(|v| scan.push(v)),
        // Raw bytes are not text; the column name alone still counts.
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => {}
        _ => {
            let options = FormatOptions::default();
            let Ok(formatter) = ArrayFormatter::try_new(array, &options) else {
                return;
            };
            let mut buf = String::new();
            for row in 0..array.len() {
                if array.is_null(row) {
                    scan.push(None);
                    continue;
                }
                buf.clear();
                use std::fmt::Write;
                if write!(buf, "{}", formatter.value(row)).is_ok() {
                    scan.push(Some(&buf));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, StringArray};
    use arrow_schema::Field;
    use std::sync::Arc;

    #[test]
    fn points_inside_a_geofence_are_hits() {
        use arrow_array::Float64Array;
        let schema = Schema::new(vec![
            Field::new("lng", DataType::Float64, true),
            Field::new("lat", DataType::Float64, true),
        ]);
        let batch = RecordBatch::try_new(
            Arc::new(schema.clone()),
            vec![
                Arc::new(Float64Array::from(vec![121.4737, 116.3975])),
                Arc::new(Float64Array::from(vec![31.2304, 39.9087])),
            ],
        )
        .unwrap();
        let columns = classify_sample(
            &ClassifierSet::builtin(),
            &schema,
            std::slice::from_ref(&batch),
        );
        let fence = |name: &str, bbox| catalog_export::catalog::Geofence {
            name: name.into(),
            bbox,
        };
        let fences = [
            fence("area-a", [121.40, 31.20, 121.50, 31.30]),
            fence("area-b", [100.0, 20.0, 100.1, 20.1]),
        ];
        assert_eq!(
            geofence_hits(&[batch], &columns, &fences),
            vec!["area-a".to_string()]
        );
        assert_eq!(parse_point("POINT(121.47 31.23)"), Some((121.47, 31.23)));
        assert_eq!(parse_point("121.47,31.23"), Some((121.47, 31.23)));
        assert_eq!(parse_point("121.47"), None);
    }

    #[test]
    fn table_names_of_assets() {
        for (asset, table) in [
            ("public.vehicle_last_position", "vehicle_last_position"),
            ("vehicle_last_position", "vehicle_last_position"),
            (
                "exports/2024/vehicle_last_position.csv.gz",
                "vehicle_last_position",
            ),
            ("s3://bucket/latest/tracks.parquet", "tracks"),
            ("C:\\data\\车辆最新位置.xlsx", "车辆最新位置"),
            ("db.schema.charging_pile", "charging_pile"),
        ] {
            assert_eq!(table_name(asset), table, "{asset}");
        }
    }

    #[test]
    fn classifies_text_and_numeric_columns() {
        let schema = Schema::new(vec![
            Field::new("mobile", DataType::Int64, true),
            Field::new("note", DataType::Utf8, true),
        ]);
        let phones: Vec<Option<i64>> = (0..50).map(|i| Some(13_800_138_000 + i * 7919)).collect();
        let notes: Vec<Option<&str>> = (0..50).map(|_| Some("周末送货")).collect();
        let batch = RecordBatch::try_new(
            Arc::new(schema.clone()),
            vec![
                Arc::new(Int64Array::from(phones)),
                Arc::new(StringArray::from(notes)),
            ],
        )
        .unwrap();
        let cols = classify_sample(&ClassifierSet::builtin(), &schema, &[batch]);
        assert_eq!(cols[0].data_type.declared(), "Int64");
        assert_eq!(cols[0].categories[0].id, model::ids::MOBILE_PHONE);
        assert_eq!(cols[0].categories[0].matched, 50);
        assert!(cols[1].categories.is_empty());
    }
}
