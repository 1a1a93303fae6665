//! Exact counting over overlapping holdings with a known truth. All values
//! are synthetic.

use classifiers::validate::mod11_2_check_char;
use persons::{
    build_report, exact_report, normalize, sketch_report, AppliesTo, CountMethod, ExactCounter,
    IdentifierKind, IdentifierKind::*, Op, PersonCount, PersonKey, PersonKeyer, PersonsReport,
    SketchCounter, ThresholdRule, ThresholdStatus,
};

const SECRET_HEX: &str = "6d756c752d746573742d6b65792d6e6f742d612d7265616c2d7365637265742e";

fn keyer() -> PersonKeyer {
    PersonKeyer::from_hex(SECRET_HEX).unwrap()
}

/// Synthetic resident ID of person `i`: Beijing/Dongcheng prefix, a birth
/// date in 1970–1997, sequence from `i`, correct check character.
fn resident_id(i: u32) -> String {
    let year = 1970 + i % 28;
    let month = 1 + (i / 28) % 12;
    let day = 1 + (i / 336) % 28;
    let seq = i % 1000;
    let body = format!("110101{year:04}{month:02}{day:02}{seq:03}");
    let c = mod11_2_check_char(body.as_bytes()).unwrap();
    format!("{body}{}", c as char)
}

/// Synthetic mobile number of person `i`.
fn phone(i: u32) -> String {
    format!("139{i:08}")
}

struct Holdings {
    counter: ExactCounter,
    customers: persons::AssetId,
    orders: persons::AssetId,
    vehicles: persons::AssetId,
}

/// customers: persons 0..1000 with ID + phone in one row.
/// orders: phones of persons 500..1500, each ordering twice, once with a
///         `+86` and hyphens.
/// vehicle owners: IDs of persons 800..1200 with a licence plate (the plate
///         is not a person identifier and is not keyed).
fn holdings(k: &PersonKeyer) -> Holdings {
    let mut counter = ExactCounter::new();
    let customers = counter.register_asset("crm.customers");
    let orders = counter.register_asset("shop.orders");
    let vehicles = counter.register_asset("tsp.vehicle_owners");
    for i in 0..1000 {
        let row = [
            k.key_raw(CnResidentId, &resident_id(i)).unwrap(),
            k.key_raw(MobilePhone, &phone(i)).unwrap(),
        ];
        counter.add_asset_row(customers, &row);
    }
    for i in 500..1500 {
        let p = phone(i);
        counter.add_asset_row(orders, &[k.key_raw(MobilePhone, &p).unwrap()]);
        let formatted = format!("+86 {}-{}-{}", &p[..3], &p[3..7], &p[7..]);
        counter.add_asset_row(orders, &[k.key_raw(MobilePhone, &formatted).unwrap()]);
    }
    // The plate column is not a person identifier: only the ID is keyed.
    assert_eq!(
        IdentifierKind::from_category_id("vehicle.license_plate"),
        None
    );
    for i in 800..1200 {
        counter.add_asset_row(
            vehicles,
            &[k.key_raw(CnResidentId, &resident_id(i)).unwrap()],
        );
    }
    Holdings {
        counter,
        customers,
        orders,
        vehicles,
    }
}

#[test]
fn persons_are_connected_components() {
    let k = keyer();
    let mut h = holdings(&k);
    // Components: {ID_i, phone_i} for i < 1000; phones 1000..1500 alone;
    // IDs 1000..1200 alone.
    assert_eq!(h.counter.distinct_persons(), 1000 + 500 + 200);
    // Not the sum of the holdings' person counts, not the largest one.
    assert_ne!(h.counter.distinct_persons(), 1000 + 1000 + 400);
    assert_ne!(h.counter.distinct_persons(), 1000);
    assert_eq!(h.counter.distinct_keys(), 1200 + 1500);
    let by_kind = h.counter.distinct_by_kind();
    assert_eq!(by_kind[&CnResidentId], 1200);
    assert_eq!(by_kind[&MobilePhone], 1500);

    assert_eq!(h.counter.asset_persons(h.customers), 1000);
    assert_eq!(h.counter.asset_persons(h.orders), 1000);
    assert_eq!(h.counter.asset_persons(h.vehicles), 400);
    assert_eq!(
        h.counter.persons_in_assets(&[h.customers, h.vehicles]),
        1200
    );
    assert_eq!(
        h.counter
            .persons_in_assets(&[h.customers, h.orders, h.vehicles]),
        1700
    );

    // A later holding links IDs 1000..1200 to their phones: 200 fewer persons.
    let hr = h.counter.register_asset("hr.contacts");
    for i in 1000..1200 {
        let row = [
            k.key_raw(MobilePhone, &phone(i)).unwrap(),
            k.key_raw(CnResidentId, &resident_id(i)).unwrap(),
        ];
        h.counter.add_asset_row(hr, &row);
    }
    assert_eq!(h.counter.distinct_persons(), 1500);
    // Vehicle owners 800..1200 are now all linked to phones that ordered.
    assert_eq!(h.counter.persons_in_assets(&[h.orders, h.vehicles]), 1000);
    assert_eq!(h.counter.asset_name(hr), Some("hr.contacts"));
    assert_eq!(h.counter.register_asset("hr.contacts"), hr);
}

