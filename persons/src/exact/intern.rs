//! Interning a batch of keys on several cores: the batch is first sorted by key table, then
//! each table is one task, so no table is shared and no lock is taken, and a table that
//! grows during the batch keeps one core busy while the others take the remaining tables.

use std::sync::atomic::{AtomicU32, Ordering};

use super::key_table::{
    shard, slot_key, stored, stored_hash, unstored, KeyTable, Slot, Stored, AHEAD, SHARDS,
};
use crate::{IdentifierKind, PersonKey};

/// What one key table has handed out. Element ids are numbered per table
/// (`local × SHARDS + table`), so tables never wait on one id counter; ids
/// not handed out yet leave short gaps in the forest, which are singletons
/// that no key or row refers to.
#[derive(Clone, Copy, Default)]
pub(super) struct TableCount {
    /// Ids handed out; the next is `next × SHARDS + table`.
    pub(super) next: u32,
    /// Distinct keys per identifier kind.
    pub(super) by_kind: [u64; IdentifierKind::COUNT],
}

impl TableCount {
    /// One more than the largest id table `t` has handed out (0 if none).
    pub(super) fn id_bound(&self, t: usize) -> usize {
        match self.next {
            0 => 0,
            n => (n as usize - 1) * SHARDS + t + 1,
        }
    }
}

/// Index of `s` in table `t`, numbering it as the table's next element if
/// unseen: `(id, new)`.
pub(super) fn intern_stored(
    table: &mut KeyTable,
    t: usize,
    count: &mut TableCount,
    s: Stored,
) -> (u32, bool) {
    let id = u32::try_from(count.next as usize * SHARDS + t)
        .expect("more than u32::MAX distinct identifiers");
    let (i, new) = table.get_or_insert(s, stored_hash(&s), id);
    if new {
        count.next += 1;
        count.by_kind[unstored(s).kind().index()] += 1;
    }
    (i, new)
}

/// [`intern_stored`] of a key, in the table its bits pick.
pub(super) fn intern_one(
    tables: &mut [KeyTable],
    counts: &mut [TableCount],
    key: PersonKey,
) -> (u32, bool) {
    let s = stored(key);
    let t = shard(&s);
    intern_stored(&mut tables[t], t, &mut counts[t], s)
}

/// Keys in a batch from which [`intern_all`] sorts the batch and looks its keys up on every
/// core; a smaller batch is looked up in order on the calling thread.
const PARTITION_MIN: usize = 1 << 16;

/// Parts of each table a sorted batch is probed part by part (see [`intern_all`]).
const PARTS_PER_TABLE: usize = 16;

/// Buckets of the sort: every part of every table.
const BUCKETS: usize = SHARDS * PARTS_PER_TABLE;

/// The bucket of a stored key: its table, then the part of the table its home slot lies in.
fn bucket(s: &Stored) -> usize {
    let part = (stored_hash(s) >> (64 - PARTS_PER_TABLE.trailing_zeros())) as usize;
    shard(s) * PARTS_PER_TABLE + part
}

/// Interns every key of `batches` into `tables` (all [`SHARDS`] of them) and writes each
/// key's element id into `ids`, in order.
///
/// A large batch is sorted first, by table and by which sixteenth of the table the key's
/// home slot lies in, and each table's keys are probed in that order, one task per table.
/// Why sorted: at tens of millions of keys the tables span hundreds of megabytes, and
/// probing them in batch order puts each lookup on a page the last thousands of lookups did
/// not touch, so besides its cache miss (which prefetching overlaps) it misses the TLB and
/// walks the page tables — in a virtual machine, two sets of them. Probed a part at a time,
/// a batch's lookups stay within a few hundred pages for hundreds of keys in a row.
///
/// `sorted` holds one buffer per sorting task, kept between batches to reuse them.
pub(super) fn intern_all(
    tables: &mut [KeyTable],
    counts: &mut [TableCount],
    sorted: &mut Vec<Vec<Slot>>,
    keys: &[&[PersonKey]],
    ids: &[AtomicU32],
) {
    let total: usize = keys.iter().map(|k| k.len()).sum();
    if total < PARTITION_MIN {
        intern_in_order(tables, counts, keys, ids);
        return;
    }
    use rayon::prelude::*;
    // Sorting: each task takes a run of whole slices and counting-sorts its keys (with their
    // places in the batch) into a buffer of its own; `starts[b]` is where bucket `b` begins
    // in that buffer.
    let runs = runs_of(keys, rayon::current_num_threads().max(1));
    sorted.resize_with(runs.len(), Vec::new);
    let starts: Vec<Vec<usize>> = runs
        .par_iter()
        .zip(sorted.par_iter_mut())
        .map(|(&(first, last, base), out)| sort_run(&keys[first..last], base, out))
        .collect();
    let sorted = &sorted[..];
    tables
        .par_iter_mut()
        .zip(counts.par_iter_mut())
        .enumerate()
        .for_each(|(t, (table, count))| {
            let segments = |p: usize| {
                let b = t * PARTS_PER_TABLE + p;
                sorted
                    .iter()
                    .zip(&starts)
                    .map(move |(run, s)| &run[s[b]..s[b + 1]])
            };
            let mine: usize = (0..PARTS_PER_TABLE)
                .flat_map(segments)
                .map(<[Slot]>::len)
                .sum();
            // Room for every key first: the keys of one part all land in one part of the
            // table, so a table that grew only once it was 3/4 full overall would have
            // filled that part and spilled it into the next, one long run of occupied slots.
            table.reserve(mine);
            for segment in (0..PARTS_PER_TABLE).flat_map(segments) {
                for (i, slot) in segment.iter().enumerate() {
                    if let Some(ahead) = segment.get(i + AHEAD) {
                        table.prefetch(stored_hash(&slot_key(ahead)));
                    }
                    let (id, _) = intern_stored(table, t, count, slot_key(slot));
                    ids[slot[3] as usize].store(id, Ordering::Relaxed);
                }
            }
        });
}

