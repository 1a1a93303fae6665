//! COMMENTs as column hints. In real schemas a column named `c3` or `jd`
//! often has its only label in its COMMENT (`GPS经度`, `车牌号`, `身份证号`);
//! the label hints like a column name does
//! ([`ClassifierSet::column_described`](crate::ClassifierSet::column_described)).

/// Characters after which a COMMENT stops being a label and becomes prose.
const LABEL_END: &[char] = &[
    '，', ',', '。', '.', '；', ';', '：', ':', '（', '(', '、', '\n', '\r', '\t', '|', '/',
];
/// Characters a label may have; a longer first clause is a sentence.
const MAX_LABEL_CHARS: usize = 16;

/// The label of a COMMENT: its first clause, if short. `身份证号（加密存储）`
/// gives `身份证号`; `请勿在备注中填写客户的身份证号` gives nothing, since a
/// sentence that mentions a category does not say the column holds it.
pub fn comment_label(comment: &str) -> &str {
    let first = comment.split(LABEL_END).next().unwrap_or_default().trim();
    if first.chars().count() > MAX_LABEL_CHARS {
        ""
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ids, ClassifierSet, ColumnType};

    #[test]
    fn labels_are_first_short_clauses() {
        assert_eq!(comment_label("身份证号（加密存储）"), "身份证号");
        assert_eq!(comment_label(" GPS经度 "), "GPS经度");
        assert_eq!(comment_label("车牌号,如沪A12345"), "车牌号");
        assert_eq!(
            comment_label("请勿在备注中填写客户的身份证号码或手机号"),
            ""
        );
        assert_eq!(comment_label(""), "");
    }

    #[test]
    fn a_comment_hints_like_a_column_name() {
        let set = ClassifierSet::builtin();
        let double = ColumnType::parse("double");
        let scan = |comment: Option<&str>| {
            let mut scan = set.column_described("c3", comment, &double);
            for i in 0..50 {
                scan.push(Some(&format!("121.{:06}", 400_001 + i * 1_373)));
            }
            scan.finish()
        };
        // Bare numbers in the longitude range are no coordinates without a label.
        assert!(scan(None).is_empty());
        assert!(scan(Some("备注")).is_empty());
        for comment in ["GPS经度", "经度（GCJ-02）", "longitude"] {
            let found = scan(Some(comment));
            assert_eq!(found[0].category, ids::COORDINATE, "{comment}");
            assert!(
                found[0].by.contains(&"column_comment"),
                "{comment}: {:?}",
                found[0].by
            );
            assert!(!found[0].by.contains(&"column_name"), "{comment}");
        }
        // A name that already hints says so, not the comment.
        let mut named = set.column_described("lng", Some("经度"), &double);
        for i in 0..50 {
            named.push(Some(&format!("121.{:06}", 400_001 + i * 1_373)));
        }
        let found = named.finish();
        assert!(found[0].by.contains(&"column_name"), "{:?}", found[0].by);
        // A comment label of a name-only category on an empty column.
        let text = ColumnType::parse("varchar(18)");
        let found = set.column_described("f7", Some("身份证号"), &text).finish();
        assert_eq!(found[0].category, ids::CN_RESIDENT_ID);
        assert_eq!(found[0].by, ["column_comment"]);
    }
}
