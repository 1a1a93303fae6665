//! The classification engine: one shared prefilter, per-column accumulation.
//!
//! One concept per module: `set` builds a [`ClassifierSet`] (ids, the shared
//! prefilter, hints, the exclusive-group order); `prefilter` finds the value
//! patterns a value matches: `positions` settles fixed formats byte by byte
//! and `dispatch` rules out the patterns a longer value's length and bytes
//! cannot match, `contains` decides runs with a marker character, the DFAs of
//! `subsets` the rest; `scan` feeds one column's values through it and turns
//! the tallies into verdicts; `shape` tells prose from single fields;
//! `free_text` finds identifiers inside prose, cutting them out with the DFA
//! of `tokens`; `evidence` keeps a finding's masked examples; `exclusive`
//! settles values that several overlapping identifiers confirm; `uniform`
//! accepts columns of weak identifiers on the evidence of their shared shape;
//! `profile` summarises a column's values for the table rules; `comment`
//! turns a COMMENT into a column hint; `prose` finds names and addresses
//! after cue words, checking what follows a name with `words`.

mod comment;
mod contains;
mod dispatch;
mod evidence;
mod exclusive;
mod free_text;
mod idle;
mod positions;
mod prefilter;
mod profile;
mod prose;
mod quiet;
mod scan;
mod set;
mod shape;
mod subsets;
#[cfg(test)]
mod tests;
mod tokens;
mod uniform;
mod words;

pub use comment::comment_label;
pub use profile::{Axis, EpochUnit, ValueProfile};
pub(crate) use scan::trim;
pub use scan::{ColumnFinding, ColumnScan};
pub use set::{BuildError, ClassifierSet, ClassifierSetBuilder};

/// Evidence strings kept per finding.
const MAX_EVIDENCE: usize = 3;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
