//! The key table: person keys stored inline in sharded open-addressing tables, probed with
//! prefetching so a batch of lookups overlaps its cache misses.

use super::zeroed::Zeroed;
use crate::PersonKey;

/// The part of a [`PersonKey`] kept per distinct key: its top 96 bits (the
/// 4-bit kind tag and 92 bits of MAC), as three `u32`. The tag is 1..=5, so
/// the first word is never 0 and an all-zero slot can mean "empty".
pub(super) type Stored = [u32; 3];

pub(super) fn stored(key: PersonKey) -> Stored {
    let v = key.raw() >> 32;
    [(v >> 64) as u32, (v >> 32) as u32, v as u32]
}

pub(super) fn unstored(s: Stored) -> PersonKey {
    let v = (u128::from(s[0]) << 96) | (u128::from(s[1]) << 64) | (u128::from(s[2]) << 32);
    PersonKey::from_bytes(v.to_be_bytes())
        .unwrap_or_else(|| unreachable!("stored keys carry a valid kind"))
}

/// Table hash of a stored key: its low 64 bits, which are MAC output and so
/// already uniformly distributed.
pub(super) fn stored_hash(s: &Stored) -> u64 {
    (u64::from(s[1]) << 32) | u64::from(s[2])
}

/// Number of key tables. Each key goes to the table picked by MAC bits that
/// [`stored_hash`] does not use (the top word holds the kind tag in its top
/// 4 bits only). Many small tables instead of one: growing copies one table
/// (1/64 of the keys), so it never needs twice the memory of the whole index.
pub(super) const SHARDS: usize = 64;

pub(super) fn shard(s: &Stored) -> usize {
    s[0] as usize % SHARDS
}

/// How many keys ahead the batch loop of [`ExactCounter::add_rows`] asks the
/// CPU to fetch a table slot. Lookups into a table of tens of millions of
/// keys miss every cache; overlapping the misses of several keys is what
/// makes the batch loop several times faster than one lookup at a time.
pub(super) const AHEAD: usize = 16;

/// Hints the CPU to load the cache line holding `item`. Never faults.
#[inline(always)]
#[allow(unused_unsafe)]
pub(super) fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing into the program
    // and cannot fault; the pointer comes from a live reference anyway.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((item as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

/// One slot of a [`KeyTable`]: the three words of a stored key, then its
/// element index; all zero when empty. Sixteen bytes, so with the allocator's 16-byte alignment four slots share
/// a cache line and none straddles two.
pub(super) type Slot = [u32; 4];

/// `n` zeros, written rather than taken from zeroed memory. Fresh pages that are read before
/// they are written (a probe of an empty slot, then an insert) are first mapped to the
/// kernel's shared zero page; the write that follows replaces that mapping and flushes the
/// page from the TLB of every core the process runs on, an interrupt per page. At 10⁸ keys
/// those flushes took 13 % of the run; writing each page first costs one pass of stores.
pub(super) fn written_zeros<T: Copy + Default>(n: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    advise_huge_pages(&v);
    v.resize(n, T::default());
    v
}

/// Asks the kernel to back `v`'s spare capacity with 2 MiB pages where it can (Linux's
/// transparent huge pages, `madvise` mode). A lookup in a table of hundreds of megabytes
/// misses the TLB as well as the cache; with 4 KiB pages each miss walks the page tables
/// (twice over in a virtual machine), with 2 MiB pages the walk mostly hits. Only a hint:
/// any error, or another OS, leaves the pages as they are.
fn advise_huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        const HUGE: usize = 2 << 20;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < 2 * HUGE {
            return;
        }
        let start = (v.as_ptr() as usize).next_multiple_of(PAGE);
        let end = (v.as_ptr() as usize + bytes) / PAGE * PAGE;
        // SAFETY: the range lies within `v`'s allocation and is page-aligned; the advice
        // changes how the kernel backs the pages, never their contents or validity.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

pub(super) fn slot_key(s: &Slot) -> Stored {
    [s[0], s[1], s[2]]
}

/// Open addressing with linear probing, each key beside its index, so a
/// lookup usually touches one cache line (a table of indices alone needs a
/// second access to compare the key). Any capacity works, because the home
/// slot is `hash × capacity / 2⁶⁴`; the table grows by half when 3/4 full,
/// so it stays between 1/2 and 3/4 full.
pub(super) struct KeyTable {
    pub(super) slots: Zeroed<Slot>,
    pub(super) len: usize,
}

impl KeyTable {
    pub(super) fn with_capacity(keys: usize) -> Self {
        let n = if keys == 0 { 0 } else { keys * 4 / 3 + 16 };
        KeyTable {
            slots: Zeroed::new(n),
            len: 0,
        }
    }

    pub(super) fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.slots.len() as u128) >> 64) as usize
    }

    pub(super) fn prefetch(&self, hash: u64) {
        if let Some(slot) = self.slots.get(self.home(hash)) {
            prefetch(slot);
        }
    }

    /// The index stored with `key`; if absent, stores `key` with index `new`
    /// and returns `(new, true)`.
    pub(super) fn get_or_insert(&mut self, key: Stored, hash: u64, new: u32) -> (u32, bool) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let cap = self.slots.len();
        let mut i = self.home(hash);
        loop {
            let slot = &mut self.slots[i];
            if slot[..3] == key {
                return (slot[3], false);
            }
            if slot[0] == 0 {
                *slot = [key[0], key[1], key[2], new];
                self.len += 1;
                return (new, true);
            }
            i += 1;
            if i == cap {
                i = 0;
            }
        }
    }

    /// Grows the table, if needed, so that `more` keys can be added without growing it.
    pub(super) fn reserve(&mut self, more: usize) {
        while (self.len + more) * 4 > self.slots.len() * 3 {
            self.grow();
        }
    }

    pub(super) fn grow(&mut self) {
        let cap = (self.slots.len() * 3 / 2).max(16);
        let old = std::mem::replace(&mut self.slots, Zeroed::new(cap));
        for &s in old.iter().filter(|s| s[0] != 0) {
            let mut i = self.home(stored_hash(&slot_key(&s)));
            while self.slots[i][0] != 0 {
                i += 1;
                if i == cap {
                    i = 0;
                }
            }
            self.slots[i] = s;
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.slots.iter().filter(|s| s[0] != 0)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.slots.heap_bytes()
    }
}
