//! One small lazy DFA per set of candidate patterns, built the first time
//! the dispatch names that set.
//!
//! A DFA of every pattern at once is large: each distinct Han character a
//! pattern names (address levels, plate provinces, 年月日) splits the byte
//! alphabet, so its ~170 byte classes make every state row span many cache
//! lines, and its states multiply the positions of all patterns. A value's
//! walk through it is a chain of cache misses. The DFA of only the
//! patterns a value can match (a resident ID's ~7 digit patterns, a name's
//! 3 Han patterns) has a handful of classes and states, and stays in L1.
//! Real columns name few distinct candidate sets, so few are ever built.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::{Anchored, Input, MatchKind};

/// Candidate sets given a DFA of their own at most; others take the
/// general path.
const MAX_SUBSETS: usize = 1024;

/// The DFA of one candidate set, and which pattern each of its patterns is.
struct Subset {
    dfa: DFA,
    /// Subset pattern index -> pattern index in the whole set.
    owners: Vec<u8>,
}

/// The DFAs built so far, shared by every scan of a classifier set.
pub(super) struct Subsets {
    patterns: Vec<String>,
    built: Mutex<HashMap<u64, Option<Arc<Subset>>, MaskHash>>,
}

/// One scan's DFAs and their caches, by candidate set (a cache holds the
/// states built so far, so these are kept from scan to scan).
#[derive(Default)]
pub(super) struct SubsetCaches {
    /// Candidate set -> its walker in `walkers` (`None`: it has no DFA).
    by_mask: HashMap<u64, Option<usize>, MaskHash>,
    walkers: Vec<Walker>,
    /// The last candidate set looked up and its entry: the values of one
    /// column mostly share their candidates, so most lookups end here.
    last: (u64, Option<usize>),
}

/// A subset's DFA with this scan's cache, and what the states that values
/// ended in led to: the end-of-input step and reading the patterns out of
/// a lazy DFA state are slow, and a subset's values end in a few states.
struct Walker {
    subset: Arc<Subset>,
    cache: Cache,
    /// (state after a value's last byte, the patterns matched at the end
    /// of input as bits of the whole set), at most [`MAX_ENDS`].
    ends: Vec<(LazyStateID, u64)>,
    /// The cache's clear count when `ends` was filled (a clear renumbers
    /// states).
    clears: usize,
}

/// End states remembered per walker: a subset of free-form patterns may
/// end in many, and the list is searched in order.
const MAX_ENDS: usize = 16;

/// The lazy DFA could not answer (a quit byte, a cache that kept filling
/// up, a candidate set that could not be built).
pub(super) struct GaveUp;

impl Subsets {
    /// For `patterns` (at most 64), indexed as the dispatch's bits are.
    pub(super) fn new(patterns: &[&String]) -> Subsets {
        Subsets {
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            built: Mutex::default(),
        }
    }

    /// The DFA of the patterns in `mask`, built on first use.
    fn get(&self, mask: u64) -> Option<Arc<Subset>> {
        let mut built = self.built.lock().ok()?;
        if let Some(s) = built.get(&mask) {
            return s.clone();
        }
        if built.len() >= MAX_SUBSETS {
            return None;
        }
        let owners: Vec<u8> = (0..64u8).filter(|&p| mask & (1 << p) != 0).collect();
        let patterns: Vec<&str> = owners
            .iter()
            .map(|&p| self.patterns[usize::from(p)].as_str())
            .collect();
        let dfa = DFA::builder()
            .configure(
                // A Unicode word boundary (in a custom pattern) makes the DFA give up on
                // non-ASCII values, which then take the general path, instead of failing to build.
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true),
            )
            .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many(&patterns)
            .ok();
        let subset = dfa.map(|dfa| Arc::new(Subset { dfa, owners }));
        built.insert(mask, subset.clone());
        subset
    }
}

