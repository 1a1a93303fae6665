//! The `persons` section of a scan report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::threshold::{evaluate, AppliesTo, PersonCount, ThresholdRule, Verdict};
use crate::{ExactCounter, IdentifierKind, PersonKeyer, SketchCounter};

/// How the persons were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountMethod {
    /// Union-find over every key ([`ExactCounter`]).
    Exact,
    /// HLL sketches, bounds only ([`SketchCounter`]).
    Sketch,
}

/// The report's `persons` object:
///
/// ```json
/// { "distinct": 3, "lower": 3, "upper": 3, "method": "exact", "mergeable": true,
///   "by_identifier": {"pi.cn_resident_id": 2, "pi.mobile_phone": 3},
///   "thresholds": [{"id": "ndsr-art28", "rule": ">=", "value": 10000000,
///                   "status": "not_crossed", "basis": "网络数据安全管理条例 第二十八条"}] }
/// ```
///
/// `distinct` is `null` in sketch mode. `by_identifier` counts distinct
/// identifier values per kind (estimates in sketch mode), not persons.
/// `mergeable` is `false` when an ephemeral key was used: the results can
/// then not be combined with any other run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonsReport {
    /// Exact number of persons, `None` in sketch mode.
    pub distinct: Option<u64>,
    /// Lower bound of the number of persons.
    pub lower: u64,
    /// Upper bound of the number of persons.
    pub upper: u64,
    /// Counting method.
    pub method: CountMethod,
    /// Whether the keys came from a persistent secret.
    pub mergeable: bool,
    /// Distinct identifier values per kind.
    pub by_identifier: BTreeMap<IdentifierKind, u64>,
    /// One verdict per rule.
    pub thresholds: Vec<Verdict>,
}

impl PersonsReport {
    /// Builds the report from any count.
    ///
    /// Rules that apply to [`AppliesTo::VehiclePi`] are judged against
    /// `vehicle`; without it they are judged against `0..=count.upper`
    /// (vehicle persons are a subset of all persons), which can only give
    /// `not_crossed` or `undecided`.
    pub fn new(
        method: CountMethod,
        mergeable: bool,
        count: PersonCount,
        by_identifier: BTreeMap<IdentifierKind, u64>,
        vehicle: Option<PersonCount>,
        rules: &[ThresholdRule],
    ) -> Self {
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
            by_identifier,
            thresholds,
        }
    }

    /// Report of an exact run. `vehicle` is e.g.
    /// `PersonCount::exact(counter.persons_in_assets(&vehicle_assets))`.
    pub fn from_exact(
        counter: &ExactCounter,
        keyer: &PersonKeyer,
        vehicle: Option<PersonCount>,
        rules: &[ThresholdRule],
    ) -> Self {
        Self::new(
            CountMethod::Exact,
            !keyer.is_ephemeral(),
            counter.count(),
            counter.distinct_by_kind(),
            vehicle,
            rules,
        )
    }

    /// Report of a sketch run. `vehicle` is e.g. the count of a second
    /// [`SketchCounter`] fed only from vehicle assets.
    pub fn from_sketch(
        counter: &SketchCounter,
        vehicle: Option<PersonCount>,
        rules: &[ThresholdRule],
    ) -> Self {
        Self::new(
            CountMethod::Sketch,
            !counter.is_ephemeral(),
            counter.count(),
            counter.distinct_by_kind(),
            vehicle,
            rules,
        )
    }
}
