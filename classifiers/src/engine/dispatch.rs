//! The byte-shape dispatch in front of the prefilter: which of the (at most
//! 64) anchored value patterns could match a value at all, from its length
//! and the bytes it is made of, in one table-driven pass and before any
//! regex runs.
//!
//! Everything here is derived from each pattern's own syntax tree, so it
//! holds for custom classifiers as for built-ins and is a superset by
//! construction: a whole-value match has a length between the pattern's
//! shortest and longest match, uses only bytes the pattern can produce, and
//! passes through every element the pattern requires (a resident ID has no
//! `@`, an e-mail has one; an address has one of its level characters).

use regex_syntax::hir::{Class, Hir, HirKind};
use regex_syntax::utf8::Utf8Sequences;

/// Lengths with a row in the length table; longer values are checked
/// against each pattern's bounds.
const LEN_ROWS: usize = 128;

/// A set of bytes.
type ByteSet = [bool; 256];

/// Per byte and per length, the patterns a value could still match.
pub(super) struct Dispatch {
    /// `allowed[b]`: patterns that can produce byte `b` somewhere.
    allowed: [u64; 256],
    /// `required[b]`: patterns that need one byte of a set holding `b`.
    required: [u64; 256],
    /// Patterns without such a set.
    unconstrained: u64,
    /// `by_len[n]`: patterns with a match of `n` bytes.
    by_len: Box<[u64; LEN_ROWS]>,
    /// Lengths per pattern, for values longer than the table.
    lengths: Vec<(usize, Option<usize>)>,
}

impl Dispatch {
    /// The dispatch for `patterns` (as parsed by `regex_syntax` with its
    /// default, Unicode-aware configuration, which the `regex` crate uses
    /// too); `None` for more than 64 patterns or one that does not parse.
    pub(super) fn new<S: AsRef<str>>(patterns: &[S]) -> Option<Dispatch> {
        if patterns.len() > 64 {
            return None;
        }
        let mut d = Dispatch {
            allowed: [0; 256],
            required: [0; 256],
            unconstrained: 0,
            by_len: Box::new([0; LEN_ROWS]),
            lengths: Vec::with_capacity(patterns.len()),
        };
        for (p, pattern) in patterns.iter().enumerate() {
            let hir = regex_syntax::parse(pattern.as_ref()).ok()?;
            let bit = 1u64 << p;
            let mut produced = [false; 256];
            produces(&hir, &mut produced);
            mark(&mut d.allowed, &produced, bit);
            match required(&hir) {
                Some(set) => mark(&mut d.required, &set, bit),
                None => d.unconstrained |= bit,
            }
            let props = hir.properties();
            // No minimum: the pattern never matches, so no length admits it.
            let (min, max) = match props.minimum_len() {
                Some(min) => (min, props.maximum_len()),
                None => (usize::MAX, Some(0)),
            };
            for (n, row) in d.by_len.iter_mut().enumerate() {
                if min <= n && max.is_none_or(|m| n <= m) {
                    *row |= bit;
                }
            }
            d.lengths.push((min, max));
        }
        Some(d)
    }

    /// The patterns that could match the whole of `value`: a superset of
    /// those that do.
    #[cfg(test)]
    pub(super) fn candidates(&self, value: &[u8]) -> u64 {
        self.candidates_with(value, |_| {})
    }

    /// [`candidates`](Self::candidates), showing `byte` every byte of the
    /// value: a caller with a pass of its own over the bytes makes it part
    /// of this one.
    #[inline]
    pub(super) fn candidates_with(&self, value: &[u8], mut byte: impl FnMut(u8)) -> u64 {
        let n = value.len();
        let by_len = match self.by_len.get(n) {
            Some(&row) => row,
            None => self.long(n),
        };
        let (mut all, mut any) = (by_len, 0u64);
        for &b in value {
            all &= self.allowed[usize::from(b)];
            any |= self.required[usize::from(b)];
            byte(b);
        }
        all & (any | self.unconstrained)
    }

