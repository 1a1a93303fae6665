use crate::builtin::{mask_middle, strip_digit_groups};
use crate::validate::{all_digits, luhn_valid_bytes};
use crate::{ids, CategoryInfo, Classifier, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Bank card number (银行卡号).

## What it detects

Payment card numbers of 16 to 19 digits, written together or in groups
separated by single spaces or hyphens. A number that passes the Luhn check
(ISO/IEC 7812) confirms with weight 1.0. A UnionPay-style number that
starts with `62` and has a valid length but fails Luhn confirms with weight
0.5, because some older domestic cards were issued without a valid check
digit.

The number must also start like a payment card: with 3, 4, 5, 6 or 9 (the
ISO/IEC 7812 industry identifiers used for banking and national schemes),
with `81` (the range UnionPay issues newer cards from, Luhn-valid only), or
in the Mastercard 2-series range 2221–2720. This keeps 18-digit order
numbers that start with a year (`2024…`) out.

Inside free text only Luhn-valid numbers are found.

Because about one random digit string in ten passes Luhn, a column needs
80 % of its values to confirm (50 % when the column name suggests a card).

## Why it matters

Bank and payment accounts are financial-account information, which PIPL
Art. 28 lists as sensitive personal information: processing needs separate
consent and stronger protection, and volumes count towards the lower
sensitive-PI thresholds for export assessments.

## Examples

* `6222021234567890128`, `6222 0212 3456 7890 128`, `4111-1111-1111-1111`,
  a Luhn-valid `81…` UnionPay number of 16 to 19 digits
* `6222021234567890123` (62 prefix, fails Luhn): weight 0.5.
* Rejected: `4111111111111112` (fails Luhn, no 62 prefix),
  `411111111111111` (15 digits).
* Evidence is masked as `622202*********0128`.

## Known false positives

* Any Luhn-valid 16–19 digit identifier, such as some order, waybill or
  device numbers (IMEI is 15 digits and does not collide).
* An 18-digit resident ID can pass Luhn; such values are claimed by the
  resident-ID classifier first and are not counted here.
"#
    };
}

