//! Exact counting: union-find over keys, one component per person.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicU32;

use crate::{IdentifierKind, KeyRows, PersonCount, PersonKey};

mod chunked;
mod intern;
mod key_table;
mod members;
#[cfg(test)]
mod tests;
mod zeroed;

use chunked::*;
use intern::*;
use key_table::*;
pub use members::AssetId;
use members::*;

/// Counts distinct persons exactly.
///
/// Every distinct [`PersonKey`] is an element of a union-find forest. All
/// keys found in one row (one record) are taken to belong to one person and
/// are joined, so a customer row holding an ID and a phone links that phone
/// to that ID everywhere else it appears. The number of persons is the number
/// of connected components.
///
/// Feed large holdings with [`add_rows`](Self::add_rows) or
/// [`add_batches`](Self::add_batches) (a batch at a time): it overlaps the
/// cache misses of many keys and is several times faster than
/// [`add_row`](Self::add_row) per row. A batch's keys are looked up on
/// several cores (the key tables are split by key, one task per table);
/// linking its rows is one pass on the calling thread.
///
/// # Memory
///
/// Per distinct key: 12 bytes of key (the top 96 bits: kind tag plus 92 MAC
/// bits; a false merge needs a 92-bit collision, about 10⁻¹² at 10⁸ keys)
/// and its 4-byte element index in a hash table that is 1/2 to 3/4 full,
/// plus 4 bytes of parent index: 25 to 36 bytes per key, e.g. 2.5 to 3.6 GB
/// for 10⁸ distinct keys. Per asset, 4 bytes per row, or one bit per key of
/// all assets once that is less. The buffers of the largest batch added so far
/// are kept: 4 bytes per key, and 16 more once it is large enough to be sorted
/// for lookup (16 MB for a batch of a million keys). See
/// [`approx_bytes`](Self::approx_bytes).
///
/// # Panics
///
/// Adding more than `u32::MAX` distinct keys panics.
pub struct ExactCounter {
    tables: Vec<KeyTable>,
    /// Union-find parents. Invariant: `parent[i] <= i` (a union hangs the
    /// larger root under the smaller), so one forward pass resolves every
    /// root ([`roots`](Self::roots)).
    parent: Chunked<u32>,
    /// Ids handed out and keys per kind, per key table.
    counts: [TableCount; SHARDS],
    components: u64,
    assets: Vec<Asset>,
    asset_names: HashMap<String, AssetId>,
    /// Element indices of the batch being added (kept to reuse its buffer).
    scratch: Vec<u32>,
    /// A large batch's keys, sorted for lookup, one buffer per sorting task (kept to reuse
    /// the buffers).
    sorted: Vec<Vec<Slot>>,
    /// Every element's root, computed once for all the asset counts asked after the last
    /// change ([`roots`](Self::roots)); cleared by every method that adds or links.
    roots_memo: std::sync::OnceLock<Vec<u32>>,
}

impl Default for ExactCounter {
    fn default() -> Self {
        Self::new()
    }
}

impl ExactCounter {
    /// An empty counter.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty counter with room for about `keys` distinct keys before its
    /// tables first grow.
    pub fn with_capacity(keys: usize) -> Self {
        let per_shard = if keys == 0 {
            0
        } else {
            keys / SHARDS + keys / SHARDS / 32 + 16
        };
        let mut c = ExactCounter {
            tables: (0..SHARDS)
                .map(|_| KeyTable::with_capacity(per_shard))
                .collect(),
            parent: Chunked::new(),
            counts: [TableCount::default(); SHARDS],
            components: 0,
            assets: Vec::new(),
            asset_names: HashMap::new(),
            scratch: Vec::new(),
            sorted: Vec::new(),
            roots_memo: std::sync::OnceLock::new(),
        };
        c.parent.reserve(keys);
        c
    }

    /// Registers an asset (table, file, sheet…) by name and returns its
    /// handle; registering the same name again returns the same handle.
    pub fn register_asset(&mut self, name: &str) -> AssetId {
        if let Some(&id) = self.asset_names.get(name) {
            return id;
        }
        let id = AssetId(u32::try_from(self.assets.len()).expect("more than u32::MAX assets"));
        self.assets.push(Asset {
            name: name.to_owned(),
            members: Members::List(Vec::new()),
        });
        self.asset_names.insert(name.to_owned(), id);
        id
    }

