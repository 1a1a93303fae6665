//! What the person-count pass reads of an asset, and how one batch of it becomes keyed
//! hashes: identifier columns give one linked row per record; free-text columns in which the
//! scan found personal information give the identifiers inside their text, linked as
//! [`persons::text_keys_into`] says. Raw values live only inside [`keys_of`].

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::DataType;
use classifiers::ClassifierSet;
use model::{AssetReport, CategoryId};
use persons::{IdentifierKind, KeyRows, PersonKeyer};
use rayon::prelude::*;

/// How the pass uses one column it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Use {
    /// Every value is a built-in identifier of this kind.
    Identifier(IdentifierKind),
    /// Every value is an identifier of a custom classifier that declares `identifies_person`
    /// (looked up by id in the scan's set).
    Custom(CategoryId),
    /// Prose: identifiers are cut out of the text.
    Text,
}

/// The columns of an asset the pass reads, in the order of the batches it gets back.
#[derive(Debug, Default)]
pub(crate) struct PersonColumns {
    pub(crate) names: Vec<String>,
    pub(crate) uses: Vec<Use>,
}

impl PersonColumns {
    /// Whether the pass has anything to read.
    pub(crate) fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The identifier columns (whose top category is a built-in identifier kind, or a custom one
/// whose classifier in `classifiers` says each value names one person) and the free-text
/// columns in which the scan found personal information inside the text (`by:
/// ["free_text"]`): a note or chat message whose sampled rows held a phone, a name or an
/// address may hold identifiers in rows the sample did not see.
pub(crate) fn person_columns(
    report: &AssetReport,
    classifiers: Option<&ClassifierSet>,
) -> PersonColumns {
    let mut out = PersonColumns::default();
    for c in &report.columns {
        let Some(top) = c.categories.first() else {
            continue;
        };
        let by = |f: &model::CategoryReport, what: &str| f.by.iter().any(|b| b == what);
        // Found only inside text: a message that holds a phone is no phone number.
        let prose = |f: &model::CategoryReport| by(f, "free_text") && !by(f, "value");
        let kind = IdentifierKind::from_category_id(top.id.as_str());
        let custom = || {
            classifiers?
                .get(top.id.as_str())
                .filter(|k| k.identifies_person())
                .map(|_| top.id.clone())
        };
        if let Some(kind) = kind.filter(|_| !prose(top)) {
            out.names.push(c.name.clone());
            out.uses.push(Use::Identifier(kind));
        } else if let Some(id) = custom().filter(|_| kind.is_none() && !prose(top)) {
            out.names.push(c.name.clone());
            out.uses.push(Use::Custom(id));
        } else if c
            .categories
            .iter()
            .any(|f| f.id.as_str().starts_with("pi.") && by(f, "free_text"))
        {
            out.names.push(c.name.clone());
            out.uses.push(Use::Text);
        }
    }
    out
}

/// The keys of one batch: `rows` from the identifier columns (one row per record), `text`
/// from the free-text columns (rows as [`persons::text_keys_into`] links them).
#[derive(Debug, Default)]
pub(crate) struct BatchKeys {
    pub(crate) rows: Vec<KeyRows>,
    pub(crate) text: Vec<KeyRows>,
}

/// Rows per rayon task when hashing a batch.
const HASH_CHUNK_ROWS: usize = 1024;

/// A column as text: the pass asks for strings, but a lake file may store large or view
/// strings; anything that does not cast reads as absent.
fn as_text(array: &ArrayRef) -> Option<StringArray> {
    match array.data_type() {
        DataType::Utf8 => array.as_string_opt::<i32>().cloned(),
        DataType::LargeUtf8 | DataType::Utf8View => arrow_cast::cast(array, &DataType::Utf8)
            .ok()
            .and_then(|a| a.as_string_opt::<i32>().cloned()),
        _ => None,
    }
}

/// A column's keying, resolved once per batch.
enum Keying<'a> {
    Builtin(IdentifierKind),
    Custom(&'a dyn classifiers::Classifier),
    Text,
    None,
}

/// Keyed hashes of the identifiers in each record of a batch (column `i` used as
/// `uses[i]`; custom identifiers keyed by their classifier in `custom`), in consecutive runs
/// of records.
pub(crate) fn keys_of(
    batch: &RecordBatch,
    uses: &[Use],
    keyer: &PersonKeyer,
    texts: &ClassifierSet,
    custom: Option<&ClassifierSet>,
) -> BatchKeys {
    let keying: Vec<Keying<'_>> = uses
        .iter()
        .map(|u| match u {
            Use::Identifier(kind) => Keying::Builtin(*kind),
            Use::Custom(id) => custom
                .and_then(|s| s.get(id.as_str()))
                .map_or(Keying::None, Keying::Custom),
            Use::Text => Keying::Text,
        })
        .collect();
    let columns: Vec<Option<StringArray>> = batch.columns().iter().map(as_text).collect();
    let rows = batch.num_rows();
    let has_text = uses.contains(&Use::Text);
    // Keyed hashing (HMAC per value) and text search are the expensive parts: spread rows
    // over the rayon pool.
    let parts: Vec<(KeyRows, KeyRows)> = (0..rows.div_ceil(HASH_CHUNK_ROWS))
        .into_par_iter()
        .map(|chunk| {
            let end = ((chunk + 1) * HASH_CHUNK_ROWS).min(rows);
            let n = end - chunk * HASH_CHUNK_ROWS;
            let mut out = KeyRows::with_capacity(n * uses.len(), n);
            let mut text = KeyRows::new();
            let mut buf = classifiers::PersonKeyBuf::new();
            for row in chunk * HASH_CHUNK_ROWS..end {
                for (col, keying) in columns.iter().zip(&keying) {
                    let Some(col) = col else { continue };
                    if col.is_null(row) {
                        continue;
                    }
                    let key = match keying {
                        Keying::Builtin(kind) => keyer.key_raw_in(*kind, col.value(row), &mut buf),
                        Keying::Custom(c) => keyer.key_custom_in(*c, col.value(row), &mut buf),
                        Keying::Text => {
                            persons::text_keys_into(texts, keyer, col.value(row), &mut text);
                            None
                        }
                        Keying::None => None,
                    };
                    if let Some(key) = key {
                        out.push_key(key);
                    }
                }
                out.end_row();
            }
            (out, text)
        })
        .collect();
    let mut keys = BatchKeys::default();
    for (rows, text) in parts {
        if !rows.is_empty() {
            keys.rows.push(rows);
        }
        if has_text && !text.is_empty() {
            keys.text.push(text);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow_schema::{Field, Schema};
    use persons::PersonKey;

    #[test]
    fn keys_skip_invalid_values_and_empty_rows() {
        let keyer = PersonKeyer::new(&[7u8; 32]).unwrap();
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, true),
            Field::new("phone", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec![
                    Some("11010519491231002X"),
                    Some("110105194912310021"),
                    None,
                ])),
                Arc::new(StringArray::from(vec![
                    Some("13800138000"),
                    None,
                    Some("+86 138-0013-8000"),
                ])),
            ],
        )
        .unwrap();
        let uses = [
            Use::Identifier(IdentifierKind::CnResidentId),
            Use::Identifier(IdentifierKind::MobilePhone),
        ];
        let keys = keys_of(&batch, &uses, &keyer, &ClassifierSet::builtin(), None);
        let rows: Vec<&[PersonKey]> = keys.rows.iter().flat_map(KeyRows::iter).collect();
        assert_eq!(rows.len(), 2, "the middle row has only an invalid ID");
        assert_eq!(rows[0].len(), 2);
        assert_eq!(rows[1], &[rows[0][1]], "formatting variants hash alike");
        assert!(keys.text.is_empty());
    }

