//! Patterns of the form "a run of allowed characters with one of a few
//! marker characters in it" (`[^\n]*[省市区路号…][^\n]*`), decided by a
//! byte test and a multi-substring search instead of a DFA walk.
//!
//! A value matches `R*SR*` exactly when all its characters are in `R` and
//! one of them is in `S` (given `S ⊆ R`): the first marker splits it into
//! the three parts. When `R` leaves out ASCII characters only and `S` is a
//! set of characters below U+10000, both take one pass over the value's
//! characters with a table lookup each. Such patterns are free-form, so neither the position tables
//! nor the dispatch narrow them much, and their DFA would walk every byte of
//! every long Han value.

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind, Look};

/// Marker characters looked up in a table of this many bits (the Basic
/// Multilingual Plane); a marker beyond keeps the pattern's DFA.
const MARKER_BITS: usize = 0x10000;

/// [`Contains::ascii`]: an ASCII character outside `R`.
const EXCLUDED: u8 = 1;
/// [`Contains::ascii`]: an ASCII marker.
const MARKER: u8 = 2;

/// One pattern of the form `R*SR*`.
pub(super) struct Contains {
    /// ASCII characters outside `R`.
    excluded: [bool; 128],
    /// Per ASCII character, [`EXCLUDED`] or [`MARKER`] (or neither): one
    /// lookup for the characters before the first marker.
    ascii: [u8; 128],
    /// The marker characters, one bit each.
    markers: Box<[u64; MARKER_BITS / 64]>,
}

impl Contains {
    /// The check for an anchored whole-value `pattern`, if it has the form.
    pub(super) fn new(pattern: &str) -> Option<Contains> {
        let hir = regex_syntax::parse(pattern).ok()?;
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        let [start, run1, marker, run2, end] = parts.as_slice() else {
            return None;
        };
        if !matches!(start.kind(), HirKind::Look(Look::Start))
            || !matches!(end.kind(), HirKind::Look(Look::End))
        {
            return None;
        }
        let allowed = any_run(run1)?;
        if any_run(run2)? != allowed {
            return None;
        }
        let HirKind::Class(Class::Unicode(markers)) = marker.kind() else {
            return None;
        };
        let mut outside = markers.clone();
        outside.difference(allowed);
        let beyond = markers.ranges().last().map_or(0, |r| u32::from(r.end()));
        if !outside.ranges().is_empty() || beyond as usize >= MARKER_BITS {
            return None;
        }
        let mut excluded = [false; 128];
        let mut rest = allowed.clone();
        rest.negate();
        for r in rest.ranges() {
            if !r.end().is_ascii() {
                return None;
            }
            for c in r.start()..=r.end() {
                excluded[c as usize] = true;
            }
        }
        let mut bits = Box::new([0u64; MARKER_BITS / 64]);
        let mut ascii = excluded.map(|e| if e { EXCLUDED } else { 0 });
        for c in markers.ranges().iter().flat_map(|r| r.start()..=r.end()) {
            bits[c as usize / 64] |= 1 << (c as usize % 64);
            if let Some(a) = ascii.get_mut(c as usize) {
                // Markers are in `R`: never excluded.
                *a = MARKER;
            }
        }
        Some(Contains {
            excluded,
            ascii,
            markers: bits,
        })
    }

    /// Whether the pattern matches all of `value`.
    pub(super) fn matches(&self, value: &str) -> bool {
        let mut chars = value.chars();
        // Up to the first marker every character is looked up; after it
        // only the excluded characters matter, all ASCII, which a byte test
        // finds (no byte of a longer character is ASCII).
        loop {
            let Some(c) = chars.next() else {
                return false;
            };
            let c = c as usize;
            if let Some(&a) = self.ascii.get(c) {
                match a {
                    EXCLUDED => return false,
                    MARKER => break,
                    _ => continue,
                }
            }
            if self
                .markers
                .get(c / 64)
                .is_some_and(|w| w & (1 << (c % 64)) != 0)
            {
                break;
            }
        }
        let excluded = |b: &u8| self.excluded.get(usize::from(*b)).copied().unwrap_or(false);
        // Eight bytes at a time: a word with no ASCII byte (Han text) has
        // nothing to look up.
        let mut words = chars.as_str().as_bytes().chunks_exact(8);
        for word in &mut words {
            let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            if w & 0x8080_8080_8080_8080 != 0x8080_8080_8080_8080 && word.iter().any(excluded) {
                return false;
            }
        }
        !words.remainder().iter().any(excluded)
    }
}

/// The class of `C*` (zero or more, greedy or not).
fn any_run(hir: &Hir) -> Option<&ClassUnicode> {
    let HirKind::Repetition(rep) = hir.kind() else {
        return None;
    };
    if rep.min != 0 || rep.max.is_some() {
        return None;
    }
    match rep.sub.kind() {
        HirKind::Class(Class::Unicode(c)) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_with_a_marker() {
        let c = Contains::new("^(?:[^\\n]*[省市路][^\\n]*)$").expect("has the form");
        assert!(c.matches("上海市"));
        assert!(c.matches("市"));
        assert!(c.matches("a 路 b"));
        assert!(!c.matches("上海"));
        assert!(!c.matches("上海\n市"));
        assert!(!c.matches(""));
        let address = crate::Classifier::value_pattern(&crate::builtin::Address);
        let address = format!("^(?:{})$", address.expect("has a pattern"));
        assert!(Contains::new(&address).is_some());
        let ascii = Contains::new("^(?:[^\\t ]*[#@王][^\\t ]*)$").expect("has the form");
        assert!(ascii.matches("a#b") && ascii.matches("李王") && !ascii.matches("a #"));
        assert!(
            ascii.matches("#")
                && ascii.matches("@x#")
                && !ascii.matches(" #")
                && !ascii.matches("ab")
        );
        // An excluded byte anywhere after the marker, in or after a word.
        for before in 0..12 {
            for after in 0..12 {
                let v = format!("市{}\n{}", "路".repeat(before), "a".repeat(after));
                assert!(!c.matches(&v), "{v:?}");
                assert!(c.matches(&v.replace('\n', "b")), "{v:?}");
            }
        }
        let tabs = Contains::new("^(?:[^\\t\\n]*[号]*[^\\t\\n]*)$");
        assert!(tabs.is_none(), "a repeated marker is another form");
        for other in [
            "^(?:[^\\n]*[省市][^\\n]+)$",
            "^(?:[^\\n]*[省市][^\\t]*)$",
            // Markers outside the run, a run that leaves out non-ASCII, a
            // marker beyond the Basic Multilingual Plane.
            "^(?:[^\\n市]*[省市][^\\n市]*)$",
            "^(?:[^\\n]*[\\n][^\\n]*)$",
            "^(?:[^é]*[省][^é]*)$",
            "^(?:[^\\n]*[省\u{20000}][^\\n]*)$",
            "[^\\n]*[省市][^\\n]*",
        ] {
            assert!(Contains::new(other).is_none(), "{other}");
        }
    }
}
