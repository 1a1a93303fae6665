//! `ai.instruction_data`: instruction-tuning sets (supervised fine-tuning).

use super::ai::{ai_ids, key_role, text_role, SESSION_KEYS, USER_KEYS};
use super::column::{finding, Column, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};

/// The rule; its category and docs are [`INFO`].
pub(super) struct InstructionData;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ai_ids::INSTRUCTION_DATA,
    name_zh: "训练数据（指令微调）",
    name_en: "Training data (instruction tuning)",
    is_pi: false,
    is_sensitive: false,
    gbt43697_class: "",
    vehicle_item: None,
    related_items: &[],
    docs: r#"Instruction-tuning sets (训练数据, supervised fine-tuning).

## What it detects

* An `instruction` (or `指令`) column with an answer column (`output`,
  `response`, `answer`, `completion`, `target`, `输出`), optionally an
  `input` column: the instruction/input/output layout of the common
  fine-tuning formats.
* A `prompt` column with a `completion` or `target` column and no user or
  conversation key (prompt/completion fine-tuning files).
* A `conversations` or `messages` column with no user or conversation key
  and nothing but ids and labels beside it (multi-turn training sets).

## Why it matters

Training data of a generative model service must be catalogued, its
sources must be lawful, and personal information inside it counts towards
the holdings an AI provider reports. An instruction set built from real
user logs carries their PI.

## Examples

* `id, instruction, input, output`
* `prompt, completion`
* `id, conversations (json), source`
* Not training data: `user_id, prompt, response` (a chat log, reported as
  `ai.chat_log`), `id, question, answer` (a FAQ).

## Known false positives

* A table of task templates (`instruction`, `output`) in a workflow tool.
"#,
};

const INSTRUCTIONS: &[&str] = &["instruction", "instructions", "system_instruction", "指令"];
const OUTPUTS: &[&str] = &[
    "output",
    "outputs",
    "response",
    "answer",
    "completion",
    "target",
    "输出",
    "回答",
];
const PROMPTS: &[&str] = &["prompt", "prompt_text", "source_text"];
const COMPLETIONS: &[&str] = &["completion", "target", "target_text"];
const CONVERSATIONS: &[&str] = &["conversations", "messages", "dialogue", "多轮对话"];
/// Names that may stand beside a conversation list in a training set.
const DATASET_COLUMNS: &[&str] = &[
    "id", "idx", "source", "lang", "language", "category", "task", "split", "tags", "label",
];

impl TableRule for InstructionData {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    if let (Some(ins), Some(out)) = (
        text_role(cols, INSTRUCTIONS, "instruction"),
        text_role(cols, OUTPUTS, "target output"),
    ) {
        let input = text_role(cols, &["input", "输入"], "input");
        let mut parts = vec![&ins];
        parts.extend(input.as_ref());
        parts.push(&out);
        let confidence = if input.is_some() { 0.95 } else { 0.9 };
        return Some(finding(&INFO, confidence, cols, &[("sample", parts)]));
    }
    let owned = key_role(cols, USER_KEYS, "user").is_some()
        || key_role(cols, SESSION_KEYS, "conversation").is_some();
    if owned {
        return None;
    }
    if let (Some(p), Some(c)) = (
        text_role(cols, PROMPTS, "prompt"),
        text_role(cols, COMPLETIONS, "completion"),
    ) {
        return Some(finding(&INFO, 0.85, cols, &[("sample", vec![&p, &c])]));
    }
    let conv = text_role(cols, CONVERSATIONS, "conversation list")?;
    let only_dataset_columns = cols
        .iter()
        .all(|c| c.name == conv.column || DATASET_COLUMNS.contains(&c.norm.as_str()));
    only_dataset_columns.then(|| finding(&INFO, 0.75, cols, &[("sample", vec![&conv])]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn instruction_sets() {
        let t = Table::new(&[
            ("id", "bigint", &[]),
            ("instruction", "text", &[]),
            ("input", "text", &[]),
            ("output", "text", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::INSTRUCTION_DATA], "{f:?}");
        assert_eq!(f[0].columns, ["instruction", "input", "output"]);
        assert_eq!(f[0].confidence, 0.95);
        let t = Table::new(&[("prompt", "Utf8", &[]), ("completion", "Utf8", &[])]);
        assert_eq!(found(&t.classify()), [ai_ids::INSTRUCTION_DATA]);
        let t = Table::new(&[
            ("id", "Utf8", &[]),
            ("conversations", "Utf8", &[]),
            ("source", "Utf8", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::INSTRUCTION_DATA]);
        assert_eq!(f[0].confidence, 0.75);
    }

    #[test]
    fn instruction_look_alikes() {
        // A user's messages are a chat log, not a training set.
        let t = Table::new(&[("user_id", "bigint", &[]), ("messages", "json", &[])]);
        assert!(!found(&t.classify()).contains(&ai_ids::INSTRUCTION_DATA));
        // An inbox: messages beside sender and time.
        let t = Table::new(&[
            ("id", "bigint", &[]),
            ("messages", "text", &[]),
            ("sender", "varchar", &[]),
            ("sent_at", "datetime", &[]),
        ]);
        assert!(t.classify().is_empty(), "{:?}", t.classify());
        // Numeric `instruction` codes (a machine-control table).
        let t = Table::new(&[("instruction", "int", &[]), ("output", "int", &[])]);
        assert!(t.classify().is_empty());
    }
}
