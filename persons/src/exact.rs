//! Exact counting: union-find over keys, one component per person.

use std::collections::{BTreeMap, HashMap};

use crate::{IdentifierKind, KeyRows, PersonCount, PersonKey};

/// The part of a [`PersonKey`] kept per distinct key: its top 96 bits (the
/// 4-bit kind tag and 92 bits of MAC), as three `u32`. The tag is 1..=5, so
/// the first word is never 0 and an all-zero slot can mean "empty".
type Stored = [u32; 3];

fn stored(key: PersonKey) -> Stored {
    let v = key.raw() >> 32;
    [(v >> 64) as u32, (v >> 32) as u32, v as u32]
}

fn unstored(s: Stored) -> PersonKey {
    let v = (u128::from(s[0]) << 96) | (u128::from(s[1]) << 64) | (u128::from(s[2]) << 32);
    PersonKey::from_bytes(v.to_be_bytes())
        .unwrap_or_else(|| unreachable!("stored keys carry a valid kind"))
}

/// Table hash of a stored key: its low 64 bits, which are MAC output and so
/// already uniformly distributed.
fn stored_hash(s: &Stored) -> u64 {
    (u64::from(s[1]) << 32) | u64::from(s[2])
}

/// Number of key tables. Each key goes to the table picked by MAC bits that
/// [`stored_hash`] does not use (the top word holds the kind tag in its top
/// 4 bits only). Many small tables instead of one: growing copies one table
/// (1/64 of the keys), so it never needs twice the memory of the whole index.
const SHARDS: usize = 64;

fn shard(s: &Stored) -> usize {
    s[0] as usize % SHARDS
}

/// How many keys ahead the batch loop of [`ExactCounter::add_rows`] asks the
/// CPU to fetch a table slot. Lookups into a table of tens of millions of
/// keys miss every cache; overlapping the misses of several keys is what
/// makes the batch loop several times faster than one lookup at a time.
const AHEAD: usize = 16;