    /// The name an asset was registered with.
    pub fn asset_name(&self, asset: AssetId) -> Option<&str> {
        self.assets.get(asset.0 as usize).map(|a| a.name.as_str())
    }

    /// All registered assets in registration order.
    pub fn assets(&self) -> impl Iterator<Item = (AssetId, &str)> + '_ {
        self.assets
            .iter()
            .enumerate()
            .map(|(i, a)| (AssetId(i as u32), a.name.as_str()))
    }

    /// Adds one row: all `keys` are identifiers of the same person. An empty
    /// row does nothing; a row with a single key adds that key.
    pub fn add_row(&mut self, keys: &[PersonKey]) {
        self.add_row_root(keys);
    }

    /// Like [`add_row`](Self::add_row), and records that the person appears
    /// in `asset`.
    ///
    /// # Panics
    ///
    /// If `asset` was not registered with this counter.
    pub fn add_asset_row(&mut self, asset: AssetId, keys: &[PersonKey]) {
        if let Some(root) = self.add_row_root(keys) {
            self.assets[asset.0 as usize]
                .members
                .insert(root, self.parent.len);
        }
    }

    fn add_row_root(&mut self, keys: &[PersonKey]) -> Option<u32> {
        let (&first, rest) = keys.split_first()?;
        self.roots_memo.take();
        let mut anchor = self.intern(first);
        for &k in rest {
            let i = self.intern(k);
            anchor = self.link(anchor, i);
        }
        Some(anchor)
    }

    /// Adds a batch of rows, as [`add_row`](Self::add_row) or, with an
    /// asset, [`add_asset_row`](Self::add_asset_row) would one by one.
    ///
    /// # Panics
    ///
    /// If `asset` was not registered with this counter.
    pub fn add_rows(&mut self, asset: Option<AssetId>, rows: &KeyRows) {
        self.add_batches(asset, std::slice::from_ref(rows));
    }

    /// Adds several batches of rows, as [`add_rows`](Self::add_rows) would one
    /// by one, looking up the keys of all of them in one parallel step.
    ///
    /// # Panics
    ///
    /// If `asset` was not registered with this counter.
    pub fn add_batches(&mut self, asset: Option<AssetId>, batches: &[KeyRows]) {
        self.add_assets_batches(&[(asset, batches)]);
    }

    /// Adds the batches of several assets, as [`add_batches`](Self::add_batches) would asset
    /// by asset, looking up the keys of all of them in one parallel step: the larger the
    /// step, the fewer pages of the key tables each lookup lands on (see `intern_all`).
    ///
    /// # Panics
    ///
    /// If an asset was not registered with this counter.
    pub fn add_assets_batches(&mut self, work: &[(Option<AssetId>, &[KeyRows])]) {
        self.roots_memo.take();
        let keys: Vec<&[PersonKey]> = work
            .iter()
            .flat_map(|(_, batches)| batches.iter().map(KeyRows::keys))
            .collect();
        let total = keys.iter().map(|k| k.len()).sum();
        let mut ids = std::mem::take(&mut self.scratch);
        ids.clear();
        ids.resize(total, 0);
        // Reuses the buffer: a `u32` and an `AtomicU32` have one layout.
        let shared: Vec<AtomicU32> = ids.into_iter().map(AtomicU32::new).collect();
        let before: u64 = self.distinct_keys();
        intern_all(
            &mut self.tables,
            &mut self.counts,
            &mut self.sorted,
            &keys,
            &shared,
        );
        let ids: Vec<u32> = shared.into_iter().map(AtomicU32::into_inner).collect();
        self.components += self.distinct_keys() - before;
        self.parent.extend_identity(self.id_bound());
        let mut base = 0;
        for &(asset, batches) in work {
            for rows in batches {
                let n = rows.keys().len();
                self.link_rows(asset, &ids[base..base + n], rows.ends());
                base += n;
            }
        }
        self.scratch = ids;
    }

    /// One more than the largest element id handed out.
    fn id_bound(&self) -> usize {
        (0..SHARDS)
            .map(|t| self.counts[t].id_bound(t))
            .max()
            .unwrap_or(0)
    }

    /// Links the rows of one batch whose keys are the elements `ids` (rows end
    /// at `ends`), recording each row's person in `asset`.
    fn link_rows(&mut self, asset: Option<AssetId>, ids: &[u32], ends: &[u32]) {
        let mut start = 0;
        let mut prefetched = 0;
        for (r, &end) in ends.iter().enumerate() {
            let end = end as usize;
            let upto = (end + 2 * AHEAD).min(ids.len());
            for &ahead in &ids[prefetched.max(end)..upto] {
                prefetch(self.parent.at(ahead));
            }
            prefetched = upto;
            let mut anchor = ids[start];
            for &i in &ids[start + 1..end] {
                anchor = self.link(anchor, i);
            }
            if let Some(asset) = asset {
                // Any element of the row stands for its person; the first one is known
                // ahead of time, so its bit can be prefetched.
                let members = &mut self.assets[asset.0 as usize].members;
                // Row r + AHEAD starts where row r + AHEAD - 1 ends.
                let later = ends.get(r + AHEAD - 1).and_then(|&e| ids.get(e as usize));
                if let Some(&element) = later {
                    members.prefetch(element);
                }
                members.insert(ids[start], self.parent.len);
            }
            start = end;
        }
    }

    /// Puts `a` and `b` in one component and returns an element of it.
    ///
    /// Shortcut for the common case of a key seen for the first time (or
    /// never linked yet): a root with a larger index than the other element
    /// cannot be that element's ancestor (every tree's root is its smallest
    /// element), so it is hung under the other element directly, without
    /// looking for the other's root.
    fn link(&mut self, a: u32, b: u32) -> u32 {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        if lo == hi {
            return lo;
        }
        if self.parent.get(hi) == hi {
            self.parent.set(hi, lo);
            self.components -= 1;
            return lo;
        }
        self.union(a, b)
    }

    /// Index of `key`, adding it as a new singleton component if unseen.
    fn intern(&mut self, key: PersonKey) -> u32 {
        let (i, new) = intern_one(&mut self.tables, &mut self.counts, key);
        if new {
            self.parent.extend_identity(i as usize + 1);
            self.components += 1;
        }
        i
    }

    /// Root of `i`, halving the path behind it.
    fn find(&mut self, mut i: u32) -> u32 {
        loop {
            let p = self.parent.get(i);
            if p == i {
                return i;
            }
            let grand = self.parent.get(p);
            self.parent.set(i, grand);
            i = grand;
        }
    }

    /// Root of `i` without modifying the forest.
    fn find_ro(&self, mut i: u32) -> u32 {
        while self.parent.get(i) != i {
            i = self.parent.get(i);
        }
        i
    }

    /// Joins the components of `a` and `b`; returns the new root, the
    /// smaller of the two (which keeps `parent[i] <= i`).
    fn union(&mut self, a: u32, b: u32) -> u32 {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return ra;
        }
        self.components -= 1;
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent.set(hi, lo);
        lo
    }

    /// The root of every element, computed once until the next change.
    ///
    /// Parents come before their children, so one forward pass resolves every root from
    /// those already resolved. To use every core, the elements are cut into runs: each run
    /// is resolved within itself at once, a parent in an earlier run is kept as it is, and
    /// those are looked up run after run, once the earlier runs are final.
    fn roots(&self) -> &[u32] {
        self.roots_memo.get_or_init(|| {
            let run = self.parent.len.div_ceil(rayon::current_num_threads());
            self.roots_in_runs(run.max(1 << 16))
        })
    }

    /// [`roots`](Self::roots), resolving runs of `run` elements on the rayon pool.
    fn roots_in_runs(&self, run: usize) -> Vec<u32> {
        use rayon::prelude::*;
        let n = self.parent.len;
        let mut roots: Vec<u32> = written_zeros(n);
        roots.par_chunks_mut(run).enumerate().for_each(|(r, out)| {
            let start = r * run;
            for j in 0..out.len() {
                let i = (start + j) as u32;
                let p = self.parent.get(i);
                debug_assert!(p <= i, "a parent comes before its child");
                out[j] = match (p as usize).checked_sub(start) {
                    Some(local) if p != i => out[local],
                    _ => p,
                };
            }
        });
        for start in (run..n).step_by(run) {
            let (done, rest) = roots.split_at_mut(start);
            let len = run.min(rest.len());
            rest[..len].par_iter_mut().for_each(|v| {
                if (*v as usize) < start {
                    *v = done[*v as usize];
                }
            });
        }
        roots
    }

    /// Number of distinct persons (connected components).
    pub fn distinct_persons(&self) -> u64 {
        self.components
    }

    /// Number of distinct identifier values (keys) added.
    pub fn distinct_keys(&self) -> u64 {
        self.counts.iter().map(|c| u64::from(c.next)).sum()
    }

    /// Distinct identifier *values* per kind (kinds never seen are left out).
    /// A person with two phone numbers adds 2 to `pi.mobile_phone`.
    pub fn distinct_by_kind(&self) -> BTreeMap<IdentifierKind, u64> {
        let mut by_kind = [0; IdentifierKind::COUNT];
        for c in &self.counts {
            by_kind.iter_mut().zip(c.by_kind).for_each(|(t, n)| *t += n);
        }
        by_kind_map(&by_kind)
    }

    /// The count as exact [`PersonCount`] (`lower == upper == distinct`).
    pub fn count(&self) -> PersonCount {
        PersonCount::exact(self.components)
    }

    /// Distinct persons seen in `asset`, after all linking done so far (so a
    /// link found in another asset can merge two of this asset's rows).
    /// 0 for an unknown handle. To count many assets, use
    /// [`persons_by_asset`](Self::persons_by_asset).
    pub fn asset_persons(&self, asset: AssetId) -> u64 {
        self.persons_in_assets(&[asset])
    }

    /// Distinct persons seen in any of `assets`: e.g. the persons whose data
    /// is vehicle data, for the vehicle-PI threshold.
    pub fn persons_in_assets(&self, assets: &[AssetId]) -> u64 {
        let members: Vec<&Members> = assets
            .iter()
            .filter_map(|a| self.assets.get(a.0 as usize))
            .map(|a| &a.members)
            .collect();
        Resolver::new(self, &members).count_union(&members)
    }

    /// Distinct persons of every registered asset, in registration order (resolving every
    /// root once, rather than once per asset; assets are counted on every core).
    pub fn persons_by_asset(&self) -> Vec<(AssetId, u64)> {
        use rayon::prelude::*;
        let members: Vec<&Members> = self.assets.iter().map(|a| &a.members).collect();
        let resolver = Resolver::new(self, &members);
        members
            .par_iter()
            .map_init(
                || written_zeros(resolver.words()),
                |seen, m| resolver.count_in(&[m], seen),
            )
            .collect::<Vec<u64>>()
            .into_iter()
            .enumerate()
            .map(|(i, n)| (AssetId(i as u32), n))
            .collect()
    }

    /// Adds everything `other` has seen (keys, links and asset rows, matched
    /// to this counter's assets by name). Both counters must hold keys from
    /// keyers with the same secret; keys of different secrets never match.
    pub fn merge(&mut self, other: &ExactCounter) {
        self.roots_memo.take();
        let mut local = vec![0u32; other.parent.len];
        for slot in other.tables.iter().flat_map(KeyTable::iter) {
            local[slot[3] as usize] = self.intern(unstored(slot_key(slot)));
        }
        for j in 0..other.parent.len {
            let r = other.find_ro(j as u32) as usize;
            if r != j {
                self.union(local[j], local[r]);
            }
        }
        for asset in &other.assets {
            let id = self.register_asset(&asset.name);
            let elements = self.parent.len;
            let members = &mut self.assets[id.0 as usize].members;
            asset
                .members
                .for_each(|i| members.insert(local[i as usize], elements));
        }
    }

    /// Approximate heap bytes held, from allocated capacities.
    pub fn approx_bytes(&self) -> usize {
        self.tables.iter().map(KeyTable::heap_bytes).sum::<usize>()
            + self.parent.heap_bytes()
            + self.scratch.capacity() * 4
            + self.sorted.iter().map(|s| s.capacity() * 16).sum::<usize>()
            + self
                .assets
                .iter()
                .map(|a| a.members.heap_bytes() + 2 * a.name.capacity() + 64)
                .sum::<usize>()
    }
}

