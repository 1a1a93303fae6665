use crate::builtin::mask_middle;
use crate::{ids, CategoryInfo, Classifier, PersonKeyBuf, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Passport number (护照号码).

## What it detects

Number formats of passports held by PRC, Hong Kong and Macau residents:

* ordinary e-passport since 2017: `E` + a letter (not I or O) + 7 digits,
  e.g. `EA1234567`;
* ordinary e-passport before 2017: `E` + 8 digits;
* older ordinary passport without chip: `G` + 8 digits;
* public-affairs, service and diplomatic passports: `PE`, `SE`, `DE` + 7
  digits, and the older `P.`/`S.` + 7 digits;
* HKSAR passport: `K` + 8 digits; MSAR passport: `MA` + 7 digits.

Letters may be lower case. These shapes carry no check digit and look like
many product or ticket codes, so only the current `E`+letter form counts
fully on its own (weight 1.0); the other forms weigh 0.5 unless the column
name says passport (护照, hzhm, huzhao, passport_no …). A column needs 90 %
of its values to confirm without such a name, 30 % with it.

A column of the weaker forms without such a name is still found on column
evidence (confidence 0.8): at least 8 values, all of one form, 90 %
distinct, not running in sequence, and nothing else found in the column.

## Why it matters

A passport number identifies its holder and is an identity-document number
(个人身份信息 in GB/T 43697 Appendix B); like the resident-ID number it is
general PI on its own, while a copy of the passport page is sensitive.
Passport numbers are common in travel, hotel and cross-border tables.

## Examples

* `EA1234567`, `ea1234567`, `E12345678` (hinted), `G12345678` (hinted),
  `PE1234567`, `K12345678`, `MA1234567`
* Rejected: `EI1234567` (I is not used), `E1234567` (too short),
  `X12345678`.
* Evidence is masked as `EA*****67`.

## Known false positives

* Product, ticket and invoice codes of the same shapes, especially
  `E`/`G`/`K` + 8 digits. Without a passport column name they need a
  near-complete column of the current `E`+letter form, or a column of
  distinct, non-sequential codes of one form; random-looking codes of one
  form in an unnamed column are reported.
* Foreign passports use other formats and are not detected.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Passport;

/// Weight of a value on its own, or `None` if it is no passport number.
fn shape_weight(value: &str) -> Option<f64> {
    let v = value.as_bytes();
    let up = |i: usize| v.get(i).map(u8::to_ascii_uppercase);
    let digits = |from: usize| v.len() > from && v[from..].iter().all(u8::is_ascii_digit);
    match (v.len(), up(0), up(1)) {
        (9, Some(b'E'), Some(l)) if l.is_ascii_uppercase() && l != b'I' && l != b'O' => {
            digits(2).then_some(1.0)
        }
        (9, Some(b'E' | b'G' | b'K'), _) => digits(1).then_some(0.5),
        (9, Some(b'P' | b'S' | b'D'), Some(b'E')) | (9, Some(b'M'), Some(b'A')) => {
            digits(2).then_some(0.5)
        }
        (9, Some(b'P' | b'S'), Some(b'.')) => digits(2).then_some(0.5),
        _ => None,
    }
}

/// The form of a confirmed value (`E`+letter+7, `E`+8, `G`+8, `K`+8,
/// `PE`/`SE`/`DE`+7, `MA`+7, `P.`/`S.`+7) and its serial: the digits, with
/// the letter of the current form in front.
fn shape(value: &str) -> Option<(u8, u64)> {
    shape_weight(value)?;
    // Nine bytes (as `shape_weight` checked), upper-cased on the stack.
    let mut v = [0u8; 9];
    v.copy_from_slice(value.as_bytes());
    v.make_ascii_uppercase();
    let num = |from: usize| {
        v[from..]
            .iter()
            .fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'))
    };
    Some(match (v[0], v[1]) {
        (b'E', l) if l.is_ascii_uppercase() => (1, u64::from(l - b'A') * 10_000_000 + num(2)),
        (b'E', _) => (2, num(1)),
        (b'G', _) => (3, num(1)),
        (b'K', _) => (4, num(1)),
        (_, b'E') => (5, num(2)),
        (b'M', _) => (6, num(2)),
        _ => (7, num(2)),
    })
}

impl Classifier for Passport {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::PASSPORT, "护照号码", "Passport number")
            .personal("个人身份信息")
            .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some("(?i)[EGKPSDM][A-Z0-9.][0-9]{7}")
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        shape_weight(value)
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        shape_weight(value).map(|_| 1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "hzh|hzhm|hzbh|hzhao|huzhao|huzhaohao|huzhaohaoma|passport(?:_no|_num|_number|_id)?",
            "|pass_no|passportno|travel_document_no|护照|护照号|护照号码|护照编号",
        ))
    }

    fn min_ratio(&self) -> (f64, f64) {
        (0.9, 0.3)
    }

    fn uniform_shape(&self, value: &str) -> Option<(u8, u64)> {
        shape(value)
    }

    /// Upper-case, spaces and hyphens removed; 6 to 20 letters, digits,
    /// `.`, `(`, `)` with at least 5 digits. Looser than `confirm`: a
    /// foreign passport in a passport column still names one person.
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        crate::builtin::document_key(value, false, out)
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(&value.to_ascii_uppercase(), 2, 2)
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
    fn weights() {
        for v in ["EA1234567", "ea1234567", "EH7654321"] {
            assert_eq!(Passport.confirm(v), Some(1.0), "{v}");
        }
        for v in [
            "E12345678",
            "G12345678",
            "K12345678",
            "PE1234567",
            "SE1234567",
            "DE1234567",
            "MA1234567",
            "P.1234567",
        ] {
            assert_eq!(Passport.confirm(v), Some(0.5), "{v}");
            assert_eq!(Passport.confirm_hinted(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects() {
        for v in [
            "EI1234567",
            "EO1234567",
            "E1234567",
            "E123456789",
            "X12345678",
            "EA123456A",
            "MB1234567",
            "13800138000",
        ] {
            assert_eq!(Passport.confirm(v), None, "{v}");
            assert_eq!(Passport.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", Passport.value_pattern().unwrap())).unwrap();
        for v in [
            "EA1234567",
            "e12345678",
            "P.1234567",
            "MA1234567",
            "de1234567",
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("E12345678"), Some((2, 12_345_678)));
        assert_eq!(shape("g00000001"), Some((3, 1)));
        assert_eq!(shape("EB0000001"), Some((1, 10_000_001)));
        assert_eq!(shape("PE1234567").map(|s| s.0), Some(5));
        assert_eq!(shape("MA1234567").map(|s| s.0), Some(6));
        assert_eq!(shape("S.1234567").map(|s| s.0), Some(7));
        assert_eq!(shape("X12345678"), None);
    }

    #[test]
    fn masks() {
        assert_eq!(Passport.mask("ea1234567"), "EA*****67");
    }
}
