//! `vehicle.traffic_flow`: vehicle counts by place, and logistics shipments.

use super::column::{best, finding, time_hit, Column, Hit, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};
use crate::{ids, VEHICLE_ART3_ITEM_1};

/// The rule; its category and docs are [`INFO`].
pub(super) struct TrafficFlow;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ids::TRAFFIC_FLOW,
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
};

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

impl TableRule for TrafficFlow {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

/// The rule itself, over the table's columns in order.
fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
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
    Some(finding(&INFO, confidence, cols, &roles))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn traffic_flow_positive_and_negative() {
        let t = Table::new(&[
            ("section_id", "varchar", &[]),
            ("stat_hour", "timestamp", &[]),
            ("traffic_flow", "int", &[]),
            ("avg_speed", "double", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAFFIC_FLOW], "{f:?}");
        assert_eq!(f[0].confidence, 0.9);
        assert_eq!(f[0].columns, ["section_id", "stat_hour", "traffic_flow"]);

        let t = Table::new(&[
            ("卡口编号", "varchar", &[]),
            ("统计时间", "datetime", &[]),
            ("过车量", "int", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ids::TRAFFIC_FLOW]);

        // Generic flow needs a road place.
        let t = Table::new(&[("road_id", "varchar", &[]), ("flow", "int", &[])]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::TRAFFIC_FLOW]);
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
        assert_eq!(found(&f), [ids::TRAFFIC_FLOW], "{f:?}");
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
}
