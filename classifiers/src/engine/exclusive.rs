//! The exclusive group: values that several overlapping identifiers confirm
//! (an 18-digit resident ID that also passes Luhn) count for one of them,
//! the one the rest of the column supports.

use super::evidence::Evidence;
use super::scan::ColumnScan;

/// Values that several members of the exclusive group confirmed, with the
/// same set of members. Resolved in [`ColumnScan::finish`] in favour of the
/// member the rest of the column supports.
pub(super) struct Bucket {
    pub(super) mask: u64,
    pub(super) count: u64,
    /// `(classifier index, weight sum, masked evidence)` per member.
    pub(super) members: Vec<(usize, f64, Evidence)>,
}

impl ColumnScan<'_> {
    /// Records a value that several members of the exclusive group
    /// confirmed, in the bucket of exactly those members, to be given to one
    /// of them in [`resolve_buckets`](Self::resolve_buckets).
    pub(super) fn record_ambiguous(&mut self, members: &[(usize, f64)], value: &str) {
        let set = self.set;
        let mask = members
            .iter()
            .fold(0u64, |m, &(i, _)| m | 1 << set.exclusive[i].unwrap_or(0));
        let pos = match self.buckets.iter().position(|b| b.mask == mask) {
            Some(p) => p,
            None => {
                self.buckets.push(Bucket {
                    mask,
                    count: 0,
                    members: members
                        .iter()
                        .map(|&(i, _)| (i, 0.0, Evidence::default()))
                        .collect(),
                });
                self.buckets.len() - 1
            }
        };
        let bucket = &mut self.buckets[pos];
        bucket.count += 1;
        for (&(i, w), member) in members.iter().zip(bucket.members.iter_mut()) {
            member.1 += w;
            member.2.offer(|| set.classifiers[i].mask(value));
        }
    }

    /// Gives values that several exclusive classifiers confirmed to the one
    /// with the most unambiguous support in this column (then the one whose
    /// column hint matched, then the one first in `EXCLUSIVE`).
    pub(super) fn resolve_buckets(&mut self) {
        let support: Vec<u64> = self.tallies.iter().map(|t| t.stat.matched).collect();
        let set = self.set;
        for bucket in std::mem::take(&mut self.buckets) {
            let Some(winner) = bucket.members.iter().max_by(|a, b| {
                let key = |i: usize| {
                    (
                        support[i],
                        self.tallies[i].hinted,
                        std::cmp::Reverse(set.exclusive[i].unwrap_or(u32::MAX)),
                    )
                };
                key(a.0).cmp(&key(b.0))
            }) else {
                continue;
            };
            let stat = &mut self.tallies[winner.0].stat;
            stat.weight += winner.1;
            stat.matched += bucket.count;
            stat.evidence.absorb(&winner.2);
        }
    }
}
