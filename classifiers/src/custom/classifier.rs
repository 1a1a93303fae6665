//! The compiled classifier: a regex and/or dictionary, an optional check,
//! column hints and a masking mode, behind the [`Classifier`] trait.

use std::fmt;

use aho_corasick::{AhoCorasick, Anchored, Input};
use regex::Regex;

use crate::validate::{luhn_valid, uscc_valid, vin_valid};
use crate::{CategoryId, CategoryInfo, Classifier, PersonKeyBuf, ResidentId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Validator {
    Luhn,
    Gb11643,
    Iso3779,
    Gb32100,
}

impl Validator {
    pub(super) fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "luhn" => Validator::Luhn,
            "gb11643" => Validator::Gb11643,
            "iso3779" => Validator::Iso3779,
            "gb32100" => Validator::Gb32100,
            _ => return None,
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Validator::Luhn => "luhn",
            Validator::Gb11643 => "gb11643",
            Validator::Iso3779 => "iso3779",
            Validator::Gb32100 => "gb32100",
        }
    }

    pub(super) fn check(self, s: &str) -> bool {
        match self {
            Validator::Luhn => luhn_valid(s),
            // Reuse the built-in so the two never disagree on what a valid
            // resident ID is (check character, province, birth date).
            Validator::Gb11643 => ResidentId.confirm(s).is_some(),
            Validator::Iso3779 => vin_valid(s),
            Validator::Gb32100 => uscc_valid(s),
        }
    }

    pub(super) fn describe(self) -> &'static str {
        match self {
            Validator::Luhn => "the Luhn (ISO/IEC 7812) check digit",
            Validator::Gb11643 => {
                "the GB 11643 resident-ID rules (MOD 11-2 check, region, birth date)"
            }
            Validator::Iso3779 => "the ISO 3779 VIN check character",
            Validator::Gb32100 => "the GB 32100 unified social credit code check character",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MaskMode {
    HeadTail,
    Head,
    Tail,
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MatchMode {
    Equals,
    Contains,
}

/// A classifier built from one `[[classifier]]` table.
pub(super) struct CustomClassifier {
    pub(super) info: CategoryInfo,
    /// `identifies_person = true`: each value names one person, so persons are counted by it.
    pub(super) identifies_person: bool,
    pub(super) ignore_case: bool,
    pub(super) prefilter: String,
    /// Anchored copy of the user's regex, used by `confirm` to tell regex
    /// hits from dictionary hits and to extract the `validate` group.
    pub(super) regex: Option<Regex>,
    pub(super) validate_group: bool,
    pub(super) validator: Option<Validator>,
    pub(super) dictionary: Option<(AhoCorasick, MatchMode)>,
    pub(super) hint: Option<String>,
    pub(super) min_ratio: (f64, f64),
    pub(super) mask: MaskMode,
    pub(super) mask_keep: usize,
    pub(super) free_text: bool,
    pub(super) docs: String,
}

impl fmt::Debug for CustomClassifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomClassifier")
            .field("id", &self.info.id)
            .finish_non_exhaustive()
    }
}

impl CustomClassifier {
    fn regex_hit(&self, value: &str) -> bool {
        let Some(re) = &self.regex else {
            return false;
        };
        let Some(validator) = self.validator else {
            return re.is_match(value);
        };
        let Some(caps) = re.captures(value) else {
            return false;
        };
        match caps.name("validate").filter(|_| self.validate_group) {
            Some(m) => validator.check(m.as_str()),
            None => {
                let compact: String = value.chars().filter(|&c| c != ' ' && c != '-').collect();
                validator.check(&compact)
            }
        }
    }

    fn dictionary_hit(&self, value: &str) -> bool {
        let Some((ac, mode)) = &self.dictionary else {
            return false;
        };
        match mode {
            MatchMode::Contains => ac.is_match(value),
            // Leftmost-longest from the start: the longest entry that is a
            // prefix of the value covers all of it iff the value is an entry.
            MatchMode::Equals => ac
                .find(Input::new(value).anchored(Anchored::Yes))
                .is_some_and(|m| m.end() == value.len()),
        }
    }
}

impl Classifier for CustomClassifier {
    fn id(&self) -> CategoryId {
        self.info.id.clone()
    }

    fn info(&self) -> CategoryInfo {
        self.info.clone()
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(&self.prefilter)
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        (self.regex_hit(value) || self.dictionary_hit(value)).then_some(1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    fn confirms_free_text(&self) -> bool {
        self.free_text
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        if self.free_text {
            self.confirm(token)
        } else {
            None
        }
    }

    fn min_ratio(&self) -> (f64, f64) {
        self.min_ratio
    }

    fn mask(&self, value: &str) -> String {
        mask(value, self.mask, self.mask_keep)
    }

    fn docs(&self) -> &str {
        &self.docs
    }

    fn identifies_person(&self) -> bool {
        self.identifies_person
    }

    /// The value as the classifier accepts it, with spaces and hyphens dropped, full-width
    /// ASCII made half-width and, under `ignore_case`, ASCII upper-cased: `EMP-000 123` and
    /// `EMP000123` are one person.
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        let value = value.trim();
        if !self.identifies_person || self.confirm(value).is_none() {
            return false;
        }
        out.clear();
        let mut utf8 = [0u8; 4];
        for c in value.chars() {
            let c = match u32::from(c) {
                0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            if matches!(c, ' ' | '-' | '\u{3000}') {
                continue;
            }
            let c = if self.ignore_case {
                c.to_ascii_uppercase()
            } else {
                c
            };
            if !out.extend(c.encode_utf8(&mut utf8).as_bytes()) {
                return false;
            }
        }
        !out.as_bytes().is_empty()
    }
}

/// Masks `value`, revealing at most `keep` characters on the chosen side(s)
/// and never more than `(n - 1) / 2` of its `n` characters, so evidence can
/// never be (or nearly be) the whole identifier, whatever the configuration.
pub(super) fn mask(value: &str, mode: MaskMode, keep: usize) -> String {
    let n = value.chars().count();
    let budget = (n.saturating_sub(1)) / 2;
    let (mut head, mut tail) = match mode {
        MaskMode::HeadTail => (keep, keep),
        MaskMode::Head => (keep, 0),
        MaskMode::Tail => (0, keep),
        MaskMode::Full => (0, 0),
    };
    // Reveal at most (n-1)/2 characters, trimming the larger side first
    // (the tail on a tie, since the head is usually the more generic part).
    while head + tail > budget {
        if tail >= head {
            tail -= 1;
        } else {
            head -= 1;
        }
    }
    crate::builtin::keep_ends(value, n, head, tail)
}
