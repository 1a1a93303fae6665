//! Scanning one column: whole-value confirmation per value, verdicts per
//! category when the column is done.

use std::fmt;

use super::evidence::{merge, Evidence};
use super::exclusive::Bucket;
use super::free_text::{FreeTextStat, FREE_TEXT_MIN_CHARS, MIN_TOKEN_ASCII_RUN};
use super::prefilter::{bits, Scratch};
use super::profile::{value_hash, ValueProfile};
use super::quiet::{Confirmed, QuietValues};
use super::set::ColumnBuffers;
use super::shape::{is_han_at, shape, shape_of_classes, Shape};
use super::uniform::Uniform;
use super::{round2, ClassifierSet};
use crate::{CategoryId, ColumnType, TypeFamily};

/// Confidence of a finding based on the column name alone.
const HINT_ONLY_CONFIDENCE: f64 = 0.3;
/// Ceiling for verdicts of categories whose values cannot be checked.
const NAME_ONLY_MAX_CONFIDENCE: f64 = 0.6;
/// Confidence bonus when both values and the column name agree.
const HINT_BONUS: f64 = 0.05;
/// Confidence of a verdict resting on the column's uniform shape.
const UNIFORM_CONFIDENCE: f64 = 0.8;

/// The most a value verdict from `n` values may claim: one or two values
/// that happen to fit (a name-like word in a five-row table) are not
/// certainty. `1 - 0.25 / n` below ten values (0.75 for one, 0.88 for two,
/// 0.95 for five), no cap from ten on.
fn small_sample_cap(n: u64) -> f64 {
    if n >= 10 {
        1.0
    } else {
        1.0 - 0.25 / n.max(1) as f64
    }
}

/// Whether values of a column of this type can carry free text.
pub(super) fn may_be_text(family: TypeFamily) -> bool {
    matches!(family, TypeFamily::Unknown | TypeFamily::Text)
}

#[derive(Default)]
pub(super) struct Stat {
    pub(super) weight: f64,
    pub(super) matched: u64,
    pub(super) evidence: Evidence,
}

impl Stat {
    pub(super) fn add(&mut self, weight: f64, masked: impl FnOnce() -> String) {
        self.weight += weight;
        self.matched += 1;
        self.evidence.offer(masked);
    }
}

/// Accumulates the values of one column. Create with
/// [`ClassifierSet::column`] or [`ClassifierSet::column_typed`], feed with
/// [`push`](ColumnScan::push), and collect the verdicts with
/// [`finish`](ColumnScan::finish).
pub struct ColumnScan<'s> {
    pub(super) set: &'s ClassifierSet,
    /// The prefilter's working memory and the hits of the value at hand.
    pub(super) scratch: Scratch<'s>,
    /// The patterns (bits, of the first 64) worth checking on whole values:
    /// all but those whose values count only under a hint this column lacks.
    pub(super) value_patterns: u64,
    /// Per classifier, whether its hint came from the column's COMMENT alone
    /// (reported as `column_comment` rather than `column_name`).
    pub(super) comment_hinted: Vec<bool>,
    pub(super) data_type: ColumnType,
    pub(super) sampled: u64,
    /// Characters in all non-null values (for the free-text test).
    pub(super) total_chars: u64,
    /// Values that look like prose rather than a single field.
    pub(super) texty: u64,
    /// Per classifier, in one place: a hit's counters are one bounds check
    /// and one cache line apart, not one vector each.
    pub(super) tallies: Vec<Tally>,
    pub(super) buckets: Vec<Bucket>,
    /// Tests: check a token that is the whole value as any other (the
    /// reference for the shortcut).
    #[cfg(test)]
    pub(super) lone_as_any: bool,
    /// Ranges and distinctness of the values, for the table rules.
    pub(super) profile: ValueProfile,
    /// Values it repeats that nothing confirmed, so a repeat is not checked again.
    pub(super) quiet: QuietValues,
}

