//! `vehicle.trajectory`: an identifier, coordinates and a time in one table.

use super::column::{best, finding, time_hit, Column, Hit, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};
use crate::{ids, Axis, CategoryId, TypeFamily, VEHICLE_ART3_ITEM_1, VEHICLE_ART3_ITEM_5};

/// The rule; its category and docs are [`INFO`].
pub(super) struct Trajectory;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ids::TRAJECTORY,
    name_zh: "行踪轨迹",
    name_en: "Vehicle or person track",
    is_pi: true,
    is_sensitive: true,
    gbt43697_class: "个人位置信息",
    vehicle_item: Some(VEHICLE_ART3_ITEM_5),
    related_items: &[VEHICLE_ART3_ITEM_1, "第三条第（二）项"],
    docs: r#"A time series of positions tied to a vehicle or a person (行踪轨迹).

## What it detects

A table with all three of:

* an identifier of a vehicle or person: a column classified as
  `vehicle.vin`, `vehicle.license_plate`, `pi.cn_resident_id`,
  `pi.mobile_phone` or a device identifier, or a column named like
  `vehicle_id`, `device_id`, `terminal_id`, `vid`, `user_id`, `车辆编号`, or
  the terminal SIM number a JT/T 808 server keys positions by (`mobile_no`,
  `sim_no`, `终端手机号`);
* coordinates: a column classified as `geo.coordinate`, a geometry-typed
  column, or a numeric longitude column (`lng`, `lon`, `longitude`, `jd`,
  `经度`) together with a numeric latitude column (`lat`, `latitude`, `wd`,
  `纬度`);
* time: a date or timestamp column, a column named like `ts`, `time`,
  `gps_time`, `采集时间`, `定位时间`, or a number named for epoch time
  (`gps_ms`, `epoch`, `unix_time`: seconds or milliseconds since 1970).

Integer longitude and latitude columns (JT/T 808 stores millionths of a
degree in `int`) are numeric coordinates like `double` ones.

When the caller passes value profiles
([`classify_table_profiled`](crate::classify_table_profiled)), values
count where names say nothing: two neutral-named columns whose values all
lie in China's longitude range (73.66–135.05) and latitude range
(3.86–53.55) with at least four decimals and mostly distinct are the
coordinates (confidence factor 0.85), and an integer column of epoch
seconds or milliseconds between 2000 and 2100 is the time (0.9). Profiles
also rule tables out: positions that repeat a few settings (a weather or
monitoring station's series) and an identifier that never repeats (one
row per vehicle: a latest-position table) are not tracks. So are tables
whose coordinate or time columns are named for the latest position
(`last_lng`, `current_lat`, `最新定位时间`) or whose table is
(`vehicle_last_position`, `车辆最新位置`), when the caller passes the
table name ([`classify_table_named`](crate::classify_table_named)).

## Why it matters

The vehicle-data rules (Art. 3) list vehicle tracks (车辆行踪轨迹) as
sensitive personal information, and the PIPL treats tracks as sensitive PI.
A track table covering more than 100 000 persons is important data under
Art. 3 item (5); tracks inside important sensitive areas, or in aggregate
showing economic activity, also bear on items (1) and (2).

## Examples

* `vin, lng, lat, gps_time` (a T-Box location log)
* `terminal_id, geom (geometry), collect_time`
* `plate_no, 经度, 纬度, 定位时间`
* `vin, gps_ms BIGINT, lat INT, lon INT` (JT/T 808 storage)
* `vin, t, a, b` with profiles: `a`, `b` holding 121.47xxxx and 31.23xxxx,
  `t` epoch milliseconds.
* Not a track: `poi_id, name, lng, lat, updated_at` (no vehicle or person),
  `vin, lng, lat` (no time), `vin, last_lng, last_lat, updated_at`
  (latest position).

## Known false positives

* A table of where vehicles are registered or parked with a last-updated
  time has the same shape as a track with one point per vehicle. Without
  value profiles, or with a sample too small to show keys repeating, the
  rule cannot tell them apart unless the column or table names say
  "latest".
