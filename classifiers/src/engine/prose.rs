//! Names and addresses inside Chinese prose (`客户王建国来电，要求修改收货地址为…`).
//!
//! Identifiers with a fixed shape are cut out of text as tokens
//! (`free_text`). Names and addresses have no shape that stands out from
//! the words around them, so they are found after the words that introduce
//! them in notes and messages: a role (客户, 车主, 收货人, 姓名：) before a
//! name, and an address word (地址为, 送到, 家住) before an address. A
//! candidate counts only when the name or address classifier confirms it
//! and, for a name, the text after it goes on as a sentence does
//! (punctuation, or a verb such as 来电, 反映, 要求). Found names and
//! addresses are counted like other free-text hits.

use aho_corasick::{AhoCorasick, MatchKind};

use super::scan::ColumnScan;
use super::words::Words;
use crate::{ids, CategoryId};

/// Words that introduce a person's name.
const NAME_CUES: &[&str] = &[
    "客户",
    "顾客",
    "用户",
    "会员",
    "乘客",
    "司机",
    "车主",
    "患者",
    "病人",
    "收件人",
    "收货人",
    "寄件人",
    "联系人",
    "业主",
    "租客",
    "学员",
    "员工",
    "经办人",
    "投诉人",
    "来电人",
    "持卡人",
    "申请人",
    "姓名",
    "我是",
    "我叫",
    "名叫",
    "本人",
    // JSON keys inside text (a message body, a request log).
    "\"name",
    "\"realName",
    "\"real_name",
    "\"fullName",
    "\"full_name",
    "\"contactName",
    "\"contact_name",
    "\"consignee",
    "\"receiverName",
    "\"receiver_name",
    "\"xm",
];
/// What may stand between the cue and the name.
const NAME_GLUE: &[&str] = &["：", ":", " ", "是", "为", "\":\"", "\": \""];
/// Words that may follow a name in a sentence.
const NAME_FOLLOWERS: &[&str] = &[
    "来电",
    "致电",
    "来访",
    "反映",
    "反馈",
    "投诉",
    "咨询",
    "要求",
    "表示",
    "称",
    "说",
    "先生",
    "女士",
    "的",
    "于",
    "在",
    "已",
    "今天",
    "今日",
    "昨天",
    "到店",
    "来店",
    "电话",
    "手机",
    "联系",
    "身份证",
    "住",
    "地址",
    "预约",
    "办理",
    "申请",
    "同意",
    "签字",
    "确认",
    "需要",
    "希望",
    "想",
    "报修",
    "退",
    "下单",
    "购买",
    "预订",
    "和",
    "与",
    "及",
    "等",
    "家",
    "本人",
    "（",
    "(",
];
/// Forms of address after a surname (王先生, 李总): not a full name.
const HONORIFICS: &[&str] = &[
    "先生", "女士", "小姐", "老师", "师傅", "经理", "总", "姐", "哥", "阿姨", "同学", "医生",
    "护士", "律师", "主任", "老板",
];
/// Words that introduce an address.
const ADDRESS_CUES: &[&str] = &[
    "地址为",
    "地址是",
    "地址：",
    "地址:",
    "地址改为",
    "地址修改为",
    "住址",
    "住在",
    "家住",
    "送到",
    "送至",
    "寄到",
    "寄至",
    "寄往",
    "配送至",
    "位于",
    "居住于",
    "\"address",
    "\"addr",
    "\"detailAddress",
    "\"detail_address",
    "\"fullAddress",
    "\"full_address",
    "\"receiverAddress",
    "\"receiver_address",
];
/// Characters that end a name or an address in running text.
fn is_stop(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '！'
            | '？'
            | '、'
            | ','
            | '.'
            | ';'
            | '!'
            | '?'
            | '"'
            | '\''
            | '“'
            | '”'
            | '\n'
            | '\r'
            | '\t'
            | ' '
            | '}'
            | ']'
            | '）'
            | ')'
    )
}

/// The longest address candidate, in characters.
const MAX_ADDRESS_CHARS: usize = 60;

/// Texts up to this many bytes are tested for the first two characters of
/// a cue before the cue search: on a short text the search's set-up costs
/// more than the test, on a long one its vector scan costs less.
const MAX_PAIR_TEST_BYTES: usize = 96;
/// Bits of the table of cue pairs.
const PAIR_BITS: u32 = 12;