/// What a column scan counts for one classifier.
pub(super) struct Tally {
    /// The column's name or comment hints at the classifier.
    pub(super) hinted: bool,
    /// The last row it confirmed as a whole value.
    pub(super) whole_mark: u64,
    /// Prose values it confirmed as a whole (a note that is all address):
    /// rows of a text column that contain the category.
    pub(super) texty_whole: u64,
    pub(super) stat: Stat,
    pub(super) ft: FreeTextStat,
    /// The shapes of the values it confirmed.
    pub(super) uniform: Uniform,
}

impl Tally {
    pub(super) fn new(hinted: bool) -> Tally {
        Tally {
            hinted,
            whole_mark: u64::MAX,
            texty_whole: 0,
            stat: Stat::default(),
            ft: FreeTextStat::default(),
            uniform: Uniform::default(),
        }
    }

    /// [`new`](Self::new), keeping this one's buffers: a finished scan's
    /// tally, for the next column.
    pub(super) fn reset(&mut self, hinted: bool) {
        let mut fresh = Tally::new(hinted);
        fresh.stat.evidence = std::mem::take(&mut self.stat.evidence).emptied();
        fresh.ft.evidence = std::mem::take(&mut self.ft.evidence).emptied();
        fresh.uniform = std::mem::take(&mut self.uniform).emptied();
        *self = fresh;
    }
}

impl Drop for ColumnScan<'_> {
    /// Gives the scan's buffers back to its set, for the next column.
    fn drop(&mut self) {
        let mut quiet = std::mem::take(&mut self.quiet);
        quiet.reset();
        let hashes = self.profile.take_buffer();
        let tallies = std::mem::take(&mut self.tallies);
        self.set.idle.give_back(ColumnBuffers {
            quiet,
            hashes,
            tallies,
        });
    }
}

impl fmt::Debug for ColumnScan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Deliberately no values or evidence here.
        f.debug_struct("ColumnScan")
            .field("sampled", &self.sampled)
            .finish_non_exhaustive()
    }
}

/// Per byte, [`WS_FIRST`] if a Unicode whitespace character can start
/// with it and [`WS_LAST`] if one can end with it (U+0009..U+000D, U+0020,
/// U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
/// U+3000 in UTF-8).
static WS_EDGE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let first = matches!(b, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1..=0xE3);
        let last = matches!(b, 0x09..=0x0D | 0x20 | 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF);
        t[b] = (first as u8 * WS_FIRST) | (last as u8 * WS_LAST);
        b += 1;
    }
    t
};
const WS_FIRST: u8 = 1;
const WS_LAST: u8 = 2;

/// `str::trim`, skipping the Unicode whitespace scan when the value's first
/// and last bytes show that neither end is whitespace (most values): one
/// table lookup per end, and for a last byte that may end whitespace, the
/// test for a CJK ideograph (whose last bytes include those).
pub(crate) fn trim(value: &str) -> &str {
    let bytes = value.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return value;
    };
    let n = bytes.len();
    let starts = WS_EDGE[usize::from(first)] & WS_FIRST == 0;
    // A Han character three bytes from the end is the last character.
    let ends = WS_EDGE[usize::from(last)] & WS_LAST == 0 || (n >= 3 && is_han_at(bytes, n - 3));
    if starts && ends {
        value
    } else {
        value.trim()
    }
}

