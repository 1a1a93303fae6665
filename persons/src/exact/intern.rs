//! Interning a batch of keys on several cores: the key tables are split into
//! [`GROUPS`] groups by shard, each group owned by one task for the batch,
//! so no table is ever shared and no lock is taken.

use std::sync::atomic::{AtomicU32, Ordering};

use super::key_table::{
    shard, slot_key, stored, stored_hash, unstored, KeyTable, Slot, Stored, AHEAD, SHARDS,
};
use crate::{IdentifierKind, PersonKey};

/// Groups of key tables, interned in parallel. Element ids are numbered per
/// group (`local × GROUPS + group`), so groups never wait on one id counter;
/// ids not handed out yet leave short gaps in the forest, which are
/// singletons that no key or row refers to.
pub(super) const GROUPS: usize = 2;

const PER_GROUP: usize = SHARDS / GROUPS;

/// Keys in a batch below which interning stays on the calling thread (a
/// parallel call costs a few microseconds).
const PARALLEL_MIN: usize = 2048;

/// What one group of tables has handed out.
#[derive(Clone, Copy, Default)]
pub(super) struct GroupCount {
    /// Ids handed out; the next is `next × GROUPS + group`.
    pub(super) next: u32,
    /// Distinct keys per identifier kind.
    pub(super) by_kind: [u64; IdentifierKind::COUNT],
}

/// The group of tables a key belongs to.
pub(super) fn group_of(shard: usize) -> usize {
    shard / PER_GROUP
}

/// Index of `key` in `tables` (its group's tables), numbering it as the
/// group's next element if unseen: `(id, new)`.
pub(super) fn intern_one(
    tables: &mut [KeyTable],
    group: usize,
    count: &mut GroupCount,
    key: PersonKey,
) -> (u32, bool) {
    intern_stored(tables, group, count, stored(key))
}

/// [`intern_one`] of a key as its table stores it.
fn intern_stored(
    tables: &mut [KeyTable],
    group: usize,
    count: &mut GroupCount,
    s: Stored,
) -> (u32, bool) {
    let id = u32::try_from(count.next as usize * GROUPS + group)
        .expect("more than u32::MAX distinct identifiers");
    let (i, new) = tables[shard(&s) % PER_GROUP].get_or_insert(s, stored_hash(&s), id);
    if new {
        count.next += 1;
        count.by_kind[unstored(s).kind().index()] += 1;
    }
    (i, new)
}

/// Interns every key of `batches` into `tables` (all [`SHARDS`] of them) and
/// writes each key's element id into `ids`, in order. Groups run on the rayon
/// pool when the batch is large enough to pay for it.
pub(super) fn intern_all(
    tables: &mut [KeyTable],
    counts: &mut [GroupCount; GROUPS],
    sorted: &mut [Vec<Slot>; GROUPS],
    keys: &[&[PersonKey]],
    ids: &[AtomicU32],
) {
    let groups = tables
        .chunks_mut(PER_GROUP)
        .zip(counts.iter_mut().zip(sorted.iter_mut()))
        .enumerate()
        .map(|(g, (tables, (count, sorted)))| Group {
            tables,
            g,
            count,
            sorted,
        });
    let total: usize = keys.iter().map(|k| k.len()).sum();
    if total < PARALLEL_MIN {
        groups.for_each(|mut group| group.intern(keys, ids));
    } else {
        use rayon::prelude::*;
        let groups: Vec<Group<'_>> = groups.collect();
        groups
            .into_par_iter()
            .for_each(|mut group| group.intern(keys, ids));
    }
}

/// Keys in a batch from which [`Group::intern_partitioned`] pays for its extra passes.
const PARTITION_MIN: usize = 1 << 16;

/// Parts of each table a partitioned batch is probed part by part
/// ([`Group::intern_partitioned`]).
const PARTS_PER_TABLE: usize = 16;

/// One group's share of [`intern_all`]: its tables, what it has handed out, and its buffer
/// for sorting a large batch.
struct Group<'a> {
    tables: &'a mut [KeyTable],
    g: usize,
    count: &'a mut GroupCount,
    sorted: &'a mut Vec<Slot>,
}

