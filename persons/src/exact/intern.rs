//! Interning a batch of keys on several cores: the key tables are split into
//! [`GROUPS`] groups by shard, each group owned by one task for the batch,
//! so no table is ever shared and no lock is taken.

use std::sync::atomic::{AtomicU32, Ordering};

use super::key_table::{shard, stored, stored_hash, KeyTable, AHEAD, SHARDS};
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
    let s = stored(key);
    let id = u32::try_from(count.next as usize * GROUPS + group)
        .expect("more than u32::MAX distinct identifiers");
    let (i, new) = tables[shard(&s) % PER_GROUP].get_or_insert(s, stored_hash(&s), id);
    if new {
        count.next += 1;
        count.by_kind[key.kind().index()] += 1;
    }
    (i, new)
}

/// Interns every key of `batches` into `tables` (all [`SHARDS`] of them) and
/// writes each key's element id into `ids`, in order. Groups run on the rayon
/// pool when the batch is large enough to pay for it.
pub(super) fn intern_all(
    tables: &mut [KeyTable],
    counts: &mut [GroupCount; GROUPS],
    keys: &[&[PersonKey]],
    ids: &[AtomicU32],
) {
    let work = tables
        .chunks_mut(PER_GROUP)
        .zip(counts.iter_mut())
        .enumerate();
    let total: usize = keys.iter().map(|k| k.len()).sum();
    if total < PARALLEL_MIN {
        work.for_each(|(g, (t, c))| intern_group(t, g, c, keys, ids));
    } else {
        use rayon::prelude::*;
        let work: Vec<_> = work.collect();
        work.into_par_iter()
            .for_each(|(g, (t, c))| intern_group(t, g, c, keys, ids));
    }
}

/// One group's share of [`intern_all`]: the keys whose table is in group `g`,
/// prefetching the home slot of its keys [`AHEAD`] × [`GROUPS`] keys ahead in
/// the same batch (about [`AHEAD`] of its own).
fn intern_group(
    tables: &mut [KeyTable],
    g: usize,
    count: &mut GroupCount,
    keys: &[&[PersonKey]],
    ids: &[AtomicU32],
) {
    let ahead = AHEAD * GROUPS;
    let mut base = 0;
    for batch in keys {
        let ids = &ids[base..base + batch.len()];
        for (n, &key) in batch.iter().enumerate() {
            if let Some(&next) = batch.get(n + ahead) {
                let s = stored(next);
                if group_of(shard(&s)) == g {
                    tables[shard(&s) % PER_GROUP].prefetch(stored_hash(&s));
                }
            }
            if group_of(shard(&stored(key))) == g {
                let (id, _) = intern_one(tables, g, count, key);
                ids[n].store(id, Ordering::Relaxed);
            }
        }
        base += batch.len();
    }
}