#[test]
fn linking_elsewhere_merges_rows_of_one_asset() {
    let k = keyer();
    let mut c = ExactCounter::new();
    let a = c.register_asset("a");
    let b = c.register_asset("b");
    let id = k.key_raw(CnResidentId, &resident_id(7)).unwrap();
    let ph = k.key_raw(MobilePhone, &phone(7)).unwrap();
    c.add_asset_row(a, &[id]);
    c.add_asset_row(a, &[ph]);
    assert_eq!(c.asset_persons(a), 2);
    c.add_asset_row(b, &[ph, id]);
    assert_eq!(c.asset_persons(a), 1);
    assert_eq!(c.asset_persons(b), 1);
    assert_eq!(c.distinct_persons(), 1);
}

#[test]
fn formatting_variants_count_once_and_invalid_ids_not_at_all() {
    let k = keyer();
    let mut c = ExactCounter::new();
    for raw in [
        "+86 138-0013-8000",
        "13800138000",
        "0086 138 0013 8000",
        "86-13800138000",
    ] {
        c.add_row(&[k.key_raw(MobilePhone, raw).unwrap()]);
    }
    for raw in [
        "11010519491231002X",
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105491231002",
    ] {
        c.add_row(&[k.key_raw(CnResidentId, raw).unwrap()]);
    }
    assert_eq!(
        normalize(CnResidentId, "110105491231002").as_deref(),
        Some("11010519491231002X")
    );
    for raw in ["Someone@Example.com", " someone@example.COM "] {
        c.add_row(&[k.key_raw(Email, raw).unwrap()]);
    }
    assert_eq!(c.distinct_persons(), 3);

    // Invalid IDs (bad check character, bad date, bad province) are no
    // persons: they produce no key at all.
    for raw in [
        "110105194912310021",
        "110105194902300027",
        "990105194912310021",
        "11010519491231002",
    ] {
        assert_eq!(k.key_raw(CnResidentId, raw), None, "{raw}");
    }
    assert_eq!(c.distinct_persons(), 3);
    assert_eq!(c.distinct_keys(), 3);
}

#[test]
fn exact_merge_equals_single_counter() {
    let k = keyer();
    let whole = holdings(&k).counter;

    // Same rows, split over two shards.
    let mut s1 = ExactCounter::new();
    let mut s2 = ExactCounter::new();
    let (c1, o2, v2) = (
        s1.register_asset("crm.customers"),
        s2.register_asset("shop.orders"),
        s2.register_asset("tsp.vehicle_owners"),
    );
    for i in 0..1000 {
        s1.add_asset_row(
            c1,
            &[
                k.key_raw(CnResidentId, &resident_id(i)).unwrap(),
                k.key_raw(MobilePhone, &phone(i)).unwrap(),
            ],
        );
    }
    for i in 500..1500 {
        s2.add_asset_row(o2, &[k.key_raw(MobilePhone, &phone(i)).unwrap()]);
    }
    for i in 800..1200 {
        s2.add_asset_row(v2, &[k.key_raw(CnResidentId, &resident_id(i)).unwrap()]);
    }
    assert_eq!(s2.distinct_persons(), 1000 + 400); // no links inside shard 2
    s1.merge(&s2);
    assert_eq!(s1.distinct_persons(), whole.distinct_persons());
    assert_eq!(s1.distinct_by_kind(), whole.distinct_by_kind());
    let names: Vec<_> = s1.assets().map(|(_, n)| n.to_owned()).collect();
    assert_eq!(
        names,
        ["crm.customers", "shop.orders", "tsp.vehicle_owners"]
    );
    for (id, name) in s1.assets() {
        let (wid, _) = whole.assets().find(|(_, n)| *n == name).unwrap();
        assert_eq!(s1.asset_persons(id), whole.asset_persons(wid), "{name}");
    }
}

