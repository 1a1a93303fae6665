//! Sketch mode: bounds, serialisation and merging. All values are synthetic.

use persons::{
    sketch_report, IdentifierKind::*, PersonKey, PersonKeyer, SketchCounter, SketchError,
    ThresholdRule, ThresholdStatus,
};

fn keyer() -> PersonKeyer {
    PersonKeyer::from_hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        .unwrap()
}

fn phone_key(k: &PersonKeyer, i: u32) -> PersonKey {
    k.key_raw(MobilePhone, &format!("139{i:08}")).unwrap()
}

#[test]
fn bounds_contain_truth_and_merge_matches_single_sketch() {
    let k = keyer();
    const N: u32 = 200_000;
    let keys: Vec<PersonKey> = (0..N).map(|i| phone_key(&k, i)).collect();

    let mut whole = SketchCounter::new(&k);
    for &key in &keys {
        whole.add(key);
    }
    let c = whole.count();
    println!(
        "200k distinct phones: {c:?}, estimate {:?}",
        whole.distinct_by_kind()
    );
    assert_eq!(c.distinct, None);
    assert!(c.lower <= u64::from(N) && u64::from(N) <= c.upper, "{c:?}");
    // 2-sigma bounds at lgK 14 are about ±1.6 %.
    assert!(
        c.lower as f64 > 0.97 * f64::from(N) && (c.upper as f64) < 1.03 * f64::from(N),
        "{c:?}"
    );
    let est = whole.distinct_by_kind()[&MobilePhone];
    assert!(est.abs_diff(u64::from(N)) < 4_000, "{est}");

    // Two overlapping shards, shipped as bytes, then merged.
    let mut a = SketchCounter::new(&k);
    let mut b = SketchCounter::new(&k);
    for &key in &keys[..120_000] {
        a.add(key);
    }
    for &key in &keys[80_000..] {
        b.add(key);
    }
    let mut merged = SketchCounter::from_bytes(&a.to_bytes()).unwrap();
    merged
        .merge(&SketchCounter::from_bytes(&b.to_bytes()).unwrap())
        .unwrap();
    assert_eq!(merged.count(), whole.count());
    assert_eq!(merged.distinct_by_kind(), whole.distinct_by_kind());
    // Merging is order-independent, and serialising the whole is lossless.
    let mut other_way = b.clone();
    other_way.merge(&a).unwrap();
    assert_eq!(other_way.count(), whole.count());
    assert_eq!(
        SketchCounter::from_bytes(&whole.to_bytes())
            .unwrap()
            .count(),
        whole.count()
    );
    // Re-adding known keys changes nothing.
    merged.add_row(&keys[..1000]);
    assert_eq!(merged.count(), whole.count());
}

#[test]
fn kinds_give_max_and_sum_bounds() {
    let k = keyer();
    let mut s = SketchCounter::new(&k);
    // 3,000 phones and 1,000 e-mails; small enough for the exact coupon mode.
    for i in 0..3_000 {
        s.add(phone_key(&k, i));
    }
    for i in 0..1_000 {
        s.add(k.key_raw(Email, &format!("user{i}@example.com")).unwrap());
    }
    let c = s.count();
    // lower: the phones' lower bound; upper: both kinds' upper bounds.
    assert!(c.lower >= 2_900 && c.lower <= 3_000, "{c:?}");
    assert!(c.upper >= 4_000 && c.upper <= 4_130, "{c:?}");
    let r = sketch_report(&s, None, &ThresholdRule::defaults());
    assert_eq!(r.distinct, None);
    assert!(r.mergeable);
    assert!(r
        .thresholds
        .iter()
        .all(|v| v.status == ThresholdStatus::NotCrossed));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["method"], "sketch");
    assert_eq!(json["distinct"], serde_json::Value::Null);
    assert_eq!(json["by_identifier"]["pi.email"], 1_000);
}

#[test]
fn empty_and_malformed() {
    let k = keyer();
    let s = SketchCounter::new(&k);
    assert_eq!(s.count(), persons::PersonCount::bounded(0, 0));
    assert!(s.distinct_by_kind().is_empty());
    let bytes = s.to_bytes();
    assert_eq!(
        SketchCounter::from_bytes(&bytes).unwrap().count(),
        s.count()
    );
    assert!(matches!(
        SketchCounter::from_bytes(b"nope"),
        Err(SketchError::Format(_))
    ));
    let mut full = SketchCounter::new(&k);
    full.add(phone_key(&k, 1));
    let b = full.to_bytes();
    assert!(matches!(
        SketchCounter::from_bytes(&b[..b.len() - 1]),
        Err(SketchError::Format(_))
    ));
}

#[test]
fn different_keys_do_not_merge() {
    let mut a = SketchCounter::new(&keyer());
    let eph = PersonKeyer::random().unwrap();
    let b = SketchCounter::new(&eph);
    assert!(b.is_ephemeral());
    assert!(matches!(a.merge(&b), Err(SketchError::KeyMismatch(_, _))));
    assert_eq!(a.key_id(), keyer().key_id());
}

/// One hash per key for a row and its lead gives the sketches that adding them apart does.
#[test]
fn a_row_and_its_lead_sketch_as_when_added_apart() {
    let k = keyer();
    let (mut rows, mut leads) = (SketchCounter::new(&k), SketchCounter::new(&k));
    let (mut rows_apart, mut leads_apart) = (SketchCounter::new(&k), SketchCounter::new(&k));
    for i in 0..50_000u32 {
        let phone = phone_key(&k, i);
        let id = k
            .key_raw(CnResidentId, &format!("11010519491231{:03}X", i % 1000))
            .filter(|_| i % 3 != 0);
        // The phone comes first, but an ID leads whenever the row has one.
        let row: Vec<PersonKey> = std::iter::once(phone).chain(id).collect();
        rows.add_row_and_lead(&row, &mut leads);
        rows_apart.add_row(&row);
        leads_apart.add(*row.iter().min_by_key(|key| key.kind()).unwrap());
    }
    assert_eq!(rows.to_bytes(), rows_apart.to_bytes());
    assert_eq!(leads.to_bytes(), leads_apart.to_bytes());
    assert!(leads.distinct_by_kind().contains_key(&CnResidentId));
    assert!(leads.distinct_by_kind().contains_key(&MobilePhone));
}