/// Hints the CPU to load the cache line holding `item`. Never faults.
#[inline(always)]
#[allow(unused_unsafe)]
fn prefetch<T>(item: &T) {
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
/// element index; all zero when empty. A plain array, so a new table comes
/// from zeroed memory (fresh pages from the OS) instead of being filled, and
/// sixteen bytes, so with the allocator's 16-byte alignment four slots share
/// a cache line and none straddles two.
type Slot = [u32; 4];

fn slot_key(s: &Slot) -> Stored {
    [s[0], s[1], s[2]]
}

/// Open addressing with linear probing, each key beside its index, so a
/// lookup usually touches one cache line (a table of indices alone needs a
/// second access to compare the key). Any capacity works, because the home
/// slot is `hash × capacity / 2⁶⁴`; the table grows by half when 3/4 full,
/// so it stays between 1/2 and 3/4 full.
struct KeyTable {
    slots: Vec<Slot>,
    len: usize,
}

impl KeyTable {
    fn with_capacity(keys: usize) -> Self {
        let n = if keys == 0 { 0 } else { keys * 4 / 3 + 16 };
        KeyTable {
            slots: vec![[0; 4]; n],
            len: 0,
        }
    }

    fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.slots.len() as u128) >> 64) as usize
    }

    fn prefetch(&self, hash: u64) {
        if let Some(slot) = self.slots.get(self.home(hash)) {
            prefetch(slot);
        }
    }

    /// The index stored with `key`; if absent, stores `key` with index `new`
    /// and returns `(new, true)`.
    fn get_or_insert(&mut self, key: Stored, hash: u64, new: u32) -> (u32, bool) {
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

    fn grow(&mut self) {
        let cap = (self.slots.len() * 3 / 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![[0; 4]; cap]);
        for s in old.into_iter().filter(|s| s[0] != 0) {
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

    fn iter(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.slots.iter().filter(|s| s[0] != 0)
    }

    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
    }
}

/// Handle of an asset registered with [`ExactCounter::register_asset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(u32);

struct Asset {
    name: String,
    members: Members,
}

/// The elements recorded for an asset's rows: for each row, one element of
/// its component (any key of the row will do). Later unions may merge some
/// of them, so they are resolved to their current roots when counting.
enum Members {
    /// One entry per row (a repeat of the previous entry is skipped). Small
    /// assets stay lists.
    List(Vec<u32>),
    /// One bit per element, once a list would take more memory than that
    /// (more entries than 1/32 of all elements).
    Bits(Vec<u64>),
}

impl Members {
    /// Records `element`; `elements` is the number of elements in the forest.
    fn insert(&mut self, element: u32, elements: usize) {
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
    fn prefetch(&self, element: u32) {
        if let Members::Bits(bits) = self {
            if let Some(word) = bits.get(element as usize / 64) {
                prefetch(word);
            }
        }
    }

    fn len_hint(&self) -> usize {
        match self {
            Members::List(list) => list.len(),
            Members::Bits(bits) => bits.len() * 64,
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match self {
            Members::List(list) => Box::new(list.iter().copied()),
            Members::Bits(bits) => Box::new(bits.iter().enumerate().flat_map(|(w, &word)| {
                let base = (w * 64) as u32;
                BitIter(word).map(move |b| base + b)
            })),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Members::List(list) => list.capacity() * 4,
            Members::Bits(bits) => bits.capacity() * 8,
        }
    }
}

/// Sets bit `i`, growing the bit set to cover all `elements` if needed.
fn set_bit(bits: &mut Vec<u64>, i: u32, elements: usize) {
    let word = i as usize / 64;
    if word >= bits.len() {
        let len = elements.div_ceil(64).max(word + 1);
        bits.resize(len, 0);
    }
    bits[word] |= 1 << (i % 64);
}

/// Positions of the set bits of a word, lowest first.
struct BitIter(u64);

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

/// Elements per chunk of the per-key arrays.
const CHUNK: usize = 1 << 16;

/// A growable array stored in fixed chunks of [`CHUNK`] elements: no
/// doubling slack beyond one chunk and no reallocation spike (copying a
/// gigabyte-sized `Vec` briefly needs three times its size).
struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T: Copy> Chunked<T> {
    fn new() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, v: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(v),
            _ => {
                // The first chunk grows from small, so tiny counters stay tiny.
                let cap = if self.chunks.is_empty() { 0 } else { CHUNK };
                let mut c = Vec::with_capacity(cap);
                c.push(v);
                self.chunks.push(c);
            }
        }
        self.len += 1;
    }

    fn reserve(&mut self, additional: usize) {
        if self.chunks.is_empty() && additional > 0 {
            self.chunks.push(Vec::with_capacity(additional.min(CHUNK)));
        }
    }

    fn at(&self, i: u32) -> &T {
        let i = i as usize;
        &self.chunks[i / CHUNK][i % CHUNK]
    }

    fn get(&self, i: u32) -> T {
        *self.at(i)
    }

    fn set(&mut self, i: u32, v: T) {
        let i = i as usize;
        self.chunks[i / CHUNK][i % CHUNK] = v;
    }

    fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * std::mem::size_of::<Vec<T>>()
            + self
                .chunks
                .iter()
                .map(|c| c.capacity() * std::mem::size_of::<T>())
                .sum::<usize>()
    }
}