/// Resolves asset rows to their current roots and counts distinct roots, with one bit per
/// element marking the roots already seen.
struct Resolver<'a> {
    counter: &'a ExactCounter,
    /// Every element's root ([`ExactCounter::roots`]) when many rows are to be resolved;
    /// otherwise each row is resolved by walking up the forest.
    roots: Option<&'a [u32]>,
}

impl<'a> Resolver<'a> {
    fn new(counter: &'a ExactCounter, members: &[&Members]) -> Self {
        let rows: usize = members.iter().map(|m| m.len_hint()).sum();
        let n = counter.parent.len;
        Resolver {
            counter,
            roots: (rows * 8 >= n && rows > 0).then(|| counter.roots()),
        }
    }

    fn root(&self, i: u32) -> u32 {
        match self.roots {
            Some(roots) => roots[i as usize],
            None => self.counter.find_ro(i),
        }
    }

    /// Words of a bit set over every element.
    fn words(&self) -> usize {
        self.counter.parent.len.div_ceil(64)
    }

    /// Distinct persons among the rows of `members`, marking their roots in `seen`, which
    /// is all clear before and after.
    fn count_in(&self, members: &[&Members], seen: &mut [u64]) -> u64 {
        let mut distinct = 0;
        for m in members {
            m.for_each(|i| {
                let r = self.root(i) as usize;
                let (word, bit) = (r / 64, 1u64 << (r % 64));
                if seen[word] & bit == 0 {
                    seen[word] |= bit;
                    distinct += 1;
                }
            });
        }
        // Every set bit is the root of one of these rows: clear their words.
        for m in members {
            m.for_each(|i| seen[self.root(i) as usize / 64] = 0);
        }
        distinct
    }

