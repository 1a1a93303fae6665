//! Canonical forms of identifiers, so that formatting variants of one value
//! produce one key.

use classifiers::validate::{
    is_cn_province_code, is_valid_date, mod11_2_check_char, today_yyyymmdd,
};

use crate::IdentifierKind;

/// Longest normalised value accepted (an e-mail address may not exceed 254
/// octets, RFC 5321); longer input is rejected.
pub(crate) const MAX_LEN: usize = 254;

/// A fixed stack buffer that holds one normalised value, so the hot path
/// (normalise, then hash) does not touch the heap.
pub(crate) struct Buf {
    bytes: [u8; MAX_LEN],
    len: usize,
}

impl Buf {
    pub(crate) fn new() -> Self {
        Buf {
            bytes: [0; MAX_LEN],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) -> bool {
        if self.len == MAX_LEN {
            return false;
        }
        self.bytes[self.len] = b;
        self.len += 1;
        true
    }

    fn extend(&mut self, s: &[u8]) -> bool {
        s.iter().all(|&b| self.push(b))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Drop for Buf {
    fn drop(&mut self) {
        // Best effort: do not leave the identifier behind on the stack.
        // black_box keeps the compiler from dropping the dead store.
        self.bytes[..self.len].fill(0);
        std::hint::black_box(&self.bytes);
    }
}

/// Returns the canonical form of `raw` as an identifier of `kind`, or `None`
/// when the value is not a valid identifier of that kind (and so is not
/// evidence of a person).
///
/// | kind | canonical form | rejected when |
/// | --- | --- | --- |
/// | resident ID | 18 characters, check character upper-case `X`; a 15-digit ID is up-converted (`19` inserted into the year, MOD 11-2 check appended) | wrong length, non-digits, bad check character, unknown province prefix, impossible birth date, birth year before 1900 or birth date after today |
/// | mobile | 11 digits `1[3-9]xxxxxxxxx`; `+86`, `0086`, `86` and `17951` prefixes, spaces, hyphens, dots and brackets removed | anything else, including other country codes |
/// | e-mail | trimmed, ASCII letters lower-cased | not `local@domain.tld`, whitespace inside, over 254 bytes |
/// | passport, travel permit | upper-case, spaces and hyphens removed; a Hong Kong/Macau permit `H`/`M` + 10 digits keeps its first 9 characters (the last two count renewals of the same holder's card) | characters other than letters, digits, `.`, `(`, `)`; fewer than 5 digits; length outside 6..=20 |
///
/// ```
/// use persons::{normalize, IdentifierKind};
/// assert_eq!(
///     normalize(IdentifierKind::MobilePhone, "+86 138-0013-8000").as_deref(),
///     Some("13800138000")
/// );
/// assert_eq!(normalize(IdentifierKind::Email, "  A.Person@Example.COM ").as_deref(), Some("a.person@example.com"));
/// assert_eq!(normalize(IdentifierKind::MobilePhone, "12345"), None);
/// ```
pub fn normalize(kind: IdentifierKind, raw: &str) -> Option<String> {
    let mut buf = Buf::new();
    if !normalize_into(kind, raw, &mut buf) {
        return None;
    }
    // Every branch copies either ASCII bytes or whole UTF-8 sequences.
    String::from_utf8(buf.as_bytes().to_vec()).ok()
}

/// Writes the canonical form into `out`; `false` if `raw` is invalid.
pub(crate) fn normalize_into(kind: IdentifierKind, raw: &str, out: &mut Buf) -> bool {
    match kind {
        IdentifierKind::CnResidentId => resident_id(raw, out),
        IdentifierKind::MobilePhone => mobile(raw, out),
        IdentifierKind::Email => email(raw, out),
        IdentifierKind::Passport | IdentifierKind::TravelPermit => document(kind, raw, out),
    }
}

fn digits_value(b: &[u8]) -> u32 {
    b.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0'))
}

fn resident_id(raw: &str, out: &mut Buf) -> bool {
    let mut b = [0u8; 18];
    let mut n = 0;
    for c in raw.bytes() {
        if c.is_ascii_whitespace() || c == b'-' {
            continue;
        }
        if n == b.len() {
            return false;
        }
        b[n] = c;
        n += 1;
    }
    let id: [u8; 18] = match n {
        18 => {
            b[17] = b[17].to_ascii_uppercase();
            b
        }
        15 => {
            let mut id = [0u8; 18];
            id[..6].copy_from_slice(&b[..6]);
            id[6..8].copy_from_slice(b"19");
            id[8..17].copy_from_slice(&b[6..15]);
            match mod11_2_check_char(&id[..17]) {
                Some(c) => id[17] = c,
                None => return false,
            }
            id
        }
        _ => return false,
    };
    // Validates that the first 17 bytes are digits, too.
    if mod11_2_check_char(&id[..17]) != Some(id[17]) {
        return false;
    }
    if !is_cn_province_code(digits_value(&id[..2])) {
        return false;
    }
    let (y, m, d) = (
        digits_value(&id[6..10]),
        digits_value(&id[10..12]),
        digits_value(&id[12..14]),
    );
    if y < 1900 || !is_valid_date(y, m, d) || y * 10_000 + m * 100 + d > today_yyyymmdd() {
        return false;
    }
    out.extend(&id)
}

fn mobile(raw: &str, out: &mut Buf) -> bool {
    let mut d = [0u8; 20];
    let mut n = 0;
    let mut plus = false;
    for c in raw.bytes() {
        match c {
            b'0'..=b'9' => {
                if n == d.len() {
                    return false;
                }
                d[n] = c;
                n += 1;
            }
            b'+' if n == 0 && !plus => plus = true,
            b' ' | b'\t' | b'-' | b'.' | b'(' | b')' => {}
            _ => return false,
        }
    }
    let digits = &d[..n];
    let national = if plus {
        match digits.strip_prefix(b"86") {
            Some(rest) => rest,
            None => return false,
        }
    } else {
        match n {
            15 => digits.strip_prefix(b"0086").unwrap_or(digits),
            13 => digits.strip_prefix(b"86").unwrap_or(digits),
            16 => digits.strip_prefix(b"17951").unwrap_or(digits),
            _ => digits,
        }
    };
    if national.len() != 11 || national[0] != b'1' || !(b'3'..=b'9').contains(&national[1]) {
        return false;
    }
    out.extend(national)
}

fn email(raw: &str, out: &mut Buf) -> bool {
    let s = raw.trim();
    if s.is_empty() || s.len() > MAX_LEN {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let bad = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '@' | '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '"' | '\\'
            )
    };
    if local.is_empty() || local.len() > 64 || local.chars().any(bad) || domain.chars().any(bad) {
        return false;
    }
    let mut labels = 0;
    for label in domain.split('.') {
        if label.is_empty() || label.starts_with('-') || label.ends_with('-') {
            return false;
        }
        labels += 1;
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if labels < 2 || tld.chars().count() < 2 || tld.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    s.bytes().all(|b| out.push(b.to_ascii_lowercase()))
}

fn document(kind: IdentifierKind, raw: &str, out: &mut Buf) -> bool {
    let mut b = [0u8; 20];
    let mut n = 0;
    for c in raw.bytes() {
        let c = match c {
            b' ' | b'\t' | b'-' => continue,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'(' | b')' => c.to_ascii_uppercase(),
            _ => return false,
        };
        if n == b.len() {
            return false;
        }
        b[n] = c;
        n += 1;
    }
    let mut id = &b[..n];
    if !(6..=20).contains(&id.len()) || id.iter().filter(|c| c.is_ascii_digit()).count() < 5 {
        return false;
    }
    // 港澳居民来往内地通行证: H/M + 8-digit lifetime number + 2-digit renewal
    // counter. The first 9 characters identify the holder across renewals.
    if kind == IdentifierKind::TravelPermit
        && id.len() == 11
        && matches!(id[0], b'H' | b'M')
        && id[1..].iter().all(u8::is_ascii_digit)
    {
        id = &id[..9];
    }
    out.extend(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdentifierKind::*;

    /// Builds a synthetic 18-digit ID with a correct check character.
    fn id18(body17: &str) -> String {
        let c = mod11_2_check_char(body17.as_bytes()).unwrap();
        format!("{body17}{}", c as char)
    }

    fn n(kind: IdentifierKind, raw: &str) -> Option<String> {
        normalize(kind, raw)
    }

    #[test]
    fn resident_ids() {
        // Synthetic: Beijing prefix, 1985-03-07, sequence 123.
        let id = id18("11010119850307123");
        assert_eq!(n(CnResidentId, &id).as_deref(), Some(id.as_str()));
        assert_eq!(
            n(CnResidentId, &format!(" {id} ")).as_deref(),
            Some(id.as_str())
        );

        // A lower-case x check character is upper-cased.
        let x = "11010519491231002X";
        assert_eq!(n(CnResidentId, "11010519491231002x").as_deref(), Some(x));

        // 15 → 18: 110101 850307 123 becomes 110101 19850307 123 + check.
        assert_eq!(
            n(CnResidentId, "110101850307123").as_deref(),
            Some(id.as_str())
        );

        // Wrong check character.
        let mut bad = id.clone().into_bytes();
        bad[17] = if bad[17] == b'0' { b'1' } else { b'0' };
        assert_eq!(n(CnResidentId, std::str::from_utf8(&bad).unwrap()), None);
        // Unknown province 99, impossible date (Feb 30), future date, pre-1900.
        assert_eq!(n(CnResidentId, &id18("99010119850307123")), None);
        assert_eq!(n(CnResidentId, &id18("11010119850230123")), None);
        assert_eq!(n(CnResidentId, &id18("11010129990101123")), None);
        assert_eq!(n(CnResidentId, &id18("11010118991231123")), None);
        assert_eq!(n(CnResidentId, "110101850230123"), None);
        // Wrong lengths and junk.
        assert_eq!(n(CnResidentId, "1101011985030712"), None);
        assert_eq!(n(CnResidentId, ""), None);
        assert_eq!(n(CnResidentId, "11010119850307123A"), None);
        // Residence permits for HK/Macau/Taiwan residents (synthetic).
        let hk = id18("81000019900101002");
        assert_eq!(n(CnResidentId, &hk).as_deref(), Some(hk.as_str()));
    }

    #[test]
    fn mobiles() {
        let want = Some("13800138000".to_string());
        for raw in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138-0013-8000",
            "+8613800138000",
            "(+86) 138 0013 8000",
            "008613800138000",
            "8613800138000",
            "86-138-0013-8000",
            "1795113800138000",
        ] {
            assert_eq!(n(MobilePhone, raw), want, "{raw}");
        }
        for raw in [
            "12800138000",
            "1380013800",
            "138001380001",
            "+1 138 0013 8000",
            "+44 13800138000",
            "1380013800O",
            "138/0013/8000",
            "",
            "+",
            "++8613800138000",
        ] {
            assert_eq!(n(MobilePhone, raw), None, "{raw}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            n(Email, " Zhang.San@Example.CN\n").as_deref(),
            Some("zhang.san@example.cn")
        );
        assert_eq!(
            n(Email, "测试@例子.中国").as_deref(),
            Some("测试@例子.中国")
        );
        for raw in [
            "",
            "no-at-sign",
            "@example.com",
            "a@",
            "a@b",
            "a@b.c",
            "a@@b.com",
            "a b@example.com",
            "a@exa mple.com",
            "a@.example.com",
            "a@example..com",
            "a@-x.com",
            "a@10.0.0.1",
        ] {
            assert_eq!(n(Email, raw), None, "{raw}");
        }
        assert_eq!(n(Email, &format!("{}@example.com", "a".repeat(65))), None);
    }

    #[test]
    fn documents() {
        assert_eq!(n(Passport, "ea 123 4567").as_deref(), Some("EA1234567"));
        assert_eq!(n(Passport, "E12345678").as_deref(), Some("E12345678"));
        assert_eq!(n(Passport, "P.1234567").as_deref(), Some("P.1234567"));
        assert_eq!(
            n(TravelPermit, "0561682001(D)").as_deref(),
            Some("0561682001(D)")
        );
        // HK/Macau permits: renewal counter dropped, same holder.
        assert_eq!(n(TravelPermit, "H1234567801").as_deref(), Some("H12345678"));
        assert_eq!(
            n(TravelPermit, "h 12345678 02").as_deref(),
            Some("H12345678")
        );
        assert_eq!(n(TravelPermit, "H12345678").as_deref(), Some("H12345678"));
        // A passport is not a travel permit: no truncation there.
        assert_eq!(n(Passport, "H1234567801").as_deref(), Some("H1234567801"));
        for raw in [
            "",
            "EA12",
            "ABCDEFGH",
            "EA1234567/",
            "E1234567890123456789012",
            "护照E1234567",
        ] {
            assert_eq!(n(Passport, raw), None, "{raw}");
        }
    }
}
