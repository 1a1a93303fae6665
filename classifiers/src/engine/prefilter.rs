//! The prefilter: which classifiers' anchored value patterns match a whole
//! value (or a free-text token), before any validator runs.
//!
//! It runs once per sampled value, so it is built for the common case. A
//! value of up to 32 bytes is read against the [`Positions`] tables, which
//! settle the fixed formats (it fits one of a pattern's byte-class
//! sequences) and rule most other patterns out; a longer value against the
//! byte-shape [`Dispatch`]. [`Contains`] decides the free-form runs with a
//! marker character, and only the candidates left open walk the small DFA
//! of exactly those candidates ([`Subsets`]), anchored, to the value's
//! end. No overlapping search, no allocation once a scan's DFAs are warm. A
//! set of more than 64 patterns, or a DFA that gives up (a custom pattern
//! with a Unicode word boundary, on a non-ASCII value), takes the general
//! path: the same patterns as one overlapping `RegexSet`-style search.

use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{meta, Input, MatchKind, PatternSet};

use super::contains::Contains;
use super::dispatch::Dispatch;
use super::idle::Idle;
use super::positions::{Checked, Pending, Positions};
use super::shape::byte_class;
use super::subsets::{SubsetCaches, Subsets};

/// Every classifier's anchored value pattern, in confirmation order.
pub(super) struct Prefilter {
    /// All patterns in one automaton, searched for overlapping matches: the
    /// general path.
    all: meta::Regex,
    /// The fast path, when the set allows it.
    fast: Option<Fast>,
}

/// The dispatch and the DFAs it picks from, with the caches of finished
/// scans: a new column should not build the same DFA states again.
struct Fast {
    dispatch: Dispatch,
    positions: Pending,
    /// Patterns (bit, check) of the form `R*SR*`.
    contains: Vec<(u64, Contains)>,
    subsets: Subsets,
    idle: Idle<SubsetCaches>,
}

/// One scan's working memory for the prefilter, taken from and given back
/// to its [`Prefilter`].
pub(super) struct Scratch<'p> {
    prefilter: &'p Prefilter,
    caches: SubsetCaches,
    set: PatternSet,
    /// Hits of the last value.
    pub(super) hits: Hits,
}

/// The patterns a value matched, by index, ascending.
#[derive(Default)]
pub(super) struct Hits {
    /// Patterns 0..64, one bit each.
    low: u64,
    /// Patterns from 64 on (sets that large take the general path).
    high: Vec<usize>,
}

impl Hits {
    fn clear(&mut self) {
        self.low = 0;
        self.high.clear();
    }

    fn is_empty(&self) -> bool {
        self.low == 0 && self.high.is_empty()
    }

    /// The hits as bits, when all are among the first 64 patterns.
    pub(super) fn low_only(&self) -> Option<u64> {
        self.high.is_empty().then_some(self.low)
    }

    /// Sets the hits to the patterns of `low`; whether there is any.
    pub(super) fn set_low(&mut self, low: u64) -> bool {
        self.clear();
        self.low = low;
        low != 0
    }

    /// The pattern indexes, ascending.
    pub(super) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        bits(self.low).chain(self.high.iter().copied())
    }
}

/// The indexes of the bits set in `low`, ascending: the hits of a value
/// that matched none of the patterns from 64 on.
pub(super) fn bits(mut low: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (low != 0).then(|| {
            let p = low.trailing_zeros() as usize;
            low &= low - 1;
            p
        })
    })
}

impl Prefilter {
    /// `None` if the patterns do not build (they already built as a `RegexSet`).
    pub(super) fn new(patterns: &[&String]) -> Option<Self> {
        // The configuration `RegexSet` uses: every pattern that matches, no captures.
        let config = meta::Config::new()
            .match_kind(MatchKind::All)
            .utf8_empty(true)
            .which_captures(WhichCaptures::None);
        let all = meta::Builder::new()
            .configure(config)
            .syntax(regex_automata::util::syntax::Config::new().utf8(true))
            .build_many(patterns)
            .ok()?;
        let fast = Dispatch::new(patterns).map(|dispatch| Fast {
            dispatch,
            positions: Positions::in_background(patterns),
            contains: (patterns.iter().enumerate())
                .filter_map(|(p, pattern)| Some((1 << p, Contains::new(pattern)?)))
                .collect(),
            subsets: Subsets::new(patterns),
            idle: Idle::default(),
        });
        Some(Prefilter { all, fast })
    }