    /// Distinct persons over the rows of all `members`: small sets in one pass, large ones
    /// in one bit set per core, joined at the end.
    fn count_union(&self, members: &[&Members]) -> u64 {
        let rows: usize = members.iter().map(|m| m.len_hint()).sum();
        if rows < 1 << 20 {
            let mut seen = written_zeros(if rows == 0 { 0 } else { self.words() });
            return self.count_in(members, &mut seen);
        }
        use rayon::prelude::*;
        // Each core marks the roots of its share of the assets in a bit set of its own.
        let cores = rayon::current_num_threads().clamp(1, members.len());
        let shares: Vec<Vec<&Members>> = (0..cores)
            .map(|c| members.iter().skip(c).step_by(cores).copied().collect())
            .collect();
        let seen = shares
            .into_par_iter()
            .map(|share| {
                let mut seen: Vec<u64> = written_zeros(self.words());
                for m in share {
                    m.for_each(|i| {
                        let r = self.root(i) as usize;
                        seen[r / 64] |= 1 << (r % 64);
                    });
                }
                seen
            })
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x |= y);
                a
            })
            .unwrap_or_default();
        seen.iter().map(|w| u64::from(w.count_ones())).sum()
    }
}

impl std::fmt::Debug for ExactCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExactCounter")
            .field("distinct_keys", &self.distinct_keys())
            .field("distinct_persons", &self.components)
            .field("assets", &self.assets.len())
            .finish_non_exhaustive()
    }
}

pub(crate) fn by_kind_map(counts: &[u64; IdentifierKind::COUNT]) -> BTreeMap<IdentifierKind, u64> {
    IdentifierKind::ALL
        .into_iter()
        .filter(|k| counts[k.index()] > 0)
        .map(|k| (k, counts[k.index()]))
        .collect()
}
