//! Check-digit and date validators shared by the built-in classifiers.
//!
//! All functions are pure, allocation-free and never panic; they return
//! `false`/`None` for malformed input instead.

use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// Luhn (ISO/IEC 7812) check over a string of ASCII digits.
///
/// Returns `false` for an empty string or any non-digit byte.
///
/// ```
/// assert!(classifiers::validate::luhn_valid("79927398713"));
/// assert!(!classifiers::validate::luhn_valid("79927398710"));
/// ```
pub fn luhn_valid(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in bytes.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// Weights of ISO 7064 MOD 11-2 for an 18-character identifier
/// (`2^(17-i) mod 11`).
const MOD11_2_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for `sum mod 11` = 0..=10.
const MOD11_2_CHECK: [u8; 11] = *b"10X98765432";

/// Computes the ISO 7064 MOD 11-2 check character (`b'0'..=b'9'` or `b'X'`)
/// for the first 17 digits of a resident ID. `None` if `body` is not exactly
/// 17 ASCII digits.
pub fn mod11_2_check_char(body: &[u8]) -> Option<u8> {
    if body.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (&b, &w) in body.iter().zip(MOD11_2_WEIGHTS.iter()) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    Some(MOD11_2_CHECK[(sum % 11) as usize])
}

/// Whether an 18-character identifier passes MOD 11-2. A lower-case `x`
/// check character is accepted.
///
/// ```
/// assert!(classifiers::validate::mod11_2_valid("11010519491231002X"));
/// assert!(classifiers::validate::mod11_2_valid("11010519491231002x"));
/// assert!(!classifiers::validate::mod11_2_valid("110105194912310021"));
/// ```
pub fn mod11_2_valid(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 18 {
        return false;
    }
    match mod11_2_check_char(&b[..17]) {
        Some(c) => c == b[17].to_ascii_uppercase(),
        None => false,
    }
}

/// ISO 3779 transliteration of one VIN character; `None` for characters a
/// VIN may not contain (I, O, Q, punctuation). Upper-case input expected.
fn vin_value(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None,
    })
}

const VIN_WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// Computes the ISO 3779 check character (position 9) of a 17-character VIN,
/// ignoring whatever currently sits at position 9. Case-insensitive. `None`
/// if the length is wrong or a character is not allowed in a VIN.
pub fn vin_check_char(vin: &[u8]) -> Option<u8> {
    if vin.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, (&c, &w)) in vin.iter().zip(VIN_WEIGHTS.iter()).enumerate() {
        let v = vin_value(c.to_ascii_uppercase());
        if i == 8 {
            // The check position may hold only a digit or X; its weight is 0.
            if !(c.is_ascii_digit() || c.eq_ignore_ascii_case(&b'X')) {
                return None;
            }
            continue;
        }
        sum += v? * w;
    }
    let r = sum % 11;
    Some(if r == 10 { b'X' } else { b'0' + r as u8 })
}

/// Whether a 17-character VIN has a correct ISO 3779 check digit.
///
/// ```
/// assert!(classifiers::validate::vin_valid("1M8GDM9AXKP042788"));
/// assert!(!classifiers::validate::vin_valid("1M8GDM9A1KP042788"));
/// ```
pub fn vin_valid(vin: &str) -> bool {
    let b = vin.as_bytes();
    match vin_check_char(b) {
        Some(c) => b[8].to_ascii_uppercase() == c,
        None => false,
    }
}

/// Whether `year-month-day` is a real date of the proleptic Gregorian
/// calendar (leap years included).
pub fn is_valid_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let max = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=max).contains(&day)
}

/// Converts days since 1970-01-01 to a civil `(year, month, day)`
/// (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

static TODAY: LazyLock<u32> = LazyLock::new(|| {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| (d.as_secs() / 86_400) as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(days);
    (y.clamp(0, 9999) as u32) * 10_000 + m * 100 + d
});

/// Today's UTC date as `yyyymmdd`, read from the system clock once per
/// process and then fixed.
pub fn today_yyyymmdd() -> u32 {
    *TODAY
}

/// Parses `n` ASCII digits into a number; `None` on any non-digit.
pub(crate) fn parse_digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Whether a two-digit prefix is a province-level code that can start a
/// citizen resident ID (GB/T 2260 regions plus 71 Taiwan, 81 Hong Kong,
/// 82 Macau, 83 Taiwan residence permits).
pub fn is_cn_province_code(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("0"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("4111 1111"));
    }

    #[test]
    fn mod11_2() {
        assert!(mod11_2_valid("11010519491231002X"));
        assert!(mod11_2_valid("440524188001010014"));
        assert!(mod11_2_valid("810000199408230021"));
        assert!(mod11_2_valid("830000199201300022"));
        assert!(!mod11_2_valid("440524188001010015"));
        assert!(!mod11_2_valid("44052418800101001"));
        assert!(!mod11_2_valid("4405241880010100１"));
        assert_eq!(mod11_2_check_char(b"11010519491231002"), Some(b'X'));
        assert_eq!(mod11_2_check_char(b"1101051949123100"), None);
    }

    #[test]
    fn vin() {
        assert_eq!(vin_check_char(b"1M8GDM9A_KP042788"), None);
        assert_eq!(vin_check_char(b"1M8GDM9A0KP042788"), Some(b'X'));
        assert!(vin_valid("1M8GDM9AXKP042788"));
        assert!(vin_valid("1m8gdm9axkp042788"));
        assert!(!vin_valid("1M8GDM9AXKP04278"));
        // I, O, Q are not VIN characters.
        assert!(!vin_valid("1M8GDM9AXKP04278O"));
    }

    #[test]
    fn dates() {
        assert!(is_valid_date(2000, 2, 29));
        assert!(!is_valid_date(1900, 2, 29));
        assert!(is_valid_date(2024, 2, 29));
        assert!(!is_valid_date(2023, 2, 29));
        assert!(!is_valid_date(2023, 2, 30));
        assert!(!is_valid_date(2023, 13, 1));
        assert!(!is_valid_date(2023, 0, 1));
        assert!(!is_valid_date(2023, 4, 31));
        assert!(!is_valid_date(2023, 4, 0));
    }

    #[test]
    fn civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert!(today_yyyymmdd() > 20_240_101);
    }

    #[test]
    fn provinces() {
        for ok in [11, 15, 44, 65, 71, 81, 82, 83] {
            assert!(is_cn_province_code(ok), "{ok}");
        }
        for bad in [0, 10, 16, 20, 24, 55, 66, 70, 84, 91, 99] {
            assert!(!is_cn_province_code(bad), "{bad}");
        }
    }
}
