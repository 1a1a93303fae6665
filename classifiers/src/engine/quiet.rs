//! Values a column repeats, so that a repeat is not checked again: those
//! that no classifier confirmed, and short fields (not text) that some
//! confirmed as a whole, with what confirmed them.
//!
//! Every check of a value depends only on the value and the column's fixed
//! settings (its name hints and type), so a repeat of a value that confirmed
//! nothing, whole, in free text or in prose, confirms nothing either: only the
//! column's counters move. Notes, statuses and company names repeat row after
//! row, and searching a note costs thousands of instructions. A field that
//! is not text is only checked whole, so a repeat of one that confirmed is
//! confirmed by the same classifiers with the same weights: those are
//! counted again, without the checks. Names, cities and ethnic groups repeat
//! as statuses do.

use super::shape::Shape;

/// Values remembered per column, by hash: a direct-mapped table, so a
/// lookup is one comparison and a value that repeats often stays unless
/// another one lands in its slot. Room for the few hundred values that
/// make up most of a column of names, cities or statuses.
const SLOTS: usize = 256;

/// Bytes of remembered values kept at most (bounds the memory of a memo
/// kept for reuse): when a value would not fit, the values still in their
/// slots move together, or, if they fill more than half of it, the memo
/// starts over. Longer values are not remembered.
const MAX_TEXT: usize = 32 * 1024;

/// The classifiers that confirmed a value as a whole, in confirmation
/// order, with their weights (at most [`Confirmed::MAX`]).
#[derive(Clone, Copy, Default)]
pub(super) struct Confirmed {
    items: [(u16, f64); Confirmed::MAX],
    len: u8,
    /// More confirmed than there is room for: not to be remembered.
    overflow: bool,
}

impl Confirmed {
    const MAX: usize = 4;

    pub(super) fn push(&mut self, classifier: usize, weight: f64) {
        match (
            self.items.get_mut(usize::from(self.len)),
            u16::try_from(classifier),
        ) {
            (Some(slot), Ok(i)) => {
                *slot = (i, weight);
                self.len += 1;
            }
            _ => self.overflow = true,
        }
    }

    /// The (classifier, weight) pairs, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let n = usize::from(self.len);
        self.items[..n].iter().map(|&(i, w)| (usize::from(i), w))
    }
}

/// A remembered value: its hash, where it is in [`QuietValues::text`], its
/// shape and what confirmed it whole (`None`: nothing confirmed it). A slot
/// of no value has an empty range, which no (non-empty) value matches.
#[derive(Clone, Copy)]
struct Slot {
    hash: u64,
    start: usize,
    end: usize,
    shape: Shape,
    whole: Option<Confirmed>,
}

/// The memo of one column. Its buffers outlive the column: a scan takes
/// them from its set's pool and gives them back, so a new column
/// allocates nothing for them (see [`reset`](QuietValues::reset)).
#[derive(Default)]
pub(super) struct QuietValues {
    /// Empty until a value is remembered: many columns have none to
    /// remember.
    slots: Vec<Slot>,
    /// The remembered values, one after the other (a replaced one stays
    /// until the next [`compact`](Self::compact)).
    text: Vec<u8>,
    /// Tests: check every value (the reference for the shortcut).
    #[cfg(test)]
    pub(super) off: bool,
}

fn slot(hash: u64) -> usize {
    (hash >> 56) as usize % SLOTS
}

impl QuietValues {
    /// The shape of `value` (of hash `hash`) and what confirmed it, if it
    /// is a remembered value.
    pub(super) fn shape_of(&self, value: &str, hash: u64) -> Option<(Shape, Option<Confirmed>)> {
        #[cfg(test)]
        if self.off {
            return None;
        }
        let s = self.slots.get(slot(hash)).filter(|s| s.hash == hash)?;
        let text = self.text.get(s.start..s.end)?;
        (text == value.as_bytes()).then_some((s.shape, s.whole))
    }

    /// Remembers `value`, which nothing confirmed (`whole`: `None`), or
    /// which the classifiers of `whole` confirmed as a whole and nothing
    /// else looked into.
    pub(super) fn remember(
        &mut self,
        value: &str,
        hash: u64,
        shape: Shape,
        whole: Option<Confirmed>,
    ) {
        if whole.is_some_and(|w| w.overflow) || value.len() > MAX_TEXT {
            return;
        }
        let i = slot(hash);
        if self.text.len() + value.len() > MAX_TEXT {
            self.compact(i);
            if self.text.len() > MAX_TEXT / 2 {
                self.forget();
            }
        }
        if self.slots.is_empty() {
            let empty = Slot {
                hash: 0,
                start: 0,
                end: 0,
                shape,
                whole: None,
            };
            self.slots = vec![empty; SLOTS];
        }
        let start = self.text.len();
        self.text.extend_from_slice(value.as_bytes());
        self.slots[i] = Slot {
            hash,
            start,
            end: self.text.len(),
            shape,
            whole,
        };
    }

    /// Moves the values still in their slots, but slot `except`'s (about
    /// to be replaced), to a new [`text`](Self::text), without the rest.
    fn compact(&mut self, except: usize) {
        let old = std::mem::replace(&mut self.text, Vec::with_capacity(MAX_TEXT));
        for (i, s) in self.slots.iter_mut().enumerate() {
            let value = if i == except {
                &[]
            } else {
                &old[s.start..s.end]
            };
            s.start = self.text.len();
            self.text.extend_from_slice(value);
            s.end = self.text.len();
        }
    }

    /// Forgets every value, keeping the buffers.
    fn forget(&mut self) {
        for s in &mut self.slots {
            (s.start, s.end) = (0, 0);
        }
        self.text.clear();
    }

    /// Ready for another column: no values, the buffers kept.
    pub(super) fn reset(&mut self) {
        self.forget();
        #[cfg(test)]
        {
            self.off = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::profile::value_hash;
    use super::super::shape::shape;
    use super::*;

    /// Beyond [`MAX_TEXT`] bytes, the last value of each slot stays found
    /// (compacted) unless they fill half of it (all forgotten); a replaced
    /// value is never found.
    #[test]
    fn compaction_keeps_the_values_in_their_slots() {
        let mut q = QuietValues::default();
        let mut last: Vec<Option<String>> = vec![None; SLOTS];
        let (mut compacted, mut forgotten) = (0, 0);
        for n in 0..40_000usize {
            // Short values first (they compact), then long ones (they fill half).
            let width = if n < 20_000 {
                8 + n % 32
            } else {
                100 + n % 100
            };
            let v = format!("{n:0width$}");
            let hash = value_hash(&v);
            let before = q.text.len();
            q.remember(&v, hash, shape(&v), None);
            assert!(q.text.len() <= MAX_TEXT);
            let i = slot(hash);
            if let Some(old) = last[i].replace(v.clone()) {
                assert!(old == v || q.shape_of(&old, value_hash(&old)).is_none());
            }
            if q.text.len() == v.len() {
                forgotten += 1;
                last.iter_mut().enumerate().for_each(|(j, l)| {
                    if j != i {
                        *l = None;
                    }
                });
            } else if q.text.len() < before + v.len() {
                compacted += 1;
            } else {
                assert!(q.shape_of(&v, hash).is_some());
                continue;
            }
            for l in last.iter().flatten() {
                let found = q.shape_of(l, value_hash(l));
                assert!(found.is_some_and(|(sh, whole)| sh == shape(l) && whole.is_none()));
            }
        }
        assert!(compacted > 10 && forgotten > 10, "{compacted} {forgotten}");
    }
}