* Coordinates rounded to a district centre are hardly a track; precision is
  a value property that this schema-level rule does not see.
"#,
};

/// Column categories that identify a vehicle or a person.
const IDENTIFIER_CATEGORIES: &[CategoryId] = &[
    ids::VIN,
    ids::LICENSE_PLATE,
    ids::CN_RESIDENT_ID,
    ids::MOBILE_PHONE,
    ids::DEVICE_ID,
    ids::PASSPORT,
    ids::TRAVEL_PERMIT,
];
/// Column names of vehicle, device and person identifiers.
const IDENTIFIER_NAMES: &[&str] = &[
    "vehicle_id",
    "vehicleid",
    "veh_id",
    "car_id",
    "carid",
    "vid",
    "vin",
    "plate_no",
    "plate",
    "license_plate",
    "cph",
    "device_id",
    "deviceid",
    "dev_id",
    "devid",
    "terminal_id",
    "terminalid",
    "terminal_no",
    "terminal_sn",
    "term_id",
    "tbox_id",
    "obu_id",
    "imei",
    "iccid",
    "sim_no",
    "sim",
    "sim_card",
    "simcard",
    "mobile_no",
    "terminal_phone",
    "terminal_mobile",
    "device_no",
    "device_sn",
    "user_id",
    "userid",
    "uid",
    "driver_id",
    "driverid",
    "passenger_id",
    "member_id",
    "person_id",
    "车辆编号",
    "车辆_id",
    "车牌",
    "车架号",
    "终端号",
    "终端手机号",
    "sim_卡号",
    "终端编号",
    "终端_id",
    "设备号",
    "设备编号",
    "设备_id",
    "用户_id",
    "司机",
];
const COORDINATE_CATEGORIES: &[CategoryId] = &[ids::COORDINATE];
const LONGITUDE_NAMES: &[&str] = &["lng", "lon", "long", "longitude", "jd", "经度"];
const LATITUDE_NAMES: &[&str] = &["lat", "latitude", "wd", "纬度"];
fn identifier_hit(c: &Column<'_>) -> Option<Hit> {
    if let Some(cat) = c.category(IDENTIFIER_CATEGORIES) {
        return Some(Hit::new(c, format!("classified {cat}"), 1.0));
    }
    c.find(IDENTIFIER_NAMES)
        .map(|t| Hit::new(c, format!("identifier name `{t}`"), 0.8))
}

/// Name tokens of a latest-position table's columns.
const LATEST_TOKENS: &[&str] = &["last", "latest", "current", "cur", "now"];
const LATEST_ZH: &[&str] = &["最新", "当前", "最后", "实时"];

fn latest_name(c: &Column<'_>) -> bool {
    c.tokens.iter().any(|t| LATEST_TOKENS.contains(&t.as_str()))
        || LATEST_ZH.iter().any(|z| c.norm.contains(z))
}

/// A column of values on one axis of China's coordinate box.
fn on_axis<'c>(cols: &'c [Column<'c>], axis: Axis) -> Option<&'c Column<'c>> {
    cols.iter()
        .find(|c| c.profile.and_then(|p| p.axis()) == Some(axis))
}

