//! The `persons` section of a scan report.

use std::collections::BTreeMap;

use crate::threshold::{evaluate, AppliesTo, PersonCount, ThresholdRule};
use crate::{ExactCounter, PersonKeyer, SketchCounter, KEY_HASH};
use model::persons::{CountMethod, IdentifierKind, PersonsReport};

/// Builds the report from any count; it names no key (`key_hash` and `key_id` are `None`),
/// as [`exact_report`] and [`sketch_report`] do.
///
/// Rules that apply to [`AppliesTo::VehiclePi`] are judged against
/// `vehicle`; without it they are judged against `0..=count.upper`
/// (vehicle persons are a subset of all persons), which can only give
/// `not_crossed` or `undecided`.
pub fn build_report(
    method: CountMethod,
    mergeable: bool,
    count: PersonCount,
    by_identifier: BTreeMap<IdentifierKind, u64>,
    vehicle: Option<PersonCount>,
    rules: &[ThresholdRule],
) -> PersonsReport {
    let vehicle = vehicle.unwrap_or(PersonCount::bounded(0, count.upper));
    let thresholds = rules
        .iter()
        .map(|r| {
            let c = match r.applies_to {
                AppliesTo::AllPi => &count,
                AppliesTo::VehiclePi => &vehicle,
            };
            evaluate(r, c)
        })
        .collect();
    PersonsReport {
        distinct: count.distinct,
        lower: count.lower,
        upper: count.upper,
        method,
        mergeable,
        key_hash: None,
        key_id: None,
        by_identifier,
        thresholds,
        incomplete: Vec::new(),
        exact_over_budget: false,
        by_item: BTreeMap::new(),
        free_text: None,
    }
}

/// Report of an exact run. `vehicle` is e.g.
/// `PersonCount::exact(counter.persons_in_assets(&vehicle_assets))`.
pub fn exact_report(
    counter: &ExactCounter,
    keyer: &PersonKeyer,
    vehicle: Option<PersonCount>,
    rules: &[ThresholdRule],
) -> PersonsReport {
    PersonsReport {
        key_hash: Some(KEY_HASH.into()),
        key_id: Some(keyer.key_id()),
        ..build_report(
            CountMethod::Exact,
            !keyer.is_ephemeral(),
            counter.count(),
            counter.distinct_by_kind(),
            vehicle,
            rules,
        )
    }
}

/// Report of a sketch run. `vehicle` is e.g. the count of a second
/// [`SketchCounter`] fed only from vehicle assets.
pub fn sketch_report(
    counter: &SketchCounter,
    vehicle: Option<PersonCount>,
    rules: &[ThresholdRule],
) -> PersonsReport {
    PersonsReport {
        key_hash: Some(KEY_HASH.into()),
        key_id: Some(counter.key_id()),
        ..build_report(
            CountMethod::Sketch,
            !counter.is_ephemeral(),
            counter.count(),
            counter.distinct_by_kind(),
            vehicle,
            rules,
        )
    }
}
