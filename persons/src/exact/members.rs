//! Which assets each person appears in: a compact member set per asset.

use super::*;

/// Handle of an asset registered with [`ExactCounter::register_asset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(pub(super) u32);

pub(super) struct Asset {
    pub(super) name: String,
    pub(super) members: Members,
}

/// The elements recorded for an asset's rows: for each row, one element of
/// its component (any key of the row will do). Later unions may merge some
/// of them, so they are resolved to their current roots when counting.
pub(super) enum Members {
    /// One entry per row (a repeat of the previous entry is skipped). Small
    /// assets stay lists.
    List(Vec<u32>),
    /// One bit per element, once a list would take more memory than that
    /// (more entries than 1/32 of all elements).
    Bits(Vec<u64>),
}

impl Members {
    /// Records `element`; `elements` is the number of elements in the forest.
    pub(super) fn insert(&mut self, element: u32, elements: usize) {
        match self {
            Members::List(list) => {
                if list.last() == Some(&element) {
                    return;
                }
                list.push(element);
                if list.len() > 4096 && list.len() * 32 > elements {
                    let mut bits = Vec::new();
                    for &e in list.iter() {
                        set_bit(&mut bits, e, elements);
                    }
                    *self = Members::Bits(bits);
                }
            }
            Members::Bits(bits) => set_bit(bits, element, elements),
        }
    }

    /// Prefetches where `element` would be recorded.
    pub(super) fn prefetch(&self, element: u32) {
        if let Members::Bits(bits) = self {
            if let Some(word) = bits.get(element as usize / 64) {
                prefetch(word);
            }
        }
    }

    pub(super) fn len_hint(&self) -> usize {
        match self {
            Members::List(list) => list.len(),
            Members::Bits(bits) => bits.len() * 64,
        }
    }

    /// Calls `f` with every recorded element, in order.
    pub(super) fn for_each(&self, mut f: impl FnMut(u32)) {
        match self {
            Members::List(list) => list.iter().for_each(|&e| f(e)),
            Members::Bits(bits) => {
                for (w, &word) in bits.iter().enumerate() {
                    let base = (w * 64) as u32;
                    BitIter(word).for_each(|b| f(base + b));
                }
            }
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Members::List(list) => list.capacity() * 4,
            Members::Bits(bits) => bits.capacity() * 8,
        }
    }
}

/// Sets bit `i`, growing the bit set to cover all `elements` if needed.
pub(super) fn set_bit(bits: &mut Vec<u64>, i: u32, elements: usize) {
    let word = i as usize / 64;
    if word >= bits.len() {
        let len = elements.div_ceil(64).max(word + 1);
        bits.resize(len, 0);
    }
    bits[word] |= 1 << (i % 64);
}

/// Positions of the set bits of a word, lowest first.
pub(super) struct BitIter(u64);

impl Iterator for BitIter {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(b)
    }
}
