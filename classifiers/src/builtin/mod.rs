//! The built-in classifiers, registered in one static table.
//!
//! Adding a built-in = one file in this folder + one line in [`CLASSIFIERS`]
//! (+ one line in [`EXCLUSIVE`] for numeric identifiers that can collide).

mod bank_card;
mod email;
mod license_plate;
mod mobile_phone;
mod person_name;
mod resident_id;
mod vin;

pub use bank_card::BankCard;
pub use email::EmailAddress;
pub use license_plate::LicensePlate;
pub use mobile_phone::MobilePhone;
pub use person_name::PersonName;
pub use resident_id::ResidentId;
pub use vin::Vin;

use crate::Classifier;

/// Every built-in classifier, in registration order.
pub(crate) static CLASSIFIERS: &[&dyn Classifier] = &[
    &ResidentId,
    &MobilePhone,
    &EmailAddress,
    &BankCard,
    &Vin,
    &LicensePlate,
    &PersonName,
];

/// Identifiers whose shapes overlap, highest priority first. For each value
/// the first of these that confirms claims the value; the ones after it do
/// not count it (an 18-digit resident ID that happens to pass Luhn is not a
/// bank card; a phone number is never a card or an ID). Classifiers not
/// listed here count independently.
pub(crate) static EXCLUSIVE: &[&str] = &[
    "pi.cn_resident_id",
    "pi.mobile_phone",
    "vehicle.vin",
    "pi.bank_card",
];

/// Replaces every character of `s` except the first `keep_head` and the last
/// `keep_tail` with `*`. If that would reveal everything, at least one
/// character is masked and the head shrinks.
pub(crate) fn mask_middle(s: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
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
    let mut out = String::with_capacity(s.len());
    out.extend(&chars[..head]);
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(&chars[n - tail..]);
    out
}

/// Removes ASCII spaces and hyphens (digit-group separators) from `s` into
/// `buf`, which is cleared first. Returns `false` if `s` has anything other
/// than ASCII digits and separators, or two separators in a row.
pub(crate) fn strip_digit_groups(s: &str, buf: &mut String) -> bool {
    buf.clear();
    let mut prev_sep = true; // no leading separator
    for c in s.chars() {
        match c {
            '0'..='9' => {
                buf.push(c);
                prev_sep = false;
            }
            ' ' | '-' if !prev_sep => prev_sep = true,
            _ => return false,
        }
    }
    !prev_sep
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let well_formed = Regex::new(r"^[a-z]+\.[a-z_]+$").unwrap();
        let mut seen = HashSet::new();
        for c in CLASSIFIERS {
            let id = c.id();
            assert!(well_formed.is_match(id), "bad id {id}");
            assert!(seen.insert(id), "duplicate id {id}");
            let info = c.info();
            assert_eq!(info.id, id);
            assert!(!info.name_zh.is_empty() && !info.name_en.is_empty(), "{id}");
            assert!(
                info.is_pi || !info.is_sensitive,
                "{id}: sensitive implies PI"
            );
        }
        for e in EXCLUSIVE {
            assert!(seen.contains(e), "EXCLUSIVE names unknown id {e}");
        }
    }

    #[test]
    fn patterns_and_hints_compile() {
        for c in CLASSIFIERS {
            let p = c.value_pattern().expect("built-ins classify values");
            Regex::new(&format!("^(?:{p})$")).unwrap_or_else(|e| panic!("{}: {e}", c.id()));
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
        let hinted = |col: &str| -> Vec<String> {
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
    }

    #[test]
    fn digit_groups() {
        let mut b = String::new();
        assert!(strip_digit_groups("6222 0212 3456 7890", &mut b));
        assert_eq!(b, "6222021234567890");
        assert!(strip_digit_groups("138-0013-8000", &mut b));
        assert_eq!(b, "13800138000");
        assert!(!strip_digit_groups("138--0013", &mut b));
        assert!(!strip_digit_groups("-138", &mut b));
        assert!(!strip_digit_groups("138-", &mut b));
        assert!(!strip_digit_groups("138a", &mut b));
    }
}
