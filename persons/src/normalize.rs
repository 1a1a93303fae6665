//! Canonical forms of identifiers, so that formatting variants of one value
//! produce one key.
//!
//! The forms are defined by the identifiers' classifiers
//! ([`Classifier::person_key`]), so a value the scan reports as a resident ID
//! is always counted as one, and the other way round.

use classifiers::Classifier;

use crate::IdentifierKind;

/// The stack buffer one normalised value is written into, zeroed on drop,
/// so the hot path (normalise, then hash) does not touch the heap.
pub(crate) use classifiers::PersonKeyBuf as Buf;

/// Returns the canonical form of `raw` as an identifier of `kind`, or `None`
/// when the value is not a valid identifier of that kind (and so is not
/// evidence of a person).
///
/// | kind | canonical form | rejected when |
/// | --- | --- | --- |
/// | resident ID | 18 characters, check character upper-case `X`; a 15-digit ID is up-converted (`19` inserted into the year, MOD 11-2 check appended); 9-prefixed foreign permanent-resident IDs as they are | whatever the resident-ID classifier rejects: wrong length, non-digits, bad check character, unknown province prefix, impossible birth date, birth year before 1900 or birth date after today |
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
/// A custom identifier has no built-in form: its keys come from
/// [`PersonKeyer::key_custom`](crate::PersonKeyer::key_custom) and its own classifier.
pub(crate) fn normalize_into(kind: IdentifierKind, raw: &str, out: &mut Buf) -> bool {
    classifier_of(kind).is_some_and(|c| c.person_key_into(raw, out))
}

/// The built-in classifier of each identifier kind: its
/// [`person_key`](Classifier::person_key) is the canonical form.
fn classifier_of(kind: IdentifierKind) -> Option<&'static dyn Classifier> {
    Some(match kind {
        IdentifierKind::CnResidentId => &classifiers::ResidentId,
        IdentifierKind::MobilePhone => &classifiers::MobilePhone,
        IdentifierKind::Email => &classifiers::EmailAddress,
        IdentifierKind::Passport => &classifiers::Passport,
        IdentifierKind::TravelPermit => &classifiers::TravelPermit,
        IdentifierKind::Custom => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use classifiers::validate::mod11_2_check_char;
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

    /// 外国人永久居留身份证 (2023 form): `9`, the accepting province (31),
    /// a nationality code, the birth date, a sequence and the GB 11643 check.
    /// The classifier reports these as resident IDs, so they are persons.
    #[test]
    fn foreign_permanent_resident_ids_are_persons() {
        let id = id18("93115619880808001");
        assert_eq!(n(CnResidentId, &id).as_deref(), Some(id.as_str()));
        assert!(classifiers::ResidentId.confirm(&id).is_some());
        let mut bad = id.into_bytes();
        bad[17] = if bad[17] == b'0' { b'1' } else { b'0' };
        assert_eq!(n(CnResidentId, std::str::from_utf8(&bad).unwrap()), None);
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
