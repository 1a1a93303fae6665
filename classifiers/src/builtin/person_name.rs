use std::sync::LazyLock;

use crate::fast_hash::{CharSet, FastSet};

use super::name_words::{
    FUNCTION_CHARS, IDIOMS, NON_NAME_PREFIXES, NON_NAME_SUFFIXES, NON_NAME_WORDS,
};
use super::surnames::{COMPOUND, FREQUENT, RARE, TOP_100};
use crate::builtin::mask_middle;
use crate::{ids, CategoryInfo, Classifier, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Chinese personal name (姓名).

## What it detects

* Names of two to four Han characters that start with a surname. The
  surnames follow the national frequency rankings of registered names: the
  hundred most frequent (about 85 % of residents), some 300 more frequent
  ones, a rare tier of traditional and regional surnames (weight 0.7), and
  about 50 compound surnames such as 欧阳, 司马, 上官, 诸葛. A single surname
  is followed by one or two characters, a compound surname by one or two.
  Four characters after a single surname count (0.7) only when the second
  is a surname too (张王丽华) or the column is named for names: otherwise
  they are mostly idioms and set phrases (龙马精神, 安居乐业).
* Transliterated minority names written with a middle dot, such as
  `阿依古丽·买买提` (two or three parts of Han characters), with weight 0.7
  because there is no surname to check.

Vocabulary that starts with a surname character is rejected: names of
ethnic groups (蒙古, 哈萨克 …); values that end like a place, organisation,
product, plan or amount (市, 路, 公司, 银行, 会员, 用户, 协议, 套餐, 服务,
卡, 券, 版, 体 …), so membership tiers (黄金会员, 银卡会员), protocol and
product names (安全协议, 宋体) are not names; values that open with a word
of a phrase (黄金…, 高级…, 普通…, 华为…, 车载…); well-known place names
(北京, 成都 …); everyday words (周一, 金额, 花呗 …); listed four-character
idioms (马到成功, 司空见惯); and values that contain function words (的, 了,
是 …) or characters of medical terms (血, 病, 症, 炎 … as in 高血压).

Because many ordinary words also begin with a surname character (高速,
黄金, 周一), a column needs 70 % of its values to confirm, or 40 % when the
column name looks like a person's name (姓名, xm, full_name, customer_name,
持卡人 …); names such as `company_name`, `product_name` or `city_name` are
not hints.

## Why it matters

A name is the most basic piece of personal information and, combined with
any other identifier in the same table, makes the rows identifiable. Name
columns also drive the count of distinct persons for volume thresholds.

## Examples

* `张三`, `王小明`, `欧阳娜娜`, `司马懿`, `阿依古丽·买买提`
* Rejected: `上海`, `杭州市`, `北京星辰科技有限公司`, `人民路`, `中国银行`,
  `黄金会员`, `安全协议`, `马到成功`.
* Evidence is masked as `张**` (only the first character is kept).

## Known false positives

* Two- or three-character words that start with a surname character
  (`高速`, `金额`, `马上`), especially in short label columns.
* Names of historical figures or fictional characters in content tables.
* Tibetan and other names without a surname are missed unless written with
  a middle dot.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct PersonName;

struct Tables {
    /// Single-character surnames of the top and frequent tiers.
    single: CharSet,
    /// Rare single-character surnames (a name with one weighs less).
    rare: CharSet,
    compound: FastSet<&'static str>,
    words: FastSet<&'static str>,
    idioms: FastSet<&'static str>,
    function: CharSet,
    /// One-character endings of non-names, and the last characters of the
    /// longer ones (so most values need one lookup, not a scan).
    suffix1: CharSet,
    suffix_last: CharSet,
    suffix_long: Vec<&'static str>,
    /// Opening words of phrases: those of two characters in a set (one
    /// lookup of a value's first two characters, not a comparison with
    /// each), the others in a list.
    prefix2: FastSet<&'static str>,
    prefix_other: Vec<&'static str>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let (short, long): (Vec<&str>, Vec<&str>) = NON_NAME_SUFFIXES
        .iter()
        .partition(|s| s.chars().count() == 1);
    let (prefix2, prefix_other): (Vec<&str>, Vec<&str>) = NON_NAME_PREFIXES
        .iter()
        .partition(|p| p.chars().count() == 2);
    Tables {
        single: TOP_100.chars().chain(FREQUENT.chars()).collect(),
        rare: RARE.chars().collect(),
        compound: COMPOUND.iter().copied().collect(),
        words: NON_NAME_WORDS.iter().copied().collect(),
        idioms: IDIOMS.iter().copied().collect(),
        function: FUNCTION_CHARS.chars().collect(),
        suffix1: short.iter().flat_map(|s| s.chars()).collect(),
        suffix_last: long.iter().filter_map(|s| s.chars().last()).collect(),
        suffix_long: long,
        prefix2: prefix2.into_iter().collect(),
        prefix_other,
    }
});