impl ColumnScan<'_> {
    /// Adds one sampled value. `None` is SQL NULL; empty and whitespace-only
    /// strings are treated as null too and do not count as sampled.
    pub fn push(&mut self, value: Option<&str>) {
        let Some(value) = value.map(trim).filter(|v| !v.is_empty()) else {
            return;
        };
        let row = self.sampled;
        self.sampled += 1;
        let hash = value_hash(value);
        if let Some((sh, whole)) = self.quiet.shape_of(value, hash) {
            self.count_shape(value, hash, &sh);
            if let Some(whole) = whole {
                self.count_whole(
                    value,
                    row,
                    whole.iter().map(|(i, w)| (i, Some(w))),
                    false,
                    None,
                );
            }
            return;
        }
        // The shape's pass over the bytes rides along the prefilter's
        // (unless the set is too large for its tables).
        let (matched, classes) = self.scratch.matches_with(value, self.value_patterns);
        let sh = match classes {
            Some(classes) => shape_of_classes(value, classes),
            None => shape(value),
        };
        self.count_shape(value, hash, &sh);

        let value_hits = self.scratch.hits.low_only();
        let mut confirmed = false;
        // A field (not text) beyond ASCII is worth remembering with what
        // confirmed it: such fields repeat (names, cities), identifiers not.
        let mut whole = None;
        let record = (!sh.texty && sh.has_non_ascii()).then(|| whole.insert(Confirmed::default()));
        if matched {
            let owner = |p: usize| (self.set.pattern_owner[p], None);
            confirmed = match value_hits {
                // One hit (`low` is not 0: the value matched, all in `low`).
                Some(low) if low & low.wrapping_sub(1) == 0 => {
                    let hit = owner(low.trailing_zeros() as usize);
                    self.count_one(value, row, hit, sh.texty, record)
                }
                // Copied bits, no need to move the hits out of the scratch.
                Some(low) => self.count_whole(value, row, bits(low).map(owner), sh.texty, record),
                None => {
                    let hits = std::mem::take(&mut self.scratch.hits);
                    let confirmed =
                        self.count_whole(value, row, hits.iter().map(owner), sh.texty, record);
                    self.scratch.hits = hits;
                    confirmed
                }
            };
        }
        // A value confirmed as one identifier that holds no other (a plate) has
        // nothing more for the text searches to find.
        let whole_only =
            confirmed && value_hits.is_some_and(|low| low & !self.set.one_identifier == 0);
        if sh.texty && !whole_only && may_be_text(self.data_type.family()) {
            if sh.searchable && sh.ascii_run >= MIN_TOKEN_ASCII_RUN {
                confirmed |= self.search_free_text(value, row, value_hits);
            }
            if sh.han {
                confirmed |= self.search_prose(value, row);
            }
        }
        if !confirmed && (sh.texty || sh.has_non_ascii()) {
            self.quiet.remember(value, hash, sh, None);
        } else if let (true, Some(whole)) = (confirmed, whole) {
            self.quiet.remember(value, hash, sh, Some(whole));
        }
    }

    /// The counters every non-null value moves, found or not.
    fn count_shape(&mut self, value: &str, hash: u64, sh: &Shape) {
        self.profile.add(value, hash, sh);
        self.total_chars += sh.chars as u64;
        if sh.texty {
            self.texty += 1;
        }
    }

    /// Whole-value confirmation of a value that passed the prefilter, and
    /// its counting: `hits` are the classifiers whose patterns matched, in
    /// order, each with its weight if known already (a repeat of a
    /// remembered value), else checked here. Whether any confirmed. The
    /// confirmed ones with their weights go to `record`, if given.
    /// Out of line: most values have one hit or none ([`count_one`](Self::count_one)),
    /// and inlined copies of this loop crowd the per-value step's registers.
    #[inline(never)]
    fn count_whole(
        &mut self,
        value: &str,
        row: u64,
        hits: impl Iterator<Item = (usize, Option<f64>)>,
        texty: bool,
        mut record: Option<&mut Confirmed>,
    ) -> bool {
        let set = self.set;
        // Exclusive-group members that confirmed: (index, weight). A fixed
        // array: no allocation per value.
        let mut group = [(0usize, 0.0f64); 8];
        let mut n_group = 0;
        let mut confirmed = false;
        for (i, known) in hits {
            let Some(weight) = self.count_hit(value, row, i, known, texty, record.as_deref_mut())
            else {
                continue;
            };
            let classifier = &set.classifiers[i];
            confirmed = true;
            if set.exclusive[i].is_some() {
                if n_group < group.len() {
                    group[n_group] = (i, weight);
                    n_group += 1;
                }
            } else {
                self.tallies[i].stat.add(weight, || classifier.mask(value));
            }
        }
        match &group[..n_group] {
            [] => {}
            &[(i, w)] => {
                let c = &set.classifiers[i];
                self.tallies[i].stat.add(w, || c.mask(value));
            }
            members => self.record_ambiguous(members, value),
        }
        confirmed
    }

    /// [`count_whole`](Self::count_whole) for a value whose pattern hits
    /// are one classifier's (most): it alone may confirm it, so it counts
    /// for it, exclusive or not, with no group to settle.
    fn count_one(
        &mut self,
        value: &str,
        row: u64,
        (i, known): (usize, Option<f64>),
        texty: bool,
        record: Option<&mut Confirmed>,
    ) -> bool {
        let Some(weight) = self.count_hit(value, row, i, known, texty, record) else {
            return false;
        };
        let classifier = &self.set.classifiers[i];
        self.tallies[i].stat.add(weight, || classifier.mask(value));
        true
    }

    /// One classifier's whole-value check of `value` (its weight `known`
    /// already, or checked here) and the counters it moves if it confirms,
    /// but its weight: that, if it confirmed.
    #[inline(always)]
    fn count_hit(
        &mut self,
        value: &str,
        row: u64,
        i: usize,
        known: Option<f64>,
        texty: bool,
        record: Option<&mut Confirmed>,
    ) -> Option<f64> {
        let classifier = &self.set.classifiers[i];
        let tally = &mut self.tallies[i];
        let weight = match known {
            Some(w) => Some(w),
            None if tally.hinted => classifier.confirm_hinted(value),
            None => classifier.confirm(value),
        };
        let weight = weight.filter(|w| *w > 0.0)?.min(1.0);
        if let Some(record) = record {
            record.push(i, weight);
        }
        tally.whole_mark = row;
        tally.texty_whole += u64::from(texty);
        tally.uniform.add(|| classifier.uniform_shape(value));
        Some(weight)
    }

    /// Number of non-null values pushed so far.
    pub fn sampled(&self) -> u64 {
        self.sampled
    }

    /// A summary of the values pushed so far (ranges, decimals, distinct
    /// count; no values), for [`classify_table_profiled`](crate::classify_table_profiled).
    /// Take it before [`finish`](Self::finish).
    pub fn profile(&self) -> ValueProfile {
        self.profile.clone()
    }

    /// Produces the column's findings, sorted by confidence (descending),
    /// then by category id.
    pub fn finish(mut self) -> Vec<ColumnFinding> {
        self.resolve_buckets();
        let sampled = self.sampled;
        let text_like = may_be_text(self.data_type.family())
            && sampled > 0
            && (self.total_chars > FREE_TEXT_MIN_CHARS as u64 * sampled
                || self.texty * 10 >= sampled * 3);
        let mut out = Vec::new();
        // Taken, and put back for the next column when done.
        let mut tallies = std::mem::take(&mut self.tallies);
        // Findings that rest on a uniform shape alone, kept only if nothing
        // else explains the column.
        let mut by_shape = Vec::new();
        for (i, tally) in tallies.iter_mut().enumerate() {
            let Tally {
                hinted,
                texty_whole,
                stat,
                ft,
                uniform,
                ..
            } = tally;
            let (hinted, texty_whole) = (*hinted, *texty_whole);
            let classifier = &self.set.classifiers[i];

            // Categories whose values cannot be checked: the name decides,
            // values can only veto.
            if hinted {
                if let Some(c) = classifier.name_only_confidence(&self.data_type) {
                    let (_, min) = classifier.min_ratio();
                    let consistent = sampled == 0
                        || classifier.value_pattern().is_none()
                        || stat.weight / sampled as f64 >= min;
                    if consistent {
                        let mut by = vec!["column_name"];
                        if !self.data_type.declared().is_empty() {
                            by.push("data_type");
                        }
                        out.push(ColumnFinding {
                            category: self.set.ids[i].clone(),
                            confidence: round2(c.clamp(0.0, NAME_ONLY_MAX_CONFIDENCE)),
                            matched: stat.matched,
                            sampled,
                            by,
                            evidence: stat.evidence.take(),
                        });
                    }
                    continue;
                }
            }

            let whole = if sampled == 0 {
                hinted.then(|| ColumnFinding {
                    category: self.set.ids[i].clone(),
                    confidence: HINT_ONLY_CONFIDENCE,
                    matched: 0,
                    sampled: 0,
                    by: vec!["column_name"],
                    evidence: Vec::new(),
                })
            } else {
                let ratio = stat.weight / sampled as f64;
                let (plain, with_hint) = classifier.min_ratio();
                let min = if hinted { with_hint } else { plain };
                (stat.matched > 0 && ratio >= min).then(|| {
                    let bonus = if hinted { HINT_BONUS } else { 0.0 };
                    let confidence = (0.5 + 0.5 * ratio + bonus).min(small_sample_cap(sampled));
                    ColumnFinding {
                        category: self.set.ids[i].clone(),
                        confidence: round2(confidence.clamp(0.0, 1.0)),
                        matched: stat.matched,
                        sampled,
                        by: if hinted {
                            vec!["value", "column_name"]
                        } else {
                            vec!["value"]
                        },
                        evidence: stat.evidence.take(),
                    }
                })
            };

            match whole {
                Some(mut f) => {
                    if ft.rows > 0 {
                        f.matched += ft.rows;
                        f.by.push("free_text");
                        merge(&mut f.evidence, ft.evidence.take());
                    }
                    out.push(f);
                }
                None if uniform.holds(stat.matched, sampled) => {
                    by_shape.push(ColumnFinding {
                        category: self.set.ids[i].clone(),
                        confidence: UNIFORM_CONFIDENCE,
                        matched: stat.matched,
                        sampled,
                        by: vec!["value", "uniform_shape"],
                        evidence: stat.evidence.take(),
                    });
                }
                None if text_like && {
                    // Prose rows that confirmed as a whole contain it too.
                    let rows = ft.rows + texty_whole;
                    rows >= 2 || rows * 10 >= sampled.max(1)
                } =>
                {
                    let rows = ft.rows + texty_whole;
                    let ratio = rows as f64 / sampled as f64;
                    let mut by = vec!["free_text"];
                    if hinted {
                        by.push("column_name");
                    }
                    let mut evidence = ft.evidence.take();
                    merge(&mut evidence, stat.evidence.take());
                    out.push(ColumnFinding {
                        category: self.set.ids[i].clone(),
                        confidence: round2((0.6 + 0.3 * ratio).clamp(0.0, 0.9)),
                        matched: rows,
                        sampled,
                        by,
                        evidence,
                    });
                }
                None => {}
            }
        }
        self.tallies = tallies;
        if out.is_empty() && by_shape.len() == 1 {
            out = by_shape;
        }
        for f in &mut out {
            let from_comment = self
                .set
                .ids
                .iter()
                .position(|id| *id == f.category)
                .is_some_and(|i| self.comment_hinted[i]);
            if from_comment {
                for by in &mut f.by {
                    if *by == "column_name" {
                        *by = "column_comment";
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.category.cmp(&b.category))
        });
        out
    }
}

