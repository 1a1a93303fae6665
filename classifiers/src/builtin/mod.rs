//! The built-in classifiers, registered in one static table.
//!
//! Adding a built-in = one file in this folder + one line in the
//! `builtins!` list, which declares [`CLASSIFIERS`] (+ one line in
//! [`EXCLUSIVE`] for numeric identifiers that can collide).

mod address;
mod bank_card;
mod biometric;
mod birth_date;
mod coordinate;
mod device_id;
mod email;
mod ethnicity;
mod gender;
mod health;
mod ip_address;
mod license_plate;
mod mobile_phone;
mod name_words;
mod passport;
mod person_name;
mod resident_id;
mod surnames;
mod travel_permit;
mod uscc;
mod vin;

pub use address::Address;
pub use bank_card::BankCard;
pub use biometric::Biometric;
pub use birth_date::BirthDate;
pub use coordinate::Coordinate;
pub use device_id::DeviceId;
pub use email::EmailAddress;
pub use ethnicity::Ethnicity;
pub use gender::Gender;
pub use health::Health;
pub use ip_address::IpAddress;
pub use license_plate::LicensePlate;
pub use mobile_phone::MobilePhone;
pub use passport::Passport;
pub use person_name::PersonName;
pub use resident_id::ResidentId;
pub use travel_permit::TravelPermit;
pub use uscc::Uscc;
pub use vin::Vin;

use crate::{ids, CategoryId, Classifier, PersonKeyBuf};

/// Declares [`CLASSIFIERS`] and [`boxed`] from one list of the built-in
/// unit structs, in registration order.
macro_rules! builtins {
    ($($c:ident),* $(,)?) => {
        /// Every built-in classifier, in registration order.
        pub(crate) static CLASSIFIERS: &[&dyn Classifier] = &[$(&$c),*];

        /// [`CLASSIFIERS`], each boxed as its own type (a unit struct: no
        /// allocation), so that a set calls it through its own vtable
        /// rather than through a `&dyn` that forwards to it.
        pub(crate) fn boxed() -> Vec<Box<dyn Classifier>> {
            vec![$(Box::new($c)),*]
        }
    };
}

builtins![
    ResidentId,
    MobilePhone,
    EmailAddress,
    BankCard,
    Vin,
    LicensePlate,
    PersonName,
    Passport,
    TravelPermit,
    Address,
    IpAddress,
    DeviceId,
    BirthDate,
    Gender,
    Ethnicity,
    Biometric,
    Health,
    Coordinate,
    Uscc,
];

/// Identifiers whose shapes overlap, highest priority first.
///
/// When exactly one of these confirms a value, it alone counts it. When
/// several do (an 18-digit resident ID that also passes Luhn, a 15-digit
/// number that is both an old resident ID and a Luhn-valid IMEI, an
/// all-digit credit code that passes MOD 11-2), the value goes to the one
/// the rest of the column supports, i.e. with the most values only it
/// confirmed; on a tie to the one whose column hint matched, then to the
/// first in this list. In free text, the first in this list that confirms a
/// token claims it. Classifiers not listed here count independently.
pub(crate) static EXCLUSIVE: &[CategoryId] = &[
    ids::CN_RESIDENT_ID,
    ids::USCC,
    ids::MOBILE_PHONE,
    ids::VIN,
    ids::PASSPORT,
    ids::TRAVEL_PERMIT,
    ids::DEVICE_ID,
    ids::BANK_CARD,
];

/// Replaces every character of `s` except the first `keep_head` and the last
/// `keep_tail` with `*`. If that would reveal everything, at least one
/// character is masked and the head shrinks.
pub(crate) fn mask_middle(s: &str, keep_head: usize, keep_tail: usize) -> String {
    // Evidence masks run a few dozen times per column and finding: an
    // ASCII value's characters are its bytes, and the kept ends are found
    // from each end, as byte ranges of `s`.
    let n = if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    };
    if n == 0 {
        return String::new();
    }
    let (head, tail) = if keep_head + keep_tail < n {
        (keep_head, keep_tail)
    } else {
        // Too short to keep both: reveal at most half, never all.
        let reveal = (n - 1) / 2;
        (reveal.min(keep_head), 0)
    };
    keep_ends(s, n, head, tail)
}