    pub(super) fn len(&self) -> usize {
        self.all.pattern_len()
    }

    /// Working memory for one scan (the DFA caches of an earlier scan if
    /// some are free).
    pub(super) fn scratch(&self) -> Scratch<'_> {
        let idle = self.fast.as_ref().and_then(|f| f.idle.take());
        Scratch {
            prefilter: self,
            caches: idle.unwrap_or_default(),
            set: PatternSet::new(self.len()),
            hits: Hits::default(),
        }
    }
}

impl Drop for Scratch<'_> {
    fn drop(&mut self) {
        if let Some(fast) = &self.prefilter.fast {
            fast.idle.give_back(std::mem::take(&mut self.caches));
        }
    }
}

impl Scratch<'_> {
    /// Fills [`hits`](Self::hits) with the patterns matching the whole of
    /// `value`, of those `wanted` (bits; patterns from 64 on are always
    /// wanted); whether there is any.
    pub(super) fn matches(&mut self, value: &str, wanted: u64) -> bool {
        self.matches_with(value, wanted).0
    }

    /// [`matches`](Self::matches), and the [`byte_class`]es of `value`'s
    /// bytes, or-ed, when it read them all by table: the scan's shape pass
    /// rides along.
    #[inline]
    pub(super) fn matches_with(&mut self, value: &str, wanted: u64) -> (bool, Option<u8>) {
        self.hits.clear();
        let mut classes = None;
        if let Some(fast) = &self.prefilter.fast {
            // Short values: fixed formats are settled by position, and the
            // tables are a tighter superset than the dispatch for the rest.
            let bytes = value.as_bytes();
            let (mut sure, mut maybe) = match fast.positions.get().check_classes(bytes) {
                Some(Checked {
                    sure,
                    maybe,
                    classes: c,
                }) => {
                    classes = c;
                    (sure & wanted, maybe & wanted)
                }
                None => {
                    let mut c = 0;
                    let maybe = fast.dispatch.candidates_with(bytes, |b| c |= byte_class(b));
                    classes = Some(c);
                    (0, maybe & wanted)
                }
            };
            // Most values are settled by position: no marker test to run.
            if maybe != 0 {
                for (bit, contains) in &fast.contains {
                    if maybe & bit != 0 {
                        maybe &= !bit;
                        if contains.matches(value) {
                            sure |= bit;
                        }
                    }
                }
            }
            if maybe == 0 {
                self.hits.low = sure;
                return (sure != 0, classes);
            }
            if let Ok(matched) = self.caches.matches(&fast.subsets, maybe, value) {
                self.hits.low = sure | matched;
                return (self.hits.low != 0, classes);
            }
        }
        (self.matches_generally(value, wanted), classes)
    }

    /// The general path: one overlapping search over every pattern.
    fn matches_generally(&mut self, value: &str, wanted: u64) -> bool {
        self.set.clear();
        self.prefilter
            .all
            .which_overlapping_matches(&Input::new(value), &mut self.set);
        for p in self.set.iter() {
            match p.as_usize() {
                p @ 0..64 => self.hits.low |= 1 << p,
                p => self.hits.high.push(p),
            }
        }
        self.hits.low &= wanted;
        !self.hits.is_empty()
    }

    /// [`matches`](Self::matches) on the general path only: the reference
    /// the fast path is tested against.
    #[cfg(test)]
    pub(super) fn matches_reference(&mut self, value: &str, wanted: u64) -> bool {
        self.hits.clear();
        self.matches_generally(value, wanted)
    }

    /// The dispatch's candidates for `value` (all patterns without one).
    #[cfg(test)]
    pub(super) fn candidates(&self, value: &str) -> u64 {
        self.prefilter
            .fast
            .as_ref()
            .map_or(u64::MAX, |f| f.dispatch.candidates(value.as_bytes()))
    }

    /// The position tables' answer for `value`: the patterns it surely
    /// matches and those it may match (none and all without tables).
    #[cfg(test)]
    pub(super) fn by_position(&self, value: &str) -> (u64, u64) {
        self.prefilter
            .fast
            .as_ref()
            .and_then(|f| f.positions.get().check(value.as_bytes()))
            .unwrap_or((0, u64::MAX))
    }
}

#[cfg(test)]
#[path = "prefilter_tests.rs"]
mod tests;