#[test]
fn report_fragment_and_vehicle_rule() {
    let k = keyer();
    let h = holdings(&k);
    let vehicle = PersonCount::exact(h.counter.persons_in_assets(&[h.vehicles]));
    let report = exact_report(&h.counter, &k, Some(vehicle), &ThresholdRule::defaults());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "distinct": 1700, "lower": 1700, "upper": 1700, "method": "exact", "mergeable": true,
            "key_hash": "siphash-2-4-128", "key_id": k.key_id(),
            "by_identifier": {"pi.cn_resident_id": 1200, "pi.mobile_phone": 1500},
            "thresholds": [
                {"id": "ndsr-art28", "rule": ">=", "value": 10_000_000u64, "status": "not_crossed",
                 "basis": "网络数据安全管理条例 第二十八条"},
                {"id": "pipl-art52-officer", "rule": ">=", "value": 1_000_000u64, "status": "not_crossed",
                 "basis": "个人信息保护法 第五十二条"},
                {"id": "vehicle-art3-5", "rule": ">", "value": 100_000u64, "status": "not_crossed",
                 "basis": "汽车数据安全管理若干规定（试行） 第三条第（五）项"}
            ]
        })
    );
    let back: PersonsReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);

    // Ephemeral key: not mergeable.
    let eph = PersonKeyer::random().unwrap();
    let r = exact_report(&ExactCounter::new(), &eph, None, &ThresholdRule::defaults());
    assert!(!r.mergeable);
    assert_eq!(r.method, CountMethod::Exact);
}

#[test]
fn threshold_boundaries_through_reports() {
    let rules = ThresholdRule::defaults();
    let at = |n: u64, vehicle: u64| {
        build_report(
            CountMethod::Exact,
            true,
            PersonCount::exact(n),
            Default::default(),
            Some(PersonCount::exact(vehicle)),
            &rules,
        )
        .thresholds
        .into_iter()
        .map(|v| (v.id, v.status))
        .collect::<std::collections::BTreeMap<_, _>>()
    };
    let r = at(10_000_000, 100_000);
    assert_eq!(r["ndsr-art28"], ThresholdStatus::Crossed);
    assert_eq!(r["pipl-art52-officer"], ThresholdStatus::Crossed);
    assert_eq!(r["vehicle-art3-5"], ThresholdStatus::NotCrossed);
    let r = at(9_999_999, 100_001);
    assert_eq!(r["ndsr-art28"], ThresholdStatus::NotCrossed);
    assert_eq!(r["vehicle-art3-5"], ThresholdStatus::Crossed);

    // Without a vehicle count, the vehicle rule is judged on 0..=upper.
    let r = build_report(
        CountMethod::Exact,
        true,
        PersonCount::exact(200_000),
        Default::default(),
        None,
        &rules,
    );
    assert_eq!(r.thresholds[2].status, ThresholdStatus::Undecided);
    let r = build_report(
        CountMethod::Exact,
        true,
        PersonCount::exact(100_000),
        Default::default(),
        None,
        &rules,
    );
    assert_eq!(r.thresholds[2].status, ThresholdStatus::NotCrossed);

    // A custom rule round-trips through serde.
    let custom = ThresholdRule {
        id: "audit-2y".into(),
        op: Op::Gt,
        value: 10_000_000,
        basis: "个人信息保护合规审计管理办法".into(),
        applies_to: AppliesTo::AllPi,
    };
    let s = serde_json::to_string(&custom).unwrap();
    assert_eq!(serde_json::from_str::<ThresholdRule>(&s).unwrap(), custom);
    assert_eq!(
        custom.evaluate(&PersonCount::exact(10_000_000)).status,
        ThresholdStatus::NotCrossed
    );
}

#[test]
fn no_output_contains_an_identifier() {
    let k = keyer();
    let raw_values = [
        "13800138000",
        "11010519491231002X",
        "someone@example.com",
        "EA1234567",
        "H12345678",
    ];
    let kinds = [MobilePhone, CnResidentId, Email, Passport, TravelPermit];
    let mut exact = ExactCounter::new();
    let asset = exact.register_asset("t");
    let mut sketch = SketchCounter::new(&k);
    let mut keys: Vec<PersonKey> = Vec::new();
    for (raw, kind) in raw_values.iter().zip(kinds) {
        let key = k.key_raw(kind, raw).unwrap();
        keys.push(key);
        sketch.add(key);
    }
    exact.add_asset_row(asset, &keys);
    let report = exact_report(&exact, &k, None, &ThresholdRule::defaults());
    let sketch_report = sketch_report(&sketch, None, &ThresholdRule::defaults());

    let outputs = [
        format!("{keys:?}"),
        format!("{k:?}"),
        format!("{exact:?}"),
        format!("{sketch:?}"),
        format!("{report:?}"),
        serde_json::to_string(&report).unwrap(),
        format!("{sketch_report:?}"),
        serde_json::to_string(&sketch_report).unwrap(),
        String::from_utf8_lossy(&sketch.to_bytes()).into_owned(),
    ];
    for out in &outputs {
        for raw in raw_values {
            // Also no long fragment of the value (e.g. 8 of its digits).
            for frag in raw.as_bytes().windows(8) {
                let frag = std::str::from_utf8(frag).unwrap();
                assert!(!out.contains(frag), "{frag:?} leaked into {out}");
            }
        }
        assert!(!out.contains(SECRET_HEX), "secret leaked into {out}");
    }
    assert_eq!(report.distinct, Some(1));
}
