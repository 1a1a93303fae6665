//! Parquet "lake": hive-partitioned vehicle tracks and a parts catalogue.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;

use crate::fake;
use crate::rng::Rng;
use crate::Result;

/// Partition dates of the track dataset.
pub const TRACK_DAYS: &[(i64, u32, u32)] = &[(2026, 11, 1), (2026, 11, 2), (2026, 11, 3)];
pub const TRACK_ROWS: usize = 800;
pub const TRACK_ROW_GROUP: usize = 200;
pub const PART_ROWS: usize = 500;

/// Vehicles in the synthetic fleet (shared across partitions).
const FLEET: usize = 60;
/// Vehicles reporting on one day, and points per vehicle.
const ACTIVE_PER_DAY: usize = 40;
const POINTS_PER_VEHICLE: usize = TRACK_ROWS / ACTIVE_PER_DAY;

const CENTER_LNG: f64 = 121.4;
const CENTER_LAT: f64 = 31.2;
const SPREAD: f64 = 0.3;

/// Writes `batch` to `path`, returning the file's footer metadata.
pub fn write_parquet(
    path: &Path,
    batch: &RecordBatch,
    props: WriterProperties,
) -> Result<ParquetMetaData> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let file = File::create(path)?;
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props))?;
    writer.write(batch)?;
    Ok(writer.close()?)
}

/// Schema of one `vehicle_tracks` partition file (no `dt` column).
pub fn track_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("vin", DataType::Utf8, false),
        Field::new("plate_no", DataType::Utf8, false),
        Field::new("lng", DataType::Float64, false),
        Field::new("lat", DataType::Float64, false),
        Field::new("speed_kmh", DataType::Float64, false),
        Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Millisecond, None),
            false,
        ),
    ]))
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Builds the 800 track points of one day.
pub fn track_batch(fleet: &[(String, String)], rng: &mut Rng, day: i64) -> Result<RecordBatch> {
    let mut order: Vec<usize> = (0..fleet.len()).collect();
    rng.shuffle(&mut order);

    // (ts, vin index, lng, lat, speed)
    let mut points: Vec<(i64, usize, f64, f64, f64)> = Vec::with_capacity(TRACK_ROWS);
    for &v in order.iter().take(ACTIVE_PER_DAY) {
        let mut lng = CENTER_LNG + rng.uniform(-SPREAD, SPREAD) * 0.8;
        let mut lat = CENTER_LAT + rng.uniform(-SPREAD, SPREAD) * 0.8;
        let mut heading = rng.uniform(0.0, std::f64::consts::TAU);
        let mut speed: f64 = rng.uniform(0.0, 60.0);
        // Naive (zone-less) wall-clock time, 06:00–21:00 on the partition day.
        let mut ts = (day * 86_400 + rng.range(6 * 3600, 21 * 3600)) * 1000;
        for _ in 0..POINTS_PER_VEHICLE {
            points.push((
                ts,
                v,
                round6(lng),
                round6(lat),
                (speed * 10.0).round() / 10.0,
            ));
            let step_ms = rng.range(15, 45) * 1000;
            let km = speed * step_ms as f64 / 3_600_000.0;
            heading += rng.uniform(-0.5, 0.5);
            lng += km * heading.cos() / (111.32 * CENTER_LAT.to_radians().cos());
            lat += km * heading.sin() / 110.57;
            lng = lng.clamp(CENTER_LNG - SPREAD, CENTER_LNG + SPREAD);
            lat = lat.clamp(CENTER_LAT - SPREAD, CENTER_LAT + SPREAD);
            speed = (speed + rng.uniform(-12.0, 12.0)).clamp(0.0, 120.0);
            ts += step_ms + rng.range(0, 999);
        }
    }
    points.sort_by_key(|p| (p.0, p.1));

    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            points.iter().map(|p| fleet[p.1].0.as_str()),
        )),
        Arc::new(StringArray::from_iter_values(
            points.iter().map(|p| fleet[p.1].1.as_str()),
        )),
        Arc::new(Float64Array::from_iter_values(points.iter().map(|p| p.2))),
        Arc::new(Float64Array::from_iter_values(points.iter().map(|p| p.3))),
        Arc::new(Float64Array::from_iter_values(points.iter().map(|p| p.4))),
        Arc::new(TimestampMillisecondArray::from_iter_values(
            points.iter().map(|p| p.0),
        )),
    ];
    Ok(RecordBatch::try_new(track_schema(), columns)?)
}

/// Synthetic fleet: `(vin, plate)` pairs, mostly Shanghai plates.
pub fn fleet(rng: &mut Rng) -> Vec<(String, String)> {
    (0..FLEET)
        .map(|_| (fake::vin(rng), fake::plate(rng, Some("沪"), 0.1)))
        .collect()
}

