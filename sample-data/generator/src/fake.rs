//! Generators for individual synthetic values.
//!
//! Positives (IDs, mobiles, VINs, plates, cards) are always valid instances
//! of their type; negatives (order numbers, part codes, …) are built to look
//! similar while failing the relevant check.

use crate::checks::{
    is_luhn_valid, is_valid_resident_id, is_valid_vin, luhn_check_digit, resident_id_check,
    vin_check, VIN_ALPHABET,
};
use crate::rng::Rng;

// ---------------------------------------------------------------- calendar

/// Days since 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A random day (as days since the epoch) in `from..=to`, both `(y, m, d)`.
pub fn random_day(rng: &mut Rng, from: (i64, u32, u32), to: (i64, u32, u32)) -> i64 {
    rng.range(
        days_from_civil(from.0, from.1, from.2),
        days_from_civil(to.0, to.1, to.2),
    )
}

/// `YYYY-MM-DD`.
pub fn fmt_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD HH:MM:SS` for a count of seconds since the epoch (wall time).
pub fn fmt_datetime(secs: i64) -> String {
    let day = secs.div_euclid(86_400);
    let s = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        fmt_date(day),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// RFC 3339 with a `+08:00` offset; `local_secs` is Beijing wall time.
pub fn fmt_rfc3339_cst(local_secs: i64) -> String {
    fmt_datetime(local_secs).replace(' ', "T") + "+08:00"
}

// ---------------------------------------------------------------- names

/// Frequent single-character surnames (roughly in frequency order, so the
/// head is picked more often via [`name`]).
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
];

/// Characters commonly used in given names.
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "建", "文", "斌",
    "宇", "浩", "凯", "健", "俊", "帆", "晨", "欣", "怡", "婷", "雪", "琳", "晶", "妍", "子", "轩",
    "梓", "涵", "博", "睿", "嘉", "思", "雨", "泽", "昊", "然", "天", "佳", "一", "诺", "志", "海",
];

/// A synthetic Chinese personal name: surname + 1 or 2 given characters.
pub fn name(rng: &mut Rng) -> String {
    // Bias towards frequent surnames: min of two draws favours the head.
    let a = rng.below(SURNAMES.len() as u64);
    let b = rng.below(SURNAMES.len() as u64);
    let mut s = SURNAMES[a.min(b) as usize].to_string();
    let given = if rng.chance(0.7) { 2 } else { 1 };
    for _ in 0..given {
        let ch: &&str = rng.pick(GIVEN);
        s.push_str(ch);
    }
    s
}

const PINYIN_SURNAMES: &[&str] = &[
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma",
    "zhu", "hu", "guo", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han", "deng",
];
const PINYIN_GIVEN: &[&str] = &[
    "wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "jie", "tao",
    "ming", "chao", "hui", "xin", "yu", "hao", "kai", "jian", "chen", "ting", "xue", "lin", "bo",
    "rui", "jia", "si", "ze", "tian", "nuo", "zhi", "hai", "yiming", "zihan", "haoran", "xinyi",
];
/// Only reserved example domains (RFC 2606), so no address can be real.
const EMAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "corp.example.net",
];

/// A synthetic e-mail address on a reserved example domain.
pub fn email(rng: &mut Rng) -> String {
    let sur = *rng.pick(PINYIN_SURNAMES);
    let given = *rng.pick(PINYIN_GIVEN);
    let local = match rng.below(5) {
        0 => format!("{sur}.{given}"),
        1 => format!("{sur}{given}{}", rng.range(1, 99)),
        2 => format!("{given}_{sur}"),
        3 => format!("{}{sur}{}", &given[..1], rng.range(1970, 2005)),
        // QQ-style numeric local part: 8–10 digits not starting with 1, so
        // it can never also read as an 11-digit mobile number.
        _ => {
            let first = rng.range(2, 9);
            let rest = rng.range(7, 9) as usize;
            format!("{first}{}", rng.digits(rest))
        }
    };
    format!("{local}@{}", rng.pick(EMAIL_DOMAINS))
}

// ---------------------------------------------------------------- resident ID

/// Real county-level GB/T 2260 codes from many provinces.
const AREA_CODES: &[&str] = &[
    "110101", "110105", "110108", "120101", "130102", "140105", "150102", "210102", "220102",
    "230103", "310101", "310104", "310112", "310115", "320102", "320505", "330102", "330106",
    "340104", "350203", "360102", "370102", "370202", "410105", "420102", "430104", "440106",
    "440305", "450103", "460106", "500103", "510107", "520102", "530102", "540102", "610113",
    "620102", "630104", "640104", "650102",
];

/// A valid 18-digit resident ID (upper-case `X` when the check is 10).
pub fn resident_id(rng: &mut Rng) -> String {
    let day = random_day(rng, (1950, 1, 1), (2005, 12, 31));
    let (y, m, d) = civil_from_days(day);
    let body = format!(
        "{}{y:04}{m:02}{d:02}{:03}",
        rng.pick(AREA_CODES),
        rng.range(1, 999)
    );
    let check = resident_id_check(body.as_bytes()).expect("17 digits");
    let id = format!("{body}{check}");
    debug_assert!(is_valid_resident_id(&id));
    id
}

// ---------------------------------------------------------------- mobile

/// Mobile segments from the 13x/15x/17x/18x/19x ranges.
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "172", "173", "175", "176", "177", "178", "180", "181",
    "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195", "196", "197",
    "198", "199",
];

/// A plain 11-digit mainland mobile number.
pub fn mobile(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(MOBILE_PREFIXES), rng.digits(8))
}

/// How a mobile number is written.
#[derive(Debug, Clone, Copy)]
pub enum MobileStyle {
    /// `13812345678`
    Plain,
    /// `+86 138-1234-5678`
    IntlDashed,
    /// `138 1234 5678`
    Spaced,
    /// `0086 13812345678`
    Intl00,
}

/// Formats a plain 11-digit mobile in the given style.
pub fn format_mobile(m: &str, style: MobileStyle) -> String {
    let (a, b, c) = (&m[..3], &m[3..7], &m[7..]);
    match style {
        MobileStyle::Plain => m.to_string(),
        MobileStyle::IntlDashed => format!("+86 {a}-{b}-{c}"),
        MobileStyle::Spaced => format!("{a} {b} {c}"),
        MobileStyle::Intl00 => format!("0086 {m}"),
    }
}

// ---------------------------------------------------------------- vehicles

/// WMIs of makers that build in China (all start with `L`).
const WMIS: &[&str] = &[
    "LSV", "LFV", "LGB", "LVS", "LDC", "LHG", "LBV", "LGX", "LRW", "LVG", "LNB", "LSG", "LFM",
    "LZW",
];
/// Model-year codes for 2015–2026 (F … T).
const MODEL_YEARS: &[u8] = b"FGHJKLMNPRST";

/// A valid 17-character VIN with a Chinese-style WMI.
pub fn vin(rng: &mut Rng) -> String {
    let mut v: Vec<u8> = rng.pick(WMIS).as_bytes().to_vec();
    for _ in 0..5 {
        v.push(*rng.pick(VIN_ALPHABET));
    }
    v.push(b'0'); // placeholder for the check digit
    v.push(*rng.pick(MODEL_YEARS));
    v.push(*rng.pick(VIN_ALPHABET));
    v.extend(rng.digits(6).bytes());
    v[8] = vin_check(&v).expect("VIN alphabet") as u8;
    let s = String::from_utf8(v).expect("ASCII");
    debug_assert!(is_valid_vin(&s));
    s
}

/// A 17-character code over the VIN alphabet, shaped like a VIN, whose
/// position-9 character is deliberately *not* the ISO 3779 check digit.
pub fn part_code(rng: &mut Rng) -> String {
    let mut v: Vec<u8> = Vec::with_capacity(17);
    if rng.chance(0.5) {
        v.extend_from_slice(rng.pick(WMIS).as_bytes());
    } else {
        for _ in 0..3 {
            v.push(*rng.pick(&VIN_ALPHABET[10..]));
        }
    }
    while v.len() < 17 {
        v.push(*rng.pick(VIN_ALPHABET));
    }
    let right = vin_check(&v).expect("VIN alphabet") as u8;
    loop {
        let c = *rng.pick(b"0123456789X");
        if c != right {
            v[8] = c;
            break;
        }
    }
    let s = String::from_utf8(v).expect("ASCII");
    debug_assert!(!is_valid_vin(&s));
    s
}

/// Province abbreviations used on plates.
const PROVINCES: &[&str] = &[
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
];
/// Letters used on plates (no I or O).
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
/// New-energy type letters (GA 36-2018).
const ENERGY_LETTERS: &[u8] = b"DABCEFGHJK";

/// A valid plate: ordinary 7-character or new-energy 8-character, with a
/// `·` after the second character in about `dot_rate` of cases.
///
/// `home` biases the province (e.g. `Some("沪")` for a Shanghai fleet).
pub fn plate(rng: &mut Rng, home: Option<&str>, dot_rate: f64) -> String {
    let province = match home {
        Some(p) if rng.chance(0.6) => p,
        _ => rng.pick(PROVINCES),
    };
    let authority = rng.pick_char(PLATE_LETTERS);
    let serial: String = match rng.below(10) {
        // Ordinary plate: five characters, mostly digits, up to two letters.
        0..=5 => {
            let mut s: Vec<char> = (0..5).map(|_| rng.digit()).collect();
            for _ in 0..rng.below(3) {
                let i = rng.below(5) as usize;
                s[i] = rng.pick_char(PLATE_LETTERS);
            }
            s.into_iter().collect()
        }
        // Small new-energy: energy letter, letter-or-digit, four digits.
        6..=8 => {
            let second = if rng.chance(0.5) {
                rng.pick_char(PLATE_LETTERS)
            } else {
                rng.digit()
            };
            format!("{}{second}{}", rng.pick_char(ENERGY_LETTERS), rng.digits(4))
        }
        // Large new-energy: five digits then the energy letter.
        _ => format!("{}{}", rng.digits(5), rng.pick_char(ENERGY_LETTERS)),
    };
    let dot = if rng.chance(dot_rate) { "·" } else { "" };
    format!("{province}{authority}{dot}{serial}")
}

// ---------------------------------------------------------------- bank cards

/// Bank, UnionPay-style IIN (starts with 62) and card length. The pairing
/// is illustrative only.
pub const BANKS: &[(&str, &str, usize)] = &[
    ("中国工商银行", "622202", 19),
    ("中国工商银行", "625330", 16),
    ("中国建设银行", "621700", 19),
    ("中国建设银行", "625362", 16),
    ("中国农业银行", "622848", 19),
    ("中国银行", "621661", 19),
    ("中国银行", "625907", 16),
    ("招商银行", "622588", 16),
    ("招商银行", "621483", 16),
    ("交通银行", "622262", 19),
    ("中国邮政储蓄银行", "621799", 19),
    ("浦发银行", "622521", 16),
    ("中信银行", "622690", 16),
    ("兴业银行", "622909", 19),
    ("民生银行", "622622", 16),
];

/// A Luhn-valid card number for `(iin, len)`.
pub fn card_number(rng: &mut Rng, iin: &str, len: usize) -> String {
    let mut s = iin.to_string();
    s.push_str(&rng.digits(len - iin.len() - 1));
    let check = luhn_check_digit(s.as_bytes()).expect("digits");
    s.push(check);
    debug_assert!(is_luhn_valid(&s));
    s
}

/// Groups a card number in blocks of four separated by spaces.
pub fn group4(s: &str) -> String {
    let chunks: Vec<&str> = s
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("ASCII"))
        .collect();
    chunks.join(" ")
}

// ---------------------------------------------------------------- negatives

/// An 18-digit order number `2025MMDD` + 10 digits that fails both the
/// resident-ID MOD 11-2 check and Luhn. Returns `(order_no, day)`.
pub fn order_number(rng: &mut Rng) -> (String, i64) {
    let day = random_day(rng, (2025, 1, 1), (2025, 12, 31));
    let (y, m, d) = civil_from_days(day);
    let body = format!("{y:04}{m:02}{d:02}{}", rng.digits(9));
    let id_check = resident_id_check(body.as_bytes()).expect("digits");
    loop {
        let candidate = format!("{body}{}", rng.digit());
        if !candidate.ends_with(id_check) && !is_luhn_valid(&candidate) {
            debug_assert!(!is_valid_resident_id(&candidate));
            return (candidate, day);
        }
    }
}

const COMPANY_CITIES: &[&str] = &[
    "杭州", "上海", "深圳", "广州", "成都", "苏州", "南京", "武汉", "宁波", "东莞",
];
const COMPANY_WORDS: &[&str] = &[
    "星河", "云帆", "华联", "锦程", "恒泰", "博远", "瑞丰", "鼎盛", "新航", "天成", "汇通", "启明",
    "宏达", "优品", "众创", "海纳",
];

/// A company name like `杭州星河电子商务有限公司`.
pub fn company(rng: &mut Rng, industries: &[&str]) -> String {
    let suffix = if rng.chance(0.8) {
        "有限公司"
    } else {
        "股份有限公司"
    };
    format!(
        "{}{}{}{suffix}",
        rng.pick(COMPANY_CITIES),
        rng.pick(COMPANY_WORDS),
        rng.pick(industries)
    )
}

/// A UUID-v4-shaped hex string with no run of six or more digits, so no
/// fragment of it can read as a phone or ID number.
pub fn event_id(rng: &mut Rng) -> String {
    loop {
        let hi = rng.next_u64();
        let lo = rng.next_u64();
        let hex = format!("{hi:016x}{lo:016x}");
        let (a, b, c, d, e) = (
            &hex[..8],
            &hex[8..12],
            &hex[13..16],
            &hex[16..20],
            &hex[20..],
        );
        let id = format!("{a}-{b}-4{c}-{d}-{e}");
        let mut run = 0;
        let mut longest = 0;
        for ch in id.chars() {
            run = if ch.is_ascii_digit() { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        if longest < 6 {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in -50_000..50_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(fmt_datetime(0), "1970-01-01 00:00:00");
        assert_eq!(fmt_rfc3339_cst(86_399), "1970-01-01T23:59:59+08:00");
    }

    #[test]
    fn generated_positives_are_valid() {
        let mut rng = Rng::new(1);
        for _ in 0..2000 {
            assert!(is_valid_resident_id(&resident_id(&mut rng)));
            assert!(is_valid_vin(&vin(&mut rng)));
            let &(_, iin, len) = rng.pick(BANKS);
            let card = card_number(&mut rng, iin, len);
            assert_eq!(card.len(), len);
            assert!(card.starts_with("62") && is_luhn_valid(&card));
            let m = mobile(&mut rng);
            assert_eq!(m.len(), 11);
            assert!(m.starts_with('1') && (b'3'..=b'9').contains(&m.as_bytes()[1]));
        }
    }

    #[test]
    fn generated_negatives_fail_checks() {
        let mut rng = Rng::new(2);
        for _ in 0..2000 {
            let (o, _) = order_number(&mut rng);
            assert_eq!(o.len(), 18);
            assert!(o.starts_with("2025"));
            assert!(!is_valid_resident_id(&o) && !is_luhn_valid(&o));
            let p = part_code(&mut rng);
            assert_eq!(p.len(), 17);
            assert!(p.bytes().all(|c| VIN_ALPHABET.contains(&c)));
            assert!(!is_valid_vin(&p));
        }
    }

    #[test]
    fn plates_have_expected_shapes() {
        let mut rng = Rng::new(3);
        for _ in 0..2000 {
            let p = plate(&mut rng, Some("沪"), 0.1);
            let chars: Vec<char> = p.chars().filter(|&c| c != '·').collect();
            assert!(chars.len() == 7 || chars.len() == 8, "{p}");
            assert!(chars[1].is_ascii_uppercase() && chars[1] != 'I' && chars[1] != 'O');
            assert!(chars[2..].iter().all(|c| c.is_ascii_alphanumeric()));
            if let Some(i) = p.chars().position(|c| c == '·') {
                assert_eq!(i, 2, "{p}");
            }
            if chars.len() == 8 {
                let small = ENERGY_LETTERS.contains(&(chars[2] as u8))
                    && chars[4..].iter().all(char::is_ascii_digit);
                let large = chars[2..7].iter().all(char::is_ascii_digit)
                    && ENERGY_LETTERS.contains(&(chars[7] as u8));
                assert!(small || large, "{p}");
            }
        }
    }

    #[test]
    fn mobile_styles() {
        let m = "13812345678";
        assert_eq!(format_mobile(m, MobileStyle::Plain), "13812345678");
        assert_eq!(
            format_mobile(m, MobileStyle::IntlDashed),
            "+86 138-1234-5678"
        );
        assert_eq!(format_mobile(m, MobileStyle::Spaced), "138 1234 5678");
        assert_eq!(format_mobile(m, MobileStyle::Intl00), "0086 13812345678");
        assert_eq!(group4("6222021234567890"), "6222 0212 3456 7890");
    }
}