/// Cuts `keys` into at most `n` runs of whole slices with about as many keys each:
/// `(first slice, end slice, place in the batch of the run's first key)`.
fn runs_of(keys: &[&[PersonKey]], n: usize) -> Vec<(usize, usize, usize)> {
    let total: usize = keys.iter().map(|k| k.len()).sum();
    let per_run = total.div_ceil(n).max(1);
    let mut runs = Vec::with_capacity(n);
    let (mut first, mut base, mut in_run) = (0, 0, 0);
    for (i, slice) in keys.iter().enumerate() {
        in_run += slice.len();
        if in_run >= per_run && runs.len() + 1 < n {
            runs.push((first, i + 1, base));
            (first, base, in_run) = (i + 1, base + in_run, 0);
        }
    }
    if first < keys.len() || runs.is_empty() {
        runs.push((first, keys.len(), base));
    }
    runs
}

/// Counting-sorts the keys of `keys` (the first at place `base` in the batch) by
/// [`bucket`] into `out`, each with its place; returns where each bucket starts, and its
/// end as the last entry.
fn sort_run(keys: &[&[PersonKey]], base: usize, out: &mut Vec<Slot>) -> Vec<usize> {
    let all = || keys.iter().flat_map(|k| k.iter()).map(|&key| stored(key));
    let mut starts = vec![0usize; BUCKETS + 1];
    all().for_each(|s| starts[bucket(&s) + 1] += 1);
    for b in 0..BUCKETS {
        starts[b + 1] += starts[b];
    }
    let mut next = starts.clone();
    // Every slot up to the run's length is written below: the buffer only ever grows, and
    // is not cleared first (16 bytes a key of zeros, per batch).
    if out.len() < starts[BUCKETS] {
        out.resize(starts[BUCKETS], [0; 4]);
    }
    for (n, s) in all().enumerate() {
        let at = &mut next[bucket(&s)];
        out[*at] = [s[0], s[1], s[2], (base + n) as u32];
        *at += 1;
    }
    starts
}

/// Probes the keys of a small batch in batch order, prefetching each key's home slot
/// [`AHEAD`] keys ahead.
fn intern_in_order(
    tables: &mut [KeyTable],
    counts: &mut [TableCount],
    keys: &[&[PersonKey]],
    ids: &[AtomicU32],
) {
    let mut base = 0;
    for batch in keys {
        let ids = &ids[base..base + batch.len()];
        for (n, &key) in batch.iter().enumerate() {
            if let Some(&next) = batch.get(n + AHEAD) {
                let s = stored(next);
                tables[shard(&s)].prefetch(stored_hash(&s));
            }
            let (id, _) = intern_one(tables, counts, key);
            ids[n].store(id, Ordering::Relaxed);
        }
        base += batch.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_every_slice_once_with_their_places() {
        let key = PersonKey::from_parts(IdentifierKind::CnResidentId, 7);
        let a = vec![key; 5];
        let b = vec![key; 1];
        let c = vec![key; 7];
        let keys: Vec<&[PersonKey]> = vec![&a, &b, &c, &[]];
        assert_eq!(runs_of(&keys, 2), [(0, 3, 0), (3, 4, 13)]);
        assert_eq!(runs_of(&keys, 1), [(0, 4, 0)]);
        assert_eq!(runs_of(&[], 2), [(0, 0, 0)]);
        assert_eq!(runs_of(&keys, 4), [(0, 1, 0), (1, 3, 5), (3, 4, 13)]);
    }
}
