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
  digits, a two-digit issue count and the issuing office letter in
  brackets (`0561682001(D)`), weight 1.0; the current eight-digit lifetime
  number only when the column name says permit (台胞证, tbz, mtp …),
  because eight digits alone mean nothing.
* 往来港澳通行证 (mainland residents' permit): `C` + eight letters or
  digits, weight 0.5 unless the column name says permit.

Letters may be lower case. A column needs 90 % of its values to confirm
without a permit column name, 30 % with one.

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
* The `C` + eight characters form is unconfirmed and weak; it counts only
  half without a column name.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct TravelPermit;

/// `(weight on its own, weight with a permit column name)`.
fn weights(value: &str) -> Option<(f64, f64)> {
    let v = value.as_bytes();
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let first = v.first()?.to_ascii_uppercase();
    match (first, v.len()) {
        (b'H' | b'M', 11) if all_digits(&v[1..]) => Some((1.0, 1.0)),
        (b'H' | b'M', 9) if all_digits(&v[1..]) => Some((1.0, 1.0)),
        (b'C', 9)
            if v[1..].iter().all(|b| b.is_ascii_alphanumeric())
                && v[1..].iter().filter(|b| b.is_ascii_digit()).count() >= 6 =>
        {
            Some((0.5, 1.0))
        }
        (b'0'..=b'9', 8) if all_digits(v) => Some((0.0, 1.0)),
        (b'0'..=b'9', 13)
            if all_digits(&v[..10])
                && v[10] == b'('
                && v[11].is_ascii_alphabetic()
                && v[12] == b')' =>
        {
            Some((1.0, 1.0))
        }
        _ => None,
    }
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
        Some(r"(?i)[HM][0-9]{8}(?:[0-9]{2})?|C[A-Z0-9]{8}|[0-9]{8}|[0-9]{10}\([A-Z]\)")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        weights(value).map(|w| w.0).filter(|&w| w > 0.0)
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        weights(value).map(|w| w.1)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "txz|txzh|txzhm|tongxingzheng|travel_permit(?:_no)?|permit_no|entry_permit",
            "|hxz|huixiangzheng|home_return_permit|tbz|tbzh|taibaozheng|mtp|mtp_no",
            "|hk_macau_permit|gat_txz",
            "|通行证|回乡证|台胞证|港澳通行证|往来港澳|来往内地|来往大陆",
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
    }

    #[test]
    fn mainland_permit_is_weak() {
        assert_eq!(TravelPermit.confirm("C12345678"), Some(0.5));
        assert_eq!(TravelPermit.confirm("CA1234567"), Some(0.5));
        assert_eq!(TravelPermit.confirm_hinted("C12345678"), Some(1.0));
        assert_eq!(TravelPermit.confirm("CABCDEFGH"), None);
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
            "0561682001(1)",
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
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(TravelPermit.mask("h1234567801"), "H1*******01");
    }
}
