//! Table-level rules: categories that no single column reveals.
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

use crate::{
    ids, normalize_column_name, CategoryId, CategoryInfo, ColumnType, TypeFamily,
    VEHICLE_ART3_ITEM_1, VEHICLE_ART3_ITEM_5,
};

/// One column of a table, as the table rules see it.
#[derive(Debug, Clone, Copy)]
pub struct TableColumn<'a> {
    /// Column name as stored in the source (any case or language).
    pub name: &'a str,
    /// Declared type as the connector reports it (`double`, `timestamp(3)`,
    /// `Float64`, `Nullable(DateTime64(3))`, `bytea`, …); the rules look at
    /// its [`TypeFamily`].
    pub data_type: &'a ColumnType,
    /// Category ids the column was classified as (e.g. [`ids::VIN`]).
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
    /// Stable id, e.g. [`ids::TRAJECTORY`]. Never reused.
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
    TABLE_CATEGORIES
}

use ids::{CABIN_MEDIA, CHARGING_OPS, EXTERIOR_MEDIA, TRAFFIC_FLOW, TRAJECTORY};

static TABLE_CATEGORIES: &[TableCategoryInfo] = &[
    TableCategoryInfo {
        id: TRAJECTORY,
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
  `vehicle_id`, `device_id`, `terminal_id`, `vid`, `user_id`, `车辆编号`;
* coordinates: a column classified as `geo.coordinate`, a geometry-typed
  column, or a numeric longitude column (`lng`, `lon`, `longitude`, `jd`,
  `经度`) together with a numeric latitude column (`lat`, `latitude`, `wd`,
  `纬度`);
* time: a date or timestamp column, or a column named like `ts`, `time`,
  `gps_time`, `采集时间`, `定位时间`.

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
* Not a track: `poi_id, name, lng, lat, updated_at` (no vehicle or person),
  `vin, lng, lat` (no time).

## Known false positives

* A table of where vehicles are registered or parked with a last-updated
  time has the same shape as a track with one point per vehicle. The rule
  cannot count points per identifier from the schema alone.
* Coordinates rounded to a district centre are hardly a track; precision is
  a value property that this schema-level rule does not see.
"#,
    },
    TableCategoryInfo {
        id: CHARGING_OPS,
        name_zh: "充电网络运行数据",
        name_en: "Charging network operating data",
        is_pi: false,
        is_sensitive: false,
        gbt43697_class: "",
        vehicle_item: Some("第三条第（三）项"),
        related_items: &[],
        docs: r#"Operating data of charging piles and stations (汽车充电网运行数据).

## What it detects

A table with a charging-station or charging-pile key (`pile_id`,
`station_id`, `connector_id`, `charger_id`, `evse_id`, `cdz_id`, `充电桩编号`,
`充电站`) and at least one operating measure (`power`, `energy`, `kwh`,
`soc`, `voltage`, `current`, `status`, `功率`, `电量`, `电压`, `电流`,
`状态`). Something in the table must be specific to charging: either the key
names a pile, charger, connector or 充电 device, or a measure is a charging
measure (`soc`, `kwh`, `charge_*`, `充电量`), so a bus-stop table with
`station_id` and `status` does not qualify.

## Why it matters

Art. 3 item (3) names 汽车充电网运行数据 as important data: in aggregate it
shows where and when an area's vehicles charge and how the grid is loaded.
Important data must be catalogued, stored in China, risk-assessed and, for
export, security-assessed.

## Examples

* `pile_id, connector_id, status, power_kw, updated_at`
* `station_id, charge_kwh, start_soc, end_soc, start_time`
* Not operating data: `station_id, station_name, address, operator`
  (a station directory without measures).

## Known false positives

* Tables of a company's own depot chargers are operating data in form but
  may be too small to matter; the catalogue reviewer decides.
* A power-substation table that happens to use `pile` in its names.
"#,
    },
    TableCategoryInfo {
        id: EXTERIOR_MEDIA,
        name_zh: "车外视频图像",
        name_en: "Exterior camera video and images",
        is_pi: true,
        is_sensitive: true,
        gbt43697_class: "个人生物识别信息",
        vehicle_item: Some("第三条第（四）项"),
        related_items: &[VEHICLE_ART3_ITEM_1],
        docs: r#"Video and images from cameras that look outside the vehicle (车外视频、图像).

## What it detects

* A column named after an exterior camera (`front_camera`, `rear_camera`,
  `dashcam`, `dvr`, `surround_view`, `avm`, `行车记录`, `环视`, `车外`), unless
  the name ends in a non-media word such as `_id`, `_status` or `_count`;
* an image or video column (named `image`, `img`, `photo`, `video`,
  `frame`, `snapshot`, `图片`, `视频`, `抓拍`, … or typed as binary) whose own
  name mentions a camera or the exterior (`camera_image`, `exterior_video`);
* an image or video column in a table whose other columns mention an
  exterior camera (lower confidence), as long as nothing in the table points
  to the cabin instead.

## Why it matters

Exterior video and images record faces and licence plates of people outside
the vehicle. Art. 3 item (4) makes exterior video and images containing
faces or plates important data; they are also sensitive PI of the people
shown. Beijing FTZ rules add road signs. Anonymisation (GB/T 44464
Appendix B) is what takes such data out of scope.

## Examples

* `vin, capture_time, front_camera_url`
* `event_id, dashcam_clip_path, lng, lat`
* `frame_id, camera_image (bytea), ts`

## Known false positives

* Already-anonymised frames (faces and plates blurred) look the same in a
  schema; the rule cannot see whether anonymisation happened.
* A generic `camera` name may belong to a cabin camera whose table does not
  say so; such findings carry lower confidence.
"#,
    },
    TableCategoryInfo {
        id: CABIN_MEDIA,
        name_zh: "座舱音视频",
        name_en: "Cabin audio, video and images",
        is_pi: true,
        is_sensitive: true,
        gbt43697_class: "个人生物识别信息",
        vehicle_item: None,
        related_items: &[VEHICLE_ART3_ITEM_5],
        docs: r#"Audio, video and images captured inside the vehicle (座舱数据).

## What it detects

* An image, video or audio column whose name points to the cabin: `dms`
  (driver monitoring), `oms` (occupant monitoring), `cabin`,
  `driver_monitor`, `in_car`, `interior`, `车内`, `座舱`;
* a voice recording column (`voice`, `audio`, `recording`, `录音`, `语音`),
  with higher confidence when the table also mentions the cabin;
* an image or video column in a table whose other columns mention the cabin.

## Why it matters

Cabin cameras and microphones record the driver and passengers: faces,
voices, behaviour. GB/T 41871 sets special duties for this 座舱数据, and the
vehicle-data rules list audio, video, images and biometrics as sensitive
PI, to be processed in the vehicle by default. Over 100 000 persons it is
also important data under Art. 3 item (5).

## Examples

* `vin, dms_image_url, event_type, ts`
* `trip_id, cabin_video_path`
* `session_id, voice_recording (blob), 录音时间`

## Known false positives

* Voice recordings from a call centre, not a vehicle, match the voice rule;
  that finding has lower confidence when nothing mentions the cabin.
* Stored feature vectors or event labels (`dms_event`) are not media and are
  not reported, but a column that stores only a thumbnail URL of an event is.
"#,
    },
    TableCategoryInfo {
        id: TRAFFIC_FLOW,
        name_zh: "车流量/物流数据",
        name_en: "Vehicle flow and logistics data",
        is_pi: false,
        is_sensitive: false,
        gbt43697_class: "",
        vehicle_item: Some("第三条第（二）项"),
        related_items: &[VEHICLE_ART3_ITEM_1],
        docs: r#"Vehicle counts by place and time, and logistics shipments (车流量、物流数据).

## What it detects

* Flow: a traffic count (`traffic_flow`, `traffic_count`, `vehicle_count`,
  `pcu`, `车流量`, `过车量`) together with a place (`road`, `section`,
  `lane`, `area`, `district`, `路段`, `路口`, `卡口`, `区域`); or a bare `flow`
  or `volume` column together with a road-specific place (`road`,
  `section`, `segment`, `intersection`, `toll`, `gantry`, `路段`, `断面`).
* Logistics: a shipment key (`waybill_no`, `shipment_id`, `tracking_no`,
  `运单号`, `物流单号`) together with route or cargo columns (`origin`,
  `destination`, `cargo`, `weight`, `始发地`, `目的地`, `货物`).

## Why it matters

Art. 3 item (2) makes vehicle-flow and logistics data that reflect economic
operation important data; counts around military zones or government
bodies fall under item (1). Such data must be catalogued and assessed
before export.

## Examples

* `section_id, stat_hour, traffic_flow, avg_speed`
* `卡口编号, 统计时间, 过车量`
* `waybill_no, origin_city, destination_city, weight_kg, ship_time`
* Not flow: `region, month, sales_volume` (no road, and sales are not
  vehicles).

## Known false positives

* One small company's shipments are logistics data in form but hardly
  reflect the economy; the catalogue reviewer judges scale.
* Pipeline or water flow measured per road section.
"#,
    },
];

