//! Check-digit algorithms used to make positives valid and negatives invalid.
//!
//! * resident ID: ISO 7064 MOD 11-2 (GB 11643-1999);
//! * VIN: ISO 3779 weighted transliteration sum, check at position 9;
//! * bank card: Luhn (ISO/IEC 7812).
//!
//! Written here on purpose rather than borrowed from `classifiers::validate`: the sample data
//! is the oracle the classifiers are tested against, so its check digits come from a second,
//! independent implementation of the same standards.

/// Weights of positions 1–17 of an 18-digit resident ID (2^(17-i) mod 11).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by `sum mod 11`.
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Characters allowed in a VIN (no I, O or Q).
pub const VIN_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
/// Weights of VIN positions 1–17; position 9 (the check itself) weighs 0.
const VIN_WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// MOD 11-2 check character for the first 17 digits of a resident ID.
///
/// Returns `None` unless `body` is exactly 17 ASCII digits.
pub fn resident_id_check(body: &[u8]) -> Option<char> {
    if body.len() != 17 || !body.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = body
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(char::from(ID_CHECK_CHARS[(sum % 11) as usize]))
}

/// `true` if `id` is 18 characters with a correct MOD 11-2 check
/// (a lower-case `x` is accepted). Does not validate the date or area.
pub fn is_valid_resident_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 18
        && resident_id_check(&b[..17]).is_some_and(|c| b[17].to_ascii_uppercase() == c as u8)
}

/// ISO 3779 transliteration value of one VIN character.
fn vin_value(c: u8) -> Option<u32> {
    let v = match c {
        b'0'..=b'9' => c - b'0',
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
    };
    Some(u32::from(v))
}

/// Check character (`0`–`9` or `X`) for a 17-character VIN.
///
/// The character currently at position 9 is ignored (its weight is 0), so
/// this can be called on a VIN with a placeholder there.
pub fn vin_check(vin: &[u8]) -> Option<char> {
    if vin.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (i, (&c, w)) in vin.iter().zip(VIN_WEIGHTS).enumerate() {
        if i == 8 {
            // The check position only has to be a legal character.
            if c != b'X' && !c.is_ascii_digit() && vin_value(c).is_none() {
                return None;
            }
            continue;
        }
        sum += vin_value(c)? * w;
    }
    Some(match sum % 11 {
        10 => 'X',
        r => char::from(b'0' + r as u8),
    })
}

/// `true` if `vin` is 17 VIN characters with the right check at position 9.
pub fn is_valid_vin(vin: &str) -> bool {
    let b = vin.as_bytes();
    b.len() == 17 && vin_check(b).is_some_and(|c| b[8] == c as u8)
}

/// Luhn sum of a digit string where the right-most digit is *not* doubled.
fn luhn_sum(digits: &[u8]) -> Option<u32> {
    let mut sum = 0;
    for (i, &d) in digits.iter().rev().enumerate() {
        if !d.is_ascii_digit() {
            return None;
        }
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    Some(sum)
}

/// The digit to append to `payload` so that the result passes Luhn.
pub fn luhn_check_digit(payload: &[u8]) -> Option<char> {
    // Appending a digit shifts every payload digit one place left, so the
    // payload's right-most digit becomes a doubled one: sum with a dummy 0.
    let mut padded = payload.to_vec();
    padded.push(b'0');
    let sum = luhn_sum(&padded)?;
    Some(char::from(b'0' + ((10 - sum % 10) % 10) as u8))
}

/// `true` if `s` is a non-empty run of ASCII digits passing Luhn.
pub fn is_luhn_valid(s: &str) -> bool {
    !s.is_empty() && luhn_sum(s.as_bytes()).is_some_and(|sum| sum % 10 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_id_reference_vectors() {
        assert!(is_valid_resident_id("11010519491231002X"));
        assert!(is_valid_resident_id("11010519491231002x"));
        assert!(is_valid_resident_id("440524188001010014"));
        assert_eq!(resident_id_check(b"11010519491231002"), Some('X'));
        assert_eq!(resident_id_check(b"44052418800101001"), Some('4'));
    }

    #[test]
    fn resident_id_rejects_bad_input() {
        assert!(!is_valid_resident_id("110105194912310021"));
        assert!(!is_valid_resident_id("440524188001010015"));
        assert!(!is_valid_resident_id("44052418800101001"));
        assert!(!is_valid_resident_id("4405241880010100144"));
        assert_eq!(resident_id_check(b"4405241880010100A"), None);
    }

    #[test]
    fn vin_reference_vector() {
        assert_eq!(vin_check(b"1M8GDM9AXKP042788"), Some('X'));
        assert!(is_valid_vin("1M8GDM9AXKP042788"));
        assert!(!is_valid_vin("1M8GDM9A1KP042788"));
        // I, O and Q are not VIN characters.
        assert!(!is_valid_vin("1M8GDM9AXKO042788"));
        assert!(!is_valid_vin("1M8GDM9AXKP04278"));
    }

    #[test]
    fn luhn_reference_vectors() {
        assert!(is_luhn_valid("4111111111111111"));
        assert!(!is_luhn_valid("4111111111111112"));
        assert!(!is_luhn_valid(""));
        assert!(!is_luhn_valid("4111 1111 1111 1111"));
        assert_eq!(luhn_check_digit(b"411111111111111"), Some('1'));
        assert_eq!(luhn_check_digit(b"7992739871"), Some('3'));
    }
}
