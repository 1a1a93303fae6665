//! `ai.embedding`: tables of embedding vectors (vector stores, RAG indexes).

use super::ai::ai_ids;
use super::column::{finding, Column, Hit, TableView};
use super::{TableCategoryInfo, TableFinding, TableRule};
use crate::ids;

/// The rule; its category and docs are [`INFO`].
pub(super) struct Embedding;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ai_ids::EMBEDDING,
    name_zh: "向量数据（嵌入向量）",
    name_en: "Embedding vectors",
    is_pi: false,
    is_sensitive: false,
    gbt43697_class: "",
    vehicle_item: None,
    related_items: &[],
    docs: r#"Embedding vectors of a model (向量数据).

## What it detects

A column that holds embedding vectors:

* a vector type (`vector(1536)` and `halfvec` of pgvector, `FLOAT_VECTOR`
  of Milvus), confidence 0.95;
* a list of floats (`Array(Float32)`, `float4[]`, `List(Float32)`,
  `FixedSizeList(768, Float32)`) under an embedding name, 0.9;
* a column named `embedding`, `embeddings`, `emb`, `*_embedding`, `vector`
  or `向量` of a text, binary or unknown type (vectors serialised as JSON
  or bytes), 0.75.

Face or voice feature vectors that the column classifiers report as
`pi.biometric` are left to that category.

## Why it matters

Embedding tables are derived from training data, documents or user input
(retrieval indexes keep the source chunk beside the vector). They belong in
an AI provider's data catalogue, and embeddings of personal text can be
inverted to recover much of it.

## Examples

* `id, chunk, embedding vector(1024)`
* `doc_id, text, text_embedding Array(Float32)`
* Not an embedding table: `sku, prices Array(Float32)` (a price list),
  `id, attack_vector varchar` (a security finding).

## Known false positives

* Feature vectors of classical models (recommendation, risk scoring) are
  found too; they are model data all the same.
"#,
};

const EMBEDDING_TOKENS: &[&str] = &["embedding", "embeddings", "emb", "向量"];
const VECTOR_NAMES: &[&str] = &["vector", "vectors", "embedding_vector", "dense_vector"];

/// A vector type of a vector database or extension.
fn vector_type(declared: &str) -> bool {
    [
        "vector(",
        "halfvec",
        "sparsevec",
        "float_vector",
        "binary_vector",
    ]
    .iter()
    .any(|t| declared.contains(t))
        || declared == "vector"
}

/// A list or array of floating-point numbers.
fn float_list(declared: &str) -> bool {
    let list = ["array(", "list(", "[]", "fixedsizelist"]
        .iter()
        .any(|t| declared.contains(t));
    let float = ["float", "double", "real"]
        .iter()
        .any(|t| declared.contains(t));
    list && float
}

fn embedding_name(c: &Column<'_>) -> bool {
    EMBEDDING_TOKENS.contains(&c.last_token())
        || VECTOR_NAMES.contains(&c.norm.as_str())
        || c.norm.ends_with("向量")
}

fn vector_hit(c: &Column<'_>) -> Option<Hit> {
    if c.category(&[ids::BIOMETRIC]).is_some() {
        return None;
    }
    if vector_type(&c.declared) {
        return Some(Hit::new(c, format!("vector type `{}`", c.declared), 0.95));
    }
    if !embedding_name(c) {
        return None;
    }
    if float_list(&c.declared) {
        return Some(Hit::new(c, "float list under an embedding name", 0.9));
    }
    use crate::TypeFamily::*;
    matches!(c.ty, Text | Binary | Unknown).then(|| Hit::new(c, "embedding name, serialised", 0.75))
}

impl TableRule for Embedding {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    let hit = super::column::best(cols.iter().filter_map(vector_hit))?;
    Some(finding(
        &INFO,
        hit.strength,
        cols,
        &[("vector", vec![&hit])],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn embedding_tables() {
        for (ty, name, conf) in [
            ("vector(1024)", "embedding", 0.95),
            ("halfvec(768)", "v", 0.95),
            ("Array(Float32)", "text_embedding", 0.9),
            ("float4[]", "emb", 0.9),
            ("FixedSizeList(768, Float32)", "embedding", 0.9),
            ("json", "embedding", 0.75),
            ("bytea", "content_向量", 0.75),
        ] {
            let t = Table::new(&[
                ("id", "bigint", &[]),
                ("chunk", "text", &[]),
                (name, ty, &[]),
            ]);
            let f = t.classify();
            assert_eq!(found(&f), [ai_ids::EMBEDDING], "{ty} {name}: {f:?}");
            assert_eq!(f[0].confidence, conf, "{ty}");
            assert_eq!(f[0].columns, [name]);
        }
    }

    #[test]
    fn embedding_look_alikes() {
        for (ty, name, cats) in [
            ("Array(Float32)", "prices", &[][..]),
            ("varchar", "attack_vector", &[]),
            ("double", "embedding", &[]),
            ("bytea", "face_embedding", &["pi.biometric"][..]),
        ] {
            let t = Table::new(&[("id", "bigint", &[]), (name, ty, cats)]);
            assert!(t.classify().is_empty(), "{ty} {name}: {:?}", t.classify());
        }
    }
}
