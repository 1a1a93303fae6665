//! `vehicle.charging_ops`: a charging pile or station key with operating measures.

use super::column::{finding, Column, Hit, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};
use crate::ids;

/// The rule; its category and docs are [`INFO`].
pub(super) struct ChargingOps;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ids::CHARGING_OPS,
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
* `id, station_id, status, rated_power` in a table named `charging_pile`
  or `充电桩信息` (the table name is the only charging word).
* Not operating data: `station_id, station_name, address, operator`
  (a station directory without measures).

## Known false positives

* Tables of a company's own depot chargers are operating data in form but
  may be too small to matter; the catalogue reviewer decides.
* A power-substation table that happens to use `pile` in its names.
"#,
};

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
fn is_key_name(c: &Column<'_>, term: &str) -> bool {
    KEY_TOKENS.contains(&c.last_token())
        || c.norm == term
        || KEY_SUFFIXES_ZH.iter().any(|s| c.norm.ends_with(s))
}

impl TableRule for ChargingOps {
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
    // A registry named `charging_pile` or `充电桩信息` need not repeat the
    // word in its columns: the name makes it specific, and its bare `id` or
    // `code` is the equipment key.
    let named = table
        .name_find(CHARGER_NAMES)
        .or_else(|| table.name_find(&["charging", "充电"]));
    let mut keys = Vec::new();
    let mut measures = Vec::new();
    let mut specific = named.is_some();
    for c in cols {
        if let Some(t) = named.filter(|_| KEY_TOKENS.contains(&c.norm.as_str())) {
            keys.push(Hit::new(
                c,
                format!("charging equipment key of a table named `{t}`"),
                1.0,
            ));
            continue;
        }
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
        &INFO,
        confidence,
        cols,
        &[
            ("key", keys.iter().collect()),
            ("measures", measures.iter().collect()),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn charging_ops_named_by_its_table() {
        let t = Table::new(&[
            ("id", "bigint", &[]),
            ("station_id", "bigint", &[]),
            ("status", "tinyint", &[]),
            ("rated_power", "decimal", &[]),
        ]);
        assert!(t.classify().is_empty());
        assert!(t.classify_named("bus_station_status", &[]).is_empty());
        for name in ["charging_pile", "t_charger", "充电桩信息"] {
            let f = t.classify_named(name, &[]);
            assert_eq!(found(&f), [ids::CHARGING_OPS], "{name}: {f:?}");
            assert_eq!(f[0].confidence, 0.9, "{name}");
            assert!(f[0].rule.contains("a table named"), "{}", f[0].rule);
        }
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
        assert_eq!(found(&f), [ids::CHARGING_OPS], "{f:?}");
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
        assert_eq!(found(&f), [ids::CHARGING_OPS]);
        assert_eq!(f[0].confidence, 0.7);

        // Chinese names.
        let t = Table::new(&[
            ("充电桩编号", "varchar", &[]),
            ("充电功率", "decimal", &[]),
            ("充电量", "decimal", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ids::CHARGING_OPS]);

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
}
