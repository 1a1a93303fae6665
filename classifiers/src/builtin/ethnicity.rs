use std::sync::LazyLock;

use crate::fast_hash::{CharSet, FastSet};
use crate::{ids, CategoryInfo, Classifier};

macro_rules! doc_text {
    () => {
        r#"Ethnic group (民族).

## What it detects

The 56 officially recognised ethnic groups of China (GB/T 3304), written
with the suffix 族 (`汉族`, `壮族`, `维吾尔族`, `柯尔克孜族` …). Without
the suffix, the names that are not also everyday words count as well
(`维吾尔`, `土家`, `哈萨克`, `彝`, `傣` …). Short names that double as
words, places or surnames (`汉`, `回`, `白`, `水`, `京`, `土`, `蒙古`,
`朝鲜`, `俄罗斯`, `高山`, `保安` …) count only when the column name says
ethnicity (`mz`, `minzu`, `ethnicity`, `nation`, `民族` …), and so do the
two-digit codes of GB/T 3304 (`01` 汉族 … `56` 基诺族, `97` 其他, `98` 外国血统
中国籍人士), which household, HR and education systems store instead of the
name: without the column name a two-digit number is just a number. Lookup
is one hash-set probe per value, against sets built once per process.

## Why it matters

GB/T 43697 Appendix B lists ethnicity (民族) under personal basic
information. Ethnicity columns appear in household registration,
education, HR and health tables, and together with other attributes they
help single out members of small groups.

## Examples

* `汉族`, `回族`, `维吾尔族`, `土家`, `彝`.
* In a `minzu` column also `汉`, `回`, `蒙古`, and codes `01`, `05`, `97`.
* Rejected: `汉`, `白`, `蒙古` and `01` without such a column name; `汉服`;
  `外国人`; codes `00`, `57`, `99` and `1` even in a `minzu` column.
* Evidence is not masked: a group name does not identify anyone.

## Known false positives

* Lists of ethnic groups in reference tables (a dictionary of the 56 groups
  is not about persons).
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Ethnicity;

/// The 56 groups, without the suffix 族.
const GROUPS: &[&str] = &[
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Names that are also words, places, countries or surnames without 族.
const AMBIGUOUS: &[&str] = &[
    "汉",
    "蒙古",
    "回",
    "藏",
    "苗",
    "壮",
    "朝鲜",
    "满",
    "瑶",
    "白",
    "黎",
    "高山",
    "水",
    "东乡",
    "土",
    "羌",
    "布朗",
    "怒",
    "俄罗斯",
    "保安",
    "京",
    "门巴",
];

/// Whether `value` is the name of one of the 56 groups, with or without
/// 族 (used by the person-name classifier to stay away from them).
pub(crate) fn is_group_name(value: &str) -> bool {
    let s = &*SETS;
    s.may_be_form(value) && (s.plain.contains(value) || s.hinted.contains(value))
}

/// A GB/T 3304 code: `01`–`56` for the 56 groups, `97` other, `98` a
/// foreign-born Chinese citizen. Always two digits: `1` is a count or a flag.
fn is_code(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 2 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = (b[0] - b'0') * 10 + (b[1] - b'0');
    matches!(n, 1..=56 | 97 | 98)
}

struct Sets {
    /// Forms that count anywhere.
    plain: FastSet<String>,
    /// Forms that count only with an ethnicity column name.
    hinted: FastSet<&'static str>,
    /// The first characters of the forms of both sets.
    first: CharSet,
}

impl Sets {
    /// Whether `value` starts as some form does: most personal names (which
    /// the prefilter sends here too) start with a character no form starts
    /// with, and need no hashing.
    fn may_be_form(&self, value: &str) -> bool {
        value
            .chars()
            .next()
            .is_some_and(|c| self.first.contains(&c))
    }
}

static SETS: LazyLock<Sets> = LazyLock::new(|| {
    let mut plain: FastSet<String> = GROUPS.iter().map(|g| format!("{g}族")).collect();
    plain.extend(
        GROUPS
            .iter()
            .filter(|g| !AMBIGUOUS.contains(g))
            .map(|g| (*g).to_owned()),
    );
    let first = (plain.iter().map(String::as_str))
        .chain(AMBIGUOUS.iter().copied())
        .filter_map(|f| f.chars().next())
        .collect();
    Sets {
        plain,
        hinted: AMBIGUOUS.iter().copied().collect(),
        first,
    }
});

impl Classifier for Ethnicity {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::ETHNICITY, "民族", "Ethnic group").personal("个人基本资料")
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(r"\p{Han}{1,5}|[0-9]{2}")
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let s = &*SETS;
        (s.may_be_form(value) && s.plain.contains(value)).then_some(1.0)
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        let s = &*SETS;
        (s.plain.contains(value) || s.hinted.contains(value) || is_code(value)).then_some(1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        Some("mz|minzu|mzdm|ethnic|ethnicity|ethnic_group|nation|nationality_cn|race|民族|民族代码")
    }

    fn mask(&self, value: &str) -> String {
        value.to_owned()
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn fifty_six_groups() {
        assert_eq!(GROUPS.len(), 56);
        let unique: HashSet<_> = GROUPS.iter().collect();
        assert_eq!(unique.len(), 56);
        for a in AMBIGUOUS {
            assert!(GROUPS.contains(a), "{a}");
        }
    }

    #[test]
    fn accepts() {
        for v in [
            "汉族",
            "回族",
            "维吾尔族",
            "柯尔克孜族",
            "土家",
            "彝",
            "傣",
            "哈萨克",
        ] {
            assert_eq!(Ethnicity.confirm(v), Some(1.0), "{v}");
        }
        for v in ["汉", "回", "蒙古", "白"] {
            assert_eq!(Ethnicity.confirm(v), None, "{v}");
            assert_eq!(Ethnicity.confirm_hinted(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn gbt3304_codes_need_the_column_name() {
        for v in ["01", "05", "56", "97", "98"] {
            assert_eq!(Ethnicity.confirm(v), None, "{v}");
            assert_eq!(Ethnicity.confirm_hinted(v), Some(1.0), "{v}");
        }
        for v in ["00", "57", "96", "99", "1", "001", "5a"] {
            assert_eq!(Ethnicity.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn rejects() {
        for v in ["汉服", "外国人", "上海", "家族", "族", "张三"] {
            assert_eq!(Ethnicity.confirm_hinted(v), None, "{v}");
        }
    }
}
