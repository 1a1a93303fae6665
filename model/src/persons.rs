//! The persons section of a scan report: how many distinct natural persons the holdings cover,
//! and where that count stands against the legal thresholds.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::category::{ids, CategoryId};

/// The name of [`IdentifierKind::Custom`]: no classifier has it (custom ids are `family.name`).
const CUSTOM_KIND: CategoryId = CategoryId::from_static("custom");

/// A kind of identifier that points at one natural person.
///
/// Each variant is a classifier category ([`IdentifierKind::category_id`]); that id is also its
/// name in serialised output. Licence plates, VINs and device ids identify things, not people,
/// and are deliberately absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IdentifierKind {
    /// Resident ID number (公民身份号码), 18 characters after normalisation.
    #[serde(rename = "pi.cn_resident_id")]
    CnResidentId,
    /// Passport number.
    #[serde(rename = "pi.passport")]
    Passport,
    /// Travel permit number (港澳/台湾 通行证).
    #[serde(rename = "pi.travel_permit")]
    TravelPermit,
    /// Mainland mobile number, 11 digits after normalisation.
    #[serde(rename = "pi.mobile_phone")]
    MobilePhone,
    /// E-mail address, lower-cased after normalisation.
    #[serde(rename = "pi.email")]
    Email,
    /// An identifier of the organisation's own (employee or member number), from a custom
    /// classifier that declares it names one person (`identifies_person = true`). Keys of
    /// different custom classifiers never collide: each classifier's id is hashed in.
    #[serde(rename = "custom")]
    Custom,
}

impl IdentifierKind {
    /// Every kind, in a fixed order.
    pub const ALL: [IdentifierKind; Self::COUNT] = [
        IdentifierKind::CnResidentId,
        IdentifierKind::Passport,
        IdentifierKind::TravelPermit,
        IdentifierKind::MobilePhone,
        IdentifierKind::Email,
        IdentifierKind::Custom,
    ];

    /// How many kinds there are, to size per-kind arrays.
    pub const COUNT: usize = 6;

    /// The kind behind a category, `None` for categories that do not identify a person.
    pub fn from_category_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.category_id() == id)
    }

    /// The classifier category of this kind.
    pub fn category_id(self) -> CategoryId {
        match self {
            IdentifierKind::CnResidentId => ids::CN_RESIDENT_ID,
            IdentifierKind::Passport => ids::PASSPORT,
            IdentifierKind::TravelPermit => ids::TRAVEL_PERMIT,
            IdentifierKind::MobilePhone => ids::MOBILE_PHONE,
            IdentifierKind::Email => ids::EMAIL,
            IdentifierKind::Custom => CUSTOM_KIND,
        }
    }

    /// Position in [`ALL`](Self::ALL), to index per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Stable 4-bit tag, 1..=6, stored in person keys and serialised sketches. Never reuse or
    /// renumber a tag: it is part of every stored key.
    pub fn tag(self) -> u8 {
        self as u8 + 1
    }

    /// Inverse of [`tag`](Self::tag).
    pub fn from_tag(tag: u8) -> Option<Self> {
        Self::ALL.get(usize::from(tag).checked_sub(1)?).copied()
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.category_id().as_str())
    }
}

/// How the persons were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountMethod {
    /// Union-find over every keyed identifier: an exact count.
    Exact,
    /// HLL sketches: bounds only.
    Sketch,
}

impl CountMethod {
    /// `exact` or `sketch`.
    pub fn as_str(self) -> &'static str {
        match self {
            CountMethod::Exact => "exact",
            CountMethod::Sketch => "sketch",
        }
    }
}

/// Comparison of a threshold rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// `count >= value` (Chinese "以上": the boundary is included).
    #[serde(rename = ">=")]
    Ge,
    /// `count > value` (Chinese "超过": the boundary is excluded).
    #[serde(rename = ">")]
    Gt,
}

impl Op {
    /// Whether `count` satisfies `count <op> value`.
    pub fn holds(self, count: u64, value: u64) -> bool {
        match self {
            Op::Ge => count >= value,
            Op::Gt => count > value,
        }
    }

    /// `">="` or `">"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
        }
    }
}

/// Where a count stands against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdStatus {
    /// The count certainly meets the rule.
    Crossed,
    /// The count certainly does not meet the rule.
    NotCrossed,
    /// The bounds straddle the rule's value (sketch mode only): an exact run is needed.
    Undecided,
}

