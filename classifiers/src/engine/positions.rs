//! Fixed-format patterns checked by position, before any DFA walk.
//!
//! At one length, most identifier patterns are a short list of byte-class
//! sequences: an 18-byte resident ID is seventeen digits and a digit or
//! `X`; an 11-byte mobile number is `1`, one of `3-9` and nine digits; a
//! 16-byte bank card is sixteen digits. A value of that length matches
//! such a sequence exactly when each of its bytes is in the class at its
//! position, which one table per length answers for every sequence at once
//! (an AND per byte). The sequences come from each pattern's syntax tree,
//! so this holds for custom classifiers as for built-ins. Where a length
//! has too many sequences (optional separators, Unicode classes, runs of
//! varying length), the table keeps their per-position union instead: a
//! superset, which the DFA then decides.

use std::sync::{Arc, Mutex, OnceLock};

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use regex_syntax::utf8::Utf8Sequences;

use super::shape::byte_class;

/// Values up to this many bytes are checked by position; longer ones walk
/// the DFAs.
const MAX_LEN: usize = 32;
/// Exact sequences kept per pattern and length; more are merged.
const MAX_EXACT: usize = 8;
/// Sequence bits per length (one table cell is a `u64`).
const BITS: usize = 64;
/// Where a [`Length`]'s `required` cells keep the byte's shape class
/// ([`byte_class`], seven bits), above the merged sequences' bits.
const CLASS_SHIFT: u32 = 57;

/// A set of bytes, one bit each.
type Set = [u64; 4];
/// One byte class per position.
type Seq = Vec<Set>;

/// The sequences of one length of a pattern's language.
#[derive(Clone, Default, PartialEq)]
struct Entry {
    /// Sequences whose every combination of bytes matches, with their
    /// volumes: the widest are kept, as they answer for the most values.
    exact: Vec<(f64, Seq)>,
    /// The sequences not kept exact, in one.
    rest: Option<Rest>,
}

/// Sequences merged: their per-position union, and bytes of which each of
/// their strings has at least one (the union alone forgets that every
/// coordinate has a `.` somewhere).
#[derive(Clone, PartialEq)]
struct Rest {
    seq: Seq,
    required: Set,
}

/// A pattern's language up to [`MAX_LEN`] bytes, by length.
type Lang = Vec<Option<Entry>>;

/// Per length, which patterns a value of that length surely matches and
/// which it may match, from a table of sequence bits.
pub(super) struct Positions {
    /// The tables of each length, in one place: one bounds check per value.
    lengths: Vec<Length>,
}

/// The tables of one length.
struct Length {
    /// Per position, the sequence bits each byte satisfies.
    rows: Vec<[u64; 256]>,
    /// For each byte, the merged sequences' bits that it satisfies the
    /// required bytes of, and (if `classes`) its shape class from bit
    /// [`CLASS_SHIFT`] on: the pass that or-s the one gathers the other.
    required: [u64; 256],
    /// The sequence bits in use.
    present: u64,
    /// The sequence bits that are exact.
    exact: u64,
    /// The merged sequence bits (numbered first: the low bits).
    merged: u64,
    /// Whether `required` holds the shape classes (the merged bits leave
    /// room, as they do unless a set has more than 57 free-form patterns).
    classes: bool,
    /// Sequence bit -> pattern index.
    owners: [u8; BITS],
}

/// What the tables say about a value.
pub(super) struct Checked {
    /// Patterns it surely matches.
    pub(super) sure: u64,
    /// Patterns it may match (disjoint from `sure`).
    pub(super) maybe: u64,
    /// Its bytes' [`byte_class`]es, or-ed, if the tables gathered them.
    pub(super) classes: Option<u8>,
}

/// The tables of the pattern list built last: sets are built again and
/// again with the same patterns (every built-in set), and the tables take
/// milliseconds to derive.
static LAST: Mutex<Option<(Vec<String>, Arc<Positions>)>> = Mutex::new(None);

/// Position tables being derived ([`Positions::in_background`]).
pub(super) struct Pending {
    cell: Arc<OnceLock<Arc<Positions>>>,
    patterns: Vec<String>,
}