/// The bit of the pair of characters `a`, `b` in the table of cue pairs.
fn pair_bit(a: char, b: char) -> usize {
    let h = (u32::from(a).wrapping_mul(0x9E37_79B1) ^ u32::from(b)).wrapping_mul(0x85EB_CA6B);
    (h >> (32 - PAIR_BITS)) as usize
}

/// A kind of prose finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Name,
    Address,
}

/// The cue automaton and where the name and address classifiers sit in
/// the set.
pub(super) struct Prose {
    cues: AhoCorasick,
    /// The first two characters of every cue, one bit each by [`pair_bit`]:
    /// a text without any of these pairs has no cue.
    pairs: Box<[u64; 1 << (PAIR_BITS - 6)]>,
    /// The first characters of the cues, one bit each over the Basic
    /// Multilingual Plane: most characters start no cue, and this test is
    /// cheaper than the pair's hash.
    firsts: Box<[u64; 1024]>,
    /// [`NAME_FOLLOWERS`], matched at the end of a name candidate.
    followers: Words,
    /// Per cue pattern, its kind (names first, then addresses).
    kinds: Vec<Kind>,
    pub(super) name: Option<usize>,
    pub(super) address: Option<usize>,
}

impl Prose {
    /// `None` when the set has neither a name nor an address classifier.
    pub(super) fn new(ids: &[CategoryId]) -> Option<Self> {
        let find = |id: &CategoryId| ids.iter().position(|i| i == id);
        let (name, address) = (find(&ids::NAME), find(&ids::ADDRESS));
        if name.is_none() && address.is_none() {
            return None;
        }
        let patterns: Vec<&str> = NAME_CUES.iter().chain(ADDRESS_CUES).copied().collect();
        let kinds = NAME_CUES
            .iter()
            .map(|_| Kind::Name)
            .chain(ADDRESS_CUES.iter().map(|_| Kind::Address))
            .collect();
        let mut pairs = Box::new([0u64; 1 << (PAIR_BITS - 6)]);
        let mut firsts = Box::new([0u64; 1024]);
        for cue in &patterns {
            let mut chars = cue.chars();
            if let Some(a) = cue.chars().next() {
                if let Some(word) = firsts.get_mut(a as usize / 64) {
                    *word |= 1 << (a as usize % 64);
                }
            }
            // Every cue has two characters at least (tested).
            if let (Some(a), Some(b)) = (chars.next(), chars.next()) {
                let bit = pair_bit(a, b);
                pairs[bit / 64] |= 1 << (bit % 64);
            }
        }
        let cues = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .ok()?;
        Some(Prose {
            cues,
            pairs,
            firsts,
            followers: Words::new(NAME_FOLLOWERS),
            kinds,
            name,
            address,
        })
    }

    /// Candidates after each cue in `text`: `(kind, byte range)`. The
    /// caller confirms them with the classifier of that kind; for names
    /// the candidates of one cue come longest first and the first one
    /// confirmed wins.
    pub(super) fn candidates(&self, text: &str, mut claim: impl FnMut(Kind, &str) -> bool) {
        if text.len() <= MAX_PAIR_TEST_BYTES && !self.may_have_cue(text) {
            return;
        }
        for m in self.cues.find_iter(text) {
            let rest = &text[m.end()..];
            match self.kinds[m.pattern().as_usize()] {
                Kind::Name => {
                    let rest = NAME_GLUE
                        .iter()
                        .find_map(|g| rest.strip_prefix(g))
                        .unwrap_or(rest);
                    for cand in self.name_candidates(rest) {
                        if claim(Kind::Name, cand) {
                            break;
                        }
                    }
                }
                Kind::Address => {
                    let rest = rest.trim_start_matches(['：', ':', ' ', '"']);
                    let end = rest
                        .char_indices()
                        .take(MAX_ADDRESS_CHARS + 1)
                        .find(|&(_, c)| is_stop(c))
                        .map_or(rest.len(), |(i, _)| i);
                    let cand = &rest[..end];
                    if cand.chars().count() <= MAX_ADDRESS_CHARS {
                        claim(Kind::Address, cand);
                    }
                }
            }
        }
    }
}