/// Writes the three `vehicle_tracks/dt=…/part-00000.parquet` files.
pub fn write_tracks(root: &Path) -> Result<()> {
    let mut rng = Rng::for_stream("lake.vehicle_tracks");
    let fleet = fleet(&mut rng);
    for &(y, m, d) in TRACK_DAYS {
        let day = fake::days_from_civil(y, m, d);
        let batch = track_batch(&fleet, &mut rng, day)?;
        let path = root
            .join("vehicle_tracks")
            .join(format!("dt={}", fake::fmt_date(day)))
            .join("part-00000.parquet");
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(TRACK_ROW_GROUP))
            .build();
        let meta = write_parquet(&path, &batch, props)?;
        assert_eq!(meta.file_metadata().num_rows() as usize, TRACK_ROWS);
        assert_eq!(meta.num_row_groups(), TRACK_ROWS / TRACK_ROW_GROUP);
    }
    Ok(())
}

const PART_NAMES: &[&str] = &[
    "前刹车片",
    "后刹车片",
    "前刹车盘",
    "空气滤清器",
    "机油滤清器",
    "空调滤清器",
    "燃油滤清器",
    "火花塞",
    "雨刮片总成",
    "前大灯总成",
    "外后视镜总成",
    "正时皮带",
    "水泵总成",
    "发电机总成",
    "起动机总成",
    "前减震器",
    "蓄电池",
    "离合器片",
    "节温器",
    "三元催化器",
    "前氧传感器",
    "转向横拉杆",
    "下摆臂球头",
    "空调冷凝器",
    "散热器总成",
];

const PART_INDUSTRIES: &[&str] = &["汽车零部件", "汽车配件", "精密机械", "机电科技", "橡塑制品"];

/// Builds the 500-row parts catalogue.
pub fn part_batch(rng: &mut Rng) -> Result<RecordBatch> {
    let suppliers: Vec<String> = (0..30)
        .map(|_| fake::company(rng, PART_INDUSTRIES))
        .collect();
    let mut codes = Vec::with_capacity(PART_ROWS);
    let mut names = Vec::with_capacity(PART_ROWS);
    let mut supplier = Vec::with_capacity(PART_ROWS);
    let mut price = Vec::with_capacity(PART_ROWS);
    for _ in 0..PART_ROWS {
        codes.push(fake::part_code(rng));
        names.push(*rng.pick(PART_NAMES));
        supplier.push(rng.pick(&suppliers).clone());
        price.push(rng.range(1_500, 480_000) as f64 / 100.0);
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("part_code", DataType::Utf8, false),
        Field::new("part_name", DataType::Utf8, false),
        Field::new("supplier", DataType::Utf8, false),
        Field::new("unit_price", DataType::Float64, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(codes)),
        Arc::new(StringArray::from(names)),
        Arc::new(StringArray::from(supplier)),
        Arc::new(Float64Array::from(price)),
    ];
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// Writes `part_catalog.parquet` (zstd).
pub fn write_part_catalog(root: &Path) -> Result<()> {
    let mut rng = Rng::for_stream("lake.part_catalog");
    let batch = part_batch(&mut rng)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .build();
    let meta = write_parquet(&root.join("part_catalog.parquet"), &batch, props)?;
    assert_eq!(meta.file_metadata().num_rows() as usize, PART_ROWS);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::is_valid_vin;
    use arrow_array::Array;

    #[test]
    fn track_batch_shape_and_bounds() {
        let mut rng = Rng::new(9);
        let fleet = fleet(&mut rng);
        let batch = track_batch(&fleet, &mut rng, fake::days_from_civil(2026, 11, 1)).unwrap();
        assert_eq!(batch.num_rows(), TRACK_ROWS);
        assert!(batch.schema().field_with_name("dt").is_err());
        let vin = batch
            .column(0)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert!(vin.iter().all(|v| is_valid_vin(v.unwrap())));
        for (col, center) in [(2, CENTER_LNG), (3, CENTER_LAT)] {
            let a = batch
                .column(col)
                .as_any()
                .downcast_ref::<Float64Array>()
                .unwrap();
            assert_eq!(a.null_count(), 0);
            assert!(a
                .values()
                .iter()
                .all(|x| (x - center).abs() <= SPREAD + 1e-9));
        }
    }

    #[test]
    fn parquet_row_groups_are_small() {
        let mut rng = Rng::new(10);
        let fleet = fleet(&mut rng);
        let batch = track_batch(&fleet, &mut rng, fake::days_from_civil(2026, 11, 2)).unwrap();
        let path =
            std::env::temp_dir().join(format!("mulu-gen-test-{}.parquet", std::process::id()));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(TRACK_ROW_GROUP))
            .build();
        let meta = write_parquet(&path, &batch, props).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(meta.num_row_groups(), 4);
        for rg in meta.row_groups() {
            assert_eq!(rg.num_rows(), 200);
        }
    }
}
