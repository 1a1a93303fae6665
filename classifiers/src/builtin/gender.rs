use crate::{ids, CategoryInfo, Classifier};

macro_rules! doc_text {
    () => {
        r#"Sex or gender (性别).

## What it detects

Values of a column whose name says sex or gender (`gender`, `sex`, `xb`,
`xingbie`, `性别` …): `男`/`女`, `男性`/`女性`, `M`/`F`, `male`/`female`
(any case), and the GB/T 2261.1 codes `1` (male) and `2` (female). The
codes `0` (unknown) and `9` (not stated) and `未知`/`未说明` count with
weight 0.5.

These values mean nothing on their own (`1` and `2` are everywhere), so
**without a sex/gender column name no value counts**.

## Why it matters

Sex is personal basic information (个人基本资料) in GB/T 43697 Appendix B.
With a birth date and an area it narrows a person down, and it is part of
almost every person table that counts individuals.

## Examples

* In a `gender` column: `男`, `女`, `M`, `f`, `Female`, `1`, `2`.
* Rejected: the same values in a `status` column; `3` or `unknown text` in
  a `gender` column.
* Evidence is masked as `*`.

## Known false positives

* Columns named `sex`/`gender` that hold something else with the same
  codes, such as a preferred-gender filter in a matching app.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Gender;

impl Classifier for Gender {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::GENDER, "性别", "Sex or gender").personal("个人基本资料")
    }

    fn value_pattern(&self) -> Option<&str> {
        Some("(?i)男性?|女性?|m|f|male|female|man|woman|[0129]|未知|未说明")
    }

    fn confirms_without_hint(&self) -> bool {
        false
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, _value: &str) -> Option<f64> {
        None
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        let v = value.to_ascii_lowercase();
        match v.as_str() {
            "男" | "女" | "男性" | "女性" | "m" | "f" | "male" | "female" | "man" | "woman"
            | "1" | "2" => Some(1.0),
            "0" | "9" | "未知" | "未说明" => Some(0.5),
            _ => None,
        }
    }

    fn column_hint(&self) -> Option<&str> {
        Some("gender|sex|xb|xingbie|gender_code|sex_code|xbdm|性别|性别代码")
    }

    fn mask(&self, _value: &str) -> String {
        "*".to_owned()
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_with_hint() {
        for v in ["男", "女", "男性", "M", "f", "Female", "MALE", "1", "2"] {
            assert_eq!(Gender.confirm(v), None, "{v}");
            assert_eq!(Gender.confirm_hinted(v), Some(1.0), "{v}");
        }
        assert_eq!(Gender.confirm_hinted("0"), Some(0.5));
        assert_eq!(Gender.confirm_hinted("未知"), Some(0.5));
    }

    #[test]
    fn rejects() {
        for v in ["3", "男女", "x", "unknown", "13800138000"] {
            assert_eq!(Gender.confirm_hinted(v), None, "{v}");
        }
    }
}