/// Counts distinct persons exactly.
///
/// Every distinct [`PersonKey`] is an element of a union-find forest. All
/// keys found in one row (one record) are taken to belong to one person and
/// are joined, so a customer row holding an ID and a phone links that phone
/// to that ID everywhere else it appears. The number of persons is the number
/// of connected components.
///
/// Feed large holdings with [`add_rows`](Self::add_rows) (a batch at a time):
/// it overlaps the cache misses of many keys and is several times faster
/// than [`add_row`](Self::add_row) per row.
///
/// # Memory
///
/// Per distinct key: 12 bytes of key (the top 96 bits: kind tag plus 92 MAC
/// bits; a false merge needs a 92-bit collision, about 10⁻¹² at 10⁸ keys)
/// and its 4-byte element index in a hash table that is 1/2 to 3/4 full,
/// plus 4 bytes of parent index: 25 to 36 bytes per key, e.g. 2.5 to 3.6 GB
/// for 10⁸ distinct keys. Per asset, 4 bytes per row, or one bit per key of
/// all assets once that is less. See
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
    components: u64,
    by_kind: [u64; 5],
    assets: Vec<Asset>,
    asset_names: HashMap<String, AssetId>,
    /// Element indices of the batch being added (kept to reuse its buffer).
    scratch: Vec<u32>,
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
            components: 0,
            by_kind: [0; 5],
            assets: Vec::new(),
            asset_names: HashMap::new(),
            scratch: Vec::new(),
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
        let keys = rows.keys();
        let mut ids = std::mem::take(&mut self.scratch);
        ids.clear();
        ids.reserve(keys.len());
        for (i, &key) in keys.iter().enumerate() {
            if let Some(&ahead) = keys.get(i + AHEAD) {
                let s = stored(ahead);
                self.tables[shard(&s)].prefetch(stored_hash(&s));
            }
            ids.push(self.intern(key));
        }
        let mut start = 0;
        let mut prefetched = 0;
        let ends = rows.ends();
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
        self.scratch = ids;
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
        let s = stored(key);
        let next = u32::try_from(self.parent.len).expect("more than u32::MAX distinct identifiers");
        let (i, new) = self.tables[shard(&s)].get_or_insert(s, stored_hash(&s), next);
        if new {
            self.parent.push(i);
            self.components += 1;
            self.by_kind[key.kind().index()] += 1;
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

    /// The root of every element, in one forward pass (parents come before
    /// their children).
    fn roots(&self) -> Vec<u32> {
        let n = self.parent.len;
        let mut roots: Vec<u32> = Vec::with_capacity(n);
        for i in 0..n as u32 {
            let p = self.parent.get(i);
            debug_assert!(p <= i, "a parent comes before its child");
            let root = if p == i { i } else { roots[p as usize] };
            roots.push(root);
        }
        roots
    }

    /// Number of distinct persons (connected components).
    pub fn distinct_persons(&self) -> u64 {
        self.components
    }

    /// Number of distinct identifier values (keys) added.
    pub fn distinct_keys(&self) -> u64 {
        self.parent.len as u64
    }

    /// Distinct identifier *values* per kind (kinds never seen are left out).
    /// A person with two phone numbers adds 2 to `pi.mobile_phone`.
    pub fn distinct_by_kind(&self) -> BTreeMap<IdentifierKind, u64> {
        by_kind_map(&self.by_kind)
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
        let mut resolver = Resolver::new(self, assets.iter().copied());
        resolver.count(assets.iter().copied())
    }

    /// Distinct persons of every registered asset, in registration order
    /// (resolving every root once, rather than once per asset).
    pub fn persons_by_asset(&self) -> Vec<(AssetId, u64)> {
        let all = || (0..self.assets.len() as u32).map(AssetId);
        let mut resolver = Resolver::new(self, all());
        all().map(|a| (a, resolver.count([a]))).collect()
    }

    /// Adds everything `other` has seen (keys, links and asset rows, matched
    /// to this counter's assets by name). Both counters must hold keys from
    /// keyers with the same secret; keys of different secrets never match.
    pub fn merge(&mut self, other: &ExactCounter) {
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
            for i in asset.members.iter() {
                let element = local[i as usize];
                self.assets[id.0 as usize]
                    .members
                    .insert(element, self.parent.len);
            }
        }
    }

    /// Approximate heap bytes held, from allocated capacities.
    pub fn approx_bytes(&self) -> usize {
        self.tables.iter().map(KeyTable::heap_bytes).sum::<usize>()
            + self.parent.heap_bytes()
            + self.scratch.capacity() * 4
            + self
                .assets
                .iter()
                .map(|a| a.members.heap_bytes() + 2 * a.name.capacity() + 64)
                .sum::<usize>()
    }
}

/// Resolves asset rows to their current roots and counts distinct roots,
/// with one bit per element marking the roots already seen.
struct Resolver<'a> {
    counter: &'a ExactCounter,
    /// Every element's root, computed in one pass when many rows are to be
    /// resolved; otherwise each row is resolved by walking up the forest.
    roots: Option<Vec<u32>>,
    seen: Vec<u64>,
}

impl<'a> Resolver<'a> {
    fn new(counter: &'a ExactCounter, assets: impl Iterator<Item = AssetId>) -> Self {
        let rows: usize = assets
            .filter_map(|a| counter.assets.get(a.0 as usize))
            .map(|a| a.members.len_hint())
            .sum();
        let n = counter.parent.len;
        Resolver {
            counter,
            roots: (rows * 8 >= n && rows > 0).then(|| counter.roots()),
            seen: vec![0; if rows == 0 { 0 } else { n.div_ceil(64) }],
        }
    }

    fn root(&self, i: u32) -> u32 {
        match &self.roots {
            Some(roots) => roots[i as usize],
            None => self.counter.find_ro(i),
        }
    }

