use std::sync::LazyLock;

use crate::builtin::mask_middle;
use crate::{ids, CategoryInfo, Classifier};

macro_rules! doc_text {
    () => {
        r#"Chinese postal address (地址).

## What it detects

Addresses written in Chinese, from coarse to fine: province (省, 自治区),
city (市, 州, 盟), district or county (区, 县, 旗), town (镇, 乡, 街道),
road (路, 街, 大道, 巷, 弄, 胡同), village (村, 组), and the house part
(号, 号楼, 栋, 幢, 座, 单元, 楼, 层, 室 …), and between road and house the
estate: 小区, 家园, 新村, 花园, 苑, 公寓, 大厦, 广场, or a numbered phase
(`二期`). A value is an address when it has at least six characters (five
for a road and a house number, `长安街8号`), at least four Han characters
making up a third or more of it, and markers from at least two of four
levels — administrative area, road or village, estate, building — one of
which must be below the administrative level. So estate and building
addresses without a road or 号 count (`回龙观龙泽家园三区北侧`,
`南山区创新中心A座`), while a wing and room alone (`研发中心A座3楼会议室`)
does not. A province and city alone (`广东省深圳市`) is a coarse location, and
a bare city name (`杭州市`) is neither.

Values that read like sentences (with `。！？`), that end like an
organisation (公司, 集团, 银行 …), that carry a long digit run (a phone or
ID glued to the address), or that are longer than 80 characters are
rejected.

## Why it matters

A home or delivery address locates a person and, with a name or phone,
identifies them; GB/T 43697 Appendix B lists it under 个人基本资料. Address
columns are common in orders, logistics and customer tables.

## Examples

* `上海市浦东新区张江路88号`, `北京市朝阳区建国路93号院5号楼2单元1001室`,
  `浙江省杭州市西湖区文三路100号`, `人民路8号3栋201室`
* Rejected: `杭州市`, `广东省深圳市`, `北京星辰科技有限公司`,
  `客户要求周末送货。`
* Evidence keeps at most the first half (up to seven characters):
  `上海市浦东新*******`.

## Known false positives

* Addresses of companies, shops and offices are detected too; they are not
  personal unless tied to a person.
* Short phrases that happen to combine a place and a road or building word.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Address;

/// Administrative-area markers.
const ADMIN: &[&str] = &[
    "省",
    "自治区",
    "市",
    "自治州",
    "州",
    "盟",
    "区",
    "县",
    "旗",
    "镇",
    "乡",
    "街道",
];
/// Road and village markers.
const ROAD: &[&str] = &["路", "街", "大道", "巷", "弄", "胡同", "村", "组", "道"];
/// Estate-level markers: a residential estate, a named complex, or a
/// phase of one (`二期`, see [`ends_phase`]).
const ESTATE: &[&str] = &[
    "小区", "家园", "新村", "花园", "苑", "公寓", "大厦", "广场", "宿舍",
];
/// Building-level markers.
const BUILDING: &[&str] = &["号", "栋", "幢", "座", "单元", "楼", "层", "室", "院"];
/// Endings of organisation names.
const ORG_SUFFIXES: &[&str] = &[
    "公司",
    "集团",
    "银行",
    "分行",
    "支行",
    "中心",
    "医院",
    "学校",
    "大学",
    "学院",
    "研究所",
    "委员会",
    "政府",
];

/// The marker groups, one bit each, in [`LEVELS`] order.
const ADMIN_BIT: u8 = 1;
const ROAD_BIT: u8 = 2;
const ESTATE_BIT: u8 = 4;
const BUILDING_BIT: u8 = 8;
const LEVELS: [(&[&str], u8); 4] = [
    (ADMIN, ADMIN_BIT),
    (ROAD, ROAD_BIT),
    (ESTATE, ESTATE_BIT),
    (BUILDING, BUILDING_BIT),
];

/// The markers by first character (sorted): the groups of the
/// one-character markers, and the longer markers with their groups. With a
/// bitmap of the first characters over the Basic Multilingual Plane, one
/// pass over a value's characters finds its groups, where a substring
/// search per marker took some forty passes.
struct Markers {
    first: Box<[u64; 1024]>,
    /// Per word of `first`, the bits set in the words before it: a first
    /// character's index in `by_first` is its rank, no search needed.
    rank: Box<[u16; 1024]>,
    by_first: Vec<Starting>,
}

/// The markers that start with one character.
struct Starting {
    first: char,
    /// The groups of the one-character marker, if it is one.
    single: u8,
    /// Longer markers and their groups.
    longer: Vec<(&'static str, u8)>,
}

static MARKERS: LazyLock<Markers> = LazyLock::new(|| {
    let mut first = Box::new([0u64; 1024]);
    let mut by_first: Vec<Starting> = Vec::new();
    for (group, bit) in LEVELS {
        for w in group {
            let c = w.chars().next().expect("markers are not empty");
            assert!(
                (c as usize) < 0x10000,
                "markers are in the Basic Multilingual Plane"
            );
            first[c as usize / 64] |= 1 << (c as usize % 64);
            let at = match by_first.binary_search_by_key(&c, |e| e.first) {
                Ok(at) => at,
                Err(at) => {
                    let empty = Starting {
                        first: c,
                        single: 0,
                        longer: Vec::new(),
                    };
                    by_first.insert(at, empty);
                    at
                }
            };
            if w.len() == c.len_utf8() {
                by_first[at].single |= bit;
            } else {
                by_first[at].longer.push((*w, bit));
            }
        }
    }
    let mut rank = Box::new([0u16; 1024]);
    let mut before = 0;
    for (r, word) in rank.iter_mut().zip(first.iter()) {
        *r = before;
        before += word.count_ones() as u16;
    }
    Markers {
        first,
        rank,
        by_first,
    }
});

/// The marker groups (bits) that occur in `value`.
#[cfg(test)]
fn levels(value: &str) -> u8 {
    let m = &*MARKERS;
    value
        .char_indices()
        .fold(0, |found, (i, c)| found | levels_at(m, value, i, c, found))
}

/// The marker groups, of those not in `found` yet, of the markers that
/// start at `value[i..]`, whose first character is `c`.
#[inline]
fn levels_at(m: &Markers, value: &str, i: usize, c: char, found: u8) -> u8 {
    let n = c as usize;
    if n >= 0x10000 {
        return 0;
    }
    let (word, bit) = (m.first[n / 64], 1u64 << (n % 64));
    if word & bit == 0 {
        return 0;
    }
    let at = usize::from(m.rank[n / 64]) + (word & (bit - 1)).count_ones() as usize;
    let starting = &m.by_first[at];
    let mut new = starting.single;
    for (w, bit) in &starting.longer {
        if (found | new) & bit == 0 && value[i..].starts_with(w) {
            new |= bit;
        }
    }
    new
}

/// The last characters of [`ORG_SUFFIXES`]: a value that ends in none of
/// them needs no comparison with each suffix.
const ORG_LAST: &[char] = &['司', '团', '行', '心', '院', '校', '学', '所', '会', '府'];

/// Whether `c` after `prev` ends a numbered phase of an estate (`3期`,
/// `二期`); `期` alone is too common a word (到期, 期限) to count.
fn ends_phase(prev: Option<char>, c: char) -> bool {
    c == '期' && prev.is_some_and(|p| p.is_ascii_digit() || "一二三四五六七八九十".contains(p))
}

impl Classifier for Address {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::ADDRESS, "地址", "Postal address").personal("个人基本资料")
    }

    fn value_pattern(&self) -> Option<&str> {
        Some("[^\\n]*[省市州盟区县旗镇乡路街道巷弄同村组号栋幢座元楼层室苑园厦寓舍院场期][^\\n]*")
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let (mut n, mut han, mut digits_run, mut max_run) = (0usize, 0usize, 0usize, 0usize);
        // Found in this pass rather than passes of their own.
        let mut phase = false;
        let mut found = 0;
        let mut prev = None;
        let markers = &*MARKERS;
        for (i, c) in value.char_indices() {
            n += 1;
            // ASCII, Han and the rest apart: each test only where it can hold.
            // No marker starts with an ASCII character (tested).
            if c.is_ascii() {
                if c.is_ascii_digit() {
                    digits_run += 1;
                    max_run = max_run.max(digits_run);
                } else {
                    digits_run = 0;
                    if matches!(c, '!' | '?' | '@') {
                        return None;
                    }
                }
            } else {
                digits_run = 0;
                if matches!(c, '\u{4E00}'..='\u{9FFF}') {
                    han += 1;
                    if c == '期' {
                        phase |= ends_phase(prev, c);
                    }
                } else if matches!(c, '。' | '！' | '？') {
                    return None;
                }
                found |= levels_at(markers, value, i, c, found);
            }
            prev = Some(c);
        }
        if !(5..=80).contains(&n) || han < 4 || han * 3 < n || max_run >= 7 {
            return None;
        }
        if prev.is_some_and(|c| ORG_LAST.contains(&c))
            && ORG_SUFFIXES.iter().any(|s| value.ends_with(s))
        {
            return None;
        }
        let admin = found & ADMIN_BIT != 0;
        let road = found & ROAD_BIT != 0;
        let estate = found & ESTATE_BIT != 0 || phase;
        let building = found & BUILDING_BIT != 0;
        let levels = [admin, road, estate, building]
            .iter()
            .filter(|&&l| l)
            .count();
        // Five characters only for a road plus a house number (`长安街8号`).
        let long_enough = n >= 6 || (road && building);
        (long_enough && levels >= 2 && (road || estate || building)).then_some(1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "dz|xxdz|jtdz|jzdz|hjdz|lxdz|shdz|txdz|dizhi",
            "|address|addr|home_address|home_addr|street|street_address|delivery_address",
            "|shipping_address|receiver_address|residence|residential_address|mailing_address",
            "|地址|住址|住所|居住地|家庭住址|户籍地址|收货地址|联系地址|通讯地址",
        ))
    }

    fn mask(&self, value: &str) -> String {
        // Keep the administrative prefix at most (up to 7 characters), never
        // the road and number.
        let n = value.chars().count();
        mask_middle(value, (n / 2).min(7), 0)
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
    fn accepts_addresses() {
        for v in [
            "上海市浦东新区张江路88号",
            "北京市朝阳区建国路93号院5号楼2单元1001室",
            "浙江省杭州市西湖区文三路100号",
            "人民路8号3栋201室",
            "广东省深圳市南山区科技园南区A栋",
            "四川省成都市武侯区人民南路四段12号",
            "江苏省苏州市吴中区木渎镇金山村5组",
            "天津市河西区友谊路 35 号",
            "科技南路227号19栋1单元1928室",
            "长安街8号",
            "北京市昌平区回龙观龙泽家园三区北侧",
            "深圳市南山区科技园创新中心A座",
            "幸福家园4期3号楼",
            "阳光花园二期5栋",
            "华润大厦B座",
            // The phase is the estate level here.
            "北京市阳光二期",
            "杭州市西湖区3期",
        ] {
            assert_eq!(Address.confirm(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects_non_addresses() {
        for v in [
            "杭州市",
            "上海",
            "广东省深圳市",
            "浙江省杭州市西湖区",
            "北京星辰科技有限公司",
            "上海市浦东新区张江路88号星辰科技有限公司",
            "客户要求周末送货。",
            "人民路8号，电话13800138000",
            "中国建设银行",
            "Room 1201, 88 Zhangjiang Road",
            "前刹车片",
            "市场部3楼",
            "研发中心A座3楼会议室",
            "会员到期提醒",
            "2024年第3期",
            "北京市阳光长期",
        ] {
            assert_eq!(Address.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", Address.value_pattern().unwrap())).unwrap();
        for v in ["上海市浦东新区张江路88号", "人民路8号3栋201室"] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn levels_are_the_groups_whose_markers_occur() {
        let values = [
            "上海市浦东新区张江路88号",
            "北京市朝阳区建国路街道幸福小区3栋2单元501室",
            "胡同口的广场",
            "内蒙古自治区锡林郭勒盟",
            "杭州星河电子商务有限公司",
            "客户要求周末送货，请提前电话联系",
            "",
            "abc",
            "宿舍楼层",
        ];
        for v in values {
            let want = LEVELS
                .iter()
                .filter(|(words, _)| words.iter().any(|w| v.contains(w)))
                .fold(0, |acc, (_, bit)| acc | bit);
            assert_eq!(levels(v), want, "{v}");
        }
    }

    #[test]
    fn markers_start_beyond_ascii() {
        for (words, _) in LEVELS {
            for w in words {
                assert!(!w.starts_with(|c: char| c.is_ascii()), "{w}");
            }
        }
    }

    #[test]
    fn org_last_holds_every_suffix_ending() {
        for s in ORG_SUFFIXES {
            let last = s.chars().next_back().expect("suffixes are not empty");
            assert!(ORG_LAST.contains(&last), "{s}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(
            Address.mask("上海市浦东新区张江路88号"),
            "上海市浦东新*******"
        );
        assert_eq!(Address.mask("人民路8号3栋"), "人民路****");
    }
}
