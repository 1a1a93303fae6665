//! The classification engine: one shared prefilter, per-column accumulation.

use std::fmt;

use regex::{Regex, RegexSet};
use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{Input, MatchKind, PatternSet};

use crate::builtin;
use crate::normalize::normalize_column_name;
use crate::{CategoryId, Classifier, ColumnType, TypeFamily};

/// Evidence strings kept per finding.
const MAX_EVIDENCE: usize = 3;
/// Confidence of a finding based on the column name alone.
const HINT_ONLY_CONFIDENCE: f64 = 0.3;
/// Ceiling for verdicts of categories whose values cannot be checked.
const NAME_ONLY_MAX_CONFIDENCE: f64 = 0.6;
/// Confidence bonus when both values and the column name agree.
const HINT_BONUS: f64 = 0.05;
/// A value longer than this (in characters) counts as free text.
const FREE_TEXT_MIN_CHARS: usize = 40;
/// Free-text candidates shorter than this (in bytes) are not checked.
const MIN_TOKEN_BYTES: usize = 6;
/// Digit groups of one token tried as separate candidates at most.
const MAX_TOKEN_GROUPS: usize = 12;

/// Candidate tokens in free text, found in one pass per value. The
/// alternatives are ordered so that, at one start position, the more
/// specific shape wins; every alternative is maximal, so a match never ends
/// inside a longer run of letters and digits. Boundaries are checked after
/// the match (the regex crate has no look-around).
const TOKEN_PATTERN: &str = concat!(
    // E-mail address.
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
    // Licence plate.
    r"|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Za-z][·•]?[A-Za-z0-9]{5,6}[挂学警港澳]?",
    // Dotted IPv4.
    r"|[0-9]{1,3}(?:\.[0-9]{1,3}){3}",
    // Colon-separated hex: IPv6, MAC.
    r"|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}",
    // Hyphen-separated MAC.
    r"|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}",
    // A run of letters and digits, optionally after +86 and followed by
    // digit groups (`138 0013 8000`, `4111-1111-1111-1111`, `…002X`).
    r"|(?:\+86[ \-]?)?[A-Za-z0-9]+(?:[ \-][0-9]+[Xx]?)*",
);

/// Error raised while building a [`ClassifierSet`]. Classification itself
/// never fails.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BuildError {
    /// A classifier's value pattern did not compile.
    ValuePattern {
        /// Id of the offending classifier.
        classifier: String,
        /// The regex compiler's error.
        source: regex::Error,
    },
    /// A classifier's column hint did not compile.
    ColumnHint {
        /// Id of the offending classifier.
        classifier: String,
        /// The regex compiler's error.
        source: regex::Error,
    },
    /// The combined prefilter could not be built (e.g. it exceeds the regex
    /// size limit).
    PatternSet {
        /// The regex compiler's error.
        source: regex::Error,
    },
    /// Two classifiers share an id.
    DuplicateId {
        /// The duplicated id.
        id: String,
    },
    /// `id()` and `info().id` disagree.
    InconsistentId {
        /// What `id()` returned.
        id: String,
        /// What `info().id` returned.
        info_id: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::ValuePattern { classifier, source } => {
                write!(
                    f,
                    "classifier {classifier}: invalid value pattern: {source}"
                )
            }
            BuildError::ColumnHint { classifier, source } => {
                write!(f, "classifier {classifier}: invalid column hint: {source}")
            }
            BuildError::PatternSet { source } => {
                write!(f, "cannot build the combined pattern set: {source}")
            }
            BuildError::DuplicateId { id } => write!(f, "duplicate classifier id {id}"),
            BuildError::InconsistentId { id, info_id } => {
                write!(f, "classifier id {id} differs from info().id {info_id}")
            }
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::ValuePattern { source, .. }
            | BuildError::ColumnHint { source, .. }
            | BuildError::PatternSet { source } => Some(source),
            _ => None,
        }
    }
}

/// Anchors a value pattern for the whole-value prefilter.
fn anchor_value(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// Wraps a column hint so it only matches on token boundaries of a
/// normalised column name. A Han character also counts as a boundary so that
/// Chinese hints match inside Chinese runs (`客户身份证号`).
fn wrap_hint(pattern: &str) -> String {
    format!(r"(?:^|_|\p{{Han}})(?:{pattern})(?:$|_|\p{{Han}})")
}

/// Builder for a [`ClassifierSet`].
#[derive(Default)]
pub struct ClassifierSetBuilder {
    classifiers: Vec<Box<dyn Classifier>>,
}

impl fmt::Debug for ClassifierSetBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.classifiers.iter().map(|c| c.id()))
            .finish()
    }
}

impl ClassifierSetBuilder {
    /// Adds every built-in classifier.
    pub fn builtins(mut self) -> Self {
        for &c in builtin::CLASSIFIERS {
            self.classifiers.push(Box::new(c));
        }
        self
    }

    /// Adds one classifier (built-in or custom).
    pub fn with(mut self, classifier: Box<dyn Classifier>) -> Self {
        self.classifiers.push(classifier);
        self
    }

