//! Read-back checks of the generated parquet lake.
//!
//! These read the files in `sample-data/lake/`, so they are `#[ignore]`d by
//! default; run them after regenerating with
//! `cargo test -p sample-data-generator -- --ignored`.

use std::fs::File;
use std::path::PathBuf;

use arrow_array::{Array, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::metadata::ParquetMetaData;

use crate::checks::is_valid_vin;
use crate::lake::{PART_ROWS, TRACK_DAYS, TRACK_ROWS, TRACK_ROW_GROUP};

fn lake_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lake")
}

fn read(path: &PathBuf) -> (ParquetMetaData, RecordBatch) {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let meta = builder.metadata().as_ref().clone();
    // One batch large enough for the whole file (the reader spans row groups).
    let mut batches: Vec<RecordBatch> = builder
        .with_batch_size(1 << 20)
        .build()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(batches.len(), 1);
    (meta, batches.pop().unwrap())
}

/// GA 36-2018 plate shape (ordinary or new-energy), optional `·` after the
/// second character.
fn is_plate(p: &str) -> bool {
    const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    let with_dot: Vec<char> = p.chars().collect();
    if let Some(i) = with_dot.iter().position(|&c| c == '·') {
        if i != 2 || with_dot.iter().filter(|&&c| c == '·').count() != 1 {
            return false;
        }
    }
    let c: Vec<char> = with_dot.into_iter().filter(|&c| c != '·').collect();
    let letter = |ch: char| ch.is_ascii_uppercase() && ch != 'I' && ch != 'O';
    let alnum = |ch: char| letter(ch) || ch.is_ascii_digit();
    let energy = |ch: char| "DABCEFGHJK".contains(ch);
    let digits = |s: &[char]| s.iter().all(char::is_ascii_digit);
    if c.len() < 7 || !PROVINCES.contains(c[0]) || !letter(c[1]) {
        return false;
    }
    match c.len() {
        7 => c[2..].iter().all(|&ch| alnum(ch)),
        8 => (digits(&c[2..7]) && energy(c[7])) || (energy(c[2]) && alnum(c[3]) && digits(&c[4..])),
        _ => false,
    }
}

fn strings(batch: &RecordBatch, name: &str) -> Vec<String> {
    let a = batch
        .column_by_name(name)
        .unwrap()
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap();
    assert_eq!(a.null_count(), 0, "{name} has nulls");
    a.iter().map(|v| v.unwrap().to_string()).collect()
}

#[test]
fn plate_shape_helper() {
    for ok in [
        "沪A12345",
        "京N8Z2K1",
        "粤BD12345",
        "沪AF1234",
        "沪A·12345",
        "苏E12345D",
    ] {
        assert!(is_plate(ok), "{ok}");
    }
    for bad in ["沪I12345", "沪A1234", "沪AZ12345", "X沪12345", "沪·A12345"] {
        assert!(!is_plate(bad), "{bad}");
    }
}

#[test]
#[ignore = "reads generated files; run after gen-sample-data"]
fn generated_vehicle_tracks() {
    for &(y, m, d) in TRACK_DAYS {
        let path = lake_dir()
            .join("vehicle_tracks")
            .join(format!("dt={y:04}-{m:02}-{d:02}"))
            .join("part-00000.parquet");
        let (meta, batch) = read(&path);
        assert_eq!(batch.num_rows(), TRACK_ROWS);
        assert_eq!(meta.num_row_groups(), TRACK_ROWS / TRACK_ROW_GROUP);
        for rg in meta.row_groups() {
            assert_eq!(rg.num_rows() as usize, TRACK_ROW_GROUP);
            for col in rg.columns() {
                assert_eq!(col.compression(), Compression::SNAPPY);
            }
        }
        let schema = batch.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["vin", "plate_no", "lng", "lat", "speed_kmh", "ts"]);
        assert_eq!(
            schema.field_with_name("ts").unwrap().data_type(),
            &DataType::Timestamp(TimeUnit::Millisecond, None)
        );
        assert!(strings(&batch, "vin").iter().all(|v| is_valid_vin(v)));
        let plates = strings(&batch, "plate_no");
        assert!(plates.iter().all(|p| is_plate(p)), "{plates:?}");
        let vins = strings(&batch, "vin");
        let distinct: std::collections::BTreeSet<&String> = vins.iter().collect();
        eprintln!(
            "dt={y:04}-{m:02}-{d:02}: {} rows, {} vehicles, {} plates with a dot, {} new-energy",
            batch.num_rows(),
            distinct.len(),
            plates.iter().filter(|p| p.contains('·')).count(),
            plates
                .iter()
                .filter(|p| p.replace('·', "").chars().count() == 8)
                .count(),
        );
        for (name, lo, hi) in [("lng", 121.1, 121.7), ("lat", 30.9, 31.5)] {
            let a = batch.column_by_name(name).unwrap();
            let a = a.as_any().downcast_ref::<Float64Array>().unwrap();
            assert!(a.values().iter().all(|v| (lo..=hi).contains(v)), "{name}");
        }
    }
}

#[test]
#[ignore = "reads generated files; run after gen-sample-data"]
fn generated_part_catalog() {
    let (meta, batch) = read(&lake_dir().join("part_catalog.parquet"));
    assert_eq!(batch.num_rows(), PART_ROWS);
    for rg in meta.row_groups() {
        for col in rg.columns() {
            assert!(matches!(col.compression(), Compression::ZSTD(_)));
        }
    }
    let codes = strings(&batch, "part_code");
    assert!(codes.iter().all(|c| c.len() == 17 && !is_valid_vin(c)));
    assert_eq!(strings(&batch, "part_name").len(), PART_ROWS);
}
