use crate::builtin::mask_middle;
use crate::validate::all_digits;
use crate::{ids, CategoryInfo, Classifier, PersonKeyBuf, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Mainland China mobile phone number (手机号码).

## What it detects

Eleven-digit numbers of the form `1[3-9]` followed by nine digits, with an
optional country prefix (`+86`, `86`, `0086`, also written `(+86)`) and
optional single spaces or hyphens between digit groups. Numbers in a
segment known to be allocated to mobile networks (13x, 145–149, 150–153,
155–159, 162/165/166/167, 170–178, 18x, 190–193, 195–199) confirm with
weight 1.0; other `1[3-9]` segments with 0.8, because the segment list
changes over time.

Inside free text (`请联系13812345678谢谢`) numbers in a known segment are
found as well, as long as they are not part of a longer run of digits or
letters.

## Why it matters

A mobile number is registered to a real name in China and reaches one
person directly, so it is personal information under the PIPL. Together
with a name it is the most common key for contacting or profiling people.

## Examples

* `13800138000`, `138 0013 8000`, `138-0013-8000`
* `+86 138-0013-8000`, `0086 13800138000`, `8613800138000`
* Rejected: `10012345678`, `11012345678`, `12012345678` (service and
  internal codes, not mobile numbers), `1380013800` (ten digits).
* Evidence is masked as `138****8000`.

## Known false positives

* Any eleven-digit code that happens to start with 13–19, such as some
  internal customer or order numbers. Column verdicts need a majority.
* Thirteen-digit numbers starting with `86` followed by a mobile-looking
  number.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct MobilePhone;

impl MobilePhone {
    /// Extracts the eleven national digits, or `None` if the value is not a
    /// well-formed mobile number.
    fn national(value: &str) -> Option<[u8; 11]> {
        // Eleven digits (most values): no prefix can be stripped from them
        // and leave a number (`0086…`, `86…` leave fewer digits), so the
        // value is the number or none.
        if let Ok(digits) = <[u8; 11]>::try_from(value.as_bytes()) {
            if all_digits(&digits) {
                let mobile = digits[0] == b'1' && (b'3'..=b'9').contains(&digits[1]);
                return mobile.then_some(digits);
            }
        }
        Self::national_written(value)
    }

    /// [`national`](Self::national) of a value with a prefix or separators.
    fn national_written(value: &str) -> Option<[u8; 11]> {
        let rest = strip_country_prefix(value);
        let mut digits = [0u8; 11];
        let mut n = 0;
        let mut prev_sep = true;
        for &b in rest.as_bytes() {
            match b {
                b'0'..=b'9' => {
                    if n == 11 {
                        return None;
                    }
                    digits[n] = b;
                    n += 1;
                    prev_sep = false;
                }
                b' ' | b'-' if !prev_sep => prev_sep = true,
                _ => return None,
            }
        }
        if n != 11 || prev_sep || digits[0] != b'1' || !(b'3'..=b'9').contains(&digits[1]) {
            return None;
        }
        Some(digits)
    }

    /// The person key of `value` (see [`Classifier::person_key_into`]): the
    /// national number of anything [`confirm`](Classifier::confirm) accepts,
    /// with more separators and prefixes allowed around it.
    fn national_for_key(value: &str) -> Option<[u8; 11]> {
        let mut d = [0u8; 20];
        let mut n = 0;
        let mut plus = false;
        for c in value.bytes() {
            match c {
                b'0'..=b'9' => {
                    *d.get_mut(n)? = c;
                    n += 1;
                }
                b'+' if n == 0 && !plus => plus = true,
                b' ' | b'\t' | b'-' | b'.' | b'(' | b')' => {}
                _ => return None,
            }
        }
        let digits = &d[..n];
        let national = if plus {
            digits.strip_prefix(b"86")?
        } else {
            match n {
                15 => digits.strip_prefix(b"0086").unwrap_or(digits),
                13 => digits.strip_prefix(b"86").unwrap_or(digits),
                16 => digits.strip_prefix(b"17951").unwrap_or(digits),
                _ => digits,
            }
        };
        // The rule `national` applies, so `confirm` accepts the key (tested).
        if national.len() != 11 || national[0] != b'1' || !(b'3'..=b'9').contains(&national[1]) {
            return None;
        }
        national.try_into().ok()
    }
}

/// Removes a leading `+86`, `(+86)`, `0086` or `86` (and one following
/// space or hyphen). A bare `86` is only removed when what follows could be
/// a mobile number, so `8613800138000` works but no other digits are eaten.
fn strip_country_prefix(v: &str) -> &str {
    let rest = ["(+86)", "(86)", "+86", "0086"]
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .or_else(|| {
            let r = v.strip_prefix("86")?;
            let r2 = r.strip_prefix([' ', '-']).unwrap_or(r);
            (r2.len() >= 11 && r2.starts_with('1')).then_some(r)
        });
    match rest {
        Some(r) => r.strip_prefix([' ', '-']).unwrap_or(r),
        None => v,
    }
}

/// Whether the three-digit segment is a known mobile allocation.
fn known_segment(d: &[u8; 11]) -> bool {
    match (d[1], d[2]) {
        (b'3' | b'8', _) => true,
        (b'4', c) => (b'5'..=b'9').contains(&c),
        (b'5', c) => c != b'4',
        (b'6', c) => matches!(c, b'2' | b'5' | b'6' | b'7'),
        (b'7', c) => (b'0'..=b'8').contains(&c),
        (b'9', c) => c != b'4',
        _ => false,
    }
}

impl Classifier for MobilePhone {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::MOBILE_PHONE, "手机号码", "Mobile phone number")
            .personal("个人基本资料")
            .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(r"(?:(?:\(\+?86\)|\+86|0086|86)[ -]?)?1[3-9](?:[ -]?[0-9]){9}")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let d = Self::national(value)?;
        Some(if known_segment(&d) { 1.0 } else { 0.8 })
    }

    /// The 11-digit national number: `+86`, `0086`, `86` and `17951`
    /// prefixes, spaces, tabs, hyphens, dots and brackets removed. Other
    /// country codes are not mainland mobiles and have no key.
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        let Some(national) = Self::national_for_key(value) else {
            return false;
        };
        crate::builtin::write_ascii_key(&national, out)
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        // In prose, only numbers in a known mobile segment.
        self.confirm(token).filter(|&w| w >= 1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "shouji|shoujihao|sjh|sjhm|lxdh|lxfs|dhhm",
            "|mobile(?:_no|_num|_number|_phone)?|cellphone|cell_phone|phone(?:_no|_num|_number)?",
            "|tel|telephone|tel_no|msisdn",
            "|手机|电话|联系方式",
        ))
    }

    fn mask(&self, value: &str) -> String {
        match Self::national(value) {
            Some(d) => {
                let s = std::str::from_utf8(&d).unwrap_or_default();
                mask_middle(s, 3, 4)
            }
            None => mask_middle(value, 3, 4),
        }
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleven_digits_as_written_numbers() {
        let mut values: Vec<String> = [
            "0086", "086", "86", "1", "13", "10", "19", "12", "8613", "00861",
        ]
        .iter()
        .map(|p| format!("{p}{}", &"13800138000"[p.len()..]))
        .collect();
        let mut x = 7u64;
        for _ in 0..2000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let n = (x >> 20) % 100_000_000_000;
            values.push(format!("{n:011}"));
            values.push(format!("1{:010}", n % 10_000_000_000));
        }
        for v in &values {
            assert_eq!(v.len(), 11, "{v}");
            assert_eq!(
                MobilePhone::national(v),
                MobilePhone::national_written(v),
                "{v}"
            );
        }
    }

    /// Every key is a number `confirm` accepts, and every value `confirm`
    /// accepts has a key: the scan and the person count agree.
    #[test]
    fn person_key_agrees_with_confirm() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for i in 0..3_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let digits = format!("{:011}", seed % 100_000_000_000);
            let value = match i % 4 {
                0 => digits.clone(),
                1 => format!("1{}", &digits[1..]),
                2 => format!("+86 {}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
                _ => format!("86{digits}"),
            };
            let key = MobilePhone.person_key(&value);
            assert_eq!(
                key.is_some(),
                MobilePhone.confirm(&value).is_some(),
                "{value}"
            );
            if let Some(key) = key {
                assert!(MobilePhone.confirm(&key).is_some(), "{value} -> {key}");
            }
        }
    }
    use regex::Regex;

    #[test]
    fn accepts_formats() {
        for v in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138-0013-8000",
            "+8613800138000",
            "(+86)13800138000",
            "0086 13800138000",
            "008613800138000",
            "8613800138000",
            "86-13800138000",
            "19912345678",
            "14712345678",
        ] {
            assert_eq!(MobilePhone.confirm(v), Some(1.0), "{v}");
        }
        // Unknown segment: lower weight.
        assert_eq!(MobilePhone.confirm("14012345678"), Some(0.8));
        assert_eq!(MobilePhone.confirm("19412345678"), Some(0.8));
    }

    #[test]
    fn rejects_non_phones() {
        for v in [
            "10012345678",
            "11012345678",
            "12012345678",
            "1380013800",
            "138001380001",
            "138--0013-8000",
            "138 0013 8000 ",
            "-13800138000",
            "+87 13800138000",
            "1700000000000",
            "23800138000",
            "1380013800a",
        ] {
            assert_eq!(MobilePhone.confirm(v), None, "{v}");
        }
    }

    /// Everything `confirm` accepts must pass the prefilter.
    #[test]
    fn prefilter_has_no_false_negatives() {
        let re = Regex::new(&format!("^(?:{})$", MobilePhone.value_pattern().unwrap())).unwrap();
        for v in [
            "13800138000",
            "+86 138-0013-8000",
            "(+86)13800138000",
            "0086 13800138000",
            "8613800138000",
            "138 0013 8000",
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(MobilePhone.mask("13800138000"), "138****8000");
        assert_eq!(MobilePhone.mask("+86 138-0013-8000"), "138****8000");
    }
}
