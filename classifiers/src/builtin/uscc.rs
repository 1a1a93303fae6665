use crate::builtin::mask_middle;
use crate::validate::{is_cn_province_code, parse_digits, uscc_valid};
use crate::{ids, CategoryInfo, Classifier};

macro_rules! doc_text {
    () => {
        r#"Unified social credit code of an organisation (统一社会信用代码).

## What it detects

Eighteen characters from the GB 32100 alphabet (digits and the letters
other than I, O, S, V, Z), upper or lower case, laid out as: a
registration-authority code (`1`–`9`, `A`, `N` or `Y`), an organisation-type
digit (`1`–`9`), a six-digit administrative-division code whose first two
digits are a province-level code (or `10` for national bodies), a
nine-character organisation code, and a check character computed with the
GB 32100 weights modulo 31.

The category is not personal information. It exists so that organisation
codes are recognised as such: in the exclusive group it ranks right after
the resident ID, so an all-digit code that passes its check is never also
counted as a bank card, and a column of codes is never reported as
identity numbers (values that pass both checks go to whichever category
the rest of the column supports).

## Why it matters

A credit code names a company, government body or other organisation. It
is public registration data, not PI, but telling it apart keeps
organisation tables out of person counts and stops 18-character codes from
being reported as identity numbers or cards.

## Examples

* `91350100M000100Y43`, `91350100m000100y43`
* Rejected: `91350100M000100Y44` (wrong check), `91350100M000100O43`
  (O is not in the alphabet), `90350100M000100Y43` (type digit 0).
* Evidence is masked as `91350100********43`.

## Known false positives

* About one random 18-character string from the alphabet in 31 passes the
  check once the layout rules hold, so a column of random codes with a
  plausible division code will confirm now and then.
* A few early pilot-region codes were issued with check characters that
  fail the computation; they are missed.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Uscc;

impl Uscc {
    fn layout_ok(b: &[u8]) -> bool {
        let authority = b[0].to_ascii_uppercase();
        if !(matches!(authority, b'1'..=b'9' | b'A' | b'N' | b'Y') && matches!(b[1], b'1'..=b'9')) {
            return false;
        }
        match parse_digits(&b[2..8]) {
            Some(division) => {
                let province = division / 10_000;
                province == 10 || is_cn_province_code(province)
            }
            None => false,
        }
    }
}

impl Classifier for Uscc {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::USCC, "统一社会信用代码", "Unified social credit code")
    }

    fn value_pattern(&self) -> Option<&str> {
        Some("[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]{18}")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let b = value.as_bytes();
        (b.len() == 18 && Self::layout_ok(b) && uscc_valid(value)).then_some(1.0)
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        self.confirm(token)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "uscc|tyshxydm|shxydm|xydm|credit_code|social_credit_code|unified_social_credit_code",
            "|tax_id|tax_no|taxpayer_id|nsrsbh|统一社会信用代码|社会信用代码|信用代码|纳税人识别号|税号",
        ))
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(&value.to_ascii_uppercase(), 8, 2)
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::uscc_check_char;

    fn with_check(body: &str) -> String {
        let c = uscc_check_char(body.as_bytes()).unwrap() as char;
        format!("{body}{c}")
    }

    #[test]
    fn accepts_codes() {
        for v in [
            "91350100M000100Y43".to_owned(),
            "91350100m000100y43".to_owned(),
            with_check("91310115MA1K3YJ2X"),
            with_check("12100000400000624"),
            with_check("53440300MJL123456"),
            with_check("Y1110108MB0000001"),
        ] {
            assert_eq!(Uscc.confirm(&v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects_non_codes() {
        for v in [
            "91350100M000100Y44".to_owned(),
            "91350100M000100O43".to_owned(),
            with_check("90350100M000100Y4"), // type digit 0
            with_check("91990100M000100Y4"), // province 99
            with_check("X1350100M000100Y4"), // X is no authority
            "11010519491231002X".to_owned(),
            "9135010".to_owned(),
        ] {
            assert_eq!(Uscc.confirm(&v), None, "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(Uscc.mask("91350100m000100y43"), "91350100********43");
    }
}