/// Weight of a value that starts with a surname of the rare tier.
const RARE_SURNAME_WEIGHT: f64 = 0.7;
/// Weight of a four-character name with a single-character surname.
const FOUR_CHAR_WEIGHT: f64 = 0.7;

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2EBEF}')
}

fn is_dot(c: char) -> bool {
    matches!(c, '·' | '•' | '・')
}

/// Whether a value is vocabulary rather than a name: a listed word or
/// idiom, an ending of an organisation, product or plan, an opening word
/// of a phrase, an ethnic group. `prefix2`: its first two characters.
fn is_vocabulary(value: &str, prefix2: &str, n: usize, t: &Tables) -> bool {
    let last = value.chars().next_back();
    t.words.contains(value)
        || (n == 4 && t.idioms.contains(value))
        || last.is_some_and(|c| t.suffix1.contains(&c))
        || (last.is_some_and(|c| t.suffix_last.contains(&c))
            && t.suffix_long.iter().any(|s| value.ends_with(s)))
        || (n >= 3 && opens_phrase(value, prefix2, t))
        || crate::builtin::ethnicity::is_group_name(value)
}

/// Whether `value` (of three or more characters, the first two `prefix2`)
/// starts with one of [`NON_NAME_PREFIXES`].
fn opens_phrase(value: &str, prefix2: &str, t: &Tables) -> bool {
    t.prefix2.contains(prefix2) || t.prefix_other.iter().any(|p| value.starts_with(p))
}

impl PersonName {
    /// `hinted`: the column name says person name, which lets a
    /// four-character value with a single-character surname count.
    fn confirm_plain(value: &str, t: &Tables, hinted: bool) -> Option<f64> {
        // At most four characters, on the stack: this runs per value.
        let mut chars = ['\0'; 4];
        let mut n = 0;
        for c in value.chars() {
            if n == 4 || !is_han(c) {
                return None;
            }
            chars[n] = c;
            n += 1;
        }
        if n < 2 {
            return None;
        }
        let chars = &chars[..n];
        // The surname first: the cheapest test, and most words fail it.
        let prefix2 = &value[..chars[0].len_utf8() + chars[1].len_utf8()];
        let compound = n >= 3 && t.compound.contains(prefix2);
        let weight = if compound || t.single.contains(&chars[0]) {
            1.0
        } else if t.rare.contains(&chars[0]) {
            RARE_SURNAME_WEIGHT
        } else {
            return None;
        };
        if is_vocabulary(value, prefix2, n, t) || chars[1..].iter().any(|c| t.function.contains(c))
        {
            return None;
        }
        if compound {
            return Some(1.0);
        }
        if n < 4 {
            return Some(weight);
        }
        // Four characters after a single surname are mostly phrases
        // (龙马精神, 安居乐业). Names of that length join two surnames
        // (张王丽华), or sit in a column named for names.
        let double_surname = t.single.contains(&chars[1]);
        (double_surname || hinted).then_some(FOUR_CHAR_WEIGHT.min(weight))
    }

    fn confirm_dotted(value: &str, t: &Tables) -> Option<f64> {
        let parts: Vec<&str> = value.split(is_dot).collect();
        if !(2..=3).contains(&parts.len()) || value.chars().count() > 16 {
            return None;
        }
        for p in &parts {
            let n = p.chars().count();
            if !(1..=8).contains(&n) || !p.chars().all(is_han) {
                return None;
            }
            if t.words.contains(p) || NON_NAME_SUFFIXES.iter().any(|s| p.ends_with(s)) {
                return None;
            }
        }
        Some(0.7)
    }
}