impl Group<'_> {
    /// Interns the keys of `keys` whose table is in this group. A large batch is sorted
    /// first ([`intern_partitioned`](Self::intern_partitioned)); a small one is probed in
    /// batch order.
    fn intern(&mut self, keys: &[&[PersonKey]], ids: &[AtomicU32]) {
        let total: usize = keys.iter().map(|k| k.len()).sum();
        if total >= PARTITION_MIN {
            self.intern_partitioned(keys, ids);
        } else {
            self.intern_in_order(keys, ids);
        }
    }

    /// Whether the key `s` is looked up in this group's tables.
    fn mine(&self, s: &Stored) -> bool {
        group_of(shard(s)) == self.g
    }

    fn table(&self, s: &Stored) -> &KeyTable {
        &self.tables[shard(s) % PER_GROUP]
    }

    /// Probes the group's keys in batch order, prefetching the home slot of its keys
    /// [`AHEAD`] × [`GROUPS`] keys ahead in the same batch (about [`AHEAD`] of its own).
    fn intern_in_order(&mut self, keys: &[&[PersonKey]], ids: &[AtomicU32]) {
        let ahead = AHEAD * GROUPS;
        let mut base = 0;
        for batch in keys {
            let ids = &ids[base..base + batch.len()];
            for (n, &key) in batch.iter().enumerate() {
                if let Some(&next) = batch.get(n + ahead) {
                    let s = stored(next);
                    if self.mine(&s) {
                        self.table(&s).prefetch(stored_hash(&s));
                    }
                }
                let s = stored(key);
                if self.mine(&s) {
                    let (id, _) = intern_stored(self.tables, self.g, self.count, s);
                    ids[n].store(id, Ordering::Relaxed);
                }
            }
            base += batch.len();
        }
    }

    /// Probes the group's keys part of a table by part of a table: the keys are first
    /// sorted (one counting-sort pass) by table and by which sixteenth of the table their
    /// home slot lies in.
    ///
    /// Why: at tens of millions of keys the tables span hundreds of megabytes, and probing
    /// them in batch order puts each lookup on a page the last thousands of lookups did not
    /// touch, so besides its cache miss (which prefetching overlaps) it misses the TLB and
    /// walks the page tables — in a virtual machine, two sets of them. Probed a part at a
    /// time, a batch's lookups stay within a few hundred pages for hundreds of keys in a row.
    fn intern_partitioned(&mut self, keys: &[&[PersonKey]], ids: &[AtomicU32]) {
        let bucket = |s: &Stored| {
            let part = (stored_hash(s) >> (64 - PARTS_PER_TABLE.trailing_zeros())) as usize;
            (shard(s) % PER_GROUP) * PARTS_PER_TABLE + part
        };
        // The group's keys with their places in the batch (what `mine` tests, without
        // borrowing `self`, whose tables are reserved between the two passes).
        let g = self.g;
        let my_keys = || {
            keys.iter()
                .flat_map(|batch| batch.iter())
                .enumerate()
                .map(|(n, &key)| (n, stored(key)))
                .filter(move |(_, s)| group_of(shard(s)) == g)
        };
        // Counting sort: where each bucket starts, then every key (with its place in the
        // batch) written to its bucket.
        let mut next = vec![0usize; PER_GROUP * PARTS_PER_TABLE];
        my_keys().for_each(|(_, s)| next[bucket(&s)] += 1);
        // Room for every key first: the keys of one part all land in one part of their
        // table, so a table that grew only once it was 3/4 full overall would have filled
        // that part and spilled it into the next, one long run of occupied slots.
        for (table, counts) in self.tables.iter_mut().zip(next.chunks(PARTS_PER_TABLE)) {
            table.reserve(counts.iter().sum());
        }
        let mut start = 0;
        for n in next.iter_mut() {
            (*n, start) = (start, start + *n);
        }
        let mut sorted = std::mem::take(self.sorted);
        sorted.clear();
        sorted.resize(start, [0; 4]);
        for (n, s) in my_keys() {
            let b = &mut next[bucket(&s)];
            sorted[*b] = [s[0], s[1], s[2], n as u32];
            *b += 1;
        }
        for (i, slot) in sorted.iter().enumerate() {
            if let Some(ahead) = sorted.get(i + AHEAD) {
                let s = slot_key(ahead);
                self.table(&s).prefetch(stored_hash(&s));
            }
            let (id, _) = intern_stored(self.tables, self.g, self.count, slot_key(slot));
            ids[slot[3] as usize].store(id, Ordering::Relaxed);
        }
        *self.sorted = sorted;
    }
}
