//! `ai.pretraining_corpus`: shards of text collected to pre-train a model.

use super::ai::{ai_ids, key_role, text_role};
use super::column::{finding, Column, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};

/// The rule; its category and docs are [`INFO`].
pub(super) struct PretrainingCorpus;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ai_ids::PRETRAINING_CORPUS,
    name_zh: "训练数据（预训练语料）",
    name_en: "Training data (pre-training corpus)",
    is_pi: false,
    is_sensitive: false,
    gbt43697_class: "",
    vehicle_item: None,
    related_items: &[],
    docs: r#"Pre-training text shards (训练数据, 预训练语料).

## What it detects

A document text column (`text`, `content`, `raw_content`, `document`,
`文本`, `正文`) together with a column that only corpus pipelines keep: a
token count (`token_count`, `num_tokens`, `n_tokens`), a quality or
language score (`perplexity`, `ppl`, `quality_score`, `lang_score`), a
near-duplicate signature (`minhash`, `simhash`, `dedup_hash`) or a shard
key (`shard`, `shard_id`).

## Why it matters

Pre-training corpora are training data of a generative model: their
sources must be lawful and catalogued, and crawled text holds personal
information (names, phone numbers, addresses in web pages and forums)
that counts towards an AI provider's holdings.

## Examples

* `text, url, token_count, lang_score` (a cleaned web crawl shard)
* `doc_id, raw_content, perplexity, minhash, shard_id`
* Not a corpus: `id, title, content, author, created_at` (a CMS article
  table), `id, text, url, timestamp` without any pipeline column.

## Known false positives

* A search index or content table that stores token counts for billing or
  display.
"#,
};

const TEXTS: &[&str] = &[
    "text",
    "content",
    "raw_content",
    "document",
    "doc",
    "doc_text",
    "文本",
    "正文",
];
const PIPELINE_MARKS: &[&str] = &[
    "token_count",
    "num_tokens",
    "n_tokens",
    "token_num",
    "perplexity",
    "ppl",
    "quality_score",
    "lang_score",
    "language_score",
    "minhash",
    "simhash",
    "dedup_hash",
    "shard",
    "shard_id",
];

impl TableRule for PretrainingCorpus {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    let text = text_role(cols, TEXTS, "document text")?;
    let mark = key_role(cols, PIPELINE_MARKS, "corpus pipeline column")?;
    Some(finding(
        &INFO,
        0.85,
        cols,
        &[("document", vec![&text]), ("pipeline", vec![&mark])],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn corpus_shards() {
        let t = Table::new(&[
            ("text", "Utf8", &[]),
            ("url", "Utf8", &[]),
            ("token_count", "Int64", &[]),
            ("lang_score", "Float64", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ai_ids::PRETRAINING_CORPUS], "{f:?}");
        assert_eq!(f[0].columns, ["text", "token_count"]);
        assert_eq!(f[0].confidence, 0.85);
    }

    #[test]
    fn corpus_look_alikes() {
        let cms = Table::new(&[
            ("id", "bigint", &[]),
            ("title", "varchar", &[]),
            ("content", "longtext", &[]),
            ("author", "varchar", &[]),
            ("created_at", "datetime", &[]),
        ]);
        assert!(cms.classify().is_empty());
        let crawl = Table::new(&[
            ("text", "text", &[]),
            ("url", "varchar", &[]),
            ("timestamp", "timestamp", &[]),
        ]);
        assert!(crawl.classify().is_empty());
    }
}