    /// Compiles all patterns.
    ///
    /// # Errors
    ///
    /// Returns a [`BuildError`] if a pattern or hint does not compile, or if
    /// two classifiers share an id.
    pub fn build(self) -> Result<ClassifierSet, BuildError> {
        let classifiers = self.classifiers;
        let mut ids: Vec<CategoryId> = Vec::with_capacity(classifiers.len());
        let mut value_patterns = Vec::new();
        let mut value_owner = Vec::new();
        let mut hint_patterns = Vec::new();
        let mut hint_owner = Vec::new();

        for (i, c) in classifiers.iter().enumerate() {
            let id = c.id();
            let info_id = c.info().id;
            if id != info_id {
                return Err(BuildError::InconsistentId {
                    id: id.to_string(),
                    info_id: info_id.to_string(),
                });
            }
            if ids.contains(&id) {
                return Err(BuildError::DuplicateId { id: id.to_string() });
            }
            if let Some(p) = c.value_pattern() {
                let anchored = anchor_value(p);
                // Compile alone first so the error names the classifier.
                Regex::new(&anchored).map_err(|source| BuildError::ValuePattern {
                    classifier: id.to_string(),
                    source,
                })?;
                value_patterns.push(anchored);
                value_owner.push(i);
            }
            if let Some(h) = c.column_hint() {
                let wrapped = wrap_hint(h);
                Regex::new(&wrapped).map_err(|source| BuildError::ColumnHint {
                    classifier: id.to_string(),
                    source,
                })?;
                hint_patterns.push(wrapped);
                hint_owner.push(i);
            }
            ids.push(id);
        }

        let hint_set =
            RegexSet::new(&hint_patterns).map_err(|source| BuildError::PatternSet { source })?;
        let token =
            Regex::new(TOKEN_PATTERN).map_err(|source| BuildError::PatternSet { source })?;

        // Confirmation order: the exclusive group first, in priority order,
        // then everything else in registration order. Only the first 64
        // entries of `EXCLUSIVE` can take part (one bit each).
        let rank = |i: usize| {
            builtin::EXCLUSIVE
                .iter()
                .take(64)
                .position(|e| *e == ids[i])
        };
        let exclusive: Vec<Option<u32>> = (0..classifiers.len())
            .map(|i| rank(i).map(|r| r as u32))
            .collect();
        let mut order: Vec<usize> = (0..classifiers.len()).collect();
        order.sort_by_key(|&i| (rank(i).unwrap_or(usize::MAX), i));
        // The prefilter holds the patterns in confirmation order, so its hits come out in the
        // order they are confirmed.
        let mut position = vec![0; classifiers.len()];
        for (p, &i) in order.iter().enumerate() {
            position[i] = p;
        }
        let mut ordered: Vec<(usize, &String)> =
            value_owner.iter().copied().zip(&value_patterns).collect();
        ordered.sort_by_key(|&(i, _)| position[i]);
        let pattern_owner: Vec<usize> = ordered.iter().map(|&(i, _)| i).collect();
        let ordered: Vec<&String> = ordered.into_iter().map(|(_, p)| p).collect();
        let prefilter = match Prefilter::new(&ordered) {
            Some(prefilter) => prefilter,
            // Each pattern compiled alone, so the set as a whole is too big: the same build
            // as a RegexSet says so in its error.
            None => {
                let source = RegexSet::new(&value_patterns)
                    .err()
                    .unwrap_or_else(|| unreachable!("the prefilter is built as a RegexSet is"));
                return Err(BuildError::PatternSet { source });
            }
        };

        Ok(ClassifierSet {
            classifiers,
            ids,
            prefilter,
            pattern_owner,
            hint_set,
            hint_owner,
            exclusive,
            token,
        })
    }
}

/// A compiled, immutable group of classifiers. Build it once and share it
/// (`&ClassifierSet` is `Send + Sync`) across worker threads.
pub struct ClassifierSet {
    classifiers: Vec<Box<dyn Classifier>>,
    /// `classifiers[i].id()`, asked once at build time.
    ids: Vec<CategoryId>,
    /// The anchored value patterns of the classifiers that have one, in confirmation order.
    prefilter: Prefilter,
    /// Pattern index in `prefilter` -> classifier index.
    pattern_owner: Vec<usize>,
    /// Wrapped column hints.
    hint_set: RegexSet,
    /// Pattern index in `hint_set` -> classifier index.
    hint_owner: Vec<usize>,
    /// Priority (bit number) within the exclusive group, if a member.
    exclusive: Vec<Option<u32>>,
    /// Free-text candidate tokens ([`TOKEN_PATTERN`]).
    token: Regex,
}

impl fmt::Debug for ClassifierSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClassifierSet")
            .field("classifiers", &self.ids)
            .finish_non_exhaustive()
    }
}

impl ClassifierSet {
    /// All built-in classifiers.
    ///
    /// # Panics
    ///
    /// Never in practice: the built-in patterns are covered by tests.
    pub fn builtin() -> ClassifierSet {
        Self::builder()
            .builtins()
            .build()
            .expect("built-in classifier patterns compile")
    }

    /// Starts an empty builder.
    pub fn builder() -> ClassifierSetBuilder {
        ClassifierSetBuilder::default()
    }

    /// The classifiers in registration order.
    pub fn classifiers(&self) -> impl Iterator<Item = &dyn Classifier> {
        self.classifiers.iter().map(|c| c.as_ref())
    }

    /// Looks a classifier up by id.
    pub fn get(&self, id: &str) -> Option<&dyn Classifier> {
        let i = self.ids.iter().position(|known| known == id)?;
        Some(self.classifiers[i].as_ref())
    }

