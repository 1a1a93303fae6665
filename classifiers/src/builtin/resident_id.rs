use crate::builtin::mask_middle;
use crate::validate::{
    eight_ascii_digits, is_cn_province_code, is_valid_date, mod11_2_check_char,
    mod11_2_check_of_digits, parse_digits, today_yyyymmdd,
};
use crate::{ids, CategoryInfo, Classifier, PersonKeyBuf, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Chinese resident identity number (居民身份证号).

## What it detects

* The 18-character citizen number of GB 11643: a six-digit address code,
  an eight-digit birth date, a three-digit sequence and an ISO 7064
  MOD 11-2 check character (`0`–`9` or `X`; a lower-case `x` is accepted).
  The address code must start with a province-level code (11–65, or 71, 81,
  82, 83 for Taiwan, Hong Kong and Macau, which also covers the
  residence-permit numbers 810000…/820000…/830000…). The birth date must be
  a real calendar date between 1900-01-01 and today.
* The older 15-digit form (six-digit address code, `YYMMDD` birth date in
  the 1900s, three-digit sequence, no check character). Without a check
  character it is confirmed with a weight of 0.9 only.
* The 2023 foreign permanent-resident ID: 18 characters starting with `9`,
  validated with the same MOD 11-2 check; digits 2–3 must be a
  province-level code and digits 7–14 a birth date, which keeps 18-digit
  organisation codes starting with `9` out.
* Inside free text (remarks, JSON strings) the 18-character forms are found
  too, when they stand apart from other letters and digits.

A driving-licence number (驾驶证号, `jszh`) is the holder's citizen number,
so such column names count as hints too.

## Why it matters

An identity number names exactly one person and is the key most often used
to join records about them, so it is personal information under the PIPL
and the main key for counting distinct persons against volume thresholds.
On its own the number is general (not sensitive) PI under the TC260 guide;
a copy of the card is sensitive, and so is any PI of a person under 14,
which the birth date reveals.

## Examples

* `11010519491231002X`, `11010519491231002x` (lower-case check letter)
* `440524188001010014` is rejected: born before 1900.
* `110105491231002` (15-digit form)
* Evidence is masked as `110105********002X`.

## Known false positives

* About one in eleven random 18-digit numbers passes the check character;
  the province and date rules remove most of them, but a column of random
  18-digit numbers starting with a province code and a plausible date will
  still confirm now and then. Column verdicts need a majority of values.
* 15-digit numbers (for example some device identifiers) that happen to
  start with a province code and contain a valid `YYMMDD` date.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct ResidentId;

impl ResidentId {
    /// The 18-character form: this runs for every resident-ID value of a persons pass (tens
    /// of millions), so its 17 digits are checked eight bytes at a time and then read
    /// without further checks.
    fn confirm_18(b: &[u8]) -> Option<f64> {
        let b: &[u8; 18] = b.try_into().ok()?;
        let word = |at: usize| u64::from_le_bytes(std::array::from_fn(|i| b[at + i]));
        if !(eight_ascii_digits(word(0)) && eight_ascii_digits(word(8)) && b[16].is_ascii_digit()) {
            return None;
        }
        let digits: [u8; 17] = std::array::from_fn(|i| b[i] - b'0');
        let number = |from: usize, to: usize| {
            digits[from..to]
                .iter()
                .fold(0u32, |n, &d| n * 10 + u32::from(d))
        };
        // The province and the date first: they turn most other 18-digit
        // numbers (order numbers, cards) away before the checksum.
        // Foreign permanent-resident ID (2023 format): `9`, the accepting
        // province, a three-digit nationality code, then the birth date.
        let province = if digits[0] == 9 {
            number(1, 3)
        } else {
            number(0, 2)
        };
        if !is_cn_province_code(province) {
            return None;
        }
        let date = number(6, 14);
        let (y, m, d) = (date / 10_000, date / 100 % 100, date % 100);
        if y < 1900 || !is_valid_date(y, m, d) || date > today_yyyymmdd() {
            return None;
        }
        if mod11_2_check_of_digits(&digits) != b[17].to_ascii_uppercase() {
            return None;
        }
        Some(1.0)
    }

    fn confirm_15(b: &[u8]) -> Option<f64> {
        if !is_cn_province_code(parse_digits(&b[..2])?) {
            return None;
        }
        let date = parse_digits(&b[6..12])?;
        let (y, m, d) = (1900 + date / 10_000, date / 100 % 100, date % 100);
        if !is_valid_date(y, m, d) {
            return None;
        }
        parse_digits(&b[12..15])?;
        Some(0.9)
    }

    /// The person key of `value` (see [`Classifier::person_key_into`]).
    fn canonical(value: &str) -> Option<[u8; 18]> {
        // The usual form, 18 characters as they stand, without copying them one by one.
        if let Ok(&id) = <&[u8; 18]>::try_from(value.as_bytes()) {
            if Self::confirm_18(&id).is_some() {
                let mut id = id;
                id[17] = id[17].to_ascii_uppercase();
                return Some(id);
            }
            if !id.iter().any(|&c| c.is_ascii_whitespace() || c == b'-') {
                return None;
            }
        }
        let mut raw = [0u8; 18];
        let mut n = 0;
        for c in value.bytes() {
            if c.is_ascii_whitespace() || c == b'-' {
                continue;
            }
            *raw.get_mut(n)? = c;
            n += 1;
        }
        let id = match n {
            18 => {
                let mut id = raw;
                id[17] = id[17].to_ascii_uppercase();
                id
            }
            15 => {
                Self::confirm_15(&raw[..15])?;
                let mut id = [0u8; 18];
                id[..6].copy_from_slice(&raw[..6]);
                id[6..8].copy_from_slice(b"19");
                id[8..17].copy_from_slice(&raw[6..15]);
                id[17] = mod11_2_check_char(&id[..17])?;
                id
            }
            _ => return None,
        };
        Self::confirm_18(&id)?;
        Some(id)
    }
}

impl Classifier for ResidentId {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(
            ids::CN_RESIDENT_ID,
            "居民身份证号",
            "Resident identity card number",
        )
        .personal("个人身份信息")
        .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some("[0-9]{17}[0-9Xx]|[0-9]{15}")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let b = value.as_bytes();
        match b.len() {
            18 => Self::confirm_18(b),
            15 => Self::confirm_15(b),
            _ => None,
        }
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        // Only the 18-character forms: the check character makes them safe
        // to pick out of prose.
        (token.len() == 18).then(|| self.confirm(token)).flatten()
    }

    /// 18 characters with an upper-case `X`, whitespace and hyphens removed;
    /// a 15-digit ID is up-converted (`19` inserted into the year, check
    /// character appended), so both forms of one person's ID give one key.
    /// Valid exactly when [`confirm`](Classifier::confirm) accepts the
    /// 18-character form, 9-prefixed permanent-resident IDs included.
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        let Some(id) = Self::canonical(value) else {
            return false;
        };
        crate::builtin::write_ascii_key(&id, out)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "sfz|sfzh|sfzhm|sfzjhm|zjhm|gmsfhm|shenfenzheng",
            "|id_?card(?:_no|_num|_number)?|id_?no|id_number|identity(?:_no|_card|_number)?",
            "|cert_?no|cert_num|cert_number|citizen_id|resident_id",
            "|jszh|jszhm|jiashizheng(?:hao)?|driver_?licen[cs]e(?:_no|_num|_number)?",
            "|driving_licen[cs]e(?:_no|_num|_number)?",
            "|身份证|证件号|身份号码|驾驶证号|驾驶证号码|驾照号",
        ))
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(value, 6, 4)
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the correct check character to a 17-digit body.
    fn with_check(body: &str) -> String {
        let c = mod11_2_check_char(body.as_bytes()).unwrap() as char;
        format!("{body}{c}")
    }

    #[test]
    fn accepts_valid_numbers() {
        let ok = [
            "11010519491231002X".to_owned(),
            "11010519491231002x".to_owned(),
            "810000199408230021".to_owned(),
            "830000199201300022".to_owned(),
            with_check("31010420000229123"), // leap day
            with_check("65010219000101001"), // earliest year
            with_check("71000019851111002"),
            with_check("82000019851111002"),
        ];
        for v in &ok {
            assert_eq!(ResidentId.confirm(v), Some(1.0), "{v}");
        }
    }

    /// `confirm_18` as it was before it checked eight bytes at a time, byte by byte.
    fn confirm_18_bytewise(b: &[u8]) -> Option<f64> {
        let province = if b[0] == b'9' {
            parse_digits(&b[1..3])?
        } else {
            parse_digits(&b[..2])?
        };
        if !is_cn_province_code(province) {
            return None;
        }
        let date = parse_digits(&b[6..14])?;
        let (y, m, d) = (date / 10_000, date / 100 % 100, date % 100);
        if y < 1900 || !is_valid_date(y, m, d) || date > today_yyyymmdd() {
            return None;
        }
        (mod11_2_check_char(&b[..17])? == b[17].to_ascii_uppercase()).then_some(1.0)
    }

    /// Property: the word-at-a-time check accepts exactly what the byte-by-byte one does, on
    /// valid numbers (whose check character or any one byte is then changed, often to a
    /// byte just outside the digits) and on random 18-byte strings.
    #[test]
    fn word_checks_agree_with_byte_checks() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        let odd = [
            b'/', b':', b' ', b'-', b'X', b'x', b'a', 0x00, 0x7f, 0xb0, 0x39, 0x30,
        ];
        let (mut accepted, mut rejected) = (0, 0);
        for _ in 0..200_000 {
            let mut b = [0u8; 18];
            for c in b.iter_mut() {
                *c = b'0' + next(10) as u8;
            }
            if next(2) == 0 {
                // A plausible number: province, birth date, then its check character.
                let province = [11, 31, 44, 65, 71, 81, 93][next(7) as usize];
                b[..2].copy_from_slice(format!("{province:02}").as_bytes());
                let date = format!(
                    "{:04}{:02}{:02}",
                    1890 + next(140),
                    1 + next(12),
                    1 + next(31)
                );
                b[6..14].copy_from_slice(date.as_bytes());
                b[17] = mod11_2_check_char(&b[..17]).unwrap_or(b'0');
                if b[17] == b'X' && next(2) == 0 {
                    b[17] = b'x';
                }
            }
            match next(4) {
                0 => b[next(18) as usize] = odd[next(odd.len() as u64) as usize],
                1 => b[17] = b'0' + next(10) as u8,
                _ => {}
            }
            let ours = ResidentId::confirm_18(&b);
            assert_eq!(
                ours,
                confirm_18_bytewise(&b),
                "{:?}",
                String::from_utf8_lossy(&b)
            );
            if ours.is_some() {
                accepted += 1;
            } else {
                rejected += 1;
            }
        }
        assert!(
            accepted > 10_000 && rejected > 10_000,
            "{accepted} / {rejected}"
        );
    }

    #[test]
    fn foreign_permanent_resident() {
        let v = with_check("93115619880808001");
        assert_eq!(ResidentId.confirm(&v), Some(1.0));
        let mut bad = v.into_bytes();
        bad[17] = if bad[17] == b'1' { b'2' } else { b'1' };
        assert_eq!(ResidentId.confirm(std::str::from_utf8(&bad).unwrap()), None);
    }

    #[test]
    fn fifteen_digit_form() {
        assert_eq!(ResidentId.confirm("110105491231002"), Some(0.9));
        assert_eq!(ResidentId.confirm("110105491331002"), None); // month 13
        assert_eq!(ResidentId.confirm("110105490230002"), None); // 30 Feb
        assert_eq!(ResidentId.confirm("990105491231002"), None); // province
    }

    #[test]
    fn rejects_bad_numbers() {
        let bad = [
            "110105194912310021".to_owned(), // wrong check digit
            "440524188001010014".to_owned(), // valid check, born 1880
            with_check("11010520231301001"), // month 13
            with_check("11010520230230001"), // 30 February
            with_check("11010520230229001"), // 2023 is not a leap year
            with_check("11010529990101001"), // born in the future
            with_check("20240501123456789"), // order number, "province" 20
            with_check("00000019900101001"), // province 00
            with_check("91010519491231002")[..17].to_owned() + "Y", // junk check
            "1700000000000".to_owned(),      // ms timestamp
            "1101051949123100".to_owned(),   // 16 digits
            "11010519491231002X1".to_owned(), // 19 chars
        ];
        for v in &bad {
            assert_eq!(ResidentId.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn person_keys() {
        let id = with_check("11010119850307123");
        assert_eq!(ResidentId.person_key(&format!(" {id} ")), Some(id.clone()));
        assert_eq!(
            ResidentId.person_key("11010519491231002x").as_deref(),
            Some("11010519491231002X")
        );
        // The 15-digit form of the same person gives the same key.
        assert_eq!(ResidentId.person_key("110101850307123"), Some(id));
        // A foreign permanent-resident ID is a person's identifier too.
        let foreign = with_check("93115619880808001");
        assert_eq!(ResidentId.person_key(&foreign), Some(foreign.clone()));
        assert_eq!(ResidentId.person_key("1101011985030712"), None);
        assert_eq!(ResidentId.person_key("990105491231002"), None);
        assert_eq!(
            ResidentId.person_key(&with_check("11010129990101123")),
            None
        );
    }

    /// Whatever the classifier confirms in 18-character form has a key equal
    /// to the value (upper-cased), and whatever it rejects has none.
    #[test]
    fn person_key_agrees_with_confirm() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let prefixes = [
            "110105", "310104", "440305", "931156", "810000", "990101", "200000",
        ];
        for i in 0..2_000u64 {
            let r = next();
            let body = format!(
                "{}{}{:02}{:02}{:03}",
                prefixes[(r % prefixes.len() as u64) as usize],
                1890 + (r >> 8) % 150,
                1 + (r >> 16) % 13,
                1 + (r >> 24) % 31,
                (r >> 32) % 1000
            );
            let mut id = with_check(&body);
            if i % 5 == 0 {
                id.replace_range(17.., "0");
            }
            let confirmed = ResidentId.confirm(&id).is_some();
            assert_eq!(ResidentId.person_key(&id).is_some(), confirmed, "{id}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(ResidentId.mask("11010519491231002X"), "110105********002X");
        assert_eq!(ResidentId.mask("110105491231002"), "110105*****1002");
    }
}