impl Pending {
    /// The tables, waiting for their thread to finish them if it has not.
    #[inline]
    pub(super) fn get(&self) -> &Positions {
        self.cell.get_or_init(|| derive(&self.patterns))
    }
}

/// The tables [`LAST`] holds, if they are those of `patterns`.
fn last_for(patterns: &[String]) -> Option<Arc<Positions>> {
    let last = LAST.lock().ok()?;
    let (key, tables) = last.as_ref()?;
    (key.as_slice() == patterns).then(|| Arc::clone(tables))
}

/// [`Positions::shared`] for patterns the dispatch has parsed already.
fn derive(patterns: &[String]) -> Arc<Positions> {
    Positions::shared(patterns).expect("the dispatch parsed the patterns")
}

impl Positions {
    /// [`new`](Self::new), or the tables of the previous call if it had the
    /// same patterns.
    pub(super) fn shared<S: AsRef<str>>(patterns: &[S]) -> Option<Arc<Positions>> {
        let key: Vec<String> = patterns.iter().map(|p| p.as_ref().to_owned()).collect();
        if let Some(tables) = last_for(&key) {
            return Some(tables);
        }
        let tables = Arc::new(Positions::new(patterns)?);
        *LAST.lock().ok()? = Some((key, Arc::clone(&tables)));
        Some(tables)
    }

    /// [`shared`](Self::shared), derived on a thread of its own unless the
    /// previous call had the same patterns: a scan builds its classifiers
    /// before it connects to anything, and the tables are two thirds of that
    /// build, so they are derived while it connects and lists instead.
    pub(super) fn in_background(patterns: &[&String]) -> Pending {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let cell = Arc::new(OnceLock::new());
        if let Some(tables) = last_for(&patterns) {
            let _ = cell.set(tables);
        } else {
            let (cell, patterns) = (Arc::clone(&cell), patterns.clone());
            // Without a thread, the first value derives them (`Pending::get`).
            let _ = std::thread::Builder::new()
                .name("mulu-positions".into())
                .spawn(move || {
                    cell.get_or_init(|| derive(&patterns));
                });
        }
        Pending { cell, patterns }
    }

    /// The tables for `patterns` (at most 64, as the dispatch takes them);
    /// `None` if one does not parse.
    pub(super) fn new<S: AsRef<str>>(patterns: &[S]) -> Option<Positions> {
        let langs: Vec<Lang> = patterns
            .iter()
            .map(|p| regex_syntax::parse(p.as_ref()).ok().map(|h| language(&h)))
            .collect::<Option<_>>()?;
        let mut t = Positions {
            lengths: Vec::with_capacity(MAX_LEN + 1),
        };
        for n in 0..=MAX_LEN {
            let mut entries: Vec<(usize, Entry)> = langs
                .iter()
                .enumerate()
                .filter_map(|(p, l)| Some((p, l[n].clone()?)))
                .collect();
            fit(&mut entries);
            let mut rows = vec![[0u64; 256]; n];
            let (mut present, mut exact, mut owners) = (0u64, 0u64, [0u8; BITS]);
            let mut required = [0u64; 256];
            // The merged sequences first, so that their bits are the low
            // ones and the shape classes fit above them.
            let merged = entries
                .iter()
                .flat_map(|(p, e)| e.rest.iter().map(move |r| (p, &r.seq, Some(&r.required))));
            let exacts = entries
                .iter()
                .flat_map(|(p, e)| e.exact.iter().map(move |(_, s)| (p, s, None)));
            for (bit, (p, seq, needs)) in merged.chain(exacts).enumerate() {
                let is_exact = needs.is_none();
                // Exact sequences need no required byte.
                for b in needs.map(bytes).into_iter().flatten() {
                    required[b] |= 1 << bit;
                }
                for (i, set) in seq.iter().enumerate() {
                    for b in bytes(set) {
                        rows[i][b] |= 1 << bit;
                    }
                }
                present |= 1 << bit;
                exact |= u64::from(is_exact) << bit;
                owners[bit] = *p as u8;
            }
            let merged = present & !exact;
            let classes = merged < 1 << CLASS_SHIFT;
            if classes {
                for (b, r) in (0..=u8::MAX).zip(&mut required) {
                    *r |= u64::from(byte_class(b)) << CLASS_SHIFT;
                }
            }
            t.lengths.push(Length {
                rows,
                required,
                present,
                exact,
                merged,
                classes,
                owners,
            });
        }
        Some(t)
    }