/// Whether the first digits can start a payment card: major industry
/// identifier 3–6 (travel and entertainment, banking, merchandising and
/// banking) or 9 (national use, e.g. older domestic `95…` cards), UnionPay's
/// `81` range (industry 8 otherwise means healthcare and telecoms, so only
/// `81` is let in), or the Mastercard 2-series range 2221–2720.
fn plausible_iin(d: &[u8]) -> bool {
    match d.first() {
        Some(b'3'..=b'6' | b'9') => true,
        Some(b'8') => d.get(1) == Some(&b'1'),
        Some(b'2') => {
            let p = d
                .iter()
                .take(4)
                .fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
            d.len() >= 4 && (2221..=2720).contains(&p)
        }
        _ => false,
    }
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct BankCard;

impl BankCard {
    /// The digits of a well-formed card number, or `None`. On the stack:
    /// this runs for every candidate value.
    fn digits<'b>(value: &'b str, buf: &'b mut [u8; 19]) -> Option<&'b [u8]> {
        let v = value.as_bytes();
        if (16..=19).contains(&v.len()) && all_digits(v) {
            return Some(v); // written together (most values): nothing to strip
        }
        let n = strip_digit_groups(value, buf).filter(|n| (16..=19).contains(n))?;
        Some(&buf[..n])
    }
}

impl Classifier for BankCard {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::BANK_CARD, "银行卡号", "Bank card number")
            .sensitive("个人财产信息")
            .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some("[0-9](?:[ -]?[0-9]){15,18}")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        // The issuer test first, on the value's first four bytes when they
        // are digits (they then lead the number however it is grouped, and
        // the test reads no more): resident IDs and order numbers that
        // start with `1` or a year are turned away before their digits are.
        let head = value.as_bytes().get(..4);
        if head.is_some_and(|h| h.iter().all(u8::is_ascii_digit) && !plausible_iin(h)) {
            return None;
        }
        let mut buf = [0u8; 19];
        let digits = Self::digits(value, &mut buf)?;
        if !plausible_iin(digits) {
            return None;
        }
        if luhn_valid_bytes(digits) {
            Some(1.0)
        } else if digits.starts_with(b"62") {
            Some(0.5)
        } else {
            None
        }
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        // In prose only Luhn-valid numbers count.
        self.confirm(token).filter(|&w| w >= 1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "yhk|yhkh|yhzh|kahao|card_?no|card_num|card_number|bank_card(?:_no)?",
            "|bank_account(?:_no)?|bank_acct|account_no|acct_no|pan",
            "|银行卡|卡号|银行账号|银行账户",
        ))
    }

    fn min_ratio(&self) -> (f64, f64) {
        (0.8, 0.5)
    }

    fn mask(&self, value: &str) -> String {
        let mut buf = [0u8; 19];
        match Self::digits(value, &mut buf).map(std::str::from_utf8) {
            Some(Ok(d)) => mask_middle(d, 6, 4),
            _ => mask_middle(value, 6, 4),
        }
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::luhn_valid;

    /// The issuer test reads the first four digits at most, so `confirm`
    /// may run it on a value's first four bytes alone.
    #[test]
    fn issuer_test_reads_four_digits() {
        for head in 0..10_000 {
            let head = format!("{head:04}");
            for tail in ["000000000000", "987654321098765"] {
                let number = format!("{head}{tail}");
                assert_eq!(
                    plausible_iin(head.as_bytes()),
                    plausible_iin(number.as_bytes()),
                    "{number}"
                );
                if !plausible_iin(head.as_bytes()) {
                    assert_eq!(BankCard.confirm(&number), None, "{number}");
                }
                // Written in groups, the same number gets the same answer.
                let grouped = format!("{head} {} {}", &tail[..4], &tail[4..]);
                assert_eq!(
                    BankCard.confirm(&grouped),
                    BankCard.confirm(&number),
                    "{grouped}"
                );
            }
        }
    }

    /// Appends the Luhn check digit to `body`.
    fn with_luhn(body: &str) -> String {
        (0..10)
            .map(|d| format!("{body}{d}"))
            .find(|s| luhn_valid(s))
            .unwrap()
    }

    #[test]
    fn accepts_luhn_valid_cards() {
        let c19 = with_luhn("622202123456789012");
        assert_eq!(c19.len(), 19);
        let c16 = with_luhn("622848001234567");
        for v in [
            c19.clone(),
            c16.clone(),
            "4111111111111111".to_owned(),
            "4111-1111-1111-1111".to_owned(),
            format!(
                "{} {} {} {}",
                &c16[..4],
                &c16[4..8],
                &c16[8..12],
                &c16[12..]
            ),
        ] {
            assert_eq!(BankCard.confirm(&v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn unionpay_81_range() {
        for body in ["810012345678901", "8112345678901234", "811234567890123456"] {
            let card = with_luhn(body);
            assert_eq!(BankCard.confirm(&card), Some(1.0), "{card}");
            assert_eq!(BankCard.confirm_free_text(&card), Some(1.0), "{card}");
            // One digit off fails Luhn; 81 gets no 0.5 fallback as 62 does.
            let last = card.as_bytes()[card.len() - 1] - b'0';
            let bad = format!("{}{}", &card[..card.len() - 1], (last + 1) % 10);
            assert_eq!(BankCard.confirm(&bad), None, "{bad}");
        }
    }

    #[test]
    fn unionpay_prefix_without_luhn_is_half() {
        let good = with_luhn("622202123456789012");
        let last = good.as_bytes()[18] - b'0';
        let bad = format!("{}{}", &good[..18], (last + 1) % 10);
        assert!(!luhn_valid(&bad));
        assert_eq!(BankCard.confirm(&bad), Some(0.5));
    }

    #[test]
    fn rejects_non_cards() {
        for v in [
            "4111111111111112",     // fails Luhn, not 62
            "411111111111111",      // 15 digits
            "41111111111111111111", // 20 digits
            "4111  1111 1111 1111", // double separator
            "4111 1111 1111 111a",
            "6222021234567",       // 13 digits
            "2024050112345678908", // Luhn-valid, starts with a year
            "1234567812345670",    // Luhn-valid, industry identifier 1
            "8012345678901234566", // industry 8 outside UnionPay's 81
        ] {
            assert_eq!(BankCard.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn masks() {
        let c = with_luhn("622202123456789012");
        let m = BankCard.mask(&c);
        assert_eq!(m, format!("622202*********{}", &c[15..]));
        assert!(!m.contains(&c[6..15]));
        assert_eq!(BankCard.mask("4111 1111 1111 1111"), "411111******1111");
    }
}
