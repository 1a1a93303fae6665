//! Counting what a listing leaves out, so that nothing a source holds is skipped silently:
//! every file or table not read is tallied by reason and kind (its extension, its hidden path
//! segment) into [`Unscanned`] rows of the source's report.

use std::collections::BTreeMap;

use model::{SkipReason, Unscanned};

/// Kinds kept apart per reason; the rest (by fewest bytes) are summed under `other`, so a
/// bucket of random names cannot blow up the report.
const KINDS_PER_REASON: usize = 20;

/// Counts skipped entries as they are met.
#[derive(Debug, Default)]
pub(crate) struct UnscannedTally {
    counts: BTreeMap<(SkipReason, String), (u64, u64)>,
}

impl UnscannedTally {
    /// One entry of `kind` and `bytes` left out for `reason`.
    pub(crate) fn add(&mut self, reason: SkipReason, kind: &str, bytes: u64) {
        self.add_many(reason, kind, 1, bytes);
    }

    /// `count` entries of `kind`, `bytes` in all, left out for `reason`.
    pub(crate) fn add_many(&mut self, reason: SkipReason, kind: &str, count: u64, bytes: u64) {
        let entry = self.counts.entry((reason, kind.to_string())).or_default();
        entry.0 += count;
        entry.1 += bytes;
    }

    /// The tally as report rows: per reason, the kinds with the most bytes first, at most
    /// [`KINDS_PER_REASON`] of them plus `other`.
    pub(crate) fn finish(self) -> Vec<Unscanned> {
        let mut by_reason: BTreeMap<SkipReason, Vec<Unscanned>> = BTreeMap::new();
        for ((reason, kind), (count, bytes)) in self.counts {
            by_reason.entry(reason).or_default().push(Unscanned {
                reason,
                kind,
                count,
                bytes,
            });
        }
        let mut out = Vec::new();
        for (reason, mut rows) in by_reason {
            rows.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(b.count.cmp(&a.count)));
            if rows.len() > KINDS_PER_REASON {
                let tail = rows.split_off(KINDS_PER_REASON - 1);
                rows.push(Unscanned {
                    reason,
                    kind: "other".into(),
                    count: tail.iter().map(|r| r.count).sum(),
                    bytes: tail.iter().map(|r| r.bytes).sum(),
                });
            }
            out.extend(rows);
        }
        out
    }
}

/// The kind of a file by name: its lower-case extension (`.jpg`; `.tar.gz` counts as `.gz`),
/// or `(none)`.
pub(crate) fn file_kind(name: &str) -> String {
    let file = name.rsplit('/').next().unwrap_or(name);
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 10 => {
            format!(".{}", ext.to_ascii_lowercase())
        }
        _ => "(none)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_extensions_or_none() {
        assert_eq!(file_kind("cams/front/2026-11-01/a.JPG"), ".jpg");
        assert_eq!(file_kind("backup.tar.gz"), ".gz");
        assert_eq!(file_kind("README"), "(none)");
        assert_eq!(file_kind(".bashrc"), "(none)");
    }

    #[test]
    fn a_long_tail_of_kinds_is_summed_as_other() {
        let mut tally = UnscannedTally::default();
        for i in 0..30u64 {
            tally.add(SkipReason::UnsupportedType, &format!(".x{i}"), i);
        }
        tally.add(SkipReason::Bookkeeping, "_SUCCESS", 0);
        tally.add(SkipReason::Bookkeeping, "_SUCCESS", 0);
        let rows = tally.finish();
        let unsupported: Vec<&Unscanned> = rows
            .iter()
            .filter(|r| r.reason == SkipReason::UnsupportedType)
            .collect();
        assert_eq!(unsupported.len(), KINDS_PER_REASON);
        assert_eq!(unsupported[0].kind, ".x29");
        let other = unsupported.last().unwrap();
        assert_eq!(other.kind, "other");
        // 30 kinds, 19 kept: the 11 smallest (0..=10) are summed.
        assert_eq!((other.count, other.bytes), (11, (0..=10).sum()));
        let bookkeeping: Vec<(&str, u64)> = rows
            .iter()
            .filter(|r| r.reason == SkipReason::Bookkeeping)
            .map(|r| (r.kind.as_str(), r.count))
            .collect();
        assert_eq!(bookkeeping, [("_SUCCESS", 2)]);
    }
}