/// One category detected in one column.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ColumnFinding {
    /// Classifier id, e.g. `pi.mobile_phone`.
    pub category: CategoryId,
    /// Confidence in `[0, 1]`, rounded to two decimals.
    pub confidence: f64,
    /// Non-null values that confirmed: whole values, plus rows in which
    /// free-text search found the category (those count once per row).
    pub matched: u64,
    /// Non-null values examined.
    pub sampled: u64,
    /// What the verdict rests on: a subset of `["value", "column_name",
    /// "column_comment", "data_type", "free_text", "uniform_shape"]`
    /// (`column_comment`: the hint came from the column's COMMENT, not its
    /// name). `free_text` means
    /// identifiers were found inside longer text; `matched / sampled` is then
    /// the share of rows that contain one. `uniform_shape` means weak values
    /// were accepted because the whole column shares one identifier format
    /// (see the crate docs, *Column evidence*).
    pub by: Vec<&'static str>,
    /// At most three distinct *masked* examples; never raw values.
    pub evidence: Vec<String>,
}

#[cfg(test)]
mod tests {
    use crate::ClassifierSet;

    /// A scan that reuses the buffers of finished ones (memo, hashes,
    /// tallies) finds what a scan on a fresh set finds, evidence and
    /// profile included.
    #[test]
    fn reused_buffers_carry_nothing_over() {
        let ids = [
            "11010519491231002X",
            "110105194912310036",
            "11010519491231004X",
        ];
        // Values of categories that make no finding here, then columns
        // where they do: nothing may be left of the first in the others.
        let quiet = ["13800138000", "user01@example.com", "汉族", "121.473701"];
        let columns: [(&str, Vec<&str>); 6] = [
            ("c3", quiet.into_iter().chain(["正常"; 16]).collect()),
            ("sjhm", vec!["13912345678", "13712345678", "15012345678"]),
            ("xm", vec!["张三", "李四", "王五", "张三", "欧阳娜娜", "男"]),
            (
                "remark",
                vec!["请联系张三 13800138000", "正常", "正常", "a.jpg"],
            ),
            ("sfzh", ids.iter().cycle().take(40).copied().collect()),
            ("xm", vec!["赵六", "孙七"]),
        ];
        let scan = |set: &ClassifierSet, (name, values): &(&str, Vec<&str>)| {
            let mut scan = set.column(name);
            for v in values {
                scan.push(Some(v));
            }
            format!("{:?} {:?}", scan.profile(), scan.finish())
        };
        let set = ClassifierSet::builtin();
        let in_turn: Vec<String> = columns.iter().map(|c| scan(&set, c)).collect();
        for (column, found) in columns.iter().zip(&in_turn) {
            assert_eq!(
                *found,
                scan(&ClassifierSet::builtin(), column),
                "{}",
                column.0
            );
        }
    }