    /// [`check_classes`](Self::check_classes) without the classes.
    #[cfg(test)]
    pub(super) fn check(&self, value: &[u8]) -> Option<(u64, u64)> {
        self.check_classes(value).map(|c| (c.sure, c.maybe))
    }

    /// For a value of at most [`MAX_LEN`] bytes: the patterns it surely
    /// matches and those it may match, and its bytes' shape classes
    /// (gathered in the same pass). `None` for a longer value.
    #[inline]
    pub(super) fn check_classes(&self, value: &[u8]) -> Option<Checked> {
        let t = self.lengths.get(value.len())?;
        let mut bits = t.present;
        // No byte: every required byte is missing, but none is required
        // of a string that has no byte.
        let mut any = if value.is_empty() { t.merged } else { 0 };
        for (row, &b) in t.rows.iter().zip(value) {
            bits &= row[usize::from(b)];
            any |= t.required[usize::from(b)];
        }
        let classes = t.classes.then_some((any >> CLASS_SHIFT) as u8);
        bits &= t.exact | (any & t.merged);
        let (exact, owners) = (t.exact, &t.owners);
        // The patterns owning some of the sequence bits `seqs`: exact and
        // merged bits apart, so the loop has no branch on which one a bit is.
        let patterns = |mut seqs: u64| {
            let mut patterns = 0u64;
            while seqs != 0 {
                // Below 64 (`seqs` is not 0): no bounds check.
                patterns |= 1 << owners[(seqs.trailing_zeros() % 64) as usize];
                seqs &= seqs - 1;
            }
            patterns
        };
        let sure = patterns(bits & exact);
        Some(Checked {
            sure,
            maybe: patterns(bits & !exact) & !sure,
            classes,
        })
    }
}

/// Merges exact sequences into their pattern's union until one length's
/// sequences fit in [`BITS`] bits, the pattern with the most first.
fn fit(entries: &mut [(usize, Entry)]) {
    let bits = |es: &[(usize, Entry)]| {
        es.iter()
            .map(|(_, e)| e.exact.len() + usize::from(e.rest.is_some()))
            .sum::<usize>()
    };
    while bits(entries) > BITS {
        let Some((_, e)) = entries.iter_mut().max_by_key(|(_, e)| e.exact.len()) else {
            return;
        };
        for (_, seq) in std::mem::take(&mut e.exact) {
            e.add_rest(&seq, None);
        }
    }
}

/// The bytes in `set`.
fn bytes(set: &Set) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, &word)| {
        let mut bits = word;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                w * 64 + b
            })
        })
    })
}

fn byte_range(lo: u8, hi: u8) -> Set {
    let mut set = [0u64; 4];
    for b in lo..=hi {
        set[usize::from(b) / 64] |= 1 << (b % 64);
    }
    set
}

/// log2 of the number of strings a sequence spells.
fn volume(seq: &[Set]) -> f64 {
    seq.iter()
        .map(|s| f64::from(s.iter().map(|w| w.count_ones()).sum::<u32>()).log2())
        .sum()
}

impl Entry {
    /// Keeps `seq` exact if there is room, or if it is wider than the
    /// narrowest kept one (which then joins the rest); whether it was kept.
    fn add_exact(&mut self, width: f64, seq: impl FnOnce() -> Seq) -> bool {
        let narrowest = self
            .exact
            .iter()
            .enumerate()
            .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
            .map(|(i, (v, _))| (i, *v));
        let full = self.exact.len() >= MAX_EXACT;
        if full && narrowest.is_some_and(|(_, v)| width <= v) {
            return false;
        }
        let seq = seq();
        // Sequences that differ in one position at most are one sequence
        // (`[0-9]` and `[A-H]` at one position are `[0-9A-H]` there).
        for (v, s) in &mut self.exact {
            let mut differ = s.iter().zip(&seq).filter(|(a, b)| a != b);
            if let (Some(_), None) | (None, _) = (differ.next(), differ.next()) {
                union_into(s, &seq);
                *v = volume(s);
                return true;
            }
        }
        if let (true, Some((i, _))) = (full, narrowest) {
            let (_, evicted) = self.exact.swap_remove(i);
            self.add_rest(&evicted, None);
        }
        self.exact.push((width, seq));
        true
    }