/// Coordinates as classified or geometry-typed columns (all of them, since
/// the value classifiers may mark a longitude and a latitude column each),
/// else as a numeric longitude/latitude pair found by name, else as a pair
/// of columns whose values lie on the longitude and latitude axes.
fn coordinate_hits(cols: &[Column<'_>]) -> Option<Vec<Hit>> {
    let typed: Vec<Hit> = cols
        .iter()
        .filter_map(|c| {
            if let Some(cat) = c.category(COORDINATE_CATEGORIES) {
                Some(Hit::new(c, format!("classified {cat}"), 1.0))
            } else if c.ty == TypeFamily::Geometry {
                Some(Hit::new(c, "geometry type", 0.95))
            } else {
                None
            }
        })
        .collect();
    if !typed.is_empty() {
        return Some(typed);
    }
    let numeric = |names: &[&'static str], what: &str| {
        cols.iter().find_map(|c| {
            let t = c.find(names)?;
            (c.ty == TypeFamily::Numeric).then(|| Hit::new(c, format!("numeric {what} `{t}`"), 0.9))
        })
    };
    if let (Some(lng), Some(lat)) = (
        numeric(LONGITUDE_NAMES, "longitude"),
        numeric(LATITUDE_NAMES, "latitude"),
    ) {
        return Some(vec![lng, lat]);
    }
    let lng = on_axis(cols, Axis::Longitude)?;
    let lat = on_axis(cols, Axis::Latitude)?;
    Some(vec![
        Hit::new(lng, "values in China's longitude range, 4+ decimals", 0.85),
        Hit::new(lat, "values in China's latitude range, 4+ decimals", 0.85),
    ])
}

/// Whether the table is rather a latest-position table or a fixed
/// station's series: names that say latest, positions that repeat, an
/// identifier that never does.
fn not_a_track(table: &TableView<'_>, coords: &[Hit], id: &Hit, time: &Hit) -> bool {
    let cols = table.columns();
    let col = |name: &str| cols.iter().find(|c| c.name == name);
    let coord_cols: Vec<&Column<'_>> = coords.iter().filter_map(|h| col(&h.column)).collect();
    let latest = coord_cols.iter().any(|c| latest_name(c))
        || col(&time.column).is_some_and(latest_name)
        || table.name_find(LATEST_TOKENS).is_some()
        || table.name_find(LATEST_ZH).is_some();
    let fixed = coord_cols
        .iter()
        .all(|c| c.profile.is_some_and(|p| p.mostly_repeated()));
    let one_row_each = col(&id.column)
        .and_then(|c| c.profile)
        .is_some_and(|p| p.all_distinct());
    latest || fixed || one_row_each
}

impl TableRule for Trajectory {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table)
    }
}

