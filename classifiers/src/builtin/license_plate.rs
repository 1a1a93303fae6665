use crate::builtin::mask_middle;
use crate::{ids, CategoryInfo, Classifier, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Motor-vehicle licence plate number (机动车号牌).

## What it detects

Plate numbers in the GA 36-2018 layouts:

* ordinary plates, 7 characters: a province abbreviation (京 津 沪 渝 冀 豫
  云 辽 黑 湘 皖 鲁 新 苏 浙 赣 鄂 桂 甘 晋 蒙 陕 吉 闽 贵 粤 青 藏 川 宁 琼, or
  使/领), an issuing-authority letter (A–Z without I and O), and five serial
  characters (letters without I/O, digits), where the last may also be 挂,
  学, 警, 港 or 澳;
* new-energy plates, 8 characters: province + authority letter + either an
  energy letter (D A B C E F G H J K), one serial character and four digits
  (small vehicles), or five digits and an energy letter (large vehicles).

A separator `·`, `•`, `-` or a space after the second character is
accepted, and lower-case ASCII letters are treated as upper case.

## Why it matters

A plate identifies a registered vehicle and, through the registration
record, its owner. Under the automotive data rules owner and driver data
is personal information, and outside-vehicle images that contain plates
are listed as important data; plate columns are the key that links such
records to people.

## Examples

* `京A12345`, `京A·12345`, `沪B-D12345`, `粤BD12345`, `粤B12345D`, `苏E1234学`
* Rejected: `京I12345` (I is not a valid authority letter), `京A1234`
  (too short), `AB12345` (no province).
* Evidence is masked as `京A****5`.

## Known false positives

* Short codes that happen to start with a province character and a letter,
  for example internal codes such as `沪A0001X`.
* Military, armed-police and some embassy plates use other layouts and are
  not detected.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct LicensePlate;

/// A province abbreviation (or 使/领): a `match`, not a search of a string of
/// them, as it runs for every plate-shaped value and free-text token.
fn is_province(c: char) -> bool {
    matches!(
        c,
        '京' | '津'
            | '沪'
            | '渝'
            | '冀'
            | '豫'
            | '云'
            | '辽'
            | '黑'
            | '湘'
            | '皖'
            | '鲁'
            | '新'
            | '苏'
            | '浙'
            | '赣'
            | '鄂'
            | '桂'
            | '甘'
            | '晋'
            | '蒙'
            | '陕'
            | '吉'
            | '闽'
            | '贵'
            | '粤'
            | '青'
            | '藏'
            | '川'
            | '宁'
            | '琼'
            | '使'
            | '领'
    )
}

/// A new-energy letter: D A B C E F G H J K.
fn is_energy(c: char) -> bool {
    matches!(c, 'A'..='H' | 'J' | 'K')
}

fn is_letter(c: char) -> bool {
    c.is_ascii_uppercase() && c != 'I' && c != 'O'
}

fn is_serial(c: char) -> bool {
    is_letter(c) || c.is_ascii_digit()
}

impl LicensePlate {
    /// The plate without separator, upper-cased, if it is well formed (in
    /// a fixed array: this runs for every plate-shaped value).
    fn normalized(value: &str) -> Option<([char; 8], usize)> {
        let mut buf = ['\0'; 9];
        let mut n = 0;
        for c in value.chars() {
            *buf.get_mut(n)? = c.to_ascii_uppercase();
            n += 1;
        }
        if n > 2 && matches!(buf[2], '·' | '•' | '-' | ' ') {
            buf.copy_within(3..n, 2);
            n -= 1;
        }
        let chars = &buf[..n];
        if !(7..=8).contains(&n) || !is_province(chars[0]) || !is_letter(chars[1]) {
            return None;
        }
        let rest = &chars[2..];
        let ok = match rest.len() {
            5 => {
                rest[..4].iter().all(|&c| is_serial(c))
                    && (is_serial(rest[4]) || matches!(rest[4], '挂' | '学' | '警' | '港' | '澳'))
            }
            6 => {
                let large = rest[..5].iter().all(char::is_ascii_digit) && is_energy(rest[5]);
                let small = is_energy(rest[0])
                    && is_serial(rest[1])
                    && rest[2..].iter().all(char::is_ascii_digit);
                large || small
            }
            _ => false,
        };
        let mut plate = ['\0'; 8];
        plate[..n].copy_from_slice(chars);
        ok.then_some((plate, n))
    }
}

impl Classifier for LicensePlate {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(
            ids::LICENSE_PLATE,
            "机动车号牌",
            "Vehicle licence plate number",
        )
        .personal("个人财产信息")
        .vehicle(VEHICLE_ART3_ITEM_5)
    }

    /// Seven or eight characters: the plate is all there is.
    fn whole_value_holds_one_identifier(&self) -> bool {
        true
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(concat!(
            "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]",
            "[A-Za-z][·•\\- ]?[A-Za-z0-9挂学警港澳]{5,6}",
        ))
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        Self::normalized(value).map(|_| 1.0)
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        self.confirm(token)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "cph|cphm|chepai|chepaihao|hphm|plate(?:_no|_num|_number)?|license_plate|licence_plate",
            "|car_?no|car_number|vehicle_no|vehicle_plate|车牌|号牌",
        ))
    }

    fn mask(&self, value: &str) -> String {
        match Self::normalized(value) {
            Some((chars, n)) => mask_middle(&chars[..n].iter().collect::<String>(), 2, 1),
            None => mask_middle(value, 2, 1),
        }
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The union regex from the plate standard, used as an oracle.
    fn oracle() -> Regex {
        Regex::new(concat!(
            "^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z]",
            "(?:[0-9]{5}[DABCEFGHJK]|[DABCEFGHJK][A-HJ-NP-Z0-9][0-9]{4}",
            "|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳])$",
        ))
        .unwrap()
    }

    #[test]
    fn accepts_plates() {
        for v in [
            "京A12345",
            "京A·12345",
            "京A•12345",
            "京A 12345",
            "沪B-D12345",
            "粤BD12345",
            "粤B12345D",
            "粤BF1234",
            "苏E1234学",
            "浙A1234挂",
            "粤Z1234港",
            "京aB1234",
            "使A1234X",
        ] {
            assert_eq!(LicensePlate.confirm(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects_non_plates() {
        for v in [
            "京I12345",
            "京O12345",
            "京A1234",
            "京A1234567",
            "AB12345",
            "京A123O5",
            "粤BZ12345",
            "粤B1234Z5",
            "京A··12345",
            "京A12345·",
            "北A12345",
            "京A1234港1",
        ] {
            assert_eq!(LicensePlate.confirm(v), None, "{v}");
        }
    }

    /// Agreement with the standard's regex on separator-free upper-case input.
    #[test]
    fn agrees_with_oracle() {
        let re = oracle();
        let serials = [
            "12345", "D12345", "12345D", "DA1234", "A1234", "1234学", "12I45", "1234",
        ];
        for p in ["京", "粤", "使", "北"] {
            for l in ["A", "I", "Z"] {
                for s in serials {
                    let v = format!("{p}{l}{s}");
                    assert_eq!(LicensePlate.confirm(&v).is_some(), re.is_match(&v), "{v}");
                }
            }
        }
    }

    /// The province and energy tests agree with the character classes of the value pattern
    /// and the standard's regex, on every character of the Basic Multilingual Plane.
    #[test]
    fn province_and_energy_sets() {
        let pattern = LicensePlate.value_pattern().unwrap();
        let class = &pattern[..=pattern.find(']').unwrap()];
        let provinces = Regex::new(&format!("^{class}$")).unwrap();
        let energy = Regex::new("^[DABCEFGHJK]$").unwrap();
        for c in ('\0'..='\u{FFFF}').map(|c| c.to_string()) {
            let ch = c.chars().next().unwrap();
            assert_eq!(is_province(ch), provinces.is_match(&c), "{c}");
            assert_eq!(is_energy(ch), energy.is_match(&c), "{c}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(LicensePlate.mask("京A12345"), "京A****5");
        assert_eq!(LicensePlate.mask("京A·12345"), "京A****5");
        assert_eq!(LicensePlate.mask("粤BD12345"), "粤B*****5");
    }
}