impl ThresholdStatus {
    /// `crossed`, `not_crossed` or `undecided`.
    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdStatus::Crossed => "crossed",
            ThresholdStatus::NotCrossed => "not_crossed",
            ThresholdStatus::Undecided => "undecided",
        }
    }
}

/// A rule's verdict, one entry of the report's `thresholds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Stable rule id, e.g. `ndsr-art28`.
    pub id: String,
    /// The comparison.
    pub rule: Op,
    /// The rule's value.
    pub value: u64,
    /// The outcome.
    pub status: ThresholdStatus,
    /// The legal basis, e.g. `网络数据安全管理条例 第二十八条`.
    pub basis: String,
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
/// `distinct` is `null` in sketch mode. `by_identifier` counts distinct identifier values per
/// kind (estimates in sketch mode), not persons. `mergeable` is `false` when an ephemeral key
/// was used: the results can then not be combined with any other run. `key_hash` names the
/// keyed hash and `key_id` fingerprints the secret and that hash: only runs that agree on both
/// can be merged (reports without `key_hash` come from versions keyed with `hmac-sha256-128`).
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
    /// The keyed hash the identifiers were keyed with, e.g. `siphash-2-4-128`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_hash: Option<String>,
    /// Fingerprint of the secret and the keyed hash (16 hex digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Distinct identifier values per kind.
    pub by_identifier: BTreeMap<IdentifierKind, u64>,
    /// One verdict per rule.
    pub thresholds: Vec<Verdict>,
    /// Assets whose full pass failed: the count misses their persons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
    /// Whether exact counting outgrew its memory budget and fell back to sketches.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact_over_budget: bool,
    /// Exact persons per catalogue item (slug): persons whose identifiers occur in any asset
    /// holding one of the item's categories, linked across all assets. Only in exact mode, and
    /// only for items whose every such asset was read to the end.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_item: BTreeMap<String, u64>,
    /// What identifiers inside free text (notes, chat messages, prompts) added, when any
    /// were read: exact mode only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_text: Option<FreeTextPersons>,
}

/// The persons behind identifiers found inside free-text columns, as the report's
/// `persons.free_text`: `{"persons": 600, "only": 500}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeTextPersons {
    /// Persons with at least one identifier found in free text.
    pub persons: u64,
    /// Of those, persons found nowhere else: no identifier column names them, so without
    /// the free text they would not be counted.
    pub only: u64,
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

display_as_str!(CountMethod, Op, ThresholdStatus);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_tags_and_category_ids() {
        for kind in IdentifierKind::ALL {
            assert_eq!(IdentifierKind::from_tag(kind.tag()), Some(kind));
            assert_eq!(
                IdentifierKind::from_category_id(kind.category_id().as_str()),
                Some(kind)
            );
        }
        assert_eq!(IdentifierKind::from_tag(0), None);
        assert_eq!(IdentifierKind::from_category_id("vehicle.vin"), None);
    }

    #[test]
    fn report_json_uses_category_ids_and_snake_case() {
        let r = PersonsReport {
            distinct: Some(3),
            lower: 3,
            upper: 3,
            method: CountMethod::Exact,
            mergeable: true,
            key_hash: Some("siphash-2-4-128".into()),
            key_id: None,
            by_identifier: BTreeMap::from([(IdentifierKind::MobilePhone, 3)]),
            thresholds: vec![Verdict {
                id: "ndsr-art28".into(),
                rule: Op::Ge,
                value: 10_000_000,
                status: ThresholdStatus::NotCrossed,
                basis: "网络数据安全管理条例 第二十八条".into(),
            }],
            incomplete: vec![],
            exact_over_budget: false,
            by_item: BTreeMap::new(),
            free_text: None,
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["by_identifier"]["pi.mobile_phone"], 3);
        assert_eq!(v["thresholds"][0]["status"], "not_crossed");
        assert_eq!(v["thresholds"][0]["rule"], ">=");
        assert!(v.get("incomplete").is_none());
        assert_eq!(v["key_hash"], "siphash-2-4-128");
        assert!(v.get("key_id").is_none());
        assert_eq!(serde_json::from_value::<PersonsReport>(v).unwrap(), r);
    }
}
