//! Values a column repeats that no classifier confirmed, so that a repeat is
//! not checked again.
//!
//! Every check of a value depends only on the value and the column's fixed
//! settings (its name hints and type), so a repeat of a value that confirmed
//! nothing, whole, in free text or in prose, confirms nothing either: only the
//! column's counters move. Notes, statuses and company names repeat row after
//! row, and searching a note costs thousands of instructions.

use super::shape::Shape;

/// Values remembered per column, by hash: a direct-mapped table, so a
/// lookup is one comparison and a value that repeats often stays unless
/// another one lands in its slot.
const SLOTS: usize = 16;

#[derive(Default)]
pub(super) struct QuietValues {
    /// Per slot, the hash and shape of the value in `values`.
    slots: [Option<(u64, Shape)>; SLOTS],
    /// Per slot, the value (buffers reused: no allocation once long enough).
    values: [String; SLOTS],
    /// Tests: check every value (the reference for the shortcut).
    #[cfg(test)]
    pub(super) off: bool,
}

fn slot(hash: u64) -> usize {
    (hash >> 60) as usize % SLOTS
}

impl QuietValues {
    /// The shape of `value` (of hash `hash`) if it is a remembered quiet value.
    pub(super) fn shape_of(&self, value: &str, hash: u64) -> Option<Shape> {
        #[cfg(test)]
        if self.off {
            return None;
        }
        let i = slot(hash);
        match self.slots[i] {
            Some((h, shape)) if h == hash && self.values[i] == value => Some(shape),
            _ => None,
        }
    }

    /// Remembers `value`, which nothing confirmed.
    pub(super) fn remember(&mut self, value: &str, hash: u64, shape: Shape) {
        let i = slot(hash);
        self.values[i].clear();
        self.values[i].push_str(value);
        self.slots[i] = Some((hash, shape));
    }
}