/// `s`, of `n` characters, with its first `head` and last `tail` characters
/// kept and each other character replaced by `*` (`head + tail <= n`). The
/// kept ends are found from each end as byte ranges of `s`; when `n` is its
/// length in bytes, `s` is ASCII and they need no character search.
pub(crate) fn keep_ends(s: &str, n: usize, head: usize, tail: usize) -> String {
    let (head_end, tail_start) = if n == s.len() {
        (head, s.len() - tail)
    } else {
        let head_end = s.char_indices().nth(head).map_or(s.len(), |(i, _)| i);
        let tail_start = match tail {
            0 => s.len(),
            _ => s.char_indices().nth_back(tail - 1).map_or(0, |(i, _)| i),
        };
        (head_end, tail_start)
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..head_end]);
    push_stars(&mut out, n - head - tail);
    out.push_str(&s[tail_start..]);
    out
}

/// Appends `n` `*`s to `out`, in runs rather than one character at a time.
pub(crate) fn push_stars(out: &mut String, mut n: usize) {
    const STARS: &str = "********************************";
    while n > 0 {
        let k = n.min(STARS.len());
        out.push_str(&STARS[..k]);
        n -= k;
    }
}

/// The person key of a travel document number (passport, travel permit):
/// upper-case, spaces, tabs and hyphens removed; 6 to 20 letters, digits,
/// `.`, `(` and `)` with at least 5 digits. Looser than the classifiers'
/// `confirm`, which look for Chinese formats: a foreign passport in a
/// passport column still identifies one person. With `renewal_suffix`, a
/// Hong Kong/Macau permit `H`/`M` + 10 digits keeps its first 9 characters:
/// the last two count renewals of the same holder's card.
pub(crate) fn document_key(value: &str, renewal_suffix: bool, out: &mut PersonKeyBuf) -> bool {
    let mut b = [0u8; 20];
    let mut n = 0;
    for c in value.bytes() {
        let c = match c {
            b' ' | b'\t' | b'-' => continue,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'(' | b')' => c.to_ascii_uppercase(),
            _ => return false,
        };
        let Some(slot) = b.get_mut(n) else {
            return false;
        };
        *slot = c;
        n += 1;
    }
    let mut id = &b[..n];
    if !(6..=20).contains(&id.len()) || id.iter().filter(|c| c.is_ascii_digit()).count() < 5 {
        return false;
    }
    if renewal_suffix
        && id.len() == 11
        && matches!(id[0], b'H' | b'M')
        && id[1..].iter().all(u8::is_ascii_digit)
    {
        id = &id[..9];
    }
    write_ascii_key(id, out)
}

/// Replaces `out` with a validated key of ASCII letters, digits and
/// punctuation.
pub(crate) fn write_ascii_key(key: &[u8], out: &mut PersonKeyBuf) -> bool {
    out.clear();
    key.is_ascii() && out.extend(key)
}

