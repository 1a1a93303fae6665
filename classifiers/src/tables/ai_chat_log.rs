//! `ai.chat_log`: what users typed into a model service, tied to a user or
//! a conversation.

use super::ai::{ai_ids, exact, key_role, text_role, MODEL_MARKS, SESSION_KEYS, USER_KEYS};
use super::column::{finding, Column, Hit, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};

/// The rule; its category and docs are [`INFO`].
pub(super) struct ChatLog;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ai_ids::CHAT_LOG,
    name_zh: "用户输入数据（对话日志）",
    name_en: "User input data (chat and prompt logs)",
    is_pi: true,
    is_sensitive: false,
    gbt43697_class: "个人上网记录",
    vehicle_item: None,
    related_items: &[],
    docs: r#"Chat and prompt logs of a model service (用户输入数据).

## What it detects

A table that records what users sent to a model, in one of three forms:

* one row per message: a `role` (or `speaker`, `角色`) column, a message
  text column (`content`, `message`, `text`, `内容`) and a conversation key
  (`session_id`, `conversation_id`, `thread_id`, `会话id`);
* one row per conversation: a `messages` (or `conversation`,
  `chat_history`, `对话内容`) column holding the message list, or a JSON
  column named `message` or `chat` (LangChain's `message_store`, chat UIs
  that keep one document per chat), with a user or conversation key;
* prompt and answer side by side: a prompt column (`prompt`, `query`,
  `user_input`, `question`, `input`, `提问`) and an answer column
  (`response`, `completion`, `answer`, `reply`, `output`, `回答`) with a
  user or conversation key. When both names are everyday words (question
  and answer, input and output) a model column (`model`, `model_name`) or a
  token count (`prompt_tokens`, `total_tokens`) must be there too.

Names must be the whole column name, so `role_id` or `input_file` do not
count.

## Why it matters

User inputs carry whatever people type: names, phone numbers, addresses,
health questions. The 2026 AI tasks ask providers to identify holdings of
personal information of 10 000 000 persons and more, and the persons in
such logs sit inside the message text. The log is also a record of a
person's use of a service tied to their account (个人上网记录).

## Examples

* `id, session_id, role, content, created_at`
* `conversation_id, user_id, messages (json), model, updated_at`
* `request_id, user_id, prompt, response, prompt_tokens, completion_tokens`
* Not a chat log: `id, question, answer, category, sort` (a FAQ),
  `question, answer, user_id` without any model column (a community Q&A),
  `user_id, role_id` (permissions).

## Known false positives

* Transcripts of human customer-service chats (`session_id, role,
  content`) have the same shape; they are user input all the same, though
  not to a model.
"#,
};

const ROLE_NAMES: &[&str] = &[
    "role",
    "sender_role",
    "message_role",
    "author_role",
    "speaker",
    "角色",
];
const MESSAGE_TEXT: &[&str] = &[
    "content",
    "message",
    "msg",
    "text",
    "message_content",
    "message_text",
    "内容",
    "消息",
    "消息内容",
];
const MESSAGE_LISTS: &[&str] = &[
    "messages",
    "conversation",
    "conversations",
    "chat_history",
    "dialog",
    "dialogue",
    "对话",
    "对话内容",
    "聊天记录",
];
/// Names that hold a message list only when typed JSON (LangChain's
/// `message_store.message jsonb`, a `chat` document per conversation).
const JSON_MESSAGE_LISTS: &[&str] = &["message", "chat", "chat_json", "messages_json"];

/// Prompt-side names only a model service uses.
const PROMPTS_AI: &[&str] = &[
    "prompt",
    "user_prompt",
    "prompt_text",
    "user_input",
    "user_message",
    "user_query",
    "提示词",
    "用户输入",
];
const PROMPTS_PLAIN: &[&str] = &["query", "question", "input", "input_text", "提问", "问题"];
/// Answer-side names only a model service uses.
const ANSWERS_AI: &[&str] = &[
    "completion",
    "assistant_message",
    "model_output",
    "model_response",
    "llm_response",
    "模型回答",
];
const ANSWERS_PLAIN: &[&str] = &[
    "response",
    "answer",
    "reply",
    "output",
    "output_text",
    "回答",
    "回复",
];