    fn widest(&self) -> f64 {
        self.exact
            .iter()
            .map(|(v, _)| *v)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    fn narrowest(&self) -> f64 {
        self.exact
            .iter()
            .map(|(v, _)| *v)
            .fold(f64::INFINITY, f64::min)
    }

    /// Merges `seq` into the rest; `required`: bytes of which each of its
    /// strings has one, if known better than from `seq` alone.
    fn add_rest(&mut self, seq: &[Set], required: Option<Set>) {
        let required = narrowest([required.unwrap_or([!0; 4]), marker(seq)]);
        match &mut self.rest {
            Some(rest) => {
                union_into(&mut rest.seq, seq);
                union_into(std::slice::from_mut(&mut rest.required), &[required]);
            }
            None => {
                self.rest = Some(Rest {
                    seq: seq.to_vec(),
                    required,
                })
            }
        }
    }

    /// Bytes of which each string of this length has one.
    fn required(&self) -> Set {
        let mut r = self.rest.as_ref().map_or([0; 4], |r| r.required);
        for (_, seq) in &self.exact {
            union_into(std::slice::from_mut(&mut r), &[marker(seq)]);
        }
        r
    }

    /// Every sequence of this length in one, per position.
    fn union(&self) -> Seq {
        let mut all = self.rest.as_ref().map(|r| r.seq.clone());
        for (_, seq) in &self.exact {
            match &mut all {
                Some(a) => union_into(a, seq),
                None => all = Some(seq.clone()),
            }
        }
        all.unwrap_or_default()
    }

    fn merge(&mut self, other: &Entry) {
        for (v, seq) in &other.exact {
            if !self.add_exact(*v, || seq.clone()) {
                self.add_rest(seq, None);
            }
        }
        if let Some(rest) = &other.rest {
            self.add_rest(&rest.seq, Some(rest.required));
        }
    }
}

fn count(set: &Set) -> u32 {
    set.iter().map(|w| w.count_ones()).sum()
}

/// The smallest of some byte sets.
fn narrowest(sets: impl IntoIterator<Item = Set>) -> Set {
    sets.into_iter().min_by_key(count).unwrap_or([!0; 4])
}

/// The class at one position of `seq`, of which every string of `seq` has
/// a byte: the narrowest, and of those the last (the last byte of a
/// character tells more than its lead byte).
fn marker(seq: &[Set]) -> Set {
    seq.iter()
        .rev()
        .min_by_key(|s| count(s))
        .copied()
        .unwrap_or([!0; 4])
}

fn union_into(acc: &mut [Set], seq: &[Set]) {
    for (a, s) in acc.iter_mut().zip(seq) {
        for (x, y) in a.iter_mut().zip(s) {
            *x |= y;
        }
    }
}

fn empty() -> Lang {
    vec![None; MAX_LEN + 1]
}

/// The language of one sequence.
fn single(seq: Seq) -> Lang {
    let mut l = empty();
    let n = seq.len();
    if n <= MAX_LEN {
        l[n] = Some(Entry {
            exact: vec![(volume(&seq), seq)],
            rest: None,
        });
    }
    l
}

/// The language of a whole-value pattern `^(?:…)$`: its start and end
/// anchors hold by construction; any other assertion makes every
/// sequence inexact (it may rule out some of their strings).
fn language(hir: &Hir) -> Lang {
    let mut looks = false;
    let lang = match hir.kind() {
        HirKind::Concat(subs)
            if subs.len() >= 2
                && matches!(subs[0].kind(), HirKind::Look(Look::Start))
                && matches!(subs[subs.len() - 1].kind(), HirKind::Look(Look::End)) =>
        {
            subs[1..subs.len() - 1]
                .iter()
                .fold(single(Vec::new()), |acc, s| {
                    concat(&acc, &lang(s, &mut looks))
                })
        }
        _ => lang(hir, &mut looks),
    };
    if !looks {
        return lang;
    }
    lang.into_iter()
        .map(|e| {
            e.map(|e| Entry {
                exact: Vec::new(),
                rest: Some(Rest {
                    seq: e.union(),
                    required: e.required(),
                }),
            })
        })
        .collect()
}

fn lang(hir: &Hir, looks: &mut bool) -> Lang {
    match hir.kind() {
        HirKind::Empty => single(Vec::new()),
        HirKind::Look(_) => {
            *looks = true;
            single(Vec::new())
        }
        HirKind::Literal(lit) => single(lit.0.iter().map(|&b| byte_range(b, b)).collect()),
        HirKind::Class(Class::Bytes(c)) => {
            let mut set = [0u64; 4];
            for r in c.ranges() {
                union_into(
                    std::slice::from_mut(&mut set),
                    &[byte_range(r.start(), r.end())],
                );
            }
            single(vec![set])
        }
        HirKind::Class(Class::Unicode(c)) => {
            let mut l = empty();
            for r in c.ranges() {
                for seq in Utf8Sequences::new(r.start(), r.end()) {
                    let seq: Seq = seq
                        .as_slice()
                        .iter()
                        .map(|r| byte_range(r.start, r.end))
                        .collect();
                    let e = l[seq.len()].get_or_insert_default();
                    if !e.add_exact(volume(&seq), || seq.clone()) {
                        e.add_rest(&seq, None);
                    }
                }
            }
            l
        }
        HirKind::Capture(cap) => lang(&cap.sub, looks),
        HirKind::Concat(subs) => subs
            .iter()
            .fold(single(Vec::new()), |acc, s| concat(&acc, &lang(s, looks))),
        HirKind::Alternation(subs) => subs.iter().fold(empty(), |mut acc, s| {
            alternate(&mut acc, &lang(s, looks));
            acc
        }),
        HirKind::Repetition(rep) => {
            let mut sub = lang(&rep.sub, looks);
            if rep.max.is_none() && !single_class(&sub) {
                // A free-form run (`[^\n]*`, `\s*`) of any length has no
                // short list of sequences: merged at once, it costs little.
                merge_exact(&mut sub);
            }
            let mut acc = single(Vec::new());
            for _ in 0..rep.min {
                acc = concat(&acc, &sub);
                if acc.iter().all(Option::is_none) {
                    return acc;
                }
            }
            // Beyond MAX_LEN + 1 more copies, only empty matches of `sub`
            // could keep a string short, and those add nothing new.
            let extra = rep
                .max
                .map_or(MAX_LEN + 1, |m| ((m - rep.min) as usize).min(MAX_LEN + 1));
            let mut cur = acc.clone();
            for _ in 0..extra {
                cur = concat(&cur, &sub);
                if cur.iter().all(Option::is_none) {
                    break;
                }
                alternate(&mut acc, &cur);
            }
            acc
        }
    }
}

/// Whether `l` is one byte class: one exact sequence of length one.
fn single_class(l: &Lang) -> bool {
    l.iter().enumerate().all(|(n, e)| match e {
        None => n != 1,
        Some(e) => n == 1 && e.exact.len() == 1 && e.rest.is_none(),
    })
}

/// Merges the non-empty exact sequences of `l` into their rest.
fn merge_exact(l: &mut Lang) {
    for e in l.iter_mut().skip(1).flatten() {
        for (_, seq) in std::mem::take(&mut e.exact) {
            e.add_rest(&seq, None);
        }
    }
}

fn alternate(acc: &mut Lang, other: &Lang) {
    for (a, o) in acc.iter_mut().zip(other) {
        if let Some(o) = o {
            a.get_or_insert_default().merge(o);
        }
    }
}

/// Every string of `a` followed by every string of `b`, up to
/// [`MAX_LEN`] bytes.
fn concat(a: &Lang, b: &Lang) -> Lang {
    let mut out = empty();
    let unions: Vec<Option<(Seq, Set)>> = b
        .iter()
        .map(|e| e.as_ref().map(|e| (e.union(), e.required())))
        .collect();
    for (i, ea) in a.iter().enumerate() {
        let Some(ea) = ea else { continue };
        let (union_a, required_a) = (ea.union(), ea.required());
        for (j, eb) in b.iter().enumerate().take(MAX_LEN + 1 - i) {
            let Some(eb) = eb else { continue };
            let e = out[i + j].get_or_insert_default();
            let mut spill = ea.rest.is_some() || eb.rest.is_some();
            if e.exact.len() >= MAX_EXACT && ea.widest() + eb.widest() <= e.narrowest() {
                // No pair would be kept.
                spill |= !ea.exact.is_empty() && !eb.exact.is_empty();
            } else {
                for (vx, x) in &ea.exact {
                    for (vy, y) in &eb.exact {
                        spill |= !e.add_exact(vx + vy, || [x.as_slice(), y.as_slice()].concat());
                    }
                }
            }
            if spill {
                let (union_b, required_b) = unions[j].as_ref().expect("entry j exists");
                let required = narrowest([required_a, *required_b]);
                e.add_rest(&[union_a.as_slice(), union_b].concat(), Some(required));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &Positions, v: &str) -> (u64, u64) {
        p.check(v.as_bytes()).expect("short value")
    }

    #[test]
    fn fixed_formats_are_exact_and_the_rest_is_a_superset() {
        let p = Positions::new(&[
            "^(?:[0-9]{17}[0-9Xx]|[0-9]{15})$",
            "^(?:[0-9](?:[ -]?[0-9]){15,18})$",
            r"^(?:\p{Han}{2,4})$",
            r"^(?:\bA[0-9]{3})$",
        ])
        .expect("builds");
        // 18 digits: a resident ID for sure, and the all-digit form of a card.
        assert_eq!(check(&p, "11010519491231002X"), (0b01, 0));
        assert_eq!(check(&p, "110105194912310021"), (0b11, 0));
        // A separated card is left to the DFA.
        assert_eq!(check(&p, "6222 0212 3456 7890"), (0, 0b10));
        assert_eq!(check(&p, "1101051949123100"), (0b10, 0));
        assert_eq!(check(&p, "11010519491231"), (0, 0));
        // UTF-8 sequences that differ in one byte merge: common Han is exact.
        assert_eq!(check(&p, "王伟"), (0b100, 0));
        assert_eq!(check(&p, "王!"), (0, 0));
        // An assertion other than the anchors makes the pattern inexact.
        assert_eq!(check(&p, "A123"), (0, 0b1000));
        assert_eq!(check(&p, "A12"), (0, 0));
        assert!(p.check(&[b'1'; 33]).is_none());
    }

    #[test]
    fn shape_classes_ride_along_unless_the_merged_bits_leave_no_room() {
        let values: [&[u8]; 6] = [
            b"",
            b"z",
            b"user1@example.com",
            "\u{4E0A}\u{6D77} #1".as_bytes(),
            b"a,b;c?d.e",
            b"12345",
        ];
        let or_ed = |v: &[u8]| v.iter().fold(0, |c, &b| c | byte_class(b));
        let few = Positions::new(&["^(?:[^\\n]*[a-z][^\\n]*)$", "^(?:[0-9]{5})$"]).expect("builds");
        for v in values {
            let classes = few.check_classes(v).map(|c| c.classes);
            assert_eq!(classes, Some(Some(or_ed(v))), "{v:?}");
        }
        // 58 free-form patterns: 58 merged bits at every length from two
        // (one byte is each pattern's marker alone, exact).
        let many: Vec<String> = (0x21..0x21 + 58)
            .map(|b| format!("^(?:[^\\n]*\\x{b:02x}[^\\n]*)$"))
            .collect();
        let many = Positions::new(&many).expect("builds");
        for v in values {
            let classes = many.check_classes(v).map(|c| c.classes);
            let want = (v.len() < 2).then(|| or_ed(v));
            assert_eq!(classes, Some(want), "{v:?}");
        }
    }

    #[test]
    fn tables_are_shared_by_sets_of_the_same_patterns() {
        let a = || Positions::shared(&["^(?:[0-9]{4})$"]).expect("builds");
        // Tests on other threads build other sets in between now and then.
        assert!((0..20).any(|_| Arc::ptr_eq(&a(), &a())));
        let a = a();
        let c = Positions::shared(&["^(?:[0-9]{5})$"]).expect("builds");
        assert_eq!(c.check(b"12345"), Some((1, 0)));
        assert_eq!(a.check(b"12345"), Some((0, 0)));
    }
}
