use crate::builtin::mask_middle;
use crate::validate::vin_valid;
use crate::{ids, CategoryInfo, Classifier, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Vehicle identification number (车辆识别代号, VIN).

## What it detects

Seventeen characters from `A–H J–N P R–Z 0–9` (the letters I, O and Q never
occur), upper or lower case, whose position-9 check character matches the
ISO 3779 / GB 16735 computation (letters transliterated to digits, weighted
sum modulo 11, 10 written as `X`). At least one letter is required, which
excludes plain 17-digit numbers such as order numbers that would otherwise
pass the check once in eleven times.

VINs standing apart inside free text are found as well.

## Why it matters

A VIN identifies one vehicle for its whole life and, through registration
and sales records, its owner. Under the automotive data rules, information
about owners, drivers and passengers is personal information, and GB/T
43697 lists vehicle information under personal property information. VIN
columns are also a join key for vehicle tracks, which are sensitive.

## Examples

* `1M8GDM9AXKP042788` (check character `X`), `1m8gdm9axkp042788`
* Rejected: `1M8GDM9A1KP042788` (wrong check), `1M8GDM9AXKP04278O`
  (contains O), `12345678901234567` (digits only).
* Evidence is masked as `1M8************88`.

## Known false positives

* Seventeen-character alphanumeric codes (licence keys, tracking numbers)
  pass the check about once in eleven times. Column verdicts need a
  majority of values.
* Some vehicles made for markets that do not require the check digit carry
  VINs that fail it; those are missed rather than misreported.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Vin;

impl Classifier for Vin {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(
            ids::VIN,
            "车辆识别代号",
            "Vehicle identification number (VIN)",
        )
        .personal("个人财产信息")
        .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some("(?i)[A-HJ-NPR-Z0-9]{17}")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let has_letter = value.bytes().any(|b| b.is_ascii_alphabetic());
        (has_letter && vin_valid(value)).then_some(1.0)
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        self.confirm(token)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "vin(?:_code|_no|_number)?|cjh|cjhm|chejiahao|clsbdh|frame_?no|frame_number",
            "|chassis(?:_no|_number)?|车架号|车辆识别|识别代号|识别码",
        ))
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(&value.to_ascii_uppercase(), 3, 2)
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::vin_check_char;

    /// Puts the correct check character at position 9.
    fn fix(vin: &str) -> String {
        let mut b = vin.as_bytes().to_vec();
        b[8] = vin_check_char(&b).unwrap();
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn accepts_valid_vins() {
        for v in [
            "1M8GDM9AXKP042788".to_owned(),
            "1m8gdm9axkp042788".to_owned(),
            fix("LSVAA4180E2123456"),
            fix("LFV2A21K0R3000001"),
            fix("WVWZZZ1K0BW000001"),
        ] {
            assert_eq!(Vin.confirm(&v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects_invalid() {
        let digits_only = fix("12345678901234567");
        for v in [
            "1M8GDM9A1KP042788",
            "1M8GDM9AXKP04278O",
            "IM8GDM9AXKP042788",
            "1M8GDM9AXKP04278",
            digits_only.as_str(),
        ] {
            assert_eq!(Vin.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(Vin.mask("1M8GDM9AXKP042788"), "1M8************88");
        assert_eq!(Vin.mask("1m8gdm9axkp042788"), "1M8************88");
    }
}