// ---------------------------------------------------------------------------
// Column analysis

struct Col<'a> {
    name: &'a str,
    norm: String,
    tokens: Vec<String>,
    ty: TypeFamily,
    categories: &'a [CategoryId],
}

impl<'a> Col<'a> {
    fn new(c: &TableColumn<'a>) -> Self {
        let norm = normalize_column_name(c.name);
        let tokens = norm.split('_').map(str::to_owned).collect();
        Col {
            name: c.name,
            norm,
            tokens,
            ty: c.data_type.family(),
            categories: c.categories,
        }
    }

    /// Whether the name contains `term`: an ASCII term (`gps_time`) must
    /// match whole consecutive tokens of the normalised name, so `lat` does
    /// not fire inside `platform`; a Chinese term may sit anywhere, since
    /// Chinese names are not split into tokens.
    fn has(&self, term: &str) -> bool {
        if !term.is_ascii() {
            return self.norm.contains(term);
        }
        let want: Vec<&str> = term.split('_').collect();
        self.tokens
            .windows(want.len())
            .any(|w| w.iter().zip(&want).all(|(a, b)| a == b))
    }

    /// The first of `terms` the name contains.
    fn find(&self, terms: &[&'static str]) -> Option<&'static str> {
        terms.iter().copied().find(|t| self.has(t))
    }

    fn last_token(&self) -> &str {
        self.tokens.last().map_or("", String::as_str)
    }

    fn category(&self, wanted: &[CategoryId]) -> Option<&'a CategoryId> {
        self.categories.iter().find(|c| wanted.contains(c))
    }
}

/// Why one column plays a part in a rule.
#[derive(Debug, Clone)]
struct Hit {
    column: String,
    why: String,
    /// 1.0 when backed by classified values or a declared type; lower when
    /// only the name says so.
    strength: f64,
}

impl Hit {
    fn new(col: &Col<'_>, why: impl Into<String>, strength: f64) -> Self {
        Hit {
            column: col.name.to_owned(),
            why: why.into(),
            strength,
        }
    }
}

/// The strongest hit; the first one among equals (table order).
fn best(hits: impl Iterator<Item = Hit>) -> Option<Hit> {
    hits.fold(None, |acc: Option<Hit>, h| match acc {
        Some(a) if a.strength >= h.strength => Some(a),
        _ => Some(h),
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Builds a finding from role descriptions, each with its hits. Columns are
/// listed in table order without repeats.
fn finding(
    category: CategoryId,
    confidence: f64,
    cols: &[Col<'_>],
    roles: &[(&str, Vec<&Hit>)],
) -> TableFinding {
    let rule = roles
        .iter()
        .map(|(role, hits)| {
            let parts: Vec<String> = hits
                .iter()
                .map(|h| format!("`{}` ({})", h.column, h.why))
                .collect();
            format!("{role}: {}", parts.join(" + "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let used: Vec<&str> = roles
        .iter()
        .flat_map(|(_, hits)| hits.iter().map(|h| h.column.as_str()))
        .collect();
    let columns = cols
        .iter()
        .filter(|c| used.contains(&c.name))
        .map(|c| c.name.to_owned())
        .collect();
    TableFinding {
        category,
        confidence: round2(confidence.clamp(0.0, 1.0)),
        rule,
        columns,
    }
}

/// Runs every table rule over one table's columns. Findings come in the
/// order of [`table_categories`], at most one per category.
pub fn classify_table(columns: &[TableColumn<'_>]) -> Vec<TableFinding> {
    let cols: Vec<Col<'_>> = columns.iter().map(Col::new).collect();
    [
        trajectory(&cols),
        charging_ops(&cols),
        exterior_media(&cols),
        cabin_media(&cols),
        traffic_flow(&cols),
    ]
    .into_iter()
    .flatten()
    .collect()
}

// ---------------------------------------------------------------------------
// vehicle.trajectory

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
    "user_id",
    "userid",
    "uid",
    "driver_id",
    "driverid",
    "passenger_id",
    "member_id",
    "person_id",
    "车辆编号",
    "车辆id",
    "车牌",
    "车架号",
    "终端号",
    "终端编号",
    "终端id",
    "设备号",
    "设备编号",
    "设备id",
    "用户id",
    "司机",
];
const COORDINATE_CATEGORIES: &[CategoryId] = &[ids::COORDINATE];
const LONGITUDE_NAMES: &[&str] = &["lng", "lon", "long", "longitude", "jd", "经度"];
const LATITUDE_NAMES: &[&str] = &["lat", "latitude", "wd", "纬度"];
const TIME_NAMES: &[&str] = &[
    "time",
    "ts",
    "timestamp",
    "datetime",
    "date",
    "dt",
    "gpstime",
    "locatetime",
    "时间",
    "时刻",
    "日期",
];

fn identifier_hit(c: &Col<'_>) -> Option<Hit> {
    if let Some(cat) = c.category(IDENTIFIER_CATEGORIES) {
        return Some(Hit::new(c, format!("classified {cat}"), 1.0));
    }
    c.find(IDENTIFIER_NAMES)
        .map(|t| Hit::new(c, format!("identifier name `{t}`"), 0.8))
}

fn time_hit(c: &Col<'_>) -> Option<Hit> {
    if c.ty == TypeFamily::Time {
        return Some(Hit::new(c, "date/time type", 1.0));
    }
    if let Some(t) = c.find(TIME_NAMES) {
        return Some(Hit::new(c, format!("time name `{t}`"), 0.85));
    }
    // `created_at`, `located_at`.
    (c.tokens.len() > 1 && c.last_token() == "at").then(|| Hit::new(c, "time name `*_at`", 0.85))
}

/// Coordinates as classified or geometry-typed columns (all of them, since
/// the value classifiers may mark a longitude and a latitude column each),
/// or else as a numeric longitude/latitude pair found by name.
fn coordinate_hits(cols: &[Col<'_>]) -> Option<Vec<Hit>> {
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
    let lng = numeric(LONGITUDE_NAMES, "longitude")?;
    let lat = numeric(LATITUDE_NAMES, "latitude")?;
    Some(vec![lng, lat])
}

fn trajectory(cols: &[Col<'_>]) -> Option<TableFinding> {
    let coords = coordinate_hits(cols)?;
    let is_coord = |c: &Col<'_>| coords.iter().any(|h| h.column == c.name);
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
    let coord_strength = coords.iter().map(|h| h.strength).fold(1.0, f64::min);
    let confidence = 0.95 * id.strength * coord_strength * time.strength;
    Some(finding(
        TRAJECTORY,
        confidence,
        cols,
        &[
            ("identifier", vec![&id]),
            ("coordinates", coords.iter().collect()),
            ("time", vec![&time]),
        ],
    ))
}

// ---------------------------------------------------------------------------
// vehicle.charging_ops

/// Names of charging equipment; they make a table charging-specific.
const CHARGER_NAMES: &[&str] = &[
    "pile",
    "charger",
    "charging_pile",
    "charging_station",
    "connector",
    "evse",
    "gun",
    "cdz",
    "cdzbh",
    "cdzh",
    "充电桩",
    "充电站",
    "充电枪",
    "充电设备",
];
/// Generic station names: a key only together with a charging measure.
const STATION_NAMES: &[&str] = &["station", "station_id", "site_id", "站点", "场站", "电站"];
/// Last tokens that make a name a key rather than a measure.
const KEY_TOKENS: &[&str] = &["id", "no", "code", "sn", "bh", "num", "number", "key"];
const KEY_SUFFIXES_ZH: &[&str] = &["编号", "编码", "号", "id"];
const MEASURE_NAMES: &[&str] = &[
    "power",
    "energy",
    "kwh",
    "kw",
    "soc",
    "voltage",
    "current",
    "status",
    "state",
    "electricity",
    "elec",
    "duration",
    "功率",
    "电量",
    "电压",
    "电流",
    "状态",
    "充电量",
    "时长",
];
/// Measures that only make sense for charging.
const CHARGING_MEASURES: &[&str] = &[
    "soc",
    "kwh",
    "charge",
    "charging",
    "charged",
    "charge_energy",
    "充电量",
    "充电",
];

/// Whether a column named with `term` is a key (`pile_id`, `充电桩编号`, or
/// just `charger`) rather than a description (`station_name`).
fn is_key_name(c: &Col<'_>, term: &str) -> bool {
    KEY_TOKENS.contains(&c.last_token())
        || c.norm == term
        || KEY_SUFFIXES_ZH.iter().any(|s| c.norm.ends_with(s))
}

fn charging_ops(cols: &[Col<'_>]) -> Option<TableFinding> {
    let mut keys = Vec::new();
    let mut measures = Vec::new();
    let mut specific = false;
    for c in cols {
        let charger = c.find(CHARGER_NAMES);
        let station = c.find(STATION_NAMES);
        let measure = c.find(MEASURE_NAMES);
        let charging_measure = c.find(CHARGING_MEASURES);
        // `充电桩编号` contains `充电` but is a key: keys are decided first.
        let key = charger
            .or(station)
            .filter(|t| measure.is_none() && is_key_name(c, t));
        if let Some(t) = key {
            specific |= charger.is_some();
            let what = if charger.is_some() {
                "charging equipment key"
            } else {
                "station key"
            };
            keys.push(Hit::new(c, format!("{what} `{t}`"), 1.0));
        } else if let Some(m) = measure.or(charging_measure.filter(|_| charger.is_none())) {
            specific |= charging_measure.is_some() || charger.is_some();
            measures.push(Hit::new(c, format!("operating measure `{m}`"), 1.0));
        }
    }
    if keys.is_empty() || measures.is_empty() || !specific {
        return None;
    }
    let charger_key = keys.iter().any(|k| k.why.starts_with("charging"));
    let confidence = match (charger_key, measures.len()) {
        (true, n) if n >= 2 => 0.9,
        (true, _) => 0.8,
        (false, _) => 0.7,
    };
    Some(finding(
        CHARGING_OPS,
        confidence,
        cols,
        &[
            ("key", keys.iter().collect()),
            ("measures", measures.iter().collect()),
        ],
    ))
}

// ---------------------------------------------------------------------------
// vehicle.exterior_media and vehicle.cabin_media

const MEDIA_NAMES: &[&str] = &[
    "image", "img", "picture", "pic", "photo", "video", "frame", "snapshot", "snap", "jpg", "jpeg",
    "png", "mp4", "h264", "clip", "图片", "图像", "视频", "照片", "抓拍", "影像",
];
const AUDIO_NAMES: &[&str] = &[
    "voice",
    "audio",
    "recording",
    "microphone",
    "mic",
    "speech",
    "录音",
    "语音",
    "音频",
];
/// Exterior camera devices; the name alone implies media.
const EXTERIOR_DEVICES: &[&str] = &[
    "front_camera",
    "rear_camera",
    "side_camera",
    "dashcam",
    "dash_cam",
    "dvr",
    "surround_view",
    "avm",
    "行车记录",
    "环视",
    "前视",
    "后视",
    "车外摄像",
];
/// Words that place a camera or a medium outside the vehicle.
const EXTERIOR_WORDS: &[&str] = &["exterior", "outside", "outer", "adas", "车外"];
const CAMERA_WORDS: &[&str] = &["camera", "cam", "摄像", "相机"];
/// Words that place a camera or a microphone in the cabin.
const CABIN_WORDS: &[&str] = &[
    "dms",
    "oms",
    "cabin",
    "driver_monitor",
    "in_car",
    "incar",
    "interior",
    "inside",
    "车内",
    "座舱",
    "舱内",
    "驾驶员监测",
];
/// Last tokens of names that describe media without holding it
/// (`image_count`, `camera_id`, `video_status`).
const NOT_MEDIA_TAIL: &[&str] = &[
    "id",
    "no",
    "count",
    "cnt",
    "num",
    "size",
    "bytes",
    "status",
    "state",
    "type",
    "flag",
    "width",
    "height",
    "fps",
    "format",
    "time",
    "ts",
    "at",
    "hash",
    "md5",
    "enabled",
    "on",
    "channel",
    "position",
    "pos",
    "mode",
    "name",
    "version",
    "model",
    "resolution",
    "angle",
    "fov",
    "config",
    "level",
    "temp",
    "temperature",
    "speed",
];

fn is_media_slot(c: &Col<'_>) -> bool {
    !NOT_MEDIA_TAIL.contains(&c.last_token())
}

/// Image or video in the column itself (name or binary type).
fn visual(c: &Col<'_>) -> Option<String> {
    if !is_media_slot(c) {
        return None;
    }
    if let Some(t) = c.find(MEDIA_NAMES) {
        return Some(format!("media name `{t}`"));
    }
    (c.ty == TypeFamily::Binary).then(|| "binary type".to_owned())
}

fn exterior_media(cols: &[Col<'_>]) -> Option<TableFinding> {
    let cabin_in_table = cols.iter().any(|c| c.find(CABIN_WORDS).is_some());
    let mut direct = Vec::new();
    for c in cols {
        if c.find(CABIN_WORDS).is_some() || !is_media_slot(c) {
            continue;
        }
        let media = visual(c);
        if let Some(d) = c.find(EXTERIOR_DEVICES) {
            let strength = if media.is_some() { 0.9 } else { 0.85 };
            direct.push(Hit::new(c, format!("exterior camera `{d}`"), strength));
        } else if let (Some(m), Some(w)) = (&media, c.find(EXTERIOR_WORDS)) {
            direct.push(Hit::new(c, format!("{m}, exterior `{w}`"), 0.85));
        } else if let (Some(m), Some(w), false) = (&media, c.find(CAMERA_WORDS), cabin_in_table) {
            direct.push(Hit::new(c, format!("{m}, camera `{w}`"), 0.7));
        }
    }
    if !direct.is_empty() {
        let confidence = direct.iter().map(|h| h.strength).fold(0.0, f64::max);
        return Some(finding(
            EXTERIOR_MEDIA,
            confidence,
            cols,
            &[("exterior media", direct.iter().collect())],
        ));
    }
    // Media in one column, the exterior camera named in another.
    if cabin_in_table {
        return None;
    }
    let media: Vec<Hit> = cols
        .iter()
        .filter_map(|c| visual(c).map(|m| Hit::new(c, m, 1.0)))
        .collect();
    let context = cols.iter().find_map(|c| {
        if let Some(t) = c.find(EXTERIOR_DEVICES).or_else(|| c.find(EXTERIOR_WORDS)) {
            Some(Hit::new(c, format!("exterior `{t}`"), 0.75))
        } else {
            c.find(CAMERA_WORDS)
                .map(|t| Hit::new(c, format!("camera `{t}`"), 0.6))
        }
    })?;
    if media.is_empty() {
        return None;
    }
    Some(finding(
        EXTERIOR_MEDIA,
        context.strength,
        cols,
        &[
            ("media", media.iter().collect()),
            ("camera", vec![&context]),
        ],
    ))
}

fn cabin_media(cols: &[Col<'_>]) -> Option<TableFinding> {
    let cabin_context = cols.iter().find_map(|c| {
        c.find(CABIN_WORDS)
            .map(|t| Hit::new(c, format!("cabin `{t}`"), 1.0))
    });
    let mut direct = Vec::new();
    let mut voice = Vec::new();
    let mut media = Vec::new();
    for c in cols {
        if !is_media_slot(c) {
            continue;
        }
        let audio = c.find(AUDIO_NAMES).map(|t| format!("audio name `{t}`"));
        let any_media = visual(c).or(audio.clone());
        let cabin = c.find(CABIN_WORDS);
        match (cabin, &any_media) {
            (Some(w), Some(m)) => direct.push(Hit::new(c, format!("{m}, cabin `{w}`"), 0.9)),
            (Some(w), None) if c.find(CAMERA_WORDS).is_some() => {
                direct.push(Hit::new(c, format!("cabin camera `{w}`"), 0.85))
            }
            (None, Some(m)) if audio.is_some() => voice.push(Hit::new(c, m.clone(), 1.0)),
            (None, Some(m)) => media.push(Hit::new(c, m.clone(), 1.0)),
            _ => {}
        }
    }
    if !direct.is_empty() {
        let confidence = direct.iter().map(|h| h.strength).fold(0.0, f64::max);
        return Some(finding(
            CABIN_MEDIA,
            confidence,
            cols,
            &[("cabin media", direct.iter().collect())],
        ));
    }
    match (cabin_context, voice.is_empty(), media.is_empty()) {
        // Media here, the cabin named elsewhere in the table.
        (Some(ctx), _, _) if !(voice.is_empty() && media.is_empty()) => {
            let all: Vec<&Hit> = voice.iter().chain(&media).collect();
            Some(finding(
                CABIN_MEDIA,
                0.8,
                cols,
                &[("media", all), ("cabin", vec![&ctx])],
            ))
        }
        // A voice recording with no word about where it was made.
        (None, false, _) => Some(finding(
            CABIN_MEDIA,
            0.6,
            cols,
            &[("voice recording, cabin not named", voice.iter().collect())],
        )),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// vehicle.traffic_flow

/// Counts that are about vehicles by construction.
const TRAFFIC_COUNTS: &[&str] = &[
    "traffic_flow",
    "traffic_volume",
    "traffic_count",
    "vehicle_count",
    "vehicle_flow",
    "veh_count",
    "veh_flow",
    "car_count",
    "car_flow",
    "pcu",
    "车流量",
    "车流",
    "过车量",
    "过车数",
    "交通量",
    "通行量",
    "车辆数",
];
/// Counts that could be about anything; they need a road-specific place.
const GENERIC_FLOWS: &[&str] = &["flow", "volume", "流量"];
/// Qualifiers that make a generic flow something other than traffic.
const NOT_TRAFFIC: &[&str] = &[
    "cash",
    "work",
    "fund",
    "money",
    "data",
    "net",
    "process",
    "water",
    "oil",
    "gas",
    "heat",
    "sales",
    "trade",
    "trading",
    "order",
    "disk",
    "storage",
    "audio",
    "sound",
    "page",
    "passenger",
    "资金",
    "现金",
    "销售",
    "数据",
];
const ROAD_PLACES: &[&str] = &[
    "road",
    "section",
    "segment",
    "link",
    "lane",
    "intersection",
    "crossing",
    "junction",
    "toll",
    "gantry",
    "kakou",
    "checkpoint",
    "路段",
    "道路",
    "路口",
    "卡口",
    "断面",
    "收费站",
    "门架",
    "车道",
];
const AREA_PLACES: &[&str] = &[
    "area",
    "region",
    "district",
    "zone",
    "grid",
    "city",
    "county",
    "区域",
    "行政区",
    "网格",
];
const SHIPMENT_KEYS: &[&str] = &[
    "waybill",
    "shipment",
    "consignment",
    "tracking_no",
    "express_no",
    "ydh",
    "yundan",
    "运单",
    "物流单",
    "快递单",
    "货运单",
];
const ROUTE_CARGO: &[&str] = &[
    "origin",
    "destination",
    "dest",
    "from_city",
    "to_city",
    "route",
    "cargo",
    "goods",
    "weight",
    "freight",
    "始发",
    "目的",
    "发货",
    "收货",
    "货物",
    "重量",
    "线路",
];

fn traffic_flow(cols: &[Col<'_>]) -> Option<TableFinding> {
    let place = |names: &[&'static str], what: &str| {
        cols.iter().find_map(|c| {
            c.find(names)
                .map(|t| Hit::new(c, format!("{what} `{t}`"), 1.0))
        })
    };
    let road = place(ROAD_PLACES, "road place");
    let area = place(AREA_PLACES, "area");
    let strong = cols.iter().find_map(|c| {
        c.find(TRAFFIC_COUNTS)
            .map(|t| Hit::new(c, format!("traffic count `{t}`"), 1.0))
    });
    let generic = cols.iter().find_map(|c| {
        let t = c.find(GENERIC_FLOWS)?;
        c.find(NOT_TRAFFIC)
            .is_none()
            .then(|| Hit::new(c, format!("flow `{t}`"), 1.0))
    });
    let flow = match (strong, generic, &road, &area) {
        (Some(s), _, Some(p), _) | (Some(s), _, None, Some(p)) => Some((s, p.clone())),
        (None, Some(g), Some(p), _) => Some((g, p.clone())),
        _ => None,
    };
    let time = best(cols.iter().filter_map(time_hit));

    let key = cols.iter().find_map(|c| {
        c.find(SHIPMENT_KEYS)
            .map(|t| Hit::new(c, format!("shipment key `{t}`"), 1.0))
    });
    let route: Vec<Hit> = cols
        .iter()
        .filter(|c| key.as_ref().is_none_or(|k| k.column != c.name))
        .filter_map(|c| {
            c.find(ROUTE_CARGO)
                .map(|t| Hit::new(c, format!("route/cargo `{t}`"), 1.0))
        })
        .collect();
    let logistics = key.filter(|_| !route.is_empty());

    let mut roles: Vec<(&str, Vec<&Hit>)> = Vec::new();
    let mut confidence: f64 = 0.0;
    if let Some((count, place)) = &flow {
        let strong = count.why.starts_with("traffic");
        confidence = match (strong, time.is_some()) {
            (true, true) => 0.9,
            (true, false) | (false, true) => 0.8,
            (false, false) => 0.7,
        };
        roles.push(("vehicle flow", vec![count]));
        roles.push(("place", vec![place]));
        if let Some(t) = &time {
            roles.push(("time", vec![t]));
        }
    }
    if let Some(k) = &logistics {
        confidence = confidence.max(0.75);
        roles.push(("logistics", vec![k]));
        roles.push(("route/cargo", route.iter().collect()));
    }
    if roles.is_empty() {
        return None;
    }
    Some(finding(TRAFFIC_FLOW, confidence, cols, &roles))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(name, type, categories)` rows, kept alive for the borrow.
    struct Table(Vec<(String, ColumnType, Vec<CategoryId>)>);

    impl Table {
        fn new(rows: &[(&str, &str, &[&str])]) -> Self {
            Table(
                rows.iter()
                    .map(|(n, t, c)| {
                        (
                            n.to_string(),
                            ColumnType::parse(t),
                            c.iter().map(|&s| CategoryId::new(s)).collect(),
                        )
                    })
                    .collect(),
            )
        }

        fn classify(&self) -> Vec<TableFinding> {
            let cols: Vec<TableColumn<'_>> = self
                .0
                .iter()
                .map(|(n, t, c)| TableColumn {
                    name: n,
                    data_type: t,
                    categories: c,
                })
                .collect();
            classify_table(&cols)
        }
    }

    fn found(f: &[TableFinding]) -> Vec<CategoryId> {
        f.iter().map(|x| x.category.clone()).collect()
    }

    #[test]
    fn metadata_is_complete() {
        let mut seen = std::collections::HashSet::new();
        for c in table_categories() {
            assert!(seen.insert(c.id.clone()), "duplicate {}", c.id);
            assert!(c.id.is_vehicle(), "{}", c.id);
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
        assert_eq!(seen.len(), 5);
        // Every rule reports a category from the table.
        for id in [
            TRAJECTORY,
            CHARGING_OPS,
            EXTERIOR_MEDIA,
            CABIN_MEDIA,
            TRAFFIC_FLOW,
        ] {
            assert!(seen.contains(&id));
        }
    }

    /// The declared types the rules depend on, read by the one parser in `model`.
    #[test]
    fn declared_types_the_rules_rely_on() {
        use TypeFamily::*;
        for (t, want) in [
            ("double", Numeric),
            ("DOUBLE PRECISION", Numeric),
            ("decimal(10,6)", Numeric),
            ("Float64", Numeric),
            ("Nullable(Float64)", Numeric),
            ("Decimal128(9, 6)", Numeric),
            ("int unsigned", Numeric),
            ("timestamp(3) with time zone", Time),
            ("Timestamp(Millisecond, None)", Time),
            ("Nullable(DateTime64(3))", Time),
            ("DATE", Time),
            ("bytea", Binary),
            ("LargeBinary", Binary),
            ("longblob", Binary),
            ("geometry(Point,4326)", Geometry),
            ("varchar(32)", Text),
            ("Utf8", Text),
            ("interval", Other),
            ("", Unknown),
        ] {
            assert_eq!(ColumnType::parse(t).family(), want, "{t}");
        }
    }

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
        assert_eq!(found(&f), [TRAJECTORY], "{f:?}");
        let f = &f[0];
        assert_eq!(f.columns, ["vin", "lng", "lat", "gps_time"]);
        assert_eq!(f.confidence, 0.86); // 0.95 * 0.9 (coordinates by name)
        assert!(
            f.rule.contains("`vin` (classified vehicle.vin)"),
            "{}",
            f.rule
        );
        assert!(f.rule.contains("`gps_time` (date/time type)"), "{}", f.rule);

        // Chinese and pinyin names, an epoch-millisecond time by name.
        let t = Table::new(&[
            ("车牌号", "varchar", &["vehicle.license_plate"]),
            ("jd", "decimal(10,6)", &[]),
            ("wd", "decimal(10,6)", &[]),
            ("定位时间", "bigint", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [TRAJECTORY], "{f:?}");
        assert_eq!(f[0].columns, ["车牌号", "jd", "wd", "定位时间"]);

        // A geometry column and a device named only by its column name.
        let t = Table::new(&[
            ("terminalId", "varchar", &[]),
            ("geom", "geometry(Point,4326)", &[]),
            ("collect_time", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [TRAJECTORY]);
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
        assert_eq!(found(&f), [TRAJECTORY]);
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
    }

    #[test]
    fn charging_ops_positive_and_negative() {
        let t = Table::new(&[
            ("pile_id", "varchar", &[]),
            ("connector_no", "int", &[]),
            ("status", "tinyint", &[]),
            ("power_kw", "decimal", &[]),
            ("voltage", "decimal", &[]),
            ("updated_at", "timestamp", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [CHARGING_OPS], "{f:?}");
        assert_eq!(f[0].confidence, 0.9);
        assert_eq!(
            f[0].columns,
            ["pile_id", "connector_no", "status", "power_kw", "voltage"]
        );
        assert!(
            f[0].rule.contains("charging equipment key `pile`"),
            "{}",
            f[0].rule
        );

        // Generic station key with charging measures.
        let t = Table::new(&[
            ("station_id", "varchar", &[]),
            ("charge_kwh", "decimal", &[]),
            ("start_soc", "int", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [CHARGING_OPS]);
        assert_eq!(f[0].confidence, 0.7);

        // Chinese names.
        let t = Table::new(&[
            ("充电桩编号", "varchar", &[]),
            ("充电功率", "decimal", &[]),
            ("充电量", "decimal", &[]),
        ]);
        assert_eq!(found(&t.classify()), [CHARGING_OPS]);

        // A station directory without operating measures.
        let directory = Table::new(&[
            ("station_id", "varchar", &[]),
            ("station_name", "varchar", &[]),
            ("address", "varchar", &[]),
            ("operator_name", "varchar", &[]),
            ("lng", "double", &[]),
            ("lat", "double", &[]),
        ]);
        assert!(
            directory.classify().is_empty(),
            "{:?}",
            directory.classify()
        );
        // A charging-station directory is still a directory.
        let cdz = Table::new(&[
            ("cdz_id", "varchar", &[]),
            ("cdz_name", "varchar", &[]),
            ("address", "varchar", &[]),
        ]);
        assert!(cdz.classify().is_empty());
        // A bus stop with a status: nothing about charging.
        let bus = Table::new(&[
            ("station_id", "varchar", &[]),
            ("station_name", "varchar", &[]),
            ("status", "int", &[]),
        ]);
        assert!(bus.classify().is_empty());
    }

    #[test]
    fn exterior_media_positive_and_negative() {
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("capture_time", "timestamp", &[]),
            ("front_camera_url", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [EXTERIOR_MEDIA], "{f:?}");
        assert_eq!(f[0].columns, ["front_camera_url"]);
        assert_eq!(f[0].confidence, 0.85);

        let t = Table::new(&[
            ("event_id", "bigint", &[]),
            ("行车记录视频", "varchar", &[]),
        ]);
        assert_eq!(found(&t.classify()), [EXTERIOR_MEDIA]);

        // Binary frames; the camera named in another column.
        let t = Table::new(&[
            ("frame_id", "bigint", &[]),
            ("payload", "bytea", &[]),
            ("surround_view_channel", "int", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [EXTERIOR_MEDIA], "{f:?}");

        // Images without any camera: product photos.
        let products = Table::new(&[
            ("sku", "varchar", &[]),
            ("image_url", "varchar", &[]),
            ("photo", "bytea", &[]),
        ]);
        assert!(products.classify().is_empty());
        // Camera metadata without media.
        let inventory = Table::new(&[
            ("front_camera_id", "varchar", &[]),
            ("front_camera_status", "int", &[]),
            ("exterior_temp", "double", &[]),
        ]);
        assert!(
            inventory.classify().is_empty(),
            "{:?}",
            inventory.classify()
        );
    }

    #[test]
    fn cabin_media_positive_and_negative() {
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("dms_image_url", "varchar", &[]),
            ("event_type", "varchar", &[]),
            ("ts", "timestamp", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [CABIN_MEDIA], "{f:?}");
        assert_eq!(f[0].confidence, 0.9);
        assert_eq!(f[0].columns, ["dms_image_url"]);

        // A cabin camera image must not also count as exterior.
        let t = Table::new(&[("cabin_camera_frame", "bytea", &[])]);
        assert_eq!(found(&t.classify()), [CABIN_MEDIA]);

        // Media plus a cabin column elsewhere.
        let t = Table::new(&[
            ("trip_id", "bigint", &[]),
            ("video_path", "varchar", &[]),
            ("座舱位置", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [CABIN_MEDIA], "{f:?}");
        assert_eq!(f[0].confidence, 0.8);

        // A voice recording with nothing about the cabin: low confidence.
        let t = Table::new(&[
            ("session_id", "bigint", &[]),
            ("voice_recording", "blob", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [CABIN_MEDIA]);
        assert_eq!(f[0].confidence, 0.6);

        // Driver-monitoring events without media.
        let events = Table::new(&[
            ("dms_event_type", "varchar", &[]),
            ("dms_status", "int", &[]),
            ("audio_enabled", "boolean", &[]),
        ]);
        assert!(events.classify().is_empty(), "{:?}", events.classify());
    }

    #[test]
    fn traffic_flow_positive_and_negative() {
        let t = Table::new(&[
            ("section_id", "varchar", &[]),
            ("stat_hour", "timestamp", &[]),
            ("traffic_flow", "int", &[]),
            ("avg_speed", "double", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [TRAFFIC_FLOW], "{f:?}");
        assert_eq!(f[0].confidence, 0.9);
        assert_eq!(f[0].columns, ["section_id", "stat_hour", "traffic_flow"]);

        let t = Table::new(&[
            ("卡口编号", "varchar", &[]),
            ("统计时间", "datetime", &[]),
            ("过车量", "int", &[]),
        ]);
        assert_eq!(found(&t.classify()), [TRAFFIC_FLOW]);

        // Generic flow needs a road place.
        let t = Table::new(&[("road_id", "varchar", &[]), ("flow", "int", &[])]);
        let f = t.classify();
        assert_eq!(found(&f), [TRAFFIC_FLOW]);
        assert_eq!(f[0].confidence, 0.7);

        // Logistics shipments.
        let t = Table::new(&[
            ("waybill_no", "varchar", &[]),
            ("origin_city", "varchar", &[]),
            ("destination_city", "varchar", &[]),
            ("weight_kg", "decimal", &[]),
            ("ship_time", "timestamp", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [TRAFFIC_FLOW], "{f:?}");
        assert!(f[0].rule.contains("logistics"), "{}", f[0].rule);

        for negative in [
            Table::new(&[
                ("region", "varchar", &[]),
                ("month", "date", &[]),
                ("sales_volume", "decimal", &[]),
            ]),
            Table::new(&[("region", "varchar", &[]), ("cash_flow", "decimal", &[])]),
            Table::new(&[("area", "varchar", &[]), ("volume", "int", &[])]),
            Table::new(&[("waybill_no", "varchar", &[]), ("status", "int", &[])]),
        ] {
            assert!(negative.classify().is_empty(), "{:?}", negative.classify());
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
        assert_eq!(found(&t.classify()), [TRAJECTORY, EXTERIOR_MEDIA]);
        assert!(classify_table(&[]).is_empty());
    }
}
