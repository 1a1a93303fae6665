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

#[derive(Default)]
pub(super) struct QuietValues {
    /// Per slot, the hash and shape of the value in `values`, and what
    /// confirmed it whole (`None`: nothing confirmed it). Empty until a
    /// value is remembered: many columns have none to remember.
    slots: Vec<Option<(u64, Shape, Option<Confirmed>)>>,
    /// Per slot, the value (buffers reused: no allocation once long enough).
    values: Vec<String>,
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
        let i = slot(hash);
        match self.slots.get(i) {
            Some(&Some((h, shape, whole))) if h == hash && self.values[i] == value => {
                Some((shape, whole))
            }
            _ => None,
        }
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
        if whole.is_some_and(|w| w.overflow) {
            return;
        }
        if self.slots.is_empty() {
            self.slots = vec![None; SLOTS];
            self.values = vec![String::new(); SLOTS];
        }
        let i = slot(hash);
        self.values[i].clear();
        self.values[i].push_str(value);
        self.slots[i] = Some((hash, shape, whole));
    }
}