    /// Starts classifying one column of unknown type. The column-name hints
    /// are evaluated once here, on [`normalize_column_name`]`(column_name)`.
    /// Same as [`column_typed`](Self::column_typed) with an unknown type.
    pub fn column<'s>(&'s self, column_name: &str) -> ColumnScan<'s> {
        self.column_typed(column_name, &ColumnType::unknown())
    }

    /// Starts classifying one column whose source type is known.
    ///
    /// `data_type` is the column's declared type, read once by the caller
    /// ([`ColumnType::from_arrow`], [`ColumnType::parse`]). The type decides
    /// two things: whether name-driven categories (biometric
    /// templates, health data) may be reported and how confidently (see
    /// [`Classifier::name_only_confidence`]), and whether values are searched
    /// as free text (only text and unknown types are).
    pub fn column_typed<'s>(&'s self, column_name: &str, data_type: &ColumnType) -> ColumnScan<'s> {
        let normalized = normalize_column_name(column_name);
        let n = self.classifiers.len();
        let mut hinted = vec![false; n];
        if !normalized.is_empty() {
            for p in self.hint_set.matches(&normalized).iter() {
                hinted[self.hint_owner[p]] = true;
            }
        }
        ColumnScan {
            set: self,
            hits: PatternSet::new(self.prefilter.len()),
            hinted,
            data_type: data_type.clone(),
            sampled: 0,
            total_chars: 0,
            texty: 0,
            stats: (0..n).map(|_| Stat::default()).collect(),
            buckets: Vec::new(),
            whole_mark: vec![u64::MAX; n],
            ft: (0..n).map(|_| FreeTextStat::default()).collect(),
        }
    }
}

/// Whether values of a column of this type can carry free text.
fn may_be_text(family: TypeFamily) -> bool {
    matches!(family, TypeFamily::Unknown | TypeFamily::Text)
}

#[derive(Default)]
struct Stat {
    weight: f64,
    matched: u64,
    evidence: Vec<String>,
}

impl Stat {
    fn add(&mut self, weight: f64, masked: impl FnOnce() -> String) {
        self.weight += weight;
        self.matched += 1;
        if self.evidence.len() < MAX_EVIDENCE {
            let m = masked();
            if !self.evidence.contains(&m) {
                self.evidence.push(m);
            }
        }
    }
}

/// Values that several members of the exclusive group confirmed, with the
/// same set of members. Resolved in [`ColumnScan::finish`] in favour of the
/// member the rest of the column supports.
struct Bucket {
    mask: u64,
    count: u64,
    /// `(classifier index, weight sum, masked evidence)` per member.
    members: Vec<(usize, f64, Vec<String>)>,
}

#[derive(Default)]
struct FreeTextStat {
    /// Rows with at least one confirmed token.
    rows: u64,
    /// Row number of the last hit, so a row counts once.
    last_row: Option<u64>,
    evidence: Vec<String>,
}

/// Accumulates the values of one column. Create with
/// [`ClassifierSet::column`] or [`ClassifierSet::column_typed`], feed with
/// [`push`](ColumnScan::push), and collect the verdicts with
/// [`finish`](ColumnScan::finish).
pub struct ColumnScan<'s> {
    set: &'s ClassifierSet,
    /// Prefilter hits of the value at hand (kept to reuse its buffer).
    hits: PatternSet,
    hinted: Vec<bool>,
    data_type: ColumnType,
    sampled: u64,
    /// Characters in all non-null values (for the free-text test).
    total_chars: u64,
    /// Values that look like prose rather than a single field.
    texty: u64,
    stats: Vec<Stat>,
    buckets: Vec<Bucket>,
    /// Per classifier, the last row it confirmed as a whole value.
    whole_mark: Vec<u64>,
    ft: Vec<FreeTextStat>,
}

impl fmt::Debug for ColumnScan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Deliberately no values or evidence here.
        f.debug_struct("ColumnScan")
            .field("sampled", &self.sampled)
            .finish_non_exhaustive()
    }
}

/// `str::trim`, skipping the Unicode whitespace scan when the value starts and ends with a
/// visible ASCII character (most values).
fn trim(value: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7F);
    let bytes = value.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        value
    } else {
        value.trim()
    }
}

/// Every classifier's anchored value pattern in one automaton, as in `RegexSet`, but matched
/// into a caller's reusable [`PatternSet`]: `RegexSet::matches` allocates its answer, and this
/// runs once per sampled value.
struct Prefilter(meta::Regex);

impl Prefilter {
    /// `None` if the patterns do not build (they already built as a `RegexSet`).
    fn new(patterns: &[&String]) -> Option<Self> {
        // The configuration `RegexSet` uses: every pattern that matches, no captures.
        let config = meta::Config::new()
            .match_kind(MatchKind::All)
            .utf8_empty(true)
            .which_captures(WhichCaptures::None);
        meta::Builder::new()
            .configure(config)
            .syntax(regex_automata::util::syntax::Config::new().utf8(true))
            .build_many(patterns)
            .ok()
            .map(Prefilter)
    }

    fn len(&self) -> usize {
        self.0.pattern_len()
    }

    /// Fills `hits` with the patterns matching `value`; whether there is any.
    fn matches(&self, value: &str, hits: &mut PatternSet) -> bool {
        hits.clear();
        self.0.which_overlapping_matches(&Input::new(value), hits);
        !hits.is_empty()
    }
}

/// Shape facts about one value, gathered in a single pass over its chars.
struct Shape {
    chars: usize,
    texty: bool,
    /// Worth a free-text search at all.
    searchable: bool,
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{2014}'..='\u{2026}')
}

