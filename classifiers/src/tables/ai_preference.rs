//! `ai.preference_data`: preference pairs for reward models and RLHF/DPO.

use super::ai::{ai_ids, key_role, text_role};
use super::column::{finding, Column, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};

/// The rule; its category and docs are [`INFO`].
pub(super) struct PreferenceData;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ai_ids::PREFERENCE_DATA,
    name_zh: "训练数据（偏好数据）",
    name_en: "Training data (preference pairs)",
    is_pi: false,
    is_sensitive: false,
    gbt43697_class: "",
    vehicle_item: None,
    related_items: &[],
    docs: r#"Preference data for reward models and alignment (训练数据).

## What it detects

* A `chosen` and a `rejected` column (or `chosen_response` /
  `rejected_response`, `优选回答` / `劣选回答`), usually beside a `prompt`.
* Two candidate answers (`response_a`, `response_b`) with a verdict column
  (`winner`, `preference`, `choice`).

Whole column names only: `rejected_reason` in an approval table does not
count.

## Why it matters

Preference sets are training data of a generative model; they often come
from real user conversations and annotators' judgements, and must be
catalogued with their sources like other training data.

## Examples

* `prompt, chosen, rejected`
* `id, prompt, response_a, response_b, winner`
* Not preference data: `id, status, rejected_reason, approved_by`.

## Known false positives

* A voting table that stores two options and the winner of a contest.
"#,
};

const CHOSEN: &[&str] = &[
    "chosen",
    "chosen_response",
    "chosen_text",
    "chosen_answer",
    "优选回答",
];
const REJECTED: &[&str] = &[
    "rejected",
    "rejected_response",
    "rejected_text",
    "rejected_answer",
    "劣选回答",
];
const VERDICTS: &[&str] = &["winner", "preference", "preferred", "choice"];

impl TableRule for PreferenceData {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    if let (Some(c), Some(r)) = (
        text_role(cols, CHOSEN, "preferred answer"),
        text_role(cols, REJECTED, "rejected answer"),
    ) {
        return Some(finding(&INFO, 0.95, cols, &[("pair", vec![&c, &r])]));
    }
    let a = text_role(
        cols,
        &["response_a", "answer_a", "completion_a"],
        "candidate",
    )?;
    let b = text_role(
        cols,
        &["response_b", "answer_b", "completion_b"],
        "candidate",
    )?;
    let verdict = key_role(cols, VERDICTS, "verdict")?;
    Some(finding(
        &INFO,
        0.85,
        cols,
        &[("pair", vec![&a, &b]), ("verdict", vec![&verdict])],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn preference_pairs() {
        let t = Table::new(&[
            ("prompt", "text", &[]),
            ("chosen", "text", &[]),
            ("rejected", "text", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::PREFERENCE_DATA], "{f:?}");
        assert_eq!(f[0].columns, ["chosen", "rejected"]);
        let t = Table::new(&[
            ("prompt", "text", &[]),
            ("response_a", "text", &[]),
            ("response_b", "text", &[]),
            ("winner", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::PREFERENCE_DATA]);
        assert_eq!(f[0].confidence, 0.85);
    }

    #[test]
    fn preference_look_alikes() {
        let approvals = Table::new(&[
            ("id", "bigint", &[]),
            ("status", "varchar", &[]),
            ("rejected_reason", "varchar", &[]),
            ("chosen_plan", "varchar", &[]),
        ]);
        assert!(approvals.classify().is_empty());
        // Flags, not texts.
        let flags = Table::new(&[("chosen", "boolean", &[]), ("rejected", "int", &[])]);
        assert!(flags.classify().is_empty());
        // Two answers without a verdict.
        let ab = Table::new(&[("response_a", "text", &[]), ("response_b", "text", &[])]);
        assert!(ab.classify().is_empty());
    }
}
