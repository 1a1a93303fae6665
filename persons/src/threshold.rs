//! Person-count thresholds and their verdicts.

use serde::{Deserialize, Serialize};

pub use model::persons::{Op, ThresholdStatus, Verdict};

/// A count of persons: exact (`distinct` is set and equals both bounds) or
/// bounded (sketch mode, `distinct` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCount {
    /// The exact number, when known.
    pub distinct: Option<u64>,
    /// The count is at least this.
    pub lower: u64,
    /// The count is at most this.
    pub upper: u64,
}

impl PersonCount {
    /// An exact count.
    pub fn exact(n: u64) -> Self {
        PersonCount {
            distinct: Some(n),
            lower: n,
            upper: n,
        }
    }

    /// A count known only to lie in `lower..=upper`.
    pub fn bounded(lower: u64, upper: u64) -> Self {
        PersonCount {
            distinct: None,
            lower,
            upper,
        }
    }
}

/// Which persons a rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    /// Every person whose personal information the processor holds.
    AllPi,
    /// Only persons whose personal information is vehicle data.
    VehiclePi,
}

/// A legal threshold on the number of persons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdRule {
    /// Stable rule id, e.g. `ndsr-art28`.
    pub id: String,
    /// Comparison.
    pub op: Op,
    /// The number of persons compared against.
    pub value: u64,
    /// The legal source, e.g. `网络数据安全管理条例 第二十八条`.
    pub basis: String,
    /// Which persons count.
    pub applies_to: AppliesTo,
}

impl ThresholdRule {
    /// The built-in rules:
    ///
    /// | id | rule | basis |
    /// | --- | --- | --- |
    /// | `ndsr-art28` | ≥ 10,000,000 | 网络数据安全管理条例 第二十八条 (1000万人以上) |
    /// | `pipl-art52-officer` | ≥ 1,000,000 | 个人信息保护法 第五十二条 (PI protection officer; number set by CAC) |
    /// | `vehicle-art3-5` | > 100,000, vehicle PI only | 汽车数据安全管理若干规定（试行） 第三条第（五）项 (超过10万人) |
    pub fn defaults() -> Vec<ThresholdRule> {
        let rule = |id: &str, op, value, basis: &str, applies_to| ThresholdRule {
            id: id.to_owned(),
            op,
            value,
            basis: basis.to_owned(),
            applies_to,
        };
        vec![
            rule(
                "ndsr-art28",
                Op::Ge,
                10_000_000,
                "网络数据安全管理条例 第二十八条",
                AppliesTo::AllPi,
            ),
            rule(
                "pipl-art52-officer",
                Op::Ge,
                1_000_000,
                "个人信息保护法 第五十二条",
                AppliesTo::AllPi,
            ),
            rule(
                "vehicle-art3-5",
                Op::Gt,
                100_000,
                "汽车数据安全管理若干规定（试行） 第三条第（五）项",
                AppliesTo::VehiclePi,
            ),
        ]
    }

    /// Shorthand for [`evaluate`].
    pub fn evaluate(&self, count: &PersonCount) -> Verdict {
        evaluate(self, count)
    }
}

/// Judges `count` against `rule`.
///
/// An exact count is always decided. With bounds only, the rule is
/// `crossed` if the lower bound meets it, `not_crossed` if even the upper
/// bound does not, and `undecided` otherwise.
pub fn evaluate(rule: &ThresholdRule, count: &PersonCount) -> Verdict {
    let holds = |n| rule.op.holds(n, rule.value);
    let status = match count.distinct {
        Some(n) if holds(n) => ThresholdStatus::Crossed,
        Some(_) => ThresholdStatus::NotCrossed,
        None if holds(count.lower) => ThresholdStatus::Crossed,
        None if !holds(count.upper) => ThresholdStatus::NotCrossed,
        None => ThresholdStatus::Undecided,
    };
    Verdict {
        id: rule.id.clone(),
        rule: rule.op,
        value: rule.value,
        status,
        basis: rule.basis.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> ThresholdRule {
        ThresholdRule::defaults()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap()
    }

    fn status(id: &str, c: PersonCount) -> ThresholdStatus {
        evaluate(&rule(id), &c).status
    }

    #[test]
    fn exact_boundaries() {
        use ThresholdStatus::*;
        assert_eq!(
            status("ndsr-art28", PersonCount::exact(10_000_000)),
            Crossed
        );
        assert_eq!(
            status("ndsr-art28", PersonCount::exact(9_999_999)),
            NotCrossed
        );
        assert_eq!(
            status("pipl-art52-officer", PersonCount::exact(1_000_000)),
            Crossed
        );
        assert_eq!(
            status("pipl-art52-officer", PersonCount::exact(999_999)),
            NotCrossed
        );
        assert_eq!(
            status("vehicle-art3-5", PersonCount::exact(100_000)),
            NotCrossed
        );
        assert_eq!(
            status("vehicle-art3-5", PersonCount::exact(100_001)),
            Crossed
        );
        assert_eq!(status("ndsr-art28", PersonCount::exact(0)), NotCrossed);
    }

    #[test]
    fn bounded_counts() {
        use ThresholdStatus::*;
        assert_eq!(
            status("ndsr-art28", PersonCount::bounded(10_000_000, 30_000_000)),
            Crossed
        );
        assert_eq!(
            status("ndsr-art28", PersonCount::bounded(1, 9_999_999)),
            NotCrossed
        );
        assert_eq!(
            status("ndsr-art28", PersonCount::bounded(9_999_999, 10_000_000)),
            Undecided
        );
        assert_eq!(
            status("vehicle-art3-5", PersonCount::bounded(99_000, 100_000)),
            NotCrossed
        );
        assert_eq!(
            status("vehicle-art3-5", PersonCount::bounded(100_001, 100_001)),
            Crossed
        );
        assert_eq!(
            status("vehicle-art3-5", PersonCount::bounded(100_000, 100_001)),
            Undecided
        );
    }

    #[test]
    fn serialised_form() {
        let v = evaluate(&rule("ndsr-art28"), &PersonCount::bounded(5, 20_000_000));
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "ndsr-art28", "rule": ">=", "value": 10_000_000u64,
                "status": "undecided", "basis": "网络数据安全管理条例 第二十八条"})
        );
        let s = |st| serde_json::to_string(&st).unwrap();
        assert_eq!(s(ThresholdStatus::Crossed), "\"crossed\"");
        assert_eq!(s(ThresholdStatus::NotCrossed), "\"not_crossed\"");
        let r = serde_json::to_value(rule("vehicle-art3-5")).unwrap();
        assert_eq!(r["op"], ">");
        assert_eq!(r["applies_to"], "vehicle_pi");
    }
}