impl TableRule for ChatLog {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

/// The user and the conversation keys, whichever there are.
fn owner(cols: &[Column<'_>]) -> Vec<Hit> {
    [
        key_role(cols, SESSION_KEYS, "conversation key"),
        key_role(cols, USER_KEYS, "user key"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    let owner = owner(cols);
    if owner.is_empty() {
        return None;
    }
    let model = key_role(cols, MODEL_MARKS, "model mark");
    let session = key_role(cols, SESSION_KEYS, "conversation key");
    let owner_refs: Vec<&Hit> = owner.iter().collect();

    // One row per message.
    if let (Some(role), Some(text), Some(session)) = (
        key_role(cols, ROLE_NAMES, "message role"),
        text_role(cols, MESSAGE_TEXT, "message text"),
        session.as_ref(),
    ) {
        return Some(finding(
            &INFO,
            0.9,
            cols,
            &[
                ("message", vec![&role, &text]),
                ("conversation", vec![session]),
            ],
        ));
    }
    // One row per conversation (or per message object).
    let json_list = || {
        cols.iter()
            .filter(|c| c.declared.contains("json"))
            .find_map(|c| {
                let n = exact(c, JSON_MESSAGE_LISTS)?;
                Some(Hit::new(c, format!("JSON message list `{n}`"), 1.0))
            })
    };
    if let Some(list) = text_role(cols, MESSAGE_LISTS, "message list").or_else(json_list) {
        let mut roles = vec![("messages", vec![&list]), ("owner", owner_refs.clone())];
        if let Some(m) = &model {
            roles.push(("model", vec![m]));
        }
        let confidence = if model.is_some() { 0.9 } else { 0.85 };
        return Some(finding(&INFO, confidence, cols, &roles));
    }
    // Prompt and answer side by side.
    let prompt_ai = text_role(cols, PROMPTS_AI, "prompt");
    let answer_ai = text_role(cols, ANSWERS_AI, "model answer");
    let specific = prompt_ai.is_some() || answer_ai.is_some();
    let prompt = prompt_ai.or_else(|| text_role(cols, PROMPTS_PLAIN, "prompt"))?;
    let answer = answer_ai.or_else(|| text_role(cols, ANSWERS_PLAIN, "answer"))?;
    if !specific && model.is_none() {
        return None;
    }
    let mut roles = vec![("exchange", vec![&prompt, &answer]), ("owner", owner_refs)];
    if let Some(m) = &model {
        roles.push(("model", vec![m]));
    }
    Some(finding(&INFO, 0.9, cols, &roles))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn chat_logs() {
        let t = Table::new(&[
            ("id", "bigint", &[]),
            ("session_id", "varchar(64)", &[]),
            ("role", "varchar(16)", &[]),
            ("content", "text", &[]),
            ("created_at", "datetime", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::CHAT_LOG], "{f:?}");
        assert_eq!(f[0].columns, ["session_id", "role", "content"]);
        assert_eq!(f[0].confidence, 0.9);

        let t = Table::new(&[
            ("conversationId", "varchar", &[]),
            ("userId", "bigint", &[]),
            ("messages", "json", &[]),
            ("model", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::CHAT_LOG], "{f:?}");
        assert_eq!(
            f[0].columns,
            ["conversationId", "userId", "messages", "model"]
        );

        let t = Table::new(&[
            ("request_id", "varchar", &[]),
            ("user_id", "bigint", &[]),
            ("prompt", "text", &[]),
            ("response", "text", &[]),
            ("total_tokens", "int", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::CHAT_LOG], "{f:?}");
        assert!(
            f[0].rule.contains("`prompt` (prompt `prompt`)"),
            "{}",
            f[0].rule
        );

        // LangChain's message store; a chat UI's chat documents.
        let t = Table::new(&[
            ("id", "serial", &[]),
            ("session_id", "text", &[]),
            ("message", "jsonb", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ai_ids::CHAT_LOG]);
        let t = Table::new(&[
            ("id", "varchar", &[]),
            ("user_id", "varchar", &[]),
            ("title", "text", &[]),
            ("chat", "json", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ai_ids::CHAT_LOG]);
        // Dify-style: query and answer with a model id.
        let t = Table::new(&[
            ("conversation_id", "uuid", &[]),
            ("query", "text", &[]),
            ("answer", "text", &[]),
            ("model_id", "varchar", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ai_ids::CHAT_LOG]);

        // Everyday names need a model column.
        let t = Table::new(&[
            ("openid", "varchar", &[]),
            ("question", "text", &[]),
            ("answer", "text", &[]),
            ("model_name", "varchar", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ai_ids::CHAT_LOG]);
    }

    #[test]
    fn chat_log_look_alikes() {
        let faq = Table::new(&[
            ("id", "int", &[]),
            ("question", "varchar(255)", &[]),
            ("answer", "text", &[]),
            ("category", "varchar", &[]),
            ("sort", "int", &[]),
        ]);
        assert!(faq.classify().is_empty(), "{:?}", faq.classify());
        let community = Table::new(&[
            ("user_id", "bigint", &[]),
            ("question", "text", &[]),
            ("answer", "text", &[]),
            ("created_at", "datetime", &[]),
        ]);
        assert!(community.classify().is_empty());
        let permissions = Table::new(&[
            ("user_id", "bigint", &[]),
            ("role_id", "bigint", &[]),
            ("role_name", "varchar", &[]),
        ]);
        assert!(permissions.classify().is_empty());
        // A message table with no conversation key: a notice board.
        let notices = Table::new(&[
            ("id", "int", &[]),
            ("role", "varchar", &[]),
            ("content", "text", &[]),
        ]);
        assert!(notices.classify().is_empty());
        // An ETL job log: input and output paths, no model.
        // Browsing history is not a conversation.
        let browsing = Table::new(&[("user_id", "bigint", &[]), ("history", "text", &[])]);
        assert!(browsing.classify().is_empty());
        // A plain-text `message` beside a session: a notification log.
        let notify = Table::new(&[("session_id", "varchar", &[]), ("message", "varchar", &[])]);
        assert!(notify.classify().is_empty());
        let etl = Table::new(&[
            ("job_id", "bigint", &[]),
            ("user_id", "bigint", &[]),
            ("input", "varchar", &[]),
            ("output", "varchar", &[]),
        ]);
        assert!(etl.classify().is_empty());
    }
}