fn shape(value: &str) -> Shape {
    let (mut chars, mut alnum) = (0usize, 0usize);
    let (mut ws, mut punct, mut han, mut at) = (false, false, false, false);
    for c in value.chars() {
        chars += 1;
        if c.is_ascii_alphanumeric() {
            alnum += 1;
        } else if c.is_whitespace() {
            ws = true;
        } else if c == '@' {
            at = true;
        } else if matches!(
            c,
            ',' | ';'
                | '!'
                | '?'
                | '"'
                | '\''
                | '{'
                | '}'
                | '['
                | ']'
                | '('
                | ')'
                | '='
                | '<'
                | '>'
                | '|'
        ) || is_cjk_punct(c)
        {
            punct = true;
        } else if !han && !c.is_ascii() && c.is_alphabetic() {
            // Checked until the first letter only: the Unicode table lookup is slow.
            han = true;
        }
    }
    let texty = chars > FREE_TEXT_MIN_CHARS || ws || punct || (han && alnum > 0);
    Shape {
        chars,
        texty,
        searchable: texty && (alnum >= 5 || at),
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
        let set = self.set;
        let sh = shape(value);
        self.total_chars += sh.chars as u64;
        if sh.texty {
            self.texty += 1;
        }

        let mut hits = std::mem::replace(&mut self.hits, PatternSet::new(0));
        if set.prefilter.matches(value, &mut hits) {
            self.confirm_whole(value, row, &hits);
        }
        self.hits = hits;
        if sh.searchable && may_be_text(self.data_type.family()) {
            self.search_free_text(value, row);
        }
    }

    /// Whole-value confirmation of a value that passed the prefilter.
    fn confirm_whole(&mut self, value: &str, row: u64, hits: &PatternSet) {
        let set = self.set;
        // Exclusive-group members that confirmed: (index, weight). A fixed
        // array: no allocation per value.
        let mut group = [(0usize, 0.0f64); 8];
        let mut n_group = 0;
        for pattern in hits.iter() {
            let i = set.pattern_owner[pattern.as_usize()];
            let classifier = &set.classifiers[i];
            let weight = if self.hinted[i] {
                classifier.confirm_hinted(value)
            } else {
                classifier.confirm(value)
            };
            let Some(weight) = weight.filter(|w| *w > 0.0) else {
                continue;
            };
            let weight = weight.min(1.0);
            self.whole_mark[i] = row;
            if set.exclusive[i].is_some() {
                if n_group < group.len() {
                    group[n_group] = (i, weight);
                    n_group += 1;
                }
            } else {
                self.stats[i].add(weight, || classifier.mask(value));
            }
        }
        match &group[..n_group] {
            [] => {}
            &[(i, w)] => {
                let c = &set.classifiers[i];
                self.stats[i].add(w, || c.mask(value));
            }
            members => {
                let mask = members
                    .iter()
                    .fold(0u64, |m, &(i, _)| m | 1 << set.exclusive[i].unwrap_or(0));
                let pos = match self.buckets.iter().position(|b| b.mask == mask) {
                    Some(p) => p,
                    None => {
                        self.buckets.push(Bucket {
                            mask,
                            count: 0,
                            members: members.iter().map(|&(i, _)| (i, 0.0, Vec::new())).collect(),
                        });
                        self.buckets.len() - 1
                    }
                };
                let bucket = &mut self.buckets[pos];
                bucket.count += 1;
                for (&(i, w), member) in members.iter().zip(bucket.members.iter_mut()) {
                    member.1 += w;
                    if member.2.len() < MAX_EVIDENCE {
                        let m = set.classifiers[i].mask(value);
                        if !member.2.contains(&m) {
                            member.2.push(m);
                        }
                    }
                }
            }
        }
    }

    /// Searches one value for embedded identifiers: one token pass, then the
    /// shared prefilter and [`Classifier::confirm_free_text`] per token.
    fn search_free_text(&mut self, value: &str, row: u64) {
        let set = self.set;
        let bytes = value.as_bytes();
        for m in set.token.find_iter(value) {
            let (start, end) = (m.start(), m.end());
            let before = value[..start].chars().next_back();
            let after = value[end..].chars().next();
            let dotted = m.as_str().contains('.') && !m.as_str().contains('@');
            let bad_neighbour = |c: Option<char>, beyond: Option<u8>| match c {
                Some(c) if c.is_ascii_alphanumeric() => true,
                // `1.2.3.4.5` is not an address.
                Some('.') if dotted => beyond.is_some_and(|b| b.is_ascii_digit()),
                _ => false,
            };
            let beyond_before = start.checked_sub(2).map(|p| bytes[p]);
            let beyond_after = bytes.get(end + 1).copied();
            // A plate starts with a Han character; anything may precede it.
            let plate = !m.as_str().starts_with(|c: char| c.is_ascii());
            if (!plate && bad_neighbour(before, beyond_before))
                || bad_neighbour(after, beyond_after)
            {
                continue;
            }
            let token = m.as_str();
            if self.try_token(token, row) {
                continue;
            }
            // Digit groups written apart (`订单 2024 13800138000`): try the
            // longest runs of adjacent groups, left to right.
            let groups: Vec<(usize, usize)> = group_spans(token);
            if groups.len() < 2 || groups.len() > MAX_TOKEN_GROUPS {
                continue;
            }
            let mut g = 0;
            while g < groups.len() {
                let mut next = g + 1;
                for h in (g..groups.len()).rev() {
                    if g == 0 && h == groups.len() - 1 {
                        continue; // the whole token, tried above
                    }
                    let cand = &token[groups[g].0..groups[h].1];
                    if self.try_token(cand, row) {
                        next = h + 1;
                        break;
                    }
                }
                g = next;
            }
        }
    }

    /// Checks one free-text candidate. Returns whether anything confirmed.
    fn try_token(&mut self, token: &str, row: u64) -> bool {
        if token.len() < MIN_TOKEN_BYTES {
            return false;
        }
        let set = self.set;
        let mut hits = std::mem::replace(&mut self.hits, PatternSet::new(0));
        let any_hit = set.prefilter.matches(token, &mut hits);
        let claimed = any_hit && self.confirm_token(token, row, &hits);
        self.hits = hits;
        claimed
    }

    /// [`try_token`](Self::try_token) for a token that passed the prefilter.
    fn confirm_token(&mut self, token: &str, row: u64, hits: &PatternSet) -> bool {
        let set = self.set;
        let mut claimed = false;
        let mut any = false;
        for pattern in hits.iter() {
            let i = set.pattern_owner[pattern.as_usize()];
            let exclusive = set.exclusive[i].is_some();
            if exclusive && claimed {
                continue;
            }
            let classifier = &set.classifiers[i];
            if !classifier.confirm_free_text(token).is_some_and(|w| w > 0.0) {
                continue;
            }
            claimed |= exclusive;
            any = true;
            // The whole value already counted for this classifier.
            if self.whole_mark[i] == row {
                continue;
            }
            let ft = &mut self.ft[i];
            if ft.last_row != Some(row) {
                ft.last_row = Some(row);
                ft.rows += 1;
            }
            if ft.evidence.len() < MAX_EVIDENCE {
                let masked = classifier.mask(token);
                if !ft.evidence.contains(&masked) {
                    ft.evidence.push(masked);
                }
            }
        }
        any
    }

    /// Number of non-null values pushed so far.
    pub fn sampled(&self) -> u64 {
        self.sampled
    }

    /// Gives values that several exclusive classifiers confirmed to the one
    /// with the most unambiguous support in this column (then the one whose
    /// column hint matched, then the one first in `EXCLUSIVE`).
    fn resolve_buckets(&mut self) {
        let support: Vec<u64> = self.stats.iter().map(|s| s.matched).collect();
        let set = self.set;
        for bucket in std::mem::take(&mut self.buckets) {
            let Some(winner) = bucket.members.iter().max_by(|a, b| {
                let key = |i: usize| {
                    (
                        support[i],
                        self.hinted[i],
                        std::cmp::Reverse(set.exclusive[i].unwrap_or(u32::MAX)),
                    )
                };
                key(a.0).cmp(&key(b.0))
            }) else {
                continue;
            };
            let stat = &mut self.stats[winner.0];
            stat.weight += winner.1;
            stat.matched += bucket.count;
            for e in &winner.2 {
                if stat.evidence.len() < MAX_EVIDENCE && !stat.evidence.contains(e) {
                    stat.evidence.push(e.clone());
                }
            }
        }
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
        let stats = std::mem::take(&mut self.stats);
        let ft = std::mem::take(&mut self.ft);
        for (i, (stat, ft)) in stats.into_iter().zip(ft).enumerate() {
            let classifier = &self.set.classifiers[i];
            let hinted = self.hinted[i];

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
                            evidence: stat.evidence,
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
                    ColumnFinding {
                        category: self.set.ids[i].clone(),
                        confidence: round2((0.5 + 0.5 * ratio + bonus).clamp(0.0, 1.0)),
                        matched: stat.matched,
                        sampled,
                        by: if hinted {
                            vec!["value", "column_name"]
                        } else {
                            vec!["value"]
                        },
                        evidence: stat.evidence,
                    }
                })
            };

            match whole {
                Some(mut f) => {
                    if ft.rows > 0 {
                        f.matched += ft.rows;
                        f.by.push("free_text");
                        for e in ft.evidence {
                            if f.evidence.len() < MAX_EVIDENCE && !f.evidence.contains(&e) {
                                f.evidence.push(e);
                            }
                        }
                    }
                    out.push(f);
                }
                None if text_like && (ft.rows >= 2 || ft.rows * 10 >= sampled.max(1)) => {
                    let ratio = ft.rows as f64 / sampled as f64;
                    let mut by = vec!["free_text"];
                    if hinted {
                        by.push("column_name");
                    }
                    out.push(ColumnFinding {
                        category: self.set.ids[i].clone(),
                        confidence: round2((0.6 + 0.3 * ratio).clamp(0.0, 0.9)),
                        matched: ft.rows,
                        sampled,
                        by,
                        evidence: ft.evidence,
                    });
                }
                None => {}
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

/// Byte spans of the letter/digit groups of a token, split at spaces and
/// hyphens (a leading `+86` stays with its group).
fn group_spans(token: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (p, b) in token.bytes().enumerate() {
        if b == b' ' || b == b'-' {
            if let Some(s) = start.take() {
                spans.push((s, p));
            }
        } else if start.is_none() {
            start = Some(p);
        }
    }
    if let Some(s) = start {
        spans.push((s, token.len()));
    }
    spans
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
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
    /// "data_type", "free_text"]`. `free_text` means identifiers were found
    /// inside longer text; `matched / sampled` is then the share of rows
    /// that contain one.
    pub by: Vec<&'static str>,
    /// At most three distinct *masked* examples; never raw values.
    pub evidence: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{luhn_valid, mod11_2_check_char};
    use crate::CategoryInfo;

    /// Deterministic xorshift so tests need no extra crates.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn digits(&mut self, n: usize) -> String {
            (0..n)
                .map(|_| char::from(b'0' + (self.next() % 10) as u8))
                .collect()
        }
    }

    /// A synthetic, checksum-valid 18-digit resident ID.
    fn synthetic_id(rng: &mut Rng) -> String {
        let areas = ["110105", "310104", "440305", "510107", "330106"];
        let area = areas[(rng.next() % areas.len() as u64) as usize];
        let year = 1950 + rng.next() % 60;
        let month = 1 + rng.next() % 12;
        let day = 1 + rng.next() % 28;
        let body = format!("{area}{year}{month:02}{day:02}{}", rng.digits(3));
        let check = mod11_2_check_char(body.as_bytes()).unwrap() as char;
        format!("{body}{check}")
    }

    fn scan(set: &ClassifierSet, column: &str, values: &[&str]) -> Vec<ColumnFinding> {
        let mut s = set.column(column);
        for v in values {
            s.push(Some(v));
        }
        s.finish()
    }

    fn categories(f: &[ColumnFinding]) -> Vec<&str> {
        f.iter().map(|f| f.category.as_str()).collect()
    }

    #[test]
    fn trim_matches_str_trim() {
        for v in [
            "a",
            " a ",
            "\ta\n",
            "\u{3000}张三\u{3000}",
            "a\u{3000}",
            "张",
            " ",
            "",
            "~x~",
        ] {
            assert_eq!(trim(v), v.trim(), "{v:?}");
        }
    }

    #[test]
    fn resident_ids_with_nulls() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(42);
        let ids: Vec<String> = (0..100).map(|_| synthetic_id(&mut rng)).collect();
        let mut s = set.column("customer_ref");
        for (i, id) in ids.iter().enumerate() {
            s.push(Some(id));
            if i % 7 < 3 {
                // ~30% nulls, in both spellings.
                s.push(None);
                s.push(Some("   "));
            }
        }
        let f = s.finish();
        assert_eq!(categories(&f), vec!["pi.cn_resident_id"], "{f:?}");
        let f = &f[0];
        assert!(f.confidence >= 0.9, "{f:?}");
        assert_eq!(f.matched, 100);
        assert_eq!(f.sampled, 100);
        assert_eq!(f.by, vec!["value"]);
        assert_eq!(f.evidence.len(), 3);
        for e in &f.evidence {
            assert!(!ids.contains(e), "raw id leaked: {e}");
            assert_eq!(e.chars().filter(|&c| c == '*').count(), 8);
        }
    }

    #[test]
    fn ids_do_not_count_as_bank_cards() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(7);
        // Keep only IDs that also pass Luhn, the worst case for a conflict.
        let ids: Vec<String> = std::iter::repeat_with(|| synthetic_id(&mut rng))
            .filter(|id| luhn_valid(id))
            .take(20)
            .collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let f = scan(&set, "sfzh", &refs);
        assert_eq!(categories(&f), vec!["pi.cn_resident_id"]);
        assert_eq!(f[0].by, vec!["value", "column_name"]);
        assert_eq!(f[0].confidence, 1.0);
    }

    #[test]
    fn phone_column_of_order_numbers_is_nothing() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(99);
        let orders: Vec<String> = (0..200)
            .map(|_| format!("2024{}{}", rng.digits(4), rng.digits(10)))
            .collect();
        let refs: Vec<&str> = orders.iter().map(String::as_str).collect();
        assert!(scan(&set, "phone", &refs).is_empty());
    }

    #[test]
    fn look_alikes_produce_nothing() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(5);
        let timestamps: Vec<String> = (0..100)
            .map(|i| (1_700_000_000_000u64 + i * 1_234_567).to_string())
            .collect();
        let codes: Vec<String> = (0..90)
            .map(|i| format!("1{}{}", i % 3, rng.digits(9)))
            .collect();
        let uuids: Vec<String> = (0..50)
            .map(|_| {
                let h = format!("{:016x}{:016x}", rng.next(), rng.next());
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                )
            })
            .collect();
        let amounts: Vec<String> = (0..50)
            .map(|i| format!("{}.{:02}", 1000 + i * 37, i % 100))
            .collect();
        let skus: Vec<String> = (0..50).map(|i| format!("SKU-2024-{i:06}")).collect();
        let cases: Vec<(&str, Vec<&str>)> = vec![
            (
                "created_ms",
                timestamps.iter().map(String::as_str).collect(),
            ),
            ("tel", codes.iter().map(String::as_str).collect()),
            ("id", uuids.iter().map(String::as_str).collect()),
            ("amount", amounts.iter().map(String::as_str).collect()),
            ("sku", skus.iter().map(String::as_str).collect()),
            (
                "company_name",
                vec![
                    "北京星辰科技有限公司",
                    "上海云帆网络科技有限公司",
                    "深圳前海数据服务有限公司",
                    "杭州西湖软件集团",
                    "王记餐饮店",
                    "李氏贸易公司",
                    "中国建设银行",
                ],
            ),
            (
                "city",
                vec![
                    "上海",
                    "杭州市",
                    "北京",
                    "广州",
                    "深圳",
                    "成都",
                    "武汉",
                    "苏州",
                    "郑州",
                    "南京",
                    "西安",
                    "重庆",
                    "天津",
                    "长沙",
                ],
            ),
        ];
        for (column, values) in cases {
            let f = scan(&set, column, &values);
            assert!(f.is_empty(), "{column}: {f:?}");
        }
    }

    #[test]
    fn empty_column_with_hint() {
        let set = ClassifierSet::builtin();
        let mut s = set.column("sfzh");
        s.push(None);
        s.push(Some(""));
        s.push(Some(" \t"));
        let f = s.finish();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].category, "pi.cn_resident_id");
        assert_eq!(f[0].confidence, 0.3);
        assert_eq!(f[0].by, vec!["column_name"]);
        assert_eq!((f[0].matched, f[0].sampled), (0, 0));
        assert!(f[0].evidence.is_empty());
        // No hint and no values: nothing.
        assert!(set.column("remark").finish().is_empty());
    }

    #[test]
    fn hint_lowers_threshold_and_adds_bonus() {
        let set = ClassifierSet::builtin();
        // 40% phones, 60% free text.
        let mut values = vec!["13800138000", "13900139000", "15012345678", "18611112222"];
        values.extend(["暂无", "n/a", "unknown", "待补充", "-", "?"]);
        assert!(scan(&set, "remark", &values).is_empty());
        let f = scan(&set, "lxdh", &values);
        assert_eq!(categories(&f), vec!["pi.mobile_phone"]);
        assert_eq!(f[0].confidence, 0.75); // 0.5 + 0.5*0.4 + 0.05
        assert_eq!(f[0].matched, 4);
        assert_eq!(f[0].sampled, 10);
        assert_eq!(f[0].by, vec!["value", "column_name"]);
    }

    #[test]
    fn evidence_is_masked_distinct_and_capped() {
        let set = ClassifierSet::builtin();
        let values = [
            "13800138000",
            "13800138000",
            "+86 139-0013-9000",
            "15000150000",
            "18600186000",
        ];
        let f = scan(&set, "mobile", &values);
        assert_eq!(f[0].category, "pi.mobile_phone");
        assert_eq!(
            f[0].evidence,
            vec!["138****8000", "139****9000", "150****0000"]
        );
        for v in values {
            assert!(f[0].evidence.iter().all(|e| !e.contains(v)));
        }
    }

    #[test]
    fn findings_sorted_and_serializable() {
        let set = ClassifierSet::builtin();
        let f = scan(
            &set,
            "mixed",
            &["13800138000", "13800138001", "a.b@example.com"],
        );
        assert_eq!(categories(&f), vec!["pi.mobile_phone"]);
        assert!(f.windows(2).all(|w| w[0].confidence >= w[1].confidence));
    }

    /// One positive column per built-in, under a neutral column name.
    #[test]
    fn every_builtin_detects_its_column() {
        let set = ClassifierSet::builtin();
        let cases: &[(&str, &[&str])] = &[
            (
                "pi.email",
                &[
                    "zhang.san@example.com",
                    "li.si@example.cn",
                    "w5@example.org",
                ],
            ),
            (
                "pi.bank_card",
                &[
                    "6222021234567890128",
                    "4111 1111 1111 1111",
                    "4111-1111-1111-1111",
                ],
            ),
            ("vehicle.vin", &["1M8GDM9AXKP042788", "1m8gdm9axkp042788"]),
            (
                "vehicle.license_plate",
                &["京A12345", "沪B·D12345", "粤B12345D", "苏E-1234学"],
            ),
            (
                "pi.name",
                &["张三", "王小明", "欧阳娜娜", "李娜", "阿依古丽·买买提"],
            ),
        ];
        for (want, values) in cases {
            let f = scan(&set, "col_a", values);
            assert_eq!(categories(&f), vec![*want], "{f:?}");
            assert!(f[0].confidence >= 0.9, "{f:?}");
            for v in *values {
                assert!(f[0].evidence.iter().all(|e| e != v), "{want}: raw {v}");
            }
        }
    }

    #[test]
    fn name_hint_needs_fewer_names() {
        let set = ClassifierSet::builtin();
        // Half names, half unknown placeholders.
        let values = [
            "张三",
            "王小明",
            "李娜",
            "赵四",
            "未知",
            "暂无",
            "不详",
            "待定",
        ];
        assert!(scan(&set, "col_a", &values).is_empty());
        let f = scan(&set, "customer_name", &values);
        assert_eq!(categories(&f), vec!["pi.name"]);
        assert_eq!(f[0].confidence, 0.8); // 0.5 + 0.5*0.5 + 0.05
        assert_eq!(f[0].evidence, vec!["张*", "王**", "李*"]);
        // A company-name column with the same values gets no hint bonus.
        assert!(scan(&set, "company_name", &values).is_empty());
    }

    #[test]
    fn values_win_over_misleading_names() {
        let set = ClassifierSet::builtin();
        let f = scan(&set, "name", &["SKU-1", "SKU-2", "SKU-3"]);
        assert!(f.is_empty());
    }

    struct Dummy(&'static str, &'static str);
    impl Classifier for Dummy {
        fn info(&self) -> CategoryInfo {
            CategoryInfo::new(self.0, "测试", "Test")
        }
        fn value_pattern(&self) -> Option<&str> {
            Some(self.1)
        }
        fn confirm(&self, _: &str) -> Option<f64> {
            Some(1.0)
        }
        fn column_hint(&self) -> Option<&str> {
            None
        }
        fn mask(&self, _: &str) -> String {
            "*".into()
        }
    }

    #[test]
    fn builder_errors() {
        let err = ClassifierSet::builder()
            .builtins()
            .with(Box::new(Dummy("pi.mobile_phone", "x")))
            .build()
            .unwrap_err();
        assert!(matches!(err, BuildError::DuplicateId { ref id } if id == "pi.mobile_phone"));
        let err = ClassifierSet::builder()
            .with(Box::new(Dummy("test.bad", "(")))
            .build()
            .unwrap_err();
        assert!(
            matches!(err, BuildError::ValuePattern { ref classifier, .. } if classifier == "test.bad")
        );
        assert!(err.to_string().contains("test.bad"));
    }

    #[test]
    fn custom_classifier_runs_alongside_builtins() {
        let set = ClassifierSet::builder()
            .builtins()
            .with(Box::new(Dummy("test.digits", "[0-9]{11}")))
            .build()
            .unwrap();
        assert!(set.get("test.digits").is_some());
        // Not in the exclusive group: counts independently of the phone.
        let f = scan(&set, "x", &["13800138000"]);
        assert_eq!(categories(&f), vec!["pi.mobile_phone", "test.digits"]);
    }

    #[test]
    fn free_text_finds_embedded_identifiers() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(11);
        let id = synthetic_id(&mut rng);
        let notes = [
            "请联系13812345678谢谢".to_owned(),
            "客户说明：周末送货，电话 139-0013-9000，邮箱 zhang.san@example.com".to_owned(),
            format!("{{\"sfzh\":\"{id}\",\"remark\":\"已核验\"}}"),
            "订单号2024050112345678901已发货，请注意查收".to_owned(),
            "编号A13812345678不是电话".to_owned(),
            "没有任何个人信息的备注，只是一段很长的说明文字而已。".to_owned(),
        ];
        let refs: Vec<&str> = notes.iter().map(String::as_str).collect();
        let f = scan(&set, "remark", &refs);
        let phone = f.iter().find(|f| f.category == "pi.mobile_phone").unwrap();
        assert_eq!(phone.by, vec!["free_text"]);
        assert_eq!((phone.matched, phone.sampled), (2, 6));
        assert!(phone.evidence.iter().all(|e| e.contains('*')));
        let email = f.iter().find(|f| f.category == "pi.email").unwrap();
        assert_eq!(email.matched, 1);
        let rid = f
            .iter()
            .find(|f| f.category == "pi.cn_resident_id")
            .unwrap();
        assert_eq!(rid.matched, 1);
        assert!(!rid.evidence.contains(&id));
        assert!(f.iter().all(|f| f.by == vec!["free_text"]), "{f:?}");
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[test]
    fn digits_inside_longer_runs_are_not_phones() {
        let set = ClassifierSet::builtin();
        let values = [
            "流水号9913812345678000已处理",
            "订单20241381234567890完成",
            "code:X13812345678Y",
        ];
        assert!(scan(&set, "remark", &values).is_empty());
    }

    #[test]
    fn numeric_columns_are_not_free_text() {
        let set = ClassifierSet::builtin();
        let mut s = set.column_typed("note", &ColumnType::parse("Int64"));
        for _ in 0..5 {
            s.push(Some("请联系13812345678谢谢"));
        }
        assert!(s.finish().is_empty());
    }

    #[test]
    fn ambiguous_values_follow_the_column() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(3);
        // Luhn-valid IDs among plain IDs: all go to the resident ID.
        let ids: Vec<String> = (0..40).map(|_| synthetic_id(&mut rng)).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let f = scan(&set, "c1", &refs);
        assert_eq!(categories(&f), vec!["pi.cn_resident_id"]);
        assert_eq!(f[0].matched, 40);
    }

    #[test]
    fn name_driven_categories() {
        let set = ClassifierSet::builtin();
        // Binary template column: no values reach the engine.
        let f = set
            .column_typed("face_feature", &ColumnType::parse("Binary"))
            .finish();
        assert_eq!(categories(&f), vec!["pi.biometric"]);
        assert_eq!(f[0].confidence, 0.6);
        assert_eq!(f[0].by, vec!["column_name", "data_type"]);
        // Hash digests in a fingerprint column veto the verdict.
        let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert!(scan(&set, "fingerprint", &[sha, sha, sha]).is_empty());
        // Health from the name alone, with values, at 0.6.
        let f = scan(&set, "过敏史", &["青霉素", "无", "海鲜"]);
        assert_eq!(categories(&f), vec!["pi.health"]);
        assert_eq!(f[0].confidence, 0.6);
        assert_eq!(f[0].by, vec!["column_name"]);
        // Not for a count.
        assert!(
            set.column_typed("fingerprint_count", &ColumnType::parse("Int64"))
                .finish()
                .is_empty()
                || set
                    .column_typed("fingerprint_count", &ColumnType::parse("Int64"))
                    .finish()[0]
                    .confidence
                    <= 0.3
        );
    }

    #[test]
    fn hint_gated_values() {
        let set = ClassifierSet::builtin();
        let dates = ["1990-05-17", "1985-11-02", "2001-01-30"];
        assert!(scan(&set, "order_date", &dates).is_empty());
        assert_eq!(
            categories(&scan(&set, "birthday", &dates)),
            vec!["pi.birth_date"]
        );
        let codes = ["1", "2", "2", "1"];
        assert!(scan(&set, "status", &codes).is_empty());
        assert_eq!(categories(&scan(&set, "xb", &codes)), vec!["pi.gender"]);
        let mut s = set.column_typed("lat", &ColumnType::parse("Float64"));
        for v in ["31.230416", "31.2291", "31.1987"] {
            s.push(Some(v));
        }
        let f = s.finish();
        assert_eq!(categories(&f), vec!["geo.coordinate"]);
        assert!(scan(&set, "price", &["31.230416", "31.2291", "31.1987"]).is_empty());
    }

    #[test]
    fn empty_set_works() {
        let set = ClassifierSet::builder().build().unwrap();
        let mut s = set.column("phone");
        s.push(Some("13800138000"));
        assert_eq!(s.sampled(), 1);
        assert!(s.finish().is_empty());
    }
}