    /// Repeated values, found and not found, give the same findings and profile as when
    /// every value is checked.
    #[test]
    fn repeats_of_a_quiet_value_count_as_checked_ones() {
        let set = ClassifierSet::builtin();
        let values = [
            "客户要求周末送货，请提前电话联系",
            "订单12345678已发货，预计3日送达",
            "请联系张三 13800138000",
            "正常",
            "张三",
            "13800138000",
            "北京市朝阳区建国路88号",
            "E12345678",
            "11010519491231002X",
            "user01@example.com",
            "121.473701",
            "a.jpg",
            "  ",
            // Fields beyond ASCII that confirm, remembered with what did.
            "汉族",
            "男",
            "欧阳娜娜",
            "王建国",
            "浙江省杭州市西湖区文三路",
            "京A12345",
        ];
        for column in [
            "c3",
            "remark",
            "bz",
            "passport_no",
            "xm",
            "dz",
            "lng",
            "pic",
            "mz",
            "xb",
        ] {
            for repeat in [1, 2, 5] {
                let runs = [true, false].map(|off| {
                    let mut scan = set.column(column);
                    scan.quiet.off = off;
                    for (i, v) in values.iter().enumerate() {
                        for _ in 0..repeat + i % 3 {
                            scan.push(Some(v));
                        }
                    }
                    // A repeat after other values in between.
                    scan.push(Some(values[0]));
                    let profile = format!("{:?}", scan.profile());
                    (scan.sampled(), profile, scan.finish())
                });
                assert_eq!(runs[0], runs[1], "{column} x{repeat}");
            }
        }
    }
}
