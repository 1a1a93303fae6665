use crate::builtin::mask_middle;
use crate::{ids, CategoryInfo, Classifier, PersonKeyBuf, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Travel permit number for Hong Kong, Macau and Taiwan (港澳台通行证号码).

## What it detects

* 港澳居民来往内地通行证 (home-return permit): `H` (Hong Kong) or `M`
  (Macau) + an eight-digit lifetime number, optionally followed by a
  two-digit renewal counter (`H1234567801`), weight 1.0 either way.
* 台湾居民来往大陆通行证 (Taiwan compatriot permit): the old form of eight
  digits, a two-digit issue count and the issuing office's code (a letter
  or a digit) in brackets (`0561682001(D)`), weight 1.0; the current
  eight-digit lifetime number, and the ten digits without brackets that
  some mainland offices issued from 2006 to 2008, only when the column name
  says permit (台胞证, tbz, mtp …), because bare digits mean nothing.
* 往来港澳通行证 (mainland residents' permit, the card form since 2014):
  `C` + eight digits, or `C` + a letter + seven digits once the digit
  series ran out; and the older booklet's `W` + eight digits. Weight 0.5
  each unless the column name says permit.

Letters may be lower case. A column needs 90 % of its values to confirm
without a permit column name, 30 % with one. A column of the 0.5 forms
without a name is still found on column evidence (confidence 0.8): at
least 8 values, all of one form, 90 % distinct, not a sequence, nothing
else found in the column. Pinyin-initial names count as names
(`gatxz` 港澳通行证, `twtxz` 台湾通行证, `txz`, `hxz`, `tbz`).

## Why it matters

These permits are identity documents of Hong Kong, Macau and Taiwan
residents and of mainland travellers (个人身份信息 in GB/T 43697 Appendix
B). The number names one person for life and is general PI; copies of the
card are sensitive.

## Examples

* `H1234567801`, `M12345678`, `0561682001(D)`, `C12345678` (weight 0.5),
  `12345678` in a `tbz_no` column.
* Rejected: `H1234567` (seven digits), `X12345678`, `12345678` without a
  permit column name.
* Evidence is masked as `H1*******01`.

## Known false positives

* Codes of the form letter + eight digits in other tables (`H`/`M` series
  order or ticket numbers).
* The `C`/`W` forms are weak; they count only half without a column name,
  and a column of them only on column evidence.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct TravelPermit;

/// The permit forms: `(shape, weight on its own, weight with a permit
/// column name)`. Shapes: 1 `H`/`M`+8, 2 `H`/`M`+10, 3 `C`+8 digits,
/// 4 `C`+letter+7, 5 `W`+8, 6 eight digits, 7 ten digits + `(X)`, 8 ten
/// digits.
fn form(value: &str) -> Option<(u8, f64, f64)> {
    let v = value.as_bytes();
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let first = v.first()?.to_ascii_uppercase();
    match (first, v.len()) {
        (b'H' | b'M', 9) if all_digits(&v[1..]) => Some((1, 1.0, 1.0)),
        (b'H' | b'M', 11) if all_digits(&v[1..]) => Some((2, 1.0, 1.0)),
        (b'C', 9) if all_digits(&v[1..]) => Some((3, 0.5, 1.0)),
        (b'C', 9) if v[1].is_ascii_alphabetic() && all_digits(&v[2..]) => Some((4, 0.5, 1.0)),
        (b'W', 9) if all_digits(&v[1..]) => Some((5, 0.5, 1.0)),
        (b'0'..=b'9', 8) if all_digits(v) => Some((6, 0.0, 1.0)),
        (b'0'..=b'9', 13)
            if all_digits(&v[..10])
                && v[10] == b'('
                && v[11].is_ascii_alphanumeric()
                && v[12] == b')' =>
        {
            Some((7, 1.0, 1.0))
        }
        (b'0'..=b'9', 10) if all_digits(v) => Some((8, 0.0, 1.0)),
        _ => None,
    }
}

/// The serial of a confirmed value: its digits, with a letter in second
/// place (`CA1234567`) in front.
fn serial(value: &str) -> u64 {
    let mut n = 0u64;
    for (i, b) in value.bytes().enumerate() {
        if b.is_ascii_digit() {
            n = n.saturating_mul(10).saturating_add(u64::from(b - b'0'));
        } else if i == 1 && b.is_ascii_alphabetic() {
            n = u64::from(b.to_ascii_uppercase() - b'A');
        }
    }
    n
}

impl Classifier for TravelPermit {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(
            ids::TRAVEL_PERMIT,
            "港澳台通行证号码",
            "Hong Kong, Macau or Taiwan travel permit number",
        )
        .personal("个人身份信息")
        .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(
            r"(?i)[HM][0-9]{8}(?:[0-9]{2})?|C[A-Z0-9][0-9]{7}|W[0-9]{8}|[0-9]{8}|[0-9]{10}(?:\([A-Z0-9]\))?",
        )
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        form(value).map(|f| f.1).filter(|&w| w > 0.0)
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        form(value).map(|f| f.2)
    }

    fn uniform_shape(&self, value: &str) -> Option<(u8, u64)> {
        // Bare digit runs are permits only under a name; never on shape.
        form(value)
            .filter(|f| f.1 > 0.0)
            .map(|f| (f.0, serial(value)))
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "txz|txzh|txzhm|tongxingzheng|travel_permit(?:_no)?|permit_no|entry_permit",
            "|hxz|huixiangzheng|home_return_permit|tbz|tbzh|taibaozheng|mtp|mtp_no",
            "|hk_macau_permit|gat_txz|gatxz|gatxzh|gatxzhm|gattxz|wlgatxz|twtxz|wltwtxz|gajmlwndtxz",
            "|hxzh|tbzhm|eep|eep_no|hk_macao_permit|hkmo_permit|taiwan_permit",
            "|通行证|回乡证|台胞证|港澳通行证|往来港澳|来往内地|来往大陆|往来台湾",
        ))
    }

    fn min_ratio(&self) -> (f64, f64) {
        (0.9, 0.3)
    }

    /// Upper-case, spaces and hyphens removed; 6 to 20 letters, digits,
    /// `.`, `(`, `)` with at least 5 digits. A Hong Kong/Macau permit
    /// `H`/`M` + 10 digits keeps its first 9 characters: the last two count
    /// renewals of the same holder's card.
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        crate::builtin::document_key(value, true, out)
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
    fn home_return_permits() {
        assert_eq!(TravelPermit.confirm("H1234567801"), Some(1.0));
        assert_eq!(TravelPermit.confirm("m1234567800"), Some(1.0));
        assert_eq!(TravelPermit.confirm("M12345678"), Some(1.0));
        assert_eq!(TravelPermit.confirm_hinted("M12345678"), Some(1.0));
    }

    #[test]
    fn taiwan_permits_need_a_hint_unless_old_form() {
        assert_eq!(TravelPermit.confirm("12345678"), None);
        assert_eq!(TravelPermit.confirm_hinted("12345678"), Some(1.0));
        assert_eq!(TravelPermit.confirm("0561682001(D)"), Some(1.0));
        assert_eq!(TravelPermit.confirm("0561682001(1)"), Some(1.0));
        assert_eq!(TravelPermit.confirm("0561682001"), None);
        assert_eq!(TravelPermit.confirm_hinted("0561682001"), Some(1.0));
    }

    #[test]
    fn mainland_permit_is_weak() {
        for v in ["C12345678", "CA1234567", "cb7654321", "W12345678"] {
            assert_eq!(TravelPermit.confirm(v), Some(0.5), "{v}");
            assert_eq!(TravelPermit.confirm_hinted(v), Some(1.0), "{v}");
        }
        for v in ["CABCDEFGH", "C1A234567", "CAB123456", "W1234567A"] {
            assert_eq!(TravelPermit.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn shapes_for_column_evidence() {
        let shape = |v| TravelPermit.uniform_shape(v);
        assert_eq!(shape("C12345678"), Some((3, 12_345_678)));
        assert_eq!(shape("CB1234567"), Some((4, 11_234_567)));
        assert_eq!(shape("W00000042"), Some((5, 42)));
        assert_eq!(shape("H1234567801").map(|s| s.0), Some(2));
        // Bare digits are never a permit on shape alone.
        assert_eq!(shape("12345678"), None);
        assert_eq!(shape("1234567890"), None);
    }

    #[test]
    fn rejects() {
        for v in [
            "H1234567",
            "H123456789",
            "X12345678",
            "1234567",
            "123456789",
            "0561682001D",
            "0561682001(-)",
        ] {
            assert_eq!(TravelPermit.confirm(v), None, "{v}");
            assert_eq!(TravelPermit.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", TravelPermit.value_pattern().unwrap())).unwrap();
        for v in [
            "H1234567801",
            "m12345678",
            "C12345678",
            "12345678",
            "0561682001(D)",
            "0561682001(1)",
            "0561682001",
            "CA1234567",
            "w12345678",
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(TravelPermit.mask("h1234567801"), "H1*******01");
    }
}