impl Prose {
    /// Whether `text` has two adjacent characters that start a cue, by the
    /// table of their pairs (a superset: pairs may share a bit). Most notes
    /// and addresses have none.
    fn may_have_cue(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&lead) = bytes.get(i) {
            let a = match lead {
                0..0x80 => char::from(lead),
                // A three-byte character (most of Chinese text) whose block
                // of 64 holds no first character of a cue starts none: passed
                // over on its first two bytes (they name the block).
                0xE0..0xF0
                    if self.firsts[usize::from(lead & 0x0F) << 6
                        | bytes.get(i + 1).map_or(0, |&b| usize::from(b & 0x3F))]
                        == 0 =>
                {
                    i += 3;
                    continue;
                }
                _ => match text[i..].chars().next() {
                    Some(a) => a,
                    None => break,
                },
            };
            i += a.len_utf8();
            if self.may_start_cue(a) {
                if let Some(b) = text[i..].chars().next() {
                    let bit = pair_bit(a, b);
                    if self.pairs[bit / 64] & (1 << (bit % 64)) != 0 {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Whether a cue may start with `c` (any character beyond the Basic
    /// Multilingual Plane may).
    fn may_start_cue(&self, c: char) -> bool {
        let n = c as usize;
        (self.firsts.get(n / 64)).is_none_or(|w| w & (1 << (n % 64)) != 0)
    }

    /// Name candidates at the start of `rest`: four, three and two Han
    /// characters, each only when what follows ends the name (a stop, the
    /// end, or a word that goes on a sentence).
    fn name_candidates<'r>(&self, rest: &'r str) -> impl Iterator<Item = &'r str> + use<'r, '_> {
        // Byte ends of the first one to four characters.
        let mut ends = [0usize; 4];
        let mut n = 0;
        for (i, c) in rest.char_indices().take(4) {
            ends[n] = i + c.len_utf8();
            n += 1;
        }
        (1..n)
            .rev()
            .map(move |k| ends[k])
            .filter(move |&end| {
                let head = &rest[..end];
                let after = &rest[end..];
                // What follows first: the cheapest test, and most
                // candidates of a cue that names no one fail it.
                (after.is_empty()
                    || after.starts_with(is_stop)
                    || self.followers.prefix(after).is_some())
                    && head.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
                    && !HONORIFICS.iter().any(|h| head.ends_with(h))
            })
            .map(move |end| &rest[..end])
    }
}

impl ColumnScan<'_> {
    /// Searches one prose value for names and addresses after their cue
    /// words; a confirmed one counts as a free-text hit of its classifier.
    /// Whether any name or address confirmed.
    pub(super) fn search_prose(&mut self, value: &str, row: u64) -> bool {
        let set = self.set;
        let Some(prose) = &set.prose else {
            return false;
        };
        let mut any = false;
        prose.candidates(value, |kind, cand| {
            let target = match kind {
                Kind::Name => prose.name,
                Kind::Address => prose.address,
            };
            let Some(i) = target else {
                return false;
            };
            let classifier = &set.classifiers[i];
            if !classifier.confirm(cand).is_some_and(|w| w > 0.0) {
                return false;
            }
            let tally = &mut self.tallies[i];
            if tally.whole_mark != row {
                tally.ft.add(row, || classifier.mask(cand));
            }
            any = true;
            true
        });
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Kind, String)> {
        let p = Prose::new(&[ids::NAME, ids::ADDRESS]).unwrap();
        let mut out = Vec::new();
        p.candidates(text, |k, c| {
            out.push((k, c.to_owned()));
            false
        });
        out
    }

    /// The pair test never hides a cue the search would find, and passes
    /// over texts without one.
    #[test]
    fn pair_test_keeps_every_cue() {
        let p = Prose::new(&[ids::NAME, ids::ADDRESS]).unwrap();
        assert!(NAME_CUES
            .iter()
            .chain(ADDRESS_CUES)
            .all(|c| c.chars().count() >= 2));
        let mut pieces: Vec<String> = NAME_CUES
            .iter()
            .chain(ADDRESS_CUES)
            .map(|c| c.to_string())
            .collect();
        pieces.extend(
            pieces
                .clone()
                .iter()
                .flat_map(|c| c.chars().map(String::from)),
        );
        pieces.extend(
            ["王建国", "，", " ", "a", "1", "😀", "号", "送达", "\"", "é"].map(String::from),
        );
        let mut state = 5u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut hidden = 0;
        for _ in 0..50_000 {
            let n = next() % 8;
            let text: String = (0..n)
                .map(|_| pieces[next() % pieces.len()].as_str())
                .collect();
            let has_cue = p.cues.find_iter(&text).next().is_some();
            assert!(!has_cue || p.may_have_cue(&text), "{text:?}");
            // The pair test by its definition, character by character.
            let chars: Vec<char> = text.chars().collect();
            let by_chars = chars.windows(2).any(|w| {
                let bit = pair_bit(w[0], w[1]);
                p.may_start_cue(w[0]) && p.pairs[bit / 64] & (1 << (bit % 64)) != 0
            });
            assert_eq!(p.may_have_cue(&text), by_chars, "{text:?}");
            hidden += usize::from(!p.may_have_cue(&text));
        }
        assert!(hidden > 1000, "{hidden}");
        for text in [
            "上海市浦东新区张江路88号",
            "订单12345678已发货，预计3日送达",
            "京A12345",
        ] {
            assert!(!p.may_have_cue(text), "{text}");
        }
    }

    #[test]
    fn candidates_after_cues() {
        let got = found("客户王建国来电，要求修改收货地址为上海市浦东新区张江路88号，谢谢");
        assert!(got.contains(&(Kind::Name, "王建国".into())), "{got:?}");
        assert!(!got.iter().any(|(_, c)| c == "王建国来"), "{got:?}");
        assert!(
            got.contains(&(Kind::Address, "上海市浦东新区张江路88号".into())),
            "{got:?}"
        );
        let got = found("联系人：李娜，电话见附件");
        assert_eq!(got, [(Kind::Name, "李娜".to_owned())]);
        let got = found("{\"姓名\":\"欧阳娜娜\",\"vip\":1}");
        assert!(got.contains(&(Kind::Name, "欧阳娜娜".into())), "{got:?}");
        let got = found("{\"realName\": \"赵敏\", \"address\":\"杭州市西湖区文三路100号\"}");
        assert_eq!(
            got,
            [
                (Kind::Name, "赵敏".to_owned()),
                (Kind::Address, "杭州市西湖区文三路100号".to_owned())
            ]
        );
        // `"name` does not fire inside `"nameEn`, whose value is no Han.
        assert!(found("{\"nameEn\":\"Zhao Min\"}").is_empty());
        // A name that runs on into words is no candidate, nor a surname
        // with a form of address.
        assert!(found("客户满意度调查").is_empty());
        assert!(
            found("客户王先生来电").is_empty(),
            "{:?}",
            found("客户王先生来电")
        );
    }

    #[test]
    fn names_and_addresses_in_a_notes_column() {
        let set = crate::ClassifierSet::builtin();
        let mut scan = set.column("remark");
        for v in [
            "客户王建国来电，要求修改收货地址为北京市朝阳区建国路93号院2单元，电话13800138000",
            "车主李娜反映车辆异响，已预约到店检查",
            "收货人：欧阳娜娜，地址：上海市浦东新区张江路88号",
            "客户王先生来电咨询保养价格，已回复。",
            "客户要求周末送货，不要提前打电话。",
        ] {
            scan.push(Some(v));
        }
        let f = scan.finish();
        let get = |id: &str| {
            f.iter()
                .find(|x| x.category == id)
                .unwrap_or_else(|| panic!("{id}: {f:?}"))
        };
        let name = get("pi.name");
        assert_eq!((name.matched, name.sampled), (3, 5));
        assert_eq!(name.by, vec!["free_text"]);
        assert_eq!(name.evidence, vec!["王**", "李*", "欧***"]);
        let addr = get("pi.address");
        assert_eq!(addr.matched, 2);
        assert!(
            addr.evidence.iter().all(|e| e.contains('*')),
            "{:?}",
            addr.evidence
        );
        assert_eq!(get("pi.mobile_phone").matched, 1);
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[test]
    fn cue_words_without_names_find_nothing() {
        let set = crate::ClassifierSet::builtin();
        let mut scan = set.column("remark");
        for v in [
            "客户满意度调查已完成，感谢支持。",
            "会员等级调整为黄金会员。",
            "收货地址为空，请补充。",
            "配送至门店自提点，请凭码取件。",
            "客户李女士来电咨询，已转售后。",
            "联系人：待定，后续补充。",
        ] {
            scan.push(Some(v));
        }
        assert_eq!(scan.finish(), vec![]);
    }
}
