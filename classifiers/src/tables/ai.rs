//! Column roles shared by the AI data-holding rules (`ai.*`): who a row
//! belongs to, which model produced it, which column holds text.
//!
//! AI data sets are recognised by the names of their columns, which follow
//! the formats of the common training and serving tools (chat `messages`
//! with `role`/`content`, `instruction`/`input`/`output`, `chosen`/
//! `rejected`). A role matches only the whole normalised name or one of its
//! listed spellings, never a token inside a longer name, because words such
//! as `role`, `input` or `rejected` also occur in permission, ETL and
//! approval tables (`role_id`, `rejected_reason`). Names are compared in
//! normalised form, where a Latin part after Han characters is split off
//! (`会话id` → `会话_id`).

use super::column::{Column, Hit};
use crate::TypeFamily;

/// Ids of the AI data-holding categories, as declared in `model::ids`
/// (`AI_CHAT_LOG` there is `CHAT_LOG` here).
pub mod ai_ids {
    use crate::CategoryId;

    pub use model::ids::{
        AI_CHAT_LOG as CHAT_LOG, AI_EMBEDDING as EMBEDDING, AI_EVALUATION_DATA as EVALUATION_DATA,
        AI_INSTRUCTION_DATA as INSTRUCTION_DATA, AI_PREFERENCE_DATA as PREFERENCE_DATA,
        AI_PRETRAINING_CORPUS as PRETRAINING_CORPUS,
    };

    /// Every AI data-holding category.
    pub const ALL: &[CategoryId] = &[
        CHAT_LOG,
        INSTRUCTION_DATA,
        PREFERENCE_DATA,
        PRETRAINING_CORPUS,
        EVALUATION_DATA,
        EMBEDDING,
    ];
}

/// Who asked: a user or account key.
pub(super) const USER_KEYS: &[&str] = &[
    "user_id",
    "userid",
    "uid",
    "open_id",
    "openid",
    "union_id",
    "customer_id",
    "member_id",
    "account_id",
    "user",
    "用户_id",
    "用户编号",
];
/// Which conversation: a session or thread key.
pub(super) const SESSION_KEYS: &[&str] = &[
    "session_id",
    "sessionid",
    "conversation_id",
    "conversationid",
    "conv_id",
    "chat_id",
    "chatid",
    "thread_id",
    "dialog_id",
    "dialogue_id",
    "会话_id",
    "对话_id",
];
/// Which model answered, or what it cost.
pub(super) const MODEL_MARKS: &[&str] = &[
    "model",
    "model_name",
    "model_id",
    "model_version",
    "llm",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "input_tokens",
    "output_tokens",
    "模型",
    "模型名称",
];

/// Whether the column may hold text: a text or JSON type, raw bytes (text
/// stored as blobs), or no declared type. Flags and numbers never do.
pub(super) fn texty(c: &Column<'_>) -> bool {
    matches!(
        c.ty,
        TypeFamily::Text | TypeFamily::Unknown | TypeFamily::Binary
    )
}

/// The first of `names` that is the column's whole normalised name.
pub(super) fn exact(c: &Column<'_>, names: &[&'static str]) -> Option<&'static str> {
    names.iter().copied().find(|n| c.norm == *n)
}

/// The first column whose whole name is one of `names` and that may hold
/// text, as a hit of the given role.
pub(super) fn text_role(cols: &[Column<'_>], names: &[&'static str], role: &str) -> Option<Hit> {
    cols.iter().find_map(|c| {
        let n = exact(c, names)?;
        texty(c).then(|| Hit::new(c, format!("{role} `{n}`"), 1.0))
    })
}

/// The first column whose whole name is one of `names`, of any type.
pub(super) fn key_role(cols: &[Column<'_>], names: &[&'static str], role: &str) -> Option<Hit> {
    cols.iter()
        .find_map(|c| exact(c, names).map(|n| Hit::new(c, format!("{role} `{n}`"), 1.0)))
}