impl SubsetCaches {
    /// The patterns of `mask` (a set of candidates from the dispatch) that
    /// match all of `value`, as bits.
    pub(super) fn matches(
        &mut self,
        subsets: &Subsets,
        mask: u64,
        value: &str,
    ) -> Result<u64, GaveUp> {
        if self.last.0 != mask || mask == 0 {
            let walkers = &mut self.walkers;
            let entry = *self.by_mask.entry(mask).or_insert_with(|| {
                let subset = subsets.get(mask)?;
                let cache = subset.dfa.create_cache();
                walkers.push(Walker {
                    subset,
                    cache,
                    ends: Vec::new(),
                    clears: 0,
                });
                Some(walkers.len() - 1)
            });
            self.last = (mask, entry);
        }
        let walker = self.last.1.ok_or(GaveUp)?;
        self.walkers[walker].matches(value)
    }
}

impl Walker {
    fn matches(&mut self, value: &str) -> Result<u64, GaveUp> {
        let dfa = &self.subset.dfa;
        let Some(end) = walk(dfa, &mut self.cache, value)? else {
            return Ok(0);
        };
        if self.cache.clear_count() != self.clears {
            self.ends.clear();
            self.clears = self.cache.clear_count();
        }
        if let Some(&(_, bits)) = self.ends.iter().find(|(s, _)| *s == end) {
            return Ok(bits);
        }
        let sid = dfa
            .next_eoi_state(&mut self.cache, end)
            .map_err(|_| GaveUp)?;
        let bits = if sid.is_match() {
            (0..dfa.match_len(&self.cache, sid)).fold(0u64, |acc, i| {
                let p = dfa.match_pattern(&self.cache, sid, i).as_usize();
                acc | 1 << self.subset.owners[p]
            })
        } else {
            0
        };
        // Unless the step cleared the cache (`end` is stale then).
        if self.cache.clear_count() == self.clears && self.ends.len() < MAX_ENDS {
            self.ends.push((end, bits));
        }
        Ok(bits)
    }
}

/// Walks `dfa` from its anchored start through every byte of `value`: the
/// state after its last byte, before the end of input, unless the walk
/// died (no pattern can match any more; it stops there).
fn walk(dfa: &DFA, cache: &mut Cache, value: &str) -> Result<Option<LazyStateID>, GaveUp> {
    let input = Input::new(value).anchored(Anchored::Yes);
    let mut sid = dfa.start_state_forward(cache, &input).map_err(|_| GaveUp)?;
    let bytes = value.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if sid.is_tagged() {
            if sid.is_dead() {
                return Ok(None);
            }
            if sid.is_quit() {
                return Err(GaveUp);
            }
            sid = dfa.next_state(cache, sid, b).map_err(|_| GaveUp)?;
            at += 1;
            continue;
        }
        // Most steps go from a state that is neither a match, the dead nor
        // the quit state to one already built: a loop that only reads the
        // cache (its table stays in registers) until a step meets a tag.
        // The index runs with the bytes (`zip`), not looked up by `get`:
        // the loop then counts with one register.
        let built: &Cache = cache;
        let mut stop = bytes.len();
        for (i, &b) in (at..).zip(&bytes[at..]) {
            // SAFETY: `sid` is untagged (tested before this loop, and
            // `next` below) and the latest state this DFA returned for this
            // cache, which the shared borrow `built` keeps from being
            // cleared: a valid state for the unchecked step.
            let next = unsafe { dfa.next_state_untagged_unchecked(built, sid, b) };
            if next.is_tagged() {
                stop = i;
                break;
            }
            sid = next;
        }
        at = stop;
        if let Some(&b) = bytes.get(at) {
            // A tagged step: built already unless unknown.
            let next = dfa.next_state_untagged(cache, sid, b);
            sid = if next.is_unknown() {
                dfa.next_state(cache, sid, b).map_err(|_| GaveUp)?
            } else {
                next
            };
            at += 1;
        }
    }
    if sid.is_dead() {
        return Ok(None);
    }
    if sid.is_quit() {
        return Err(GaveUp);
    }
    Ok(Some(sid))
}

/// Candidate sets are already well-mixed bits: a multiply spreads them
/// over the table, where SipHash would cost more than the lookup.
#[derive(Default)]
pub(super) struct MaskHasher(u64);

impl Hasher for MaskHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}

type MaskHash = BuildHasherDefault<MaskHasher>;