    /// Text identifiers are rows of their own, never linked with the record's columns.
    #[test]
    fn text_columns_give_rows_of_their_own() {
        let keyer = PersonKeyer::new(&[7u8; 32]).unwrap();
        let schema = Arc::new(Schema::new(vec![
            Field::new("phone", DataType::Utf8, true),
            Field::new("note", DataType::LargeUtf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec![Some("13800138000"), None])),
                Arc::new(arrow_array::LargeStringArray::from(vec![
                    Some("收货人电话13900001111，请送到门口"),
                    Some("客户来电，留言：手机13800138000，邮箱 A.Person@Example.com"),
                ])),
            ],
        )
        .unwrap();
        let uses = [Use::Identifier(IdentifierKind::MobilePhone), Use::Text];
        let keys = keys_of(&batch, &uses, &keyer, &ClassifierSet::builtin(), None);
        let rows: Vec<&[PersonKey]> = keys.rows.iter().flat_map(KeyRows::iter).collect();
        let text: Vec<&[PersonKey]> = keys.text.iter().flat_map(KeyRows::iter).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(text.len(), 2, "{text:?}");
        assert_eq!(text[0].len(), 1, "the recipient's phone stands alone");
        assert_eq!(text[1].len(), 2, "one phone and one e-mail: one person");
        assert_eq!(text[1][0], rows[0][0], "the same phone gives the same key");
    }

    #[test]
    fn prose_columns_with_personal_information_are_read() {
        let report: AssetReport = serde_json::from_value(serde_json::json!({
            "source": "s", "name": "t", "kind": "table", "row_count": null, "bytes": null,
            "sampled_rows": 3, "status": "ok", "error": null,
            "columns": [
                {"name": "mobile", "data_type": "Utf8", "categories": [
                    {"id": "pi.mobile_phone", "confidence": 1.0, "matched": 3, "sampled": 3,
                     "by": ["value"], "evidence": []}]},
                {"name": "content", "data_type": "Utf8", "categories": [
                    {"id": "pi.name", "confidence": 0.7, "matched": 2, "sampled": 3,
                     "by": ["free_text"], "evidence": []}]},
                {"name": "message", "data_type": "Utf8", "categories": [
                    {"id": "pi.mobile_phone", "confidence": 0.8, "matched": 2, "sampled": 3,
                     "by": ["free_text"], "evidence": []}]},
                {"name": "plate", "data_type": "Utf8", "categories": [
                    {"id": "vehicle.license_plate", "confidence": 0.8, "matched": 2,
                     "sampled": 3, "by": ["free_text"], "evidence": []}]},
                {"name": "amount", "data_type": "Utf8", "categories": []}
            ]
        }))
        .unwrap();
        let c = person_columns(&report, None);
        assert_eq!(c.names, ["mobile", "content", "message"]);
        assert_eq!(
            c.uses,
            [
                Use::Identifier(IdentifierKind::MobilePhone),
                Use::Text,
                Use::Text
            ]
        );
    }
}
