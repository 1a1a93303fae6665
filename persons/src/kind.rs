//! The identifier kinds that are counted as persons.

use serde::{Deserialize, Serialize};

/// A kind of identifier that points at one natural person.
///
/// Each variant maps to a classifier category id (see
/// [`as_category_id`](Self::as_category_id)); that id is also the name used
/// in serialised output. Licence plates, VINs, IMEIs and similar identify
/// things, not people, and are deliberately absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IdentifierKind {
    /// Resident ID number (公民身份号码), 18 characters after normalisation.
    #[serde(rename = "pi.cn_resident_id")]
    CnResidentId,
    /// Passport number.
    #[serde(rename = "pi.passport")]
    Passport,
    /// Travel permit number (港澳/台湾 通行证).
    #[serde(rename = "pi.travel_permit")]
    TravelPermit,
    /// Mainland mobile number, 11 digits after normalisation.
    #[serde(rename = "pi.mobile_phone")]
    MobilePhone,
    /// E-mail address, lower-cased after normalisation.
    #[serde(rename = "pi.email")]
    Email,
}

impl IdentifierKind {
    /// Every kind, in a fixed order.
    pub const ALL: [IdentifierKind; 5] = [
        IdentifierKind::CnResidentId,
        IdentifierKind::Passport,
        IdentifierKind::TravelPermit,
        IdentifierKind::MobilePhone,
        IdentifierKind::Email,
    ];

    /// Looks a kind up by its classifier category id, e.g. `pi.mobile_phone`.
    /// `None` for categories that are not person identifiers.
    pub fn from_category_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_category_id() == id)
    }

    /// The classifier category id of this kind.
    pub fn as_category_id(self) -> &'static str {
        match self {
            IdentifierKind::CnResidentId => "pi.cn_resident_id",
            IdentifierKind::Passport => "pi.passport",
            IdentifierKind::TravelPermit => "pi.travel_permit",
            IdentifierKind::MobilePhone => "pi.mobile_phone",
            IdentifierKind::Email => "pi.email",
        }
    }

    /// Position in [`ALL`](Self::ALL), used to index per-kind arrays.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Stable 4-bit tag, 1..=5, stored in [`PersonKey`](crate::PersonKey)s and
    /// serialised sketches. Never reuse or renumber a tag.
    pub(crate) fn tag(self) -> u8 {
        self as u8 + 1
    }

    /// Inverse of [`tag`](Self::tag).
    pub(crate) fn from_tag(tag: u8) -> Option<Self> {
        Self::ALL.get(usize::from(tag).checked_sub(1)?).copied()
    }
}

impl std::fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_category_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids_round_trip() {
        for k in IdentifierKind::ALL {
            assert_eq!(
                IdentifierKind::from_category_id(k.as_category_id()),
                Some(k)
            );
            assert_eq!(IdentifierKind::from_tag(k.tag()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_category_id()));
        }
        assert_eq!(IdentifierKind::from_category_id("vehicle.plate"), None);
        assert_eq!(IdentifierKind::from_tag(0), None);
        assert_eq!(IdentifierKind::from_tag(6), None);
    }
}