    /// Distinct persons over the rows of `assets`; leaves `seen` clear.
    fn count(&mut self, assets: impl IntoIterator<Item = AssetId>) -> u64 {
        let counter = self.counter;
        let members: Vec<&Members> = assets
            .into_iter()
            .filter_map(|a| counter.assets.get(a.0 as usize))
            .map(|a| &a.members)
            .collect();
        let mut distinct = 0;
        for i in members.iter().flat_map(|m| m.iter()) {
            let r = self.root(i) as usize;
            let (word, bit) = (r / 64, 1u64 << (r % 64));
            if self.seen[word] & bit == 0 {
                self.seen[word] |= bit;
                distinct += 1;
            }
        }
        // Every set bit is the root of one of these rows: clear their words.
        for i in members.iter().flat_map(|m| m.iter()) {
            let r = self.root(i) as usize;
            self.seen[r / 64] = 0;
        }
        distinct
    }
}

impl std::fmt::Debug for ExactCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExactCounter")
            .field("distinct_keys", &self.parent.len)
            .field("distinct_persons", &self.components)
            .field("assets", &self.assets.len())
            .finish_non_exhaustive()
    }
}

pub(crate) fn by_kind_map(counts: &[u64; 5]) -> BTreeMap<IdentifierKind, u64> {
    IdentifierKind::ALL
        .into_iter()
        .filter(|k| counts[k.index()] > 0)
        .map(|k| (k, counts[k.index()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: IdentifierKind, n: u64) -> PersonKey {
        // Synthetic well-spread keys; the counter only needs uniqueness.
        let v = u128::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
        PersonKey::from_parts(kind, v ^ (v >> 64))
    }

    #[test]
    fn stored_round_trip_keeps_kind() {
        for k in IdentifierKind::ALL {
            let pk = key(k, 7);
            let back = unstored(stored(pk));
            assert_eq!(back.kind(), k);
            assert_eq!(stored(back), stored(pk));
        }
    }

    #[test]
    fn union_find_components() {
        use IdentifierKind::*;
        let mut c = ExactCounter::new();
        c.add_row(&[]);
        assert_eq!(c.distinct_persons(), 0);
        c.add_row(&[key(MobilePhone, 1)]);
        c.add_row(&[key(MobilePhone, 2)]);
        c.add_row(&[key(MobilePhone, 1)]);
        assert_eq!(c.distinct_persons(), 2);
        // Chain 1 - id9 - 2 collapses to one person.
        c.add_row(&[key(CnResidentId, 9), key(MobilePhone, 1)]);
        assert_eq!(c.distinct_persons(), 2);
        c.add_row(&[key(MobilePhone, 2), key(CnResidentId, 9)]);
        assert_eq!(c.distinct_persons(), 1);
        assert_eq!(c.distinct_keys(), 3);
        assert_eq!(
            c.distinct_by_kind(),
            BTreeMap::from([(CnResidentId, 1), (MobilePhone, 2)])
        );
    }

    /// A small deterministic generator for the randomised tests.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// Reference count: components by breadth-first search over the rows.
    fn components(rows: &[Vec<PersonKey>]) -> (u64, Vec<u64>) {
        let mut ids: HashMap<PersonKey, usize> = HashMap::new();
        let mut edges: Vec<Vec<usize>> = Vec::new();
        for row in rows {
            let idx: Vec<usize> = row
                .iter()
                .map(|k| {
                    let n = ids.len();
                    *ids.entry(*k).or_insert_with(|| {
                        edges.push(Vec::new());
                        n
                    })
                })
                .collect();
            for w in idx.windows(2) {
                edges[w[0]].push(w[1]);
                edges[w[1]].push(w[0]);
            }
        }
        let mut comp = vec![usize::MAX; edges.len()];
        let mut n = 0u64;
        for start in 0..edges.len() {
            if comp[start] != usize::MAX {
                continue;
            }
            let mut stack = vec![start];
            comp[start] = n as usize;
            while let Some(v) = stack.pop() {
                for &w in &edges[v] {
                    if comp[w] == usize::MAX {
                        comp[w] = n as usize;
                        stack.push(w);
                    }
                }
            }
            n += 1;
        }
        let per_row = rows
            .iter()
            .map(|r| comp[ids[&r[0]]] as u64)
            .collect::<Vec<_>>();
        (n, per_row)
    }

    #[test]
    fn batches_match_row_by_row_and_a_reference_search() {
        use IdentifierKind::*;
        let mut rng = Lcg(42);
        // 40,000 rows over a pool small enough that rows link into chains,
        // spread over three assets; enough keys for every table to grow.
        let rows: Vec<Vec<PersonKey>> = (0..40_000)
            .map(|_| match rng.below(3) {
                0 => vec![key(CnResidentId, rng.below(30_000))],
                1 => vec![
                    key(MobilePhone, rng.below(30_000)),
                    key(CnResidentId, rng.below(30_000)),
                ],
                _ => vec![
                    key(Email, rng.below(30_000)),
                    key(MobilePhone, rng.below(30_000)),
                    key(Passport, rng.below(30_000)),
                ],
            })
            .collect();
        let (truth, comp_of_row) = components(&rows);

        let mut one = ExactCounter::new();
        let mut batched = ExactCounter::new();
        let assets: Vec<(AssetId, AssetId)> = ["a", "b", "c"]
            .iter()
            .map(|n| (one.register_asset(n), batched.register_asset(n)))
            .collect();
        for (chunk_no, chunk) in rows.chunks(1000).enumerate() {
            let (a1, a2) = assets[chunk_no % 3];
            let mut batch = KeyRows::new();
            for row in chunk {
                one.add_asset_row(a1, row);
                batch.push_row(row);
            }
            batched.add_rows(Some(a2), &batch);
        }
        assert_eq!(one.distinct_persons(), truth);
        assert_eq!(batched.distinct_persons(), truth);
        assert_eq!(batched.distinct_keys(), one.distinct_keys());
        assert_eq!(batched.distinct_by_kind(), one.distinct_by_kind());

        // Per-asset persons: distinct reference components of the asset's rows.
        for (i, &(a1, a2)) in assets.iter().enumerate() {
            let mut expect: Vec<u64> = rows
                .chunks(1000)
                .enumerate()
                .filter(|(n, _)| n % 3 == i)
                .flat_map(|(n, c)| (0..c.len()).map(move |r| n * 1000 + r))
                .map(|r| comp_of_row[r])
                .collect();
            expect.sort_unstable();
            expect.dedup();
            let expect = expect.len() as u64;
            assert_eq!(one.asset_persons(a1), expect, "asset {i}, row by row");
            assert_eq!(batched.asset_persons(a2), expect, "asset {i}, batched");
            assert_eq!(batched.persons_by_asset()[i], (a2, expect));
        }
        let all: Vec<AssetId> = assets.iter().map(|a| a.1).collect();
        assert_eq!(batched.persons_in_assets(&all), truth);
    }

    #[test]
    fn few_rows_resolve_without_the_root_array() {
        // One asset with 2 rows among 100,000 keys takes the walk-up path.
        let mut c = ExactCounter::new();
        let a = c.register_asset("small");
        let mut batch = KeyRows::new();
        for i in 0..100_000 {
            batch.push_row(&[key(IdentifierKind::Email, i)]);
        }
        c.add_rows(None, &batch);
        c.add_asset_row(a, &[key(IdentifierKind::Email, 5)]);
        c.add_asset_row(a, &[key(IdentifierKind::Email, 6)]);
        assert_eq!(c.asset_persons(a), 2);
        c.add_row(&[key(IdentifierKind::Email, 5), key(IdentifierKind::Email, 6)]);
        assert_eq!(
            c.asset_persons(a),
            1,
            "a later link merges the asset's rows"
        );
        assert_eq!(c.distinct_persons(), 99_999);
    }

    #[test]
    fn memory_estimate_tracks_the_tables() {
        let mut c = ExactCounter::new();
        let mut batch = KeyRows::new();
        for i in 0..200_000 {
            batch.push_row(&[key(IdentifierKind::MobilePhone, i)]);
        }
        c.add_rows(None, &batch);
        let per_key = c.approx_bytes() as f64 / 200_000.0;
        assert!((20.0..=40.0).contains(&per_key), "{per_key} bytes per key");
    }

    #[test]
    fn long_chain_stays_correct() {
        let mut c = ExactCounter::with_capacity(10_000);
        for i in 0..10_000u64 {
            c.add_row(&[
                key(IdentifierKind::Email, i),
                key(IdentifierKind::Email, i + 1),
            ]);
        }
        assert_eq!(c.distinct_persons(), 1);
        assert_eq!(c.distinct_keys(), 10_001);
    }
}
