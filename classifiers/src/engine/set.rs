//! Building a [`ClassifierSet`]: checking ids, compiling every value pattern
//! into one prefilter and every column hint into one set, and ordering the
//! exclusive group.

use std::fmt;

use regex::{Regex, RegexSet};

use super::idle::Idle;
use super::prefilter::Prefilter;
use super::profile::ValueProfile;
use super::prose::Prose;
use super::quiet::QuietValues;
use super::scan::{ColumnScan, Tally};
use crate::builtin;
use crate::normalize::normalize_column_name;
use crate::{CategoryId, Classifier, ColumnType};

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

/// The buffers of a finished column scan that a later one reuses (at most
/// about 100 KB plus 2 KB per classifier): the memo's table and values, the
/// profile's hashes, the tallies with their evidence lists and serials.
#[derive(Default)]
pub(super) struct ColumnBuffers {
    pub(super) quiet: QuietValues,
    pub(super) hashes: Vec<u64>,
    pub(super) tallies: Vec<Tally>,
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
        self.classifiers.extend(builtin::boxed());
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
        // Patterns (of the first 64) that a classifier's promises let the prefilter skip.
        let pattern_bits = |keep: &dyn Fn(&dyn Classifier) -> bool| {
            pattern_owner
                .iter()
                .take(64)
                .enumerate()
                .fold(0u64, |acc, (p, &i)| {
                    acc | u64::from(keep(classifiers[i].as_ref())) << p
                })
        };
        let hint_only = pattern_bits(&|c| !c.confirms_without_hint());
        let token_patterns = !pattern_bits(&|c| !c.confirms_free_text());
        let one_identifier = pattern_bits(&|c| c.whole_value_holds_one_identifier());
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

        let prose = Prose::new(&ids);
        Ok(ClassifierSet {
            classifiers,
            prose,
            ids,
            prefilter,
            pattern_owner,
            hint_only,
            token_patterns,
            one_identifier,
            hint_set,
            hint_owner,
            exclusive,
            idle: Idle::default(),
        })
    }
}

/// A compiled, immutable group of classifiers. Build it once and share it
/// (`&ClassifierSet` is `Send + Sync`) across worker threads.
pub struct ClassifierSet {
    pub(super) classifiers: Vec<Box<dyn Classifier>>,
    /// `classifiers[i].id()`, asked once at build time.
    pub(super) ids: Vec<CategoryId>,
    /// The anchored value patterns of the classifiers that have one, in confirmation order.
    pub(super) prefilter: Prefilter,
    /// Pattern index in `prefilter` -> classifier index.
    pub(super) pattern_owner: Vec<usize>,
    /// Patterns (bits, of the first 64) whose values count only under their column hint
    /// ([`Classifier::confirms_without_hint`]).
    pub(super) hint_only: u64,
    /// Patterns (bits) worth checking on free-text tokens
    /// ([`Classifier::confirms_free_text`]).
    pub(super) token_patterns: u64,
    /// Patterns (bits) of classifiers whose confirmed values hold nothing else
    /// ([`Classifier::whole_value_holds_one_identifier`]).
    pub(super) one_identifier: u64,
    /// Wrapped column hints.
    pub(super) hint_set: RegexSet,
    /// Pattern index in `hint_set` -> classifier index.
    pub(super) hint_owner: Vec<usize>,
    /// Priority (bit number) within the exclusive group, if a member.
    pub(super) exclusive: Vec<Option<u32>>,
    /// Cue words of names and addresses in prose.
    pub(super) prose: Option<Prose>,
    /// Buffers of finished scans, for the next columns.
    pub(super) idle: Idle<ColumnBuffers>,
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
        self.column_described(column_name, None, data_type)
    }

    /// [`column_typed`](Self::column_typed) for a column with a COMMENT
    /// (`GPS经度`, `车牌号`, `身份证号`): in real schemas the comment is
    /// often the only label of a column named `c3` or `jd`, so its label
    /// ([`comment_label`](crate::comment_label)) hints like a column name does. Findings that
    /// rest on it say `column_comment` in their `by`.
    pub fn column_described<'s>(
        &'s self,
        column_name: &str,
        comment: Option<&str>,
        data_type: &ColumnType,
    ) -> ColumnScan<'s> {
        let n = self.classifiers.len();
        let hints = |text: &str| {
            let mut hinted = vec![false; n];
            let normalized = normalize_column_name(text);
            if !normalized.is_empty() {
                for p in self.hint_set.matches(&normalized).iter() {
                    hinted[self.hint_owner[p]] = true;
                }
            }
            hinted
        };
        let mut hinted = hints(column_name);
        let by_comment = comment.map_or_else(
            || vec![false; n],
            |c| hints(super::comment::comment_label(c)),
        );
        let comment_hinted: Vec<bool> = by_comment
            .iter()
            .zip(&hinted)
            .map(|(&c, &name)| c && !name)
            .collect();
        for (h, c) in hinted.iter_mut().zip(&by_comment) {
            *h |= c;
        }
        // Hint-only patterns are skipped where their hint is missing.
        let unhinted = self
            .pattern_owner
            .iter()
            .take(64)
            .enumerate()
            .fold(0u64, |acc, (p, &i)| acc | u64::from(!hinted[i]) << p);
        let ColumnBuffers {
            quiet,
            hashes,
            mut tallies,
        } = self.idle.take().unwrap_or_default();
        tallies.resize_with(n, || Tally::new(false));
        for (tally, hinted) in tallies.iter_mut().zip(hinted) {
            tally.reset(hinted);
        }
        ColumnScan {
            set: self,
            value_patterns: !(self.hint_only & unhinted),
            scratch: self.prefilter.scratch(),
            tallies,
            comment_hinted,
            data_type: data_type.clone(),
            sampled: 0,
            total_chars: 0,
            texty: 0,
            buckets: Vec::new(),
            #[cfg(test)]
            lone_as_any: false,
            profile: ValueProfile::reusing(hashes),
            quiet,
        }
    }
}
