//! `ai.evaluation_data`: model evaluation sets and their results.

use super::ai::{ai_ids, key_role, text_role, MODEL_MARKS};
use super::column::{finding, Column, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};

/// The rule; its category and docs are [`INFO`].
pub(super) struct EvaluationData;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ai_ids::EVALUATION_DATA,
    name_zh: "测试数据（模型评测）",
    name_en: "Test data (model evaluation)",
    is_pi: false,
    is_sensitive: false,
    gbt43697_class: "",
    vehicle_item: None,
    related_items: &[],
    docs: r#"Model evaluation sets and results (测试数据).

## What it detects

A table that holds expected answers beside what a model produced:

* an expected-answer column (`reference`, `gold`, `ground_truth`,
  `expected_output`, `expected_answer`, `标准答案`, `参考答案`) and a model
  output column (`prediction`, `pred`, `model_output`, `model_answer`,
  `generated`, `模型输出`); or
* a question column (`question`, `prompt`, `input`), an expected answer
  (the names above, or `answer`, `label`, `target`), a model column
  (`model`, `model_name`) and a grade (`score`, `is_correct`, `judge`,
  `得分`).

## Why it matters

Evaluation data (测试数据) is named beside training data in the AI data
tasks: benchmark and red-team sets must be catalogued, and sets built from
real user queries carry their personal information.

## Examples

* `id, question, reference, prediction, score`
* `sample_id, prompt, expected_output, model, is_correct`
* Not evaluation data: `id, question, answer, category` (a FAQ), `question,
  option_a, option_b, answer, subject` (an exam bank without any model).

## Known false positives

* Grading tables of human exams that store a student's answer as
  `prediction`.
"#,
};

const EXPECTED: &[&str] = &[
    "reference",
    "references",
    "gold",
    "gold_answer",
    "ground_truth",
    "groundtruth",
    "expected",
    "expected_output",
    "expected_answer",
    "标准答案",
    "参考答案",
];
const EXPECTED_PLAIN: &[&str] = &["answer", "label", "target", "答案"];
const OUTPUTS: &[&str] = &[
    "prediction",
    "predictions",
    "pred",
    "model_output",
    "model_answer",
    "generated",
    "generation",
    "模型输出",
    "模型回答",
];
const QUESTIONS: &[&str] = &["question", "prompt", "input", "query", "问题", "题目"];
const GRADES: &[&str] = &[
    "score",
    "is_correct",
    "correct",
    "judge",
    "judgement",
    "judgment",
    "accuracy",
    "得分",
    "评分",
];

impl TableRule for EvaluationData {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    let expected = text_role(cols, EXPECTED, "expected answer");
    if let (Some(e), Some(o)) = (&expected, text_role(cols, OUTPUTS, "model output")) {
        return Some(finding(&INFO, 0.9, cols, &[("comparison", vec![e, &o])]));
    }
    let question = text_role(cols, QUESTIONS, "question")?;
    let expected = expected.or_else(|| key_role(cols, EXPECTED_PLAIN, "expected answer"))?;
    let model = key_role(cols, MODEL_MARKS, "model")?;
    let grade = key_role(cols, GRADES, "grade")?;
    Some(finding(
        &INFO,
        0.85,
        cols,
        &[
            ("sample", vec![&question, &expected]),
            ("result", vec![&model, &grade]),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn evaluation_sets() {
        let t = Table::new(&[
            ("id", "int", &[]),
            ("question", "text", &[]),
            ("reference", "text", &[]),
            ("prediction", "text", &[]),
            ("score", "double", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::EVALUATION_DATA], "{f:?}");
        assert_eq!(f[0].columns, ["reference", "prediction"]);
        let t = Table::new(&[
            ("prompt", "text", &[]),
            ("answer", "text", &[]),
            ("model_name", "varchar", &[]),
            ("is_correct", "boolean", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::EVALUATION_DATA], "{f:?}");
        assert_eq!(f[0].confidence, 0.85);
    }

    #[test]
    fn evaluation_look_alikes() {
        let exam = Table::new(&[
            ("question", "text", &[]),
            ("option_a", "varchar", &[]),
            ("option_b", "varchar", &[]),
            ("answer", "varchar", &[]),
            ("subject", "varchar", &[]),
            ("score", "int", &[]),
        ]);
        assert!(exam.classify().is_empty());
        let faq = Table::new(&[
            ("question", "text", &[]),
            ("answer", "text", &[]),
            ("category", "varchar", &[]),
        ]);
        assert!(faq.classify().is_empty());
    }
}