/// The rule itself, over the table's columns in order.
fn evaluate(table: &TableView<'_>) -> Option<TableFinding> {
    let cols = table.columns();
    let coords = coordinate_hits(cols)?;
    let is_coord = |c: &Column<'_>| coords.iter().any(|h| h.column == c.name);
    let id = best(
        cols.iter()
            .filter(|c| !is_coord(c))
            .filter_map(identifier_hit),
    )?;
    let time = best(
        cols.iter()
            .filter(|c| !is_coord(c) && c.name != id.column)
            .filter_map(time_hit),
    )?;
    if not_a_track(table, &coords, &id, &time) {
        return None;
    }
    let coord_strength = coords.iter().map(|h| h.strength).fold(1.0, f64::min);
    let confidence = 0.95 * id.strength * coord_strength * time.strength;
    Some(finding(
        &INFO,
        confidence,
        cols,
        &[
            ("identifier", vec![&id]),
            ("coordinates", coords.iter().collect()),
            ("time", vec![&time]),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn trajectory_positive() {
        let t = Table::new(&[
            ("id", "bigint", &[]),
            ("vin", "varchar(17)", &["vehicle.vin"]),
            ("lng", "double", &[]),
            ("lat", "double", &[]),
            ("speed", "double", &[]),
            ("gps_time", "timestamp", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAJECTORY], "{f:?}");
        let f = &f[0];
        assert_eq!(f.columns, ["vin", "lng", "lat", "gps_time"]);
        assert_eq!(f.confidence, 0.86); // 0.95 * 0.9 (coordinates by name)
        assert!(
            f.rule.contains("`vin` (classified vehicle.vin)"),
            "{}",
            f.rule
        );
        assert!(f.rule.contains("`gps_time` (date/time type)"), "{}", f.rule);

        // JT/T 808 storage: integer millionths and epoch milliseconds.
        let t = Table::new(&[
            ("vin", "varchar(17)", &["vehicle.vin"]),
            ("gps_ms", "bigint", &[]),
            ("lat", "int", &[]),
            ("lon", "int", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAJECTORY], "{f:?}");
        assert_eq!(f[0].columns, ["vin", "gps_ms", "lat", "lon"]);
        assert!(f[0].rule.contains("epoch time name `ms`"), "{}", f[0].rule);

        // A JT/T 808 server keys positions by the terminal's SIM number,
        // 12 or 20 BCD digits that are no mobile number.
        let t = Table::new(&[
            ("mobile_no", "varchar(20)", &[]),
            ("latitude", "int", &[]),
            ("longitude", "int", &[]),
            ("device_time", "datetime", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAJECTORY], "{f:?}");
        assert!(
            f[0].rule.contains("identifier name `mobile_no`"),
            "{}",
            f[0].rule
        );

        // Chinese names with a Latin `id` (normalised to `设备_id`).
        let t = Table::new(&[
            ("设备id", "varchar", &[]),
            ("经度", "double", &[]),
            ("纬度", "double", &[]),
            ("上报时间", "datetime", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ids::TRAJECTORY]);

        // Chinese and pinyin names, an epoch-millisecond time by name.
        let t = Table::new(&[
            ("车牌号", "varchar", &["vehicle.license_plate"]),
            ("jd", "decimal(10,6)", &[]),
            ("wd", "decimal(10,6)", &[]),
            ("定位时间", "bigint", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAJECTORY], "{f:?}");
        assert_eq!(f[0].columns, ["车牌号", "jd", "wd", "定位时间"]);

        // A geometry column and a device named only by its column name.
        let t = Table::new(&[
            ("terminalId", "varchar", &[]),
            ("geom", "geometry(Point,4326)", &[]),
            ("collect_time", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAJECTORY]);
        assert!(f[0].confidence < 0.7, "{f:?}");

        // Longitude and latitude each classified by the value classifiers.
        let t = Table::new(&[
            ("device_id", "varchar", &["pi.device_id"]),
            ("lon", "double", &["geo.coordinate"]),
            ("lat", "double", &["geo.coordinate"]),
            ("ts", "bigint", &[]),
        ]);
        let f = t.classify();
        assert_eq!(f[0].columns, ["device_id", "lon", "lat", "ts"], "{f:?}");

        // A classified coordinate column and a phone number.
        let t = Table::new(&[
            ("mobile", "varchar", &["pi.mobile_phone"]),
            ("position", "varchar", &["geo.coordinate"]),
            ("created_at", "datetime", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAJECTORY]);
        assert_eq!(f[0].confidence, 0.95);
    }

    #[test]
    fn trajectory_near_misses() {
        // Coordinates and time but no vehicle or person: a POI table.
        let poi = Table::new(&[
            ("poi_id", "bigint", &[]),
            ("name", "varchar", &[]),
            ("lng", "double", &[]),
            ("lat", "double", &[]),
            ("updated_at", "timestamp", &[]),
        ]);
        assert!(poi.classify().is_empty(), "{:?}", poi.classify());
        // Identifier and coordinates, no time: a registration address.
        let no_time = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("lng", "double", &[]),
            ("lat", "double", &[]),
        ]);
        assert!(no_time.classify().is_empty());
        // Only longitude, or coordinates stored as text and not classified.
        let half = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("lng", "double", &[]),
            ("gps_time", "timestamp", &[]),
        ]);
        assert!(half.classify().is_empty());
        let text = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("lng", "varchar", &[]),
            ("lat", "varchar", &[]),
            ("gps_time", "timestamp", &[]),
        ]);
        assert!(text.classify().is_empty());
        // `lat` inside another word is not latitude.
        let words = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("platform", "int", &[]),
            ("translation", "int", &[]),
            ("longitude_unit", "varchar", &[]),
            ("ts", "timestamp", &[]),
        ]);
        assert!(words.classify().is_empty(), "{:?}", words.classify());
        // `ms` names time only for numbers.
        let text_ms = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("lng", "double", &[]),
            ("lat", "double", &[]),
            ("ms", "varchar", &[]),
        ]);
        assert!(text_ms.classify().is_empty());
    }

    /// Values of a moving vehicle: `n` points, `vehicles` vehicles.
    fn track(n: u64, vehicles: u64) -> [Vec<String>; 4] {
        let vins = (0..n)
            .map(|i| format!("LSVAX0000000{:05}", i % vehicles))
            .collect();
        let ms = (0..n)
            .map(|i| (1_700_000_000_000 + i * 1000).to_string())
            .collect();
        let lon = (0..n)
            .map(|i| format!("121.{:06}", 400_000 + i * 173))
            .collect();
        let lat = (0..n)
            .map(|i| format!("31.{:06}", 200_000 + i * 97))
            .collect();
        [vins, ms, lon, lat]
    }

    fn profiles(values: &[Vec<String>]) -> Vec<Option<crate::ValueProfile>> {
        values.iter().map(|v| Some(profile(v))).collect()
    }

    use crate::tables::testing::profile;

    #[test]
    fn trajectory_from_values() {
        // Neutral names: only the values say coordinates and time.
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("t", "bigint", &[]),
            ("a", "double", &[]),
            ("b", "double", &[]),
        ]);
        assert!(t.classify().is_empty());
        let f = t.classify_with(&profiles(&track(60, 5)));
        assert_eq!(found(&f), [ids::TRAJECTORY], "{f:?}");
        assert_eq!(f[0].columns, ["vin", "t", "a", "b"]);
        assert_eq!(f[0].confidence, 0.73); // 0.95 * 0.85 * 0.9
        assert!(
            f[0].rule.contains("epoch milliseconds values"),
            "{}",
            f[0].rule
        );
        assert!(f[0].rule.contains("longitude range"), "{}", f[0].rule);
    }

    #[test]
    fn trajectory_value_look_alikes() {
        let named = Table::new(&[
            ("device_id", "varchar", &[]),
            ("ts", "bigint", &[]),
            ("lon", "double", &[]),
            ("lat", "double", &[]),
        ]);
        assert_eq!(found(&named.classify()), [ids::TRAJECTORY]);
        // A weather series: three stations reporting every minute.
        let [ids_, ms, _, _] = track(60, 3);
        let lon: Vec<String> = (0..60)
            .map(|i| format!("116.{}", 397_128 + i % 3))
            .collect();
        let lat: Vec<String> = (0..60).map(|i| format!("39.{}", 916_527 + i % 3)).collect();
        let weather = named.classify_with(&profiles(&[ids_, ms, lon, lat]));
        assert!(weather.is_empty(), "{weather:?}");
        // A latest-position table: one row per vehicle.
        let latest = named.classify_with(&profiles(&track(60, 60)));
        assert!(latest.is_empty(), "{latest:?}");
        // Named for the latest position.
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("last_lng", "double", &[]),
            ("last_lat", "double", &[]),
            ("updated_at", "datetime", &[]),
        ]);
        assert!(t.classify().is_empty(), "{:?}", t.classify());
        // Only the table's name says so; the same columns elsewhere are a track.
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("lng", "double", &[]),
            ("lat", "double", &[]),
            ("gps_time", "datetime", &[]),
        ]);
        for name in [
            "vehicle_last_position",
            "VehicleLatestLocation",
            "车辆最新位置",
        ] {
            let f = t.classify_named(name, &[]);
            assert!(f.is_empty(), "{name}: {f:?}");
        }
        for name in ["vehicle_track", "gps_log_202405", "lastmile_orders"] {
            assert_eq!(
                found(&t.classify_named(name, &[])),
                [ids::TRAJECTORY],
                "{name}"
            );
        }
        // Prices and amounts in the coordinate ranges, two decimals.
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("t", "bigint", &[]),
            ("price", "double", &[]),
            ("battery_kwh", "double", &[]),
        ]);
        let [vins, ms, _, _] = track(60, 5);
        let price: Vec<String> = (0..60)
            .map(|i| format!("{}.{:02}", 100 + i / 2, i))
            .collect();
        let kwh: Vec<String> = (0..60)
            .map(|i| format!("{}.{}", 30 + i % 20, i % 10))
            .collect();
        assert!(t
            .classify_with(&profiles(&[vins, ms, price, kwh]))
            .is_empty());
    }
}