impl Classifier for PersonName {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::NAME, "姓名", "Personal name")
            .personal("个人基本资料")
            .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(r"\p{Han}{2,4}|\p{Han}{1,8}(?:[·•・]\p{Han}{1,8}){1,2}")
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let t = &*TABLES;
        if value.chars().any(is_dot) {
            Self::confirm_dotted(value, t)
        } else {
            Self::confirm_plain(value, t, false)
        }
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        let t = &*TABLES;
        if value.chars().any(is_dot) {
            Self::confirm_dotted(value, t)
        } else {
            Self::confirm_plain(value, t, true)
        }
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "xm|xingming|khxm|lxr|lxrxm|ckr|ckrxm|sjr|shr|xm_cn",
            "|^name$|^name_(?:cn|zh|chs)$|^(?:cn|zh|chinese)_name$",
            "|(?:full|real|true|legal|person|personal|user|customer|cust|client|owner|holder|card_holder",
            "|cardholder|contact|contact_person|emergency_contact|patient|student|employee|emp|staff|member",
            "|driver|passenger|applicant|recipient|receiver|consignee|sender|guest|buyer|seller",
            "|first|last|given|family|middle)_name",
            "|fullname|realname|username_cn|card_holder|cardholder|account_holder|holder",
            "|姓名|联系人|持卡人|收件人|收货人|寄件人|户主|开户人",
        ))
    }

    fn min_ratio(&self) -> (f64, f64) {
        (0.7, 0.4)
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(value, 1, 0)
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn surname_tables() {
        let t = &*TABLES;
        assert!(t.single.len() >= 400, "{}", t.single.len());
        assert!(t.compound.len() >= 50);
        for s in ['王', '李', '张', '刘', '陈', '洪', '赖'] {
            assert!(t.single.contains(&s), "{s}");
        }
        assert!(t.rare.contains(&'萧'));
    }

    #[test]
    fn phrase_openings_as_the_list_says() {
        let t = &*TABLES;
        let mut values: Vec<String> = NON_NAME_PREFIXES.iter().map(|p| format!("{p}卡")).collect();
        values.extend(NON_NAME_PREFIXES.iter().map(|p| format!("{p}会员")));
        values.extend(["王小明", "黄小金", "金黄卡", "高级会员", "司马懿"].map(String::from));
        for v in values {
            // Values of three or more characters, as confirmation asks.
            let end = v.char_indices().nth(2).map_or(v.len(), |(i, _)| i);
            let want = NON_NAME_PREFIXES.iter().any(|p| v.starts_with(p));
            assert_eq!(opens_phrase(&v, &v[..end], t), want, "{v}");
        }
    }

    #[test]
    fn surnames_once_missing_and_rare_ones() {
        assert_eq!(PersonName.confirm("洪文杰"), Some(1.0));
        assert_eq!(PersonName.confirm("赖小琴"), Some(1.0));
        assert_eq!(PersonName.confirm("萧亚轩"), Some(0.7));
        assert_eq!(PersonName.confirm("庹明"), Some(0.7));
    }

    #[test]
    fn vocabulary_is_not_a_name() {
        for v in [
            "黄金会员",
            "白金会员",
            "银卡会员",
            "金卡",
            "普通会员",
            "高级用户",
            "钻石会员",
            "安全协议",
            "蓝牙协议",
            "宋体",
            "楷体",
            "雷达",
            "华为云",
            "车载终端",
            "车主服务",
            "万能险",
            "余额宝",
            "花呗",
            "黄金周",
            "王者荣耀",
            "马到成功",
            "龙马精神",
            "安居乐业",
            "司空见惯",
            "百里挑一",
            "金玉满堂",
            "高枕无忧",
            "程序",
            "年卡",
            "龙卡",
            "房贷",
            "石化",
        ] {
            assert_eq!(PersonName.confirm(v), None, "{v}");
            assert_eq!(PersonName.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn four_characters_after_a_single_surname() {
        assert_eq!(PersonName.confirm("张王丽华"), Some(0.7));
        assert_eq!(PersonName.confirm("李晓光辉"), None);
        assert_eq!(PersonName.confirm_hinted("李晓光辉"), Some(0.7));
        assert_eq!(PersonName.confirm("欧阳娜娜"), Some(1.0));
    }

    #[test]
    fn accepts_names() {
        for v in [
            "张三",
            "王小明",
            "李娜",
            "欧阳娜娜",
            "司马懿",
            "诸葛亮",
            "上官婉儿",
            "陈一",
        ] {
            assert_eq!(PersonName.confirm(v), Some(1.0), "{v}");
        }
        assert_eq!(PersonName.confirm("阿依古丽·买买提"), Some(0.7));
        assert_eq!(PersonName.confirm("买买提•艾力"), Some(0.7));
    }

    #[test]
    fn rejects_non_names() {
        for v in [
            "上海",
            "杭州市",
            "北京",
            "成都",
            "武汉",
            "北京星辰科技有限公司",
            "人民路",
            "中国银行",
            "王府井店",
            "张家村",
            "李的",
            "周一",
            "张",
            "张三丰大侠",
            "Zhang San",
            "张3",
            "北京·朝阳区",
            "·张三",
            "张三·",
            "蒙古",
            "哈萨克",
            "白族",
            "高血压",
            "白血病",
        ] {
            assert_eq!(PersonName.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", PersonName.value_pattern().unwrap())).unwrap();
        for v in ["张三", "欧阳娜娜", "阿依古丽·买买提", "买买提•艾力"] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(PersonName.mask("张三"), "张*");
        assert_eq!(PersonName.mask("王小明"), "王**");
        assert_eq!(PersonName.mask("欧阳娜娜"), "欧***");
    }
}