/// The digits of `s` with its ASCII spaces and hyphens (digit-group
/// separators) removed, written into `buf` (on the caller's stack: this runs
/// per value); how many. `None` if `s` has anything other than ASCII digits
/// and separators, two separators in a row, a separator at either end, or
/// more digits than `buf` holds.
pub(crate) fn strip_digit_groups<const N: usize>(s: &str, buf: &mut [u8; N]) -> Option<usize> {
    let mut n = 0;
    let mut prev_sep = true; // no leading separator
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => {
                *buf.get_mut(n)? = b;
                n += 1;
                prev_sep = false;
            }
            b' ' | b'-' if !prev_sep => prev_sep = true,
            _ => return None,
        }
    }
    (!prev_sep).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ColumnType;
    use regex::Regex;
    use std::collections::HashSet;

    /// First-level classes of GB/T 43697-2024 Appendix B (and "" for
    /// non-PI).
    const GBT43697_CLASSES: &[&str] = &[
        "",
        "个人基本资料",
        "个人身份信息",
        "个人生物识别信息",
        "网络身份标识信息",
        "个人健康生理信息",
        "个人教育工作信息",
        "个人财产信息",
        "身份鉴别信息",
        "个人通信信息",
        "联系人信息",
        "个人上网记录",
        "个人设备信息",
        "个人位置信息",
        "个人标签信息",
        "个人运动信息",
        "其他个人信息",
    ];

    /// Sensitivity follows PIPL Art. 28 and the TC260 guide: identity
    /// numbers alone are general PI; accounts, biometrics, health and
    /// precise location are sensitive.
    #[test]
    fn sensitivity_table() {
        let set = crate::ClassifierSet::builtin();
        let sensitive = |id: &str| set.get(id).unwrap().info().is_sensitive;
        for id in [
            "pi.bank_card",
            "pi.biometric",
            "pi.health",
            "geo.coordinate",
        ] {
            assert!(sensitive(id), "{id}");
        }
        for id in [
            "pi.cn_resident_id",
            "pi.passport",
            "pi.travel_permit",
            "pi.mobile_phone",
            "pi.email",
            "pi.name",
            "pi.address",
            "pi.ip_address",
            "pi.device_id",
            "pi.birth_date",
            "pi.gender",
            "pi.ethnicity",
            "vehicle.vin",
            "vehicle.license_plate",
        ] {
            assert!(!sensitive(id), "{id}");
            assert!(set.get(id).unwrap().info().is_pi, "{id}");
        }
        assert!(!set.get("org.uscc").unwrap().info().is_pi);
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let well_formed = Regex::new(r"^[a-z]+\.[a-z_]+$").unwrap();
        let mut seen = HashSet::new();
        for c in CLASSIFIERS {
            let id = c.id();
            assert!(well_formed.is_match(id.as_str()), "bad id {id}");
            assert!(seen.insert(id.clone()), "duplicate id {id}");
            let info = c.info();
            assert_eq!(info.id, id);
            assert!(!info.name_zh.is_empty() && !info.name_en.is_empty(), "{id}");
            assert!(
                info.is_pi || !info.is_sensitive,
                "{id}: sensitive implies PI"
            );
            assert_eq!(
                info.is_pi,
                !info.gbt43697_class.is_empty(),
                "{id}: PI categories name their GB/T 43697 class, others none"
            );
            assert!(
                GBT43697_CLASSES.contains(&&*info.gbt43697_class),
                "{id}: unknown class {}",
                info.gbt43697_class
            );
            if let Some(item) = &info.vehicle_item {
                assert!(
                    item.starts_with("第三条第（") && item.ends_with("）项"),
                    "{id}: {item}"
                );
            }
        }
        for e in EXCLUSIVE {
            assert!(seen.contains(e), "EXCLUSIVE names unknown id {e}");
        }
    }

    #[test]
    fn patterns_and_hints_compile() {
        for c in CLASSIFIERS {
            match c.value_pattern() {
                Some(p) => {
                    Regex::new(&format!("^(?:{p})$")).unwrap_or_else(|e| panic!("{}: {e}", c.id()));
                }
                None => assert!(
                    c.name_only_confidence(&ColumnType::unknown()).is_some(),
                    "{}: without a value pattern it must be name-driven",
                    c.id()
                ),
            }
            if let Some(conf) = c.name_only_confidence(&ColumnType::unknown()) {
                assert!(conf <= 0.6, "{}: name-only confidence {conf}", c.id());
            }
            let h = c.column_hint().expect("built-ins have column hints");
            Regex::new(h).unwrap_or_else(|e| panic!("{}: {e}", c.id()));
            let (plain, hinted) = c.min_ratio();
            assert!(
                0.0 < hinted && hinted <= plain && plain <= 1.0,
                "{}",
                c.id()
            );
        }
        let set = crate::ClassifierSet::builtin();
        assert_eq!(set.classifiers().count(), CLASSIFIERS.len());
    }

    #[test]
    fn docs_have_the_four_headings() {
        for c in CLASSIFIERS {
            let docs = c.docs();
            for h in [
                "## What it detects",
                "## Why it matters",
                "## Examples",
                "## Known false positives",
            ] {
                assert!(docs.contains(h), "{}: missing {h}", c.id());
            }
        }
    }

    /// Hints, as the engine applies them, on normalised names.
    #[test]
    fn column_hints_match_whole_tokens() {
        let set = crate::ClassifierSet::builtin();
        let hinted = |col: &str| -> Vec<CategoryId> {
            set.column(col)
                .finish()
                .into_iter()
                .map(|f| f.category)
                .collect()
        };
        let cases: &[(&str, &str)] = &[
            ("sfzh", "pi.cn_resident_id"),
            ("SFZHM", "pi.cn_resident_id"),
            ("idCardNo", "pi.cn_resident_id"),
            ("cert_no", "pi.cn_resident_id"),
            ("客户身份证号", "pi.cn_resident_id"),
            ("证件号码", "pi.cn_resident_id"),
            ("mobile", "pi.mobile_phone"),
            ("contactPhone", "pi.mobile_phone"),
            ("sjhm", "pi.mobile_phone"),
            ("TEL", "pi.mobile_phone"),
            ("联系电话", "pi.mobile_phone"),
            ("手机号", "pi.mobile_phone"),
            ("email", "pi.email"),
            ("E-Mail", "pi.email"),
            ("youxiang", "pi.email"),
            ("邮箱地址", "pi.email"),
            ("yhkh", "pi.bank_card"),
            ("bank_card_no", "pi.bank_card"),
            ("cardNo", "pi.bank_card"),
            ("银行卡号", "pi.bank_card"),
            ("vin", "vehicle.vin"),
            ("VIN_CODE", "vehicle.vin"),
            ("chejiahao", "vehicle.vin"),
            ("车架号", "vehicle.vin"),
            ("cph", "vehicle.license_plate"),
            ("plate_no", "vehicle.license_plate"),
            ("车牌号码", "vehicle.license_plate"),
            ("xm", "pi.name"),
            ("xingming", "pi.name"),
            ("name", "pi.name"),
            ("full_name", "pi.name"),
            ("realName", "pi.name"),
            ("customer_name", "pi.name"),
            ("owner_name", "pi.name"),
            ("card_holder", "pi.name"),
            ("姓名", "pi.name"),
            ("紧急联系人", "pi.name"),
            ("持卡人", "pi.name"),
            ("passport_no", "pi.passport"),
            ("护照号码", "pi.passport"),
            ("hzhm", "pi.passport"),
            ("hzbh", "pi.passport"),
            ("huzhao", "pi.passport"),
            ("gatxz", "pi.travel_permit"),
            ("GATXZHM", "pi.travel_permit"),
            ("twtxz", "pi.travel_permit"),
            ("txz", "pi.travel_permit"),
            ("eep_no", "pi.travel_permit"),
            ("jszh", "pi.cn_resident_id"),
            ("driverLicenseNo", "pi.cn_resident_id"),
            ("驾驶证号", "pi.cn_resident_id"),
            ("txzhm", "pi.travel_permit"),
            ("台胞证号", "pi.travel_permit"),
            ("home_return_permit", "pi.travel_permit"),
            ("address", "pi.address"),
            ("jtdz", "pi.address"),
            ("收货地址", "pi.address"),
            ("client_ip", "pi.ip_address"),
            ("IP地址", "pi.ip_address"),
            ("imei", "pi.device_id"),
            ("wifiMac", "pi.device_id"),
            ("device_id", "pi.device_id"),
            ("oaid", "pi.device_id"),
            ("设备id", "pi.device_id"),
            ("设备ID", "pi.device_id"),
            ("birthday", "pi.birth_date"),
            ("csrq", "pi.birth_date"),
            ("出生日期", "pi.birth_date"),
            ("gender", "pi.gender"),
            ("xb", "pi.gender"),
            ("性别", "pi.gender"),
            ("minzu", "pi.ethnicity"),
            ("民族", "pi.ethnicity"),
            ("face_feature", "pi.biometric"),
            ("fingerprint_template", "pi.biometric"),
            ("人脸特征", "pi.biometric"),
            ("diagnosis", "pi.health"),
            ("过敏史", "pi.health"),
            ("血型", "pi.health"),
            ("lat", "geo.coordinate"),
            ("gpsLng", "geo.coordinate"),
            ("经度", "geo.coordinate"),
            ("tyshxydm", "org.uscc"),
            ("统一社会信用代码", "org.uscc"),
        ];
        for (col, want) in cases {
            let got = hinted(col);
            assert!(
                got.iter().any(|g| g == want),
                "{col}: want {want}, got {got:?}"
            );
        }
        // Short hints must not fire inside other words, and some names are
        // explicitly not person names.
        for col in [
            "xmlns",
            "hotel",
            "telemetry",
            "vinyl",
            "company_name",
            "product_name",
            "city_name",
            "bank_name",
            "file_name",
            "table_name",
            "nickname",
            "ideal",
            "valid",
            "mailbox_size",
            "phonetic",
            "accountant",
            "remark",
            "created_at",
            "weight",
            "height",
            "temperature",
            "zip",
            "vip",
            "hz",
            "long_description",
            "points",
            "sexual_orientation",
            "health_check_url",
            "tj",
            "status",
            "order_date",
            "jsz",
            "txzt",
            "license_status",
        ] {
            let bad = hinted(col);
            assert!(bad.is_empty(), "{col}: unexpected {bad:?}");
        }
    }

    #[test]
    fn masking_helper() {
        assert_eq!(mask_middle("13800138000", 3, 4), "138****8000");
        assert_eq!(mask_middle("张三", 1, 0), "张*");
        assert_eq!(mask_middle("abc", 3, 4), "a**");
        assert_eq!(mask_middle("ab", 3, 4), "**");
        assert_eq!(mask_middle("a", 1, 0), "*");
        assert_eq!(mask_middle("", 1, 0), "");
        assert_eq!(mask_middle("上海市浦东新区", 2, 2), "上海***新区");
        assert_eq!(mask_middle("a😀bc", 2, 1), "a😀*c");
    }

    /// The byte-range shortcuts mask as counting characters does, for ASCII
    /// and mixed values of every length (up to more stars than one chunk).
    #[test]
    fn masking_helper_matches_counting_characters() {
        fn reference(s: &str, keep_head: usize, keep_tail: usize) -> String {
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len();
            if n == 0 {
                return String::new();
            }
            let (head, tail) = if keep_head + keep_tail < n {
                (keep_head, keep_tail)
            } else {
                (((n - 1) / 2).min(keep_head), 0)
            };
            let middle = std::iter::repeat_n(&'*', n - head - tail);
            chars[..head]
                .iter()
                .chain(middle)
                .chain(&chars[n - tail..])
                .collect()
        }
        for n in 0..80 {
            for alphabet in [&['a', '7'][..], &['张', 'b', '😀'], &['上', '海']] {
                let s: String = (0..n).map(|i| alphabet[i * 7 % alphabet.len()]).collect();
                for (head, tail) in [(0, 0), (1, 0), (2, 1), (3, 4), (6, 4), (7, 0), (2, 2)] {
                    assert_eq!(
                        mask_middle(&s, head, tail),
                        reference(&s, head, tail),
                        "{s} {head} {tail}"
                    );
                }
            }
        }
    }

    #[test]
    fn digit_groups() {
        let mut b = [0u8; 19];
        assert_eq!(strip_digit_groups("6222 0212 3456 7890", &mut b), Some(16));
        assert_eq!(&b[..16], b"6222021234567890");
        assert_eq!(strip_digit_groups("138-0013-8000", &mut b), Some(11));
        assert_eq!(&b[..11], b"13800138000");
        assert_eq!(strip_digit_groups("138--0013", &mut b), None);
        assert_eq!(strip_digit_groups("-138", &mut b), None);
        assert_eq!(strip_digit_groups("138-", &mut b), None);
        assert_eq!(strip_digit_groups("138a", &mut b), None);
        assert_eq!(strip_digit_groups("12345678901234567890", &mut b), None);
    }
}