    /// The length test for a value too long for the table.
    #[cold]
    fn long(&self, n: usize) -> u64 {
        self.lengths
            .iter()
            .enumerate()
            .filter(|(_, &(min, max))| min <= n && max.is_none_or(|m| n <= m))
            .fold(0, |acc, (p, _)| acc | 1 << p)
    }
}

/// Sets `bit` in the table entries of the bytes in `set`.
fn mark(table: &mut [u64; 256], set: &ByteSet, bit: u64) {
    for (entry, _) in table.iter_mut().zip(set).filter(|(_, &in_set)| in_set) {
        *entry |= bit;
    }
}

/// Adds to `set` the UTF-8 bytes of every character in a Unicode class, or
/// only their lead bytes.
fn class_bytes(class: &Class, set: &mut ByteSet, lead_only: bool) {
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                for seq in Utf8Sequences::new(r.start(), r.end()) {
                    let ranges = seq.as_slice();
                    let ranges = if lead_only { &ranges[..1] } else { ranges };
                    for range in ranges {
                        for b in range.start..=range.end {
                            set[usize::from(b)] = true;
                        }
                    }
                }
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    set[usize::from(b)] = true;
                }
            }
        }
    }
}

/// Every byte a match of `hir` can contain.
fn produces(hir: &Hir, set: &mut ByteSet) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                set[usize::from(b)] = true;
            }
        }
        HirKind::Class(class) => class_bytes(class, set, false),
        HirKind::Repetition(rep) => produces(&rep.sub, set),
        HirKind::Capture(cap) => produces(&cap.sub, set),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|s| produces(s, set));
        }
    }
}

/// A set of bytes of which every match of `hir` contains at least one, if
/// the tree says so: a literal's first byte, a class's lead bytes, the
/// smallest such set among the parts of a concatenation, the union over
/// the branches of an alternation.
fn required(hir: &Hir) -> Option<ByteSet> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => {
            let mut set = [false; 256];
            set[usize::from(*lit.0.first()?)] = true;
            Some(set)
        }
        HirKind::Class(class) => {
            let mut set = [false; 256];
            class_bytes(class, &mut set, true);
            Some(set)
        }
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Concat(subs) => subs
            .iter()
            .filter_map(required)
            .min_by_key(|set| set.iter().filter(|&&b| b).count()),
        HirKind::Alternation(subs) => subs.iter().try_fold([false; 256], |mut acc, s| {
            let set = required(s)?;
            for (a, b) in acc.iter_mut().zip(set) {
                *a |= b;
            }
            Some(acc)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_bytes_and_required_parts() {
        let d = Dispatch::new(&[
            "^(?:[0-9]{17}[0-9Xx]|[0-9]{15})$",
            r"^(?:[^\s@]+@[^\s@]+\.[^\s@]+)$",
            "^(?:[^\\n]*[省市][^\\n]*)$",
            r"^(?:(?s).{32,})$",
        ])
        .expect("builds");
        assert_eq!(d.candidates(b"11010519491231002X"), 0b0001);
        assert_eq!(d.candidates(b"11010519491231"), 0);
        assert_eq!(d.candidates(b"a@b.cn"), 0b0010);
        assert_eq!(d.candidates("上海市".as_bytes()), 0b0100);
        assert_eq!(d.candidates("上海".as_bytes()), 0);
        let long = "x".repeat(300);
        assert_eq!(d.candidates(long.as_bytes()), 0b1000);
        assert_eq!(d.candidates(format!("{long}市").as_bytes()), 0b1100);
        assert!(Dispatch::new(&vec!["a"; 65]).is_none());
        // A pattern that never matches admits nothing.
        assert_eq!(
            Dispatch::new(&["[a&&b]"]).expect("builds").candidates(b"a"),
            0
        );
    }
}
